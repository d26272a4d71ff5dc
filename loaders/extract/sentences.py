"""Sentences of a paragraph, with offsets: the unit in which a mandate or a tie is stated."""

from __future__ import annotations

import re

_ABBREVIATIONS = {"No", "Nos", "vol", "vols", "para", "paras", "Op", "art", "arts", "sect", "sects", "chap",
                  "Mr", "Ms", "Mrs", "Dr", "St", "e.g", "i.e", "etc", "Ibid", "p", "pp", "Rev", "Add", "Corr", "al"}
# the boundary is group 1, after the mark that ends a sentence: written to open with the mark, which the
# engine then seeks directly (a lookbehind at the start of the pattern is tried at every position)
_BOUNDARY = re.compile(r"[.;!?]([”\"’)]?\s+(?=[A-Z“\"(]))")
_TOKEN = re.compile(r"([\w.]+)[.;!?]?$")
_TAIL = 16


def _last_token(before: str) -> str:
    """The word that ends `before` (its trailing periods left out), read from its last characters (the
    whole text only when the word may run on before them)."""
    word = _TOKEN.search(before, max(0, len(before) - _TAIL))
    if word and word.start() == len(before) - _TAIL:
        word = _TOKEN.search(before)
    return word.group(1).rstrip(".") if word else ""


def sentences(text: str) -> list[tuple[int, int]]:
    """(start, end) of each sentence of `text`; abbreviations and symbols ("No. 39574") do not end one."""
    spans = []
    start = 0
    for m in _BOUNDARY.finditer(text):
        at = m.start(1)
        if text[at - 1] == ";":
            continue  # a semicolon separates clauses of one sentence in UN drafting
        if text[at - 1] == "." and _last_token(text[start:at]) in _ABBREVIATIONS:
            continue
        spans.append((start, at))
        start = m.end()
    if start < len(text):
        spans.append((start, len(text)))
    return spans
