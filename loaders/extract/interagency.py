"""The inter-agency landscape: agreements (memoranda of understanding, working arrangements), joint
programmes, coordination, chairing, management and membership ties between bodies.

A tie is taken only when the sentence names the kind of tie and both sides: "a memorandum of
understanding signed in April 2012 by UNODC and the World Tourism Organization", "UNODC continued to
coordinate the work of the Inter-Agency Coordination Group", "UNODC is the chair of the Global
Migration Group for the second half of 2012".
"""

from __future__ import annotations

import re
from datetime import date
from functools import cache

from ..facts import Agreement, JointProgramme, Role
from ..patterns import MONTH, MONTHS
from ..structure import Paragraph
from .context import Context
from .triggers import Words

_AGREEMENT_KIND = [
    ("memorandum-of-understanding", re.compile(r"\bmemorand(?:um|a)\s+of\s+understanding\b", re.I)),
    ("working-arrangement", re.compile(r"\bworking\s+arrangements?\b", re.I)),
    ("agreement", re.compile(r"\b(?:cooperation\s+)?agreements?\b", re.I)),
]
_SIGNED = re.compile(r"\b(?:signed|concluded)\b")
_WHEN = re.compile(rf"\b(?:in|In)\s+(?P<month>{MONTH})\s+(?P<year>\d{{4}})\b")
_PURPOSE = re.compile(r"\b(?:in\s+which\s+they\s+agreed\s+to|aimed\s+at|pledging|to\s+(?:strengthen|enhance|improve))\s+(?P<what>[^.]+)")
_PROGRAMME = re.compile(r"\bjoint\s+(?:\w+\s+){0,3}programmes?\b", re.I)
_COORDINATE = re.compile(r"\b(?:coordinate[sd]?|coordinating|with\s+the\s+coordination\s+of)\s+(?:the\s+(?:work|activities)\s+of\s+)?")
_CHAIR = re.compile(r"\bis\s+the\s+chair\s+of\s+|\bchairs\s+")
_HALF = re.compile(r"\bfor\s+the\s+(?P<half>first|second)\s+half\s+of\s+(?P<year>\d{4})\b")
_MANAGER = re.compile(r"\b(?:as\s+the\s+manager\s+of|managing|manages)\s+")
_PARTNERSHIP = re.compile(r"\bpartnership\s+with\s+")
_PARTICIPATION = re.compile(r"\bparticipation\s+of\s+(?P<who>\S+)\s+in\s+[^,]*?(?:forums|initiatives|mechanisms)[^,]*,\s*(?:especially|including|such\s+as|namely)\s+")


# Every tie above needs one of these words in its sentence (_SIGNED, _PROGRAMME, _COORDINATE, _CHAIR,
# _MANAGER, _PARTNERSHIP, _PARTICIPATION, each contains one as written): a paragraph without any
# states no tie, and is not split into sentences nor scanned for names (most paragraphs of a report)
_TRIGGER = Words("signed", "concluded", "joint", "coordinat", "chair", "manag", "partnership", "participation",
                 fold=True)


_JOINT = Words("joint", fold=True)  # _PROGRAMME's own word


_ACTING = re.compile(r"^\s+(?:has\s+|have\s+|had\s+|also\s+|then\s+)*(?:continued\s+to\s+|continues\s+to\s+)?"
                     r"(?:[a-z]+ed|is|are|was|were|launched|undertook|began|made|held)\b")


def _subject(ctx: Context, para: Paragraph) -> str | None:
    """The body a paragraph is about: the first body named as the subject of a verb ("UNODC implemented")."""
    for ref, a, b in ctx.entities(para.text, ("body",)):
        if _ACTING.match(para.text[b:b + 40]):
            return ref.key
    return None


def _month(sentence: str) -> tuple[int | None, int | None]:
    m = _WHEN.search(sentence)
    if m:
        return int(m.group("year")), MONTHS[m.group("month")]
    return None, None


def interagency(ctx: Context, paragraphs: list[Paragraph]):
    agreements: list[Agreement] = []
    programmes: list[JointProgramme] = []
    roles: list[Role] = []
    for para in paragraphs:
        if not _TRIGGER.search(para.text):
            continue
        @cache  # read on first use, once: most sentences need no subject
        def paragraph_subject(para: Paragraph = para) -> str | None:
            return _subject(ctx, para)

        for s_start, s_end in ctx.sentences(para.text):
            s = para.text[s_start:s_end]
            if not _TRIGGER.search(s):
                continue  # no tie's word in this sentence: it states no tie

            def ev(a: int = 0, b: int | None = None):
                return ctx.evidence(para, s_start + a, s_start + (len(s) if b is None else b))

            bodies = []
            for ref, a, b in ctx.entities_in(para.text, s_start, s_end, ("body",)):
                if ref.key not in bodies:
                    bodies.append(ref.key)
            # agreements
            if ("signed" in s or "concluded" in s) and _SIGNED.search(s):
                for kind, pattern in _AGREEMENT_KIND:
                    km = pattern.search(s)
                    if km:
                        parties = tuple(sorted(set(bodies)))
                        if len(parties) >= 2:
                            year, month = _month(s)
                            purpose = _PURPOSE.search(s)
                            agreements.append(Agreement(parties, kind, year, month,
                                                        purpose.group("what").strip() if purpose else None, ev()))
                        break
            # joint programmes
            pm = _PROGRAMME.search(s) if _JOINT.search(s) else None
            if pm and re.search(r"\b(?:launched|developed|implemented|started|established)\b", s):
                countries = []
                for ref, a, b in ctx.entities_in(para.text, s_start + pm.start(), s_end, ("state",)):
                    if ref.key not in countries:
                        countries.append(ref.key)
                regions = tuple(sorted(set(re.findall(r"\bin\s+(Central Asia|West Africa|East Africa|South-East Asia|"
                                                     r"Southern Africa|Central America|South Asia|the Caribbean|the Balkans)\b", s))))
                partners = set(bodies) - {"un-gift"}
                if not partners and paragraph_subject():
                    partners = {paragraph_subject()}
                if countries or regions:
                    year, month = _month(s)
                    if len(partners) >= 2 or re.search(r"\bsimilar\s+joint\b", s):
                        for country in countries or [None]:
                            programmes.append(JointProgramme(tuple(sorted(partners)), (country,) if country else (),
                                                             year, month, ev(), regions if country is None else ()))
                        if countries and regions:
                            programmes.append(JointProgramme(tuple(sorted(partners)), (), year, month, ev(), regions))
            # coordination
            cm = _COORDINATE.search(s) if "coordinat" in s else None  # each pattern's own word first
            if cm:
                before = [r for r, a, b in ctx.entities_in(para.text, s_start, s_start + cm.start(), ("body",))]
                after = [r for r, a, b in ctx.entities_in(para.text, s_start + cm.end(), s_end, ("body",))]
                if before and after and after[0].key != before[-1].key:
                    # "The General Assembly has entrusted the Executive Director of UNODC with the coordination …"
                    subject = before[-1].key
                    roles.append(Role(subject, "coordinates", after[0].key, ev()))
            # chairing
            ch = _CHAIR.search(s) if "chair" in s else None
            if ch:
                before = [r for r, a, b in ctx.entities_in(para.text, s_start, s_start + ch.start(), ("body",))]
                after = [r for r, a, b in ctx.entities_in(para.text, s_start + ch.end(), s_end, ("body",))]
                if before and after and before[0].key != after[0].key:
                    start = end = None
                    half = _HALF.search(s)
                    if half:
                        year = int(half.group("year"))
                        start, end = (date(year, 1, 1), date(year, 6, 30)) if half.group("half") == "first" else \
                            (date(year, 7, 1), date(year, 12, 31))
                    roles.append(Role(before[0].key, "chairs", after[0].key, ev(), start, end))
            # management
            mm = _MANAGER.search(s) if "manag" in s else None
            if mm:
                after = [r for r, a, b in ctx.entities_in(para.text, s_start + mm.end(), s_end, ("body",))]
                before = [r for r, a, b in ctx.entities_in(para.text, s_start, s_start + mm.start(), ("body",))]
                subject = before[0].key if before else paragraph_subject()
                if after and subject and after[0].key != subject and ctx.entities_in(para.text, s_start + mm.end(), s_end, ("body",))[0][1] <= 8:
                    roles.append(Role(subject, "manages", after[0].key, ev()))
            # partnership with an organization
            pa = _PARTNERSHIP.search(s) if "partnership" in s else None
            if pa:
                after = ctx.entities_in(para.text, s_start + pa.end(), s_end, ("body",))
                if after and after[0][1] <= 4:
                    partner = after[0][0].key
                    others = [b for b in bodies if b != partner]
                    subject = others[0] if others else paragraph_subject()
                    if subject and subject != partner:
                        roles.append(Role(subject, "partner", partner, ev()))
            # membership through participation in named mechanisms
            pt = _PARTICIPATION.search(s) if "participation" in s else None
            if pt:
                who = ctx.resolve(pt.group("who"))
                if who and who.kind == "body":
                    for ref, a, b in ctx.entities_in(para.text, s_start + pt.end(), s_end, ("body",)):
                        if ref.key != who.key:
                            roles.append(Role(who.key, "member", ref.key, ev()))
    return agreements, programmes, roles
