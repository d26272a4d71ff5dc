"""The whole graph as gzip files (N-Quads with the named graphs, Turtle merged), made once per start.

Why made by the server and at start: the server reads a store no one writes, so the dumps of that
store never go stale while it runs, and they come from `kg.export` (sorted lines, canonical blank
nodes), so the same store always gives the same bytes; gzip's header carries no time or name for
the same reason. They are written in a background thread while the endpoint already answers, each
to a `.partial` file renamed when complete, so a client never downloads half a dump.
"""

from __future__ import annotations

import gzip
import hashlib
import logging
import os
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

    def path(self, name: str) -> Path | None:
        if name in self.ready:
            return self.folder / name
        return None

    def make(self, store) -> None:
        """Write every dump (blocking); failures are recorded, not raised, and the endpoint goes on."""
        from ..export import export_bytes

        self.folder.mkdir(parents=True, exist_ok=True)
        try:
            for dump in DUMPS:
                try:
                    self.ready[dump.name] = write_gzip(export_bytes(store, dump.fmt), self.folder / dump.name)
                except (OSError, ValueError) as exc:
                    self.failed[dump.name] = str(exc)
                    log.error("could not write the dump %s: %s", dump.name, exc)
        finally:
            self.done.set()

    def start(self, store) -> threading.Thread:
        thread = threading.Thread(target=self.make, args=(store,), name="dumps", daemon=True)
        thread.start()
        return thread


def by_name(name: str) -> Dump | None:
    return next((d for d in DUMPS if d.name == name), None)


__all__ = ["DUMPS", "Dump", "Dumps", "by_name", "write_gzip"]
