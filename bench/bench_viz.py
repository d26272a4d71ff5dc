"""How long a 5,000-organization, 15,000-tie landscape takes to become a stable picture in a browser.

One run, two pages of the same graph, each opened in headless Chromium (Debian's `chromium`):

- ours (`kg.viz.write_page`): positions computed in Python beforehand, physics off; the page is
  stable when it first draws (`data-stable-ms`);
- pyvis 0.3.2 with its default settings (barnesHut physics, stabilization, improved layout),
  written with `cdn_resources="in_line"` so that it works offline, and without the Bootstrap links
  it still fetches from a CDN (they would fail here anyway); it is stable at vis-network's
  `stabilized` event. It gets `--budget` seconds (60 by default).

Times are wall-clock on this machine, Python's share (layout and HTML) reported apart from the
browser's. Run: `python bench/bench_viz.py` (options: --nodes, --edges, --budget, --keep DIR).
"""

from __future__ import annotations

import argparse
import random
import re
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import networkx as nx  # noqa: E402

from kg.viz.browser import Chromium  # noqa: E402
from kg.viz.projections import LANDSCAPE_KINDS  # noqa: E402

TYPES = ["UN entity", "intergovernmental organization", "inter-agency mechanism",
         "non-governmental organization", "other body"]
KINDS = list(LANDSCAPE_KINDS)

HOOK = """<script>
(function () {
  var root = document.documentElement;
  function mark(name) {
    if (!root.hasAttribute(name)) { root.setAttribute(name, String(Math.round(performance.now()))); }
  }
  network.once("afterDrawing", function () { mark("data-render-ms"); });
  network.on("stabilizationProgress", function (p) { root.setAttribute("data-iterations", String(p.iterations)); });
  network.once("stabilizationIterationsDone", function () { mark("data-iterations-done-ms"); });
  network.once("stabilized", function () { mark("data-stable-ms"); });
}());
</script>
</body>"""


def synthetic_landscape(n: int, m: int, seed: int = 3) -> nx.MultiDiGraph:
    """Organizations in clusters of a hundred (as agencies group by region and mandate) with a few
    ties across clusters, each tie with a kind, a date and a sentence of evidence."""
    rnd = random.Random(seed)
    graph = nx.MultiDiGraph(kind="landscape", layout="force", menu_types=[], kinds=dict(LANDSCAPE_KINDS),
                            title=f"Synthetic landscape: {n} organizations, {m} ties",
                            description="Generated for the benchmark; the same shape as the real landscape.")
    for i in range(n):
        graph.add_node(f"https://w3id.org/untoc-kg/id/body/org-{i:05d}", label=f"Org {i}",
                       name=f"Organization number {i}", type=TYPES[i % len(TYPES)], date="", aliases=[f"O{i}"],
                       link="", details=[])
    nodes = list(graph.nodes)
    clusters = [nodes[i:i + 100] for i in range(0, n, 100)]
    pairs: set[tuple[str, str]] = set()
    for cluster in clusters:
        if len(cluster) < 3:
            continue
        core = nx.barabasi_albert_graph(len(cluster), 2, seed=rnd.randrange(1 << 30))
        pairs.update((cluster[u], cluster[v]) for u, v in core.edges())
    while len(pairs) < m:
        u = rnd.choice(nodes)
        v = rnd.choice(nodes) if rnd.random() < 0.3 else rnd.choice(clusters[rnd.randrange(len(clusters))])
        if u != v and (v, u) not in pairs:
            pairs.add((u, v))
    for k, (u, v) in enumerate(sorted(pairs)[:m]):
        kind = KINDS[k % len(KINDS)]
        year = 2005 + k % 15
        graph.add_edge(u, v, key=f"{kind} {k}", kind=kind, label=LANDSCAPE_KINDS[kind], date=str(year), until="",
                       detail="", fact=f"https://w3id.org/untoc-kg/id/role/{k}",
                       evidence=[{"document": "doc", "document_label": "Report (2012)", "number": str(k % 90),
                                  "quote": f"{graph.nodes[u]['name']} and {graph.nodes[v]['name']} cooperate."}])
    return graph


def ours(graph: nx.MultiDiGraph, folder: Path) -> tuple[Path, dict]:
    import scipy.spatial  # noqa: F401  (imported before the clock starts: import time is not layout time)

    from kg.viz.layout import positions
    from kg.viz.page import write_page

    start = time.perf_counter()
    positions(graph)
    layout_s = time.perf_counter() - start
    start = time.perf_counter()
    path = write_page(graph, folder / "ours.html")  # lays out again: the page's own call
    total_s = time.perf_counter() - start
    return path, {"layout_s": layout_s, "python_s": total_s, "bytes": path.stat().st_size}


def pyvis_default(graph: nx.MultiDiGraph, folder: Path) -> tuple[Path, dict]:
    from pyvis.network import Network

    start = time.perf_counter()
    net = Network(cdn_resources="in_line")  # every other setting as pyvis ships it
    for node, data in graph.nodes(data=True):
        net.add_node(node, label=data["label"], title=data["name"], group=data["type"])
    # pyvis's add_edge scans every existing edge (quadratic); its data is a plain list, fill it directly
    net.edges = [{"from": u, "to": v, "title": d["label"], "arrows": "to"} for u, v, d in graph.edges(data=True)]
    html = net.generate_html()
    python_s = time.perf_counter() - start
    html = re.sub(r"<link[^>]*bootstrap[^>]*/>", "", html, flags=re.S)
    html = re.sub(r"<script\s+src=\"https://cdn\.jsdelivr\.net[^>]*>\s*</script>", "", html, flags=re.S)
    html = html.replace("</body>", HOOK, 1)
    assert "cdn.jsdelivr" not in html
    path = folder / "pyvis-default.html"
    path.write_text(html, encoding="utf-8")
    return path, {"python_s": python_s, "bytes": path.stat().st_size}


def measure(path: Path, budget: float) -> dict:
    """Open the page in a fresh Chromium; wall-clock seconds until `data-stable-ms` appears."""
    with Chromium(width=1400, height=900, timeout=budget + 30) as browser:
        start = time.monotonic()
        tab = browser.open(path, wait_for="data-stable-ms", timeout=budget, settle=0.0, check=False)
        report = tab.report
        result = dict(report.attributes)
        result["stable_s"] = None if report.timed_out else time.monotonic() - start
        result["busy"] = report.busy
        result["errors"] = report.errors
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--nodes", type=int, default=5000)
    parser.add_argument("--edges", type=int, default=15000)
    parser.add_argument("--budget", type=float, default=60.0, help="seconds pyvis's page gets to stabilise")
    parser.add_argument("--keep", type=Path, default=None, help="keep the two pages in this folder")
    args = parser.parse_args()

    graph = synthetic_landscape(args.nodes, args.edges)
    print(f"graph: {graph.number_of_nodes()} nodes, {graph.number_of_edges()} edges")
    with tempfile.TemporaryDirectory() as tmp:
        folder = args.keep or Path(tmp)
        folder.mkdir(parents=True, exist_ok=True)
        our_path, our_py = ours(graph, folder)
        our_browser = measure(our_path, budget=max(args.budget, 60.0))
        their_path, their_py = pyvis_default(graph, folder)
        their_browser = measure(their_path, budget=args.budget)

    def seconds(value) -> str:
        return f"{value:.2f} s" if value is not None else "-"

    print(f"untoc-kg page: layout {seconds(our_py['layout_s'])}, layout + HTML {seconds(our_py['python_s'])} "
          f"({our_py['bytes'] / 1e6:.1f} MB); in Chromium stable (first drawing, physics off) after "
          f"{seconds(our_browser.get('stable_s'))} (page clock {our_browser.get('data-stable-ms', '-')} ms)"
          + (f"; errors: {our_browser.get('errors')}" if our_browser.get("errors") else ""))
    pyvis_line = (f"pyvis default page: HTML {seconds(their_py['python_s'])} ({their_py['bytes'] / 1e6:.1f} MB); "
                  f"in Chromium ")
    if their_browser.get("stable_s") is not None:
        pyvis_line += (f"stable after {seconds(their_browser['stable_s'])} (first drawing at "
                       f"{their_browser.get('data-render-ms', '-')} ms, stabilization iterations done at "
                       f"{their_browser.get('data-iterations-done-ms', '-')} ms)")
    else:
        drawn = their_browser.get("data-render-ms")
        pyvis_line += (f"did not stabilise within {args.budget:.0f} s ("
                       + (f"first drawing at {drawn} ms" if drawn else "nothing drawn")
                       + (f", {their_browser['data-iterations']} stabilization iterations"
                          if their_browser.get("data-iterations") else "")
                       + (", page too busy to answer" if their_browser.get("busy") else "") + ")")
    print(pyvis_line)
    ours_total = our_py["python_s"] + (our_browser.get("stable_s") or float("nan"))
    if their_browser.get("stable_s") is not None:
        print(f"ratio (pyvis browser time / ours, Python included): "
              f"{their_browser['stable_s'] / ours_total:.1f}x")
    else:
        print(f"ratio: more than {args.budget / ours_total:.1f}x (pyvis's time is only a lower bound)")


if __name__ == "__main__":
    main()
