"""The bulk path (kg.bulk): many documents written as N-Quads and bulk-loaded give exactly the store
that one update per document gives, replace what changed, and a load stopped half way is completed
by the next build."""

from __future__ import annotations

import importlib
import shutil

import pytest

from conftest import CORPUS, REAL
from kg import bulk
from kg.export import export_bytes
from kg.store import UNION, build_records, data_graphs, open_store

build_module = importlib.import_module("kg.build")  # `kg.build` itself is the public function
EDIT = "\n\nA sentence added to make a second version of the document.\n"


def make_corpus(folder, copies=2):
    """Copies of the seeds; the copies after the first get symbols, the first keep none (their IRI
    follows their text, so an edit changes their graph's name)."""
    folder.mkdir()
    rows = ["path\tsymbol\ttitle\tsource\tlanguage"]
    for k in range(copies):
        for seed in sorted(CORPUS.glob("*.txt")):
            shutil.copy(seed, folder / f"{k}_{seed.name}")
            rows.append(f"{k}_{seed.name}\t{f'TEST/BULK/{k}/{seed.name[:3]}' if k else ''}\t\t\ten")
    (folder / "manifest.tsv").write_text("\n".join(rows) + "\n")
    return sorted(folder.glob("*.txt"))


def check_store(store_dir):
    """Every graph has its record and the count it states; the union graph is the merge."""
    store = open_store(store_dir, read_only=False)
    try:
        records = build_records(store)
        graphs = {g.value for g in data_graphs(store)}
        assert set(records) == graphs
        merged = set()
        for g in data_graphs(store):
            quads = list(store.quads_for_pattern(None, None, None, g))
            assert len(quads) == records[g.value].triples
            merged.update(q.triple for q in quads)
        assert merged == {q.triple for q in store.quads_for_pattern(None, None, None, UNION)}
    finally:
        del store


@pytest.fixture
def bulk_from(monkeypatch):
    """Route builds of 2 documents or more through the bulk path, and count its loads."""
    loads = []
    real = bulk.BulkWriter.finish

    def finish(self, report):
        loads.append(len(self._drop))
        return real(self, report)

    monkeypatch.setattr(build_module, "BULK_FROM", 2)
    monkeypatch.setattr(bulk.BulkWriter, "finish", finish)
    return loads


def test_bulk_build_gives_the_same_store_as_one_update_per_document(tmp_path, bulk_from):
    corpus = tmp_path / "corpus"
    make_corpus(corpus)
    report = build_module.build([corpus], tmp_path / "bulk", **REAL)
    assert bulk_from == [0] and (report.read, report.failed) == (8, [])
    build_module.BULK_FROM = 10**6
    single = build_module.build([corpus], tmp_path / "single", **REAL)
    assert single.read == 8 and bulk_from == [0]
    assert export_bytes(tmp_path / "bulk", "nq") == export_bytes(tmp_path / "single", "nq")
    check_store(tmp_path / "bulk")


def test_bulk_rebuild_replaces_changed_documents_and_drops_their_old_graphs(tmp_path, bulk_from):
    corpus = tmp_path / "corpus"
    files = make_corpus(corpus)
    build_module.build([corpus], tmp_path / "store", **REAL)
    for path in files:
        path.write_text(path.read_text(encoding="utf-8") + EDIT, encoding="utf-8")
    report = build_module.build([corpus], tmp_path / "store", **REAL)
    assert (report.read, report.replaced, report.failed) == (8, 8, [])
    assert bulk_from[-1] >= 8  # the old graphs (and the renamed ones' old names) were dropped first
    fresh = build_module.build([corpus], tmp_path / "fresh", **REAL)
    assert fresh.read == 8
    assert export_bytes(tmp_path / "store", "nq") == export_bytes(tmp_path / "fresh", "nq")
    check_store(tmp_path / "store")
    again = build_module.build([corpus], tmp_path / "store", **REAL)
    assert (again.read, again.skipped) == (0, 8)


def test_a_bulk_load_stopped_half_way_is_completed_by_the_next_build(tmp_path, bulk_from, monkeypatch):
    corpus = tmp_path / "corpus"
    make_corpus(corpus)
    build_module.build([corpus], tmp_path / "clean", **REAL)

    calls = []

    class Killed(BaseException):
        pass

    class Dying:
        """The store as the build opens it, except that the process dies after loading the data."""

        def __init__(self, store):
            self._store = store

        def __getattr__(self, name):
            return getattr(self._store, name)

        def bulk_load(self, *args, **kwargs):
            calls.append(kwargs.get("path"))
            if len(calls) > 1:
                raise Killed
            return self._store.bulk_load(*args, **kwargs)

    real_open = build_module.open_store
    monkeypatch.setattr(build_module, "open_store", lambda *a, **k: Dying(real_open(*a, **k)))
    with pytest.raises(Killed):
        build_module.build([corpus], tmp_path / "store", **REAL)
    monkeypatch.undo()
    monkeypatch.setattr(build_module, "BULK_FROM", 2)
    assert [p.name for p in calls] == ["data.nq", "union.nq"]
    assert not calls[0].parent.exists()  # the files went with the failed build
    report = build_module.build([corpus], tmp_path / "store", **REAL)
    assert (report.read, report.skipped) == (8, 0)  # no record had landed: all read again
    assert export_bytes(tmp_path / "store", "nq") == export_bytes(tmp_path / "clean", "nq")
    check_store(tmp_path / "store")


def test_batches_give_every_worker_several_tasks():
    assert bulk.batch_size(2000, 2) == 32
    assert bulk.batch_size(100, 2) == 12
    assert bulk.batch_size(3, 2) == 1
    assert bulk.wanted(list(range(bulk.BULK_FROM))) and not bulk.wanted(list(range(bulk.BULK_FROM - 1)))


def test_a_rebuild_of_most_documents_makes_the_union_again_instead_of_checking_each_triple(
        tmp_path, bulk_from, monkeypatch):
    corpus = tmp_path / "corpus"
    files = make_corpus(corpus)
    build_module.build([corpus], tmp_path / "store", **REAL)
    for path in files[1:]:  # all but one change
        path.write_text(path.read_text(encoding="utf-8") + EDIT, encoding="utf-8")

    def per_triple(*args):
        raise AssertionError("the per-triple unmerge ran for a rebuild of most documents")

    monkeypatch.setattr(bulk, "remove_graphs", per_triple)
    report = build_module.build([corpus], tmp_path / "store", **REAL)
    assert (report.read, report.skipped, report.failed) == (7, 1, [])
    check_store(tmp_path / "store")  # the union is the merge of what stayed and what came
    monkeypatch.undo()
    monkeypatch.setattr(build_module, "BULK_FROM", 10**6)
    build_module.build([corpus], tmp_path / "fresh", **REAL)
    assert export_bytes(tmp_path / "store", "nq") == export_bytes(tmp_path / "fresh", "nq")
