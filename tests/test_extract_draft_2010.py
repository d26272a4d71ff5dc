"""Facts of the United States draft decision to the fifth session (002): read from the document.

A draft proposes; it adopts nothing. Its operative paragraphs are proposals by its sponsor.
"""

from datetime import date

from loaders.facts import ActKey, EntityRef, MeetingKey

from .seeds import DRAFT_2010, facts

F = facts(DRAFT_2010)


def test_the_document():
    d = F.document
    assert d.symbol is None  # not stated in the document; CTOC/COP/2010/1 is the agenda's symbol
    assert d.agenda_symbol == "CTOC/COP/2010/1"
    assert d.title == "Trafficking in persons"
    assert d.kind == "draft-decision"
    assert d.distribution == "Limited" and d.issued == date(2010, 10, 12)
    assert d.body == "untoc-cop" and d.session_number == 5 and d.agenda_item == "2 (b)"


def test_the_fifth_session():
    assert F.meeting == MeetingKey("untoc-cop", date(2010, 10, 18))
    own = F.meetings[0]
    assert (own.end, own.venue, own.session_number) == (date(2010, 10, 22), "Vienna", 5)


def test_sponsor_and_kind_of_the_draft():
    assert F.draft.kind == "decision"
    assert F.draft.sponsors == (EntityRef("state", "USA"),)
    assert F.draft.body == "untoc-cop"


def test_the_draft_adopts_nothing():
    assert all(e.act is None and e.event_type == "Proposal" for e in F.mandate_events)
    assert F.pursuant_to == []


def test_proposals_of_the_operative_paragraphs():
    proposals = {(e.evidence.paragraph, e.holder) for e in F.mandate_events}
    assert proposals == {("6", "cop-secretariat"), ("7", "wg-tip"), ("8", "wg-tip"), ("9", "cop-secretariat"),
                         ("10", "cop-secretariat"), ("11", "wg-tip")}
    p7 = next(e for e in F.mandate_events if e.evidence.paragraph == "7")
    assert "continue to perform the functions set forth in Conference decision 4/4" in p7.evidence.quote


def test_acts_it_recalls_and_cites():
    recalled = {r.act for r in F.act_references if r.recalled}
    assert recalled == {ActKey("untoc-cop", "decision", "4/4"), ActKey("ga", "resolution", "61/144"),
                        ActKey("ga", "resolution", "61/180"), ActKey("ga", "resolution", "63/194"),
                        ActKey("ga", "resolution", "64/178"), ActKey("ga", "resolution", "64/293")}
    cited = {(r.act, r.evidence.paragraph) for r in F.act_references if not r.recalled}
    assert cited == {(ActKey("untoc-cop", "decision", "4/4"), "7")}
    dates = {a.key.number: a.date for a in F.acts}
    assert dates == {"61/144": date(2006, 12, 19), "61/180": date(2006, 12, 20), "63/194": date(2008, 12, 18),
                     "64/178": date(2009, 12, 18), "64/293": date(2010, 7, 30)}


def test_documents_and_treaty_series():
    assert [r.symbol for r in F.document_references] == ["CTOC/COP/2010/6"]
    assert [(t.volume, t.number, t.instrument) for t in F.treaty_series] == [
        (2225, 39574, "untoc"), (2237, 39574, "tip-protocol"), (2225, 39574, "untoc"), (2237, 39574, "tip-protocol")]


def test_instruments_named_by_any_of_their_names():
    named = {r.instrument for r in F.instrument_references}
    assert named == {"untoc", "tip-protocol"}
    quotes = {r.evidence.quote for r in F.instrument_references if r.instrument == "untoc"}
    assert "Organized Crime Convention" in quotes


def test_meetings_of_the_working_group_it_names():
    wg = {(m.key.start, m.end) for m in F.meetings if m.key.body == "wg-tip"}
    assert wg == {(date(2009, 4, 14), date(2009, 4, 15)), (date(2010, 1, 27), date(2010, 1, 29))}


def test_a_draft_states_no_ties_between_agencies():
    assert F.roles == [] and F.agreements == [] and F.joint_programmes == []
