"""The one N-Triples writer (`kg.ntriples`): what it writes reads back as the same terms, through
rdflib and through pyoxigraph, whatever the text holds."""

from __future__ import annotations

import pyoxigraph as ox
import pytest
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import XSD

from kg import ntriples
from kg.store import to_ntriples_lines

S = "https://w3id.org/untoc-kg/id/doc/A%2FRES%2F74%2F247"
P = "https://w3id.org/untoc-kg/ontology#text"

TEXTS = [
    'He said "no" \\ twice',
    "first line\nsecond line\r\n\ttabbed",
    "Côte d'Ivoire — Türkiye, 中文, العربية, русский",
    "a bell \x07 and a null-free control \x1f",
    "emoji \U0001F600 beyond the basic plane",
    "",
]


def parsed_by_rdflib(line: str):
    graph = Graph()
    graph.parse(data=line + "\n", format="nt")
    (triple,) = list(graph)
    return triple


@pytest.mark.parametrize("text", TEXTS)
def test_plain_literals_read_back_the_same_through_rdflib_and_pyoxigraph(text):
    line = ntriples.line(ntriples.iri(S), ntriples.iri(P), ntriples.literal(text))
    assert "\n" not in line
    s, p, o = parsed_by_rdflib(line)
    assert (s, p, o) == (URIRef(S), URIRef(P), Literal(text))
    (triple,) = ox.parse(line, format=ox.RdfFormat.N_TRIPLES)
    assert triple.object == ox.Literal(text)


@pytest.mark.parametrize("text", TEXTS[:3])
@pytest.mark.parametrize("lang", ["en", "fr", "zh-Hans"])
def test_language_tagged_literals(text, lang):
    o = parsed_by_rdflib(ntriples.line(ntriples.iri(S), ntriples.iri(P), ntriples.literal(text, lang)))[2]
    assert o == Literal(text, lang=lang) and o.language.lower() == lang.lower()


@pytest.mark.parametrize("value, datatype", [
    ("2012-03-05", XSD.date), ("2012", XSD.gYear), ("2012-03", XSD.gYearMonth), ("42", XSD.integer),
])
def test_typed_literals(value, datatype):
    text = ntriples.literal(value, datatype=str(datatype))
    assert parsed_by_rdflib(ntriples.line(ntriples.iri(S), ntriples.iri(P), text))[2] == Literal(value, datatype=datatype)
    assert ntriples.literal(value, datatype=str(XSD.string)) == ntriples.literal(value)


def test_integers_and_booleans():
    assert parsed_by_rdflib(ntriples.line(ntriples.iri(S), ntriples.iri(P), ntriples.integer(7)))[2] == Literal(7)
    assert parsed_by_rdflib(ntriples.line(ntriples.iri(S), ntriples.iri(P), ntriples.boolean(True)))[2] == Literal(True)
    assert ntriples.boolean(False) == '"false"^^<http://www.w3.org/2001/XMLSchema#boolean>'


def test_the_writer_agrees_with_the_converter_of_rdflib_terms():
    """The lines the mapping writes are the lines `kg.store` makes from the same rdflib terms."""
    cases = [Literal(t) for t in TEXTS] + [Literal(t, lang="fr") for t in TEXTS[:3]] + [
        Literal("2012", datatype=XSD.gYear), Literal(True), Literal("5", datatype=XSD.integer), URIRef(S)]
    for o in cases:
        ours = ntriples.line(ntriples.iri(S), ntriples.iri(P), ntriples.term(o))
        assert [ours] == to_ntriples_lines([(URIRef(S), URIRef(P), o)])
        assert ntriples.to_rdflib([ours]) == [(URIRef(S), URIRef(P), o)]


def test_what_is_not_an_iri_or_a_named_term_is_refused():
    with pytest.raises(ValueError):
        ntriples.iri("not an iri with spaces")
    with pytest.raises(ValueError, match="blank node"):
        ntriples.term(BNode())


def _every_code_point_in_chunks(size: int = 2048):
    for base in range(0, 0x110000, size):
        yield "".join(chr(c) for c in range(base, min(base + size, 0x110000)) if not 0xD800 <= c <= 0xDFFF)


@pytest.mark.parametrize("language", [None, "en", "FR", "zh-Hans"])
def test_literals_are_written_exactly_as_the_engine_writes_them_for_every_code_point(language):
    """`literal` writes some texts itself: each code point alone, and runs of them, give the engine's text."""
    for chunk in _every_code_point_in_chunks():
        assert ntriples.literal(chunk, language) == str(ox.Literal(chunk, language=language))
        for ch in chunk[:160] if chunk[:1] == "\x00" else ():  # the ASCII controls, '"', '\\' one by one
            assert ntriples.literal(ch, language) == str(ox.Literal(ch, language=language))
    for ch in ("\x7f", "\ufffe", "\uffff", "a\\b", 'say "x"', "tab\there"):
        assert ntriples.literal(ch, language) == str(ox.Literal(ch, language=language))


def test_a_lone_surrogate_is_refused_as_the_engine_refuses_it():
    for language in (None, "en"):
        with pytest.raises(ValueError):
            ntriples.literal("half \ud800 a pair", language)


def test_a_malformed_language_tag_is_refused_as_before():
    with pytest.raises(ValueError):
        ntriples.literal("text", "not a tag")


def test_text_written_as_it_is_is_exactly_what_the_escape_pattern_leaves():
    """`_written_as_is` takes a shortcut for printable text: it agrees with `_ESCAPED` on every code point,
    alone and inside printable words."""
    for code in range(0x110000):
        ch = chr(code)
        assert ntriples._written_as_is(ch) == (ntriples._ESCAPED.search(ch) is None), hex(code)
        word = f"a{ch}b"
        assert ntriples._written_as_is(word) == (ntriples._ESCAPED.search(word) is None), hex(code)
