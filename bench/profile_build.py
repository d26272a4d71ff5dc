"""cProfile of one in-process build of `--docs` scaled documents (issue 15's "profile first").

    python bench/profile_build.py [--docs 60] [--top 12]

The real loader and mapper are passed explicitly, so the build stays in this process (worker
processes would hide the extraction from the profiler); 60 documents go through the bulk path.
Prints the top entries by cumulative time and by own time (tottime).
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from bench_build import make_corpus  # noqa: E402
import kg.build  # noqa: E402

kg_build = sys.modules["kg.build"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=60)
    parser.add_argument("--top", type=int, default=12)
    parser.add_argument("--seed", type=int, default=15)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="untoc-kg-profile-") as tmp:
        corpus = Path(tmp) / "corpus"
        corpus.mkdir()
        make_corpus(corpus, args.docs, args.seed)
        loader, mapper = kg_build._default_loader(), kg_build._default_mapper()
        profile = cProfile.Profile()
        profile.enable()
        report = kg_build.build([corpus], Path(tmp) / "store", loader=loader, mapper=mapper)
        profile.disable()
        print(f"{report.read} documents, {report.triples} triples; timings: "
              + ", ".join(f"{k} {v:.2f} s" for k, v in report.timings.items()))
        stats = pstats.Stats(profile)
        print(f"total {stats.total_tt:.2f} s")
        for key in ("cumulative", "tottime"):
            print(f"--- by {key}")
            stats.sort_stats(key).print_stats(args.top)


if __name__ == "__main__":
    main()
