"""Many documents at once: finished N-Quads on disk, then the engine's bulk loader.

Why: the one-update replace of `kg.store.replace_graph` makes the engine parse every triple twice as
SPARQL text (the document's graph and the union graph), inside one transaction per document. On
300 scaled documents that was 12.6 s of a 15.3 s build, while `Store.bulk_load` of the same N-Quads
takes about a second. So a build that writes many documents (a fresh store, `--rebuild`, new
extraction code, which changes every document's key) streams each finished document to files and
loads them at the end; a build that writes a few keeps the one-update replace, whose guarantee under
SIGKILL (each document old or new, never half) `tests/test_crash_safety.py` checks.

What a kill can leave here, and why it is safe: the files are loaded in three steps, in this order:
the data graphs, then their union-graph share, then the build records. A graph whose record did not
land is not "unchanged" to the next build, which reads its file again and replaces the graph (so a
half-loaded graph never survives a finished build), and the union graph only ever receives triples
whose data graph is already complete. Documents that existed before are dropped (with their records
and their share of the union) in one update before the load, so a kill after it leaves them absent,
and the next build restores them; never a mixture of two versions.

The union graph (see `kg.store`) costs a second copy of every triple, and pyoxigraph 0.5 offers no
exact alternative (its own union default graph is a bag, oxigraph issue #1919). It is loaded into
the store's default graph, which Oxigraph indexes in half the tables a named graph takes (union.nq
holds triples: N-Quads lines without a graph name). Measured on 300 documents in one run
(notes/speed.md, then in a named graph): the union adds about 1.5 s to a 10 s build; writing it once
per distinct triple instead of once per document's triple saves no time that shows (the loader
keeps a set anyway) and holds every distinct line in memory, so the union lines are written as they
come ("every"); "distinct" and "none" (the floor, an inexact store) stay for measuring.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import time
import weakref
from pathlib import Path

import pyoxigraph as ox

from . import ntriples
from .store import BUILD_GRAPH, UNION_GRAPH, GraphRecord, _record_lines, remove_graphs

BULK_FROM = 48  # documents to write at once before the bulk path pays (below: one update each)
WORKERS_ENV = "UNTOC_KG_WORKERS"  # extraction processes for the bulk path (default: every core)


def wanted(todo: list, threshold: int | None = None) -> bool:
    """Whether this many documents to write go through the bulk loader."""
    return len(todo) >= (BULK_FROM if threshold is None else threshold)


def worker_count() -> int:
    """`$UNTOC_KG_WORKERS`, else every core: in the bulk path the writer only appends to files, so
    it needs no core of its own."""
    raw = os.environ.get(WORKERS_ENV, "")
    if raw.strip().isdigit() and int(raw) > 0:
        return int(raw)
    return max(1, min(os.cpu_count() or 1, 8))


def batch_size(documents: int, workers: int) -> int:
    """Documents per task: large enough that a worker is not waiting on the parent between small
    tasks, small enough that every worker still gets several (the last ones finish together)."""
    return max(1, min(32, documents // (workers * 4) or 1))


class BulkWriter:
    """Collects finished documents as N-Quads files, then loads them (see the module docstring).

    `union` chooses how the union graph is written: "every" (each document's triples again, as the
    one-update path does, the default), "distinct" (once per distinct triple of this build) or
    "none" (only for measuring the floor: the union graph is then wrong).
    """

    def __init__(self, store: ox.Store, records: dict[str, GraphRecord], union: str = "every",
                 work_dir: str | os.PathLike | None = None) -> None:
        if union not in ("distinct", "every", "none"):
            raise ValueError(f"union: {union!r}")
        self.store = store
        self.records = records
        self.union = union
        self._dir = Path(tempfile.mkdtemp(prefix="untoc-kg-bulk-", dir=work_dir))
        self._data = open(self._dir / "data.nq", "w", encoding="utf-8")
        self._union = open(self._dir / "union.nq", "w", encoding="utf-8")
        self._records = open(self._dir / "records.nq", "w", encoding="utf-8")
        self._seen: set[str] = set()
        self._drop: set[str] = set()
        self._union_tail = " .\n"  # a triple: the default graph, where the store holds the union
        # a build that stops before `finish` (an exception, Ctrl-C) loads nothing and leaves no files
        self._cleanup = weakref.finalize(self, _remove, self._dir, (self._data, self._union, self._records))
        self._build_tail = f"{BUILD_GRAPH} .\n"

    def add(self, store, src, result, sha: str, version: str, old, records, owners, report) -> None:
        """Same contract as `kg.build._write`: the document is counted now and written at `finish`."""
        started = time.perf_counter()
        owners[result.graph] = src.name
        for graph in (old.graph if old is not None else None, result.graph):
            if graph and (graph in self.records or store.contains_named_graph(ox.NamedNode(graph))):
                self._drop.add(graph)  # an older version, or what a killed bulk load left
        tail = f"{ntriples.iri(result.graph)} .\n"
        self._data.writelines(line[:-1] + tail for line in result.lines)
        if self.union == "every":
            self._union.writelines(line[:-1] + self._union_tail for line in result.lines)
        elif self.union == "distinct":
            fresh = [line for line in result.lines if line not in self._seen]
            self._seen.update(fresh)
            self._union.writelines(line[:-1] + self._union_tail for line in fresh)
        record = GraphRecord(result.graph, src.key, src.name, result.sha256 or sha, version, len(result.lines))
        self._records.writelines(line[:-1] + self._build_tail for line in _record_lines(record))
        report.timings["store"] += time.perf_counter() - started
        report.read += 1
        report.triples += len(result.lines)
        if old is not None or result.graph in records:
            report.replaced += 1

    def finish(self, report) -> None:
        """Drop what is replaced (one update), then load data, union share and records, in order."""
        started = time.perf_counter()
        try:
            for handle in (self._data, self._union, self._records):
                handle.close()
            self._seen.clear()
            if self._drop:
                drop_graphs(self.store, sorted(self._drop), self.records)
            for name in ("data.nq", "union.nq", "records.nq"):
                path = self._dir / name
                if path.stat().st_size:
                    self.store.bulk_load(path=path, format=ox.RdfFormat.N_QUADS, lenient=True)
        finally:
            self._cleanup()
            report.timings["store"] += time.perf_counter() - started



def drop_graphs(store: ox.Store, graphs: list[str], records: dict[str, GraphRecord]) -> None:
    """Drop graphs, their records and their share of the union graph, in one update.

    `kg.store.remove_graphs` takes each dropped triple out of the union unless another graph states
    it, a check per triple against every graph: 19 s of a 30 s rebuild of 300 documents. When what
    stays is smaller than what goes (a rebuild, new loader code), the union is made again from the
    graphs that stay instead, in the same update.
    """
    targets = set(graphs)
    kept = [g for g in store.named_graphs() if isinstance(g, ox.NamedNode)
            and g not in (BUILD_GRAPH, UNION_GRAPH) and g.value not in targets]
    kept_triples = sum(records[g.value].triples if g.value in records else 10**9 for g in kept)
    gone_triples = sum(records[g].triples if g in records else 0 for g in targets)
    if kept_triples >= gone_triples:
        remove_graphs(store, graphs)
        return
    ops = []
    for g in graphs:
        node = ox.NamedNode(g)
        ops.append(f"DROP SILENT GRAPH {node}")
        ops.append(f"DELETE WHERE {{ GRAPH {BUILD_GRAPH} {{ {node} ?p ?o }} }}")
    ops.append("DROP SILENT DEFAULT")  # the union (see kg.store)
    if kept:
        ops.append(f"INSERT {{ ?s ?p ?o }} WHERE {{ GRAPH ?g {{ ?s ?p ?o }} "
                   f"VALUES ?g {{ {' '.join(str(g) for g in kept)} }} }}")
    store.update(" ;\n".join(ops))


def _remove(folder: Path, handles) -> None:
    for handle in handles:
        handle.close()
    shutil.rmtree(folder, ignore_errors=True)


__all__ = ["BULK_FROM", "BulkWriter", "WORKERS_ENV", "batch_size", "wanted", "worker_count"]
