"""How well the text loaders read General Assembly resolutions, in the layouts users bring them in.

    python bench/eval_dev.py [--layout pdf|word|web|pdf-dense|all] [--limit N] [--files 74_176,74_247]
                             [--json FILE] [--show-errors KIND] [--zip PATH] [--workers 2]

Every English resolution of session 74 in AKN4UN markup (`../shared/data/unxml-ga-74/`) is rendered
as text in each layout, read by the loaders as `untoc-kg build` reads a file, and the facts found are
scored against the facts the markup states (see `bench/devset.py` for each kind and for the strict
and lenient precision of references). Prints one table; `--show-errors KIND` adds the most frequent
error patterns of that kind ("act refs", "paragraphs", ..., or "all") with examples. Exits 0.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from multiprocessing import Pool
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from devset import KINDS, REFERENCE_KINDS, Tally, evaluate_bytes  # noqa: E402
from loaders.akn import iter_zip  # noqa: E402
from loaders.akn_render import ALL_LAYOUTS, LAYOUTS  # noqa: E402

DEFAULT_ZIP = ROOT.parent / "shared" / "data" / "unxml-ga-74" / "ga-74-english.zip"


def _job(args):
    name, data, layouts = args
    return name, evaluate_bytes(name, data, layouts)


def _fmt(x: float | None) -> str:
    return "  -  " if x is None else f"{x:5.3f}"


def _table(tallies: dict[str, dict[str, Tally]], layouts: tuple[str, ...]) -> str:
    head = f"{'kind':<17} {'layout':<9} {'P':>5} {'P-len':>5} {'R':>5} {'tp':>6} {'fp':>6} {'unver':>6} {'fn':>6}"
    rows = [head, "-" * len(head)]
    for kind in KINDS + ("load",):
        for layout in layouts:
            t = tallies[layout].get(kind)
            if t is None or (kind == "load" and not t.fp):
                continue
            lenient = _fmt(t.lenient_precision) if kind in REFERENCE_KINDS else "     "
            rows.append(f"{kind:<17} {layout:<9} {_fmt(t.precision)} {lenient} {_fmt(t.recall)} "
                        f"{t.tp:>6} {t.fp:>6} {t.unverified if kind in REFERENCE_KINDS else '':>6} {t.fn:>6}")
    return "\n".join(rows)


def _errors(tallies: dict[str, dict[str, Tally]], layouts, kind: str, top: int = 8, examples: int = 3) -> str:
    kinds = KINDS + ("load",) if kind == "all" else (kind,)
    out = []
    for k in kinds:
        for layout in layouts:
            t = tallies[layout].get(k)
            if t is None or not t.patterns:
                continue
            out.append(f"\n== {k} / {layout}: most frequent error patterns")
            for pattern, n in t.patterns.most_common(top):
                out.append(f"  {n:6d}  {pattern}")
                for ex in t.examples[pattern][:examples]:
                    out.append(f"            e.g. {ex}")
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--layout", default="all", choices=ALL_LAYOUTS + ("all",))
    ap.add_argument("--limit", type=int, default=None, help="only the first N files (in name order)")
    ap.add_argument("--files", default=None, help="comma-separated stems, e.g. 74_176,74_247")
    ap.add_argument("--json", default=None, help="write the figures (and error patterns) to this file")
    ap.add_argument("--show-errors", default=None, metavar="KIND",
                    help=f"print error patterns of one kind ({', '.join(KINDS)}, load) or 'all'")
    ap.add_argument("--zip", default=str(DEFAULT_ZIP))
    ap.add_argument("--workers", type=int, default=2)
    args = ap.parse_args(argv)

    layouts = LAYOUTS if args.layout == "all" else (args.layout,)
    wanted = set(args.files.split(",")) if args.files else None
    jobs = []
    for name, data in iter_zip(args.zip):
        if wanted is not None and Path(name).stem not in wanted:
            continue
        jobs.append((name, data, layouts))
    if args.limit is not None:
        jobs = jobs[: args.limit]

    started = time.monotonic()
    tallies = {layout: {} for layout in layouts}
    if args.workers > 1 and len(jobs) > 1:
        with Pool(args.workers) as pool:
            results = list(pool.imap(_job, jobs, chunksize=4))
    else:
        results = [_job(j) for j in jobs]
    for name, per_layout in results:  # in file-name order whatever the workers' pace
        for layout, outcomes in per_layout.items():
            for kind, outcome in outcomes.items():
                tallies[layout].setdefault(kind, Tally()).add(outcome, kind, Path(name).stem)

    print(f"{len(jobs)} resolutions x {len(layouts)} layouts in {time.monotonic() - started:.1f} s "
          f"(source: {Path(args.zip).name})")
    print(_table(tallies, layouts))
    print("P-len: precision without the 'unver' references (found in the text, never linked in the markup)")
    if args.show_errors:
        print(_errors(tallies, layouts, args.show_errors))
    if args.json:
        payload = {layout: {kind: {"tp": t.tp, "fp": t.fp, "fn": t.fn, "unverified": t.unverified,
                                   "precision": t.precision, "lenient_precision": t.lenient_precision,
                                   "recall": t.recall, "patterns": dict(t.patterns.most_common(20))}
                            for kind, t in kinds.items()}
                   for layout, kinds in tallies.items()}
        Path(args.json).write_text(json.dumps(payload, indent=1, sort_keys=True), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
