"""The `untoc-kg` command, driven as a user drives it (click's CliRunner)."""

from __future__ import annotations

import json
import re

import pyoxigraph as ox
import pytest
from click.testing import CliRunner

from conftest import CORPUS, ROOT
from kg.cli import main
from kg.sparql import list_queries
from kg.store import GraphRecord, open_store, replace_graph

# A hand-made slice in the public vocabulary: two working groups, events given out of date order,
# one act cited by two documents, one Request (not part of a lineage).
LINEAGE_FIXTURE = """
@prefix ukg: <https://w3id.org/untoc-kg/ontology#> .
@prefix id: <https://w3id.org/untoc-kg/id/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix prov: <http://www.w3.org/ns/prov#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .

id:graph\\/reference {
  id:body\\/wg-tip a ukg:WorkingGroup ; skos:prefLabel "Working Group on Trafficking in Persons"@en ;
      skos:altLabel "open-ended interim working group on trafficking in persons"@en, "the Working Group"@en .
  id:body\\/wg-som a ukg:WorkingGroup ; skos:prefLabel "Working Group on the Smuggling of Migrants"@en ;
      skos:altLabel "the Working Group"@en .
  id:body\\/untoc-cop a ukg:ConferenceOfParties ; rdfs:label "Conference of the Parties" .
}
<https://w3id.org/untoc-kg/id/doc/TEST/A> {
  <https://w3id.org/untoc-kg/id/doc/TEST/A> a ukg:Document ; ukg:symbol "TEST/A" ; ukg:sourceFile "a.txt" .
  <https://w3id.org/untoc-kg/id/doc/TEST/A#p1> ukg:inDocument <https://w3id.org/untoc-kg/id/doc/TEST/A> ;
      ukg:number "1" ; ukg:text "In its resolution 6/1 the Conference decided the Working Group should continue." .
  <https://w3id.org/untoc-kg/id/doc/TEST/A#p2> ukg:inDocument <https://w3id.org/untoc-kg/id/doc/TEST/A> ;
      ukg:number "2" ; ukg:text "In its decision 4/4 the Conference decided to establish a working group." .
  id:mandate\\/wg-tip ukg:holder id:body\\/wg-tip .
  id:ev61 a ukg:MandateEvent ; ukg:mandate id:mandate\\/wg-tip ; ukg:act id:act\\/untoc-cop\\/resolution\\/6-1 ;
      ukg:eventType ukg:Continuation ; prov:wasDerivedFrom <https://w3id.org/untoc-kg/id/doc/TEST/A#p1> .
  id:act\\/untoc-cop\\/resolution\\/6-1 ukg:actNumber "6/1" ; dcterms:date "2012-10-19"^^xsd:date .
  id:ev44 a ukg:MandateEvent ; ukg:mandate id:mandate\\/wg-tip ; ukg:act id:act\\/untoc-cop\\/decision\\/4-4 ;
      ukg:eventType ukg:Establishment ; prov:wasDerivedFrom <https://w3id.org/untoc-kg/id/doc/TEST/A#p2> .
  id:act\\/untoc-cop\\/decision\\/4-4 ukg:actNumber "4/4" ; ukg:adoptedBy id:body\\/untoc-cop ;
      ukg:adoptedAt id:meeting\\/untoc-cop\\/2008-10-08 .
  id:meeting\\/untoc-cop\\/2008-10-08 ukg:startDate "2008-10-08"^^xsd:date .
  id:req a ukg:MandateEvent ; ukg:mandate id:mandate\\/wg-tip ; ukg:act id:act\\/untoc-cop\\/resolution\\/6-1 ;
      ukg:eventType ukg:Request ; prov:wasDerivedFrom <https://w3id.org/untoc-kg/id/doc/TEST/A#p1> .
}
<https://w3id.org/untoc-kg/id/doc/TEST/B> {
  <https://w3id.org/untoc-kg/id/doc/TEST/B#p7> ukg:inDocument <https://w3id.org/untoc-kg/id/doc/TEST/B> ;
      ukg:number "7" ; ukg:text "Decision 4/4 established the Working Group." .
  id:ev44 a ukg:MandateEvent ; ukg:mandate id:mandate\\/wg-tip ; ukg:act id:act\\/untoc-cop\\/decision\\/4-4 ;
      ukg:eventType ukg:Establishment ; prov:wasDerivedFrom <https://w3id.org/untoc-kg/id/doc/TEST/B#p7> .
}
"""


@pytest.fixture(scope="module")
def fixture_store(tmp_path_factory):
    """The fixture written the way the build writes (graph by graph, with the union kept)."""
    path = tmp_path_factory.mktemp("lineage") / "store"
    graphs: dict[str, list[str]] = {}
    for q in ox.parse(LINEAGE_FIXTURE.encode(), format=ox.RdfFormat.TRIG):
        graphs.setdefault(q.graph_name.value, []).append(f"{q.subject} {q.predicate} {q.object} .")
    store = open_store(path, read_only=False)
    for graph, lines in graphs.items():
        replace_graph(store, graph, lines, GraphRecord(graph, graph, graph, "-", "test", len(lines)))
    store.flush()
    del store
    return path


def invoke(*args, **kwargs):
    return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False, **kwargs)


def csv_rows(result) -> list[str]:
    """SPARQL CSV ends its lines with CRLF; CliRunner's `output` would hide that."""
    return result.stdout_bytes.decode().split("\r\n")


def all_commands():
    return sorted(main.commands)


# ---------------------------------------------------------------------------------------------
# Documentation


@pytest.mark.parametrize("name", all_commands())
def test_every_command_has_help_with_an_example(name):
    result = invoke(name, "--help")
    assert result.exit_code == 0
    assert "Example" in result.output
    if name not in ("queries", "ontology-docs"):  # the two that never open a store
        assert "--store" in result.output


def test_the_group_help_lists_every_command():
    result = invoke("--help")
    assert all(name in result.output for name in all_commands())
    assert set(all_commands()) >= {"build", "lineage", "stats", "queries", "query", "sparql", "export", "validate"}


# ---------------------------------------------------------------------------------------------
# build


def test_build_prints_a_summary_and_reports_each_bad_file_on_one_line(tmp_path):
    (tmp_path / "empty.txt").write_bytes(b"")
    store = tmp_path / "s"
    result = CliRunner().invoke(main, ["build", str(CORPUS), str(tmp_path / "empty.txt"),
                                       str(tmp_path / "missing.txt"), "--store", str(store)])
    assert result.exit_code == 0, result.output
    assert re.search(r"read 4, skipped 0 unchanged, replaced 0, failed 2", result.stdout)
    errors = result.stderr.splitlines()
    assert len(errors) == 2
    assert any("empty.txt" in e for e in errors) and any("missing.txt: no such file or directory" in e for e in errors)
    assert "Traceback" not in result.output


def test_build_exits_non_zero_only_when_nothing_could_be_built(tmp_path):
    result = CliRunner().invoke(main, ["build", str(tmp_path / "missing"), "--store", str(tmp_path / "s")])
    assert result.exit_code == 1
    assert "nothing could be built" in result.stderr


def test_build_honours_the_store_environment_variable(tmp_path, monkeypatch):
    monkeypatch.setenv("UNTOC_KG_STORE", str(tmp_path / "env-store"))
    assert invoke("build", CORPUS).exit_code == 0
    assert (tmp_path / "env-store" / "CURRENT").is_file()
    assert "holds 4 documents" in invoke("build", CORPUS).stdout


def test_build_without_paths_reads_the_corpus(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("UNTOC_KG_STORE", raising=False)
    result = invoke("build")
    # the bundled corpus: the four seeds and 24 resolutions read from the UN's markup (six files each)
    assert result.exit_code == 0 and "read 28" in result.stdout
    assert (tmp_path / "untoc-kg-store" / "CURRENT").is_file()


def test_reading_without_a_store_says_what_to_do(tmp_path):
    result = CliRunner().invoke(main, ["stats", "--store", str(tmp_path / "none")])
    assert result.exit_code == 1
    assert "untoc-kg build" in result.output and "Traceback" not in result.output


# ---------------------------------------------------------------------------------------------
# queries, query, sparql


def test_queries_lists_every_query_file_with_its_parameters():
    result = invoke("queries")
    for canned in list_queries():
        assert f"{canned.name}: {canned.title}" in result.output
        for p in canned.params:
            assert f"--param {p.name}=" in result.output


def test_every_query_file_documents_itself_and_binds_only_its_own_variables():
    assert {q.name for q in list_queries()} >= {"lineage", "bodies-by-name", "classes", "graphs"}
    for canned in list_queries():
        assert canned.title and canned.description and canned.examples, canned.name
        body = "\n".join(line for line in canned.text.splitlines() if not line.lstrip().startswith("#"))
        for p in canned.params:
            assert re.search(rf"[?$]{p.name}\b", body), (canned.name, p.name)


@pytest.mark.parametrize("canned", list_queries(), ids=lambda q: q.name)
def test_every_query_runs_with_its_example(canned, built_store):
    import shlex

    for example in canned.examples:
        result = invoke("query", canned.name, *shlex.split(example), "--store", built_store, "--format", "json")
        assert result.exit_code == 0, result.output
        assert "results" in json.loads(result.output)


def test_query_output_formats(fixture_store):
    args = ["query", "lineage", "--param", "body=id:body/wg-tip", "--store", fixture_store]
    data = json.loads(invoke(*args, "--format", "json").output)
    assert data["head"]["vars"][:2] == ["date", "type"]
    assert {b["type"]["value"].rsplit("#")[-1] for b in data["results"]["bindings"]} == {"Establishment", "Continuation"}
    csv_lines = csv_rows(invoke(*args, "--format", "csv"))
    assert csv_lines[0].startswith("date,type,act,")
    tsv = invoke(*args, "--format", "tsv").output.splitlines()
    assert tsv[0].startswith("?date\t?type") and "<https://w3id.org/untoc-kg/ontology#Establishment>" in tsv[1]
    md = invoke(*args, "--format", "md").output.splitlines()
    assert md[0].startswith("| date | type |") and md[1].startswith("|---|")
    table = invoke(*args).output
    assert "ukg:Establishment" in table and "(3 rows)" in table


@pytest.mark.parametrize("params, message", [
    (["--param", "nobody=x"], "no parameter 'nobody'"),
    ([], "missing --param body"),
    (["--param", "body=not an iri"], "not an IRI"),
    (["--param", "body"], "write --param name=value"),
])
def test_query_parameter_mistakes_are_usage_errors(fixture_store, params, message):
    result = CliRunner().invoke(main, ["query", "lineage", *params, "--store", str(fixture_store)])
    assert result.exit_code == 2
    assert message in result.output and "Traceback" not in result.output


def test_an_unknown_query_lists_the_known_ones(fixture_store):
    result = CliRunner().invoke(main, ["query", "nope", "--store", str(fixture_store)])
    assert result.exit_code == 2 and "lineage" in result.output


def test_sparql_runs_a_query_with_the_usual_prefixes(fixture_store):
    result = invoke("sparql", "SELECT ?n WHERE { ?a ukg:actNumber ?n } ORDER BY ?n", "--store", fixture_store,
                    "--format", "csv")
    assert csv_rows(result) == ["n", "4/4", "6/1", ""]


def test_sparql_reads_a_file_and_binds_parameters_as_values(fixture_store, tmp_path):
    query = tmp_path / "q.rq"
    query.write_text("# param: n (string) – an act number\nSELECT ?a ?n WHERE { ?a ukg:actNumber ?n }\n")
    result = invoke("sparql", "-f", query, "--param", "n=4/4", "--store", fixture_store, "--format", "csv")
    assert csv_rows(result) == ["a,n", "https://w3id.org/untoc-kg/id/act/untoc-cop/decision/4-4,4/4", ""]
    hostile = invoke("sparql", "-f", query, "--param", 'n=4/4" } UNION { ?a ?b ?c', "--store", fixture_store,
                     "--format", "csv")
    assert csv_rows(hostile) == ["a,n", ""]


def test_ask_and_construct(fixture_store):
    assert invoke("sparql", "ASK { ?e a ukg:MandateEvent }", "--store", fixture_store).output == "true\n"
    out = invoke("sparql", "CONSTRUCT { ?a ukg:actNumber ?n } WHERE { ?a ukg:actNumber ?n }",
                 "--store", fixture_store).output
    assert out.count(" .\n") == 2


def test_malformed_sparql_gives_the_parser_message_and_exit_2(fixture_store):
    result = CliRunner().invoke(main, ["sparql", "SELECT ?x WHERE { ?x ?y }", "--store", str(fixture_store)])
    assert result.exit_code == 2
    assert "malformed SPARQL" in result.output and "1:" in result.output
    assert "Traceback" not in result.output and result.exception is None or isinstance(result.exception, SystemExit)


def test_updates_are_not_queries(fixture_store):
    result = CliRunner().invoke(main, ["sparql", "DROP ALL", "--store", str(fixture_store)])
    assert result.exit_code == 2


def test_sparql_needs_exactly_one_query(fixture_store, tmp_path):
    assert CliRunner().invoke(main, ["sparql", "--store", str(fixture_store)]).exit_code == 2


# ---------------------------------------------------------------------------------------------
# lineage


@pytest.mark.parametrize("name", ["Working Group on Trafficking in Persons", "working group on trafficking in persons",
                                  "Open-ended interim working group on trafficking in persons", "wg-tip",
                                  "id:body/wg-tip", "https://w3id.org/untoc-kg/id/body/wg-tip"])
def test_lineage_resolves_a_body_by_label_slug_or_iri(fixture_store, name):
    result = invoke("lineage", name, "--store", fixture_store)
    assert result.exit_code == 0, result.output
    assert result.output.startswith("Mandate lineage of Working Group on Trafficking in Persons")


def test_lineage_is_in_date_order_with_its_evidence_and_without_requests(fixture_store):
    out = invoke("lineage", "wg-tip", "--store", fixture_store).output
    establishment, continuation = out.index("Establishment"), out.index("Continuation")
    assert establishment < continuation and "Request" not in out
    assert "2008-10-08" in out and "2012-10-19" in out
    # paragraphs by number and documents by symbol, never by the file they were read from
    assert "para. 2 of TEST/A" in out and "para. 7 of" in out and "a.txt" not in out
    assert "decided to establish a working group" in out


def test_lineage_all_adds_what_acts_asked_of_the_body(fixture_store):
    out = invoke("lineage", "wg-tip", "--all", "--store", fixture_store).output
    assert "Establishment" in out and "Continuation" in out and "Request" in out


def test_lineage_of_an_unknown_name_lists_candidates(fixture_store):
    result = CliRunner().invoke(main, ["lineage", "Working Group", "--store", str(fixture_store)])
    assert result.exit_code == 1
    assert "did you mean" in result.stderr
    assert "wg-tip" in result.stderr and "wg-som" in result.stderr


def test_lineage_of_a_name_two_bodies_share_lists_both(fixture_store):
    result = CliRunner().invoke(main, ["lineage", "THE WORKING GROUP", "--store", str(fixture_store)])
    assert result.exit_code == 1
    assert "names 2 bodies" in result.stderr
    assert "<https://w3id.org/untoc-kg/id/body/wg-tip>" in result.stderr
    assert "<https://w3id.org/untoc-kg/id/body/wg-som>" in result.stderr


def test_lineage_of_a_name_nobody_has_lists_the_bodies(fixture_store):
    result = CliRunner().invoke(main, ["lineage", "Security Council", "--store", str(fixture_store)])
    assert result.exit_code == 1
    assert "the bodies known are" in result.stderr and "Conference of the Parties" in result.stderr


def test_lineage_formats(fixture_store):
    data = json.loads(invoke("lineage", "wg-tip", "--format", "json", "--store", fixture_store).output)
    assert len(data["results"]["bindings"]) == 3


def test_the_seed_documents_give_the_working_groups_lineage(built_store):
    """The issue's definition of done: 4/4 established it, 5/2 and 6/1 continued it."""
    from kg.lineage import lineage

    result = lineage("Working Group on Trafficking in Persons", built_store)
    steps = [(s.act_number, s.event_type) for s in result.steps]
    assert ("4/4", "Establishment") in steps
    assert ("5/2", "Continuation") in steps and ("6/1", "Continuation") in steps
    assert steps.index(("4/4", "Establishment")) < steps.index(("5/2", "Continuation")) < steps.index(("6/1", "Continuation"))
    assert all(s.evidence and all(e.document and e.number and e.text for e in s.evidence) for s in result.steps)


# ---------------------------------------------------------------------------------------------
# stats and export


def test_stats_counts_classes_graphs_and_unresolved_mentions(built_store):
    out = invoke("stats", "--store", built_store).output
    assert "Instances per class" in out and "Triples per named graph" in out
    assert "ukg:Document" in out and "Unresolved mentions" in out
    data = json.loads(invoke("stats", "--store", built_store, "--format", "json").output)
    assert data["classes"]["https://w3id.org/untoc-kg/ontology#Document"] >= 4  # and the documents they cite
    assert sum(1 for g in data["graphs"] if "/id/doc/" in g) == 4
    assert data["triples"] == sum(data["graphs"].values())


def test_export_to_a_file_and_to_standard_output(built_store, tmp_path):
    from kg.export import export_bytes

    assert invoke("export", "--format", "nq", "-o", tmp_path / "g.nq", "--store", built_store).exit_code == 0
    assert (tmp_path / "g.nq").read_bytes() == export_bytes(built_store, "nq")
    result = CliRunner().invoke(main, ["export", "--format", "ttl", "--store", str(built_store)])
    assert result.stdout_bytes == export_bytes(built_store, "ttl")


def test_validate_reports_on_the_built_corpus(built_store):
    result = CliRunner().invoke(main, ["validate", "--store", str(built_store)])
    assert result.output.startswith("Conforms: ")
    assert result.exit_code == (0 if result.output.startswith("Conforms: yes") else 1)


def test_the_python_api_is_the_same_functions(built_store):
    import importlib

    import kg

    for name in ("kg.build", "kg.export", "kg.sparql", "kg.lineage", "kg.stats"):
        importlib.import_module(name)
    assert all(callable(getattr(kg, name)) for name in kg.__all__)
    assert [s.event_type for s in kg.lineage("wg-tip", store=built_store).steps][0] == "Establishment"
    assert kg.stats(built_store).as_dict()["triples"] > 0
    assert kg.export(built_store, "nq").startswith(b"<")
    assert kg.query("classes", store=built_store).columns == ["class", "instances"]
    assert kg.sparql("ASK { ?s a ukg:Document }", store=built_store) is True


def test_the_readme_documents_every_command_and_runs_every_test():
    """The README's test command is what `.ci/run` runs: it must install the test extra and run
    the whole suite, slow tests included."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    block = readme.split("<!-- test-command -->", 1)[1].split("```", 2)[1]
    command = block.split("\n", 1)[1].strip()
    assert "pip install -e '.[test]'" in command and "pytest" in command
    pytest_args = command.split("-m pytest", 1)[1]
    assert "slow" not in pytest_args and "-m" not in pytest_args.split()
    for name in all_commands():
        assert f"untoc-kg {name}" in readme, name
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "<!-- test-command -->" in ci and "set -euo pipefail" in ci
