"""Names as people type them: typos get suggestions, abbreviations are accepted, a query parameter
takes a body's name, and a parameter that names nothing in the graph is warned about."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from kg.cli import main
from kg.lineage import squeeze


def run(*args, store):
    return CliRunner().invoke(main, [*args, "--store", str(store)])


@pytest.mark.parametrize("typed, squeezed", [("WG TIP", "wgtip"), ("wg-tip", "wgtip"), ("UN.GIFT", "ungift"),
                                             ("UNGIFT", "ungift"), ("the Secretariat", "secretariat")])
def test_squeeze(typed, squeezed):
    assert squeeze(typed) == squeezed


@pytest.mark.parametrize("typed, body", [("WG TIP", "id:body/wg-tip"), ("UNGIFT", "id:body/un-gift"),
                                         ("the Secretariat", "id:body/cop-secretariat")])
def test_abbreviations_the_pictures_show_are_accepted(built_store, typed, body):
    result = run("lineage", typed, store=built_store)
    assert result.exit_code == 0, result.output
    assert f"({body})" in result.output.splitlines()[0]


def test_a_typo_gets_the_closest_names_not_every_body(built_store):
    result = run("lineage", "Working Grop on Trafficking in Persons", store=built_store)
    assert result.exit_code == 1
    assert "did you mean" in result.output and "Working Group on Trafficking in Persons" in result.output
    assert len(result.output.strip().splitlines()) <= 6


def test_a_mistyped_query_name_gets_a_suggestion(built_store):
    result = run("query", "linage", store=built_store)
    assert result.exit_code == 2 and "did you mean 'lineage'" in result.output


def test_a_mistyped_command_gets_a_suggestion():
    result = CliRunner().invoke(main, ["linage", "wg-tip"])
    assert result.exit_code == 2 and "Did you mean 'lineage'" in result.output


@pytest.mark.parametrize("value", ["wg-tip", "WG TIP", "Working Group on Trafficking in Persons", "id:body/wg-tip"])
def test_query_lineage_takes_what_lineage_takes(built_store, value):
    result = run("query", "lineage", "--param", f"body={value}", "--format", "csv", store=built_store)
    assert result.exit_code == 0, result.output
    assert "decision/4-4" in result.output


def test_a_parameter_name_that_is_no_body_says_so(built_store):
    result = run("query", "lineage", "--param", "body=Working Grop on Trafficking in Persons", store=built_store)
    assert result.exit_code == 2
    assert "not an IRI" in result.output and "Working Group on Trafficking in Persons" in result.output


def test_a_parameter_naming_nothing_in_the_graph_is_warned_about(built_store):
    result = CliRunner().invoke(main, ["query", "lineage", "--param", "body=id:body/no-such-body",
                                       "--store", str(built_store)])
    assert result.exit_code == 0
    assert "warning: --param body: id:body/no-such-body names nothing in the graph" in result.stderr
    known = CliRunner().invoke(main, ["query", "lineage", "--param", "body=id:body/wg-tip", "--store", str(built_store)])
    assert "warning" not in known.stderr
