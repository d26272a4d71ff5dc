"""CPU time of the fact extraction alone (`extract_facts`) on `bench_extract`'s corpus, and its share of the
whole read + structure + extract + map; `--profile` adds cProfile's top entries of the extraction.

    python bench/profile_extract.py [--copies 50] [--repeat 5] [--profile] [--top 20]

CPU time (`time.process_time`), best of `--repeat`, so that other work on the machine counts less than in
wall-clock timings; the gazetteer's scans are emptied before each run, as in `bench_extract`.
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from bench_extract import _corpus  # noqa: E402
from kg.mapping import facts_lines  # noqa: E402
from loaders import gazetteer  # noqa: E402
from loaders.extract import extract_facts  # noqa: E402
from loaders.read import read  # noqa: E402
from loaders.structure import parse_document  # noqa: E402


def _best(fn, repeat: int) -> float:
    best = float("inf")
    for _ in range(repeat):
        start = time.process_time()
        fn()
        best = min(best, time.process_time() - start)
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--copies", type=int, default=50, help="copies of each seed (default 50, as bench_extract)")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--profile", action="store_true", help="print cProfile's top entries of one extraction run")
    parser.add_argument("--top", type=int, default=20)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        paths = _corpus(Path(tmp), args.copies)
        gazetteer.names()  # the gazetteer loaded once, outside the timings
        parsed = [(p, src, parse_document(src.text)) for p, src in ((p, read(p)) for p in paths)]

        def extraction():
            gazetteer.scan.cache_clear()
            for p, src, doc in parsed:
                extract_facts(doc, src, source_name=p.name)

        def whole():
            gazetteer.scan.cache_clear()
            for p in paths:
                src = read(p)
                facts_lines(extract_facts(parse_document(src.text), src, source_name=p.name))

        extraction()  # patterns compiled, tables built
        t_extract, t_whole = _best(extraction, args.repeat), _best(whole, args.repeat)
        print(f"corpus: {len(paths)} documents")
        print(f"extract_facts alone:                        {t_extract:7.3f} s CPU (best of {args.repeat})")
        print(f"read + structure + extract + map:           {t_whole:7.3f} s CPU; extraction {t_extract / t_whole:.0%}")
        if args.profile:
            profile = cProfile.Profile()
            profile.enable()
            extraction()
            profile.disable()
            pstats.Stats(profile).sort_stats("tottime").print_stats(args.top)


if __name__ == "__main__":
    main()
