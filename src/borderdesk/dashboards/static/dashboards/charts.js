// Dashboard charts: chart.js draws each <figure data-chart> from the JSON next to its table. Without chart.js
// (npm not installed) nothing happens and the tables stay open: the figures are all there.
(function () {
  "use strict";
  var PALETTE = ["#1f5f8b", "#c0392b", "#2e7d32", "#ef6c00", "#6a1b9a", "#00838f"];
  var lang = (document.documentElement.lang || "vi").indexOf("en") === 0 ? "en" : "vi-VN";
  var fmt = new Intl.NumberFormat(lang, { maximumFractionDigits: 1 });

  document.querySelectorAll("[data-print]").forEach(function (b) {
    b.addEventListener("click", function () { window.print(); });
  });
  var tables = document.querySelectorAll("details.chart-table");
  window.addEventListener("beforeprint", function () { tables.forEach(function (d) { d.dataset.wasOpen = d.open; d.open = true; }); });
  window.addEventListener("afterprint", function () { tables.forEach(function (d) { d.open = d.dataset.wasOpen === "true"; }); });

  if (typeof window.Chart === "undefined") { return; }
  window.Chart.defaults.font.family = '"Liberation Sans","DejaVu Sans",Arial,sans-serif';
  window.Chart.defaults.animation = false;

  document.querySelectorAll("figure[data-chart]").forEach(function (fig) {
    var source = document.getElementById(fig.getAttribute("data-source"));
    if (!source) { return; }
    var data = JSON.parse(source.textContent);
    if (!data.labels || !data.labels.length) { return; }
    var kind = fig.getAttribute("data-chart");
    var unit = fig.getAttribute("data-unit") || "";
    var max = fig.getAttribute("data-max");
    var box = fig.querySelector(".chart-canvas");
    var caption = fig.querySelector("figcaption");
    var canvas = document.createElement("canvas");
    canvas.setAttribute("role", "img");
    canvas.setAttribute("aria-label", (caption ? caption.textContent : "") + " — " +
      (fig.querySelector("summary") ? fig.querySelector("summary").textContent : ""));
    box.appendChild(canvas);
    box.hidden = false;
    if (kind === "hbar") { box.style.height = Math.max(140, 34 * data.labels.length + 70) + "px"; }
    var line = kind === "line";
    var datasets = data.series.map(function (s, i) {
      var c = PALETTE[i % PALETTE.length];
      return { label: s.label, data: s.values, borderColor: c, backgroundColor: line ? c : c + "cc",
               spanGaps: false, pointRadius: line ? 2 : 0, borderWidth: line ? 2 : 0, tension: 0,
               yAxisID: line && i === 1 && data.series.length === 2 ? "y2" : "y" };
    });
    var scales = {};
    var tick = { precision: unit ? undefined : 0, callback: function (v) { return fmt.format(v) + unit; } };
    if (kind === "hbar") {
      var narrow = window.innerWidth < 600;
      scales.y = { ticks: { autoSkip: false, callback: function (v) {
        var t = String(this.getLabelForValue(v));
        var max = narrow ? 24 : 44;
        return t.length > max ? t.slice(0, max - 1) + "…" : t;
      } } };
      scales.x = { beginAtZero: true, ticks: tick };
      if (max) { scales.x.max = Number(max); }
    } else {
      scales.y = { beginAtZero: true, ticks: tick, stacked: kind === "stacked" };
      scales.x = { stacked: kind === "stacked", ticks: { maxRotation: 0, autoSkip: true, autoSkipPadding: 12 } };
      if (line && data.series.length === 2) {
        scales.y.title = { display: true, text: data.series[0].label };
        scales.y2 = { beginAtZero: true, position: "right", ticks: tick, grid: { drawOnChartArea: false },
                      title: { display: true, text: data.series[1].label } };
      }
    }
    new window.Chart(canvas, {
      type: line ? "line" : "bar",
      data: { labels: data.labels, datasets: datasets },
      options: {
        indexAxis: kind === "hbar" ? "y" : "x", responsive: true, maintainAspectRatio: false,
        interaction: { mode: "index", intersect: false }, scales: scales,
        plugins: { legend: { position: "bottom", labels: { boxWidth: 14 } },
                   tooltip: { callbacks: { label: function (ctx) {
                     var v = ctx.parsed[kind === "hbar" ? "x" : "y"];
                     return ctx.dataset.label + ": " + (v === null || v === undefined ? "—" : fmt.format(v) + unit);
                   } } } }
      }
    });
    var details = fig.querySelector("details.chart-table");
    if (details) { details.open = false; }
  });
})();
