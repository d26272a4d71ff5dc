"""How `RemoteStore` reads a server's SPARQL JSON results, with no server: an httpx mock answers."""

from __future__ import annotations

import json

import httpx
import pyoxigraph as ox

from kg.upstream import XSD_BOOLEAN, RemoteStore, bind_values, canonical_booleans

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


def test_an_ask_answer_is_left_as_it_is():
    with answering({"head": {}, "boolean": True}) as store:
        assert bool(store.query("ASK {}")) is True


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
