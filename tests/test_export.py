"""Exports: the same corpus gives the same bytes; the canonical hash ignores build order."""

from __future__ import annotations

import subprocess

import pyoxigraph as ox
import pytest

from conftest import CORPUS, cli_command, subprocess_env
from kg.build import build
from kg.export import FORMATS, canonical_hash, export, export_bytes


@pytest.fixture(scope="module")
def two_builds(tmp_path_factory, pipeline):
    """The corpus built twice, into two stores in different folders."""
    stores = []
    for name in ("one", "two"):
        store = tmp_path_factory.mktemp(name) / "store"
        build([CORPUS], store, **pipeline)
        stores.append(store)
    return stores


@pytest.mark.parametrize("fmt", ["nq", "ttl", "trig", "nt", "jsonld"])
def test_two_builds_give_the_same_bytes(two_builds, fmt):
    one, two = two_builds
    assert export_bytes(one, fmt) == export_bytes(two, fmt)


def test_nquads_are_sorted_lines_without_the_build_bookkeeping(built_store):
    data = export_bytes(built_store, "nq").decode()
    lines = data.splitlines()
    assert lines == sorted(lines) and len(lines) == len(set(lines))
    assert "graph/build" not in data and "untoc-kg/build#" not in data
    assert str(built_store) not in data and str(CORPUS) not in data


def test_every_format_holds_the_same_graph(built_store):
    quads = set(ox.parse(export_bytes(built_store, "nq"), format=ox.RdfFormat.N_QUADS))
    triples = {q.triple for q in quads}
    for fmt in ("trig", "jsonld"):
        again = set(ox.parse(export_bytes(built_store, fmt), format=FORMATS[fmt]))
        assert len(again) == len(quads), fmt
    for fmt in ("nt", "ttl"):
        again = set(ox.parse(export_bytes(built_store, fmt), format=FORMATS[fmt]))
        assert len(again) == len(triples), fmt
    assert all(not isinstance(q.subject, ox.BlankNode) for q in quads
               if "graph/ontology" not in q.graph_name.value)


def test_export_writes_a_file_and_no_partial_file(built_store, tmp_path):
    target = tmp_path / "out.ttl"
    export(built_store, "ttl", target)
    assert target.read_bytes() == export_bytes(built_store, "ttl")
    assert [p.name for p in tmp_path.iterdir()] == ["out.ttl"]


def test_an_unknown_format_is_refused(built_store):
    with pytest.raises(ValueError, match="unknown export format"):
        export_bytes(built_store, "rdfxml")


def test_the_canonical_hash_ignores_build_order_and_hash_seed(tmp_path, built_store):
    files = sorted(str(p) for p in CORPUS.glob("*.txt"))
    store = tmp_path / "reversed"
    done = subprocess.run([*cli_command(), "build", *reversed(files), "--store", str(store)],
                          capture_output=True, text=True, cwd=tmp_path,
                          env=subprocess_env(PYTHONHASHSEED="12345"))
    assert done.returncode == 0, done.stderr
    assert canonical_hash(store) == canonical_hash(built_store)
    assert export_bytes(store, "nq") == export_bytes(built_store, "nq")


def test_the_canonical_hash_changes_with_the_graph(tmp_path, pipeline, built_store):
    partial = tmp_path / "three"
    build(sorted(CORPUS.glob("*.txt"))[:3], partial, **pipeline)
    assert canonical_hash(partial) != canonical_hash(built_store)
    assert len(canonical_hash(partial)) == 64
