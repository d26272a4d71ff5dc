"""`untoc-kg serve --upstream URL`: the endpoint's front (guard, limits, pages, query page) over a
remote SPARQL endpoint instead of the embedded store.

What stays the front's: every refusal the guard makes (SERVICE, LOAD, updates, FROM of graphs that
are not ours, nesting), the request bounds, the per-client bound, content negotiation, the row cap,
and the time limit. The time limit is the front's own clock: a query the upstream has not answered
when it runs out gets HTTP 503 here, whatever the upstream does with it (its HTTP client gives up at
the same moment, so no thread outlives the limit by more than the connection's close).

What the upstream does: evaluate the query (`kg.upstream.RemoteStore`, the union graph as default
graph), answer the linked-data pages' few triple patterns, and list its graphs once at start.
Dumps are not made in this mode: the upstream store has its own.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable

import pyoxigraph as ox

from .store import UNION_GRAPH
from .upstream import RemoteStore, bind_values

PATTERN_LIMIT = 10_000  # quads one page's pattern may fetch (the pages cut far below this)
STAGING = "urn:untoc-kg:push-staging:"


class UpstreamStore(RemoteStore):
    """A RemoteStore that also answers the embedded store's calls the server makes: a query with a
    dataset (`default_graph`, `named_graphs`, `base_iri`), `quads_for_pattern`, `contains_named_graph`."""

    def query(self, text, substitutions=None, prefixes=None, timeout=None, base_iri=None,
              default_graph=None, named_graphs=None, **_):
        if default_graph is None and named_graphs is None:
            return super().query(text, substitutions=substitutions, prefixes=prefixes, timeout=timeout)
        defaults = default_graph if isinstance(default_graph, list) else [default_graph]
        saved = (self.default_graph, self.named_graphs)
        try:
            self.default_graph = None
            self._defaults = [g.value for g in defaults if isinstance(g, ox.NamedNode)]
            self.named_graphs = [g.value for g in named_graphs or ()]
            if base_iri:
                text = f"BASE <{ox.NamedNode(base_iri).value}>\n{text}"
            return super().query(text, substitutions=substitutions, prefixes=prefixes, timeout=timeout)
        finally:
            self.default_graph, self.named_graphs = saved
            self._defaults = []

    def _dataset_params(self) -> list[tuple[str, str]]:
        extra = getattr(self, "_defaults", [])
        return [("default-graph-uri", g) for g in extra]

    def quads_for_pattern(self, subject=None, predicate=None, object=None, graph_name=None):
        """Quads matching a pattern, over the upstream's named graphs (as the embedded store's)."""
        names = {"s": subject, "p": predicate, "o": object, "g": graph_name}
        pattern = "SELECT ?s ?p ?o ?g WHERE { GRAPH ?g { ?s ?p ?o } } LIMIT %d" % PATTERN_LIMIT
        bound = {ox.Variable(k): v for k, v in names.items() if v is not None and not isinstance(v, ox.DefaultGraph)}
        saved = self.default_graph
        self.default_graph = None
        try:
            solutions = super().query(bind_values(pattern, bound) if bound else pattern)
        finally:
            self.default_graph = saved
        out = []
        for row in solutions:
            g = row["g"]
            if g.value.startswith(STAGING):
                continue
            out.append(ox.Quad(row["s"] or subject, row["p"] or predicate, row["o"] or object, g or graph_name))
        return iter(out)

    def contains_named_graph(self, graph) -> bool:
        return bool(super().query(bind_values("ASK { GRAPH ?g { ?s ?p ?o } }", {ox.Variable("g"): graph})))


def read_upstream_catalog(store: UpstreamStore):
    """The data graphs and their sizes, asked once (`queries/graphs.rq` over the upstream's named
    graphs); a graph's title is its IRI here (the embedded store's catalog reads symbol and title)."""
    from .server.linked_data import Catalog
    from .vocab import ID_BASE

    from .sparql import load_query

    rows = store.query(load_query("graphs").text, default_graph=[], named_graphs=[])  # every graph, its size
    sizes = {row["graph"].value: int(row["triples"].value) for row in rows if isinstance(row["graph"], ox.NamedNode)}
    graphs = sorted(g for g in sizes if g != UNION_GRAPH.value and not g.startswith(STAGING)
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


__all__ = ["UpstreamPool", "UpstreamStore", "open_upstream", "read_upstream_catalog"]
