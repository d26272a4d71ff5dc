"""The loaders on the layouts real UN text comes in, each failure seen on real documents a test.

The texts are slices of General Assembly resolution 74/176 and 74/247 (development data: the UN's own
text of session 74), laid out as the three layouts users have: PDF text (cover lines one after
another with no blank line, short wrapped lines, job numbers, superscripts lost to plain digits),
Word/HTML text (a paragraph a line) and web copies (a whole cover page, or several numbered
paragraphs, on one line). Expectations are written from reading the resolutions.
"""

from __future__ import annotations

import pytest

from loaders.extract import extract_facts
from loaders.read import SourceText
from loaders.structure import parse_document

PDF_74_176 = """United Nations A/RES/74/176
General Assembly Distr.: General
22 January 2020
19-22412 (E) 280120
*1922412*
Seventy-fourth session
Agenda item 106
Crime prevention and criminal justice
Resolution adopted by the General Assembly on 18 December 2019
[on the report of the Third Committee (A/74/400)]
74/176. Improving the coordination of efforts against trafficking
in persons
The General Assembly,
Reiterating its strong condemnation of trafficking in persons, especially women and
children, which constitutes an offence and a serious threat to human dignity,
Recalling the adoption by the General Assembly of the 2030 Agenda for Sustainable
Development,1 and recalling also the targets of the Sustainable Development Goals,
Recalling further Economic and Social Council resolution 2017/18 of 6 July 2017 on the
implementation of the Global Plan of Action and previous Council resolutions on trafficking
in persons,
Recalling Human Rights Council resolution 32/3 of 30 June 2016,2 and other relevant
resolutions of the Council on trafficking in persons,
Welcoming the adoption of the political declaration on the implementation of the United
Nations Global Plan of Action to Combat Trafficking in Persons,3
1. Takes note of the report of the Secretary-General;4
2. Urges Member States that have not yet done so to consider ratifying the Convention;
3. Requests the Secretary-General to submit to the General Assembly at its seventy-sixth
session a report on the implementation of the present resolution, as recalled in resolution
61/222.
1 Resolution 70/1.
2 See Official Records of the General Assembly, Seventy-first Session, Supplement No. 53
(A/71/53), chap. V, sect. A.
3 Resolution 72/1.
4 A/74/235.
19-22412 2/3
"""


def _facts(text: str):
    doc = parse_document(text)
    return doc, extract_facts(doc, SourceText("t.txt", text, "utf-8", "text/plain", "0" * 64), source_name="t.txt")


def test_pdf_cover_lines_with_no_blank_line_make_the_document_its_act():
    doc, f = _facts(PDF_74_176)
    assert f.own_act is not None and (f.own_act.body, f.own_act.kind, f.own_act.number) == ("ga", "resolution", "74/176")
    assert f.document.symbol == "A/RES/74/176"
    assert f.document.kind == "resolution"
    act = next(a for a in f.acts if a.key == f.own_act)
    assert str(act.date) == "2019-12-18"
    assert act.title == "Improving the coordination of efforts against trafficking in persons"
    assert f.document.agenda_item_title == "Crime prevention and criminal justice"


def test_pdf_preamble_without_blank_lines_is_one_paragraph_per_verb():
    doc, _ = _facts(PDF_74_176)
    pre = [(p.key, p.verb) for p in doc.paragraphs if p.kind == "preambular"]
    # the opening phrases as the UN sets them in italics in its markup of 74/176
    assert pre == [("pp1", "Reiterating its strong condemnation"), ("pp2", "Recalling"), ("pp3", "Recalling further"),
                   ("pp4", "Recalling"), ("pp5", "Welcoming")]
    ops = [(p.key, p.verb) for p in doc.paragraphs if p.kind == "operative"]
    assert ops == [("1", "Takes note"), ("2", "Urges"), ("3", "Requests")]


def test_pdf_footnotes_with_plain_digits_are_footnotes_called_where_the_digit_was():
    doc, f = _facts(PDF_74_176)
    notes = {fn.marker: (fn.called_in, fn.text) for fn in doc.footnotes}
    assert notes["1"] == ("pp2", "Resolution 70/1.")
    assert notes["4"] == ("1", "A/74/235.")
    assert notes["2"][1].startswith("See Official Records")
    assert "Development, and recalling" in doc.paragraph("pp2").text  # the call is out of the words
    assert not any(p.text.startswith(("1 Resolution", "Resolution 70/1")) for p in doc.paragraphs)


def test_act_references_as_resolutions_write_them():
    _, f = _facts(PDF_74_176)
    refs = {(r.act.body, r.act.number) for r in f.act_references}
    # footnotes "Resolution 70/1." and "Resolution 72/1.", operative text "resolution 61/222" without "its"
    assert {("ga", "70/1"), ("ga", "72/1"), ("ga", "61/222")} <= refs
    assert {("ecosoc", "2017/18"), ("hrc", "32/3")} <= refs
    assert not any(u.kind == "act" for u in f.unresolved)
    docs = {r.symbol for r in f.document_references}
    assert {"A/71/53", "A/74/235"} <= docs


def test_operative_paragraphs_of_the_act_decide_as_the_act():
    _, f = _facts(PDF_74_176)
    verbs = {(v.paragraph, v.verb) for v in f.clause_verbs if v.operative}
    assert ("3", "Requests") in verbs


@pytest.mark.parametrize("text, expected", [
    # a list that moves from one body to another
    ("Recalling Economic and Social Council resolutions 2006/2 of 10 July 2006 and 2008/33 of 25 July 2008, "
     "and its resolution 2013/1 of 6 February 2013,", {("ecosoc", "2006/2"), ("ecosoc", "2008/33"), ("ecosoc", "2013/1")}),
    # a new clause gives "its" back to the act's own body
    ("Recalling Human Rights Council resolution 32/3 of 30 June 2016, and recalling also its resolution 73/146,",
     {("hrc", "32/3"), ("ga", "73/146")}),
    ("Recalling its resolutions 61/180 of 20 December 2006 and 64/178 of 18 December 2009,",
     {("ga", "61/180"), ("ga", "64/178")}),
    ("Recalling Security Council resolutions 2331 (2016) and 2388 (2017),", {("unsc", "2331 (2016)"), ("unsc", "2388 (2017)")}),
    # the body named, then "in particular" or "including" its acts (74/136, 74/210)
    ("Recalling relevant Human Rights Council resolutions, in particular resolutions 7/34 of 28 March 2008 and "
     "18/15 of 29 September 2011,", {("hrc", "7/34"), ("hrc", "18/15")}),
    ("Noting the resolutions adopted by the United Nations Environment Assembly, including resolution 2/10 on oceans "
     "and seas and resolution 4/11 on the protection of the marine environment,", {("unea", "2/10"), ("unea", "4/11")}),
])
def test_whose_act_a_reference_is(text, expected):
    source = PDF_74_176.replace("Reiterating its strong condemnation", text + "\nReiterating its strong condemnation")
    _, f = _facts(source)
    refs = {(r.act.body, r.act.number) for r in f.act_references if r.evidence.paragraph == "pp1"}
    assert refs == expected


@pytest.mark.parametrize("text, number", [
    # a body the gazetteer does not know: an unresolved mention, never the General Assembly's act
    ("Welcoming the work of the Intergovernmental Forum on Widgets, in particular its resolution 5/14,", "5/14"),
    # "the Conference" in a text of the General Assembly cannot be told
    ("Noting the work of the Conference at its tenth session, in particular its resolution 10/4,", "10/4"),
    # a year-numbered act cannot be the Assembly's
    ("Recalling resolution 2013/1 of 6 February 2013,", "2013/1"),
    # a convention's conference numbers by Roman sessions: its "decision 14/34" is not the Assembly's (74/221)
    ("Welcoming progress fully in line with decision XIII/1 and decision 14/34,", "14/34"),
])
def test_an_act_of_a_body_that_cannot_be_told_is_unresolved_not_the_assemblys(text, number):
    source = PDF_74_176.replace("Reiterating its strong condemnation", text + "\nReiterating its strong condemnation")
    _, f = _facts(source)
    assert not any(r.act.number == number for r in f.act_references)
    assert any(u.kind == "act" and number in u.text for u in f.unresolved)


def test_the_conference_named_in_full_in_an_assembly_text_is_the_conference():
    text = ("Welcoming the outcome of the tenth session of the Conference of the Parties to the United Nations "
            "Convention against Transnational Organized Crime, in particular its resolution 10/4,")
    source = PDF_74_176.replace("Reiterating its strong condemnation", text + "\nReiterating its strong condemnation")
    _, f = _facts(source)
    assert ("untoc-cop", "resolution", "10/4") in {(r.act.body, r.act.kind, r.act.number) for r in f.act_references}


def test_symbols_of_every_series_and_in_parentheses():
    text = ("See Official Records of the General Assembly, Seventy-third Session, Supplement No. 12 "
            "(A/73/12 (Part I) and A/73/12 (Part II)); ISBA/25/A/18, SPLOS/30/1, CLCS/80, CEDAW/C/GC/38, "
            "UNEP/EA.5/Res.14 and E/2013/30 and Corr.1; HIV/AIDS is not a symbol,")
    source = PDF_74_176.replace("Reiterating its strong condemnation", "Recalling " + text + "\nReiterating its strong condemnation")
    _, f = _facts(source)
    docs = {r.symbol for r in f.document_references if r.evidence.paragraph == "pp1"}
    assert docs == {"A/73/12 (Part I)", "A/73/12 (Part II)", "ISBA/25/A/18", "SPLOS/30/1", "CLCS/80",
                    "CEDAW/C/GC/38", "UNEP/EA.5/Res.14", "E/2013/30", "E/2013/30/Corr.1"}


WEB_74_247 = (
    "United Nations A/RES/74/247 General Assembly Distr.: General 20 January 2020 Seventy-fourth session "
    "Agenda item 107 Countering the use of information and communications technologies for criminal purposes "
    "Resolution adopted by the General Assembly on 27 December 2019 [on the report of the Third Committee "
    "(A/74/401)] 74/247. Countering the use of information and communications technologies for criminal purposes "
    "The General Assembly, Noting that information and communications technologies, while having enormous "
    "potential for the development of States, create new opportunities for perpetrators, Recalling its "
    "resolution 65/230 of 21 December 2010, in which the General Assembly endorsed the Salvador Declaration,\n"
    "1. Takes note of the report of the Secretary-General, which was prepared pursuant to resolution 73/187; "
    "2. Decides to establish an open-ended ad hoc intergovernmental committee of experts, representative of all "
    "regions, to elaborate a comprehensive international convention; 3. Also decides that the ad hoc committee "
    "shall convene a three-day organizational session in August 2020, in New York; 4. Requests the Secretary "
    "General to allocate the necessary resources in order to organize and support the work of the ad hoc "
    "committee; 5. Invites donor countries to provide assistance; 6. Decides to examine the question at its "
    "seventy-fifth session under the item entitled \u201cCountering the use of information and communications "
    "technologies for criminal purposes\u201d. 52nd (resumed) plenary meeting 27 December 2019\n"
)


def test_web_copy_with_its_cover_on_one_line_is_the_act():
    doc, f = _facts(WEB_74_247)
    assert f.document.symbol == "A/RES/74/247"
    assert str(f.document.issued) == "2020-01-20"
    assert f.document.session_number == 74
    assert (f.own_act.body, f.own_act.number) == ("ga", "74/247")
    assert [p.key for p in doc.paragraphs if p.kind == "preambular"] == ["pp1", "pp2"]


def test_web_copy_numbered_paragraphs_run_together_are_split():
    doc, f = _facts(WEB_74_247)
    ops = [(p.key, p.verb) for p in doc.paragraphs if p.kind == "operative"]
    assert ops == [("1", "Takes note"), ("2", "Decides"), ("3", "Also decides"), ("4", "Requests"),
                   ("5", "Invites"), ("6", "Decides")]
    assert doc.paragraph("6").text.endswith("criminal purposes\u201d.")
    assert ("ga", "73/187") in {(r.act.body, r.act.number) for r in f.act_references}
    # evidence still points at the source
    p4 = doc.paragraph("4")
    assert WEB_74_247[p4.start:p4.end].startswith("Requests the Secretary General")


def test_a_number_that_is_not_the_next_paragraph_does_not_split():
    text = WEB_74_247.replace("in New York; 4. Requests", "in New York, see chap. 9. Requests")
    doc, _ = _facts(text)
    ops = [p.key for p in doc.paragraphs if p.kind == "operative"]
    assert ops == ["1", "2", "3"]  # "9." is not paragraph 4: no paragraph 4, so 5 and 6 cannot follow either


def test_working_group_report_with_only_its_symbol_resolves_the_conference_named_in_the_sentence():
    text = ("CTOC/COP/WG.4/2099/2\n\nDistr.: General\n1 August 2099\n\nOriginal: English\n\n"
            "Report on the meeting\n\nI. Introduction\n\n"
            "1. In its decision 4/4, the Conference of the Parties to the United Nations Convention against "
            "Transnational Organized Crime decided to establish an open-ended interim working group.\n\n"
            "2. In its resolution 5/2, the Conference decided that the Working Group should continue its work.\n")
    _, f = _facts(text)
    refs = {(r.act.body, r.act.kind, r.act.number) for r in f.act_references}
    assert {("untoc-cop", "decision", "4/4"), ("untoc-cop", "resolution", "5/2")} <= refs


HRC_PDF = """United Nations A/HRC/RES/41/2
General Assembly Distr.: General
19 July 2019
Original: English
Human Rights Council
Forty-first session
24 June–12 July 2019
Agenda item 3
Promotion and protection of all human rights, civil,
political, economic, social and cultural rights,
including the right to development
Resolution adopted by the Human Rights Council on 11 July 2019
41/2. Trafficking in persons, especially women and children:
access to remedies
The Human Rights Council,
Reaffirming all previous resolutions on trafficking in persons, including Council resolution
38/7 of 5 July 2018,
1. Requests the Special Rapporteur to report annually to the Council;
"""

ECOSOC_PDF = """United Nations E/RES/2019/22
Economic and Social Council Distr.: General
31 July 2019
2019 session
26 July 2018–24 July 2019
Agenda item 19 (c)
Resolution adopted by the Economic and Social Council on 23 July 2019
[on the recommendation of the Commission on Crime Prevention and Criminal Justice
(E/2019/30)]
2019/22. Mainstreaming a holistic approach to youth crime prevention
The Economic and Social Council,
Recalling its resolution 2016/19 of 26 July 2016,
1. Requests the United Nations Office on Drugs and Crime to report;
"""


@pytest.mark.parametrize("text, act, cited", [
    (HRC_PDF, ("hrc", "resolution", "41/2"), ("hrc", "resolution", "38/7")),  # "Council resolution" in the Council's text
    (ECOSOC_PDF, ("ecosoc", "resolution", "2019/22"), ("ecosoc", "resolution", "2016/19")),
])
def test_acts_of_other_bodies_in_their_own_text(text, act, cited):
    _, f = _facts(text)
    assert (f.own_act.body, f.own_act.kind, f.own_act.number) == act
    assert cited in {(r.act.body, r.act.kind, r.act.number) for r in f.act_references}
    assert not [u for u in f.unresolved if u.kind == "act"]


def test_a_short_name_is_the_one_body_of_its_kind_named_in_full_and_never_the_start_of_another_name():
    from loaders.extract.context import build_context
    from loaders.extract.document import document_info

    text = PDF_74_176.replace("1. Takes note of the report of the Secretary-General;4",
                              "1. Welcomes the work of the United Nations Office on Drugs and Crime;4")
    doc = parse_document(text)
    ctx = build_context(doc, document_info(doc, "t.txt", "0", "0", None, None))
    found = lambda s: [(r.key, s[a:b]) for r, a, b in ctx.entities(s, ("body",))]
    assert found("Requests the Office to report") == [("unodc", "the Office")]
    # "the Office of the Widget Affairs Coordinator" names another office: not UNODC by its first words
    assert found("Requests the Office of the Widget Affairs Coordinator to report") == []
