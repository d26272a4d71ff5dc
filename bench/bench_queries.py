"""Latency of every canned query (`queries/*.rq`) on a scaled corpus: pyoxigraph, as the CLI runs
it, against rdflib's own SPARQL engine over the same quads, in one run.

    python bench/bench_queries.py [--copies 25] [--repeat 3] [--rdflib-timeout 20]

The corpus is the four seeds, each copied `--copies` times with every year shifted (copy k moves
2013 to 2013 + k % 25, and so every meeting, document date and ratification year), so that the
graph has many meetings, documents and citations rather than one fact stated N times. rdflib reads
the store's own N-Quads export into a `Dataset(default_union=True)`, the same union default graph
the store queries. Parameters come from each query's first `# example:`; an example IRI that the
scaled corpus lacks (a seed's hashed document IRI) is replaced by the first IRI of the same kind.
Both engines must return the same number of rows; a query rdflib cannot finish within
`--rdflib-timeout` seconds is reported as at least that slow. Everything runs in a temporary folder.
"""

from __future__ import annotations

import argparse
import re
import shlex
import signal
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import pyoxigraph as ox  # noqa: E402
import rdflib  # noqa: E402
from rdflib import Dataset, Literal, URIRef, Variable  # noqa: E402

from kg.build import build  # noqa: E402
from kg.export import export_bytes  # noqa: E402
from kg.sparql import PREFIXES, bind, list_queries, parse_param_options, run  # noqa: E402
from kg.store import open_store  # noqa: E402

CORPUS = ROOT / "corpus"
YEAR = re.compile(r"\b(19[89]\d|20[0-4]\d)\b")


def scaled_corpus(folder: Path, copies: int) -> int:
    """Write the copies; returns the bytes written."""
    size = 0
    for seed in sorted(CORPUS.glob("*.txt")):
        text = seed.read_text(encoding="utf-8")
        for i in range(copies):
            shift = i % 25
            # copy 0 is the seed itself, so the examples' meetings and acts exist as written
            varied = YEAR.sub(lambda m: str(int(m.group(1)) + shift), text)
            if i:
                varied += f"\n\nCopy {i}.\n"
            path = folder / f"{seed.stem}-{i:04d}.txt"
            path.write_text(varied, encoding="utf-8")
            size += len(varied.encode("utf-8"))
    return size


def example_params(canned, store: ox.Store) -> dict[str, str]:
    if not canned.examples:
        return {}
    words = shlex.split(canned.examples[0])
    params = parse_param_options([words[i + 1] for i, w in enumerate(words) if w == "--param"])
    for name, value in params.items():
        param = canned.param(name)
        if param is None or param.type != "iri":
            continue
        term = bind(canned, {**params})[ox.Variable(name)]
        if not store.query("ASK { { ?x ?p ?o } UNION { ?s ?p ?x } }", substitutions={ox.Variable("x"): term},
                           use_default_graph_as_union=True):
            kind = term.value.rsplit("/", 1)[0] + "/"
            # the prefix written as a literal: pyoxigraph substitutes only variables a query selects
            found = store.query(f"SELECT (MIN(STR(?x)) AS ?x) WHERE {{ ?x ?p ?o FILTER STRSTARTS(STR(?x), "
                                f"{ox.Literal(kind)}) }}", use_default_graph_as_union=True)
            replacement = next(iter(found))["x"]
            if replacement is not None:
                params[name] = replacement.value
    return params


def to_rdflib(term):
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if term.language:
        return Literal(term.value, lang=term.language)
    if term.datatype.value.endswith("#string"):  # rdflib tells "x"^^xsd:string from "x"; the data has "x"
        return Literal(term.value)
    return Literal(term.value, datatype=URIRef(term.datatype.value))


class Timeout(BaseException):
    """Not an Exception: rdflib's engine catches those while it evaluates expressions."""


def _alarm(signum, frame):
    raise Timeout


def timed(fn, repeat: int, budget: float | None = None) -> tuple[float, int]:
    """Median seconds of `repeat` runs (fewer if one run takes most of the budget), and the rows."""
    times, count = [], 0
    for _ in range(repeat):
        if budget is not None:
            signal.setitimer(signal.ITIMER_REAL, budget)
        start = time.perf_counter()
        try:
            count = fn()
        finally:
            if budget is not None:
                signal.setitimer(signal.ITIMER_REAL, 0)
        times.append(time.perf_counter() - start)
        if budget is not None and sum(times) > budget / 2:
            break
    return statistics.median(times), count


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--copies", type=int, default=25, help="copies of each seed (default 25)")
    parser.add_argument("--repeat", type=int, default=3, help="runs per query and engine; the median counts")
    parser.add_argument("--rdflib-timeout", type=float, default=20.0, help="seconds rdflib gets per query")
    args = parser.parse_args()
    signal.signal(signal.SIGALRM, _alarm)

    with tempfile.TemporaryDirectory(prefix="untoc-kg-bench-") as tmp:
        folder = Path(tmp) / "corpus"
        folder.mkdir()
        size = scaled_corpus(folder, args.copies)
        start = time.perf_counter()
        report = build([folder], Path(tmp) / "store")
        built = time.perf_counter() - start
        if report.failed:
            print(f"{len(report.failed)} documents failed to build, e.g. {report.failed[0]}")
        store = open_store(Path(tmp) / "store", read_only=True)

        start = time.perf_counter()
        nquads = export_bytes(store, "nq")
        dataset = Dataset(default_union=True)
        dataset.parse(data=nquads, format="nquads")
        loaded = time.perf_counter() - start
        quads = nquads.count(b"\n")
        print(f"corpus: {report.read} documents ({size / 1e6:.1f} MB), {quads:,} quads; "
              f"pyoxigraph {ox.__version__} build {built:.1f} s; rdflib {rdflib.__version__} "
              f"export + load {loaded:.1f} s")
        print(f"{'query':26} {'rows':>7} {'pyoxigraph ms':>14} {'rdflib ms':>11} {'rdflib / pyoxigraph':>20}")

        namespaces = {k: rdflib.Namespace(v) for k, v in PREFIXES.items()}
        ratios = []
        for canned in list_queries():
            params = example_params(canned, store)
            substitutions = bind(canned, params)
            init = {Variable(v.value): to_rdflib(t) for v, t in substitutions.items()}
            ox_time, ox_rows = timed(lambda: len(run(store, canned.text, substitutions).rows), args.repeat)
            try:
                rl_time, rl_rows = timed(lambda: len(list(dataset.query(canned.text, initNs=namespaces,
                                                                        initBindings=init))),
                                         args.repeat, args.rdflib_timeout)
            except Timeout:
                print(f"{canned.name:26} {ox_rows:7} {ox_time * 1e3:14.1f} {'>' + format(args.rdflib_timeout * 1e3, '.0f'):>11}"
                      f" {'>' + format(args.rdflib_timeout / ox_time, '.0f') + 'x':>20}")
                ratios.append(args.rdflib_timeout / ox_time)
                continue
            except Exception as exc:  # a construct rdflib's engine does not take: say which, go on
                print(f"{canned.name:26} {ox_rows:7} {ox_time * 1e3:14.1f} {'failed':>11}  {type(exc).__name__}: {exc}")
                continue
            ratio = rl_time / ox_time if ox_time else float("inf")
            ratios.append(ratio)
            note = "" if rl_rows == ox_rows else f"  (rdflib: {rl_rows} rows)"
            print(f"{canned.name:26} {ox_rows:7} {ox_time * 1e3:14.1f} {rl_time * 1e3:11.1f} {ratio:19.1f}x{note}")
        if ratios:
            print(f"median ratio over {len(ratios)} queries: {statistics.median(ratios):.1f}x "
                  f"(min {min(ratios):.1f}x, max {max(ratios):.1f}x)")


if __name__ == "__main__":
    main()
