"""The same structure out of the same document in another encoding or another file format.

PDF and .docx files are made here from the seed text with maintained libraries (fpdf2, python-docx),
then read back through `loaders.read`: the numbered paragraphs, sections and footnotes must match.
"""

from __future__ import annotations

import unicodedata

import pytest

from loaders.read import read
from loaders.structure import parse_document

from .seeds import DRAFT_2010, PAPER_2011, REPORT_2013, structure, text


def _shape(doc):
    return ([(p.key, p.text) for p in doc.paragraphs if p.kind != "unnumbered"],
            [(s.key, s.title) for s in doc.sections],
            [(f.marker, f.text) for f in doc.footnotes])


@pytest.mark.parametrize("name", [REPORT_2013, DRAFT_2010, PAPER_2011])
def test_utf16_gives_the_same_structure(tmp_path, name):
    path = tmp_path / "doc.txt"
    path.write_text(text(name), encoding="utf-16")
    source = read(path)
    assert source.encoding.lower().startswith("utf-16")
    assert _shape(parse_document(source.text)) == _shape(structure(name))


def _cp1252_representable(s: str) -> str:
    return "".join(ch if ch.encode("cp1252", "ignore") else unicodedata.normalize("NFKD", ch)[0] for ch in s)


def test_cp1252_gives_the_same_structure(tmp_path):
    # the 2013 report's words that cp1252 cannot hold (č in Jamnišek and Kovač) are written without accents
    original = _cp1252_representable(text(REPORT_2013))
    path = tmp_path / "doc.txt"
    path.write_bytes(original.encode("cp1252"))
    source = read(path)
    assert source.encoding == "cp1252"
    assert _shape(parse_document(source.text)) == _shape(parse_document(original))


def _latin1(s: str) -> str:
    s = s.replace("“", '"').replace("”", '"').replace("’", "'").replace("–", "-")
    return "".join(ch if ord(ch) < 256 else (unicodedata.normalize("NFKD", ch)[0] if ord(unicodedata.normalize("NFKD", ch)[0]) < 256 else "?")
                   for ch in s)


def test_a_pdf_made_from_the_seed_gives_the_same_paragraphs(tmp_path):
    from fpdf import FPDF

    original = _latin1(text(REPORT_2013))
    pdf = FPDF(format="A4")
    pdf.set_auto_page_break(True, margin=15)
    pdf.add_page()
    pdf.set_font("Helvetica", size=9)
    for line in original.split("\n"):
        if line.strip():
            pdf.multi_cell(0, 4.5, line.replace("\t", "    "), new_x="LMARGIN", new_y="NEXT")
        else:
            pdf.ln(4.5)
    path = tmp_path / "doc.pdf"
    pdf.output(str(path))
    got = parse_document(read(path).text)
    want = parse_document(original)
    numbered = lambda d: [(p.number, " ".join(p.text.split())) for p in d.paragraphs if p.kind == "numbered"]  # noqa: E731
    assert [n for n, _ in numbered(got)] == [str(i) for i in range(1, 72)]
    assert numbered(got) == numbered(want)
    assert [s.key for s in got.sections] == [s.key for s in want.sections]


def test_a_docx_made_from_the_seed_gives_the_same_structure(tmp_path):
    import docx

    original = text(DRAFT_2010)
    document = docx.Document()
    for block in original.split("\n\n"):
        document.add_paragraph(block)
    path = tmp_path / "doc.docx"
    document.save(str(path))
    got = parse_document(read(path).text)
    want = structure(DRAFT_2010)
    assert [(p.key, p.verb) for p in got.paragraphs] == [(p.key, p.verb) for p in want.paragraphs]
    assert [(p.key, p.text) for p in got.paragraphs] == [(p.key, p.text) for p in want.paragraphs]
