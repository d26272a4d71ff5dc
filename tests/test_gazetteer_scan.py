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
