"""Attendance by capacity, and who made statements under which agenda items.

An attendance paragraph says in what capacity its list was represented ("The following States
parties to the … Protocol were represented", "The following observer States", "The State of
Palestine, a non-member State maintaining a permanent observer mission"). A list is read name by
name against the gazetteer; a name that resolves to nothing is reported, not dropped or guessed.
"""

from __future__ import annotations

import re

from ..facts import EntityRef, MeetingKey, Participation, Statement, UnresolvedMention
from ..structure import Paragraph
from .context import Context

# the capacity a clause announces, most specific first
_CAPACITIES: list[tuple[str, re.Pattern]] = [
    ("NonMemberObserverState", re.compile(r"\bnon-member\s+State\b", re.I)),
    ("RegionalOrganizationParty", re.compile(r"\bregional\s+economic\s+integration\s+organization\b", re.I)),
    ("Signatory", re.compile(r"\bsignator(?:y|ies)\b", re.I)),
    ("ObserverState", re.compile(r"\bobserver\s+States?\b|\bStates\s+(?:not\s+parties|non-parties)\b", re.I)),
    ("StateParty", re.compile(r"\bStates\s+parties\b", re.I)),
    ("UNEntityObserver", re.compile(r"\bUnited\s+Nations\s+(?:Secretariat\s+units|entities|system)|specialized\s+agencies|programmes\s+and\s+funds", re.I)),
    ("IntergovernmentalObserver", re.compile(r"\bintergovernmental\s+organizations?\b", re.I)),
    ("OtherObserver", re.compile(r"\b(?:entity|entities)\s+maintaining\b|\bnon-governmental\s+organizations?\b|\bother\s+(?:entities|organizations)\b", re.I)),
]
_REPRESENTED = re.compile(r"\b(?:were|was)\s+(?:also\s+)?represented\b")
_SEPARATOR = re.compile(r"^(?:\s*,\s*|\s*,?\s+and\s+|\s+)*$")
_THE = re.compile(r"\bthe\b")  # taken out of the gap between two names, compiled once


def capacity_of(clause: str) -> str | None:
    for capacity, pattern in _CAPACITIES:
        if pattern.search(clause):
            return capacity
    return None


def _bare(gap: str) -> str:
    """A leftover name without the separators and articles around it: ", and the Foo Club" -> "Foo Club"."""
    gap = gap.strip(" ,.;")
    gap = re.sub(r"^(?:and\s+)?(?:the\s+)?|\s+and$", "", gap)
    return gap.strip(" ,.;")


def read_list(ctx: Context, para: Paragraph, start: int, end: int, kinds=("state", "body")):
    """Entities of a comma-and list in para.text[start:end]; leftovers become unresolved mentions."""
    text = para.text[start:end]
    found = ctx.entities(text, kinds)
    refs: list[tuple[EntityRef, int, int]] = []
    unresolved: list[UnresolvedMention] = []
    cursor = 0
    for ref, a, b in found:
        gap = text[cursor:a]
        gap_clean = _THE.sub("", gap)
        if not _SEPARATOR.match(gap_clean):
            leftover = _bare(gap)
            if leftover:
                unresolved.append(UnresolvedMention(leftover, "entity", ctx.evidence(para, start + cursor, start + a)))
        refs.append((ref, start + a, start + b))
        cursor = b
    tail = _bare(text[cursor:])
    if tail:
        unresolved.append(UnresolvedMention(tail, "entity", ctx.evidence(para, start + cursor, end)))
    return refs, unresolved


def participations(ctx: Context, meeting: MeetingKey | None, paragraphs: list[Paragraph]):
    out: list[Participation] = []
    unresolved: list[UnresolvedMention] = []
    if meeting is None:
        return out, unresolved
    for para in paragraphs:
        rep = _REPRESENTED.search(para.text) if "represented" in para.text else None  # its own word first
        if not rep:
            continue
        colon = para.text.find(":", rep.start())
        if colon != -1:
            capacity = capacity_of(para.text[:colon])
            if capacity is None:
                continue
            refs, missing = read_list(ctx, para, colon + 1, len(para.text.rstrip(".")))
            unresolved.extend(missing)
        else:
            capacity = capacity_of(para.text)
            if capacity is None:
                continue
            # "The State of Palestine, a non-member State …, was represented.": the subject
            head = para.text[:rep.start()].split(",")[0]
            refs = [(r, a, b) for r, a, b in ctx.entities(head, ("state", "body"))][:1]
        seen = set()
        for ref, a, b in refs:
            if ref in seen or (ref.kind == "body" and ref.key == ctx.working_group):
                continue
            seen.add(ref)
            out.append(Participation(meeting, ref, capacity, ctx.evidence(para, a, b)))
    return out, unresolved


_STATEMENT = re.compile(r"\bstatements?\s+(?:was|were)\s+(?:also\s+)?made\s+by\b|\b(?:made|heard)\s+(?:a\s+)?statements?\b(?:\s+by\b)?")
_ITEMS = re.compile(r"\b(?:agenda\s+)?items?\s+(?P<a>\d{1,2})(?:\s*(?:to|-|–)\s*(?P<b>\d{1,2}))?")


def statements(ctx: Context, meeting: MeetingKey | None, paragraphs: list[Paragraph]) -> list[Statement]:
    out: list[Statement] = []
    if meeting is None:
        return out
    for para in paragraphs:
        text = para.text
        for sm in _STATEMENT.finditer(text) if "statement" in text else ():  # its own word first
            sentence_start = max(text.rfind(". ", 0, sm.start()) + 2, 0) if text.rfind(". ", 0, sm.start()) != -1 else 0
            sentence_end = text.find(". ", sm.end())
            sentence_end = len(text) if sentence_end == -1 else sentence_end + 1
            items: tuple[str, ...] = ()
            im = _ITEMS.search(text[sentence_start:sentence_end])
            if im:
                a = int(im.group("a"))
                b = int(im.group("b") or a)
                items = tuple(str(i) for i in range(a, b + 1)) if b >= a else (str(a),)
            # who: the names after "by", or before "also made statements"
            if re.search(r"\bby\b", text[sm.start():sm.end()]) or text[sm.end():sm.end() + 4].strip().startswith("by"):
                span = (sm.end(), sentence_end)
            else:
                span = (sentence_start, sm.start())
            seen = set()
            for ref, a, b in ctx.entities_in(text, span[0], span[1], ("state", "body")):
                if ref.kind == "body" and ref.key == ctx.working_group or ref in seen:
                    continue
                seen.add(ref)
                out.append(Statement(meeting, ref, ctx.evidence(para, span[0] + a, span[0] + b), items))
    return out
