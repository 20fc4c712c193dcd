(function () {
  "use strict";
  const data = JSON.parse(document.getElementById("data").textContent);
  const NS = "http://www.w3.org/2000/svg";
  const svg = document.getElementById("view");
  const scene = document.getElementById("scene");
  const tip = document.getElementById("tip");
  const byId = new Map(data.nodes.map(n => [n.id, n]));
  const hidden = new Set();

  function el(name, attrs, parent) {
    const e = document.createElementNS(NS, name);
    for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
    if (parent) parent.appendChild(e);
    return e;
  }
  function shape(kind, x, y, r) {
    const s = data.style[kind] || data.style.resource;
    const pts = (n, rot) => Array.from({length: n}, (_, i) => {
      const a = rot + i * 2 * Math.PI / n;
      return (x + r * Math.cos(a)).toFixed(1) + "," + (y + r * Math.sin(a)).toFixed(1);
    }).join(" ");
    switch (s.shape) {
      case "square": return ["rect", {x: x - r * 0.85, y: y - r * 0.85, width: r * 1.7, height: r * 1.7}];
      case "diamond": return ["polygon", {points: pts(4, 0)}];
      case "up": return ["polygon", {points: pts(3, -Math.PI / 2)}];
      case "down": return ["polygon", {points: pts(3, Math.PI / 2)}];
      case "hexagon": return ["polygon", {points: pts(6, 0)}];
      case "pentagon": return ["polygon", {points: pts(5, -Math.PI / 2)}];
      case "octagon": return ["polygon", {points: pts(8, Math.PI / 8)}];
      case "star": return ["polygon", {points: Array.from({length: 10}, (_, i) => {
        const a = -Math.PI / 2 + i * Math.PI / 5, rr = i % 2 ? r * 0.45 : r * 1.1;
        return (x + rr * Math.cos(a)).toFixed(1) + "," + (y + rr * Math.sin(a)).toFixed(1);
      }).join(" ")}];
      default: return ["circle", {cx: x, cy: y, r: r}];
    }
  }

  const defs = el("defs", {}, scene);
  const colours = [...new Set(data.edges.map(e => e.colour))];
  colours.forEach((c, i) => {
    const m = el("marker", {id: "arrow" + i, viewBox: "0 0 10 10", refX: 16, refY: 5,
                           markerWidth: 6, markerHeight: 6, orient: "auto-start-reverse"}, defs);
    el("path", {d: "M 0 0 L 10 5 L 0 10 z", fill: c}, m);
  });
  const edgeLayer = el("g", {}, scene), nodeLayer = el("g", {}, scene);
  // a node's class: its kind, or a finer key (the type of a division) where the view has one
  const keyOf = n => n.key || n.kind;
  const edgeEls = data.edges.map(e => {
    const a = byId.get(e.source), b = byId.get(e.target);
    const look = {stroke: e.colour, "stroke-width": 1.2, "stroke-opacity": 0.55, fill: "none",
                  "marker-end": "url(#arrow" + colours.indexOf(e.colour) + ")"};
    if (e.belief) look["stroke-dasharray"] = "5 3";
    if (e.arrow === false) delete look["marker-end"];  // a tree's lines need no arrowheads
    const line = e.points
      ? el("polyline", Object.assign(look, {points: e.points.map(p => p.join(",")).join(" ")}), edgeLayer)
      : el("line", Object.assign(look, {x1: a.x, y1: a.y, x2: b.x, y2: b.y}), edgeLayer);
    el("title", {}, line).textContent = e.relation;
    return {e, line};
  });
  const nodeEls = data.nodes.map(n => {
    const g = el("g", {"data-id": n.id}, nodeLayer);
    const [name, attrs] = shape(keyOf(n), n.x, n.y, 7);
    const colour = (data.style[keyOf(n)] || data.style.resource).colour;
    el(name, Object.assign(attrs, {fill: n.hollow ? "#fff" : colour, stroke: colour, "stroke-width": 2}), g);
    const t = el("text", {x: n.x + 11, y: n.y + 4, class: "label"}, g);
    if (n.lines) {  // cut into lines as the picture cuts it, centred on the node
      n.lines.forEach((line, i) => {
        el("tspan", {x: n.x + 11, dy: i ? "1.15em" : (-(n.lines.length - 1) * 0.575) + "em"}, t).textContent = line;
      });
    } else {
      t.textContent = n.label;
    }
    g.addEventListener("mouseenter", ev => focus(n, ev));
    g.addEventListener("mousemove", ev => place(ev));
    g.addEventListener("mouseleave", () => unfocus());
    return {n, g};
  });

  function esc(s) { return String(s).replace(/[&<>"]/g, c => ({"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;"}[c])); }
  function focus(n, ev) {
    const near = new Set([n.id]);
    data.edges.forEach(e => { if (e.source === n.id) near.add(e.target); if (e.target === n.id) near.add(e.source); });
    nodeEls.forEach(({n: m, g}) => g.classList.toggle("faded", !near.has(m.id)));
    edgeEls.forEach(({e, line}) => line.classList.toggle("faded", !(e.source === n.id || e.target === n.id)));
    const rows = Object.entries(n.attributes).map(([k, v]) => "<tr><td>" + esc(k) + "</td><td>" + esc(v) + "</td></tr>").join("");
    tip.innerHTML = "<b>" + esc(n.name) + "</b><table>" + rows + "</table>";
    tip.style.display = "block";
    place(ev);
  }
  function place(ev) {
    const w = tip.offsetWidth, h = tip.offsetHeight;
    tip.style.left = Math.min(ev.clientX + 14, window.innerWidth - w - 8) + "px";
    tip.style.top = Math.min(ev.clientY + 14, window.innerHeight - h - 8) + "px";
  }
  function unfocus() {
    nodeEls.forEach(({g}) => g.classList.remove("faded"));
    edgeEls.forEach(({line}) => line.classList.remove("faded"));
    tip.style.display = "none";
  }
  function applyHidden() {
    nodeEls.forEach(({n, g}) => g.style.display = hidden.has(keyOf(n)) ? "none" : "");
    edgeEls.forEach(({e, line}) => {
      const off = hidden.has(keyOf(byId.get(e.source))) || hidden.has(keyOf(byId.get(e.target))) || hidden.has("rel:" + e.relation);
      line.style.display = off ? "none" : "";
    });
  }

  // legend: kinds and relations, each a toggle
  const legend = document.getElementById("legend");
  const h1 = document.createElement("h2"); h1.textContent = data.words.kinds; legend.appendChild(h1);
  [...new Set(data.nodes.map(keyOf))].forEach(kind => {
    const s = data.style[kind] || data.style.resource;
    const lab = document.createElement("label");
    lab.innerHTML = '<input type="checkbox" checked> <span class="swatch" style="background:' + s.colour +
      ';border-color:' + s.colour + '"></span> ' + esc(data.kindNames[kind] || kind) +
      ' (' + data.nodes.filter(n => keyOf(n) === kind).length + ')';
    lab.querySelector("input").addEventListener("change", ev => { ev.target.checked ? hidden.delete(kind) : hidden.add(kind); applyHidden(); });
    legend.appendChild(lab);
  });
  const h2 = document.createElement("h2"); h2.textContent = data.words.relations; legend.appendChild(h2);
  [...new Map(data.edges.map(e => [e.relation, e.colour])).entries()].forEach(([rel, colour]) => {
    const lab = document.createElement("label");
    lab.innerHTML = '<input type="checkbox" checked> <span class="line" style="background:' + colour + '"></span> ' + esc(rel);
    lab.querySelector("input").addEventListener("change", ev => { ev.target.checked ? hidden.delete("rel:" + rel) : hidden.add("rel:" + rel); applyHidden(); });
    legend.appendChild(lab);
  });

  // pan and zoom on the viewBox
  const xs = data.nodes.map(n => n.x), ys = data.nodes.map(n => n.y);
  let box = {x: Math.min(...xs) - 40, y: Math.min(...ys) - 40,
             w: Math.max(...xs) - Math.min(...xs) + 360, h: Math.max(...ys) - Math.min(...ys) + 80};
  const setBox = () => svg.setAttribute("viewBox", [box.x, box.y, box.w, box.h].join(" "));
  setBox();
  svg.addEventListener("wheel", ev => {
    ev.preventDefault();
    const r = svg.getBoundingClientRect(), k = ev.deltaY > 0 ? 1.15 : 1 / 1.15;
    const px = box.x + (ev.clientX - r.left) / r.width * box.w, py = box.y + (ev.clientY - r.top) / r.height * box.h;
    box = {x: px - (px - box.x) * k, y: py - (py - box.y) * k, w: box.w * k, h: box.h * k};
    setBox();
  }, {passive: false});
  let drag = null;
  svg.addEventListener("pointerdown", ev => { drag = {x: ev.clientX, y: ev.clientY, box: Object.assign({}, box)}; svg.classList.add("dragging"); });
  window.addEventListener("pointermove", ev => {
    if (!drag) return;
    const r = svg.getBoundingClientRect();
    box.x = drag.box.x - (ev.clientX - drag.x) / r.width * box.w;
    box.y = drag.box.y - (ev.clientY - drag.y) / r.height * box.h;
    setBox();
  });
  window.addEventListener("pointerup", () => { drag = null; svg.classList.remove("dragging"); });
})();
