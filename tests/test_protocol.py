"""Runs the W3C SPARQL 1.1 Protocol test cases (`protocol_cases.py`) against the real server.

The server reads a store holding the suite's graphs (`GRAPH_DATA`), built here and then served
read-only, exactly as `untoc-kg serve` serves the knowledge graph. Each request is sent as the
manifest writes it (method, path, media type, body in its declared character encoding); the
response must have the expected status class and, where the case says so, a result of the
expected kind in a media type of that kind, and the expected boolean.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import httpx
import pyoxigraph as ox
import pytest

from tests.protocol_cases import CASES, GRAPH_DATA, MANIFEST_ENTRIES, Case, Request
from tests.test_server import running_server

BOOLEAN_TYPES = {"application/sparql-results+json": ox.QueryResultsFormat.JSON,
                 "application/sparql-results+xml": ox.QueryResultsFormat.XML}
TABULAR_TYPES = {**BOOLEAN_TYPES, "text/csv": ox.QueryResultsFormat.CSV,
                 "text/tab-separated-values": ox.QueryResultsFormat.TSV}
RDF_TYPES = {"application/rdf+xml": ox.RdfFormat.RDF_XML, "text/turtle": ox.RdfFormat.TURTLE,
             "application/n-triples": ox.RdfFormat.N_TRIPLES, "application/ld+json": ox.RdfFormat.JSON_LD}


@pytest.fixture(scope="module")
def protocol_store(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("protocol") / "store"
    store = ox.Store(str(path))
    for graph, ntriples in GRAPH_DATA.items():
        store.load(ntriples.encode("utf-8"), format=ox.RdfFormat.N_TRIPLES, to_graph=ox.NamedNode(graph))
    store.flush()
    del store
    return path


@pytest.fixture(scope="module")
def endpoint(protocol_store, tmp_path_factory) -> Iterator[str]:
    log = tmp_path_factory.mktemp("protocol-log") / "server.log"
    with running_server(protocol_store, "--workers", "2", "--per-client", "8", log=log) as base:
        yield base
    assert "Traceback" not in log.read_text(errors="replace")


def test_every_manifest_entry_is_transcribed():
    assert len(CASES) == MANIFEST_ENTRIES
    assert len({case.name for case in CASES}) == MANIFEST_ENTRIES


def send(base: str, request: Request) -> httpx.Response:
    headers = {}
    if request.content_type is not None:
        headers["Content-Type"] = request.content_type
    content = None
    if request.body is not None:
        # Python's "utf-16" writes the byte-order mark the manifest's UTF-16 bodies begin with
        content = request.body.encode("utf-16" if request.encoding.upper() == "UTF-16" else "utf-8")
    return httpx.request(request.method, base + request.path, content=content, headers=headers, timeout=30)


def check(response: httpx.Response, request: Request) -> None:
    status_class = f"{response.status_code // 100}xx"
    expected = {"2xx": ("2xx", "3xx"), "4xx": ("4xx",)}[request.status]
    assert status_class in expected, (response.status_code, response.text)
    if request.status == "4xx":
        assert response.headers["content-type"].startswith("text/plain")
        assert "Traceback" not in response.text
        return
    media = response.headers.get("content-type", "").split(";")[0].strip()
    if request.result == "boolean":
        assert media in BOOLEAN_TYPES, media
        result = ox.parse_query_results(response.content, format=BOOLEAN_TYPES[media])
        assert isinstance(result, ox.QueryBoolean)
        if request.boolean is not None:
            assert bool(result) is request.boolean
    elif request.result == "tabular":
        assert media in TABULAR_TYPES, media
        assert isinstance(ox.parse_query_results(response.content, format=TABULAR_TYPES[media]), ox.QuerySolutions)
    elif request.result == "RDF":
        assert media in RDF_TYPES, media
        list(ox.parse(response.content, format=RDF_TYPES[media]))


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_protocol_case(endpoint, case: Case):
    for request in case.requests:
        check(send(endpoint, request), request)


def test_query_results_match_the_spec_examples(endpoint):
    """One case checked in full: query_content_type_select's single row is ?value = 1."""
    response = httpx.post(f"{endpoint}/sparql/", content=b"SELECT (1 AS ?value) {}",
                          headers={"Content-Type": "application/sparql-query",
                                   "Accept": "application/sparql-results+json"})
    assert json.loads(response.text)["results"]["bindings"] == [
        {"value": {"type": "literal", "value": "1", "datatype": "http://www.w3.org/2001/XMLSchema#integer"}}]
