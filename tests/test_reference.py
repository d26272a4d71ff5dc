"""The reference data: States under their UN names, the instruments, the bodies and the Conference sessions."""

from __future__ import annotations

import hashlib
import subprocess
import sys
from datetime import date
from pathlib import Path

import pycountry
import pytest
from rdflib import Graph, Literal
from rdflib.namespace import DCTERMS, RDF, RDFS, SKOS, XSD

from kg import ids
from kg.reference import _current_name_rank, cop_sessions, ordinal, reference_triples
from kg.vocab import ORG, UKG
from loaders.facts import MeetingKey

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def reference() -> Graph:
    graph = Graph()
    for triple in reference_triples():
        graph.add(triple)
    return graph


@pytest.mark.parametrize("iso3, name", [
    ("BOL", "Bolivia (Plurinational State of)"),
    ("VNM", "Viet Nam"),
    ("PSE", "State of Palestine"),
    ("CIV", "Côte d'Ivoire"),
    ("MDA", "Republic of Moldova"),
    ("GBR", "United Kingdom of Great Britain and Northern Ireland"),
    ("NLD", "Netherlands (Kingdom of the)"),
    ("CZE", "Czechia"),
    ("AUT", "Austria"),
])
def test_a_state_is_named_by_its_un_short_name(reference, iso3, name):
    assert list(reference.objects(ids.state(iso3), SKOS.prefLabel)) == [Literal(name, lang="en")]


@pytest.mark.parametrize("iso3, other", [
    ("BOL", "Bolivia, Plurinational State of"),  # ISO's name
    ("BOL", "Plurinational State of Bolivia"),  # running text, state_names.tsv
    ("CIV", "Cote d'Ivoire"),
    ("PSE", "Palestine"),
    ("CZE", "Czech Republic"),  # former UN short name
    ("GBR", "United Kingdom"),
])
def test_every_other_name_of_a_state_is_an_alternative_label(reference, iso3, other):
    assert (ids.state(iso3), SKOS.altLabel, Literal(other, lang="en")) in reference


def test_every_iso_country_is_a_state_or_a_territory_with_its_codes(reference):
    # States are the UN's 193 Member States and its two non-member observer States (issue 17: the
    # old expectation, every ISO 3166-1 entry a State, made Antarctica and Gibraltar States)
    states = set(reference.subjects(RDF.type, UKG.State))
    territories = set(reference.subjects(RDF.type, UKG.Territory))
    assert len(states) == 195 and not states & territories
    assert len(states) + len(territories) == len(pycountry.countries)
    assert {ids.state(c) for c in ("ATA", "BVT", "GIB", "HKG", "PRI")} <= territories
    assert {ids.state(c) for c in ("VAT", "PSE", "SSD", "CHE")} <= states
    for node in states | territories:
        assert reference.value(node, UKG.iso3) is not None and reference.value(node, UKG.m49) is not None
    austria = ids.state("AUT")
    assert reference.value(austria, UKG.iso3) == Literal("AUT")
    assert reference.value(austria, UKG.m49) == Literal("040")


def test_the_source_of_every_state_mapping_is_stated(reference):
    for state in reference.subjects(RDF.type, UKG.State):
        sources = {str(s) for s in reference.objects(state, DCTERMS.source)}
        assert any(s.startswith("ISO 3166-1 via pycountry ") for s in sources), state
    bolivia = {str(s) for s in reference.objects(ids.state("BOL"), DCTERMS.source)}
    assert any("state_names.tsv" in s for s in bolivia)


def test_no_label_is_both_preferred_and_alternative(reference):
    """SKOS integrity condition S13."""
    clashes = [(s, o) for s, o in reference.subject_objects(SKOS.prefLabel)
               if (s, SKOS.altLabel, o) in reference]
    assert clashes == []


def test_every_labelled_node_has_exactly_one_preferred_label(reference):
    for node in set(reference.subjects(SKOS.prefLabel, None)):
        assert len(list(reference.objects(node, SKOS.prefLabel))) == 1, node


@pytest.mark.parametrize("note, rank", [
    ("UN short name", 0),
    ("UN short name from 2024", 2024),
    ("UN name since 2012 (General Assembly resolution 67/19)", 2012),
    ("UN short name until 2016", None),
    ("UN formal name, used in running text", None),
    ("used in running text", None),
    ("non-member observer State", None),
])
def test_which_notes_mark_a_current_un_name(note, rank):
    assert _current_name_rank(note) == rank


def test_the_protocols_supplement_the_convention(reference):
    untoc = ids.instrument("untoc")
    for slug in ("tip-protocol", "som-protocol", "firearms-protocol"):
        protocol = ids.instrument(slug)
        assert (protocol, RDF.type, UKG.Protocol) in reference
        assert list(reference.objects(protocol, UKG.supplements)) == [untoc]
    assert (untoc, RDF.type, UKG.Convention) in reference


def test_an_instrument_carries_its_names_dates_and_treaty_series_entry(reference):
    untoc = ids.instrument("untoc")
    assert reference.value(untoc, UKG.shortTitle) == Literal("Organized Crime Convention", lang="en")
    assert (untoc, SKOS.altLabel, Literal("Palermo Convention", lang="en")) in reference
    assert reference.value(untoc, UKG.entryIntoForce) == Literal(date(2003, 9, 29), datatype=XSD.date)
    assert reference.value(untoc, UKG.treatySeriesVolume) == Literal(2225, datatype=XSD.integer)
    tip = ids.instrument("tip-protocol")
    assert (tip, SKOS.altLabel, Literal("Trafficking in Persons Protocol", lang="en")) in reference
    assert reference.value(tip, DCTERMS.source) is not None


def test_a_working_group_belongs_to_the_conference(reference):
    wg = ids.body("wg-tip")
    assert (wg, ORG.subOrganizationOf, ids.body("untoc-cop")) in reference
    assert (wg, RDF.type, UKG.WorkingGroup) in reference
    assert (wg, RDF.type, UKG.Body) in reference


def test_one_body_node_carries_every_name(reference):
    icat = ids.body("icat")
    labels = {str(o) for p in (SKOS.prefLabel, SKOS.altLabel) for o in reference.objects(icat, p)}
    assert {"Inter-Agency Coordination Group against Trafficking in Persons",
            "Inter-Agency Cooperation Group against Trafficking in Persons", "ICAT"} <= labels
    assert (icat, RDF.type, UKG.InterAgencyMechanism) in reference


def test_the_conference_sessions(reference):
    sessions = cop_sessions()
    assert [s["session"] for s in sessions] == list(range(1, 13))
    fifth = sessions[4]
    assert (fifth["start"], fifth["end"], fifth["venue"]) == (date(2010, 10, 18), date(2010, 10, 22), "Vienna")
    assert fifth["source"] == "Report of the Conference on its fifth session"
    node = ids.meeting(MeetingKey("untoc-cop", date(2010, 10, 18)))
    assert fifth["iri"] == node
    assert (node, RDF.type, UKG.Meeting) in reference
    assert reference.value(node, UKG.ofBody) == ids.body("untoc-cop")
    assert reference.value(node, UKG.sessionNumber) == Literal(5, datatype=XSD.integer)
    assert reference.value(node, UKG.endDate) == Literal(date(2010, 10, 22), datatype=XSD.date)
    assert reference.value(node, RDFS.label) == Literal("Fifth session of the Conference of the Parties", lang="en")
    assert all(s["start"] <= s["end"] for s in sessions)


@pytest.mark.parametrize("number, word", [(1, "first"), (5, "fifth"), (12, "twelfth"), (20, "twentieth"),
                                          (21, "twenty-first"), (43, "forty-third")])
def test_ordinal_words(number, word):
    assert ordinal(number) == word


def _digest(triples) -> str:
    return hashlib.sha256("\n".join(" ".join(t.n3() for t in triple) for triple in triples).encode()).hexdigest()


def test_reference_triples_are_sorted_and_the_same_in_another_process():
    """Set and dict order change with the hash seed; the reference graph must not."""
    triples = reference_triples()
    assert triples == sorted(triples, key=lambda t: tuple(x.n3() for x in t))
    assert len(set(triples)) == len(triples)
    code = ("import hashlib; from kg.reference import reference_triples as r; "
            "print(hashlib.sha256('\\n'.join(' '.join(t.n3() for t in tr) for tr in r()).encode()).hexdigest())")
    other = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True,
                           env={"PYTHONHASHSEED": "12345", "PYTHONPATH": str(ROOT), "PATH": ""})
    assert other.stdout.strip() == _digest(triples)
