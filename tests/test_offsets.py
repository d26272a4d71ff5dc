"""The run-length offset map (loaders.offsets.OffsetMap) against the per-character list it replaced:
after any sequence of edits the map reads exactly as the naive list, and normalize / _compose give,
character for character, the offsets the list-based code gave."""

import pickle
import re

import pytest

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import loaders.normalize as normalize_module
from loaders.normalize import normalize
from loaders.offsets import OffsetMap
from loaders.structure import _broken, _compose


def canonical(m: OffsetMap) -> bool:
    """No empty segment, no two neighbours with the same shift, the first at 0."""
    if not m.length:
        return m.starts == [] and m.shifts == []
    return (m.starts[0] == 0 and all(a < b for a, b in zip(m.starts, m.starts[1:]))
            and m.starts[-1] < m.length and all(a != b for a, b in zip(m.shifts, m.shifts[1:])))


def same(m: OffsetMap, naive: list[int]) -> None:
    assert len(m) == len(naive)
    assert bool(m) == bool(naive)
    assert list(m) == naive
    assert m == naive
    assert [m[i] for i in range(len(naive))] == naive
    if naive:
        assert m[-1] == naive[-1] and m[0] == naive[0]
    assert canonical(m)


# -- unit tests -----------------------------------------------------------------------------------

def test_a_text_copied_unchanged_is_one_segment():
    m = OffsetMap()
    m.append_run(10, 5)
    m.append_run(15, 3)  # continues the run
    assert (m.starts, m.shifts, m.length) == ([0], [10], 8)
    assert list(m) == list(range(10, 18))
    assert m == OffsetMap.linear(10, 8)


def test_a_removed_character_starts_a_segment():
    m = OffsetMap()
    m.append_run(0, 4)
    m.append_run(5, 3)  # source character 4 taken out
    assert (m.starts, m.shifts) == ([0, 4], [0, 1])
    assert m[3] == 3 and m[4] == 5 and m[-1] == 7
    assert m[2:6] == [2, 3, 5, 6]


def test_same_origin_characters_all_point_at_one_offset():
    m = OffsetMap()
    m.append_same(7, 3)
    assert list(m) == [7, 7, 7]


def test_pop_drops_an_emptied_segment():
    m = OffsetMap()
    m.append_run(0, 2)
    m.append(9)
    assert m.pop() == 9
    assert (m.starts, m.shifts, m.length) == ([0], [0], 2)
    m.append(2)  # merges back into the first run
    assert (m.starts, m.shifts, m.length) == ([0], [0], 3)


def test_extend_from_copies_a_slice_as_a_list_slice_would():
    src = OffsetMap.from_list([0, 1, 2, 5, 6, 9, 9, 10])
    m = OffsetMap()
    m.extend_from(src, 2, 7)
    assert list(m) == [2, 5, 6, 9, 9]
    m.extend_from(src, 6, 100)  # cut at the end, like list slicing
    assert list(m) == [2, 5, 6, 9, 9, 9, 10]
    m.extend_from(src, 5, 3)  # empty
    assert len(m) == 7


def test_index_errors_and_empty_map():
    m = OffsetMap()
    assert not m and len(m) == 0 and list(m) == []
    for i in (0, -1):
        try:
            m[i]
        except IndexError:
            pass
        else:
            raise AssertionError("an empty map has no offsets")


def test_a_map_pickles():
    m = OffsetMap.from_list([3, 4, 5, 9, 9, 2])
    back = pickle.loads(pickle.dumps(m))
    assert back == m and list(back) == [3, 4, 5, 9, 9, 2]


# -- property tests: random edits ---------------------------------------------------------------

_EDIT = st.one_of(
    st.tuples(st.just("run"), st.integers(0, 60), st.integers(0, 6)),
    st.tuples(st.just("same"), st.integers(0, 60), st.integers(0, 3)),
    st.tuples(st.just("append"), st.integers(0, 60), st.just(1)),
    st.tuples(st.just("pop"), st.just(0), st.just(0)),
    st.tuples(st.just("copy"), st.integers(-2, 40), st.integers(-2, 40)),
)


@given(st.lists(_EDIT, max_size=40), st.lists(st.integers(0, 50), max_size=30))
@settings(max_examples=400, deadline=None)
def test_random_edits_read_as_the_naive_list(edits, other_values):
    other = OffsetMap.from_list(other_values)
    same(other, other_values)
    m, naive = OffsetMap(), []
    for op, x, n in edits:
        if op == "run":
            m.append_run(x, n)
            naive.extend(range(x, x + n))
        elif op == "same":
            m.append_same(x, n)
            naive.extend([x] * n)
        elif op == "append":
            m.append(x)
            naive.append(x)
        elif op == "pop":
            if naive:
                assert m.pop() == naive.pop()
        else:
            m.extend_from(other, x, n)
            naive.extend(other_values[max(x, 0):max(n, 0)])
        same(m, naive)
    for a in range(-2, len(naive) + 2):
        for b in range(-2, len(naive) + 2):
            assert m[a:b] == naive[a:b]
            try:
                want = (naive[a], naive[b - 1] + 1)
            except IndexError:
                want = IndexError
            try:
                got = m.span(a, b)
            except IndexError:
                got = IndexError
            assert got == want, (a, b)
    assert (m == OffsetMap.from_list(naive)) and pickle.loads(pickle.dumps(m)) == m


# -- property tests: normalize and _compose give the offsets the per-character code gave ------------

class _ListBuilder:
    """The per-character builder normalize used before the map (the oracle)."""

    def __init__(self, source: str) -> None:
        self.source = source
        self.pieces: list[str] = []
        self.offsets: list[int] = []

    def copy(self, start: int, end: int) -> None:
        self.add(self.source[start:end], start)

    def add(self, text: str, source_offset: int, *, same_origin: bool = False) -> None:
        self.pieces.append(text)
        if same_origin:
            self.offsets.extend([source_offset] * len(text))
        else:
            self.offsets.extend(range(source_offset, source_offset + len(text)))

    def text(self) -> str:
        return "".join(self.pieces)

    def __len__(self) -> int:
        return len(self.offsets)


_SPACE_RUN = re.compile(r"\s+")
_WIDE_GAP = re.compile(r"\s{2,}|\n")


def _naive_compose(text: str, to_source: list[int], segments) -> tuple[str, list[int]]:
    """Word by word, one offset per character: what _compose computed before its fast paths."""
    pieces: list[str] = []
    offsets: list[int] = []
    prev_start = prev_end = -1
    for a, b in segments:
        segment = text[a:b]
        words = segment.strip()
        if not words:
            continue
        start = a + len(segment) - len(segment.lstrip())
        end = start + len(words)
        if prev_end >= 0:
            if _broken(text, prev_start, prev_end, start):
                pieces[-1] = pieces[-1][:-1]
                offsets.pop()
            else:
                pieces.append(" ")
                offsets.append(to_source[start - 1])
        pos = start
        for gap in _WIDE_GAP.finditer(text, start, end):
            g0, g1 = gap.start(), gap.end()
            if _broken(text, start, g0, g1):
                pieces.append(_SPACE_RUN.sub(" ", text[pos:g0 - 1]))
                offsets.extend(to_source[pos:g0 - 1])
            else:
                pieces.append(_SPACE_RUN.sub(" ", text[pos:g0]))
                pieces.append(" ")
                offsets.extend(to_source[pos:g0])
                offsets.append(to_source[g1 - 1])
            pos = g1
        piece = text[pos:end]
        pieces.append(_SPACE_RUN.sub(" ", piece))
        offsets.extend(to_source[pos:end])
        prev_start, prev_end = start, end
    return "".join(pieces), offsets


_TOKENS = ["the", "Conference", "of", "Parties", "decides", "inter-", "national", "A/RES/55/25", " ", "  ",
           "\t", "\n", "\n\n", "\f", "**", "*", "*Recognizing*", "^{1}", "^{*}", "¹", "²", "<i>", "</i>",
           "\\$", "\u00ad", "\u200b", ",1", ";2", ".", "V.10-57029 (E)", "2", "CTOC/COP/2012/1", "1 ", "ab-"]


@given(st.lists(st.sampled_from(_TOKENS), max_size=60))
@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_normalize_offsets_equal_the_per_character_list(tokens):
    source = "".join(tokens)
    got = normalize(source)
    saved = normalize_module._Builder
    normalize_module._Builder = _ListBuilder
    try:
        want = normalize(source)
    finally:
        normalize_module._Builder = saved
    assert got.text == want.text
    same(got.to_source, want.to_source)
    assert got.calls == want.calls
    assert (got.footnote_lines, got.page_breaks) == (want.footnote_lines, want.page_breaks)


@given(st.lists(st.sampled_from(_TOKENS), max_size=60), st.lists(st.integers(0, 400), max_size=8))
@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_compose_offsets_equal_the_per_character_list(tokens, cuts):
    source = "".join(tokens)
    norm = normalize(source)
    naive_to_source = list(norm.to_source)
    n = len(norm.text)
    points = sorted({min(c, n) for c in cuts} | {0, n})
    segments = list(zip(points, points[1:]))
    text, offsets = _compose(norm, segments)
    want_text, want_offsets = _naive_compose(norm.text, naive_to_source, segments)
    assert text == want_text
    same(offsets, want_offsets)


@given(st.lists(st.sampled_from(_TOKENS + ["<b>", "<span>", "^{12}", "\\_", "word*", "**bold**", "1,2", "x.3"]),
                max_size=40))
@settings(max_examples=500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_gated_inline_replacements_find_what_every_pattern_finds(tokens):
    """normalize runs each inline pattern only where its literal is in the line: same spans as running all."""
    for line in "".join(tokens).split("\n"):
        assert normalize_module._inline_replacements(line) == \
            normalize_module._inline_replacements(line, gated=False)


@given(st.lists(st.tuples(st.integers(0, 300), st.integers(1, 20)), max_size=6),
       st.lists(st.tuples(st.integers(-3, 130), st.integers(-3, 130)), min_size=1, max_size=10))
@settings(max_examples=300, deadline=None)
def test_paragraph_source_span_reads_as_the_naive_list(runs, spans):
    """`Paragraph.source_span` (with `OffsetMap.span` inlined) gives what the per-character list gives:
    text[a:b] widened to one character and cut at the text's end, or the list's IndexError."""
    from loaders.structure import Paragraph

    m = OffsetMap()
    for first, n in runs:
        m.append_run(first, n)
    naive = list(m)
    para = Paragraph("1", "1", "numbered", "x" * len(naive), m)
    for a, b in spans:
        if not naive:
            assert para.source_span(a, b) == (0, 0)
            continue
        cut = min(max(a + 1, b), len(naive))
        try:
            expected = (naive[a], naive[cut - 1] + 1)
        except IndexError:
            with pytest.raises(IndexError):
                para.source_span(a, b)
            continue
        assert para.source_span(a, b) == expected
