"""The UN's markup (AKN4UN) as an input of the build: real resolutions of session 74 in six languages.

Expectations were written by reading the XML files in `corpus/` (`ga-74-247.*.xml`, `ga-74-176.*.xml`,
copies of the UN's files), not from the program's output.
"""

from __future__ import annotations

import struct
import zipfile
from datetime import date
from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner

from conftest import BUNDLED
from kg.build import build
from kg.cli import main
from kg.store import open_store
from loaders.akn import parse_resolution
from loaders.akn_render import render
from loaders.facts import ActKey, EntityRef
from loaders.markup import group_works, markup_facts, read_markup, reading_text
from loaders.pipeline import load

ID = "https://w3id.org/untoc-kg/id/"
UKG = "https://w3id.org/untoc-kg/ontology#"
LANGS = ("en", "fr", "es", "ru", "ar", "zh")


def _work(number: int, langs=LANGS):
    files = []
    for lang in langs:
        read, failed = read_markup(BUNDLED / f"ga-74-{number:03d}.{lang}.xml")
        assert not failed
        files += read
    works, failed = group_works(files)
    assert not failed and len(works) == 1
    return works[0]


@pytest.fixture(scope="module")
def f247():
    return markup_facts(_work(247).files)


@pytest.fixture(scope="module")
def f176():
    return markup_facts(_work(176).files)


# -- the facts, from the markup -----------------------------------------------------------------


def test_act_document_and_dates(f247):
    d = f247.document
    assert (d.symbol, d.issued, d.agenda_item, d.language) == ("A/RES/74/247", date(2020, 1, 20), "107", "en")
    assert d.title == "Countering the use of information and communications technologies for criminal purposes"
    assert f247.own_act == ActKey("ga", "resolution", "74/247")
    own = next(a for a in f247.acts if a.key == f247.own_act)
    assert own.date == date(2019, 12, 27) and own.title == d.title


def test_paragraphs_keys_eids_and_verbs(f247):
    body = [p for p in f247.paragraphs if p.kind != "footnote"]
    assert [p.key for p in body] == [f"pp{i}" for i in range(1, 18)] + ["1", "2", "3", "4", "5", "6"]
    assert [p.eid for p in body] == [f"container_{i}" for i in range(2, 19)] + [f"para_{i}" for i in range(19, 25)]
    assert [p.key for p in f247.paragraphs if p.kind == "footnote"] == ["fn1", "fn2", "fn3", "fn4", "fn5"]
    verbs = {v.paragraph: v.verb for v in f247.clause_verbs if v.operative}
    assert verbs == {"1": "Takes note", "2": "Decides", "3": "Also decides", "4": "Requests", "5": "Invites",
                     "6": "Decides"}


def test_evidence_offsets_are_in_the_reading_text(f247):
    text = reading_text(_work(247).files[0].resolution)
    for p in f247.paragraphs:
        assert text[p.start:p.end] == p.text
    for r in f247.act_references + f247.document_references:
        assert text[r.evidence.start:r.evidence.end] == r.evidence.quote


def test_every_link_of_one_paragraph(f247):
    # pp12 = container_13: "Recalling its resolutions 53/70 of 4 December 1998, ..., 73/187 ..."
    numbers = ["53/70", "54/49", "55/28", "56/19", "57/53", "58/32", "59/61", "60/45", "61/54", "62/17",
               "63/37", "64/25", "65/41", "66/24", "66/181", "67/27", "68/193", "68/243", "69/28",
               "70/237", "71/28", "72/196", "73/27", "73/187"]
    refs = [r for r in f247.act_references if r.evidence.paragraph == "pp12"]
    assert [r.act for r in refs] == [ActKey("ga", "resolution", n) for n in numbers]
    assert all(r.recalled and r.evidence.quote == n for r, n in zip(refs, numbers))
    assert [(d.symbol, d.evidence.paragraph) for d in f247.document_references if d.evidence.paragraph == "fn5"] \
        == [("A/74/130", "fn5")]
    para1 = [r.act for r in f247.act_references if r.evidence.paragraph == "1"]
    assert para1 == [ActKey("ga", "resolution", "73/187")]


def test_the_draft_its_sponsors_and_the_vote(f247, f176):
    d = f247.markup.draft
    assert (d.symbol, d.date, d.committee) == ("A/C.3/74/L.11/Rev.1", date(2019, 11, 5), "Third Committee")
    assert len(d.sponsors) == 27 and d.sponsors[0] == EntityRef("state", "DZA")
    assert EntityRef("state", "PRK") in d.sponsors and EntityRef("state", "VCT") in d.additional
    a = f247.markup.adoption
    assert (a.committee_report, a.plenary_record, a.outcome) == ("A/74/401", "A/74/PV.52", "adoptedRecordedVote")
    assert (a.in_favour, a.against, a.abstaining) == (79, 60, 33)
    d176 = f176.markup.draft
    assert d176.symbol == "A/C.3/74/L.10/Rev.1"
    assert [s.key for s in d176.sponsors] == ["AZE", "BGD", "BLR", "CHN", "CIV", "DOM", "ECU", "KAZ", "KGZ",
                                             "PAK", "RUS", "TJK", "VEN", "ZMB", "ZWE"]
    assert f176.markup.adoption.outcome == "adoptedWithoutVote"


def test_subjects_as_given(f247):
    iris = {s.iri for s in f247.markup.subjects}
    assert {"http://metadata.un.org/sdg/16", "http://eurovoc.europa.eu/516",
            "http://metadata.un.org/thesaurus/1003500"} <= iris


def test_six_titles_and_texts_aligned_by_eid(f247):
    titles = {e.language: e.title for e in f247.markup.expressions}
    assert list(titles) == list(LANGS)
    assert titles["fr"].startswith("Lutte contre l’utilisation des technologies de l’information")
    assert titles["es"].startswith("Lucha contra la utilización de las tecnologías")
    assert titles["ru"].startswith("Противодействие использованию информационно-коммуникационных")
    assert titles["zh"] == "打击为犯罪目的使用信息和通信技术行为"
    assert titles["ar"].startswith("مكافحة استخدام تكنولوجيات المعلومات والاتصالات")
    decides = f247.markup.texts["2"]
    assert decides["fr"].startswith("Décide d’établir un comité intergouvernemental spécial d’experts")
    assert decides["zh"].startswith("决定设立一个代表所有区域的不限成员名额特设政府间专家委员会")
    assert set(decides) == set(LANGS)


def test_a_draft_submitted_by_the_chair_is_kept_as_written():
    facts = markup_facts(_work(170, ("en",)).files)
    d = facts.markup.draft
    assert d.sponsors == () and d.written == (
        "submitted by the Chair of the Committee on the recommendation of the Economic and Social Council",)


# -- the text path agrees -------------------------------------------------------------------------


def test_text_and_markup_paths_agree(tmp_path, f247):
    res = parse_resolution((BUNDLED / "ga-74-247.en.xml").read_bytes(), "ga-74-247.en.xml")
    pdf = tmp_path / "a-res-74-247.txt"
    pdf.write_text(render(res, "pdf"), encoding="utf-8")
    text = load(pdf).facts
    assert text.own_act == f247.own_act
    assert text.document.symbol == f247.document.symbol and text.document.issued == f247.document.issued
    own = lambda f: next(a for a in f.acts if a.key == f.own_act)  # noqa: E731
    assert own(text).date == own(f247).date
    keys = lambda f: [p.key for p in f.paragraphs if p.kind in ("preambular", "operative")]  # noqa: E731
    assert keys(text) == keys(f247)
    # every act the markup links to, the text path finds too (the text path also reads unlinked names)
    linked = {r.act for r in f247.act_references}
    assert linked <= {r.act for r in text.act_references}
    assert {d.symbol for d in f247.document_references} <= {d.symbol.upper() for d in text.document_references}


# -- the build ------------------------------------------------------------------------------------


def _quads(store_dir: Path, query: str):
    store = open_store(store_dir, read_only=True)
    return list(store.query(query, use_default_graph_as_union=True))


@pytest.fixture(scope="module")
def bundled_store(tmp_path_factory):
    store = tmp_path_factory.mktemp("bundled") / "s"
    report = build([BUNDLED], store)
    assert report.failed == [], report.failed
    assert report.read == 4 + 24  # the four seeds and 24 resolutions (six files each)
    assert report.seconds < 60
    return store


def test_the_bundled_corpus_validates(bundled_store):
    result = CliRunner().invoke(main, ["validate", "--store", str(bundled_store)])
    assert result.exit_code == 0, result.output
    assert "Conforms: yes" in result.output


def test_graph_shows_the_sponsors_of_the_draft_of_74_176(bundled_store):
    rows = _quads(bundled_store, f"""
        SELECT DISTINCT ?sponsor WHERE {{
          <{ID}act/ga/resolution/74-176> <{UKG}adoptedFrom> ?draft .
          ?draft <{UKG}adoptedAs> <{ID}act/ga/resolution/74-176> ;
                 <{UKG}sponsor> ?sponsor .
          FILTER NOT EXISTS {{ ?draft <{UKG}additionalSponsor> ?sponsor }}
        }}""")
    sponsors = sorted(r["sponsor"].value.rsplit("/", 1)[1] for r in rows)
    assert sponsors == sorted(["AZE", "BGD", "BLR", "CHN", "CIV", "DOM", "ECU", "KAZ", "KGZ", "PAK", "RUS", "TJK",
                               "VEN", "ZMB", "ZWE"])
    draft = _quads(bundled_store, f"SELECT ?d WHERE {{ <{ID}act/ga/resolution/74-176> <{UKG}adoptedFrom> ?d }}")
    assert draft[0]["d"].value == ID + "draft/A/C.3/74/L.10/REV.1"


def test_one_named_graph_per_resolution_with_six_languages(bundled_store):
    doc = ID + "doc/A/RES/74/247"
    rows = _quads(bundled_store, f"""
        SELECT ?lang ?title WHERE {{ GRAPH <{doc}> {{ <{doc}> <{UKG}hasExpression> ?e .
          ?e <http://purl.org/dc/terms/language> ?lang ; <http://purl.org/dc/terms/title> ?title ;
             <{UKG}aknUri> ?uri }} }}""")
    assert sorted(r["lang"].value for r in rows) == sorted(LANGS)
    texts = _quads(bundled_store, f"""
        SELECT ?t ?eid WHERE {{ GRAPH <{doc}> {{ <{doc}#p2> <{UKG}text> ?t ; <{UKG}eId> ?eid }} }}""")
    assert sorted(ox.Literal(r["t"].value, language=r["t"].language).language for r in texts) == sorted(LANGS)
    assert {r["eid"].value for r in texts} == {"para_20"}
    subjects = _quads(bundled_store, f"SELECT ?s WHERE {{ GRAPH <{doc}> {{ <{doc}> <http://purl.org/dc/terms/subject> ?s }} }}")
    assert ox.NamedNode("http://metadata.un.org/sdg/16") in {r["s"] for r in subjects}


def test_74_247_establishes_the_ad_hoc_committee(bundled_store):
    rows = _quads(bundled_store, f"""
        SELECT ?e WHERE {{ ?e <{UKG}mandate> <{ID}mandate/ahc-cybercrime> ;
                           <{UKG}eventType> <{UKG}Establishment> ; <{UKG}act> <{ID}act/ga/resolution/74-247> ;
                           <http://www.w3.org/ns/prov#wasDerivedFrom> ?p . FILTER(STRENDS(STR(?p), "#p2")) }}""")
    assert rows  # its evidence: paragraph 2 of A/RES/74/247


def test_a_zip_as_the_repository_ships_it(tmp_path):
    archive = tmp_path / "ga-74-english.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as z:
        for n in (176, 247):
            z.write(BUNDLED / f"ga-74-{n}.en.xml", f"English/74_{n}.xml")
    report = build([archive], tmp_path / "s")
    assert report.failed == [] and report.read == 2
    again = build([archive], tmp_path / "s")
    assert again.skipped == 2 and again.read == 0


# -- hostile input: refused, named, nothing written ------------------------------------------------

HOSTILE = {
    "doctype": b'<?xml version="1.0"?><!DOCTYPE akomaNtoso SYSTEM "akn.dtd"><akomaNtoso/>',
    "billion-laughs": b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;">'
                      b']><akomaNtoso>&lol2;</akomaNtoso>',
    "external-entity": b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
                       b'<akomaNtoso>&xxe;</akomaNtoso>',
}


def _documents(store_dir: Path) -> int:
    if not store_dir.exists():  # a build where nothing could be built leaves no store behind
        return 0
    return len(_quads(store_dir, f"SELECT DISTINCT ?d WHERE {{ ?d a <{UKG}Document> ; <{UKG}sourceFile> ?f }}"))


@pytest.mark.parametrize("kind", sorted(HOSTILE))
def test_hostile_xml_file_is_refused(tmp_path, kind):
    evil = tmp_path / "evil.xml"
    evil.write_bytes(HOSTILE[kind])
    report = build([evil], tmp_path / "s")
    assert [f.path for f in report.failed] == [str(evil)] and "refused" in report.failed[0].reason
    assert report.read == 0 and _documents(tmp_path / "s") == 0


@pytest.mark.parametrize("kind", sorted(HOSTILE))
def test_a_zip_with_hostile_markup_is_refused_whole(tmp_path, kind):
    archive = tmp_path / "mixed.zip"
    with zipfile.ZipFile(archive, "w") as z:
        z.write(BUNDLED / "ga-74-176.en.xml", "English/74_176.xml")
        z.writestr("English/74_999.xml", HOSTILE[kind])
    report = build([archive], tmp_path / "s")
    assert len(report.failed) == 1 and "74_999.xml" in report.failed[0].reason
    assert report.failed[0].path == str(archive)
    assert report.read == 0 and _documents(tmp_path / "s") == 0


def _zip_with(tmp_path: Path, entries: dict[str, bytes]) -> Path:
    archive = tmp_path / "x.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as z:
        z.write(BUNDLED / "ga-74-176.en.xml", "English/74_176.xml")
        for name, data in entries.items():
            z.writestr(name, data)
    return archive


def test_a_climbing_name_refuses_the_zip(tmp_path):
    archive = _zip_with(tmp_path, {"../../74_1.xml": b"<a/>"})
    report = build([archive], tmp_path / "s")
    assert "refused entry '../../74_1.xml'" in report.failed[0].reason and report.read == 0
    assert _documents(tmp_path / "s") == 0


def test_a_zip_bomb_is_refused(tmp_path):
    archive = _zip_with(tmp_path, {"English/74_2.xml": b"<a>" + b" " * (20 * 1024 * 1024) + b"</a>"})
    report = build([archive], tmp_path / "s")
    assert "74_2.xml" in report.failed[0].reason and report.read == 0
    assert _documents(tmp_path / "s") == 0


def test_a_1_gb_entry_is_refused_before_it_is_inflated(tmp_path):
    archive = _zip_with(tmp_path, {"English/74_3.xml": b"<akomaNtoso/>"})
    data = bytearray(archive.read_bytes())
    # forge the central directory: the last entry declares 1 GiB uncompressed
    at = data.rfind(b"PK\x01\x02")
    struct.pack_into("<I", data, at + 24, 1024 ** 3)
    archive.write_bytes(bytes(data))
    report = build([archive], tmp_path / "s")
    assert "74_3.xml" in report.failed[0].reason and "1073741824 bytes" in report.failed[0].reason
    assert report.read == 0 and _documents(tmp_path / "s") == 0
