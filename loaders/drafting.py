"""Phrases of UN drafting, as data: where a preambular paragraph or a new clause begins.

Kept in `data/drafting_phrases.tsv` (phrase, role) so that a reviewer reads them against the UN's
editorial practice and adds a row, not a regular expression. `pattern(role)` gives the alternation the
layout and reference readers match with.
"""

from __future__ import annotations

import csv
import re
from functools import lru_cache
from pathlib import Path

_TABLE = Path(__file__).parent / "data" / "drafting_phrases.tsv"


@lru_cache(maxsize=None)
def phrases(role: str) -> tuple[str, ...]:
    with open(_TABLE, encoding="utf-8", newline="") as fh:
        rows = [r for r in csv.reader(fh, delimiter="\t") if r and not r[0].startswith("#")]
    found = tuple(sorted((r[0] for r in rows if r[1] == role), key=lambda p: (-len(p), p)))
    if not found:
        raise ValueError(f"{_TABLE.name}: no phrase has the role {role!r}")
    return found


def pattern(role: str) -> str:
    """The phrases of `role` as a regular-expression alternation, longest first, spaces as any whitespace."""
    return "(?:" + "|".join(r"\s+".join(map(re.escape, p.split())) for p in phrases(role)) + ")"
