"""Full-text search (`kg.search`, SQLite FTS5 with BM25) over the built corpus: what a reader types
finds what they mean, best first."""

from __future__ import annotations

import pytest

from kg.search import SNIPPET_OPEN, SearchError, build_index, fts_query
from kg.store import data_graphs, open_store

ID = "https://w3id.org/untoc-kg/id/"


@pytest.fixture(scope="module")
def index(built_store, tmp_path_factory):
    store = open_store(built_store, read_only=True)
    path = tmp_path_factory.mktemp("search") / "search.sqlite"
    built = build_index(store, [g.value for g in data_graphs(store)], path)
    assert path.is_file() and not path.with_name(path.name + ".tmp").exists()
    yield built
    built.close()


def first(index, text, **kw):
    hits = index.search(text, limit=5, **kw)
    assert hits, text
    return hits[0]


def test_a_name_finds_its_entity_first(index):
    assert first(index, "Working Group on Trafficking in Persons").iri == ID + "body/wg-tip"
    assert first(index, "working group trafficking").iri == ID + "body/wg-tip"  # words in any case, AND


def test_the_short_forms_the_pictures_show_are_found(index):
    assert ID + "body/wg-tip" in {h.iri for h in index.search("WG TIP", limit=5)}
    assert first(index, "UNODC").iri == ID + "body/unodc"


def test_a_symbol_is_a_phrase_and_ranks_its_act_or_document_first(index):
    assert first(index, "4/4").iri == ID + "act/untoc-cop/decision/4-4"
    assert first(index, "CTOC/COP/2012").kind == "document"
    # "4/4" is not "4" somewhere and "4" somewhere else
    assert index.count("5/2") < index.count("5 2")


def test_prefixes_and_diacritics(index):
    assert first(index, "cote d ivoire").iri == ID + "state/CIV"
    assert index.count("traffick") > index.count("trafficking") > 0  # "traffickers", "trafficked" too


def test_paragraph_text_is_searched_with_a_snippet_and_its_document(index):
    hits = index.search("memorandum of understanding IOM", limit=10, kinds=["paragraph"])
    assert hits and all(h.kind == "paragraph" and h.document for h in hits)
    assert SNIPPET_OPEN in hits[0].snippet
    assert hits[0].title.startswith("¶")


def test_ranking_is_stable_and_scores_fall(index):
    hits = index.search("trafficking", limit=20)
    assert [h.score for h in hits] == sorted((h.score for h in hits), reverse=True)
    assert hits == index.search("trafficking", limit=20)
    page_two = index.search("trafficking", limit=10, offset=10)
    assert [h.iri for h in page_two] == [h.iri for h in hits[10:]]


@pytest.mark.parametrize("text", ['NOT', 'AND OR', '"unbalanced', 'a*b', 'NEAR(x y)', "col:umn", "^start"])
def test_operators_typed_by_a_user_are_words_not_syntax(index, text):
    assert index.search(text, limit=3) is not None  # no sqlite3.OperationalError


def test_nothing_to_search_for_is_an_error_that_says_so():
    with pytest.raises(SearchError, match="nothing to search for"):
        fts_query("  ?!  ")
    assert fts_query('say "hi"') == '"say" "hi"*'
    assert fts_query("74/176 report") == '"74 176" "report"*'
