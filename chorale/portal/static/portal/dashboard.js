// Charts of the « Tableau de bord » (Chart.js); the same figures are in the tables below them.
(function () {
  if (!window.Chart) return;
  var blue = "#000091";
  document.querySelectorAll("canvas[data-chart]").forEach(function (canvas) {
    var data = JSON.parse(document.getElementById(canvas.dataset.source).textContent);
    var byStatus = canvas.dataset.chart === "status";
    new window.Chart(canvas, {
      type: "bar",
      data: {
        labels: byStatus ? data.statuses : data.months,
        datasets: [{
          label: "Factures",
          data: byStatus ? data.statusCounts : data.monthCounts,
          backgroundColor: blue,
          borderColor: blue,
        }],
      },
      options: {
        indexAxis: byStatus ? "y" : "x",
        plugins: { legend: { display: false } },
        scales: {
          x: { beginAtZero: true, ticks: { precision: 0 } },
          y: { beginAtZero: true, ticks: { precision: 0 } },
        },
        maintainAspectRatio: false,
      },
    });
  });
})();
