/* Draw one GeoJSON boundary on a Leaflet map; tiles only when a tile server is configured. */
function anjianBoundaryMap(elementId, geometry, tileUrl) {
  var map = L.map(elementId, { attributionControl: false, zoomSnap: 0.25 });
  if (tileUrl) { L.tileLayer(tileUrl, { maxZoom: 19 }).addTo(map); }
  var layer = L.geoJSON({ type: "Feature", geometry: geometry, properties: {} }, {
    style: { color: "#c0392b", weight: 2, fillOpacity: 0.12 }
  }).addTo(map);
  map.fitBounds(layer.getBounds(), { padding: [12, 12] });
  return map;
}
