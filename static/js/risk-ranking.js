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
      // Area names are typed by users: the tooltip is built as nodes, never as an HTML string.
      formatter: AnjianDom.chartTooltip(function (item) {
        var rank = data.series[item.seriesIndex].ranks[item.dataIndex];
        var snapshot = data.snapshots && data.snapshots[item.dataIndex];
        return (snapshot ? snapshot.label + " · " : "") + data.score_label + " " +
          (item.value === null || item.value === undefined ? "—" : item.value) +
          (rank ? " · " + data.rank_label + " " + rank : "");
      })
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
