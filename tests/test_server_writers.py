"""The SPARQL JSON results writer writes the same bytes as `json.dumps` of the document did.

`reference_write_json` is the writer as it was (`_json_term`'s dict per binding, then `json.dumps`); the endpoint's
writer builds the text directly. Both must give identical bytes on awkward terms."""

from __future__ import annotations

import json

import pyoxigraph as ox

from kg.server.worker import _json_term, write_json

XSD = "http://www.w3.org/2001/XMLSchema#"


def reference_write_json(variables, rows, boolean=None) -> bytes:
    if boolean is not None:
        return json.dumps({"head": {}, "boolean": boolean}).encode("utf-8")
    bindings = [{v: _json_term(t) for v, t in zip(variables, row, strict=True) if t is not None} for row in rows]
    return json.dumps({"head": {"vars": variables}, "results": {"bindings": bindings}},
                      ensure_ascii=False, separators=(",", ":")).encode("utf-8")


AWKWARD = [
    ox.NamedNode("https://example.org/id/doc/A/RES/55/25#p1"),
    ox.NamedNode("http://example.org/caf\u00e9?q=x&y=%22"),
    ox.BlankNode("b0"),
    ox.BlankNode(),
    ox.Literal("plain"),
    ox.Literal(""),
    ox.Literal('she said "no" \\ and left'),
    ox.Literal("line one\nline two\r\n\ttabbed"),
    ox.Literal("control \u0001\u001f and del \u007f"),
    ox.Literal("Convention contre la criminalit\u00e9 \u2014 \u00ab ONUDC \u00bb"),
    ox.Literal("\u05e2\u05d1\u05e8\u05d9\u05ea \u4e2d\u6587 \U0001F600 emoji"),
    ox.Literal("\u2028 and \u2029 separators"),
    ox.Literal("Palermo", language="it"),
    ox.Literal("Vienna", language="en-GB"),
    ox.Literal("12", datatype=ox.NamedNode(XSD + "integer")),
    ox.Literal("2000-11-15", datatype=ox.NamedNode(XSD + "date")),
    ox.Literal("true", datatype=ox.NamedNode(XSD + "boolean")),
    ox.Literal("x", datatype=ox.NamedNode(XSD + "string")),
    ox.Literal('odd "type"', datatype=ox.NamedNode("http://example.org/type\u00e9#x")),
    ox.Triple(ox.NamedNode("http://example.org/s"), ox.NamedNode("http://example.org/p"),
              ox.Literal("o\n", language="fr")),
]


def test_byte_identical_on_awkward_terms():
    variables = ["a", "b", "c"]
    rows = []
    for i, term in enumerate(AWKWARD):
        rows.append((term, AWKWARD[(i + 1) % len(AWKWARD)], None))
        rows.append((None, None, term))
    rows.append((None, None, None))
    assert write_json(variables, rows) == reference_write_json(variables, rows)


def test_byte_identical_on_odd_variable_names_and_empty_results():
    variables = ["x", "caf\u00e9", "with_underscore1"]
    assert write_json(variables, []) == reference_write_json(variables, [])
    assert write_json([], []) == reference_write_json([], [])
    assert write_json([], [()]) == reference_write_json([], [()])
    row = (ox.Literal("1"), ox.Literal("\u00e9", language="fr"), ox.NamedNode("urn:x"))
    assert write_json(variables, [row, row]) == reference_write_json(variables, [row, row])


def test_booleans_as_before():
    for value in (True, False):
        assert write_json([], [], value) == reference_write_json([], [], value)


def test_the_output_is_valid_json():
    rows = [(t,) for t in AWKWARD]
    doc = json.loads(write_json(["v"], rows))
    assert len(doc["results"]["bindings"]) == len(AWKWARD)
