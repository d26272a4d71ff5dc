"""Reading speed of the UN's markup (AKN4UN) against the text path, on the same resolutions.

For each resolution of the bundled corpus (English files, `corpus/ga-74-*.en.xml`), the XML path is
`read_markup` + `markup_facts` (parse, group, facts, extractors where the markup is silent); the text
path is `loaders.pipeline.load` on the same resolution rendered beforehand to the text of its PDF
(`loaders.akn_render`, layout "pdf"; rendering is outside the timing). Both end at the same `Facts`.
Prints resolutions per second for each and their ratio.

    python bench/bench_markup.py [--rounds 3] [CORPUS]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from loaders.akn import parse_resolution  # noqa: E402
from loaders.akn_render import render  # noqa: E402
from loaders.markup import markup_facts, read_markup  # noqa: E402
from loaders.pipeline import load  # noqa: E402


def _best(fn, rounds: int) -> float:
    best = float("inf")
    for _ in range(rounds):
        t0 = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t0)
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", nargs="?", default=str(Path(__file__).resolve().parent.parent / "corpus"))
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    files = sorted(Path(args.corpus).glob("ga-74-*.en.xml"))
    if not files:
        raise SystemExit(f"no ga-74-*.en.xml in {args.corpus}")
    with tempfile.TemporaryDirectory() as tmp:
        texts = []
        for f in files:  # render outside the timing
            res = parse_resolution(f.read_bytes(), f.name)
            path = Path(tmp) / (f.stem + ".txt")
            path.write_text(render(res, "pdf"), encoding="utf-8")
            texts.append(path)
        load(texts[0])  # warm caches (gazetteer, patterns) for both paths alike
        markup_facts(read_markup(files[0])[0])

        def xml_path():
            for f in files:
                markup_facts(read_markup(f)[0])

        def text_path():
            for t in texts:
                load(t)

        xml_s = _best(xml_path, args.rounds)
        text_s = _best(text_path, args.rounds)
    n = len(files)
    print(f"{n} resolutions, best of {args.rounds} rounds")
    print(f"markup (AKN4UN XML) -> facts: {n / xml_s:8.1f} resolutions/s ({xml_s:.2f} s)")
    print(f"text (PDF layout)   -> facts: {n / text_s:8.1f} resolutions/s ({text_s:.2f} s)")
    print(f"ratio markup/text: {text_s / xml_s:.2f}x")


if __name__ == "__main__":
    main()
