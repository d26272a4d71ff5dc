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


def fold(text: str) -> str:
    """A key for lenient lookup of a whole name: case, accents, apostrophes and spacing folded."""
    text = unicodedata.normalize("NFKD", text)
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = text.replace("’", "'").replace("‘", "'").replace("–", "-")
    return re.sub(r"\s+", " ", text).strip().lower()


@lru_cache(maxsize=1)
def _folded() -> dict[str, EntityRef]:
    return {fold(k): v for k, v in names().items()}


def lookup(name: str) -> EntityRef | None:
    """The entity a whole name denotes ("the Russian Federation", "Viet Nam"), or None."""
    name = name.strip().rstrip(".;,")
    name = re.sub(r"^(?:the|The)\s+", "", name)
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


_WORD_START = re.compile(r"(?<![\w./-])[\w“\"]")  # inside a symbol ("E/INCB/2018/1") is not a name


@lru_cache(maxsize=1)
def _matcher() -> _Matcher:
    table = names()
    index: dict[str, list[str]] = {}
    for name in sorted(table, key=lambda n: (-len(n), n)):
        index.setdefault(name[:3], []).append(name)
    return _Matcher(index, table)


def _is_boundary(text: str, end: int) -> bool:
    return end >= len(text) or not (text[end].isalnum() or text[end] in "_-/")


@lru_cache(maxsize=4096)  # the extractors scan the same paragraphs and sentences again
def _find_all(text: str) -> tuple[Match, ...]:
    m = _matcher()
    out = []
    pos = 0
    for start in _WORD_START.finditer(text):
        i = start.start()
        if i < pos:
            continue
        # names of three characters or more by their first three; "AU", "EU" by their two
        for name in (*m.index.get(text[i:i + 3], ()), *m.index.get(text[i:i + 2], ())):
            if text.startswith(name, i) and _is_boundary(text, i + len(name)):
                out.append(Match(m.table[name], name, i, i + len(name)))
                pos = i + len(name)
                break
    return tuple(out)


def find(text: str, kinds: tuple[str, ...] = ("body", "instrument", "state")) -> list[Match]:
    """Every name of the gazetteer in `text`, leftmost-longest, whole words only."""
    return [hit for hit in _find_all(text) if hit.entity.kind in kinds]


def state_label(code: str) -> str:
    for name, iso, note in un_state_names():
        if iso == code and note.startswith("UN short name"):
            return name
    country = pycountry.countries.get(alpha_3=code)
    return country.name if country else code
