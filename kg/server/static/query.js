// The query page: pick an example or write a query in the SPARQL editor, run it against /sparql,
// and read the answer as a table (sortable, filterable, paged, names beside IRIs), a timeline
// (rows with dates) or a graph (CONSTRUCT and DESCRIBE). "Copy link" puts the query, its
// parameters and the view in the page's URL.
// Everything from the server or the graph is put in the page with textContent or DOM attributes,
// never innerHTML, and links go out only to http(s) IRIs or to this server's own pages.
"use strict";

(function () {
  const ID_BASE = "https://w3id.org/untoc-kg/id/";
  const ONTOLOGY = "https://w3id.org/untoc-kg/ontology";
  const XSD = "http://www.w3.org/2001/XMLSchema#";
  const SVG_NS = "http://www.w3.org/2000/svg";
  const TABLE_ACCEPT = "application/sparql-results+json, application/n-triples;q=0.9";
  const PAGE_SIZE = 50;
  const LABEL_BATCH = 200;

  const canned = JSON.parse(document.getElementById("canned-queries").textContent);
  const prefixes = JSON.parse(document.getElementById("prefixes").textContent);
  const terms = JSON.parse(document.getElementById("ontology-terms").textContent);
  const form = document.getElementById("query-form");
  const description = document.getElementById("canned-description");
  const paramsBox = document.getElementById("params");
  const textarea = document.getElementById("query");
  const formatSelect = document.getElementById("format");
  const statusLine = document.getElementById("status");
  const results = document.getElementById("results");
  const runButton = document.getElementById("run");
  const viewsBar = document.getElementById("views");
  const filterBox = document.getElementById("filter");
  const pagerBox = document.getElementById("pager");
  const cannedFilter = document.getElementById("canned-filter");
  const cannedList = document.getElementById("canned-list");
  const shareBox = document.getElementById("share-link");
  const root = document.documentElement;

  // ----- the editor (CodeMirror 6, static/vendor/sparql-editor.js); the textarea if it is missing

  const editor = window.UntocEditor
    ? window.UntocEditor.create(textarea, { prefixes: prefixes, terms: terms, onRun: () => run(null) })
    : { getValue: () => textarea.value, setValue: (t) => { textarea.value = t; }, markError: () => {} };

  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [name, value] of Object.entries(attrs || {})) {
      if (value !== null && value !== undefined) node.setAttribute(name, value);
    }
    for (const child of children) {
      if (child === null || child === undefined) continue;
      node.append(typeof child === "string" ? document.createTextNode(child) : child);
    }
    return node;
  }

  function svg(tag, attrs, text) {
    const node = document.createElementNS(SVG_NS, tag);
    for (const [name, value] of Object.entries(attrs || {})) node.setAttribute(name, String(value));
    if (text !== undefined) node.textContent = String(text);
    return node;
  }

  function hrefFor(iri) {
    if (iri.startsWith(ID_BASE)) return "/id/" + iri.slice(ID_BASE.length);
    if (iri === ONTOLOGY || iri.startsWith(ONTOLOGY + "#")) return "/ontology" + iri.slice(ONTOLOGY.length);
    if (/^https?:\/\//i.test(iri)) return iri;
    return null;
  }

  function shortIri(iri) {
    for (const [prefix, ns] of Object.entries(prefixes)) {
      if (iri.startsWith(ns) && iri.length > ns.length) return prefix + ":" + iri.slice(ns.length);
    }
    return iri;
  }

  // ----- example queries: a list to filter, each with its parameters

  let currentCanned = null;

  function showCanned(name, values) {
    const query = canned.find((q) => q.name === name);
    paramsBox.replaceChildren();
    currentCanned = query ? query.name : null;
    description.textContent = query ? query.title + ". " + query.description : "";
    for (const item of cannedList.querySelectorAll("li")) {
      item.classList.toggle("chosen", item.dataset.name === currentCanned);
    }
    if (!query) return;
    editor.setValue(query.text);
    for (const param of query.params) {
      const given = values && Object.prototype.hasOwnProperty.call(values, param.name) ? values[param.name] : null;
      const input = el("input", {
        type: "text", id: "param-" + param.name, "data-param": param.name, "data-type": param.type,
        value: given !== null ? given : (param.example || ""), size: "40", "aria-label": param.name,
      });
      paramsBox.append(el("label", { for: "param-" + param.name, title: param.meaning },
        "?" + param.name + " (" + param.type + (param.optional ? ", optional" : "") + "): "), input, " ");
    }
  }

  function filterCanned() {
    const words = cannedFilter.value.toLowerCase().split(/\s+/).filter(Boolean);
    let shown = 0;
    for (const item of cannedList.querySelectorAll("li")) {
      const query = canned.find((q) => q.name === item.dataset.name);
      const haystack = (query.title + " " + query.description + " " + query.name).toLowerCase();
      const keep = words.every((w) => haystack.includes(w));
      item.hidden = !keep;
      if (keep) shown++;
    }
    root.setAttribute("data-canned-shown", String(shown));
  }

  function ntriplesString(value) {
    return '"' + value.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\n/g, "\\n")
      .replace(/\r/g, "\\r").replace(/\t/g, "\\t") + '"';
  }

  function toTerm(value, type) {
    value = value.trim();
    if (type === "iri") {
      if (/^<[^<>"{}|^`\\\s]*>$/.test(value)) return value;
      const colon = value.indexOf(":");
      if (colon > 0 && Object.prototype.hasOwnProperty.call(prefixes, value.slice(0, colon))
          && !value.slice(colon + 1).startsWith("//")) {
        return "<" + prefixes[value.slice(0, colon)] + value.slice(colon + 1) + ">";
      }
      if (/^https?:\/\/[^<>"{}|^`\\\s]+$/i.test(value)) return "<" + value + ">";
      throw new Error("not an IRI: " + value + " (write <…>, http://… or a prefixed name such as id:body/wg-tip)");
    }
    if (type === "integer" || type === "decimal" || type === "date" || type === "boolean") {
      return ntriplesString(value) + "^^<" + XSD + type + ">";
    }
    return ntriplesString(value);
  }

  function paramValues() {
    const out = {};
    for (const input of paramsBox.querySelectorAll("input[data-param]")) out[input.dataset.param] = input.value;
    return out;
  }

  function bindings() {
    const out = [];
    for (const input of paramsBox.querySelectorAll("input[data-param]")) {
      if (input.value.trim() === "") continue;
      out.push(["$" + input.dataset.param, toTerm(input.value, input.dataset.type)]);
    }
    return out;
  }

  // ----- the answer, kept as rows of terms whatever the query form

  let answer = null;  // { vars: [...], rows: [{var: term}], triples: bool, truncated }
  let view = "table";
  let sortBy = null, sortDescending = false, pageIndex = 0;
  const names = new Map();  // IRI -> name, asked of the endpoint for the IRIs in the answer

  function termText(term) {
    if (!term) return "";
    if (term.type === "uri") return names.get(term.value) || shortIri(term.value);
    if (term.type === "bnode") return "_:" + term.value;
    return term.value;
  }

  function iriCell(iri) {
    const href = hrefFor(iri);
    const name = names.get(iri);
    const shown = shortIri(iri);
    const main = name ? el("span", { class: "name" }, name) : null;
    const code = href ? el("a", { href: href, title: iri, class: "iri-link" }, shown)
                      : el("span", { title: iri, class: "iri-link" }, iri);
    return main ? [main, " ", code] : [code];
  }

  function termCell(term) {
    const td = el("td");
    if (!term) return td;
    if (term.type === "uri") {
      td.append(...iriCell(term.value));
    } else if (term.type === "bnode") {
      td.append(el("span", { class: "bnode" }, "_:" + term.value));
    } else if (term.type === "literal" || term.type === "typed-literal") {
      td.append(el("span", { class: "literal" }, term.value));
      if (term["xml:lang"]) td.append(el("span", { class: "muted" }, " @" + term["xml:lang"]));
      else if (term.datatype && term.datatype !== XSD + "string") {
        td.append(el("span", { class: "muted", title: term.datatype }, " " + shortIri(term.datatype)));
      }
    } else if (term.type === "triple") {
      td.append(el("span", { class: "muted" }, "<< " + JSON.stringify(term.value) + " >>"));
    }
    return td;
  }

  function compareTerms(a, b) {
    const x = termText(a), y = termText(b);
    const nx = Number(x), ny = Number(y);
    if (x !== "" && y !== "" && !Number.isNaN(nx) && !Number.isNaN(ny)) return nx - ny;
    return x.localeCompare(y, undefined, { numeric: true, sensitivity: "base" });
  }

  function visibleRows() {
    const words = filterBox.value.toLowerCase().split(/\s+/).filter(Boolean);
    let rows = answer.rows;
    if (words.length) {
      rows = rows.filter((row) => {
        const text = answer.vars.map((v) => row[v] ? termText(row[v]) + " " + row[v].value : "").join(" ").toLowerCase();
        return words.every((w) => text.includes(w));
      });
    }
    if (sortBy !== null) {
      rows = rows.slice().sort((a, b) => compareTerms(a[sortBy], b[sortBy]) * (sortDescending ? -1 : 1));
    }
    return rows;
  }

  function showTable() {
    const rows = visibleRows();
    const pages = Math.max(1, Math.ceil(rows.length / PAGE_SIZE));
    pageIndex = Math.min(pageIndex, pages - 1);
    const slice = rows.slice(pageIndex * PAGE_SIZE, (pageIndex + 1) * PAGE_SIZE);
    const head = el("tr", null, ...answer.vars.map((v) => {
      const mark = sortBy === v ? (sortDescending ? " \u25bc" : " \u25b2") : "";
      const th = el("th", { scope: "col", "data-var": v,
                            "aria-sort": sortBy === v ? (sortDescending ? "descending" : "ascending") : "none" },
        el("button", { type: "button", class: "sort", "data-var": v, title: "Sort by ?" + v }, "?" + v + mark));
      return th;
    }));
    const tbody = el("tbody");
    for (const row of slice) tbody.append(el("tr", null, ...answer.vars.map((v) => termCell(row[v]))));
    const table = el("table", { class: "results", id: "result-table" }, el("thead", null, head), tbody);
    results.replaceChildren(...notes(), table);
    pagerBox.replaceChildren(
      el("button", { type: "button", id: "prev-page", disabled: pageIndex === 0 ? "" : null }, "\u2190"),
      " rows " + (rows.length ? pageIndex * PAGE_SIZE + 1 : 0) + "\u2013" + (pageIndex * PAGE_SIZE + slice.length)
        + " of " + rows.length + (rows.length !== answer.rows.length ? " (filtered from " + answer.rows.length + ")" : "") + " ",
      el("button", { type: "button", id: "next-page", disabled: pageIndex >= pages - 1 ? "" : null }, "\u2192"));
    root.setAttribute("data-rows-shown", String(slice.length));
    root.setAttribute("data-rows-filtered", String(rows.length));
  }

  function notes() {
    const out = [];
    if (answer.truncated) {
      out.push(el("p", { class: "warning" }, "The result was cut at " + answer.truncated +
        " rows (the server's limit). Add LIMIT/OFFSET or make the query more selective."));
    }
    return out;
  }

  // ----- timeline: rows with a date, at their date, labelled by their first named value

  function dateOf(term) {
    if (!term || (term.type !== "literal" && term.type !== "typed-literal")) return null;
    const m = /^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?/.exec(term.value);
    const typed = term.datatype === XSD + "date" || term.datatype === XSD + "dateTime" || term.datatype === XSD + "gYear";
    if (!m || (!typed && !/^\d{4}-\d{2}-\d{2}/.test(term.value))) return null;
    return Date.UTC(Number(m[1]), m[2] ? Number(m[2]) - 1 : 6, m[3] ? Number(m[3]) : 1);
  }

  function dateVar() {
    return answer.vars.find((v) => answer.rows.some((row) => dateOf(row[v]) !== null)) || null;
  }

  // the column that names the row: the IRI column with the most distinct values (the acts of a
  // lineage, not their two or three event types, nor the paragraphs that state them)
  function titleVar(skip) {
    let best = null, most = 0;
    for (const v of answer.vars) {
      if (v === skip) continue;
      // a paragraph (a document's #fragment) is evidence for a row, not what the row is about
      const values = new Set(answer.rows.filter((r) => r[v] && r[v].type === "uri"
        && !(r[v].value.startsWith(ID_BASE) && r[v].value.includes("#"))).map((r) => r[v].value));
      if (values.size > most) { best = v; most = values.size; }
    }
    return best;
  }

  function rowTitle(row, skip, uri) {
    const lit = answer.vars.find((v) => v !== skip && row[v] && row[v].type !== "uri" && dateOf(row[v]) === null);
    return uri ? { text: termText(row[uri]), iri: row[uri].value } : { text: lit ? row[lit].value : "", iri: null };
  }

  function showTimeline() {
    const dv = dateVar();
    if (!dv) {
      results.replaceChildren(el("p", { class: "muted" }, "No column holds dates: the timeline shows rows with a date."));
      return;
    }
    const seen = new Set();
    const items = [];
    const tv = titleVar(dv);
    for (const row of visibleRows()) {
      const t = dateOf(row[dv]);
      if (t === null) continue;
      const title = rowTitle(row, dv, tv && row[tv] ? tv : null);
      const key = t + "\u0000" + title.text;
      if (seen.has(key)) continue;  // the same act from several paragraphs: once
      seen.add(key);
      items.push({ t: t, date: row[dv].value.slice(0, 10), title: title });
    }
    items.sort((a, b) => a.t - b.t || a.title.text.localeCompare(b.title.text));
    const width = Math.max(results.clientWidth || 900, 600), left = 20, right = 20, rowHeight = 20, axisY = 30;
    const t0 = items[0].t, t1 = items[items.length - 1].t;
    const y0 = new Date(t0).getUTCFullYear(), y1 = new Date(t1).getUTCFullYear() + 1;
    const start = Date.UTC(y0, 0, 1), end = Date.UTC(y1, 0, 1);
    const x = (t) => left + (t - start) / (end - start) * (width - left - right);
    const measure = document.createElement("canvas").getContext("2d");
    measure.font = "13px system-ui, sans-serif";
    const laneEnds = [];
    const drawing = svg("svg", { class: "timeline", id: "timeline", width: width, role: "img",
                                 "aria-label": "Timeline of " + items.length + " dated rows" });
    const axis = svg("g", { class: "axis" });
    const step = Math.max(1, Math.ceil((y1 - y0) / Math.max(1, Math.floor((width - left - right) / 60))));
    for (let y = y0; y <= y1; y += step) {
      const px = x(Date.UTC(y, 0, 1));
      axis.append(svg("line", { x1: px, x2: px, y1: axisY - 6, y2: axisY, stroke: "#999" }));
      axis.append(svg("text", { x: px + 2, y: axisY - 10, "font-size": 12, fill: "#555" }, y));
    }
    axis.append(svg("line", { x1: left, x2: width - right, y1: axisY, y2: axisY, stroke: "#999" }));
    drawing.append(axis);
    let lanes = 0;
    for (const item of items) {
      const px = x(item.t);
      const label = item.date + "  " + item.title.text;
      const w = measure.measureText(label).width + 14;
      let anchorEnd = px + w > width - right;
      const from = anchorEnd ? px - w : px, to = anchorEnd ? px : px + w;
      let lane = laneEnds.findIndex((e) => e.to + 6 < from);
      if (lane < 0) { lane = laneEnds.length; laneEnds.push({ to: -Infinity }); }
      laneEnds[lane] = { to: to };
      lanes = Math.max(lanes, lane + 1);
      const cy = axisY + 18 + lane * rowHeight;
      const g = svg("g", { class: "event", "data-date": item.date });
      g.append(svg("line", { x1: px, x2: px, y1: axisY, y2: cy, stroke: "#c9d3e0" }));
      g.append(svg("circle", { cx: px, cy: cy, r: 4, fill: "#0b5cad" }));
      const text = svg("text", { x: anchorEnd ? px - 8 : px + 8, y: cy + 4, "font-size": 13,
                                 "text-anchor": anchorEnd ? "end" : "start" }, label);
      const href = item.title.iri ? hrefFor(item.title.iri) : null;
      if (href) {
        const a = svg("a", { href: href });
        a.append(text);
        g.append(a);
      } else {
        g.append(text);
      }
      g.append(svg("title", {}, label + (item.title.iri ? "\n" + item.title.iri : "")));
      drawing.append(g);
    }
    drawing.setAttribute("height", axisY + 30 + lanes * rowHeight);
    results.replaceChildren(...notes(), drawing);
    pagerBox.replaceChildren(items.length + " dated rows by ?" + dv);
    root.setAttribute("data-timeline-items", String(items.length));
  }

  // ----- graph: the triples of a CONSTRUCT or DESCRIBE, IRIs as nodes, literals beside them

  function showGraph() {
    if (!answer.triples) {
      results.replaceChildren(el("p", { class: "muted" }, "The graph view draws the triples of a CONSTRUCT or DESCRIBE query."));
      return;
    }
    const nodeIndex = new Map(), nodes = [], links = [];
    function node(term) {
      const key = term.type + " " + term.value;
      if (!nodeIndex.has(key)) { nodeIndex.set(key, nodes.length); nodes.push({ term: term, x: 0, y: 0, vx: 0, vy: 0 }); }
      return nodeIndex.get(key);
    }
    const literals = new Map();
    for (const row of visibleRows()) {
      if (row.o.type === "uri" || row.o.type === "bnode") {
        links.push({ s: node(row.s), o: node(row.o), p: row.p.value });
      } else {
        const i = node(row.s);
        if (!literals.has(i)) literals.set(i, []);
        literals.get(i).push(shortIri(row.p.value) + ": " + row.o.value);
      }
    }
    // a deterministic start on a circle, then a few hundred steps of springs and repulsion
    const n = nodes.length;
    nodes.forEach((d, i) => { d.x = Math.cos(2 * Math.PI * i / n) * 200; d.y = Math.sin(2 * Math.PI * i / n) * 200; });
    const steps = n > 400 ? 60 : 250;
    for (let step = 0; step < steps; step++) {
      const cool = 1 - step / steps;
      for (let i = 0; i < n; i++) {
        for (let j = i + 1; j < n; j++) {
          const a = nodes[i], b = nodes[j];
          let dx = a.x - b.x, dy = a.y - b.y;
          const d2 = Math.max(dx * dx + dy * dy, 1);
          const f = 4000 / d2;
          dx *= f / Math.sqrt(d2); dy *= f / Math.sqrt(d2);
          a.vx += dx; a.vy += dy; b.vx -= dx; b.vy -= dy;
        }
      }
      for (const l of links) {
        const a = nodes[l.s], b = nodes[l.o];
        const dx = b.x - a.x, dy = b.y - a.y, d = Math.max(Math.sqrt(dx * dx + dy * dy), 1);
        const f = (d - 120) * 0.05;
        a.vx += dx / d * f; a.vy += dy / d * f; b.vx -= dx / d * f; b.vy -= dy / d * f;
      }
      for (const d of nodes) {
        d.vx -= d.x * 0.01; d.vy -= d.y * 0.01;
        const speed = Math.sqrt(d.vx * d.vx + d.vy * d.vy), max = 20 * cool + 1;
        if (speed > max) { d.vx *= max / speed; d.vy *= max / speed; }
        d.x += d.vx; d.y += d.vy; d.vx *= 0.5; d.vy *= 0.5;
      }
    }
    const xs = nodes.map((d) => d.x), ys = nodes.map((d) => d.y);
    const pad = 90;
    const box = [Math.min(...xs) - pad, Math.min(...ys) - pad, Math.max(...xs) - Math.min(...xs) + 2 * pad,
                 Math.max(...ys) - Math.min(...ys) + 2 * pad];
    const drawing = svg("svg", { class: "graph", id: "graph", viewBox: box.join(" "), role: "img",
                                 "aria-label": n + " nodes and " + links.length + " links",
                                 width: "100%", height: Math.min(Math.max(box[3], 320), 720) });
    const defs = svg("defs");
    const marker = svg("marker", { id: "arrowhead", viewBox: "0 0 10 10", refX: 18, refY: 5, markerWidth: 7,
                                   markerHeight: 7, orient: "auto" });
    marker.append(svg("path", { d: "M0,0 L10,5 L0,10 z", fill: "#8a96a8" }));
    defs.append(marker);
    drawing.append(defs);
    for (const l of links) {
      const a = nodes[l.s], b = nodes[l.o];
      const line = svg("line", { x1: a.x, y1: a.y, x2: b.x, y2: b.y, stroke: "#8a96a8", "marker-end": "url(#arrowhead)" });
      line.append(svg("title", {}, shortIri(l.p)));
      drawing.append(line);
      drawing.append(svg("text", { x: (a.x + b.x) / 2, y: (a.y + b.y) / 2 - 3, "font-size": 10, fill: "#6b7687",
                                   "text-anchor": "middle" }, names.get(l.p) || shortIri(l.p)));
    }
    nodes.forEach((d, i) => {
      const g = svg("g", { class: "node" });
      g.append(svg("circle", { cx: d.x, cy: d.y, r: 7, fill: d.term.type === "uri" ? "#0b5cad" : "#9aa0a6" }));
      const text = svg("text", { x: d.x + 10, y: d.y + 4, "font-size": 12 }, termText(d.term));
      const href = d.term.type === "uri" ? hrefFor(d.term.value) : null;
      if (href) { const a = svg("a", { href: href }); a.append(text); g.append(a); } else { g.append(text); }
      g.append(svg("title", {}, [d.term.value].concat(literals.get(i) || []).join("\n")));
      drawing.append(g);
    });
    results.replaceChildren(...notes(), drawing);
    pagerBox.replaceChildren(n + " nodes, " + links.length + " links");
    root.setAttribute("data-graph-nodes", String(n));
  }

  function render() {
    if (!answer) return;
    for (const button of viewsBar.querySelectorAll("button.view")) {
      button.setAttribute("aria-selected", String(button.dataset.view === view));
    }
    if (view === "timeline") showTimeline();
    else if (view === "graph") showGraph();
    else showTable();
    root.setAttribute("data-view", view);
  }

  // ----- names beside IRIs: one query for the labels of the IRIs in the answer

  async function fetchNames() {
    const wanted = [];
    for (const row of answer.rows) {
      for (const v of answer.vars) {
        const t = row[v];
        if (t && t.type === "uri" && !names.has(t.value) && !wanted.includes(t.value)
            && /^[^<>"{}|^`\\\s]+$/.test(t.value)) wanted.push(t.value);
      }
      if (wanted.length >= LABEL_BATCH * 5) break;
    }
    for (let i = 0; i < wanted.length; i += LABEL_BATCH) {
      const batch = wanted.slice(i, i + LABEL_BATCH);
      const query = "PREFIX skos: <http://www.w3.org/2004/02/skos/core#>\n" +
        "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n" +
        "SELECT ?s (MIN(?l) AS ?name) WHERE { VALUES ?s { " + batch.map((iri) => "<" + iri + ">").join(" ") +
        " } ?s skos:prefLabel|rdfs:label ?l FILTER (LANG(?l) IN (\"\", \"en\")) } GROUP BY ?s";
      try {
        const response = await fetch("/sparql", {
          method: "POST", body: new URLSearchParams([["query", query]]),
          headers: { "Content-Type": "application/x-www-form-urlencoded", Accept: "application/sparql-results+json" },
        });
        if (!response.ok) return;
        const data = await response.json();
        for (const b of data.results.bindings) if (b.s && b.name) names.set(b.s.value, b.name.value);
      } catch (err) {
        return;  // names are a help, not the answer
      }
    }
    root.setAttribute("data-names", String(names.size));
    render();
  }

  // ----- N-Triples (a CONSTRUCT's answer) to rows s, p, o

  function unescape(text) {
    return text.replace(/\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})|\\(.)/g, (m, u, U, c) => {
      if (u) return String.fromCharCode(parseInt(u, 16));
      if (U) return String.fromCodePoint(parseInt(U, 16));
      return { t: "\t", n: "\n", r: "\r", b: "\b", f: "\f" }[c] || c;
    });
  }

  const NT_TERM = /\s*(?:<([^>]*)>|_:(\S+)|"((?:[^"\\]|\\.)*)"(?:@([A-Za-z0-9-]+)|\^\^<([^>]*)>)?)/y;

  function parseNTriples(text) {
    const rows = [];
    for (const line of text.split("\n")) {
      if (!line.trim() || line.trim().startsWith("#")) continue;
      NT_TERM.lastIndex = 0;
      const row = {};
      for (const v of ["s", "p", "o"]) {
        const m = NT_TERM.exec(line);
        if (!m) break;
        if (m[1] !== undefined) row[v] = { type: "uri", value: m[1] };
        else if (m[2] !== undefined) row[v] = { type: "bnode", value: m[2] };
        else {
          row[v] = { type: "literal", value: unescape(m[3]) };
          if (m[4]) row[v]["xml:lang"] = m[4];
          if (m[5]) row[v].datatype = m[5];
        }
      }
      if (row.o) rows.push(row);
    }
    return rows;
  }

  // ----- running

  function showText(text, type) {
    viewsBar.hidden = true;
    results.replaceChildren(el("pre", { class: "raw", "data-type": type }, text));
    const blob = new Blob([text], { type: type });
    results.prepend(el("p", null, el("a", { href: URL.createObjectURL(blob), download: "result" }, "Download")));
  }

  function showError(status, message) {
    viewsBar.hidden = true;
    results.replaceChildren(el("div", { class: "error", role: "alert" },
      el("strong", null, "HTTP " + status + " "), el("pre", null, message)));
    const at = /at (\d+):(\d+)/.exec(message);
    if (at) editor.markError(Number(at[1]), Number(at[2]), message.split("\n")[0].slice(0, 300));
  }

  async function run(event) {
    if (event) event.preventDefault();
    let extra;
    try {
      extra = bindings();
    } catch (err) {
      showError("\u2013", err.message);
      return;
    }
    const body = new URLSearchParams([["query", editor.getValue()], ...extra]);
    const format = formatSelect.value;
    const accept = format === "table" ? TABLE_ACCEPT : format;
    runButton.disabled = true;
    statusLine.textContent = "Running\u2026";
    root.setAttribute("data-done", "false");
    const started = performance.now();
    try {
      const response = await fetch("/sparql", {
        method: "POST", body: body,
        headers: { "Content-Type": "application/x-www-form-urlencoded", Accept: accept },
      });
      const ms = Math.round(performance.now() - started);
      const type = (response.headers.get("Content-Type") || "").split(";")[0].trim();
      const text = await response.text();
      if (!response.ok) {
        statusLine.textContent = "Failed after " + ms + " ms";
        showError(response.status, text);
        return;
      }
      const truncated = response.headers.get("X-SPARQL-Truncated") ? response.headers.get("X-SPARQL-MaxRows") : null;
      if (format === "table" && type === "application/sparql-results+json") {
        const data = JSON.parse(text);
        if (Object.prototype.hasOwnProperty.call(data, "boolean")) {
          answer = null;
          viewsBar.hidden = true;
          results.replaceChildren(el("p", { class: "boolean" }, "ASK: " + String(data.boolean)));
          statusLine.textContent = "Done in " + ms + " ms";
          return;
        }
        answer = { vars: data.head.vars || [], rows: data.results.bindings, triples: false, truncated: truncated };
      } else if (format === "table" && type === "application/n-triples") {
        answer = { vars: ["s", "p", "o"], rows: parseNTriples(text), triples: true, truncated: truncated };
      } else {
        answer = null;
        showText(text, type);
        statusLine.textContent = "Done in " + ms + " ms" + (truncated ? " (cut at " + truncated + ")" : "");
        return;
      }
      sortBy = null; sortDescending = false; pageIndex = 0;
      viewsBar.hidden = false;
      if (view === "graph" && !answer.triples) view = "table";
      if (answer.triples && view === "table" && pendingView === null) view = "graph";
      if (pendingView) { view = pendingView; pendingView = null; }
      statusLine.textContent = answer.rows.length + " result" + (answer.rows.length === 1 ? "" : "s") + " in " + ms + " ms";
      render();
      fetchNames();
    } catch (err) {
      statusLine.textContent = "";
      showError("\u2013", "The server could not be reached: " + err.message);
    } finally {
      runButton.disabled = false;
      root.setAttribute("data-done", "true");
    }
  }

  // ----- the link to this query and view

  function shareUrl() {
    const params = new URLSearchParams();
    if (currentCanned) {
      params.set("canned", currentCanned);
      for (const [name, value] of Object.entries(paramValues())) params.set("param." + name, value);
      const original = canned.find((q) => q.name === currentCanned);
      if (original && original.text !== editor.getValue()) params.set("query", editor.getValue());
    } else {
      params.set("query", editor.getValue());
    }
    params.set("view", view);
    params.set("run", "1");
    return window.location.origin + window.location.pathname + "?" + params.toString();
  }

  async function copyLink() {
    const url = shareUrl();
    window.history.replaceState(null, "", url);
    shareBox.hidden = false;
    shareBox.value = url;
    shareBox.select();
    try {
      await navigator.clipboard.writeText(url);
      statusLine.textContent = "Link copied";
    } catch (err) {
      statusLine.textContent = "Link below: copy it with Ctrl+C";
    }
  }

  // ----- wiring

  form.addEventListener("submit", run);
  cannedList.addEventListener("click", (event) => {
    const button = event.target.closest("button.canned-pick");
    if (button) showCanned(button.dataset.name);
  });
  cannedFilter.addEventListener("input", filterCanned);
  document.getElementById("copy-link").addEventListener("click", copyLink);
  viewsBar.addEventListener("click", (event) => {
    const button = event.target.closest("button.view");
    if (button) { view = button.dataset.view; render(); }
  });
  filterBox.addEventListener("input", () => { pageIndex = 0; render(); });
  results.addEventListener("click", (event) => {
    const button = event.target.closest("button.sort");
    if (!button) return;
    if (sortBy === button.dataset.var) sortDescending = !sortDescending;
    else { sortBy = button.dataset.var; sortDescending = false; }
    render();
  });
  pagerBox.addEventListener("click", (event) => {
    if (event.target.id === "prev-page") { pageIndex = Math.max(0, pageIndex - 1); render(); }
    if (event.target.id === "next-page") { pageIndex += 1; render(); }
  });

  let pendingView = null;
  const params = new URLSearchParams(window.location.search);
  if (params.get("canned") && canned.some((q) => q.name === params.get("canned"))) {
    const values = {};
    for (const [key, value] of params.entries()) if (key.startsWith("param.")) values[key.slice(6)] = value;
    showCanned(params.get("canned"), values);
    if (params.get("query")) editor.setValue(params.get("query"));
  } else if (params.get("query")) {
    editor.setValue(params.get("query"));
  }
  if (["table", "timeline", "graph"].includes(params.get("view"))) { view = params.get("view"); pendingView = view; }
  filterCanned();
  window.untocQueryEditor = editor;
  root.setAttribute("data-ready", "true");
  if (params.get("run") === "1") run(null);
})();
