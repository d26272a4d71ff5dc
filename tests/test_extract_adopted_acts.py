"""Documents beyond the seeds: the text of an adopted resolution, and report sentences in other words.

The texts below are written for these tests in the layout of UN documents (they quote no real
document); they check that the rules follow UN drafting, not the seeds' exact sentences.
"""

import hashlib
from datetime import date

from loaders.extract import extract_facts
from loaders.facts import ActKey
from loaders.structure import parse_document

from .seeds import InMemorySource

GA_RESOLUTION = """United Nations\tA/RES/99/123

General Assembly\tDistr.: General
4 January 2099

Ninety-ninth session
Agenda item 107

Resolution adopted by the General Assembly on 18 December 2098

[on the report of the Third Committee (A/99/456)]

99/123. Strengthening cooperation against trafficking in persons

The General Assembly,

Recalling its resolution 64/293 of 30 July 2010 and decision 4/4 of the Conference of the Parties to the United Nations Convention against Transnational Organized Crime,

Noting with appreciation the work of the Inter-Agency Coordination Group against Trafficking in Persons,

1. Decides that the Working Group on Trafficking in Persons should continue to perform the functions set forth in Conference decision 4/4;

2. Decides to establish an open-ended intergovernmental expert working group on trafficking in persons, to report to the Conference;

3. Requests the Secretary-General to submit to it at its one hundredth session a report on the implementation of the present resolution;

4. Decides to remain seized of the matter.
"""


def _facts(text: str, name: str = "test.txt"):
    src = InMemorySource(name, text, "utf-8", "text/plain", hashlib.sha256(text.encode()).hexdigest())
    return extract_facts(parse_document(text), src, source_name=name)


def test_the_resolution_is_read_as_the_act_it_is():
    f = _facts(GA_RESOLUTION)
    own = ActKey("ga", "resolution", "99/123")
    assert f.document.symbol == "A/RES/99/123"
    assert f.document.kind == "resolution"
    assert f.document.title == "Strengthening cooperation against trafficking in persons"
    assert f.document.session_number == 99 and f.document.agenda_item == "107"
    assert f.own_act == own
    act = next(a for a in f.acts if a.key == own)
    assert act.date == date(2098, 12, 18)


def test_an_adopted_act_decides_even_where_it_cites_another_act():
    f = _facts(GA_RESOLUTION)
    own = ActKey("ga", "resolution", "99/123")
    events = {(e.holder, e.event_type, e.act, e.evidence.paragraph) for e in f.mandate_events}
    assert ("wg-tip", "Continuation", own, "1") in events
    assert ("un-secretary-general", "Request", own, "3") in events
    # the continuation is not decision 4/4's, although paragraph 1 names it
    assert not any(e.act == ActKey("untoc-cop", "decision", "4/4") for e in f.mandate_events)
    # paragraph 2 sets up a working group that has no name of its own: it is no known body, so nothing is said
    assert not any(e.evidence.paragraph == "2" for e in f.mandate_events)


def test_preambular_references_are_recalled():
    f = _facts(GA_RESOLUTION)
    recalled = {r.act for r in f.act_references if r.recalled}
    assert recalled == {ActKey("ga", "resolution", "64/293"), ActKey("untoc-cop", "decision", "4/4")}


REPORT = """Conference of the Parties to the United Nations Convention against Transnational Organized Crime

Distr.: General
1 August 2099

Original: English

Working Group on Trafficking in Persons

Vienna, 1-3 October 2099

Item 2 of the provisional agenda*

Something to discuss

Note by the Secretariat

I. Introduction

1. In its resolution 7/1, the Conference requested the Secretariat to continue to assist the Working Group. In the same resolution, the Conference decided that the Working Group on Trafficking in Persons should hold at least one intersessional meeting.

2. In resolution 9/3, the Conference decided to extend the mandate of the Working Group on Trafficking in Persons. The Conference had earlier considered whether the working group should be extended.

3. In its resolution 11/2, the Conference decided to terminate the mandate of the Working Group on Firearms.

4. Resolution 88/12 was mentioned by a delegation, and decision 3/2 of another body.

* CTOC/COP/WG.4/2099/1.
"""


def test_report_sentences_in_other_words():
    f = _facts(REPORT)
    events = {(e.holder, e.event_type, e.act.number) for e in f.mandate_events}
    assert ("cop-secretariat", "Request", "7/1") in events
    assert ("wg-tip", "Continuation", "7/1") in events  # "In the same resolution, the Conference decided …"
    assert ("wg-tip", "Extension", "9/3") in events
    assert ("wg-firearms", "Termination", "11/2") in events
    assert len([e for e in f.mandate_events if e.event_type == "Extension"]) == 1


def test_an_act_whose_body_cannot_be_told_is_reported_not_guessed():
    f = _facts(REPORT)
    assert not any(r.act.number == "88/12" for r in f.act_references)
    assert any(u.kind == "act" and "88/12" in u.text for u in f.unresolved)


ECOSOC_RESOLUTION = """United Nations\tE/RES/2098/7

Economic and Social Council\tDistr.: General
9 August 2098

Resolution adopted by the Economic and Social Council on 21 July 2098

[on the recommendation of the Commission on Crime Prevention and Criminal Justice (E/2098/30)]

2098/7. Strengthening international cooperation against the smuggling of migrants

The Economic and Social Council,

Recalling its resolution 2097/19 and General Assembly resolution 98/12 of 1 December 2097,

1. Requests the United Nations Office on Drugs and Crime to continue to assist States, upon request;

2. Requests the Secretary-General to report to the Commission on Crime Prevention and Criminal Justice at its one hundred and tenth session.
"""


def test_an_ecosoc_resolution_numbered_by_year():
    f = _facts(ECOSOC_RESOLUTION)
    own = ActKey("ecosoc", "resolution", "2098/7")
    assert f.own_act == own and f.document.symbol == "E/RES/2098/7"
    recalled = {r.act for r in f.act_references if r.recalled}
    assert recalled == {ActKey("ecosoc", "resolution", "2097/19"), ActKey("ga", "resolution", "98/12")}
    events = {(e.holder, e.event_type, e.act) for e in f.mandate_events}
    assert events == {("unodc", "Request", own), ("un-secretary-general", "Request", own)}


SOM_REPORT = """Conference of the Parties to the United Nations Convention against Transnational Organized Crime

Distr.: General
20 November 2099

Original: English

Report on the meeting of the Working Group on the Smuggling of Migrants held in Vienna from 11 to 13 November 2099

I. Introduction

1. In its decision 95/3, the Conference decided to establish an open-ended interim working group on the smuggling of migrants, to be chaired by a member of the Bureau.
"""


def test_a_working_group_named_in_lower_case_when_it_was_established():
    f = _facts(SOM_REPORT)
    assert {(e.holder, e.event_type, e.act) for e in f.mandate_events} == {
        ("wg-som", "Establishment", ActKey("untoc-cop", "decision", "95/3"))}
    assert f.meeting is not None and f.meeting.body == "wg-som"


SESSION_REPORT = """Conference of the Parties to the United Nations Convention against Transnational Organized Crime

Distr.: General
1 December 2097

Original: English

Report of the Conference of the Parties to the United Nations Convention against Transnational Organized Crime on its ninety-sixth session, held in Vienna from 14 to 18 October 2097

I. Resolutions and decisions adopted by the Conference

Resolution 96/1

Continuing the work against trafficking in persons

The Conference of the Parties to the United Nations Convention against Transnational Organized Crime,

Recalling its decision 4/4,

1. Decides that the Working Group on Trafficking in Persons shall continue its work;

2. Requests the Secretariat to assist the Working Group;

Decision 96/2

Smuggling of migrants

The Conference of the Parties to the United Nations Convention against Transnational Organized Crime,

1. Decides to extend the mandate of the Working Group on the Smuggling of Migrants;

II. Introduction

1. The ninety-sixth session of the Conference was held in Vienna from 14 to 18 October 2097.

2. Statements were made by the representatives of Austria and Mexico.
"""


def test_the_acts_inside_a_session_report():
    f = _facts(SESSION_REPORT)
    r1, d2 = ActKey("untoc-cop", "resolution", "96/1"), ActKey("untoc-cop", "decision", "96/2")
    events = {(e.holder, e.event_type, e.act, e.evidence.paragraph) for e in f.mandate_events}
    assert events == {("wg-tip", "Continuation", r1, "r96-1-1"), ("cop-secretariat", "Request", r1, "r96-1-2"),
                      ("wg-som", "Extension", d2, "d96-2-1")}
    titles = {a.key: a.title for a in f.acts if a.title}
    assert titles == {r1: "Continuing the work against trafficking in persons", d2: "Smuggling of migrants"}
    # the report's own paragraphs, numbered from 1 after the acts, are not the acts' paragraphs
    structure_numbers = [p.key for p in parse_document(SESSION_REPORT).paragraphs if p.kind == "numbered"]
    assert structure_numbers == ["1", "2"]
    assert {r.act for r in f.act_references if r.recalled} == {ActKey("untoc-cop", "decision", "4/4")}


def test_the_session_a_session_report_is_about():
    from loaders.facts import MeetingKey

    f = _facts(SESSION_REPORT)
    assert f.meeting == MeetingKey("untoc-cop", date(2097, 10, 14))
    own = f.meetings[0]
    assert (own.end, own.venue, own.session_number) == (date(2097, 10, 18), "Vienna", 96)


ATTENDANCE = """Conference of the Parties to the United Nations Convention against Transnational Organized Crime

Distr.: General
1 December 2097

Original: English

Report of the Conference of the Parties to the United Nations Convention against Transnational Organized Crime on its ninety-sixth session, held in Vienna from 14 to 18 October 2097

I. Organization of the session

1. The following States parties to the Convention were represented at the session: Côte d’Ivoire, Czechia, Democratic People’s Republic of Korea, Türkiye and United Republic of Tanzania.

2. The following States not parties to the Convention were represented by observers: Holy See and Somalia.

3. The following non-governmental organizations were represented by observers: Friends of the Earth Rotary Club and Lawyers Without Borders.
"""


def test_attendance_with_todays_names_and_a_name_we_do_not_know():
    f = _facts(ATTENDANCE)
    got = {(p.participant.key, p.capacity) for p in f.participations}
    assert got == {("CIV", "StateParty"), ("CZE", "StateParty"), ("PRK", "StateParty"), ("TUR", "StateParty"),
                   ("TZA", "StateParty"), ("VAT", "ObserverState"), ("SOM", "ObserverState"),
                   ("lwb", "OtherObserver")}
    # an organization the gazetteer does not know is reported, not dropped and not guessed
    assert [u.text for u in f.unresolved] == ["Friends of the Earth Rotary Club"]
