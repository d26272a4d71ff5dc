"""Throughput of the loaders (read + structure, and read + structure + extract + map) on the seed
documents, against the usual Python way to find the same names: a spaCy `EntityRuler` given the same
gazetteer, in one run.

    python bench/bench_extract.py [--copies 50]

The comparison is deliberately generous to spaCy: the ruler only tags names, while our pipeline
also reads the layout, resolves contextual names, extracts every kind of fact and maps it to RDF.
spaCy is an optional dependency (`pip install spacy`); without it the spaCy line says so.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from kg.mapping import facts_lines  # noqa: E402
from loaders import gazetteer  # noqa: E402
from loaders.extract import extract_facts  # noqa: E402
from loaders.read import read  # noqa: E402
from loaders.structure import parse_document  # noqa: E402

CORPUS = ROOT / "corpus"


def _corpus(folder: Path, copies: int) -> list[Path]:
    """`copies` copies of each seed, each made distinct so that no cache can help."""
    paths = []
    for seed in sorted(CORPUS.glob("*.txt")):
        text = seed.read_text(encoding="utf-8")
        for i in range(copies):
            path = folder / f"{seed.stem}-{i:04d}.txt"
            # vary every paragraph a little, as real documents differ, so no memo can help across copies
            varied = text.replace(" the ", f" the{' ' * (1 + i % 3)}").replace("2012", str(2012 + i % 7))
            path.write_text(varied + f"\n\nCopy {i}.\n", encoding="utf-8")
            paths.append(path)
    return paths


def _time(fn, repeat: int = 3) -> float:
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - start)
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--copies", type=int, default=50, help="copies of each seed (default 50)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        paths = _corpus(Path(tmp), args.copies)
        texts = [p.read_text(encoding="utf-8") for p in paths]
        megabytes = sum(len(t.encode("utf-8")) for t in texts) / 1e6
        gazetteer.names()  # load the gazetteer once, outside the timings

        def structure_only():
            for p in paths:
                parse_document(read(p).text)

        triples = [0]

        def full():
            gazetteer.scan.cache_clear()  # a repeat must not find the last run's scans
            triples[0] = 0
            for p in paths:
                src = read(p)
                facts = extract_facts(parse_document(src.text), src, source_name=p.name)
                triples[0] += len(facts_lines(facts)[1])

        t_structure = _time(structure_only)
        t_full = _time(full)
        n = len(paths)
        print(f"corpus: {n} documents, {megabytes:.2f} MB of text")
        print(f"untoc-kg read + structure:                {n / t_structure:9.1f} docs/s  {megabytes / t_structure:6.2f} MB/s")
        print(f"untoc-kg read + structure + extract + map: {n / t_full:9.1f} docs/s  {megabytes / t_full:6.2f} MB/s"
              f"  ({triples[0] / t_full:,.0f} triples/s)")
        try:
            import spacy
        except ImportError:
            print("spaCy EntityRuler: not installed (pip install spacy) - no ratio")
            return
        nlp = spacy.blank("en")
        ruler = nlp.add_pipe("entity_ruler", config={"phrase_matcher_attr": "ORTH"})
        ruler.add_patterns([{"label": ref.kind.upper(), "pattern": name, "id": ref.key}
                            for name, ref in sorted(gazetteer.names().items())])

        def spacy_run():
            for p in paths:
                doc = nlp(read(p).text)
                _ = [(e.ent_id_, e.start_char) for e in doc.ents]

        t_spacy = _time(spacy_run)

        def names_only():
            gazetteer.scan.cache_clear()
            return [gazetteer.find(t) for t in texts]

        print(f"spaCy {spacy.__version__} EntityRuler, same gazetteer (names only):"
              f" {n / t_spacy:9.1f} docs/s  {megabytes / t_spacy:6.2f} MB/s")
        print(f"ratio, names only: untoc-kg gazetteer.find vs spaCy EntityRuler = "
              f"{t_spacy / _time(names_only):.1f}x")
        print(f"ratio, whole pipeline (structure + every fact + RDF) vs spaCy names only = {t_spacy / t_full:.2f}x")


if __name__ == "__main__":
    main()
