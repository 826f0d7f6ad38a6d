/* Field-work pages: the browser's position into hidden fields, the hazard block of a 不符合 answer,
   the extra hazard blocks, the grade's written reason, and the small map of an inspection (no tiles
   unless a tile server is configured, as on the registry's map). Everything works without it too:
   the server validates and keeps what was typed. */
(function () {
  "use strict";

  // --- position -------------------------------------------------------------------------------
  // Great-circle distance in metres (the server's anjian/organizations/geo.py computes the recorded one).
  function distanceMetres(lat1, lon1, lat2, lon2) {
    var rad = Math.PI / 180;
    var dPhi = (lat2 - lat1) * rad;
    var dLambda = (lon2 - lon1) * rad;
    var h = Math.pow(Math.sin(dPhi / 2), 2) +
      Math.cos(lat1 * rad) * Math.cos(lat2 * rad) * Math.pow(Math.sin(dLambda / 2), 2);
    return 2 * 6371008.8 * Math.asin(Math.min(1, Math.sqrt(h)));
  }

  function spoken(box, metres) {
    if (metres < 1000) { return box.dataset.metres.replace("{m}", String(Math.round(metres))); }
    var km = metres / 1000;
    return box.dataset.kilometres.replace("{km}", km < 100 ? km.toFixed(1) : String(Math.round(km)));
  }

  // The distance to the place as soon as the phone gives its position, and the warning above the threshold.
  function showDistance(form, latitude, longitude) {
    var box = form.querySelector("[data-distance]");
    if (!box) { return; }
    var metres = distanceMetres(latitude, longitude, Number(box.dataset.siteLat), Number(box.dataset.siteLon));
    var text = spoken(box, metres);
    box.querySelector("[data-distance-value]").textContent = text;
    box.hidden = false;
    var warning = form.querySelector("[data-distance-warning]");
    if (warning) {
      warning.querySelector("[data-distance-far]").textContent = text;
      warning.hidden = metres <= Number(box.dataset.warnMetres);
    }
  }

  function fillPosition(form, done) {
    var status = form.querySelector("[data-geo-status]");
    var finished = false;
    function finish() {
      if (!finished) { finished = true; if (done) { done(); } }
    }
    if (!("geolocation" in navigator)) { finish(); return; }
    if (status) { status.textContent = status.dataset.waiting; }
    // A phone that never answers must not block the inspector: give up after a few seconds.
    var timer = window.setTimeout(finish, 6000);
    navigator.geolocation.getCurrentPosition(function (position) {
      var c = position.coords;
      form.querySelector("input[name=latitude]").value = c.latitude.toFixed(6);
      form.querySelector("input[name=longitude]").value = c.longitude.toFixed(6);
      form.querySelector("input[name=accuracy]").value = Math.round(c.accuracy);
      showDistance(form, c.latitude, c.longitude);
      if (status) { status.textContent = status.dataset.found.replace("{m}", Math.round(c.accuracy)); }
      window.clearTimeout(timer);
      finish();
    }, function () {
      if (status) { status.textContent = status.dataset.denied; }
      window.clearTimeout(timer);
      finish();
    }, { enableHighAccuracy: true, timeout: 5000, maximumAge: 60000 });
  }

  // Checked in the browser before sending: a refusal by the server would make the user choose every photo again.
  function missingAnswers(form) {
    var box = form.querySelector("[data-client-errors]");
    if (!box) { return false; }
    var first = null;
    form.querySelectorAll("[data-item]").forEach(function (card) {
      var old = card.querySelector("[data-client-error]");
      if (old) { old.remove(); }
      card.classList.remove("border-warning");
      var chosen = card.querySelector("input[data-result]:checked");
      var photos = card.querySelector("input[type=file]");
      var problem = "";
      if (!chosen) {
        problem = box.dataset.unanswered;
      } else if (chosen.value !== "not_applicable" && (chosen.value === "noncompliant" || card.hasAttribute("data-photo-required"))
                 && photos && photos.files.length === 0 && !card.querySelector("input[data-kept]:checked")) {
        problem = box.dataset.photoMissing;
      }
      if (problem) {
        var note = document.createElement("div");
        note.className = "text-warning small mt-1";
        note.setAttribute("data-client-error", "");
        note.textContent = problem;
        card.querySelector(".card-body").appendChild(note);
        card.classList.add("border-warning");
        first = first || card;
      }
    });
    box.hidden = !first;
    if (first) { first.scrollIntoView({ behavior: "smooth", block: "center" }); }
    return !!first;
  }

  document.querySelectorAll("form[data-record]").forEach(function (form) {
    form.addEventListener("submit", function (event) {
      if (missingAnswers(form)) {
        event.preventDefault();
        event.stopImmediatePropagation();
      }
    });
  });

  document.querySelectorAll("form[data-geo]").forEach(function (form) {
    fillPosition(form);
    if (form.hasAttribute("data-geo-refresh")) {
      // Refreshed on submit: the position of the end of the visit, if the phone gives one.
      form.addEventListener("submit", function (event) {
        if (form.dataset.positioned) { return; }
        event.preventDefault();
        var button = form.querySelector("button[type=submit]");
        if (button) { button.disabled = true; }
        fillPosition(form, function () {
          form.dataset.positioned = "1";
          if (button) { button.disabled = false; }
          HTMLFormElement.prototype.submit.call(form);
        });
      });
    }
  });

  // --- the field record ---------------------------------------------------------------------------
  function syncReason(group) {
    var reason = group.querySelector("[data-major-reason]");
    if (!reason) { return; }
    var major = group.querySelector("input[data-grade][value=major]");
    reason.hidden = !(major && major.checked);
  }

  document.querySelectorAll("[data-grade-group]").forEach(function (group) {
    group.addEventListener("change", function () { syncReason(group); });
    syncReason(group);
  });

  document.querySelectorAll("[data-item]").forEach(function (card) {
    var block = card.querySelector("[data-hazard-block]");
    function sync() {
      var chosen = card.querySelector("input[data-result]:checked");
      if (block) { block.hidden = !(chosen && chosen.value === "noncompliant"); }
    }
    card.addEventListener("change", function (event) {
      if (event.target.matches("input[data-result]")) { sync(); }
    });
    sync();
  });

  // "其余项目均符合": every item not answered yet is answered 符合, each its own answer, and the hidden field lists
  // them so the record keeps which were answered together. Answering one of them by hand takes it off the list.
  document.querySelectorAll("form[data-record]").forEach(function (form) {
    var rest = form.querySelector("[data-rest-compliant]");
    var listed = form.querySelector("[data-compliant-at-once]");
    if (!rest || !listed) { return; }
    var count = rest.querySelector("[data-rest-count]");
    var status = form.querySelector("[data-rest-status]");
    var cards = Array.prototype.slice.call(form.querySelectorAll("[data-item]"));
    function ids() { return listed.value ? listed.value.split(",") : []; }
    function unanswered() {
      return cards.filter(function (card) { return !card.querySelector("input[data-result]:checked"); });
    }
    function sync() {
      var open = unanswered().length;
      rest.hidden = open === 0;
      if (count) { count.textContent = String(open); }
    }
    rest.addEventListener("click", function () {
      var marked = ids();
      var open = unanswered();
      open.forEach(function (card) {
        var compliant = card.querySelector("input[data-result][value=compliant]");
        if (compliant) {
          compliant.checked = true;
          marked.push(card.dataset.item);
        }
      });
      listed.value = marked.join(",");
      sync();
      if (status) {
        status.textContent = status.dataset.done.replace("{n}", String(open.length));
        status.hidden = false;
      }
    });
    form.addEventListener("change", function (event) {
      if (!event.target.matches("input[data-result]")) { return; }
      var card = event.target.closest("[data-item]");
      if (card) {
        listed.value = ids().filter(function (id) { return id !== card.dataset.item; }).join(",");
      }
      sync();
    });
    sync();
  });

  var addExtra = document.querySelector("[data-add-extra]");
  if (addExtra) {
    var syncAdd = function () {
      addExtra.hidden = document.querySelectorAll("[data-extra][hidden]").length === 0;
    };
    addExtra.addEventListener("click", function () {
      var next = document.querySelector("[data-extra][hidden]");
      if (next) {
        next.hidden = false;
        var title = next.querySelector("input[type=text]");
        if (title) { title.focus(); }
      }
      syncAdd();
    });
    syncAdd();
  }

  // --- the inspection's map -----------------------------------------------------------------------
  var mapElement = document.getElementById("inspection-map");
  if (mapElement && typeof L !== "undefined") {
    var data = JSON.parse(document.getElementById("inspection-map-data").textContent);
    var map = L.map(mapElement, { attributionControl: false, zoomSnap: 0.25, maxZoom: 19 });
    if (mapElement.dataset.tileUrl) { L.tileLayer(mapElement.dataset.tileUrl, { maxZoom: 19 }).addTo(map); }
    // The view is set before anything is drawn: Leaflet projects circles only on a map with a view.
    var layers = [];
    if (data.boundary) {
      // Drawn only: an interactive boundary or accuracy circle would take the hover meant for the two points.
      layers.push(L.geoJSON(data.boundary, { style: { color: "#c0392b", weight: 2, fillOpacity: 0.06, interactive: false } }));
    }
    var here = L.latLng(data.inspection[0], data.inspection[1]);
    layers.push(L.circleMarker(here, { radius: 7, color: "#206bc4", fillOpacity: 0.9 })
      .bindTooltip(AnjianDom.text(mapElement.dataset.inspectionLabel)));
    if (data.site) {
      layers.push(L.circleMarker(L.latLng(data.site[0], data.site[1]), { radius: 6, color: "#d63939", fillOpacity: 0.9 })
        .bindTooltip(AnjianDom.text(data.site_name)));  // typed by users: as text, never as HTML
    }
    var group = L.featureGroup(layers);
    var bounds = group.getBounds();
    if (bounds.isValid() && (bounds.getNorth() !== bounds.getSouth() || bounds.getEast() !== bounds.getWest())) {
      map.fitBounds(bounds, { padding: [24, 24], maxZoom: 17 });
    } else {
      map.setView(here, 16);
    }
    group.addTo(map);
    if (data.accuracy) {
      L.circle(here, { radius: data.accuracy, color: "#206bc4", weight: 1, fillOpacity: 0.1, interactive: false }).addTo(map);
    }
    mapElement.dataset.loaded = "1";
  }

  // --- a campaign's progress by street: bars, laggards in red, the expected pace as a line -----------
  var chartElement = document.getElementById("campaign-chart");
  if (chartElement && typeof echarts !== "undefined") {
    var chart = JSON.parse(document.getElementById("campaign-chart-data").textContent);
    var instance = echarts.init(chartElement, null, { renderer: "svg" });
    instance.setOption({
      grid: { left: 8, right: 44, top: 24, bottom: 8, containLabel: true },
      tooltip: { trigger: "axis", formatter: AnjianDom.chartTooltip(function (item) { return item.value + "%"; }) },
      xAxis: { type: "category", data: chart.names, axisLabel: { interval: 0, rotate: chart.names.length > 4 ? 30 : 0 } },
      yAxis: { type: "value", max: 100, axisLabel: { formatter: "{value}%" } },
      series: [{
        name: chart.label,
        type: "bar",
        data: chart.rates.map(function (rate, i) {
          return { value: rate, itemStyle: { color: chart.laggards[i] ? "#d63939" : "#2fb344" } };
        }),
        markLine: { symbol: "none", data: [{ yAxis: chart.expected }], label: { formatter: "{c}%" }, lineStyle: { color: "#f59f00", type: "dashed" } }
      }]
    });
    window.addEventListener("resize", function () { instance.resize(); });
  }
})();
