"""Our build and lineage query on a corpus scaled up from the seeds, against plain rdflib, in one run.

    python bench/bench_build.py [--docs 1000] [--seed 7] [--keep DIR]

1. Writes `--docs` documents made from the four seed documents, each varied by a seeded RNG: years
   and days shifted, the venue changed, session numbers of the acts cited shifted, the States named
   swapped for others.
2. `kg.build` reads them into an on-disk store (documents/s, triples/s; and the part of it spent
   writing the store).
3. The same triples, exported as N-Quads, are parsed by rdflib into an in-memory Dataset (what a user
   reaching for rdflib would do), and the mandate-lineage query (`queries/lineage.rq`) runs on both.
Ratios are printed as "rdflib time / our time": above 1 means we are faster.
"""

from __future__ import annotations

import argparse
import functools
import hashlib
import random
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from kg.build import build  # noqa: E402
from kg.export import export  # noqa: E402
from kg.sparql import load_query, run  # noqa: E402
from kg.store import open_store  # noqa: E402

CORPUS = ROOT / "corpus"
STATE_NAMES = ROOT / "loaders" / "data" / "state_names.tsv"
BODY = "https://w3id.org/untoc-kg/id/body/wg-tip"
_YEAR = re.compile(r"\b(19[5-9]\d|20[0-4]\d)\b")
_ACT = re.compile(r"\b((?:decisions?|resolutions?) )(\d{1,2})/(\d{1,3})\b")
_MONTHS = "January|February|March|April|May|June|July|August|September|October|November|December"
_DAYS = re.compile(rf"\b(\d{{1,2}})((?:\s*(?:-|to|and)\s*\d{{1,2}})?\s+(?:{_MONTHS}))\b")


def _state_names() -> list[str]:
    names = []
    for line in STATE_NAMES.read_text(encoding="utf-8").splitlines():
        if line.startswith("#") or not line.strip():
            continue
        name, _iso, note = (line.split("\t") + ["", ""])[:3]
        if "short name" in note and "(" not in name:
            names.append(name)
    return sorted(set(names))


@functools.lru_cache(maxsize=1)
def _names_pattern(states: tuple[str, ...]) -> re.Pattern:
    return re.compile(r"\b(" + "|".join(re.escape(s) for s in sorted(states, key=len, reverse=True)) + r")\b")


def vary(text: str, rng: random.Random, states: list[str]) -> str:
    """One plausible new document from a seed: other years, days, venue, sessions and States."""
    years = rng.randint(-6, 6)
    sessions = rng.randint(0, 4)
    days = rng.randint(-9, 9)

    def shift_days(m: re.Match) -> str:
        rest = re.sub(r"\d{1,2}", lambda d: str(min(28, max(1, int(d.group()) + days))), m.group(2), count=1)
        return f"{min(28, max(1, int(m.group(1)) + days))}{rest}"

    text = _YEAR.sub(lambda m: str(int(m.group(1)) + years), text)
    text = _DAYS.sub(shift_days, text)
    text = text.replace("Vienna", rng.choice(("Vienna", "New York", "Geneva", "Nairobi", "Bangkok")))
    text = _ACT.sub(lambda m: f"{m.group(1)}{int(m.group(2)) + sessions}/{m.group(3)}", text)
    present = sorted(set(_names_pattern(tuple(states)).findall(text)))
    swap = dict(zip(present, rng.sample(states, len(present))))
    if swap:
        pattern = re.compile(r"\b(" + "|".join(re.escape(s) for s in sorted(swap, key=len, reverse=True)) + r")\b")
        text = pattern.sub(lambda m: swap[m.group(1)], text)
    return text


def make_corpus(folder: Path, docs: int, seed: int) -> list[Path]:
    rng = random.Random(seed)
    states = _state_names()
    seeds = [(p.stem, p.read_text(encoding="utf-8")) for p in sorted(CORPUS.glob("*.txt"))]
    seen: set[str] = set()
    paths = []
    draws = 0
    while len(paths) < docs:
        draws += 1
        if draws > 50 * docs:
            raise SystemExit(f"could not make {docs} distinct documents from the seeds; ask for fewer")
        stem, text = seeds[len(paths) % len(seeds)]
        varied = vary(text, rng, states)
        digest = hashlib.sha256(varied.encode()).hexdigest()
        if digest in seen:
            continue
        seen.add(digest)
        path = folder / f"{len(paths):05d}_{stem}.txt"
        path.write_text(varied, encoding="utf-8")
        paths.append(path)
    return paths


def median_time(fn, repeat: int) -> tuple[float, object]:
    times, result = [], None
    for _ in range(repeat):
        started = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - started)
    return statistics.median(times), result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--docs", type=int, default=1000,
                        help="documents to generate [1000: about 3 minutes on 2 cores; 2000: about 6]")
    parser.add_argument("--seed", type=int, default=7, help="RNG seed for the variations [7]")
    parser.add_argument("--repeat", type=int, default=5, help="runs of each query, median reported [5]")
    parser.add_argument("--keep", type=Path, default=None, help="work in DIR and keep it (default: a temp dir)")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="untoc-kg-bench-") as tmp:
        work = args.keep or Path(tmp)
        corpus = work / "corpus"
        corpus.mkdir(parents=True, exist_ok=True)
        started = time.perf_counter()
        make_corpus(corpus, args.docs, args.seed)
        print(f"generated {args.docs} documents from {len(list(CORPUS.glob('*.txt')))} seeds "
              f"in {time.perf_counter() - started:.1f} s")

        # ours: build into an on-disk store, then the lineage query on it
        store_dir = work / "store"
        report = build([corpus], store_dir)
        docs = report.read
        triples = report.store_triples
        print(report.summary())
        for failure in report.failed[:5]:
            print(f"  failed: {failure}")
        store = open_store(store_dir)
        lineage = load_query("lineage")
        import pyoxigraph as ox

        bindings = {ox.Variable("body"): ox.NamedNode(BODY)}
        ours_query, table = median_time(lambda: run(store, lineage.text, bindings), args.repeat)
        nq = work / "graph.nq"
        started = time.perf_counter()
        export(store, "nq", nq)
        ours_export = time.perf_counter() - started
        del store

        # rdflib: the same quads parsed into an in-memory Dataset, the same query
        from rdflib import Dataset, URIRef

        started = time.perf_counter()
        dataset = Dataset(default_union=True)
        dataset.parse(nq, format="nquads")
        rdflib_parse = time.perf_counter() - started
        rdflib_triples = len(dataset)
        rdflib_query, rows = median_time(
            lambda: list(dataset.query(lineage.text, initBindings={"body": URIRef(BODY)})),
            max(1, args.repeat // 2))

    store_write = report.timings["store"]
    lines = [
        ("documents", f"{docs}", ""),
        ("quads in the data graphs / distinct triples in rdflib's union", f"{triples} / {rdflib_triples}", ""),
        ("our build, end to end (read, extract, map, store)",
         f"{report.seconds:.1f} s", f"{docs / report.seconds:.1f} docs/s, {triples / report.seconds:,.0f} quads/s"),
        ("  of which loaders / mapping / store writes",
         f"{report.timings['load']:.1f} / {report.timings['map']:.1f} / {store_write:.1f} s", ""),
        ("N-Quads export (sorted)", f"{ours_export:.2f} s", ""),
        ("rdflib: parse the N-Quads into a Dataset",
         f"{rdflib_parse:.1f} s", f"{triples / rdflib_parse:,.0f} quads/s"),
        ("lineage query: ours / rdflib",
         f"{ours_query * 1000:.1f} ms / {rdflib_query * 1000:.1f} ms", f"{len(table.rows)} / {len(rows)} rows"),
    ]
    width = max(len(a) for a, _, _ in lines)
    print()
    for label, value, extra in lines:
        print(f"{label:<{width}}  {value:>24}  {extra}")
    print()
    print("ratios (rdflib time / our time; above 1: we are faster)")
    print(f"  storing the triples: our store writes vs rdflib parse   {rdflib_parse / store_write:6.1f}x")
    print(f"  lineage query                                           {rdflib_query / ours_query:6.1f}x")
    print(f"  from N-Quads to first answer: rdflib parse + query vs our whole build + query "
          f"{(rdflib_parse + rdflib_query) / (report.seconds + ours_query):6.2f}x")


if __name__ == "__main__":
    main()
