"""The opening phrase of a preambular or operative paragraph, read from a table of UN drafting.

The UN sets the opening phrase of each paragraph of a resolution in italics: "Takes note", "Expresses
its appreciation", "Reiterates its request", "Recalling also". Which words belong to it is a matter of
drafting convention, not of grammar, so the phrases are data (`data/clause_phrases.tsv`), matched
longest first; `loaders.structure` falls back to its one-verb rule for a phrase the table lacks.
"""

from __future__ import annotations

import csv
import re
from functools import lru_cache
from pathlib import Path

# "Welcomes also the …", "Recalling further its …"; but "Encourages further efforts": there "further"
# qualifies the noun, and the phrase is "Encourages"
_TRAILING_ADVERB = re.compile(r" (?:also|again|once again|once more)(?=[\s,;:]|$)"
                              r"| further(?= (?:the|its|their|that|to|all|upon|with|in|on|his|her)\b)")
_TABLE = Path(__file__).parent / "data" / "clause_phrases.tsv"


@lru_cache(maxsize=1)
def _phrases() -> dict[str, dict[str, list[str]]]:
    """{part: {first word: phrases, longest first}}."""
    out: dict[str, dict[str, list[str]]] = {"operative": {}, "preambular": {}}
    with open(_TABLE, encoding="utf-8", newline="") as fh:
        for row in csv.reader(fh, delimiter="\t"):
            if not row or row[0].startswith("#"):
                continue
            phrase, part = row[0], row[1]
            out[part].setdefault(phrase.split()[0], []).append(phrase)
    for by_word in out.values():
        for phrases in by_word.values():
            phrases.sort(key=lambda p: (-len(p), p))
    return out


def opening_phrase(text: str, part: str) -> str | None:
    """The longest phrase of the table for `part` ("operative" or "preambular") that opens `text`."""
    text = text.lstrip()
    first = text.split(" ", 1)[0].rstrip(",;:")
    for phrase in _phrases()[part].get(first, ()):
        if text.startswith(phrase) and (len(text) == len(phrase) or not text[len(phrase)].isalnum()):
            more = _TRAILING_ADVERB.match(text, len(phrase))
            return phrase + more.group(0) if more else phrase  # "Welcomes also", "Recalling further"
    return None
