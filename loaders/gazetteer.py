"""Names -> canonical entities: bodies, instruments and States, each name kept with its source.

The names are data (`loaders/data/*.tsv`, and ISO 3166 through pycountry) so that adding an alias is an
edit to a table, not to code. Matching is on whole words and case-sensitive, longest name first:
"Democratic Republic of the Congo" is never read as "Congo", "Nigeria" never as "Niger".
Contextual names ("the Conference", "the Protocol", "the Working Group") are not here: they are
resolved by `loaders.extract.context` from what the document is about, or left unresolved.
"""

from __future__ import annotations

import csv
import re
from bisect import bisect_left
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import pycountry

from .facts import EntityRef

DATA = Path(__file__).parent / "data"


@dataclass(frozen=True)
class BodyRecord:
    slug: str
    cls: str
    parent: str | None
    label: str
    aliases: tuple[str, ...]
    source: str


@dataclass(frozen=True)
class InstrumentRecord:
    slug: str
    cls: str
    label: str
    short_title: str
    aliases: tuple[str, ...]
    adopted: str
    entry_into_force: str
    unts_volume: int
    unts_number: int
    adopting_act: str
    source: str


def _rows(name: str) -> list[list[str]]:
    with open(DATA / name, encoding="utf-8", newline="") as fh:
        return [row for row in csv.reader(fh, delimiter="\t") if row and not row[0].startswith("#")]


@lru_cache(maxsize=1)
def bodies() -> dict[str, BodyRecord]:
    out = {}
    for row in _rows("bodies.tsv"):
        row += [""] * (6 - len(row))
        slug, cls, parent, label, aliases, source = row[:6]
        out[slug] = BodyRecord(slug, cls, parent or None, label,
                               tuple(a for a in aliases.split("|") if a), source)
    return out


@lru_cache(maxsize=1)
def instruments() -> dict[str, InstrumentRecord]:
    out = {}
    for row in _rows("instruments.tsv"):
        slug, cls, label, short, aliases, adopted, eif, vol, num, act, source = row[:11]
        out[slug] = InstrumentRecord(slug, cls, label, short, tuple(a for a in aliases.split("|") if a),
                                     adopted, eif, int(vol), int(num), act, source)
    return out


@lru_cache(maxsize=1)
def un_state_names() -> list[tuple[str, str, str]]:
    """(name, ISO alpha-3, note) rows: the UN's own short names and former names."""
    return [(r[0], r[1], r[2] if len(r) > 2 else "") for r in _rows("state_names.tsv")]


def _inverted(name: str) -> list[str]:
    """pycountry's "Bolivia, Plurinational State of" -> the UN's "Bolivia (Plurinational State of)"."""
    if ", " not in name:
        return []
    head, tail = name.split(", ", 1)
    return [f"{head} ({tail})", f"{tail} {head}"]


@lru_cache(maxsize=1)
def state_names() -> dict[str, str]:
    """Every known name of a State -> its ISO 3166-1 alpha-3 code."""
    names: dict[str, str] = {}
    for country in pycountry.countries:
        for attr in ("name", "official_name", "common_name"):
            value = getattr(country, attr, None)
            if not value:
                continue
            names.setdefault(value, country.alpha_3)
            for variant in _inverted(value):
                names.setdefault(variant, country.alpha_3)
    for name, code, _ in un_state_names():
        names[name] = code
    return names


@lru_cache(maxsize=1)
def names() -> dict[str, EntityRef]:
    """Every non-contextual name -> entity. Body and instrument names win over State names."""
    table: dict[str, EntityRef] = {}
    for name, code in state_names().items():
        table[name] = EntityRef("state", code)
    for rec in instruments().values():
        for name in (rec.label, rec.short_title, *rec.aliases):
            table[name] = EntityRef("instrument", rec.slug)
    for rec in bodies().values():
        for name in (rec.label, *rec.aliases):
            if name in ("Secretariat", "COP"):  # contextual or too short to match safely in text
                continue
            table[name] = EntityRef("body", rec.slug)
    # typeset text writes the apostrophe curly: "Côte d’Ivoire", "Democratic People’s Republic of Korea"
    for name, ref in list(table.items()):
        if "'" in name:
            table.setdefault(name.replace("'", "’"), ref)
    return table


# fold's and lookup's patterns, compiled once (both run for many names of every document)
_SPACES = re.compile(r"\s+")
_LEADING_THE = re.compile(r"^(?:the|The)\s+")


def fold(text: str) -> str:
    """A key for lenient lookup of a whole name: case, accents, apostrophes and spacing folded."""
    if not text.isascii():  # ASCII is its own NFKD form, with no combining marks
        text = unicodedata.normalize("NFKD", text)
        text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = text.replace("’", "'").replace("‘", "'").replace("–", "-")
    return _SPACES.sub(" ", text).strip().lower()


@lru_cache(maxsize=1)
def _folded() -> dict[str, EntityRef]:
    return {fold(k): v for k, v in names().items()}


def lookup(name: str) -> EntityRef | None:
    """The entity a whole name denotes ("the Russian Federation", "Viet Nam"), or None."""
    name = name.strip().rstrip(".;,")
    name = _LEADING_THE.sub("", name)
    if name in names():
        return names()[name]
    return _folded().get(fold(name))


@dataclass(frozen=True)
class Match:
    entity: EntityRef
    name: str
    start: int
    end: int


@dataclass
class _Matcher:
    """Names indexed by their first three characters: a scan visits each word start once."""

    index: dict[str, list[str]] = field(repr=False)
    table: dict[str, EntityRef] = field(repr=False)
    # the word starts (as _WORD_START finds them) whose first character opens some name: the others can
    # open none, so a scan need not visit them (lower-case words, most of a text)
    name_start: re.Pattern = field(repr=False, default=None)
    # every name as one trie-shaped pattern (`_trie`) that matches, at a place, the longest name there
    # that ends on a boundary: the walk's "first name that fits" of the index key's names, longest first
    first_fit: re.Pattern = field(repr=False, default=None)
    # the same at every word start where a name can open, for the walk over a whole text
    walk: re.Pattern = field(repr=False, default=None)


_WORD_START = re.compile(r"(?<![\w./-])[\w“\"]")  # inside a symbol ("E/INCB/2018/1") is not a name


@lru_cache(maxsize=1)
def _matcher() -> _Matcher:
    table = names()
    index: dict[str, list[str]] = {}
    for name in sorted(table, key=lambda n: (-len(n), n)):
        index.setdefault(name[:3], []).append(name)
    firsts = sorted({key[0] for key in index if _WORD_START.match(key[0])})
    name_start = re.compile(r"(?<![\w./-])[" + "".join(re.escape(c) for c in firsts) + "]") if firsts \
        else re.compile(r"(?!)")
    trie = _trie(list(table))
    # the word-start test follows each name's first character (a lookbehind at the pattern's start would
    # be tried at every position; opening with the names' first characters lets the engine seek them)
    walk = _trie(list(table), r"(?<![\w./-].)")
    return _Matcher(index, table, name_start, re.compile(trie), re.compile(walk))


_BOUNDARY_AFTER = r"(?![\w/-])"  # `_is_boundary` (\w is str.isalnum() or "_")


def _trie(names: list[str], after_first: str = "") -> str:
    """A pattern matching, at a place, the longest of `names` that is followed by a boundary: names
    sharing a start share its branch, a longer name is tried before the end of a shorter one, and the
    engine backtracks to a shorter name when a longer one ends inside a word. `after_first` is put after
    each name's first character."""
    root: dict = {}
    for name in names:
        node = root
        for ch in name:
            node = node.setdefault(ch, {})
        node[""] = {}  # a name ends here

    def pattern(node: dict, depth: int) -> str:
        branches = []
        for ch in sorted(k for k in node if k):
            child, text = node[ch], re.escape(ch) + (after_first if depth == 0 else "")
            while len(child) == 1 and "" not in child:  # a run of single letters: one literal
                (nxt, child), = child.items()
                text += re.escape(nxt)
            branches.append(text + pattern(child, depth + 1))
        if "" in node:
            branches.append(_BOUNDARY_AFTER)  # the end of a name, tried after every longer name
        if len(branches) == 1:
            return branches[0]
        return "(?:" + "|".join(branches) + ")"

    return pattern(root, 0) if root else "(?!)"


def _is_boundary(text: str, end: int) -> bool:
    return end >= len(text) or not (text[end].isalnum() or text[end] in "_-/")


class Scan:
    """One pass of the gazetteer over a text, shared by every extractor that reads it. The whole text's
    names come from a leftmost-longest walk; the names in any span of it are read at the word starts
    where some name's first characters open (listed once, on the first span asked for), matched up to
    the span's end, exactly as a scan of that span alone would find them."""

    __slots__ = ("text", "_starts", "_all")

    def __init__(self, text: str):
        self.text = text
        self._starts: list[int] | None = None  # word starts whose first characters open some name's key, ascending
        self._all: tuple[Match, ...] | None = None

    def matches(self, a: int = 0, b: int | None = None) -> tuple[Match, ...]:
        """The names in `text[a:b]`, leftmost-longest, whole words, offsets relative to `a`."""
        text = self.text
        b = len(text) if b is None else min(b, len(text))
        if a == 0 and b == len(text):
            if self._all is None:
                self._all = self._select(0, b) if self._starts is not None else self._walk()
            return self._all
        if self._starts is None:
            self._table()
        return self._select(a, b)

    def _walk(self) -> tuple[Match, ...]:
        """The whole text's names: at each word start the first name that fits, the words it covers skipped."""
        table = _matcher().table
        return tuple(Match(table[hit.group()], hit.group(), hit.start(), hit.end())
                     for hit in _matcher().walk.finditer(self.text))

    def _table(self) -> None:
        m = _matcher()
        text, index = self.text, m.index
        self._starts = [i for i in (start.start() for start in m.name_start.finditer(text))
                        if text[i:i + 3] in index or text[i:i + 2] in index]  # most words open no name

    def _select(self, a: int, b: int) -> tuple[Match, ...]:
        text, starts = self.text, self._starts
        m = _matcher()
        table = m.table
        out = []
        pos = a
        k = bisect_left(starts, a)
        if a < b and (k == len(starts) or starts[k] != a) and _WORD_CHAR.match(text, a):
            # the span opens inside a word or after a "/" of the text: a word start of its own
            hit = _fit(m, text, a, b)
            if hit is not None:
                out.append(Match(table[hit[0]], hit[0], 0, hit[1] - a))
                pos = hit[1]
        for idx in range(k, len(starts)):
            i = starts[idx]
            if i >= b:
                break
            if i < pos:
                continue
            hit = _fit(m, text, i, b)
            if hit is not None:
                out.append(Match(table[hit[0]], hit[0], i - a, hit[1] - a))
                pos = hit[1]
        return tuple(out)


_WORD_CHAR = re.compile(r"[\w“\"]")


def _fit(m: _Matcher, text: str, i: int, b: int) -> tuple[str, int] | None:
    """The longest name opening at `i` that ends by `b` on a word boundary (`b`, the span's end, is one).
    Matching up to `endpos=b` makes the boundary lookahead succeed at `b` and keeps a name from running
    past it."""
    hit = m.first_fit.match(text, i, b)
    return None if hit is None else (hit.group(), hit.end())


@lru_cache(maxsize=4096)  # one scan per text: every extractor reading a paragraph shares it
def scan(text: str) -> Scan:
    return Scan(text)


def find(text: str, kinds: tuple[str, ...] = ("body", "instrument", "state")) -> list[Match]:
    """Every name of the gazetteer in `text`, leftmost-longest, whole words only."""
    return [hit for hit in scan(text).matches() if hit.entity.kind in kinds]


def find_in(text: str, a: int, b: int, kinds: tuple[str, ...] = ("body", "instrument", "state")) -> list[Match]:
    """`find(text[a:b], kinds)`, read from the one scan of `text`."""
    return [hit for hit in scan(text).matches(a, b) if hit.entity.kind in kinds]


@lru_cache(maxsize=1)
def _run_on() -> tuple[frozenset[str], frozenset[str], int]:
    """Every start of a name that a space continues ("United Nations" of "United Nations Office on
    Drugs and Crime"), the last word of each, and the longest."""
    starts = frozenset(name[:j] for name in names() for j, ch in enumerate(name) if ch == " " and j)
    return starts, frozenset(_LAST_WORD.search(p).group() for p in starts), max(map(len, starts), default=0)


_LAST_WORD = re.compile(r"\S*\Z")


def _may_run_on(text: str) -> bool:
    """Whether a name could open in `text` and run on past its end into a text joined after a space."""
    starts, last_words, longest = _run_on()
    word = "" if not text or text[-1].isspace() else text.rsplit(None, 1)[-1]  # as _LAST_WORD reads it
    if not any(word[j:] in last_words for j in range(len(word))):
        return False  # the text ends in no word a name's start ends with
    return any(text[m.start():] in starts for m in _WORD_START.finditer(text, max(0, len(text) - longest)))


def find_joined(texts: list[str], kinds: tuple[str, ...] = ("body", "instrument", "state")) -> list[Match]:
    """`find(" ".join(texts), kinds)`, read from each text's own scan; the joined text is scanned
    only when a name could run on from one text into the next."""
    if any(_may_run_on(t) for t in texts[:-1]):
        return find(" ".join(texts), kinds)
    out = []
    offset = 0
    for t in texts:
        out.extend(Match(h.entity, h.name, h.start + offset, h.end + offset) for h in find(t, kinds))
        offset += len(t) + 1
    return out


def state_label(code: str) -> str:
    for name, iso, note in un_state_names():
        if iso == code and note.startswith("UN short name"):
            return name
    country = pycountry.countries.get(alpha_3=code)
    return country.name if country else code
