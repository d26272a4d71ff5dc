"""Where the union graph costs least to write: pyoxigraph's bulk load of the same finished N-Quads
with the union in a named graph (the layout before issue 15), in the store's default graph (now),
once per distinct triple in the default graph, and without it (the floor).

    python bench/bench_union_layout.py [--docs 300] [--repeat 3]

A corpus of `--docs` documents (`bench_build.make_corpus`) is built once and exported; each variant
then loads the export (and its union file) into a fresh store, the variants interleaved, `--repeat`
times. It prints wall seconds and CPU seconds (user + system, every thread of this process): on a
machine shared with other jobs the wall clock moves by a factor of two between runs, the CPU time
much less, so compare the ratios to the floor, in CPU time first.

Then the one-update path (`kg.store.replace_graph`, a build of fewer than `kg.bulk.BULK_FROM`
documents): `--docs` updates of the first documents' statements (DROP + INSERT DATA of the graph
and its union copy), the union in a named graph and in the default graph, on disk, in CPU seconds.
"""

from __future__ import annotations

import argparse
import resource
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import pyoxigraph as ox  # noqa: E402

from bench_build import make_corpus  # noqa: E402
from kg.build import build  # noqa: E402
from kg.export import export  # noqa: E402
from kg.store import UNION_GRAPH, open_store  # noqa: E402

VARIANTS = ("floor", "named", "default", "default-distinct")


def cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--docs", type=int, default=300)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="untoc-kg-union-layout-") as tmp:
        work = Path(tmp)
        corpus = work / "corpus"
        corpus.mkdir()
        make_corpus(corpus, args.docs, args.seed)
        build([corpus], work / "store")
        data = work / "data.nq"
        export(open_store(work / "store"), "nq", data)
        files = {"named": work / "named.nq", "default": work / "default.nq",
                 "default-distinct": work / "distinct.nq"}
        seen: set[str] = set()
        quads = 0
        with open(data, encoding="utf-8") as source, open(files["named"], "w", encoding="utf-8") as named, \
                open(files["default"], "w", encoding="utf-8") as default, \
                open(files["default-distinct"], "w", encoding="utf-8") as distinct:
            for line in source:
                triple = line.rstrip("\n").rsplit(" ", 2)[0]  # without "<graph> ."
                quads += 1
                named.write(f"{triple} {UNION_GRAPH} .\n")
                default.write(f"{triple} .\n")
                if triple not in seen:
                    seen.add(triple)
                    distinct.write(f"{triple} .\n")
        print(f"{args.docs} documents: {quads} data quads, {len(seen)} distinct triples")
        wall: dict[str, list[float]] = {v: [] for v in VARIANTS}
        used: dict[str, list[float]] = {v: [] for v in VARIANTS}
        for run in range(args.repeat):
            for variant in VARIANTS:
                folder = work / f"{variant}-{run}"
                started, cpu_started = time.perf_counter(), cpu()
                store = ox.Store(str(folder))
                store.bulk_load(path=data, format=ox.RdfFormat.N_QUADS, lenient=True)
                if variant in files:
                    store.bulk_load(path=files[variant], format=ox.RdfFormat.N_QUADS, lenient=True)
                store.flush()
                wall[variant].append(time.perf_counter() - started)
                used[variant].append(cpu() - cpu_started)
                del store
                shutil.rmtree(folder)
        by_graph: dict[str, list[str]] = {}
        with open(data, encoding="utf-8") as source:
            for line in source:
                triple, graph = line.rstrip("\n").rsplit(" ", 2)[:2]
                by_graph.setdefault(graph, []).append(triple + " .")
        documents = sorted(by_graph.items())[: min(args.docs, 60)]
        updates: dict[str, list[float]] = {"named": [], "default": []}
        for run in range(args.repeat):
            for variant in updates:
                folder = work / f"updates-{variant}-{run}"
                store = ox.Store(str(folder))
                cpu_started = cpu()
                for graph, lines in documents:
                    body = "\n".join(lines)
                    union = f"GRAPH {UNION_GRAPH} {{\n{body}\n}}" if variant == "named" else body
                    store.update(f"DROP SILENT GRAPH {graph} ;\nINSERT DATA {{ GRAPH {graph} {{\n{body}\n}}\n{union}\n}}")
                store.flush()
                updates[variant].append(cpu() - cpu_started)
                del store
                shutil.rmtree(folder)
        for name, table in (("CPU", used), ("wall", wall)):
            floor = statistics.median(table["floor"])
            for variant in VARIANTS:
                values = table[variant]
                print(f"{name:4} {variant:17} median {statistics.median(values):6.2f} s  "
                      f"{statistics.median(values) / floor:5.2f}x the floor  "
                      f"({' '.join(f'{v:.2f}' for v in values)})")
        for variant, values in updates.items():
            print(f"CPU  {len(documents)} one-update replaces, union {variant:8}: median "
                  f"{statistics.median(values):6.2f} s  ({' '.join(f'{v:.2f}' for v in values)})")


if __name__ == "__main__":
    main()
