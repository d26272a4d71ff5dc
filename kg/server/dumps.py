"""The whole graph as gzip files (N-Quads with the named graphs, Turtle merged), made once per start.

Why made by the server and at start: the server reads a store no one writes, so the dumps of that
store never go stale while it runs, and they come from `kg.export` (sorted lines, canonical blank
nodes), so the same store always gives the same bytes; gzip's header carries no time or name for
the same reason. Each is written to a `.partial` file renamed when complete, so a client never
downloads half a dump.

Why in a process of its own (`python -m kg.server.dumps STORE FOLDER`), at a low priority: a thread
of the server shared its interpreter, and the engine's canonicalization holds the interpreter's
lock for as long as it runs: a poison graph (a clique of blank nodes) blocked `ASK {}` for 40 s and
left SIGTERM unanswered for 61 s. A process answers to neither: the server goes on, and stops it
with SIGKILL when it stops itself. The child reports each dump as one JSON line on its output.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import logging
import os
import subprocess
import sys
import threading
from dataclasses import dataclass, field
from pathlib import Path

log = logging.getLogger("untoc_kg.server")


@dataclass(frozen=True)
class Dump:
    name: str
    fmt: str  # a key of kg.export.FORMATS
    media_type: str  # of the uncompressed content
    title: str


DUMPS = (
    Dump("untoc-kg.nq.gz", "nq", "application/n-quads", "N-Quads, one named graph per document"),
    Dump("untoc-kg.ttl.gz", "ttl", "text/turtle", "Turtle, all graphs merged"),
)


def write_gzip(data: bytes, target: Path) -> str:
    """Gzip `data` into `target` reproducibly (no time, no file name); return its SHA-256."""
    partial = target.with_name(target.name + ".partial")
    with open(partial, "wb") as raw, gzip.GzipFile(filename="", mode="wb", fileobj=raw, mtime=0) as gz:
        gz.write(data)
    os.replace(partial, target)
    return hashlib.sha256(target.read_bytes()).hexdigest()


@dataclass
class Dumps:
    """The dumps of one store in one folder; `ready` says which are complete."""

    folder: Path
    ready: dict[str, str] = field(default_factory=dict)  # name -> sha256
    failed: dict[str, str] = field(default_factory=dict)  # name -> reason
    done: threading.Event = field(default_factory=threading.Event)
    process: subprocess.Popen | None = None

    def path(self, name: str) -> Path | None:
        if name in self.ready:
            return self.folder / name
        return None

    def start(self, store_dir: str) -> threading.Thread:
        """Write the dumps of the store in `store_dir` in a child process; a thread follows it."""
        from .worker import _package_root

        env = dict(os.environ)
        env["PYTHONPATH"] = os.pathsep.join(p for p in (_package_root(), env.get("PYTHONPATH", "")) if p)
        self.process = subprocess.Popen([sys.executable, "-m", "kg.server.dumps", str(store_dir), str(self.folder)],
                                        stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, env=env,
                                        start_new_session=True)
        try:
            os.setpriority(os.PRIO_PROCESS, self.process.pid, 10)  # the query workers come first
        except OSError:
            pass
        thread = threading.Thread(target=self._follow, args=(self.process,), name="dumps", daemon=True)
        thread.start()
        return thread

    def _follow(self, process: subprocess.Popen) -> None:
        try:
            for line in process.stdout:
                try:
                    report = json.loads(line)
                except ValueError:
                    continue
                if "sha256" in report:
                    self.ready[report["name"]] = report["sha256"]
                else:
                    self.failed[report["name"]] = report.get("error", "unknown error")
                    log.error("could not write the dump %s: %s", report["name"], self.failed[report["name"]])
            code = process.wait()
            missing = [d.name for d in DUMPS if d.name not in self.ready and d.name not in self.failed]
            for name in missing:
                self.failed[name] = f"the dump process stopped (exit status {code})"
            if missing and code not in (-9, -15):  # killed by our own stop(): not worth a line
                log.error("could not write the dumps %s: the dump process exited with %s", ", ".join(missing), code)
        finally:
            self.done.set()

    def stop(self) -> None:
        """Kill the dump process if it still runs (the server is stopping)."""
        if self.process is not None and self.process.poll() is None:
            try:
                os.killpg(self.process.pid, 9)
            except OSError:
                pass
            self.process.wait()
        self.done.wait(5)


def main(argv: list[str] | None = None) -> None:
    """`python -m kg.server.dumps STORE FOLDER`: write every dump, one JSON line as each is done."""
    from ..export import export_bytes
    from ..store import open_store

    try:
        import ctypes

        ctypes.CDLL(None, use_errno=True).prctl(1, 9)  # PR_SET_PDEATHSIG: die with the server
    except (OSError, AttributeError):
        pass
    store_dir, folder = (sys.argv[1:] if argv is None else argv)[:2]
    store = open_store(store_dir, read_only=True)
    Path(folder).mkdir(parents=True, exist_ok=True)
    for dump in DUMPS:
        try:
            report = {"name": dump.name, "sha256": write_gzip(export_bytes(store, dump.fmt), Path(folder) / dump.name)}
        except (OSError, ValueError) as exc:
            report = {"name": dump.name, "error": str(exc)}
        print(json.dumps(report), flush=True)


def by_name(name: str) -> Dump | None:
    return next((d for d in DUMPS if d.name == name), None)


__all__ = ["DUMPS", "Dump", "Dumps", "by_name", "write_gzip"]


if __name__ == "__main__":
    main()
