/* Bars or lines over the figures of a SPARQL result: a small SVG chart, no library.
 *
 * SeiChart.draw(container, {labels, values, title, kind, unit, words}) draws one
 * series; labels and words are text in the reader's language. */
(function () {
  "use strict";
  const NS = "http://www.w3.org/2000/svg";

  function el(name, attrs, parent, text) {
    const e = document.createElementNS(NS, name);
    for (const [k, v] of Object.entries(attrs || {})) e.setAttribute(k, v);
    if (text !== undefined) e.textContent = text;
    if (parent) parent.appendChild(e);
    return e;
  }

  function niceStep(span) {
    const raw = span / 5;
    const power = Math.pow(10, Math.floor(Math.log10(raw || 1)));
    const f = raw / power;
    return (f < 1.5 ? 1 : f < 3 ? 2 : f < 7 ? 5 : 10) * power;
  }

  function format(v) {
    const a = Math.abs(v);
    if (a >= 1e9) return (v / 1e9).toPrecision(3).replace(/\.?0+$/, "") + "e9";
    if (a >= 1e6) return (v / 1e6).toPrecision(3).replace(/\.?0+$/, "") + "e6";
    return String(Math.round(v * 1000) / 1000);
  }

  function draw(container, spec) {
    container.textContent = "";
    const n = spec.values.length;
    if (!n) {
      container.textContent = spec.words.no_numbers;
      return null;
    }
    const width = Math.max(520, Math.min(1100, 90 * n + 140));
    const height = 360, left = 70, right = 20, top = 40, bottom = 90;
    const svg = el("svg", {viewBox: `0 0 ${width} ${height}`, width, height, role: "img",
                          class: "chart", "aria-label": spec.title}, container);
    el("title", {}, svg, spec.title);
    el("text", {x: left, y: 22, class: "chart-title"}, svg, spec.title + (spec.unit ? ` (${spec.unit})` : ""));
    const lo = Math.min(0, ...spec.values), hi = Math.max(0, ...spec.values);
    const step = niceStep(hi - lo || 1);
    const min = Math.floor(lo / step) * step, max = Math.ceil(hi / step) * step || step;
    const plotH = height - top - bottom, plotW = width - left - right;
    const y = v => top + plotH - (v - min) / (max - min) * plotH;
    for (let t = min; t <= max + step / 2; t += step) {
      el("line", {x1: left, x2: width - right, y1: y(t), y2: y(t), class: "grid"}, svg);
      el("text", {x: left - 6, y: y(t) + 4, class: "tick", "text-anchor": "end"}, svg, format(t));
    }
    const slot = plotW / n;
    const xs = spec.values.map((_, i) => left + slot * (i + 0.5));
    if (spec.kind === "lines") {
      const points = spec.values.map((v, i) => `${xs[i].toFixed(1)},${y(v).toFixed(1)}`).join(" ");
      el("polyline", {points, class: "series-line"}, svg);
      spec.values.forEach((v, i) => {
        el("circle", {cx: xs[i], cy: y(v), r: 4, class: "series-point"}, svg);
        el("text", {x: xs[i], y: y(v) - 8, class: "value", "text-anchor": "middle"}, svg, format(v));
      });
    } else {
      const bw = Math.min(60, slot * 0.7);
      spec.values.forEach((v, i) => {
        const top0 = Math.min(y(v), y(0)), h = Math.abs(y(v) - y(0));
        el("rect", {x: xs[i] - bw / 2, y: top0, width: bw, height: Math.max(h, 1), class: "bar"}, svg);
        el("text", {x: xs[i], y: top0 - 5, class: "value", "text-anchor": "middle"}, svg, format(v));
      });
    }
    el("line", {x1: left, x2: width - right, y1: y(0), y2: y(0), class: "axis"}, svg);
    spec.labels.forEach((text, i) => {
      const short = text.length > 22 ? text.slice(0, 21) + "…" : text;
      const t = el("text", {x: xs[i], y: height - bottom + 16, class: "label", "text-anchor": "end",
                            transform: `rotate(-30 ${xs[i]} ${height - bottom + 16})`}, svg, short);
      el("title", {}, t, text);
    });
    return svg;
  }

  window.SeiChart = {draw};
})();
