/* The typing progress chart: speed and accuracy of the last exercises (numbers in the table). */
(function () {
  "use strict";
  var box = document.getElementById("typing-chart");
  var source = document.getElementById("typing-chart-data");
  if (!box || !source || !window.echarts) return;
  var data = JSON.parse(source.textContent);
  var care = document.documentElement.classList.contains("care");
  var size = care ? 18 : 14;
  var chart = window.echarts.init(box, null, { renderer: "svg" });
  chart.setOption({
    animation: false,
    textStyle: { fontSize: size },
    legend: { data: [data.speed_label, data.accuracy_label], textStyle: { fontSize: size } },
    grid: { left: 56, right: 56, top: 48, bottom: 48 },
    xAxis: { type: "category", data: data.dates, axisLabel: { fontSize: size - 2 } },
    yAxis: [
      { type: "value", name: data.speed_label, min: 0, nameTextStyle: { fontSize: size - 2 } },
      { type: "value", name: data.accuracy_label, min: 0, max: 100, nameTextStyle: { fontSize: size - 2 } }
    ],
    series: [
      { name: data.speed_label, type: "line", data: data.speed, symbolSize: 8, lineStyle: { width: 3 } },
      { name: data.accuracy_label, type: "line", yAxisIndex: 1, data: data.accuracy, symbolSize: 8, lineStyle: { width: 3, type: "dashed" } }
    ]
  });
  window.addEventListener("resize", function () { chart.resize(); });
})();
