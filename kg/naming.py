"""How text output names things: bodies, sessions, documents and paragraphs as a reader cites them.

A researcher reads "the Conference of the Parties at its fourth session, Vienna, 8-17 October 2008"
and "para. 2 of the report of the Working Group on Trafficking in Persons, 26 November 2013", not
`id:meeting/untoc-cop/2008-10-08` or a file name. The facts come from the graph (`queries/names.rq`,
one `Names` per IRI); these functions only put them into words, and fall back to the short IRI where
the graph says nothing, so that nothing is invented.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
          "October", "November", "December")


@dataclass(frozen=True)
class Names:
    """What the graph says to name one IRI by (any of it may be missing)."""

    iri: str
    label: str | None = None
    symbol: str | None = None
    issued: str | None = None
    document_kind: str | None = None
    venue: str | None = None
    start: str | None = None
    end: str | None = None
    session: int | None = None
    body: str | None = None  # a meeting's body
    meeting_body: str | None = None  # the body of the meeting a document was written for


def _parse(value: str | None) -> date | None:
    try:
        return date.fromisoformat(value[:10]) if value else None
    except ValueError:
        return None


def long_date(value: str | None) -> str | None:
    """2013-11-26 -> "26 November 2013" (the UN's own order); anything else as given."""
    day = _parse(value)
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}" if day else value


def date_range(start: str | None, end: str | None) -> str | None:
    """"8-17 October 2008", "30 September-2 October 2010", "28 December 2009-5 January 2010"."""
    first, last = _parse(start), _parse(end)
    if first is None:
        return long_date(end)
    if last is None or last == first:
        return long_date(start)
    if (first.year, first.month) == (last.year, last.month):
        return f"{first.day}-{last.day} {MONTHS[last.month - 1]} {last.year}"
    if first.year == last.year:
        return f"{first.day} {MONTHS[first.month - 1]}-{last.day} {MONTHS[last.month - 1]} {last.year}"
    return f"{long_date(start)}-{long_date(end)}"


def _ordinal(number: int) -> str:
    from .reference import ordinal

    try:
        return ordinal(number)
    except ValueError:
        return f"{number}th"


def meeting_phrase(meeting: Names, adopting_body: str | None = None) -> str:
    """Where an act was adopted: "its fourth session, Vienna, 8-17 October 2008" when the meeting is
    a numbered session of the adopting body, else the meeting's own name, venue and dates."""
    if meeting.session and meeting.body and adopting_body and meeting.body == adopting_body:
        head = f"its {_ordinal(int(meeting.session))} session"
    elif meeting.label:
        head = meeting.label
    elif meeting.body:
        head = f"the meeting of the {meeting.body}" if not meeting.body.lower().startswith("the ") \
            else f"the meeting of {meeting.body}"
    else:
        head = "a meeting"
    return ", ".join(x for x in (head, meeting.venue, date_range(meeting.start, meeting.end)) if x)


def document_phrase(document: Names, fallback: str) -> str:
    """A document as cited: its symbol and date ("A/RES/74/247, 20 January 2020"); failing a symbol,
    what it is and whose ("report of the Working Group on Trafficking in Persons, 26 November 2013");
    failing both, its title; failing that, `fallback` (its short IRI)."""
    when = long_date(document.issued)
    if document.symbol:
        head = document.symbol
    elif document.document_kind and document.meeting_body:
        head = f"the {document.document_kind.replace('-', ' ')} of the {document.meeting_body}"
    elif document.document_kind:
        head = f"a {document.document_kind.replace('-', ' ')}"
    elif document.label:
        return f"“{document.label}”" + (f", {when}" if when else "")
    else:
        return fallback
    return ", ".join(x for x in (head, when) if x)


__all__ = ["Names", "date_range", "document_phrase", "long_date", "meeting_phrase"]
