"""`kg.store.query` leaves the list of named graphs out of queries that cannot reach one (it makes
every lookup dearer in pyoxigraph 0.5), and that changes no answer: the default graph is still
the union, the build's own graph still out of sight, and `GRAPH ?g` still ranges over the data."""

from __future__ import annotations

import pytest

from kg.store import BUILD_GRAPH, GraphRecord, _may_name_graphs, open_store, query, replace_graph


@pytest.mark.parametrize("text, names", [
    ("SELECT ?paragraph WHERE { ?paragraph ?p ?o }", False),
    ("# a header that speaks of the graph and named things\nSELECT * { ?s ?p ?o }", False),
    ("SELECT ?g { GRAPH ?g { ?s ?p ?o } }", True),
    ("select ?g { graph ?g { ?s ?p ?o } }", True),
    ("SELECT * FROM NAMED <http://e/g> { ?s ?p ?o }", True),
    ("SELECT * { ?s ?p <https://w3id.org/untoc-kg/id/graph/build> }", True),
    ("SELECT * { ?s ?p ?o } # the graph", True),
])
def test_which_queries_may_name_a_graph(text, names):
    assert _may_name_graphs(text) is names


def test_answers_are_the_same_with_or_without_the_list(tmp_path):
    store = open_store(tmp_path / "s", read_only=False)
    for g, obj in (("http://e/g1", '"1"'), ("http://e/g2", '"2"')):
        lines = [f"<http://e/s> <http://e/p> {obj} .", "<http://e/s> <http://e/shared> <http://e/o> ."]
        replace_graph(store, g, lines, GraphRecord(g, g, g, "-", "-", len(lines)))
    plain = [s["o"].value for s in query(store, "SELECT ?o { ?s ?p ?o } ORDER BY ?o")]
    assert plain == ["http://e/o", "1", "2"]  # the union, a set: the shared triple once
    hidden = "SELECT ?s { ?s <https://w3id.org/untoc-kg/build#source> ?o }"
    assert list(query(store, hidden)) == []
    graphs = [s["g"].value for s in query(store, "SELECT DISTINCT ?g { GRAPH ?g { ?s ?p ?o } } ORDER BY ?g")]
    assert graphs == ["http://e/g1", "http://e/g2"]
    assert BUILD_GRAPH.value not in graphs
