"""The document itself: symbol, dates, distribution, body, session, agenda item, title, kind.

A document's own symbol is taken only from where UN layout puts it (the symbol line of the header)
or from the manifest, recorded as such; the symbol in the agenda footnote ("* CTOC/COP/2012/1.") is
the provisional agenda's, never the document's.
"""

from __future__ import annotations

import re

from .. import gazetteer
from ..facts import DocumentInfo
from ..manifest_entry import ManifestEntry
from ..patterns import find_symbols
from ..structure import Document, header_date, header_session_number, own_symbol

_DRAFT = re.compile(r"^(?P<sponsors>.+?):\s*(?:revised\s+)?draft\s+(?P<kind>decision|resolution)$", re.I)
_SUBTITLE = re.compile(r"^(?:Report|Note|Background paper|Conference room paper|Working paper)\b.*\b(?:of|by)\b", re.I)
_ADOPTED = re.compile(r"^(?P<kind>Resolution|Decision)s?\s+adopted\s+by\s+the\s+(?P<body>.+?)(?:\s+on\s+(?P<date>\d{1,2} \w+ \d{4}))?\s*$")
_ACT_TITLE = re.compile(r"^(?P<number>\d{1,4}/\d{1,4})\.\s+(?P<title>\S.*)$")
_BRACKETED = re.compile(r"^\[.*\]$")


def header_roles(doc: Document) -> dict[str, str]:
    """Name the free blocks of the header: body, meeting body, agenda item title, title, subtitle, draft line."""
    roles: dict[str, str] = {}
    blocks = [b.value for b in doc.header.blocks]
    rest = list(blocks)
    if rest and (ref := gazetteer.lookup(rest[0])) and ref.kind == "body":
        roles["body"] = rest.pop(0)
    if rest and (ref := gazetteer.lookup(rest[0])) and ref.kind == "body":
        roles["meeting_body"] = rest.pop(0)
    for value in list(rest):
        if _ADOPTED.match(value):
            roles["adopted"] = value
            rest.remove(value)
        elif _BRACKETED.match(value):
            roles["committee"] = value
            rest.remove(value)
        elif _ACT_TITLE.match(value):
            roles["act_title"] = value
            rest.remove(value)
            roles["title"] = _ACT_TITLE.match(value).group("title")
    item = doc.header.fields.get("agenda_item")
    if item and rest:
        # the agenda item's title is the block printed right after its label (an act's cover has one too)
        after = [b for b in doc.header.blocks if b.start >= item.end and b.value in rest]
        if after and not _DRAFT.match(after[0].value) and (
                "act_title" not in roles or after[0].start < _block_start(doc, roles["act_title"])):
            roles["agenda_item_title"] = after[0].value
            rest.remove(after[0].value)
    if rest and _DRAFT.match(rest[0]):
        roles["draft"] = rest.pop(0)
    for value in list(rest):
        if _SUBTITLE.match(value) and value is not rest[0]:
            roles["subtitle"] = value
            rest.remove(value)
            break
    if rest and "title" not in roles:
        roles["title"] = rest[0]
    return roles


def _block_start(doc: Document, value: str) -> int:
    return next(b.start for b in doc.header.blocks if b.value == value)


def own_act(doc: Document):
    """When the document is the text of an adopted act: (kind, body slug, number, date, title, header field)."""
    from ..patterns import parse_date

    roles = header_roles(doc)
    adopted = roles.get("adopted")
    numbered = roles.get("act_title")
    if not adopted or not numbered:
        return None
    m = _ADOPTED.match(adopted)
    body = gazetteer.lookup(m.group("body"))
    if body is None or body.kind != "body":
        return None
    t = _ACT_TITLE.match(numbered)
    block = next(b for b in doc.header.blocks if b.value == numbered)
    when = parse_date(m.group("date")) if m.group("date") else None
    return m.group("kind").lower(), body.key, t.group("number"), when, t.group("title"), block


def document_info(doc: Document, source_file: str, content_sha256: str, text_sha256: str,
                  entry: ManifestEntry | None, encoding: str | None) -> DocumentInfo:
    roles = header_roles(doc)
    symbol = own_symbol(doc)
    symbol_from_manifest = False
    if symbol is None and entry and entry.symbol:
        symbol, symbol_from_manifest = entry.symbol, True
    title = roles.get("title")
    title_from_manifest = False
    if title is None and entry and entry.title:
        title, title_from_manifest = entry.title, True
    body = None
    if "body" in roles:
        body = gazetteer.lookup(roles["body"]).key
    agenda_symbol = None
    for fn in doc.footnotes:
        if fn.marker == "*" and fn.called_in == "header":
            for sym, _, _ in find_symbols(fn.text):
                agenda_symbol = sym
                break
    kind = None
    if "adopted" in roles and "act_title" in roles:
        kind = _ADOPTED.match(roles["adopted"]).group("kind").lower()
    elif "draft" in roles:
        kind = "draft-" + _DRAFT.match(roles["draft"]).group("kind").lower()
    elif (sub := roles.get("subtitle", "")):
        low = sub.lower()
        kind = "background-paper" if low.startswith("background paper") else \
            "note" if low.startswith("note") else "report"
    elif title and title.lower().startswith("report"):
        kind = "report"
    return DocumentInfo(
        source_file=source_file,
        content_sha256=content_sha256,
        text_sha256=text_sha256,
        symbol=symbol,
        symbol_from_manifest=symbol_from_manifest,
        title=title,
        title_from_manifest=title_from_manifest,
        issued=header_date(doc.header),
        distribution=doc.header.get("distribution"),
        original_language=doc.header.get("original_language"),
        body=body,
        session_number=header_session_number(doc.header),
        agenda_item=doc.header.get("agenda_item_number"),
        agenda_item_title=roles.get("agenda_item_title"),
        agenda_symbol=agenda_symbol,
        kind=kind,
        language=entry.language if entry and entry.language else None,
        encoding=encoding,
    )
