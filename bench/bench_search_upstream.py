"""The search index over an upstream (`serve --upstream`): how many of the embedded index's rows it
holds, how long it takes to build and how many requests it makes, against the index of the same
store built locally.

    python bench/bench_search_upstream.py [--copies 4] [--server oxigraph|virtuoso] [--page N]

Builds the bundled corpus into a store (`--copies K` adds K copies of every document graph, as
bench_push.py does), pushes it to a fresh server started here (tests/servers.py), reads the front's
catalog of the upstream and builds the index from it (kg.search.build_index over
kg.upstream_front.UpstreamStore, as the front's first search does), then compares it row by row with
the index built over the embedded store. Run it from an older checkout to measure the code before a
change (the figures in docs/scale.md were measured that way).
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT / "bench"))

from bench_push import make_store  # noqa: E402
from kg.push import push  # noqa: E402
from kg.search import build_index  # noqa: E402
from kg.server.linked_data import read_catalog  # noqa: E402
from kg.store import open_store  # noqa: E402
from kg.upstream_front import UpstreamStore, read_upstream_catalog  # noqa: E402
from servers import oxigraph_server, virtuoso_server  # noqa: E402

ROWS = "SELECT iri, kind, title, type, lang, document, name, symbol, context, text FROM entries ORDER BY iri, kind, lang, text"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--copies", type=int, default=4)
    parser.add_argument("--server", choices=["oxigraph", "virtuoso"], default="oxigraph")
    parser.add_argument("--page", type=int, default=None, help="quads per request (default: the front's)")
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="bench-search-upstream-"))
    try:
        store_dir = make_store(folder, args.copies)
        local = open_store(store_dir)
        started = time.perf_counter()
        local_index = build_index(local, read_catalog(local).graphs)
        local_seconds = time.perf_counter() - started
        start = oxigraph_server if args.server == "oxigraph" else virtuoso_server
        (folder / "server").mkdir()
        with start(folder / "server") as server:
            push(server.store_url, store_dir, user=server.user, password=server.password, record=folder / "record.jsonl")
            store = UpstreamStore(server.query_url, timeout=600)
            if args.page:
                store.page_size = args.page
            started, before = time.perf_counter(), store.requests
            catalog = read_upstream_catalog(store)
            catalog_seconds, catalog_requests = time.perf_counter() - started, store.requests - before
            started = time.perf_counter()
            try:
                index = build_index(store, catalog.graphs, sizes=catalog.triples)
            except TypeError:  # before the index read the upstream graph by graph
                index = build_index(store, catalog.graphs)
            seconds = time.perf_counter() - started
        mine, theirs = index.connection.execute(ROWS).fetchall(), local_index.connection.execute(ROWS).fetchall()
        print(f"embedded store: {len(theirs)} rows in {local_seconds:.1f} s")
        print(f"upstream ({args.server}): catalog of {len(catalog.graphs)} graphs in {catalog_seconds:.1f} s, "
              f"{catalog_requests} requests; index {len(mine)} rows in {seconds:.1f} s, "
              f"{store.requests - before - catalog_requests} requests; {'the same rows' if mine == theirs else 'DIFFERENT rows'}")
    finally:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
