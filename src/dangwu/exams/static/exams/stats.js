// Draw the statistics charts (ECharts, served by the platform). The numbers are also in the
// tables beside each chart, so nothing depends on this script.
(function () {
  "use strict";
  var source = document.getElementById("chart-data");
  if (!source || !window.echarts) return;
  var data = JSON.parse(source.textContent);
  var care = document.documentElement.classList.contains("care");
  var size = care ? 20 : 16;

  function bar(id, labels, values, name, color) {
    var node = document.getElementById(id);
    if (!node || labels.length === 0) return;
    var chart = window.echarts.init(node);
    chart.setOption({
      animation: false,
      grid: { left: 60, right: 20, top: 30, bottom: 90 },
      xAxis: { type: "category", data: labels, axisLabel: { fontSize: size, interval: 0, rotate: labels.length > 6 ? 40 : 0 } },
      yAxis: { type: "value", name: name, nameTextStyle: { fontSize: size }, axisLabel: { fontSize: size } },
      series: [{ type: "bar", data: values, itemStyle: { color: color }, label: { show: true, position: "top", fontSize: size } }]
    });
    window.addEventListener("resize", function () { chart.resize(); });
  }

  bar("bands-chart", data.bands.labels, data.bands.values, data.names.people, "#a61b1b");
  bar("orgs-chart", data.organizations.labels, data.organizations.values, data.names.pass_rate, "#1d4e89");
})();
