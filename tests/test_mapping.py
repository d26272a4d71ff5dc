"""Facts -> triples: every fact node points at a paragraph of its own document, and the vocabulary's
promises hold (a draft adopts nothing; the agenda footnote's symbol is not the document's)."""

from __future__ import annotations

import pytest
from rdflib import BNode, Literal, URIRef
from rdflib.namespace import PROV, RDF

from kg.mapping import facts_triples
from kg.vocab import ID_BASE, UKG

from .seeds import DRAFT_2010, PAPER_2011, REPORT_2012, REPORT_2013, facts
from .test_extract_adopted_acts import GA_RESOLUTION, _facts

SEEDS = [REPORT_2012, DRAFT_2010, REPORT_2013, PAPER_2011]


def graph(name):
    doc, triples = facts_triples(facts(name))
    return doc, triples


def objects(triples, s, p):
    return [o for (s2, p2, o) in triples if s2 == s and p2 == p]


def subjects_of_type(triples, cls):
    return sorted({s for (s, p, o) in triples if p == RDF.type and o == cls})


@pytest.mark.parametrize("name", SEEDS)
def test_every_fact_node_is_derived_from_a_paragraph_of_its_document(name):
    doc, triples = graph(name)
    checked = 0
    for cls in (UKG.MandateEvent, UKG.Participation, UKG.Recommendation, UKG.Statement, UKG.Agreement,
                UKG.JointProgramme, UKG.Tie, UKG.Ratification, UKG.MeetingRole, UKG.AgendaItem):
        for node in subjects_of_type(triples, cls):
            sources = objects(triples, node, PROV.wasDerivedFrom)
            assert sources, node
            for para in sources:
                assert str(para).startswith(str(doc) + "#")
                assert objects(triples, para, UKG.inDocument) == [doc]
                assert objects(triples, para, UKG.text) and str(objects(triples, para, UKG.text)[0])
            checked += 1
    assert checked > 0


@pytest.mark.parametrize("name", SEEDS)
def test_no_blank_nodes_and_iris_minted_under_our_bases(name):
    _, triples = graph(name)
    for s, p, o in triples:
        assert not isinstance(s, BNode) and not isinstance(o, BNode)
        assert str(s).startswith(ID_BASE), s
        if isinstance(o, URIRef) and str(o).startswith("https://w3id.org/untoc-kg/"):
            assert str(o).startswith(ID_BASE) or str(o).startswith(str(UKG._NS))


@pytest.mark.parametrize("name", SEEDS)
def test_the_mapping_is_deterministic(name):
    assert facts_triples(facts(name)) == facts_triples(facts(name))


def test_the_draft_adopts_nothing():
    doc, triples = graph(DRAFT_2010)
    drafts = subjects_of_type(triples, UKG.DraftAct)
    assert len(drafts) == 1
    assert objects(triples, drafts[0], UKG.adoptedBy) == []
    assert objects(triples, drafts[0], UKG.sponsor) == [URIRef(ID_BASE + "state/USA")]
    for event in subjects_of_type(triples, UKG.MandateEvent):
        assert objects(triples, event, UKG.eventType) == [UKG.Proposal]
        assert objects(triples, event, UKG.act) == []
        assert objects(triples, event, UKG.proposedBy) == drafts
    # no mandate says it was continued or established by anything in this document
    assert not [t for t in triples if t[1] in (UKG.establishedBy, UKG.continuedBy)]


@pytest.mark.parametrize("name", SEEDS)
def test_the_agenda_footnote_symbol_is_not_the_documents(name):
    doc, triples = graph(name)
    assert objects(triples, doc, UKG.symbol) == []
    assert str(doc).startswith(ID_BASE + "doc/sha256-")


def test_the_lineage_shortcuts():
    _, t13 = graph(REPORT_2013)
    _, t11 = graph(PAPER_2011)
    wg = URIRef(ID_BASE + "mandate/wg-tip")
    assert objects(t13, wg, UKG.establishedBy) == [URIRef(ID_BASE + "act/untoc-cop/decision/4-4")]
    assert objects(t13, wg, UKG.continuedBy) == [URIRef(ID_BASE + "act/untoc-cop/resolution/6-1")]
    assert objects(t11, wg, UKG.continuedBy) == [URIRef(ID_BASE + "act/untoc-cop/resolution/5-2")]
    act44 = URIRef(ID_BASE + "act/untoc-cop/decision/4-4")
    # the fourth session of the Conference (8-17 October 2008) adopted it, from the reference data
    assert objects(t13, act44, UKG.adoptedAt) == [URIRef(ID_BASE + "meeting/untoc-cop/2008-10-08")]


def test_an_adopted_act_points_at_its_text():
    doc, triples = facts_triples(_facts(GA_RESOLUTION))
    act = URIRef(ID_BASE + "act/ga/resolution/99-123")
    assert doc == URIRef(ID_BASE + "doc/A/RES/99/123")
    assert doc in objects(triples, act, URIRef("http://www.w3.org/2000/01/rdf-schema#seeAlso"))
    assert objects(triples, doc, UKG.symbol) == [Literal("A/RES/99/123")]
