"""Take the conversion artefacts out of a document's text, and remember where every character came from.

PDF-to-text conversions of UN documents carry markup (`**bold**`, `*italic*`, `<i>…</i>`), superscript
footnote calls (`^{*}`, `^{1}`, `¹`, an asterisk glued to a word), running heads and job numbers
(`V.10-57029 (E)`, `*1050502*`), page numbers, form feeds, hyphenation at line ends and escaped
characters (`\\$`). Later stages must read the words, yet every fact must point back at the source:
`NormalizedText.to_source[i]` is the offset in the source of normalized character `i` (an `OffsetMap`,
one segment per stretch copied unchanged).

Line structure is kept (one normalized line per source line that survives), because the layout of
a UN document (numbered paragraphs, headings, footnotes) is a layout of lines.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, field

from loaders.offsets import OffsetMap

SUPERSCRIPT_DIGITS = "⁰¹²³⁴⁵⁶⁷⁸⁹"
_SUPER_TO_ASCII = str.maketrans(SUPERSCRIPT_DIGITS, "0123456789")

# A running head or job number alone on a line: "V.10-57029 (E)", "V.12-54132", "*1057029*",
# "A/67/100", page numbers "2", "2/12", "Page 3".
_ARTEFACT_LINE = re.compile(
    r"""^\s*(?:
        [A-Z]{1,2}\.\d{2}-\d{4,6}(?:\s*\([A-Z]\))?(?:\s+\d{6}){0,2}(?:\s+\S+)?   # job number, language, dates
      | \d{2}-\d{5}\s*\([A-Z]\)(?:\s+\d{6}){0,2}(?:\s+\S+)?     # New York job number "19-22412 (E) 280120"
      | \*\d{6,8}\*                                           # barcode text
      | \d{1,3}(?:/\d{1,3})?                                   # page number
      | Page\s+\d+
    )\s*$""",
    re.VERBOSE,
)

# The document's symbol alone on a line: said once in the header, then repeated atop every page.
_SYMBOL_LINE = re.compile(r"^\s*((?:A|E|S|CTOC|CAC|UNODC)/[A-Za-z0-9./\-]*\d[A-Za-z0-9./\-]*)\s*$")

_COVER_SYMBOL = re.compile(r"^\s*United\s+Nations\s+([A-Z]{1,8}/[A-Za-z0-9./\-]*\d[A-Za-z0-9./\-]*)(?:\s|$)")

# Inline artefacts, each with what replaces it. Order matters: ^{…} before bare superscripts.
# Each pattern opens with a literal or one character class (a lookbehind comes after the first character,
# a repeat is written "[x][x]*"), so that the regex engine skips to where it can match: one opening with
# a lookbehind or a repeat is tried at every character of the line.
_CARET_CALL = re.compile(r"\^\{([^}\n]{1,4})\}")
_SUPER_CALL = re.compile(f"[{SUPERSCRIPT_DIGITS}][{SUPERSCRIPT_DIGITS}]*")
_HTML_TAG = re.compile(r"</?(?:i|b|em|strong|u|sup|sub|span|br)\s*/?>", re.IGNORECASE)
_BOLD = re.compile(r"\*\*")
# *Recognizes*: emphasis opens after a space or line start and closes before a non-word character.
_EMPHASIS = re.compile(r"\*(?<![\w*]\*)(?=[^\s*])([^*\n]{1,200}?)(?<=[^\s*])\*(?![\w*])")  # "(?<![\w*])\*…"
# "agenda*": an asterisk glued to the end of a word is a footnote call.
_STAR_CALL = re.compile(r"\*(?<=[\w.,;:)”\"’]\*)(?![\w*])")  # "(?<=[\w.,;:)”\"’])\*…"
_ESCAPE = re.compile(r"\\([$&%#_*\[\]])")
_LINE_END_HYPHEN = re.compile(r"(?<=[a-z])-\n(?=[a-z])")  # clean_inline's, compiled once
_SPACES = re.compile(r"\s+")
# invisible format characters a conversion leaves behind: direction marks, zero-width spaces, soft hyphens
_INVISIBLE = re.compile("[\u200b-\u200f\u2060\ufeff\u00ad][\u200b-\u200f\u2060\ufeff\u00ad]*")
# Text taken from a PDF loses the superscript: "… of 22 June 2017,1 in which …", "Secretary-General;2".
# A number of one or two digits glued after a clause's punctuation is a footnote call when it is the
# next footnote's number (footnotes are numbered in order through a document).
_GLUED_CALL = re.compile(r"[,;:.)”\"’](?P<n>\d{1,2})(?=\s|$)")
_BEFORE_GLUED = re.compile(r"(?:[a-z0-9)\]”\"’][,;:)”\"’]|[a-z]{3}\.)$")
_NOT_A_CALL_BEFORE = re.compile(r"(?:\b(?:Rev|Corr|Add|Amend|Suppl|Part|No|Nos|para|paras|vol|chap|sect|art|arts|pp|annex))\.$")
# A footnote body whose number is plain: "1 Official Records of …", "12 A/74/130." (never "2 December 2009")
_PLAIN_FOOTNOTE = re.compile(
    r"^\s*(?P<marker>\d{1,3})\s+(?!(?:January|February|March|April|May|June|July|August|September|October|"
    r"November|December|per\s+cent|and|to|of|or)\b)(?=[A-Z(“\"\[]|See\b|Ibid)")


@dataclass(frozen=True)
class FootnoteCall:
    """A footnote mark removed from the running text: `marker` ("*", "1"), at normalized `offset`."""

    marker: str
    offset: int
    source_offset: int


@dataclass
class NormalizedText:
    text: str
    to_source: OffsetMap
    source_length: int
    calls: list[FootnoteCall] = field(default_factory=list)
    footnote_lines: set[int] = field(default_factory=set)  # normalized line starts of footnote bodies
    page_breaks: set[int] = field(default_factory=set)  # normalized line starts where a running head or job number was

    def source_span(self, start: int, end: int) -> tuple[int, int]:
        """The source span covering normalized characters [start, end)."""
        if start >= end:
            pos = self.to_source[start] if start < len(self.to_source) else self.source_length
            return pos, pos
        return self.to_source[start], self.to_source[end - 1] + 1


class _Builder:
    """Appends normalized text while recording the source offset of every character.

    Most lines are copied unchanged with their line end (`copy`): such lines in a row are one stretch of
    the source, kept as two bounds and added as one slice when something else is added, instead of a
    string and an offset run made for each line.
    """

    def __init__(self, source: str) -> None:
        self.source = source
        self.pieces: list[str] = []
        self.offsets = OffsetMap()
        self._copy_from = self._copy_to = -1  # source[_copy_from:_copy_to], copied and not yet added

    def copy(self, start: int, end: int) -> None:
        """Append source[start:end] as it is."""
        if start != self._copy_to:
            self._flush()
            self._copy_from = start
        self._copy_to = end

    def add(self, text: str, source_offset: int, *, same_origin: bool = False) -> None:
        if self._copy_to >= 0:
            self._flush()
        self.pieces.append(text)
        if same_origin:
            self.offsets.append_same(source_offset, len(text))
        else:
            self.offsets.append_run(source_offset, len(text))

    def _flush(self) -> None:
        if self._copy_from < self._copy_to:
            self.pieces.append(self.source[self._copy_from:self._copy_to])
            self.offsets.append_run(self._copy_from, self._copy_to - self._copy_from)
        self._copy_from = self._copy_to = -1

    def text(self) -> str:
        self._flush()
        return "".join(self.pieces)

    def __len__(self) -> int:
        return self.offsets.length + (self._copy_to - self._copy_from)


def _is_footnote_body(line: str) -> bool:
    """A footnote body starts with its mark: "¹ Ibid.", "^{*} CTOC/COP/2010/1.", "* CTOC/COP/2012/1."."""
    stripped = line.lstrip()
    return bool(_FOOTNOTE_MARK.match(stripped)) and not stripped.startswith("**")


_FOOTNOTE_MARK = re.compile(rf"^(?:\^\{{[^}}]{{1,4}}\}}|[{SUPERSCRIPT_DIGITS}]+|\*{{1,3}})\s+\S")


# a character every inline artefact above holds (a glued call: its punctuation and first digit); a line
# without any has nothing to replace and is not scanned by each pattern in turn (most lines of a document)
# (written as one class of first characters, the punctuation then tested for its digit: the regex engine
# skips to those characters, where "[…]|[,;:.)”"’]\\d" made it try both branches at every position)
_GLUE_PUNCTUATION = ",;:.)”\"’"
_ANY_INLINE = re.compile(f"[\\^{SUPERSCRIPT_DIGITS}<*\\\\\u200b-\u200f\u2060\ufeff\u00ad{_GLUE_PUNCTUATION}]"
                         f"(?:(?<=[{_GLUE_PUNCTUATION}])\\d|(?<![{_GLUE_PUNCTUATION}]))")


def _inline_replacements(line: str, *, gated: bool = True) -> list[tuple[int, int, str, str | None]]:
    """Spans of `line` to replace: (start, end, replacement, footnote marker or None).

    Each pattern runs only where its literal can occur ("^{", "<", "*", "\\", a non-ASCII character):
    a pattern whose literal is not in the line finds nothing there (`gated=False` runs them all, for tests).
    """
    spans: list[tuple[int, int, str, str | None]] = []
    if _ANY_INLINE.search(line) is None:
        return spans
    star = not gated or "*" in line
    ascii_only = gated and line.isascii()

    def free(a: int, b: int) -> bool:
        return all(b <= s or a >= e for s, e, _, _ in spans)

    if not gated or "^{" in line:
        for m in _CARET_CALL.finditer(line):
            spans.append((m.start(), m.end(), "", m.group(1).strip()))
    if not ascii_only:  # superscript digits are not ASCII
        for m in _SUPER_CALL.finditer(line):
            if free(m.start(), m.end()):
                spans.append((m.start(), m.end(), "", m.group(0).translate(_SUPER_TO_ASCII)))
    if not gated or "<" in line:
        for m in _HTML_TAG.finditer(line):
            if free(m.start(), m.end()):
                spans.append((m.start(), m.end(), "", None))
    if star:
        for m in _BOLD.finditer(line):
            if free(m.start(), m.end()):
                spans.append((m.start(), m.end(), "", None))
        for m in _EMPHASIS.finditer(line):
            a, b = m.start(), m.end()
            if free(a, a + 1) and free(b - 1, b):
                spans.append((a, a + 1, "", None))
                spans.append((b - 1, b, "", None))
        for m in _STAR_CALL.finditer(line):
            if free(m.start(), m.end()):
                spans.append((m.start(), m.end(), "", "*"))
    if not line.isascii():
        for m in _INVISIBLE.finditer(line):
            if free(m.start(), m.end()):
                spans.append((m.start(), m.end(), "", None))
    for m in _GLUED_CALL.finditer(line):
        a = m.start("n")
        if free(a, m.end()) and _BEFORE_GLUED.search(line, max(0, a - 4), a) \
                and not _NOT_A_CALL_BEFORE.search(line[:a]):
            spans.append((a, m.end(), "", "#" + m.group("n")))  # numbered calls are confirmed in sequence
    if not gated or "\\" in line:
        for m in _ESCAPE.finditer(line):
            if free(m.start(), m.end()):
                spans.append((m.start(), m.end(), m.group(1), None))
    spans.sort()
    return spans


def _confirm_glued_calls(spans, called: set[str]):
    """Keep a glued number as a call only when it is the next footnote's number (or close after it, or one
    called before): footnotes are numbered in order, so a number far ahead is part of the text."""
    out = []
    highest = max((int(c) for c in called), default=0)
    for start, end, replacement, marker in spans:
        if marker and marker.startswith("#"):
            n = int(marker[1:])
            if not highest < n <= highest + 3 and str(n) not in called:  # a call or two may have been missed
                continue
            marker = marker[1:]
            highest = max(highest, n)
        out.append((start, end, replacement, marker))
    return out


def normalize(source: str) -> NormalizedText:
    """Normalize `source` line by line; artefact lines are dropped, inline artefacts removed."""
    out = _Builder(source)
    calls: list[FootnoteCall] = []
    footnote_lines: set[int] = set()
    page_breaks: set[int] = set()
    pos = 0
    lines = source.split("\n")
    seen_symbol_lines: set[str] = set()
    called: set[str] = set()  # footnote numbers called so far
    after_head = False
    pending: dict[str, int] = {}  # footnote numbers called since their last body
    for index, raw in enumerate(lines):
        line_start = pos
        pos += len(raw) + 1
        line = raw.replace("\f", " ").replace("\r", "")
        head = _SYMBOL_LINE.match(line)
        running_head = bool(head) and head.group(1) in seen_symbol_lines
        if head:
            seen_symbol_lines.add(head.group(1))
        elif (cover := _COVER_SYMBOL.match(line)):
            seen_symbol_lines.add(cover.group(1))  # "United Nations A/RES/74/12": every later one is a running head
        # the short title a running head prints under the symbol, when the cover printed it already
        running_title = (after_head and len(line.strip()) > 8
                         and " ".join(line.split()) in " ".join(source[:min(line_start, 6000)].split()))
        after_head = running_head
        if _ARTEFACT_LINE.match(line) or running_head or running_title:
            # keep the line break so that paragraphs around a page break stay separated by a blank
            page_breaks.add(len(out))
            out.add("\n", line_start + len(raw), same_origin=True)
            continue
        is_footnote = _is_footnote_body(line)
        plain = None if is_footnote else _PLAIN_FOOTNOTE.match(line)
        if plain and pending.get(plain.group("marker"), 0) > 0:
            is_footnote = True  # the body of a footnote called since its last body (a page may repeat one)
        if is_footnote:
            footnote_lines.add(len(out))
            if plain:
                pending[plain.group("marker")] = 0
        spans = _inline_replacements(line)
        if not spans and line == raw and index < len(lines) - 1:
            out.copy(line_start, pos)  # nothing to take out: the line and its line end as they are
            continue
        if not is_footnote:
            spans = _confirm_glued_calls(spans, called)
        else:
            spans = [sp for sp in spans if not (sp[3] or "").startswith("#")]
        cursor = 0
        for start, end, replacement, marker in spans:
            if cursor < start:
                out.add(line[cursor:start], line_start + cursor)
            if replacement:  # an escaped character: it stands where it stood after its backslash
                out.add(replacement, line_start + end - len(replacement))
            if marker is not None and not (is_footnote and line[:start].strip() == ""):
                # a call in running text; a mark that opens a footnote body is that footnote's label
                calls.append(FootnoteCall(marker, len(out), line_start + start))
                if marker.isdigit():
                    called.add(marker)
                    pending[marker] = pending.get(marker, 0) + 1
            elif marker is not None:
                out.add(marker, line_start + start, same_origin=True)
            cursor = end
        if cursor < len(line):
            out.add(line[cursor:], line_start + cursor)
        if index < len(lines) - 1:
            out.add("\n", line_start + len(raw))
    text = out.text()
    return NormalizedText(text, out.offsets, len(source), calls, footnote_lines, page_breaks)


def clean_inline(text: str) -> str:
    """A paragraph's words on one line: line breaks joined, end-of-line hyphenation undone, spaces collapsed."""
    if "-\n" in text:  # the pattern's own characters
        text = _LINE_END_HYPHEN.sub("", text)
    text = _SPACES.sub(" ", text)
    return text.strip()


def line_starts(text: str) -> list[int]:
    starts = [0]
    starts.extend(i + 1 for i, ch in enumerate(text) if ch == "\n")
    return starts


def line_of(starts: list[int], offset: int) -> int:
    return bisect_right(starts, offset) - 1
