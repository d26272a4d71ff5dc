"""The store: where it lives, who may write it, and that a graph is replaced whole."""

from __future__ import annotations

import subprocess
import sys

import pyoxigraph as ox
import pytest
from rdflib import BNode, Literal, URIRef
from rdflib import namespace

from conftest import ROOT, subprocess_env
from kg import store as st


def _record(graph: str, source: str = "/x/a.txt", n: int = 1) -> st.GraphRecord:
    return st.GraphRecord(graph, source, "a.txt", "abc", "v1", n)


def test_store_location_is_option_then_environment_then_working_directory(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv(st.STORE_ENV, raising=False)
    assert st.store_path() == tmp_path / "untoc-kg-store"
    monkeypatch.setenv(st.STORE_ENV, str(tmp_path / "from-env"))
    assert st.store_path() == tmp_path / "from-env"
    assert st.store_path(tmp_path / "given") == tmp_path / "given"


def test_reading_a_missing_store_says_to_build_first(tmp_path):
    with pytest.raises(st.StoreError, match="untoc-kg build"):
        st.open_store(tmp_path / "nothing-here")


def test_a_folder_that_is_not_a_store_is_not_written_into(tmp_path):
    (tmp_path / "notes.txt").write_text("mine")
    with pytest.raises(st.StoreError, match="not an untoc-kg store"):
        st.open_store(tmp_path, read_only=False)
    assert [p.name for p in tmp_path.iterdir()] == ["notes.txt"]


def test_a_second_writer_gets_a_clear_error(tmp_path):
    path = tmp_path / "store"
    writer = st.open_store(path, read_only=False)
    code = ("import sys; from kg.store import open_store, StoreError\n"
            "try:\n    open_store(sys.argv[1], read_only=False)\n"
            "except StoreError as e:\n    print(e); sys.exit(3)\n")
    done = subprocess.run([sys.executable, "-c", code, str(path)], capture_output=True, text=True,
                          cwd=ROOT, env=subprocess_env())
    assert done.returncode == 3, done.stderr
    assert "in use by another process" in done.stdout
    del writer


def test_readers_open_while_nobody_writes(tmp_path):
    path = tmp_path / "store"
    writer = st.open_store(path, read_only=False)
    st.replace_graph(writer, "http://example.org/g", ['<http://example.org/s> <http://example.org/p> "o" .'],
                     _record("http://example.org/g"))
    writer.flush()
    del writer
    reader = st.open_store(path)
    assert len(list(reader.quads_for_pattern(None, None, None, ox.NamedNode("http://example.org/g")))) == 1


def test_terms_convert_to_valid_sparql_even_when_literals_look_like_sparql(tmp_path):
    nasty = 'x" } } ; DROP ALL ; INSERT DATA { GRAPH <http://evil> { <a> <b> "c" } } #\n\\ \t\r é 𝄞'
    s, p = URIRef("http://example.org/s"), URIRef("http://example.org/p")
    triples = [(s, p, Literal(nasty)), (s, p, Literal("Wien", lang="de")),
               (s, p, Literal("2010-10-18", datatype=namespace.XSD.date)), (s, p, Literal("plain", datatype=namespace.XSD.string))]
    lines = st.to_ntriples_lines(triples)
    store = ox.Store()
    st.replace_graph(store, "http://example.org/g", lines, _record("http://example.org/g", n=len(lines)))
    objects = {q.object for q in store.quads_for_pattern(None, None, None, ox.NamedNode("http://example.org/g"))}
    assert ox.Literal(nasty) in objects
    assert ox.Literal("Wien", language="de") in objects
    assert ox.Literal("2010-10-18", datatype=ox.NamedNode(str(namespace.XSD.date))) in objects
    assert ox.Literal("plain") in objects
    assert not store.contains_named_graph(ox.NamedNode("http://evil"))


def test_blank_nodes_are_refused():
    with pytest.raises(ValueError, match="blank node"):
        st.to_ntriples_lines([(BNode(), URIRef("http://example.org/p"), Literal("x"))])


def test_replacing_a_graph_leaves_nothing_of_the_old_version():
    store = ox.Store()
    g = "http://example.org/g"
    old = [f"<http://example.org/s> <http://example.org/p> \"{i}\" ." for i in range(5)]
    st.replace_graph(store, g, old, _record(g, n=5))
    st.replace_graph(store, g, ['<http://example.org/s> <http://example.org/p> "new" .'], _record(g, n=1))
    values = {q.object.value for q in store.quads_for_pattern(None, None, None, ox.NamedNode(g))}
    assert values == {"new"}
    assert st.build_records(store)[g].triples == 1


def test_a_replacement_under_a_new_name_drops_the_old_name_in_the_same_update():
    store = ox.Store()
    st.replace_graph(store, "http://example.org/old", ['<http://e/s> <http://e/p> "1" .'],
                     _record("http://example.org/old"))
    st.replace_graph(store, "http://example.org/new", ['<http://e/s> <http://e/p> "2" .'],
                     _record("http://example.org/new"), drop=["http://example.org/old"])
    assert not store.contains_named_graph(ox.NamedNode("http://example.org/old"))
    assert set(st.build_records(store)) == {"http://example.org/new"}


def test_queries_never_see_the_build_bookkeeping():
    store = ox.Store()
    g = "http://example.org/g"
    st.replace_graph(store, g, ['<http://e/s> <http://e/p> "1" .'], _record(g, source="/home/someone/secret.txt"))
    rows = list(st.query(store, "SELECT ?g ?o WHERE { { GRAPH ?g { ?s ?p ?o } } UNION { ?s ?p ?o } }"))
    assert [r["o"].value for r in rows] == ["1", "1"]
    assert all("secret" not in str(r["o"]) for r in rows)
    assert st.data_graphs(store) == [ox.NamedNode(g)]


def test_removing_graphs_removes_their_records():
    store = ox.Store()
    for g in ("http://e/a", "http://e/b"):
        st.replace_graph(store, g, ['<http://e/s> <http://e/p> "1" .'], _record(g, source=g))
    st.remove_graphs(store, ["http://e/a"])
    assert st.data_graphs(store) == [ox.NamedNode("http://e/b")]
    assert set(st.build_records(store)) == {"http://e/b"}


def union_is_the_merge(store: ox.Store) -> bool:
    merged = {q.triple for g in st.data_graphs(store) for q in store.quads_for_pattern(None, None, None, g)}
    union = {q.triple for q in store.quads_for_pattern(None, None, None, st.UNION)}
    return merged == union


def test_the_union_graph_stays_the_merge_of_the_data_graphs():
    import random

    rng = random.Random(5)
    pool = [f'<http://e/s{i % 3}> <http://e/p> "{i}" .' for i in range(8)]
    pool += ["_:b1 <http://e/p> _:b2 .", "_:b2 <http://e/q> \"list\" ."]  # as the ontology's OWL lists
    store = ox.Store()
    graphs = [f"http://e/g{i}" for i in range(4)]
    for step in range(40):
        g = rng.choice(graphs)
        if step % 7 == 6:
            st.remove_graphs(store, [g])
        else:
            lines = rng.sample(pool, rng.randint(0, len(pool)))
            drop = [rng.choice(graphs)] if step % 5 == 4 else []
            st.replace_graph(store, g, lines, _record(g, source=g, n=len(lines)), drop=drop)
        assert union_is_the_merge(store), step


def test_a_triple_stated_by_many_documents_is_counted_once():
    store = ox.Store()
    shared = ['<http://e/act> <http://e/number> "4/4" .', '<http://e/m> <http://e/holder> <http://e/wg> .']
    for i in range(30):
        g = f"http://e/doc{i}"
        st.replace_graph(store, g, shared + [f'<http://e/doc{i}> <http://e/cites> <http://e/act> .'],
                         _record(g, source=g, n=3))
    rows = list(st.query(store, "SELECT (COUNT(*) AS ?n) WHERE { ?m <http://e/holder> ?b . ?a <http://e/number> ?x }"))
    assert rows[0]["n"].value == "1"
    per_graph = list(st.query(store, "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?a <http://e/number> ?x } }"))
    assert per_graph[0]["n"].value == "30"


def test_the_union_is_the_default_graph_and_no_named_graph():
    """The union is held in the store's default graph: `GRAPH ?g` ranges over the data graphs
    alone, and no named graph of the store is called `id:graph/union`."""
    store = ox.Store()
    for g in ("http://e/a", "http://e/b"):
        st.replace_graph(store, g, ['<http://e/s> <http://e/p> "1" .', f'<http://e/s> <http://e/in> <{g}> .'],
                         _record(g, source=g, n=2))
    assert not store.contains_named_graph(st.UNION_GRAPH)
    assert st.union_size(store) == 3
    graphs = {r["g"].value for r in st.query(store, "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }")}
    assert graphs == {"http://e/a", "http://e/b"}
    assert st.stored(st.UNION_GRAPH) == ox.DefaultGraph() and st.stored("http://e/a") == ox.NamedNode("http://e/a")


def _old_layout_store(path):
    """A store as builds wrote it before the union moved: the union in the named graph `id:graph/union`."""
    old = ox.Store(str(path))
    lines = {"http://e/a": ['<http://e/s> <http://e/p> "1" .', '<http://e/s> <http://e/p> "2" .'],
             "http://e/b": ['<http://e/s> <http://e/p> "1" .']}
    for g, body in lines.items():
        record = "\n".join(st._record_lines(_record(g, source=g, n=len(body))))
        old.update(f"INSERT DATA {{ GRAPH <{g}> {{ {' '.join(body)} }} GRAPH {st.UNION_GRAPH} {{ {' '.join(body)} }} "
                   f"GRAPH {st.BUILD_GRAPH} {{ {record} }} }}")
    old.flush()
    del old


def test_a_store_of_the_old_layout_is_refused_read_only_and_upgraded_by_a_writer(tmp_path):
    path = tmp_path / "store"
    _old_layout_store(path)
    with pytest.raises(st.StoreError, match="older untoc-kg.*untoc-kg build"):
        st.open_store(path)
    writer = st.open_store(path, read_only=False)  # what a build does: the union moves, in one update
    assert not writer.contains_named_graph(st.UNION_GRAPH)
    assert st.data_graphs(writer) == [ox.NamedNode("http://e/a"), ox.NamedNode("http://e/b")]
    assert set(st.build_records(writer)) == {"http://e/a", "http://e/b"}
    assert union_is_the_merge(writer) and st.union_size(writer) == 2
    st.replace_graph(writer, "http://e/a", ['<http://e/s> <http://e/p> "3" .'], _record("http://e/a", source="http://e/a"))
    assert union_is_the_merge(writer)
    assert not st.upgrade(writer)  # nothing left to do
    writer.flush()
    del writer
    reader = st.open_store(path)
    rows = list(st.query(reader, "SELECT ?o WHERE { <http://e/s> <http://e/p> ?o } ORDER BY ?o"))
    assert [r["o"].value for r in rows] == ["1", "3"]
