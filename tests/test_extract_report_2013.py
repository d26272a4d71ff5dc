"""Facts of the report on the Working Group's meeting of 6-8 November 2013 (003): read from the document."""

from collections import Counter
from datetime import date

from loaders.facts import ActKey, EntityRef, MeetingKey

from .seeds import REPORT_2013, facts

F = facts(REPORT_2013)
MEETING = MeetingKey("wg-tip", date(2013, 11, 6))


def test_the_document_and_its_meeting():
    d = F.document
    assert d.symbol is None and d.agenda_symbol is None
    assert d.kind == "report" and d.issued == date(2013, 11, 26) and d.distribution == "Limited"
    assert F.meeting == MEETING
    m = F.meetings[0]
    assert (m.end, m.venue) == (date(2013, 11, 8), "Vienna")
    assert any(x.meetings_held == 6 for x in F.meetings if x.key == MEETING)


def test_lineage_4_4_established_and_6_1_continued():
    events = {(e.holder, e.event_type, e.act, e.evidence.paragraph) for e in F.mandate_events}
    assert events == {("wg-tip", "Establishment", ActKey("untoc-cop", "decision", "4/4"), "1"),
                      ("wg-tip", "Continuation", ActKey("untoc-cop", "resolution", "6/1"), "2")}
    cont = next(e for e in F.mandate_events if e.event_type == "Continuation")
    assert "the mandates for the Working Group on Trafficking in Persons should be continued" in cont.evidence.quote


def test_resolution_6_1_has_its_title():
    act = next(a for a in F.acts if a.key.number == "6/1")
    assert act.title == ("Ensuring effective implementation of the United Nations Convention against Transnational "
                         "Organized Crime and the Protocols thereto")


def test_previous_meetings():
    prev = {(m.key.start, m.end) for m in F.meetings if m.evidence.paragraph == "1"}
    assert prev == {(date(2009, 4, 14), date(2009, 4, 15)), (date(2010, 1, 27), date(2010, 1, 29)),
                    (date(2010, 10, 19), date(2010, 10, 19)), (date(2011, 10, 10), date(2011, 10, 12))}


def test_chair_and_panellists():
    chair = [r for r in F.meeting_roles if r.role == "chair"]
    assert [(r.person.name, r.person.nationality) for r in chair] == [("Blanka Jamnišek", "SVN")]
    panel = [(r.person.name, r.person.nationality) for r in F.meeting_roles if r.role == "panellist"]
    assert panel == [("Venla Roth", "FIN"), ("Anne Gallagher", "AUS"), ("Chatchom Akapin", "THA"),
                     ("Polona Kovač", "SVN"), ("Sri Danti Anwar", "IDN"), ("Ana María Roldán Calderón", "ESP"),
                     ("Romulus Ungureanu", "ROU"), ("Verónica Feican", "ECU"), ("Nelly Montealegre Díaz", "MEX")]


def test_attendance_counts_per_capacity():
    counts = Counter(p.capacity for p in F.participations)
    assert counts == {"StateParty": 70, "RegionalOrganizationParty": 1, "Signatory": 4, "ObserverState": 6,
                      "NonMemberObserverState": 1, "UNEntityObserver": 3, "IntergovernmentalObserver": 8,
                      "OtherObserver": 1}
    assert all(p.meeting == MEETING for p in F.participations)
    assert F.unresolved == []


def test_attendance_by_name():
    by = {(p.participant.kind, p.participant.key): p.capacity for p in F.participations}
    assert by[("state", "BOL")] == "StateParty"
    assert by[("state", "CIV")] == "StateParty"
    assert by[("state", "VEN")] == "StateParty" and by[("state", "VNM")] == "StateParty"
    assert by[("state", "TUR")] == "StateParty" and by[("state", "MDA")] == "StateParty"
    assert {k for k, v in by.items() if v == "Signatory"} == {("state", "CZE"), ("state", "JPN"), ("state", "SLE"), ("state", "LKA")}
    assert {k for k, v in by.items() if v == "ObserverState"} == {
        ("state", "AFG"), ("state", "AGO"), ("state", "IRN"), ("state", "PAK"), ("state", "SGP"), ("state", "YEM")}
    assert by[("state", "PSE")] == "NonMemberObserverState"
    assert by[("body", "eu")] == "RegionalOrganizationParty"
    assert {k for k, v in by.items() if v == "UNEntityObserver"} == {("body", "ohchr"), ("body", "unicef"), ("body", "ilo")}
    assert {k for k, v in by.items() if v == "IntergovernmentalObserver"} == {
        ("body", "aalco"), ("body", "acp"), ("body", "eurojust"), ("body", "europol"), ("body", "icmpd"),
        ("body", "iom"), ("body", "oas"), ("body", "osce")}
    assert by[("body", "smom")] == "OtherObserver"


def test_china_listed_twice_is_one_speaker_under_items_2_to_7():
    p54 = [s for s in F.statements if s.evidence.paragraph == "54"]
    assert Counter(s.speaker for s in p54)[EntityRef("state", "CHN")] == 1
    assert len(p54) == 45  # 46 names, China twice
    assert all(s.agenda_items == ("2", "3", "4", "5", "6", "7") for s in p54)


def test_other_statements():
    speakers = {(s.speaker.key, s.evidence.paragraph) for s in F.statements}
    assert {("JPN", "55"), ("SGP", "55"), ("sr-tip", "56"), ("europol", "57"), ("oas", "57"), ("osce", "57")} <= speakers
    p51 = {s.speaker.key for s in F.statements if s.evidence.paragraph == "51"}
    assert p51 == {"CHE", "NOR", "eu", "ECU", "CHN", "VEN", "NIC", "CAN", "RUS", "FRA", "DEU", "DOM"}


def test_the_44_recommendations():
    recs = F.recommendations
    assert [r.number for r in recs] == [str(i) for i in range(5, 49)]
    by = {r.number: r for r in recs}
    assert by["5"].topic == "General recommendations" and by["5"].strength == "shall"
    assert by["5"].addressees == ("StatesParties",)
    assert by["6"].addressees[0] == EntityRef("body", "unodc") and by["6"].strength == "should"
    assert by["9"].addressees == ("States",) and by["9"].strength == "may"
    assert by["12"].strength == "encouraged"
    assert by["16"].topic.startswith("How to reduce demand")
    assert by["37"].addressees == ("StatesParties", EntityRef("body", "unodc"))
    assert by["42"].addressees == ("StatesParties",)
    assert by["44"].addressees == (EntityRef("body", "unodc"),)
    assert by["45"].addressees == (EntityRef("body", "cop-secretariat"),)
    assert by["47"].addressees == (EntityRef("body", "untoc-cop"),)
    assert by["48"].topic.startswith("Follow-up to the recommendations")
    assert all(r.meeting == MEETING for r in recs)


def test_documents_before_the_working_group():
    annex = [r for r in F.document_references if r.in_annex_list]
    assert [r.symbol for r in annex] == [
        "CTOC/COP/WG.4/2013/1", "CTOC/COP/WG.4/2013/2", "CTOC/COP/WG.4/2013/3", "CTOC/COP/WG.4/2013/4",
        "CTOC/COP/WG.4/2013/L.1", "CTOC/COP/WG.4/2013/INF/1/Rev.1", "CTOC/COP/WG.4/2009/2",
        "CTOC/COP/WG.4/2010/6", "CTOC/COP/WG.4/2010/7", "CTOC/COP/WG.4/2011/8"]
    assert annex[0].agenda_item == "1 (b)" and annex[0].title == "Provisional agenda and annotations"
    fn = next(r for r in F.document_references if r.evidence.paragraph == "fn1")
    assert fn.symbol == "CTOC/COP/WG.4/2011/8" and fn.locator.startswith("paras. 46-51")


def test_the_agenda_the_meeting_adopted():
    items = [(a.number, a.title) for a in F.agenda]
    assert items[:3] == [("1", "Organizational matters"), ("1 (a)", "Opening of the meeting"),
                         ("1 (b)", "Adoption of the agenda and organization of work")]
    assert [n for n, _ in items] == ["1", "1 (a)", "1 (b)", "2", "3", "4", "5", "6", "7"]
    assert items[-1] == ("7", "Adoption of the report")
    assert all(a.meeting == MEETING for a in F.agenda)
