"""A build killed at any moment leaves every document graph wholly old or wholly new.

`untoc-kg build --rebuild` runs in a subprocess over a corpus whose files flip between two
versions; it is SIGKILLed at random moments, mostly while it is replacing documents. After each
kill the store must open, and each document's graph must be exactly one of the two versions built
cleanly beforehand (a document without a symbol changes IRI with its text: then exactly one of its
two graphs is there), each graph must have its build record, and the union graph must be the merge
of the data graphs.
"""

from __future__ import annotations

import hashlib
import random
import shutil
import signal
import subprocess
import time
from pathlib import Path

import pyoxigraph as ox
import pytest

from conftest import CORPUS, cli_command, subprocess_env
from kg import ids
from kg.store import UNION, build_records, data_graphs, open_store

KILLS = 50
COPIES = 2  # of each seed document: 8 documents, so a build spends most of its time replacing
EDIT = b"\n\nThis sentence was added to make the second version of the document.\n"


def make_corpus(folder: Path) -> dict[str, tuple[bytes, bytes]]:
    """The working corpus, and each file's two versions. Copies get symbols (stable IRIs); the
    originals have none (their IRI follows their text)."""
    folder.mkdir()
    rows = ["path\tsymbol\ttitle\tsource\tlanguage"]
    versions = {}
    for k in range(COPIES):
        for seed in sorted(CORPUS.glob("*.txt")):
            name = f"{k}_{seed.name}"
            old = seed.read_bytes()
            versions[name] = (old, old + EDIT)
            rows.append(f"{name}\t{f'TEST/CRASH/{k}/{seed.name[:3]}' if k else ''}\t\t\ten")
    (folder / "manifest.tsv").write_text("\n".join(rows) + "\n")
    return versions


def write_version(folder: Path, versions: dict[str, tuple[bytes, bytes]], which: int) -> None:
    for name, texts in versions.items():
        (folder / name).write_bytes(texts[which])


def snapshot(store_dir: Path) -> dict[str, tuple[str, str]]:
    """source file -> (graph, hash of its sorted quads), read the way the next build would open it."""
    store = open_store(store_dir, read_only=False)
    try:
        records = build_records(store)
        graphs = {g.value for g in data_graphs(store)}
        assert set(records) == graphs, "a graph without its record, or a record without its graph"
        merged = {q.triple for g in data_graphs(store) for q in store.quads_for_pattern(None, None, None, g)}
        assert merged == {q.triple for q in store.quads_for_pattern(None, None, None, UNION)}, \
            "the union graph is not the merge of the data graphs"
        out = {}
        for graph, record in records.items():
            if not graph.startswith(ids.ID_BASE + "doc/"):
                continue
            quads = sorted(str(q) for q in store.quads_for_pattern(None, None, None, ox.NamedNode(graph)))
            assert len(quads) == record.triples, f"{graph}: {len(quads)} quads, its record says {record.triples}"
            assert record.source_name not in out, f"{record.source_name} has two graphs"
            out[record.source_name] = (graph, hashlib.sha256("\n".join(quads).encode()).hexdigest())
        return out
    finally:
        del store


def run_build(corpus: Path, store: Path, *extra: str) -> subprocess.Popen:
    return subprocess.Popen([*cli_command(), "build", str(corpus), "--store", str(store), *extra],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=subprocess_env())


def timed_build(corpus: Path, store: Path, *extra: str) -> float:
    started = time.perf_counter()
    proc = run_build(corpus, store, *extra)
    _, err = proc.communicate(timeout=120)
    assert proc.returncode == 0, err.decode()
    return time.perf_counter() - started


@pytest.mark.slow
def test_a_killed_build_leaves_each_document_old_or_new(tmp_path):
    corpus = tmp_path / "corpus"
    versions = make_corpus(corpus)

    expected = []
    for which in (0, 1):
        write_version(corpus, versions, which)
        clean = tmp_path / f"clean-{which}"
        timed_build(corpus, clean)
        expected.append(snapshot(clean))
        shutil.rmtree(clean)
    assert all(expected[0][n] != expected[1][n] for n in versions)

    store = tmp_path / "store"
    write_version(corpus, versions, 0)
    full = timed_build(corpus, store, "--rebuild")
    idle = timed_build(corpus, store)  # start-up and hashing only: nothing written
    rng = random.Random(20261123)
    started = time.perf_counter()
    outcomes = {"killed mid-build": 0, "killed before writing": 0, "finished": 0}
    which = 0
    for _ in range(KILLS):
        which = 1 - which
        write_version(corpus, versions, which)
        proc = run_build(corpus, store, "--rebuild")
        time.sleep(rng.uniform(idle * 0.8, full * 0.95))
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=60)
        state = snapshot(store)
        assert set(state) == set(versions)
        current = []
        for name, got in state.items():
            assert got in (expected[0][name], expected[1][name]), f"{name}: neither version"
            current.append(0 if got == expected[0][name] else 1)
        if proc.returncode != -signal.SIGKILL:
            outcomes["finished"] += 1
        elif len(set(current)) > 1:
            outcomes["killed mid-build"] += 1
        else:
            outcomes["killed before writing"] += 1
    elapsed = time.perf_counter() - started
    print(f"\n{KILLS} rounds in {elapsed:.1f} s (a full build: {full:.2f} s): {outcomes}")

    assert outcomes["killed mid-build"] >= 1, outcomes
    timed_build(corpus, store)  # whatever the last kill left, the next build completes it
    final = snapshot(store)
    assert final == {name: expected[which][name] for name in versions}
