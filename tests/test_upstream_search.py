"""The search index over an upstream (`serve --upstream`) is complete: built from the upstream's data
graphs read page by page, it holds the very rows of the index built over the embedded store, on
Oxigraph's server and on Virtuoso, with pages far smaller than what each predicate holds (and, on
Virtuoso, answers cut shorter than the pages asked for by its ResultSetMaxRows)."""

from __future__ import annotations

import pyoxigraph as ox
import pytest

from kg.push import push
from kg.search import TEXT, build_index
from kg.store import data_graphs, open_store
from kg.upstream_front import UpstreamStore, read_upstream_catalog
from server_fixtures import running

pytestmark = pytest.mark.slow

PAGE = 40  # quads per request: the four documents the tests build hold several times this many paragraph texts
QUERIES = ["trafficking", "Working Group on Trafficking in Persons", "CTOC/COP/2012/1", "cote", "wg-tip", "firearms"]


def rows(index) -> list[tuple]:
    return index.connection.execute(
        "SELECT iri, kind, title, type, lang, document, name, symbol, context, text FROM entries"
        " ORDER BY iri, kind, lang, text").fetchall()


@pytest.fixture(scope="module")
def local_index(built_store):
    store = open_store(built_store)
    from kg.server.linked_data import read_catalog

    index = build_index(store, read_catalog(store).graphs)
    yield index
    index.close()


@pytest.fixture(scope="module", params=["oxigraph", "virtuoso"])
def upstream(request, built_store, tmp_path_factory):
    # Virtuoso answers at most ResultSetMaxRows rows whatever the LIMIT: here fewer than a page
    options = {"max_rows": PAGE // 2 + 3} if request.param == "virtuoso" else {}
    for server in running(request.param, tmp_path_factory, **options):
        report = push(server.store_url, built_store, user=server.user, password=server.password,
                      record=tmp_path_factory.mktemp("record") / "r.jsonl")
        assert report.graphs_sent > 0
        store = UpstreamStore(server.query_url, timeout=120)
        store.page_size = PAGE
        yield server, store
        store.close()


@pytest.mark.parametrize("sizes", ["unknown", "known", "stale"])
def test_every_quad_of_the_graphs_is_read(upstream, built_store, sizes):
    """A graph of unknown size (or of a page or more) is read in pages cut from one order; graphs
    whose sizes add up to less than a page, together in one request; graphs that grew since they
    were counted, in order again. Either way, every quad once."""
    server, store = upstream
    local_store = open_store(built_store)
    graphs = [g.value for g in data_graphs(local_store)]
    local = [q for q in local_store.quads_for_pattern(None, ox.NamedNode(TEXT), None)
             if isinstance(q.graph_name, ox.NamedNode) and q.graph_name.value in graphs]  # not the union (default graph)
    assert len(local) > 4 * PAGE  # else one request would hold every quad: the paging would not show
    counts = read_upstream_catalog(store).triples
    known = {"unknown": None, "known": counts, "stale": {g: 1 for g in graphs}}[sizes]
    if sizes == "known":
        store.page_size = sum(counts[g] for g in graphs) + 1  # every graph in one request
    before = store.requests
    try:
        texts = list(store.quads_in_graphs(graphs, [ox.NamedNode(TEXT)], known))
    finally:
        store.page_size = PAGE
    assert sorted(map(str, texts)) == sorted(map(str, local))
    if sizes == "unknown":
        assert store.requests - before > len(local) // PAGE
    elif sizes == "known" and server.kind == "oxigraph":  # (Virtuoso here answers fewer rows than a graph holds)
        assert store.requests - before == 2  # the question of how many rows it answers, and the one batch


def test_the_upstreams_graphs_are_listed_in_pages(upstream, built_store):
    """The catalog (the graphs searched, browsed and counted) holds every graph, however many: read
    two graphs a request, it is the catalog read in one."""
    _, store = upstream
    whole = read_upstream_catalog(store)
    store.page_size = 2
    try:
        before = store.requests
        paged = read_upstream_catalog(store)
    finally:
        store.page_size = PAGE
    assert paged.graphs == whole.graphs
    # the dataset's graphs, and only those: not Virtuoso's system graphs, nor a push's staging graphs
    assert set(paged.graphs) == {g.value for g in data_graphs(open_store(built_store))}
    assert paged.triples == whole.triples
    assert store.requests - before > len(whole.graphs) // 2


def test_the_index_over_an_upstream_is_the_local_index(upstream, local_index, tmp_path):
    _, store = upstream
    catalog = read_upstream_catalog(store)
    remote = build_index(store, catalog.graphs, tmp_path / "search.sqlite", sizes=catalog.triples)
    try:
        assert rows(remote) == rows(local_index)
        for query in QUERIES:
            assert remote.search(query, limit=50) == local_index.search(query, limit=50), query
    finally:
        remote.close()
