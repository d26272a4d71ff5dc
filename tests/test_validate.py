"""Validation: the reference graph conforms, a correct document graph conforms, and each kind of broken
graph is reported under the name of the rule it breaks (and only that rule)."""

from __future__ import annotations

from datetime import date
from typing import Callable

import pytest
from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.namespace import PROV, RDF, XSD

from kg import ids
from kg.reference import reference_triples
from kg.validate import SHAPES_NS, ValidationReport, Violation, validate
from kg.vocab import UKG
from loaders.facts import ActKey, EntityRef, MeetingKey

SH_ = lambda name: URIRef(SHAPES_NS + name)  # noqa: E731

COP = ids.body("untoc-cop")
WG_TIP = ids.body("wg-tip")
DOC = ids.doc("CTOC/COP/WG.4/2013/5")
PARA = ids.paragraph(DOC, "4")
MEETING = ids.meeting(MeetingKey("wg-tip", date(2013, 11, 6)))
DECISION = ids.act(ActKey("untoc-cop", "decision", "4/4"))
RESOLUTION = ids.act(ActKey("untoc-cop", "resolution", "6/1"))
DRAFT = ids.draft("CTOC/COP/2010/L.4")
MANDATE = ids.mandate("wg-tip")
EVENT = ids.mandate_event("wg-tip", "Continuation", ActKey("untoc-cop", "resolution", "6/1"))
PROPOSAL = ids.proposal(DRAFT, "wg-tip", "1")
PARTICIPATION = ids.participation(MEETING, EntityRef("state", "AUT"))
RECOMMENDATION = ids.recommendation("CTOC/COP/WG.4/2013/5", "1")
RATIFICATION = ids.ratification("tip-protocol", "BOL")
TIE = ids.role("unodc", "coordinates", "icat", None)


@pytest.fixture(scope="module")
def reference() -> Graph:
    graph = Graph()
    for triple in reference_triples():
        graph.add(triple)
    return graph


def _date(d: date) -> Literal:
    return Literal(d, datatype=XSD.date)


def document_triples() -> list[tuple]:
    """One correct instance of every shaped kind, as a document graph would hold them."""
    return [
        (DOC, RDF.type, UKG.Document), (DOC, UKG.symbol, Literal("CTOC/COP/WG.4/2013/5")),
        (DOC, UKG.forMeeting, MEETING), (DOC, UKG.preparedPursuantTo, DECISION),
        (PARA, RDF.type, UKG.Paragraph), (PARA, UKG.inDocument, DOC), (PARA, UKG.number, Literal("4")),
        (PARA, UKG.startOffset, Literal(100)), (PARA, UKG.endOffset, Literal(250)),
        (MEETING, RDF.type, UKG.Meeting), (MEETING, UKG.ofBody, WG_TIP),
        (MEETING, UKG.startDate, _date(date(2013, 11, 6))), (MEETING, UKG.endDate, _date(date(2013, 11, 8))),
        (MEETING, UKG.sessionNumber, Literal(5)), (MEETING, UKG.venue, Literal("Vienna")),
        (DECISION, RDF.type, UKG.Decision), (DECISION, UKG.actNumber, Literal("4/4")),
        (DECISION, UKG.adoptedBy, COP),
        (RESOLUTION, RDF.type, UKG.Resolution), (RESOLUTION, UKG.actNumber, Literal("6/1")),
        (RESOLUTION, UKG.adoptedBy, COP), (RESOLUTION, UKG.adoptedAt, ids.meeting(MeetingKey("untoc-cop", date(2012, 10, 15)))),
        (DRAFT, RDF.type, UKG.DraftAct), (DRAFT, UKG.sponsor, ids.state("USA")), (DRAFT, UKG.submittedTo, COP),
        (MANDATE, RDF.type, UKG.Mandate), (MANDATE, UKG.holder, WG_TIP), (MANDATE, UKG.establishedBy, DECISION),
        (EVENT, RDF.type, UKG.MandateEvent), (EVENT, UKG.mandate, MANDATE), (EVENT, UKG.act, RESOLUTION),
        (EVENT, UKG.eventType, UKG.Continuation), (EVENT, PROV.wasDerivedFrom, PARA),
        (PROPOSAL, RDF.type, UKG.MandateEvent), (PROPOSAL, UKG.mandate, MANDATE), (PROPOSAL, UKG.proposedBy, DRAFT),
        (PROPOSAL, UKG.eventType, UKG.Proposal), (PROPOSAL, PROV.wasDerivedFrom, PARA),
        (PARTICIPATION, RDF.type, UKG.Participation), (PARTICIPATION, UKG.meeting, MEETING),
        (PARTICIPATION, UKG.participant, ids.state("AUT")), (PARTICIPATION, UKG.capacity, UKG.StateParty),
        (RECOMMENDATION, RDF.type, UKG.Recommendation), (RECOMMENDATION, UKG.text, Literal("States parties should ...")),
        (RECOMMENDATION, PROV.wasDerivedFrom, PARA), (RECOMMENDATION, UKG.adoptedAt, MEETING),
        (RECOMMENDATION, UKG.addressedTo, UKG.StatesParties), (RECOMMENDATION, UKG.strength, UKG.Should),
        (RATIFICATION, RDF.type, UKG.Ratification), (RATIFICATION, UKG.state, ids.state("BOL")),
        (RATIFICATION, UKG.instrument, ids.instrument("tip-protocol")),
        (RATIFICATION, UKG.consentType, UKG.ByRatification), (RATIFICATION, UKG.year, Literal("2011", datatype=XSD.gYear)),
        (TIE, RDF.type, UKG.Tie), (TIE, UKG.tieFrom, ids.body("unodc")), (TIE, UKG.tieTo, ids.body("icat")),
        (TIE, UKG.tieKind, Literal("coordinates")), (TIE, PROV.wasDerivedFrom, PARA),
        (DOC, UKG.recalls, DECISION), (DRAFT, UKG.recalls, DECISION), (DRAFT, UKG.forMeeting, MEETING),
        (RECOMMENDATION, UKG.adoptedBy, WG_TIP),
    ]


def _graph(reference: Graph, triples) -> Graph:
    graph = Graph()
    for triple in reference:
        graph.add(triple)
    for triple in triples:
        graph.add(triple)
    return graph


def test_the_reference_graph_alone_conforms(reference):
    report = validate(reference)
    assert report.conforms, report.text()
    assert report.violations == ()


def test_a_correct_document_graph_with_the_reference_graph_conforms(reference):
    report = validate(_graph(reference, document_triples()))
    assert report.conforms, report.text()


def test_a_dataset_is_validated_as_the_union_of_its_graphs(reference):
    """The participant and the meeting's body are in the reference graph, the participation in the document's."""
    dataset = Dataset()
    ref = dataset.graph(ids.REFERENCE_GRAPH)
    for triple in reference:
        ref.add(triple)
    doc = dataset.graph(DOC)
    for triple in document_triples():
        doc.add(triple)
    report = validate(dataset)
    assert report.conforms, report.text()
    doc.remove((PARTICIPATION, UKG.capacity, None))
    assert validate(dataset).shapes() == {SH_("ParticipationCapacity")}


def _without(*patterns) -> Callable[[list], list]:
    def change(triples):
        return [t for t in triples if not any(all(p is None or p == x for p, x in zip(pat, t)) for pat in patterns)]
    return change


def _with(*added) -> Callable[[list], list]:
    return lambda triples: triples + list(added)


def _replacing(old: tuple, new: tuple) -> Callable[[list], list]:
    return lambda triples: [new if t == old else t for t in triples]


BROKEN = {
    "an act with no adoptedBy": (_without((DECISION, UKG.adoptedBy, None)), "ActAdoptedBy"),
    "an act with no number": (_without((DECISION, UKG.actNumber, None)), "ActHasNumber"),
    "an act numbered in words": (_replacing((DECISION, UKG.actNumber, Literal("4/4")),
                                            (DECISION, UKG.actNumber, Literal("four/4"))), "ActNumber"),
    "a draft that adopts": (_with((DRAFT, UKG.adoptedBy, COP)), "DraftAdoptsNothing"),
    "a draft with no sponsor": (_without((DRAFT, UKG.sponsor, None)), "DraftSponsored"),  # a sponsor, or one as written
    "a meeting ending before it starts": (
        _replacing((MEETING, UKG.endDate, _date(date(2013, 11, 8))), (MEETING, UKG.endDate, _date(date(2013, 11, 5)))),
        "MeetingDatesInOrder"),
    "a meeting of no body": (_without((MEETING, UKG.ofBody, None)), "MeetingBody"),
    "a State with ISO code XYZ": (_with((ids.state("XYZ"), RDF.type, UKG.State), (ids.state("XYZ"), UKG.iso3, Literal("XYZ")),
                                        (ids.state("XYZ"), UKG.m49, Literal("999"))),
                                  {"StateIso3Assigned", "StatePrefLabel"}),
    "a participation with no capacity": (_without((PARTICIPATION, UKG.capacity, None)), "ParticipationCapacity"),
    "a participation with a made-up capacity": (
        _replacing((PARTICIPATION, UKG.capacity, UKG.StateParty), (PARTICIPATION, UKG.capacity, UKG.Shall)),
        "ParticipationCapacity"),
    "a mandate event with two acts": (_with((EVENT, UKG.act, DECISION)), "MandateEventAct"),
    "a mandate event with no evidence": (_without((EVENT, PROV.wasDerivedFrom, None)), "MandateEventEvidence"),
    "a proposal with no draft": (_without((PROPOSAL, UKG.proposedBy, None)), "MandateEventActOrProposal"),
    "a paragraph in no document": (_without((PARA, UKG.inDocument, None)), "ParagraphDocument"),
    "a recommendation with no text": (_without((RECOMMENDATION, UKG.text, None)), "RecommendationText"),
    "a ratification of no instrument": (_without((RATIFICATION, UKG.instrument, None)), "RatificationInstrument"),
    "a tie to a body nobody declared": (_replacing((TIE, UKG.tieTo, ids.body("icat")), (TIE, UKG.tieTo, ids.body("no-such-body"))),
                                        "TieTo"),
    "a draft recalling a document as if it were an act": (_with((DRAFT, UKG.recalls, DOC)), "ActRecalled"),
}


@pytest.mark.parametrize("case", sorted(BROKEN))
def test_a_broken_graph_is_reported_under_the_rule_it_breaks(reference, case):
    change, expected = BROKEN[case]
    expected = {expected} if isinstance(expected, str) else expected
    report = validate(_graph(reference, change(document_triples())))
    assert not report.conforms
    assert report.shapes() == {SH_(name) for name in expected}, report.text()


def test_violations_are_data_with_a_readable_text(reference):
    report = validate(_graph(reference, _with((EVENT, UKG.act, DECISION))(document_triples())))
    [violation] = report.violations
    assert isinstance(violation, Violation)
    assert violation.focus == EVENT
    assert violation.path == UKG.act
    assert violation.severity == "Violation"
    assert violation.component == "MaxCountConstraintComponent"
    assert "one ukg:act" in violation.message
    text = report.text()
    assert text.startswith("Conforms: no")
    assert "ukgsh:MandateEventAct" in text and "id:mandate/wg-tip/event/" in text


def test_an_iso_code_typed_xsd_string_is_the_same_code(reference):
    """RDF 1.1: "AUT" and "AUT"^^xsd:string are one term; graphs read back from pyoxigraph carry the type."""
    austria = ids.state("AUT")
    graph = _graph(reference, [])
    graph.remove((austria, UKG.iso3, None))
    graph.add((austria, UKG.iso3, Literal("AUT", datatype=XSD.string)))
    assert validate(graph).conforms


def test_validation_leaves_the_callers_graph_alone(reference):
    graph = _graph(reference, document_triples())
    before = len(graph)
    validate(graph)
    assert len(graph) == before


def test_an_empty_graph_conforms():
    report = validate(Graph())
    assert report == ValidationReport(conforms=True, violations=())
    assert report.text() == "Conforms: yes, no results."
