"""How `RemoteStore` reads a server's SPARQL JSON results, with no server: an httpx mock answers."""

from __future__ import annotations

import json

import httpx
import pyoxigraph as ox

from kg.upstream import XSD_BOOLEAN, RemoteStore, bind_values, canonical_booleans, parameter_columns

XSD_INTEGER = "http://www.w3.org/2001/XMLSchema#integer"


def answering(document: dict) -> RemoteStore:
    """A RemoteStore whose server answers every query with `document` as SPARQL JSON results."""
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, content=json.dumps(document).encode(),
                              headers={"content-type": "application/sparql-results+json; charset=UTF-8"})

    store = RemoteStore("http://upstream.invalid/sparql")
    store._client = httpx.Client(transport=httpx.MockTransport(handler))
    return store


def literal(value: str, datatype: str) -> dict:
    return {"type": "typed-literal", "datatype": datatype, "value": value}


def test_booleans_written_as_1_and_0_read_as_true_and_false():
    # what Virtuoso 7.2 sends for `SELECT ?b ?c ?n` with xsd:boolean values and an integer 1
    document = {"head": {"vars": ["b", "c", "n"]}, "results": {"bindings": [
        {"b": literal("1", XSD_BOOLEAN), "c": literal("0", XSD_BOOLEAN), "n": literal("1", XSD_INTEGER)},
        {"b": literal("true", XSD_BOOLEAN), "c": literal("false", XSD_BOOLEAN)},
    ]}}
    with answering(document) as store:
        solutions = list(store.query("SELECT ?b ?c ?n WHERE {}"))
    assert [(s["b"], s["c"], s["n"]) for s in solutions] == [
        (ox.Literal("true", datatype=ox.NamedNode(XSD_BOOLEAN)), ox.Literal("false", datatype=ox.NamedNode(XSD_BOOLEAN)),
         ox.Literal("1", datatype=ox.NamedNode(XSD_INTEGER))),
        (ox.Literal("true", datatype=ox.NamedNode(XSD_BOOLEAN)), ox.Literal("false", datatype=ox.NamedNode(XSD_BOOLEAN)),
         None),
    ]
    assert str(solutions[0]["b"]) == str(ox.Literal(True))


def test_results_without_booleans_are_passed_on_unparsed():
    content = b'{"head": {"vars": ["n"]}, "results": {"bindings": [{"n": {"type": "literal", "value": "1"}}]}}'
    assert canonical_booleans(content) is content


def test_a_boolean_parameter_is_echoed_as_given():
    # what Virtuoso 7.2 sends for a VALUES ?all { true }: it has no boolean type, and 1 is not the term given
    document = {"head": {"vars": ["all", "n", "x"]}, "results": {"bindings": [
        {"all": literal("1", XSD_INTEGER), "n": literal("1", XSD_INTEGER), "x": {"type": "uri", "value": "http://a"}},
        {"all": literal("1", XSD_INTEGER)},
    ]}}
    given = {ox.Variable("all"): ox.Literal(True), ox.Variable("x"): ox.NamedNode("http://a")}
    with answering(document) as store:
        solutions = list(store.query("SELECT ?all ?n ?x WHERE {}", substitutions=given))
    assert [s["all"] for s in solutions] == [ox.Literal(True), ox.Literal(True)]
    assert solutions[0]["n"] == ox.Literal("1", datatype=ox.NamedNode(XSD_INTEGER))  # not a parameter: as sent
    assert solutions[1]["x"] is None


def test_results_without_a_literal_parameter_are_passed_on_unparsed():
    content = b'{"head": {"vars": ["n"]}, "results": {"bindings": [{"n": {"type": "literal", "value": "1"}}]}}'
    assert parameter_columns(content, None) is content
    assert parameter_columns(content, {ox.Variable("x"): ox.NamedNode("http://a")}) is content
    assert parameter_columns(content, {ox.Variable("m"): ox.Literal("1")}) is content


def test_an_ask_answer_is_left_as_it_is():
    with answering({"head": {}, "boolean": True}) as store:
        assert bool(store.query("ASK {}")) is True


def test_blank_nodes_labelled_as_virtuoso_labels_them_are_read():
    # Virtuoso labels a blank node `nodeID://b10006`, which is not a blank node label
    document = {"head": {"vars": ["b", "c", "d"]}, "results": {"bindings": [
        {"b": {"type": "bnode", "value": "nodeID://b10006"}, "c": {"type": "bnode", "value": "b1"},
         "d": {"type": "bnode", "value": "nodeID://b10007"}},
        {"b": {"type": "bnode", "value": "nodeID://b10006"}},
    ]}}
    with answering(document) as store:
        solutions = list(store.query("SELECT ?b ?c ?d WHERE {}"))
    first, second = solutions
    assert first["b"] == second["b"] != first["d"]  # one node, one label; another node, another
    assert first["c"] == ox.BlankNode("b1")  # a valid label is kept


def test_a_querys_dataset_is_its_own_while_other_threads_ask_other_datasets():
    """The front's store is shared by the threads that answer requests and the one building the
    search index: a query's default and named graphs travel with it, never set on the store, so
    a query for the union graph never goes out without it, whatever the other threads ask."""
    import threading
    import time
    from urllib.parse import parse_qsl

    from kg.store import UNION_GRAPH
    from kg.upstream_front import UpstreamStore

    seen: list[tuple[str, list]] = []
    lock = threading.Lock()

    def handler(request: httpx.Request) -> httpx.Response:
        form = parse_qsl(request.content.decode())
        query = dict(form)["query"]
        with lock:
            seen.append((query, [pair for pair in form if pair[0] != "query"]))
        time.sleep(0.001)  # widen the window in which another thread could change the store
        return httpx.Response(200, content=b'{"head": {"vars": ["s"]}, "results": {"bindings": []}}',
                              headers={"content-type": "application/sparql-results+json"})

    store = UpstreamStore("http://upstream.invalid/sparql")
    store._client = httpx.Client(transport=httpx.MockTransport(handler))

    def union_queries():
        for _ in range(100):
            list(store.query("SELECT ?s WHERE { ?s ?p ?o } # union"))

    def other_datasets():
        for _ in range(100):
            list(store.query("SELECT ?s WHERE { ?s ?p ?o } # named", default_graph=[],
                             named_graphs=[ox.NamedNode("http://example.org/g")]))
            list(store.quads_for_pattern(None, None, None))

    threads = [threading.Thread(target=union_queries), threading.Thread(target=other_datasets)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    union = [params for query, params in seen if query.endswith("# union")]
    named = [params for query, params in seen if query.endswith("# named")]
    assert len(union) == len(named) == 100
    assert all(params == [("default-graph-uri", UNION_GRAPH.value)] for params in union)
    assert all(params == [("named-graph-uri", "http://example.org/g")] for params in named)


# Binding parameters by VALUES: the bound query must give, on any engine, the rows the embedded store
# gives with its substitutions (which bind a parameter in every group, nested ones included).

EX = "http://example.org/"
NESTED = f"""PREFIX ex: <{EX}>
SELECT ?thing ?label ?kind WHERE {{
  # a comment before the nested group, with a brace {{ in it
  {{
    ?thing a ex:Thing .
    OPTIONAL {{ ?thing ex:kind ?k }}
    FILTER (COALESCE(?kind, "") = "" || STR(?k) = STR(?kind))
  }}
  OPTIONAL {{ ?thing ex:label ?label }}
}}"""


def little_store() -> ox.Store:
    store = ox.Store()
    for name, kind in (("a", "x"), ("b", "y"), ("c", None)):
        thing = ox.NamedNode(EX + name)
        store.add(ox.Quad(thing, ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"),
                          ox.NamedNode(EX + "Thing")))
        store.add(ox.Quad(thing, ox.NamedNode(EX + "label"), ox.Literal(name)))
        if kind:
            store.add(ox.Quad(thing, ox.NamedNode(EX + "kind"), ox.Literal(kind)))
    return store


def solutions(results) -> list[tuple]:
    return sorted(tuple(str(s[v]) if s[v] is not None else "" for v in results.variables) for s in results)


def test_a_parameter_is_bound_in_a_nested_group_that_filters_on_it():
    store = little_store()
    kind = {ox.Variable("kind"): ox.Literal("x")}
    bound = bind_values(NESTED, kind)
    assert bound.count("VALUES ?kind") == 2
    expected = solutions(store.query(NESTED, substitutions=kind))
    assert [row[0] for row in expected] == [f"<{EX}a>"]
    assert solutions(store.query(bound)) == expected


def test_groups_of_optional_union_and_subselect_get_no_second_binding():
    query = f"""PREFIX ex: <{EX}>
SELECT ?thing ?kind WHERE {{
  {{ ?thing ex:kind ?kind }} UNION {{ ?thing ex:label ?kind }}
  OPTIONAL {{ ?thing ex:label ?label FILTER (?label != ?kind) }}
  {{ SELECT ?thing WHERE {{ ?thing a ex:Thing }} }}
  FILTER EXISTS {{ ?thing ex:kind ?kind }}
}}"""
    kind = {ox.Variable("kind"): ox.Literal("x")}
    bound = bind_values(query, kind)
    assert bound.count("VALUES ?kind") == 1
    store = little_store()
    assert solutions(store.query(bound)) == solutions(store.query(query, substitutions=kind))
