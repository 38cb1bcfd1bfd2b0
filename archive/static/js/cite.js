// "Copy citation": a button that copies the text of the element its data-copy-target names.
// Progressive enhancement: the button is hidden in the page and shown only here, so without
// JavaScript the citation is simply text to select. No framework, no inline script (CSP).
(function () {
  "use strict";

  function copyBySelection(element) {
    var range = document.createRange();
    range.selectNodeContents(element);
    var selection = window.getSelection();
    selection.removeAllRanges();
    selection.addRange(range);
    var copied = false;
    try {
      copied = document.execCommand("copy");
    } catch (error) {
      copied = false;
    }
    return copied;
  }

  function say(button, message) {
    var status = button.parentNode.querySelector(".copy-status");
    if (status) {
      status.textContent = message;
    }
  }

  // The messages in the page's language, from the button's data-copied and data-copy-by-hand.
  function copied(button) {
    return button.getAttribute("data-copied") || "Copied.";
  }

  function byHand(button) {
    return button.getAttribute("data-copy-by-hand") || "Press Ctrl+C to copy.";
  }

  function copy(button) {
    var target = document.getElementById(button.getAttribute("data-copy-target"));
    if (!target) {
      return;
    }
    var text = target.textContent.trim();
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(text).then(
        function () { say(button, copied(button)); },
        function () { say(button, copyBySelection(target) ? copied(button) : byHand(button)); }
      );
    } else {
      say(button, copyBySelection(target) ? copied(button) : byHand(button));
    }
  }

  function init() {
    var buttons = document.querySelectorAll("[data-copy-target]");
    for (var i = 0; i < buttons.length; i++) {
      buttons[i].hidden = false;
      buttons[i].addEventListener("click", function (event) { copy(event.currentTarget); });
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
