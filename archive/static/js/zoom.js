// Deep zoom into scans' pages (OpenSeadragon, served by the archive: static/vendor/). The page
// works without it: the scans are shown as images or PDFs, and search hits as pages with
// their words boxed. With it, each "Zoom" button opens the IIIF tiles of a scan's pages (from
// the document's IIIF manifest) or of one page with the same boxes drawn as overlays.
(function () {
  "use strict";
  if (typeof OpenSeadragon !== "function") {
    return;
  }
  var script = document.querySelector("script[data-osd-images]");
  var prefix = script ? script.getAttribute("data-osd-images") : "";

  function viewerIn(element, tileSources, boxes, pageWidth) {
    var viewer = OpenSeadragon({
      element: element,
      prefixUrl: prefix,
      tileSources: tileSources,
      sequenceMode: tileSources.length > 1,
      showNavigator: false,
      showRotationControl: true,
      crossOriginPolicy: false,
      gestureSettingsMouse: { clickToZoom: false }
    });
    if (boxes && boxes.length) {
      viewer.addHandler("open", function () {
        boxes.forEach(function (box) {
          var mark = document.createElement("span");
          mark.className = "zoom-hit";
          viewer.addOverlay({
            element: mark,
            location: new OpenSeadragon.Rect(
              box[0] / pageWidth, box[1] / pageWidth, box[2] / pageWidth, box[3] / pageWidth
            )
          });
        });
      });
    }
    return viewer;
  }

  function fromManifest(url, versionId) {
    return fetch(url, { headers: { Accept: "application/ld+json" } })
      .then(function (response) {
        if (!response.ok) {
          throw new Error("manifest " + response.status);
        }
        return response.json();
      })
      .then(function (manifest) {
        var wanted = "/iiif/image/" + versionId + "-";
        return manifest.items
          .map(function (canvas) {
            return canvas.items[0].items[0].body.service[0].id;
          })
          .filter(function (id) {
            return id.indexOf(wanted) !== -1;
          })
          .map(function (id) {
            return id + "/info.json";
          });
      });
  }

  function toggle(button) {
    var target = document.getElementById(button.getAttribute("aria-controls"));
    if (!target) {
      return;
    }
    var open = button.getAttribute("aria-expanded") === "true";
    button.setAttribute("aria-expanded", open ? "false" : "true");
    target.hidden = open;
    if (open || target.getAttribute("data-zoom-open")) {
      return;
    }
    target.setAttribute("data-zoom-open", "1");
    var info = button.getAttribute("data-zoom-info");
    if (info) {
      var boxes = (button.getAttribute("data-zoom-boxes") || "")
        .split(";")
        .filter(Boolean)
        .map(function (box) {
          return box.split(",").map(Number);
        });
      viewerIn(target, [info], boxes, Number(button.getAttribute("data-zoom-width")));
      target.focus();
      return;
    }
    fromManifest(button.getAttribute("data-zoom-manifest"), button.getAttribute("data-zoom-version"))
      .then(function (sources) {
        viewerIn(target, sources);
        target.focus();
      })
      .catch(function () {
        // The message in the page's language, from the page (data-zoom-failed).
        target.textContent = button.getAttribute("data-zoom-failed") ||
          "The zoomable pages could not be loaded; the scan above is the same.";
      });
  }

  document.querySelectorAll("[data-zoom-control]").forEach(function (control) {
    control.hidden = false;
  });
  document.querySelectorAll(".zoom-button").forEach(function (button) {
    button.hidden = false;
    button.addEventListener("click", function () {
      toggle(button);
    });
  });
})();
