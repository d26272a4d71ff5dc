"""Trigger words: the cheap test that lets an extractor skip a paragraph or a sentence that holds none
of the words its patterns need, done with substring tests instead of a regular expression (a
case-insensitive alternation is tried at every position of the text)."""

from __future__ import annotations

import re

# the three letters re.IGNORECASE matches with an ASCII letter that str.lower() does not map to it
# ("İ" lowers to two characters): a text holding one is tested with the pattern itself
_FOLDS_APART = ("İ", "ı", "ſ")


class Words:
    """`search(text)`: whether `text` holds one of `words`, exactly as `re.search` of their alternation
    would find (case-insensitively when `fold`, the words then written in lower case)."""

    def __init__(self, *words: str, fold: bool = False):
        if fold and any(w != w.lower() or not w.isascii() for w in words):
            raise ValueError("folded trigger words are written in lower-case ASCII")
        self.words = words
        self.fold = fold
        self.pattern = re.compile("|".join(map(re.escape, words)), re.I if fold else 0)

    def search(self, text: str) -> bool:
        if self.fold:
            if any(ch in text for ch in _FOLDS_APART):
                return self.pattern.search(text) is not None
            text = text.lower()
        for w in self.words:  # a loop, not any() over a generator: this runs on every paragraph
            if w in text:
                return True
        return False
