"""CPU time of the query worker's job (`kg.server.worker._run_job`) on SELECT answers in JSON: pyoxigraph's
own serializer (`NATIVE_JSON`, the default) against the Python writer, on the same store and queries.

    python bench/bench_worker_json.py --store DIR [--repeat 5] [--max 10000]

Runs in this process, no HTTP and no worker process: what it measures is the engine's evaluation plus
turning the answer into bytes, the part of a request that `serialize` changes. Each query runs
`--repeat` times each way, interleaved; the median CPU seconds (`time.process_time`) count, which a
neighbour's load on a shared machine moves far less than wall time. Prints per query the rows, both
medians and their ratio, and the sum over the canned queries that need no parameter, with the light
ones (classes, graphs) apart. Each query's header and body are compared between the two ways
("same bytes" or DIFFER).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from kg.server import worker  # noqa: E402
from kg.sparql import PREFIXES, list_queries  # noqa: E402

LIGHT = ("classes", "graphs")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--store", type=Path, required=True, help="a built store")
    parser.add_argument("--repeat", type=int, default=5, help="runs of each query each way; the median counts [5]")
    parser.add_argument("--max", type=int, default=10_000, help="the row cap, as `serve --max-results` [10000]")
    parser.add_argument("--max-bytes", type=int, default=16 * 1024 * 1024, help="the byte limit [16 MiB]")
    parser.add_argument("--only", nargs="*", help="query names [default: every canned query with no required parameter]")
    args = parser.parse_args(argv)

    import pyoxigraph as ox

    from kg.server.guard import check_query
    from kg.store import UNION, UNION_GRAPH, data_graphs

    store = ox.Store.read_only(str(args.store))
    graphs = [g.value for g in data_graphs(store)]
    has_union = any(True for _ in store.quads_for_pattern(None, None, None, UNION))
    config = {"store": str(args.store), "graphs": graphs, "default_graphs": [UNION_GRAPH.value] if has_union else graphs,
              "prefixes": dict(PREFIXES)}
    queries = [q for q in list_queries() if all(p.optional for p in q.params)
               and (not args.only or q.name in args.only)]
    print(f"{'query':28} {'rows':>7} {'python ms':>10} {'native ms':>10} {'ratio':>6}")
    totals = {"all": [0.0, 0.0], "light": [0.0, 0.0]}
    for q in queries:
        job = {"query": q.text, "default": None, "named": None, "tabular": "json", "boolean": "json", "graph": "nt",
               "max": args.max, "max_bytes": args.max_bytes, "uses_graph": check_query(q.text, graphs=None).uses_graph}
        times = {False: [], True: []}
        answers = {}
        for _ in range(args.repeat):
            for native in (False, True):
                worker.NATIVE_JSON = native
                started = time.process_time()
                answers[native] = worker._run_job(store, config, dict(job))
                times[native].append(time.process_time() - started)
        rows = answers[True][0].get("count", answers[True][0].get("status"))
        same = "same bytes" if answers[True] == answers[False] else "DIFFER"
        python, native = statistics.median(times[False]), statistics.median(times[True])
        print(f"{q.name:28} {rows!s:>7} {python * 1000:10.1f} {native * 1000:10.1f} {python / native:5.2f}x  {same}",
              flush=True)
        totals["all"][0] += python
        totals["all"][1] += native
        if q.name in LIGHT:
            totals["light"][0] += python
            totals["light"][1] += native
    for name, (python, native) in totals.items():
        if native:
            print(f"sum {name:24} {'':>7} {python * 1000:10.1f} {native * 1000:10.1f} {python / native:5.2f}x")


if __name__ == "__main__":
    main()
