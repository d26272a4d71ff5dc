// The query page: pick a canned query or write one, run it against /sparql, show the rows.
// Everything from the server or the graph is put in the page with textContent, never innerHTML,
// and links go out only to http(s) IRIs or to this server's own pages.
"use strict";

(function () {
  const ID_BASE = "https://w3id.org/untoc-kg/id/";
  const ONTOLOGY = "https://w3id.org/untoc-kg/ontology";
  const XSD = "http://www.w3.org/2001/XMLSchema#";
  const TABLE_ACCEPT = "application/sparql-results+json, text/turtle;q=0.9";

  const canned = JSON.parse(document.getElementById("canned-queries").textContent);
  const prefixes = JSON.parse(document.getElementById("prefixes").textContent);
  const form = document.getElementById("query-form");
  const select = document.getElementById("canned");
  const description = document.getElementById("canned-description");
  const paramsBox = document.getElementById("params");
  const textarea = document.getElementById("query");
  const formatSelect = document.getElementById("format");
  const statusLine = document.getElementById("status");
  const results = document.getElementById("results");
  const runButton = document.getElementById("run");

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

  // ----- canned queries and their parameters

  function showCanned(name) {
    const query = canned.find((q) => q.name === name);
    paramsBox.replaceChildren();
    description.textContent = query ? query.description : "";
    if (!query) return;
    textarea.value = query.text;
    for (const param of query.params) {
      const input = el("input", {
        type: "text", id: "param-" + param.name, "data-param": param.name, "data-type": param.type,
        value: param.example || "", size: "40", "aria-label": param.name,
      });
      paramsBox.append(el("label", { for: "param-" + param.name, title: param.meaning },
        "?" + param.name + " (" + param.type + (param.optional ? ", optional" : "") + "): "), input, " ");
    }
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

  function bindings() {
    const out = [];
    for (const input of paramsBox.querySelectorAll("input[data-param]")) {
      if (input.value.trim() === "") continue;
      out.push(["$" + input.dataset.param, toTerm(input.value, input.dataset.type)]);
    }
    return out;
  }

  // ----- results

  function termCell(term) {
    const td = el("td");
    if (!term) return td;
    if (term.type === "uri") {
      const href = hrefFor(term.value);
      td.append(href ? el("a", { href: href, title: term.value }, shortIri(term.value))
                     : el("span", { title: term.value }, term.value));
    } else if (term.type === "bnode") {
      td.append(el("span", { class: "bnode" }, "_:" + term.value));
    } else if (term.type === "literal") {
      td.append(el("span", { class: "literal" }, term.value));
      if (term["xml:lang"]) td.append(el("span", { class: "muted" }, " @" + term["xml:lang"]));
      else if (term.datatype) td.append(el("span", { class: "muted", title: term.datatype }, " " + shortIri(term.datatype)));
    } else if (term.type === "triple") {
      td.append(el("span", { class: "muted" }, "<< " + JSON.stringify(term.value) + " >>"));
    }
    return td;
  }

  function showTable(data, truncated) {
    results.replaceChildren();
    if (Object.prototype.hasOwnProperty.call(data, "boolean")) {
      results.append(el("p", { class: "boolean" }, "ASK: " + String(data.boolean)));
      return 1;
    }
    const vars = data.head.vars || [];
    const thead = el("thead", null, el("tr", null, ...vars.map((v) => el("th", { scope: "col" }, "?" + v))));
    const tbody = el("tbody");
    for (const row of data.results.bindings) {
      tbody.append(el("tr", null, ...vars.map((v) => termCell(row[v]))));
    }
    if (truncated) {
      results.append(el("p", { class: "warning" }, "The result was cut at " + truncated +
        " rows (the server's limit). Add LIMIT/OFFSET or make the query more selective."));
    }
    results.append(el("table", { class: "results" }, thead, tbody));
    return data.results.bindings.length;
  }

  function showText(text, type) {
    results.replaceChildren(el("pre", { class: "raw", "data-type": type }, text));
    const blob = new Blob([text], { type: type });
    results.prepend(el("p", null, el("a", { href: URL.createObjectURL(blob), download: "result" }, "Download")));
  }

  function showError(status, message) {
    results.replaceChildren(el("div", { class: "error", role: "alert" },
      el("strong", null, "HTTP " + status + " "), el("pre", null, message)));
  }

  async function run(event) {
    if (event) event.preventDefault();
    let extra;
    try {
      extra = bindings();
    } catch (err) {
      showError("–", err.message);
      return;
    }
    const body = new URLSearchParams([["query", textarea.value], ...extra]);
    const format = formatSelect.value;
    const accept = format === "table" ? TABLE_ACCEPT : format;
    runButton.disabled = true;
    statusLine.textContent = "Running…";
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
        const count = showTable(JSON.parse(text), truncated);
        statusLine.textContent = count + " result" + (count === 1 ? "" : "s") + " in " + ms + " ms";
      } else {
        showText(text, type);
        statusLine.textContent = "Done in " + ms + " ms" + (truncated ? " (cut at " + truncated + ")" : "");
      }
    } catch (err) {
      statusLine.textContent = "";
      showError("–", "The server could not be reached: " + err.message);
    } finally {
      runButton.disabled = false;
    }
  }

  select.addEventListener("change", () => showCanned(select.value));
  form.addEventListener("submit", run);

  const params = new URLSearchParams(window.location.search);
  if (params.get("canned") && canned.some((q) => q.name === params.get("canned"))) {
    select.value = params.get("canned");
    showCanned(select.value);
  } else if (params.get("query")) {
    textarea.value = params.get("query");
  }
  if (params.get("run") === "1") run(null);
})();
