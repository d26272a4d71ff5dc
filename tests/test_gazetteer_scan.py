"""One gazetteer scan of a paragraph serves every span the extractors read of it (issue 15): the names
in a span, read from the paragraph's scan, are those a scan of the span alone finds, and the names of
paragraphs joined into one text are read from the paragraphs' own scans."""

from loaders import gazetteer

PARAGRAPH = ("Requests the United Nations Office on Drugs and Crime to cooperate with the EU, the AU and "
             "Nigeria, and notes document E/INCB/2018/1 of the Niger.")


def keys(matches):
    return [(m.entity.key, m.name, m.start, m.end) for m in matches]


def test_a_span_holds_the_names_a_scan_of_it_alone_finds():
    office = PARAGRAPH.index("Office on Drugs")
    crime_end = PARAGRAPH.index(" to cooperate")
    # a span that cuts the Office's name in front holds no Office: "Office on Drugs and Crime" is not a name
    assert gazetteer.find_in(PARAGRAPH, office, crime_end) == []
    # a span that ends inside "Nigeria" reads "Niger", as the span's own text does
    nigeria = PARAGRAPH.index("Nigeria")
    assert [m.entity.key for m in gazetteer.find_in(PARAGRAPH, nigeria, nigeria + 5)] == ["NER"]
    # a span opening after the "/" of a symbol reads "INCB" as the words it then starts with
    incb = PARAGRAPH.index("INCB")
    assert keys(gazetteer.find_in(PARAGRAPH, incb, incb + 4)) == keys(gazetteer.find("INCB"))


def test_every_span_of_a_paragraph_reads_as_its_own_scan():
    for a in range(0, len(PARAGRAPH) + 1, 3):
        for b in range(a, len(PARAGRAPH) + 1, 7):
            assert keys(gazetteer.find_in(PARAGRAPH, a, b)) == keys(gazetteer.find(PARAGRAPH[a:b])), (a, b)


def test_joined_paragraphs_read_as_one_text_even_where_a_name_runs_on():
    parts = ["The report of the", "United Nations", "Office on Drugs and Crime names the AU."]
    joined = " ".join(parts)
    assert [m.entity.key for m in gazetteer.find_joined(parts)] == ["unodc", "au"]
    assert keys(gazetteer.find_joined(parts)) == keys(gazetteer.find(joined))
    apart = ["It thanks the EU.", "It thanks Nigeria and the Niger."]
    assert keys(gazetteer.find_joined(apart)) == keys(gazetteer.find(" ".join(apart)))
    assert [m.entity.key for m in gazetteer.find_joined(apart)] == ["eu", "NGA", "NER"]


# -- the walk's regex form against the name-by-name walk it replaced --------------------------------

import re  # noqa: E402
from pathlib import Path  # noqa: E402

from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402


def _walk_name_by_name(text):
    """At each word start, the names of its index key tried one by one (the oracle)."""
    m = gazetteer._matcher()
    out, pos = [], 0
    for start in gazetteer._WORD_START.finditer(text):
        i = start.start()
        if i < pos:
            continue
        for name in (*m.index.get(text[i:i + 3], ()), *m.index.get(text[i:i + 2], ())):
            if text.startswith(name, i) and gazetteer._is_boundary(text, i + len(name)):
                out.append((m.table[name].key, name, i, i + len(name)))
                pos = i + len(name)
                break
    return out


def test_the_boundary_lookahead_is_is_boundary_for_every_code_point():
    after = re.compile(r"(?![\w/-])")
    for c in map(chr, range(0x110000)):
        assert (after.match(c) is not None) == gazetteer._is_boundary(c, 0), hex(ord(c))


def test_the_walk_finds_what_the_name_by_name_walk_finds_in_the_seed_corpus():
    corpus = Path(__file__).resolve().parent.parent / "corpus"
    for path in sorted(corpus.glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        assert keys(gazetteer.Scan(text)._walk()) == _walk_name_by_name(text), path.name
        for paragraph in text.split("\n\n"):
            assert keys(gazetteer.Scan(paragraph)._walk()) == _walk_name_by_name(paragraph)


_NAMES = sorted(gazetteer.names())
_PIECE = st.one_of(
    st.sampled_from(_NAMES),
    st.sampled_from(_NAMES).map(lambda n: n[:max(2, len(n) // 2)]),  # a name cut short
    st.sampled_from(_NAMES).map(lambda n: n + "s"),  # running on into a word
    st.sampled_from([" ", "  ", ", ", ".", "/", "-", "_", "the ", "of ", "“", '"', "(", "\n", "é", "1", "ſ"]),
)


@given(st.lists(_PIECE, max_size=25))
@settings(max_examples=500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_the_walk_finds_what_the_name_by_name_walk_finds_in_random_texts(pieces):
    text = "".join(pieces)
    assert keys(gazetteer.Scan(text)._walk()) == _walk_name_by_name(text)


@given(st.lists(_PIECE, max_size=12), st.data())
@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_every_span_of_a_random_text_reads_as_the_name_by_name_walk_of_the_span(pieces, data):
    text = "".join(pieces)
    scan = gazetteer.Scan(text)
    for _ in range(8):
        a = data.draw(st.integers(0, len(text)))
        b = data.draw(st.integers(a, len(text)))
        assert keys(scan.matches(a, b)) == _walk_name_by_name(text[a:b]), (a, b)
    assert keys(scan.matches()) == _walk_name_by_name(text)  # the whole text, read from the span table


def test_ascii_text_is_its_own_nfkd_form_without_combining_marks():
    """gazetteer.fold skips the Unicode folding for ASCII text: it would change nothing there."""
    import unicodedata

    for c in map(chr, range(128)):
        assert unicodedata.normalize("NFKD", c) == c and not unicodedata.combining(c)
    assert gazetteer.fold("  The  Côte d’Ivoire ") == "the cote d'ivoire"
