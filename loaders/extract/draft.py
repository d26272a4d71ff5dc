"""Drafts and the clauses of acts: the sponsor, the preambular and operative verbs, and what each
operative paragraph of a draft proposes for whose mandate.

A draft decision proposes; it adopts nothing. Its operative paragraphs become `Proposal` events of
the draft, attributed to its sponsors, and never events of an adopted act, even when the text names
the act it would continue ("perform the functions set forth in Conference decision 4/4").
"""

from __future__ import annotations

import re

from ..facts import ClauseVerb, DraftAct, EntityRef, Evidence, MandateEvent
from ..structure import Paragraph
from .context import Context
from .document import _DRAFT, header_roles

# verbs by which an operative paragraph charges a body with something
_MANDATING_VERBS = re.compile(r"^(?:(?:Also|Further|Further also)\s+)?(?:[Dd]ecides|[Rr]equests|[Ii]nvites|[Aa]uthorizes|[Ee]ntrusts)$")


def clause_verbs(ctx: Context, paragraphs: list[Paragraph]) -> list[ClauseVerb]:
    return [ClauseVerb(p.key, p.verb, p.kind == "operative") for p in paragraphs
            if p.verb and p.kind in ("operative", "preambular")]


def _sponsors(ctx: Context, line: str) -> tuple[EntityRef, ...]:
    names = _DRAFT.match(line).group("sponsors")
    refs = []
    for part in re.split(r",\s*|\s+and\s+", names):
        ref = ctx.resolve(part)
        if ref is not None:
            refs.append(ref)
    return tuple(refs)


def draft_act(ctx: Context) -> DraftAct | None:
    roles = header_roles(ctx.doc)
    line = roles.get("draft")
    if not line:
        return None
    block = next(b for b in ctx.doc.header.blocks if b.value == line)
    kind = _DRAFT.match(line).group("kind").lower()
    return DraftAct(kind, roles.get("title"), _sponsors(ctx, line), ctx.act_body, ctx.info.session_number,
                    Evidence("header", block.start, block.end, block.value))


def proposals(ctx: Context, draft: DraftAct | None, paragraphs: list[Paragraph]) -> list[MandateEvent]:
    if draft is None:
        return []
    events = []
    for para in paragraphs:
        if para.kind != "operative" or not para.verb or not _MANDATING_VERBS.match(para.verb):
            continue
        rest = para.text[len(para.verb):]
        # the body charged: the object of "Requests …" or the subject after "Decides that …"
        m = re.match(r"^\s+(?:that\s+)?(?P<who>.{3,160}?)\s+(?:to|should|shall|will)\b", rest)
        if not m:
            continue
        bodies = ctx.entities(m.group("who"), ("body",))
        if not bodies:
            continue
        holder = bodies[0][0].key
        events.append(MandateEvent(holder, "Proposal", None, ctx.evidence(para), para.text))
    return events
