"""The W3C SPARQL 1.1 Protocol test cases, as data.

Transcribed from the test descriptions of the W3C test suite (rdf-tests, `sparql/sparql11/protocol/
manifest.ttl`: each test's `mf:name`, its HTTP requests and the expected responses), not generated
from our server's behaviour. All 34 entries of the manifest are here.

What "applies to a read-only endpoint" means, case by case:

- The query cases (`query_*`) and the refusals (`bad_query_*`, `bad_update_*`) apply as written.
  Their data (`ut:graphData`: the graphs `http://kasei.us/2009/09/sparql/data/dataN.rdf`) is loaded
  into the store the test server reads; `GRAPH_DATA` below holds it. The manifest gives only the
  graph names and the file names; each graph holds one statement, `<dataN.rdf> a foaf:Document`,
  which is what the suite's own update cases insert and what its ASK queries look for.
- The update cases (`update_*`) expect 2xx from an endpoint that accepts updates. A read-only
  endpoint must refuse them: for us their update request must come back 4xx, and the follow-up
  query that checks the update's effect does not apply (there is no effect to check).
- `query_multiple_dataset`: the manifest's request path percent-encodes the `&` between its two
  `named-graph-uri` parameters (`%26named-graph-uri%3D`), which makes one parameter with an odd IRI.
  The test as implemented by its author sends two parameters (w3c/rdf-tests issue #78); so do we.
"""

from __future__ import annotations

from dataclasses import dataclass, field

KASEI = "http://kasei.us/2009/09/sparql/data/"
FOAF_DOCUMENT = "http://xmlns.com/foaf/0.1/Document"

GRAPH_DATA = {f"{KASEI}data{n}.rdf": f"<{KASEI}data{n}.rdf> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> "
                                      f"<{FOAF_DOCUMENT}> .\n" for n in range(4)}

D0 = "default-graph-uri=http%3A%2F%2Fkasei.us%2F2009%2F09%2Fsparql%2Fdata%2Fdata0.rdf"
D1 = "default-graph-uri=http%3A%2F%2Fkasei.us%2F2009%2F09%2Fsparql%2Fdata%2Fdata1.rdf"
D2 = "default-graph-uri=http%3A%2F%2Fkasei.us%2F2009%2F09%2Fsparql%2Fdata%2Fdata2.rdf"
D3 = "default-graph-uri=http%3A%2F%2Fkasei.us%2F2009%2F09%2Fsparql%2Fdata%2Fdata3.rdf"
N1 = "named-graph-uri=http%3A%2F%2Fkasei.us%2F2009%2F09%2Fsparql%2Fdata%2Fdata1.rdf"
N2 = "named-graph-uri=http%3A%2F%2Fkasei.us%2F2009%2F09%2Fsparql%2Fdata%2Fdata2.rdf"
FORM = "application/x-www-form-urlencoded"
QUERY = "application/sparql-query"
UPDATE = "application/sparql-update"

INSERT_THREE = "INSERT DATA {\n" + "".join(
    f"    GRAPH <{KASEI}data{n}.rdf> {{ <{KASEI}data{n}.rdf> a foaf:Document }}\n" for n in (1, 2, 3)) + "} ;\n"
"""The INSERT DATA that three of the update cases begin with (after their PREFIX and DROP ALL lines)."""

ASK_DATA1_DATA2 = ("ASK { <http://kasei.us/2009/09/sparql/data/data1.rdf> a ?type . "
                   "<http://kasei.us/2009/09/sparql/data/data2.rdf> a ?type . }")
ASK_NAMED = ("ASK { GRAPH ?g1 { <http://kasei.us/2009/09/sparql/data/data1.rdf> a ?type } "
             "GRAPH ?g2 { <http://kasei.us/2009/09/sparql/data/data2.rdf> a ?type } }")


@dataclass(frozen=True)
class Request:
    method: str
    path: str  # ht:absolutePath
    body: str | None = None
    content_type: str | None = None
    encoding: str = "UTF-8"  # cnt:characterEncoding of the body
    status: str = "2xx"  # mf:expectedStatus, as we must meet it
    result: str | None = None  # mf:expectedFormat: "boolean", "tabular" or "RDF"
    boolean: bool | None = None  # mf:expectedBoolean


@dataclass(frozen=True)
class Case:
    name: str
    title: str  # mf:name
    requests: tuple[Request, ...]
    read_only: str = "as written"  # how the case applies to a read-only endpoint
    notes: str = ""
    manifest_path: str | None = field(default=None)  # where our request differs from the manifest's


def _update(name: str, title: str, path: str, body: str, content_type: str | None = UPDATE) -> Case:
    return Case(name, title, (Request("POST", path, body, content_type, status="4xx"),),
                read_only="refused", notes="an update: a read-only endpoint answers 4xx; the follow-up "
                                           "query that checks its effect does not apply")


CASES: tuple[Case, ...] = (
    Case("query_post_form", "query via URL-encoded POST",
         (Request("POST", f"/sparql/?{D0}", "query=ASK%20%7B%7D", FORM, result="boolean", boolean=True),)),
    Case("query_dataset_default_graphs_get", "GET query with protocol-specified default graph",
         (Request("GET", "/sparql/?query=ASK%20%7B%20%3Chttp%3A%2F%2Fkasei.us%2F2009%2F09%2Fsparql%2Fdata%2Fdata1.rdf"
                         "%3E%20a%20%3Ftype%20.%20%3Chttp%3A%2F%2Fkasei.us%2F2009%2F09%2Fsparql%2Fdata%2Fdata2.rdf"
                         f"%3E%20a%20%3Ftype%20.%20%7D&{D1}&{D2}", result="boolean", boolean=True),)),
    Case("query_dataset_default_graphs_post", "POST query with protocol-specified default graphs",
         (Request("POST", f"/sparql/?{D1}&{D2}", ASK_DATA1_DATA2, QUERY, result="boolean", boolean=True),)),
    Case("query_dataset_named_graphs_post", "POST query with protocol-specified named graphs",
         (Request("POST", f"/sparql/?{N1}&{N2}", ASK_NAMED, QUERY, result="boolean", boolean=True),)),
    Case("query_dataset_named_graphs_get", "GET query with protocol-specified named graphs",
         (Request("GET", "/sparql/?query=ASK%20%7B%20GRAPH%20%3Fg1%20%7B%20%3Chttp%3A%2F%2Fkasei.us%2F2009%2F09%2F"
                         "sparql%2Fdata%2Fdata1.rdf%3E%20a%20%3Ftype%20%7D%20GRAPH%20%3Fg2%20%7B%20%3Chttp%3A%2F%2F"
                         "kasei.us%2F2009%2F09%2Fsparql%2Fdata%2Fdata2.rdf%3E%20a%20%3Ftype%20%7D%20%7D"
                         f"&{N1}&{N2}", result="boolean", boolean=True),)),
    Case("query_dataset_full", "query with protocol-specified dataset (both named and default graphs)",
         (Request("POST", f"/sparql/?{D3}&{N1}&{N2}",
                  "ASK {\n  <http://kasei.us/2009/09/sparql/data/data3.rdf> a ?type\n"
                  "  GRAPH ?g1 { <http://kasei.us/2009/09/sparql/data/data1.rdf> a ?type }\n"
                  "  GRAPH ?g2 { <http://kasei.us/2009/09/sparql/data/data2.rdf> a ?type }\n}",
                  QUERY, result="boolean", boolean=True),)),
    Case("query_multiple_dataset",
         "query specifying dataset in both query string and protocol; test for use of protocol-specified dataset",
         (Request("POST", f"/sparql/?{N1}&{N2}",
                  "ASK FROM <http://kasei.us/2009/09/sparql/data/data3.rdf> { GRAPH ?g1 { "
                  "<http://kasei.us/2009/09/sparql/data/data1.rdf> a ?type } GRAPH ?g2 { "
                  "<http://kasei.us/2009/09/sparql/data/data2.rdf> a ?type } }",
                  QUERY, result="boolean", boolean=True),),
         notes="two named-graph-uri parameters, as the test's author implemented it (rdf-tests #78)",
         manifest_path="/sparql/?named-graph-uri=http%3A%2F%2Fkasei.us%2F2009%2F09%2Fsparql%2Fdata%2Fdata1.rdf"
                       "%26named-graph-uri%3Dhttp%3A%2F%2Fkasei.us%2F2009%2F09%2Fsparql%2Fdata%2Fdata2.rdf"),
    Case("query_get", "query via GET",
         (Request("GET", f"/sparql/?query=ASK%20%7B%7D&{D0}", result="boolean", boolean=True),)),
    Case("query_content_type_select", "query appropriate content type (expect one of: XML, JSON, CSV, TSV)",
         (Request("POST", f"/sparql/?{D0}", "SELECT (1 AS ?value) {}", QUERY, result="tabular"),)),
    Case("query_content_type_ask", "query appropriate content type (expect one of: XML, JSON)",
         (Request("POST", f"/sparql/?{D0}", "ASK {}", QUERY, result="boolean"),)),
    Case("query_content_type_describe",
         "query appropriate content type (expect one of: RDF/XML, Turtle, N-Triples, RDFa)",
         (Request("POST", f"/sparql/?{D0}", "DESCRIBE <http://example.org/>", QUERY, result="RDF"),)),
    Case("query_content_type_construct",
         "query appropriate content type (expect one of: RDF/XML, Turtle, N-Triples, RDFa)",
         (Request("POST", f"/sparql/?{D0}", "CONSTRUCT { <s> <p> 1 } WHERE {}", QUERY, result="RDF"),)),
    _update("update_dataset_default_graph", "update with protocol-specified default graph",
            "/sparql/?using-graph-uri=http%3A%2F%2Fkasei.us%2F2009%2F09%2Fsparql%2Fdata%2Fdata1.rdf",
            "PREFIX dc: <http://purl.org/dc/terms/>\nPREFIX foaf: <http://xmlns.com/foaf/0.1/>\nCLEAR ALL ;\n"
            "INSERT DATA {\n    GRAPH <http://kasei.us/2009/09/sparql/data/data1.rdf> {\n"
            "        <http://kasei.us/2009/09/sparql/data/data1.rdf> a foaf:Document\n    }\n} ;\n"
            "INSERT {\n    GRAPH <http://example.org/protocol-update-dataset-test/> {\n"
            "        ?s a dc:BibliographicResource\n    }\n}\nWHERE {\n    ?s a foaf:Document\n}"),
    _update("update_dataset_default_graphs", "update with protocol-specified default graphs",
            "/sparql/?using-graph-uri=http%3A%2F%2Fkasei.us%2F2009%2F09%2Fsparql%2Fdata%2Fdata1.rdf"
            "&using-graph-uri=http%3A%2F%2Fkasei.us%2F2009%2F09%2Fsparql%2Fdata%2Fdata2.rdf",
            "PREFIX dc: <http://purl.org/dc/terms/>\nPREFIX foaf: <http://xmlns.com/foaf/0.1/>\nDROP ALL ;\n"
            + INSERT_THREE +
            "INSERT {\n    GRAPH <http://example.org/protocol-update-dataset-graphs-test/> {\n"
            "        ?s a dc:BibliographicResource\n    }\n}\nWHERE {\n    ?s a foaf:Document\n}"),
    _update("update_dataset_named_graphs", "update with protocol-specified named graphs",
            "/sparql/?using-named-graph-uri=http%3A%2F%2Fkasei.us%2F2009%2F09%2Fsparql%2Fdata%2Fdata1.rdf"
            "&using-named-graph-uri=http%3A%2F%2Fkasei.us%2F2009%2F09%2Fsparql%2Fdata%2Fdata2.rdf",
            "PREFIX dc: <http://purl.org/dc/terms/>\nPREFIX foaf: <http://xmlns.com/foaf/0.1/>\nDROP ALL ;\n"
            + INSERT_THREE +
            "INSERT {\n    GRAPH <http://example.org/protocol-update-dataset-named-graphs-test/> {\n"
            "        ?s a dc:BibliographicResource\n    }\n}\n"
            "WHERE {\n    GRAPH ?g {\n        ?s a foaf:Document\n    }\n}"),
    _update("update_dataset_full", "update with protocol-specified dataset (both named and default graphs)",
            "/sparql/?using-graph-uri=http%3A%2F%2Fkasei.us%2F2009%2F09%2Fsparql%2Fdata%2Fdata1.rdf"
            "&using-named-graph-uri=http%3A%2F%2Fkasei.us%2F2009%2F09%2Fsparql%2Fdata%2Fdata2.rdf",
            "PREFIX dc: <http://purl.org/dc/terms/>\nPREFIX foaf: <http://xmlns.com/foaf/0.1/>\nDROP ALL ;\n"
            + INSERT_THREE +
            "INSERT {\n    GRAPH <http://example.org/protocol-update-dataset-full-test/> {\n"
            "        ?s <http://example.org/in> ?in\n    }\n}\n"
            "WHERE {\n    {\n        GRAPH ?g { ?s a foaf:Document }\n"
            "        BIND(?g AS ?in)\n    }\n    UNION\n    {\n        ?s a foaf:Document .\n"
            "        BIND(\"default\" AS ?in)\n    }\n}"),
    _update("update_post_form", "update via URL-encoded POST", "/sparql/", "update=CLEAR+ALL", FORM),
    _update("update_post_direct", "update via POST directly", "/sparql/", "CLEAR ALL"),
    _update("update_base_uri", "test for service-defined BASE URI (\"which MAY be the service endpoint\")",
            "/sparql/", "CLEAR GRAPH <http://example.org/protocol-base-test/> ;\nINSERT DATA { GRAPH "
            "<http://example.org/protocol-base-test/> { <http://example.org/s> <http://example.org/p> <test> } }"),
    Case("query_post_direct", "query via POST directly",
         (Request("POST", "/sparql/", "ASK {}", QUERY, result="boolean", boolean=True),)),
    Case("bad_query_method", "invoke query operation with a method other than GET or POST",
         (Request("PUT", f"/sparql/?query=ASK%20%7B%7D&{D0}", "", FORM, status="4xx"),)),
    Case("bad_multiple_queries", "invoke query operation with more than one query string",
         (Request("GET", "/sparql/?query=ASK%20%7B%7D&query=SELECT%20%2A%20%7B%7D", status="4xx"),)),
    Case("bad_query_wrong_media_type",
         "invoke query operation with a POST with media type that's not url-encoded or application/sparql-query",
         (Request("POST", "/sparql/", "ASK {}", "text/plain", status="4xx"),)),
    Case("bad_query_missing_form_type",
         "invoke query operation with url-encoded body, but without application/x-www-form-urlencoded media type",
         (Request("POST", "/sparql/", "query=ASK%20%7B%7D", None, status="4xx"),)),
    Case("bad_query_missing_direct_type",
         "invoke query operation with SPARQL body, but without application/sparql-query media type",
         (Request("POST", "/sparql/", "ASK {}", None, status="4xx"),)),
    Case("bad_query_non_utf8", "invoke query operation with direct POST, but with a non-UTF8 encoding (UTF-16)",
         (Request("POST", "/sparql/", "ASK {}", "application/sparql-query; charset=UTF-16", encoding="UTF-16",
                  status="4xx"),)),
    Case("bad_query_syntax", "invoke query operation with invalid query syntax (4XX result)",
         (Request("GET", "/sparql/?query=ASK%20%7B", status="4xx"),)),
    Case("bad_update_get", "invoke update operation with GET",
         (Request("GET", "/sparql/?update=CLEAR%20ALL", status="4xx"),)),
    Case("bad_multiple_updates", "invoke update operation with more than one update string",
         (Request("POST", "/sparql/", "update=CLEAR%20NAMED&update=CLEAR%20DEFAULT", FORM, status="4xx"),)),
    Case("bad_update_wrong_media_type",
         "invoke update operation with a POST with media type that's not url-encoded or application/sparql-update",
         (Request("POST", "/sparql/", "CLEAR NAMED", "text/plain", status="4xx"),)),
    Case("bad_update_missing_form_type",
         "invoke update operation with url-encoded body, but without application/x-www-form-urlencoded media type",
         (Request("POST", "/sparql/", "update=CLEAR%20NAMED", None, status="4xx"),)),
    Case("bad_update_non_utf8", "invoke update operation with direct POST, but with a non-UTF8 encoding",
         (Request("POST", "/sparql/", "CLEAR NAMED", "application/sparql-update; charset=UTF-16", encoding="UTF-16",
                  status="4xx"),)),
    Case("bad_update_syntax", "invoke update operation with invalid update syntax",
         (Request("POST", "/sparql/", "update=CLEAR%20XYZ", FORM, status="4xx"),)),
    Case("bad_update_dataset_conflict",
         "invoke update with both using-graph-uri/using-named-graph-uri parameter and USING/WITH clause",
         (Request("POST", "/sparql/?using-named-graph-uri=http%3A%2F%2Fexample%2Fpeople",
                  "PREFIX foaf:  <http://xmlns.com/foaf/0.1/>\nWITH <http://example/addresses>\n"
                  "DELETE { ?person foaf:givenName 'Bill' }\nINSERT { ?person foaf:givenName 'William' }\n"
                  "WHERE {\n    ?person foaf:givenName 'Bill'\n}", UPDATE, status="4xx"),)),
)

MANIFEST_ENTRIES = 34
"""The number of entries of the manifest's `mf:entries` list, to check nothing was left out."""
