"""The build: incremental by content, bad input reported and contained, a store that keeps its data."""

from __future__ import annotations

import shutil
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import BNode, Literal, URIRef

from conftest import CORPUS, FAKE, REAL
from kg import ids
from kg.build import build, collect
from kg.export import export_bytes, stable_quads
from kg.store import build_records, open_store
from loaders.manifest_entry import ManifestEntry


def graph_lines(store_dir) -> dict[str, list[str]]:
    """Each data graph's N-Quads lines (blank nodes relabelled canonically): what "this graph did
    not change" is checked against."""
    graphs: dict[str, list[str]] = {}
    for q in stable_quads(open_store(store_dir)):
        graphs.setdefault(q.graph_name.value, []).append(str(q))
    return {g: sorted(lines) for g, lines in graphs.items()}


def doc_graphs(store_dir) -> set[str]:
    return {g for g in graph_lines(store_dir) if g.startswith(ids.ID_BASE + "doc/")}


def bad_files(folder: Path) -> dict[str, Path]:
    folder.mkdir(parents=True, exist_ok=True)
    files = {"empty": folder / "empty.txt", "binary": folder / "binary.txt", "encoding": folder / "koi8.txt"}
    files["empty"].write_bytes(b"")
    files["binary"].write_bytes(bytes(range(256)) * 8)
    # KOI8-R: an encoding the loaders do not read (they take UTF-8, UTF-16/32 and the UN's code pages)
    files["encoding"].write_bytes("Конференция участников Конвенции, решение 4/4. ".encode("koi8_r") * 40)
    return files


def test_the_corpus_builds(tmp_path, pipeline):
    report = build([CORPUS], tmp_path / "s", **pipeline)
    assert (report.read, report.skipped, report.failed) == (4, 0, [])
    assert report.documents == 4
    assert report.triples == report.store_triples > 0
    assert len(doc_graphs(tmp_path / "s")) == 4


def test_a_second_build_reads_nothing(tmp_path, pipeline):
    build([CORPUS], tmp_path / "s", **pipeline)
    read = []

    def counting_loader(*args, **kwargs):
        read.append(args[0])
        return pipeline["loader"](*args, **kwargs)

    report = build([CORPUS], tmp_path / "s", **{**pipeline, "loader": counting_loader})
    assert (report.read, report.skipped, report.triples, report.failed) == (0, 4, 0, [])
    assert read == []


def test_touching_one_document_replaces_only_its_graph(corpus_copy, tmp_path, pipeline):
    store = tmp_path / "s"
    build([corpus_copy], store, **pipeline)
    before = graph_lines(store)
    target = corpus_copy / "002_cd3cac997e6a5d31.txt"
    target.write_bytes(target.read_bytes() + b"\n\nA paragraph added at the end.\n")
    report = build([corpus_copy], store, **pipeline)
    assert (report.read, report.replaced, report.skipped) == (1, 1, 3)
    after = graph_lines(store)
    changed = {g for g in before.keys() | after.keys() if before.get(g) != after.get(g)}
    # the document's IRI may follow its text (no symbol): then the old graph went and a new came
    assert 1 <= len(changed) <= 2
    assert len(doc_graphs(store)) == 4
    assert all("002_cd3cac997e6a5d31.txt" in "".join(after.get(g, before.get(g))) for g in changed)


def test_a_new_modification_time_alone_reads_nothing(corpus_copy, tmp_path, pipeline):
    build([corpus_copy], tmp_path / "s", **pipeline)
    for f in corpus_copy.glob("*.txt"):
        f.touch()
    assert build([corpus_copy], tmp_path / "s", **pipeline).skipped == 4


def test_rebuild_reads_everything_again(tmp_path, pipeline):
    build([CORPUS], tmp_path / "s", **pipeline)
    before = graph_lines(tmp_path / "s")
    report = build([CORPUS], tmp_path / "s", rebuild=True, **pipeline)
    assert (report.read, report.replaced, report.skipped) == (4, 4, 0)
    assert graph_lines(tmp_path / "s") == before


def test_bad_input_is_reported_by_file_and_the_rest_still_loads(tmp_path, pipeline):
    bad = bad_files(tmp_path / "bad")
    missing = tmp_path / "no-such-file.txt"
    report = build([CORPUS, missing, *bad.values()], tmp_path / "s", **pipeline)
    assert report.read == 4
    by_path = {f.path: f for f in report.failed}
    assert set(by_path) == {str(missing), *(str(p) for p in bad.values())}
    assert by_path[str(missing)].reason == "no such file or directory"
    assert all(f.reason and "\n" not in str(f) for f in report.failed)


def test_bad_input_leaves_the_store_as_it_was(tmp_path, pipeline):
    store = tmp_path / "s"
    build([CORPUS], store, **pipeline)
    before = export_bytes(store, "nq")
    bad = bad_files(tmp_path / "bad")
    report = build([tmp_path / "bad", tmp_path / "missing"], store, **pipeline)
    assert report.nothing_built and len(report.failed) == 4
    assert export_bytes(store, "nq") == before


def test_a_document_that_turns_bad_keeps_its_last_good_graph(corpus_copy, tmp_path, pipeline):
    store = tmp_path / "s"
    build([corpus_copy], store, **pipeline)
    before = export_bytes(store, "nq")
    (corpus_copy / "003_3035fc9fc301a618.txt").write_bytes(b"")
    report = build([corpus_copy], store, **pipeline)
    assert [Path(f.path).name for f in report.failed] == ["003_3035fc9fc301a618.txt"]
    assert report.skipped == 3
    assert export_bytes(store, "nq") == before


def test_a_file_gone_from_its_folder_leaves_the_store(corpus_copy, tmp_path, pipeline):
    store = tmp_path / "s"
    build([corpus_copy], store, **pipeline)
    (corpus_copy / "004_6b7a769a9e24bcf2.txt").unlink()
    lines = (corpus_copy / "manifest.tsv").read_text().splitlines()
    (corpus_copy / "manifest.tsv").write_text("\n".join(x for x in lines if not x.startswith("004_")) + "\n")
    report = build([corpus_copy], store, **pipeline)
    assert report.removed == ["004_6b7a769a9e24bcf2.txt"]
    assert report.failed == []
    assert len(doc_graphs(store)) == 3


def test_a_missing_store_folder_is_created_but_a_foreign_one_is_refused(tmp_path, pipeline):
    from kg.store import StoreError

    (tmp_path / "foreign").mkdir()
    (tmp_path / "foreign" / "thesis.docx").write_bytes(b"...")
    with pytest.raises(StoreError):
        build([CORPUS], tmp_path / "foreign", **pipeline)
    assert build([CORPUS], tmp_path / "new" / "store", **pipeline).read == 4


# ---------------------------------------------------------------------------------------------
# What the build hands the loader, and what it does with odd output (stand-in pipeline)


def test_folders_give_their_documents_sorted_and_the_manifest_rows(corpus_copy):
    (corpus_copy / "notes.md").write_text("not a document")
    (corpus_copy / "sub").mkdir()
    (corpus_copy / "sub" / "deeper.txt").write_text("not read: folders are not recursive")
    sources, failures, folders = collect([corpus_copy])
    assert failures == []
    assert [s.name for s in sources] == sorted(p.name for p in CORPUS.glob("*.txt"))
    assert all(isinstance(s.entry, ManifestEntry) and s.entry.symbol is None for s in sources)
    assert sources[1].entry.title == "Trafficking in persons"
    assert folders == [corpus_copy.resolve()]


def test_the_manifest_row_reaches_the_loader_and_a_changed_row_refreshes_the_graph(corpus_copy, tmp_path):
    seen = {}

    def loader(path, entry=None, source_name=None):
        seen[source_name] = entry
        return FAKE["loader"](path, entry, source_name)

    store = tmp_path / "s"
    build([corpus_copy], store, **{**FAKE, "loader": loader})
    assert seen["002_cd3cac997e6a5d31.txt"].title == "Trafficking in persons"
    manifest = corpus_copy / "manifest.tsv"
    manifest.write_text(manifest.read_text().replace("002_cd3cac997e6a5d31.txt\t\t", "002_cd3cac997e6a5d31.txt\tTEST/2010/1\t"))
    seen.clear()
    report = build([corpus_copy], store, **{**FAKE, "loader": loader})
    assert list(seen) == ["002_cd3cac997e6a5d31.txt"] and seen["002_cd3cac997e6a5d31.txt"].symbol == "TEST/2010/1"
    assert ids.ID_BASE + "doc/TEST/2010/1" in doc_graphs(store)
    assert (report.read, report.skipped, len(doc_graphs(store))) == (1, 3, 4)


def test_manifest_problems_are_reported_and_do_not_stop_the_build(corpus_copy, tmp_path):
    manifest = corpus_copy / "manifest.tsv"
    manifest.write_text(manifest.read_text() + "999_missing.txt\t\tA ghost\tnowhere\ten\nonly\ttwo\n")
    report = build([corpus_copy], tmp_path / "s", **FAKE)
    assert report.read == 4
    reasons = sorted(f.reason for f in report.failed)
    assert len(reasons) == 2
    assert any("999_missing.txt" in r for r in reasons)
    assert any("expected 5 tab-separated cells" in r for r in reasons)


def test_two_renderings_of_one_document_are_one_document_read_twice_not_a_failure(tmp_path):
    folder = tmp_path / "c"
    folder.mkdir()
    shutil.copy(CORPUS / "002_cd3cac997e6a5d31.txt", folder / "a.txt")
    shutil.copy(CORPUS / "002_cd3cac997e6a5d31.txt", folder / "b.txt")
    report = build([folder], tmp_path / "s", **FAKE)
    assert report.read == 1
    assert report.failed == []
    assert [(Path(d.path).name, d.first) for d in report.duplicates] == [("b.txt", "a.txt")]
    assert "1 read twice" in report.summary()
    again = build([folder], tmp_path / "s", **FAKE)  # unchanged: skipped once, still read twice
    assert (again.skipped, len(again.duplicates), again.failed) == (1, 1, [])


def test_a_mapping_that_makes_blank_nodes_fails_that_document_only(tmp_path):
    def mapper(loaded):
        graph, triples = FAKE["mapper"](loaded)
        if "Trafficking in persons" in loaded.source.text[:600]:
            triples.append((graph, URIRef("http://example.org/p"), BNode()))
        return graph, triples

    report = build([CORPUS], tmp_path / "s", **{**FAKE, "mapper": mapper})
    assert report.read == 3
    assert [(Path(f.path).name, f.stage) for f in report.failed] == [("002_cd3cac997e6a5d31.txt", "map")]
    assert "blank node" in report.failed[0].reason


def test_reference_data_is_written_once_and_replaced_when_it_changes(tmp_path):
    store = tmp_path / "s"
    build([CORPUS], store, **FAKE)
    assert str(ids.REFERENCE_GRAPH) in graph_lines(store)
    assert build([CORPUS], store, **FAKE).triples == 0

    def more():
        return FAKE["reference"]() + [(ids.body("icat"), URIRef("http://www.w3.org/2000/01/rdf-schema#label"),
                                       Literal("ICAT"))]

    report = build([CORPUS], store, **{**FAKE, "reference": more})
    assert report.triples == 2 and report.skipped == 4
    assert len(graph_lines(store)[str(ids.REFERENCE_GRAPH)]) == 2


def test_progress_is_reported_for_every_document(tmp_path):
    calls = []
    build([CORPUS], tmp_path / "s", progress=lambda done, total, name: calls.append((done, total, name)), **FAKE)
    assert [c[:2] for c in calls] == [(1, 4), (2, 4), (3, 4), (4, 4)]
    assert calls[-1][2] == "004_6b7a769a9e24bcf2.txt"


def test_records_name_each_graphs_file_hash_and_build(tmp_path):
    build([CORPUS], tmp_path / "s", **FAKE)
    records = build_records(open_store(tmp_path / "s"))
    docs = [r for g, r in records.items() if g.startswith(ids.ID_BASE + "doc/")]
    assert sorted(r.source_name for r in docs) == sorted(p.name for p in CORPUS.glob("*.txt"))
    assert all(len(r.content_hash) == 64 and r.version and r.triples > 0 for r in docs)
    assert isinstance(open_store(tmp_path / "s"), ox.Store)


def test_many_documents_load_in_worker_processes_and_give_the_same_graph(tmp_path, monkeypatch):
    import importlib

    build_module = importlib.import_module("kg.build")  # `kg.build` itself is the public function

    folder = tmp_path / "many"
    folder.mkdir()
    rows = ["path\tsymbol\ttitle\tsource\tlanguage"]
    for k in range(5):
        for seed in sorted(CORPUS.glob("*.txt")):
            shutil.copy(seed, folder / f"{k}_{seed.name}")
            rows.append(f"{k}_{seed.name}\t{f'TEST/MANY/{k}/{seed.name[:3]}' if k else ''}\t\t\ten")
    (folder / "manifest.tsv").write_text("\n".join(rows) + "\n")
    assert len(rows) - 1 >= build_module.PARALLEL_FROM

    workers = []
    real = build_module._produced

    def spy(todo, loader, mapper, convert, parallel):
        workers.append(parallel)
        return real(todo, loader, mapper, convert, parallel)

    monkeypatch.setattr(build_module, "_produced", spy)
    parallel = build_module.build([folder], tmp_path / "parallel")
    serial = build_module.build([folder], tmp_path / "serial", **REAL)
    assert workers == [True, False]
    assert (parallel.read, parallel.failed) == (20, [])
    assert export_bytes(tmp_path / "parallel", "nq") == export_bytes(tmp_path / "serial", "nq")
