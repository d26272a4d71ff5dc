"""A paragraph's sentences and a text's act mentions are computed once per document and shared by the
extractors: what each caller gets is what a fresh computation gives, and changing it changes nothing kept."""

from __future__ import annotations

from loaders.extract.context import build_context
from loaders.extract.document import document_info
from loaders.extract.references import _find_act_mentions, find_act_mentions
from loaders.extract.sentences import sentences

from .seeds import REPORT_2013, structure


def _ctx():
    doc = structure(REPORT_2013)
    return doc, build_context(doc, document_info(doc, "t.txt", "0", "0", None, None))


def test_shared_sentences_are_the_sentences_of_the_text():
    doc, ctx = _ctx()
    for para in doc.paragraphs:
        assert list(ctx.sentences(para.text)) == sentences(para.text)
        assert ctx.sentences(para.text) is ctx.sentences(para.text)


def test_shared_act_mentions_are_a_fresh_reading_and_a_copy():
    doc, ctx = _ctx()
    text = "Recalling its decision 6/1 and General Assembly resolution 55/25 of 15 November 2000,"
    fresh = _find_act_mentions(ctx, text)
    first = find_act_mentions(ctx, text)
    assert first == fresh and first[0]
    first[0].clear()
    assert find_act_mentions(ctx, text) == fresh
    for para in doc.paragraphs:
        assert find_act_mentions(ctx, para.text) == _find_act_mentions(ctx, para.text)
