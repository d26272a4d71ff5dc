"""The numbers behind a picture (who is central, who brokers, which groups form) and files for Gephi.

Centralities are computed on the simple undirected graph (two organizations with an agreement and
a joint programme are neighbours once): "how many others is it linked to" is what policy staff
ask, not "how many facts". Betweenness is exact up to `EXACT_BETWEENNESS` nodes and estimated from
a fixed sample of sources above, so that a 5,000-node graph answers in seconds, the same way each
run. Communities are Louvain's, with a fixed seed, weighted by the number of ties between two nodes.
"""

from __future__ import annotations

import json
from pathlib import Path

import networkx as nx

from .layout import positions, tie_weight

EXACT_BETWEENNESS = 2000
SAMPLE = 400
COLUMNS = ["node", "label", "type", "ties", "strength", "neighbours", "degree_centrality", "betweenness",
           "community"]


def simple_graph(graph: nx.Graph) -> nx.Graph:
    """Undirected, one edge per linked pair, `weight` = the sum of the ties' weights, no self-loops."""
    simple = nx.Graph()
    simple.add_nodes_from(graph.nodes(data=True))
    for u, v, kind in graph.edges(data="kind"):
        if u == v:
            continue
        previous = simple.get_edge_data(u, v, {}).get("weight", 0.0)
        simple.add_edge(u, v, weight=previous + tie_weight(kind or ""))
    return simple


def metrics(graph: nx.Graph, seed: int = 0) -> list[dict]:
    """One record per node, strongest first: its ties (edges), their strength (a co-observer tie
    counts less, see `layout.WEAK_KINDS` and `weights_note`), neighbours, degree and betweenness
    centrality, and the number of its community (0 is the largest)."""
    simple = simple_graph(graph)
    if simple.number_of_nodes() == 0:
        return []
    degree = nx.degree_centrality(simple)
    if simple.number_of_nodes() <= EXACT_BETWEENNESS:
        betweenness = nx.betweenness_centrality(simple, normalized=True)
    else:
        betweenness = nx.betweenness_centrality(simple, k=SAMPLE, normalized=True, seed=seed)
    communities = nx.community.louvain_communities(simple, weight="weight", seed=seed)
    ordered = sorted(communities, key=lambda c: (-len(c), min(map(str, c))))
    community_of = {node: i for i, members in enumerate(ordered) for node in members}
    ties = dict(graph.degree()) if not graph.is_directed() else \
        {n: graph.in_degree(n) + graph.out_degree(n) for n in graph.nodes}
    strength = dict(simple.degree(weight="weight"))
    records = [{
        "node": node, "label": str(data.get("label", node)), "type": str(data.get("type", "")),
        "ties": int(ties.get(node, 0)), "strength": round(float(strength.get(node, 0.0)), 3),
        "neighbours": simple.degree(node),
        "degree_centrality": round(degree[node], 6), "betweenness": round(betweenness[node], 6),
        "community": community_of[node],
    } for node, data in graph.nodes(data=True)]
    records.sort(key=lambda r: (-r["strength"], -r["betweenness"], r["label"], r["node"]))
    return records


def weights_note() -> str:
    """What the numbers count, in words, from the weights the layout and the metrics share
    (`layout.WEAK_KINDS`), so that the explanation cannot drift from the computation."""
    from .layout import WEAK_KINDS

    weak = "; ".join(f"a {kind} tie counts {weight:g}" for kind, weight in sorted(WEAK_KINDS.items()))
    return ("ties: the edges of the picture at the node. strength: those ties weighted, each counting 1 "
            f"except that {weak} (two bodies or States that were observers at the same meeting: it says "
            "less about a relation than an agreement or a membership). neighbours: the others it is tied "
            "to, each once. degree_centrality and betweenness: on the graph of neighbours, ties unweighted. "
            "community: Louvain's communities on the weighted ties, 0 the largest.")


def metrics_table(graph: nx.Graph, seed: int = 0):
    """The same records as a query result, so `kg.output.render` prints them like any other."""
    import pyoxigraph as ox

    from ..sparql import XSD, Table

    integer, decimal = ox.NamedNode(XSD + "integer"), ox.NamedNode(XSD + "decimal")
    rows = []
    for r in metrics(graph, seed=seed):
        node = ox.NamedNode(r["node"]) if r["node"].startswith(("http://", "https://")) else ox.Literal(r["node"])
        rows.append((node, ox.Literal(r["label"]), ox.Literal(r["type"]),
                     ox.Literal(str(r["ties"]), datatype=integer), ox.Literal(f"{r['strength']:.3f}", datatype=decimal),
                     ox.Literal(str(r["neighbours"]), datatype=integer),
                     ox.Literal(f"{r['degree_centrality']:.6f}", datatype=decimal),
                     ox.Literal(f"{r['betweenness']:.6f}", datatype=decimal),
                     ox.Literal(str(r["community"]), datatype=integer)))
    return Table(list(COLUMNS), rows)


# ---------------------------------------------------------------------------------------------
# Export


def _scalar(value):
    """GraphML and GEXF take strings, numbers and booleans: lists are joined, the rest is JSON."""
    if value is None:
        return ""
    if isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, (list, tuple)) and all(isinstance(v, str) for v in value):
        return "; ".join(value)
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


def _hex_rgb(colour: str) -> dict:
    colour = colour.lstrip("#")
    return {"r": int(colour[0:2], 16), "g": int(colour[2:4], 16), "b": int(colour[4:6], 16), "a": 1.0}


def portable_graph(graph: nx.MultiDiGraph, fmt: str, seed: int = 0) -> nx.MultiDiGraph:
    """A copy with only scalar attributes, the metrics on every node, and (for GEXF) Gephi's
    colours, sizes and the page's positions, so that Gephi opens it looking like the page."""
    from .page import EDGE_COLOURS, NODE_COLOURS

    out = nx.MultiDiGraph()
    for key, value in graph.graph.items():
        if isinstance(value, (str, int, float, bool)):
            out.graph[key] = value
    by_node = {r["node"]: r for r in metrics(graph, seed=seed)}
    pos = positions(graph)[0] if fmt == "gexf" else {}
    for node, data in graph.nodes(data=True):
        attrs = {k: _scalar(v) for k, v in data.items()}
        for k in ("ties", "strength", "neighbours", "degree_centrality", "betweenness", "community"):
            attrs[k] = by_node[node][k]
        if fmt == "gexf":
            x, y = pos.get(node, (0.0, 0.0))
            attrs["viz"] = {"color": _hex_rgb(NODE_COLOURS.get(str(data.get("type")), "#9aa0a6")),
                            "size": 5.0 + 2.0 * by_node[node]["neighbours"] ** 0.5,
                            "position": {"x": float(x), "y": float(-y), "z": 0.0}}
        out.add_node(node, **attrs)
    for u, v, key, data in graph.edges(keys=True, data=True):
        attrs = {k: _scalar(v) for k, v in data.items() if k != "evidence"}
        attrs["evidence"] = " | ".join(
            f"{ev.get('document_label', '')} paragraph {ev.get('number', '')}: {ev.get('quote', '')}"
            for ev in data.get("evidence", []))
        if fmt == "gexf":
            attrs["viz"] = {"color": _hex_rgb(EDGE_COLOURS.get(str(data.get("kind")), "#9aa7b8"))}
        out.add_edge(u, v, key=key, **attrs)
    return out


def export_graph(graph: nx.MultiDiGraph, path: str | Path, fmt: str = "graphml", seed: int = 0) -> Path:
    """Write GraphML or GEXF; the file is complete or absent."""
    if fmt not in ("graphml", "gexf"):
        raise ValueError(f"export as graphml or gexf, not {fmt!r}")
    import io

    from ..safe_write import write_atomic

    portable = portable_graph(graph, fmt, seed=seed)
    buffer = io.BytesIO()
    if fmt == "graphml":
        nx.write_graphml(portable, buffer, encoding="utf-8", prettyprint=True, named_key_ids=True)
    else:
        nx.write_gexf(portable, buffer, encoding="utf-8", prettyprint=True, version="1.2draft")
    return write_atomic(path, buffer.getvalue())  # a fresh temporary name, never a planted one


__all__ = ["COLUMNS", "export_graph", "metrics", "metrics_table", "portable_graph", "simple_graph"]
