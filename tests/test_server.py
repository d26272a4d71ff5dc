"""`untoc-kg serve`: the real server, started as its own process on a loopback port, driven over HTTP.

Every protocol form and result format, content negotiation, the union default graph, the service
and dataset descriptions, the dumps, linked data, and every refusal: SERVICE (to a listener that
counts connections), LOAD, updates, foreign graphs, nesting, body and URL size, the time limit
(while a second client keeps being answered), the per-client bound. No error body may hold a
traceback, and the server's own log must not either.
"""

from __future__ import annotations

import asyncio
import contextlib
import csv
import gzip
import http.client
import io
import shutil
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlencode

import httpx
import pyoxigraph as ox
import pytest

from kg.store import data_graphs
from kg.store import query as store_query
from tests.conftest import subprocess_env

ID = "https://w3id.org/untoc-kg/id/"
UKG = "https://w3id.org/untoc-kg/ontology#"
REFERENCE = ID + "graph/reference"
BUILD = ID + "graph/build"
SD = "http://www.w3.org/ns/sparql-service-description#"
VOID = "http://rdfs.org/ns/void#"
TIMEOUT = 2.0
CROSS_PRODUCT = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"


# ---------------------------------------------------------------------------------------------
# The server


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


SERVER_PIDS: dict[str, int] = {}


def worker_pids(base: str) -> set[int]:
    """The server's child processes (its query workers), from /proc."""
    parent = SERVER_PIDS[base]
    children = set()
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == parent:
            children.add(int(stat.parent.name))
    return children


@contextlib.contextmanager
def running_server(store: Path, *options: str, log: Path | None = None) -> Iterator[str]:
    """`python -m kg.server.cli` on a free loopback port; yields its base URL, stops it after."""
    port = free_port()
    log_file = open(log, "wb") if log else subprocess.DEVNULL
    proc = subprocess.Popen([sys.executable, "-m", "kg.server.cli", "--store", str(store), "--host", "127.0.0.1",
                             "--port", str(port), "--log-level", "warning", *options],
                            env=subprocess_env(), stdout=log_file, stderr=log_file)
    base = f"http://127.0.0.1:{port}"
    SERVER_PIDS[base] = proc.pid
    try:
        deadline = time.monotonic() + 60
        while True:
            if proc.poll() is not None:
                detail = Path(log).read_text(errors="replace") if log else ""
                raise RuntimeError(f"the server exited with {proc.returncode}: {detail}")
            try:
                if httpx.get(f"{base}/sparql", timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError("the server did not start within 60 s")
            time.sleep(0.2)
        yield base
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        if log:
            log_file.close()


@pytest.fixture(scope="module")
def server_log(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("server") / "server.log"


@pytest.fixture(scope="module")
def server(built_store, server_log) -> Iterator[str]:
    with running_server(built_store, "--timeout", str(TIMEOUT), "--workers", "2", "--per-client", "2",
                        "--max-results", "1000", "--max-memory", "256", log=server_log) as base:
        snapshots = list(built_store.parent.glob(f".{built_store.name}.serve-*"))
        assert len(snapshots) == 1  # the store it reads is a private checkpoint beside the original
        yield base
    log_text = server_log.read_text(errors="replace")
    assert "Traceback" not in log_text, log_text
    assert not snapshots[0].exists()  # and it is removed when the server stops


@pytest.fixture(scope="module")
def client(server) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=server, timeout=30) as c:
        yield c


@pytest.fixture(scope="module")
def local(built_store):
    """The same store, read in-process, to check what the server says against the engine as the
    CLI runs it (`kg.store.query`)."""
    return ox.Store.read_only(str(built_store))


def local_total(store: ox.Store) -> int:
    """Triples in the RDF merge of the data graphs: a triple that several documents state counts once."""
    return len({q.triple for g in data_graphs(store) for q in store.quads_for_pattern(None, None, None, g)})


def canonical(statements) -> set[str]:
    """Quads as N-Quads lines with RDFC-1.0 blank node labels: equal sets for isomorphic datasets."""
    dataset = ox.Dataset(s if isinstance(s, ox.Quad) else ox.Quad(s.subject, s.predicate, s.object)
                         for s in statements)
    dataset.canonicalize(ox.CanonicalizationAlgorithm.RDFC_1_0)
    return {str(q) for q in dataset}


def assert_plain_error(response: httpx.Response, status: int, *words: str) -> None:
    assert response.status_code == status, (response.status_code, response.text)
    assert response.headers["content-type"].startswith("text/plain")
    assert "Traceback" not in response.text and 'File "' not in response.text
    for word in words:
        assert word.lower() in response.text.lower(), response.text


def bindings(response: httpx.Response) -> list[dict]:
    assert response.status_code == 200, response.text
    return response.json()["results"]["bindings"]


ACTS = "SELECT ?act ?n WHERE { ?act ukg:actNumber ?n } ORDER BY ?act ?n"
JSON_RESULTS = {"Accept": "application/sparql-results+json"}


# ---------------------------------------------------------------------------------------------
# Protocol forms and result formats


def test_get_form_post_and_direct_post_give_the_same_rows(client):
    by_get = bindings(client.get("/sparql", params={"query": ACTS}, headers=JSON_RESULTS))
    by_form = bindings(client.post("/sparql", data={"query": ACTS}, headers=JSON_RESULTS))
    by_direct = bindings(client.post("/sparql", content=ACTS.encode(),
                                     headers={**JSON_RESULTS, "Content-Type": "application/sparql-query"}))
    assert by_get == by_form == by_direct
    assert {"type": "literal", "value": "4/4"} in [row["n"] for row in by_get]


def test_select_in_every_result_format_says_the_same(client, local):
    query = ("SELECT ?act ?n ?label WHERE { ?act ukg:actNumber ?n OPTIONAL { ?act rdfs:label ?label } } "
             "ORDER BY ?act ?n ?label")
    expected = [(row["act"], row["n"], row["label"]) for row in
                store_query(local, query, prefixes={"ukg": UKG, "rdfs": "http://www.w3.org/2000/01/rdf-schema#"})]
    assert expected
    seen = {}
    for media, fmt in (("application/sparql-results+json", ox.QueryResultsFormat.JSON),
                       ("application/sparql-results+xml", ox.QueryResultsFormat.XML),
                       ("text/tab-separated-values", ox.QueryResultsFormat.TSV)):
        response = client.get("/sparql", params={"query": query}, headers={"Accept": media})
        assert response.status_code == 200 and response.headers["content-type"].startswith(media)
        parsed = ox.parse_query_results(response.content, format=fmt)
        seen[media] = [(s["act"], s["n"], s["label"]) for s in parsed]
    assert seen["application/sparql-results+json"] == expected
    assert seen["application/sparql-results+xml"] == expected
    assert seen["text/tab-separated-values"] == expected
    response = client.get("/sparql", params={"query": query}, headers={"Accept": "text/csv"})
    assert response.headers["content-type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.text)))
    assert rows[0] == ["act", "n", "label"]
    assert rows[1:] == [[a.value, n.value, label.value if label else ""] for a, n, label in expected]


def test_ask_as_json_and_xml(client):
    assert client.get("/sparql", params={"query": "ASK { ?s ukg:actNumber \"4/4\" }"},
                      headers=JSON_RESULTS).json() == {"head": {}, "boolean": True}
    response = client.get("/sparql", params={"query": "ASK { ?s ukg:actNumber \"99/99\" }"},
                          headers={"Accept": "application/sparql-results+xml"})
    assert bool(ox.parse_query_results(response.content, format=ox.QueryResultsFormat.XML)) is False


@pytest.mark.parametrize("media, fmt", [
    ("text/turtle", ox.RdfFormat.TURTLE), ("application/n-triples", ox.RdfFormat.N_TRIPLES),
    ("application/rdf+xml", ox.RdfFormat.RDF_XML), ("application/ld+json", ox.RdfFormat.JSON_LD)])
def test_construct_and_describe_by_accept(client, local, media, fmt):
    construct = "CONSTRUCT { ?act ukg:actNumber ?n } WHERE { ?act ukg:actNumber ?n }"
    expected = {(t.subject, t.predicate, t.object) for t in
                store_query(local, construct, prefixes={"ukg": UKG})}
    response = client.post("/sparql", data={"query": construct}, headers={"Accept": media})
    assert response.status_code == 200 and response.headers["content-type"].startswith(media)
    got = {(t.subject, t.predicate, t.object) for t in ox.parse(response.content, format=fmt)}
    assert got == expected
    describe = client.get("/sparql", params={"query": f"DESCRIBE <{ID}act/untoc-cop/decision/4-4>"},
                          headers={"Accept": media})
    assert describe.status_code == 200
    described = list(ox.parse(describe.content, format=fmt))
    assert ox.Literal("4/4") in {t.object for t in described}


def test_accept_that_rules_out_every_format_gets_406(client):
    response = client.get("/sparql", params={"query": "CONSTRUCT WHERE { ?s ?p ?o } LIMIT 1"},
                          headers={"Accept": "text/csv"})
    assert_plain_error(response, 406, "not acceptable")


def test_results_over_the_maximum_are_cut_and_say_so(client):
    response = client.get("/sparql", params={"query": "SELECT * WHERE { ?s ?p ?o }"}, headers=JSON_RESULTS)
    assert response.status_code == 200
    assert len(response.json()["results"]["bindings"]) == 1000
    assert response.headers["x-sparql-truncated"] == "true"
    assert response.headers["x-sparql-maxrows"] == "1000"
    small = client.get("/sparql", params={"query": "SELECT * WHERE { ?s ?p ?o } LIMIT 5"}, headers=JSON_RESULTS)
    assert "x-sparql-truncated" not in small.headers


def test_variables_bound_by_parameter(client):
    rows = bindings(client.post("/sparql", headers=JSON_RESULTS, data={
        "query": "SELECT ?act ?n WHERE { ?act ukg:actNumber ?n }", "$n": '"4/4"'}))
    assert {row["act"]["value"] for row in rows} == {ID + "act/untoc-cop/decision/4-4"}
    assert_plain_error(client.post("/sparql", data={"query": "SELECT ?n { ?a ukg:actNumber ?n }", "$n": "4/4"}),
                       400, "N-Triples")


# ---------------------------------------------------------------------------------------------
# The dataset


def test_default_graph_is_the_union_of_the_named_graphs(client, local):
    n = int(bindings(client.get("/sparql", params={"query": "SELECT (COUNT(*) AS ?n) { ?s ?p ?o }"},
                                headers=JSON_RESULTS))[0]["n"]["value"])
    assert n == local_total(local)
    graphs = {row["g"]["value"] for row in bindings(client.get(
        "/sparql", params={"query": "SELECT DISTINCT ?g { GRAPH ?g { ?s ?p ?o } }"}, headers=JSON_RESULTS))}
    assert graphs == {g.value for g in data_graphs(local)}
    assert BUILD not in graphs  # the build's bookkeeping (local paths) is nobody's business


def test_default_graph_uri_and_named_graph_uri(client, local):
    reference = ox.NamedNode(REFERENCE)
    in_reference = sum(1 for _ in local.quads_for_pattern(None, None, None, reference))
    count = "SELECT (COUNT(*) AS ?n) { ?s ?p ?o }"
    rows = bindings(client.get("/sparql", params={"query": count, "default-graph-uri": REFERENCE},
                               headers=JSON_RESULTS))
    assert int(rows[0]["n"]["value"]) == in_reference
    rows = bindings(client.post(f"/sparql?named-graph-uri={REFERENCE}", headers={
        **JSON_RESULTS, "Content-Type": "application/sparql-query"},
        content=b"SELECT DISTINCT ?g { GRAPH ?g { ?s ?p ?o } }"))
    assert [row["g"]["value"] for row in rows] == [REFERENCE]
    # only named graphs given: the default graph is empty, as the protocol says
    rows = bindings(client.get("/sparql", params={"query": count, "named-graph-uri": REFERENCE}, headers=JSON_RESULTS))
    assert int(rows[0]["n"]["value"]) == 0
    # FROM in the query, for a graph of the store
    from_reference = f"SELECT (COUNT(*) AS ?n) FROM <{REFERENCE}> {{ ?s ?p ?o }}"
    rows = bindings(client.get("/sparql", params={"query": from_reference}, headers=JSON_RESULTS))
    assert int(rows[0]["n"]["value"]) == in_reference


# ---------------------------------------------------------------------------------------------
# SPARQLWrapper, as a SPARQL client in the field would use the endpoint


@pytest.mark.filterwarnings("ignore::DeprecationWarning")  # SPARQLWrapper's own use of rdflib
def test_sparqlwrapper_select_ask_construct(server, local):
    from SPARQLWrapper import CSV, GET, JSON, JSONLD, POST, POSTDIRECTLY, RDFXML, TSV, TURTLE, XML, SPARQLWrapper

    endpoint = f"{server}/sparql"

    def wrapper(query, fmt, method=GET):
        sw = SPARQLWrapper(endpoint)
        sw.setQuery(query)
        sw.setReturnFormat(fmt)
        sw.setMethod(method)
        return sw

    select = "PREFIX ukg: <https://w3id.org/untoc-kg/ontology#> SELECT ?n WHERE { ?a ukg:actNumber ?n } ORDER BY ?n"
    by_json = [b["n"]["value"] for b in wrapper(select, JSON).query().convert()["results"]["bindings"]]
    assert "4/4" in by_json
    post_json = wrapper(select, JSON, POST).query().convert()["results"]["bindings"]
    assert [b["n"]["value"] for b in post_json] == by_json
    direct = wrapper(select, JSON, POST)
    direct.setRequestMethod(POSTDIRECTLY)
    assert [b["n"]["value"] for b in direct.query().convert()["results"]["bindings"]] == by_json
    xml = wrapper(select, XML).query().convert()
    assert [n.firstChild.data for n in xml.getElementsByTagName("literal")] == by_json
    assert wrapper(select, CSV).query().convert().decode().splitlines()[1:] == by_json
    assert wrapper(select, TSV).query().convert().decode().splitlines()[1:] == [f'"{n}"' for n in by_json]
    assert wrapper("ASK { ?s ?p ?o }", JSON).query().convert()["boolean"] is True
    construct = "CONSTRUCT WHERE { ?a <https://w3id.org/untoc-kg/ontology#actNumber> ?n }"
    pairs = wrapper(select.replace("SELECT ?n", "SELECT DISTINCT ?a ?n"), JSON).query().convert()
    distinct = len(pairs["results"]["bindings"])  # the union repeats a triple found in several graphs
    graph = wrapper(construct, RDFXML).query().convert()
    assert len(graph) == distinct
    assert len(wrapper(construct, JSONLD).query().convert()) == distinct
    turtle = wrapper(construct, TURTLE).query().convert()
    assert len(list(ox.parse(turtle, format=ox.RdfFormat.TURTLE))) == distinct
    # the dataset by protocol parameters
    scoped = wrapper("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", JSON)
    scoped.addDefaultGraph(REFERENCE)
    n = int(scoped.query().convert()["results"]["bindings"][0]["n"]["value"])
    assert n == sum(1 for _ in local.quads_for_pattern(None, None, None, ox.NamedNode(REFERENCE)))
    named = wrapper("SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }", JSON)
    named.addNamedGraph(REFERENCE)
    assert [b["g"]["value"] for b in named.query().convert()["results"]["bindings"]] == [REFERENCE]


def test_sparqlwrapper_sees_refusals_as_errors(server):
    from SPARQLWrapper import JSON, SPARQLWrapper
    from SPARQLWrapper.SPARQLExceptions import QueryBadFormed

    sw = SPARQLWrapper(f"{server}/sparql")
    sw.setReturnFormat(JSON)
    sw.setQuery("SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }")
    with pytest.raises(QueryBadFormed):
        sw.query()


# ---------------------------------------------------------------------------------------------
# Descriptions and dumps


def _turtle(response: httpx.Response) -> set[tuple]:
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/turtle")
    return {(t.subject.value, t.predicate.value, getattr(t.object, "value", str(t.object)))
            for t in ox.parse(response.content, format=ox.RdfFormat.TURTLE)}


def test_service_description_on_get_without_query(client, server, local):
    triples = _turtle(client.get("/sparql"))
    service = f"{server}/sparql#service"
    assert (service, SD + "endpoint", f"{server}/sparql") in triples
    assert (service, SD + "feature", SD + "UnionDefaultGraph") in triples
    assert (service, SD + "supportedLanguage", SD + "SPARQL11Query") in triples
    formats = {o for s, p, o in triples if p == SD + "resultFormat"}
    assert "http://www.w3.org/ns/formats/SPARQL_Results_JSON" in formats
    assert "http://www.w3.org/ns/formats/Turtle" in formats
    names = {o for s, p, o in triples if p == SD + "name"}
    assert names == {g.value for g in data_graphs(local)}
    jsonld = client.get("/sparql", headers={"Accept": "application/ld+json"})
    assert jsonld.headers["content-type"].startswith("application/ld+json")
    assert list(ox.parse(jsonld.content, format=ox.RdfFormat.JSON_LD))
    browser = client.get("/sparql", headers={"Accept": "text/html,application/xhtml+xml,*/*;q=0.8"})
    assert browser.status_code == 303 and browser.headers["location"] == "/"


def test_void_links_the_endpoint_and_dumps_that_hold_the_graph(client, server, local):
    triples = _turtle(client.get("/.well-known/void"))
    dataset = f"{server}/.well-known/void#untoc-kg"
    assert (dataset, VOID + "sparqlEndpoint", f"{server}/sparql") in triples
    assert (dataset, VOID + "triples", str(local_total(local))) in triples
    dumps = sorted(o for s, p, o in triples if p == VOID + "dataDump")
    assert [d.rsplit("/", 1)[1] for d in dumps] == ["untoc-kg.nq.gz", "untoc-kg.ttl.gz"]
    quads = [q for g in data_graphs(local) for q in local.quads_for_pattern(None, None, None, g)]
    expected = canonical(quads)
    merged = canonical(ox.Quad(q.subject, q.predicate, q.object) for q in quads)
    for url in dumps:
        deadline = time.monotonic() + 60
        while (response := httpx.get(url, timeout=30)).status_code == 503 and time.monotonic() < deadline:
            assert response.headers["retry-after"]
            time.sleep(0.5)
        assert response.status_code == 200 and response.headers["content-type"] == "application/gzip"
        data = gzip.decompress(response.content)
        if url.endswith(".nq.gz"):
            assert canonical(ox.parse(data, format=ox.RdfFormat.N_QUADS)) == expected
        else:
            assert canonical(ox.parse(data, format=ox.RdfFormat.TURTLE)) == merged
    assert client.get("/dumps/nothing.gz").status_code == 404


# ---------------------------------------------------------------------------------------------
# Refusals


@pytest.fixture
def listener() -> Iterator[tuple[str, list]]:
    """A TCP listener on 127.0.0.1 that counts the connections it receives."""
    accepted: list = []
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen(16)
    sock.settimeout(0.2)
    stop = threading.Event()

    def serve():
        while not stop.is_set():
            try:
                conn, _ = sock.accept()
            except OSError:
                continue
            accepted.append(conn)
            conn.close()

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{sock.getsockname()[1]}/sparql", accepted
    stop.set()
    thread.join()
    sock.close()


def test_service_is_refused_and_no_connection_is_made(client, listener):
    url, accepted = listener
    queries = [
        f"SELECT * WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }}",
        f"select * where {{ service silent <{url}> {{ ?s ?p ?o }} }}",
        f"SELECT * WHERE {{ BIND(<{url}> AS ?u) SERVICE ?u {{ ?s ?p ?o }} }}",
        f"SELECT * WHERE {{ ?s ?p ?o FILTER(?o<?b)SERVICE<{url}>{{}} }}",
        f"SELECT * WHERE {{ # a comment\r SERVICE <{url}> {{ }} }}",
    ]
    for query in queries:
        assert_plain_error(client.post("/sparql", data={"query": query}), 400, "SERVICE")
        assert_plain_error(client.get("/sparql", params={"query": query}), 400, "SERVICE")
    time.sleep(0.5)
    assert accepted == []


def test_the_guard_refuses_whatever_makes_the_engine_connect(listener):
    """Differential: any query the guard lets through must not make pyoxigraph itself connect."""
    from kg.server.guard import Refusal, check_query

    url, accepted = listener
    cases = [
        f"SELECT * {{ ?s ?p '''a'''' SERVICE <{url}> {{ }} 'x' }}",
        f'SELECT * {{ ?s ?p """a"""" SERVICE <{url}> {{ }} "x" }}',
        f"SELECT * {{ BIND(1 AS ?a) FILTER(?a<?b) SERVICE <{url}> {{ }} }}",
        f"SELECT * {{ SERVICE SILENT <{url}> {{ }} }}",
        f"SELECT * {{ ?s ?p 'a\\' SERVICE <{url}> {{ }} ' }}",
        f"SELECT * {{ # comment \r SERVICE <{url}> {{ }} }}",
        f"SELECT * {{ ?s ?p <a#b> SERVICE <{url}> {{ }} }}",
        f"SELECT * {{ ?s ?p ?o FILTER(?o<?b)SERVICE<{url}>{{}} }}",
        f"SELECT * {{ \\u0053ERVICE <{url}> {{ }} }}",
        f"SELECT (?a<?b AS ?c) {{ SERVICE <{url}> {{ }} }}",
        f"SELECT * {{ {{ SELECT ?x (?a<?b&&?c>?d AS ?e) WHERE {{ }} }} SERVICE <{url}> {{ }} }}",
        f"SELECT * {{ VALUES (?x) {{ (<a>) }} SERVICE <{url}> {{ }} }}",
        f"SELECT * {{ ?s (<p>|<q>)* ?o . SERVICE <{url}> {{ }} }}",
    ]
    store = ox.Store()
    for query in cases:
        try:
            check_query(query, graphs=set())
        except Refusal:
            continue
        before = len(accepted)
        with contextlib.suppress(SyntaxError, OSError, RuntimeError):
            list(store.query(query, base_iri="http://localhost/"))
        time.sleep(0.1)
        assert len(accepted) == before, f"the guard let through a query that connected: {query!r}"


def test_workers_have_no_network_even_past_the_guard(built_store, listener, local):
    """Defence in depth: a SERVICE that reached a worker would find no network to use."""
    from kg.server.worker import WorkerPool

    url, accepted = listener
    graphs = [g.value for g in data_graphs(local)]

    async def run():
        pool = WorkerPool(str(built_store), graphs, {}, size=1, timeout=5)
        await pool.start()
        try:
            if pool.sandbox == "none":
                return None
            answer = await pool.run({"query": f"SELECT * {{ SERVICE <{url}> {{ ?s ?p ?o }} }}", "base": "",
                                     "default": graphs, "named": graphs, "tabular": "json", "graph": "ttl"})
            return answer
        finally:
            await pool.close()

    answer = asyncio.run(run())
    if answer is None:
        pytest.skip("this kernel allows no network namespace; the guard alone stops SERVICE here")
    assert answer.status >= 400
    time.sleep(0.3)
    assert accepted == []


@pytest.mark.parametrize("query, words", [
    ("LOAD <http://example.org/data.ttl>", ["LOAD", "read-only"]),
    ("INSERT DATA { <http://a> <http://b> <http://c> }", ["read-only"]),
    ("CLEAR ALL", ["read-only"]),
    ("SELECT * FROM <http://example.org/elsewhere> WHERE { ?s ?p ?o }", ["not a graph of this endpoint"]),
    ("SELECT * FROM <file:///etc/passwd> WHERE { ?s ?p ?o }", ["not a graph of this endpoint"]),
    (f"SELECT * FROM NAMED <{BUILD}> WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }}", ["not a graph of this endpoint"]),
    ("SELECT * WHERE " + "{" * 150 + "}" * 150, ["nesting"]),
    ("SELECT * WHERE { ?s ?p ?o ", ["Parse error"]),
])
def test_refused_queries(client, query, words):
    assert_plain_error(client.post("/sparql", data={"query": query}), 400, *words)


def test_updates_in_every_form_are_refused(client):
    assert_plain_error(client.get("/sparql", params={"update": "CLEAR ALL"}), 400, "read-only")
    assert_plain_error(client.post("/sparql", data={"update": "CLEAR ALL"}), 400, "read-only")
    assert_plain_error(client.post("/sparql", content=b"CLEAR ALL",
                                   headers={"Content-Type": "application/sparql-update"}), 400, "read-only")
    for method in ("PUT", "DELETE", "PATCH"):
        response = client.request(method, "/sparql?graph=" + REFERENCE, content=b"<a> <b> <c> .",
                                  headers={"Content-Type": "text/turtle"})
        assert_plain_error(response, 405, "read-only")
    assert client.put("/id/body/wg-tip", content=b"x").status_code == 405
    # and the store is as it was
    assert client.get("/sparql", params={"query": "ASK { ?s ?p ?o }"}, headers=JSON_RESULTS).json()["boolean"]


def test_foreign_graphs_by_protocol_parameter_are_refused(client):
    for name in ("default-graph-uri", "named-graph-uri"):
        for iri in ("http://example.org/elsewhere", "file:///etc/passwd", BUILD):
            response = client.get("/sparql", params={"query": "ASK { ?s ?p ?o }", name: iri})
            assert_plain_error(response, 400, "not a graph of this endpoint")


def test_malformed_requests(client):
    assert_plain_error(client.get("/sparql?query=ASK%7B%7D&query=ASK%7B%7D"), 400, "one query")
    assert_plain_error(client.post("/sparql", content=b"ASK {}", headers={"Content-Type": "text/plain"}), 415)
    assert_plain_error(client.post("/sparql", content=b"query=ASK%20%7B%7D"), 415)
    assert_plain_error(client.post("/sparql", content="ASK {}".encode("utf-16"),
                                   headers={"Content-Type": "application/sparql-query; charset=UTF-16"}), 415)
    assert_plain_error(client.post("/sparql", content="ASK {}".encode("utf-16"),
                                   headers={"Content-Type": "application/sparql-query"}), 400, "UTF-8")
    assert_plain_error(client.get("/sparql?query=%FF"), 400, "UTF-8")
    assert_plain_error(client.post("/sparql", data={"default-graph-uri": REFERENCE}), 400, "no query")


def test_body_and_url_limits(client):
    assert_plain_error(client.post("/sparql", data={"query": "ASK {}" + " " * 70_000}), 413)
    assert_plain_error(client.post("/sparql", content=b"ASK {}" + b" " * 70_000,
                                   headers={"Content-Type": "application/sparql-query"}), 413)
    assert_plain_error(client.get("/sparql", params={"query": "ASK {}" + " " * 9_000}), 414, "POST")


def client_from(base: str, address: str, timeout: float = 30) -> httpx.Client:
    """A client whose connections come from `address` (all of 127.0.0.0/8 is this machine's
    loopback): to the server, another client."""
    return httpx.Client(base_url=base, timeout=timeout, transport=httpx.HTTPTransport(local_address=address))


def raw_get(base: str, target: str) -> tuple[int, str]:
    """A GET with a URL of any length (httpx refuses URLs over 64 KB before sending them)."""
    host, port = base.rsplit("//", 1)[1].split(":")
    connection = http.client.HTTPConnection(host, int(port), timeout=30)
    try:
        connection.request("GET", target)
        response = connection.getresponse()
        return response.status, response.read().decode("utf-8", "replace")
    finally:
        connection.close()


def test_a_query_of_100000_nested_braces_is_refused_and_the_server_stays_up(client, server):
    deep = "SELECT * WHERE " + "{" * 100_000 + "}" * 100_000
    assert_plain_error(client.post("/sparql", content=deep.encode(),
                                   headers={"Content-Type": "application/sparql-query"}), 413)
    assert_plain_error(client.post("/sparql", data={"query": deep}), 413)
    status, body = raw_get(server, "/sparql?" + urlencode({"query": deep}))  # 600 KB: past httpx's own limit
    assert status == 414 and "URI too long" in body and "Traceback" not in body
    # within the body limit, the guard's depth bound answers before the parser could overflow
    deep_but_small = "SELECT * WHERE " + "{" * 30_000 + "}" * 30_000
    assert_plain_error(client.post("/sparql", content=deep_but_small.encode(),
                                   headers={"Content-Type": "application/sparql-query"}), 400, "nesting")
    # long chains that recurse in the engine without nesting: answered, not a crash
    chain = "SELECT (" + "+".join(["1"] * 12_000) + " AS ?x) WHERE {}"
    response = client.post("/sparql", content=chain.encode(), headers={"Content-Type": "application/sparql-query"})
    assert response.status_code in (200, 503), response.text
    assert client.get("/sparql", params={"query": "ASK {}"}, headers=JSON_RESULTS).json()["boolean"] is True


def test_a_query_past_the_time_limit_is_stopped_while_another_client_is_answered(client, server):
    outcome = {}

    def heavy():
        started = time.monotonic()
        with httpx.Client(base_url=server, timeout=60) as other:
            outcome["response"] = other.post("/sparql", data={"query": CROSS_PRODUCT}, headers=JSON_RESULTS)
        outcome["seconds"] = time.monotonic() - started

    thread = threading.Thread(target=heavy)
    thread.start()
    time.sleep(0.3)
    latencies = []
    with client_from(server, "127.0.0.2") as elsewhere:  # another client: another address
        while thread.is_alive():
            started = time.monotonic()
            response = elsewhere.get("/sparql", params={"query": ACTS}, headers=JSON_RESULTS)
            latencies.append(time.monotonic() - started)
            assert response.status_code == 200
            time.sleep(0.05)
    thread.join()
    assert len(latencies) >= 5
    assert max(latencies) < 1.0, latencies
    response = outcome["response"]
    assert_plain_error(response, 503, "timeout")
    assert TIMEOUT <= outcome["seconds"] < TIMEOUT + 3
    assert "results" not in response.text  # never a cut-short 200 body
    # the killed worker is replaced: the server keeps answering, on both workers
    time.sleep(1.5)
    for _ in range(4):
        assert client.get("/sparql", params={"query": "ASK {}"}, headers=JSON_RESULTS).status_code == 200


def test_a_query_whose_client_went_away_is_stopped_at_once(server):
    time.sleep(1.5)  # workers replaced by earlier tests are up
    before = worker_pids(server)
    assert len(before) == 2
    with pytest.raises(httpx.ReadTimeout):
        httpx.post(f"{server}/sparql", data={"query": CROSS_PRODUCT}, timeout=0.5)
    time.sleep(0.8)  # well before the time limit (TIMEOUT) would have stopped it
    assert worker_pids(server) != before  # its worker was killed (and a new one started)


def test_a_query_past_the_memory_limit_fails_and_the_server_goes_on(client):
    started = time.monotonic()
    response = client.post("/sparql", data={"query": "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f } ORDER BY ?a ?d LIMIT 1"})
    assert_plain_error(response, 500, "256 MiB")
    assert time.monotonic() - started < TIMEOUT + 1
    time.sleep(1.5)  # the worker is replaced
    assert client.get("/sparql", params={"query": "ASK {}"}, headers=JSON_RESULTS).json()["boolean"] is True


def test_too_many_queries_from_one_client_get_429_with_retry_after(client, server):
    responses = []

    def heavy():
        with httpx.Client(base_url=server, timeout=60) as other:
            responses.append(other.post("/sparql", data={"query": CROSS_PRODUCT}))

    threads = [threading.Thread(target=heavy) for _ in range(2)]
    for thread in threads:
        thread.start()
    time.sleep(0.5)
    response = client.get("/sparql", params={"query": "ASK {}"})
    assert_plain_error(response, 429, "at once")
    assert int(response.headers["retry-after"]) >= 1
    assert response.headers["access-control-allow-origin"] == "*"
    for thread in threads:
        thread.join()
    assert sorted(r.status_code for r in responses) == [503, 503]
    time.sleep(1.5)  # the two killed workers are replaced
    assert client.get("/sparql", params={"query": "ASK {}"}).status_code == 200


def test_cors_on_read_queries(client):
    response = client.get("/sparql", params={"query": "ASK {}"}, headers={"Origin": "https://example.org"})
    assert response.headers["access-control-allow-origin"] == "*"
    assert "access-control-allow-credentials" not in response.headers
    preflight = client.options("/sparql", headers={"Origin": "https://example.org",
                                                   "Access-Control-Request-Method": "POST",
                                                   "Access-Control-Request-Headers": "content-type"})
    assert preflight.status_code == 204
    assert "POST" in preflight.headers["access-control-allow-methods"]
    assert preflight.headers["access-control-allow-origin"] == "*"
    refused = client.get("/sparql", params={"query": "LOAD <http://x>"})
    assert refused.headers["access-control-allow-origin"] == "*"


# ---------------------------------------------------------------------------------------------
# Linked data, the ontology, the query page


DECISION = "act/untoc-cop/decision/4-4"


def test_an_iri_answers_with_a_page_for_people(client, local):
    response = client.get(f"/id/{DECISION}", headers={"Accept": "text/html"})
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/html")
    assert "default-src 'self'" in response.headers["content-security-policy"]
    html = response.text
    assert "<h1>Conference decision 4/4</h1>" in html
    assert 'href="/id/body/untoc-cop"' in html  # a neighbour, linked to its own page
    # every paragraph the facts were read from is on the page, with its text
    node = ox.NamedNode(ID + DECISION)
    derived_from = ox.NamedNode("http://www.w3.org/ns/prov#wasDerivedFrom")
    paragraphs = {q.object for q in local.quads_for_pattern(node, derived_from, None)}
    assert paragraphs
    for paragraph in paragraphs:
        text = next(local.quads_for_pattern(paragraph, ox.NamedNode(UKG + "text"), None)).object.value
        assert _html_text(text) in html
    assert "http://" not in _scripts_and_styles(html)


def _html_text(text: str) -> str:
    from html import escape

    return escape(text, quote=False)


def _scripts_and_styles(html: str) -> str:
    import re

    return " ".join(re.findall(r'<(?:script|link)[^>]*(?:src|href)="([^"]*)"', html))


@pytest.mark.parametrize("media, fmt", [("text/turtle", ox.RdfFormat.TURTLE),
                                        ("application/ld+json", ox.RdfFormat.JSON_LD),
                                        ("application/n-triples", ox.RdfFormat.N_TRIPLES)])
def test_an_iri_answers_with_rdf_for_programs(client, media, fmt):
    response = client.get(f"/id/{DECISION}", headers={"Accept": media})
    assert response.status_code == 200 and response.headers["content-type"].startswith(media)
    assert "accept" in response.headers["vary"].lower()
    triples = [q.triple for q in ox.parse(response.content, format=fmt)]
    node = ox.NamedNode(ID + DECISION)
    assert ox.Triple(node, ox.NamedNode(UKG + "actNumber"), ox.Literal("4/4")) in triples


def test_a_document_page_holds_its_paragraphs_under_their_anchors(client, local):
    paragraph = next(local.quads_for_pattern(None, ox.NamedNode(UKG + "inDocument"), None)).subject.value
    document, anchor = paragraph.split("#")
    response = client.get("/id/" + document[len(ID):], headers={"Accept": "text/html"})
    assert f'id="{anchor}"' in response.text
    turtle = client.get("/id/" + document[len(ID):], headers={"Accept": "text/turtle"})
    subjects = {t.subject.value for t in ox.parse(turtle.content, format=ox.RdfFormat.TURTLE)}
    assert paragraph in subjects


def test_unknown_iris_are_404(client):
    assert client.get("/id/body/no-such-body", headers={"Accept": "text/html"}).status_code == 404
    assert_plain_error(client.get("/id/body/no-such-body", headers={"Accept": "text/turtle"}), 404, "Not found")
    assert client.get("/id/graph/build", headers={"Accept": "text/turtle"}).status_code == 404


def test_pages_escape_what_the_graph_says():
    from kg.server import linked_data as ld

    store = ox.Store()
    graph = ox.NamedNode(ID + "doc/X")
    node = ox.NamedNode(ID + "body/evil")
    paragraph = ox.NamedNode(ID + "doc/X#p1")
    evil = '<script>alert("x")</script><img src=x onerror=alert(1)>'
    for s, p, o in [(node, ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label"), ox.Literal(evil)),
                    (node, ox.NamedNode("http://www.w3.org/ns/prov#wasDerivedFrom"), paragraph),
                    (node, ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#seeAlso"),
                     ox.NamedNode("javascript:alert(1)")),
                    (paragraph, ox.NamedNode(UKG + "text"), ox.Literal(evil)),
                    (paragraph, ox.NamedNode(UKG + "number"), ox.Literal('1"><script>'))]:
        store.add(ox.Quad(s, p, o, graph))
    catalog = ld.read_catalog(store)
    html = ld.entity_page(store, ld.describe(store, node.value, catalog.graph_set), catalog).decode()
    assert "<script>alert" not in html and "<img src=x" not in html and '"><script>' not in html
    assert "&lt;script&gt;alert" in html
    assert 'href="javascript:' not in html


def test_the_ontology_by_content_negotiation(client):
    from kg.resources import ontology_dir

    page = client.get("/ontology", headers={"Accept": "text/html"})
    assert page.status_code == 200 and 'id="Body"' in page.text and 'id="adoptedBy"' in page.text
    turtle = client.get("/ontology", headers={"Accept": "text/turtle"})
    assert turtle.content == ontology_dir().joinpath("untoc.ttl").read_bytes()
    jsonld = client.get("/ontology", headers={"Accept": "application/ld+json"})
    parsed = list(ox.parse(jsonld.content, format=ox.RdfFormat.JSON_LD))
    assert len(parsed) == len(list(ox.parse(turtle.content, format=ox.RdfFormat.TURTLE,
                                            base_iri="https://w3id.org/untoc-kg/ontology")))


def test_the_query_page_offers_the_canned_queries_and_loads_nothing_from_elsewhere(client):
    from kg.sparql import list_queries

    page = client.get("/")
    assert page.status_code == 200
    html = page.text
    for canned in list_queries():
        assert f'data-name="{canned.name}"' in html
    sources = _scripts_and_styles(html).split()
    assert sources and all(s.startswith("/static/") for s in sources)
    for source in sources:
        assert client.get(source).status_code == 200
    script = client.get("/static/query.js").text
    assert ".innerHTML" not in script and "insertAdjacentHTML" not in script and "document.write" not in script
    assert script.count("fetch(") == script.count('fetch("/sparql"') >= 1  # it talks to this server only


# ---------------------------------------------------------------------------------------------
# Serving and building do not share a directory


def test_snapshot_serves_a_copy_while_the_original_is_rebuilt(built_store, tmp_path):
    original = tmp_path / "store"
    shutil.copytree(built_store, original)
    count = "SELECT (COUNT(*) AS ?n) { ?s ?p ?o }"
    with running_server(original, "--workers", "1", log=tmp_path / "log") as base:  # --snapshot is the default
        before = httpx.get(f"{base}/sparql", params={"query": count}, headers=JSON_RESULTS).json()
        writer = ox.Store(str(original))  # a build writing the original directory
        writer.update(f"INSERT DATA {{ GRAPH <{REFERENCE}> {{ <http://example.org/new> <http://example.org/p> 1 }} }}")
        writer.flush()
        del writer
        after = httpx.get(f"{base}/sparql", params={"query": count}, headers=JSON_RESULTS).json()
        assert before == after
    assert "Traceback" not in (tmp_path / "log").read_text(errors="replace")


def test_without_a_snapshot_the_store_is_read_in_place_and_the_build_graph_stays_hidden(built_store, local, tmp_path):
    beside = sorted(p.name for p in built_store.parent.iterdir())
    with running_server(built_store, "--no-snapshot", "--workers", "1", log=tmp_path / "log") as base:
        assert sorted(p.name for p in built_store.parent.iterdir()) == beside  # no snapshot taken
        with httpx.Client(base_url=base, timeout=30) as c:
            count = bindings(c.get("/sparql", params={"query": "SELECT (COUNT(*) AS ?n) { ?s ?p ?o }"},
                                   headers=JSON_RESULTS))
            assert int(count[0]["n"]["value"]) == local_total(local)
            graphs = {row["g"]["value"] for row in bindings(c.get(
                "/sparql", params={"query": "SELECT DISTINCT ?g { GRAPH ?g { ?s ?p ?o } }"}, headers=JSON_RESULTS))}
            assert graphs == {g.value for g in data_graphs(local)}
            assert_plain_error(c.get("/sparql", params={"query": f"ASK FROM <{BUILD}> {{ ?s ?p ?o }}"}), 400)


def test_serve_help_says_read_only_and_gives_an_example():
    from click.testing import CliRunner

    from kg.server.cli import serve

    result = CliRunner().invoke(serve, ["--help"])
    assert result.exit_code == 0
    assert "read-only" in result.output and "Example:" in result.output and "--snapshot" in result.output


def test_serve_without_a_store_says_what_to_do(tmp_path):
    result = subprocess.run([sys.executable, "-m", "kg.server.cli", "--store", str(tmp_path / "none")],
                            env=subprocess_env(), capture_output=True, text=True, timeout=60)
    assert result.returncode != 0
    assert "untoc-kg build" in result.stderr and "Traceback" not in result.stderr



def test_the_short_iris_the_tool_prints_paste_back_into_the_endpoint(client):
    """`id:body/wg-tip` is what `untoc-kg lineage` and the pages print; a query may use it as it is."""
    short = client.get("/sparql", params={"query": "ASK { id:body/wg-tip ?p ?o }"}, headers=JSON_RESULTS)
    assert short.status_code == 200, short.text
    assert short.json()["boolean"] is True
    unknown = client.get("/sparql", params={"query": "ASK { id:body/no-such-body ?p ?o }"}, headers=JSON_RESULTS)
    assert unknown.json()["boolean"] is False
