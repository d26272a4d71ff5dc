"""Recommendations: each numbered recommendation of a report with its topic (the heading it sits
under), its addressees (the subject of its main clause) and its strength (shall, should, are
encouraged to, may)."""

from __future__ import annotations

import re

from ..facts import EntityRef, MeetingKey, Recommendation
from ..structure import Paragraph
from .context import Context
from .triggers import Words

# (strength, its pattern, a word every match holds: a text without it is not searched, as a pattern opening
# with `\b` is tried at every position; tests/test_extract_gates.py proves each word against its pattern)
_STRENGTHS = [
    ("shall", re.compile(r"\bshall\b"), "shall"),
    ("should", re.compile(r"\bshould\b"), "should"),
    ("encouraged", re.compile(r"\b(?:are|is)\s+(?:also\s+)?(?:strongly\s+)?encouraged\b"), "encouraged"),
    ("may", re.compile(r"\bmay\s+(?:wish\s+to\s+)?consider\b|\bmay\b"), "may"),
]
_GROUPS = [
    ("StatesParties", re.compile(r"\bStates\s+parties\b")),
    ("MemberStates", re.compile(r"\bMember\s+States\b")),
    ("States", re.compile(r"\bStates\b(?!\s+parties)")),
]
_REPORTED = re.compile(r"\b(?:requested|proposed\s+that|recommended\s+(?:to|that))\s+(?P<who>(?:the\s+)?[A-Z][\w\s]+?)(?=\s+(?:to|that|,|continue|should|at)\b)")

_REPORTED_TRIGGER = Words("requested", "proposed", "recommended")  # _REPORTED's own words, as written

# a leading subordinate clause ("In addressing …, ", "Recalling …, "), compiled once: it runs per recommendation
_LEADING_CLAUSE = re.compile(r"^(?:In\s+|Recalling\s|Taking\s|Bearing\s)[^,]*(?:,[^,]*)*?,\s+(?=(?:States|UNODC|The|Member)\b)")

def _addressees(ctx: Context, clause: str) -> tuple[EntityRef | str, ...]:
    out: list[EntityRef | str] = []
    spans = []
    for name, pattern in _GROUPS:
        for m in pattern.finditer(clause):
            if not any(a <= m.start() < b for a, b in spans):
                spans.append((m.start(), m.end()))
                out.append((m.start(), name))
    for ref, a, b in ctx.entities(clause, ("body",)):
        if ref.key == ctx.working_group:
            continue
        out.append((a, ref))
    out.sort(key=lambda x: x[0])
    result = []
    for _, item in out:
        if item not in result:
            result.append(item)
    return tuple(result)


def _recommendation_paragraphs(ctx: Context, paragraphs: list[Paragraph]) -> list[tuple[Paragraph, str | None]]:
    sections = {s.key: s for s in ctx.doc.sections}
    chosen = []
    for para in paragraphs:
        if para.kind != "numbered" or para.section is None:
            continue
        section = sections.get(para.section)
        top = sections.get(section.parent) if section and section.parent else section
        if top is None or "recommendation" not in top.title.lower():
            continue
        if section is top:
            # a paragraph directly under "Recommendations" that introduces them is not one of them
            if re.search(r"\badopted\s+the\s+(?:following\s+)?recommendations\b", para.text):
                continue
            chosen.append((para, None))
        else:
            chosen.append((para, section.title))
    return chosen


def recommendations(ctx: Context, meeting: MeetingKey | None, paragraphs: list[Paragraph]) -> list[Recommendation]:
    out = []
    for para, topic in _recommendation_paragraphs(ctx, paragraphs):
        text = para.text
        strength = None
        main = text
        positions = [(m.start(), name) for name, p, word in _STRENGTHS if word in text for m in [p.search(text)] if m]
        if positions:
            pos, strength = min(positions)
            main = text[:pos]
        reported = _REPORTED.search(text) if _REPORTED_TRIGGER.search(text) else None
        if reported and (not positions or reported.start() < min(positions)[0]):
            strength = None
            main = reported.group("who")
        else:
            # a leading subordinate clause ("In addressing …, ", "Recalling …, ") is not the subject
            main = _LEADING_CLAUSE.sub("", main)
        out.append(Recommendation(para.number or para.key, text, topic, _addressees(ctx, main), strength,
                                  meeting, ctx.evidence(para)))
    return out
