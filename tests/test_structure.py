"""Document structure of the four seeds: expectations written by reading each document."""

from __future__ import annotations

from datetime import date

import pytest

from loaders.normalize import normalize
from loaders.structure import header_date, header_session_number, own_symbol, parse_document

from .seeds import DRAFT_2010, PAPER_2011, REPORT_2012, REPORT_2013, structure, text


def numbered(name):
    return [p for p in structure(name).paragraphs if p.kind in ("numbered", "operative")]


# -- normalization ---------------------------------------------------------------------------

def test_normalize_removes_markup_and_keeps_offsets():
    src = "**Bold\nhead**\n\n2. *Recognizes* the <i>Model Law</i> and the Convention,¹ agenda*\n\nV.10-57029 (E)\n\\$25,000"
    norm = normalize(src)
    assert "**" not in norm.text and "<i>" not in norm.text and "¹" not in norm.text
    assert "V.10-57029" not in norm.text
    assert "Recognizes the Model Law" in norm.text
    assert "$25,000" in norm.text and "\\$" not in norm.text
    assert [c.marker for c in norm.calls] == ["1", "*"]
    for i, ch in enumerate(norm.text):
        if ch not in "\n":
            assert src[norm.to_source[i]] == ch


@pytest.mark.parametrize("name", [REPORT_2012, DRAFT_2010, REPORT_2013, PAPER_2011])
def test_every_paragraph_points_back_at_its_source(name):
    src = text(name)
    doc = structure(name)
    for p in doc.paragraphs:
        assert p.text, p.key
        # the paragraph's first and last words are where its offsets say
        first, last = p.text.split()[0], p.text.split()[-1]
        assert src[p.offsets[0]:p.offsets[0] + len(first)] == first
        assert src[p.offsets[-1] - len(last) + 1:p.offsets[-1] + 1] == last
        for i, ch in enumerate(p.text):
            if ch != " ":
                assert src[p.offsets[i]] == ch


# -- headers ---------------------------------------------------------------------------------

def test_header_of_the_2012_report():
    h = structure(REPORT_2012).header
    assert h.get("distribution") == "General"
    assert header_date(h) == date(2012, 6, 29)
    assert h.get("original_language") == "English"
    assert header_session_number(h) == 6
    assert h.get("venue_dates") == "Vienna, 15-19 October 2012"
    assert h.get("agenda_item_number") == "2 (b)"
    blocks = [b.value for b in h.blocks]
    assert blocks[0] == "Conference of the Parties to the United Nations Convention against Transnational Organized Crime"
    assert blocks[1].startswith("Review of the implementation of the United Nations Convention")
    assert blocks[2].startswith("Activities of the United Nations Office on Drugs and Crime to promote")
    assert blocks[3] == "Report of the Secretariat"


def test_header_of_the_draft_decision_whose_lines_the_conversion_ran_together():
    h = structure(DRAFT_2010).header
    assert h.get("distribution") == "Limited"
    assert header_date(h) == date(2010, 10, 12)
    assert header_session_number(h) == 5
    assert h.get("venue_dates") == "Vienna, 18-22 October 2010"
    assert h.get("agenda_item_number") == "2 (b)"
    blocks = [b.value for b in h.blocks]
    assert "United States of America: draft decision" in blocks
    assert blocks[-1] == "Trafficking in persons"


def test_header_of_the_2013_report_and_the_2011_paper():
    h = structure(REPORT_2013).header
    assert h.get("distribution") == "Limited"
    assert header_date(h) == date(2013, 11, 26)
    assert [b.value for b in h.blocks][-1] == (
        "Report on the meeting of the Working Group on Trafficking in Persons held in Vienna from 6 to 8 November 2013")
    h = structure(PAPER_2011).header
    assert header_date(h) == date(2011, 8, 2)
    assert h.get("venue_dates") == "Vienna, 10-12 October 2011"
    assert h.get("agenda_item_number") == "6"
    assert "Working Group on Trafficking in Persons" in [b.value for b in h.blocks]
    # the table of contents is not part of the header's text
    assert not any("Introduction" in b.value for b in h.blocks)


@pytest.mark.parametrize("name", [REPORT_2012, DRAFT_2010, REPORT_2013, PAPER_2011])
def test_the_agenda_footnote_symbol_is_not_the_documents_own(name):
    doc = structure(name)
    assert own_symbol(doc) is None


def test_a_stated_symbol_is_the_documents_own():
    doc = parse_document("United Nations\tCTOC/COP/2012/6\n\nDistr.: General\n29 June 2012\n\nOriginal: English\n\n"
                         "Some title\n\n1. First paragraph.\n\n* CTOC/COP/2012/1.\n")
    assert own_symbol(doc) == "CTOC/COP/2012/6"


# -- paragraphs and sections -------------------------------------------------------------------

def test_paragraph_counts_and_first_words():
    assert [p.number for p in numbered(REPORT_2012)] == [str(i) for i in range(1, 40)]
    assert [p.number for p in numbered(REPORT_2013)] == [str(i) for i in range(1, 72)]
    assert [p.number for p in numbered(PAPER_2011)] == [str(i) for i in range(1, 14)]
    r12 = structure(REPORT_2012)
    assert r12.paragraph("1").text.startswith("The present report has been prepared pursuant to resolution 5/2")
    assert r12.paragraph("12").text.startswith("UNODC has also concluded a number of bilateral cooperation arrangements")
    # paragraph 8 runs across a page break
    assert "in consultations of the Inter-Agency Coordination Group. The working group held a briefing" \
        in r12.paragraph("8").text
    assert r12.paragraph("8").text.endswith("to combat trafficking in persons.")
    assert r12.paragraph("39").text.startswith("The new Human Trafficking and Migrant Smuggling Section")
    r13 = structure(REPORT_2013)
    assert r13.paragraph("49").text == ("The Working Group on Trafficking in Persons met in Vienna from 6 to 8 November 2013. "
                                        "Six meetings were held.")
    assert r13.paragraph("71").text.startswith("On 8 November 2013, the Working Group adopted the report")


def test_a_numbered_list_inside_a_paragraph_is_not_a_run_of_paragraphs():
    p59 = structure(REPORT_2013).paragraph("59")
    assert p59.text.startswith("At its 1st meeting, on 6 November 2013, the Working Group adopted by consensus")
    assert [i.marker for i in p59.items[:3]] == ["1.", "-", "-"]
    assert p59.items[0].text == "Organizational matters:"
    assert any(i.text == "Adoption of the report." for i in p59.items)
    assert "Attendance" not in p59.text


def test_section_tree_of_the_2013_report():
    secs = [(s.key, s.title) for s in structure(REPORT_2013).sections]
    keys = [k for k, _ in secs]
    assert keys == ["I", "II", "II.A", "II.B", "II.C", "II.D", "II.E", "III", "III.A", "III.B", "III.C", "III.D",
                    "III.E", "V", "annex"]
    assert dict(secs)["II.A"] == "General recommendations"
    assert dict(secs)["III.D"] == "Attendance"
    assert structure(REPORT_2013).paragraph("60").section == "III.D"


def test_section_tree_of_the_2012_report():
    keys = [s.key for s in structure(REPORT_2012).sections]
    assert keys == ["I", "II", "II.A", "II.B", "II.C", "II.D", "II.E", "III"]


def test_bulleted_lists_of_the_2011_paper():
    doc = structure(PAPER_2011)
    assert len(doc.paragraph("5").items) == 16
    assert doc.paragraph("5").items[0].text == "Universal adherence to the Organized Crime Convention and the Trafficking in Persons Protocol"
    assert len(doc.paragraph("6").items) == 5
    assert len(doc.paragraph("11").items) == 4


# -- the draft decision ------------------------------------------------------------------------

def test_preamble_and_operative_paragraphs_of_the_draft_decision():
    doc = structure(DRAFT_2010)
    assert doc.chapeau.text == "The Conference of the Parties to the United Nations Convention against Transnational Organized Crime,"
    pre = [p for p in doc.paragraphs if p.kind == "preambular"]
    assert [p.verb for p in pre] == ["Recalling", "Recalling also", "Welcoming", "Recalling", "Acknowledging", "Reaffirming"]
    ops = [p for p in doc.paragraphs if p.kind == "operative"]
    assert [p.number for p in ops] == [str(i) for i in range(1, 12)]
    assert [p.verb for p in ops] == ["Urges", "Recognizes", "Notes with appreciation", "Welcomes", "Welcomes also",
                                     "Requests", "Decides", "Also decides", "Requests", "Also requests", "Decides"]
    assert ops[6].text == "Decides that the Working Group should continue to perform the functions set forth in Conference decision 4/4;"
    subs = [p for p in doc.paragraphs if p.kind == "subparagraph"]
    assert [p.key for p in subs] == [f"5 ({c})" for c in "abcdefgh"]
    assert subs[0].text.startswith("Make better use of tools and materials")
    assert all(p.parent == "5" for p in subs)


# -- footnotes -------------------------------------------------------------------------------

def test_footnotes_and_where_they_are_called():
    doc = structure(DRAFT_2010)
    fns = {f.marker: f for f in doc.footnotes}
    assert fns["*"].text == "CTOC/COP/2010/1." and fns["*"].called_in == "header"
    assert fns["1"].text == "United Nations, Treaty Series, vol. 2225, No. 39574."
    assert fns["1"].called_in == "pp1" and fns["2"].called_in == "pp1"
    assert fns["3"].called_in == "1" and fns["4"].called_in == "1"
    assert fns["5"].text == "CTOC/COP/2010/6." and fns["5"].called_in == "4"
    doc = structure(PAPER_2011)
    assert {f.marker: f.called_in for f in doc.footnotes} == {"*": "header", "1": "5", "2": "6", "3": "7", "4": "8", "5": "12"}
    assert doc.footnote("4").text == "Resolution 5/2, CTOC/COP/2010/17."
    doc = structure(REPORT_2013)
    assert [(f.marker, f.called_in, f.text) for f in doc.footnotes] == [("1", "2", "CTOC/COP/WG.4/2011/8, paras. 46-51.")]


# -- the annex table ---------------------------------------------------------------------------

def test_annex_table_of_the_2013_report():
    tables = structure(REPORT_2013).tables
    assert len(tables) == 1
    t = tables[0]
    assert t.title == "List of documents before the Working Group"
    assert t.columns == ["Document number", "Agenda item", "Title or description"]
    assert len(t.rows) == 10
    assert t.rows[0] == ["CTOC/COP/WG.4/2013/1", "1 (b)", "Provisional agenda and annotations"]
    assert t.rows[4] == ["CTOC/COP/WG.4/2013/L.1", "", "Draft report"]
    assert t.rows[9][0] == "CTOC/COP/WG.4/2011/8"


def test_running_heads_and_job_numbers_of_a_pdf_conversion_are_set_aside():
    src = ("CTOC/COP/2012/6\n\nDistr.: General\n29 June 2012\n\nOriginal: English\n\nSome report\n\n"
           "I. Introduction\n\n1. The first paragraph runs on to the next\n\nV.12-54132 (E) 030712 040712\n\n*1254132*\n\n"
           "CTOC/COP/2012/6\n\n2/12\n\npage, where it ends.\n\n2. The second paragraph.\n")
    doc = parse_document(src)
    assert own_symbol(doc) == "CTOC/COP/2012/6"
    assert doc.paragraph("1").text == "The first paragraph runs on to the next page, where it ends."
    assert doc.paragraph("2").text == "The second paragraph."
