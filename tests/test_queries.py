"""The canned queries (`queries/*.rq`), each run on the seed corpus against what the documents say.

The expected rows below are read from the four seed documents (`corpus/*.txt`), not from the
program's output: who attended the November 2013 meeting is paragraphs 60-67 of its report, the
ratifications of 2011 and 2012 are paragraph 2 of the 2012 report, and so on. Where a test names a
paragraph, that paragraph says so. A failure here means either a query or the graph is wrong.
"""

from __future__ import annotations

import re
import shlex
import warnings

import pyoxigraph as ox
import pytest

from conftest import CORPUS
from kg.sparql import PREFIXES, QueryError, bind, list_queries, load_query, parse_param_options, run, run_canned, sparql
from kg.store import BUILD_GRAPH, GraphRecord, open_store, replace_graph
from seeds import DRAFT_2010, PAPER_2011, REPORT_2012, REPORT_2013

ID = "https://w3id.org/untoc-kg/id/"
UKG = "https://w3id.org/untoc-kg/ontology#"
SKOS = "http://www.w3.org/2004/02/skos/core#"
REFERENCE = ID + "graph/reference"

MEETING_2013 = ID + "meeting/wg-tip/2013-11-06"
DECISION_4_4 = ID + "act/untoc-cop/decision/4-4"
RESOLUTION_5_2 = ID + "act/untoc-cop/resolution/5-2"
RESOLUTION_6_1 = ID + "act/untoc-cop/resolution/6-1"
TIP = ID + "instrument/tip-protocol"


def body(slug: str) -> str:
    return f"{ID}body/{slug}"


def state(iso3: str) -> str:
    return f"{ID}state/{iso3}"


def ga(number: str) -> str:
    return f"{ID}act/ga/resolution/{number.replace('/', '-')}"


@pytest.fixture(scope="module")
def store(built_store) -> ox.Store:
    return open_store(built_store, read_only=True)


@pytest.fixture(scope="module")
def doc(store) -> dict[str, str]:
    """Document IRI by source file: the seeds carry no symbol, so their IRIs hash their text."""
    table = sparql(store, "SELECT ?d ?f WHERE { ?d ukg:sourceFile ?f } ORDER BY ?f")
    return {f.value: d.value for d, f in table.rows}


@pytest.fixture(scope="module")
def draft(doc) -> str:
    return doc[DRAFT_2010].replace("/doc/", "/draft/")


def rows(store, query: str, /, **params) -> list[dict[str, str | None]]:
    """The answer as plain strings (None where unbound), in the query's own order."""
    table = run_canned(store, query, params)
    return [{k: None if v is None else v.value for k, v in record.items()} for record in table.records()]


def column(answer: list[dict], name: str) -> list:
    return [r[name] for r in answer]


# ---------------------------------------------------------------------------------------------
# Every query file


QUERIES = list_queries()
QUERY_NAMES = [q.name for q in QUERIES]


def _select_clause(text: str) -> str:
    body = "\n".join(line for line in text.splitlines() if not line.lstrip().startswith("#"))
    match = re.search(r"\bSELECT\b(.*?)\bWHERE\b", body, re.S | re.I)
    return match.group(1) if match else ""


@pytest.mark.parametrize("canned", QUERIES, ids=QUERY_NAMES)
def test_every_query_file_has_a_complete_header(canned):
    assert canned.title.strip(), f"{canned.path}: no `# title:`"
    assert len(canned.description.split()) >= 8, f"{canned.path}: `# description:` says too little"
    assert canned.examples, f"{canned.path}: no `# example:` line"
    assert re.search(r"\bORDER\s+BY\b", canned.text, re.I), f"{canned.path} has no ORDER BY"
    projection = _select_clause(canned.text)
    for param in canned.params:
        assert param.meaning.strip(), f"{canned.path}: parameter {param.name} has no meaning"
        # pyoxigraph substitutes only variables the query returns
        assert re.search(rf"\?{param.name}\b", projection), \
            f"{canned.path}: parameter {param.name} is not in the SELECT projection"
    required = [p.name for p in canned.params if not p.optional]
    for example in canned.examples:
        given = parse_param_options(_example_params(example))
        assert set(required) <= set(given), f"{canned.path}: example {example!r} lacks {required}"
        assert set(given) <= {p.name for p in canned.params}, f"{canned.path}: example {example!r}"


def _example_params(example: str) -> list[str]:
    words = shlex.split(example)
    return [words[i + 1] for i, w in enumerate(words) if w == "--param" and i + 1 < len(words)]


@pytest.mark.parametrize("canned", QUERIES, ids=QUERY_NAMES)
def test_every_example_runs_and_answers(store, canned):
    for example in canned.examples:
        answer = run_canned(store, canned.name, parse_param_options(_example_params(example)))
        assert answer.rows, f"{canned.name}: example {example!r} found nothing on the seed corpus"


@pytest.fixture(scope="module")
def other_engine(store):
    """rdflib's SPARQL engine over the same quads: its own join order and its own row order, so a
    query whose ORDER BY is not total (or whose meaning leans on one engine's quirks) shows up."""
    from rdflib import Dataset

    from kg.export import export_bytes

    dataset = Dataset(default_union=True)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        dataset.parse(data=export_bytes(store, "nq"), format="nquads")
    return dataset


def _rdflib_term(term):
    from rdflib import Literal, URIRef

    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if term.language:
        return Literal(term.value, lang=term.language)
    if term.datatype.value.endswith("#string"):
        return Literal(term.value)
    return Literal(term.value, datatype=URIRef(term.datatype.value))


# The viz-* projections feed kg.viz rather than answer a question; rdflib needs minutes for the
# self-join of viz-landscape, so the comparison leaves them to the pictures' own tests.
QUESTIONS = [q for q in QUERIES if not q.name.startswith("viz-")]


@pytest.mark.parametrize("canned", QUESTIONS, ids=[q.name for q in QUESTIONS])
def test_every_query_answers_the_same_in_the_same_order_on_another_engine(store, other_engine, canned):
    from rdflib import Namespace, Variable

    namespaces = {prefix: Namespace(iri) for prefix, iri in PREFIXES.items()}
    for example in canned.examples:
        substitutions = bind(canned, parse_param_options(_example_params(example)))
        ours = [tuple(None if t is None else t.value for t in row) for row in run(store, canned.text, substitutions).rows]
        bindings = {Variable(v.value): _rdflib_term(t) for v, t in substitutions.items()}
        with warnings.catch_warnings():  # rdflib 7 warns about its own Dataset.default_context, per triple
            warnings.simplefilter("ignore", DeprecationWarning)
            theirs = [tuple(None if t is None else str(t) for t in row)
                      for row in other_engine.query(canned.text, initNs=namespaces, initBindings=bindings)]
        assert ours == theirs, f"{canned.name} {example!r}: rdflib's engine answers otherwise"


# A query whose sort keys are strings it computes (the IRI's or the label's text after "~": pyoxigraph
# reads a stored term back from the store at every comparison of the sort, a computed one from memory)
# names, in a comment above its ORDER BY, the plain order those keys stand for.
_PLAIN_ORDER = re.compile(r"^# the same order as this\b.*\n#.*\n((?:#   .*\n)+)", re.MULTILINE)
KEYED = [q for q in QUERIES if _PLAIN_ORDER.search(q.text)]


def test_the_keyed_queries_are_found():
    """Every query that makes its sort keys names its plain order where the check below reads it: a
    comment the pattern no longer finds would leave that query out of the check without a word."""
    made_keys = {q.name for q in QUERIES if 'CONCAT("~"' in q.text}
    assert {"landscape", "entity", "graphs", "ratifications", "viz-participation", "meetings-of-body",
            "viz-citations", "viz-landscape", "viz-nodes", "members-in-year", "body-names", "evidence",
            "lineage", "recommendations"} <= made_keys
    assert made_keys == {q.name for q in KEYED}


@pytest.mark.parametrize("canned", KEYED, ids=[q.name for q in KEYED])
def test_sort_keys_give_the_same_rows_in_the_same_order_as_the_plain_order(store, canned):
    plain_order = " ".join(line[1:].strip() for line in _PLAIN_ORDER.search(canned.text).group(1).splitlines())
    assert plain_order.startswith("ORDER BY ")
    plain = canned.text[:canned.text.rindex("\nORDER BY")] + "\n" + plain_order + "\n"
    for example in canned.examples or [""]:
        substitutions = bind(canned, parse_param_options(_example_params(example)))
        keyed = run(store, canned.text, substitutions)
        assert keyed.rows, f"{canned.name} {example!r}: nothing to compare"
        assert keyed.rows == run(store, plain, substitutions).rows, f"{canned.name} {example!r}"


def test_every_query_file_is_checked_against_the_documents():
    checked = {name for name, _ in CHECKED}
    assert set(QUERY_NAMES) <= checked, f"queries with no expected rows: {sorted(set(QUERY_NAMES) - checked)}"


# ---------------------------------------------------------------------------------------------
# Citations


def test_acts_citing_decision_4_4(store, doc, draft):
    answer = rows(store, "acts-citing", act="id:act/untoc-cop/decision/4-4")
    assert set(column(answer, "act")) == {DECISION_4_4}
    cited = {(r["citer"], r["citerKind"], r["recalls"], r["paragraphNumber"]) for r in answer}
    assert cited == {
        # the draft decision: "Recalling also its decision 4/4" (pp2) and operative paragraph 7
        (doc[DRAFT_2010], "document", "true", "pp2"), (doc[DRAFT_2010], "document", "true", "7"),
        (draft, "draft", "true", "pp2"), (draft, "draft", "true", "7"),
        # "In its decision 4/4, the Conference ..." opens the 2011 paper and the 2013 report
        (doc[PAPER_2011], "document", "false", "1"),
        (doc[REPORT_2013], "document", "false", "1"),
    }
    # oldest citing document first
    files = [r["sourceFile"] for r in answer]
    assert files == sorted(files, key=lambda f: {DRAFT_2010: 0, PAPER_2011: 1, REPORT_2013: 2}[f])
    assert all(r["text"] and "4/4" in r["text"] for r in answer)


def test_acts_citing_by_number_64_293(store, doc, draft):
    answer = rows(store, "acts-citing", number="64/293")
    assert set(column(answer, "act")) == {ga("64/293")}
    assert {(r["citer"], r["paragraphNumber"]) for r in answer} == {
        (doc[DRAFT_2010], "pp2"), (draft, "pp2"),  # "... in its resolution 64/293 of 30 July 2010"
        (doc[PAPER_2011], "fn5"),  # footnote 5: A/RES/64/293
        (doc[REPORT_2012], "27"),  # "... the General Assembly in its resolution 64/293"
    }


def test_acts_citing_resolutions_5_2_and_6_1(store, doc):
    five_two = rows(store, "acts-citing", number="5/2")
    assert {(r["citer"], r["paragraphNumber"]) for r in five_two} == {
        (doc[PAPER_2011], "2"), (doc[PAPER_2011], "fn4"),  # "In resolution 5/2, ..."; "Resolution 5/2, CTOC/COP/2010/17"
        (doc[REPORT_2012], "1"),  # "prepared pursuant to resolution 5/2"
    }
    six_one = rows(store, "acts-citing", act=RESOLUTION_6_1)
    assert {(r["citer"], r["paragraphNumber"], r["recalls"]) for r in six_one} == {(doc[REPORT_2013], "2", "false")}


DRAFT_RECALLS = [ga("61/144"), ga("61/180"), DECISION_4_4, ga("63/194"), ga("64/178"), ga("64/293")]
"""Paragraph pp2 of the draft decision, oldest first: 61/144 of 19 December 2006, 61/180 of 20
December 2006, decision 4/4 (fourth session, October 2008), 63/194 of 18 December 2008, 64/178 of
18 December 2009, 64/293 of 30 July 2010."""


def test_acts_cited_by_the_draft_decision(store, doc, draft):
    for citer in (draft, doc[DRAFT_2010]):
        answer = rows(store, "acts-cited-by", citer=citer)
        assert list(dict.fromkeys(column(answer, "act"))) == DRAFT_RECALLS
        assert all(r["recalls"] == "true" for r in answer)
        assert {r["paragraphNumber"] for r in answer if r["act"] != DECISION_4_4} == {"pp2"}
        assert [r["paragraphNumber"] for r in answer if r["act"] == DECISION_4_4] == ["pp2", "7"]
    dates = {r["act"]: r["date"] for r in answer}
    assert dates[ga("61/144")] == "2006-12-19" and dates[ga("64/293")] == "2010-07-30"
    assert dates[DECISION_4_4] == "2008-10-08"  # the fourth session's opening day
    assert {r["adoptedBy"] for r in answer} == {body("ga"), body("untoc-cop")}


def test_acts_cited_by_the_reports(store, doc):
    cited = {r["act"] for r in rows(store, "acts-cited-by", citer=doc[REPORT_2012])}
    assert cited == {RESOLUTION_5_2, ga("64/293")}
    cited = {r["act"] for r in rows(store, "acts-cited-by", citer=doc[PAPER_2011])}
    assert cited == {DECISION_4_4, RESOLUTION_5_2, ga("64/293")}
    answer = rows(store, "acts-cited-by", citer=doc[REPORT_2013])
    assert [(r["act"], r["paragraphNumber"], r["recalls"]) for r in answer] == [
        (DECISION_4_4, "1", "false"), (RESOLUTION_6_1, "2", "false")]


def test_transitive_citations_on_the_seeds_are_the_direct_ones(store, doc, draft):
    """No seed holds the text of an act it cites, so nothing is cited at a remove."""
    answer = rows(store, "acts-cited-by-transitive", citer=draft)
    assert column(answer, "act") == DRAFT_RECALLS
    assert set(column(answer, "direct")) == {"true"}
    answer = rows(store, "acts-citing-transitive", act=ga("64/293"))
    assert {(r["citer"], r["citerKind"], r["direct"]) for r in answer} == {
        (doc[DRAFT_2010], "document", "true"), (draft, "draft", "true"),
        (doc[PAPER_2011], "document", "true"), (doc[REPORT_2012], "document", "true")}


def test_act_requests_reports_made_pursuant_to_resolution_5_2(store, doc):
    """"The present report has been prepared pursuant to resolution 5/2" (2012 report, para. 1)."""
    answer = rows(store, "act-requests", number="5/2")
    reports = [r for r in answer if r["kind"] == "report"]
    assert [(r["document"], r["holder"], r["paragraphNumber"], r["issued"]) for r in reports] == [
        (doc[REPORT_2012], body("cop-secretariat"), "1", "2012-06-29")]
    assert reports[0]["text"].startswith("The present report has been prepared pursuant to resolution 5/2")
    assert rows(store, "act-requests", act=RESOLUTION_5_2) == answer


def test_act_requests_what_resolution_5_2_asked_of_the_working_group(store, doc):
    """"In resolution 5/2, the Conference decided that the working group should hold at least one
    intersessional meeting prior to the sixth session of the Conference and present its
    recommendations to the Conference on whether the working group should be extended" (2011
    paper, para. 2): a task assigned to the Working Group, i.e. a ukg:Request of resolution 5/2."""
    answer = rows(store, "act-requests", act=RESOLUTION_5_2)
    requests = [(r["holder"], r["document"], r["paragraphNumber"]) for r in answer if r["kind"] == "request"]
    assert (body("wg-tip"), doc[PAPER_2011], "2") in requests


def test_act_status_decision_4_4_is_superseded_and_resolution_6_1_stands(store):
    """Decision 4/4 established the Working Group (2011 paper, para. 1: "In its decision 4/4, the
    Conference ... further decided to establish an open-ended interim working group"); resolution
    5/2 (2010) kept it at work (2011 paper, para. 2: "the working group should hold at least one
    intersessional meeting prior to the sixth session"), and resolution 6/1 (2012) "decided that
    the mandates for the Working Group on Trafficking in Persons should be continued" (2013 report,
    para. 2). Nothing in the seeds acts on the mandate after 6/1."""
    answer = rows(store, "act-status", act=DECISION_4_4)
    assert [(r["mandate"], r["type"], r["later"], r["laterType"]) for r in answer] == [
        (ID + "mandate/wg-tip", UKG + "Establishment", RESOLUTION_5_2, UKG + "Continuation"),
        (ID + "mandate/wg-tip", UKG + "Establishment", RESOLUTION_6_1, UKG + "Continuation")]
    latest = rows(store, "act-status", act=RESOLUTION_6_1)
    assert [(r["mandate"], r["type"], r["later"]) for r in latest] == [(ID + "mandate/wg-tip", UKG + "Continuation", None)]
    assert rows(store, "act-status", act=ID + "act/untoc-cop/decision/99-99") == []


# ---------------------------------------------------------------------------------------------
# Meetings and participation


def test_meetings_of_the_working_group(store, doc):
    answer = rows(store, "meetings-of-body", body="id:body/wg-tip")
    meetings = list(dict.fromkeys(column(answer, "meeting")))
    assert meetings == [f"{ID}meeting/wg-tip/{d}" for d in
                        ("2009-04-14", "2010-01-27", "2010-10-19", "2011-10-10", "2013-11-06")]
    first = {r["meeting"]: r for r in answer}
    # 2011 paper, para. 3: "The first, second and third sessions ... were held in Vienna, Austria from
    # 14 to 15 April 2009, from 27 to 29 January 2010 and on 19 October 2010 respectively"
    for start, number, end in (("2009-04-14", "1", "2009-04-15"), ("2010-01-27", "2", "2010-01-29"),
                               ("2010-10-19", "3", "2010-10-19")):
        row = first[f"{ID}meeting/wg-tip/{start}"]
        assert (row["sessionNumber"], row["endDate"], row["venue"], row["chair"], row["document"]) == \
            (number, end, "Vienna", None, None)
    m2011 = [r for r in answer if r["meeting"].endswith("2011-10-10")]
    assert [(r["endDate"], r["venue"], r["document"]) for r in m2011] == [("2011-10-12", "Vienna", doc[PAPER_2011])]
    m2013 = [r for r in answer if r["meeting"] == MEETING_2013]
    # report, para. 49-50: Vienna, 6 to 8 November 2013, six meetings, chaired by Blanka Jamnišek
    assert {(r["endDate"], r["venue"], r["chair"], r["meetingsHeld"]) for r in m2013} == {
        ("2013-11-08", "Vienna", "Blanka Jamnišek", "6")}
    # the report itself and the ten documents of its annex
    assert m2013[0]["document"] == doc[REPORT_2013]
    assert {r["symbol"] for r in m2013[1:]} == {
        "CTOC/COP/WG.4/2013/1", "CTOC/COP/WG.4/2013/2", "CTOC/COP/WG.4/2013/3", "CTOC/COP/WG.4/2013/4",
        "CTOC/COP/WG.4/2013/L.1", "CTOC/COP/WG.4/2013/INF/1/Rev.1", "CTOC/COP/WG.4/2009/2",
        "CTOC/COP/WG.4/2010/6", "CTOC/COP/WG.4/2010/7", "CTOC/COP/WG.4/2011/8"}


def test_the_october_2011_meeting_is_the_fourth_session(store):
    """The 2011 paper is "to aid in the discussion of the fourth session of the working group"
    (para. 4; again in para. 11), and it is the paper for the meeting of 10-12 October 2011."""
    answer = rows(store, "meetings-of-body", body="id:body/wg-tip")
    assert {r["sessionNumber"] for r in answer if r["meeting"].endswith("/2011-10-10")} == {"4"}


def test_meetings_of_the_conference(store, doc):
    answer = {r["meeting"]: r for r in rows(store, "meetings-of-body", body="id:body/untoc-cop")}
    # the draft decision: "Fifth session Vienna, 18-22 October 2010"; the 2012 report: "Sixth
    # session Vienna, 15-19 October 2012"
    fifth, sixth = answer[f"{ID}meeting/untoc-cop/2010-10-18"], answer[f"{ID}meeting/untoc-cop/2012-10-15"]
    assert (fifth["sessionNumber"], fifth["endDate"], fifth["venue"], fifth["document"]) == \
        ("5", "2010-10-22", "Vienna", doc[DRAFT_2010])
    assert (sixth["sessionNumber"], sixth["endDate"], sixth["venue"], sixth["document"]) == \
        ("6", "2012-10-19", "Vienna", doc[REPORT_2012])
    starts = [r["startDate"] for r in answer.values()]
    assert starts == sorted(starts)


def test_meetings_of_the_extended_bureau(store):
    """2011 paper, para. 11: its sixth meeting "held on Monday, 7 March 2011" and its eighth
    "held on Wednesday, 29 June 2011"."""
    answer = rows(store, "meetings-of-body", body="id:body/untoc-cop-bureau")
    assert column(answer, "startDate") == ["2011-03-07", "2011-06-29"]


STATES_PARTIES_2013 = """DZA ARG ARM AUS AUT BLR BEL BEN BOL BIH BRA BFA CAN CHL CHN COL CRI CIV HRV CUB DNK DOM
ECU SLV FIN FRA DEU GHA GTM IDN IRQ ITA KEN KWT LBN LTU LUX MLT MEX MAR MOZ NAM NLD NIC NGA NOR OMN PAN
PHL POL PRT QAT MDA ROU RUS SAU SVK SVN ESP SWE CHE SYR THA TUN TUR UKR ARE USA VEN VNM""".split()
"""Report of November 2013, para. 60, in its order (Algeria ... Viet Nam)."""

ATTENDANCE_2013 = {
    "StateParty": ({state(c) for c in STATES_PARTIES_2013}, "60"),
    "RegionalOrganizationParty": ({body("eu")}, "61"),
    "Signatory": ({state(c) for c in ("CZE", "JPN", "SLE", "LKA")}, "62"),
    "ObserverState": ({state(c) for c in ("AFG", "AGO", "IRN", "PAK", "SGP", "YEM")}, "63"),
    "NonMemberObserverState": ({state("PSE")}, "64"),
    "UNEntityObserver": ({body(s) for s in ("ohchr", "unicef", "ilo")}, "65"),
    "IntergovernmentalObserver": ({body(s) for s in ("aalco", "acp", "eurojust", "europol", "icmpd", "iom",
                                                     "oas", "osce")}, "66"),
    "OtherObserver": ({body("smom")}, "67"),
}


def test_attendance_of_the_november_2013_meeting(store, doc):
    assert len(STATES_PARTIES_2013) == len(set(STATES_PARTIES_2013)) == 70
    answer = rows(store, "attendance", meeting="id:meeting/wg-tip/2013-11-06")
    got: dict[str, set] = {}
    for r in answer:
        got.setdefault(r["capacity"].removeprefix(UKG), set()).add(r["participant"])
    assert got == {capacity: who for capacity, (who, _) in ATTENDANCE_2013.items()}
    for r in answer:
        _, paragraph = ATTENDANCE_2013[r["capacity"].removeprefix(UKG)]
        assert (r["paragraphNumber"], r["document"]) == (paragraph, doc[REPORT_2013])
    # by capacity in the report's order, then by name
    order = [r["capacity"].removeprefix(UKG) for r in answer]
    assert list(dict.fromkeys(order)) == ["StateParty", "Signatory", "ObserverState", "NonMemberObserverState",
                                         "RegionalOrganizationParty", "UNEntityObserver",
                                         "IntergovernmentalObserver", "OtherObserver"]
    parties = [r for r in answer if r["capacity"] == UKG + "StateParty"]
    assert column(parties, "label") == sorted(column(parties, "label"))
    assert {r["kind"] for r in parties} == {"State"} and parties[0]["iso3"] == "DZA"
    assert {r["kind"] for r in answer if r["participant"].startswith(ID + "body/")} == {"organization"}


def test_state_attendance_history(store, doc):
    japan = rows(store, "state-attendance", state="id:state/JPN")
    assert [(r["meeting"], r["capacity"], r["paragraphNumber"], r["body"], r["venue"]) for r in japan] == [
        (MEETING_2013, UKG + "Signatory", "62", body("wg-tip"), "Vienna")]
    palestine = rows(store, "state-attendance", state="id:state/PSE")
    assert [(r["capacity"], r["paragraphNumber"]) for r in palestine] == [(UKG + "NonMemberObserverState", "64")]
    assert rows(store, "state-attendance", state="id:state/GRC") == []  # not at the 2013 meeting
    eu = rows(store, "state-attendance", state="id:body/eu")
    assert [(r["capacity"], r["startDate"], r["endDate"]) for r in eu] == [
        (UKG + "RegionalOrganizationParty", "2013-11-06", "2013-11-08")]


def test_states_that_never_attended(store):
    attended = set().union(*(who for who, _ in ATTENDANCE_2013.values())) - {body(s) for s in (
        "eu", "ohchr", "unicef", "ilo", "aalco", "acp", "eurojust", "europol", "icmpd", "iom", "oas", "osce", "smom")}
    assert len(attended) == 81
    everyone = {r[0].value for r in sparql(store, "SELECT ?s WHERE { ?s a ukg:State } ORDER BY ?s").rows}
    answer = rows(store, "states-never-attended")
    assert set(column(answer, "state")) == everyone - attended
    assert len(answer) == len(everyone) - 81
    assert state("GRC") in column(answer, "state") and state("AUT") not in column(answer, "state")
    assert column(answer, "label") == sorted(column(answer, "label"))
    # the seeds record attendance at the Working Group only, none at the Conference
    wg = rows(store, "states-never-attended", body="id:body/wg-tip")
    assert column(wg, "state") == column(answer, "state")
    cop = rows(store, "states-never-attended", body="id:body/untoc-cop")
    assert set(column(cop, "state")) == everyone


# ---------------------------------------------------------------------------------------------
# The inter-agency landscape and memberships


def test_landscape_of_unodc(store, doc):
    answer = rows(store, "landscape", org="id:body/unodc")
    ties = [(r["tieKind"], r["partner"], r["direction"], r["date"], r["endDate"], r["country"], r["paragraphNumber"])
            for r in answer]
    assert ties == [
        # 2012 report, para. 12: an agreement with IOM, a memorandum of understanding with UNWTO and a
        # working arrangement with Frontex, all signed in April 2012
        ("agreement", body("iom"), "mutual", "2012-04", None, None, "12"),
        ("memorandum-of-understanding", body("unwto"), "mutual", "2012-04", None, None, "12"),
        ("working-arrangement", body("frontex"), "mutual", "2012-04", None, None, "12"),
        # para. 10: "In November 2011, UNODC launched one such joint programme with ... IOM in Rwanda"
        ("joint-programme", body("iom"), "mutual", "2011-11", None, state("RWA"), "10"),
        # para. 11: "the chair of the Global Migration Group for the second half of 2012"
        ("chairs", body("gmg"), "outgoing", "2012-07-01", "2012-12-31", None, "11"),
        # para. 7: "UNODC continued to coordinate the work of the Inter-Agency Coordination Group"
        ("coordinates", body("icat"), "outgoing", None, None, None, "7"),
        # para. 4 and 36: managing the Trust Fund for Victims of Trafficking in Persons
        ("manages", body("untf-tip"), "outgoing", None, None, None, "4"),
        ("manages", body("untf-tip"), "outgoing", None, None, None, "36"),
        # para. 39: "the active participation of UNODC in ... UN.GIFT, the Inter-Agency Coordination
        # Group ... and the Global Migration Group"
        ("member", body("un-gift"), "outgoing", None, None, None, "39"),
        ("member", body("gmg"), "outgoing", None, None, None, "39"),
        ("member", body("icat"), "outgoing", None, None, None, "39"),
        # para. 28: "Through a partnership with Lawyers Without Borders"
        ("partner", body("lwb"), "outgoing", None, None, None, "28"),
    ]
    assert {r["document"] for r in answer} == {doc[REPORT_2012]}
    assert all(r["text"] for r in answer)
    assert "travel and tourism" in answer[1]["description"]


def test_landscape_by_kind_and_from_the_other_side(store):
    members = rows(store, "landscape", org="id:body/unodc", kind="member")
    assert {r["partner"] for r in members} == {body("un-gift"), body("gmg"), body("icat")}
    assert {r["kind"] for r in members} == {"member"}
    icat = rows(store, "landscape", org="id:body/icat")
    assert [(r["tieKind"], r["partner"], r["direction"]) for r in icat] == [
        ("coordinates", body("unodc"), "incoming"), ("member", body("unodc"), "incoming")]
    iom = rows(store, "landscape", org="id:body/iom")
    assert [(r["tieKind"], r["partner"]) for r in iom] == [("agreement", body("unodc")), ("joint-programme", body("unodc"))]


def test_members_in_2012_and_2013(store):
    def members(year, **more):
        return [(r["organization"], r["member"], r["role"], r["start"], r["end"], r["dated"])
                for r in rows(store, "members-in-year", year=str(year), **more)]

    undated = [(body("un-gift"), body("unodc"), "member", None, None, "false"),
               (body("gmg"), body("unodc"), "member", None, None, "false"),
               (body("icat"), body("unodc"), "member", None, None, "false")]
    chair = (body("gmg"), body("unodc"), "chair", "2012-07-01", "2012-12-31", "true")
    assert members(2012) == [undated[0], chair, undated[1], undated[2]]
    assert members(2013) == undated
    assert members(2011) == undated
    assert members(2012, organization="id:body/gmg") == [chair, undated[1]]


# ---------------------------------------------------------------------------------------------
# Recommendations


STRENGTH = {5: "shall", 8: "may", 9: "may", 45: "none", 46: "none", 47: "none",
            **{n: "encouraged" for n in (12, 18, 20, 23, 24, 26, 28, 34, 35, 38, 39, 40, 41, 42, 43)}}
"""Report of November 2013: "shall" (5), "may consider" (8, 9), "are encouraged" (...), and three
follow-up paragraphs that say "requested", "proposed", "recommended"; every other one "should"."""

ADDRESSEES = {6: {body("unodc")}, 7: {body("unodc")}, 9: {UKG + "States"}, 28: {UKG + "States"},
              37: {UKG + "StatesParties", body("unodc")}, 44: {body("unodc")}, 45: {body("cop-secretariat")},
              47: {body("untoc-cop")}, 48: {body("untoc-cop")}}

SECTIONS = {"General recommendations": range(5, 10), "Analysis of key concepts": range(10, 16),
            "How to reduce demand": range(16, 38), "Forms of exploitation": range(38, 45),
            "Follow-up to the recommendations": range(45, 49)}


def test_the_44_recommendations_of_2013(store, doc):
    answer = rows(store, "recommendations")
    numbers = [int(n) for n in dict.fromkeys(column(answer, "number"))]
    assert numbers == list(range(5, 49))
    by_number: dict[int, list[dict]] = {}
    for r in answer:
        by_number.setdefault(int(r["number"]), []).append(r)
    for n, found in by_number.items():
        assert {r["level"] for r in found} == {STRENGTH.get(n, "should")}, n
        assert {r["addressedTo"] for r in found} == ADDRESSEES.get(n, {UKG + "StatesParties"}), n
        heading = next(h for h, span in SECTIONS.items() if n in span)
        assert {r["heading"][:len(heading)] for r in found} == {heading}, n
        assert {(r["meeting"], r["adoptedBy"], r["document"]) for r in found} == {
            (MEETING_2013, body("wg-tip"), doc[REPORT_2013])}
    assert by_number[5][0]["text"].startswith("States parties shall recognize the role of civil society")
    assert by_number[48][0]["text"].startswith("The Working Group on Trafficking in Persons recommended that "
                                               "the Conference of the Parties, at its seventh session")


def test_recommendations_filtered(store):
    def numbers(**params):
        return [int(n) for n in dict.fromkeys(column(rows(store, "recommendations", **params), "number"))]

    assert numbers(addressee="id:body/unodc") == [6, 7, 37, 44]
    assert numbers(addressee="ukg:States") == [9, 28]
    assert numbers(strength="shall") == [5]
    assert numbers(strength="Should") == sorted(n for n in range(5, 49) if STRENGTH.get(n, "should") == "should")
    assert numbers(strength="none") == [45, 46, 47]
    assert numbers(topic="DEMAND") == list(range(16, 38))
    assert numbers(topic="demand", strength="encouraged") == [18, 20, 23, 24, 26, 28, 34, 35]
    assert numbers(topic="key concepts", addressee="id:body/unodc") == []
    answer = rows(store, "recommendations", addressee="id:body/unodc")
    assert {r["addresseeLabel"] for r in answer} == {"United Nations Office on Drugs and Crime"}


# ---------------------------------------------------------------------------------------------
# Ratifications and "as of" questions


RATIFIED_2011 = ["GRC", "HTI", "IND", "FSM", "MAR"]  # Greece, Haiti, India, Micronesia, Morocco
RATIFIED_2012 = ["BDI", "ETH", "VNM"]  # Burundi, Ethiopia, Viet Nam


def test_ratifications_over_time(store, doc):
    """2012 report, para. 2: "... with Greece, Haiti, India, Micronesia (Federated States of) and
    Morocco having ratified the Protocol in 2011 and Burundi, Ethiopia and Viet Nam having ratified
    it in 2012"."""
    answer = rows(store, "ratifications", instrument="id:instrument/tip-protocol")
    assert [(r["when"], r["state"]) for r in answer] == \
        [("2011", state(c)) for c in RATIFIED_2011] + [("2012", state(c)) for c in RATIFIED_2012]
    assert {(r["instrument"], r["instrumentLabel"], r["document"], r["paragraphNumber"]) for r in answer} == {
        (TIP, "Trafficking in Persons Protocol", doc[REPORT_2012], "2")}
    assert rows(store, "ratifications") == answer  # the seeds state no other ratification
    assert [r["state"] for r in rows(store, "ratifications", state="id:state/VNM")] == [state("VNM")]
    assert rows(store, "ratifications", instrument="id:instrument/som-protocol") == []


def test_parties_as_of_a_year(store):
    def parties(year):
        return [(r["state"], r["since"]) for r in
                rows(store, "parties-as-of", instrument="id:instrument/tip-protocol", year=str(year))]

    assert parties(2010) == []
    assert parties(2011) == [(state(c), "2011") for c in RATIFIED_2011]  # by name: Greece ... Morocco
    in_2012 = parties(2012)
    assert sorted(in_2012) == sorted([(state(c), "2011") for c in RATIFIED_2011] +
                                     [(state(c), "2012") for c in RATIFIED_2012])
    assert in_2012[0] == (state("BDI"), "2012")  # Burundi first, by name
    assert parties(2030) == in_2012
    assert rows(store, "parties-as-of", instrument="id:instrument/untoc", year="2012") == []


def test_mandates_in_force(store):
    """The Working Group's mandate: established by decision 4/4 (fourth session, October 2008),
    continued by resolution 5/2 (fifth session, October 2010: 2011 paper, para. 2) and by resolution
    6/1 (sixth session, October 2012: 2013 report, para. 2)."""
    def in_force(year):
        return [(r["mandate"], r["eventType"], r["act"], r["date"])
                for r in rows(store, "mandates-in-force", year=str(year))]

    mandate = ID + "mandate/wg-tip"
    assert in_force(2007) == []
    assert in_force(2008) == in_force(2009) == [(mandate, UKG + "Establishment", DECISION_4_4, "2008-10-08")]
    assert in_force(2010) == in_force(2011) == [(mandate, UKG + "Continuation", RESOLUTION_5_2, "2010-10-18")]
    assert in_force(2013) == [(mandate, UKG + "Continuation", RESOLUTION_6_1, "2012-10-15")]
    assert rows(store, "mandates-in-force", year="2013")[0]["holder"] == body("wg-tip")


# ---------------------------------------------------------------------------------------------
# One entity, one fact


def test_entity_austria(store, doc):
    answer = rows(store, "entity", entity="id:state/AUT")
    got = {(r["direction"], r["property"], r["value"], r["graph"]) for r in answer}
    participation = MEETING_2013 + "/participant/state-AUT"
    assert {("out", UKG + "iso3", "AUT", REFERENCE), ("out", SKOS + "prefLabel", "Austria", REFERENCE),
            ("out", UKG + "attended", MEETING_2013, doc[REPORT_2013]),
            ("in", UKG + "participant", participation, doc[REPORT_2013])} <= got
    # para. 54: Austria spoke under items 2 to 7
    assert any(r["direction"] == "in" and r["property"] == UKG + "speaker" for r in answer)
    directions = column(answer, "direction")
    assert directions == sorted(directions, reverse=True)  # "out" before "in"
    assert BUILD_GRAPH.value not in column(answer, "graph")


def test_entity_meeting_of_2013(store, doc):
    answer = rows(store, "entity", entity=MEETING_2013)
    for_meeting = {r["value"] for r in answer if r["direction"] == "in" and r["property"] == UKG + "forMeeting"}
    assert len(for_meeting) == 11 and doc[REPORT_2013] in for_meeting
    chair = [r for r in answer if r["property"] == UKG + "chair"]
    assert [(r["value"], r["valueLabel"]) for r in chair] == [(ID + "person/blanka-jamnisek", "Blanka Jamnišek")]
    participants = {r["value"] for r in answer if r["direction"] == "in" and r["property"] == UKG + "meeting"
                    and "/participant/" in r["value"]}
    assert len(participants) == 94  # 70 + 1 + 4 + 6 + 1 + 3 + 8 + 1


def test_evidence_of_facts(store, doc):
    def evidence(fact):
        answer = rows(store, "evidence", fact=fact)
        for r in answer:  # the offsets point at the very words in the file as given (emphasis aside)
            source = (CORPUS / r["sourceFile"]).read_text(encoding="utf-8")
            assert re.findall(r"\w+", source[int(r["start"]):int(r["end"])]) == re.findall(r"\w+", r["text"])
        return [(r["document"], r["number"]) for r in answer], answer

    found, answer = evidence("id:ratification/tip-protocol/GRC")
    assert found == [(doc[REPORT_2012], "2")]
    assert "Greece, Haiti, India, Micronesia (Federated States of) and Morocco" in answer[0]["text"]
    assert evidence("id:role/unodc/chairs/gmg/2012-07-01")[0] == [(doc[REPORT_2012], "11")]
    assert evidence(MEETING_2013 + "/participant/state-PSE")[0] == [(doc[REPORT_2013], "64")]
    assert evidence(ID + "mandate/wg-tip/event/untoc-cop-resolution-6-1-continuation")[0] == [(doc[REPORT_2013], "2")]
    found, _ = evidence("id:act/untoc-cop/decision/4-4")
    assert found == [(doc[DRAFT_2010], "pp2"), (doc[DRAFT_2010], "7"), (doc[REPORT_2013], "1"), (doc[PAPER_2011], "1")]
    assert rows(store, "evidence", fact="id:state/AUT") == []  # reference data is read from no paragraph


# ---------------------------------------------------------------------------------------------
# The queries other files rely on (kg.lineage, the CLI's overview)


def test_lineage_of_the_working_group(store, doc):
    answer = rows(store, "lineage", body="id:body/wg-tip")
    steps = list(dict.fromkeys((r["type"].removeprefix(UKG), r["act"]) for r in answer))
    assert steps == [("Establishment", DECISION_4_4), ("Continuation", RESOLUTION_5_2), ("Continuation", RESOLUTION_6_1)]
    evidence = {(r["act"], r["document"], r["number"]) for r in answer}
    assert evidence == {(DECISION_4_4, doc[PAPER_2011], "1"), (DECISION_4_4, doc[REPORT_2013], "1"),
                        (RESOLUTION_5_2, doc[PAPER_2011], "2"), (RESOLUTION_6_1, doc[REPORT_2013], "2")}


def test_bodies_by_name(store):
    answer = rows(store, "bodies-by-name", name="Working Group on Trafficking in Persons")
    assert [(r["body"], r["match"]) for r in answer if r["match"] == "exact"] == [(body("wg-tip"), "exact")]
    # the 2012 report's "Inter-Agency Cooperation Group" is the Coordination Group's other name
    assert [r["body"] for r in rows(store, "bodies-by-name", name="inter-agency cooperation group")
            if r["match"] == "exact"] == [body("icat")]


def test_classes_and_graphs(store, doc):
    counts = {r["class"]: int(r["instances"]) for r in rows(store, "classes")}
    assert counts[UKG + "Recommendation"] == 44
    assert counts[UKG + "Participation"] == 94
    assert counts[UKG + "Ratification"] == 8
    assert counts[UKG + "Agreement"] == 3
    assert counts[UKG + "DraftAct"] == 1
    graphs = column(rows(store, "graphs"), "graph")
    assert set(graphs) == set(doc.values()) | {REFERENCE, ID + "graph/ontology"}


def test_the_projections_the_pictures_draw(store, doc, draft):
    """The `viz-*` queries return edges for kg.viz; here only the facts they must carry."""
    participation = rows(store, "viz-participation")
    kinds: dict[str, set] = {}
    for r in participation:
        assert r["target"] == MEETING_2013 and r["date"] == "2013-11-06"
        kinds.setdefault(r["kind"], set()).add(r["source"])
    assert kinds == {capacity: who for capacity, (who, _) in ATTENDANCE_2013.items()}

    citations = {(r["source"], r["kind"], r["target"]) for r in rows(store, "viz-citations")}
    assert {(doc[DRAFT_2010], "recalls", ga("64/293")), (doc[DRAFT_2010], "recalls", DECISION_4_4),
            (doc[REPORT_2012], "pursuant-to", RESOLUTION_5_2), (doc[REPORT_2013], "references", RESOLUTION_6_1)} \
        <= citations

    landscape = {(r["kind"], r["detail"], r["source"], r["target"], r["date"], r["number"])
                 for r in rows(store, "viz-landscape")}
    assert {("agreement", "memorandum-of-understanding", body("unodc"), body("unwto"), "2012-04", "12"),
            ("joint-programme", None, body("iom"), body("unodc"), "2011-11", "10"),
            ("chairs", None, body("unodc"), body("gmg"), "2012-07-01", "11")} <= landscape

    lineage = {(r["kind"], r["source"], r["target"]) for r in rows(store, "viz-lineage")}
    assert {("Establishment", DECISION_4_4, body("wg-tip")), ("Continuation", RESOLUTION_6_1, body("wg-tip")),
            ("Fulfilment", RESOLUTION_5_2, body("cop-secretariat")), ("recalls", draft, ga("61/144")),
            ("adopted-at", RESOLUTION_5_2, ID + "meeting/untoc-cop/2010-10-18")} <= lineage

    nodes = {(r["node"], r["facet"], r["value"]) for r in rows(store, "viz-nodes")}
    assert {(body("wg-tip"), "label", "Working Group on Trafficking in Persons"), (DECISION_4_4, "number", "4/4"),
            (MEETING_2013, "date", "2013-11-06")} <= nodes


def test_titles_of_a_document(store, doc):
    answer = rows(store, "titles", document=doc[DRAFT_2010])
    assert [(r["title"], r["language"]) for r in answer] == [("Trafficking in persons", "en")]


def test_names_of_a_session_and_a_report(store, doc):
    [session] = rows(store, "names", thing=ID + "meeting/untoc-cop/2008-10-08")
    assert (session["label"], session["venue"], session["startDate"], session["endDate"], session["session"]) == \
        ("Fourth session of the Conference of the Parties", "Vienna", "2008-10-08", "2008-10-17", "4")
    [report] = rows(store, "names", thing=doc[REPORT_2013])
    assert (report["issued"], report["documentKind"], report["meetingBody"]) == \
        ("2013-11-26", "report", "Working Group on Trafficking in Persons")
    assert rows(store, "names", thing=ID + "body/no-such-body") == []


def test_lineage_with_all_lists_the_drafts_proposals(store, draft):
    answer = rows(store, "lineage", body="id:body/wg-tip", all="true")
    proposals = {(r["act"], r["number"], r["date"]) for r in answer if r["type"] == UKG + "Proposal"}
    assert {(draft, "7", "2010-10-12"), (draft, "8", "2010-10-12")} <= proposals
    assert not [r for r in rows(store, "lineage", body="id:body/wg-tip") if r["type"] == UKG + "Proposal"]


def test_body_names_lists_every_name_of_a_body(store):
    names = {r["name"] for r in rows(store, "body-names") if r["body"] == body("un-gift")}
    assert {"UN.GIFT", "Global Initiative to Fight Human Trafficking"} <= names
    assert {r["label"] for r in rows(store, "body-names") if r["body"] == body("wg-tip")} == \
        {"Working Group on Trafficking in Persons"}


CHECKED = [
    ("body-names", test_body_names_lists_every_name_of_a_body),
    ("names", test_names_of_a_session_and_a_report),
    ("titles", test_titles_of_a_document),
    ("acts-citing", test_acts_citing_decision_4_4),
    ("acts-cited-by", test_acts_cited_by_the_draft_decision),
    ("acts-citing-transitive", test_transitive_citations_on_the_seeds_are_the_direct_ones),
    ("acts-cited-by-transitive", test_transitive_citations_on_the_seeds_are_the_direct_ones),
    ("act-requests", test_act_requests_reports_made_pursuant_to_resolution_5_2),
    ("act-status", test_act_status_decision_4_4_is_superseded_and_resolution_6_1_stands),
    ("meetings-of-body", test_meetings_of_the_working_group),
    ("attendance", test_attendance_of_the_november_2013_meeting),
    ("state-attendance", test_state_attendance_history),
    ("states-never-attended", test_states_that_never_attended),
    ("landscape", test_landscape_of_unodc),
    ("members-in-year", test_members_in_2012_and_2013),
    ("recommendations", test_the_44_recommendations_of_2013),
    ("ratifications", test_ratifications_over_time),
    ("parties-as-of", test_parties_as_of_a_year),
    ("mandates-in-force", test_mandates_in_force),
    ("entity", test_entity_austria),
    ("evidence", test_evidence_of_facts),
    ("lineage", test_lineage_of_the_working_group),
    ("lineage", test_lineage_with_all_lists_the_drafts_proposals),
    ("bodies-by-name", test_bodies_by_name),
    ("classes", test_classes_and_graphs),
    ("graphs", test_classes_and_graphs),
    *((name, test_the_projections_the_pictures_draw) for name in
      ("viz-participation", "viz-citations", "viz-landscape", "viz-lineage", "viz-nodes")),
]


# ---------------------------------------------------------------------------------------------
# Chains, requests and terminations the seeds do not have, on a graph written for the purpose


SYNTHETIC = """
@base <https://w3id.org/untoc-kg/id/> .
@prefix ukg: <https://w3id.org/untoc-kg/ontology#> .
@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix prov: <http://www.w3.org/ns/prov#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .

<doc/D1> a ukg:Document ; dcterms:references <act/x/resolution/2-1> .
<act/x/resolution/2-1> a ukg:Act ; ukg:actNumber "2/1" ; dcterms:date "2010-01-01"^^xsd:date ;
    rdfs:seeAlso <doc/R21> .
<doc/R21> a ukg:Document ; dcterms:references <act/x/resolution/1-1> .
<act/x/resolution/1-1> a ukg:Act ; ukg:actNumber "1/1" ; dcterms:date "2008-01-01"^^xsd:date .

<mandate/m> a ukg:Mandate ; ukg:holder <body/m> .
<mandate/m/e1> a ukg:MandateEvent ; ukg:mandate <mandate/m> ; ukg:eventType ukg:Establishment ;
    ukg:act <act/x/resolution/1-1> .
<mandate/m/e2> a ukg:MandateEvent ; ukg:mandate <mandate/m> ; ukg:eventType ukg:Termination ;
    ukg:act <act/x/resolution/2-1> .
<mandate/m/e3> a ukg:MandateEvent ; ukg:mandate <mandate/m> ; ukg:eventType ukg:Establishment ;
    ukg:act <act/x/resolution/3-1> .
<act/x/resolution/3-1> a ukg:Act ; ukg:actNumber "3/1" ; dcterms:date "2012-06-01"^^xsd:date .

<mandate/s> a ukg:Mandate ; ukg:holder <body/secretariat> .
<mandate/s/r1> a ukg:MandateEvent ; ukg:mandate <mandate/s> ; ukg:eventType ukg:Request ;
    ukg:act <act/x/resolution/1-1> ; dcterms:description "requests the Secretariat to report" ;
    prov:wasDerivedFrom <doc/R11#p3> .
<doc/R11#p3> a ukg:Paragraph ; ukg:inDocument <doc/R11> ; ukg:number "3" ;
    ukg:text "Requests the Secretariat to report to it at its second session." .
<doc/REP> a ukg:Document ; ukg:preparedPursuantTo <act/x/resolution/1-1> ;
    dcterms:issued "2009-05-01"^^xsd:date .
"""


@pytest.fixture(scope="module")
def synthetic() -> ox.Store:
    """Written the way a build writes a document, so the store's default graph holds it too."""
    graph = ox.Store()
    lines = [f"{t.subject} {t.predicate} {t.object} ." for t in ox.parse(SYNTHETIC, ox.RdfFormat.TURTLE)]
    name = ID + "doc/synthetic"
    replace_graph(graph, name, lines, GraphRecord(name, "synthetic", "synthetic", "-", "-", len(lines)))
    return graph


def test_transitive_citations_follow_the_text_of_cited_acts(synthetic):
    """D1 cites resolution 2/1, whose text (R21) cites resolution 1/1: D1 cites 1/1 at one remove."""
    answer = rows(synthetic, "acts-cited-by-transitive", citer="id:doc/D1")
    assert [(r["act"], r["direct"]) for r in answer] == [
        (ID + "act/x/resolution/1-1", "false"), (ID + "act/x/resolution/2-1", "true")]
    direct = rows(synthetic, "acts-cited-by", citer="id:doc/D1")
    assert column(direct, "act") == [ID + "act/x/resolution/2-1"]
    citing = rows(synthetic, "acts-citing-transitive", number="1/1")
    assert {(r["citer"], r["citerKind"], r["direct"]) for r in citing} == {
        (ID + "doc/R21", "document", "true"), (ID + "act/x/resolution/2-1", "act", "true"),
        (ID + "doc/D1", "document", "false")}
    assert {(r["citer"], r["citerKind"]) for r in rows(synthetic, "acts-citing", number="1/1")} == {
        (ID + "doc/R21", "document"), (ID + "act/x/resolution/2-1", "act")}


def test_act_requests_lists_requests_before_reports(synthetic):
    answer = rows(synthetic, "act-requests", number="1/1")
    assert [(r["kind"], r["holder"], r["document"], r["paragraphNumber"]) for r in answer] == [
        ("request", ID + "body/secretariat", ID + "doc/R11", "3"), ("report", None, ID + "doc/REP", None)]


def test_a_terminated_mandate_is_not_in_force_until_established_again(synthetic):
    def in_force(year):
        return [r["act"] for r in rows(synthetic, "mandates-in-force", year=str(year))]

    assert in_force(2007) == []
    assert in_force(2009) == [ID + "act/x/resolution/1-1"]
    assert in_force(2010) == in_force(2011) == []  # terminated by 2/1 in 2010
    assert in_force(2012) == [ID + "act/x/resolution/3-1"]


# ---------------------------------------------------------------------------------------------
# A value is a value


HOSTILE = ['"} ; DROP ALL #', "'} ; DROP ALL #", '4/4" || true || "', '") || true || ("',
           "} UNION { ?s ?p ?o }", "<http://x>", '"""', "\\", "x\" . ?act ?p ?o . FILTER(\"1\"=\"1"]


@pytest.fixture
def writable(store) -> ox.Store:
    """A writable copy, so that a value that managed to become an update would leave a trace."""
    copy = ox.Store()
    copy.extend(q for q in store if q.graph_name != BUILD_GRAPH)
    return copy


def _fingerprint(graph: ox.Store) -> tuple[int, int]:
    return len(graph), hash(frozenset(str(q) for q in graph))


def _with_required(canned, params: dict) -> dict:
    """The query's first example, with `params` in place of its values."""
    example = canned.examples[0] if canned.examples else ""
    return {**parse_param_options(_example_params(example)), **params}


PARAMETERS = [(q, p) for q in QUERIES for p in q.params]


@pytest.mark.parametrize("canned,param", PARAMETERS, ids=[f"{q.name}:{p.name}" for q, p in PARAMETERS])
def test_a_hostile_parameter_value_is_a_plain_value(writable, canned, param):
    """Each value answers exactly as a value that names nothing does (no rows, except "States that
    never attended" a body that does not exist, which is all of them), or is refused as not an IRI
    or not a number before any query runs; and the store is the same afterwards."""
    before = _fingerprint(writable)

    def answer(value):
        table = run(writable, canned.text, bind(canned, _with_required(canned, {param.name: value})))
        keep = [i for i, c in enumerate(table.columns) if c != param.name]  # the echo of the value
        return [tuple(row[i] for i in keep) for row in table.rows]

    nothing = answer("http://example.org/no-such-thing" if param.type == "iri" else "no such value") \
        if param.type in ("iri", "string") else None
    if canned.name != "states-never-attended":
        assert nothing in (None, [])
    for value in HOSTILE:
        try:
            got = answer(value)
        except QueryError as refused:
            assert param.type != "string", refused
            continue
        assert got == nothing, (canned.name, param.name, value, got[:3])
    assert _fingerprint(writable) == before


def test_a_spliced_value_would_have_matched_everything(writable):
    """The point of binding: the same text pasted into the query would have widened it to every act."""
    canned = load_query("acts-citing")
    value = '4/4" || "" = "'
    assert run(writable, canned.text, bind(canned, {"number": value})).rows == []
    spliced = canned.text.replace("ukg:actNumber ?number .", "ukg:actNumber ?n .\n  FILTER (STR(?n) = \"" + value + "\")")
    assert run(writable, spliced).rows, "the splice should have matched: this test no longer shows anything"


CITED_THROUGH_TEXT = """
@base <https://w3id.org/untoc-kg/id/> .
@prefix ukg: <https://w3id.org/untoc-kg/ontology#> .
@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .

<act/x/resolution/2-1> a ukg:Act ; ukg:actNumber "2/1" ; rdfs:seeAlso <doc/R21> .
<doc/R21> a ukg:Document ; dcterms:references <act/x/resolution/1-1> .
<doc/R21#p4> a ukg:Paragraph ; ukg:inDocument <doc/R21> ; ukg:number "4" ; ukg:startOffset 40 ;
    dcterms:references <act/x/resolution/1-1> .
<doc/R21#p9> a ukg:Paragraph ; ukg:inDocument <doc/R21> ; ukg:number "9" ; ukg:startOffset 90 ;
    dcterms:references <act/x/resolution/1-1> .
<draft/P> a ukg:DraftAct ; dcterms:isPartOf <doc/P> ; dcterms:references <act/x/resolution/1-1> .
<doc/P> a ukg:Document .
<doc/P#p2> a ukg:Paragraph ; ukg:inDocument <doc/P> ; ukg:number "2" ; dcterms:references <act/x/resolution/1-1> .
<doc/OTHER#p1> a ukg:Paragraph ; ukg:inDocument <doc/OTHER> ; dcterms:references <act/x/resolution/1-1> .
<act/x/resolution/1-1> a ukg:Act ; ukg:actNumber "1/1" ; dcterms:date "2008-01-01"^^xsd:date .
"""


def test_acts_cited_by_an_act_or_a_draft_list_the_paragraphs_of_the_document_that_holds_them():
    """Resolution 2/1's text (R21, rdfs:seeAlso) names 1/1 in paragraphs 4 and 9; draft P is part of
    document P, whose paragraph 2 names 1/1; paragraph 1 of another document names it too, and is
    no paragraph of either citer."""
    store = ox.Store()
    lines = [f"{t.subject} {t.predicate} {t.object} ." for t in ox.parse(CITED_THROUGH_TEXT, ox.RdfFormat.TURTLE)]
    name = ID + "doc/cited-through-text"
    replace_graph(store, name, lines, GraphRecord(name, "synthetic", "synthetic", "-", "-", len(lines)))
    by_act = rows(store, "acts-cited-by", citer="id:act/x/resolution/2-1")
    assert [(r["act"], r["paragraph"], r["document"]) for r in by_act] == [
        (ID + "act/x/resolution/1-1", ID + "doc/R21#p4", ID + "doc/R21"),
        (ID + "act/x/resolution/1-1", ID + "doc/R21#p9", ID + "doc/R21")]
    by_draft = rows(store, "acts-cited-by", citer="id:draft/P")
    assert [(r["act"], r["paragraph"], r["paragraphNumber"], r["document"]) for r in by_draft] == [
        (ID + "act/x/resolution/1-1", ID + "doc/P#p2", "2", ID + "doc/P")]
