"""Sentences of a paragraph, with offsets: the unit in which a mandate or a tie is stated."""

from __future__ import annotations

import re

_ABBREVIATIONS = {"No", "Nos", "vol", "vols", "para", "paras", "Op", "art", "arts", "sect", "sects", "chap",
                  "Mr", "Ms", "Mrs", "Dr", "St", "e.g", "i.e", "etc", "Ibid", "p", "pp", "Rev", "Add", "Corr", "al"}
_BOUNDARY = re.compile(r"(?<=[.;!?])[”\"’)]?\s+(?=[A-Z“\"(])")


def sentences(text: str) -> list[tuple[int, int]]:
    """(start, end) of each sentence of `text`; abbreviations and symbols ("No. 39574") do not end one."""
    spans = []
    start = 0
    for m in _BOUNDARY.finditer(text):
        before = text[start:m.start()]
        word = re.search(r"([\w.]+)[.;!?]?$", before)
        token = word.group(1).rstrip(".") if word else ""
        if text[m.start() - 1] == "." and token in _ABBREVIATIONS:
            continue
        if text[m.start() - 1] == ";":
            continue  # a semicolon separates clauses of one sentence in UN drafting
        spans.append((start, m.start()))
        start = m.end()
    if start < len(text):
        spans.append((start, len(text)))
    return spans
