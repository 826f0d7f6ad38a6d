// The trend of risk scores over the recorded years (ECharts, vendored): one line per area, the rank in the tooltip.
(function () {
  "use strict";
  var holder = document.getElementById("ranking-trend");
  var source = document.getElementById("ranking-trend-data");
  if (!holder || !source || typeof echarts === "undefined") return;
  var data = JSON.parse(source.textContent);
  var chart = echarts.init(holder);
  chart.setOption({
    tooltip: {
      trigger: "axis",
      formatter: function (items) {
        return items.map(function (item) {
          var rank = data.series[item.seriesIndex].ranks[item.dataIndex];
          return item.marker + item.seriesName + " " + data.score_label + " " + (item.value === null ? "—" : item.value) + (rank ? " · " + data.rank_label + " " + rank : "");
        }).join("<br>");
      }
    },
    legend: { type: "scroll", top: 0 },
    grid: { left: 40, right: 16, top: 40, bottom: 30 },
    xAxis: { type: "category", data: data.years.map(String) },
    yAxis: { type: "value", min: 0, max: 100, name: data.score_label },
    series: data.series.map(function (s) {
      return { name: s.name, type: "line", connectNulls: true, data: s.scores.map(function (v) { return v === null ? null : Number(v); }) };
    })
  });
  window.addEventListener("resize", function () { chart.resize(); });
})();
