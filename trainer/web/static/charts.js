// Inline SVG charts for the practice report and the facilitator board. No library, no inline style.
"use strict";
(function () {
  const NS = "http://www.w3.org/2000/svg";
  const RUBRICS = ["reflection", "validation", "not_fixing", "open_questions", "partner_focus"];
  const LABELS = {
    reflection: "Reflection",
    validation: "Validation",
    not_fixing: "Not fixing",
    open_questions: "Open questions",
    partner_focus: "Partner focus",
  };

  function el(name, attrs, text) {
    const node = document.createElementNS(NS, name);
    for (const [key, value] of Object.entries(attrs || {})) node.setAttribute(key, String(value));
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function svgRoot(width, height, label) {
    const svg = el("svg", { viewBox: `0 0 ${width} ${height}`, role: "img", "aria-label": label, class: "svg-chart" });
    svg.appendChild(el("title", {}, label));
    return svg;
  }

  // series: {rubric: [score per turn]}; one line per rubric, y 0..3, x the turn number.
  function lineChart(series, label) {
    const width = 360, height = 240, left = 28, right = 10, top = 12, bottom = 84;
    const turns = Math.max(1, ...RUBRICS.map((r) => (series[r] || []).length));
    const plotW = width - left - right, plotH = height - top - bottom;
    const x = (i) => left + (turns === 1 ? plotW / 2 : (plotW * i) / (turns - 1));
    const y = (score) => top + plotH - (plotH * score) / 3;
    const svg = svgRoot(width, height, label);
    for (let s = 0; s <= 3; s++) {
      svg.appendChild(el("line", { x1: left, x2: width - right, y1: y(s), y2: y(s), class: "grid" }));
      svg.appendChild(el("text", { x: left - 8, y: y(s) + 4, class: "axis", "text-anchor": "end" }, String(s)));
    }
    for (let i = 0; i < turns; i++) {
      svg.appendChild(el("text", { x: x(i), y: top + plotH + 16, class: "axis", "text-anchor": "middle" }, String(i + 1)));
    }
    RUBRICS.forEach((rubric, index) => {
      const scores = series[rubric] || [];
      if (!scores.length) return;
      const points = scores.map((score, i) => `${x(i)},${y(score)}`).join(" ");
      svg.appendChild(el("polyline", { points, class: `line r${index}` }));
      scores.forEach((score, i) => svg.appendChild(el("circle", { cx: x(i), cy: y(score), r: 3.5, class: `dot r${index}` })));
      const legendX = left + (index % 2) * 160, legendY = height - 50 + Math.floor(index / 2) * 17;
      svg.appendChild(el("line", { x1: legendX, x2: legendX + 16, y1: legendY - 4, y2: legendY - 4, class: `line r${index}` }));
      svg.appendChild(el("text", { x: legendX + 20, y: legendY, class: "legend" }, LABELS[rubric]));
    });
    return svg;
  }

  // items: [{rubric, mean (0..3 or null), note}]; one horizontal bar per rubric. A wider chart keeps
  // its text the same size in the drawing, so where it is shown large the text grows less.
  function barChart(items, label, width = 360) {
    const rowH = 34, left = 118, right = 44;
    const height = rowH * items.length + 8;
    const svg = svgRoot(width, height, label);
    const plotW = width - left - right;
    items.forEach((item, index) => {
      const top = 4 + index * rowH;
      svg.appendChild(el("text", { x: left - 8, y: top + 18, class: "legend", "text-anchor": "end" }, LABELS[item.rubric]));
      svg.appendChild(el("rect", { x: left, y: top + 6, width: plotW, height: 16, class: "track" }));
      if (item.mean !== null && item.mean !== undefined) {
        svg.appendChild(el("rect", { x: left, y: top + 6, width: (plotW * item.mean) / 3, height: 16, class: `bar r${RUBRICS.indexOf(item.rubric)}` }));
      }
      const value = item.mean === null || item.mean === undefined ? "–" : item.mean.toFixed(1);
      svg.appendChild(el("text", { x: left + plotW + 6, y: top + 19, class: "value" }, value));
      if (item.note) svg.appendChild(el("text", { x: left, y: top + 33, class: "note" }, item.note));
    });
    return svg;
  }

  window.TrainerCharts = { RUBRICS, LABELS, lineChart, barChart };
})();
