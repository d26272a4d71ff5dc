"""The endpoint's dataset with and without the named graphs listed: the same rows.

A query without the keyword GRAPH cannot see the named graphs of its dataset, so the worker does not
list them for it (`uses_graph` from the guard). These tests run every canned query that needs no
parameter, and a few written here, both ways on the built seed corpus, and check that the rows are
those of the old way (named graphs always listed)."""

from __future__ import annotations

import json

import pyoxigraph as ox
import pytest

from kg.server.guard import check_query
from kg.server.worker import _run_job
from kg.sparql import PREFIXES, list_queries
from kg.store import UNION, UNION_GRAPH, data_graphs

WRITTEN = {
    "triples": "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }",
    "per-graph": "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g ORDER BY ?g",
    "graph-in-a-string": 'SELECT ?s WHERE { ?s ?p "GRAPH" } LIMIT 5',
    "graph-lowercase": "select (count(*) as ?n) where { graph ?g { ?s a ?c } }",
    "ask": "ASK { ?s ?p ?o }",
}


@pytest.fixture(scope="module")
def opened(built_store):
    store = ox.Store.read_only(str(built_store))
    graphs = [g.value for g in data_graphs(store)]
    # the endpoint names the union by its public IRI; the worker maps it to the store's default graph
    default = [UNION_GRAPH.value] if any(True for _ in store.quads_for_pattern(None, None, None, UNION)) else graphs
    return store, {"store": str(built_store), "graphs": graphs, "default_graphs": default,
                   "prefixes": dict(PREFIXES)}


def _rows(store, config, text: str, uses_graph: bool) -> tuple[dict, list]:
    job = {"query": text, "default": None, "named": None, "tabular": "json", "boolean": "json",
           "graph": "nt", "max": 1_000_000, "uses_graph": uses_graph}
    header, body = _run_job(store, dict(config), job)
    assert header["status"] == 200, header
    if header["type"].startswith("application/sparql-results+json"):
        doc = json.loads(body)
        if "boolean" in doc:
            return header, [doc["boolean"]]
        return header, sorted(json.dumps(b, sort_keys=True) for b in doc["results"]["bindings"])
    return header, sorted(body.decode("utf-8").splitlines())


def test_the_guard_sees_graph_as_a_keyword_only():
    assert check_query(WRITTEN["per-graph"], graphs=None).uses_graph
    assert check_query(WRITTEN["graph-lowercase"], graphs=None).uses_graph
    assert not check_query(WRITTEN["triples"], graphs=None).uses_graph
    assert not check_query(WRITTEN["graph-in-a-string"], graphs=None).uses_graph
    assert not check_query("SELECT ?s WHERE { ?s <http://example.org/GRAPH> ?o }", graphs=None).uses_graph


CANNED = [q for q in list_queries() if all(p.optional for p in q.params)]


@pytest.mark.parametrize("name,text", [(q.name, q.text) for q in CANNED] + sorted(WRITTEN.items()))
def test_same_rows_with_and_without_the_named_graphs_listed(opened, name, text):
    store, config = opened
    uses_graph = check_query(text, graphs=None, prefixes=PREFIXES).uses_graph
    old_header, old_rows = _rows(store, config, text, uses_graph=True)  # the old way: always listed
    new_header, new_rows = _rows(store, config, text, uses_graph=uses_graph)
    assert new_rows == old_rows
    assert new_header["count"] == old_header["count"]


def test_the_written_queries_see_the_data(opened):
    store, config = opened
    _, triples = _rows(store, config, WRITTEN["triples"], uses_graph=False)
    assert int(json.loads(triples[0])["n"]["value"]) > 0
    _, per_graph = _rows(store, config, WRITTEN["per-graph"], uses_graph=True)
    assert len(per_graph) >= len(config["graphs"])
