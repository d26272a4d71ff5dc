"""SELECT answers in SPARQL JSON by pyoxigraph's own serializer (`_JsonSink`) against the Python writer.

The worker serializes a SELECT answer asked for in JSON with `QuerySolutions.serialize` and counts rows
in the bytes (`_JsonSink`). These tests run the same jobs both ways (`NATIVE_JSON` on and off) and
check that the bytes and the header (row count, truncation) are the same, with literals written to
look like the row separators the sink looks for, under row caps and byte limits."""

from __future__ import annotations

import json

import pyoxigraph as ox
import pytest

from kg.server import worker
from kg.server.worker import _run_job

EX = "http://example.org/"
XSD = "http://www.w3.org/2001/XMLSchema#"
GRAPH = ox.NamedNode(EX + "g")

# literal texts that hold what the sink counts or stops on, and what JSON must escape
AWKWARD = [
    'plain', ',{"s":', '},{"s":{"type":"uri"', ',{"o":{"type":"literal","value":"x"}}', '\\",{"s":',
    'quote " and backslash \\', "line\nbreak\ttab\rreturn", "\u0001\u001f control", "é ∑ 𝄞 non-ASCII",
    "]}}", '"bindings":[', ",", "{", "}", "",
]
TRICKY_EMPTY = "{}"  # makes the sink hand the job back to the Python writer


def _store(texts: list[str]) -> ox.Store:
    store = ox.Store()
    for i, text in enumerate(texts):
        s = ox.NamedNode(f"{EX}s{i:03d}")
        store.add(ox.Quad(s, ox.NamedNode(f"{EX}p"), ox.Literal(text), GRAPH))
        store.add(ox.Quad(s, ox.NamedNode(f"{EX}lang"), ox.Literal(text, language="en"), GRAPH))
        store.add(ox.Quad(s, ox.NamedNode(f"{EX}n"), ox.Literal(str(i), datatype=ox.NamedNode(XSD + "integer")), GRAPH))
        store.add(ox.Quad(s, ox.NamedNode(f"{EX}b"), ox.BlankNode(f"b{i}"), GRAPH))
    return store


def _both(store: ox.Store, query: str, limit: int = 10_000, budget: int | None = None, monkeypatch=None):
    job = {"query": query, "default": [GRAPH.value], "named": None, "tabular": "json", "boolean": "json", "graph": "nt",
           "max": limit, "max_bytes": budget, "uses_graph": False}
    config = {"graphs": [], "default_graphs": [], "prefixes": {}}
    monkeypatch.setattr(worker, "NATIVE_JSON", True)
    native = _run_job(store, dict(config), dict(job))
    monkeypatch.setattr(worker, "NATIVE_JSON", False)
    python = _run_job(store, dict(config), dict(job))
    return native, python


ALL_ROWS = ("SELECT ?s ?o ?l ?n ?b WHERE { ?s <http://example.org/p> ?o ; <http://example.org/lang> ?l ; "
            "<http://example.org/n> ?n ; <http://example.org/b> ?b } ORDER BY ?s")


def test_the_same_bytes_as_the_python_writer(monkeypatch):
    store = _store(AWKWARD * 3)
    native, python = _both(store, ALL_ROWS, monkeypatch=monkeypatch)
    assert native == python
    assert native[0]["count"] == len(AWKWARD) * 3 and not native[0]["truncated"]
    assert len(json.loads(native[1])["results"]["bindings"]) == len(AWKWARD) * 3


@pytest.mark.parametrize("limit", [1, 2, 7, 15, 44, 45, 46, 10_000])
def test_cut_at_the_row_cap_as_the_python_writer_cuts(limit, monkeypatch):
    store = _store(AWKWARD * 3)
    native, python = _both(store, ALL_ROWS, limit=limit, monkeypatch=monkeypatch)
    assert native == python
    assert native[0]["count"] == min(limit, 45)
    assert native[0]["truncated"] == (limit < 45)


def test_a_large_answer_is_cut_at_the_cap_across_many_writes(monkeypatch):
    store = _store([f"text {i} ,{{\"s\":" for i in range(3000)])
    native, python = _both(store, ALL_ROWS, limit=2500, monkeypatch=monkeypatch)
    assert native == python
    assert native[0]["count"] == 2500 and native[0]["by_rows"]


def test_unbound_variables_and_rows_with_no_binding(monkeypatch):
    store = _store(AWKWARD)
    # OPTIONALs that leave variables unbound, and (second query) rows with no binding at all: "{}"
    for query in ("SELECT ?s ?x ?o WHERE { ?s <http://example.org/p> ?o OPTIONAL { ?s <http://none> ?x } } ORDER BY ?s",
                  "SELECT ?x WHERE { ?s <http://example.org/p> ?o OPTIONAL { ?s <http://none> ?x } }",
                  "SELECT ?x WHERE { FILTER(false) }"):
        for limit in (3, 10_000):
            native, python = _both(store, query, limit=limit, monkeypatch=monkeypatch)
            assert native == python, query


def test_a_literal_with_braces_hands_the_job_back(monkeypatch):
    store = _store(AWKWARD + [TRICKY_EMPTY, ',{},{}'])
    native, python = _both(store, ALL_ROWS, limit=5, monkeypatch=monkeypatch)
    assert native == python
    native, python = _both(store, ALL_ROWS, monkeypatch=monkeypatch)
    assert native == python and native[0]["count"] == len(AWKWARD) + 2


@pytest.mark.parametrize("budget", [10, 200, 1000, 5000, 20_000, 100_000])
def test_the_byte_limit_holds_and_the_rows_are_whole(budget, monkeypatch):
    store = _store(AWKWARD * 20)
    (header, body), _ = _both(store, ALL_ROWS, budget=budget, monkeypatch=monkeypatch)
    doc = json.loads(body)
    rows = doc["results"]["bindings"]
    assert header["count"] == len(rows)
    if header["truncated"]:
        assert header["by_bytes"]
        head = len(b'{"head":{"vars":["s","o","l","n","b"]},"results":{"bindings":[]}}')
        assert len(body) <= budget or (not rows and len(body) == head)
        # the cut is after the last whole row that fits: one more row would not
        full = json.loads(_both(store, ALL_ROWS, monkeypatch=monkeypatch)[0][1])["results"]["bindings"]
        assert rows == full[: len(rows)]
        more = json.dumps({"head": doc["head"], "results": {"bindings": full[: len(rows) + 1]}},
                          ensure_ascii=False, separators=(",", ":")).encode("utf-8")
        assert len(more) > budget
    else:
        assert len(body) <= budget and header["count"] == len(AWKWARD) * 20


def test_rows_and_bytes_together(monkeypatch):
    store = _store(AWKWARD * 20)
    (header, body), _ = _both(store, ALL_ROWS, limit=50, budget=3000, monkeypatch=monkeypatch)
    assert header["by_bytes"] and len(body) <= 3000 and header["count"] == len(json.loads(body)["results"]["bindings"])
    (header, body), _ = _both(store, ALL_ROWS, limit=5, budget=100_000, monkeypatch=monkeypatch)
    assert header["by_rows"] and not header.get("by_bytes") and header["count"] == 5


def test_triple_terms(monkeypatch):
    store = ox.Store()
    t = ox.Triple(ox.NamedNode(EX + "a"), ox.NamedNode(EX + "p"), ox.Literal(',{"t":'))
    for i in range(5):
        store.add(ox.Quad(ox.NamedNode(f"{EX}s{i}"), ox.NamedNode(EX + "q"), t, GRAPH))
    query = "SELECT ?s ?t WHERE { ?s <http://example.org/q> ?t } ORDER BY ?s"
    for limit in (2, 10):
        native, python = _both(store, query, limit=limit, monkeypatch=monkeypatch)
        assert native == python


def test_variable_names_beyond_ascii_or_starting_with_a_digit(monkeypatch):
    store = _store(AWKWARD)
    query = ("SELECT ?é ?日本 ?1_a WHERE { ?é <http://example.org/p> ?日本 ; <http://example.org/n> ?1_a } "
             "ORDER BY ?é")
    for limit in (2, 10_000):
        native, python = _both(store, query, limit=limit, monkeypatch=monkeypatch)
        assert native == python
        assert native[0]["count"] == min(limit, len(AWKWARD))


def test_a_head_written_otherwise_hands_the_job_back(monkeypatch):
    sink = worker._JsonSink(["s"], 10, None)
    with pytest.raises(worker._Stop):
        sink.write(b'{"head":{"vars":["\\u0073"]},"results":{"bindings":[')
    assert sink.ambiguous
