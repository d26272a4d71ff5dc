"""`untoc-kg serve --upstream URL`: the endpoint's front (guard, limits, pages, query page) over a
remote SPARQL endpoint instead of the embedded store.

What stays the front's: every refusal the guard makes (SERVICE, LOAD, updates, FROM of graphs that
are not ours, nesting), the request bounds, the per-client bound, content negotiation, the row cap,
and the time limit. The time limit is the front's own clock: a query the upstream has not answered
when it runs out gets HTTP 503 here, whatever the upstream does with it. Pages have the same limit
(`within_limit`: every request a page makes to the upstream shares one deadline) and so has a
search (`kg.server.search_page`: the index over an upstream is built in the background, and a
search that finds it unbuilt when its limit runs out gets 503).

Why the HTTP client needs more than its timeout: httpx's timeouts bound each wait (connect, each
read), not a request's whole time, so an upstream that dribbles a byte a second would hold a request
for ever. Here a request's timeout also bounds its whole time (`_WholeRequest`): the body stops at
the deadline, and a thread outlives the front's limit by at most one read's wait.

What the upstream does: evaluate the query (`kg.upstream.RemoteStore`, the union graph as default
graph), answer the linked-data pages' few triple patterns, and list its graphs once at start.
Dumps are not made in this mode: the upstream store has its own.
"""

from __future__ import annotations

import asyncio
import math
import time
from collections.abc import Awaitable, Callable
from contextvars import ContextVar

import httpx
import pyoxigraph as ox

from .store import UNION_GRAPH
from .upstream import RemoteStore, UpstreamError, auth_for, bind_values

PATTERN_LIMIT = 10_000  # quads one page's pattern may fetch (the pages cut far below this)
PAGE_SIZE = 10_000  # quads one request of a complete read asks for at most (`quads_in_graphs`)
STAGING = "urn:untoc-kg:push-staging:"


# the moment by which the request being served must be answered (None: only the store's own timeout);
# asyncio.to_thread copies it into the thread that talks to the upstream
_DEADLINE: ContextVar[float | None] = ContextVar("untoc_kg_upstream_deadline", default=None)


class _Until(httpx.SyncByteStream):
    """A response body that stops at a deadline, however slowly the bytes come."""

    def __init__(self, inner: httpx.SyncByteStream, deadline: float, request: httpx.Request) -> None:
        self.inner, self.deadline, self.request = inner, deadline, request

    def __iter__(self):
        for chunk in self.inner:
            if time.monotonic() > self.deadline:
                raise httpx.ReadTimeout("the upstream's answer did not end within the time limit", request=self.request)
            yield chunk

    def close(self) -> None:
        self.inner.close()


class _WholeRequest(httpx.BaseTransport):
    """HTTP where a request's (read) timeout bounds its whole time, not only each wait."""

    def __init__(self) -> None:
        self.inner = httpx.HTTPTransport()

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        limit = (request.extensions.get("timeout") or {}).get("read")
        started = time.monotonic()
        response = self.inner.handle_request(request)
        if limit is None:
            return response
        return httpx.Response(response.status_code, headers=response.headers, extensions=response.extensions,
                              stream=_Until(response.stream, started + limit, request))

    def close(self) -> None:
        self.inner.close()


class UpstreamStore(RemoteStore):
    """A RemoteStore that also answers the embedded store's calls the server makes: a query with a
    dataset (`default_graph`, `named_graphs`, `base_iri`), `quads_for_pattern`, `contains_named_graph`;
    every request within what is left of the deadline of the request being served, if any."""

    page_size: int = PAGE_SIZE

    def __post_init__(self) -> None:
        self._client = httpx.Client(auth=auth_for(self.user, self.password), timeout=self.timeout,
                                    follow_redirects=False, transport=_WholeRequest())

    def _within(self, timeout: float | None) -> float:
        seconds = timeout or self.timeout
        deadline = _DEADLINE.get()
        if deadline is not None:
            left = deadline - time.monotonic()
            if left <= 0:
                raise TimeoutError("the time limit ran out before the upstream was asked")
            seconds = min(seconds, left)
        return seconds

    def query(self, text, substitutions=None, prefixes=None, timeout=None, base_iri=None,
              default_graph=None, named_graphs=None, **_):
        timeout = self._within(timeout)
        if default_graph is None and named_graphs is None:
            return super().query(text, substitutions=substitutions, prefixes=prefixes, timeout=timeout)
        defaults = default_graph if isinstance(default_graph, list) else [default_graph]
        dataset = [("default-graph-uri", g.value) for g in defaults if isinstance(g, ox.NamedNode)]
        dataset += [("named-graph-uri", g.value) for g in named_graphs or ()]
        if base_iri:
            text = f"BASE <{ox.NamedNode(base_iri).value}>\n{text}"
        return super().query(text, substitutions=substitutions, prefixes=prefixes, timeout=timeout, dataset=dataset)

    def quads_for_pattern(self, subject=None, predicate=None, object=None, graph_name=None):
        """Quads matching a pattern, over the upstream's named graphs (as the embedded store's)."""
        names = {"s": subject, "p": predicate, "o": object, "g": graph_name}
        pattern = "SELECT ?s ?p ?o ?g WHERE { GRAPH ?g { ?s ?p ?o } } LIMIT %d" % PATTERN_LIMIT
        bound = {ox.Variable(k): v for k, v in names.items() if v is not None and not isinstance(v, ox.DefaultGraph)}
        solutions = super().query(bind_values(pattern, bound) if bound else pattern, timeout=self._within(None),
                                  dataset=[])
        out = []
        for row in solutions:
            g = row["g"]
            if g.value.startswith(STAGING):
                continue
            out.append(ox.Quad(row["s"] or subject, row["p"] or predicate, row["o"] or object, g or graph_name))
        return iter(out)

    def quads_in_graphs(self, graphs, predicates=None, sizes=None):
        """Every quad of the named `graphs` (with one of `predicates`, if given), complete however
        large they are, never more than a page (`page_size` quads) in memory.

        Graphs whose sizes (`sizes`: triples per graph, the catalog's) add up to less than a page
        are read together, one request, no sorting; a graph of a page or more, or of unknown size,
        is read alone in pages cut from one stable order (`_ordered`). Reading graph by graph costs
        the upstream each quad once; paging one order over the whole store would cost it a sort of
        the store per page. A batch that comes back full (a graph grew since it was counted) is
        read again in order. Each request within what is left of the deadline, if any.
        """
        cap = self._answer_cap()
        sizes = sizes or {}
        batch: list[str] = []
        total = 0
        for graph in graphs:
            size = sizes.get(graph)
            if size is None or size >= cap:
                yield from self._ordered([graph], predicates, cap)
                continue
            if batch and total + size >= cap:
                yield from self._batch(batch, predicates, cap)
                batch, total = [], 0
            batch.append(graph)
            total += size
        if batch:
            yield from self._batch(batch, predicates, cap)

    @staticmethod
    def _where(graphs, predicates) -> str:
        values = "VALUES ?g { %s }" % " ".join(str(ox.NamedNode(g)) for g in graphs)
        if predicates:
            values += " VALUES ?p { %s }" % " ".join(str(p) for p in predicates)
        return "{ %s GRAPH ?g { ?s ?p ?o } }" % values

    def _select(self, text: str):
        solutions = super().query(text, timeout=self._within(None), dataset=[])
        return [ox.Quad(row["s"], row["p"], row["o"], row["g"]) for row in solutions]

    def _batch(self, graphs, predicates, cap: int):
        quads = self._select(f"SELECT ?s ?p ?o ?g WHERE {self._where(graphs, predicates)} LIMIT {cap}")
        if len(quads) >= cap:  # more than the sizes said: some may be missing
            yield from self._ordered(graphs, predicates, cap)
            return
        yield from quads

    def _ordered(self, graphs, predicates, cap: int):
        """The quads in pages cut from one order (ORDER BY every variable: no two quads share all
        four); the next page starts after the quads received, and the read ends at an empty page."""
        where = self._where(graphs, predicates)
        if self.server == "virtuoso":
            # Virtuoso refuses to sort more than MaxSortedTopRows (10,000) rows for a LIMIT + OFFSET
            # (error SR353) unless the sorted query is a subquery: its own advice
            ordered = "SELECT ?s ?p ?o ?g WHERE { { SELECT ?s ?p ?o ?g WHERE %s ORDER BY ?g ?s ?p ?o } }" % where
        else:
            ordered = "SELECT ?s ?p ?o ?g WHERE %s ORDER BY ?g ?s ?p ?o" % where
        offset = 0
        while True:
            quads = self._select(f"{ordered} LIMIT {cap} OFFSET {offset}")
            if not quads:
                return
            offset += len(quads)
            yield from quads

    def select_all(self, text: str, **dataset):
        """Every row of a SELECT (no PREFIX or BASE of its own) whose ORDER BY orders its rows
        totally, in pages of at most what the upstream answers, so that none is cut off: a list
        of the upstream's graphs is as long as the upstream has graphs. `dataset`: as `query`'s."""
        cap = self._answer_cap()
        if self.server == "virtuoso":  # a subquery, or error SR353 past MaxSortedTopRows (see `_ordered`)
            ordered = "SELECT * WHERE { { %s\n} }" % text
        else:
            ordered = text + "\n"
        offset = 0
        while True:
            rows = list(self.query(f"{ordered} LIMIT {cap} OFFSET {offset}", **dataset))
            if not rows:
                return
            offset += len(rows)
            yield from rows

    def _answer_cap(self) -> int:
        """The page size, or the most rows the upstream answers a query with if that is fewer
        (Virtuoso's ResultSetMaxRows cuts every answer there, silently): asked once, by a query of
        exactly `page_size` rows made of two VALUES blocks."""
        if getattr(self, "_cap", None) is None or self._cap[0] != self.page_size:
            side = math.isqrt(self.page_size - 1) + 1
            numbers = " ".join(str(n) for n in range(side))
            rows = super().query(f"SELECT ?a ?b WHERE {{ VALUES ?a {{ {numbers} }} VALUES ?b {{ {numbers} }} }} "
                                 f"LIMIT {int(self.page_size)}", timeout=self._within(None))
            got = sum(1 for _ in rows)
            if got < 1:
                raise UpstreamError(f"{self.endpoint} answered a query of {self.page_size} rows with none")
            self._cap = (self.page_size, got)
        return self._cap[1]

    def contains_named_graph(self, graph) -> bool:
        return bool(super().query(bind_values("ASK { GRAPH ?g { ?s ?p ?o } }", {ox.Variable("g"): graph}),
                                  timeout=self._within(None)))


TIMEOUT_MESSAGE = ("Timeout: the upstream store did not answer within the limit of {limit:g} s; "
                   "try again later")


def without_limit(function, *args):
    """Call `function` with no deadline but the store's own timeout (work that outlives a request:
    the search index over an upstream)."""
    token = _DEADLINE.set(None)
    try:
        return function(*args)
    finally:
        _DEADLINE.reset(token)


async def within_limit(seconds: float, steps):
    """Run `steps` (an async function of no arguments whose store calls go through asyncio.to_thread)
    with one deadline for every request they make to the upstream; TimeoutError when it runs out,
    at the limit, whatever the upstream does."""
    token = _DEADLINE.set(time.monotonic() + seconds)
    try:
        return await asyncio.wait_for(steps(), timeout=seconds)
    finally:
        _DEADLINE.reset(token)


def read_upstream_catalog(store: UpstreamStore):
    """The data graphs and their sizes, asked once (`queries/graphs.rq` over the upstream's named
    graphs); a graph's title is its IRI here (the embedded store's catalog reads symbol and title).

    Only the dataset's own graphs are listed (their names are under `id:`, as a push writes them): a
    production store holds others, such as Virtuoso's system graphs (`virtrdf:`, its DAV and LDP
    graphs), which are neither searched, browsed nor counted in this dataset's description."""
    from .server.linked_data import Catalog
    from .vocab import ID_BASE

    from .sparql import load_query

    rows = store.select_all(load_query("graphs").text, default_graph=[], named_graphs=[])  # every graph, its size
    sizes = {row["graph"].value: int(row["triples"].value) for row in rows if isinstance(row["graph"], ox.NamedNode)}
    graphs = sorted(g for g in sizes if g.startswith(ID_BASE) and g != UNION_GRAPH.value
                    and g != ID_BASE + "graph/build")
    titles = {g: g for g in graphs}
    example = None
    for candidate in ("body/wg-tip", "act/untoc-cop/decision/4-4", "instrument/untoc"):
        if store.contains_named_graph(UNION_GRAPH) and any(True for _ in store.quads_for_pattern(
                ox.NamedNode(ID_BASE + candidate), None, None, UNION_GRAPH)):
            example = ID_BASE + candidate
            break
    if UNION_GRAPH.value in sizes:
        default, total = [UNION_GRAPH.value], sizes[UNION_GRAPH.value]
    else:
        default, total = list(graphs), sum(sizes[g] for g in graphs)
    return Catalog(graphs, {g: sizes[g] for g in graphs}, titles, total, example, default)


class UpstreamPool:
    """The WorkerPool's face over the upstream: `run(job)` gives the same `Answer`, within the time limit."""

    sandbox = "upstream"

    def __init__(self, store: UpstreamStore, prefixes: dict[str, str], timeout: float, max_results: int,
                 serialization_prefixes: dict[str, str] | None = None, concurrency: int = 8):
        self.store = store
        self.timeout = float(timeout)
        self.max_results = int(max_results)
        self.config = {"graphs": [], "default_graphs": None, "prefixes": dict(prefixes),
                       "serialization_prefixes": dict(serialization_prefixes or prefixes)}
        self._slots = asyncio.Semaphore(concurrency)
        self.restarts = 0

    async def start(self) -> None:
        return None

    async def close(self) -> None:
        self.store.close()

    def worker_pids(self) -> list[int]:
        return []

    def _run(self, job: dict, deadline: float):
        from .server.worker import _run_job

        remaining = max(0.1, deadline - time.monotonic())
        default = job.get("default")
        named = job.get("named")
        shown = dict(job, default=default if default is not None else [UNION_GRAPH.value],
                     named=named if named is not None else [])
        store = _Bounded(self.store, remaining)
        return _run_job(store, self.config, shown)

    async def run(self, job: dict, disconnected: Callable[[], Awaitable[bool]] | None = None):
        from .server.worker import Answer, answer_of

        job = dict(job, max=self.max_results)
        deadline = time.monotonic() + self.timeout
        async with self._slots:
            task = asyncio.ensure_future(asyncio.to_thread(self._run, job, deadline))
            while not task.done():
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    task.cancel()
                    return Answer.error(503, f"Query timeout: the query ran longer than the limit of "
                                             f"{self.timeout:g} s and was stopped; make it more selective "
                                             "or add a LIMIT")
                await asyncio.wait({task}, timeout=min(0.25, remaining))
                if not task.done() and disconnected is not None and await disconnected():
                    task.cancel()
                    return Answer.error(503, "Query stopped: the client went away")
            try:
                header, body = task.result()
            except TimeoutError:
                return Answer.error(503, f"Query timeout: the upstream store did not answer within the limit "
                                         f"of {self.timeout:g} s")
            except Exception as exc:  # noqa: BLE001 - the upstream's failure, said as such
                return Answer.error(502, f"Bad gateway: the upstream store failed: {str(exc)[:300]}")
        return answer_of(header, body, self.max_results)


class _Bounded:
    """The upstream store with the HTTP timeout set to what is left of the front's time limit."""

    def __init__(self, store: UpstreamStore, seconds: float) -> None:
        self.store, self.seconds = store, seconds

    def query(self, text, **kw):
        return self.store.query(text, timeout=self.seconds, **kw)


def open_upstream(url: str, user: str | None = None, password: str | None = None, timeout: float = 10.0):
    """The store and catalog the app serves from, over `url` (the upstream's SPARQL endpoint)."""
    store = UpstreamStore(url, user=user, password=password, timeout=max(timeout, 30.0))
    return store, read_upstream_catalog(store)


__all__ = ["TIMEOUT_MESSAGE", "UpstreamPool", "UpstreamStore", "open_upstream", "read_upstream_catalog", "within_limit",
           "without_limit"]
