"""Real SPARQL servers for the tests and the bench: Oxigraph's own server and OpenLink Virtuoso,
each started on 127.0.0.1 on a free port in a temporary folder, and stopped afterwards.

Why real servers and not fakes: what push must get right (atomic replacement, authentication,
a server's own idea of a graph name) is each server's behaviour, not ours. CI installs both
(`.ci/run`); outside CI a missing server is a skip with its reason, inside CI a failure.
"""

from __future__ import annotations

import shutil
import signal
import socket
import subprocess
import sys
import time
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx

VIRTUOSO = "virtuoso-t"
ISQL = "isql-vt"
DBA_PASSWORD = "dba"  # a fresh Virtuoso database's own: the server lives for one test session


class ServerMissing(RuntimeError):
    """The server's program is not installed."""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def oxigraph_program() -> str:
    """The `oxigraph` command that the `oxigraph` package installs beside this Python."""
    beside = Path(sys.executable).parent / "oxigraph"
    found = str(beside) if beside.is_file() else shutil.which("oxigraph")
    if not found:
        raise ServerMissing("the `oxigraph` server is not installed (pip install oxigraph, the test extra)")
    return found


def _wait_http(url: str, process: subprocess.Popen, log: Path, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the server exited with {process.returncode}: {log.read_text(errors='replace')[-2000:]}")
        try:
            httpx.get(url, timeout=2)
            return
        except httpx.HTTPError:
            time.sleep(0.2)
    raise RuntimeError(f"the server did not answer at {url} in {seconds} s: {log.read_text(errors='replace')[-2000:]}")


def _stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(10)


@dataclass
class Server:
    kind: str
    base: str  # http://127.0.0.1:PORT
    store_url: str  # the Graph Store Protocol endpoint push writes to
    query_url: str  # the SPARQL endpoint queries are read from
    folder: Path
    user: str | None = None
    password: str | None = None
    isql_port: int | None = None

    def password_file(self) -> Path:
        path = self.folder / "password"
        path.write_text(self.password + "\n", encoding="utf-8")
        return path


@contextmanager
def oxigraph_server(folder: Path):
    program = oxigraph_program()
    port = free_port()
    log = folder / "oxigraph.log"
    with open(log, "wb") as out:
        process = subprocess.Popen([program, "serve", "--location", str(folder / "data"),
                                    "--bind", f"127.0.0.1:{port}"], stdout=out, stderr=subprocess.STDOUT)
    try:
        base = f"http://127.0.0.1:{port}"
        _wait_http(base + "/", process, log)
        yield Server("oxigraph", base, base + "/store", base + "/query", folder)
    finally:
        _stop(process)


VIRTUOSO_INI = """[Database]
DatabaseFile = {d}/virtuoso.db
ErrorLogFile = {d}/virtuoso.log
LockFile = {d}/virtuoso.lck
TransactionFile = {d}/virtuoso.trx
xa_persistent_file = {d}/virtuoso.pxa
ErrorLogLevel = 7
FileExtend = 200
Striping = 0
TempStorage = TempDatabase

[TempDatabase]
DatabaseFile = {d}/virtuoso-temp.db
TransactionFile = {d}/virtuoso-temp.trx
Striping = 0

[Parameters]
ServerPort = 127.0.0.1:{sql}
DisableUnixSocket = 1
DisableTcpSocket = 0
MaxClientConnections = 10
CheckpointInterval = 60
CaseMode = 2
DirsAllowed = ., {d}, /usr/share/virtuoso-opensource-7/vad
NumberOfBuffers = 20000
MaxDirtyBuffers = 15000
MaxQueryMem = 512M
ThreadsPerQuery = 2

[HTTPServer]
ServerPort = 127.0.0.1:{http}
ServerRoot = /var/lib/virtuoso-opensource-7/vsp
MaxClientConnections = 10
ServerThreads = 10
Charset = UTF-8
EnabledGzipContent = 0

[SPARQL]
ResultSetMaxRows = {max_rows}
MaxQueryExecutionTime = 120
MaxQueryCostEstimationTime = 400
"""


def virtuoso_program() -> str:
    found = shutil.which(VIRTUOSO)
    if not found:
        raise ServerMissing("OpenLink Virtuoso is not installed (apt-get install virtuoso-opensource; "
                            ".ci/run installs it)")
    return found


@contextmanager
def virtuoso_server(folder: Path, max_rows: int = 1_000_000):
    """Virtuoso in its own database folder: the SPARQL endpoint open to read, the Graph Store
    Protocol and updates behind digest authentication (`/sparql-graph-crud-auth`, user dba);
    `max_rows`: its ResultSetMaxRows, the most rows it answers a query with (more are cut off)."""
    program = virtuoso_program()
    folder.mkdir(parents=True, exist_ok=True)
    http, sql = free_port(), free_port()
    ini = folder / "virtuoso.ini"
    ini.write_text(VIRTUOSO_INI.format(d=folder, sql=sql, http=http, max_rows=int(max_rows)), encoding="utf-8")
    log = folder / "virtuoso.out"
    with open(log, "wb") as out:
        process = subprocess.Popen([program, "+foreground", "+configfile", str(ini)], cwd=folder,
                                   stdout=out, stderr=subprocess.STDOUT)
    try:
        base = f"http://127.0.0.1:{http}"
        _wait_http(base + "/sparql", process, log, seconds=120)
        isql(sql, "DB.DBA.USER_GRANT_ROLE ('SPARQL', 'SPARQL_UPDATE');", folder)
        yield Server("virtuoso", base, base + "/sparql-graph-crud-auth", base + "/sparql", folder,
                     "dba", DBA_PASSWORD, sql)
    finally:
        _stop(process)


def isql(port: int, statements: str, folder: Path, timeout: float = 600) -> str:
    """Run SQL through Virtuoso's own client (the bulk loader is driven this way)."""
    program = shutil.which(ISQL)
    if not program:
        raise ServerMissing("isql-vt (Virtuoso's SQL client) is not installed")
    done = subprocess.run([program, f"127.0.0.1:{port}", "dba", DBA_PASSWORD, "VERBOSE=OFF",
                           "BANNER=OFF", "PROMPT=OFF", "ERRORS=STDOUT"], input=statements + "\n",
                          capture_output=True, text=True, timeout=timeout, cwd=folder)
    if done.returncode != 0 or "*** Error" in done.stdout:
        raise RuntimeError(f"isql failed ({done.returncode}): {done.stdout[-2000:]} {done.stderr[-2000:]}")
    return done.stdout



class SlowProxy:
    """A SPARQL endpoint in front of a real one that can turn bad: `mode` "pass" forwards, "stall"
    reads the request and answers nothing, "dribble" forwards and sends the answer back one byte every
    `pace` seconds. Every stall and dribble ends by itself within `bound` seconds (then the
    connection is closed), so no test leaves a thread behind for long."""

    def __init__(self, upstream: str, pace: float = 0.3, bound: float = 30.0) -> None:
        import threading
        from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

        self.upstream, self.pace, self.bound, self.mode = upstream, pace, bound, "pass"
        self._stop = threading.Event()
        proxy = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args) -> None:
                return None

            def _forward(self, method: str) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                if proxy.mode == "stall":
                    proxy._stop.wait(proxy.bound)
                    self.close_connection = True
                    return
                headers = {k: v for k, v in self.headers.items() if k.lower() in ("accept", "content-type", "authorization")}
                answer = httpx.request(method, proxy.upstream + self.path.partition("?")[1] + self.path.partition("?")[2],
                                       content=body, headers=headers, timeout=60)
                self.send_response(answer.status_code)
                for name in ("content-type", "server"):
                    if name in answer.headers:
                        self.send_header(name, answer.headers[name])
                self.send_header("Content-Length", str(len(answer.content)))
                self.end_headers()
                if proxy.mode == "pass":
                    self.wfile.write(answer.content)
                    return
                ends = time.monotonic() + proxy.bound
                for i in range(len(answer.content)):
                    if time.monotonic() > ends or proxy._stop.wait(proxy.pace):
                        break
                    self.wfile.write(answer.content[i:i + 1])
                    self.wfile.flush()
                self.close_connection = True

            def do_GET(self) -> None:
                self._forward("GET")

            def do_POST(self) -> None:
                self._forward("POST")

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}/query"
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._server.shutdown()
        self._server.server_close()
