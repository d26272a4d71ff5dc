"""A paragraph's words on one line, each character with its offset in the source (structure._compose):
the fast path copies a line whose words are one space apart as it is, the other path collapses
wider gaps and joins a word the layout broke at a line end."""

from loaders.normalize import normalize
from loaders.structure import _compose


def compose(source: str, segments):
    norm = normalize(source)
    text, offsets = _compose(norm, segments)
    assert len(offsets) == len(text)
    return text, offsets


def test_a_line_whose_words_are_one_space_apart_is_copied_as_it_is():
    source = "  The Conference decides to hold its session.  \n"
    text, offsets = compose(source, [(0, len(source))])
    assert text == "The Conference decides to hold its session."
    assert offsets == list(range(2, 2 + len(text)))


def test_wide_gaps_collapse_to_one_space_at_the_gap_s_last_character():
    source = "Requests   the\tOffice"
    text, offsets = compose(source, [(0, len(source))])
    assert text == "Requests the Office"
    assert offsets[8] == 10  # the third of the three spaces
    assert offsets[12] == 14  # the tab


def test_a_word_broken_at_a_line_end_is_joined_and_a_compound_is_not():
    source = "transnational organ-\nized crime and Counter-\nTerrorism"
    lines = [(0, 20), (21, len(source))]
    text, offsets = compose(source, lines)
    assert text == "transnational organized crime and Counter- Terrorism"
    assert offsets[text.index("ized")] == source.index("ized")
    # the same break inside one segment
    text_one, _ = compose(source, [(0, len(source))])
    assert text_one == text
