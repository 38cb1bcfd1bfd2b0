// People and places as the site's search box is typed into: names from /search/suggest fill
// a datalist; choosing one opens that person's or place's page. Without this script the box
// is a plain search form.
(function () {
  "use strict";
  var input = document.getElementById("site-q");
  var list = document.getElementById("site-suggestions");
  if (!input || !list || !window.fetch) return;
  var pages = {};
  var timer = null;
  var asked = "";

  function fill(answer) {
    pages = {};
    list.textContent = "";
    [["people", "person"], ["places", "place"]].forEach(function (kind) {
      (answer[kind[0]] || []).forEach(function (item) {
        var option = document.createElement("option");
        option.value = item.name;
        option.label = item.name + " (" + kind[1] + ")";
        pages[item.name] = item.url;
        list.appendChild(option);
      });
    });
  }

  input.addEventListener("input", function () {
    var text = input.value.trim();
    if (pages[input.value]) {
      window.location.href = pages[input.value];
      return;
    }
    clearTimeout(timer);
    if (text.length < 2 || text === asked) return;
    timer = setTimeout(function () {
      asked = text;
      fetch(input.dataset.suggestUrl + "?q=" + encodeURIComponent(text), { credentials: "same-origin" })
        .then(function (response) { return response.ok ? response.json() : { people: [], places: [] }; })
        .then(fill)
        .catch(function () { /* no suggestions; the form still searches */ });
    }, 150);
  });
})();
