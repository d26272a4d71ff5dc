"""The HTTP side of the endpoint: the SPARQL 1.1 Protocol at `/sparql`, linked data, pages, dumps.

Why our own HTTP layer over the embedded engine rather than an engine's bundled server: what a
public endpoint needs is what those servers lack (PITFALLS.md): a time limit that really stops a
query and answers with an error status rather than a truncated 200, refusal of SERVICE and LOAD
and of graphs that are not ours, a bound on nesting before the parser can overflow its stack,
bounds on request size and on concurrent queries per client, and messages instead of tracebacks.

Order of the checks for a query, cheapest first: URL length (414, before routing), method (405),
body size (413, before the body is read when Content-Length says so), media type (415), protocol
parameters (400: two queries, updates), the guard (400: SERVICE, LOAD, FROM of a foreign graph,
nesting), content negotiation (406), the per-client bound (429 with Retry-After), and only then a
worker process with the time limit (503 when it is exceeded).

The server only reads, and by default it reads a private checkpoint of the store taken at start
(`take_snapshot`), so a build may write the original directory while the server runs; with
`--no-snapshot` it opens the directory itself read-only, and nobody may write it meanwhile.
"""

from __future__ import annotations

import asyncio
import logging
import os
import shutil
import tempfile
from collections import OrderedDict
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from urllib.parse import parse_qsl

import anyio
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.requests import ClientDisconnect, Request
from starlette.responses import FileResponse, RedirectResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from ..sparql import PREFIXES, expand_short_iris
from . import linked_data as ld
from . import search_page
from .dumps import DUMPS, Dumps, by_name
from .fair import TAKEN_BACK, FairGate
from .guard import DEFAULT_MAX_DEPTH, Refusal, check_graph_params, check_query
from .pages import CSP, h, page, query_page
from .worker import Answer, WorkerPool, parse_term

log = logging.getLogger("untoc_kg.server")

STATIC_DIR = Path(__file__).resolve().parent / "static"

FORM = "application/x-www-form-urlencoded"
SPARQL_QUERY = "application/sparql-query"
SPARQL_UPDATE = "application/sparql-update"

TABULAR_MEDIA = {
    "application/sparql-results+json": "json", "application/json": "json",
    "application/sparql-results+xml": "xml", "application/xml": "xml", "text/xml": "xml",
    "text/csv": "csv", "text/tab-separated-values": "tsv",
}
BOOLEAN_MEDIA = {k: v for k, v in TABULAR_MEDIA.items() if v in ("json", "xml")}
GRAPH_MEDIA = {
    "text/turtle": "ttl", "application/x-turtle": "ttl", "application/turtle": "ttl",
    "application/n-triples": "nt", "application/rdf+xml": "rdfxml", "application/xml": "rdfxml",
    "text/xml": "rdfxml", "application/ld+json": "jsonld", "application/json": "jsonld",
    "text/n3": "ttl", "text/rdf+n3": "ttl",
}
FORMAT_PARAM = {  # ?format= / ?output= as SPARQLWrapper, Virtuoso and Fuseki clients send it
    "json": ("json", "json", "jsonld"), "xml": ("xml", "xml", "rdfxml"), "csv": ("csv", None, None),
    "tsv": ("tsv", None, None), "turtle": (None, None, "ttl"), "ttl": (None, None, "ttl"),
    "n3": (None, None, "ttl"), "nt": (None, None, "nt"), "ntriples": (None, None, "nt"),
    "n-triples": (None, None, "nt"), "rdf": (None, None, "rdfxml"), "rdfxml": (None, None, "rdfxml"),
    "rdf+xml": (None, None, "rdfxml"), "json-ld": (None, None, "jsonld"), "jsonld": (None, None, "jsonld"),
}
UPDATE_PARAMS = ("update", "using-graph-uri", "using-named-graph-uri")
MAX_PARAMS = 1_000
MAX_ACCEPT_RANGES = 32  # media ranges of an Accept header that content negotiation reads

CORS = {"Access-Control-Allow-Origin": "*",
        "Access-Control-Expose-Headers": "X-SPARQL-Truncated, X-SPARQL-MaxRows, X-SPARQL-MaxBytes, X-SPARQL-Results, "
                                         "Retry-After"}
PREFLIGHT = {**CORS, "Access-Control-Allow-Methods": "GET, HEAD, POST, OPTIONS",
             "Access-Control-Allow-Headers": "Accept, Content-Type", "Access-Control-Max-Age": "86400"}
HTML_HEADERS = {"Content-Security-Policy": CSP, "Referrer-Policy": "same-origin", "X-Frame-Options": "DENY"}
ALLOW = {"Allow": "GET, HEAD, POST, OPTIONS"}


def default_workers() -> int:
    return max(2, os.cpu_count() or 2)


@dataclass(frozen=True)
class Settings:
    """Every limit of the endpoint; the CLI's options map one to one onto these."""

    store: str
    timeout: float = 10.0
    max_results: int = 10_000
    workers: int = field(default_factory=default_workers)
    per_client: int = 4
    max_depth: int = DEFAULT_MAX_DEPTH
    max_body: int = 64 * 1024
    max_url: int = 8 * 1024
    snapshot: bool = True
    max_memory: int | None = 2048  # MiB of heap per query worker
    max_bytes: int = 16 * 1024 * 1024  # bytes of one answer; past it the answer is cut like past max_results
    client_share: int | None = None  # workers one client may run at once [default and ceiling: workers - 1]
    base_url: str | None = None  # the public address (VoID, service description); never the Host header
    upstream: str | None = None  # a remote SPARQL endpoint to front instead of the store (kg.upstream_front)
    upstream_user: str | None = None
    upstream_password: str | None = None

    def limits(self) -> dict:
        return {"timeout": f"{self.timeout:g}", "max_results": self.max_results, "per_client": self.per_client,
                "max_memory": self.max_memory, "max_bytes": self.max_bytes,
                "max_depth": self.max_depth, "max_body": self.max_body, "max_url": self.max_url}


class CheckedQueries:
    """The guard's verdict on recent query texts, so a query sent again is not lexed again: a
    bounded LRU of (query text, base) -> (the query with its short IRIs expanded, `CheckedQuery`).

    Only queries the guard let through are kept (a refusal is checked afresh every time), and only
    texts of at most `max_chars`, so the cache holds at most `size * max_chars` characters. The
    verdict depends on nothing else that varies: the graphs, prefixes and nesting bound are the
    server's own, fixed at start."""

    def __init__(self, size: int = 256, max_chars: int = 16 * 1024):
        self.size = size
        self.max_chars = max_chars
        self._entries: OrderedDict[tuple[str, str], tuple[str, object]] = OrderedDict()

    def check(self, text: str, base: str, graphs, max_depth: int):
        key = (text, base)
        hit = self._entries.get(key)
        if hit is not None:
            self._entries.move_to_end(key)
            return hit
        # the short IRIs the tool prints (`id:body/wg-tip`, `id:doc/A/RES/74/247#p2`) paste back as they are
        query = expand_short_iris(text, PREFIXES)
        checked = check_query(query, graphs=graphs, base=base, prefixes=PREFIXES, max_depth=max_depth)
        if len(text) <= self.max_chars:
            self._entries[key] = (query, checked)
            if len(self._entries) > self.size:
                self._entries.popitem(last=False)
        return query, checked


@dataclass
class Served:
    """What the app serves from: opened once at start, read by every request."""

    settings: Settings
    store_dir: str
    store: object
    catalog: ld.Catalog
    ontology: ld.Ontology
    pool: WorkerPool
    dumps: Dumps
    home: bytes
    tempdir: str
    gate: FairGate = field(default_factory=lambda: FairGate(2))
    checked: CheckedQueries = field(default_factory=CheckedQueries)


def plain(status: int, message: str, headers: dict | None = None) -> Response:
    return Response((message.rstrip("\n") + "\n").encode("utf-8"), status_code=status,
                    media_type="text/plain; charset=utf-8", headers=headers)


def html_response(body: bytes, status: int = 200, headers: dict | None = None) -> Response:
    return Response(body, status_code=status, media_type="text/html; charset=utf-8",
                    headers={**HTML_HEADERS, **(headers or {})})


def _base(request: Request) -> str:
    """The public base URL: `--base-url`, else the address the server's socket listens on. Never
    the request's Host header, which any client may set to anything (it was reflected into VoID)."""
    served = getattr(request.app.state, "served", None)
    if served is not None and served.settings.base_url:
        return served.settings.base_url.rstrip("/")
    host, port = (request.scope.get("server") or ("127.0.0.1", None))[:2]
    host = f"[{host}]" if ":" in str(host) else host
    return f"http://{host}" + (f":{port}" if port not in (None, 80) else "")


# ---------------------------------------------------------------------------------------------
# Reading a protocol request


def _params(raw: bytes) -> list[tuple[str, str]]:
    try:
        return parse_qsl(raw.decode("ascii"), keep_blank_values=True, encoding="utf-8", errors="strict",
                         max_num_fields=MAX_PARAMS)
    except UnicodeDecodeError as exc:
        raise Refusal(400, "Bad request: parameters must be percent-encoded UTF-8") from exc
    except ValueError as exc:
        raise Refusal(400, f"Bad request: {exc}") from exc


async def _body(request: Request, limit: int) -> bytes:
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        raise Refusal(413, f"Request too large: the body may hold at most {limit} bytes")
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise Refusal(413, f"Request too large: the body may hold at most {limit} bytes")
        chunks.append(chunk)
    return b"".join(chunks)


def _content_type(request: Request) -> tuple[str, str | None]:
    value = request.headers.get("content-type", "")
    media, *params = [p.strip() for p in value.split(";")]
    charset = None
    for param in params:
        key, _, val = param.partition("=")
        if key.strip().lower() == "charset":
            charset = val.strip().strip('"').lower()
    return media.lower(), charset


@dataclass
class ProtocolRequest:
    query: str | None
    default_graphs: list[str]
    named_graphs: list[str]
    bindings: dict[str, str]
    format: str | None


async def read_protocol(request: Request, max_body: int) -> ProtocolRequest:
    params = _params(request.scope.get("query_string", b""))
    direct: str | None = None
    if request.method == "POST":
        media, charset = _content_type(request)
        if media == SPARQL_UPDATE:
            raise Refusal(400, "Update refused: this endpoint is read-only")
        if media not in (FORM, SPARQL_QUERY):
            shown = f"Content-Type {media}" if media else "no Content-Type"
            raise Refusal(415, f"Unsupported media type: a query by POST needs Content-Type {FORM} or "
                               f"{SPARQL_QUERY}, this request has {shown}")
        if charset not in (None, "utf-8", "utf8"):
            raise Refusal(415, f"Unsupported media type: the request is in {charset}; send UTF-8")
        body = await _body(request, max_body)
        if media == FORM:
            params += _params(body)
        else:
            try:
                direct = body.decode("utf-8")
            except UnicodeDecodeError as exc:
                raise Refusal(400, "Bad request: the query is not valid UTF-8") from exc
    if any(key in UPDATE_PARAMS for key, _ in params):
        raise Refusal(400, "Update refused: this endpoint is read-only")
    queries = [value for key, value in params if key == "query"] + ([direct] if direct is not None else [])
    if len(queries) > 1:
        raise Refusal(400, "Bad request: a request may carry one query, this one has "
                           f"{len(queries)}")
    bindings = {}
    for key, value in params:
        if key.startswith("$"):
            name = key[1:]
            if not name.replace("_", "a").isalnum():
                raise Refusal(400, f"Bad request: {key} is not a variable name")
            try:
                parse_term(value)
            except ValueError as exc:
                raise Refusal(400, f"Bad request: {key}: {exc}") from exc
            bindings[name] = value
    fmt = next((value for key, value in params if key in ("format", "output") and value), None)
    return ProtocolRequest(queries[0] if queries else None,
                           [v for k, v in params if k == "default-graph-uri"],
                           [v for k, v in params if k == "named-graph-uri"], bindings, fmt)


@lru_cache(maxsize=256)
def choose_formats(accept: str | None, fmt: str | None) -> tuple[str | None, str | None, str | None]:
    """(tabular, boolean, graph) formats the client accepts, from ?format= or from Accept.

    Cached: clients send few distinct Accept headers, and each is negotiated three times here
    (the cache holds at most 256 of them, each bounded to MAX_ACCEPT_RANGES ranges)."""
    if fmt:
        key = fmt.strip().lower()
        if key in FORMAT_PARAM:
            return FORMAT_PARAM[key]
        if "/" in key:
            accept = key
    tabular = ld.negotiate(accept, list(TABULAR_MEDIA))
    boolean = ld.negotiate(accept, list(BOOLEAN_MEDIA))
    graph = ld.negotiate(accept, list(GRAPH_MEDIA))
    return (TABULAR_MEDIA.get(tabular or ""), BOOLEAN_MEDIA.get(boolean or ""), GRAPH_MEDIA.get(graph or ""))


# ---------------------------------------------------------------------------------------------
# Handlers


async def sparql_endpoint(request: Request) -> Response:
    served: Served = request.app.state.served
    if request.method == "OPTIONS":
        return Response(status_code=204, headers={**PREFLIGHT, **ALLOW})
    if request.method not in ("GET", "HEAD", "POST"):
        return plain(405, f"Method not allowed: {request.method}; this endpoint is read-only, query it "
                          "with GET or POST", {**CORS, **ALLOW})
    try:
        proto = await read_protocol(request, served.settings.max_body)
        if proto.query is None:
            if request.method == "POST":
                raise Refusal(400, "Bad request: no query (send it as the parameter `query`, or as the "
                                   f"body with Content-Type {SPARQL_QUERY})")
            return service_description(request)
        graphs = served.catalog.graph_set
        base = f"{_base(request)}/sparql"
        query, checked = served.checked.check(proto.query, base, graphs, served.settings.max_depth)
        if proto.default_graphs or proto.named_graphs:
            check_graph_params(proto.default_graphs, proto.named_graphs, graphs)
            default, named = proto.default_graphs, proto.named_graphs
        elif checked.has_dataset:
            default, named = list(checked.from_graphs), list(checked.from_named)
        else:
            default = named = None  # the endpoint's own dataset: every graph, their union the default
        tabular, boolean, graph = choose_formats(request.headers.get("accept"), proto.format)
        needed = {"SELECT": tabular, "ASK": boolean, "CONSTRUCT": graph, "DESCRIBE": graph}[checked.form]
        if needed is None:
            offered = {"SELECT": TABULAR_MEDIA, "ASK": BOOLEAN_MEDIA}.get(checked.form, GRAPH_MEDIA)
            raise Refusal(406, f"Not acceptable: a {checked.form} result can be had as "
                               f"{', '.join(dict.fromkeys(offered))}")
        job = {"query": query, "base": base, "default": default,
               "named": named, "tabular": tabular, "boolean": boolean, "graph": graph,
               "bindings": proto.bindings, "uses_graph": checked.uses_graph}
        client = request.client.host if request.client else "unknown"
        async with served.gate.slot(client) as ticket:
            async def stop() -> bool:  # polled while the query runs: a lent worker taken back, a client gone
                return ticket.should_stop() or await request.is_disconnected()

            answer = await served.pool.run(job, stop)
            ticket.hold = answer.replacement  # a worker this query killed counts as its own until replaced
            if ticket.taken_back:
                answer = Answer.error(503, TAKEN_BACK.format(seconds=served.gate.take_back_after),
                                      {"Retry-After": "1"})
    except Refusal as refusal:
        return plain(refusal.status, refusal.message, {**CORS, **refusal.headers})
    except ClientDisconnect:
        # the client left while sending its body (or the front closed it at the body timeout):
        # nobody reads this answer, and it is no error of ours to log
        return plain(400, "Bad request: the client went away before its request was complete", CORS)
    return _answer(answer)


def _answer(answer: Answer) -> Response:
    headers = {**CORS, "Vary": "Accept", **answer.headers}
    return Response(answer.body, status_code=answer.status, media_type=answer.content_type, headers=headers)


def _rdf_document(request: Request, statements, html_redirect: str | None = None) -> Response:
    fmt = ld.choose_rdf(request.headers.get("accept"), request.query_params.get("format"),
                        html="last" if html_redirect is not None else None)
    if fmt == "html" and html_redirect is not None:
        return RedirectResponse(html_redirect, status_code=303, headers={"Vary": "Accept"})
    if fmt is None or fmt == "html":
        return plain(406, "Not acceptable: this document can be had as " + ", ".join(ld.RDF_MEDIA), CORS)
    return Response(ld.serialize(statements, fmt), media_type=ld.RDF_CONTENT_TYPES[fmt],
                    headers={**CORS, "Vary": "Accept"})


def service_description(request: Request) -> Response:
    served: Served = request.app.state.served
    triples = ld.service_description(_base(request), served.catalog, served.settings.limits())
    return _rdf_document(request, triples, html_redirect="/")


async def void(request: Request) -> Response:
    served: Served = request.app.state.served
    base = _base(request)
    # over an upstream store no dump is made here (the upstream has its own): none is advertised
    dumps = [] if served.settings.upstream else [f"{base}/dumps/{d.name}" for d in DUMPS]
    triples = ld.void_description(base, served.catalog, dumps)
    return _rdf_document(request, triples, html_redirect="/dumps/")


async def home(request: Request) -> Response:
    return html_response(request.app.state.served.home)


async def entity(request: Request) -> Response:
    served: Served = request.app.state.served
    if not served.settings.upstream:
        return await _entity(request, served)
    # over an upstream store the page is made within the front's time limit, whatever the upstream does
    from ..upstream_front import TIMEOUT_MESSAGE, within_limit

    try:
        return await within_limit(served.settings.timeout, lambda: _entity(request, served))
    except TimeoutError:
        return plain(503, TIMEOUT_MESSAGE.format(limit=served.settings.timeout), CORS)


async def _entity(request: Request, served: "Served") -> Response:
    raw = request.scope.get("raw_path") or request.url.path.encode()
    path = raw.decode("latin-1")[len("/id/"):]
    fmt = ld.choose_rdf(request.headers.get("accept"), request.query_params.get("format"))
    if fmt is None:
        return plain(406, "Not acceptable: a resource can be had as text/html, " + ", ".join(ld.RDF_MEDIA), CORS)
    graphs = served.catalog.graph_set
    iri = await asyncio.to_thread(ld.iri_for_path, served.store, path, graphs)
    if iri is None:
        message = f"Not found: the graph knows nothing about {ld.ID_BASE}{path}"
        if fmt == "html":
            return html_response(page("Not found", h("h1", None, "Not found"), h("p", None, message)), 404)
        return plain(404, message, CORS)
    description = await asyncio.to_thread(ld.describe, served.store, iri, graphs)
    alternates = ", ".join(f'<{request.url.path}?format={k}>; rel="alternate"; type="{m}"'
                           for k, m in (("ttl", "text/turtle"), ("jsonld", "application/ld+json")))
    headers = {**CORS, "Vary": "Accept", "Link": alternates}
    if fmt == "html":
        body = await asyncio.to_thread(ld.entity_page, served.store, description, served.catalog,
                                       served.ontology.store)
        return html_response(body, headers=headers)
    data = await asyncio.to_thread(ld.serialize, description.quads(), fmt)
    return Response(data, media_type=ld.RDF_CONTENT_TYPES[fmt], headers=headers)


async def ontology(request: Request) -> Response:
    served: Served = request.app.state.served
    fmt = ld.choose_rdf(request.headers.get("accept"), request.query_params.get("format"))
    headers = {**CORS, "Vary": "Accept"}
    if fmt is None:
        return plain(406, "Not acceptable: the ontology can be had as text/html, " + ", ".join(ld.RDF_MEDIA), CORS)
    if fmt == "html":
        return html_response(ld.ontology_page(served.ontology), headers=headers)
    if fmt == "ttl":
        return Response(served.ontology.turtle, media_type=ld.RDF_CONTENT_TYPES["ttl"], headers=headers)
    return Response(ld.serialize(served.ontology.triples(), fmt), media_type=ld.RDF_CONTENT_TYPES[fmt],
                    headers=headers)


async def dumps_index(request: Request) -> Response:
    served: Served = request.app.state.served
    if served.settings.upstream:
        return html_response(page("Dumps", h("h1", None, "Dumps of the whole graph"),
                                  h("p", None, "None here: this server fronts an upstream SPARQL store, which "
                                               "keeps the data (and its own dumps). Query it through ",
                                    h("a", {"href": "/sparql"}, "the endpoint"), ".")))
    rows = []
    for dump in DUMPS:
        if dump.name in served.dumps.ready:
            state = h("code", None, f"sha256 {served.dumps.ready[dump.name]}")
        elif dump.name in served.dumps.failed:
            state = "could not be written (see the server's log)"
        else:
            state = "being written; reload in a moment"
        rows.append(h("li", None, h("a", {"href": f"/dumps/{dump.name}"}, dump.name), f" – {dump.title}. ", state))
    body = page("Dumps", h("h1", None, "Dumps of the whole graph"),
                h("p", None, "Made from the store this server reads; the same store gives the same bytes. "
                             "Also listed in the ", h("a", {"href": "/.well-known/void"}, "VoID description"), "."),
                h("ul", None, rows))
    return html_response(body)


async def dump_file(request: Request) -> Response:
    served: Served = request.app.state.served
    name = request.path_params["name"]
    dump = by_name(name)
    if dump is None:
        return plain(404, f"Not found: no dump named {name}; see /dumps/", CORS)
    if served.settings.upstream:
        return plain(404, "Not found: no dump is made when this server fronts an upstream store; see /dumps/", CORS)
    path = served.dumps.path(name)
    if path is None:
        if name in served.dumps.failed:
            return plain(500, f"The dump {name} could not be written", CORS)
        return plain(503, f"The dump {name} is being written; retry in a few seconds",
                     {**CORS, "Retry-After": "5"})
    return FileResponse(path, media_type="application/gzip", filename=name, headers=CORS)


async def favicon(request: Request) -> Response:
    """Browsers ask for /favicon.ico whatever the page says; the icon is an SVG."""
    return FileResponse(STATIC_DIR / "favicon.svg", media_type="image/svg+xml",
                        headers={"Cache-Control": "public, max-age=86400"})


# ---------------------------------------------------------------------------------------------
# The app


def bound_accept(headers: list[tuple[bytes, bytes]]) -> list[tuple[bytes, bytes]]:
    """Keep the first MAX_ACCEPT_RANGES media ranges of each Accept header: negotiation costs
    (ranges x offers), and an 889 KB Accept header once took 0.57 s of the event loop."""
    out = []
    for name, value in headers:
        if name == b"accept" and value.count(b",") >= MAX_ACCEPT_RANGES:
            value = b",".join(value.split(b",", MAX_ACCEPT_RANGES)[:MAX_ACCEPT_RANGES])
        out.append((name, value))
    return out


NOSNIFF = (b"x-content-type-options", b"nosniff")


class GuardRequestLine:
    """414 for a URL over the limit, before routing; `nosniff` on every response; Accept bounded.

    `direct` maps a path to (handler, methods): a request for it with one of those methods goes to
    the handler straight from here, past Starlette's router and its per-route wrappers (the
    endpoint's hot path: they cost more than the protocol's own checks on a light query). What
    those wrappers did for it is done here too: the Request, the response's `nosniff`; an
    exception still reaches Starlette's ServerErrorMiddleware (a 500 without a traceback), which
    wraps this middleware. Other methods (405 with Allow) and paths go through the router."""

    def __init__(self, app, max_url: int, direct: dict | None = None):
        self.app = app
        self.max_url = max_url
        self.direct = dict(direct or {})

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        length = len(scope.get("raw_path") or b"") + len(scope.get("query_string") or b"") + 1
        if length > self.max_url:
            response = plain(414, f"URI too long: {length} bytes, the limit is {self.max_url}; send the query "
                                  f"by POST", CORS)
            return await response(scope, receive, send)
        scope["headers"] = bound_accept(scope.get("headers") or [])
        route = self.direct.get(scope["path"]) if not scope.get("root_path") else None
        if route is not None and scope["method"] in route[1]:
            response = await route[0](Request(scope, receive, send))
            response.raw_headers.append(NOSNIFF)
            return await response(scope, receive, send)

        async def send_with_headers(message):
            if message["type"] == "http.response.start":
                message.setdefault("headers", [])
                message["headers"] = [*message["headers"], NOSNIFF]
            await send(message)

        return await self.app(scope, receive, send_with_headers)


def _private_dir(store_dir: Path) -> str:
    """A folder for the snapshot beside the store (same file system: the checkpoint hard-links the
    store's immutable files instead of copying them), else in the system's temporary folder."""
    try:
        return tempfile.mkdtemp(prefix=f".{store_dir.name}.serve-", dir=store_dir.resolve().parent)
    except OSError:
        return tempfile.mkdtemp(prefix="untoc-kg-serve-")


def take_snapshot(store_dir: Path, tempdir: str) -> str:
    """A private checkpoint of the store, without the build's bookkeeping graph.

    Why: the server then reads a directory nobody else writes, whatever the operator does with the
    original; and the bookkeeping graph (local file paths) is not merely hidden from queries, as it
    is without a snapshot, but absent.
    """
    import pyoxigraph as ox

    from ..store import BUILD_GRAPH, open_store

    source = open_store(store_dir, read_only=True)
    target = Path(tempdir) / "store"
    source.backup(str(target))
    del source
    private = ox.Store(str(target))
    private.update(f"DROP SILENT GRAPH {BUILD_GRAPH}")
    private.flush()
    del private
    return str(target)


def _open(settings: Settings) -> tuple[str, object, ld.Catalog, ld.Ontology, str]:
    from ..store import open_store, store_path

    if settings.upstream:  # no store here: the upstream answers (kg.upstream_front)
        from ..upstream_front import open_upstream

        store, catalog = open_upstream(settings.upstream, settings.upstream_user, settings.upstream_password,
                                       settings.timeout)
        return "", store, catalog, ld.Ontology.load(), tempfile.mkdtemp(prefix="untoc-kg-serve-")

    store_dir = store_path(settings.store)
    tempdir = _private_dir(store_dir) if settings.snapshot else tempfile.mkdtemp(prefix="untoc-kg-serve-")
    try:
        served_dir = take_snapshot(store_dir, tempdir) if settings.snapshot else str(store_dir)
        if settings.snapshot:
            log.info("serving a snapshot of %s taken at start, in %s", store_dir, served_dir)
        store = open_store(served_dir, read_only=True)
        catalog = ld.read_catalog(store)
        return served_dir, store, catalog, ld.Ontology.load(), tempdir
    except BaseException:
        shutil.rmtree(tempdir, ignore_errors=True)
        raise


def _upstream_pool(settings: Settings, store):
    from ..upstream_front import UpstreamPool

    return UpstreamPool(store, PREFIXES, timeout=settings.timeout, max_results=settings.max_results,
                        serialization_prefixes=ld.SERIALIZATION_PREFIXES, concurrency=max(2, settings.workers))


def create_app(settings: Settings, on_stop=None) -> Starlette:
    """The ASGI app; its lifespan opens the store, starts the workers and writes the dumps.

    `on_stop()` is called when the app stops (the connection front's last summary of refusals)."""

    @asynccontextmanager
    async def lifespan(app: Starlette):
        store_dir, store, catalog, onto, tempdir = await asyncio.to_thread(_open, settings)
        # anyio loads its asyncio backend on first use, which is a query's first disconnect check
        # (Request.is_disconnected, after 0.25 s): an import of ~0.3 s on the event loop, every
        # other request waiting. Load it here instead.
        anyio.CancelScope()
        pool = _upstream_pool(settings, store) if settings.upstream else WorkerPool(store_dir, catalog.graphs, PREFIXES, size=settings.workers, timeout=settings.timeout,
                          default_graphs=catalog.default,
                          serialization_prefixes=ld.SERIALIZATION_PREFIXES, max_memory=settings.max_memory,
                          max_results=settings.max_results, max_bytes=settings.max_bytes)
        try:
            await pool.start()
        except BaseException:
            shutil.rmtree(tempdir, ignore_errors=True)
            raise
        dumps = Dumps(Path(tempdir) / "dumps")
        if settings.upstream:
            dumps.failed.update({d.name: "not made when serving an upstream store" for d in DUMPS})
        else:
            dumps.start(store_dir)  # in a process of its own, beside the server, never in its way
        # a query waits at most for one query's time limit and a worker's restart
        # lent workers go to clients whose queries take under a quarter of the time limit on the mean
        gate = FairGate(settings.workers, settings.client_share, settings.per_client,
                        queue_wait=settings.timeout + 5.0, lend_below=settings.timeout / 4)
        app.state.served = Served(settings, store_dir, store, catalog, onto, pool, dumps,
                                  query_page(settings.limits()), tempdir, gate)
        log.info("serving %d graphs (%d triples) with %d query workers (sandbox: %s)", len(catalog.graphs),
                 catalog.total, settings.workers, pool.sandbox)
        try:
            yield
        finally:
            await pool.close()
            await asyncio.to_thread(dumps.stop)
            shutil.rmtree(tempdir, ignore_errors=True)
            if on_stop is not None:
                on_stop()

    sparql_methods = ["GET", "HEAD", "POST", "OPTIONS", "PUT", "DELETE", "PATCH"]
    routes = [
        Route("/", home, methods=["GET", "HEAD"]),
        Route("/sparql", sparql_endpoint, methods=sparql_methods),
        Route("/sparql/", sparql_endpoint, methods=sparql_methods),
        Route("/.well-known/void", void, methods=["GET", "HEAD"]),
        Route("/ontology", ontology, methods=["GET", "HEAD"]),
        Route("/id/{path:path}", entity, methods=["GET", "HEAD"]),
        Route("/dumps/", dumps_index, methods=["GET", "HEAD"]),
        Route("/dumps/{name}", dump_file, methods=["GET", "HEAD"]),
        Mount("/static", StaticFiles(directory=str(STATIC_DIR)), name="static"),
        Route("/search", search_page.search, methods=["GET", "HEAD"]),
        Route("/favicon.ico", favicon, methods=["GET", "HEAD"]),
    ]
    sparql_route = (sparql_endpoint, frozenset(sparql_methods))
    return Starlette(debug=False, routes=routes, lifespan=lifespan,
                     middleware=[Middleware(GuardRequestLine, max_url=settings.max_url,
                                            direct={"/sparql": sparql_route, "/sparql/": sparql_route})])


__all__ = ["Settings", "choose_formats", "create_app", "default_workers"]
