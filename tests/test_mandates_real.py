"""Mandate events on real operative paragraphs of the General Assembly's seventy-fourth session
(A/RES/74/247, 74/176, 74/181, 74/125, 74/160, 74/83), copied as the UN wrote them and set in the
layout of an adopted resolution; one paragraph (the special procedure's extension) and the report that
names the Ad Hoc Committee later are written for these tests, in UN style, and say so.

Precision first: a wrong "established by" is worse than a missing one; an addressee we cannot tell
is an unresolved mention, never another body.
"""

import hashlib

import pytest
from rdflib import URIRef
from rdflib.namespace import RDF, RDFS

from kg import ids
from kg.mapping import facts_triples
from kg.vocab import UKG
from loaders.extract import extract_facts
from loaders.extract import mandate_phrases
from loaders.facts import ActKey
from loaders.structure import parse_document

from .seeds import InMemorySource


def resolution(number: str, title: str, adopted: str, paragraphs: list[str]) -> str:
    """An adopted General Assembly resolution, cover lines apart, its operative paragraphs as given
    ("3. Requests …": a paragraph keeps the number it has in the resolution)."""
    session = number.split("/")[0]
    head = [f"United Nations\tA/RES/{number}", f"General Assembly\tDistr.: General\n{adopted}",
            "Seventy-fourth session", f"Resolution adopted by the General Assembly on {adopted}",
            f"{number}. {title}", "The General Assembly,"]
    assert session == "74"
    return "\n\n".join(head + paragraphs) + "\n"


def facts(text: str, name: str = "test.txt"):
    src = InMemorySource(name, text, "utf-8", "text/plain", hashlib.sha256(text.encode()).hexdigest())
    return extract_facts(parse_document(text), src, source_name=name)


RES_74_247 = resolution("74/247", "Countering the use of information and communications technologies for criminal purposes",
                        "27 December 2019", [
    "Recalling also the reports of the Group of Governmental Experts on Developments in the Field of Information and "
    "Telecommunications in the Context of International Security, which is of the view that States should consider "
    "how best to cooperate to prosecute the criminal use of information and communications technologies,",
    "1. Takes note of the report of the Secretary-General, which was prepared pursuant to resolution 73/187;",
    "2. Decides to establish an open-ended ad hoc intergovernmental committee of experts, representative of all "
    "regions, to elaborate a comprehensive international convention on countering the use of information and "
    "communications technologies for criminal purposes, taking into full consideration existing international "
    "instruments and efforts at the national, regional and international levels on combating the use of information "
    "and communications technologies for criminal purposes, in particular the work and outcomes of the open-ended "
    "intergovernmental Expert Group to Conduct a Comprehensive Study on Cybercrime;",
    "3. Also decides that the ad hoc committee shall convene a three-day organizational session in August 2020, in "
    "New York, in order to agree on an outline and modalities for its further activities, to be submitted to the "
    "General Assembly at its seventy-fifth session for its consideration and approval;",
    "4. Requests the Secretary General to allocate the necessary resources in order to organize and support the work "
    "of the ad hoc committee within the United Nations programme budget;",
    "5. Invites donor countries to provide assistance to the United Nations in ensuring the active engagement of "
    "developing countries in the work of the ad hoc committee, including by covering travel costs and accommodation "
    "expenses;",
    "6. Decides to examine the question at its seventy-fifth session under the item entitled “Countering the use of "
    "information and communications technologies for criminal purposes”.",
])
GA_74_247 = ActKey("ga", "resolution", "74/247")
AD_HOC = "ga-74-247-ad-hoc-committee"
# The committee of 74/247 is in the reference data now (id:body/ahc-cybercrime, with the words that
# established it among its names): its establishment is that node's. To test minting, the same act
# establishes a committee on a subject no reference row names.
KNOWN_AD_HOC = "ahc-cybercrime"
RES_MINT = RES_74_247.replace("countering the use of information and communications technologies for criminal purposes, taking",
                              "countering trafficking in cultural property, taking")

_TITLE_74_176 = "Improving the coordination of efforts against trafficking in persons"
# runs of consecutive paragraphs of 74/176 (the structure reads a numbered run, not a gap in it)
RES_74_176 = [resolution("74/176", _TITLE_74_176, "18 December 2019", run) for run in (
    ["5. Requests the Secretary-General and the President of the General Assembly, in close cooperation and "
     "coordination with Member States, to take all appropriate measures to arrange the high-level meeting;"],
    ["9. Encourages the United Nations Office on Drugs and Crime to cooperate with relevant international "
     "organizations outside the United Nations system and to invite such organizations and interested Member States "
     "to participate, when appropriate, in the meetings of the Inter-Agency Coordination Group against Trafficking in "
     "Persons;"],
    ["14. Invites the United Nations Office on Drugs and Crime, in its capacity as coordinator of the Inter-Agency "
     "Coordination Group, and other relevant agencies of the United Nations system to further strengthen their "
     "activities related to the implementation of relevant international instruments;"],
    ["24. Requests the United Nations Office on Drugs and Crime, in its capacity as fund manager of the United Nations "
     "voluntary trust fund for victims of trafficking in persons, especially women and children, to continue to "
     "encourage contributions by States and all other relevant stakeholders to the trust fund;",
     "25. Welcomes the biennial publication of the Global Report on Trafficking in Persons, prepared by the United "
     "Nations Office on Drugs and Crime, looks forward to the next such report, to be produced by the Office in 2020, "
     "pursuant to the Global Plan of Action, and encourages Member States to provide to the Office evidence-based data "
     "on patterns, flows and forms of trafficking in persons, including for the purpose of the removal of organs;",
     "26. Requests the Secretary-General to submit a report on the implementation of the present resolution to the "
     "General Assembly at its seventy-sixth session, including recommendations on measures to bring greater urgency "
     "to and improve the coordination of efforts against trafficking in persons."],
)]
GA_74_176 = ActKey("ga", "resolution", "74/176")


def events_of(f):
    return {(e.evidence.paragraph, e.holder, e.event_type, e.kind) for e in f.mandate_events}


def test_the_phrase_table_reads_and_knows_its_values():
    table = mandate_phrases.phrases()
    assert len(table) > 100  # present and past tense of every row
    assert {p.event for p in table} == set(mandate_phrases.EVENT_TYPES)
    assert {p.kind for p in table} <= set(mandate_phrases.KINDS)


def test_74_247_establishes_the_ad_hoc_committee_the_reference_data_knows():
    f = facts(RES_74_247)
    est = [e for e in f.mandate_events if e.event_type == "Establishment"]
    # paragraph 2 establishes the committee; paragraph 3 decides that it "shall convene a three-day
    # organizational session in August 2020": a meeting the act sets up, not a second committee
    assert [(e.holder, e.act, e.evidence.paragraph, e.kind, e.due_date) for e in est] == [
        (KNOWN_AD_HOC, GA_74_247, "2", "body", None), (KNOWN_AD_HOC, GA_74_247, "3", "meeting", "2020-08")]
    assert not [b for b in f.established_bodies if b.establishing]  # nothing minted for a body we know


def test_an_act_establishing_a_body_not_yet_known_mints_it():
    f = facts(RES_MINT)
    est = [e for e in f.mandate_events if e.event_type == "Establishment"]
    # "the ad hoc committee shall convene …" in paragraph 3 is the minted committee's organizational session
    assert [(e.holder, e.act, e.evidence.paragraph, e.kind) for e in est] == [
        (AD_HOC, GA_74_247, "2", "body"), (AD_HOC, GA_74_247, "3", "meeting")]
    [body] = [b for b in f.established_bodies if b.establishing]
    assert body.key == AD_HOC and body.act == GA_74_247 and body.short == "ad hoc committee"
    assert body.label.startswith("open-ended ad hoc intergovernmental committee of experts, representative of all regions, "
                                 "to elaborate a comprehensive international convention")
    assert "taking into full consideration" not in body.label
    assert body.evidence.paragraph == "2"


def test_74_247_the_ad_hoc_committee_convenes_and_the_secretary_general_is_asked():
    f = facts(RES_74_247)
    got = events_of(f)
    assert (("3", KNOWN_AD_HOC, "Establishment", "meeting") in got)  # "shall convene …": decided, not asked
    p3 = next(e for e in f.mandate_events if e.evidence.paragraph == "3")
    assert (p3.due_date, p3.due_session, p3.holder_label) == ("2020-08", 75, "the ad hoc committee")
    p4 = next(e for e in f.mandate_events if e.evidence.paragraph == "4")
    assert (p4.holder, p4.event_type, p4.kind, p4.act, p4.act_paragraph) == \
        ("un-secretary-general", "Request", "task", GA_74_247, "4")
    assert p4.description.startswith("Requests the Secretary General to allocate the necessary resources")
    # paragraph 5 invites donor countries: nothing; paragraph 6 keeps the question on the agenda
    assert not any(e.evidence.paragraph == "5" for e in f.mandate_events)
    p6 = next(e for e in f.mandate_events if e.evidence.paragraph == "6")
    assert (p6.holder, p6.event_type, p6.kind, p6.due_session) == ("ga", "Continuation", "agenda-item", 75)


def test_74_247_acknowledges_the_report_made_pursuant_to_its_earlier_act():
    f = facts(RES_74_247)
    # "Takes note of the report of the Secretary-General, which was prepared pursuant to resolution 73/187":
    # 74/247 acknowledges what the Secretary-General delivered under 73/187 (a bare "resolution 73/187"
    # in the Assembly's own text is the Assembly's); the resolution itself is no report made pursuant to anything
    [e] = [e for e in f.mandate_events if e.event_type == "Fulfilment"]
    assert (e.holder, e.act, e.act_paragraph, e.kind, e.fulfils) == \
        ("un-secretary-general", GA_74_247, "1", "reporting", ActKey("ga", "resolution", "73/187"))
    assert f.pursuant_to == []


def test_a_report_acknowledged_without_its_origin_is_still_the_acts_acknowledgement():
    text = RES_74_247.replace(", which was prepared pursuant to resolution 73/187", "")
    [e] = [e for e in facts(text).mandate_events if e.event_type == "Fulfilment"]
    assert (e.holder, e.act, e.fulfils) == ("un-secretary-general", GA_74_247, None)


def test_74_247_nothing_else_is_established_and_the_preamble_holds_no_event():
    f = facts(RES_74_247)
    assert [e for e in f.mandate_events if e.evidence.paragraph.startswith("pp")] == []
    assert {e.holder for e in f.mandate_events if e.event_type == "Establishment"} == {KNOWN_AD_HOC}


def test_74_176_requests_and_what_is_not_a_request():
    texts = [facts(t) for t in RES_74_176]
    got = set().union(*(events_of(f) for f in texts))
    assert got == {("5", "un-secretary-general", "Request", "task"), ("5", "pga", "Request", "task"),
                   ("24", "unodc", "Request", "task"),
                   # "Welcomes the biennial publication of the Global Report …, prepared by the United Nations
                   # Office on Drugs and Crime": what the Office delivered, acknowledged by the act
                   ("25", "unodc", "Fulfilment", "reporting"),
                   ("26", "un-secretary-general", "Request", "reporting")}
    p26 = next(e for f in texts for e in f.mandate_events if e.evidence.paragraph == "26")
    assert p26.due_session == 76 and p26.act == GA_74_176
    # the President of the General Assembly is an office of the reference data (id:body/pga), asked beside
    # the Secretary-General; the words that name no body of ours are reported, not guessed
    assert not any(u.kind == "body" and u.text.startswith("the President of the General Assembly")
                   for u in texts[0].unresolved)


def test_a_report_due_at_the_seventy_fifth_session():
    text = resolution("74/125", "Follow-up to the Second World Assembly on Ageing", "18 December 2019", [
        "55. Requests the Secretary-General to submit to the General Assembly at its seventy-fifth session a report "
        "on the implementation of the present resolution."])
    [e] = facts(text).mandate_events
    assert (e.holder, e.event_type, e.kind, e.due_session, e.act_paragraph) == \
        ("un-secretary-general", "Request", "reporting", 75, "55")
    assert e.description == ("Requests the Secretary-General to submit to the General Assembly at its seventy-fifth "
                             "session a report on the implementation of the present resolution")


def test_an_item_on_the_provisional_agenda_of_the_seventy_fifth_session():
    text = resolution("74/181", "Criminal accountability of United Nations officials and experts on mission",
                      "18 December 2019", [
        "33. Decides to include in the provisional agenda of its seventy-fifth session the item entitled “Criminal "
        "accountability of United Nations officials and experts on mission”."])
    [e] = facts(text).mandate_events
    assert (e.holder, e.event_type, e.kind, e.due_session) == ("ga", "Continuation", "agenda-item", 75)
    assert "Criminal accountability of United Nations officials" in e.description


def test_requests_to_member_states_are_not_mandates():
    text = resolution("74/160", "Protection of and assistance to internally displaced persons", "18 December 2019", [
        "9. Requests Member States to strengthen their efforts to ensure the protection of and better assistance to "
        "internally displaced persons, in particular to address the challenges of protracted displacement;"])
    f = facts(text)
    assert f.mandate_events == [] and [u for u in f.unresolved if u.kind == "body"] == []


def test_an_extension_for_a_holder_we_do_not_know_is_reported_not_guessed():
    text = resolution("74/83", "Assistance to Palestine refugees", "13 December 2019", [
        "7. Decides to extend the mandate of the Agency until 30 June 2023, without prejudice to the provisions of "
        "paragraph 11 of General Assembly resolution 194 (III)."])
    f = facts(text)
    assert f.mandate_events == []
    assert [u.text for u in f.unresolved if u.kind == "body"] == ["the Agency"]


def test_a_special_procedure_extended_in_un_style():
    # written for this test in the drafting of the Human Rights Council's and the Assembly's extensions
    text = resolution("74/999", "Trafficking in persons, especially women and children", "18 December 2019", [
        "3. Decides to extend the mandate of the Special Rapporteur on trafficking in persons, especially women and "
        "children, for a period of three years;"])
    [e] = facts(text).mandate_events
    assert (e.holder, e.event_type, e.kind) == ("sr-tip", "Extension", "special-procedure")


def test_a_later_document_names_the_ad_hoc_committee_by_its_act():
    # written for this test: a later resolution's words about the committee of 74/247
    text = resolution("74/998", "Countering the use of information and communications technologies", "1 June 2020", [
        "1. Requests the Ad Hoc Committee established by General Assembly resolution 74/247 to take into account "
        "the views of Member States;",
        "2. Requests the Committee to report to the General Assembly;"])
    f = facts(text)
    # "the Committee" after the one committee the text names in full is that committee (UN drafting)
    assert {(e.evidence.paragraph, e.holder, e.event_type) for e in f.mandate_events} == \
        {("1", KNOWN_AD_HOC, "Request"), ("2", KNOWN_AD_HOC, "Request")}
    # the reference data names the committee so; a committee it does not know is named by its act and minted
    other = facts(text.replace("General Assembly resolution 74/247", "General Assembly resolution 74/246"))
    assert [b.key for b in other.established_bodies] == ["ga-74-246-ad-hoc-committee"]
    assert not other.established_bodies[0].establishing
    # with no committee named in full, "the Committee" is no committee we can tell
    alone = facts(text.replace("Requests the Ad Hoc Committee established by General Assembly resolution 74/247",
                               "Requests the Secretary-General"))
    assert any(u.text == "the Committee" for u in alone.unresolved)


def test_a_draft_proposes_and_establishes_nothing():
    text = RES_74_247.replace("Resolution adopted by the General Assembly on 27 December 2019",
                              "Russian Federation: draft resolution")  # a draft's cover line in UN layout
    f = facts(text)
    assert all(e.event_type == "Proposal" for e in f.mandate_events) and f.established_bodies == []


# -- the graph --------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def triples_74_247():
    return facts_triples(facts(RES_MINT))[1]


def test_a_request_is_not_the_secretary_generals_mandate_being_established(triples_74_247):
    standing = ids.mandate("un-secretary-general")
    assert not any(s == standing and p in (UKG.establishedBy, UKG.continuedBy) for s, p, o in triples_74_247)
    task = ids.act_mandate("un-secretary-general", GA_74_247, "task")
    assert (task, UKG.mandateKind, UKG.TaskMandate) in triples_74_247
    event = ids.act_mandate_event(task, "Request", "4")
    assert (event, UKG.eventType, UKG.Request) in triples_74_247 and (event, UKG.mandate, task) in triples_74_247


def test_the_minted_committee_in_the_graph(triples_74_247):
    node = URIRef("https://w3id.org/untoc-kg/id/body/ga-74-247-ad-hoc-committee")
    assert ids.established_body(AD_HOC) == node
    assert (node, RDF.type, UKG.Body) in triples_74_247
    assert any(s == node and p == RDFS.label for s, p, o in triples_74_247)
    mandate = ids.mandate(AD_HOC)
    assert (mandate, UKG.establishedBy, ids.act(GA_74_247)) in triples_74_247
    assert (mandate, UKG.mandateKind, UKG.BodyMandate) in triples_74_247
    meeting = ids.act_mandate(AD_HOC, GA_74_247, "meeting")
    dues = {(p, str(o)) for s, p, o in triples_74_247 if s == ids.act_mandate_event(meeting, "Establishment", "3")
            and p in (UKG.dueSession, UKG.dueDate)}
    assert dues == {(UKG.dueSession, "75"), (UKG.dueDate, "2020-08")}


def test_the_graph_conforms_to_the_shapes(triples_74_247):
    from rdflib import Graph

    from kg.reference import reference_triples
    from kg.validate import validate

    g = Graph()
    for t in triples_74_247:
        g.add(t)
    for t in reference_triples():
        g.add(t[:3])
    report = validate(g)
    assert report.conforms, report


def test_establishing_a_known_body_whose_name_has_no_kind_word_does_not_break_the_act():
    # a known body with no "committee"/"group" in its name has no short name to carry through the act
    text = resolution("74/999", "Test", "1 June 2020", [
        "1. Decides to establish the United Nations Office on Drugs and Crime;",
        "2. Requests the Office to report to the General Assembly at its seventy-fifth session;"])
    f = facts(text)
    assert ("1", "unodc", "Establishment", "body") in events_of(f)


# -- paragraphs of 74/143, 74/177, 74/178, 74/206 and 74/175, copied as the UN wrote them ----------------------

RES_PART_B = resolution("74/178", "International cooperation to address and counter the world drug problem",
                        "18 December 2019", [
    "1.\tRequests the Secretary-General to continue to transmit to all States the appeals of the General Assembly for "
    "contributions to the Funds, and to submit to the General Assembly at its seventy-fifth session a report on the "
    "operations of the Funds;",
    "2.\tRequests the Secretary-General to continue to consider the matter and to report to the General Assembly at "
    "its seventy-fifth session on the implementation of the present resolution;",
    "3.\tRecognizes the efforts made by the United Nations Office on Drugs and Crime to assist Member States in "
    "developing their abilities to prevent and combat kidnapping, and requests the Office to continue to provide "
    "technical assistance, upon request;",
    "4.\tTakes note of the report of the Secretary-General, and requests that he submit to the General Assembly at "
    "its seventy-fifth session a report on the implementation of the present resolution.",
    "5.\tRequests the secretariat of the United Nations Conference on Trade and Development, in consultation with "
    "relevant entities of the United Nations system, to inform the General Assembly at its seventy-fifth session of "
    "the implementation of the present resolution;",
    "6.\tWelcomes the Practical Guide for Requesting Electronic Evidence Across Borders developed by the United "
    "Nations Office on Drugs and Crime;",
    "7.\tTakes note of the resolutions adopted by the Commission on Narcotic Drugs at its sixty-second session;",
])


def test_part_b_one_request_two_mandates_and_the_holders_a_reader_would_name():
    f = facts(RES_PART_B)
    got = {(e.evidence.paragraph, e.holder, e.event_type, e.kind, e.due_session) for e in f.mandate_events}
    # the secretariat of a body: the body's mandate, the words kept, due at the seventy-fifth session
    # ("to inform the General Assembly … of the implementation": the loaders read it as a task, not yet a report)
    assert {(p, h, t, d) for p, h, t, _, d in got if p == "5"} == {("5", "unctad", "Request", 75)}
    got = {g for g in got if g[0] != "5"}
    assert got == {
        # a task and a report, each its own mandate, the report due at the seventy-fifth session
        ("1", "un-secretary-general", "Request", "task", None),
        ("1", "un-secretary-general", "Request", "reporting", 75),
        # "to continue to consider the matter" only makes the report: one mandate
        ("2", "un-secretary-general", "Request", "reporting", 75),
        # "the Office" is the one office the paragraph named before it
        ("3", "unodc", "Request", "task", None),
        # "he" is the person the paragraph named last
        ("4", "un-secretary-general", "Fulfilment", "reporting", None),
        ("4", "un-secretary-general", "Request", "reporting", 75),
        # a delivery that is not a report
        ("6", "unodc", "Fulfilment", "task", None),
        # paragraph 7: a body's own resolutions are its acts, not a delivery
    }
    labels = {e.evidence.paragraph: e.holder_label for e in f.mandate_events if e.event_type == "Request"}
    assert labels["4"] == "he" and labels["5"].startswith("the secretariat of the United Nations Conference")
