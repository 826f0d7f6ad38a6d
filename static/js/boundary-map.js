/* Draw one GeoJSON boundary on each <div data-boundary-map="ID of its json_script">; tiles only when the
   element's data-tile-url names a tile server. */
(function () {
  "use strict";
  if (typeof L === "undefined") { return; }
  document.querySelectorAll("[data-boundary-map]").forEach(function (element) {
    var source = document.getElementById(element.getAttribute("data-boundary-map"));
    if (!source) { return; }
    var geometry = JSON.parse(source.textContent);
    var map = L.map(element, { attributionControl: false, zoomSnap: 0.25 });
    if (element.dataset.tileUrl) { L.tileLayer(element.dataset.tileUrl, { maxZoom: 19 }).addTo(map); }
    var layer = L.geoJSON({ type: "Feature", geometry: geometry, properties: {} }, {
      style: { color: "#c0392b", weight: 2, fillOpacity: 0.12 }
    }).addTo(map);
    map.fitBounds(layer.getBounds(), { padding: [12, 12] });
  });
})();
