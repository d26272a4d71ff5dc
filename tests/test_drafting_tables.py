"""The drafting tables the loaders read: well formed, and matched the way UN drafting means them."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from loaders import drafting
from loaders.clause_phrases import opening_phrase

DATA = Path(__file__).resolve().parent.parent / "loaders" / "data"


def _rows(name):
    with open(DATA / name, encoding="utf-8", newline="") as fh:
        return [r for r in csv.reader(fh, delimiter="\t") if r and not r[0].startswith("#")]


@pytest.mark.parametrize("name, roles", [
    ("clause_phrases.tsv", {"operative", "preambular"}),
    ("drafting_phrases.tsv", {"preambular-opening", "new-clause"}),
])
def test_a_table_has_known_roles_and_no_repeated_row(name, roles):
    rows = _rows(name)
    assert rows
    assert {r[1] for r in rows} == roles
    keys = [(r[0], r[1]) for r in rows]
    assert len(keys) == len(set(keys))
    assert all(r[0] == r[0].strip() and "  " not in r[0] for r in rows)


@pytest.mark.parametrize("text, part, phrase", [
    ("Takes note with appreciation of the report of the Secretary-General;", "operative", "Takes note with appreciation"),
    ("Takes note of the report of the Secretary-General;", "operative", "Takes note"),
    ("Expresses its appreciation to the Committee", "operative", "Expresses its appreciation"),
    ("Encourages further efforts by the Office", "operative", "Encourages"),  # "further" qualifies the noun
    ("Welcomes also the recommendations made", "operative", "Welcomes also"),
    ("Reiterates its request to the Secretary-General", "operative", "Reiterates its request"),
    ("Recalling also its resolution 58/292", "preambular", "Recalling also"),
    ("Deeply convinced that the Beijing Declaration", "preambular", "Deeply convinced"),
    ("Requestsx nothing", "operative", None),
])
def test_the_opening_phrase_is_the_longest_the_table_knows(text, part, phrase):
    assert opening_phrase(text, part) == phrase


def test_an_unknown_role_is_an_error_not_an_empty_pattern():
    with pytest.raises(ValueError):
        drafting.phrases("no-such-role")
