"""Property tests: any text, random or a seed cut anywhere, gives a structure whose offsets hold."""

from __future__ import annotations

import hashlib

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from loaders.extract import extract_facts
from loaders.structure import parse_document

from .seeds import DRAFT_2010, PAPER_2011, REPORT_2012, REPORT_2013, InMemorySource, text

SEEDS = [text(n) for n in (REPORT_2012, DRAFT_2010, REPORT_2013, PAPER_2011)]
UN_LIKE = st.lists(st.sampled_from(list("abcXYZ 0123456789.,;:()*-\n\t¹²^{}<>/i") + [
    "**", "<i>", "</i>", "V.10-57029 (E)", "\n\n", "1. ", "2. ", "(a) ", "II. ", "A. ", "The Conference,",
    "decision 4/4", "Distr.: General", "Recalling ", "Decides that the Working Group should continue", "^{*}",
    "States parties", "were represented: ", "Austria, ", "Viet Nam"]), max_size=120).map("".join)


def _check(source: str) -> None:
    doc = parse_document(source)
    for p in doc.paragraphs:
        assert len(p.offsets) == len(p.text)
        for i, ch in enumerate(p.text):
            if ch != " ":
                assert source[p.offsets[i]] == ch
    for f in doc.footnotes:
        for i, ch in enumerate(f.text):
            if ch != " ":
                assert source[f.offsets[i]] == ch
    facts = extract_facts(doc, InMemorySource("x.txt", source, "utf-8", "text/plain",
                                              hashlib.sha256(source.encode()).hexdigest()))
    for e in facts.mandate_events:
        assert 0 <= e.evidence.start <= e.evidence.end <= len(source)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(max_size=300))
def test_random_text_never_breaks_the_reader(source):
    _check(source)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(UN_LIKE)
def test_text_made_of_un_layout_pieces(source):
    _check(source)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.integers(min_value=0, max_value=3), st.integers(min_value=0, max_value=30000), st.integers(min_value=0, max_value=30000))
def test_a_seed_cut_anywhere(which, a, b):
    seed = SEEDS[which]
    a, b = sorted((a % (len(seed) + 1), b % (len(seed) + 1)))
    _check(seed[a:b])
