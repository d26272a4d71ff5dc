"""Short IRIs as the tool prints them can be pasted back into a query; parser errors are one line."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from kg.cli import main
from kg.sparql import PREFIXES, expand_short_iris, syntax_message
from test_cli import fixture_store  # noqa: F401  (the shared fixture store)

ID = PREFIXES["id"]


@pytest.mark.parametrize("query, expected", [
    ("SELECT * { id:body/wg-tip ?p ?o }", f"SELECT * {{ <{ID}body/wg-tip> ?p ?o }}"),
    ("ASK { ?p ukg:inDocument id:doc/CTOC/COP/WG.4/2013/1#p5 . }",
     f"ASK {{ ?p ukg:inDocument <{ID}doc/CTOC/COP/WG.4/2013/1#p5> . }}"),
    ("ASK { ?s ?p id:act/untoc-cop/decision/4-4.}", f"ASK {{ ?s ?p <{ID}act/untoc-cop/decision/4-4>.}}"),
])
def test_short_iris_become_full_iris(query, expected):
    assert expand_short_iris(query) == expected


@pytest.mark.parametrize("query", [
    'SELECT ?b { ?p ukg:meeting/ukg:ofBody ?b }',               # a property path, not an IRI
    'SELECT ?t { ?s ?p ?t FILTER(CONTAINS(?t, "id:body/wg-tip")) }',  # inside a string
    "SELECT ?t { ?s ?p ?t } # id:body/wg-tip in a comment",
    "SELECT ?t { <https://example.org/id:a/b> ?p ?t }",
    "SELECT ?t { ?s ukg:x/<https://example.org/a> ?t }",
    "SELECT ?t { ?s ?p foo:a/b }",                              # an unknown prefix is the parser's to report
])
def test_what_is_not_a_short_iri_is_left_alone(query):
    assert expand_short_iris(query) == query


def test_a_prefix_the_query_declares_wins():
    query = "PREFIX id: <http://example.org/> SELECT * { id:a/b ?p ?o }"
    assert "<http://example.org/a/b>" in expand_short_iris(query)


def test_the_short_iri_the_tool_prints_is_pasted_back(fixture_store):  # noqa: F811
    result = CliRunner().invoke(main, ["sparql", "SELECT ?o { id:body/wg-tip skos:prefLabel ?o }",
                                       "--store", str(fixture_store), "--format", "csv"])
    assert result.exit_code == 0, result.output
    assert "Working Group on Trafficking in Persons" in result.output


@pytest.mark.parametrize("query, expected", [
    ("SELECT * { foo:x ?p ?o }", "unknown prefix foo:"),
    ("INSERT DATA { <a:b> <a:b> <a:b> }", "this store is read-only"),
    ("PREFIX x: <http://a/>\n# a comment\nDROP ALL", "this store is read-only"),
    ("SELEC * {}", "not SELEC"),
])
def test_parser_errors_are_one_line_that_says_what_to_fix(fixture_store, query, expected):  # noqa: F811
    result = CliRunner().invoke(main, ["sparql", query, "--store", str(fixture_store)])
    assert result.exit_code == 2
    assert expected in result.output
    assert len(result.output.strip().splitlines()) == 1


def test_a_long_list_of_expected_terminals_is_cut():
    message = syntax_message("SELECT * { ?s ?p ?o", "error at 1:20: expected one of Prefix not found, ['%'], "
                             "a, b, c, d, e, f")
    assert "Prefix not found" not in message and message.endswith("…")


def test_an_escaped_short_iri_is_left_to_the_parser(fixture_store):  # noqa: F811
    query = r"SELECT ?o { id:body\/wg-tip skos:prefLabel ?o }"
    assert expand_short_iris(query) == query
    result = CliRunner().invoke(main, ["sparql", query, "--store", str(fixture_store), "--format", "csv"])
    assert "Working Group on Trafficking in Persons" in result.output
