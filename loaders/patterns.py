"""Patterns of UN drafting that every extractor shares: symbols, dates and date ranges, ordinals, act numbers.

Patterns are data here, and each parser returns its match offsets so that callers keep their evidence.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

MONTHS = {m: i for i, m in enumerate(
    ["January", "February", "March", "April", "May", "June", "July", "August", "September",
     "October", "November", "December"], start=1)}
MONTH = r"(?:January|February|March|April|May|June|July|August|September|October|November|December)"

_UNIT_ORDINALS = ["first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth"]
_TEENS = ["tenth", "eleventh", "twelfth", "thirteenth", "fourteenth", "fifteenth", "sixteenth", "seventeenth",
          "eighteenth", "nineteenth"]
_TENS = {"twent": 20, "thirt": 30, "fort": 40, "fift": 50, "sixt": 60, "sevent": 70, "eight": 80, "ninet": 90}
ORDINALS = {w: i for i, w in enumerate(_UNIT_ORDINALS, start=1)}
ORDINALS.update({w: i for i, w in enumerate(_TEENS, start=10)})
for _stem, _value in _TENS.items():
    ORDINALS[_stem + "ieth"] = _value  # "sixtieth"
    for _i, _unit in enumerate(_UNIT_ORDINALS, start=1):
        ORDINALS[f"{_stem}y-{_unit}"] = _value + _i  # "sixty-fourth"
ORDINAL = "(?:" + "|".join(sorted((w for w in ORDINALS), key=len, reverse=True)) + r"|\d{1,3}(?:st|nd|rd|th))"
ORDINAL = "(?i:" + ORDINAL + ")"


def ordinal_value(word: str) -> int | None:
    word = word.lower()
    if word in ORDINALS:
        return ORDINALS[word]
    m = re.fullmatch(r"(\d{1,3})(?:st|nd|rd|th)", word)
    return int(m.group(1)) if m else None


# A UN document symbol, in every series: a series of capitals ("A", "E", "CTOC", "ISBA", "SPLOS", "CLCS",
# "CEDAW", "UNEP", "ST"), then slash-separated parts, each opening with a capital or a digit ("E/CN.15/2019/1",
# "A/C.3/74/L.11/Rev.1", "UNEP/EA.5/Res.14", "A/RES/S-26/2"), at least one with a digit; a year or a part in
# parentheses belongs to it ("S/RES/2462 (2019)", "A/73/12 (Part I)").
SYMBOL = re.compile(
    r"(?<![\w/.\-])[A-Z]{1,8}(?:/[A-Z0-9][A-Za-z0-9.\-]*)+(?:\s\((?:\d{4}|Part\s+[IVX]+|Vol\.\s+[IVX]+|SUPP)\))?"
)
# A corrigendum or addendum written after its document: "E/2013/30 and Corr.1", "A/74/130 and Add.1"
SYMBOL_SEQUEL = re.compile(r"^\s+and\s+(?P<part>(?:Corr|Add|Rev)\.\d{1,2})\b")


_JOINT = re.compile(r"-(?=[A-Z]{1,8}/)")


def find_symbols(text: str):
    """Yield (symbol, start, end) for each UN symbol in `text`, trailing punctuation excluded."""
    if "/" not in text:
        return  # every symbol has one: most paragraphs are not scanned
    for m in SYMBOL.finditer(text):
        start = m.start()
        # a joint document of two organs: "A/56/1026-S/2002/932" is both symbols
        for part in _JOINT.split(m.group(0)):
            sym, end = part, start + len(part)
            while sym and sym[-1] in ".-":
                sym = sym[:-1]
                end -= 1
            if "/" in sym and re.search(r"\d", sym):
                yield sym, start, end
            start += len(part) + 1


DAY_MONTH_YEAR = re.compile(rf"\b(\d{{1,2}})\s+({MONTH})\s+(\d{{4}})\b")


def parse_date(text: str) -> date | None:
    m = DAY_MONTH_YEAR.search(text)
    if not m:
        return None
    return _make_date(m.group(3), m.group(2), m.group(1))


def _make_date(year: str, month: str, day: str) -> date | None:
    try:
        return date(int(year), MONTHS[month], int(day))
    except (ValueError, KeyError):
        return None


@dataclass(frozen=True)
class DateRange:
    start: date
    end: date
    begin: int  # match offsets in the searched text
    finish: int


# "15-19 October 2012", "from 27 to 29 January 2010", "14 and 15 April 2009", "on 19 October 2010",
# "28 June-8 July 2004", "from 14 to 15 April 2009", "19 October 2010"
_RANGE_PATTERNS = [
    re.compile(rf"\b(?:from\s+)?(?P<d1>\d{{1,2}})\s+(?P<m1>{MONTH})\s*(?:-|–|to)\s*(?P<d2>\d{{1,2}})\s+(?P<m2>{MONTH})\s+(?P<y>\d{{4}})\b"),
    re.compile(rf"\b(?:from\s+)?(?P<d1>\d{{1,2}})\s*(?:-|–|to|and)\s*(?P<d2>\d{{1,2}})\s+(?P<m2>{MONTH})\s+(?P<y>\d{{4}})\b"),
    re.compile(rf"\b(?:on\s+)?(?:(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday),\s+)?(?P<d1>\d{{1,2}})\s+(?P<m2>{MONTH})\s+(?P<y>\d{{4}})\b"),
]


def find_date_ranges(text: str) -> list[DateRange]:
    """Every date or date range in `text`, leftmost-longest, in order."""
    found: list[DateRange] = []
    taken: list[tuple[int, int]] = []
    for month in MONTHS:  # every date names its month (the patterns' month group is not optional)
        if month in text:
            break
    else:
        return found
    for pattern in _RANGE_PATTERNS:
        for m in pattern.finditer(text):
            if any(not (m.end() <= a or m.start() >= b) for a, b in taken):
                continue
            g = m.groupdict()
            end = _make_date(g["y"], g["m2"], g.get("d2") or g["d1"])
            start = _make_date(g["y"], g.get("m1") or g["m2"], g["d1"])
            if start is None or end is None or end < start:
                continue
            found.append(DateRange(start, end, m.start(), m.end()))
            taken.append((m.start(), m.end()))
    found.sort(key=lambda r: r.begin)
    return found


# "decision 4/4", "resolutions 61/144 of 19 December 2006, 61/180 ... and 64/178", "A/RES/64/293"
# "4/4", "64/293", ECOSOC's "2011/33", special and emergency special sessions "S-26/2", "ES-10/15", and
# the Assembly's first numbering, session in Roman numerals: "181 (II)", "217 A (III)", "3314 (XXIX)"
ACT_NUMBER = r"(?:(?:E?S-)?\d{1,4}/\d{1,4}(?:\s[A-H](?:-[A-H])?(?![\w/]))?|\d{1,4}(?:\s[A-Z])?\s\((?:[IVXL]+|E?S-[IVX]+)\))"
_OF_DATE = rf"(?:\s+of\s+\d{{1,2}}\s+{MONTH}\s+\d{{4}})?"
ACT_LIST = re.compile(
    rf"\b(?P<kind>[Dd]ecisions?|[Rr]esolutions?)\s+(?P<list>{ACT_NUMBER}{_OF_DATE}"
    rf"(?:\s*(?:,|,?\s+and)\s+{ACT_NUMBER}{_OF_DATE})*)"
)
ACT_ITEM = re.compile(rf"(?P<number>{ACT_NUMBER})(?:\s+of\s+(?P<date>\d{{1,2}}\s+{MONTH}\s+\d{{4}}))?")
_ROMAN_NUMBERED = re.compile(r"^(?P<n>\d{1,4})(?:\s[A-Z])?\s\((?P<session>[^)]+)\)$")
_PART_LETTER = re.compile(r"\s[A-H](?:-[A-H])?$")
# an item that continues a list after words about the previous one: "…, by which it established the
# Council, and 65/281 of 17 June 2011", "Resolutions 52/214, sect. C, para. 3; 55/222, sect. III"
CONTINUED_ITEM = re.compile(
    rf"(?:,|;|\band|\bas\s+well\s+as)\s+(?P<number>{ACT_NUMBER})(?:\s+of\s+(?P<date>\d{{1,2}}\s+{MONTH}\s+\d{{4}}))?(?![\w/])")


def canonical_act_number(number: str) -> str:
    """An act's number as its symbol spells it: "217 A (III)" is "217 (III)" (A/RES/217(III)), "66/253 B"
    is "66/253" (parts A and B of one resolution share its symbol)."""
    m = _ROMAN_NUMBERED.match(number)
    if m:
        return f"{m.group('n')} ({m.group('session')})"
    return _PART_LETTER.sub("", number)


RES_SYMBOL = re.compile(
    r"(?<![\w/])(?P<series>A/HRC/RES|A/RES|E/RES|S/RES|A/DEC|E/DEC|A/HRC/DEC)/"
    r"(?P<number>(?:(?:S|ES)-\d{1,2}/\d{1,4})|\d{1,4}/\d{1,4}|\d{1,4}(?=\s*\(\d{4}\)))\b(?:\s*\((?P<year>\d{4})\))?"
)
RES_SERIES = {
    "A/RES": ("ga", "resolution"), "A/DEC": ("ga", "decision"),
    "E/RES": ("ecosoc", "resolution"), "E/DEC": ("ecosoc", "decision"),
    "S/RES": ("unsc", "resolution"),
    "A/HRC/RES": ("hrc", "resolution"), "A/HRC/DEC": ("hrc", "decision"),
}
# Security Council resolutions are numbered through, with their year (a spelling no other body uses):
# "resolutions 242 (1967) of 22 November 1967, 338 (1973) … and 2334 (2016)"
SC_ITEM = re.compile(rf"(?P<number>\d{{1,4}})\s*\((?P<year>(?:19|20)\d{{2}})\)(?:\s+of\s+(?P<date>\d{{1,2}}\s+{MONTH}\s+\d{{4}}))?")
_SC_NUMBER = rf"\d{{1,4}}\s*\((?:19|20)\d{{2}}\){_OF_DATE}"
SC_LIST = re.compile(
    rf"\b(?:[Rr]esolutions?)\s+(?P<list>{_SC_NUMBER}(?:\s*(?:,|,?\s+and)\s+{_SC_NUMBER})*)"
)
