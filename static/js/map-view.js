/* What the maps of places share (site-map.js, risk-map.js); loaded before them.
   - AnjianMapView.fitHeight(map, bounds): the map as tall as its area needs at the map's width, so that a wide
     district leaves no empty band above and below it, between a usable minimum and most of the screen (the print
     stylesheet sets its own height);
   - AnjianMapView.declutter(map, geoJsonLayer): the street and park names (permanent tooltips of the layer) stay
     readable: after every zoom a name is shown only where it fits inside its area and does not run into a name
     already shown; the others wait for the map to zoom in. The names stay text-only nodes (AnjianDom). */
(function () {
  "use strict";

  var MIN_HEIGHT = 320;

  function fitHeight(map, bounds) {
    if (!bounds || !bounds.isValid() || (window.matchMedia && window.matchMedia("print").matches)) { return; }
    var element = map.getContainer();
    var south = map.options.crs.project(bounds.getSouthWest());
    var north = map.options.crs.project(bounds.getNorthEast());
    var aspect = Math.abs(north.y - south.y) / Math.max(Math.abs(north.x - south.x), 1e-9);
    var wanted = Math.round(element.clientWidth * aspect) + 32;
    var limit = Math.round(window.innerHeight * (window.innerWidth < 576 ? 0.6 : 0.7));
    element.style.height = Math.max(MIN_HEIGHT, Math.min(wanted, limit)) + "px";  // CSSOM, not a style attribute
    map.invalidateSize({ animate: false });
  }

  function crosses(a, b) {
    return a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;
  }

  function declutter(map, layer) {
    function run() {
      var shown = [];
      layer.eachLayer(function (area) {
        var tooltip = area.getTooltip && area.getTooltip();
        var label = tooltip && tooltip.getElement();
        if (!label) { return; }
        label.classList.remove("map-label-hidden");
        var box = label.getBoundingClientRect();
        var bounds = area.getBounds();
        var a = map.latLngToContainerPoint(bounds.getSouthWest());
        var b = map.latLngToContainerPoint(bounds.getNorthEast());
        var fits = Math.abs(b.x - a.x) >= box.width * 0.8;
        if (!fits || shown.some(function (other) { return crosses(other, box); })) {
          label.classList.add("map-label-hidden");
        } else {
          shown.push(box);
        }
      });
    }
    // After Leaflet has placed the labels for the new zoom or size.
    map.on("zoomend resize", function () { window.requestAnimationFrame(run); });
    run();
  }

  window.AnjianMapView = { fitHeight: fitHeight, declutter: declutter };
})();
