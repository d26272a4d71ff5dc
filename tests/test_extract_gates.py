"""The gates that spare the extractors' patterns most texts: a pattern is run only on a text that holds a
word every match of it holds, so a gate never hides a match.

Each gate is proved against its pattern as written, from the pattern's parse (`re._parser`): every way
through the pattern passes over a run of literal characters that contains one of the gate's words. A
pattern edit that adds a way around the words (an alternative without them, an optional group) makes the
proof fail here. The proof is then checked on the seeds' paragraphs and sentences, and the patterns that
were rewritten to open with a literal are compared with their former spelling.
"""

from __future__ import annotations

import importlib
import random
import re
from re import _constants as C
from re import _parser as P

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from loaders.extract import triggers
from loaders.extract.sentences import sentences

from .seeds import DRAFT_2010, PAPER_2011, REPORT_2012, REPORT_2013, structure

context = importlib.import_module("loaders.extract.context")
interagency = importlib.import_module("loaders.extract.interagency")
mandates = importlib.import_module("loaders.extract.mandates")
meetings = importlib.import_module("loaders.extract.meetings")
participation = importlib.import_module("loaders.extract.participation")
ratifications = importlib.import_module("loaders.extract.ratifications")
recommendations = importlib.import_module("loaders.extract.recommendations")
references = importlib.import_module("loaders.extract.references")
sentences_module = importlib.import_module("loaders.extract.sentences")
patterns = importlib.import_module("loaders.patterns")


def _finite(seq) -> set[str] | None:
    """The strings `seq` matches when it is made of literals and alternatives of literals only, else None."""
    out = {""}
    for op, av in seq:
        if op is C.LITERAL:
            out = {s + chr(av) for s in out}
        elif op is C.SUBPATTERN and not av[1] and not av[2]:
            inner = _finite(av[3])
            out = None if inner is None else {s + t for s in out for t in inner}
        elif op is C.BRANCH:
            branches = [_finite(b) for b in av[1]]
            out = None if None in branches else {s + t for s in out for b in branches for t in b}
        else:
            return None
        if out is None or len(out) > 64:
            return None
    return out


def _literal_runs(seq):
    """Each run of consecutive literal parts of `seq`, as the set of strings it can be."""
    run: set[str] | None = None
    for item in seq:
        strings = _finite(P.SubPattern(seq.state, [item]))
        if strings is not None and len(strings) * len(run or {""}) <= 64:
            run = {s + t for s in (run or {""}) for t in strings}
            continue
        if run:
            yield run
        run = None
    if run:
        yield run


def _covered(seq, holds) -> bool:
    """Whether every match of the parsed sequence `seq` consumes a run of literals (or of alternatives of literals) for which `holds` is
    true. Lookarounds, classes and optional parts prove nothing (a conservative answer)."""
    if any(all(holds(s) for s in run) for run in _literal_runs(seq)):
        return True
    for op, av in seq:
        if op is C.SUBPATTERN and _covered(av[3], holds):
            return True
        if op is C.BRANCH and all(_covered(branch, holds) for branch in av[1]):
            return True
        if op in (C.MAX_REPEAT, C.MIN_REPEAT, C.POSSESSIVE_REPEAT) and av[0] >= 1 and _covered(av[2], holds):
            return True
        if op is C.ATOMIC_GROUP and _covered(av, holds):
            return True
    return False


def requires(pattern: re.Pattern, words: tuple[str, ...], fold: bool) -> bool:
    """Whether every match of `pattern` holds one of `words`: as written, or case aside when `fold` (the
    gate then tests the text lower-cased, as `triggers.Words` does). A case-insensitive pattern needs a
    folded gate."""
    if pattern.flags & re.IGNORECASE and not fold:
        return False
    if fold:
        return _covered(P.parse(pattern.pattern, pattern.flags), lambda run: any(w in run.lower() for w in words))
    return _covered(P.parse(pattern.pattern, pattern.flags), lambda run: any(w in run for w in words))


# (pattern, the words of its gate (one of them must be in the text), folded): every gate in the extractors.
# A gate that asks for several words at once ("parties" and "number") is one row per word.
GATES = [
    (context._CONTEXTUAL, context.CONTEXTUAL_WORDS, False),
    (meetings._HELD, meetings._HELD_TRIGGER.words, meetings._HELD_TRIGGER.fold),
    (meetings._MEETINGS_HELD, meetings._OWN_TRIGGER.words, True),
    (meetings._MEETINGS_HELD, meetings._MEETINGS_TRIGGER.words, meetings._MEETINGS_TRIGGER.fold),
    (meetings._CHAIR, meetings._OWN_TRIGGER.words, True),
    (meetings._PANEL, meetings._OWN_TRIGGER.words, True),
    (meetings._OWN_SESSION, ("session",), False),
    (mandates._PURSUANT, ("pursuant",), False),
    (ratifications._COUNT, ("parties",), False),
    (ratifications._COUNT, ("number",), False),
    (ratifications._ACT, ("having",), False),
    (participation._STATEMENT, ("statement",), False),
    (interagency._SIGNED, ("signed", "concluded"), False),
    (interagency._COORDINATE, ("coordinat",), False),
    (interagency._CHAIR, ("chair",), False),
    (interagency._MANAGER, ("manag",), False),
    (interagency._PARTNERSHIP, ("partnership",), False),
    (interagency._PARTICIPATION, ("participation",), False),
    (interagency._PROGRAMME, interagency._TRIGGER.words, True),
    (interagency._PROGRAMME, interagency._JOINT.words, interagency._JOINT.fold),
    (recommendations._REPORTED, recommendations._REPORTED_TRIGGER.words, recommendations._REPORTED_TRIGGER.fold),
    (references._ARTICLES_OF, ("article",), False),
    *((pattern, (word,), False) for _, pattern, word in recommendations._STRENGTHS),
    *((pattern, tuple(patterns.MONTHS), False) for pattern in patterns._RANGE_PATTERNS),
    (patterns.RES_SYMBOL, ("/RES/", "/DEC/"), False),
    (patterns.SC_LIST, ("esolution", "ecision"), False),
    (patterns.ACT_LIST, ("esolution", "ecision"), False),
]
IDS = [f"{p.pattern[:30]}-{'|'.join(w)[:30]}" for p, w, _ in GATES]


@pytest.mark.parametrize("pattern, words, fold", GATES, ids=IDS)
def test_every_match_of_the_pattern_holds_a_word_of_its_gate(pattern, words, fold):
    assert requires(pattern, words, fold), f"{pattern.pattern!r} can match without any of {words}"


def test_the_proof_refuses_a_way_around_the_words():
    assert not requires(re.compile(r"\bsessions?\b|\bmeeting\b"), ("session",), False)
    assert not requires(re.compile(r"(?:in\s+)?session"), ("in",), False)
    assert not requires(re.compile(r"(?=pursuant)\w+"), ("pursuant",), False)  # a lookahead consumes nothing
    assert not requires(re.compile(r"Session", re.I), ("Session",), False)  # case aside needs a folded gate
    assert not requires(re.compile(r"(?:session)?s"), ("session",), False)
    assert requires(re.compile(r"\b(?:first|second)\s+session\b"), ("session",), False)
    assert requires(re.compile(r"\b(?:Working Group|working group)\b"), ("orking Group", "orking group"), False)
    assert requires(re.compile(r"MEETINGS", re.I), ("meetings",), True)
    assert not requires(re.compile(r"(?:A/RES|E/DEC|S/PV)/"), ("/RES/", "/DEC/"), False)
    assert requires(re.compile(r"(?:A/RES|E/DEC|S/RES)/"), ("/RES/", "/DEC/"), False)


def _texts():
    for name in (REPORT_2012, DRAFT_2010, REPORT_2013, PAPER_2011):
        for para in structure(name).paragraphs:
            yield para.text
            for a, b in sentences(para.text):
                yield para.text[a:b]


def _gate_passes(text: str, words: tuple[str, ...], fold: bool) -> bool:
    return triggers.Words(*words, fold=fold).search(text)


@pytest.mark.parametrize("pattern, words, fold", GATES, ids=IDS)
def test_on_the_seeds_no_match_is_in_a_text_its_gate_skips(pattern, words, fold):
    for text in _texts():
        for m in pattern.finditer(text):
            assert _gate_passes(m.group(0), words, fold), (pattern.pattern, m.group(0))


_WORDS = ["the", "The", "This", "Conference", "Working", "Group", "group", "Protocol", "Convention", "Office",
          "Commission", "Committee", "Subcommittee", "Council", "Board", "Special", "Rapporteur", "of", "to", "on",
          "Parties", "States", "session", "fifth", "meetings", "were", "held", "pursuant", "prepared", "number",
          "parties", "15", "19", "October", "2012", "-", "from", "and", "on", "Monday,", "ſ", "İ", "K", "ı", "MEETINGS", "Two"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_WORDS), max_size=12), st.sampled_from([" ", "  ", "\n", ""]))
def test_on_texts_made_of_the_patterns_words_no_match_is_skipped(words, sep):
    text = sep.join(words)
    for pattern, gate, fold in GATES:
        for m in pattern.finditer(text):
            assert _gate_passes(m.group(0), gate, fold), (pattern.pattern, m.group(0))


# the two patterns rewritten to open with a literal, as they were written before
_SENTENCE_END_BEFORE = re.compile(r"(?<!\bsect)(?<!\bpara)(?<!\bparas)(?<!\bchap)(?<!\bNo)(?<!\bvol)(?<!\bp)(?<!\bart)"
                                  r"\.\s+(?=[A-Z“\"])")
_BOUNDARY_BEFORE = re.compile(r"(?<=[.;!?])[”\"’)]?\s+(?=[A-Z“\"(])")
_PIECES = ["sect", "para", "paras", "chap", "No", "vol", "p", "art", ".", ". ", " ", "\n", "A", "a", "“", '"', "”",
           "’", ")", "(", ";", "!", "?", "x", "1", "Xsect", "\t"]


def _compare_rewritten(text: str, rng: random.Random) -> None:
    assert [(m.start(1), m.end()) for m in sentences_module._BOUNDARY.finditer(text)] == \
        [m.span() for m in _BOUNDARY_BEFORE.finditer(text)]
    for _ in range(3):
        a = rng.randint(0, len(text))
        b = rng.randint(a, len(text))
        before, now = _SENTENCE_END_BEFORE.search(text, a, b), references._SENTENCE_END.search(text, a, b)
        assert (before and before.span()) == (now and now.span()), (text, a, b)


@settings(max_examples=500, deadline=None)
@given(st.lists(st.sampled_from(_PIECES), max_size=14), st.randoms(use_true_random=False))
def test_the_rewritten_patterns_match_as_before(pieces, rng):
    _compare_rewritten("".join(pieces), rng)


_VERB_PIECES = ["requests", "Requests", "REQUESTS", "decided", "takes", "took", "welcomes", "request", "İ", "ı", "ſ", "K",
                "Σ", "ΣΑ", " ", ".", "x", "s", "ed"]


@settings(max_examples=500, deadline=None)
@given(st.lists(st.sampled_from(_VERB_PIECES), max_size=10), st.randoms(use_true_random=False))
def test_a_paragraph_without_a_phrase_verb_has_no_sentence_with_one(pieces, rng):
    """mandates reads no sentence of a paragraph that `mandate_phrases.may_match` refuses."""
    from loaders.extract import mandate_phrases

    text = "".join(pieces)
    for _ in range(6):
        a = rng.randint(0, len(text))
        b = rng.randint(a, len(text))
        if mandate_phrases._candidates(text[a:b]):
            assert mandate_phrases.may_match(text), (text, a, b)


def test_on_the_seeds_a_paragraph_refused_has_no_sentence_with_a_verb():
    from loaders.extract import mandate_phrases

    refused = 0
    for name in (REPORT_2012, DRAFT_2010, REPORT_2013, PAPER_2011):
        for para in structure(name).paragraphs:
            if not mandate_phrases.may_match(para.text):
                refused += 1
                assert not any(mandate_phrases._candidates(para.text[a:b]) for a, b in sentences(para.text))
    assert refused, "most paragraphs of a report hold no phrase's verb"


def _phrase_texts():
    from loaders.extract import mandate_phrases

    yield from _texts()
    for phrase in mandate_phrases.phrases():  # each phrase's own words, and with one of them left out
        words = phrase.text.replace("{holder}", "the Conference").replace("{session}", "fifth").split()
        yield " ".join(words)
        for i in range(len(words)):
            yield " ".join(words[:i] + words[i + 1:])


def test_the_head_words_filter_keeps_the_phrases_whose_words_are_all_in_the_sentence():
    """mandate_phrases.match tests the candidates' head words once per sentence (a set) instead of per phrase."""
    from loaders.extract import mandate_phrases

    for text in _phrase_texts():
        verbs = mandate_phrases._opening_verbs(text)
        lower = text.lower()
        present = {w for verb in verbs for w in mandate_phrases._words_after_verb()[verb] if w in lower}
        for phrase in mandate_phrases._candidates(text, verbs):
            assert (phrase.head_set <= present) == all(w in lower for w in phrase.head_words), (text, phrase.text)


def test_the_rewritten_patterns_match_as_before_on_the_seeds():
    rng = random.Random(15)
    for text in _texts():
        _compare_rewritten(text, rng)


def _head_start_texts():
    yield from _phrase_texts()
    yield "Further decides that the Conference also requests, and also decides to establish a working group"
    yield "The Conference decided also to establish; it ALSO DECIDES to continue. Further, it further requests"


@pytest.mark.parametrize("prefix", ["", "Also ", "x"])
def test_a_head_tried_from_its_start_finds_what_it_finds_from_the_beginning(prefix):
    """mandate_phrases.match runs each candidate's head from `head_start` (its verb's or an adverb's first
    place in the lower-cased sentence): the same matches as from 0, for every phrase, on the seeds'
    sentences and the phrases' own words."""
    from loaders.extract import mandate_phrases

    table = mandate_phrases.phrases()
    checked = 0
    for text in _head_start_texts():
        text = prefix + text
        if any(ch in text for ch in mandate_phrases._FOLDS_APART):
            continue  # match does not lower such a text, and tries every head from 0
        lower = text.lower()
        adverbs = mandate_phrases._adverb_starts(lower)
        for phrase in table:
            if phrase.first_word not in lower:
                continue  # not a candidate: its verb is not in the sentence
            start = mandate_phrases.head_start(lower, phrase, adverbs)
            expected = [m.span() for m in phrase.head.finditer(text)]
            assert [m.span() for m in phrase.head.finditer(text, start)] == expected, (phrase.text, text)
            checked += bool(expected)
    assert checked > 100
