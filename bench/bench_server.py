"""`untoc-kg serve` under load, beside Oxigraph's own server on the same store and the same queries.

    python bench/bench_server.py [--store DIR] [--seconds 5] [--clients 16]

1. Builds the corpus into a temporary store (or uses `--store`).
2. Starts `untoc-kg serve` and, when the `oxigraph` command is installed (PyPI package `oxigraph`,
   which ships Oxigraph's server binary), `oxigraph serve-read-only` on the same store, each as its
   own process on a loopback port. Oxigraph gets the same dataset by protocol parameters
   (default-graph-uri: the build's union graph; named-graph-uri: the data graphs).
3. Prints the rows (and time) of each server for every canned query (`queries/*.rq`) that needs
   no parameter (optional ones left unbound), then drives each server in turn from a second process,
   `wrk` (Debian package `wrk`), with `--clients` connections for `--seconds` seconds, cycling
   through the queries by GET with `Accept: application/sparql-results+json`: once with all those
   canned queries (the engine's work dominates), once with two light ones (the HTTP side does).
4. Prints requests/s and p50/p99 latency for each, and our numbers over Oxigraph's as ratios.

Load goes to 127.0.0.1 only and stops by itself: four runs of `--seconds` (20 s by default).
A Python load generator saturates near 740 requests/s on this kind of machine (PITFALLS.md),
below what either server does, hence `wrk`.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from kg.sparql import list_queries  # noqa: E402

ACCEPT = "application/sparql-results+json"
LIGHT = ("classes", "graphs")

WRK_SCRIPT = """
local paths = {%(paths)s}
local counter = 0
request = function()
  counter = counter %% #paths + 1
  return wrk.format("GET", paths[counter], {["Accept"] = "%(accept)s"})
end
done = function(summary, latency, requests)
  io.write(string.format('RESULT {"requests": %%d, "duration_us": %%d, "status_errors": %%d, "socket_errors": %%d, ' ..
    '"p50_us": %%d, "p99_us": %%d}\\n', summary.requests, summary.duration, summary.errors.status,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
    latency:percentile(50), latency:percentile(99)))
end
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_ready(url: str, proc: subprocess.Popen, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"the server exited with {proc.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except OSError:
            time.sleep(0.2)
    raise SystemExit(f"{url} did not answer within {seconds:.0f} s")


def query_string(query: str, dataset: list[tuple[str, str]]) -> str:
    return urllib.parse.urlencode([("query", query), *dataset])


def rows(base: str, query: str, dataset: list[tuple[str, str]]) -> str:
    request = urllib.request.Request(f"{base}?{query_string(query, dataset)}", headers={"Accept": ACCEPT})
    started = time.monotonic()
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return f"{len(json.load(response)['results']['bindings'])} ({time.monotonic() - started:.2f} s)"
    except OSError as exc:
        return f"failed: {exc}"


def drive(endpoint: str, queries: list[str], dataset: list[tuple[str, str]], seconds: int, clients: int) -> dict:
    parsed = urllib.parse.urlsplit(endpoint)
    paths = [f"{parsed.path}?{query_string(q, dataset)}" for q in queries]
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(WRK_SCRIPT % {"paths": ", ".join(json.dumps(p) for p in paths), "accept": ACCEPT})
    try:
        threads = max(1, min(clients, os.cpu_count() or 1))
        out = subprocess.run(["wrk", "-t", str(threads), "-c", str(clients), "-d", f"{seconds}s", "--timeout", "10s",
                              "-s", script.name, f"{parsed.scheme}://{parsed.netloc}"],
                             capture_output=True, text=True, timeout=seconds + 60, check=True).stdout
    finally:
        os.unlink(script.name)
    line = next(line for line in out.splitlines() if line.startswith("RESULT "))
    result = json.loads(line[len("RESULT "):])
    result["rps"] = result["requests"] / (result["duration_us"] / 1e6)
    return result


def start_ours(store: Path, port: int, clients: int) -> subprocess.Popen:
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(p for p in (str(ROOT), os.environ.get("PYTHONPATH", "")) if p))
    return subprocess.Popen([sys.executable, "-m", "kg.server.cli", "--store", str(store), "--port", str(port),
                             "--per-client", str(clients * 4), "--log-level", "warning"], env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def same_dataset(store: Path) -> list[tuple[str, str]]:
    """Protocol parameters that give Oxigraph's server the dataset ours gives every query: the
    build's union graph as the default graph, the data graphs as named graphs. (Its own
    `--union-default-graph` has bag semantics in 0.5: some canned queries then run for minutes.)"""
    import pyoxigraph as ox

    from kg.store import UNION_GRAPH, data_graphs

    opened = ox.Store.read_only(str(store))
    graphs = data_graphs(opened)
    default = [UNION_GRAPH] if opened.contains_named_graph(UNION_GRAPH) else graphs
    del opened
    return [("default-graph-uri", g.value) for g in default] + [("named-graph-uri", g.value) for g in graphs]


def oxigraph_command() -> str | None:
    beside_python = Path(sys.executable).parent / "oxigraph"
    return str(beside_python) if beside_python.is_file() else shutil.which("oxigraph")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--store", type=Path, help="a built store [default: build the corpus into a temporary one]")
    parser.add_argument("--seconds", type=int, default=5, help="load per server and mix, in seconds (at most 10)")
    parser.add_argument("--clients", type=int, default=16, help="concurrent connections")
    args = parser.parse_args(argv)
    seconds = max(1, min(args.seconds, 10))
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is needed (Debian: apt-get install wrk)")

    workdir = Path(tempfile.mkdtemp(prefix="bench-server-"))
    processes: list[subprocess.Popen] = []
    try:
        store = args.store
        if store is None:
            from kg.build import build

            store = workdir / "store"
            report = build([ROOT / "corpus"], store)
            print(f"store: {report.summary()}")
        # the canned queries a reader can run as they are: none of their parameters is required
        queries = [(q.name, q.text) for q in list_queries() if all(p.optional for p in q.params)]
        targets = []
        port = free_port()
        ours = start_ours(store, port, args.clients)
        processes.append(ours)
        wait_ready(f"http://127.0.0.1:{port}/sparql", ours)
        targets.append(("untoc-kg serve", f"http://127.0.0.1:{port}/sparql", []))
        oxigraph = oxigraph_command()
        if oxigraph:
            oport = free_port()
            theirs = subprocess.Popen([oxigraph, "serve-read-only", "--location", str(store), "--bind",
                                       f"127.0.0.1:{oport}"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            processes.append(theirs)
            wait_ready(f"http://127.0.0.1:{oport}/query?query=ASK%7B%7D", theirs)
            targets.append(("oxigraph serve-read-only", f"http://127.0.0.1:{oport}/query", same_dataset(store)))
        else:
            print("oxigraph is not installed (pip install oxigraph): no comparison")

        print(f"queries: {', '.join(name for name, _ in queries)} (optional parameters left unbound)")
        for name, text in queries:
            print(f"  rows of {name}: {' / '.join(rows(endpoint, text, dataset) for _, endpoint, dataset in targets)}")
        mixes = [("all runnable canned queries", [t for _, t in queries]),
                 ("light: classes, graphs", [t for n, t in queries if n in LIGHT])]
        print(f"load: wrk, {args.clients} connections, {seconds} s per server and mix, GET, loopback")
        for mix, texts in mixes:
            if not texts:
                continue
            results = {label: drive(endpoint, texts, dataset, seconds, args.clients)
                       for label, endpoint, dataset in targets}
            print(f"\n{mix}")
            print(f"  {'server':28} {'req/s':>9} {'p50 ms':>8} {'p99 ms':>8} {'non-2xx':>8} {'socket err':>10}")
            for label, r in results.items():
                print(f"  {label:28} {r['rps']:9.0f} {r['p50_us'] / 1000:8.2f} {r['p99_us'] / 1000:8.2f} "
                      f"{r['status_errors']:8d} {r['socket_errors']:10d}")
            if len(results) == 2:
                us, them = results["untoc-kg serve"], results["oxigraph serve-read-only"]
                print(f"  ratio untoc-kg / oxigraph: throughput {us['rps'] / them['rps']:.2f}x, "
                      f"p50 latency {us['p50_us'] / max(them['p50_us'], 1):.2f}x, "
                      f"p99 latency {us['p99_us'] / max(them['p99_us'], 1):.2f}x")
    finally:
        for proc in processes:
            proc.terminate()
        for proc in processes:
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                proc.kill()
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
