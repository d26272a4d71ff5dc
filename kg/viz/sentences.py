"""The sentence of a paragraph that states a tie, for the pictures' hover boxes.

A fact keeps its paragraph, not the characters inside it that state it, and a UN paragraph can run
to a page ("Recalling …; Noting …; Welcoming the memorandum of understanding between UNODC and
IOM …"). The first 280 characters of such a paragraph seldom name either end of the tie. So the
paragraph is cut into sentences (and a long sentence into its clauses at `;`), each piece is scored
by how many of the names of the tie's two ends it holds (every name a node is known by: label,
full name, aliases) plus the words of the tie's kind, and the best piece wins; the earliest wins a
tie, so the choice is deterministic. A piece still too long is cut to a window around its first
name.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

ABBREVIATIONS = ("No", "Nos", "para", "paras", "e.g", "i.e", "Mr", "Ms", "Mrs", "Dr", "art", "Art", "vol", "p",
                 "pp", "etc", "cf", "Rev", "Corr", "Add", "St", "Inc", "Ltd", "Co", "approx", "U.N", "U.S")
_BOUNDARY = re.compile(r"(?<=[.!?])[\"”’)]*\s+(?=[\"“‘(]?[A-Z0-9])")
_CLAUSE = re.compile(r"(?<=;)\s+")
MAX_CHARS = 320

KIND_WORDS = {
    "agreement": ("memorand", "agreement", "arrangement", "signed", "letter of intent"),
    "joint-programme": ("joint", "programme", "project"),
    "coordinates": ("coordinat", "cooperat"),
    "chairs": ("chair", "presid"),
    "manages": ("manag", "administer"),
    "member": ("member",),
    "partner": ("partner", "cooperat", "collaborat"),
    "Establishment": ("establish", "decides", "create"),
    "Continuation": ("continue", "decides"),
    "Extension": ("extend",),
    "Request": ("request", "invite"),
    "Fulfilment": ("pursuant", "prepared", "report"),
    "Proposal": ("propos", "recommend"),
    "recalls": ("recall",),
}


def sentences(text: str) -> list[str]:
    """Sentences, then clauses of long sentences; an abbreviation's full stop does not end one."""
    pieces: list[str] = []
    start = 0
    for match in _BOUNDARY.finditer(text):
        before = text[start:match.start()].rstrip("\"”’)")
        word = re.search(r"([A-Za-z.]+)\.$", before)
        if word and (word.group(1) in ABBREVIATIONS or len(word.group(1)) == 1):
            continue
        pieces.append(text[start:match.start()].strip())
        start = match.end()
    pieces.append(text[start:].strip())
    out = []
    for piece in pieces:
        if len(piece) > MAX_CHARS and ";" in piece:
            out.extend(p.strip() for p in _CLAUSE.split(piece) if p.strip())
        elif piece:
            out.append(piece)
    return out


def _names(values: Iterable[str]) -> list[str]:
    return sorted({v.strip().lower() for v in values if v and len(v.strip()) >= 3}, key=lambda v: (-len(v), v))


def _hits(piece: str, names: list[str]) -> tuple[int, int]:
    """(1 if any name of this end occurs, position of the first one or -1)."""
    lowered = piece.lower()
    best = -1
    for name in names:
        found = re.search(r"(?<![\w])" + re.escape(name) + r"(?![\w])", lowered)
        if found and (best < 0 or found.start() < best):
            best = found.start()
    return (1 if best >= 0 else 0), best


def stating_sentence(paragraph: str, source_names: Iterable[str], target_names: Iterable[str],
                     kind: str = "") -> str:
    """The piece of `paragraph` that best states a tie between the two ends; "" for no paragraph."""
    text = " ".join(paragraph.split())
    if not text:
        return ""
    source, target = _names(source_names), _names(target_names)
    words = KIND_WORDS.get(kind, ())
    best_score, best_piece, best_at = -1.0, "", -1
    for piece in sentences(text):
        in_source, at_source = _hits(piece, source)
        in_target, at_target = _hits(piece, target)
        lowered = piece.lower()
        score = 2 * (in_source + in_target) + (1 if any(w in lowered for w in words) else 0)
        if score > best_score:
            positions = [p for p in (at_source, at_target) if p >= 0]
            best_score, best_piece, best_at = score, piece, min(positions) if positions else 0
    return _window(best_piece, best_at)


def _window(piece: str, at: int) -> str:
    if len(piece) <= MAX_CHARS:
        return piece
    start = max(0, min(at - MAX_CHARS // 3, len(piece) - MAX_CHARS))
    start = piece.rfind(" ", 0, start) + 1 if start > 0 else 0
    end = start + MAX_CHARS
    end = piece.rfind(" ", start, end) if end < len(piece) else len(piece)
    return ("…" if start > 0 else "") + piece[start:end].strip() + ("…" if end < len(piece) else "")


__all__ = ["sentences", "stating_sentence"]
