"""Read one AKN4UN file (the UN's Akoma Ntoso markup of a resolution) into plain typed records.

The markup states exactly what the text loaders must guess from layout: the act's number and dates,
every paragraph with its `eId`, the operative verb in its own span, footnotes where they are called,
links whose target symbol says which act or document is meant, and the workflow behind the act
(draft, sponsors, committee report, plenary record, vote). These records are what the markup says and
nothing more (no RDF, no entity resolution), so that they can serve both as facts and as the answer
key against which the text loaders are measured (`bench/eval_dev.py`).

Files come from outside, so parsing refuses DTDs, entities and external references (defusedxml), and
`iter_zip` opens an archive only within caps on entries, sizes and compression ratio.
"""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass
from functools import lru_cache
from datetime import date
from pathlib import Path, PurePosixPath
from typing import Iterator
from urllib.parse import unquote, urlsplit
from xml.etree.ElementTree import Element, ParseError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring

from .errors import LoadError

__all__ = [
    "ActLink", "Clause", "Cover", "Footnote", "Link", "MarkupError", "Resolution", "Subject", "Vote",
    "classify_symbol", "iter_zip", "parse_resolution",
]

AKN = "{http://docs.oasis-open.org/legaldocml/ns/akn/3.0}"


class MarkupError(LoadError):
    """A markup file (or an archive of them) that is refused or cannot be read; names the file."""

    def __init__(self, path: str | Path, reason: str):
        super().__init__(path, "read", reason)


# ---------------------------------------------------------------------------------------------
# The records


@dataclass(frozen=True, order=True)
class ActLink:
    """An act named by a link's target: ("ga", "resolution", "65/230")."""

    body: str
    kind: str
    number: str


@dataclass(frozen=True)
class Link:
    """An `<a href>` in the text. `within` is the eId of the paragraph or footnote it sits in.

    Exactly one of `act` (the target is an act's symbol) and `document` (any other UN symbol,
    upper-cased as written) is set when the target is a UN document; neither for other addresses.
    """

    href: str
    text: str
    within: str
    act: ActLink | None = None
    document: str | None = None


@dataclass(frozen=True)
class Footnote:
    marker: str
    text: str
    called_in: str  # eId of the paragraph (or "preface") whose text calls it
    eid: str


@dataclass(frozen=True)
class Clause:
    """A preambular or operative paragraph, or an operative sub-paragraph.

    `number` is None for preambular paragraphs, "1" for operative ones, "5 (a)" or "2 (a) (i)" for
    sub-paragraphs. `calls` are the footnote markers with their offsets in `text` (the marker itself
    is not in `text`). `items` are the lettered items of a preambular list that follows the clause.
    """

    eid: str
    kind: str  # "preambular" | "operative" | "subparagraph"
    number: str | None
    verb: str | None
    text: str
    calls: tuple[tuple[str, int], ...] = ()
    part: str | None = None  # "A", "B" in a collection of resolutions under one number
    items: tuple[tuple[str, str], ...] = ()
    heading: str | None = None  # a heading printed just before this clause ("I. General")

    @property
    def footnotes(self) -> tuple[str, ...]:
        return tuple(m for m, _ in self.calls)

    @property
    def key(self) -> str:
        """The paragraph's identity as the text loaders key it ("pp3", "5", "5 (a)")."""
        return self.number if self.number is not None else self.eid


@dataclass(frozen=True)
class Subject:
    href: str
    dictionary: str
    value: str


@dataclass(frozen=True)
class Vote:
    outcome: str  # "adoptedWithoutVote" | "adoptedRecordedVote" | ...
    in_favour: int | None = None
    against: int | None = None
    abstaining: int | None = None


@dataclass(frozen=True)
class Cover:
    """What the cover page and the workflow say about how the act came to be adopted."""

    agenda_item: str | None = None  # "107", "19 and 20"
    agenda_item_title: str | None = None
    proponent: str | None = None  # "[on the report of the Third Committee (A/74/401)]"
    committee: str | None = None  # "Third Committee"
    committee_report: str | None = None  # "A/74/401"
    draft_symbol: str | None = None
    draft_date: date | None = None
    sponsors: tuple[str, ...] = ()
    additional_sponsors: tuple[str, ...] = ()
    plenary_record: str | None = None  # "A/74/PV.52"
    plenary_meeting: str | None = None  # "52nd (resumed) plenary meeting"
    meeting_date: date | None = None
    vote: Vote | None = None
    adopted_line: str | None = None  # "Resolution adopted by the General Assembly on 27 December 2019"
    cover_symbol: str | None = None  # as printed: "A/RES/74/92 A-B"
    job_number: str | None = None  # "19-22674 (E)"
    distribution: str | None = None
    session: str | None = None  # "Seventy-fourth session"


@dataclass(frozen=True)
class Resolution:
    source: str
    number: str  # "74/247"
    symbol: str  # "A/RES/74/247"
    body: str  # the author's slug: "ga"
    kind: str  # "resolution"
    adoption: date | None
    publication: date | None
    language: str | None
    title: str
    cover: Cover
    subjects: tuple[Subject, ...] = ()
    preamble: tuple[Clause, ...] = ()
    operative: tuple[Clause, ...] = ()
    footnotes: tuple[Footnote, ...] = ()
    links: tuple[Link, ...] = ()
    parts: tuple[tuple[str, str], ...] = ()  # ("A", "Information in the service of humanity")
    work_uri: str = ""  # FRBRWork: "/akn/un/statement/deliberation/unga/2019-12-27/74-247/", alike in every language
    expression_uri: str = ""  # FRBRExpression: ".../74-247/fra@/", one per language

    @property
    def act(self) -> ActLink:
        return ActLink(self.body, self.kind, self.number)

    def clauses(self) -> list[Clause]:
        """Preambular and operative clauses in reading order, part by part."""
        order = {p: i for i, (p, _) in enumerate(self.parts)}
        both = list(self.preamble) + list(self.operative)
        return sorted(both, key=lambda c: (order.get(c.part, 0), c.kind != "preambular"))


# ---------------------------------------------------------------------------------------------
# Symbols


_ACT_SYMBOLS = [
    # (pattern over the upper-cased symbol, body, kind, how to spell the number)
    (re.compile(r"^A/RES/((?:E?S-)?\d{1,4}/\d{1,4})(?:\s*[A-Z](?:-[A-Z])?)?$"), "ga", "resolution", "{0}"),
    (re.compile(r"^A/RES/(\d{1,4})\s*\(([IVXLC]+|ES-[IVX]+|S-[IVX]+)\)$"), "ga", "resolution", "{0} ({1})"),
    (re.compile(r"^A/DEC/((?:E?S-)?\d{1,4}/\d{1,4}[A-Z]?)$"), "ga", "decision", "{0}"),
    (re.compile(r"^E/RES/(\d{4}/\d{1,4})$"), "ecosoc", "resolution", "{0}"),
    (re.compile(r"^E/DEC/(\d{4}/\d{1,4})$"), "ecosoc", "decision", "{0}"),
    (re.compile(r"^S/RES/(\d{1,4})\s*\((\d{4})\)$"), "unsc", "resolution", "{0} ({1})"),
    (re.compile(r"^A/HRC/RES/((?:S-)?\d{1,3}/\d{1,4})$"), "hrc", "resolution", "{0}"),
    (re.compile(r"^A/HRC/DEC/((?:S-)?\d{1,3}/\d{1,4})$"), "hrc", "decision", "{0}"),
]
_UNDOCS = re.compile(r"^(?:www\.)?undocs\.org$", re.I)
_LANG = re.compile(r"^(?:en|fr|es|ar|ru|zh)$", re.I)


def classify_symbol(symbol: str) -> ActLink | None:
    """The act a UN symbol is the text of, or None when the symbol is not an act's."""
    s = re.sub(r"\s+", " ", symbol.strip().upper())
    for pattern, body, kind, spell in _ACT_SYMBOLS:
        m = pattern.match(s)
        if m:
            return ActLink(body, kind, spell.format(*m.groups()))
    return None


def symbol_of_href(href: str) -> str | None:
    """The UN symbol an undocs.org address points at ("https://undocs.org/en/A/74/130" -> "A/74/130")."""
    parts = urlsplit(href.strip())
    if not _UNDOCS.match(parts.netloc or ""):
        return None
    path = unquote(parts.path).strip("/")
    head, _, rest = path.partition("/")
    if _LANG.match(head) and rest:
        path = rest
    path = re.sub(r"\s+", " ", path).strip()
    return path.upper() or None


# ---------------------------------------------------------------------------------------------
# Inline text: words, footnote calls and links of one paragraph


def _local(el: Element) -> str:
    tag = el.tag if isinstance(el.tag, str) else ""
    return tag.rsplit("}", 1)[-1]


def _collapse(s: str) -> str:
    return re.sub(r"\s+", " ", s)


class _Inline:
    """Gathers a paragraph's words with single spaces, remembering where footnotes are called."""

    def __init__(self) -> None:
        self.buf: list[str] = []
        self.length = 0
        self.calls: list[tuple[str, int]] = []
        self.last_space = True  # nothing yet: leading spaces are dropped

    def add(self, s: str | None) -> None:
        if not s:
            return
        s = _collapse(s)
        if self.last_space and s.startswith(" "):
            s = s[1:]
        if not s:
            return
        self.buf.append(s)
        self.length += len(s)
        self.last_space = s.endswith(" ")

    def call(self, marker: str) -> None:
        # a call sits right after the word it is glued to, before any space
        pos = self.length - 1 if self.last_space and self.length else self.length
        self.calls.append((marker, pos))

    def result(self) -> tuple[str, tuple[tuple[str, int], ...]]:
        text = "".join(self.buf)
        stripped = text.rstrip()
        calls = tuple((m, min(pos, len(stripped))) for m, pos in self.calls)
        return stripped, calls


class _Reader:
    """Walks one file's tree; collects footnotes and links in document order."""

    def __init__(self, source: str):
        self.source = source
        self.footnotes: list[Footnote] = []
        self.links: list[Link] = []

    def inline(self, el: Element, within: str, acc: _Inline | None = None, top: bool = True) -> _Inline:
        acc = acc or _Inline()
        if top:
            acc.add(el.text)
        for child in el:
            name = _local(child)
            if name == "authorialNote":
                marker = (child.get("marker") or "").strip()
                acc.call(marker)
                self.footnote(child, marker, within)
            elif name == "sup":
                marker = "".join(child.itertext()).strip()
                if marker:
                    acc.call(marker)  # a second call of a footnote already given
            elif name in ("eol", "br"):
                acc.add(" ")
            else:
                start = acc.length
                acc.add(child.text)
                self.inline(child, within, acc, top=False)
                if name == "a" and child.get("href"):
                    text = "".join(acc.buf)[start:acc.length].strip()
                    self.link(child.get("href", ""), text, within)
            acc.add(child.tail)
        return acc

    def footnote(self, note: Element, marker: str, called_in: str) -> None:
        eid = note.get("eId") or f"authorialNote_{marker}"
        text, _ = self.inline(note, eid).result()
        self.footnotes.append(Footnote(marker, text, called_in, eid))

    def link(self, href: str, text: str, within: str) -> None:
        symbol = symbol_of_href(href)
        act = classify_symbol(symbol) if symbol else None
        self.links.append(Link(href, text, within, act, None if act or not symbol else symbol))


# ---------------------------------------------------------------------------------------------
# Paragraphs

_NUM = re.compile(r"^\s*(\d{1,3})\.\s*$")
_SUB_NUM = re.compile(r"^\s*\(([a-z]{1,2}|[ivxl]{1,6})\)\s*$")
_SUB_IN_TEXT = re.compile(r"^\s*\(([a-z]{1,2}|[ivxl]{1,6})\)\s+")
_ROMAN = re.compile(r"^[ivxl]+$")
_NUM_IN_TEXT = re.compile(r"^\s*(\d{1,3})\s*[-.]\s+")  # Arabic: "1 -" in the paragraph's text


def _next_letter(letter: str | None) -> str:
    """The letter after `letter` in UN lettering: "a" ... "z", then "aa", "bb" ... "zz"."""
    if not letter:
        return "a"
    last = letter[-1]
    if last == "z":
        return "a" * (len(letter) + 1)
    return chr(ord(last) + 1) * len(letter)


def _leading_verb(p: Element) -> str | None:
    """The italic span that opens a paragraph: the operative or preambular verb (bold in Chinese;
    after the paragraph's number in Arabic, which prints "1 -" in the text rather than in `<num>`)."""
    if (p.text or "").strip() and not _NUM_IN_TEXT.match(p.text or ""):
        return None
    for child in p:
        classes = (child.get("class") or "").split()
        if _local(child) == "span" and ("italic" in classes or classes == ["bold"]):
            verb = _collapse("".join(child.itertext())).strip()
            return verb or None
        return None
    return None


def _first_p(el: Element) -> Element | None:
    for p in el.iter(AKN + "p"):
        return p
    return None


class _Operative:
    """Numbers the operative part: paragraphs "1.", sub-paragraphs "(a)" and their "(i)" items."""

    def __init__(self) -> None:
        self.number: str | None = None
        self.letter: str | None = None
        self.roman: str | None = None

    def key(self, marker: str) -> tuple[str, str] | None:
        m = _NUM.match(marker)
        if m:
            self.number, self.letter, self.roman = m.group(1), None, None
            return "operative", self.number
        m = _SUB_NUM.match(marker)
        if not m or self.number is None:
            return None
        token = m.group(1)
        is_roman = bool(_ROMAN.match(token)) and token != _next_letter(self.letter) and self.letter is not None
        if is_roman:
            self.roman = token
            return "subparagraph", f"{self.number} ({self.letter}) ({token})"
        self.letter, self.roman = token, None
        return "subparagraph", f"{self.number} ({token})"


def _read_statement(reader: _Reader, st: Element, part: str | None) -> tuple[list[Clause], list[Clause]]:
    preamble: list[Clause] = []
    operative: list[Clause] = []
    pre = st.find(AKN + "preamble")
    if pre is not None:
        for child in pre.iter():
            name = _local(child)
            if name == "container":
                eid = child.get("eId", "")
                p = _first_p(child)
                if p is None:
                    continue
                text, calls = reader.inline(p, eid).result()
                if text:
                    preamble.append(Clause(eid, "preambular", None, _leading_verb(p), text, calls, part))
            elif name == "item" and preamble:
                num = child.find(AKN + "num")
                p = child.find(AKN + "p")
                if p is None:
                    continue
                text, _ = reader.inline(p, preamble[-1].eid).result()
                marker = _collapse("".join(num.itertext())).strip() if num is not None else ""
                last = preamble[-1]
                preamble[-1] = Clause(last.eid, last.kind, last.number, last.verb, last.text, last.calls,
                                      last.part, last.items + ((marker, text),))
    body = st.find(AKN + "mainBody")
    if body is None:
        return preamble, operative
    numbering = _Operative()
    heading: str | None = None
    for para in body.iter(AKN + "paragraph"):
        eid = para.get("eId", "")
        num = para.find(AKN + "num")
        marker = _collapse("".join(num.itertext())).strip() if num is not None else ""
        titled = para.find(AKN + "subheading")
        if titled is None:
            titled = para.find(AKN + "heading")
        content = para.find(AKN + "content")
        p = _first_p(content) if content is not None else None
        if p is None:
            if titled is not None:
                heading = _collapse(" ".join(x for x in (marker, "".join(titled.itertext())) if x)).strip()
            continue
        verb = _leading_verb(p)
        acc = reader.inline(p, eid)
        text, calls = acc.result()
        if not marker:
            m = _SUB_IN_TEXT.match(text)
            n = _NUM_IN_TEXT.match(text)
            if n and not m:
                m, marker = n, f"{n.group(1)}."
            if m:
                marker = marker or f"({m.group(1)})"
                cut = m.end()
                text = text[cut:]
                calls = tuple((mk, max(0, pos - cut)) for mk, pos in calls)
        keyed = numbering.key(marker) if marker else None
        if keyed is None or not text:
            continue
        kind, number = keyed
        operative.append(Clause(eid, kind, number, verb if kind == "operative" else None, text, calls, part,
                                heading=heading))
        heading = None
    return preamble, operative


# ---------------------------------------------------------------------------------------------
# Metadata


def _date(value: str | None) -> date | None:
    if not value or value.startswith("0001"):
        return None
    try:
        return date.fromisoformat(value.strip()[:10])
    except ValueError:
        return None


def _names(written: str | None) -> tuple[str, ...]:
    """Sponsors as written, split on ", " and " and ", keeping whole the names that contain "and"
    ("Antigua and Barbuda", "Saint Vincent and the Grenadines": the UN's names of States)."""
    if not written or not written.strip():
        return ()
    if written.strip()[:1].islower():
        # not a list of names but a sentence: "submitted by the Chair of the Committee on the
        # recommendation of the Economic and Social Council"
        return (written.strip(),)
    known = _and_names()
    out: list[str] = []
    for piece in _top_level(written.strip(), r"\s*,\s*"):
        segs = [x.strip() for x in _top_level(piece, r"\s+and\s+") if x.strip()]
        i = 0
        while i < len(segs):
            j = next((j for j in range(len(segs), i + 1, -1) if " and ".join(segs[i:j]) in known), i + 1)
            out.append(" and ".join(segs[i:j]))
            i = j
    return tuple(out)


def _top_level(text: str, separator: str) -> list[str]:
    """`text` split on `separator` where it stands outside parentheses: "Kenya (on behalf of the
    Group of 77 and China), Peru" -> two pieces, the parenthesis kept whole."""
    pieces, last, depth = [], 0, 0
    for m in re.finditer(rf"[()]|{separator}", text):
        token = m.group(0)
        if token == "(":
            depth += 1
        elif token == ")":
            depth = max(0, depth - 1)
        elif depth == 0:
            pieces.append(text[last:m.start()])
            last = m.end()
    pieces.append(text[last:])
    return pieces


@lru_cache(maxsize=1)
def _and_names() -> frozenset[str]:
    from . import gazetteer

    return frozenset(n for n in gazetteer.state_names() if " and " in n)


def _text(el: Element | None) -> str | None:
    if el is None:
        return None
    s = _collapse("".join(el.itertext())).strip()
    return s or None


def _frbr(root: Element, section: str, tag: str, name: str | None = None, attr: str = "date") -> str | None:
    for sec in root.iter(AKN + section):
        for el in sec.iter(AKN + tag):
            if name is None or el.get("name") == name:
                return el.get(attr)
    return None


def _inline_named(cover: Element | None, name: str) -> str | None:
    if cover is None:
        return None
    for el in cover.iter(AKN + "inline"):
        if el.get("name") == name:
            return _text(el)
    return None


def _first(steps: dict[str, Element], *outcomes: str) -> Element | None:
    for outcome in outcomes:
        if steps.get(outcome) is not None:
            return steps[outcome]
    return None


def _cover(root: Element, cover: Element | None) -> Cover:
    steps = {s.get("outcome"): s for s in root.iter(AKN + "step")}
    # (an element without children is falsy: test for None, never with `or`)
    draft = _first(steps, "draftResolution", "draftDecision")
    extra = _first(steps, "draftResolutionAdditionalSponsors", "draftDecisionAdditionalSponsors")
    report = steps.get("recommendedForAdoption")
    adopted = steps.get("adopted")
    agenda = _inline_named(cover, "agenda item")
    if agenda:
        agenda = re.sub(r"^Agenda items?\s+", "", agenda, flags=re.I)
    proponent = _text(cover.find(f".//{AKN}docProponent")) if cover is not None else None
    committee = None
    if proponent:
        m = re.search(r"report of the (.+?Committee(?: \([A-Za-z]+ Committee\))?)", proponent)
        committee = m.group(1) if m else None
    report_symbol = None
    if report is not None and (report.get("as") or "").strip():
        report_symbol = re.split(r",|\s+and\s+", report.get("as", ""))[0].strip() or None
    if report_symbol is None:
        report_symbol = _inline_named(cover, "originating document")
    vote = None
    voting = next(root.iter(AKN + "voting"), None)
    if voting is not None:
        counts = {}
        for c in voting.iter(AKN + "count"):
            value = (c.get("value") or "").strip()
            counts[c.get("refersTo")] = int(value) if value.isdigit() else None
        vote = Vote(voting.get("outcome", ""), counts.get("inFavour"), counts.get("against"), counts.get("abstaining"))
    meeting = next((el for el in root.iter(AKN + "inline") if el.get("name") == "adoptionMeeting"), None)
    concl = next(root.iter(AKN + "conclusions"), None)
    meeting_date = None
    if concl is not None:
        d = concl.find(f".//{AKN}docDate")
        meeting_date = _date(d.get("date")) if d is not None else None
    adopted_line = None
    cover_symbol = None
    distribution = session = None
    if cover is not None:
        adopted_line = _text(cover.find(f".//{AKN}docTitle"))
        cover_symbol = _text(cover.find(f".//{AKN}docNumber"))
        distribution = _text(cover.find(f".//{AKN}docStatus"))
        session = _text(cover.find(f".//{AKN}session"))
    job = _text(next(root.iter(AKN + "docketNumber"), None))
    return Cover(
        agenda_item=agenda,
        agenda_item_title=_inline_named(cover, "agenda item name"),
        proponent=proponent,
        committee=committee,
        committee_report=report_symbol,
        draft_symbol=((draft.get("as") or "").strip() or None) if draft is not None else None,
        draft_date=_date(draft.get("date")) if draft is not None else None,
        sponsors=_names(draft.get("by")) if draft is not None else (),
        additional_sponsors=_names(extra.get("by")) if extra is not None else (),
        plenary_record=((adopted.get("as") or "").strip() or None) if adopted is not None else None,
        plenary_meeting=_text(meeting),
        meeting_date=meeting_date,
        vote=vote,
        adopted_line=adopted_line,
        cover_symbol=cover_symbol,
        job_number=job,
        distribution=distribution,
        session=session,
    )


def _subjects(root: Element) -> tuple[Subject, ...]:
    seen: dict[str, Subject] = {}
    for kw in root.iter(AKN + "keyword"):
        href = kw.get("href", "")
        if href and href not in seen:
            seen[href] = Subject(href, kw.get("dictionary", ""), kw.get("value", ""))
    return tuple(seen.values())


# ---------------------------------------------------------------------------------------------
# The whole file


def _parse_xml(data: bytes, source: str) -> Element:
    try:
        return fromstring(data, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except DefusedXmlException as exc:
        raise MarkupError(source, f"refused: the markup declares a DTD, entities or external references "
                                  f"({type(exc).__name__})") from exc
    except ParseError as exc:
        raise MarkupError(source, f"not well-formed XML ({exc})") from exc


def parse_resolution(data: bytes, source: str = "<bytes>") -> Resolution:
    """One AKN4UN file's bytes -> its `Resolution`. Raises `MarkupError` naming `source` when refused."""
    root = _parse_xml(data, source)
    if _local(root) != "akomaNtoso":
        raise MarkupError(source, f"not Akoma Ntoso markup (root element <{_local(root)}>)")
    top = next((c for c in root if _local(c) in ("statement", "documentCollection")), None)
    if top is None:
        raise MarkupError(source, "no <statement> or <documentCollection> in the markup")
    preface = top.find(AKN + "preface")
    number = _text(preface.find(f".//{AKN}docNumber")) if preface is not None else None
    title = _text(preface.find(f".//{AKN}docTitle")) if preface is not None else None
    if not number:
        raise MarkupError(source, "the preface gives no act number (<docNumber>)")
    number = number.rstrip(".").strip()
    reader = _Reader(source)
    title_acc = reader.inline(preface.find(f".//{AKN}docTitle"), "preface")  # footnotes called in the title
    title = title_acc.result()[0] or title or ""
    title = re.sub(r"^[\s\-–—]+", "", title)  # the Arabic cover prints "74/247 - <title>"
    preamble: list[Clause] = []
    operative: list[Clause] = []
    parts: list[tuple[str, str]] = []
    kind = top.get("name", "resolution")
    if _local(top) == "statement":
        preamble, operative = _read_statement(reader, top, None)
    else:
        for st in root.iter(AKN + "statement"):
            kind = st.get("name", "resolution")
            pf = st.find(AKN + "preface")
            label = (_text(pf.find(f".//{AKN}docNumber")) or "").rstrip(".") if pf is not None else ""
            part_title = (_text(pf.find(f".//{AKN}docTitle")) or "") if pf is not None else ""
            parts.append((label, part_title))
            a, b = _read_statement(reader, st, label or None)
            preamble += a
            operative += b
    body = _frbr(root, "FRBRWork", "FRBRauthor", attr="href") or ""
    return Resolution(
        source=source,
        number=number,
        symbol=f"A/RES/{number}" if body == "ga" else number,
        body=body.lstrip("#"),
        kind=kind,
        adoption=_date(_frbr(root, "FRBRWork", "FRBRdate", "adoption")),
        publication=_date(_frbr(root, "FRBRExpression", "FRBRdate", "publication")),
        language=_frbr(root, "FRBRExpression", "FRBRlanguage", attr="language"),
        title=title,
        cover=_cover(root, top.find(AKN + "coverPage")),
        subjects=_subjects(root),
        preamble=tuple(preamble),
        operative=tuple(operative),
        footnotes=tuple(reader.footnotes),
        links=tuple(reader.links),
        parts=tuple(parts),
        work_uri=_frbr(root, "FRBRWork", "FRBRuri", attr="value") or "",
        expression_uri=_frbr(root, "FRBRExpression", "FRBRuri", attr="value") or "",
    )


# ---------------------------------------------------------------------------------------------
# Archives

MAX_ENTRIES = 5000
MAX_ENTRY_BYTES = 16 * 1024 * 1024
MAX_TOTAL_BYTES = 256 * 1024 * 1024
MAX_RATIO = 100


def _safe_name(name: str) -> bool:
    if not name or "\\" in name or name.startswith("/") or re.match(r"^[A-Za-z]:", name):
        return False
    return ".." not in PurePosixPath(name).parts


def iter_zip(path: str | Path, *, suffix: str = ".xml", max_entries: int = MAX_ENTRIES,
             max_entry_bytes: int = MAX_ENTRY_BYTES, max_total_bytes: int = MAX_TOTAL_BYTES,
             max_ratio: int = MAX_RATIO) -> Iterator[tuple[str, bytes]]:
    """Yield (entry name, bytes) for each `suffix` entry of a zip, in name order, within caps.

    The caps are checked on the declared sizes before anything is inflated, and again on the bytes
    actually inflated (a forged header cannot smuggle a larger entry). Every refusal is a
    `MarkupError` naming the zip and the entry.
    """
    path = Path(path)
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as exc:
        raise MarkupError(path, f"not a readable zip file ({exc})") from exc
    with archive:
        infos = [i for i in archive.infolist() if not i.is_dir()]
        if len(infos) > max_entries:
            raise MarkupError(path, f"refused: {len(infos)} entries, more than the cap of {max_entries}")
        for info in infos:
            if not _safe_name(info.filename):
                raise MarkupError(path, f"refused entry {info.filename!r}: an absolute path or one that "
                                        "climbs out of the archive ('..')")
        total = 0
        for info in sorted(infos, key=lambda i: i.filename):
            if not info.filename.lower().endswith(suffix):
                continue
            where = f"entry {info.filename!r}"
            if info.file_size > max_entry_bytes:
                raise MarkupError(path, f"refused {where}: {info.file_size} bytes uncompressed, "
                                        f"more than the cap of {max_entry_bytes}")
            if info.file_size > 1024 * 1024 and info.file_size > max_ratio * max(info.compress_size, 1):
                raise MarkupError(path, f"refused {where}: compression ratio "
                                        f"{info.file_size // max(info.compress_size, 1)}:1 above {max_ratio}:1 "
                                        "(a zip bomb?)")
            if total + info.file_size > max_total_bytes:
                raise MarkupError(path, f"refused {where}: the archive inflates to more than {max_total_bytes} bytes")
            with archive.open(info) as fh:
                data = fh.read(max_entry_bytes + 1)
            if len(data) > max_entry_bytes or len(data) != info.file_size:
                raise MarkupError(path, f"refused {where}: inflates to another size than its header declares")
            total += len(data)
            yield info.filename, data
