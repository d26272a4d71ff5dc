"""`untoc-kg serve` under load, beside Oxigraph's own server on the same store and the same queries.

    python bench/bench_server.py [--store DIR | --docs N] [--clients 16] [--batch 20] [--rounds 3] [--mixes canned,light,ask]

1. Builds the corpus into a temporary store (`--docs N`: N documents varied from the seeds by
   `bench_build.make_corpus`, as `bench_build.py` and `bench_issue15.py` make them), or uses `--store`.
2. Starts `untoc-kg serve` and, when the `oxigraph` command is installed (PyPI package `oxigraph`,
   which ships Oxigraph's server binary), `oxigraph serve-read-only` on the same store, each as its
   own process on a loopback port. Both answer over the same dataset: ours gives every query the
   build's union graph as the default graph and the data graphs as named graphs; Oxigraph gets the
   same by protocol parameters (default-graph-uri: the union graph; named-graph-uri: the data graphs,
   sent only with the queries that say GRAPH, since no other query can see a named graph).
3. Prints the rows (and time) of each server for every canned query (`queries/*.rq`) that needs
   no parameter (optional ones left unbound), and says when the two differ.
4. Load is a closed batch, driven by `wrk` (Debian package `wrk`) from a second process: `--clients`
   connections, each sending its next request when the previous one is answered, until the servers
   have answered `--batch` requests per client, cycling through the queries by GET with
   `Accept: application/sparql-results+json` (by POST of the same form when the URL would pass
   4,000 characters: Oxigraph's server refuses a GET naming hundreds of graphs). Both servers
   answer the same requests, so a batch's wall time compares the same work (a timed run lets the
   faster server pick more of the cheap queries of a mix). Once with all those canned queries (the
   engine's work dominates), once with two light ones (the HTTP side does), and once with `ASK {}`
   (nothing but the HTTP side).
5. `--rounds` rounds alternate the servers (ours, Oxigraph; then Oxigraph, ours; ...) so that a
   neighbour's load on a shared machine falls on both; prints each round, then the median
   requests/s of each server and our median over theirs as the ratio. Each round also gives the
   CPU time (user + system) the server spent per request, its worker processes included (Linux
   /proc); under a neighbour's load that is steadier than requests/s.

Load goes to 127.0.0.1 only and stops by itself. A Python load generator saturates near 740
requests/s on this kind of machine (PITFALLS.md), below what either server does, hence `wrk`.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from kg.sparql import list_queries  # noqa: E402

ACCEPT = "application/sparql-results+json"
LIGHT = ("classes", "graphs")
EMPTY_ASK = "ASK {}"
ASK_MIX = "ASK {} (HTTP only)"
MAX_URL = 4000

WRK_SCRIPT = """
local paths = {%(paths)s}
local bodies = {%(bodies)s}
local quota = %(quota)d
local counter = 0
local answered = 0
local next_id = 0
setup = function(thread)
  thread:set("id", next_id)
  next_id = next_id + 1
end
init = function(args)
  counter = (id * 7) %% #paths
end
request = function()
  counter = counter %% #paths + 1
  if bodies[counter] == "" then
    return wrk.format("GET", paths[counter], {["Accept"] = "%(accept)s"})
  end
  return wrk.format("POST", paths[counter], {["Accept"] = "%(accept)s",
    ["Content-Type"] = "application/x-www-form-urlencoded"}, bodies[counter])
end
response = function(status, headers, body)
  answered = answered + 1
  if answered == quota then
    io.write("QUOTA\\n")
    io.flush()
    wrk.thread:stop()
  end
end
done = function(summary, latency, requests)
  io.write(string.format('RESULT {"requests": %%d, "duration_us": %%d, "status_errors": %%d, "socket_errors": %%d, ' ..
    '"p50_us": %%d, "p99_us": %%d}\\n', summary.requests, summary.duration, summary.errors.status,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
    latency:percentile(50), latency:percentile(99)))
end
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_ready(url: str, proc: subprocess.Popen, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"the server exited with {proc.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except OSError:
            time.sleep(0.2)
    raise SystemExit(f"{url} did not answer within {seconds:.0f} s")


def query_string(query: str, dataset: list[tuple[str, str]]) -> str:
    return urllib.parse.urlencode([("query", query), *dataset])


def as_request(path: str, query: str, dataset: list[tuple[str, str]]) -> tuple[str, str]:
    """A GET (path with query string, body "") or, when the URL would be too long for a server
    (Oxigraph's answers 400 to one naming 300 graphs), a POST of the same parameters as a form."""
    encoded = query_string(query, dataset)
    return (f"{path}?{encoded}", "") if len(encoded) <= MAX_URL else (path, encoded)


def rows(base: str, query: str, dataset: list[tuple[str, str]]) -> tuple[int | None, str]:
    url, body = as_request(base, query, dataset)
    request = urllib.request.Request(url, data=body.encode() or None, headers={"Accept": ACCEPT})
    started = time.monotonic()
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            doc = json.load(response)
    except OSError as exc:
        return None, f"failed: {exc}"
    count = len(doc["results"]["bindings"]) if "results" in doc else 1
    return count, f"{count} ({time.monotonic() - started:.2f} s)"


def tree_cpu(pid: int) -> dict[int, float]:
    """CPU seconds (user + system) of a process and each of its descendants, by pid (Linux /proc;
    empty elsewhere). The difference of two of these is the CPU a server spent between them,
    its worker processes included; a steadier measure than requests/s on a loaded machine."""
    ticks = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100
    parents: dict[int, int] = {}
    times: dict[int, float] = {}
    for entry in Path("/proc").glob("[0-9]*"):
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        parents[int(entry.name)] = int(fields[1])
        times[int(entry.name)] = (int(fields[11]) + int(fields[12])) / ticks
    tree, todo = {}, [pid]
    while todo:
        current = todo.pop()
        if current in times and current not in tree:
            tree[current] = times[current]
            todo.extend(child for child, parent in parents.items() if parent == current)
    return tree


def cpu_between(before: dict[int, float], after: dict[int, float]) -> float:
    """CPU seconds the processes of `after` spent since `before` (a process that ended between the
    two is not counted: a worker killed at the time limit)."""
    return sum(seconds - before.get(pid, 0.0) for pid, seconds in after.items())


def drive(endpoint: str, requests: list[tuple[str, list[tuple[str, str]]]], batch: int, clients: int,
          cap_seconds: int) -> dict:
    """A closed batch: `clients` connections, each sending its next request when the previous one
    is answered, until `batch` requests per client are answered (or `cap_seconds` pass)."""
    parsed = urllib.parse.urlsplit(endpoint)
    made = [as_request(parsed.path, q, dataset) for q, dataset in requests]
    threads = max(1, min(clients, os.cpu_count() or 1))
    clients = max(threads, clients - clients % threads)  # wrk gives each thread clients / threads
    quota = max(1, batch * clients // threads)
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(WRK_SCRIPT % {"paths": ", ".join(json.dumps(p) for p, _ in made),
                                   "bodies": ", ".join(json.dumps(b) for _, b in made), "accept": ACCEPT,
                                   "quota": quota})
    # wrk sleeps for its whole duration (`cap_seconds`); each thread says QUOTA when its share is
    # answered, and a SIGINT then ends the sleep: wrk's runtime is the batch's wall time.
    proc = None
    try:
        proc = subprocess.Popen(["wrk", "-t", str(threads), "-c", str(clients), "-d", f"{cap_seconds}s",
                                 "--timeout", "30s", "-s", script.name, f"{parsed.scheme}://{parsed.netloc}"],
                                stdout=subprocess.PIPE, text=True)
        lines, finished = [], 0
        for line in proc.stdout:
            lines.append(line)
            if line.startswith("QUOTA"):
                finished += 1
                if finished == threads:
                    proc.send_signal(signal.SIGINT)
                    break
        out = "".join(lines) + proc.communicate(timeout=cap_seconds + 60)[0]
    finally:
        os.unlink(script.name)
        if proc is not None and proc.poll() is None:  # interrupted: no wrk left loading a stopped server
            proc.kill()
            proc.wait()
    line = next(line for line in out.splitlines() if line.startswith("RESULT "))
    result = json.loads(line[len("RESULT "):])
    result["rps"] = result["requests"] / (result["duration_us"] / 1e6)
    result["complete"] = result["requests"] >= quota * threads
    return result


def start_ours(store: Path, port: int, clients: int) -> subprocess.Popen:
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(p for p in (str(ROOT), os.environ.get("PYTHONPATH", "")) if p))
    return subprocess.Popen([sys.executable, "-m", "kg.server.cli", "--store", str(store), "--port", str(port),
                             "--per-client", str(clients * 4), "--log-level", "warning"], env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def same_dataset(store: Path):
    """Protocol parameters that give Oxigraph's server, for a query, the dataset ours gives it: the
    build's union graph as the default graph (the store's own default graph, which is what Oxigraph's
    server takes when no default-graph-uri is given), the data graphs as named graphs (these only to a query
    that says GRAPH; no other can see them, and ours does not list them to the engine either). Its
    own `--union-default-graph` has bag semantics in 0.5: some canned queries then run for minutes."""
    import pyoxigraph as ox

    from kg.server.guard import check_query
    from kg.sparql import PREFIXES
    from kg.store import UNION, data_graphs

    opened = ox.Store.read_only(str(store))
    graphs = data_graphs(opened)
    default = [] if any(True for _ in opened.quads_for_pattern(None, None, None, UNION)) else graphs
    del opened
    default_params = [("default-graph-uri", g.value) for g in default]
    named_params = [("named-graph-uri", g.value) for g in graphs]

    def params(query: str) -> list[tuple[str, str]]:
        uses_graph = check_query(query, graphs=None, prefixes=PREFIXES).uses_graph
        return default_params + (named_params if uses_graph else [])

    return params


def oxigraph_command() -> str | None:
    beside_python = Path(sys.executable).parent / "oxigraph"
    return str(beside_python) if beside_python.is_file() else shutil.which("oxigraph")


def build_store(workdir: Path, docs: int | None) -> Path:
    from kg.build import build

    corpus = ROOT / "corpus"
    if docs:
        sys.path.insert(0, str(ROOT / "bench"))
        from bench_build import make_corpus

        corpus = workdir / "corpus"
        corpus.mkdir()
        make_corpus(corpus, docs, seed=7)
    store = workdir / "store"
    started = time.monotonic()
    report = build([corpus], store)
    print(f"store: {report.summary()} ({time.monotonic() - started:.0f} s)")
    return store


def compare(store: Path, clients: int = 16, batch: int = 20, rounds: int = 3, cap: int = 120,
            mixes_wanted: tuple[str, ...] = ("canned", "light", "ask")) -> list[tuple]:
    """Steps 2 to 5 on a built store: start both servers, print the rows of each query and each
    round of each mix, stop them; returns (mix, our median req/s, Oxigraph's) per mix (empty when
    Oxigraph's server is not installed). `bench_issue15.py --server` calls this on its own store."""
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is needed (Debian: apt-get install wrk)")
    processes: list[subprocess.Popen] = []
    try:
        # the canned queries a reader can run as they are: none of their parameters is required
        queries = [(q.name, q.text) for q in list_queries() if all(p.optional for p in q.params)]
        targets = []
        port = free_port()
        ours = start_ours(store, port, clients)
        processes.append(ours)
        wait_ready(f"http://127.0.0.1:{port}/sparql", ours)
        targets.append(("untoc-kg serve", f"http://127.0.0.1:{port}/sparql", lambda query: []))
        pids = {"untoc-kg serve": ours.pid}
        oxigraph = oxigraph_command()
        if oxigraph:
            oport = free_port()
            theirs = subprocess.Popen([oxigraph, "serve-read-only", "--location", str(store), "--bind",
                                       f"127.0.0.1:{oport}"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            processes.append(theirs)
            pids["oxigraph serve-read-only"] = theirs.pid
            wait_ready(f"http://127.0.0.1:{oport}/query?query=ASK%7B%7D", theirs)
            targets.append(("oxigraph serve-read-only", f"http://127.0.0.1:{oport}/query", same_dataset(store)))
        else:
            print("oxigraph is not installed (pip install oxigraph): no comparison")

        print(f"queries: {', '.join(name for name, _ in queries)} (optional parameters left unbound)")
        for name, text in queries:
            counts = [rows(endpoint, text, params(text)) for _, endpoint, params in targets]
            differ = len({c for c, _ in counts}) > 1
            print(f"  rows of {name}: {' / '.join(t for _, t in counts)}{'  DIFFER' if differ else ''}")
        mixes = [("all runnable canned queries", [t for _, t in queries], batch),
                 ("light: classes, graphs", [t for n, t in queries if n in LIGHT], batch * 10),
                 (ASK_MIX, [EMPTY_ASK], batch * 10)]
        mixes = [m for m, key in zip(mixes, ("canned", "light", "ask"), strict=True) if key in mixes_wanted]
        print(f"\nload: wrk, closed batch, {clients} connections, GET (POST past {MAX_URL} characters), "
              f"loopback, {rounds} rounds alternating the servers")
        summary = []
        for mix, texts, mix_batch in mixes:
            if not texts:
                continue
            print(f"\n{mix}: {mix_batch} requests per client per server and round")
            print(f"  {'round':>5} {'server':28} {'req/s':>9} {'p50 ms':>8} {'p99 ms':>8} {'non-2xx':>8} "
                  f"{'socket err':>10} {'CPU ms/req':>11}")
            per_server: dict[str, list[dict]] = {label: [] for label, _, _ in targets}
            for round_no in range(rounds):
                order = targets if round_no % 2 == 0 else targets[::-1]
                for label, endpoint, params in order:
                    before = tree_cpu(pids[label])
                    r = drive(endpoint, [(t, params(t)) for t in texts], mix_batch, clients, cap)
                    r["cpu_ms"] = cpu_between(before, tree_cpu(pids[label])) * 1000 / max(1, r["requests"])
                    per_server[label].append(r)
                    print(f"  {round_no + 1:5d} {label:28} {r['rps']:9.1f} {r['p50_us'] / 1000:8.2f} "
                          f"{r['p99_us'] / 1000:8.2f} {r['status_errors']:8d} {r['socket_errors']:10d} "
                          f"{r['cpu_ms']:11.3f}{'' if r['complete'] else '  (cut at --cap)'}", flush=True)
            medians = {label: statistics.median(r["rps"] for r in results) for label, results in per_server.items()}
            cpu = {label: statistics.median(r["cpu_ms"] for r in results) for label, results in per_server.items()}
            for label, value in medians.items():
                print(f"  median {label:27} {value:9.1f} req/s, {cpu[label]:.3f} CPU ms/req")
            if len(cpu) == 2 and cpu["untoc-kg serve"] > 0:
                print(f"  CPU per request, oxigraph / untoc-kg: "
                      f"{cpu['oxigraph serve-read-only'] / cpu['untoc-kg serve']:.2f}x (above 1: ours uses less)")
            if len(medians) == 2:
                us, them = medians["untoc-kg serve"], medians["oxigraph serve-read-only"]
                per_round = [a["rps"] / b["rps"] for a, b in zip(per_server["untoc-kg serve"],
                                                                 per_server["oxigraph serve-read-only"], strict=True)]
                print(f"  ratio untoc-kg / oxigraph (median req/s): {us / them:.2f}x "
                      f"(per round: {', '.join(f'{x:.2f}x' for x in per_round)})")
                summary.append((mix, us, them))
        if summary:
            print("\nsummary (throughput, untoc-kg / oxigraph, same store, same requests):")
            for mix, us, them in summary:
                print(f"  {mix:32} {us:8.1f} vs {them:8.1f} req/s  {us / them:.2f}x")
        return summary
    finally:
        for proc in processes:
            proc.terminate()
        for proc in processes:
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                proc.kill()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--store", type=Path, help="a built store [default: build a corpus into a temporary one]")
    parser.add_argument("--docs", type=int, help="build N documents varied from the seeds [default: the corpus]")
    parser.add_argument("--clients", type=int, default=16, help="concurrent connections [16]")
    parser.add_argument("--batch", type=int, default=20,
                        help="requests each client sends per server, mix and round [20]; light mixes send 10x")
    parser.add_argument("--rounds", type=int, default=3, help="rounds, alternating the servers [3]")
    parser.add_argument("--cap", type=int, default=120, help="seconds a batch may take at most [120]")
    parser.add_argument("--mixes", default="canned,light,ask",
                        help="which mixes, comma-separated, of canned, light, ask [all three]")
    args = parser.parse_args(argv)
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is needed (Debian: apt-get install wrk)")

    workdir = Path(tempfile.mkdtemp(prefix="bench-server-"))
    try:
        store = args.store or build_store(workdir, args.docs)
        compare(store, args.clients, args.batch, args.rounds, args.cap, tuple(args.mixes.split(",")))
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
