"""Publishing at scale: push throughput to Oxigraph's server and Virtuoso against each one's own bulk
loader reading the same N-Quads, and the build's documents/s on a Dask cluster of 1 and 2 workers.

    python bench/bench_push.py [--copies 4] [--skip-dask] [--keep DIR]

1. Builds the bundled corpus into a store; `--copies K` adds K copies of every document graph under
   other graph names (the same triples: a push moves graphs, not meaning), to make the push longer.
2. Writes the graphs a push sends (documents, reference, ontology, union) as one N-Quads file.
3. For each server, each time on a fresh one started here (tests/servers.py, 127.0.0.1, a free port):
   - `untoc-kg push` (kg.push.push): Oxigraph: new graphs by its /store N-Quads route; Virtuoso: PUT
     to a staging graph + MOVE, digest authentication;
   - the same push with --no-bulk (Oxigraph: a PUT per graph);
   - Virtuoso: the push with --virtuoso-isql (new graphs by its own loader, through isql);
   - the server's own bulk loader on the N-Quads file: `oxigraph load` (server stopped), Virtuoso's
     `ld_dir` + `rdf_loader_run()` through isql (the file in a folder its DirsAllowed lists).
   Triples/s for each, and the ratio "loader triples/s / push triples/s" (how much the protocol costs).
4. `kg.build.build` of the bundled corpus with --dask on a LocalCluster of 1 and of 2 worker processes
   (the cluster started beforehand), documents/s, against the local build.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

import pyoxigraph as ox  # noqa: E402

from kg.build import build  # noqa: E402
from kg.push import graphs_to_push, push  # noqa: E402
from kg.store import open_store  # noqa: E402
from kg.virtuoso_bulk import VirtuosoLoader  # noqa: E402
from servers import isql, oxigraph_program, oxigraph_server, virtuoso_server  # noqa: E402

CORPUS = ROOT / "corpus"


def make_store(folder: Path, copies: int) -> Path:
    store_dir = folder / "store"
    report = build([CORPUS], store_dir)
    print(f"store: {report.documents} documents, {report.store_triples} triples ({report.seconds:.1f} s to build)")
    if copies:
        store = ox.Store(str(store_dir))
        for graph in [g for g in graphs_to_push(store) if "/doc/" in g.value]:
            for k in range(copies):
                copy = ox.NamedNode(f"{graph.value}/copy-{k}")
                store.extend(ox.Quad(q.subject, q.predicate, q.object, copy)
                             for q in store.quads_for_pattern(None, None, None, graph))
        store.flush()
        del store
    return store_dir


def write_nquads(store_dir: Path, path: Path) -> int:
    store = open_store(store_dir)
    count = 0
    with open(path, "wb") as out:
        for graph in graphs_to_push(store):
            for q in store.quads_for_pattern(None, None, None, graph):
                out.write(f"{q.subject} {q.predicate} {q.object} {graph} .\n".encode())
                count += 1
    return count


def timed_push(server, store_dir: Path, folder: Path, bulk: bool, loader=None) -> tuple[float, str]:
    started = time.perf_counter()
    report = push(server.store_url, store_dir, user=server.user, password=server.password,
                  record=folder / f"record-{time.monotonic_ns()}.jsonl", bulk=bulk, loader=loader)
    seconds = time.perf_counter() - started
    return report.triples / seconds, report.summary()


def oxigraph_loader(nquads: Path, folder: Path) -> float:
    target = folder / "oxigraph-load"
    started = time.perf_counter()
    subprocess.run([oxigraph_program(), "load", "--location", str(target), "--file", str(nquads)],
                   check=True, capture_output=True)
    return time.perf_counter() - started


def virtuoso_loader(server, nquads: Path) -> float:
    # the file must sit in a folder the server's DirsAllowed lists: the server's own folder
    shutil.copy(nquads, server.folder / "load.nq")
    started = time.perf_counter()
    isql(server.isql_port, f"ld_dir('{server.folder}', 'load.nq', 'urn:untoc-kg:bench:default');\n"
                           "rdf_loader_run();\ncheckpoint;", server.folder)
    return time.perf_counter() - started


def bench_servers(store_dir: Path, nquads: Path, triples: int, folder: Path) -> None:
    print(f"\nN-Quads pushed: {triples} triples ({nquads.stat().st_size / 1e6:.1f} MB)")
    for kind, start in (("oxigraph", oxigraph_server), ("virtuoso", virtuoso_server)):
        rates = {}
        modes = [("push", True, False), ("push --no-bulk", False, False)]
        if kind == "virtuoso":
            modes.append(("push --virtuoso-isql", True, True))
        for label, bulk, by_loader in modes:
            sub = Path(tempfile.mkdtemp(dir=folder))
            with start(sub) as server:
                loader = VirtuosoLoader(f"127.0.0.1:{server.isql_port}", server.user, server.password,
                                        server.folder) if by_loader else None
                rate, line = timed_push(server, store_dir, sub, bulk, loader)
            rates[label] = rate
            print(f"  {kind:9s} {label:15s} {rate:10,.0f} triples/s   {line}")
        sub = Path(tempfile.mkdtemp(dir=folder))
        if kind == "oxigraph":
            seconds = oxigraph_loader(nquads, sub)
            name = "oxigraph load"
        else:
            with start(sub) as server:
                seconds = virtuoso_loader(server, nquads)
            name = "ld_dir + rdf_loader_run"
        loader = triples / seconds
        print(f"  {kind:9s} {name:15s} {loader:10,.0f} triples/s   (the server's own bulk loader, same N-Quads)")
        for what, rate in rates.items():
            print(f"  {kind:9s} ratio loader / {what}: {loader / rate:.1f}")


def bench_dask(folder: Path) -> None:
    from distributed import Client, LocalCluster

    print("\nbuild of the bundled corpus (documents/s, reading and extraction included):")
    started = time.perf_counter()
    report = build([CORPUS], folder / "local")
    local = report.read / (time.perf_counter() - started)
    print(f"  local (process pool)  {local:6.2f} docs/s  ({report.read} documents)")
    for workers in (1, 2):
        cluster = LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None)
        with Client(cluster) as client:
            client.run(lambda: __import__("loaders.pipeline"))  # imports paid before the clock starts
            started = time.perf_counter()
            report = build([CORPUS], folder / f"dask{workers}", dask=client)
            rate = report.read / (time.perf_counter() - started)
        cluster.close()
        print(f"  dask, {workers} worker{'s' if workers > 1 else ' '}       {rate:6.2f} docs/s  "
              f"(local / dask: {local / rate:.2f})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--copies", type=int, default=4, help="copies of every document graph (default 4)")
    parser.add_argument("--skip-dask", action="store_true")
    parser.add_argument("--skip-servers", action="store_true")
    parser.add_argument("--keep", default=None, metavar="DIR", help="work here and keep it")
    args = parser.parse_args()
    folder = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="bench-push-"))
    folder.mkdir(parents=True, exist_ok=True)
    try:
        if not args.skip_servers:
            store_dir = make_store(folder, args.copies)
            nquads = folder / "push.nq"
            triples = write_nquads(store_dir, nquads)
            bench_servers(store_dir, nquads, triples, folder)
        if not args.skip_dask:
            bench_dask(folder)
    finally:
        if not args.keep:
            shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
