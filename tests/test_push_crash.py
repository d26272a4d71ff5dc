"""A push (or the server under it) killed at any moment leaves every graph on the server wholly old or wholly new, and the next
push completes the rest.

`untoc-kg push` runs in a subprocess; at random moments while it brings Oxigraph's server from one
version of the store to the other and back, either the push or the server is SIGKILLed (the server
is then started again on its data); after each kill every graph the server
holds must be exactly its version in one of the two stores (or absent, where one store has no such
graph). A last push, not killed, must leave the server equal to the store and no staging graph behind.
"""

from __future__ import annotations

import hashlib
import random
import subprocess
import time
from collections import defaultdict

import httpx
import pyoxigraph as ox
import pytest

from conftest import cli_command, subprocess_env
from server_fixtures import required, running
from servers import ServerMissing, free_port, oxigraph_program
from kg.push import STAGING
from kg.store import UNION, UNION_GRAPH, data_graphs, open_store, stored

pytestmark = pytest.mark.slow

KILLS = 6
TRIPLES = 20_000  # per graph: Oxigraph's server takes seconds to load one


def graph_hashes(quads) -> dict[str, str]:
    """graph -> hash of its canonical statements (blank nodes relabelled by RDFC-1.0)."""
    by_graph = defaultdict(list)
    for q in quads:
        by_graph[q.graph_name.value].append(ox.Quad(q.subject, q.predicate, q.object))
    hashes = {}
    for graph, triples in by_graph.items():
        dataset = ox.Dataset(triples)
        dataset.canonicalize(ox.CanonicalizationAlgorithm.RDFC_1_0)
        lines = sorted(f"{q.subject} {q.predicate} {q.object} ." for q in dataset)
        hashes[graph] = hashlib.sha256("\n".join(lines).encode()).hexdigest()
    return hashes


def store_hashes(store_dir) -> dict[str, str]:
    store = open_store(store_dir)
    # the union graph under its public name, the name it is pushed under (the store holds it in its default graph)
    union = [UNION_GRAPH] if any(True for _ in store.quads_for_pattern(None, None, None, UNION)) else []
    return graph_hashes(ox.Quad(q.subject, q.predicate, q.object, g) for g in data_graphs(store) + union
                        for q in store.quads_for_pattern(None, None, None, stored(g)))


def server_hashes(server) -> dict[str, str]:
    response = httpx.get(server.store_url, headers={"Accept": "application/n-quads"}, timeout=120)
    response.raise_for_status()
    return graph_hashes(q for q in ox.parse(response.content, format=ox.RdfFormat.N_QUADS)
                        if not isinstance(q.graph_name, ox.DefaultGraph))


def two_versions(tmp_path):
    """Two stores of graphs large enough that a kill lands inside an upload: B changes two of A's
    graphs, drops one and adds one."""
    def make(folder, graphs):
        store = ox.Store(str(folder))
        for name, version in graphs.items():
            g = ox.NamedNode(f"https://w3id.org/untoc-kg/id/doc/TEST/PUSH/{name}")
            store.extend(ox.Quad(ox.NamedNode(f"https://w3id.org/untoc-kg/id/paragraph/{name}/{i}"),
                                 ox.NamedNode("https://w3id.org/untoc-kg/ontology#text"),
                                 ox.Literal(f"paragraph {i} of document {name}, version {version}"), g)
                         for i in range(TRIPLES))
        store.flush()
        return folder

    return (make(tmp_path / "a", {"0": "a", "1": "a", "2": "a"}),
            make(tmp_path / "b", {"0": "b", "1": "b", "3": "b"}))


class Oxigraph:
    """Oxigraph's server on one port and one data folder, that the test may SIGKILL and start again."""

    def __init__(self, folder):
        self.folder, self.port = folder, free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.store_url = self.base + "/store"
        self.process = None

    def start(self):
        log = open(self.folder / "oxigraph.log", "ab")
        self.process = subprocess.Popen([oxigraph_program(), "serve", "--location", str(self.folder / "data"),
                                         "--bind", f"127.0.0.1:{self.port}"], stdout=log, stderr=subprocess.STDOUT)
        for _ in range(300):
            try:
                httpx.get(self.base + "/", timeout=2)
                return
            except httpx.HTTPError:
                time.sleep(0.1)
        raise RuntimeError("Oxigraph's server did not start")

    def kill(self):
        self.process.kill()
        self.process.wait(30)


def test_a_killed_push_or_server_leaves_each_graph_old_or_new(tmp_path):
    a, b = two_versions(tmp_path)
    versions = {"a": store_hashes(a), "b": store_hashes(b)}
    assert versions["a"] != versions["b"]
    record = tmp_path / "record.jsonl"
    rng = random.Random(16)
    try:
        oxigraph_program()
    except ServerMissing as exc:
        if required():
            pytest.fail(f"{exc}: CI must install it")
        pytest.skip(str(exc))
    server = Oxigraph(tmp_path)
    server.start()

    def push(store_dir):
        return subprocess.Popen(cli_command() + ["push", "--to", server.store_url, "--store", str(store_dir),
                                                 "--record", str(record)],
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=subprocess_env())

    try:
        started = time.monotonic()
        done = push(a)
        assert done.wait(300) == 0, done.stderr.read()
        whole = time.monotonic() - started  # how long a push of everything takes here, now
        assert server_hashes(server) == versions["a"]
        kills = 0
        for round_ in range(KILLS):
            process = push(b if round_ % 2 == 0 else a)
            time.sleep(rng.uniform(0.3, 0.9) * whole)
            if process.poll() is None:
                kills += 1
                if round_ % 4 < 2:  # the server dies under the push
                    server.kill()
                    process.wait(120)
                    server.start()
                else:  # the push dies
                    process.kill()
            process.wait(120)
            held = server_hashes(server)
            for graph in set(held) | set(versions["a"]) | set(versions["b"]):
                if graph.startswith(STAGING):
                    continue
                allowed = {versions["a"].get(graph), versions["b"].get(graph)}
                assert held.get(graph) in allowed, f"round {round_}: {graph} is neither old nor new"
        assert kills >= KILLS // 2, "the pushes finished before they could be killed: sleep less"
        done = push(b)
        out, err = done.communicate(timeout=300)
        assert done.returncode == 0, err
        assert server_hashes(server) == versions["b"], "the last push did not complete the rest"
        assert not [g for g in server_hashes(server) if g.startswith(STAGING)]
    finally:
        server.kill()


def held_hashes(server, graphs) -> dict[str, str]:
    """The graphs as the server holds them, read through its SPARQL endpoint (any server)."""
    from kg.upstream import RemoteStore

    out = {}
    with RemoteStore(server.query_url, default_graph=None) as remote:
        for graph in graphs:
            triples = remote.query(f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH {ox.NamedNode(graph)} {{ ?s ?p ?o }} }}")
            quads = [ox.Quad(t.subject, t.predicate, t.object, ox.NamedNode(graph)) for t in triples]
            out.update(graph_hashes(quads))
    return out


@pytest.mark.parametrize("kind", ["oxigraph", "virtuoso"])
def test_a_body_refused_halfway_leaves_the_graph_old(kind, tmp_path, tmp_path_factory, monkeypatch):
    """The server refuses a graph's body halfway (here: bytes spoilt on the way, of the announced
    length): it keeps the old graph, and the next push sends the graph again."""
    import kg.push as push_module
    from kg.push import Body, PushError, push

    a, b = two_versions(tmp_path)
    versions = {"a": store_hashes(a), "b": store_hashes(b)}
    names = sorted(set(versions["a"]) | set(versions["b"]))
    record = tmp_path / "record.jsonl"
    for server in running(kind, tmp_path_factory):
        auth = {"user": server.user, "password": server.password}
        push(server.store_url, a, record=record, **auth)
        assert held_hashes(server, names) == versions["a"]

        whole = Body.__iter__

        def spoilt(self):
            for number, chunk in enumerate(whole(self)):
                yield b"\x00" * len(chunk) if number == 2 else chunk

        monkeypatch.setattr(push_module, "CHUNK", 16 * 1024)
        monkeypatch.setattr(Body, "__iter__", spoilt)
        with pytest.raises(PushError):
            push(server.store_url, b, record=record, **auth)
        held = held_hashes(server, names)
        for graph in names:
            assert held.get(graph) == versions["a"].get(graph), f"{graph} was touched by a refused upload"
        monkeypatch.undo()
        report = push(server.store_url, b, record=record, **auth)
        assert not report.stopped
        assert held_hashes(server, names) == versions["b"]


def staging_left(server) -> list[str]:
    """Staging graphs the server holds (read through its SPARQL endpoint)."""
    listing = httpx.post(server.query_url, data={"query": "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }"},
                         headers={"Accept": "application/sparql-results+json"}, timeout=120)
    listing.raise_for_status()
    return [row["g"]["value"] for row in listing.json()["results"]["bindings"]
            if row["g"]["value"].startswith(STAGING)]


def test_a_push_killed_during_virtuosos_bulk_load_leaves_each_graph_old_or_new(tmp_path, tmp_path_factory):
    """Virtuoso's bulk loader commits as it goes: the push loads under staging names and moves each
    graph into place. The push (and its isql) is SIGKILLed at random moments while it brings the
    server from one version to the other and back (new graphs by the loader, changed ones staged);
    after each kill every graph is old, new or absent where one version has none, and a last push
    completes the rest and leaves no staging graph and no file of ours behind."""
    import os
    import signal

    a, b = two_versions(tmp_path)
    versions = {"a": store_hashes(a), "b": store_hashes(b)}
    names = sorted(set(versions["a"]) | set(versions["b"]))
    record = tmp_path / "record.jsonl"
    rng = random.Random(1616)
    for server in running("virtuoso", tmp_path_factory):
        password = server.password_file()

        def push(store_dir):
            return subprocess.Popen(
                cli_command() + ["push", "--to", server.store_url, "--store", str(store_dir), "--record", str(record),
                                 "--user", server.user, "--password-file", str(password),
                                 "--virtuoso-isql", f"127.0.0.1:{server.isql_port}", "--virtuoso-dir", str(server.folder)],
                stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=subprocess_env(), start_new_session=True)

        started = time.monotonic()
        done = push(a)
        out, err = done.communicate(timeout=300)
        assert done.returncode == 0, err
        assert "bulk loader" in out.decode()
        whole = time.monotonic() - started
        assert held_hashes(server, names) == versions["a"]
        kills = 0
        for round_ in range(KILLS):
            process = push(b if round_ % 2 == 0 else a)
            time.sleep(rng.uniform(0.2, 0.9) * whole)
            if process.poll() is None:
                kills += 1
                os.killpg(process.pid, signal.SIGKILL)  # the push and the isql it drives
            process.communicate(timeout=120)
            held = held_hashes(server, names)
            for graph in names:
                allowed = {versions["a"].get(graph), versions["b"].get(graph)}
                assert held.get(graph) in allowed, f"round {round_}: {graph} is neither old nor new"
        assert kills >= KILLS // 2, "the pushes finished before they could be killed: sleep less"
        done = push(b)
        out, err = done.communicate(timeout=300)
        assert done.returncode == 0, err
        assert held_hashes(server, names) == versions["b"], "the last push did not complete the rest"
        assert not staging_left(server)
        assert not list(server.folder.glob("untoc-kg-push-*.nq"))


def _first_halves(store, graphs) -> ox.Store:
    """A store holding the first half of each of `graphs`: what a loader that stops (or skips) leaves."""
    half = ox.Store()
    for g in graphs:
        quads = list(store.quads_for_pattern(None, None, None, ox.NamedNode(g.graph)))
        half.extend(quads[: len(quads) // 2])
    return half


def test_a_bulk_load_that_stops_halfway_leaves_the_graph_old(tmp_path, tmp_path_factory):
    """Virtuoso's loader has no transaction: what it read before it stopped stays. A loader that
    stops halfway through a new graph (here: it loads the first half of each graph it was given,
    then fails) must leave that graph absent under its own name (old), and the next push loads it
    whole and leaves no staging graph."""
    from kg.push import PushError, push
    from kg.virtuoso_bulk import LoaderError, VirtuosoLoader

    class StopsHalfway(VirtuosoLoader):
        def load(self, store, graphs, names=None):
            super().load(_first_halves(store, graphs), graphs, *([names] if names else []))  # (an older load took no names)
            raise LoaderError("stopped halfway")

    a, b = two_versions(tmp_path)
    versions = {"a": store_hashes(a), "b": store_hashes(b)}
    names = sorted(set(versions["a"]) | set(versions["b"]))
    record = tmp_path / "record.jsonl"
    for server in running("virtuoso", tmp_path_factory):
        auth = {"user": server.user, "password": server.password}
        where = (f"127.0.0.1:{server.isql_port}", server.user, server.password, server.folder)
        push(server.store_url, a, record=record, loader=VirtuosoLoader(*where), **auth)
        assert held_hashes(server, names) == versions["a"]
        with pytest.raises(PushError, match="stopped halfway"):
            push(server.store_url, b, record=record, loader=StopsHalfway(*where), **auth)
        held = held_hashes(server, names)
        new = [g for g in names if g not in versions["a"]]
        assert new
        for graph in new:
            assert graph not in held, f"{graph} is on the server half loaded"
        for graph in names:
            assert held.get(graph) in {versions["a"].get(graph), versions["b"].get(graph)}, graph
        report = push(server.store_url, b, record=record, loader=VirtuosoLoader(*where), **auth)
        assert not report.stopped and report.sent["loader"] == len(new)
        assert held_hashes(server, names) == versions["b"]
        assert not staging_left(server)


def test_a_bulk_load_that_silently_skips_lines_is_caught_before_the_move(tmp_path, tmp_path_factory):
    """Virtuoso's loader skipped a malformed line and still reported success (seen here). A loader
    that loads half of each graph and says nothing must not put those graphs in place: the push
    counts each staging graph against the store, stops, and the next push loads them whole."""
    from kg.push import PushError, push
    from kg.virtuoso_bulk import VirtuosoLoader

    class SkipsSilently(VirtuosoLoader):
        def load(self, store, graphs, names=None):
            super().load(_first_halves(store, graphs), graphs, names)

    a, b = two_versions(tmp_path)
    versions = {"a": store_hashes(a), "b": store_hashes(b)}
    names = sorted(set(versions["a"]) | set(versions["b"]))
    record = tmp_path / "record.jsonl"
    for server in running("virtuoso", tmp_path_factory):
        auth = {"user": server.user, "password": server.password}
        where = (f"127.0.0.1:{server.isql_port}", server.user, server.password, server.folder)
        push(server.store_url, a, record=record, loader=VirtuosoLoader(*where), **auth)
        with pytest.raises(PushError, match="arrived with .* triples; it was not moved into place"):
            push(server.store_url, b, record=record, loader=SkipsSilently(*where), **auth)
        held = held_hashes(server, names)
        for graph in names:
            if graph not in versions["a"]:
                assert graph not in held, f"{graph} is on the server short of triples"
        report = push(server.store_url, b, record=record, loader=VirtuosoLoader(*where), **auth)
        assert not report.stopped
        assert held_hashes(server, names) == versions["b"]
        assert not staging_left(server)
