// Progressive enhancement of a place picker (Mängelmelder, ideas): a map of the districts on which a tap sets the
// place, and a button for the device's location. Both only fill the coordinate fields,
// which work on their own without JavaScript.
(function () {
  "use strict";

  function setup(box) {
    var lat = document.getElementById("id_lat");
    var lon = document.getElementById("id_long");
    if (!lat || !lon || !window.L) {
      return;
    }
    box.hidden = false;
    box.setAttribute("role", "region");
    box.setAttribute("aria-label", box.dataset.label);
    var map = L.map(box, { attributionControl: !!box.dataset.tiles });
    if (box.dataset.tiles) {
      L.tileLayer(box.dataset.tiles, { maxZoom: 19 }).addTo(map);
    }
    var marker = null;
    function place(latlng, zoom) {
      lat.value = latlng.lat.toFixed(6);
      lon.value = latlng.lng.toFixed(6);
      if (marker) {
        marker.setLatLng(latlng);
      } else {
        marker = L.circleMarker(latlng, { radius: 9, color: "#b3261e", weight: 3, fillOpacity: 0.6 }).addTo(map);
      }
      if (zoom) {
        map.setView(latlng, Math.max(map.getZoom(), 16));
      }
    }
    fetch(box.dataset.geojson).then(function (r) { return r.json(); }).then(function (data) {
      var layer = L.geoJSON(data, {
        style: function () { return { color: "#0b3d91", weight: 1, fillColor: "#ffffff", fillOpacity: 0.4 }; },
        onEachFeature: function (feature, l) { l.bindTooltip(feature.properties.name); },
      }).addTo(map);
      map.fitBounds(layer.getBounds());
      var y = parseFloat(lat.value), x = parseFloat(lon.value);
      if (isFinite(y) && isFinite(x)) {
        place(L.latLng(y, x), false);
      }
    });
    map.on("click", function (event) { place(event.latlng, false); });

    if (navigator.geolocation) {
      var tools = document.createElement("p");
      tools.className = "place-map-tools";
      var button = document.createElement("button");
      button.type = "button";
      button.className = "kern-btn kern-btn--secondary kern-btn--x-small";
      button.innerHTML = '<span class="kern-label"></span>';
      button.querySelector(".kern-label").textContent = box.dataset.locate;
      var status = document.createElement("span");
      status.setAttribute("role", "status");
      status.className = "kern-body kern-body--small";
      tools.appendChild(button);
      tools.appendChild(document.createTextNode(" "));
      tools.appendChild(status);
      box.after(tools);
      button.addEventListener("click", function () {
        navigator.geolocation.getCurrentPosition(function (position) {
          place(L.latLng(position.coords.latitude, position.coords.longitude), true);
          status.textContent = box.dataset.located;
        }, function (error) {
          status.textContent = error.message;
        }, { enableHighAccuracy: true, timeout: 15000 });
      });
    }
  }

  document.addEventListener("DOMContentLoaded", function () {
    var box = document.getElementById("place-map");
    if (box) {
      setup(box);
    }
  });
})();
