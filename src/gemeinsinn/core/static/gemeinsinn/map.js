// Progressive enhancement: the SVG map works without JavaScript; this adds an optional
// Leaflet map of the same GeoJSON layer, with tiles only when the city configured a tile URL.
(function () {
  "use strict";
  var script = document.currentScript;
  var STATUS_COLOURS = { 1: "#d7e8f5", 2: "#8fbfe0", 3: "#3a7fbf", 4: "#08306b" };

  function setup(figure) {
    var button = document.createElement("button");
    button.type = "button";
    button.className = "kern-btn kern-btn--secondary kern-btn--x-small";
    button.setAttribute("aria-expanded", "false");
    button.innerHTML = '<span class="kern-label">' + script.dataset.labelShow + "</span>";
    var container = document.createElement("div");
    container.className = "leaflet-map";
    container.hidden = true;
    container.setAttribute("role", "region");
    container.setAttribute("aria-label", script.dataset.labelMap);
    figure.after(button);
    button.after(container);
    var map = null;
    button.addEventListener("click", function () {
      var show = container.hidden;
      container.hidden = !show;
      button.setAttribute("aria-expanded", String(show));
      button.querySelector(".kern-label").textContent = show ? script.dataset.labelHide : script.dataset.labelShow;
      if (show && !map && window.L) {
        map = L.map(container, { attributionControl: !!figure.dataset.tiles });
        if (figure.dataset.tiles) {
          L.tileLayer(figure.dataset.tiles, { maxZoom: 19 }).addTo(map);
        }
        fetch(figure.dataset.geojson).then(function (r) { return r.json(); }).then(function (data) {
          var layer = L.geoJSON(data, {
            style: function (feature) {
              var c = STATUS_COLOURS[feature.properties.status_class];
              return { color: "#333", weight: 1, fillColor: c || "#ffffff", fillOpacity: c ? 0.8 : 0.3 };
            },
            onEachFeature: function (feature, l) { l.bindTooltip(feature.properties.name); },
          }).addTo(map);
          map.fitBounds(layer.getBounds());
        });
      }
    });
  }
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("figure[data-geojson]").forEach(setup);
  });
})();
