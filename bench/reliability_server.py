"""Issue 18's attacks on `untoc-kg serve` and `untoc-kg sparql`, with figures: what was tried, what held.

    python bench/reliability_server.py --store DIR [--tree PATH]

`--tree` is the source tree whose server and command line are attacked (default: this one), so the
same attacks can be run on an older checkout to compare: only options every version has are used
(`--workers 2 --timeout 2`), every other bound is at its default. Each attack is bounded in count and
time and goes to 127.0.0.0/8 only (addresses other than 127.0.0.1 are other clients). Prints one
line per attack: what was tried, and the figure that says whether it held.
"""

from __future__ import annotations

import argparse
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
CROSS = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
JSON = {"Accept": "application/sparql-results+json"}
ASK = {"query": "ASK {}"}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    def __init__(self, tree: Path, store: Path, log: Path, env: dict | None = None, *options: str):
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.log = log
        full_env = dict(os.environ, PYTHONPATH=str(tree), **(env or {}))
        self.proc = subprocess.Popen([sys.executable, "-m", "kg.server.cli", "--store", str(store), "--port",
                                      str(self.port), "--workers", "2", "--timeout", "2", *options],
                                     env=full_env, stdout=open(log, "wb"), stderr=subprocess.STDOUT, cwd=tree)
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            try:
                if httpx.get(f"{self.base}/sparql", params=ASK, headers=JSON, timeout=2).status_code == 200:
                    return
            except httpx.TransportError:
                pass
            time.sleep(0.3)
        raise RuntimeError("the server did not start: " + log.read_text(errors="replace")[-500:])

    def client(self, address: str, timeout: float = 30) -> httpx.Client:
        return httpx.Client(base_url=self.base, timeout=timeout, transport=httpx.HTTPTransport(local_address=address))

    def connect(self, address: str) -> socket.socket:
        sock = socket.socket()
        sock.settimeout(5)
        sock.bind((address, 0))
        sock.connect(("127.0.0.1", self.port))
        return sock

    def stop(self, grace: float = 20) -> float:
        started = time.monotonic()
        self.proc.send_signal(signal.SIGTERM)
        try:
            self.proc.wait(timeout=grace)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
            return float("inf")
        return time.monotonic() - started


def alive(sock: socket.socket) -> bool:
    """Still open and unanswered: the server has neither written to it nor closed it."""
    sock.setblocking(False)
    try:
        return sock.recv(1, socket.MSG_PEEK) == b"" and False
    except BlockingIOError:
        return True
    except OSError:
        return False
    finally:
        sock.setblocking(True)


def report(item: str, tried: str, figure: str) -> None:
    print(f"{item:4} {tried}\n       -> {figure}", flush=True)


def runaway_client(server: Server, tree: Path) -> None:
    stop, statuses = threading.Event(), []

    def loop():
        with server.client("127.0.0.1") as c:
            while not stop.is_set():
                try:
                    statuses.append(c.post("/sparql", data={"query": CROSS}).status_code)
                except httpx.HTTPError:
                    statuses.append(0)

    threads = [threading.Thread(target=loop) for _ in range(10)]
    for t in threads:
        t.start()
    time.sleep(0.5)
    codes, latencies = [], []
    with server.client("127.0.0.2") as other:
        for _ in range(6):
            started = time.monotonic()
            codes.append(other.get("/sparql", params=ASK, headers=JSON).status_code)
            latencies.append(time.monotonic() - started)
            time.sleep(0.5)
    stop.set()
    for t in threads:
        t.join(30)
    latencies.sort()
    report("2", "10 looping runaway queries from 127.0.0.1; 6 x ASK {} from 127.0.0.2",
           f"ASK answered {codes.count(200)}/6, max latency {latencies[-1]:.2f} s")
    time.sleep(2)


def slowloris(server: Server) -> None:
    socks = []
    for _ in range(200):
        try:
            socks.append(server.connect("127.0.0.3"))
        except OSError:
            break
    started = time.monotonic()
    while time.monotonic() - started < 14:
        for sock in socks:
            try:
                sock.send(b"G")
            except OSError:
                pass
        time.sleep(1)
    still = sum(alive(s) for s in socks)
    with server.client("127.0.0.4", timeout=10) as other:
        code = other.get("/sparql", params=ASK, headers=JSON).status_code
    for sock in socks:
        sock.close()
    report("3", "200 connections from 127.0.0.3 sending one byte a second for 14 s",
           f"{still}/200 still open after 14 s; another address's ASK: {code}")


def huge_accept(server: Server) -> None:
    accept = ", ".join(f"application/x-{i};q=0.{i % 9 + 1}" for i in range(40_000))
    times, statuses = [], []
    for _ in range(5):
        sock = server.connect("127.0.0.5")
        started = time.monotonic()
        try:
            sock.sendall(f"GET /sparql?query=ASK%20%7B%7D HTTP/1.1\r\nHost: x\r\nAccept: {accept}\r\n"
                         "Connection: close\r\n\r\n".encode())
        except OSError:
            pass
        try:
            first = sock.recv(64)
        except OSError:
            first = b""
        times.append(time.monotonic() - started)
        statuses.append(first[9:12].decode() or "closed")
        sock.close()
    report("3", f"5 requests with an Accept header of {len(accept) // 1024} KB",
           f"answers {', '.join(statuses)}; {max(times):.2f} s each at most")


def log_flood(server: Server) -> None:
    before = server.log.stat().st_size
    started = time.monotonic()
    count = 0
    while count < 1000 and time.monotonic() - started < 20:
        try:
            sock = server.connect("127.0.0.6")
            sock.sendall(b"NOT HTTP\r\n\r\n")
            sock.recv(100)
            sock.close()
        except OSError:
            pass
        count += 1
    time.sleep(0.5)
    report("3", f"{count} malformed requests from one address",
           f"log grew {server.log.stat().st_size - before} bytes")


def forwarded_for(server: Server) -> None:
    codes: list[int] = []

    def spoof(i):
        with server.client("127.0.0.1") as c:
            codes.append(c.post("/sparql", data={"query": CROSS}, headers={"X-Forwarded-For": f"198.51.100.{i}"}
                                ).status_code)

    threads = [threading.Thread(target=spoof, args=(i,)) for i in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    report("4", "8 runaway queries at once from 127.0.0.1, each with its own X-Forwarded-For",
           f"429 (bound applied to the real address) for {codes.count(429)}/8")
    time.sleep(2)
    with server.client("127.0.0.1") as c:
        body = c.get("/.well-known/void", headers={"Host": "evil.example", "Accept": "text/turtle"}).text
    report("4", "GET /.well-known/void with Host: evil.example",
           "Host reflected into VoID" if "evil.example" in body else "Host not reflected")


def doubling(server: Server) -> None:
    binds = " ".join(f"BIND(CONCAT(?a{i}, ?a{i}) AS ?a{i + 1})" for i in range(20))
    query = f'SELECT ?a20 WHERE {{ BIND("0123456789abcdef" AS ?a0) {binds} }}'
    with server.client("127.0.0.7") as c:
        response = c.post("/sparql", data={"query": query}, headers=JSON)
    report("5", f"a {len(query)}-byte query doubling a string 20 times (16 MiB)",
           f"{response.status_code}, {len(response.content):,} bytes, X-SPARQL-MaxBytes "
           f"{response.headers.get('x-sparql-maxbytes', 'absent')}")


def client_disconnects(server: Server) -> None:
    before = server.log.read_text(errors="replace").count("Traceback")
    for _ in range(10):
        sock = server.connect("127.0.0.8")
        sock.sendall(b"POST /sparql HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\n"
                     b"Content-Length: 5000\r\n\r\nquery=ASK")
        time.sleep(0.1)
        sock.close()
    time.sleep(1)
    after = server.log.read_text(errors="replace").count("Traceback")
    report("12", "10 clients leaving in the middle of their POST body", f"{after - before} tracebacks in the log")


def poison(tree: Path, store: Path, workdir: Path) -> None:
    import pyoxigraph as ox

    target = workdir / "poison"
    ox.Store.read_only(str(store)).backup(str(target))
    st = ox.Store(str(target))
    graph, knows = ox.NamedNode("https://w3id.org/untoc-kg/id/graph/poison"), ox.NamedNode("http://xmlns.com/foaf/0.1/knows")
    nodes = [ox.BlankNode() for _ in range(10)]
    st.extend([ox.Quad(a, knows, b, graph) for a in nodes for b in nodes if a is not b])
    st.flush()
    del st
    server = Server(tree, target, workdir / "poison.log")
    latencies = []
    started = time.monotonic()
    while time.monotonic() - started < 8:
        begun = time.monotonic()
        try:
            httpx.get(f"{server.base}/sparql", params=ASK, headers=JSON, timeout=60)
        except httpx.HTTPError:
            pass
        latencies.append(time.monotonic() - begun)
        time.sleep(0.2)
    stopped = server.stop(grace=20)
    report("8", "serve a store with a 10-node blank-node clique; ASK {} every 0.2 s for 8 s; then SIGTERM",
           f"ASK max latency {max(latencies):.2f} s; exited {stopped:.1f} s after SIGTERM"
           if stopped != float("inf") else f"ASK max latency {max(latencies):.2f} s; still running 20 s after SIGTERM")
    env = dict(os.environ, PYTHONPATH=str(tree), UNTOC_KG_CANON_SECONDS="5")
    begun = time.monotonic()
    try:
        done = subprocess.run([sys.executable, "-c", "from kg.cli import main; main()", "export", "--store",
                               str(target), "--format", "nq", "-o", str(workdir / "out.nq")], env=env, cwd=tree,
                              capture_output=True, text=True, timeout=30)
        figure = f"exit {done.returncode} after {time.monotonic() - begun:.1f} s: {done.stderr.strip()[-90:]!r}"
    except subprocess.TimeoutExpired:
        figure = "still running after 30 s (killed)"
    report("8", "untoc-kg export of that store", figure)


def cli_guard(tree: Path, store: Path) -> None:
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(8)
    listener.settimeout(0.2)
    accepted = []
    stop = threading.Event()

    def serve():
        while not stop.is_set():
            try:
                conn, _ = listener.accept()
                accepted.append(1)
                conn.close()
            except OSError:
                continue

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    env = dict(os.environ, PYTHONPATH=str(tree))
    cli = [sys.executable, "-c", "from kg.cli import main; main()", "sparql", "--store", str(store)]
    url = f"http://127.0.0.1:{listener.getsockname()[1]}/sparql"
    done = subprocess.run([*cli, f"SELECT * WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }}"], env=env, cwd=tree,
                          capture_output=True, text=True, timeout=60)
    time.sleep(0.3)
    stop.set()
    thread.join()
    listener.close()
    report("11", "untoc-kg sparql with SERVICE <http://127.0.0.1:...>",
           f"exit {done.returncode}, {len(accepted)} connections made, traceback: {'Traceback' in done.stderr}")
    deep = subprocess.run([*cli, "SELECT * WHERE " + "{" * 2500 + "}" * 2500], env=env, cwd=tree,
                          capture_output=True, text=True, timeout=60)
    report("11", "untoc-kg sparql with 2,500 nested braces", f"exit {deep.returncode}")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--store", type=Path, required=True, help="a built store (it is only read)")
    parser.add_argument("--tree", type=Path, default=ROOT, help="the source tree to attack [default: this one]")
    args = parser.parse_args(argv)
    tree = args.tree.resolve()
    workdir = Path(tempfile.mkdtemp(prefix="reliability-"))
    try:
        server = Server(tree, args.store, workdir / "server.log")
        try:
            for attack in (runaway_client, ):
                attack(server, tree)
            for attack in (slowloris, huge_accept, log_flood, forwarded_for, doubling, client_disconnects):
                attack(server)
        finally:
            server.stop()
        poison(tree, args.store, workdir)
        cli_guard(tree, args.store)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
