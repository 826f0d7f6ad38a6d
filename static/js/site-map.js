/* The map of places: territory boundaries, clustered points coloured by risk. No tile server unless configured.
   Names and addresses are typed by users: they reach the page as text nodes (AnjianDom), never as HTML. */
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
    // Not interactive: its SVG would lie over the layers' canvas and take their hovers and clicks.
    style: { color: "#c0392b", weight: 2, fillOpacity: 0.06, interactive: false },
    onEachFeature: function (feature, layer) {
      layer.bindTooltip(AnjianDom.text(feature.properties.name), { permanent: true, direction: "center", className: "territory-label" });
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
    return AnjianDom.element("div", { children: [
      AnjianDom.element("a", { className: "fw-bold", href: detailUrl.replace(/\/0\/$/, "/" + point[0] + "/"), text: point[3] }),
      AnjianDom.element("div", {
        className: "small text-secondary",
        text: (labels.status[point[5]] || point[5]) + " · " + (point[4] ? labels.risk[point[4]] : labels.unassessed)
      })
    ] });
  }

  // The street names lie above the clusters (Leaflet's tooltip pane) on a light ground that keeps them readable
  // over a bubble, and let taps through to it (registry.css).
  var clusters = L.markerClusterGroup({
    chunkedLoading: true,
    showCoverageOnHover: false,
    maxClusterRadius: 60,
    // Neutral bubbles: the default green/yellow/orange would read as risk colours.
    iconCreateFunction: function (cluster) {
      var n = cluster.getChildCount();
      var size = n < 10 ? 34 : n < 100 ? 40 : 46;
      return L.divIcon({
        html: AnjianDom.element("div", { children: [AnjianDom.text(n)] }),
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
      AnjianMapView.fitHeight(map, bounds);
      map.fitBounds(bounds, { padding: [16, 16] });
    } else {
      map.setView([35, 105], 4);  // nothing to show: China
    }
  }

  fit();
  AnjianMapView.declutter(map, territoryLayer);
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

  // Extra layers registered by other modules (anjian/registry/map_layers.py): circle markers coloured by
  // colour_key, fetched the first time a layer is switched on.
  var layersElement = document.getElementById("site-map-layers");
  var layerDefs = layersElement ? JSON.parse(layersElement.textContent) : [];
  var legendElement = document.getElementById("site-map-layer-legend");
  var fallbackColours = ["#6f42c1", "#0ca678", "#d6336c", "#17a2b8", "#ae3ec9", "#495057"];
  var canvas = L.canvas({ padding: 0.5 });
  var overlays = {};

  function colourFor(def, key) {
    for (var i = 0; i < def.legend.length; i++) {
      if (def.legend[i][0] === key) { return def.legend[i][2]; }
    }
    if (/^(#[0-9a-f]{3,8}|red|orange|yellow|blue|green|grey|gray|purple|black)$/i.test(key || "")) { return key; }
    var sum = 0;
    for (var j = 0; j < String(key).length; j++) { sum = (sum + String(key).charCodeAt(j)) % 997; }
    return fallbackColours[sum % fallbackColours.length];
  }

  function layerPopup(point) {
    // The detail URL comes from the server's own reverse(); only a same-site path becomes a link.
    var local = typeof point[3] === "string" && /^\/(?!\/)/.test(point[3]);
    return AnjianDom.element("div", { children: [
      AnjianDom.element(local ? "a" : "span", { className: "fw-bold", href: local ? point[3] : null, text: point[2] })
    ] });
  }

  function renderLegend() {
    if (!legendElement) { return; }
    legendElement.textContent = "";
    layerDefs.forEach(function (def) {
      var overlay = overlays[def.key];
      if (!overlay || !map.hasLayer(overlay.group)) { return; }
      var rows = def.legend.length ? def.legend.filter(function (row) { return overlay.keys[row[0]]; }) : [];
      Object.keys(overlay.keys).forEach(function (key) {
        if (!def.legend.some(function (row) { return row[0] === key; })) { rows.push([key, key, colourFor(def, key)]); }
      });
      var title = document.createElement("span");
      title.className = "fw-bold";
      title.textContent = def.label;
      legendElement.appendChild(title);
      rows.forEach(function (row) {
        var item = document.createElement("span");
        var dot = document.createElement("span");
        dot.className = "legend-dot";
        dot.style.background = row[2];
        item.appendChild(dot);
        item.appendChild(document.createTextNode(row[1]));
        legendElement.appendChild(item);
      });
    });
  }

  function setCount(key, text) {
    var counter = document.querySelector('[data-layer-count="' + key + '"]');
    if (counter) { counter.textContent = text; }
  }

  function loadLayer(def) {
    var overlay = { group: L.layerGroup(), keys: {}, loaded: false };
    overlays[def.key] = overlay;
    setCount(def.key, "…");
    fetch(def.url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) {
        if (!response.ok) { throw new Error("HTTP " + response.status); }
        return response.json();
      })
      .then(function (data) {
        data.points.forEach(function (point) {
          var colour = colourFor(def, point[4]);
          overlay.keys[point[4]] = true;
          var marker = L.circleMarker([point[0], point[1]], {
            renderer: canvas, radius: 6, color: "#ffffff", weight: 1, fillColor: colour, fillOpacity: 0.9
          });
          marker.bindPopup(function () { return layerPopup(point); });
          marker.bindTooltip(AnjianDom.text(point[2]));
          overlay.group.addLayer(marker);
        });
        overlay.loaded = true;
        setCount(def.key, "(" + data.points.length + ")");
        element.setAttribute("data-layer-" + def.key, String(data.points.length));
        renderLegend();
      })
      .catch(function (error) {
        delete overlays[def.key];
        setCount(def.key, String(error.message || error));
        element.setAttribute("data-layer-" + def.key, "error");
      });
    return overlay;
  }

  function toggle(def, on) {
    var overlay = overlays[def.key];
    if (on) {
      if (!overlay) { overlay = loadLayer(def); }
      overlay.group.addTo(map);
    } else if (overlay) {
      map.removeLayer(overlay.group);
    }
    renderLegend();
  }

  layerDefs.forEach(function (def) {
    var input = document.querySelector('.map-layer-toggle[data-layer="' + def.key + '"]');
    if (!input) { return; }
    input.addEventListener("change", function () { toggle(def, input.checked); });
    if (input.checked) { toggle(def, true); }
  });
})();
