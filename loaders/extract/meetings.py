"""Meetings and sessions: the one a document is for or reports on, and those it says were held,
with venue, dates, session numbers, the number of meetings, the chair and the panellists."""

from __future__ import annotations

import re

from ..facts import AgendaItem, Evidence, Meeting, MeetingKey, MeetingRole, Person
from ..patterns import ORDINAL, find_date_ranges, ordinal_value
from ..structure import Paragraph, header_meeting_range
from .context import Context
from .triggers import Words

_HELD = re.compile(r"\b(?:were|was)\s+held\b|\bmeetings?\s+held\b|\bsessions?\s+held\b|\bheld\s+in\s+[A-Z]|\bmet\s+in\s+[A-Z]|\bheld\s+on\b")
_VENUE = re.compile(r"\b(?:in|at)\s+(?P<city>Vienna|New York|Geneva|Nairobi|Palermo|Doha|Bangkok|Salvador|Kyoto|Addis Ababa|Bonn|Rome|Paris)\b")
_NUMBER_WORDS = {w: i for i, w in enumerate(
    ["One", "Two", "Three", "Four", "Five", "Six", "Seven", "Eight", "Nine", "Ten", "Eleven", "Twelve",
     "Thirteen", "Fourteen", "Fifteen", "Sixteen"], start=1)}
_MEETINGS_HELD = re.compile(r"\b(?P<n>" + "|".join(_NUMBER_WORDS) + r"|\d{1,2})\s+meetings\s+were\s+held\b", re.I)
_CHAIR = re.compile(r"\bchaired\s+by\s+(?P<name>[A-Z][\w’'\-]+(?:\s+[A-Z][\w’'\-]+){0,4})\s+\((?P<state>[^)]+)\)")
_PANEL = re.compile(r"\bpanellists?:\s*(?P<list>.+?)(?:\.\s*$|\.\s+[A-Z])")
_PERSON = re.compile(r"(?P<name>[A-Z][\w’'\-]+(?:\s+[A-Z][\w’'\-]+){0,5})\s+\((?P<state>[^)]+)\)")
# "The present background paper was prepared … to aid in the discussion of the fourth session of the working group"
_OWN_SESSION = re.compile(rf"\b(?:present|this)\s+(?:background\s+paper|paper|report|note|document)\b[^.]*?\b"
                          rf"(?P<ordinal>{ORDINAL})\s+session\s+of\s+(?:the|this)\s+(?P<body>working\s+group|Working\s+Group|Conference)\b")
_OWN_SESSION_TITLE = re.compile(rf"\bon\s+its\s+(?P<ordinal>{ORDINAL})\s+(?:special\s+)?session\b")
# _HELD (case-sensitive) needs "held" or "met" as written: a paragraph without either says no meeting
# was held, and is not split into sentences
_HELD_TRIGGER = Words("held", "met")
# _MEETINGS_HELD, _CHAIR and _PANEL each need one of these words: a paragraph without any is not scanned
_OWN_TRIGGER = Words("meetings", "chaired", "panellist", fold=True)
_MEETINGS_TRIGGER = Words("meetings", fold=True)  # _MEETINGS_HELD's own word
_SESSION_ORDINALS = re.compile(rf"\b(?P<list>{ORDINAL}(?:\s*,\s*{ORDINAL})*(?:,?\s+and\s+{ORDINAL})?)\s+sessions?\b")


def document_meeting(ctx: Context) -> Meeting | None:
    """The meeting the document is issued for (its header) or reports on (its title)."""
    found = header_meeting_range(ctx.doc.header)
    body = ctx.working_group if ctx.working_group and _header_names_group(ctx) else ctx.act_body or ctx.issuing_body
    if found and body:
        field, rng = found
        city = field.value.split(",")[0].strip()
        ev = Evidence("header", field.start, field.end, field.value)
        session = ctx.info.session_number if body == ctx.act_body else None
        label = ctx.doc.header.get("session")
        return Meeting(MeetingKey(body, rng.start), rng.end, city, session, ev, ordinal_label=label)
    title = ctx.info.title
    if title and not ctx.info.title_from_manifest:
        ranges = find_date_ranges(title)
        session = _OWN_SESSION_TITLE.search(title)
        if ranges and session and ctx.act_body and re.search(r"\b(?:Conference|Commission|Council|Assembly)\b", title):
            # "Report of the Conference … on its sixth session, held in Vienna from 15 to 19 October 2012"
            block = next((b for b in ctx.doc.header.blocks if b.value == title), None)
            venue = _VENUE.search(title)
            ev = Evidence("title", block.start, block.end, title) if block else Evidence("title", 0, 0, title)
            return Meeting(MeetingKey(ctx.act_body, ranges[0].start), ranges[0].end,
                           venue.group("city") if venue else None, ordinal_value(session.group("ordinal")), ev)
        if ranges and ctx.working_group and re.search(r"\bmeeting\s+of\s+the\s+Working\s+Group\b", title):
            block = next((b for b in ctx.doc.header.blocks if b.value == title), None)
            venue = _VENUE.search(title)
            ev = Evidence("title", block.start, block.end, title) if block else Evidence("title", 0, 0, title)
            return Meeting(MeetingKey(ctx.working_group, ranges[0].start), ranges[0].end,
                           venue.group("city") if venue else None, None, ev)
    return None


def _header_names_group(ctx: Context) -> bool:
    return any(b.value.strip() == _label(ctx.working_group) for b in ctx.doc.header.blocks[1:])


def _label(slug: str | None) -> str:
    from .. import gazetteer
    return gazetteer.bodies()[slug].label if slug else ""


def meetings_in_text(ctx: Context, paragraphs: list[Paragraph], own: Meeting | None):
    """Meetings the text says were held: "The previous meetings of this working group were held from …"."""
    meetings: list[Meeting] = []
    roles: list[MeetingRole] = []
    for para in paragraphs:
        for s_start, s_end in ctx.sentences(para.text) if _HELD_TRIGGER.search(para.text) else ():
            sentence = para.text[s_start:s_end]
            if not _HELD_TRIGGER.search(sentence) or not _HELD.search(sentence):
                continue
            ranges = find_date_ranges(sentence)
            if not ranges:
                continue
            held = _HELD.search(sentence)
            subject = [r for r, a, b in ctx.entities_in(para.text, s_start, s_start + held.start() + 1, ("body",))
                       if r.key in ("wg-tip", "wg-som", "wg-firearms", "wg-ic", "wg-ta", "untoc-cop", "untoc-cop-bureau")]
            if not subject:
                continue
            body = subject[-1].key if re.search(r"\b(?:this|the)\s+working\s+group\b", sentence, re.I) is None else \
                (ctx.working_group or subject[-1].key)
            if "Bureau" in sentence[:held.start()] and "untoc-cop-bureau" in {s.key for s in subject}:
                body = "untoc-cop-bureau"
            venue = _VENUE.search(sentence)
            numbers: list[int | None] = [None] * len(ranges)
            om = _SESSION_ORDINALS.search(sentence) if "respectively" in sentence else None
            if om:
                values = [ordinal_value(w) for w in re.findall(ORDINAL, om.group("list"))]
                if len(values) == len(ranges):
                    numbers = values
            for rng, number in zip(ranges, numbers):
                if rng.start.year < 1990:
                    continue
                ev = ctx.evidence(para, s_start, s_end)
                meetings.append(Meeting(MeetingKey(body, rng.start), rng.end,
                                        venue.group("city") if venue else None, number, ev))
        if own is None:
            continue  # what follows reads the document's own meeting
        if own.session_number is None:
            sm = _OWN_SESSION.search(para.text) if "session" in para.text else None  # the pattern's own word
            if sm:
                ref = ctx.resolve("the " + sm.group("body"))
                if ref is not None and ref.kind == "body" and ref.key == own.key.body:
                    meetings.append(Meeting(own.key, own.end, own.venue, ordinal_value(sm.group("ordinal")),
                                            ctx.evidence(para, sm.start(), sm.end())))
        if _OWN_TRIGGER.search(para.text):
            m = _MEETINGS_HELD.search(para.text) if _MEETINGS_TRIGGER.search(para.text) else None
            if m and re.search(r"\bmet\b|\bmeeting\b", para.text):
                n = m.group("n")
                count = _NUMBER_WORDS.get(n.capitalize(), None) if not n.isdigit() else int(n)
                meetings.append(Meeting(own.key, own.end, own.venue, own.session_number,
                                        ctx.evidence(para, m.start(), m.end()), meetings_held=count))
            for cm in _CHAIR.finditer(para.text):
                person = _person(ctx, cm.group("name"), cm.group("state"))
                roles.append(MeetingRole(own.key, person, "chair", ctx.evidence(para, cm.start(), cm.end())))
            pm = _PANEL.search(para.text)
            if pm:
                base = pm.start("list")
                for person_match in _PERSON.finditer(pm.group("list")):
                    person = _person(ctx, person_match.group("name"), person_match.group("state"))
                    roles.append(MeetingRole(own.key, person, "panellist",
                                             ctx.evidence(para, base + person_match.start(), base + person_match.end())))
    return meetings, roles

_AND_BY = re.compile(r"^(?:and|by)\s+")  # before a person's name, compiled once

def _person(ctx: Context, name: str, state: str) -> Person:
    name = _AND_BY.sub("", name.strip())
    ref = ctx.resolve(state)
    return Person(name, ref.key if ref and ref.kind == "state" else None)


_ADOPTED_AGENDA = re.compile(r"\badopted\b[^.:]{0,80}\b(?:its\s+|the\s+)?(?:provisional\s+)?agenda\b")


def agenda(ctx: Context, meeting: MeetingKey | None, paragraphs: list[Paragraph]) -> list[AgendaItem]:
    """The agenda a meeting adopted, item by item, from the list that follows "adopted … its agenda"."""
    items: list[AgendaItem] = []
    if meeting is None:
        return items
    for para in paragraphs:
        if not para.items or not _ADOPTED_AGENDA.search(para.text):
            continue
        current = None
        for item in para.items:
            title = item.text
            sub = re.match(r"^\((?P<letter>[a-z])\)\s+(?P<title>.+)$", title)
            if item.marker.endswith(".") and item.marker[:-1].isdigit():
                current = item.marker[:-1]
                number = current
            elif sub and current:
                number, title = f"{current} ({sub.group('letter')})", sub.group("title")
            else:
                continue
            title = title.rstrip(";:. ")
            quote_at = para.text.find(item.text)
            ev = ctx.evidence(para, quote_at, quote_at + len(item.text)) if quote_at != -1 else ctx.evidence(para)
            items.append(AgendaItem(meeting, number, title, ev))
    return items
