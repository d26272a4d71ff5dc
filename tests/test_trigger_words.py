"""Trigger words tested with substrings find what the regular expression they replace finds."""

import pytest

from loaders.extract.triggers import Words

TIES = Words("signed", "concluded", "joint", "coordinat", "chair", "manag", "partnership", "participation", fold=True)
HELD = Words("held", "met")


@pytest.mark.parametrize("text, found", [
    ("A memorandum of understanding was SIGNED in April 2012.", True),
    ("UNODC Coordinates the group.", True),
    ("The Office implemented the programme.", False),
    ("ſigned", True),  # re.IGNORECASE matches the long s with "s" (Python's documented fold)
    ("Chİr", False),
    ("chaİr", True),  # and the dotted capital I with "i"
    ("", False),
])
def test_folded_words_match_as_the_case_insensitive_pattern_does(text, found):
    assert TIES.search(text) is found
    assert bool(TIES.pattern.search(text)) is found


def test_unfolded_words_keep_their_case():
    assert HELD.search("The meetings were held in Vienna.")
    assert not HELD.search("HELD IN VIENNA")
    assert HELD.search("The Committee met twice.")


def test_folded_words_are_written_in_lower_case():
    with pytest.raises(ValueError):
        Words("Signed", fold=True)
