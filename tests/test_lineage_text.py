"""The lineage as text names bodies, sessions, documents and paragraphs, not IRIs or file names."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from conftest import BUNDLED, CORPUS
from kg.cli import main
from kg.naming import Names, date_range, document_phrase, long_date, meeting_phrase


@pytest.mark.parametrize("start, end, expected", [
    ("2008-10-08", "2008-10-17", "8-17 October 2008"),
    ("2010-09-30", "2010-10-02", "30 September-2 October 2010"),
    ("2009-12-28", "2010-01-05", "28 December 2009-5 January 2010"),
    ("2013-11-26", None, "26 November 2013"),
    ("2013-11-26", "2013-11-26", "26 November 2013"),
])
def test_dates_as_the_un_writes_them(start, end, expected):
    assert date_range(start, end) == expected


def test_a_session_of_the_adopting_body_is_its_own_session():
    cop = "Conference of the Parties to the United Nations Convention against Transnational Organized Crime"
    meeting = Names("m", "Fourth session of the Conference of the Parties", venue="Vienna", start="2008-10-08",
                    end="2008-10-17", session=4, body=cop)
    assert meeting_phrase(meeting, cop) == "its fourth session, Vienna, 8-17 October 2008"
    assert meeting_phrase(meeting, "General Assembly") == \
        "Fourth session of the Conference of the Parties, Vienna, 8-17 October 2008"


def test_a_document_by_symbol_else_by_kind_and_body_else_by_title():
    assert document_phrase(Names("d", symbol="A/RES/74/247", issued="2020-01-20"), "x") == "A/RES/74/247, 20 January 2020"
    report = Names("d", "Report on the meeting", issued="2013-11-26", document_kind="report",
                   meeting_body="Working Group on Trafficking in Persons")
    assert document_phrase(report, "x") == "the report of the Working Group on Trafficking in Persons, 26 November 2013"
    assert document_phrase(Names("d", "A title"), "x") == "“A title”"
    assert document_phrase(Names("d"), "id:doc/sha256-1") == "id:doc/sha256-1"
    assert long_date("not a date") == "not a date"


@pytest.fixture(scope="module")
def mixed_store(tmp_path_factory):
    """The seeds and two resolutions of session 74 in the UN's markup (six languages each)."""
    import shutil

    from kg.build import build

    folder = tmp_path_factory.mktemp("mixed") / "corpus"
    shutil.copytree(CORPUS, folder)
    for file in sorted(BUNDLED.glob("ga-74-247.*.xml")) + sorted(BUNDLED.glob("ga-74-170.*.xml")):
        shutil.copy(file, folder / file.name)
    store = folder.parent / "store"
    assert build([folder], store).failed == []
    return store


def lineage_text(store, *args) -> str:
    result = CliRunner().invoke(main, ["lineage", *args, "--store", str(store)])
    assert result.exit_code == 0, result.output
    return result.output


def test_the_seed_lineage_reads_as_a_citation(built_store):
    out = lineage_text(built_store, "wg-tip")
    assert "at its fourth session, Vienna, 8-17 October 2008" in out
    assert "para. 2 of the report of the Working Group on Trafficking in Persons, 26 November 2013" in out
    assert ".txt" not in out and "id:doc/sha256" not in out and "adopted by id:" not in out


def test_max_evidence_caps_the_paragraphs_per_step(built_store):
    # decision 4/4 is told by two documents: the 2011 paper and the 2013 report
    full = lineage_text(built_store, "wg-tip", "--max-evidence", "0")
    capped = lineage_text(built_store, "wg-tip", "--max-evidence", "1")
    assert len(capped.splitlines()) < len(full.splitlines())
    assert "… and 1 more paragraph (" in capped and "more paragraph" not in full


def test_all_adds_requests_fulfilments_and_proposals(built_store):
    lineage_only = lineage_text(built_store, "wg-tip")
    everything = lineage_text(built_store, "wg-tip", "--all")
    assert "Proposal" not in lineage_only and "Request" not in lineage_only
    assert "Proposal" in everything and "proposed in “Draft decision: Trafficking in persons”" in everything
    secretariat = lineage_text(built_store, "cop-secretariat", "--all")
    assert "Fulfilment" in secretariat and "Request" in secretariat


def test_lang_shows_titles_in_another_language(mixed_store):
    out = lineage_text(mixed_store, "ahc-cybercrime", "--lang", "fr")
    assert "Lutte contre l’utilisation des technologies" in out or "Lutte contre l'utilisation" in out
