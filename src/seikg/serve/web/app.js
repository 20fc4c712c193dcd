/* The query page: the catalogue as a menu, a SPARQL editor, results as a table and a chart.
 * Every request goes to this server (the page's Content-Security-Policy allows no other). */
(function () {
  "use strict";
  const BASE = "https://w3id.org/sei-kg/";
  const WORDS = {
    en: {
      site: "sei-kg · China's strategic emerging industries", query: "Query", graph: "Graph",
      report: "Validation", endpoint: "Endpoint", catalogue: "Questions", run: "Run",
      free_query: "Your own query", table: "Table", chart: "Chart", chart_value: "Figure",
      chart_label: "Label", chart_kind: "Kind", bars: "bars", lines: "lines",
      rows: n => `${n} row${n === 1 ? "" : "s"}`, running: "running…",
      truncated: n => `cut at ${n} rows (the server's row limit)`,
      no_numbers: "No column of numbers to draw.", answer: "Answer", yes: "yes", no: "no",
      triples: n => `${n} triples`, failed: "The query failed", all_columns: "(all others)",
      chart_title: (v, l) => `${v} by ${l}`, params: "Parameters",
    },
    zh: {
      site: "sei-kg · 中国战略性新兴产业", query: "查询", graph: "图谱", report: "校验",
      endpoint: "端点", catalogue: "问题目录", run: "运行", free_query: "自定义查询",
      table: "表格", chart: "图表", chart_value: "数值列", chart_label: "标签列",
      chart_kind: "图形", bars: "柱状图", lines: "折线图",
      rows: n => `共 ${n} 行`, running: "正在运行……",
      truncated: n => `已截断为 ${n} 行（服务器的行数限制）`,
      no_numbers: "没有可绘制的数值列。", answer: "答案", yes: "是", no: "否",
      triples: n => `共 ${n} 个三元组`, failed: "查询失败", all_columns: "（其余各列）",
      chart_title: (v, l) => `${v}（按${l}）`, params: "参数",
    },
  };
  const NUMERIC = /#(decimal|integer|double|float|int|long|short|nonNegativeInteger|positiveInteger|negativeInteger|nonPositiveInteger)$/;

  const params = new URLSearchParams(location.search);
  let lang = params.get("lang") || localStorage.getItem("seikg-lang") ||
    ((navigator.language || "en").toLowerCase().startsWith("zh") ? "zh" : "en");
  if (!WORDS[lang]) lang = "en";
  localStorage.setItem("seikg-lang", lang);
  const w = WORDS[lang];
  document.documentElement.lang = lang === "zh" ? "zh-Hans" : "en";
  document.querySelectorAll("[data-i18n]").forEach(e => {
    const text = w[e.dataset.i18n];
    if (typeof text === "string") e.textContent = text;
  });
  document.querySelectorAll("[data-nav]").forEach(a => {
    a.href = a.dataset.nav + (lang === "en" ? "" : "?lang=" + lang);
  });
  document.querySelectorAll("[data-lang]").forEach(a => {
    if (a.dataset.lang === lang) a.classList.add("current");
  });

  // The editor: Yasqe from the vendored Yasgui build, with no autocompleter that calls out
  // (the class and property completers ask a remote vocabulary service: removed).
  const Yasqe = window.Yasgui.Yasqe;
  for (const name of ["class", "property"]) delete Yasqe.Autocompleters[name];
  Yasqe.defaults.autocompleters = ["prefixes", "variables"];
  const editor = new Yasqe(document.getElementById("editor"), {
    value: "SELECT * WHERE { ?s ?p ?o } LIMIT 10",
    persistenceId: null, showQueryButton: false, resizeable: true, editorHeight: "220px",
    createShareableLink: null,
    autocompleters: ["prefixes", "variables"], prefixCcApi: null,
    requestConfig: {endpoint: "/sparql", method: "POST"},
  });

  let chosen = null;  // the catalogue entry shown, while its text is unchanged
  const status = document.getElementById("status");
  const list = document.getElementById("queries");
  const form = document.getElementById("params");

  function choose(entry, item) {
    chosen = entry;
    list.querySelectorAll("li").forEach(li => li.classList.toggle("current", li === item));
    document.getElementById("query-title").textContent = entry.title;
    document.getElementById("query-description").textContent = entry.description;
    form.textContent = "";
    for (const p of entry.params) {
      const label = document.createElement("label");
      label.textContent = p.name + " ";
      const input = document.createElement("input");
      input.name = p.name;
      input.value = p.type === "lang" ? lang : (p.default || "");
      input.placeholder = p.type;
      label.appendChild(input);
      form.appendChild(label);
    }
    editor.setValue(entry.text);
    history.replaceState(null, "", `?lang=${lang}&q=${encodeURIComponent(entry.name)}`);
  }

  fetch("/ui/api/catalogue").then(r => r.json()).then(entries => {
    for (const entry of entries) {
      const li = document.createElement("li");
      const a = document.createElement("a");
      a.href = `?lang=${lang}&q=${encodeURIComponent(entry.name)}`;
      a.textContent = entry.title;
      a.dataset.query = entry.name;
      a.title = entry.description;
      a.addEventListener("click", ev => { ev.preventDefault(); choose(entry, li); });
      li.appendChild(a);
      list.appendChild(li);
      if (params.get("q") === entry.name) choose(entry, li);
    }
  });

  async function run() {
    status.textContent = w.running;
    status.className = "";
    let response;
    const text = editor.getValue();
    if (chosen && text === chosen.text) {
      const q = new URLSearchParams({name: chosen.name});
      for (const input of form.querySelectorAll("input")) q.set(input.name, input.value);
      response = await fetch("/ui/api/run?" + q.toString());
    } else {
      response = await fetch("/sparql", {
        method: "POST",
        headers: {"Content-Type": "application/x-www-form-urlencoded",
                  "Accept": "application/sparql-results+json, application/ld+json;q=0.9"},
        body: new URLSearchParams({query: text}).toString(),
      });
    }
    if (!response.ok) {
      status.textContent = `${w.failed}: ${(await response.text()).trim()}`;
      status.className = "error";
      return;
    }
    const type = response.headers.get("Content-Type") || "";
    const truncated = response.headers.get("Sei-Kg-Truncated");
    const body = await response.json();
    show(type.includes("ld+json") ? {graph: body} : body, truncated);
  }
  document.getElementById("run").addEventListener("click", () => run().catch(e => {
    status.textContent = `${w.failed}: ${e}`;
    status.className = "error";
  }));

  // -- results ------------------------------------------------------------------------------

  function cell(term) {
    const td = document.createElement("td");
    if (!term) return td;
    if (term.type === "uri") {
      const a = document.createElement("a");
      const local = term.value.startsWith(BASE) ? "/" + term.value.slice(BASE.length) : null;
      a.href = local ? local + (lang === "en" ? "" : (local.includes("#") ? "" : "?lang=" + lang)) : term.value;
      a.textContent = local ? local : term.value;
      if (!local) a.rel = "noreferrer noopener";
      td.appendChild(a);
    } else {
      td.textContent = term.value;
      if (term.datatype && NUMERIC.test(term.datatype)) td.className = "num";
    }
    return td;
  }

  let current = null;
  function show(doc, truncated) {
    document.getElementById("results").hidden = false;
    const tableTab = document.getElementById("tab-table");
    tableTab.textContent = "";
    current = null;
    if (doc.graph) {
      const pre = document.createElement("pre");
      pre.textContent = JSON.stringify(doc.graph, null, 2);
      tableTab.appendChild(pre);
      status.textContent = w.triples(Array.isArray(doc.graph) ? doc.graph.length : 1);
      return;
    }
    if (typeof doc.boolean === "boolean") {
      tableTab.textContent = `${w.answer}: ${doc.boolean ? w.yes : w.no}`;
      status.textContent = "";
      return;
    }
    const vars = doc.head.vars, rows = doc.results.bindings;
    const table = document.createElement("table");
    table.className = "results";
    const head = table.createTHead().insertRow();
    for (const v of vars) {
      const th = document.createElement("th");
      th.textContent = v;
      head.appendChild(th);
    }
    const tbody = table.createTBody();
    for (const row of rows) {
      const tr = tbody.insertRow();
      for (const v of vars) tr.appendChild(cell(row[v]));
    }
    tableTab.appendChild(table);
    status.textContent = w.rows(rows.length) + (truncated ? " · " + w.truncated(rows.length) : "");
    status.className = truncated ? "warning" : "";
    current = {vars, rows};
    setupChart();
  }

  function numericColumns(vars, rows) {
    return vars.filter(v => rows.some(r => r[v]) &&
      rows.every(r => !r[v] || (r[v].type === "literal" && r[v].datatype && NUMERIC.test(r[v].datatype))));
  }

  function setupChart() {
    const valueSel = document.getElementById("chart-value");
    const labelSel = document.getElementById("chart-label");
    valueSel.textContent = "";
    labelSel.textContent = "";
    const numbers = numericColumns(current.vars, current.rows);
    for (const v of numbers) valueSel.add(new Option(v, v));
    labelSel.add(new Option(w.all_columns, ""));
    for (const v of current.vars.filter(v => !numbers.includes(v))) labelSel.add(new Option(v, v));
    drawChart();
  }

  function drawChart() {
    const container = document.getElementById("chart");
    if (!current) return;
    const value = document.getElementById("chart-value").value;
    const labelVar = document.getElementById("chart-label").value;
    const kind = document.getElementById("chart-kind").value;
    const numbers = numericColumns(current.vars, current.rows);
    const others = current.vars.filter(v => v !== value && !numbers.includes(v) &&
      !current.rows.every(r => !r[v] || (r[v].datatype || "").endsWith("#boolean")));
    const rows = current.rows.filter(r => value && r[value]);
    const label = r => (labelVar ? [labelVar] : others)
      .map(v => r[v] ? (r[v].type === "uri" ? r[v].value.split(/[/#]/).pop() : r[v].value) : "")
      .filter(Boolean).join(" · ");
    window.SeiChart.draw(container, {
      labels: rows.map(label), values: rows.map(r => Number(r[value].value)), kind,
      title: value ? w.chart_title(value, labelVar || others.join(" · ")) : "", unit: "", words: w,
    });
  }
  for (const id of ["chart-value", "chart-label", "chart-kind"]) {
    document.getElementById(id).addEventListener("change", drawChart);
  }
  document.querySelectorAll("[data-tab]").forEach(button => button.addEventListener("click", () => {
    document.querySelectorAll("[data-tab]").forEach(b => b.setAttribute("aria-selected", String(b === button)));
    document.getElementById("tab-table").hidden = button.dataset.tab !== "table";
    document.getElementById("tab-chart").hidden = button.dataset.tab !== "chart";
    if (button.dataset.tab === "chart") drawChart();
  }));
})();
