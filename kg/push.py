"""`untoc-kg push`: publish the store to a production SPARQL store over the Graph Store HTTP Protocol.

What is sent: one named graph per document, the reference and ontology graphs, and the union graph
(the merge of the data graphs, which a query there should take as its default graph, as the embedded
store does). Nothing else of the store leaves it: the build's bookkeeping stays home.

Incremental: a record beside the store (`.NAME.push/`, one file per target) keeps, for each graph
pushed, its content hash; a graph whose hash is unchanged is not sent, a graph that left the store
is deleted (HTTP DELETE). The record is an append-only log, written after each graph is done and
compacted at the end, so a push that stops halfway is taken up where it stopped.

Old or new, never half: the protocol does not promise that a PUT replaces a graph at once, so on
a server whose PUT is not known to be atomic a graph is uploaded under a staging name (PUT) and
then moved over the old one in a single SPARQL Update (`MOVE`), one transaction (Virtuoso). On
Oxigraph's server a PUT is replaced in place: the tests show that a body refused halfway, a push
killed and the server killed all leave the old graph there (tests/test_push_crash.py), and its
`MOVE` costs more than the upload itself (it deletes and inserts triple by triple). Where no update
endpoint is known either, PUT in place is all there is, and the summary says so.

The faster route where the server has one: Oxigraph's server loads an N-Quads body POSTed to
`/store` in one transaction, many graphs at a time; graphs that the server does not hold yet go that
way, in batches that never split a graph. Virtuoso's own bulk loader reads files on the server's
disk and is driven by SQL (isql), not HTTP, so a push to Virtuoso uses it only where asked
(`--virtuoso-isql`, `--virtuoso-dir`), and, since the loader has no transaction, into staging
names that a `MOVE` then puts in place (kg/virtuoso_bulk.py; the bench compares the two).

Memory stays flat: each graph is read from the store twice, once to hash and measure it, once to
send it, in chunks; a body's length is known beforehand (Virtuoso ignores chunked uploads).
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import httpx
import pyoxigraph as ox

from .store import UNION, UNION_GRAPH, data_graphs, open_store, store_path, stored
from .upstream import auth_for, server_kind

CHUNK = 256 * 1024
BULK_TRIPLES = 50_000  # triples in one N-Quads request on the bulk route (one transaction on the server)
STAGING = "urn:untoc-kg:push-staging:"
N_TRIPLES = "application/n-triples"
N_QUADS = "application/n-quads"

ROUTES = {
    "bulk": "Oxigraph's /store N-Quads bulk route",
    "staged": "PUT to a staging graph + MOVE",
    "put": "PUT in place",  # one transaction on Oxigraph's server
    "loader": "Virtuoso's bulk loader (ld_dir + rdf_loader_run)",
}


class PushError(Exception):
    """The push stopped; what was done is recorded, and the next push completes the rest."""

    def __init__(self, message: str, report: "PushReport | None" = None) -> None:
        super().__init__(message)
        self.report = report


@dataclass(frozen=True)
class GraphDigest:
    """What one pass over a graph in the store tells: its content hash, triples and N-Triples bytes."""

    graph: str
    sha256: str
    triples: int
    size: int


@dataclass
class PushReport:
    target: str
    server: str = "generic"
    dry_run: bool = False
    sent: dict[str, int] = field(default_factory=lambda: {"bulk": 0, "loader": 0, "staged": 0, "put": 0})
    triples: int = 0
    size: int = 0
    deleted: int = 0
    unchanged: int = 0
    seconds: float = 0.0
    stopped: str = ""

    @property
    def graphs_sent(self) -> int:
        return sum(self.sent.values())

    def summary(self) -> str:
        """One line: what was (or, with --dry-run, would be) sent, by which route, deleted, kept."""
        verb = "would send" if self.dry_run else "sent"
        routes = ", ".join(f"{n} by {ROUTES[k]}" for k, n in self.sent.items() if n)
        rate = f", {self.triples / self.seconds:,.0f} triples/s" if self.seconds and self.triples and not self.dry_run else ""
        line = (f"push to {self.target} ({self.server}): {verb} {self.graphs_sent} graphs, {self.triples} triples, "
                f"{self.size / 1e6:.1f} MB{' (' + routes + ')' if routes else ''}; "
                f"{'would delete' if self.dry_run else 'deleted'} {self.deleted}; unchanged {self.unchanged} "
                f"({self.seconds:.1f} s{rate})")
        if self.stopped:
            line += f"; STOPPED: {self.stopped}"
        return line


# ---------------------------------------------------------------------------------------------
# Reading the store


def _lines(store: ox.Store, graph: ox.NamedNode, suffix: str = " .\n") -> Iterator[bytes]:
    """The graph of this public name (`UNION_GRAPH`: the store's default graph) as lines."""
    for quad in store.quads_for_pattern(None, None, None, stored(graph)):
        yield f"{quad.subject} {quad.predicate} {quad.object}{suffix}".encode()


def digest(store: ox.Store, graph: ox.NamedNode) -> GraphDigest:
    """Hash the graph's N-Triples as the store yields them (the same content, the same order)."""
    sha, triples, size = hashlib.sha256(), 0, 0
    for line in _lines(store, graph):
        sha.update(line)
        triples += 1
        size += len(line)
    return GraphDigest(graph.value, sha.hexdigest(), triples, size)


class Body:
    """A request body streamed from the store, of a length known beforehand.

    Re-iterable (an authentication challenge makes the client send it again); it fails rather
    than send other bytes than announced.
    """

    def __init__(self, store: ox.Store, graphs: list[GraphDigest], quads: bool) -> None:
        self.store, self.graphs, self.quads = store, graphs, quads
        self.length = sum(g.size + (g.triples * (len(g.graph.encode()) + 3) if quads else 0) for g in graphs)

    def __iter__(self) -> Iterator[bytes]:
        buffer, sent = [], 0
        pending = 0
        for g in self.graphs:
            node = ox.NamedNode(g.graph)
            for line in _lines(self.store, node, f" {node} .\n" if self.quads else " .\n"):
                buffer.append(line)
                pending += len(line)
                if pending >= CHUNK:
                    chunk = b"".join(buffer)
                    sent += len(chunk)
                    yield chunk
                    buffer, pending = [], 0
        chunk = b"".join(buffer)
        sent += len(chunk)
        if sent != self.length:
            raise PushError(f"the store changed while it was pushed ({sent} bytes, {self.length} announced): "
                            f"push again when no build is writing it")
        if chunk:
            yield chunk


# ---------------------------------------------------------------------------------------------
# The record of what was pushed


def default_record(store_dir: Path, target: str) -> Path:
    """Beside the store, one file per target: `.STORE.push/HOST_PORT_PATH-HASH.jsonl`."""
    parts = urlsplit(target)
    slug = re.sub(r"[^A-Za-z0-9]+", "_", f"{parts.hostname}_{parts.port or ''}{parts.path}").strip("_")
    short = hashlib.sha256(target.encode()).hexdigest()[:8]
    store_dir = store_dir.resolve()
    return store_dir.parent / f".{store_dir.name}.push" / f"{slug}-{short}.jsonl"


class Record:
    """What the target holds, as far as pushes have told it: graph -> content hash.

    An append-only log (one JSON object a line, flushed and synced per graph) so that a push killed
    at any point has recorded every graph it finished; `compact()` rewrites it at the end.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self.graphs: dict[str, str] = {}
        self.staging: set[str] = set()  # staging graphs a stopped push may have left on the server
        if path.is_file():
            for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
                if not line.strip():
                    continue
                try:
                    entry = json.loads(line)
                except json.JSONDecodeError:
                    continue  # a line cut by a crash: what it recorded was not finished
                self._apply(entry)
        self._file = None

    def _apply(self, entry: dict) -> None:
        op, graph = entry.get("op"), entry.get("graph", "")
        if op == "put":
            self.graphs[graph] = entry["sha256"]
            self.staging.discard(_staging(graph))
        elif op == "delete":
            self.graphs.pop(graph, None)
        elif op == "stage":
            self.staging.add(_staging(graph))
        elif op == "unstage":
            self.staging.discard(_staging(graph))

    def log(self, **entry) -> None:
        if self._file is None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._file = open(self.path, "a", encoding="utf-8")
        self._file.write(json.dumps(entry, sort_keys=True) + "\n")
        self._file.flush()
        os.fsync(self._file.fileno())
        self._apply(entry)

    def compact(self) -> None:
        self.close()
        self.path.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.path.with_suffix(".tmp")
        with open(tmp, "w", encoding="utf-8") as out:
            for graph in sorted(self.graphs):
                out.write(json.dumps({"op": "put", "graph": graph, "sha256": self.graphs[graph]}, sort_keys=True) + "\n")
            for staging in sorted(self.staging):
                out.write(json.dumps({"op": "stage", "graph": staging[len(STAGING):]}, sort_keys=True) + "\n")
            out.flush()
            os.fsync(out.fileno())
        os.replace(tmp, self.path)

    def close(self) -> None:
        if self._file is not None:
            self._file.close()
            self._file = None


def _staging(graph: str) -> str:
    return STAGING + graph


# ---------------------------------------------------------------------------------------------
# The target


@dataclass
class Target:
    """A Graph Store Protocol endpoint, the server's kind, and where its SPARQL Update and Query are."""

    store_url: str
    client: httpx.Client
    kind: str = "generic"
    update_url: str | None = None
    query_url: str | None = None

    @property
    def staged(self) -> bool:
        """Replace through a staging graph and MOVE (where PUT is not known to be atomic)."""
        return bool(self.update_url) and self.kind != "oxigraph"

    @property
    def update_param(self) -> str:
        return "query" if self.kind == "virtuoso" else "update"  # Virtuoso reads updates from `query`

    def graph_params(self, graph: str) -> dict[str, str]:
        return {"graph": graph}

    def check(self, response: httpx.Response, what: str, ok: tuple[int, ...] = ()) -> None:
        if response.status_code >= 300 and response.status_code not in ok:
            raise PushError(f"{what}: HTTP {response.status_code} {response.text[:300].strip()}")

    def put(self, graph: str, body: Body) -> None:
        response = self.client.put(self.store_url, params=self.graph_params(graph), content=body,
                                   headers={"Content-Type": N_TRIPLES, "Content-Length": str(body.length)})
        self.check(response, f"PUT {graph}")

    def post_quads(self, body: Body) -> None:
        response = self.client.post(self.store_url, content=body,
                                    headers={"Content-Type": N_QUADS, "Content-Length": str(body.length)})
        self.check(response, "POST N-Quads to /store")

    def delete(self, graph: str) -> None:
        response = self.client.delete(self.store_url, params=self.graph_params(graph))
        self.check(response, f"DELETE {graph}", ok=(404,))

    def update(self, text: str) -> None:
        response = self.client.post(self.update_url, data={self.update_param: text})
        self.check(response, f"update {text[:80]}")

    def triples_in(self, graph: str) -> int:
        """How many triples the server holds in `graph` (through its SPARQL query endpoint)."""
        query = f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH {ox.NamedNode(graph)} {{ ?s ?p ?o }} }}"
        response = self.client.post(self.query_url, data={"query": query},
                                    headers={"Accept": "application/sparql-results+json"})
        self.check(response, f"count the triples of {graph}")
        return int(response.json()["results"]["bindings"][0]["n"]["value"])

    def named_graphs(self) -> set[str]:
        """The graphs the server holds (asked only on a bulk route: Oxigraph lists them cheaply)."""
        listing = ("SELECT ?g WHERE { GRAPH ?g { } }" if self.kind == "oxigraph"
                   else "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }")
        response = self.client.post(self.query_url, data={"query": listing},
                                    headers={"Accept": "application/sparql-results+json"})
        self.check(response, "list the server's graphs")
        return {row["g"]["value"] for row in response.json()["results"]["bindings"]}


def _endpoints(store_url: str, kind: str) -> tuple[str | None, str | None]:
    """The update and query endpoints beside a Graph Store endpoint, where the server's layout says."""
    if kind == "oxigraph" and store_url.rstrip("/").endswith("/store"):
        base = store_url.rstrip("/")[: -len("/store")]
        return base + "/update", base + "/query"
    if kind == "virtuoso":
        base = re.sub(r"/sparql-graph-crud(-auth)?/?$", "", store_url)
        return base + "/sparql-auth", base + "/sparql"
    return None, None


def connect(store_url: str, user: str | None = None, password: str | None = None,
            update_url: str | None = None, timeout: float = 600.0) -> Target:
    """Ask the server who it is (a HEAD: the `Server` header) and find its update endpoint."""
    client = httpx.Client(auth=auth_for(user, password), timeout=timeout)
    try:
        response = client.head(store_url)
    except httpx.HTTPError as exc:
        client.close()
        raise PushError(f"cannot reach {store_url}: {exc}") from exc
    if response.status_code == 401:
        client.close()
        raise PushError(f"{store_url} asks for credentials: give --user and --password-file"
                        + (" (these were refused)" if user else ""))
    kind = server_kind(response)
    default_update, query_url = _endpoints(store_url, kind)
    return Target(store_url, client, kind, update_url or default_update, query_url)


# ---------------------------------------------------------------------------------------------
# The push


def graphs_to_push(store: ox.Store) -> list[ox.NamedNode]:
    """The data graphs, then the union graph (last, so that it never runs ahead of its parts), under
    its public name: the store holds it in its default graph (see `kg.store`)."""
    graphs = data_graphs(store)
    if any(True for _ in store.quads_for_pattern(None, None, None, UNION)):
        graphs.append(UNION_GRAPH)
    return graphs


def push(to: str, store_dir: str | Path | None = None, user: str | None = None, password: str | None = None,
         dry_run: bool = False, record: str | Path | None = None, update_url: str | None = None,
         bulk: bool = True, bulk_triples: int = BULK_TRIPLES,
         progress: Callable[[str], None] | None = None, loader=None) -> PushReport:
    """Bring the target up to date with the store; see the module's docstring for how.

    `loader` (a `kg.virtuoso_bulk.VirtuosoLoader`) sends the graphs a Virtuoso server does not hold
    yet by its own bulk loader."""
    started = time.perf_counter()
    path = store_path(store_dir)
    store = open_store(path, read_only=True)
    log = Record(Path(record) if record else default_record(path, to))
    report = PushReport(to, dry_run=dry_run)
    target = connect(to, user, password, update_url)
    report.server = target.kind
    try:
        digests = [digest(store, g) for g in graphs_to_push(store)]
        current = {d.graph for d in digests}
        changed = [d for d in digests if log.graphs.get(d.graph) != d.sha256]
        gone = sorted(g for g in log.graphs if g not in current)
        report.unchanged = len(digests) - len(changed)
        by_loader = bulk and loader is not None and target.kind == "virtuoso"
        on_server = target.named_graphs() if (bulk and (target.kind == "oxigraph" or by_loader) and changed) else None
        new = [d for d in changed if on_server is not None and d.graph not in on_server]
        replace = [d for d in changed if d not in new]
        for d in changed:
            report.triples += d.triples
            report.size += d.size
        report.sent["loader" if by_loader else "bulk"] = len(new)
        report.sent["staged" if target.staged else "put"] = len(replace)
        report.deleted = len(gone)
        if dry_run:
            return report
        report.sent = {k: 0 for k in report.sent}
        report.deleted = 0
        for staging in sorted(log.staging):  # a stopped push's staging graphs: never load into their rest
            target.delete(staging)
            log.log(op="unstage", graph=staging[len(STAGING):])
        if by_loader:
            _send_loader(store, target, loader, log, new, report, progress)
        else:
            _send_bulk(store, target, log, new, bulk_triples, report, progress)
        for d in replace:
            _replace(store, target, log, d, report, progress)
        for graph in gone:
            target.delete(graph)
            log.log(op="delete", graph=graph)
            report.deleted += 1
        for staging in sorted(log.staging):  # left by a push that stopped between its PUT and its MOVE
            target.delete(staging)
            log.log(op="unstage", graph=staging[len(STAGING):])
        log.compact()
    except (PushError, httpx.HTTPError) as exc:
        report.stopped = str(exc)
        raise PushError(str(exc), report) from exc
    finally:
        log.close()
        target.client.close()
        report.seconds = time.perf_counter() - started
    return report


def _send_bulk(store, target: Target, log: Record, new: list[GraphDigest], limit: int, report: PushReport,
               progress) -> None:
    """New graphs, many to a request; each request is one transaction on the server."""
    batch: list[GraphDigest] = []
    count = 0

    def flush() -> None:
        nonlocal batch, count
        if not batch:
            return
        target.post_quads(Body(store, batch, quads=True))
        for d in batch:
            log.log(op="put", graph=d.graph, sha256=d.sha256)
        report.sent["bulk"] += len(batch)
        if progress:
            progress(f"bulk: {len(batch)} graphs, {count} triples")
        batch, count = [], 0

    for d in new:
        if batch and count + d.triples > limit:
            flush()
        batch.append(d)
        count += d.triples
    flush()


LOADER_TRIPLES = 5_000_000  # triples in one file for Virtuoso's loader


def _send_loader(store, target: Target, loader, log: Record, new: list[GraphDigest], report: PushReport,
                 progress) -> None:
    """New graphs through Virtuoso's own loader, a file of whole graphs at a time, each loaded under
    its staging name and then moved into place in one update (the loader has no transaction)."""
    from .virtuoso_bulk import LoaderError

    batch, count = [], 0
    for d in [*new, None]:
        if batch and (d is None or count + d.triples > LOADER_TRIPLES):
            for each in batch:
                log.log(op="stage", graph=each.graph)
            # empty, even where the record was lost: the loader adds to what a graph holds
            target.update(" ;\n".join(f"DROP SILENT GRAPH {ox.NamedNode(_staging(each.graph))}" for each in batch))
            try:
                loader.load(store, batch, {each.graph: _staging(each.graph) for each in batch})
            except LoaderError as exc:
                raise PushError(f"Virtuoso's bulk loader: {exc}") from exc
            # the loader reports success even where it skipped a line it could not read: a graph
            # short of triples stays under its staging name, and the push stops
            if target.query_url:
                for each in batch:
                    held = target.triples_in(_staging(each.graph))
                    if held != each.triples:
                        raise PushError(f"Virtuoso's bulk loader: {each.graph} arrived with {held} of its "
                                        f"{each.triples} triples; it was not moved into place")
            for done in batch:
                target.update(f"MOVE SILENT {ox.NamedNode(_staging(done.graph))} TO {ox.NamedNode(done.graph)}")
                log.log(op="put", graph=done.graph, sha256=done.sha256)
            report.sent["loader"] += len(batch)
            if progress:
                progress(f"loader: {len(batch)} graphs, {count} triples")
            batch, count = [], 0
        if d is not None:
            batch.append(d)
            count += d.triples


def _replace(store, target: Target, log: Record, d: GraphDigest, report: PushReport, progress) -> None:
    """Upload under a staging name, then MOVE over the graph in one update: old or new, never half
    (or PUT in place, where the server's PUT is atomic or nothing else is known)."""
    body = Body(store, [d], quads=False)
    if target.staged:
        staging = _staging(d.graph)
        log.log(op="stage", graph=d.graph)
        target.put(staging, body)
        target.update(f"MOVE SILENT {ox.NamedNode(staging)} TO {ox.NamedNode(d.graph)}")
        report.sent["staged"] += 1
    else:
        target.put(d.graph, body)
        report.sent["put"] += 1
    log.log(op="put", graph=d.graph, sha256=d.sha256)
    if progress:
        progress(f"{d.graph}: {d.triples} triples")


__all__ = ["GraphDigest", "PushError", "PushReport", "Record", "connect", "default_record", "digest", "push"]
