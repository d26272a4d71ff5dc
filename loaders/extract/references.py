"""References to acts, documents, instruments and Treaty Series entries, with the adopting body of each act.

"decision 4/4" names its adopting body in the words around it ("Conference decision 4/4", "General
Assembly resolutions 61/144 … and 64/178", "resolution 5/2 of the Conference of the Parties", "the
adoption by the General Assembly, in its resolution 64/293"), or leaves it to the document's own
body ("In its decision 4/4, the Conference…" in a document of the Conference). A number whose
adopting body cannot be told is reported as an unresolved mention, never attached to a guess.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .. import gazetteer
from ..facts import (
    Act, ActKey, ActReference, DocumentReference, Evidence, InstrumentReference, TreatySeriesReference,
    UnresolvedMention,
)
from ..patterns import ACT_ITEM, ACT_LIST, RES_SYMBOL, find_symbols, parse_date
from ..structure import Paragraph
from .context import Context

RES_SERIES_BODY = {"A": "ga", "E": "ecosoc", "S": "unsc"}
_TITLE_AFTER = re.compile(r"^,?\s*entitled\s+[“\"](?P<title>[^”\"]{3,300})[”\"]")
_OF_BODY_AFTER = re.compile(r"^\s+of\s+the\s+")
_LOCATOR = re.compile(r"^,?\s*(?P<loc>(?:paras?|sects?|chap|annex|p)\.\s*[\w.\-–]+(?:\s*(?:and|-|–)\s*[\w.]+)?)")


@dataclass(frozen=True)
class ActMention:
    key: ActKey
    start: int
    end: int
    date_text: str | None
    title: str | None


def _body_before(ctx: Context, text: str, start: int) -> tuple[str | None, bool]:
    """The adopting body named just before an act's kind word, and whether one was named at all."""
    window = text[max(0, start - 160):start]
    # "Commission on Crime Prevention and Criminal Justice decisions", "General Assembly resolutions"
    matches = [m for m in gazetteer.find(window, ("body",))]
    if matches:
        last = matches[-1]
        between = window[last.end:]
        if re.fullmatch(r"\s*(?:,\s*)?(?:in\s+its\s+|in\s+|by\s+its\s+|its\s+)?", between):
            return last.entity.key, True
    m = re.search(r"\b(Conference|Assembly|Council|Commission)(?:'s|’s)?\s*(?:,\s*in\s+its\s+)?$", window)
    if m:
        word = m.group(1)
        if word == "Conference" and ctx.act_body == "untoc-cop":
            return "untoc-cop", True
        return None, True  # a body is named, but not one we can tell
    return None, False


def _body_after(text: str, end: int) -> str | None:
    """"resolution 5/2 of the Conference of the Parties to …": the body named right after the act."""
    rest = text[end:end + 200]
    m = _OF_BODY_AFTER.match(rest)
    if not m:
        return None
    hits = gazetteer.find(rest, ("body",))
    if hits and hits[0].start <= m.end() + 1:
        return hits[0].entity.key
    return None


def find_act_mentions(ctx: Context, text: str) -> tuple[list[ActMention], list[tuple[str, int, int]]]:
    """Act mentions in `text`, and the numbers whose adopting body could not be told."""
    mentions: list[ActMention] = []
    unresolved: list[tuple[str, int, int]] = []
    covered: list[tuple[int, int]] = []
    for m in RES_SYMBOL.finditer(text):
        body = RES_SERIES_BODY[m.group("series")]
        mentions.append(ActMention(ActKey(body, "resolution", m.group("number")), m.start(), m.end(), None, None))
        covered.append((m.start(), m.end()))
    for m in ACT_LIST.finditer(text):
        if any(a <= m.start() < b for a, b in covered):
            continue
        kind = m.group("kind")
        body, named = _body_before(ctx, text, m.start())
        after = _body_after(text, m.end())
        if body is None and after is not None:
            body, named = after, True
        items = list(ACT_ITEM.finditer(m.group("list")))
        base = m.start("list")
        for i, item in enumerate(items):
            number = item.group("number")
            a, b = base + item.start(), base + item.end()
            item_body = body
            if item_body is None and not named:
                session = int(number.split("/")[0])
                if re.search(r"\b(?:its|[Ii]ts\s+own)\s*$", text[max(0, m.start() - 12):m.start()]) and ctx.act_body:
                    # "Recalling its resolution 64/293" in an act: the body whose act this is
                    item_body = ctx.act_body
                elif ctx.act_body == "untoc-cop" and session <= 20:
                    # a bare number in a document of the Conference is the Conference's own act
                    item_body = "untoc-cop"
            if item_body is None:
                unresolved.append((f"{kind} {number}", a, b))
                continue
            title = None
            if i == len(items) - 1:
                tm = _TITLE_AFTER.match(text[m.end():])
                if tm is None:
                    after_body = re.match(r"^\s+of\s+the\s+[^,]{5,160},", text[m.end():])
                    if after_body:
                        tm = _TITLE_AFTER.match(text[m.end() + after_body.end() - 1:])
                title = tm.group("title").strip() if tm else None
            key = ctx.act_key(kind, number, item_body)
            if key is not None:
                mentions.append(ActMention(key, a if i else m.start(), b, item.group("date"), title))
    mentions.sort(key=lambda x: x.start)
    return mentions, unresolved


def act_references(ctx: Context, paragraphs: list[Paragraph]):
    refs: list[ActReference] = []
    acts: list[Act] = []
    unresolved: list[UnresolvedMention] = []
    for para in paragraphs:
        mentions, missing = find_act_mentions(ctx, para.text)
        recalled = para.kind == "preambular" and bool(para.verb and para.verb.startswith("Recall"))
        for mention in mentions:
            ev = ctx.evidence(para, mention.start, mention.end)
            refs.append(ActReference(mention.key, ev, recalled=recalled))
            act_date = parse_date(mention.date_text) if mention.date_text else None
            if act_date or mention.title:
                acts.append(Act(mention.key, ev, date=act_date, title=mention.title))
        for text, a, b in missing:
            unresolved.append(UnresolvedMention(text, "act", ctx.evidence(para, a, b)))
    return refs, acts, unresolved


def document_references(ctx: Context, paragraphs: list[Paragraph]) -> list[DocumentReference]:
    refs: list[DocumentReference] = []
    for para in paragraphs:
        for symbol, a, b in find_symbols(para.text):
            if RES_SYMBOL.fullmatch(symbol):
                continue  # an adopted resolution: an act reference, not a document reference
            loc = _LOCATOR.match(para.text[b:])
            locator = loc.group("loc") if loc else None
            refs.append(DocumentReference(symbol, ctx.evidence(para, a, b + (loc.end() if loc else 0)), locator))
    return refs


def annex_document_references(ctx: Context) -> list[DocumentReference]:
    """Rows of an annex list of documents: symbol, agenda item, title."""
    refs = []
    for table in ctx.doc.tables:
        columns = [c.lower() for c in table.columns]
        if not columns or "document" not in columns[0]:
            continue
        agenda_col = next((i for i, c in enumerate(columns) if "agenda" in c), None)
        title_col = next((i for i, c in enumerate(columns) if "title" in c or "description" in c), None)
        for row, (start, end) in zip(table.rows, table.row_spans):
            symbols = list(find_symbols(row[0])) if row else []
            if not symbols:
                continue
            agenda = row[agenda_col] if agenda_col is not None and agenda_col < len(row) and row[agenda_col] else None
            title = row[title_col] if title_col is not None and title_col < len(row) and row[title_col] else None
            quote = ctx.doc.source[start:end]
            refs.append(DocumentReference(symbols[0][0], Evidence(f"annex-r{table.rows.index(row) + 1}", start, end, quote),
                                          None, title, agenda, True))
    return refs


def instrument_references(ctx: Context, paragraphs: list[Paragraph]) -> list[InstrumentReference]:
    refs = []
    for para in paragraphs:
        for ref, a, b in ctx.entities(para.text, ("instrument",)):
            article = None
            m = re.search(r"\barticles?\s+(\d+(?:\s*(?:and|,)\s*\d+)*)\s+of\s+(?:the\s+)?$", para.text[max(0, a - 60):a])
            if m:
                article = m.group(1)
            refs.append(InstrumentReference(ref.key, ctx.evidence(para, a, b), article))
    return refs


_TREATY = re.compile(r"(?:United Nations, Treaty Series|Ibid\.)\s*,\s*vol\.\s*(?P<vol>\d+)\s*,\s*No\.\s*(?P<no>\d+)")


def treaty_series(ctx: Context, paragraphs: list[Paragraph]) -> list[TreatySeriesReference]:
    by_volume = {rec.unts_volume: rec.slug for rec in gazetteer.instruments().values()}
    out = []
    for para in paragraphs:
        for m in _TREATY.finditer(para.text):
            vol, no = int(m.group("vol")), int(m.group("no"))
            out.append(TreatySeriesReference(vol, no, by_volume.get(vol), ctx.evidence(para, m.start(), m.end())))
    return out
