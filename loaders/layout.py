"""Lines as the layout gives them, and where one line holds what UN layout prints on several.

Text comes in three layouts: PDF text (short lines, no blank line between the lines of a cover
page), Word and HTML text (one paragraph a line) and web copies, where a whole cover page or several
numbered paragraphs sit on one line. The structure reader works on lines, so a line that holds
several layout lines is cut into *virtual lines*: slices of the same normalized text, so that every
character keeps its offset in the source.

The cover lines that open a printed act are recognized by the phrases in `COVER_STARTS` (a table a
reviewer can read against the UN's editorial rules): each starts a line of its own in print, so a
run-together copy is cut before each of them. Only the cover is cut this way: the first paragraph of
the text (a chapeau such as "The General Assembly," or a numbered paragraph) ends it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from . import drafting
from .clause_phrases import opening_phrase
from .normalize import NormalizedText
from .patterns import ORDINAL


@dataclass(slots=True)
class Line:
    index: int
    start: int  # normalized offsets
    end: int
    text: str
    footnote: bool = False
    page_break: bool = False  # a running head or job number stood here

    @property
    def blank(self) -> bool:
        return not self.text or self.text.isspace()  # `not text.strip()`, without making a string

    def slice(self, a: int, b: int) -> "Line":
        """The virtual line of this line's characters [a, b), surrounding spaces left out."""
        piece = self.text[a:b]
        lead = len(piece) - len(piece.lstrip())
        text = piece.strip()
        start = self.start + a + lead
        return Line(self.index, start, start + len(text), text, self.footnote and a == 0)


# Phrases that open a line of a printed cover page (resolutions and decisions of the General Assembly,
# ECOSOC, the Human Rights Council, the Commission and the Conference of the Parties). Each is matched
# after a space inside a line: (name, pattern).
COVER_STARTS: list[tuple[str, str]] = [
    ("issuing body before Distr.", r"(?:General Assembly|Economic and Social Council|Security Council|Human Rights Council)"
                                   r"(?=\s+Distr\.)"),
    ("distribution", r"Distr\.:?\s"),
    # (the lookahead only says first what the phrase implies, "session" within its next three words: it
    # spares trying each of the hundred ordinals at every word of a line)
    ("session", rf"(?=(?:\S+\s+){{1,3}}session\b)(?:{ORDINAL}|Resumed\s+{ORDINAL}|Special)\s+(?:special\s+)?session\b"),
    ("agenda item", r"(?:Agenda\s+items?|Items?)\s+\d{1,3}(?:\s*\([a-z]\))?(?=\s|$)"),
    ("adopted by", r"(?:Resolution|Decision)s?\s+adopted\s+by\s+the\s+"),
    ("committee report", r"\[(?:on\s+the\s+(?:report|recommendation)s?\s+of|without\s+reference\s+to)\b"),
    ("act number and title", r"\d{1,4}/\d{1,4}\.\s+[A-Z“\"]"),
    # "The General Assembly," followed by the first preambular or operative word
    ("chapeau", r"The\s+[A-Z][^,.;:\[\]]{3,160}?,(?=\s+(?:[A-Z][a-z]+(?:ing|ed)\b|Deeply|Gravely|Mindful|Aware|1\.))"),
]
_MAY_HOLD_COVER = re.compile(r"Distr|[Ss]ession|[Ii]tems?\s+\d|adopted\s+by|\[|\d/\d+\.\s|The\s+[A-Z]")
_COVER_CUT = re.compile(r"(?<=\S)\s+(?=" + "|".join(f"(?:{p})" for _, p in COVER_STARTS) + ")")
# the same for a line without "session", which no session phrase can then open: most lines
_COVER_CUT_NO_SESSION = re.compile(r"(?<=\S)\s+(?=" + "|".join(f"(?:{p})" for n, p in COVER_STARTS if n != "session") + ")")
# cover lines that always begin a block of their own, even with no blank line before them
_BLOCK_OPENERS = {"adopted by", "committee report", "act number and title"}
COVER_BLOCK_START = re.compile(r"^\s*(?:" + "|".join(f"(?:{p})" for n, p in COVER_STARTS if n in _BLOCK_OPENERS) + ")")
_COVER_OPENER = re.compile(r"^\s*(?:United\s+Nations\s+)?(?:[A-Z]{1,5}(?:/[A-Za-z0-9.\-]+)+|"
                           r"(?:Resolution|Decision)s?\s+adopted\s+by\b)")
_CHAPEAU_HEAD = re.compile(r"^The\s+[A-Z][^,.;:\[\]]{3,160}?,(?=\s+\S)")
_CHAPEAU_LINE = re.compile(r"^\s*The\s+[A-Z][^,.;:]{3,160}?,\s*$")
_NUMBERED_LINE = re.compile(r"^\s{0,3}\d{1,3}\.\s+\S")


def lines_of(norm: NormalizedText) -> list[Line]:
    out: list[Line] = []
    pos = 0
    footnotes, page_breaks = norm.footnote_lines, norm.page_breaks
    for i, text in enumerate(norm.text.split("\n")):
        end = pos + len(text)
        out.append(Line(i, pos, end, text, pos in footnotes, pos in page_breaks))
        pos = end + 1
    return out


def split_cover(lines: list[Line], scan: int = 60) -> list[Line]:
    """Cut run-together cover lines apart, up to the first paragraph of the text.

    A line is cut only when it holds at least two cover phrases or opens with a symbol or an
    "adopted by" line: a title that merely mentions a session is left whole. `lines` are numbered by
    position (as `lines_of` gives them); the lines from the first one cut are numbered anew.
    """
    out: list[Line] = []
    done = False
    first_cut = None  # the first line cut apart: the lines from there on are numbered anew
    for n, line in enumerate(lines):
        if done or n >= scan:  # the cover is over: every other line is kept as it is
            out.extend(lines[n:])
            break
        if line.footnote or line.blank:
            out.append(line)
            if not line.blank and (_CHAPEAU_LINE.match(line.text) or _NUMBERED_LINE.match(line.text)):
                done = True
            continue
        cuts = _cover_cuts(line.text) if _MAY_HOLD_COVER.search(line.text) else []
        if not cuts or (len(cuts) < 2 and not _COVER_OPENER.match(line.text)):
            out.append(line)
            if _CHAPEAU_LINE.match(line.text) or _NUMBERED_LINE.match(line.text):
                done = True
            continue
        if first_cut is None:
            first_cut = len(out)
        bounds = [0, *cuts, len(line.text)]
        pieces = []
        for a, b in zip(bounds, bounds[1:]):
            piece = line.slice(a, b)
            head = _CHAPEAU_HEAD.match(piece.text)
            if head:  # "The General Assembly, Noting …": the chapeau is a line of its own
                pieces.append(piece.slice(0, head.end()))
                piece = piece.slice(head.end(), len(piece.text))
            pieces.append(piece)
        out.extend(pieces)
        if any(_CHAPEAU_LINE.match(p.text) or _NUMBERED_LINE.match(p.text) for p in pieces):
            done = True
    if first_cut is not None:
        for i in range(first_cut, len(out)):
            out[i].index = i
    return out


def _cover_cuts(text: str) -> list[int]:
    """Where `_COVER_CUT` cuts `text` (the start of each cover phrase after the first)."""
    cut = _COVER_CUT if "session" in text else _COVER_CUT_NO_SESSION
    return [m.end() for m in cut.finditer(text)]


# Inside a preamble, a run-together copy starts the next preambular paragraph after a comma or a
# semicolon with one of these openings (capitalized: mid-sentence they are written in lower case).
PREAMBULAR_OPENINGS = drafting.pattern("preambular-opening")
_PREAMBLE_OPENING = re.compile(r"^\s*" + PREAMBULAR_OPENINGS + r"\b")
_PREAMBLE_CUT = re.compile(r"[,;]\s+(?=" + PREAMBULAR_OPENINGS + r"\b)")
# "…; 3. Also decides …": the next number after the end of a clause
_NUMBER_CUT = re.compile(r"[.;:,”\"]\d{0,2}\s+(?P<n>\d{1,3})\.\s+(?=[A-Z“\"(])")


# a participle that opens a paragraph the tables do not list ("Realizing", "Deeply deploring", "Having listened");
# nouns in -ing that open names ("Trafficking in Persons", "Financing for Development") do not
_PARTICIPLE_OPENING = re.compile(
    r"^\s*(?:(?:Deeply|Gravely|Strongly|Seriously|Firmly|Fully|Profoundly|Greatly|Particularly)\s+[a-z]{3,}(?:ing|ed)\b"
    r"|Having\s+[a-z]{3,}ed\b"
    r"|(?!(?:Beijing|Trafficking|Financing|Funding|Peacebuilding|Training|Building|Housing|Meeting|Smuggling|"
    r"Wellbeing|Banking|Mining|Shipping|Fishing|Nothing|Everything|Spring)\b)[A-Z][a-z]{2,}ing\s+"
    r"(?:that|the|its|with|also|further|in|of|to|on|all|at|further)\b)")


def opens_preambular_paragraph(text: str) -> bool:
    """Whether a line opens with a preambular phrase (the list above, or the table of the UN's own phrases)."""
    return bool(_PREAMBLE_OPENING.match(text)) or opening_phrase(text, "preambular") is not None


def opens_with_participle(text: str) -> bool:
    """A weaker sign: a participle followed by lower-case words, to be trusted only after a comma."""
    return bool(_PARTICIPLE_OPENING.match(text))


# the line that closes an adopted act: "52nd (resumed) plenary meeting 27 December 2019"
CLOSING_LINE = re.compile(r"^\s*\d{1,3}(?:st|nd|rd|th)\s+(?:\(resumed\)\s+)?plenary\s+meeting\b")
_CLOSING_CUT = re.compile(r"[.;]\s+(?=\d{1,3}(?:st|nd|rd|th)\s+(?:\(resumed\)\s+)?plenary\s+meeting\b)")


def closing_cut(text: str) -> int | None:
    if "plenary" not in text:
        return None
    m = _CLOSING_CUT.search(text)
    return m.end() if m else None


def preamble_cut(text: str) -> int | None:
    m = _PREAMBLE_CUT.search(text)
    return m.end() if m else None


def numbered_cut(text: str, expected: int) -> int | None:
    """Where paragraph `expected` begins inside `text`, after the end of a clause; None if it does not."""
    if text.isascii() and f"{expected}." not in text:
        # ASCII text writes the number with these very digits (leading zeros aside) before its period;
        # without them, the pattern, which stops at every comma and period, need not run
        return None
    for m in _NUMBER_CUT.finditer(text):
        if int(m.group("n")) == expected:
            return m.start("n")
    return None
