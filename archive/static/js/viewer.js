// The document viewer: choosing a version shows it in place, with its counterpart beside it
// (the original scan beside a translation or transcript, a translation beside the scan), and
// puts ?version=<id> in the address so the view can be shared. Progressive enhancement: every
// choice is a plain link that the server answers with the same view; PDFs and images not yet
// shown are loaded only when chosen. No framework, no inline script (CSP).
(function () {
  "use strict";

  function panes(viewer) {
    return Array.prototype.slice.call(viewer.querySelectorAll("[data-version-pane]"));
  }

  function counterpart(main, all) {
    var kinds = main.getAttribute("data-kind") === "original" ? ["translation", "transcript"] : ["original"];
    for (var k = 0; k < kinds.length; k++) {
      for (var i = 0; i < all.length; i++) {
        if (all[i].getAttribute("data-kind") === kinds[k]) {
          return all[i];
        }
      }
    }
    return null;
  }

  function load(pane) {
    var deferred = pane.querySelectorAll("[data-src]");
    for (var i = 0; i < deferred.length; i++) {
      deferred[i].setAttribute("src", deferred[i].getAttribute("data-src"));
      deferred[i].removeAttribute("data-src");
    }
  }

  function show(viewer, id, focus) {
    var all = panes(viewer);
    var main = null;
    for (var i = 0; i < all.length; i++) {
      if (all[i].getAttribute("data-version-pane") === id) {
        main = all[i];
      }
    }
    if (!main) {
      return false;
    }
    var beside = counterpart(main, all);
    for (var j = 0; j < all.length; j++) {
      var pane = all[j];
      var isMain = pane === main;
      var isBeside = pane === beside;
      pane.hidden = !(isMain || isBeside);
      pane.classList.toggle("is-main", isMain);
      pane.classList.toggle("is-beside", isBeside);
      if (isMain || isBeside) {
        load(pane);
      }
    }
    var choices = viewer.querySelectorAll(".viewer-choices [data-version]");
    for (var c = 0; c < choices.length; c++) {
      if (choices[c].getAttribute("data-version") === id) {
        choices[c].setAttribute("aria-current", "true");
      } else {
        choices[c].removeAttribute("aria-current");
      }
    }
    if (window.history && window.history.replaceState) {
      var url = new URL(window.location.href);
      url.searchParams.set("version", id);
      url.hash = "viewer";
      window.history.replaceState(null, "", url.toString());
    }
    if (focus) {
      var caption = main.querySelector(".viewer-title");
      if (caption) {
        caption.setAttribute("tabindex", "-1");
        caption.focus();
      }
    }
    return true;
  }

  function init() {
    var viewer = document.querySelector("[data-viewer]");
    if (!viewer) {
      return;
    }
    viewer.addEventListener("click", function (event) {
      var link = event.target.closest ? event.target.closest("a[data-version]") : null;
      if (!link || event.ctrlKey || event.metaKey || event.shiftKey || event.button !== 0) {
        return;
      }
      if (show(viewer, link.getAttribute("data-version"), true)) {
        event.preventDefault();
        if (link.closest(".downloads")) {
          viewer.scrollIntoView();
        }
      }
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
