"""From the UN's markup (AKN4UN) to the same `Facts` the text path gives, and more.

A resolution comes in six files, one per official language, all naming the same FRBR work
(`/akn/un/statement/deliberation/unga/2019-12-27/74-247/`). The files of one work are read together
into one document's facts: the document (A/RES/74/247) and its own act, whose words are those of the
pivot language (English when there is an English file), with every paragraph's text in every
language the markup has, aligned by the paragraph's `eId` (the same in all six files).

What the markup states exactly is taken from it, not guessed: number, dates, title, agenda item,
paragraphs with their `eId`s and numbers, operative verbs (the italic span), the acts and documents
a paragraph links to (`<a href>`), the draft, its sponsors, the committee report, the plenary record,
the vote, the subjects. Where the markup is silent (which mandate an operative paragraph acts on,
which instruments it names), the text path's own extractors read the paragraphs.

Evidence: `Evidence(paragraph key, start, end, quote)`, where `start`/`end` are offsets in the
resolution's *reading text*: `reading_text(resolution)`, the title and then each paragraph (its list
items run on) and each footnote, one per line, in reading order. The paragraph's key ("pp3", "5 (a)",
"fn2") and its `eId` (kept on the paragraph) are what a reader follows back into the XML file.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from defusedxml import DefusedXmlException

from . import gazetteer
from .akn import Clause, MarkupError, Resolution, iter_zip, parse_resolution
from .errors import Failure, LoadError
from .extract import unique_events
from .extract.context import Context, named_bodies
from .extract.mandates import mandate_events
from .extract.references import instrument_references, treaty_series
from .facts import (
    Act, ActKey, ActReference, Adoption, ClauseVerb, DocumentInfo, DocumentReference, EntityRef, Evidence,
    Expression, Facts, MarkupDraft, MarkupRecord, SubjectTerm,
)
from .normalize import NormalizedText
from .offsets import OffsetMap
from .structure import Document, Header, Paragraph

__all__ = [
    "LANGUAGES", "LoadedMarkup", "MarkupFile", "MarkupWork", "group_works", "load_work", "markup_facts",
    "read_markup", "reading_text",
]

# the markup's ISO 639-2 codes -> the ISO 639-1 tags of RDF literals; the order is the pivot's preference
LANGUAGES = {"eng": "en", "fra": "fr", "spa": "es", "rus": "ru", "ara": "ar", "zho": "zh"}
_PIVOT_ORDER = ("en", "fr", "es", "ru", "ar", "zh")
_RECALLING = re.compile(r"^(?:(?:Also|Further|Again)\s+)?(?:[Rr]ecalling|[Rr]eaffirming|[Rr]ecalls|[Rr]eaffirms)\b")


# ---------------------------------------------------------------------------------------------
# Reading files and archives, grouping the files of one work


@dataclass(frozen=True)
class MarkupFile:
    """One markup file read: the name the graph shows ("ga-74-176.en.xml", "ga-74-english.zip:English/74_176.xml")."""

    name: str
    sha256: str
    resolution: Resolution

    @property
    def language(self) -> str:
        code = (self.resolution.language or "").lower()
        return LANGUAGES.get(code, code[:2] or "und")


@dataclass(frozen=True)
class MarkupWork:
    """The files of one resolution (one FRBR work), in the pivot's order of languages."""

    uri: str
    files: tuple[MarkupFile, ...]

    @property
    def sha256(self) -> str:
        """One hash for the work: any file changed, added or removed changes it."""
        digest = hashlib.sha256()
        for f in sorted(self.files, key=lambda f: f.name):
            digest.update(f"{f.name}\0{f.sha256}\n".encode())
        return digest.hexdigest()

    @property
    def name(self) -> str:
        return self.files[0].name


def read_markup(path: str | Path, name: str | None = None) -> tuple[list[MarkupFile], list[Failure]]:
    """Read a markup file or a zip of them. Refusals are `Failure`s naming the file (and the entry).

    A zip is opened only within `iter_zip`'s caps; an archive that breaks one (a climbing name, a bomb,
    an entry larger than the cap) or that carries hostile markup (a DTD, entities) is refused whole:
    nothing of it is kept. An entry that is merely not a resolution fails alone.
    """
    path = Path(path)
    name = name or path.name
    if path.suffix.lower() != ".zip":
        try:
            data = path.read_bytes()
        except OSError as exc:
            return [], [Failure(str(path), "read", exc.strerror or str(exc))]
        try:
            return [MarkupFile(name, hashlib.sha256(data).hexdigest(), parse_resolution(data, str(path)))], []
        except LoadError as exc:
            return [], [exc.record()]
    files: list[MarkupFile] = []
    failures: list[Failure] = []
    try:
        for entry, data in iter_zip(path):
            where = f"{path}:{entry}"
            try:
                res = parse_resolution(data, where)
            except MarkupError as exc:
                if isinstance(exc.__cause__, DefusedXmlException):
                    return [], [Failure(str(path), "read", f"refused the whole archive: entry {entry!r} "
                                                            f"{exc.reason}")]
                failures.append(exc.record())
                continue
            files.append(MarkupFile(f"{name}:{entry}", hashlib.sha256(data).hexdigest(), res))
    except MarkupError as exc:
        return [], [exc.record()]
    return files, failures


def group_works(files: Iterable[MarkupFile]) -> tuple[list[MarkupWork], list[Failure]]:
    """Files grouped by their FRBR work; a second file of a work in a language already read is reported."""
    by_work: dict[str, dict[str, MarkupFile]] = {}
    failures: list[Failure] = []
    for f in files:
        key = f.resolution.work_uri or f"{f.resolution.body}/{f.resolution.kind}/{f.resolution.number}"
        langs = by_work.setdefault(key, {})
        if f.language in langs:
            failures.append(Failure(f.name, "read", f"a second {f.language} file of {f.resolution.symbol} "
                                                    f"(the first: {langs[f.language].name}); not read"))
            continue
        langs[f.language] = f
    works = []
    for uri in sorted(by_work):
        langs = by_work[uri]
        order = sorted(langs, key=lambda l: (_PIVOT_ORDER.index(l) if l in _PIVOT_ORDER else 99, l))
        works.append(MarkupWork(uri, tuple(langs[l] for l in order)))
    return works, failures


# ---------------------------------------------------------------------------------------------
# The reading text and its paragraphs


@dataclass
class _Para:
    key: str
    number: str | None
    kind: str
    text: str
    eid: str
    verb: str | None = None
    parent: str | None = None
    start: int = 0


def _clause_text(c: Clause) -> str:
    items = " ".join(f"{m} {t}" for m, t in c.items)
    return f"{c.text} {items}".strip() if items else c.text


def _paras(res: Resolution) -> list[_Para]:
    """The resolution's paragraphs keyed as the text loaders key them ("pp1", "1", "5 (a)", "fn2")."""
    out: list[_Para] = []
    preambular = 0
    multi = len(res.parts) > 1
    for c in res.clauses():
        prefix = f"{c.part}-" if multi and c.part else ""
        if c.kind == "preambular":
            preambular += 1
            out.append(_Para(f"{prefix}pp{preambular}", None, "preambular", _clause_text(c), c.eid, c.verb))
            continue
        parent = c.number.rsplit(" (", 1)[0] if c.kind == "subparagraph" else None
        out.append(_Para(prefix + c.number, c.number, c.kind, _clause_text(c), c.eid, c.verb,
                         prefix + parent if parent else None))
    for fn in res.footnotes:
        out.append(_Para(f"fn{fn.marker}", None, "footnote", fn.text, fn.eid))
    return out


def reading_text(res: Resolution) -> str:
    """The text evidence offsets count in: the title, then each paragraph and footnote, one per line."""
    return "\n".join([res.title] + [p.text for p in _paras(res)]) + "\n"


def _laid_out(res: Resolution) -> tuple[str, list[_Para]]:
    paras = _paras(res)
    pos = len(res.title) + 1
    for p in paras:
        p.start = pos
        pos += len(p.text) + 1
    return reading_text(res), paras


def _paragraph(p: _Para) -> Paragraph:
    return Paragraph(p.key, p.number, p.kind, p.text, OffsetMap.linear(p.start, len(p.text)),
                     parent=p.parent, verb=p.verb, eid=p.eid)


# ---------------------------------------------------------------------------------------------
# Facts


def _sponsors(names: Sequence[str]) -> tuple[list[EntityRef], list[str]]:
    """Names -> States or bodies; a name that is not exactly one of them is also kept as written."""
    refs: list[EntityRef] = []
    written: list[str] = []
    for name in names:
        core = re.sub(r"\s*\(on behalf of .*\)\s*$", "", name).strip()
        ref = gazetteer.lookup(core)
        if ref is not None and ref.kind in ("state", "body"):
            if ref not in refs:
                refs.append(ref)
            if core != name:
                written.append(name)
        else:
            written.append(name)
    return refs, written


def _draft(res: Resolution) -> MarkupDraft | None:
    c = res.cover
    symbol = _first_symbol(c.draft_symbol)
    if not symbol:
        return None
    sponsors, written = _sponsors(c.sponsors)
    additional, more = _sponsors(c.additional_sponsors)
    return MarkupDraft(symbol, c.draft_date, tuple(sponsors),
                       tuple(a for a in additional if a not in sponsors), tuple(written + more), c.committee)


def _first_symbol(written: str | None) -> str | None:
    """The first symbol of a workflow step's "as" ("A/74/L.8 and A/74/L.8/Add.1" -> "A/74/L.8")."""
    if not written:
        return None
    return re.split(r"\s+and\s+|\s*,\s*|\s*;\s*", written.strip())[0].strip() or None


def _adoption(res: Resolution) -> Adoption | None:
    c = res.cover
    if not (c.committee_report or c.plenary_record or c.vote):
        return None
    v = c.vote
    return Adoption(_first_symbol(c.committee_report), _first_symbol(c.plenary_record), c.plenary_meeting, c.meeting_date,
                    v.outcome if v else None, v.in_favour if v else None, v.against if v else None,
                    v.abstaining if v else None)


def _session(number: str) -> int | None:
    head = number.split("/", 1)[0]
    return int(head) if head.isdigit() else None


def _link_evidence(paras: dict[str, _Para], eid_key: dict[str, str], cursor: dict[str, int],
                   within: str, text: str) -> Evidence | None:
    key = eid_key.get(within)
    if key is None:
        return None
    p = paras[key]
    at = p.text.find(text, cursor.get(key, 0)) if text else -1
    if at < 0:
        return Evidence(key, p.start, p.start + len(p.text), p.text)
    cursor[key] = at + len(text)
    return Evidence(key, p.start + at, p.start + at + len(text), text)


def markup_facts(files: Sequence[MarkupFile]) -> Facts:
    """The facts of one resolution from its markup files (one per language; the first is the pivot)."""
    pivot_file = files[0]
    res = pivot_file.resolution
    pivot = pivot_file.language
    text, laid = _laid_out(res)
    paras = {p.key: p for p in laid}
    eid_key = {p.eid: p.key for p in laid}
    eid_key.setdefault("preface", "title")
    english = pivot == "en"
    combined = MarkupWork(res.work_uri, tuple(files)).sha256
    info = DocumentInfo(
        source_file=pivot_file.name,
        content_sha256=combined,
        text_sha256=hashlib.sha256(text.encode("utf-8")).hexdigest(),
        symbol=res.symbol,
        title=res.title if english else None,
        issued=res.publication,
        distribution="General" if "general" in (res.cover.distribution or "").lower() else None,
        body=res.body or None,
        session_number=_session(res.number),
        agenda_item=res.cover.agenda_item if english else None,
        agenda_item_title=res.cover.agenda_item_title if english else None,
        kind=res.kind,
        language=pivot,
    )
    paragraphs = [_paragraph(p) for p in laid]
    body_paragraphs = [p for p in paragraphs if p.kind != "footnote"]
    facts = Facts(document=info, paragraphs=paragraphs)
    own = ActKey(res.body, res.kind, res.number)
    facts.own_act = own
    facts.acts.append(Act(own, Evidence("title", 0, len(res.title), res.title), date=res.adoption,
                          title=res.title if english else None, session_number=_session(res.number)))
    facts.clause_verbs = [ClauseVerb(p.key, p.verb, p.kind == "operative") for p in body_paragraphs
                          if p.verb and p.kind in ("operative", "preambular")]

    # links: exact, each with the paragraph or footnote it sits in
    cursor: dict[str, int] = {}
    seen_docs: set[tuple[str, str]] = set()
    for link in res.links:
        if link.act is None and link.document is None:
            continue
        ev = _link_evidence(paras, eid_key, cursor, link.within, link.text)
        if ev is None:
            continue
        if link.act is not None:
            if link.act.body not in gazetteer.bodies():
                continue
            p = paras.get(ev.paragraph)
            recalled = bool(p and p.kind == "preambular" and p.verb and _RECALLING.match(p.verb))
            facts.act_references.append(ActReference(ActKey(link.act.body, link.act.kind, link.act.number), ev,
                                                     recalled))
        elif (link.document, ev.paragraph) not in seen_docs:
            seen_docs.add((link.document, ev.paragraph))
            facts.document_references.append(DocumentReference(link.document, ev))

    # where the markup is silent, the text path's extractors read the paragraphs
    norm = NormalizedText(text, OffsetMap.linear(0, len(text)), len(text))
    doc = Document(text, norm, Header(), [], body_paragraphs, [], [])
    ctx = Context(doc, info, issuing_body=res.body or None, named_bodies=named_bodies(body_paragraphs))
    if english:
        facts.instrument_references = instrument_references(ctx, paragraphs)
        facts.treaty_series = treaty_series(ctx, [p for p in paragraphs if p.kind == "footnote"])
        events, pursuant, established, missing = mandate_events(ctx, paragraphs, own_act=own)
        facts.mandate_events = unique_events(events)
        facts.pursuant_to = pursuant
        facts.established_bodies = list(dict.fromkeys(established))
        facts.unresolved.extend(dict.fromkeys(missing))

    # every language's words, aligned by eId
    texts: dict[str, dict[str, str]] = {}
    for f in files:
        other = {p.eid: p.text for p in _paras(f.resolution)}
        for p in laid:
            if p.eid in other:
                texts.setdefault(p.key, {})[f.language] = other[p.eid]
    expressions = tuple(Expression(f.language, f.resolution.expression_uri, f.resolution.title, f.name, f.sha256,
                                   f.resolution.publication) for f in files)
    facts.markup = MarkupRecord(
        work_uri=res.work_uri, pivot=pivot, expressions=expressions, draft=_draft(res),
        adoption=_adoption(res),
        subjects=tuple(SubjectTerm(s.href, s.dictionary, s.value) for s in res.subjects),
        texts=texts)
    return facts


@dataclass(frozen=True)
class _Source:
    sha256: str
    path: str


@dataclass(frozen=True)
class LoadedMarkup:
    """What the build maps: the facts, and the source's hash (the work's, over all its files)."""

    source: _Source
    facts: Facts
    files: tuple[str, ...] = field(default=())


def load_work(work: MarkupWork) -> LoadedMarkup:
    """One work's files -> its facts. Raises `LoadError` naming the pivot file on any failure."""
    try:
        facts = markup_facts(work.files)
    except LoadError:
        raise
    except Exception as exc:  # one document's boundary: a failure costs that resolution only, and says why
        raise LoadError(work.name, "extract", f"could not read the markup's facts ({type(exc).__name__}: {exc})") from exc
    return LoadedMarkup(_Source(work.sha256, work.name), facts, tuple(f.name for f in work.files))
