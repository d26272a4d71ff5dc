"""States are the UN's Member States (with their dates of admission) and its non-member observer
States; every other ISO 3166-1 entry is a territory, and never answers a question about States."""

from __future__ import annotations

import datetime

from rdflib import Literal
from rdflib.namespace import DCTERMS, RDF, XSD

from kg import ids
from kg.reference import reference_triples, un_states
from kg.sparql import run_canned
from kg.vocab import UKG


def test_the_table_holds_193_members_and_two_observers_each_with_a_source():
    table = un_states()
    assert sum(1 for status, _, _ in table.values() if status == "member") == 193
    assert {iso for iso, (status, _, _) in table.items() if status == "observer"} == {"VAT", "PSE"}
    assert all(source.strip() for _, _, source in table.values())
    assert table["AUT"][1] == datetime.date(1955, 12, 14)
    assert table["SSD"][1] == datetime.date(2011, 7, 14)  # the newest Member
    assert table["PSE"][1] == datetime.date(2012, 11, 29)  # resolution 67/19
    assert all(datetime.date(1945, 10, 24) <= since for _, since, _ in table.values())


def test_the_graph_carries_the_dates_and_where_they_come_from():
    triples = set(reference_triples())
    austria = ids.state("AUT")
    assert (austria, UKG.admissionDate, Literal(datetime.date(1955, 12, 14), datatype=XSD.date)) in triples
    assert any(p == DCTERMS.source and "un.org/en/about-us/member-states" in str(o)
               for s, p, o in triples if s == austria)
    holy_see = ids.state("VAT")
    assert (holy_see, RDF.type, UKG.State) in triples
    assert any(p == UKG.observerStateSince for s, p, o in triples if s == holy_see)
    assert (ids.state("GIB"), RDF.type, UKG.Territory) in triples
    assert (ids.state("GIB"), RDF.type, UKG.State) not in triples


def test_states_never_attended_lists_no_territory(built_store):
    answer = {row[0].value for row in run_canned(built_store, "states-never-attended").rows}
    assert not answer & {str(ids.state(c)) for c in ("ATA", "BVT", "GIB")}
    assert str(ids.state("GRC")) in answer and str(ids.state("VAT")) in answer
    assert len(answer) == 195 - 81  # the 2013 report records 81 States attending
