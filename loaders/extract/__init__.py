"""From a document's structure to its facts: one module per kind of fact, run in a fixed order.

Nothing here touches RDF. Every fact keeps the evidence (paragraph, source span) it was read from.
"""

from __future__ import annotations

import hashlib

from ..facts import Act, ActKey, Evidence, Facts, MandateEvent
from ..manifest_entry import ManifestEntry
from ..structure import Document, Paragraph
from .context import build_context
from .document import document_info, own_act
from .draft import clause_verbs, draft_act, proposals
from .interagency import interagency
from .mandates import mandate_events
from .meetings import agenda, document_meeting, meetings_in_text
from .participation import participations, statements
from .ratifications import ratifications
from .recommendations import recommendations
from .references import (
    act_references, annex_document_references, document_references, instrument_references, treaty_series,
)

__all__ = ["extract_facts"]


def _unique(items: list) -> list:
    seen = set()
    out = []
    for item in items:
        if item not in seen:
            seen.add(item)
            out.append(item)
    return out


def unique_events(events: list[MandateEvent]) -> list[MandateEvent]:
    """One event per (holder, type, act, paragraph): two patterns reading one clause state one fact."""
    seen = set()
    out = []
    for e in events:
        key = (e.holder, e.event_type, e.kind, e.act, e.evidence.paragraph)
        if key not in seen:
            seen.add(key)
            out.append(e)
    return out


def extract_facts(doc: Document, source, entry: ManifestEntry | None = None, source_name: str | None = None) -> Facts:
    text_sha = hashlib.sha256(doc.normalized.text.encode("utf-8")).hexdigest()
    info = document_info(doc, source_name or str(source.path), source.sha256, text_sha, entry, source.encoding)
    ctx = build_context(doc, info)
    body_paragraphs: list[Paragraph] = list(doc.paragraphs)
    footnotes = [fn.as_paragraph() for fn in doc.footnotes if fn.offsets]
    # the agenda footnote names the provisional agenda, not anything the document says of itself
    text_footnotes = [p for p in footnotes if p.key != "fnstar"]
    everything = body_paragraphs + text_footnotes

    facts = Facts(document=info, paragraphs=body_paragraphs + footnotes)
    own = document_meeting(ctx)
    ctx.meeting = facts.meeting = own.key if own else None
    if own:
        facts.meetings.append(own)
    more, roles = meetings_in_text(ctx, body_paragraphs, own)
    facts.meetings.extend(more)
    facts.meeting_roles = _unique(roles)
    facts.agenda = agenda(ctx, facts.meeting, body_paragraphs)

    refs, acts, unresolved = act_references(ctx, everything)
    facts.act_references = refs
    facts.acts = acts
    facts.unresolved.extend(unresolved)
    facts.document_references = document_references(ctx, everything) + annex_document_references(ctx)
    facts.instrument_references = instrument_references(ctx, everything)
    facts.treaty_series = treaty_series(ctx, footnotes)

    adopted = own_act(doc)
    if adopted is not None:
        kind, body, number, when, title, block = adopted
        facts.own_act = ActKey(body, kind, number)
        facts.acts.append(Act(facts.own_act, Evidence("header", block.start, block.end, block.value),
                              date=when, title=title))
    for para in body_paragraphs:
        if para.kind == "act-title" and para.act and ctx.act_body:
            # the text of an act inside a report of the session that adopted it
            facts.acts.append(Act(ActKey(ctx.act_body, para.act[0], para.act[1]), ctx.evidence(para), title=para.text))
    events, pursuant, established, missing = mandate_events(ctx, everything, facts.own_act)
    facts.pursuant_to = pursuant
    facts.established_bodies = _unique(established)
    facts.unresolved.extend(_unique(missing))
    facts.draft = draft_act(ctx)
    facts.mandate_events = unique_events(events + proposals(ctx, facts.draft, body_paragraphs))
    facts.clause_verbs = clause_verbs(ctx, body_paragraphs)

    parts, missing = participations(ctx, ctx.meeting, body_paragraphs)
    facts.participations = _unique(parts)
    facts.unresolved.extend(missing)
    facts.statements = statements(ctx, ctx.meeting, body_paragraphs)
    facts.recommendations = recommendations(ctx, ctx.meeting, body_paragraphs)
    if facts.draft is None:  # a draft's words about the world are its sponsor's, not the record's
        facts.agreements, facts.joint_programmes, facts.roles = interagency(ctx, body_paragraphs)
    facts.ratifications, facts.party_counts = ratifications(ctx, body_paragraphs)
    return facts
