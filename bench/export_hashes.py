"""The sha256 of two exports, to check that a speed change leaves the graph byte-identical.

    python bench/export_hashes.py [--docs 300] [--seed 15]

1. the bundled corpus (`corpus/`, the seeds: few documents, so the one-update path of `kg.build`);
2. `--docs` documents varied from the seeds by `bench_build.make_corpus` (the bulk path of `kg.bulk`).
Each is built into a fresh store and exported as N-Quads (`kg.export`); the two hashes are printed.
Run it before and after a change: the lines must not change (or the change must say why).
"""

from __future__ import annotations

import argparse
import hashlib
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from bench_build import make_corpus  # noqa: E402
from kg.build import build  # noqa: E402
from kg.export import export_bytes  # noqa: E402


def export_hash(paths: list[Path], store: Path) -> tuple[str, int]:
    report = build(paths, store)
    if report.failed:
        raise SystemExit(f"build failed: {report.failed[:3]}")
    data = export_bytes(store, "nq")
    return hashlib.sha256(data).hexdigest(), data.count(b"\n")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=300)
    parser.add_argument("--seed", type=int, default=15)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="untoc-kg-hashes-") as tmp:
        tmp = Path(tmp)
        digest, lines = export_hash([ROOT / "corpus"], tmp / "seeds")
        print(f"seeds      {digest}  {lines} lines")
        corpus = tmp / "corpus"
        corpus.mkdir()
        make_corpus(corpus, args.docs, args.seed)
        digest, lines = export_hash([corpus], tmp / "scaled")
        print(f"scaled-{args.docs} {digest}  {lines} lines")


if __name__ == "__main__":
    main()
