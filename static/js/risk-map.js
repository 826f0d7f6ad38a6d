/* The four-colour risk map: streets shaded by their risk index, places drawn as circles on one canvas (no DOM
   element per place, so 10,000 stay fluid), major hazard installations as a few distinct symbols on top.
   The points come in one request as compact arrays: [id, lat, lon, colour, name]. No tile server unless set.
   Names are typed by users: they reach the page as text nodes (AnjianDom), never as HTML. */
(function () {
  "use strict";
  var element = document.getElementById("risk-map");
  if (!element || typeof L === "undefined") { return; }
  var labels = JSON.parse(document.getElementById("risk-map-labels").textContent);
  var areas = JSON.parse(document.getElementById("risk-map-areas").textContent);
  var drawnElement = document.getElementById("risk-map-drawn");
  var installationCount = document.getElementById("risk-map-installations");
  // red, orange, yellow, blue, unassessed (the same order as the colour index of a point)
  var COLOURS = ["#e03131", "#f76707", "#fcc419", "#1c7ed6", "#9aa0ac"];
  var SHADES = ["#f2f0f7", "#dadaeb", "#bcbddc", "#9e9ac8", "#756bb1"];
  // A finger is wider than a mouse pointer: on a touch screen a tap finds a place this many pixels away.
  var touch = window.matchMedia && window.matchMedia("(pointer: coarse)").matches;

  var map = L.map(element, {
    preferCanvas: true, attributionControl: false, zoomSnap: 0.25, minZoom: 3, maxZoom: 19
  });
  if (element.dataset.tileUrl) { L.tileLayer(element.dataset.tileUrl, { maxZoom: 19 }).addTo(map); }
  var renderer = L.canvas({ padding: 0.3, tolerance: touch ? 10 : 3 });

  var areaLayer = L.geoJSON(areas, {
    renderer: renderer,
    style: function (feature) {
      var shade = feature.properties.shade;
      return {
        color: "#5b5f97", weight: 1.5,
        fillColor: shade === null || shade === undefined ? "#ffffff" : SHADES[shade],
        fillOpacity: shade === null || shade === undefined ? 0.05 : 0.55,
        interactive: false
      };
    },
    onEachFeature: function (feature, layer) {
      // The name only: the index and rank are in the counts table, where they do not cover the places.
      layer.bindTooltip(AnjianDom.text(feature.properties.name), { permanent: true, direction: "center", className: "risk-area-label" });
    }
  }).addTo(map);

  // One feature group per colour, so the legend's checkboxes show or hide a colour without rebuilding anything.
  var groups = COLOURS.map(function () { return L.featureGroup(); });
  var installations = L.featureGroup();
  var shown = COLOURS.map(function () { return true; });
  var counts = COLOURS.map(function () { return 0; });

  function detailUrl(id) { return labels.detail_url.replace(/\/0\/$/, "/" + id + "/"); }

  function popupFor(name, id, line) {
    return AnjianDom.element("div", { children: [
      AnjianDom.element("a", { className: "fw-bold", href: detailUrl(id), text: name }),
      AnjianDom.element("div", { className: "small text-secondary", text: line })
    ] });
  }

  // One click handler per group instead of a popup bound to each of 10,000 markers.
  groups.forEach(function (group, colour) {
    group.on("click", function (event) {
      var p = event.layer.options.point;
      L.popup().setLatLng(event.latlng).setContent(popupFor(p[4], p[0], labels.levels[colour])).openOn(map);
    });
  });
  installations.on("click", function (event) {
    var p = event.layer.options.point;
    var line = labels.installation + " · " + (labels.installation_levels[p[3]] || p[3]) + " · " +
      labels.installations.replace("%(n)s", p[5]);
    L.popup().setLatLng(event.latlng).setContent(popupFor(p[4], p[0], line)).openOn(map);
  });

  function drawnCount() {
    var n = 0;
    for (var i = 0; i < groups.length; i++) { if (shown[i]) { n += counts[i]; } }
    return n;
  }

  function report() {
    var n = drawnCount();
    element.dataset.drawn = String(n);
    // What the canvas really holds: the renderer's layers less the street areas drawn on it.
    element.dataset.canvasLayers = String(Object.keys(renderer._layers || {}).length - areaLayer.getLayers().length);
    if (drawnElement) { drawnElement.textContent = String(n); }
  }

  // The user's area: the streets drawn and every place of the scope.
  function fit() {
    var bounds = areaLayer.getBounds();
    groups.forEach(function (group) {
      if (group.getLayers().length) {
        var b = group.getBounds();
        bounds = bounds.isValid() ? bounds.extend(b) : b;
      }
    });
    if (bounds.isValid()) {
      AnjianMapView.fitHeight(map, bounds);
      map.fitBounds(bounds, { padding: [12, 12] });
    } else {
      map.setView([35, 105], 4);  // nothing to show: China
    }
  }

  // Circles sized by how many places share the screen: small where a district's thousands crowd a phone (the
  // colours read as a mosaic, not a blot), larger as the map zooms in, until one place is one tap.
  var placeBounds = null;
  var placeCount = 0;
  function radius() {
    if (!placeBounds || !placeCount) { return 5; }
    var a = map.latLngToContainerPoint(placeBounds.getSouthWest());
    var b = map.latLngToContainerPoint(placeBounds.getNorthEast());
    var pixels = Math.max(Math.abs(b.x - a.x), 24) * Math.max(Math.abs(b.y - a.y), 24);
    return Math.max(1.75, Math.min(6, 0.45 * Math.sqrt(pixels / placeCount)));
  }
  function resize() {
    var r = radius();
    var weight = r < 2.5 ? 0 : 0.8;  // a rim on a tiny circle only greys it
    groups.forEach(function (group) {
      group.eachLayer(function (circle) {
        circle.options.weight = weight;
        circle.setRadius(r);
      });
    });
  }

  // One icon per installation (there are few): an icon holding a DOM node cannot be shared, the node would move.
  function installationIcon(level) {
    level = String(level).replace(/[^0-9a-z_-]/gi, "");  // it names a CSS class too
    // On a touch screen the symbol is the same, its box (what a tap hits) larger.
    return L.divIcon({
      className: "risk-installation level-" + level,
      html: AnjianDom.text(level),
      iconSize: touch ? [40, 36] : [24, 21], iconAnchor: touch ? [20, 22] : [12, 14], popupAnchor: [0, -12]
    });
  }

  fit();
  AnjianMapView.declutter(map, areaLayer);
  var started = performance.now();
  fetch(element.dataset.pointsUrl, { credentials: "same-origin", headers: { Accept: "application/json" } })
    .then(function (response) {
      if (!response.ok) { throw new Error("HTTP " + response.status); }
      return response.json();
    })
    .then(function (data) {
      var received = performance.now();
      var points = data.points;
      var south = 90, north = -90, west = 180, east = -180;
      for (var j = 0; j < points.length; j++) {
        if (points[j][1] < south) { south = points[j][1]; }
        if (points[j][1] > north) { north = points[j][1]; }
        if (points[j][2] < west) { west = points[j][2]; }
        if (points[j][2] > east) { east = points[j][2]; }
      }
      // The view is set before the circles are added, so the canvas projects each of them once.
      if (points.length) {
        placeBounds = L.latLngBounds([south, west], [north, east]);
        placeCount = points.length;
        var areaBounds = areaLayer.getBounds();
        var bounds = areaBounds.isValid() ? areaBounds.extend(placeBounds) : placeBounds;
        AnjianMapView.fitHeight(map, bounds);
        map.fitBounds(bounds, { padding: [12, 12] });
      }
      var r = radius();
      for (var i = 0; i < points.length; i++) {
        var p = points[i];
        var colour = p[3];
        groups[colour].addLayer(L.circleMarker([p[1], p[2]], {
          renderer: renderer, radius: r, weight: r < 2.5 ? 0 : 0.8, color: "rgba(33, 37, 41, 0.55)",
          fillColor: COLOURS[colour], fillOpacity: 0.95, point: p
        }));
        counts[colour] += 1;
      }
      map.on("zoomend", resize);
      // Worst colour last, so red is drawn on top where places overlap.
      for (var c = groups.length - 1; c >= 0; c--) { groups[c].addTo(map); }
      data.installations.forEach(function (row) {
        installations.addLayer(L.marker([row[1], row[2]], {
          icon: installationIcon(row[3]), title: row[4], point: row, zIndexOffset: 1000, keyboard: true
        }));
      });
      installations.addTo(map);
      if (installationCount) { installationCount.textContent = String(data.installations.length); }
      report();
      element.dataset.loaded = String(points.length);
      // The canvas paints on the next animation frame; the time is taken after it.
      requestAnimationFrame(function () {
        requestAnimationFrame(function () {
          element.dataset.fetchMs = String(Math.round(received - started));
          element.dataset.renderMs = String(Math.round(performance.now() - received));
          element.dataset.ready = "true";
        });
      });
    })
    .catch(function (error) {
      element.dataset.loaded = "error";
      if (drawnElement) { drawnElement.textContent = String(error.message || error); }
    });

  document.querySelectorAll("[data-testid=risk-map-legend] input[data-level]").forEach(function (box) {
    box.addEventListener("change", function () {
      var colour = Number(box.dataset.level);
      shown[colour] = box.checked;
      if (box.checked) { groups[colour].addTo(map); } else { map.removeLayer(groups[colour]); }
      report();
    });
  });

  // Printing: the map box changes size for the page, so Leaflet measures it again and refits.
  function relayout() { map.invalidateSize({ animate: false }); fit(); }
  window.addEventListener("beforeprint", relayout);
  window.addEventListener("afterprint", relayout);
  if (window.matchMedia) {
    var printQuery = window.matchMedia("print");
    if (printQuery.addEventListener) { printQuery.addEventListener("change", relayout); }
  }
  var printButton = document.getElementById("risk-map-print");
  if (printButton) { printButton.addEventListener("click", function () { window.print(); }); }
})();
