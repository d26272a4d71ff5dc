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

from .. import drafting, gazetteer
from ..facts import (
    Act, ActKey, ActReference, DocumentReference, Evidence, InstrumentReference, TreatySeriesReference,
    UnresolvedMention,
)
from ..patterns import (
    ACT_ITEM, ACT_LIST, RES_SERIES, RES_SYMBOL, SC_ITEM, SC_LIST, SYMBOL_SEQUEL, CONTINUED_ITEM, canonical_act_number,
    find_symbols,
    parse_date,
)
from ..structure import Paragraph
from .context import Context

_TITLE_AFTER = re.compile(r"^,?\s*entitled\s+[“\"](?P<title>[^”\"]{3,300})[”\"]")
_OF_BODY_AFTER = re.compile(r"^\s+of\s+the\s+")
_LOCATOR = re.compile(r"^,?\s*(?P<loc>(?:paras?|sects?|chap|annex|p)\.\s*[\w.\-–]+(?:\s*(?:and|-|–)\s*[\w.]+)?)")
# "In its decision 4/4, the Conference … decided": the body is the subject named after the act
_IN_ITS = re.compile(r"(?:^|[.;]\s+|\b)(?:In|By|Through|Under|in|by|through|under)\s+its\s+$")
_SUBJECT_AFTER = re.compile(r"^(?:\s+of\s+\d{1,2}\s+\w+\s+\d{4})?\s*,\s*")
# "its resolution": the body named last before it in the same clause; a new clause ("…, and recalling
# also its resolution …") has the act's own body as its subject again
_ITS = re.compile(r"\b(?:its|[Ii]ts\s+own|their)\s*$")
_NEW_CLAUSE = re.compile(r"(?:[;.]|,\s*(?:and\s+)?" + drafting.pattern("new-clause") + r")\b", re.I)
# a body the gazetteer may not know: "the United Nations Environment Assembly", "the Conference"
_BODY_WORD = re.compile(
    r"\b(?:[A-Z][\w\-]*\s+(?:(?:of|on|for|and|the|to|against)\s+)*)*"
    r"(?:Assembly|Council|Commission|Conference|Committee|Board|Forum|Congress|Summit|Meeting|Organization|"
    r"Organisation|Parties)\b")
_KIND_WORD = {"ga": "Assembly", "ecosoc": "Council", "unsc": "Council", "hrc": "Council", "ccpcj": "Commission",
              "cnd": "Commission", "csw": "Commission", "untoc-cop": "Conference", "uncac-cosp": "Conference"}
# bodies whose acts are numbered by year ("2013/1") rather than by session ("74/176")
YEAR_NUMBERED = frozenset({"ecosoc"})
# the highest session number a body's act can plausibly carry (a few decades ahead of today)
_SESSION_CEILING = {"untoc-cop": 30, "uncac-cosp": 30, "unea": 30, "hrc": 100, "ccpcj": 70, "ga": 120}
# bodies that adopt decisions and resolutions, by class, and by slug where the class does not say
_ADOPTING_CLASSES = frozenset({"ConferenceOfParties", "PrincipalOrgan", "FunctionalCommission", "RegionalCommission"})
_ADOPTING = frozenset({"ga", "ecosoc", "unsc", "hrc", "ccpcj", "cnd", "csw", "untoc-cop", "uncac-cosp", "unea",
                       "wha", "ilc", "unesco", "ilo"})


@dataclass(frozen=True)
class ActMention:
    key: ActKey
    start: int
    end: int
    date_text: str | None
    title: str | None


def adopts_acts(slug: str) -> bool:
    record = gazetteer.bodies().get(slug)
    return slug in _ADOPTING or (record is not None and record.cls in _ADOPTING_CLASSES)


def plausible_number(body: str, number: str, named: bool = True) -> bool:
    """Whether `number` is numbered the way `body` numbers its acts (a year for ECOSOC, a session elsewhere).

    A body named in the words is only held to its way of numbering; a body inferred from the document
    (a bare "resolution 5/2") is also held to the sessions it can have held.
    """
    if "(" in number:  # the first numbering, session in Roman numerals: the Assembly and the Council of then
        return body in ("ga", "ecosoc")
    first = number.split("/")[0]
    if not first.isdigit():
        return body in ("ga", "hrc")  # special and emergency special sessions: "S-26/2"
    value = int(first)
    second = number.split("/")[1] if "/" in number else ""
    if second.isdigit() and len(second) == 4 and body not in YEAR_NUMBERED:
        return False  # "7/2019": numbered by session and year, as no body we know numbers its acts
    if body in YEAR_NUMBERED:
        return 1946 <= value <= 2100
    return 1 <= value <= (_SESSION_CEILING.get(body, 120) if not named else 200)


def _body_before(ctx: Context, text: str, start: int) -> tuple[str | None, bool]:
    """The adopting body named just before an act's kind word, and whether one was named at all."""
    window = text[max(0, start - 160):start]
    # "Commission on Crime Prevention and Criminal Justice decisions", "General Assembly resolutions"
    matches = [m for m in gazetteer.find(window, ("body",))]
    if matches:
        last = matches[-1]
        between = window[last.end:]
        if re.fullmatch(r"\s*(?:,\s*)?(?:in\s+its\s+|in\s+|by\s+its\s+|its\s+)?", between) or _NAMED_THEN_LISTED.fullmatch(between):
            return last.entity.key, True
    m = re.search(r"\b(Conference|Assembly|Council|Commission)(?:'s|’s)?\s*(?:,\s*in\s+its\s+)?$", window)
    if m and re.search(r"[A-Z][\w\-]*\s+$", window[:m.start()]):
        return None, True  # "Environment Assembly resolution 2/21": a body of that word, not the document's own
    if m:
        if ctx.act_body and _KIND_WORD.get(ctx.act_body) == m.group(1):
            return ctx.act_body, True  # "Assembly resolution" in the Assembly's own text
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

_OF_DATE_AFTER = re.compile(r"^\s+of\s+\d{1,2}\s+\w+\s+\d{4}")  # "… of 19 December 2006", compiled once

def _of_unknown_body(ctx: Context, text: str, end: int) -> bool:
    rest = _OF_DATE_AFTER.sub("", text[end:end + 200])
    m = _OF_BODY_AFTER.match(rest)
    return bool(m and _BODY_WORD.match(rest, m.end()))


def _subject_after(ctx: Context, text: str, end: int) -> tuple[str | None, bool]:
    """"In its decision 4/4, the Conference of the Parties … decided": the subject after the comma."""
    m = _SUBJECT_AFTER.match(text[end:end + 60])
    if not m:
        return None, False
    rest = text[end + m.end():end + m.end() + 200]
    hits = [h for h in ctx.entities(rest, ("body",)) if h[1] <= 4]
    if hits:
        return hits[0][0].key, True
    word = _BODY_WORD.match(re.sub(r"^the\s+", "", rest))
    return None, bool(word)


def _its_body(ctx: Context, text: str, start: int) -> tuple[str | None, bool]:
    """Whose act "its resolution" is: the body named last in the same clause, else the act's own body.

    Returns (body, decided): decided is False when a body is named that cannot be told or adopts no acts.
    """
    clause_start = 0
    for m in _NEW_CLAUSE.finditer(text, 0, start):
        clause_start = m.end()
    clause = text[clause_start:start]
    named = ctx.entities(clause, ("body",))
    known = [k for k in named if adopts_acts(k[0].key)]  # "the Secretary-General … in its resolution": not his
    last_known = known[-1] if known else None
    unknown = [m for m in _BODY_WORD.finditer(clause)
               if not any(a <= m.start() < b or m.start() <= a < m.end() for _, a, b in named)]
    if unknown and (last_known is None or unknown[-1].start() > last_known[1]):
        return None, False  # "the United Nations Environment Assembly …, in particular its resolution 5/14"
    if last_known is not None:
        return last_known[0].key, True
    return ctx.act_body, ctx.act_body is not None


# "Human Rights Council resolutions, in particular resolutions 7/34 …", "… Environment Programme, including resolution 2/10"
_NAMED_THEN_LISTED = re.compile(r"(?:\s+(?:relevant\s+)?(?:decisions?|resolutions?))?\s*,?\s*(?:in\s+particular|including|notably|especially)\s+")
# an act numbered by a Roman session ("decision XIII/1") is another body's: no act of its clause is told by guess
_ROMAN_SESSION_ACT = re.compile(r"\b(?:decisions?|resolutions?)\s+[IVXL]+/\d+")
_IN_DOCUMENT = re.compile(r"\bannex(?:es)?(?:\s+[IVX]+)?,\s*(?:sect\.\s*[\w.]+,\s*)?$")
# written to open with its period, which the engine then seeks directly, the abbreviations read behind it
# (the lookbehinds first made the engine try all eight at every position of the text)
_SENTENCE_END = re.compile(r"\.(?<!\bsect\.)(?<!\bpara\.)(?<!\bparas\.)(?<!\bchap\.)(?<!\bNo\.)(?<!\bvol\.)(?<!\bp\.)"
                           r"(?<!\bart\.)\s+(?=[A-Z“\"])")


def _same_clause(ctx: Context, text: str, start: int, end: int) -> bool:
    """No new clause, sentence or body between `start` and `end`."""
    between = text[start:end]
    return not (_NEW_CLAUSE.search(between) or _SENTENCE_END.search(between) or _BODY_WORD.search(between)
                or ctx.entities(between, ("body",)) or _ITS.search(between))


def _continued_items(ctx: Context, text: str, start: int, limit: int, covered):
    """Numbers that go on a list after words about its last item, up to the end of its sentence."""
    end = _SENTENCE_END.search(text, start, limit)
    region_end = end.start() if end else limit
    items = []
    cursor = start
    for m in CONTINUED_ITEM.finditer(text, start, region_end):
        between = text[cursor:m.start()]
        if _BODY_WORD.search(between) or ctx.entities(between, ("body",)) or re.search(r"\b(?:its|their)\b", between):
            break  # the words name another body: what follows is not this list's
        if any(a <= m.start("number") < b for a, b in covered):
            break
        items.append((m, m.start("number"), m.end()))
        cursor = m.end()
    return items


def may_mention_acts(text: str) -> bool:
    """RES_SYMBOL needs its series' "/RES/" or "/DEC/", SC_LIST and ACT_LIST their kind's word: a text
    without them is not scanned by the three patterns (most paragraphs of a report, and their sentences)."""
    return "/RES/" in text or "/DEC/" in text or "esolution" in text or "ecision" in text


def find_act_mentions(ctx: Context, text: str) -> tuple[list[ActMention], list[tuple[str, int, int]]]:
    """Act mentions in `text`, and the numbers whose adopting body could not be told. Read once per text
    and document: the act references read each paragraph, the mandates each of its sentences (a one-sentence
    paragraph is the same text), and a mandate's sentence again for the act it answers."""
    if not may_mention_acts(text):
        return [], []  # most paragraphs and sentences: not even kept in the memo
    found = ctx._acts.get(text)
    if found is None:
        mentions, unresolved = _find_act_mentions(ctx, text)
        found = ctx._acts[text] = (tuple(mentions), tuple(unresolved))
    return list(found[0]), list(found[1])


def _find_act_mentions(ctx: Context, text: str) -> tuple[list[ActMention], list[tuple[str, int, int]]]:
    mentions: list[ActMention] = []
    unresolved: list[tuple[str, int, int]] = []
    covered: list[tuple[int, int]] = []
    if not may_mention_acts(text):
        return mentions, unresolved
    symbols = "/RES/" in text or "/DEC/" in text
    for m in RES_SYMBOL.finditer(text) if symbols else ():
        body, kind = RES_SERIES[m.group("series")]
        number = m.group("number") + (f" ({m.group('year')})" if m.group("year") else "")
        mentions.append(ActMention(ActKey(body, kind, number), m.start(), m.end(), None, None))
        covered.append((m.start(), m.end()))
    for m in SC_LIST.finditer(text):
        base = m.start("list")
        for i, item in enumerate(SC_ITEM.finditer(m.group("list"))):
            a, b = base + item.start(), base + item.end()
            if not any(x <= a < y for x, y in covered):
                mentions.append(ActMention(ActKey("unsc", "resolution", f"{item.group('number')} ({item.group('year')})"),
                                           a if i else m.start(), b, None, None))
        covered.append((m.start(), m.end()))
    lists = [m for m in ACT_LIST.finditer(text) if not any(a <= m.start() < b for a, b in covered)]
    previous: tuple[int, str] | None = None  # where the last list with a named body ended, and that body
    for n, m in enumerate(lists):
        kind = m.group("kind")
        inferred_body = False
        body, named = _body_before(ctx, text, m.start())
        after = _body_after(text, m.end())
        if body is None and after is not None:
            body, named = after, True
        elif body is None and _of_unknown_body(ctx, text, m.end()):
            named = True  # "resolution 7/2019 of 28 June 2019 of the Conference of the Food …": not ours to tell
        if body is None and not named and _IN_ITS.search(text[max(0, m.start() - 20):m.start()]):
            body, named = _subject_after(ctx, text, m.end())
        if body is None and not named and _ITS.search(text[max(0, m.start() - 12):m.start()]):
            body, decided = _its_body(ctx, text, m.start())
            named = not decided or body is not None
            inferred_body = body is not None
        if body is None and not named and _ROMAN_SESSION_ACT.search(text[max(0, m.start() - 80):m.end() + 80]):
            named = True  # "in line with decision XIII/1 and decision 14/34": a convention's conference, not ours to tell
        if body is None and not named and _IN_DOCUMENT.search(text[max(0, m.start() - 60):m.start()]):
            named = True  # "A/56/1026-S/2002/932, annex II, resolution 14/221": an act a document reproduces
        if body is None and not named and previous is not None and _same_clause(ctx, text, previous[0], m.start()):
            # "Human Rights Council resolutions 23/13 … and 24/33 …, as well as resolutions 28/6": the same body
            body, named = previous[1], True
        if body is not None and not inferred_body:
            previous = (m.end(), body)
        limit = lists[n + 1].start() if n + 1 < len(lists) else len(text)
        base = m.start("list")
        items = [(item, base + item.start(), base + item.end()) for item in ACT_ITEM.finditer(m.group("list"))]
        items += _continued_items(ctx, text, m.end(), limit, covered)
        for i, (item, a, b) in enumerate(items):
            number = canonical_act_number(item.group("number"))
            item_body, inferred = body, inferred_body
            if item_body is None and not named and ctx.act_body:
                # a bare number in an act's own text or a body's own document is that body's act
                item_body, inferred = ctx.act_body, True
            if item_body is None or not plausible_number(item_body, number, named=not inferred):
                unresolved.append((f"{kind} {number}", a, b))
                continue
            title = None
            if b == base + len(m.group("list")):
                tm = _TITLE_AFTER.match(text[m.end():])
                if tm is None:
                    after_body = re.match(r"^\s+of\s+the\s+[^,]{5,160},", text[m.end():])
                    if after_body:
                        tm = _TITLE_AFTER.match(text[m.end() + after_body.end() - 1:])
                title = tm.group("title").strip() if tm else None
            key = ctx.act_key(kind, number, item_body)
            if key is not None:
                # parts A and B of one number were adopted on different days: a part's date is not the act's
                part = number != item.group("number") and "(" not in number
                mentions.append(ActMention(key, a if i else m.start(), b, None if part else item.group("date"),
                                           None if part else title))
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
            sequel = SYMBOL_SEQUEL.match(para.text[b:])
            if sequel:  # "E/2013/30 and Corr.1": the corrigendum is a document of its own
                refs.append(DocumentReference(f"{symbol}/{sequel.group('part')}",
                                              ctx.evidence(para, a, b + sequel.end())))
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


_ARTICLES_OF = re.compile(r"\barticles?\s+(\d+(?:\s*(?:and|,)\s*\d+)*)\s+of\s+(?:the\s+)?$")


def instrument_references(ctx: Context, paragraphs: list[Paragraph]) -> list[InstrumentReference]:
    refs = []
    for para in paragraphs:
        for ref, a, b in ctx.entities(para.text, ("instrument",)):
            article = None
            before = para.text[max(0, a - 60):a]
            m = _ARTICLES_OF.search(before) if "article" in before else None  # the pattern's own word
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
