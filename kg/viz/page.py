"""A projection as one self-contained HTML page that works offline and cannot be turned against its reader.

Why our own template and not pyvis's (PITFALLS.md): pyvis 0.3.2 writes the heading and node ids
into the page unescaped, switches every tooltip to `innerHTML` as soon as one contains `href`, and
links Bootstrap from a CDN even with `cdn_resources="in_line"`. So the page is ours:

- the graph travels as JSON in a `<script type="application/json">` block, with `<`, `>` and `&`
  written as `\\u003c`… so that no label can close the block; the page's script reads it with
  `JSON.parse` and shows text only through `textContent`, the canvas and vis-network's text tooltips;
- the title and description pass through Jinja with autoescaping;
- vis-network's JavaScript is read from the pyvis package's files (without importing pyvis, which
  imports IPython) and inlined, as are our script and style: no request leaves the page;
- a Content-Security-Policy allows exactly those inline scripts and style (by hash) and nothing
  else: no other script, no inline event handler, no image, no connection, even if something
  slipped into the HTML;
- positions are computed beforehand (`layout.py`) and physics is off, so large graphs draw at once.
"""

from __future__ import annotations

import base64
import hashlib
import importlib.util
import json
import math
import textwrap
from collections import Counter, defaultdict
from functools import lru_cache
from importlib.resources import files
from pathlib import Path

import networkx as nx

from .layout import positions, tie_weight
from .sentences import stating_sentence

VIS_VERSION = "9.1.2"

NODE_COLOURS = {
    "UN entity": "#4c9be8",
    "intergovernmental organization": "#f29e4c",
    "inter-agency mechanism": "#59b36b",
    "non-governmental organization": "#e15759",
    "Conference of the Parties": "#8f6cc7",
    "working group": "#a0785a",
    "other body": "#9aa0a6",
    "State": "#4fc1c9",
    "decision": "#e0c341",
    "resolution": "#c8a62a",
    "act": "#d8c05a",
    "draft": "#e58fc9",
    "meeting": "#7f8ea3",
    "document": "#8fd18a",
    "instrument": "#b9a3dd",
    # participation: capacities
    "State party": "#2f6db5",
    "signatory": "#8fb8e8",
    "observer State": "#f28e2b",
    "non-member observer State": "#ffbe7d",
    "regional organization party": "#59a14f",
    "UN entity observer": "#8cd17d",
    "intergovernmental observer": "#e15759",
    "other observer": "#b07aa1",
}
EDGE_COLOURS = {
    "agreement": "#d62728", "joint-programme": "#ff7f0e", "coordinates": "#2ca02c", "chairs": "#9467bd",
    "manages": "#8c564b", "member": "#1f77b4", "partner": "#e377c2", "co-observer": "#b8b8b8",
    "Establishment": "#2ca02c", "Continuation": "#1f77b4", "Extension": "#17becf", "Modification": "#bcbd22",
    "Termination": "#d62728", "Request": "#ff7f0e", "Fulfilment": "#8c564b", "Proposal": "#e377c2",
    "recalls": "#9467bd", "adopted-at": "#7f7f7f", "adopted-by": "#7f7f7f", "submitted-for": "#c7c7c7",
    "session-of": "#c7c7c7",
    "StateParty": "#2f6db5", "Signatory": "#8fb8e8", "ObserverState": "#f28e2b",
    "NonMemberObserverState": "#ffbe7d", "RegionalOrganizationParty": "#59a14f",
    "UNEntityObserver": "#8cd17d", "IntergovernmentalObserver": "#e15759", "OtherObserver": "#b07aa1",
    "references": "#9aa7b8", "pursuant-to": "#2ca02c",
}
FALLBACK = ["#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948", "#b07aa1", "#ff9da7",
            "#9c755f", "#bab0ac"]
UNDIRECTED = {"agreement", "joint-programme", "co-observer"}
DASHED = {"co-observer", "recalls", "Proposal", "submitted-for"}
NO_LABEL = {"co-observer", "session-of", "adopted-by", "adopted-at", "submitted-for", "references"}
HIDDEN_BY_DEFAULT = {"co-observer"}
"""Kinds of edge the page opens with unticked: being observers at the same meeting says little about
a tie and, 78 of them in the landscape, hid the ties that do; one tick in the legend shows them."""
BIG_NODES = 1000
BIG_EDGES = 3000
LABELLED_EDGES_MAX = 250


class PageError(RuntimeError):
    """The page cannot be made (vis-network's script not found); says what to install."""


def _colour(table: dict[str, str], key: str, seen: dict[str, str]) -> str:
    if key in table:
        return table[key]
    if key not in seen:
        seen[key] = FALLBACK[len(seen) % len(FALLBACK)]
    return seen[key]


def _wrap(label: str, width: int = 22, lines: int = 3) -> str:
    """vis-network draws labels on one line unless told: wrap long names, plain text, "\\n" only."""
    parts = textwrap.wrap(label, width=width, break_long_words=True) or [label]
    if len(parts) > lines:
        parts = parts[:lines]
        parts[-1] = parts[-1][: width - 1].rstrip() + "…"
    return "\n".join(parts)


def _when(data: dict) -> str:
    if data.get("date") and data.get("until"):
        return f"{data['date']} to {data['until']}"
    return data.get("date", "")


def _names_of(data: dict) -> list[str]:
    """Every name a node goes by, for finding the sentence that names it."""
    return [str(n) for n in [data.get("label", ""), data.get("name", ""), *data.get("aliases", [])] if n]


def page_data(graph: nx.MultiDiGraph, seed: int = 7) -> dict:
    """Everything the page's script needs, as plain JSON-able data: positions, colours, texts."""
    kinds_known: dict[str, str] = graph.graph.get("kinds", {})
    big = graph.number_of_nodes() > BIG_NODES or graph.number_of_edges() > BIG_EDGES
    pos, axis = positions(graph, seed=seed)

    degree = Counter()
    weight: Counter = Counter()
    for u, v, kind in graph.edges(data="kind"):
        degree[u] += 1
        degree[v] += 1
        weight[u] += tie_weight(kind or "")
        weight[v] += tie_weight(kind or "")
    extra_colours: dict[str, str] = {}
    types = Counter(data.get("type", "other") for _, data in graph.nodes(data=True))
    nodes = []
    for node, data in sorted(graph.nodes(data=True), key=lambda item: str(item[0])):
        kind = data.get("type", "other")
        colour = _colour(NODE_COLOURS, kind, extra_colours)
        d = degree[node]
        size = (5 + 2 * math.sqrt(weight[node])) if big else min(10 + 5 * math.sqrt(weight[node]), 46)
        label = str(data.get("label", node))
        x, y = pos.get(node, (0.0, 0.0))
        nodes.append({
            "id": node, "label": label, "display": _wrap(label), "name": str(data.get("name") or label),
            "type": kind, "date": str(data.get("date", "")), "aliases": [str(a) for a in data.get("aliases", [])],
            "details": [str(item) for item in data.get("details", [])], "link": str(data.get("link", "")),
            "links": d, "color": colour, "border": "#333" if node == graph.graph.get("focus")
            else "rgba(0,0,0,0.35)", "size": round(size, 1), "x": round(x, 1), "y": round(y, 1),
        })

    # edges name their ends by position in `nodes`: IRIs 15,000 times over made pages twice as big
    index_of = {n["id"]: i for i, n in enumerate(nodes)}
    edge_colours: dict[str, str] = {}
    kind_count = Counter(data.get("kind") for _, _, data in graph.edges(data=True))
    labelled = not big and sum(n for k, n in kind_count.items() if k not in NO_LABEL) <= LABELLED_EDGES_MAX \
        and graph.graph.get("kind") != "participation"
    arrows = graph.graph.get("kind") != "participation"
    parallel: dict[frozenset, int] = defaultdict(int)
    edges = []
    for i, (u, v, _key, data) in enumerate(sorted(graph.edges(keys=True, data=True),
                                                  key=lambda e: (str(e[0]), str(e[1]), str(e[2])))):
        kind = data.get("kind", "")
        pair = frozenset((u, v))
        index = parallel[pair]
        parallel[pair] += 1
        roundness = 0.0 if index == 0 else (0.25 * ((index + 1) // 2)) * (1 if index % 2 else -1)
        if u != v and str(u) > str(v) and roundness:
            roundness = -roundness  # curvedCW is relative to the edge's direction
        evidence = data.get("evidence", [])
        ends = [_names_of(graph.nodes[u]), _names_of(graph.nodes[v])]
        edges.append({
            "id": f"e{i}", "from": index_of[u], "to": index_of[v], "kind": kind, "label": str(data.get("label", kind)),
            "detail": str(data.get("detail", "")), "when": _when(data), "fact": str(data.get("fact", "")),
            "evidence": [{**{k: str(ev.get(k, "")) for k in ("document", "document_label", "number", "quote")},
                          "sentence": stating_sentence(str(ev.get("quote", "")), *ends, kind=kind)}
                         for ev in evidence],
            "color": _colour(EDGE_COLOURS, kind, edge_colours),
            "width": 1 if big or kind == "co-observer" else 2, "dashes": kind in DASHED,
            "opacity": 0.5 if big else 1.0,
            "arrow": arrows and kind not in UNDIRECTED, "show_label": labelled and kind not in NO_LABEL,
            "roundness": round(roundness, 2),
        })

    menu_types = set(graph.graph.get("menu_types", []))
    menu = sorted(({"id": n["id"], "label": n["label"] + (f" ({n['date']})" if n["date"] and n["type"] == "meeting"
                                                         else "")}
                   for n in nodes if n["type"] in menu_types), key=lambda m: m["label"])
    type_order = sorted(types, key=lambda t: (-types[t], t))
    kind_order = [k for k in kinds_known if k in kind_count] + sorted(k for k in kind_count if k not in kinds_known)
    return {
        "kind": graph.graph.get("kind", ""),
        "nodes": nodes, "edges": edges, "big": big, "axis": axis, "menu": menu,
        "focus": graph.graph.get("focus"),
        "node_legend_title": "Capacity" if graph.graph.get("kind") == "participation" else "Nodes",
        "types": [{"name": t, "color": _colour(NODE_COLOURS, t, extra_colours), "count": types[t]}
                  for t in type_order],
        "kinds": [{"key": k, "name": kinds_known.get(k, k), "color": _colour(EDGE_COLOURS, k, edge_colours),
                   "count": kind_count[k], "dashes": k in DASHED, "hidden": k in HIDDEN_BY_DEFAULT}
                  for k in kind_order],
    }


# ---------------------------------------------------------------------------------------------
# The page


def script_json(value) -> str:
    """JSON that is safe inside a <script> element: no `<`, `>`, `&` or line separators as such."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    for char, escape in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"),
                         ("\u2028", "\\u2028"), ("\u2029", "\\u2029")):
        text = text.replace(char, escape)
    return text


def _normalise(text: str) -> str:
    # the browser hashes the script as parsed, and HTML parsing turns CR LF into LF
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _inline_safe(text: str, what: str) -> str:
    lowered = text.lower()
    for closing in ("</script", "</style", "<!--"):
        if closing in lowered:
            raise PageError(f"{what} contains {closing!r} and cannot be inlined as it is")
    return text


@lru_cache(maxsize=1)
def vis_network_js() -> str:
    """vis-network's standalone build as shipped inside the pyvis package (pyvis is not imported)."""
    spec = importlib.util.find_spec("pyvis")
    if spec is None or not spec.submodule_search_locations:
        raise PageError("vis-network's script comes with the pyvis package: pip install pyvis")
    for folder in spec.submodule_search_locations:
        for relative in (f"templates/lib/vis-{VIS_VERSION}/vis-network.min.js",
                         f"lib/vis-{VIS_VERSION}/vis-network.min.js"):
            path = Path(folder) / relative
            if path.is_file():
                return _inline_safe(_normalise(path.read_text(encoding="utf-8")), str(path))
    raise PageError(f"vis-network {VIS_VERSION} is not in the installed pyvis package; "
                    f"install pyvis 0.3.2 (pip install 'pyvis==0.3.2')")


@lru_cache(maxsize=4)
def _asset(name: str) -> str:
    return _normalise(files("kg.viz").joinpath(name).read_text(encoding="utf-8"))


def _sha256(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode("ascii") + "'"


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("untoc-kg")
    except PackageNotFoundError:  # not installed: running from a checkout
        return "dev"


def render_page(graph: nx.MultiDiGraph, title: str | None = None, description: str | None = None,
                seed: int = 7) -> str:
    """The page as text. `title` and `description` override the projection's own."""
    import jinja2

    data = page_data(graph, seed=seed)
    vis_js = vis_network_js()
    app_js = _inline_safe(_asset("page.js"), "page.js")
    css = _inline_safe(_asset("page.css"), "page.css")
    csp = "; ".join([
        "default-src 'none'",
        f"script-src {_sha256(vis_js)} {_sha256(app_js)}",
        f"style-src {_sha256(css)}",
        "img-src data:",
        "base-uri 'none'",
        "form-action 'none'",
    ])
    env = jinja2.Environment(autoescape=True, undefined=jinja2.StrictUndefined, keep_trailing_newline=True)
    template = env.from_string(_asset("page.html"))
    focus = graph.graph.get("focus")
    return template.render(
        title=title or graph.graph.get("title", "untoc-kg"),
        description=description if description is not None else graph.graph.get("description", ""),
        node_count=graph.number_of_nodes(), edge_count=graph.number_of_edges(),
        focus=graph.nodes[focus].get("label", focus) if focus in graph else None,
        big=data["big"], csp=csp, css=css, vis_js=vis_js, app_js=app_js, data=script_json(data),
        version=_version(),
    )


def write_page(graph: nx.MultiDiGraph, path: str | Path, title: str | None = None,
               description: str | None = None, seed: int = 7) -> Path:
    """Write the page; the file is complete or absent (written beside it, then renamed)."""
    from ..safe_write import write_atomic

    text = render_page(graph, title=title, description=description, seed=seed)
    return write_atomic(path, text.encode("utf-8"))  # a fresh temporary name, never a planted one


__all__ = ["PageError", "page_data", "render_page", "script_json", "vis_network_js", "write_page"]
