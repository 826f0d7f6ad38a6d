/* The accident statistics page: show only the fields the chosen period needs, and draw the two charts
   (monthly trend against last year; bars per category, street or sector) from the json_script data. */
(function () {
  "use strict";

  var form = document.getElementById("statistics-form");
  if (form) {
    var kind = form.querySelector("[name=period]");
    var toggle = function () {
      form.querySelectorAll("[data-for]").forEach(function (box) {
        var wanted = box.getAttribute("data-for").split(" ").indexOf(kind.value) !== -1;
        box.classList.toggle("d-none", !wanted);
      });
    };
    if (kind) {
      kind.addEventListener("change", toggle);
      toggle();
    }
  }

  var dataElement = document.getElementById("statistics-chart-data");
  if (!dataElement || typeof echarts === "undefined") {
    return;
  }
  var data = JSON.parse(dataElement.textContent);
  var charts = [];
  var palette = ["#206bc4", "#a6c8ee", "#d63939", "#f3a5a5"];

  var trendElement = document.getElementById("statistics-trend");
  if (trendElement) {
    var trend = echarts.init(trendElement, null, { renderer: "svg" });
    trend.setOption({
      color: palette,
      grid: { left: 8, right: 8, top: 48, bottom: 8, containLabel: true },
      tooltip: { trigger: "axis", formatter: AnjianDom.chartTooltip() },  // as nodes: names are users' text
      legend: { top: 0, type: "scroll" },
      xAxis: { type: "category", data: data.trend.months, axisLabel: { rotate: data.trend.months.length > 6 ? 45 : 0 } },
      yAxis: { type: "value", minInterval: 1 },
      series: data.trend.series.map(function (series) {
        return { name: series.name, type: series.type, data: series.data, smooth: series.type === "line" };
      })
    });
    charts.push(trend);
  }

  var barsElement = document.getElementById("statistics-bars");
  if (barsElement) {
    var bars = echarts.init(barsElement, null, { renderer: "svg" });
    bars.setOption({
      color: [palette[0], palette[2]],
      grid: { left: 8, right: 16, top: 32, bottom: 8, containLabel: true },
      tooltip: { trigger: "axis", axisPointer: { type: "shadow" }, formatter: AnjianDom.chartTooltip() },
      legend: { top: 0 },
      // Horizontal bars: long street or sector names stay readable on a phone.
      yAxis: { type: "category", data: data.bars.names, inverse: true, axisLabel: { width: 110, overflow: "truncate" } },
      xAxis: { type: "value", minInterval: 1 },
      series: data.bars.series.map(function (series) {
        return { name: series.name, type: "bar", data: series.data };
      })
    });
    charts.push(bars);
  }

  window.addEventListener("resize", function () {
    charts.forEach(function (chart) { chart.resize(); });
  });
})();
