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
      var said = first.sentence || first.quote;
      if (said) { lines.push("\u201c" + clip(said, 360) + "\u201d"); }
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
                 color: { color: e.color, highlight: e.color, hover: e.color, opacity: e.opacity },
                 arrows: { to: { enabled: e.arrow, scaleFactor: 0.6 } }, font: { multi: false } };
    if (e.show_label) { edge.label = e.label; }
    if (e.roundness) { edge.smooth = { enabled: true, type: e.roundness > 0 ? "curvedCW" : "curvedCCW",
                                       roundness: Math.abs(e.roundness) }; }
    return edge;
  }));

  var big = data.big;
  var BASE_FONT = 14, MIN_FONT_PX = 12, EDGE_FONT = 12, MIN_EDGE_FONT_PX = 10;
  var options = {
    autoResize: true,
    physics: false,
    layout: { improvedLayout: false, randomSeed: 1 },
    interaction: { hover: !big, tooltipDelay: 120, hideEdgesOnDrag: big, hideEdgesOnZoom: big,
                   navigationButtons: false, keyboard: false, multiselect: false },
    nodes: { borderWidth: 1, font: { size: BASE_FONT, face: "system-ui, sans-serif", strokeWidth: 3, strokeColor: "#fff" },
             scaling: { label: { drawThreshold: 4 } } },
    edges: { smooth: false,
             font: { size: EDGE_FONT, align: "horizontal", strokeWidth: 3, strokeColor: "#fff", color: "#333" },
             scaling: { label: { drawThreshold: MIN_EDGE_FONT_PX - 0.5 } },
             selectionWidth: 2 }
  };
  var container = document.getElementById("network");
  var network = new vis.Network(container, { nodes: nodes, edges: edges }, options);

  /* ---- The time axis and lanes of the lineage picture, drawn under the network in its coordinates.
     Text keeps at least MIN_FONT_PX on screen; years are thinned so that their labels never touch. */
  function axisFont(scale) { return Math.max(BASE_FONT, MIN_FONT_PX / (scale || network.getScale())); }
  function tickStep() {
    if (!data.axis || data.axis.ticks.length < 2) { return 1; }
    var spacing = Math.abs(data.axis.ticks[1].x - data.axis.ticks[0].x) * network.getScale();
    var step = 1;
    while (spacing * step < 44) { step += 1; }
    return step;
  }
  /* the row of years sits above the first band, its label above the band's nodes, both in screen terms */
  function axisTop(scale) { return data.axis.top - 2.8 * axisFont(scale); }
  function laneLabelY(lane, scale) { return lane.y - 1.4 * axisFont(scale); }
  if (data.axis) {
    network.on("beforeDrawing", function (ctx) {
      var topLeft = network.DOMtoCanvas({ x: 0, y: 0 });
      var bottomRight = network.DOMtoCanvas({ x: container.clientWidth, y: container.clientHeight });
      var size = axisFont(), step = tickStep();
      ctx.save();
      ctx.lineWidth = 1 / network.getScale();
      ctx.font = size + "px system-ui, sans-serif";
      data.axis.ticks.forEach(function (t, i) {
        ctx.strokeStyle = "#e4e4e4";
        ctx.beginPath(); ctx.moveTo(t.x, topLeft.y); ctx.lineTo(t.x, bottomRight.y); ctx.stroke();
        if (i % step === 0) {
          ctx.fillStyle = "#666";
          ctx.fillText(t.label, t.x + 4 / network.getScale(), axisTop());
        }
      });
      data.axis.lanes.forEach(function (l) {
        ctx.fillStyle = "#888";
        ctx.fillText(l.label, data.axis.left - 10, laneLabelY(l));
      });
      ctx.restore();
    });
  }

  /* ---- Fitting: every visible node, and the axis, inside the frame, with room for labels. */
  var MARGIN = { left: 24, right: 24, top: 24, bottom: 48 };
  function visibleIds() {
    return data.nodes.filter(function (n) { return !nodes.get(n.id).hidden; }).map(function (n) { return n.id; });
  }
  function drawingBox(scale) {
    var ids = visibleIds();
    if (!ids.length) { ids = data.nodes.map(function (n) { return n.id; }); }
    var where = network.getPositions(ids);
    var box = { left: Infinity, right: -Infinity, top: Infinity, bottom: -Infinity };
    ids.forEach(function (id) {
      var p = where[id], r = nodeById[id].size;
      box.left = Math.min(box.left, p.x - r); box.right = Math.max(box.right, p.x + r);
      box.top = Math.min(box.top, p.y - r); box.bottom = Math.max(box.bottom, p.y + r);
    });
    if (data.axis && ids.length === data.nodes.length) {
      box.left = Math.min(box.left, data.axis.left - 10);
      box.top = Math.min(box.top, axisTop(scale) - axisFont(scale));
      data.axis.ticks.forEach(function (t) {
        box.left = Math.min(box.left, t.x); box.right = Math.max(box.right, t.x + 3 * axisFont(scale));
      });
    }
    return box;
  }
  function fitAll() {
    var width = container.clientWidth, height = container.clientHeight;
    if (!width || !height) { return; }
    var room = { w: Math.max(width - MARGIN.left - MARGIN.right, 40), h: Math.max(height - MARGIN.top - MARGIN.bottom, 40) };
    var box, scale = network.getScale();
    for (var pass = 0; pass < 3; pass++) {  /* the axis' text is sized on screen: its box depends on the scale */
      box = drawingBox(scale);
      scale = Math.min(room.w / Math.max(box.right - box.left, 1), room.h / Math.max(box.bottom - box.top, 1), 1.6);
    }
    var centre = { x: (box.left + box.right) / 2, y: (box.top + box.bottom) / 2 };
    /* the box's middle goes to the middle of the room left by the margins, not of the frame */
    var shift = { x: ((MARGIN.left - MARGIN.right) / 2) / scale, y: ((MARGIN.top - MARGIN.bottom) / 2) / scale };
    network.moveTo({ position: { x: centre.x - shift.x, y: centre.y - shift.y }, scale: scale, animation: false });
    relabel();
  }

  /* ---- Labels: never smaller than MIN_FONT_PX on screen, never over one another, never cut by the
     frame. Stronger nodes are labelled first; a label that would touch one already placed is left
     out (hover or zoom in to read it). */
  var measure = document.createElement("canvas").getContext("2d");
  var shownLabel = {}, shownEdgeLabel = {};
  var currentFont = BASE_FONT;
  var relabelPending = false;
  var labelOrder = data.nodes.slice().sort(function (a, b) {
    var fa = a.id === data.focus ? 1 : 0, fb = b.id === data.focus ? 1 : 0;
    return (fb - fa) || (b.size - a.size) || (b.links - a.links) || (a.label < b.label ? -1 : a.label > b.label ? 1 : 0);
  });
  function labelBox(n, p, scale, px) {
    var lines = n.display.split("\n");
    measure.font = px + "px system-ui, sans-serif";
    var w = 0;
    lines.forEach(function (line) { w = Math.max(w, measure.measureText(line).width); });
    var pad = 3;
    var top = p.y + (n.size + 3) * scale;
    return { left: p.x - w / 2 - pad, right: p.x + w / 2 + pad, top: top - 1, bottom: top + lines.length * px * 1.25 + pad };
  }
  function relabel() {
    relabelPending = false;
    var scale = network.getScale();
    var font = Math.max(BASE_FONT, MIN_FONT_PX / scale);
    if (Math.abs(font - currentFont) > 0.01) {
      currentFont = font;
      network.setOptions({ nodes: { font: { size: font } } });
    }
    var px = font * scale;
    var width = container.clientWidth, height = container.clientHeight;
    var placed = [], cell = 80, grid = {};
    function key(i, j) { return i + "," + j; }
    function collides(b) {
      for (var i = Math.floor(b.left / cell); i <= Math.floor(b.right / cell); i++) {
        for (var j = Math.floor(b.top / cell); j <= Math.floor(b.bottom / cell); j++) {
          var list = grid[key(i, j)] || [];
          for (var k = 0; k < list.length; k++) {
            var o = list[k];
            if (b.left < o.right && o.left < b.right && b.top < o.bottom && o.top < b.bottom) { return true; }
          }
        }
      }
      return false;
    }
    function add(b) {
      placed.push(b);
      for (var i = Math.floor(b.left / cell); i <= Math.floor(b.right / cell); i++) {
        for (var j = Math.floor(b.top / cell); j <= Math.floor(b.bottom / cell); j++) {
          (grid[key(i, j)] = grid[key(i, j)] || []).push(b);
        }
      }
    }
    var ids = labelOrder.map(function (n) { return n.id; });
    var where = network.getPositions(ids);
    /* node dots are obstacles too: a label must not cover another node */
    labelOrder.forEach(function (n) {
      if (nodes.get(n.id).hidden) { return; }
      var p = network.canvasToDOM(where[n.id]), r = n.size * scale;
      add({ left: p.x - r, right: p.x + r, top: p.y - r, bottom: p.y + r, node: n.id });
    });
    var changes = [], shown = 0;
    labelOrder.forEach(function (n) {
      var visible = false;
      if (!nodes.get(n.id).hidden && px >= 4) {
        var b = labelBox(n, network.canvasToDOM(where[n.id]), scale, px);
        var inside = b.left >= 0 && b.top >= 0 && b.right <= width && b.bottom <= height;
        var self = { left: b.left, right: b.right, top: b.top, bottom: b.bottom };
        if (inside && !collidesExcept(self, n.id)) { add(self); visible = true; }
      }
      if (visible) { shown++; }
      if (shownLabel[n.id] !== visible) {
        shownLabel[n.id] = visible;
        changes.push({ id: n.id, label: visible ? n.display : "" });
      }
    });
    function collidesExcept(b, id) {
      for (var i = Math.floor(b.left / cell); i <= Math.floor(b.right / cell); i++) {
        for (var j = Math.floor(b.top / cell); j <= Math.floor(b.bottom / cell); j++) {
          var list = grid[key(i, j)] || [];
          for (var k = 0; k < list.length; k++) {
            var o = list[k];
            if (o.node === id) { continue; }
            if (b.left < o.right && o.left < b.right && b.top < o.bottom && o.top < b.bottom) { return true; }
          }
        }
      }
      return false;
    }
    if (changes.length) { nodes.update(changes); }
    /* edge labels ("agreement", "member of") after the names, and only where they touch nothing */
    var edgePx = EDGE_FONT * scale, edgeChanges = [];
    measure.font = edgePx + "px system-ui, sans-serif";
    data.edges.forEach(function (e) {
      if (!e.show_label) { return; }
      var visible = false;
      if (edgePx >= MIN_EDGE_FONT_PX && !edges.get(e.id).hidden) {
        var a = network.canvasToDOM(where[e.from]), b = network.canvasToDOM(where[e.to]);
        var mid = { x: (a.x + b.x) / 2, y: (a.y + b.y) / 2 };
        if (e.roundness) {  /* a quadratic curve's middle lies half way to its control point */
          var sign = e.roundness > 0 ? 1 : -1, r = Math.abs(e.roundness);
          mid.x -= sign * (b.y - a.y) * r / 2; mid.y += sign * (b.x - a.x) * r / 2;
        }
        var w = measure.measureText(e.label).width / 2 + 3, hgt = edgePx * 0.75 + 2;
        var box = { left: mid.x - w, right: mid.x + w, top: mid.y - hgt, bottom: mid.y + hgt };
        var inside = box.left >= 0 && box.top >= 0 && box.right <= width && box.bottom <= height;
        if (inside && !collidesExcept(box, null)) { add(box); visible = true; }
      }
      if (shownEdgeLabel[e.id] !== visible) {
        shownEdgeLabel[e.id] = visible;
        /* vis-network keeps an edge's old label when given "": a space draws nothing */
        edgeChanges.push({ id: e.id, label: visible ? e.label : " " });
      }
    });
    if (edgeChanges.length) { edges.update(edgeChanges); }
    root.setAttribute("data-labels-shown", String(shown));
    root.setAttribute("data-label-px", String(Math.round(px * 10) / 10));
  }
  function scheduleRelabel() {
    if (relabelPending) { return; }
    relabelPending = true;
    window.setTimeout(relabel, 60);
  }
  network.on("zoom", scheduleRelabel);
  network.on("dragEnd", scheduleRelabel);

  /* Once drawn, say so on <html>: tests and benchmarks read these attributes. */
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

  /* ---- Zoom and fit buttons; refit when the frame changes size (window resized, printing). */
  function zoomBy(factor) {
    network.moveTo({ scale: network.getScale() * factor, animation: false });
    relabel();
  }
  document.getElementById("zoom-in").addEventListener("click", function () { zoomBy(1.4); });
  document.getElementById("zoom-out").addEventListener("click", function () { zoomBy(1 / 1.4); });
  document.getElementById("fit").addEventListener("click", fitAll);
  var lastSize = "";
  var resizeTimer = null;
  function onResize() {
    var size = container.clientWidth + "x" + container.clientHeight;
    if (size === lastSize) { return; }
    lastSize = size;
    window.clearTimeout(resizeTimer);
    resizeTimer = window.setTimeout(function () {
      network.setSize("100%", "100%");
      network.redraw();
      fitAll();
      root.setAttribute("data-fitted", size);
    }, 50);
  }
  if (window.ResizeObserver) { new ResizeObserver(onResize).observe(container); }
  window.addEventListener("resize", onResize);
  window.addEventListener("beforeprint", function () { network.setSize("100%", "100%"); network.redraw(); fitAll(); });

  /* ---- Legend, with one checkbox per kind of edge; some kinds start unticked. */
  var hiddenKinds = {};
  data.kinds.forEach(function (k) { if (k.hidden) { hiddenKinds[k.key] = true; } });
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
  function legendBoxes() { return legendEdges.querySelectorAll("input[type=checkbox]"); }
  data.kinds.forEach(function (k) {
    var row = el("label", null, "legend-row");
    var box = document.createElement("input");
    box.type = "checkbox";
    box.checked = !k.hidden;
    box.setAttribute("data-kind", k.key);
    box.addEventListener("change", function () { hiddenKinds[k.key] = !box.checked; applyFilter(); });
    row.appendChild(box);
    var line = el("span", null, "line" + (k.dashes ? " dashed" : ""));
    line.style.borderTopColor = k.color;
    row.appendChild(line);
    row.appendChild(el("span", k.name + (k.hidden ? " (hidden at first)" : "")));
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
    scheduleRelabel();
  }
  show.addEventListener("change", function () { applyFilter(); fitAll(); });
  document.getElementById("reset").addEventListener("click", function () {
    show.value = "";
    hiddenKinds = {};
    data.kinds.forEach(function (k) { if (k.hidden) { hiddenKinds[k.key] = true; } });
    legendBoxes().forEach(function (b) { b.checked = !hiddenKinds[b.getAttribute("data-kind")]; });
    applyFilter();
    network.unselectAll();
    fitAll();
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
    relabel();
    showNode(n);
  }
  find.addEventListener("change", doFind);
  find.addEventListener("keydown", function (ev) { if (ev.key === "Enter") { doFind(); } });

  /* ---- Details panel. */
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
  /* the paragraph, with the sentence that states the tie marked (text nodes and <mark> only) */
  function quoteWithSentence(ev) {
    var q = el("blockquote");
    var text = String(ev.quote).split(/\s+/).join(" ").trim();
    var sentence = String(ev.sentence || "").replace(/^\u2026/, "").replace(/\u2026$/, "");
    var at = sentence ? text.indexOf(sentence) : -1;
    if (at < 0) { q.textContent = text; return q; }
    q.appendChild(document.createTextNode(text.slice(0, at)));
    q.appendChild(el("mark", sentence));
    q.appendChild(document.createTextNode(text.slice(at + sentence.length)));
    return q;
  }
  function showEdge(e) {
    clearDetails();
    var from = nodeById[e.from], to = nodeById[e.to];
    details.appendChild(el("h3", from.label + " \u2014 " + e.label + " \u2014 " + to.label));
    if (e.detail) { details.appendChild(el("p", e.detail, "kind")); }
    if (e.when) { details.appendChild(el("p", e.when, "kind")); }
    (e.evidence || []).forEach(function (ev) {
      details.appendChild(el("p", "Paragraph " + (ev.number || "?") + " of " + ev.document_label, "where"));
      if (ev.quote) { details.appendChild(quoteWithSentence(ev)); }
    });
    if (e.fact) { details.appendChild(el("p", e.fact, "where")); }
  }
  network.on("click", function (params) {
    if (params.nodes.length) { showNode(nodeById[params.nodes[0]]); }
    else if (params.edges.length) { showEdge(edgeById[params.edges[0]]); }
  });

  /* ---- Downloads: the picture as shown (PNG), the whole picture as a drawing (SVG), the table
     behind it (CSV). Built from data with DOM methods: no label is ever parsed as markup. */
  var fileBase = (document.title || "untoc-kg").toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "") || "untoc-kg";
  function download(name, blob) {
    var a = document.createElement("a");
    a.href = URL.createObjectURL(blob);
    a.download = name;
    document.body.appendChild(a);
    a.click();
    window.setTimeout(function () { URL.revokeObjectURL(a.href); a.remove(); }, 1000);
  }
  function pngCanvas() {
    var source = container.querySelector("canvas");
    var out = document.createElement("canvas");
    out.width = source.width; out.height = source.height;
    var ctx = out.getContext("2d");
    ctx.fillStyle = "#fff";
    ctx.fillRect(0, 0, out.width, out.height);
    ctx.drawImage(source, 0, 0);
    return out;
  }
  var SVG_NS = "http://www.w3.org/2000/svg";
  function svgEl(tag, attrs, text) {
    var e = document.createElementNS(SVG_NS, tag);
    Object.keys(attrs || {}).forEach(function (k) { e.setAttribute(k, String(attrs[k])); });
    if (text !== undefined) { e.textContent = String(text); }
    return e;
  }
  function svgText() {
    var ids = visibleIds();
    var shownIds = {};
    ids.forEach(function (id) { shownIds[id] = true; });
    var where = network.getPositions(ids);
    var box = { left: Infinity, right: -Infinity, top: Infinity, bottom: -Infinity };
    ids.forEach(function (id) {
      var p = where[id], n = nodeById[id];
      var w = Math.max.apply(null, n.display.split("\n").map(function (l) { return l.length; })) * BASE_FONT * 0.3;
      box.left = Math.min(box.left, p.x - Math.max(n.size, w)); box.right = Math.max(box.right, p.x + Math.max(n.size, w));
      box.top = Math.min(box.top, p.y - n.size); box.bottom = Math.max(box.bottom, p.y + n.size + 3 + 3 * BASE_FONT * 1.25);
    });
    if (data.axis && ids.length === data.nodes.length) {
      box.top = Math.min(box.top, axisTop(1) - BASE_FONT);
      box.left = Math.min(box.left, data.axis.left - 10);
      data.axis.ticks.forEach(function (t) { box.left = Math.min(box.left, t.x); box.right = Math.max(box.right, t.x + 40); });
    }
    var pad = 20;
    var vb = [box.left - pad, box.top - pad, box.right - box.left + 2 * pad, box.bottom - box.top + 2 * pad];
    var svg = svgEl("svg", { xmlns: SVG_NS, viewBox: vb.map(function (v) { return Math.round(v); }).join(" "),
                             width: Math.round(vb[2]), height: Math.round(vb[3]), "font-family": "system-ui, sans-serif" });
    svg.appendChild(svgEl("title", {}, document.title));
    svg.appendChild(svgEl("rect", { x: vb[0], y: vb[1], width: vb[2], height: vb[3], fill: "#fff" }));
    var defs = svgEl("defs");
    svg.appendChild(defs);
    var markers = {};
    function marker(colour) {
      if (!markers[colour]) {
        var id = "arrow" + Object.keys(markers).length;
        var m = svgEl("marker", { id: id, viewBox: "0 0 10 10", refX: 10, refY: 5, markerWidth: 6, markerHeight: 6,
                                  orient: "auto-start-reverse" });
        m.appendChild(svgEl("path", { d: "M0,0 L10,5 L0,10 z", fill: colour }));
        defs.appendChild(m);
        markers[colour] = id;
      }
      return markers[colour];
    }
    if (data.axis && ids.length === data.nodes.length) {
      var axis = svgEl("g", { "class": "axis", fill: "#666", "font-size": BASE_FONT });
      data.axis.ticks.forEach(function (t) {
        axis.appendChild(svgEl("line", { x1: t.x, x2: t.x, y1: vb[1], y2: vb[1] + vb[3], stroke: "#e4e4e4" }));
        axis.appendChild(svgEl("text", { x: t.x + 4, y: axisTop(1) }, t.label));
      });
      data.axis.lanes.forEach(function (l) { axis.appendChild(svgEl("text", { x: data.axis.left - 10, y: laneLabelY(l, 1) }, l.label)); });
      svg.appendChild(axis);
    }
    var edgeGroup = svgEl("g", { "class": "edges", fill: "none" });
    data.edges.forEach(function (e) {
      if (edges.get(e.id).hidden || !shownIds[e.from] || !shownIds[e.to]) { return; }
      var a = where[e.from], b = where[e.to];
      var attrs = { stroke: e.color, "stroke-width": e.width, "stroke-opacity": e.opacity };
      if (e.dashes) { attrs["stroke-dasharray"] = "6 4"; }
      if (e.arrow) { attrs["marker-end"] = "url(#" + marker(e.color) + ")"; }
      var r = nodeById[e.to].size, dx = b.x - a.x, dy = b.y - a.y, len = Math.sqrt(dx * dx + dy * dy) || 1;
      var end = { x: b.x - dx / len * r, y: b.y - dy / len * r };
      if (e.roundness) {
        var sign = e.roundness > 0 ? 1 : -1;
        var c = { x: (a.x + b.x) / 2 - sign * dy * Math.abs(e.roundness), y: (a.y + b.y) / 2 + sign * dx * Math.abs(e.roundness) };
        attrs.d = "M" + a.x + "," + a.y + " Q" + c.x + "," + c.y + " " + end.x + "," + end.y;
      } else {
        attrs.d = "M" + a.x + "," + a.y + " L" + end.x + "," + end.y;
      }
      var path = svgEl("path", attrs);
      path.appendChild(svgEl("title", {}, nodeById[e.from].label + " \u2014 " + e.label + " \u2014 " + nodeById[e.to].label));
      edgeGroup.appendChild(path);
    });
    svg.appendChild(edgeGroup);
    var nodeGroup = svgEl("g", { "class": "nodes", "font-size": BASE_FONT, "text-anchor": "middle" });
    ids.forEach(function (id) {
      var n = nodeById[id], p = where[id];
      var g = svgEl("g", { "data-id": id });
      g.appendChild(svgEl("title", {}, n.name));
      g.appendChild(svgEl("circle", { cx: p.x, cy: p.y, r: n.size, fill: n.color, stroke: n.border }));
      var text = svgEl("text", { x: p.x, y: p.y + n.size + 3 + BASE_FONT, stroke: "#fff", "stroke-width": 3,
                                 "paint-order": "stroke", fill: "#1b1b1b" });
      n.display.split("\n").forEach(function (line, i) {
        text.appendChild(svgEl("tspan", { x: p.x, dy: i === 0 ? 0 : BASE_FONT * 1.25 }, line));
      });
      g.appendChild(text);
      nodeGroup.appendChild(g);
    });
    svg.appendChild(nodeGroup);
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + new XMLSerializer().serializeToString(svg) + "\n";
  }
  function csvCell(value) {
    var text = String(value === undefined || value === null ? "" : value);
    if (/^[=+@\t\r]/.test(text)) { text = "'" + text; }  /* a spreadsheet must not run a cell as a formula */
    return /[",\r\n]/.test(text) ? '"' + text.replace(/"/g, '""') + '"' : text;
  }
  function csvText() {
    var rows = [["source", "source_iri", "relation", "target", "target_iri", "date", "detail",
                 "document", "paragraph", "sentence", "fact"]];
    data.edges.forEach(function (e) {
      var from = nodeById[e.from], to = nodeById[e.to];
      var evidence = e.evidence && e.evidence.length ? e.evidence : [{}];
      evidence.forEach(function (ev) {
        rows.push([from.name, from.id, e.label, to.name, to.id, e.when, e.detail, ev.document_label || "",
                   ev.number || "", ev.sentence || "", e.fact]);
      });
    });
    return rows.map(function (r) { return r.map(csvCell).join(","); }).join("\r\n") + "\r\n";
  }
  document.getElementById("download-png").addEventListener("click", function () {
    pngCanvas().toBlob(function (blob) { download(fileBase + ".png", blob); }, "image/png");
  });
  document.getElementById("download-svg").addEventListener("click", function () {
    download(fileBase + ".svg", new Blob([svgText()], { type: "image/svg+xml" }));
  });
  document.getElementById("download-csv").addEventListener("click", function () {
    download(fileBase + ".csv", new Blob(["\ufeff" + csvText()], { type: "text/csv" }));
  });

  applyFilter();
  lastSize = container.clientWidth + "x" + container.clientHeight;
  fitAll();
  if (data.focus) { network.selectNodes([data.focus]); }
  window.untocNetwork = network;
  window.untocPage = { fit: fitAll, relabel: relabel, svg: svgText, csv: csvText,
                       png: function () { return pngCanvas().toDataURL("image/png"); } };
}());
