"""The one writer of N-Triples text: each term formatted by pyoxigraph itself.

`str()` of a pyoxigraph term is its N-Triples form (also valid SPARQL), so the escaping of quotes,
backslashes, newlines and non-ASCII text is exactly the engine's, and a line written here reads back
as the same term in the store, in an export and through rdflib. The mapping (`kg.mapping`) writes
its lines through this module instead of building rdflib terms and converting them afterwards: on
60 scaled documents that conversion was most of the mapping's time (notes in issue 15).

IRIs are validated by pyoxigraph (a `ValueError` for what is not an IRI) and remembered: a document
names the same few hundred IRIs again and again.

A plain or language-tagged literal whose text holds none of the characters the engine escapes
(controls, `"`, `\\`, U+007F, U+FFFE, U+FFFF; lone surrogates, which it refuses) is written here as
`"text"`, exactly what the engine writes (checked over every code point in tests/test_ntriples.py),
without building an engine term for each paragraph's text; any other text goes through the engine.
The language tag is still the engine's (validated, lower-cased), once per tag.
"""

from __future__ import annotations

import re
from functools import lru_cache

import pyoxigraph as ox

XSD = "http://www.w3.org/2001/XMLSchema#"
XSD_STRING = XSD + "string"
XSD_BOOLEAN = XSD + "boolean"
XSD_INTEGER = XSD + "integer"


@lru_cache(maxsize=1 << 16)
def iri(value: str) -> str:
    """`<value>`, or ValueError when the engine refuses it as an IRI."""
    return str(ox.NamedNode(value))


@lru_cache(maxsize=1 << 12)
def _datatype(value: str) -> ox.NamedNode:
    return ox.NamedNode(value)


# what pyoxigraph escapes in a literal's text (or refuses: surrogates); any other character is written as it is
_ESCAPED = re.compile(r'[\x00-\x1f"\\\x7f\ufffe\uffff\ud800-\udfff]')


@lru_cache(maxsize=256)
def _language_suffix(language: str) -> str:
    """`@en` for "en" or "EN", as the engine writes the tag (ValueError for what is not a tag)."""
    return str(ox.Literal("", language=language))[2:]


def _written_as_is(value: str) -> bool:
    """Whether the engine writes `value` unescaped (`_ESCAPED` finds nothing in it).

    Every character it escapes but `"` and `\\` is unprintable (controls, U+FFFE/U+FFFF, surrogates), so
    printable text needs only those two looked for: `str.isprintable` and `in` run at C speed, where the
    regex steps through each character of a paragraph. Other text is left to the regex.
    """
    if value.isprintable():
        return '"' not in value and "\\" not in value
    return _ESCAPED.search(value) is None


def literal(value: str, language: str | None = None, datatype: str | None = None) -> str:
    """A literal: plain (`xsd:string`), language-tagged, or of another datatype."""
    if language:
        if type(value) is str and _written_as_is(value):
            return f'"{value}"{_language_suffix(language)}'
        return str(ox.Literal(value, language=language))
    if datatype and datatype != XSD_STRING:
        return _typed(value, datatype)
    if type(value) is str and _written_as_is(value):
        return f'"{value}"'
    return str(ox.Literal(value))


@lru_cache(maxsize=1 << 14)
def _typed(value: str, datatype: str) -> str:
    return str(ox.Literal(value, datatype=_datatype(datatype)))


def boolean(value: bool) -> str:
    return _typed("true" if value else "false", XSD_BOOLEAN)


def integer(value: int) -> str:
    return _typed(str(value), XSD_INTEGER)


def line(s: str, p: str, o: str) -> str:
    """One statement from three formatted terms, without the final newline."""
    return f"{s} {p} {o} ."


def term(value) -> str:
    """The N-Triples text of an rdflib or pyoxigraph term (blank nodes refused: see `kg.store`)."""
    from rdflib import BNode, Literal, URIRef

    if isinstance(value, URIRef):
        return iri(str(value))
    if isinstance(value, Literal):
        datatype = str(value.datatype) if value.datatype is not None else None
        return literal(str(value), value.language, datatype)
    if isinstance(value, BNode):
        raise ValueError(f"blank node {value.n3()} in a document graph: mapping must mint IRIs")
    if isinstance(value, (ox.NamedNode, ox.Literal)):
        return str(value)
    raise ValueError(f"not an RDF term: {value!r}")


def to_rdflib(lines) -> list[tuple]:
    """The lines read back as rdflib triples (for tests and validation; the build never needs it)."""
    from rdflib import Literal, URIRef

    def convert(t):
        if isinstance(t, ox.NamedNode):
            return URIRef(t.value)
        if isinstance(t, ox.Literal):
            if t.language:
                return Literal(t.value, lang=t.language)
            if t.datatype.value != XSD_STRING:
                return Literal(t.value, datatype=URIRef(t.datatype.value))
            return Literal(t.value)
        raise ValueError(f"not a term of a document graph: {t!r}")

    text = "\n".join(lines)
    return [(convert(t.subject), convert(t.predicate), convert(t.object))
            for t in ox.parse(text, format=ox.RdfFormat.N_TRIPLES)]


__all__ = ["boolean", "integer", "iri", "line", "literal", "term", "to_rdflib"]
