"""Read the layout of a UN document: header, sections, numbered paragraphs, sub-paragraphs, lists,
preamble and operative part of an act, footnotes and annex tables, each with its offsets in the source.

UN documents are laid out by strict editorial rules, so the structure is read from the layout of
lines, not from sentences: a numbered paragraph is a line opening with the next number in sequence
(a "1." inside paragraph 59 is an item of a list, not a paragraph), a section is a line opening with
a Roman numeral or a capital letter and a period, a footnote body opens with its mark. Text that
follows a page break continues the paragraph it interrupted.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field
from datetime import date

from .clause_phrases import opening_phrase
from .layout import (
    CLOSING_LINE, COVER_BLOCK_START, Line, closing_cut, lines_of, numbered_cut, opens_preambular_paragraph,
    opens_with_participle, preamble_cut, split_cover,
)
from .normalize import NormalizedText, clean_inline, normalize
from .offsets import OffsetMap
from .patterns import (
    DAY_MONTH_YEAR, ORDINAL, find_date_ranges, find_symbols, ordinal_value, parse_date,
)

# ---------------------------------------------------------------------------------------------
# The structure


@dataclass
class ListItem:
    marker: str  # "-", "1.", "(a)"
    text: str
    start: int  # source offsets
    end: int


@dataclass
class Paragraph:
    """A paragraph with its words on one line and, for every character, its offset in the source (an `OffsetMap`)."""

    key: str  # "7", "5 (a)", "pp3", "b2", "title"
    number: str | None
    kind: str  # "numbered" | "subparagraph" | "preambular" | "operative" | "unnumbered"
    text: str
    offsets: OffsetMap = field(repr=False)
    section: str | None = None
    parent: str | None = None
    verb: str | None = None
    items: list[ListItem] = field(default_factory=list)
    footnotes: list[str] = field(default_factory=list)  # markers called in this paragraph
    act: tuple[str, str] | None = None  # ("resolution", "6/1") for the text of an act inside a report
    eid: str | None = None  # the markup's own id of the paragraph ("para_19"), when read from AKN4UN

    @property
    def start(self) -> int:
        return self.offsets[0] if self.offsets else 0

    @property
    def end(self) -> int:
        return self.offsets[-1] + 1 if self.offsets else 0

    def source_span(self, a: int, b: int) -> tuple[int, int]:
        """Source offsets of this paragraph's text[a:b]."""
        offsets = self.offsets
        if type(offsets) is OffsetMap:
            # `OffsetMap.span` inlined for the common case: every fact's evidence passes here
            n = offsets.length
            if not n:
                return 0, 0
            if b <= a:
                b = a + 1
            if b > n:
                b = n
            if 0 <= a < b:
                starts, shifts = offsets.starts, offsets.shifts
                return a + shifts[bisect_right(starts, a) - 1], b + shifts[bisect_right(starts, b - 1) - 1]
            return offsets.span(a, b)
        if not offsets:
            return 0, 0
        b = max(a + 1, b)
        return offsets.span(a, min(b, len(offsets)))


@dataclass
class Section:
    key: str  # "II", "II.A", "annex"
    number: str
    title: str
    level: int
    parent: str | None
    start: int


@dataclass
class Footnote:
    marker: str
    text: str
    start: int
    end: int
    offsets: OffsetMap = field(repr=False, default_factory=OffsetMap)
    called_in: str | None = None  # paragraph key, or "header"
    call_offset: int | None = None

    @property
    def key(self) -> str:
        return "fn" + ("star" * len(self.marker) if self.marker.startswith("*") else self.marker)

    def as_paragraph(self) -> "Paragraph":
        """A footnote read as a paragraph, so that facts found in it carry evidence like any other."""
        return Paragraph(self.key, None, "footnote", self.text, self.offsets)


@dataclass
class Table:
    title: str | None
    columns: list[str]
    rows: list[list[str]]
    row_spans: list[tuple[int, int]]
    section: str | None


@dataclass
class HeaderField:
    value: str
    start: int
    end: int
    offsets: OffsetMap = field(default_factory=OffsetMap, repr=False)


@dataclass
class Header:
    fields: dict[str, HeaderField] = field(default_factory=dict)
    blocks: list[HeaderField] = field(default_factory=list)  # free text blocks, in order

    def get(self, name: str) -> str | None:
        f = self.fields.get(name)
        return f.value if f else None


@dataclass
class Document:
    source: str
    normalized: NormalizedText = field(repr=False)
    header: Header
    sections: list[Section]
    paragraphs: list[Paragraph]
    footnotes: list[Footnote]
    tables: list[Table]
    chapeau: Paragraph | None = None

    def paragraph(self, key: str) -> Paragraph | None:
        for p in self.paragraphs:
            if p.key == key:
                return p
        return None

    def numbered(self) -> list[Paragraph]:
        return [p for p in self.paragraphs if p.kind in ("numbered", "operative")]

    def footnote(self, marker: str) -> Footnote | None:
        for f in self.footnotes:
            if f.marker == marker:
                return f
        return None

    def section(self, key: str | None) -> Section | None:
        for s in self.sections:
            if s.key == key:
                return s
        return None


# ---------------------------------------------------------------------------------------------
# Line classification

_ROMAN = r"(?:X{0,3})(?:IX|IV|V?I{0,3})"
_SPACES = re.compile(r"\s+")  # a header field's spacing, collapsed
_HEADING = re.compile(rf"^\s*(?P<num>{_ROMAN}|[A-Z])\.\s+(?P<title>\S.*?)\s*$")
_NUMBERED = re.compile(r"^\s{0,3}(?P<num>\d{1,3})\.\s+(?P<rest>\S.*)$")
_SUBPARA = re.compile(r"^\s{0,3}\((?P<letter>[a-z]{1,2}|[ivx]{1,5})\)\s+(?P<rest>\S.*)$")
_BULLET = re.compile(r"^\s*(?P<marker>[-•–▪◦·]|\d{1,2}\.|\([a-z]\)|-\s*\([a-z]\))\s+(?P<rest>\S.*)$")
# "Resolution 6/1" or "Decision 6/2" alone on a line: the text of an adopted act begins (reports of a session)
_ACT_HEADING = re.compile(r"^\s*(?P<kind>Resolution|Decision)\s+(?P<number>\d{1,4}/\d{1,4})\s*$")
_ANNEX = re.compile(r"^\s*(?P<title>Annex(?:es)?(?:\s+[IVX]+)?)\s*$")
_TOC_LINE = re.compile(r"(?:\t\s*|\s{2,})\d{1,3}\s*$")
_CHAPEAU = re.compile(r"^\s*The\s+(?P<body>[A-Z].{3,200}?),\s*$")

ROMAN_VALUES = {"I": 1, "V": 5, "X": 10}


def roman_to_int(numeral: str) -> int:
    total = 0
    prev = 0
    for ch in reversed(numeral):
        value = ROMAN_VALUES[ch]
        total = total - value if value < prev else total + value
        prev = max(prev, value)
    return total


_Line = Line


def _lines(norm: NormalizedText) -> list[Line]:
    """The document's lines, a run-together cover page cut into the lines it prints as."""
    return split_cover(lines_of(norm))


# ---------------------------------------------------------------------------------------------
# Text with offsets


# The patterns below open with one class (\s), so that the regex engine skips to whitespace instead of
# trying the pattern at every character: a repeat ("\s{2,}") or a branch ("x|y") at the start would not.
_ODD_SPACE = re.compile(r"\s(?:(?<! )|(?=\s))")  # a space that is not one plain " " (was "[^\S ]| \s")
_SPACE_RUN = re.compile(r"\s+")
# the gaps inside a segment that are not one plain collapse: runs of two or more, and line ends (a word
# broken by the layout is joined across one); the same spans as "\s{2,}|\n"
_WIDE_GAP = re.compile(r"\s(?:\s+|(?<=\n))")
_RUN_OF_SPACES = re.compile(r"\s\s+")  # "\s{2,}"
_RUN_OF_PLAIN_SPACES = re.compile("  +")


def _compose(norm: NormalizedText, segments: list[tuple[int, int]]) -> tuple[str, OffsetMap]:
    """The words of normalized `segments` on one line, with the source offset of each character.

    Whitespace runs collapse to one space, whose offset is the run's last character; a hyphen at a
    line end between lower-case letters is removed (a word broken by the layout, not a compound).
    A segment is copied in slices between its wide gaps, not word by word, and its offsets run by run.
    """
    text, to_source = norm.text, norm.to_source
    pieces: list[str] = []
    offsets = OffsetMap()
    extend = offsets.extend_from
    prev_start = prev_end = -1  # the first word's start and the last word's end of the last segment with words
    for a, b in segments:
        segment = text[a:b]
        words = segment.strip()  # str.isspace() is re's \s
        if not words:
            continue
        start = a + len(segment) - len(segment.lstrip())
        end = start + len(words)
        # where the segment's offsets are copied from: its first word, or the character before it when
        # a space joins it to the last segment (that space stands for the gap's last character)
        since = start
        if prev_end >= 0:  # the gap after the last segment's last word
            if text[prev_end - 1] == "-" and _broken(text, prev_start, prev_end, start):
                pieces[-1] = pieces[-1][:-1]
                offsets.pop()
            else:
                pieces.append(" ")
                since = start - 1
        if _one_space_apart(words):  # the line as it is
            pieces.append(words)
            extend(to_source, since, end)
            prev_start, prev_end = start, end
            continue
        pos = since
        if "\n" not in words and words.isprintable():
            # printable words hold no whitespace but " " (see `_one_space_apart`): only the runs of spaces
            # (found by a literal search) change, each to one space, whose offset is the run's last character
            copied = start
            for gap in _RUN_OF_PLAIN_SPACES.finditer(text, start, end):
                g0, g1 = gap.span()
                pieces.append(text[copied:g0])
                pieces.append(" ")
                extend(to_source, pos, g0)
                copied, pos = g1, g1 - 1
            pieces.append(text[copied:end])
            extend(to_source, pos, end)
            prev_start, prev_end = start, end
            continue
        if "\n" not in words:  # no word broken at a line end: the text collapsed at once, the offsets by gap
            pieces.append(" ".join(words.split()))  # str.split() splits at re's \s runs
            for gap in _RUN_OF_SPACES.finditer(text, start, end):
                extend(to_source, pos, gap.start())
                pos = gap.end() - 1  # the run's last character stands for its space
            extend(to_source, pos, end)
            prev_start, prev_end = start, end
            continue
        extend(to_source, since, start)
        pos = start
        for gap in _WIDE_GAP.finditer(text, start, end):
            g0, g1 = gap.start(), gap.end()
            if _broken(text, start, g0, g1):
                pieces.append(_SPACE_RUN.sub(" ", text[pos:g0 - 1]))
                extend(to_source, pos, g0 - 1)
            else:
                pieces.append(_SPACE_RUN.sub(" ", text[pos:g0]))
                pieces.append(" ")
                extend(to_source, pos, g0)
                offsets.append(to_source[g1 - 1])
            pos = g1
        pieces.append(_SPACE_RUN.sub(" ", text[pos:end]))
        extend(to_source, pos, end)
        prev_start, prev_end = start, end
    return "".join(pieces), offsets


def _one_space_apart(words: str) -> bool:
    """Whether the only whitespace in `words` is single plain spaces (`_ODD_SPACE` finds nothing).

    Every whitespace character but " " is unprintable, so printable words with no double space qualify
    (`str.isprintable` runs at C speed, where the regex stops at every space); the regex decides only for
    words holding some other unprintable character, a soft hyphen say.
    """
    if "  " in words:
        return False
    return words.isprintable() or _ODD_SPACE.search(words) is None


def _broken(text: str, since: int, word_end: int, next_start: int) -> bool:
    """A word ending at `word_end` in "-" after a lower-case letter (both after `since`), a line end
    before the next word, which opens in lower case: one word the layout broke."""
    return (text[word_end - 1] == "-" and word_end - 2 >= since and text[word_end - 2].islower()
            and text[next_start].islower() and "\n" in text[word_end:next_start])


# ---------------------------------------------------------------------------------------------
# Header


_HEADER_FIELDS = [
    ("distribution", re.compile(r"Distr\.?:\s*(?P<v>General|Limited|Restricted)\b")),
    ("issued", re.compile(rf"Distr\.?:\s*(?:General|Limited|Restricted)\s+(?P<v>{DAY_MONTH_YEAR.pattern})")),
    ("original_language", re.compile(r"Original:\s*(?P<v>Arabic|Chinese|English|French|Russian|Spanish)\b")),
    # a session line opens its line ("Fifth session Vienna, …" when a conversion ran lines together);
    # "on its sixth session" inside a title is part of the title
    # (the lookahead says first what the phrase implies, "session" as its second or third word: it spares
    # trying each of the hundred ordinals at every line start)
    ("session", re.compile(rf"(?m)(?:^[ \t]*|(?<=\d{{4}} ))(?=\S+\s+(?:special\s+)?session\b)"
                           rf"(?P<v>{ORDINAL}\s+(?:special\s+)?session)\b")),
    ("venue_dates", re.compile(
        r"\b(?P<v>(?P<city>Vienna|New York|Geneva|Nairobi|Palermo|Doha|Bangkok|Salvador|Kyoto|Addis Ababa|"
        r"[A-Z][a-z]+(?: [A-Z][a-z]+)?), (?:\d{1,2}(?: [A-Z][a-z]+)? ?[-–] ?)?\d{1,2} [A-Z][a-z]+ \d{4})")),
    ("agenda_item", re.compile(r"\b(?P<v>(?:Items?|Agenda\s+items?)\s+(?P<item>\d{1,3}(?:\s*\([a-z]\))?)"
                               r"(?:\s+of\s+the\s+(?:provisional\s+)?agenda)?)(?![\w/])")),
    ("symbol_line", re.compile(r"^(?:United Nations\s+)?(?P<v>[A-Z]{1,8}/[A-Za-z0-9./\-]*\d[A-Za-z0-9./\-]*)"
                               r"(?=\s*$|\s+(?:General Assembly|Economic and Social Council|Security Council|"
                               r"Human Rights Council|Distr\.))", re.M)),
]


def _is_structural(line: _Line, in_toc: bool) -> bool:
    if line.footnote or line.blank:
        return False
    if in_toc and _TOC_LINE.search(line.text):
        return False
    m = _HEADING.match(line.text)
    if m and m.group("num") and not _TOC_LINE.search(line.text):
        return True
    if _NUMBERED.match(line.text):
        return True
    return bool(_CHAPEAU.match(line.text))


def _parse_header(norm: NormalizedText, lines: list[_Line], end_line: int) -> Header:
    header = Header()
    # the header region's text, footnote lines and the table of contents left out
    segments: list[_Line] = []
    in_toc = False
    for line in lines[:end_line]:
        if line.footnote:
            continue
        if line.text.strip() == "Contents":
            in_toc = True
            continue
        if in_toc and (_TOC_LINE.search(line.text) or line.text.strip() in ("Page", "")):
            continue
        segments.append(line)
    taken: list[tuple[int, int]] = []
    region = norm.text[:lines[end_line].start] if end_line < len(lines) else norm.text
    kept = {line.index for line in segments}  # by index: `line not in segments` made this quadratic
    skipped = [(line.start, line.end) for line in lines[:end_line] if line.index not in kept]
    for name, pattern in _HEADER_FIELDS:
        for m in pattern.finditer(region):
            if any(a <= m.start() < b for a, b in skipped):
                continue
            va, vb = m.start("v"), m.end("v")
            if name == "agenda_item":
                ia, ib = m.start("item"), m.end("item")
                header.fields["agenda_item_number"] = HeaderField(
                    _SPACES.sub(" ", m.group("item")), norm.to_source[ia], norm.to_source[ib - 1] + 1)
            header.fields[name] = HeaderField(_SPACES.sub(" ", m.group("v")), norm.to_source[va],
                                              norm.to_source[vb - 1] + 1)
            taken.append((m.start(), m.end()))
            break
    # free blocks: what remains of the header once its fields are taken out, split at blank lines
    block: list[tuple[int, int]] = []

    def flush() -> None:
        if block:
            text, offsets = _compose(norm, block)
            if text:
                header.blocks.append(HeaderField(text, offsets[0], offsets[-1] + 1, offsets))
            block.clear()

    prev_index = None
    for line in segments:
        if prev_index is not None and line.index != prev_index + 1:
            flush()
        prev_index = line.index
        if line.blank:
            flush()
            continue
        if COVER_BLOCK_START.match(line.text):
            flush()
        cuts = sorted((max(a, line.start), min(b, line.end)) for a, b in taken if a < line.end and b > line.start)
        cursor = line.start
        for a, b in cuts:
            if a > cursor and norm.text[cursor:a].strip():
                block.append((cursor, a))
            flush()
            cursor = max(cursor, b)
        if cursor < line.end and norm.text[cursor:line.end].strip():
            block.append((cursor, line.end))
    flush()
    return header


# ---------------------------------------------------------------------------------------------
# Operative and preambular verbs

_ADVERBS = r"(?:Also|Further|Again|Once again|Strongly|Also strongly|Further also|Again also|Urgently)"
_OPERATIVE_VERB = re.compile(
    rf"^(?P<verb>(?:{_ADVERBS}\s+[a-z]+|[A-Z][a-z]+)(?:s|es)(?:\s+(?:also|further|again|with\s+(?:appreciation|concern|"
    r"satisfaction|interest|deep concern|grave concern)|note\s+of|note|upon|on))?)\b(?=[\s,;:])")
_PREAMBULAR_VERB = re.compile(
    r"^(?P<verb>(?:Bearing in mind|Taking into account|Taking note(?: with (?:appreciation|concern|satisfaction))?|"
    r"Noting(?: with (?:appreciation|concern|deep concern|grave concern|satisfaction|interest))?|"
    r"(?:Deeply |Gravely |Seriously )?(?:Concerned|Alarmed|Convinced|Mindful|Aware|Determined|Conscious|Recognizing|Welcoming)|"
    r"Having (?:considered|examined|reviewed|heard|listened)|Guided by|"
    r"(?:Deeply|Gravely|Strongly|Seriously|Firmly|Fully|Profoundly|Greatly) [a-z]+(?:ing|ed)|"
    r"[A-Z][a-z]+ing)(?:\s+(?:also|further|further also|again|with appreciation|with concern|with satisfaction))?)\b")


def operative_verb(text: str) -> str | None:
    phrase = opening_phrase(text, "operative")
    if phrase:
        return phrase
    m = _OPERATIVE_VERB.match(text)
    return m.group("verb") if m else None


def preambular_verb(text: str) -> str | None:
    phrase = opening_phrase(text, "preambular")
    if phrase:
        return phrase
    m = _PREAMBULAR_VERB.match(text)
    return m.group("verb") if m else None


# ---------------------------------------------------------------------------------------------
# The body of the document


_CALL_AT_END = re.compile(r"(?<=[,;.:”\"])\d{1,2}$")


def _ending_text(cur: dict) -> str:
    return cur.get("ended", "")


def _ending(text: str) -> str:
    """The character a line ends with, a footnote number glued after its punctuation left out."""
    text = text.rstrip()
    return _CALL_AT_END.sub("", text)[-1:] if text[-1:].isdigit() else text[-1:]


class _Parser:
    def __init__(self, source: str):
        self.source = source
        self.norm = normalize(source)
        self.call_offsets = [c.offset for c in self.norm.calls]  # ascending: normalize finds calls in order
        self.lines = _lines(self.norm)
        self.sections: list[Section] = []
        self.paragraphs: list[Paragraph] = []
        self.footnotes: list[Footnote] = []
        self.tables: list[Table] = []
        self.chapeau: Paragraph | None = None
        # state
        self.section_key: str | None = None
        self.roman: str | None = None
        self.last_number: int | None = None
        self.current: dict | None = None  # the paragraph being gathered
        self.in_preamble = False
        self.in_annex = False
        self.table: dict | None = None
        self.unnumbered = 0
        self.preambular = 0
        self.gap = False  # a blank line, a page break or a footnote since the last line of text
        self.page_break = False  # a running head, a job number or a page's footnotes since the last line of text
        self.act: tuple[str, str] | None = None  # the adopted act whose text is being read
        self.key_prefix = ""  # "r6-1-": paragraph keys stay unique when each act numbers from 1
        self.act_chapeau = False
        self.numbering_outside_acts: int | None = None

    # -- paragraph gathering ------------------------------------------------------------------
    def _open(self, key: str, number: str | None, kind: str, line: _Line, start: int | None = None,
              parent: str | None = None) -> None:
        self._close()
        self.current = {"key": key, "number": number, "kind": kind, "segments": [(start if start is not None else line.start, line.end)],
                        "parent": parent, "items": [], "section": self.section_key, "ended": _ending(line.text),
                        "act": self.act}

    def _extend(self, line: _Line, start: int | None = None) -> None:
        assert self.current is not None
        self.current["segments"].append((start if start is not None else line.start, line.end))
        self.current["ended"] = _ending(line.text)

    def _close(self) -> None:
        cur = self.current
        if cur is None:
            return
        self.current = None
        text, offsets = _compose(self.norm, cur["segments"])
        if not text:
            return
        para = Paragraph(cur["key"], cur["number"], cur["kind"], text, offsets, section=cur["section"],
                         parent=cur["parent"], items=cur["items"], act=cur["act"])
        if para.kind == "operative":
            para.verb = operative_verb(text)
        elif para.kind == "preambular":
            para.verb = preambular_verb(text)
        span_start, span_end = cur["segments"][0][0], cur["segments"][-1][1]
        # the calls are in text order: only those between the first and the last segment's bounds are tested
        calls = self.norm.calls
        first, last = bisect_left(self.call_offsets, span_start), bisect_right(self.call_offsets, span_end)
        para.footnotes = [c.marker for c in calls[first:last]
                          if any(a <= c.offset <= b for a, b in cur["segments"])]
        if para.kind == "chapeau" and cur["act"] is None:
            self.chapeau = para
            return
        self.paragraphs.append(para)

    # -- line handlers ------------------------------------------------------------------------
    def _heading(self, line: _Line, m: re.Match) -> None:
        self._close()
        num, title = m.group("num"), clean_inline(m.group("title"))
        if len(num) > 1:
            level = 1
        elif num not in "IVX":
            level = 2
        else:  # "I", "V", "X" are Roman numerals unless they cannot follow the current section
            level = 1 if self.roman is None or roman_to_int(num) > roman_to_int(self.roman) else 2
        if level == 1 and self.act is not None:
            # the acts' texts are over: the report's own numbering goes on
            self.act, self.key_prefix, self.act_chapeau = None, "", False
            self.last_number = self.numbering_outside_acts
        if level == 1:
            self.roman = num
            key, parent = num, None
        else:
            parent = self.roman
            key = f"{self.roman}.{num}" if self.roman else num
        self.sections.append(Section(key, num, title, level, parent, self.norm.to_source[line.start]))
        self.section_key = key
        self.in_preamble = False

    def _footnote(self, line: _Line, following: list[_Line]) -> None:
        text = line.text.strip()
        m = re.match(r"^(?P<marker>\*{1,3}|\d{1,3})\s+(?P<body>.*)$", text)
        if not m:
            return
        lead = len(line.text) - len(line.text.lstrip())
        body_start = line.start + lead + m.start("body")
        segments = [(body_start, line.end)]
        for nxt in following:
            if nxt.blank or nxt.footnote:
                break
            segments.append((nxt.start, nxt.end))
        body, offsets = _compose(self.norm, segments)
        self.footnotes.append(Footnote(m.group("marker"), body, offsets[0] if offsets else 0,
                                       offsets[-1] + 1 if offsets else 0, offsets))

    def parse(self) -> Document:
        lines = self.lines
        # where the header ends: the first structural line outside a table of contents
        end_line = len(lines)
        in_toc = False
        for line in lines:
            if line.text.strip() == "Contents":
                in_toc = True
                continue
            if in_toc and line.blank:
                continue
            if _is_structural(line, in_toc):
                if in_toc and _HEADING.match(line.text) and _TOC_LINE.search(line.text):
                    continue
                end_line = line.index
                break
            if in_toc and not _TOC_LINE.search(line.text) and line.text.strip() not in ("Page",):
                in_toc = False
        header = _parse_header(self.norm, lines, end_line)
        skip_footnote_lines: set[int] = set()
        i = end_line
        while i < len(lines):
            line = lines[i]
            i += 1
            if line.index in skip_footnote_lines:
                continue
            if line.blank:
                self.gap = True
                self.page_break = self.page_break or line.page_break
                continue
            if line.footnote:
                # a footnote runs on over the lines below it until it is complete or the text resumes
                following = []
                j = i
                last = line.text.rstrip()
                while j < len(lines) and not lines[j].blank and not lines[j].footnote \
                        and not last.endswith(".") and not _is_structural(lines[j], False):
                    following.append(lines[j])
                    skip_footnote_lines.add(lines[j].index)
                    last = lines[j].text.rstrip()
                    j += 1
                self._footnote(line, following)
                self.gap = self.page_break = True
                continue
            self._process(line)
            self.gap = self.page_break = False
        # footnotes in the header region
        for line in lines[:end_line]:
            if line.footnote:
                self._footnote(line, [])
        self._close()
        self._finish_table()
        self._link_footnotes()
        self.footnotes.sort(key=lambda f: f.start)
        return Document(self.source, self.norm, header, self.sections, self.paragraphs, self.footnotes,
                        self.tables, self.chapeau)

    def _process(self, line: Line) -> None:
        """A line, cut first where a run-together copy holds the next paragraph inside it."""
        while True:
            at = self._run_together(line)
            if at is None:
                self._line(line)
                return
            head, line = line.slice(0, at), line.slice(at, len(line.text))
            self._line(head)
            self.gap = False

    def _run_together(self, line: Line) -> int | None:
        if self.in_annex:
            return None
        expected = 1 if self.last_number is None else self.last_number + 1
        opening = _NUMBERED.match(line.text)
        if opening and int(opening.group("num")) == expected:
            expected += 1  # the line opens with this paragraph: the next one may follow inside it
        if self.last_number is not None or self.in_preamble or opening:
            at = numbered_cut(line.text, expected)
            if at is not None and at > 0:
                return at
        if self.in_preamble:
            at = preamble_cut(line.text)
            if at is not None and at > 0:
                return at
        return closing_cut(line.text)

    def _line(self, line: _Line) -> None:
        text = line.text
        if self.in_annex and "\t" in text:
            self._table_row(line)
            return
        if self.in_annex and self.table is not None:
            self._finish_table()
        m = _ANNEX.match(text)
        if m:
            self._close()
            self.in_annex = True
            self.roman = None
            self.sections.append(Section("annex", m.group("title"), m.group("title"), 1, None,
                                         self.norm.to_source[line.start]))
            self.section_key = "annex"
            self.last_number = None
            return
        if CLOSING_LINE.match(text):
            # the meeting and date that close an act's text: a block of its own, never the last paragraph's words
            self._close()
            self.unnumbered += 1
            self._open(f"b{self.unnumbered}", None, "unnumbered", line)
            self._close()
            return
        m = _ACT_HEADING.match(text)
        if m:
            self._close()
            kind, number = m.group("kind").lower(), m.group("number")
            if self.act is None:
                self.numbering_outside_acts = self.last_number
            self.act = (kind, number)
            self.key_prefix = f"{kind[0]}{number.replace('/', '-')}-"
            self.act_chapeau = False
            key = f"{kind} {number}"
            self.sections.append(Section(key, number, f"{m.group('kind')} {number}", 2 if self.roman else 1,
                                         self.roman, self.norm.to_source[line.start]))
            self.section_key = key
            self.last_number = None
            self.in_preamble = False
            self.preambular = 0
            return
        m = _CHAPEAU.match(text)
        if m and self.act is not None and not self.act_chapeau:
            self._open(self.key_prefix + "chapeau", None, "chapeau", line)
            self._close()
            self.act_chapeau = True
            self.in_preamble = True
            return
        if self.act is not None and not self.act_chapeau:
            # between "Resolution 6/1" and its chapeau: the act's title
            if self.current is not None and self.current["kind"] == "act-title":
                self._extend(line)
            else:
                self._open(self.key_prefix + "title", None, "act-title", line)
            return
        if m and self.chapeau is None and not self.paragraphs and self.current is None:
            self._open("chapeau", None, "chapeau", line)
            self._close()
            self.in_preamble = True
            return
        m = _NUMBERED.match(text)
        if m:
            n = int(m.group("num"))
            if self.last_number is None or n == self.last_number + 1:
                in_act_text = self.act_chapeau if self.act is not None else self.chapeau is not None
                kind = "operative" if in_act_text else "numbered"
                self.in_preamble = False
                self.last_number = n
                self._open(self.key_prefix + str(n), str(n), kind, line, start=line.start + m.start("rest"))
                return
            self._list_item(line, m.group("num") + ".", m.start("rest"))
            return
        m = _HEADING.match(text)
        if m:
            self._heading(line, m)
            return
        m = _SUBPARA.match(text)
        if m and self.last_number is not None and self.current is not None:
            parent = self._subparagraph_parent(m.group("letter"))
            if self.current["kind"] in ("numbered", "operative", "subparagraph"):
                key = f"{parent} ({m.group('letter')})"
                number = key[len(self.key_prefix):] if key.startswith(self.key_prefix) else key
                self._open(key, number, "subparagraph", line, start=line.start + m.start("rest"), parent=parent)
                return
        m = _BULLET.match(text)
        if m and self.current is not None:
            self._list_item(line, m.group("marker"), m.start("rest"))
            return
        # plain text: a preambular paragraph, the continuation of the current one, or a block of its own
        if self.in_preamble:
            if self.current is not None and not self._starts_new(text):
                self._extend(line)
            else:
                self.preambular += 1
                self._open(f"{self.key_prefix}pp{self.preambular}", None, "preambular", line)
            return
        if self.current is not None and (not self._starts_new(text) or self.current.get("ended") == ":"):
            self._extend(line)
            return
        if self.in_annex and self.table is None and self.current is None:
            self.unnumbered += 1
            self._open(f"b{self.unnumbered}", None, "unnumbered", line)
            self._close()
            return
        self.unnumbered += 1
        self._open(f"b{self.unnumbered}", None, "unnumbered", line)

    def _subparagraph_parent(self, marker: str) -> str:
        """Whose sub-paragraph "(marker)" is: "(i)" after "2 (a)" is "2 (a) (i)"; "(b)" after "2 (a) (iii)" is "2 (b)";
        "(i)" after "(h)" is the next letter."""
        cur = self.current
        if cur["kind"] != "subparagraph":
            return cur["key"]
        own = re.findall(r"\(([a-z]+)\)", cur["key"])[-1]
        nested = cur["key"].count("(") >= 2
        roman = re.fullmatch(r"[ivxl]+", marker) is not None
        next_letter = own and len(own) == 1 and chr(ord(own) + 1) == marker
        if roman and not next_letter and not nested and re.fullmatch(r"[a-z]{1,2}", own) and not re.fullmatch(r"[ivxl]+", own):
            return cur["key"]  # a list inside a lettered sub-paragraph
        if nested and not roman:
            return cur["parent"].rsplit(" (", 1)[0]  # back from "2 (a) (iii)" to the letters of paragraph 2
        return cur["parent"] or cur["key"]

    def _starts_new(self, text: str) -> bool:
        """After a blank or a page break, does `text` open a new block rather than continue one?"""
        cur = self.current
        if cur is None:
            return True
        first = text.lstrip()[:1]
        if first.islower() or first in "(,;":
            return False
        if not self.gap and not self.in_preamble:
            return False  # a line wrapped by the layout, with nothing between: the same block
        if not self.gap and not opens_preambular_paragraph(text):
            # inside a preamble printed without blank lines, a new paragraph opens with its verb
            return opens_with_participle(text) and _ending_text(cur) in (",", ";")
        if self.page_break:
            # text resuming after a page's foot and the next page's head: the same paragraph, unless
            # the last one was complete and this one opens as a paragraph does
            if self.in_preamble:
                return opens_preambular_paragraph(text) or (opens_with_participle(text) and _ending_text(cur) in (",", ";"))
            return cur.get("ended", "") in (".", ";", ":")
        return cur.get("ended", "") in (".", ",", ";", ":", "”", "\"", ")")

    def _list_item(self, line: _Line, marker: str, rest_offset: int) -> None:
        if self.current is None:
            self.unnumbered += 1
            self._open(f"b{self.unnumbered}", None, "unnumbered", line)
        else:
            self._extend(line)
        text, offsets = _compose(self.norm, [(line.start + rest_offset, line.end)])
        if offsets:
            self.current["items"].append(ListItem(marker.strip(), text, offsets[0], offsets[-1] + 1))
        self.current["ended"] = ":"  # a list goes on until something structural interrupts it

    # -- annex tables --------------------------------------------------------------------------
    def _table_row(self, line: _Line) -> None:
        self._close()
        cells = [clean_inline(c) for c in line.text.split("\t")]
        span = (self.norm.to_source[line.start], self.norm.to_source[line.end - 1] + 1)
        if self.table is None:
            title = None
            if self.paragraphs and self.paragraphs[-1].kind == "unnumbered" and self.paragraphs[-1].section == "annex":
                title = self.paragraphs[-1].text
            self.table = {"title": title, "columns": cells, "rows": [], "spans": []}
            return
        self.table["rows"].append(cells)
        self.table["spans"].append(span)

    def _finish_table(self) -> None:
        if self.table is None:
            return
        t = self.table
        self.tables.append(Table(t["title"], t["columns"], t["rows"], t["spans"], "annex"))
        self.table = None

    # -- footnote calls -----------------------------------------------------------------------
    def _link_footnotes(self) -> None:
        by_marker: dict[str, list] = {}
        for call in self.norm.calls:
            by_marker.setdefault(call.marker, []).append(call)
        for fn in self.footnotes:
            calls = by_marker.get(fn.marker, [])
            # the call that precedes the footnote body most closely
            before = [c for c in calls if c.source_offset < fn.start]
            call = before[-1] if before else (calls[0] if calls else None)
            if call is None:
                continue
            fn.call_offset = call.source_offset
            fn.called_in = "header"
            for p in self.paragraphs:
                if p.offsets and p.start <= call.source_offset <= p.end + 1:
                    fn.called_in = p.key
                    break


def parse_document(source: str) -> Document:
    """The structure of a UN document's text (as decoded by `loaders.read`)."""
    return _Parser(source).parse()


# ---------------------------------------------------------------------------------------------
# Header interpretation helpers shared by the extractors


def header_date(header: Header) -> date | None:
    value = header.get("issued")
    return parse_date(value) if value else None


def header_session_number(header: Header) -> int | None:
    value = header.get("session")
    return ordinal_value(value.split()[0]) if value else None


def header_meeting_range(header: Header):
    value = header.fields.get("venue_dates")
    if not value:
        return None
    ranges = find_date_ranges(value.value)
    return (value, ranges[0]) if ranges else None


def own_symbol(doc: Document) -> str | None:
    """The document's own symbol when its header states one (never a footnote's symbol)."""
    value = doc.header.get("symbol_line")
    if not value:
        return None
    for sym, _, _ in find_symbols(value):
        return sym
    return None
