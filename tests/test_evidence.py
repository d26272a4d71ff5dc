"""Every fact read from a document points at the paragraph and the words that say so."""

from __future__ import annotations

import re
from dataclasses import fields

import pytest

from loaders.facts import Evidence

from .seeds import DRAFT_2010, PAPER_2011, REPORT_2012, REPORT_2013, facts, text

FACT_LISTS = ["meetings", "meeting_roles", "agenda", "acts", "act_references", "document_references", "instrument_references",
              "treaty_series", "pursuant_to", "mandate_events", "participations", "statements", "recommendations",
              "agreements", "joint_programmes", "roles", "ratifications", "party_counts", "unresolved"]


def _words(s: str) -> list[str]:
    """The words of a text once conversion artefacts and footnote marks are set aside."""
    s = re.sub(r"\*\*|</?i>|\^\{[^}]*\}|[¹²³⁴⁵⁶⁷⁸⁹⁰]|\\", "", s)
    s = re.sub(r"(?<=\w)\*|\*(?=\w)", "", s)
    s = re.sub(r"^\s*(?:V\.\d{2}-\d{5} \(E\)|\*\d+\*)\s*$", "", s, flags=re.M)
    return s.split()


def _evidence_of(fact) -> Evidence:
    return next(getattr(fact, f.name) for f in fields(fact) if f.name == "evidence")


@pytest.mark.parametrize("name", [REPORT_2012, DRAFT_2010, REPORT_2013, PAPER_2011])
def test_each_quote_is_in_its_paragraph_and_at_its_offsets(name):
    f = facts(name)
    src = text(name)
    paragraphs = {p.key: p.text for p in f.paragraphs}
    checked = 0
    for kind in FACT_LISTS:
        for fact in getattr(f, kind):
            ev = _evidence_of(fact)
            assert ev.quote, (kind, fact)
            if ev.paragraph in paragraphs:
                assert ev.quote in paragraphs[ev.paragraph], (kind, ev)
            else:
                assert ev.paragraph in ("header", "title") or ev.paragraph.startswith("annex-r"), (kind, ev)
            assert _words(src[ev.start:ev.end]) == _words(ev.quote), (kind, ev)
            checked += 1
    assert checked > 10


def test_mandate_events_quote_the_act_and_the_decision():
    for name in (REPORT_2013, PAPER_2011):
        for e in facts(name).mandate_events:
            assert e.act.number in e.evidence.quote
            assert "decided" in e.evidence.quote
