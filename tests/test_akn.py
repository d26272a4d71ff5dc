"""The AKN4UN reader, its refusals, and the renderer, on real resolutions of session 74.

Expectations were written by reading the XML files (`English/74_247.xml`, `English/74_176.xml` of
`../shared/data/unxml-ga-74/ga-74-english.zip`), not from the program's output. The bundled corpus
carries the same two files byte for byte (`corpus/ga-74-247.en.xml`, `corpus/ga-74-176.en.xml`), so
these tests run wherever the project is checked out; only the reading of the whole zip needs the
development set beside the checkout.
"""

from __future__ import annotations

import re
import zipfile
from collections import Counter
from datetime import date
from pathlib import Path

import pytest

from loaders.akn import ActLink, MarkupError, classify_symbol, iter_zip, parse_resolution
from loaders.akn_render import ALL_LAYOUTS, render
from loaders.errors import LoadError

ZIP = Path(__file__).resolve().parents[2] / "shared" / "data" / "unxml-ga-74" / "ga-74-english.zip"
CORPUS = Path(__file__).resolve().parents[1] / "corpus"


def _read(stem: str):
    number = stem.split("_")[1]
    return parse_resolution((CORPUS / f"ga-74-{number.zfill(3)}.en.xml").read_bytes(), f"English/{stem}.xml")


@pytest.fixture(scope="module")
def r247():
    return _read("74_247")


@pytest.fixture(scope="module")
def r176():
    return _read("74_176")


# -- what the markup states -------------------------------------------------------------------


def test_identity_and_dates(r247):
    assert (r247.number, r247.symbol, r247.body, r247.kind) == ("74/247", "A/RES/74/247", "ga", "resolution")
    assert r247.adoption == date(2019, 12, 27)
    assert r247.publication == date(2020, 1, 20)
    assert r247.language == "eng"
    assert r247.title == "Countering the use of information and communications technologies for criminal purposes"
    assert r247.act == ActLink("ga", "resolution", "74/247")


def test_cover_and_workflow(r247):
    c = r247.cover
    assert c.agenda_item == "107"
    assert c.committee == "Third Committee" and c.committee_report == "A/74/401"
    assert c.draft_symbol == "A/C.3/74/L.11/Rev.1" and c.draft_date == date(2019, 11, 5)
    assert len(c.sponsors) == 27
    assert c.sponsors[:5] == ("Algeria", "Angola", "Azerbaijan", "Belarus", "Bolivia (Plurinational State of)")
    assert c.sponsors[-2:] == ("Venezuela (Bolivarian Republic of)", "Zimbabwe")
    assert "Democratic People's Republic of Korea" in c.sponsors
    # names that contain "and" stay whole
    assert c.additional_sponsors[0] == "Antigua and Barbuda"
    assert "Saint Vincent and the Grenadines" in c.additional_sponsors
    assert c.additional_sponsors[-1] == "Uganda"
    assert c.plenary_record == "A/74/PV.52"
    assert c.vote.outcome == "adoptedRecordedVote"
    assert (c.vote.in_favour, c.vote.against, c.vote.abstaining) == (79, 60, 33)
    assert c.job_number == "19-22674 (E)"


def test_paragraphs_and_verbs(r247):
    assert [c.eid for c in r247.preamble] == [f"container_{i}" for i in range(2, 19)]
    assert r247.preamble[0].verb == "Noting" and r247.preamble[5].verb == "Recalling"
    assert [c.eid for c in r247.operative] == [f"para_{i}" for i in range(19, 25)]
    assert [c.number for c in r247.operative] == ["1", "2", "3", "4", "5", "6"]
    assert [c.verb for c in r247.operative] == ["Takes note", "Decides", "Also decides", "Requests", "Invites", "Decides"]
    assert r247.operative[0].text.startswith("Takes note of the report of the Secretary-General,")


def test_footnotes_are_called_where_they_stand(r247):
    notes = {f.marker: f for f in r247.footnotes}
    assert sorted(notes) == ["1", "2", "3", "4", "5"]
    assert notes["5"].called_in == "para_19" and notes["5"].text == "A/74/130."
    assert notes["2"].text == "Resolution 70/174, annex."
    para = r247.operative[0]
    assert para.footnotes == ("5",)
    marker, pos = para.calls[0]
    assert para.text[:pos].endswith("Secretary-General,")


def test_every_link_of_one_paragraph(r247):
    links = [l for l in r247.links if l.within == "container_13"]
    numbers = ["53/70", "54/49", "55/28", "56/19", "57/53", "58/32", "59/61", "60/45", "61/54", "62/17",
               "63/37", "64/25", "65/41", "66/24", "66/181", "67/27", "68/193", "68/243", "69/28",
               "70/237", "71/28", "72/196", "73/27", "73/187"]
    assert [l.text for l in links] == numbers
    assert all(l.act == ActLink("ga", "resolution", n) for l, n in zip(links, numbers))
    assert links[0].href == "https://undocs.org/en/A/RES/53/70"
    # a paragraph and its footnote: the act in the text, the report in the footnote
    assert [(l.within, l.act, l.document) for l in r247.links if l.within in ("para_19", "authorialNote_5")] == [
        ("authorialNote_5", None, "A/74/130"), ("para_19", ActLink("ga", "resolution", "73/187"), None)]
    ecosoc = [l for l in r247.links if l.within == "container_16"]
    assert [l.act for l in ecosoc] == [ActLink("ecosoc", "resolution", "2019/19")]
    corr = [l.document for l in r247.links if l.within == "authorialNote_1"]
    assert corr == ["E/2013/30", "E/2013/30/CORR.1"]


def test_subjects(r247):
    by_href = {s.href: s for s in r247.subjects}
    assert by_href["http://metadata.un.org/sdg/16"].dictionary == "SDGO"
    assert by_href["http://metadata.un.org/thesaurus/1003500"].value == "justice"
    assert by_href["http://eurovoc.europa.eu/516"].dictionary == "EuroVoc"


def test_74_176_draft_sponsors_and_list(r176):
    c = r176.cover
    assert c.draft_symbol == "A/C.3/74/L.10/Rev.1" and c.draft_date == date(2019, 11, 7)
    assert c.sponsors == ("Azerbaijan", "Bangladesh", "Belarus", "China", "Côte d’Ivoire", "Dominican Republic",
                          "Ecuador", "Kazakhstan", "Kyrgyzstan", "Pakistan", "Russian Federation", "Tajikistan",
                          "Venezuela (Bolivarian Republic of)", "Zambia", "Zimbabwe")
    assert "Armenia" in c.additional_sponsors  # written "Armenia , Australia" in the markup
    assert c.committee_report == "A/74/400"  # written "A/74/400, as orally revised"
    assert c.vote.outcome == "adoptedWithoutVote" and c.plenary_record == "A/74/PV.50"
    assert len(r176.preamble) == 40 and len(r176.operative) == 26
    listed = next(p for p in r176.preamble if p.items)
    assert listed.verb == "Reaffirming" and [m for m, _ in listed.items] == ["(a)", "(b)", "(c)", "(d)", "(e)", "(f)"]


@pytest.mark.parametrize("symbol, act", [
    ("A/RES/65/230", ActLink("ga", "resolution", "65/230")),
    ("A/RES/S-26/2", ActLink("ga", "resolution", "S-26/2")),
    ("E/RES/2019/19", ActLink("ecosoc", "resolution", "2019/19")),
    ("S/RES/2178 (2014)", ActLink("unsc", "resolution", "2178 (2014)")),
    ("A/HRC/RES/41/2", ActLink("hrc", "resolution", "41/2")),
    ("A/DEC/73/546", ActLink("ga", "decision", "73/546")),
    ("A/74/130", None),
])
def test_symbols(symbol, act):
    assert classify_symbol(symbol) == act


# -- hostile input ------------------------------------------------------------------------------


@pytest.mark.parametrize("xml", [
    b'<?xml version="1.0"?><!DOCTYPE akomaNtoso SYSTEM "akn.dtd"><akomaNtoso/>',
    b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">'
    b'<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;">]><akomaNtoso>&lol3;</akomaNtoso>',
    b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><akomaNtoso>&xxe;</akomaNtoso>',
], ids=["doctype", "billion-laughs", "external-entity"])
def test_hostile_xml_is_refused_naming_the_file(xml):
    with pytest.raises(MarkupError) as err:
        parse_resolution(xml, "evil.xml")
    assert isinstance(err.value, LoadError) and err.value.stage == "read"
    assert "evil.xml" in str(err.value) and "refused" in str(err.value)
    assert "root:" not in str(err.value)  # nothing of /etc/passwd came through


def test_not_xml_is_a_clear_error():
    with pytest.raises(MarkupError, match="broken.xml: not well-formed"):
        parse_resolution(b"<akomaNtoso><p></akomaNtoso>", "broken.xml")


def _zip(tmp_path: Path, entries: dict[str, bytes], name: str = "x.zip") -> Path:
    path = tmp_path / name
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for entry, data in entries.items():
            z.writestr(entry, data)
    return path


def test_zip_path_traversal_is_refused(tmp_path):
    path = _zip(tmp_path, {"English/74_1.xml": b"<a/>", "../x.xml": b"<a/>"})
    with pytest.raises(MarkupError, match=r"x\.zip: refused entry '\.\./x\.xml'"):
        list(iter_zip(path))


def test_absolute_entry_is_refused(tmp_path):
    path = _zip(tmp_path, {"/etc/x.xml": b"<a/>"})
    with pytest.raises(MarkupError, match="refused entry '/etc/x.xml'"):
        list(iter_zip(path))


def test_zip_bomb_is_refused(tmp_path):
    path = _zip(tmp_path, {"bomb.xml": b"<a>" + b" " * (20 * 1024 * 1024) + b"</a>"})
    with pytest.raises(MarkupError, match=r"x\.zip: refused entry 'bomb\.xml'"):
        list(iter_zip(path))
    # under a tighter per-entry cap the declared size alone is enough to refuse
    with pytest.raises(MarkupError, match="uncompressed, more than the cap"):
        list(iter_zip(path, max_entry_bytes=1024))


def test_too_many_entries_are_refused(tmp_path):
    path = _zip(tmp_path, {f"English/{i}.xml": b"<a/>" for i in range(30)})
    with pytest.raises(MarkupError, match="30 entries, more than the cap of 20"):
        list(iter_zip(path, max_entries=20))


@pytest.mark.skipif(not ZIP.exists(), reason="the development set (../shared/data/unxml-ga-74) is not beside the checkout")
def test_iter_zip_reads_the_development_set():
    names = [name for name, _ in iter_zip(ZIP)]
    assert len(names) == 313 and "English/74_247.xml" in names


# -- rendering ------------------------------------------------------------------------------------


def _words(text: str) -> Counter:
    return Counter(re.findall(r"[A-Za-z]+", text))


@pytest.mark.parametrize("layout", ALL_LAYOUTS)
def test_rendering_keeps_every_paragraphs_words(r247, layout):
    text = render(r247, layout)
    assert text == render(r247, layout)  # deterministic
    needed = _words(" ".join(c.text for c in r247.clauses()))
    missing = needed - _words(text)
    assert not missing
    for clause in r247.clauses():  # and in order: each paragraph's opening words are there
        assert re.sub(r"\s+", " ", text).find(" ".join(clause.text.split()[:4])) >= 0 or layout.startswith("pdf")


def test_pdf_layout_is_a_pdfs_text(r247):
    lines = render(r247, "pdf").split("\n")
    assert lines[:3] == ["United Nations  A/RES/74/247", "General Assembly  Distr.: General", "20 January 2020"]
    assert "[on the report of the Third Committee (A/74/401)]" in lines[:9]
    assert all(len(line) <= 95 for line in lines if " " in line.strip())
    assert any(line.endswith("2013,¹") or "2013,¹ " in line for line in lines)
    assert any(line.startswith("5 A/74/130.") for line in lines)
    assert "19-22674 (E)" in lines  # the job number at the foot of the first page
    last, count = re.fullmatch(r"(\d+)/(\d+)", lines[-2]).groups()  # "n/n": the last page's number
    assert last == count and int(count) > 1
    assert lines.count("A/RES/74/247") == int(count) - 1  # alone atop every page after the first
    assert "52nd (resumed) plenary meeting  27 December 2019" in lines


def test_word_and_web_layouts(r247):
    word = render(r247, "word").split("\n\n")
    assert "1. Takes note of the report of the Secretary-General,^{5} which was prepared pursuant to" \
           " resolution 73/187;" in word
    web = render(r247, "web").split("\n")
    assert web[0].startswith("United Nations  A/RES/74/247 General Assembly")
    assert any(line.startswith("1. Takes note") and " 2. Decides " in line and " 3. Also decides " in line
               for line in web)
