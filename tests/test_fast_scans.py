"""Scans rewritten for speed in read, normalize, layout and structure give what the plain forms gave.

Each rewrite keeps the meaning of a pattern or check (only its shape changed, so that the regex engine
skips to the first characters that can match, or a C routine does the counting). The plain forms are
written out here as the specification, and both are run over the seed documents' lines and over random
text made of the characters the patterns care about.
"""

import re
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from loaders import layout, normalize, read, structure
from loaders.normalize import SUPERSCRIPT_DIGITS
from loaders.patterns import ORDINAL

CORPUS = Path(__file__).resolve().parent.parent / "corpus"

PLAIN_ANY_INLINE = re.compile(f"[\\^{SUPERSCRIPT_DIGITS}<*\\\\\u200b-\u200f\u2060\ufeff\u00ad]|[,;:.)”\"’]\\d")
PLAIN_SESSION = rf"(?:{ORDINAL}|Resumed\s+{ORDINAL}|Special)\s+(?:special\s+)?session\b"
PLAIN_COVER_CUT = re.compile(r"(?<=\S)\s+(?=" + "|".join(
    f"(?:{PLAIN_SESSION if name == 'session' else p})" for name, p in layout.COVER_STARTS) + ")")
PLAIN_ODD_SPACE = re.compile(r"[^\S ]| \s")
PLAIN_WIDE_GAP = re.compile(r"\s{2,}|\n")
PLAIN_RUN_OF_SPACES = re.compile(r"\s{2,}")
PLAIN_SUPER_CALL = re.compile(f"[{SUPERSCRIPT_DIGITS}]+")
PLAIN_EMPHASIS = re.compile(r"(?<![\w*])\*(?=[^\s*])([^*\n]{1,200}?)(?<=[^\s*])\*(?![\w*])")
PLAIN_STAR_CALL = re.compile(r"(?<=[\w.,;:)”\"’])\*(?![\w*])")
PLAIN_INVISIBLE = re.compile("[\u200b-\u200f\u2060\ufeff\u00ad]+")
PLAIN_HEADER_SESSION = re.compile(rf"(?m)(?:^[ \t]*|(?<=\d{{4}} ))(?P<v>{ORDINAL}\s+(?:special\s+)?session)\b")
PLAIN_SURROGATE = re.compile("[\ud800-\udfff]")
PLAIN_CONTROLS = re.compile("[\x01-\x08\x0e-\x1f]")


def seed_lines() -> list[str]:
    lines = []
    for path in sorted(CORPUS.glob("*.txt")):
        lines.extend(path.read_text(encoding="utf-8").split("\n"))
    return lines


def spans(pattern: re.Pattern, text: str) -> list[tuple[int, int]]:
    return [m.span() for m in pattern.finditer(text)]


def check(text: str) -> None:
    assert bool(normalize._ANY_INLINE.search(text)) == bool(PLAIN_ANY_INLINE.search(text))
    assert spans(layout._COVER_CUT, text) == spans(PLAIN_COVER_CUT, text)
    assert layout._cover_cuts(text) == [m.end() for m in PLAIN_COVER_CUT.finditer(text)]
    assert bool(structure._ODD_SPACE.search(text)) == bool(PLAIN_ODD_SPACE.search(text))
    assert structure._one_space_apart(text) == (PLAIN_ODD_SPACE.search(text) is None)
    assert spans(structure._WIDE_GAP, text) == spans(PLAIN_WIDE_GAP, text)
    assert spans(structure._RUN_OF_SPACES, text) == spans(PLAIN_RUN_OF_SPACES, text)
    for fast, plain in ((normalize._SUPER_CALL, PLAIN_SUPER_CALL), (normalize._EMPHASIS, PLAIN_EMPHASIS),
                        (normalize._STAR_CALL, PLAIN_STAR_CALL), (normalize._INVISIBLE, PLAIN_INVISIBLE)):
        assert [m.span(0) + m.span(len(m.groups())) for m in fast.finditer(text)] == \
            [m.span(0) + m.span(len(m.groups())) for m in plain.finditer(text)]
    session = dict(structure._HEADER_FIELDS)["session"]
    assert [m.span("v") for m in session.finditer(text)] == [m.span("v") for m in PLAIN_HEADER_SESSION.finditer(text)]
    for expected in {1, 5, 10, 12, 123, *(int(n) for n in re.findall(r"\d{1,3}", text)[:3])}:
        plain = next((m.start("n") for m in layout._NUMBER_CUT.finditer(text) if int(m.group("n")) == expected), None)
        assert layout.numbered_cut(text, expected) == plain
    assert read._has_surrogate(text) == bool(PLAIN_SURROGATE.search(text))
    assert read._count_controls(text) == len(PLAIN_CONTROLS.findall(text))


def test_the_seed_lines_scan_as_before():
    lines = seed_lines()
    assert len(lines) > 500
    for line in lines:
        check(line)
    check("\n".join(lines))


def test_every_whitespace_character_but_the_space_is_unprintable():
    """What `structure._one_space_apart` relies on, over every code point (with str.isspace as re's \\s)."""
    space = re.compile(r"\s")
    for code in range(0x110000):
        ch = chr(code)
        assert ch.isspace() == bool(space.match(ch)), hex(code)
        if ch.isspace() and ch != " ":
            assert not ch.isprintable(), hex(code)


def test_cover_lines_are_cut_where_they_were():
    line = ("A/RES/74/177 General Assembly Distr.: General 22 January 2020 Seventy-fourth session "
            "Agenda item 106 Resolution adopted by the General Assembly on 18 December 2019 "
            "[on the report of the Third Committee (A/74/404)] 74/177. Strengthening the United Nations "
            "The General Assembly, Recalling its resolution 73/186, resumed twentieth special session ")
    cuts = [m.end() for m in layout._COVER_CUT.finditer(line)]
    assert cuts == [m.end() for m in PLAIN_COVER_CUT.finditer(line)]
    starts = ["General Assembly Distr", "Distr.:", "Seventy-fourth session", "Agenda item", "Resolution adopted",
              "[on the report", "74/177. Strengthening", "The General Assembly, Recalling", "twentieth special"]
    assert [line[at:].startswith(start) for at, start in zip(cuts, starts)] == [True] * 9 and len(cuts) == 9


# characters the patterns look at, and a few others
ALPHABET = (" \t\n\r\f\x0b\x00\x01\x1f\u00a0\u2028\u3000" + SUPERSCRIPT_DIGITS + "^{}<>*\\/[]()“"
            ",;:.”\"’-–" + "0123456789٣" + "aeIiSsTDRdthx" + "\u200b\u200e\u2060\ufeff\u00ad\u017f\u212a"
            "\ud800\udfff\U0001F600é")
WORDS = st.sampled_from(["session", "special", "Special", "Resumed", "fifth", "Twentieth", "sixty-fourth",
                         "1st", "Distr.:", "Distr. ", "Items", "Agenda item", "adopted by", "The General Assembly,",
                         "Recalling", "Resolution", "74/177. T", "[on the report of", "General Assembly",
                         "\n", "  ", ". ", ",1", "ſession", "Session", "; 3. ", ".12 ", "4. A", "2. “", ",٣. B",
                         "1234. C", "; 12. (", " 7.\tX", "; 05. The", ": 010. A", ",1 5. B", "*Recognizes*", "agenda*", "**", "* x *", "a*b"])


@settings(max_examples=1500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.one_of(st.text(alphabet=ALPHABET, max_size=6), WORDS), max_size=30))
def test_random_text_scans_as_before(pieces):
    check(" ".join(pieces))
    check("".join(pieces))


def test_lines_copied_as_they_are_only_when_nothing_in_them_changes():
    """normalize copies an unchanged line straight from the source: a form feed (read as a space) or a
    carriage return in a line must still go through the line as rewritten."""
    got = normalize.normalize("Text one\fhere\nText two\r\nText three\n")
    assert got.text == "Text one here\nText two\nText three\n"
    assert list(got.to_source) == [*range(0, 8), 8, *range(9, 14), *range(14, 22), 23, *range(24, 35)]


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(["text", " ", "\n", "^{1}", "¹", "agenda*", ",1", ";2", ". ", "3 Ibid.",
                                 "\n1 See", "*", "V.10-57029 (E)", "\n\n"]), max_size=60))
def test_footnote_calls_come_in_text_order(tokens):
    """What the structure's bisect over `NormalizedText.calls` relies on."""
    offsets = [c.offset for c in normalize.normalize("".join(tokens)).calls]
    assert offsets == sorted(offsets)
