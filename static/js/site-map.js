/* The map of places: territory boundaries, clustered points coloured by risk. No tile server unless configured. */
(function () {
  "use strict";
  var element = document.getElementById("site-map");
  if (!element || typeof L === "undefined") { return; }
  var labels = JSON.parse(document.getElementById("site-map-labels").textContent);
  var boundaries = JSON.parse(document.getElementById("site-map-boundaries").textContent);
  var detailUrl = element.dataset.detailUrl;
  var countElement = document.getElementById("site-map-count");

  // markerCluster needs a maxZoom, which otherwise comes from a tile layer.
  var map = L.map(element, { attributionControl: false, zoomSnap: 0.25, minZoom: 3, maxZoom: 19 });
  if (element.dataset.tileUrl) { L.tileLayer(element.dataset.tileUrl, { maxZoom: 19 }).addTo(map); }

  var territoryLayer = L.geoJSON(boundaries, {
    style: { color: "#c0392b", weight: 2, fillOpacity: 0.06 },
    onEachFeature: function (feature, layer) {
      layer.bindTooltip(feature.properties.name, { permanent: true, direction: "center", className: "territory-label" });
    }
  }).addTo(map);

  var icons = {};
  function iconFor(risk) {
    var key = risk || "none";
    if (!icons[key]) {
      icons[key] = L.divIcon({ className: "site-pin risk-" + key, iconSize: [14, 14], iconAnchor: [7, 7], popupAnchor: [0, -7] });
    }
    return icons[key];
  }

  function popupFor(point) {
    var box = document.createElement("div");
    var link = document.createElement("a");
    link.href = detailUrl.replace(/\/0\/$/, "/" + point[0] + "/");
    link.textContent = point[3];
    link.className = "fw-bold";
    box.appendChild(link);
    var line = document.createElement("div");
    line.className = "small text-secondary";
    line.textContent = (labels.status[point[5]] || point[5]) + " · " + (point[4] ? labels.risk[point[4]] : labels.unassessed);
    box.appendChild(line);
    return box;
  }

  var clusters = L.markerClusterGroup({
    chunkedLoading: true,
    showCoverageOnHover: false,
    maxClusterRadius: 60,
    // Neutral bubbles: the default green/yellow/orange would read as risk colours.
    iconCreateFunction: function (cluster) {
      var n = cluster.getChildCount();
      var size = n < 10 ? 34 : n < 100 ? 40 : 46;
      return L.divIcon({
        html: "<div><span>" + n + "</span></div>",
        className: "marker-cluster anjian-cluster",
        iconSize: L.point(size, size)
      });
    }
  });

  function fit() {
    var bounds = territoryLayer.getBounds();
    if (clusters.getLayers().length) {
      var pointBounds = clusters.getBounds();
      bounds = bounds.isValid() ? bounds.extend(pointBounds) : pointBounds;
    }
    if (bounds.isValid()) {
      map.fitBounds(bounds, { padding: [16, 16] });
    } else {
      map.setView([35, 105], 4);  // nothing to show: China
    }
  }

  fit();
  map.addLayer(clusters);  // after the first view: the cluster layer needs the map's zoom
  fetch(element.dataset.pointsUrl, { credentials: "same-origin", headers: { Accept: "application/json" } })
    .then(function (response) {
      if (!response.ok) { throw new Error("HTTP " + response.status); }
      return response.json();
    })
    .then(function (data) {
      var markers = data.points.map(function (point) {
        var marker = L.marker([point[1], point[2]], { icon: iconFor(point[4]), title: point[3] });
        marker.bindPopup(function () { return popupFor(point); });
        return marker;
      });
      clusters.addLayers(markers);
      if (countElement) { countElement.textContent = String(markers.length); }
      element.dataset.loaded = String(markers.length);
      fit();
    })
    .catch(function (error) {
      element.dataset.loaded = "error";
      if (countElement) { countElement.textContent = String(error.message || error); }
    });
})();
