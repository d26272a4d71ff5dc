"""Node positions computed before the page is written, so the browser runs no physics at all.

Measured here (PITFALLS.md): vis-network's physics on a 3,000-node graph drew nothing in 540 s, while
the same graph with a precomputed layout and physics off drew in 2.9 s; and a fixed layout makes
screenshots comparable. networkx's own spring layout is exact and fine below a few hundred nodes,
but took 60 s on 5,000 nodes and 15,000 edges (all pairs repel). Above `EXACT_LIMIT` each component
gets pivot MDS for its global shape and a few rounds of local forces (neighbours found with a k-d
tree) to pull edges to length and push apart nodes that overlap: a few seconds for that graph.

Positions are in pixels, centred on 0, deterministic for a given graph and seed.
"""

from __future__ import annotations

import math
import re
from collections import defaultdict

import networkx as nx

EXACT_LIMIT = 400


WEAK_KINDS = {"co-observer": 0.15}
"""Edges that say less about a tie than the others (being observers at the same meeting): they
pull less in the layout and count less in a node's size."""


def tie_weight(kind: str) -> float:
    return WEAK_KINDS.get(kind, 1.0)


EDGE_PIXELS = 210.0
KAMADA_KAWAI_LIMIT = 150


def force_layout(graph: nx.Graph, seed: int = 7, iterations: int | None = None) -> dict[str, tuple[float, float]]:
    """Linked nodes close, unlinked ones apart; each connected component on its own, then packed.

    A small component gets Kamada–Kawai (distances on the page follow distances in the graph, so
    a hub's spokes are as long as the edges of a clique beside it), a middling one networkx's spring
    layout, a large one pivot MDS and local forces. Edges come out about `EDGE_PIXELS` long.
    """
    simple = nx.Graph()
    simple.add_nodes_from(sorted(graph.nodes, key=str))
    for u, v, kind in graph.edges(data="kind"):
        if u != v:
            previous = simple.get_edge_data(u, v, {}).get("weight", 0.0)
            simple.add_edge(u, v, weight=previous + tie_weight(kind or ""))
    for _, _, data in simple.edges(data=True):
        data["length"] = 1.0 / min(data["weight"], 1.0) ** 0.25  # a weak tie is a little longer
    placed = []
    for component in sorted(nx.connected_components(simple), key=lambda c: (-len(c), min(map(str, c)))):
        sub = simple.subgraph(component)
        nodes = sorted(sub.nodes, key=str)
        if len(sub) == 1:
            placed.append((nodes, _points([(0.0, 0.0)])))
        elif len(sub) <= KAMADA_KAWAI_LIMIT:
            start = nx.spring_layout(sub, seed=seed, iterations=50, method="force")
            local = nx.kamada_kawai_layout(sub, pos=start, weight="length")
            xy = _unit_edges([local[v] for v in nodes], sub, nodes)
            placed.append((nodes, _refine(xy, sub, nodes, 20, jitter=0.0)))  # Kamada–Kawai lets nodes overlap
        elif len(sub) <= EXACT_LIMIT:
            local = nx.spring_layout(sub, seed=seed, iterations=iterations or 200, method="force")
            placed.append((nodes, _unit_edges([local[v] for v in nodes], sub, nodes)))
        else:
            nodes, xy = _pivot_mds(sub, seed)
            placed.append((nodes, _refine(xy, sub, nodes, iterations or 30)))
    return {node: (x * EDGE_PIXELS, y * EDGE_PIXELS) for node, (x, y) in _pack(placed).items()}


def _points(points):
    import numpy as np

    return np.array(points, dtype=float).reshape(-1, 2)


def _edge_array(sub: nx.Graph, nodes: list):
    import numpy as np

    index = {v: i for i, v in enumerate(nodes)}
    return np.array([(index[u], index[v]) for u, v in sub.edges()], dtype=np.int64).reshape(-1, 2)


def _unit_edges(points, sub: nx.Graph, nodes: list):
    """Scale so the mean edge is 1 long: components laid out differently then match in size."""
    import numpy as np

    xy = np.array(points, dtype=float).reshape(-1, 2)
    edges = _edge_array(sub, nodes)
    if len(edges):
        mean = np.linalg.norm(xy[edges[:, 0]] - xy[edges[:, 1]], axis=1).mean()
        if mean > 0:
            xy = xy / mean
    return xy


def _pivot_mds(sub: nx.Graph, seed: int, pivots: int = 60):
    """Pivot MDS (Brandes & Pich 2006): graph distances to a few far-apart pivots, then classical MDS.

    It costs one breadth-first search per pivot, and gets the global shape right, which local forces
    alone do not on graphs of thousands of nodes.
    """
    import numpy as np
    import scipy.sparse as sp
    from scipy.sparse.csgraph import shortest_path

    nodes = sorted(sub.nodes, key=str)
    n = len(nodes)
    edges = _edge_array(sub, nodes)
    adjacency = sp.coo_matrix((np.ones(len(edges)), (edges[:, 0], edges[:, 1])), shape=(n, n)).tocsr()
    rng = np.random.default_rng(seed)
    chosen = [int(rng.integers(n))]
    nearest = np.full(n, np.inf)
    columns = []
    for _ in range(min(pivots, n)):
        d = shortest_path(adjacency, directed=False, unweighted=True, indices=chosen[-1])
        columns.append(d)
        nearest = np.minimum(nearest, d)
        chosen.append(int(np.argmax(nearest)))
    squared = np.array(columns).T ** 2
    centred = -0.5 * (squared - squared.mean(axis=0)[None, :] - squared.mean(axis=1)[:, None] + squared.mean())
    u, s, _ = np.linalg.svd(centred, full_matrices=False)
    xy = u[:, :2] * s[:2]
    return nodes, _unit_edges(xy, sub, nodes)


def _refine(xy, sub: nx.Graph, nodes: list, iterations: int, radius: float = 0.7, jitter: float = 0.1):
    """Local forces on top of the MDS shape: edges pulled to length 1, nodes closer than `radius`
    pushed apart (found with a k-d tree, so a step costs O(n log n), not O(n²))."""
    import numpy as np
    from scipy.spatial import cKDTree

    edges = _edge_array(sub, nodes)
    rng = np.random.default_rng(1)
    xy = xy + rng.normal(scale=jitter, size=xy.shape)  # MDS puts twins (same distances) on one point
    step = 0.5
    for _ in range(iterations):
        disp = np.zeros_like(xy)
        pairs = cKDTree(xy).query_pairs(radius, output_type="ndarray")
        if len(pairs):
            i, j = pairs[:, 0], pairs[:, 1]
            delta = xy[i] - xy[j]
            dist = np.maximum(np.linalg.norm(delta, axis=1), 1e-6)
            push = (0.5 * (radius - dist) / dist)[:, None] * delta
            np.add.at(disp, i, push)
            np.add.at(disp, j, -push)
        if len(edges):
            delta = xy[edges[:, 0]] - xy[edges[:, 1]]
            dist = np.maximum(np.linalg.norm(delta, axis=1), 1e-6)
            pull = (0.1 * (dist - 1.0) / dist)[:, None] * delta
            np.add.at(disp, edges[:, 0], -pull)
            np.add.at(disp, edges[:, 1], pull)
        length = np.maximum(np.linalg.norm(disp, axis=1), 1e-9)
        xy = xy + disp / length[:, None] * np.minimum(length, step)[:, None]
        step *= 0.93
    return xy


def _pack(placed: list) -> dict:
    """Components side by side in rows, biggest first, in a square-ish block, centred on 0."""
    import numpy as np

    boxes = []
    for nodes, xy in placed:
        xy = xy - xy.min(axis=0)
        boxes.append((nodes, xy, xy.max(axis=0) + 1.5))
    total = sum(w * h for _, _, (w, h) in boxes)
    row_width = max(math.sqrt(total), max(w for _, _, (w, _) in boxes))
    out, x, y, row_height = {}, 0.0, 0.0, 0.0
    for nodes, xy, (w, h) in boxes:
        if x > 0 and x + w > row_width:
            x, y, row_height = 0.0, y + row_height, 0.0
        for node, (px, py) in zip(nodes, xy, strict=True):
            out[node] = (px + x, py + y)
        x += w
        row_height = max(row_height, h)
    points = np.array(list(out.values()))
    centre = (points.min(axis=0) + points.max(axis=0)) / 2
    return {node: (float(px - centre[0]), float(py - centre[1])) for node, (px, py) in out.items()}


def rings_layout(graph: nx.Graph, centre_types: set[str]) -> dict[str, tuple[float, float]]:
    """A hub picture (one meeting and its participants): hubs in the middle, the others on rings
    around them, grouped by type so that each colour is one arc, in reading order of their names."""
    hubs = sorted((n for n, t in graph.nodes(data="type") if t in centre_types), key=str)
    others = sorted((n for n in graph.nodes if n not in set(hubs)),
                    key=lambda n: (graph.nodes[n].get("type", ""), str(graph.nodes[n].get("label", n))))
    pos = {}
    for i, hub in enumerate(hubs):
        angle = 2 * math.pi * i / max(len(hubs), 1)
        radius = 0.0 if len(hubs) == 1 else 60.0 * len(hubs) / math.pi
        pos[hub] = (radius * math.cos(angle), radius * math.sin(angle))
    ring, radius, placed = 0, 320.0 + (60.0 * len(hubs) / math.pi if len(hubs) > 1 else 0.0), 0
    while placed < len(others):
        room = max(int(2 * math.pi * radius / 105.0), 1)
        members = others[placed:placed + room]
        for j, node in enumerate(members):
            angle = -math.pi / 2 + 2 * math.pi * j / len(members) + (ring % 2) * math.pi / max(len(members), 1)
            pos[node] = (radius * math.cos(angle), radius * math.sin(angle))
        placed += len(members)
        ring += 1
        radius += 150.0
    return pos


# ---------------------------------------------------------------------------------------------
# Time axis

LANES = [("bodies", {"Conference of the Parties", "working group", "UN entity", "intergovernmental organization",
                     "inter-agency mechanism", "non-governmental organization", "other body"}),
         ("sessions", {"meeting"}),
         ("acts", {"decision", "resolution", "act"}),
         ("drafts and documents", {"draft", "document", "instrument", "State", "other"})]
PIXELS_PER_YEAR = 220.0
LANE_HEIGHT = 260.0
MIN_GAP = 150.0


def _fraction_of_year(date: str) -> float | None:
    try:
        year = int(date[:4])
    except (TypeError, ValueError):
        return None
    month = int(date[5:7]) if len(date) >= 7 and date[5:7].isdigit() else 6
    day = int(date[8:10]) if len(date) >= 10 and date[8:10].isdigit() else 15
    return year + (month - 1) / 12 + (day - 1) / 365


def _year_from_symbol(node: str) -> float | None:
    """Where an undated act sits by its number: a General Assembly resolution of session N was
    adopted in the session's year (1945 + N, mostly in December); an ECOSOC resolution's number
    starts with its year. A position only: the node's date stays empty."""
    match = re.search(r"/act/ga/resolution/(\d{1,3})-\d+$", str(node))
    if match:
        return 1945 + int(match.group(1)) + 11 / 12
    match = re.search(r"/act/ecosoc/resolution/((?:19|20)\d\d)-\d+$", str(node))
    if match:
        return int(match.group(1)) + 0.5
    return None


ROW_WIDTH = 5
"""Undated nodes sharing a place are laid out in rows this many wide, not in one endless line."""


def timeline_layout(graph: nx.Graph) -> tuple[dict[str, tuple[float, float]], list[dict], list[dict]]:
    """Dated nodes at their date on the x axis, one horizontal band per kind of node.

    An undated act sits at the year its symbol tells, else (and an undated body always) at the
    median date of the things linked to it. Nodes that would overlap are stacked: a dated one
    downwards at its date, undated ones in rows of `ROW_WIDTH` beside their place. Each band is as
    tall as what it holds, so a band of 300 cited resolutions does not run into the next one.
    Returns positions, the year ticks and the band labels for the page to draw.
    """
    when: dict[str, float] = {}
    for node, data in graph.nodes(data=True):
        t = _fraction_of_year(data.get("date", ""))
        if t is None:
            t = _year_from_symbol(node)
        if t is not None:
            when[node] = t
    undirected = graph.to_undirected(as_view=True)
    for node in sorted(graph.nodes, key=str):
        if node not in when:
            linked = sorted(when[m] for m in undirected.neighbors(node) if m in when)
            if linked:
                when[node] = linked[(len(linked) - 1) // 2]
    known = list(when.values()) or [2000.0]
    start, end = math.floor(min(known)), math.ceil(max(known)) + 1
    for node in graph.nodes:
        when.setdefault(node, float(start))
    undated = {node for node, data in graph.nodes(data=True) if _fraction_of_year(data.get("date", "")) is None}

    lane_of = {}
    for node, data in graph.nodes(data=True):
        lane_of[node] = next((i for i, (_, types) in enumerate(LANES) if data.get("type") in types), len(LANES) - 1)
    by_lane: dict[int, list[str]] = defaultdict(list)
    for node in graph.nodes:
        by_lane[lane_of[node]].append(node)
    pos = {}
    lanes = []
    top = 0.0
    for lane in sorted(by_lane):
        members = by_lane[lane]
        members.sort(key=lambda m: (when[m], str(graph.nodes[m].get("label", m))))
        placed: list[tuple[float, float]] = []

        def free(x: float, y: float) -> bool:
            return not any(abs(px - x) < MIN_GAP and abs(py - y) < 60 for px, py in placed)

        for node in members:
            home = (when[node] - start) * PIXELS_PER_YEAR
            x, y, row, column = home, 0.0, 0, 0
            while not free(x, y):
                if node in undated:
                    column += 1
                    if column == ROW_WIDTH:
                        column, row = 0, row + 1
                    x, y = home + column * MIN_GAP, row * 70.0
                else:
                    y += 70.0
            placed.append((x, y))
            pos[node] = (x, top + y)
        lanes.append({"y": top, "label": LANES[lane][0] if lane < len(LANES) else "other"})
        height = max(y for _, y in placed)
        top += max(LANE_HEIGHT, height + LANE_HEIGHT * 0.75)
    ticks = [{"x": (year - start) * PIXELS_PER_YEAR, "label": str(year)} for year in range(start, end + 1)]
    return pos, ticks, lanes


def positions(graph: nx.Graph, seed: int = 7) -> tuple[dict[str, tuple[float, float]], dict | None]:
    """The layout the projection asked for (graph attribute `layout`), and the time axis if any.

    "rings" is honoured only while there are at most three hubs: past that, rings hide who
    attended what, and forces show it.
    """
    kind = graph.graph.get("layout", "force")
    if kind == "timeline":
        pos, ticks, lanes = timeline_layout(graph)
        if not pos:
            return pos, None
        xs = [p[0] for p in pos.values()]
        ys = [p[1] for p in pos.values()]
        return pos, {"ticks": ticks, "lanes": lanes, "left": min(xs) - 60, "top": min(ys)}
    hubs = set(graph.graph.get("hub_types", ()))
    if kind == "rings" and sum(1 for _, t in graph.nodes(data="type") if t in hubs) <= 3:
        return rings_layout(graph, hubs), None
    return force_layout(graph, seed=seed), None


__all__ = ["EXACT_LIMIT", "positions", "force_layout", "rings_layout", "tie_weight", "timeline_layout"]
