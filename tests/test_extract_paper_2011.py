"""Facts of the background paper for the Working Group's meeting of October 2011 (004)."""

from datetime import date

from loaders.facts import ActKey, MeetingKey

from .seeds import PAPER_2011, facts

F = facts(PAPER_2011)
D44 = ActKey("untoc-cop", "decision", "4/4")
R52 = ActKey("untoc-cop", "resolution", "5/2")


def test_the_document():
    d = F.document
    assert d.symbol is None and d.agenda_symbol == "CTOC/COP/WG.4/2011/1"
    assert d.title == "Proposed areas for future work"
    assert d.agenda_item == "6" and d.agenda_item_title == "Proposed areas for future work"
    assert d.kind == "background-paper"
    assert d.issued == date(2011, 8, 2) and d.distribution == "General"


def test_the_meeting_it_is_for_is_the_working_groups():
    assert F.meeting == MeetingKey("wg-tip", date(2011, 10, 10))
    assert F.meetings[0].end == date(2011, 10, 12) and F.meetings[0].venue == "Vienna"


def test_lineage_decision_4_4_established_and_resolution_5_2_continued():
    events = {(e.holder, e.event_type, e.act, e.evidence.paragraph) for e in F.mandate_events}
    # para. 2 also assigns a task: "present its recommendations to the Conference"
    assert events == {("wg-tip", "Establishment", D44, "1"), ("wg-tip", "Continuation", R52, "2"),
                      ("wg-tip", "Request", R52, "2")}
    est = next(e for e in F.mandate_events if e.event_type == "Establishment")
    assert "decided to establish an open-ended interim working group" in est.evidence.quote
    assert "decision 4/4" in est.evidence.quote


def test_whether_it_should_be_extended_is_not_an_extension():
    assert not any(e.event_type == "Extension" for e in F.mandate_events)


def test_earlier_sessions_with_their_numbers():
    sessions = {(m.key.start, m.end, m.session_number, m.venue) for m in F.meetings
                if m.key.body == "wg-tip" and m.evidence.paragraph == "3"}
    assert sessions == {(date(2009, 4, 14), date(2009, 4, 15), 1, "Vienna"),
                        (date(2010, 1, 27), date(2010, 1, 29), 2, "Vienna"),
                        (date(2010, 10, 19), date(2010, 10, 19), 3, "Vienna")}


def test_meetings_of_the_extended_bureau():
    bureau = {m.key.start for m in F.meetings if m.key.body == "untoc-cop-bureau"}
    assert bureau == {date(2011, 3, 7), date(2011, 6, 29)}


def test_references():
    assert {(r.act, r.evidence.paragraph) for r in F.act_references} == {
        (D44, "1"), (R52, "2"), (R52, "fn4"), (ActKey("ga", "resolution", "64/293"), "fn5")}
    assert [r.symbol for r in F.document_references] == [
        "CTOC/COP/WG.4/2009/2", "CTOC/COP/WG.4/2010/6", "CTOC/COP/WG.4/2010/7", "CTOC/COP/2010/17"]


def test_no_act_is_dated_by_a_sentence_that_names_no_number():
    # paragraph 12 dates the Global Plan's adoption "on 12 August 2010"; resolution 64/293 is dated elsewhere
    assert F.acts == []


def test_the_paper_is_for_the_fourth_session():
    # para. 4: "to aid in the discussion of the fourth session of the working group"
    assert any(m.key == MeetingKey("wg-tip", date(2011, 10, 10)) and m.session_number == 4 and m.evidence.paragraph == "4"
               for m in F.meetings)
