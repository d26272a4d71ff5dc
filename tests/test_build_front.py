"""What a build tells a user: no store for nothing, exact copies refused unread, counts explained."""

from __future__ import annotations

import shutil

from click.testing import CliRunner

from conftest import CORPUS, REAL
from kg.build import build
from kg.cli import main


def test_a_build_where_nothing_could_be_built_makes_no_store(tmp_path):
    (tmp_path / "bad").mkdir()
    (tmp_path / "bad" / "empty.txt").write_bytes(b"")
    for paths in ([tmp_path / "missing"], [tmp_path / "bad"]):
        store = tmp_path / "s"
        report = build(paths, store, **REAL)
        assert report.nothing_built and not store.exists()
        assert "wrote" not in report.summary() and "no store was made" in report.summary()
    result = CliRunner().invoke(main, ["build", str(tmp_path / "bad"), "--store", str(tmp_path / "s")])
    assert result.exit_code == 1 and not (tmp_path / "s").exists()
    assert "wrote" not in result.output


def test_a_failed_build_on_an_existing_store_keeps_it(tmp_path):
    store = tmp_path / "s"
    build([CORPUS], store, **REAL)
    report = build([tmp_path / "missing"], store, **REAL)
    assert report.nothing_built and store.exists() and report.store_exists


def test_an_exact_copy_is_refused_before_it_is_read(tmp_path):
    folder = tmp_path / "c"
    folder.mkdir()
    shutil.copy(CORPUS / "002_cd3cac997e6a5d31.txt", folder / "a.txt")
    shutil.copy(CORPUS / "002_cd3cac997e6a5d31.txt", folder / "b.txt")
    loaded = []

    def loader(path, entry=None, source_name=None):
        loaded.append(path.name)
        return REAL["loader"](path, entry, source_name=source_name)

    report = build([folder], tmp_path / "s", loader=loader, mapper=REAL["mapper"], reference=REAL["reference"])
    assert loaded == ["a.txt"]
    assert report.read == 1 and [(d.first, d.path.endswith("b.txt")) for d in report.duplicates] == [("a.txt", True)]


def test_the_summary_says_its_triples_are_counted_per_named_graph(tmp_path):
    report = build([CORPUS], tmp_path / "s", **REAL)
    assert "triples in its named graphs" in report.summary()


def test_stats_gives_the_merged_count_the_endpoint_and_void_give(built_store):
    from kg.server.linked_data import read_catalog
    from kg.stats import stats
    from kg.store import open_store

    counted = stats(built_store)
    assert counted.merged == read_catalog(open_store(built_store)).total
    assert counted.merged < counted.triples  # facts several documents state are one triple merged
    assert counted.as_dict()["mergedTriples"] == counted.merged
    out = CliRunner().invoke(main, ["stats", "--store", str(built_store)]).output
    assert f"Triples in the merged default graph: {counted.merged}" in out


def test_the_readme_canonical_hash_line_works(built_store):
    import kg

    digest = kg.export.canonical_hash(kg.open_store(built_store))
    assert len(digest) == 64 and digest == kg.export.canonical_hash(built_store)
