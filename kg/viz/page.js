/* untoc-kg network page. Every text shown comes from documents: it goes into the page through
   textContent, vis-network's canvas or its text tooltips, never through innerHTML; a link is made
   clickable only when it is http(s). */
(function () {
  "use strict";
  var root = document.documentElement;
  var data = JSON.parse(document.getElementById("graph-data").textContent);
  var SAFE_LINK = /^https?:\/\//i;

  function el(tag, text, cls) {
    var e = document.createElement(tag);
    if (text !== undefined && text !== null) { e.textContent = String(text); }
    if (cls) { e.className = cls; }
    return e;
  }

  function clip(text, width) {
    text = String(text).split(/\s+/).join(" ").trim();
    return text.length <= width ? text : text.slice(0, width - 1).trim() + "\u2026";
  }

  var nodeById = {};
  data.nodes.forEach(function (n) { nodeById[n.id] = n; });
  var edgeById = {};
  data.edges.forEach(function (e) {
    e.from = data.nodes[e.from].id;  /* the page carries positions in `nodes`, not IRIs */
    e.to = data.nodes[e.to].id;
    edgeById[e.id] = e;
  });

  /* Tooltips are plain strings: vis-network shows a string tooltip as text (innerText). */
  function nodeTooltip(n) {
    var lines = [n.name, n.type + (n.date ? ", " + n.date : "")];
    (n.details || []).filter(function (d) { return d !== n.name; }).slice(0, 3).forEach(function (d) { lines.push(d); });
    lines.push(n.links + (n.links === 1 ? " link" : " links"));
    return lines.join("\n");
  }
  function edgeTooltip(e) {
    var lines = [nodeById[e.from].label + " \u2014 " + e.label + " \u2014 " + nodeById[e.to].label];
    if (e.detail) { lines.push(clip(e.detail, 200)); }
    if (e.when) { lines.push(e.when); }
    if (e.evidence && e.evidence.length) {
      var first = e.evidence[0];
      var more = e.evidence.length > 1 ? " (+" + (e.evidence.length - 1) + " more)" : "";
      lines.push("Paragraph " + (first.number || "?") + " of " + first.document_label + more + ":");
      if (first.quote) { lines.push("\u201c" + clip(first.quote, 280) + "\u201d"); }
    }
    return lines.join("\n");
  }

  var nodes = new vis.DataSet(data.nodes.map(function (n) {
    return { id: n.id, label: n.display, title: nodeTooltip(n), x: n.x, y: n.y, size: n.size,
             color: { background: n.color, border: n.border, highlight: { background: n.color, border: "#000" } },
             shape: "dot", font: { multi: false } };
  }));
  var edges = new vis.DataSet(data.edges.map(function (e) {
    var edge = { id: e.id, from: e.from, to: e.to, title: edgeTooltip(e), width: e.width, dashes: e.dashes,
                 color: { color: e.color, highlight: "#000", hover: "#000", opacity: e.opacity },
                 arrows: { to: { enabled: e.arrow, scaleFactor: 0.6 } }, font: { multi: false } };
    if (e.show_label) { edge.label = e.label; }
    if (e.roundness) { edge.smooth = { enabled: true, type: e.roundness > 0 ? "curvedCW" : "curvedCCW",
                                       roundness: Math.abs(e.roundness) }; }
    return edge;
  }));

  var big = data.big;
  var options = {
    autoResize: true,
    physics: false,
    layout: { improvedLayout: false, randomSeed: 1 },
    interaction: { hover: !big, tooltipDelay: 120, hideEdgesOnDrag: big, hideEdgesOnZoom: big,
                   navigationButtons: false, keyboard: false, multiselect: false },
    nodes: { borderWidth: 1, font: { size: 14, face: "system-ui, sans-serif", strokeWidth: 3, strokeColor: "#fff" },
             scaling: { label: { drawThreshold: 4 } } },
    edges: { smooth: false,
             font: { size: 11, align: "middle", strokeWidth: 3, strokeColor: "#fff", color: "#333" },
             selectionWidth: 2 }
  };
  var container = document.getElementById("network");
  var network = new vis.Network(container, { nodes: nodes, edges: edges }, options);

  /* The time axis and lanes of the lineage picture, drawn under the network in its coordinates. */
  if (data.axis) {
    network.on("beforeDrawing", function (ctx) {
      var topLeft = network.DOMtoCanvas({ x: 0, y: 0 });
      var bottomRight = network.DOMtoCanvas({ x: container.clientWidth, y: container.clientHeight });
      ctx.save();
      ctx.lineWidth = 1;
      ctx.font = "14px system-ui, sans-serif";
      data.axis.ticks.forEach(function (t) {
        ctx.strokeStyle = "#e4e4e4";
        ctx.beginPath(); ctx.moveTo(t.x, topLeft.y); ctx.lineTo(t.x, bottomRight.y); ctx.stroke();
        ctx.fillStyle = "#888";
        ctx.fillText(t.label, t.x + 4, data.axis.top - 30);
      });
      data.axis.lanes.forEach(function (l) {
        ctx.fillStyle = "#999";
        ctx.fillText(l.label, data.axis.left - 10, l.y - 28);
      });
      ctx.restore();
    });
  }

  /* Once drawn, say so on <html>: tests and benchmarks read these attributes. */
  var t0 = performance.now();
  network.once("afterDrawing", function () {
    var canvas = container.querySelector("canvas");
    var painted = 0;
    try {
      var ctx = canvas.getContext("2d");
      var img = ctx.getImageData(0, 0, canvas.width, canvas.height).data;
      for (var i = 3; i < img.length; i += 4 * 7) { if (img[i] > 0) { painted++; } }
    } catch (err) { painted = -1; }
    root.setAttribute("data-painted", String(painted));
    root.setAttribute("data-render-ms", String(Math.round(performance.now())));
    root.setAttribute("data-stable-ms", String(Math.round(performance.now())));
    root.setAttribute("data-nodes", String(data.nodes.length));
    root.setAttribute("data-rendered", "true");
  });
  network.fit({ animation: false });

  /* Legend, with one checkbox per kind of edge. */
  var hiddenKinds = {};
  var legendNodes = document.getElementById("legend-nodes");
  legendNodes.appendChild(el("h2", data.node_legend_title || "Nodes"));
  data.types.forEach(function (t) {
    var row = el("div", null, "legend-row");
    var sw = el("span", null, "swatch");
    sw.style.background = t.color;
    row.appendChild(sw);
    row.appendChild(el("span", t.name));
    row.appendChild(el("span", t.count, "count"));
    legendNodes.appendChild(row);
  });
  var legendEdges = document.getElementById("legend-edges");
  legendEdges.appendChild(el("h2", "Edges (tick to show)"));
  data.kinds.forEach(function (k) {
    var row = el("label", null, "legend-row");
    var box = document.createElement("input");
    box.type = "checkbox";
    box.checked = true;
    box.setAttribute("data-kind", k.key);
    box.addEventListener("change", function () { hiddenKinds[k.key] = !box.checked; applyFilter(); });
    row.appendChild(box);
    var line = el("span", null, "line" + (k.dashes ? " dashed" : ""));
    line.style.borderTopColor = k.color;
    row.appendChild(line);
    row.appendChild(el("span", k.name));
    row.appendChild(el("span", k.count, "count"));
    legendEdges.appendChild(row);
  });

  /* Search box and selection menu. */
  var names = document.getElementById("names");
  var labels = data.nodes.map(function (n) { return n.label; }).sort();
  labels.forEach(function (label, i) {
    if (i === 0 || label !== labels[i - 1]) { var o = document.createElement("option"); o.value = label; names.appendChild(o); }
  });
  var show = document.getElementById("show");
  data.menu.forEach(function (m) {
    var o = document.createElement("option");
    o.value = m.id;
    o.textContent = m.label;
    show.appendChild(o);
  });

  var neighbours = {};
  data.edges.forEach(function (e) {
    (neighbours[e.from] = neighbours[e.from] || []).push(e.to);
    (neighbours[e.to] = neighbours[e.to] || []).push(e.from);
  });

  function applyFilter() {
    var only = show.value;
    var visible = null;
    if (only) {
      visible = {};
      visible[only] = true;
      data.edges.forEach(function (e) {
        if (hiddenKinds[e.kind]) { return; }
        if (e.from === only) { visible[e.to] = true; }
        if (e.to === only) { visible[e.from] = true; }
      });
    }
    nodes.update(data.nodes.map(function (n) { return { id: n.id, hidden: visible !== null && !visible[n.id] }; }));
    edges.update(data.edges.map(function (e) {
      var hide = !!hiddenKinds[e.kind] || (visible !== null && !(visible[e.from] && visible[e.to]));
      return { id: e.id, hidden: hide };
    }));
    root.setAttribute("data-visible-nodes", String(visible === null ? data.nodes.length : Object.keys(visible).length));
  }
  show.addEventListener("change", function () { applyFilter(); network.fit({ animation: false }); });
  document.getElementById("reset").addEventListener("click", function () {
    show.value = "";
    hiddenKinds = {};
    legendEdges.querySelectorAll("input[type=checkbox]").forEach(function (b) { b.checked = true; });
    applyFilter();
    network.unselectAll();
    network.fit({ animation: false });
  });

  function findNode(text) {
    var q = text.trim().toLowerCase();
    if (!q) { return null; }
    var exact = null, starts = null, contains = null;
    data.nodes.forEach(function (n) {
      var names = [n.label, n.name].concat(n.aliases || []).map(function (s) { return String(s).toLowerCase(); });
      if (!exact && names.indexOf(q) >= 0) { exact = n; }
      if (!starts && names.some(function (s) { return s.indexOf(q) === 0; })) { starts = n; }
      if (!contains && names.some(function (s) { return s.indexOf(q) >= 0; })) { contains = n; }
    });
    return exact || starts || contains;
  }
  var find = document.getElementById("find");
  function doFind() {
    var n = findNode(find.value);
    root.setAttribute("data-found", n ? n.id : "");
    if (!n) { return; }
    if (nodes.get(n.id).hidden) { show.value = ""; applyFilter(); }
    network.selectNodes([n.id]);
    network.focus(n.id, { scale: Math.max(network.getScale(), 1.0), animation: false });
    showNode(n);
  }
  find.addEventListener("change", doFind);
  find.addEventListener("keydown", function (ev) { if (ev.key === "Enter") { doFind(); } });

  /* Details panel. */
  var details = document.getElementById("details");
  function clearDetails() {
    while (details.firstChild) { details.removeChild(details.firstChild); }
    details.appendChild(el("h2", "Details"));
  }
  function addLink(url) {
    var p = el("p", null, "where");
    if (SAFE_LINK.test(url)) {
      var a = el("a", url);
      a.href = url;
      a.rel = "noopener noreferrer";
      a.target = "_blank";
      p.appendChild(a);
    } else {
      p.textContent = url;
    }
    details.appendChild(p);
  }
  function showNode(n) {
    clearDetails();
    details.appendChild(el("h3", n.label));
    details.appendChild(el("p", n.type + (n.date ? ", " + n.date : ""), "kind"));
    if (n.name && n.name !== n.label) { details.appendChild(el("p", n.name)); }
    (n.details || []).forEach(function (d) { if (d !== n.name) { details.appendChild(el("p", d)); } });
    if (n.aliases && n.aliases.length) { details.appendChild(el("p", "Also: " + n.aliases.join("; "), "where")); }
    details.appendChild(el("p", n.links + (n.links === 1 ? " link" : " links"), "where"));
    if (n.link) { addLink(n.link); }
    details.appendChild(el("p", n.id, "where"));
  }
  function showEdge(e) {
    clearDetails();
    var from = nodeById[e.from], to = nodeById[e.to];
    details.appendChild(el("h3", from.label + " \u2014 " + e.label + " \u2014 " + to.label));
    if (e.detail) { details.appendChild(el("p", e.detail, "kind")); }
    if (e.when) { details.appendChild(el("p", e.when, "kind")); }
    (e.evidence || []).forEach(function (ev) {
      details.appendChild(el("p", "Paragraph " + (ev.number || "?") + " of " + ev.document_label, "where"));
      if (ev.quote) { details.appendChild(el("blockquote", ev.quote)); }
    });
    if (e.fact) { details.appendChild(el("p", e.fact, "where")); }
  }
  network.on("click", function (params) {
    if (params.nodes.length) { showNode(nodeById[params.nodes[0]]); }
    else if (params.edges.length) { showEdge(edgeById[params.edges[0]]); }
  });

  if (data.focus) { network.selectNodes([data.focus]); }
  window.untocNetwork = network;
}());
