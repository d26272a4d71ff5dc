"""The drafting phrases of mandates as data (`loaders/data/mandate_phrases.tsv`) and a small matcher.

Like a rule-based matcher, the table holds the patterns and this module only runs them: each row is
read into a sequence of literal words and slots; the words become a pattern generated here, never
written by hand. A `{holder}` slot is not matched by a pattern at all: the caller's `read_holder`
decides where the name of the body ends (a gazetteer name, a body an act has just established, or
words it cannot resolve), and the rest of the phrase must follow it. Every match keeps its offsets.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import cached_property, lru_cache
from pathlib import Path
from typing import Callable

from ..patterns import MONTH, MONTHS, ORDINAL, ordinal_value

TABLE = Path(__file__).resolve().parent.parent / "data" / "mandate_phrases.tsv"

EVENT_TYPES = ("Establishment", "Continuation", "Extension", "Modification", "Request", "Termination", "Fulfilment")
KINDS = ("body", "special-procedure", "fund-or-programme", "agenda-item", "meeting", "reporting", "task")
HOLDER_SLOTS = ("after", "subject", "self", "author")
_SLOTS = {"{holder}", "{session}", "{skip}"}

# how a slot or a literal becomes part of the generated pattern
_ADVERB = r"(?:(?:also|further)\s+)?"
_SLOT_PATTERN = {"{session}": rf"(?P<session>{ORDINAL})", "{skip}": r"[^;.]{1,160}?"}
# what may come between a holder and the rest of the phrase: "the Secretary-General, in consultation with
# Member States, to …"; "…, within its mandate and in collaboration with, when appropriate, relevant
# entities, to …"; "…, within available resources:"; "… in his next report to …"; "… when doing so to …";
# "the Terrorism Prevention Branch of the Office in Vienna to …"
ASIDE = re.compile(r"\s*,[^;]{1,300}?,\s*|\s*,[^;:]{1,200}(?=:)|\s+(?:in|at|through|within|from)\s+(?:his|her|its|the)\s+[^,;]{1,60}"
                   r"|\s+when\s+doing\s+so\s*|\s+in\s+(?:Vienna|Geneva|New\s+York|Nairobi)\s*")


@dataclass(frozen=True)
class Phrase:
    """One row of the table, in one tense."""

    text: str  # as written in the table
    tense: str  # "present" | "past"
    holder: str  # one of HOLDER_SLOTS
    event: str
    kind: str
    line: int
    head_source: str  # the generated patterns, compiled on first use (most phrases never reach their pattern)
    tail_source: str | None
    head_words: tuple[str, ...] = ()  # the head's literal words, lower-cased: a sentence lacking one cannot match

    @cached_property
    def head(self) -> re.Pattern:
        return re.compile(self.head_source, re.I)

    @cached_property
    def tail(self) -> re.Pattern | None:
        """What must follow the holder; None when the phrase ends with it."""
        return None if self.tail_source is None else re.compile(self.tail_source, re.I)

    @property
    def size(self) -> int:
        return len(self.text)

    @cached_property
    def head_set(self) -> frozenset[str]:
        """`head_words` but the opening verb, which a candidate's sentence holds already (`_candidates`)."""
        return frozenset(self.head_words) - {self.first_word}

    @cached_property
    def first_word(self) -> str:
        """The verb that opens the phrase, lower-cased: a sentence without it cannot match (read once:
        `head_start` asks for it for every candidate)."""
        return _tokens(self.text)[0].lower()


@dataclass(frozen=True)
class Holder:
    """Where the holder's words are in the sentence, and what they resolve to (None: unresolved)."""

    start: int
    end: int
    key: str | None
    label: str
    others: tuple[str, ...] = ()  # "the Secretary-General and the High Commissioner": the High Commissioner
    other_labels: tuple[str, ...] = ()  # their words, where they were read

    def named(self) -> list[tuple[str, str | None]]:
        """(key, words) of every body the holder's words name, the first one first."""
        labels = self.other_labels + (None,) * (len(self.others) - len(self.other_labels))
        return [(self.key, self.label), *zip(self.others, labels)]


@dataclass(frozen=True)
class PhraseMatch:
    phrase: Phrase
    start: int
    end: int  # the end of the whole phrase in the sentence
    holder: Holder | None
    session: int | None  # from a {session} slot


# read_holder(phrase, sentence, start, ends): the holder whose words start at `start`; `ends` are the
# places where the rest of the phrase could begin (empty when the phrase ends with the holder).
HolderReader = Callable[["Phrase", str, int, list[int]], "Holder | None"]


def _words_pattern(tokens: list[str], first: bool) -> str:
    parts = []
    for i, token in enumerate(tokens):
        if token in _SLOT_PATTERN:
            parts.append(_SLOT_PATTERN[token])
            continue
        word = re.escape(token)
        if token in (",", ":"):
            parts.append(word)
            continue
        if first and i == 0:
            word = _ADVERB + word + r"(?:\s+(?:also|further))?"
        parts.append(word)
    out = ""
    for part in parts:
        out += part if not out or part in (",", ":") else r"\s+" + part
    return out


def _tokens(text: str) -> list[str]:
    return re.findall(r"[,:]|\{\w+\}|[^\s,:]+", text)


def _compile(text: str, tense: str, holder: str, event: str, kind: str, line: int) -> Phrase:
    tokens = _tokens(text)
    unknown = [t for t in tokens if t.startswith("{") and t not in _SLOTS]
    if unknown:
        raise ValueError(f"{TABLE.name}:{line}: unknown slot {unknown[0]} in {text!r}")
    if ("{holder}" in tokens) != (holder in ("after", "subject")):
        raise ValueError(f"{TABLE.name}:{line}: holder {holder!r} and the phrase {text!r} disagree")
    if "{holder}" in tokens:
        i = tokens.index("{holder}")
        head_tokens, tail_tokens = tokens[:i], tokens[i + 1:]
    else:
        head_tokens, tail_tokens = tokens, []
    head = r"\b" + _words_pattern(head_tokens, True) + (r"\b" if head_tokens[-1][-1].isalnum() else "")
    tail = None
    if tail_tokens:
        end = r"\b" if tail_tokens[-1][-1].isalnum() else ""
        tail = r"\s*" + _words_pattern(tail_tokens, False) + end
    words = tuple(t.lower() for t in head_tokens if t not in _SLOT_PATTERN and t not in (",", ":") and t.isascii())
    return Phrase(text, tense, holder, event, kind, line, head, tail, words)


@lru_cache(maxsize=1)
def phrases() -> tuple[Phrase, ...]:
    """Every phrase of the table, present and past tense, longest first."""
    out = []
    with open(TABLE, encoding="utf-8", newline="") as fh:
        rows = [(n, row) for n, row in enumerate(csv.reader(fh, delimiter="\t"), start=1)
                if row and not row[0].startswith("#")]
    header, rows = rows[0][1], rows[1:]
    if header != ["present", "past", "holder", "event", "kind"]:
        raise ValueError(f"{TABLE.name}: unexpected columns {header}")
    for n, row in rows:
        present, past, holder, event, kind = (cell.strip() for cell in row)
        if holder not in HOLDER_SLOTS or event not in EVENT_TYPES or kind not in KINDS:
            raise ValueError(f"{TABLE.name}:{n}: holder, event or kind not one of the known values: {row}")
        out.append(_compile(present, "present", holder, event, kind, n))
        if past and past != present:
            out.append(_compile(past, "past", holder, event, kind, n))
    return tuple(sorted(out, key=lambda p: -p.size))


def reaches(sentence: str, end: int, ends: list[int]) -> int | None:
    """Where the rest of a phrase begins after a holder ending at `end`: right there or after an aside."""
    for e in sorted(ends):
        if e >= end and (not sentence[end:e].strip() or ASIDE.fullmatch(sentence[end:e])):
            return e
    return None


_WORD = re.compile(r"[a-z][a-z\-]*")
_FOLDS_APART = ("İ", "ı", "ſ")  # see triggers._FOLDS_APART
_BEFORE_HOLDER = re.compile(r",\s*[^,;]{1,80}?,\s*")


@lru_cache(maxsize=1)
def _first_words() -> tuple[str, ...]:
    return tuple(p.first_word for p in phrases())


@lru_cache(maxsize=1)
def _by_first_word() -> dict[str, tuple[int, ...]]:
    """The phrases (their places in `phrases()`) that open with each verb: 322 phrases, 18 verbs."""
    index: dict[str, list[int]] = {}
    for i, first in enumerate(_first_words()):
        index.setdefault(first, []).append(i)
    return {word: tuple(places) for word, places in index.items()}


def may_match(text: str) -> bool:
    """Whether a phrase's opening verb is in `text` even as part of a word, as `_candidates` tests it: a
    paragraph without any has no sentence with one (str.lower() maps each character on its own; the final
    sigma it reads in context is no letter of a verb)."""
    lower = text.lower()
    for verb in _by_first_word():
        if verb in lower:
            return True
    return False


@lru_cache(maxsize=1)
def _words_after_verb() -> dict[str, frozenset[str]]:
    """For each opening verb, the other head words of its phrases (what `match` tests a sentence for)."""
    table = phrases()
    return {verb: frozenset().union(*(table[i].head_set for i in places)) for verb, places in _by_first_word().items()}


def _opening_verbs(sentence: str) -> set[str]:
    """The phrases' opening verbs that are words of the sentence (lower-cased)."""
    index = _by_first_word()
    lower = sentence.lower()
    if not any(verb in lower for verb in index):
        return set()  # none of the verbs even as part of a word (most sentences): the words are not split
    return set(_WORD.findall(lower)) & index.keys()


def _candidates(sentence: str, verbs: set[str] | None = None) -> list[Phrase]:
    """The phrases whose opening verb is a word of the sentence, in the table's order (longest first):
    most sentences hold one or two of the verbs, so the other phrases' patterns are never tried."""
    words = _opening_verbs(sentence) if verbs is None else verbs
    if not words:
        return []
    index = _by_first_word()
    table = phrases()
    return [table[i] for i in sorted(i for w in words for i in index[w])]


def _adverb_starts(lower: str) -> list[int]:
    """Where the adverbs a head may open with ("also decides", `_ADVERB`) first stand in a lower-cased text."""
    return [i for i in (lower.find("also"), lower.find("further")) if i >= 0]


def head_start(lower: str, phrase: Phrase, adverbs: list[int]) -> int:
    """Where `phrase.head` can first match: every match opens with its verb or an adverb before it (the head
    is `\\b` + `_ADVERB` + the verb …), which `lower` (the sentence lower-cased, of the same length as it
    holds none of `_FOLDS_APART`) then holds there. A head tried from here finds what it finds from 0, and
    the engine skips the rest (a pattern opening with \\b and an optional group is tried at every position)."""
    first = phrase.first_word
    if not _WORD.fullmatch(first):
        return 0  # the opening verbs are such words (`_opening_verbs`); anything else is tried from the start
    verb = lower.find(first)
    if verb < 0:
        return 0
    return min(verb, *adverbs) if adverbs else verb


def match(sentence: str, read_holder: HolderReader) -> list[PhraseMatch]:
    """The phrases of the table in `sentence`, in order. Two matches of one event type never overlap
    (the longer wins); a clause may state two events ("should hold … meeting and present …")."""
    found: list[PhraseMatch] = []
    # a head's words must each be in the sentence, case aside, before its pattern is run over it
    # (str.lower() folds as re.IGNORECASE does but for three letters: a sentence with one is not filtered)
    lower = None if any(ch in sentence for ch in _FOLDS_APART) else sentence.lower()
    verbs = _opening_verbs(sentence)
    present = None
    if lower is not None and verbs:
        # the head words the candidates need, each tested once; a candidate's own verb is in the sentence
        after = _words_after_verb()
        present = {w for verb in verbs for w in after[verb] if w in lower}
    adverbs = _adverb_starts(lower) if lower is not None else None
    for phrase in _candidates(sentence, verbs):
        if present is not None and not phrase.head_set <= present:
            continue
        start = 0 if adverbs is None else head_start(lower, phrase, adverbs)
        for h in phrase.head.finditer(sentence, start):
            rivals = [m for m in found if m.phrase.event == phrase.event]
            if any(not (h.end() <= m.start or h.start() >= m.end) for m in rivals):
                continue
            session = ordinal_value(h.group("session")) if "session" in h.groupdict() and h.group("session") else None
            if phrase.holder not in ("after", "subject"):
                found.append(PhraseMatch(phrase, h.start(), h.end(), None, session))
                continue
            start = h.end() + len(sentence[h.end():]) - len(sentence[h.end():].lstrip())
            aside = _BEFORE_HOLDER.match(sentence, start) if phrase.holder == "after" else None
            if aside:  # "decides to establish, at its seventy-fifth session, a working group …"
                start = aside.end()
            ends = [] if phrase.tail is None else \
                [t.start() for t in phrase.tail.finditer(sentence, start, min(len(sentence), start + 300))]
            if phrase.tail is not None and not ends:
                continue
            holder = read_holder(phrase, sentence, start, ends)
            if holder is None:
                continue
            end = holder.end
            if phrase.tail is not None:
                at = reaches(sentence, holder.end, ends)
                t = phrase.tail.match(sentence, at) if at is not None else None
                if t is None:
                    continue
                end = t.end()
            if any(not (end <= m.start or h.start() >= m.end) for m in rivals):
                continue
            found.append(PhraseMatch(phrase, h.start(), end, holder, session))
    return sorted(found, key=lambda m: m.start)


# -- what is due, and when ---------------------------------------------------------------------

_AT_SESSION = re.compile(rf"\bat\s+its\s+(?P<ordinal>{ORDINAL})\s+session\b", re.I)
_IN_MONTH = re.compile(rf"\b(?:in|by|before|not\s+later\s+than)\s+(?:(?:early|mid|late|the\s+end\s+of)\s+)?"
                       rf"(?P<month>{MONTH})?\s*(?P<year>(?:19|20)\d\d)\b")


def due(clause: str) -> tuple[int | None, str | None]:
    """The session ("at its seventy-fifth session") and the date ("in August 2020": "2020-08",
    "by 2021": "2021") a clause sets; the first of each."""
    session = None
    m = _AT_SESSION.search(clause)
    if m:
        session = ordinal_value(m.group("ordinal"))
    when = None
    d = _IN_MONTH.search(clause)
    if d:
        when = d.group("year") + (f"-{MONTHS[d.group('month')]:02d}" if d.group("month") else "")
    return session, when


_REPORT = re.compile(r"^\s*report\b|\b(?:to\s+report|(?:a|an|its|his|her)\s+(?:[\w-]+\s+){0,3}report\b|reports?\s+on\b)",
                     re.I)


def asks_for_a_report(clause: str) -> bool:
    return bool(_REPORT.search(clause[:240]))


# "…, and to submit …", ", to include …": another infinitive the same request asks for; "and to the General
# Assembly" is the first one's addressee, not a second request
_NEXT_INFINITIVE = re.compile(r"(?:,\s*(?:and\s+)?|\s+and\s+)to\s+(?!(?:the|a|an|its|their|his|her|all|each|any|this|that|"
                              r"these|those|such|other|relevant|both|some|every|be|Member|[A-Z0-9])\b)(?=[a-z])")
# a part that only makes or carries the report another part asks for: not a mandate of its own
_SERVES_THE_REPORT = re.compile(
    r"^[,\s]*(?:and\s+)?(?:to\s+)?(?:continue\s+to\s+)?(?:further\s+)?(?:consider\s+the\s+(?:matter|question)|"
    r"assist\s+in\s+the\s+implementation\s+of\s+the\s+present|ensure\s+(?:proper\s+)?follow-up\s+to\s+the\s+present|"
    r"seek\s+the\s+views|(?:submit|present|transmit)\s+(?:it|them|the\s+report|that\s+report|this\s+report)\b)", re.I)


def requested_parts(clause: str) -> list[tuple[str, str]]:
    """The mandates one request gives, one per kind, in the order written: "to transmit the appeals …, and
    to submit … a report on the operations of the Funds" asks a task and a report of the same holder.
    [(kind, the words of its first infinitive)]; a clause that asks one thing gives one part."""
    clause = clause.split(";")[0]
    cuts = [0] + [m.start() for m in _NEXT_INFINITIVE.finditer(clause) if _depth(clause, m.start()) == 0]
    parts = [clause[a:b] for a, b in zip(cuts, cuts[1:] + [len(clause)])]
    kinds = ["reporting" if asks_for_a_report(part) else "task" for part in parts]
    out: dict[str, str] = {}
    for kind, part in zip(kinds, parts):
        if kind == "task" and "reporting" in kinds and _SERVES_THE_REPORT.match(part):
            continue
        out.setdefault(kind, part)
    return list(out.items())


def _depth(text: str, at: int) -> int:
    return text.count("(", 0, at) - text.count(")", 0, at)


def clip(text: str, limit: int = 240) -> str:
    """`text` cut at the clause's end or at a word before `limit` characters."""
    text = text.split(";")[0].strip().rstrip(".,:")
    if len(text) <= limit:
        return text
    cut = text[:limit].rsplit(" ", 1)[0]
    return cut.rstrip(",") + " …"


__all__ = ["EVENT_TYPES", "KINDS", "Holder", "Phrase", "PhraseMatch", "asks_for_a_report", "clip", "due",
           "match", "phrases", "requested_parts"]
