"""Issue 18's attacks on the endpoint, each against the real server on 127.0.0.1, each bounded in count and time.

2. one client's runaway queries must not lock out the others (share, fair queue);
3. half-sent requests, too many connections from one address, huge headers: bounded, and the log
   does not grow a line per refused connection;
4. X-Forwarded-For believed only from the proxies named with --trusted-proxy; the public base URL
   from --base-url, never from the Host header;
5. answers capped in bytes as well as rows, and the headers say so;
8. a poison graph (a clique of blank nodes): canonicalization bounded with a clear error, dumps
   written beside serving, SIGTERM obeyed within seconds;
11. `untoc-kg sparql` behind the endpoint's guard;
12. a client that leaves mid-body leaves no traceback in the log.

Other addresses than 127.0.0.1 are other clients: all of 127.0.0.0/8 is this machine's loopback.
"""

from __future__ import annotations

import json
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pyoxigraph as ox
import pytest

from tests.conftest import cli_command, subprocess_env
from tests.test_server import (CROSS_PRODUCT, JSON_RESULTS, client_from, free_port, listener,  # noqa: F401
                               running_server)

TIMEOUT = 2.0
BASE_URL = "https://kg.example.org"
PROXY = "127.0.0.9"
MAX_BYTES = 100_000
ASK = {"query": "ASK {}"}


@pytest.fixture(scope="module")
def guard_log(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("guarded") / "server.log"


@pytest.fixture(scope="module")
def server(built_store, guard_log) -> Iterator[str]:
    with running_server(built_store, "--timeout", str(TIMEOUT), "--workers", "2", "--per-client", "4",
                        "--max-results", "1000", "--max-memory", "256", "--max-bytes", str(MAX_BYTES),
                        "--header-timeout", "1", "--body-timeout", "1", "--per-address", "8",
                        "--max-header", "4096", "--trusted-proxy", PROXY, "--base-url", BASE_URL,
                        log=guard_log) as base:
        yield base
    text = guard_log.read_text(errors="replace")
    assert "Traceback" not in text, text
    assert "ClientDisconnect" not in text, text


def _port(base: str) -> int:
    return int(base.rsplit(":", 1)[1])


def _connect(base: str, address: str = "127.0.0.1") -> socket.socket:
    sock = socket.socket()
    sock.settimeout(5)
    sock.bind((address, 0))
    sock.connect(("127.0.0.1", _port(base)))
    return sock


def _read_all(sock: socket.socket, limit: float = 5.0) -> bytes:
    """What the server sends until it closes the connection (b"" if it closes without a word)."""
    sock.settimeout(limit)
    chunks = []
    try:
        while True:
            chunk = sock.recv(65536)
            if not chunk:
                break
            chunks.append(chunk)
    except (ConnectionResetError, TimeoutError, socket.timeout):
        pass
    return b"".join(chunks)


def _heavy_loop(base: str, address: str, stop: threading.Event, statuses: list, headers: dict | None = None):
    with client_from(base, address, timeout=30) as c:
        while not stop.is_set():
            statuses.append(c.post("/sparql", data={"query": CROSS_PRODUCT}, headers=headers or {}).status_code)


# ---------------------------------------------------------------------------------------------
# 2. One client must not lock everyone out


def test_ten_runaway_queries_from_one_address_leave_a_worker_for_everyone_else(server):
    stop, statuses = threading.Event(), []
    threads = [threading.Thread(target=_heavy_loop, args=(server, "127.0.0.1", stop, statuses)) for _ in range(10)]
    for thread in threads:
        thread.start()
    time.sleep(0.5)
    latencies, codes = [], []
    try:
        with client_from(server, "127.0.0.2") as other:
            for _ in range(6):
                started = time.monotonic()
                codes.append(other.get("/sparql", params=ASK, headers=JSON_RESULTS).status_code)
                latencies.append(time.monotonic() - started)
                time.sleep(0.5)
    finally:
        stop.set()
        for thread in threads:
            thread.join(30)
    assert codes == [200] * 6, codes
    assert max(latencies) < 1.0, latencies
    assert 429 in statuses  # the runaway client is told to wait; it is never given both workers
    time.sleep(1.5)  # workers killed at the time limit are replaced


@pytest.mark.slow
def test_a_cheap_query_goes_before_the_queued_queries_of_expensive_clients(server):
    """Two expensive clients hold both workers and each has more waiting; a third client's ASK gets
    the next free worker, ahead of the queries that came before it (a first-come queue gave 503)."""
    stop, statuses = threading.Event(), []
    threads = [threading.Thread(target=_heavy_loop, args=(server, address, stop, statuses))
               for address in ("127.0.0.3", "127.0.0.4") for _ in range(3)]
    for thread in threads:
        thread.start()
    time.sleep(TIMEOUT + 1)  # both have run and been charged for a full time limit
    try:
        with client_from(server, "127.0.0.5") as cheap:
            started = time.monotonic()
            response = cheap.get("/sparql", params=ASK, headers=JSON_RESULTS)
            waited = time.monotonic() - started
    finally:
        stop.set()
        for thread in threads:
            thread.join(30)
    assert response.status_code == 200, response.text
    # the next worker to come free (a time limit, and a restart), not the queries queued before it
    assert waited < 2 * TIMEOUT + 3, waited
    time.sleep(1.5)


@pytest.mark.slow
def test_a_worker_lent_to_a_cheap_client_is_taken_back_when_another_client_waits(built_store, tmp_path):
    """An idle server lends its every worker to one client whose queries have been cheap (the
    throughput of a single load generator); when that client turns runaway and another client
    comes, the lent worker is taken back well before the time limit (10 s here)."""
    with running_server(built_store, "--timeout", "10", "--workers", "2", log=tmp_path / "lend.log") as base:
        with client_from(base, "127.0.0.12") as cheap_then_runaway:
            for _ in range(5):  # a history of cheap queries
                assert cheap_then_runaway.get("/sparql", params=ASK, headers=JSON_RESULTS).status_code == 200
        outcome: list = []

        def runaway():
            with client_from(base, "127.0.0.12", timeout=30) as c:
                outcome.append(c.post("/sparql", data={"query": CROSS_PRODUCT}))

        threads = [threading.Thread(target=runaway) for _ in range(2)]
        for thread in threads:
            thread.start()
        time.sleep(0.5)  # both run: one within the share, one on the lent worker
        with client_from(base, "127.0.0.13") as other:
            started = time.monotonic()
            response = other.get("/sparql", params=ASK, headers=JSON_RESULTS)
            waited = time.monotonic() - started
        for thread in threads:
            thread.join(30)
        assert response.status_code == 200 and waited < 6, (response.status_code, waited)
        stopped = [r for r in outcome if "lent" in r.text]
        assert len(stopped) == 1 and stopped[0].status_code == 503, [r.text for r in outcome]


# ---------------------------------------------------------------------------------------------
# 3. Half-sent requests, connections per address, huge headers


def test_half_sent_heads_are_closed_at_the_header_timeout_and_others_are_served(server, guard_log):
    trickles = [_connect(server, "127.0.0.6") for _ in range(8)]
    over = [_connect(server, "127.0.0.6") for _ in range(20)]  # past --per-address 8
    started = time.monotonic()
    for sock in trickles:
        sock.sendall(b"G")
    refused = [_read_all(sock, 2) for sock in over]
    assert all(b" 503 " in r.split(b"\r\n")[0] for r in refused), refused[:2]
    with client_from(server, "127.0.0.7") as other:
        assert other.get("/sparql", params=ASK, headers=JSON_RESULTS).status_code == 200
    closed = 0
    for _ in range(6):  # one byte every 0.5 s: the head never completes
        for sock in trickles:
            try:
                sock.sendall(b"E")
            except OSError:
                pass
        time.sleep(0.5)
    for sock in trickles:
        answer = _read_all(sock, 1)
        closed += answer.startswith(b"HTTP/1.1 408")
        sock.close()
    for sock in over:
        sock.close()
    assert closed == len(trickles)
    assert time.monotonic() - started < 6
    # a connection that never says a word is closed too
    silent = _connect(server, "127.0.0.6")
    begun = time.monotonic()
    assert _read_all(silent, 4) == b""
    assert time.monotonic() - begun < 2.5
    silent.close()


@pytest.mark.slow
def test_a_flood_of_refused_connections_writes_no_line_per_connection(built_store, tmp_path):
    log = tmp_path / "flood.log"
    with running_server(built_store, "--workers", "2", "--per-address", "4", "--header-timeout", "1", log=log) as base:
        held = [_connect(base, "127.0.0.8") for _ in range(4)]
        refused = 0
        deadline = time.monotonic() + 10
        for _ in range(400):
            if time.monotonic() > deadline:
                break
            sock = _connect(base, "127.0.0.8")
            refused += b" 503 " in _read_all(sock, 2)
            sock.close()
            bad = _connect(base, "127.0.0.10")  # a malformed request: uvicorn warns about each
            bad.sendall(b"NOT HTTP AT ALL\r\n\r\n")
            _read_all(bad, 2)
            bad.close()
        for sock in held:
            sock.close()
        assert refused >= 100
    lines = log.read_text(errors="replace").splitlines()
    assert len(lines) < 25, lines[:40]
    summary = [line for line in lines if "refused in the last" in line]
    assert summary and "connections over the per-address cap" in summary[-1]


def test_a_huge_accept_header_is_refused_after_reading_its_start(server):
    accept = ", ".join(f"application/x-{i};q=0.{i % 9 + 1}" for i in range(40_000))  # about 889 KB
    sock = _connect(server)
    started = time.monotonic()
    head = f"GET /sparql?query=ASK%20%7B%7D HTTP/1.1\r\nHost: x\r\nAccept: {accept}\r\n\r\n".encode()
    try:
        sock.sendall(head)
    except (BrokenPipeError, ConnectionResetError):
        pass  # refused before the rest was read
    answer = _read_all(sock, 5)
    sock.close()
    assert answer.startswith(b"HTTP/1.1 431"), answer[:200]
    assert time.monotonic() - started < 1.0
    # many media ranges within the header limit cost a bounded negotiation, and still negotiate
    ranges = ", ".join(["text/x-none"] * 300 + ["application/sparql-results+json"])[:4000]
    with httpx.Client(base_url=server, timeout=10) as c:
        response = c.get("/sparql", params=ASK, headers={"Accept": ranges})
        assert response.status_code in (200, 406)
        assert c.get("/sparql", params=ASK, headers=JSON_RESULTS).json()["boolean"] is True


def test_a_stalled_body_is_cut_at_the_body_timeout_without_a_traceback(server, guard_log):
    sock = _connect(server)
    sock.sendall(b"POST /sparql HTTP/1.1\r\nHost: x\r\nContent-Type: application/sparql-query\r\n"
                 b"Content-Length: 1000\r\n\r\nASK {")
    started = time.monotonic()
    _read_all(sock, 5)
    assert time.monotonic() - started < 3
    sock.close()


# ---------------------------------------------------------------------------------------------
# 4. Proxy headers and the public base URL


def test_x_forwarded_for_from_an_unnamed_proxy_does_not_dodge_the_per_client_bound(server):
    codes: list[int] = []

    def spoofing(i):
        with client_from(server, "127.0.0.11", timeout=30) as c:
            codes.append(c.post("/sparql", data={"query": CROSS_PRODUCT},
                                headers={"X-Forwarded-For": f"198.51.100.{i}"}).status_code)

    threads = [threading.Thread(target=spoofing, args=(i,)) for i in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert codes.count(429) >= 2, codes  # --per-client 4: all six are one client, 127.0.0.11
    time.sleep(1.5)


def test_x_forwarded_for_from_a_named_proxy_names_the_client(server):
    """From --trusted-proxy, two forwarded clients are two clients: each may use its share, and
    the proxy's own connections are not bound by --per-address."""
    with client_from(server, PROXY) as proxy:
        first = proxy.get("/sparql", params=ASK, headers={**JSON_RESULTS, "X-Forwarded-For": "203.0.113.1"})
        assert first.status_code == 200
    socks = [_connect(server, PROXY) for _ in range(12)]  # past --per-address 8, and not refused
    try:
        for i, sock in enumerate(socks):
            sock.sendall(b"GET /sparql?query=ASK%20%7B%7D HTTP/1.1\r\nHost: x\r\nAccept: application/json\r\n"
                         + f"X-Forwarded-For: 203.0.113.{10 + i}\r\nConnection: close\r\n\r\n".encode())
        answers = [_read_all(sock, 5) for sock in socks]
    finally:
        for sock in socks:
            sock.close()
    assert all(a.startswith(b"HTTP/1.1 200") for a in answers), [a[:40] for a in answers]


def test_the_host_header_never_reaches_void_or_the_service_description(server):
    with httpx.Client(base_url=server, timeout=10) as c:
        for path, params in (("/.well-known/void", {}), ("/sparql", {})):
            response = c.get(path, params=params, headers={"Host": "evil.example", "Accept": "text/turtle",
                                                            "X-Forwarded-Host": "evil2.example"})
            assert response.status_code == 200, response.text
            assert "evil" not in response.text
            assert f"{BASE_URL}/sparql" in response.text


# ---------------------------------------------------------------------------------------------
# 5. Bytes as well as rows


def test_an_answer_doubled_to_megabytes_is_cut_at_the_byte_cap_and_says_so(server):
    binds = " ".join(f"BIND(CONCAT(?a{i}, ?a{i}) AS ?a{i + 1})" for i in range(20))
    query = f'SELECT ?a20 WHERE {{ BIND("0123456789abcdef" AS ?a0) {binds} }}'  # 16 MiB in one value
    assert len(query) < 1600
    with httpx.Client(base_url=server, timeout=30) as c:
        for accept in ("application/sparql-results+json", "text/csv", "application/sparql-results+xml"):
            response = c.post("/sparql", data={"query": query}, headers={"Accept": accept})
            assert response.status_code == 200, response.text
            assert len(response.content) <= MAX_BYTES
            assert response.headers["x-sparql-truncated"] == "true"
            assert response.headers["x-sparql-maxbytes"] == str(MAX_BYTES)
        many = c.post("/sparql", data={"query": "SELECT * WHERE { ?s ?p ?o } LIMIT 900"}, headers=JSON_RESULTS)
        assert len(many.content) <= MAX_BYTES
        assert many.headers["x-sparql-maxbytes"] == str(MAX_BYTES)
        rows = many.json()["results"]["bindings"]
        assert 0 < len(rows) < 900 and int(many.headers["x-sparql-results"]) == len(rows)
        graph = c.post("/sparql", data={"query": "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o } LIMIT 900"},
                       headers={"Accept": "application/n-triples"})
        assert len(graph.content) <= MAX_BYTES and graph.headers["x-sparql-truncated"] == "true"
        small = c.post("/sparql", data={"query": "SELECT * WHERE { ?s ?p ?o } LIMIT 3"}, headers=JSON_RESULTS)
        assert "x-sparql-truncated" not in small.headers


# ---------------------------------------------------------------------------------------------
# 8. A poison graph


@pytest.fixture(scope="module")
def poison_store(built_store, tmp_path_factory) -> Path:
    """The built store and a graph holding a 10-node clique of blank nodes."""
    target = tmp_path_factory.mktemp("poison") / "store"
    ox.Store.read_only(str(built_store)).backup(str(target))
    store = ox.Store(str(target))
    graph = ox.NamedNode("https://w3id.org/untoc-kg/id/graph/poison")
    knows = ox.NamedNode("http://xmlns.com/foaf/0.1/knows")
    nodes = [ox.BlankNode() for _ in range(10)]
    store.extend([ox.Quad(a, knows, b, graph) for a in nodes for b in nodes if a is not b])
    store.flush()
    del store
    return target


def test_canonical_hash_of_a_poison_graph_stops_at_its_bound_with_a_clear_error(poison_store, monkeypatch):
    from kg.canon import CanonicalizationError
    from kg.export import canonical_hash

    monkeypatch.setenv("UNTOC_KG_CANON_SECONDS", "2")
    started = time.monotonic()
    with pytest.raises(CanonicalizationError, match="the largest of 10") as caught:
        canonical_hash(ox.Store.read_only(str(poison_store)))
    assert time.monotonic() - started < 5
    assert "UNTOC_KG_CANON_SECONDS" in str(caught.value)
    result = subprocess.run([*cli_command(), "export", "--store", str(poison_store), "--format", "nq"],
                            env=subprocess_env(UNTOC_KG_CANON_SECONDS="2"), capture_output=True, text=True,
                            timeout=60)
    assert result.returncode == 1 and "Traceback" not in result.stderr and "blank nodes" in result.stderr


@pytest.mark.slow
def test_a_poison_graph_neither_blocks_queries_nor_sigterm(poison_store, tmp_path):
    log = tmp_path / "poison.log"
    port = free_port()
    proc = subprocess.Popen([sys.executable, "-m", "kg.server.cli", "--store", str(poison_store), "--port",
                             str(port), "--workers", "2", "--log-level", "warning"],
                            env=subprocess_env(UNTOC_KG_CANON_SECONDS="600"), stdout=open(log, "wb"),
                            stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if httpx.get(f"{base}/sparql", params=ASK, headers=JSON_RESULTS, timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            assert time.monotonic() < deadline and proc.poll() is None, log.read_text()
            time.sleep(0.2)
        latencies = []
        for _ in range(10):  # the dumps are being written meanwhile, and stay so (the bound is 600 s)
            started = time.monotonic()
            assert httpx.get(f"{base}/sparql", params=ASK, headers=JSON_RESULTS, timeout=10).status_code == 200
            latencies.append(time.monotonic() - started)
            time.sleep(0.2)
        assert max(latencies) < 1.0, latencies
        assert httpx.get(f"{base}/dumps/untoc-kg.nq.gz", timeout=10).status_code == 503
        dump_children = _children(proc.pid)
        started = time.monotonic()
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=15)
        assert time.monotonic() - started < 6
        time.sleep(0.5)
        assert not [pid for pid in dump_children if Path(f"/proc/{pid}").exists()
                    and "zombie" not in Path(f"/proc/{pid}/status").read_text().lower()]
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()


def _children(parent: int) -> list[int]:
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == parent:
            found.append(int(stat.parent.name))
            found.extend(_children(int(stat.parent.name)))
    return found


@pytest.mark.slow
def test_a_poison_graph_dump_fails_with_the_reason_and_the_server_goes_on(poison_store, tmp_path, monkeypatch):
    log = tmp_path / "poison-dump.log"
    monkeypatch.setenv("UNTOC_KG_CANON_SECONDS", "2")  # the server passes its environment to the dump process
    with running_server(poison_store, "--workers", "2", log=log) as base:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            response = httpx.get(f"{base}/dumps/untoc-kg.nq.gz", timeout=10)
            if response.status_code != 503:
                break
            time.sleep(0.5)
        assert response.status_code == 500 and "could not be written" in response.text
        assert httpx.get(f"{base}/sparql", params=ASK, headers=JSON_RESULTS, timeout=10).status_code == 200
    text = log.read_text(errors="replace")
    assert "blank nodes" in text and "Traceback" not in text


# ---------------------------------------------------------------------------------------------
# 11. `untoc-kg sparql` behind the same guard


def _cli(*args: str, timeout: float = 60) -> subprocess.CompletedProcess:
    return subprocess.run([*cli_command(), *args], env=subprocess_env(), capture_output=True, text=True,
                          timeout=timeout)


def test_cli_sparql_refuses_service_unless_allowed_and_deep_nesting_without_a_crash(built_store, listener):
    url, accepted = listener
    service = f"SELECT * WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }}"
    refused = _cli("sparql", "--store", str(built_store), service)
    assert refused.returncode == 2 and "SERVICE" in refused.stderr and "--allow-service" in refused.stderr
    time.sleep(0.3)
    assert accepted == []
    allowed = _cli("sparql", "--store", str(built_store), "--allow-service", service)
    assert len(accepted) >= 1  # the user's own choice: it connects
    assert "Traceback" not in allowed.stderr and allowed.returncode in (1, 2), allowed.stderr
    deep = _cli("sparql", "--store", str(built_store), "SELECT * WHERE " + "{" * 2500 + "}" * 2500)
    assert deep.returncode == 2 and "nesting" in deep.stderr, (deep.returncode, deep.stderr[-300:])
    chain = _cli("sparql", "--store", str(built_store), "--format", "json",
                 "SELECT (" + "+".join(["1"] * 12_000) + " AS ?x) WHERE {}", timeout=120)
    assert chain.returncode == 0, (chain.returncode, chain.stderr[-300:])
    assert json.loads(chain.stdout)["results"]["bindings"][0]["x"]["value"] == "12000"


# ---------------------------------------------------------------------------------------------
# 12. A client that leaves mid-body


def test_a_client_leaving_mid_body_leaves_no_traceback(server, guard_log):
    for _ in range(5):
        sock = _connect(server)
        sock.sendall(b"POST /sparql HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\n"
                     b"Content-Length: 5000\r\n\r\nquery=ASK")
        time.sleep(0.1)
        sock.close()
    time.sleep(0.5)
    with httpx.Client(base_url=server, timeout=10) as c:
        assert c.get("/sparql", params=ASK, headers=JSON_RESULTS).status_code == 200
    text = guard_log.read_text(errors="replace")
    assert "Traceback" not in text and "ClientDisconnect" not in text, text
