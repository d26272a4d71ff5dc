"""Virtuoso's own bulk loader as a push route, for graphs the server does not hold yet.

Why it is optional: the loader (`ld_dir` + `rdf_loader_run()`) reads files on the server's own disk,
from a folder its `DirsAllowed` lists, and is driven by SQL through `isql`, not by HTTP; so it works
only where the push can write into such a folder (the server's machine, or a shared volume). Where
it does, it loads 5–6 times faster than the protocol (bench/bench_push.py).

Old or new, never half: the loader commits as it goes, without a transaction per graph, so it never
loads into a graph's own name. Each graph is loaded under its staging name (`kg.push.STAGING` + the
name) and then moved into place by one SPARQL `MOVE` per graph, one transaction on the server. A push
killed mid-load leaves at most a partial staging graph, never a partial graph: the record lists the
staging names it began, and the next push drops them (and any load of ours still pending in the
loader's list) before it loads again. `isql` takes the password on its command line: run such a
push where other users cannot list processes.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

ISQL = "isql-vt"
DEFAULT_GRAPH = "urn:untoc-kg:push:default"  # N-Quads name their graphs; this is only the loader's fallback
PREFIX = "untoc-kg-push-"  # our files in the shared folder: PREFIX + PID-NANOSECONDS.nq


class LoaderError(Exception):
    """isql or the loader failed; the message carries what they said."""


def _sql_string(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


@dataclass
class VirtuosoLoader:
    """Where isql reaches the server (`HOST:PORT`), as whom, and the folder both can read."""

    address: str
    user: str
    password: str
    folder: Path
    program: str = ISQL

    def _isql(self, statements: str, timeout: float = 3600) -> str:
        program = shutil.which(self.program) or self.program
        try:
            done = subprocess.run([program, self.address, self.user, self.password, "VERBOSE=OFF", "BANNER=OFF",
                                   "PROMPT=OFF", "ERRORS=STDOUT"], input=statements + "\n", capture_output=True,
                                  text=True, timeout=timeout)
        except (OSError, subprocess.TimeoutExpired) as exc:
            raise LoaderError(f"isql: {exc}") from exc
        if done.returncode != 0 or "*** Error" in done.stdout:
            raise LoaderError(f"isql: {(done.stdout + done.stderr).strip()[-500:]}")
        return done.stdout

    def _forget_stale(self) -> str:
        """Files of ours that a killed push left (its process is gone), and the SQL that takes their
        pending loads off the loader's list, so that a later `rdf_loader_run` never loads them."""
        for path in self.folder.glob(f"{PREFIX}*.nq"):
            try:
                pid = int(path.name[len(PREFIX):].split("-")[0])
                os.kill(pid, 0)
            except ProcessLookupError:
                path.unlink(missing_ok=True)
            except (ValueError, OSError):
                continue
        pattern = str(self.folder.resolve()) + "/" + PREFIX + "%"
        return f"DELETE FROM DB.DBA.LOAD_LIST WHERE ll_file LIKE {_sql_string(pattern)} AND ll_state = 0;\n"

    def load(self, store: ox.Store, graphs: list, names: dict[str, str] | None = None) -> None:
        """Write the graphs as one N-Quads file in the folder, have the loader read it, check it did.

        `names` maps a graph to the name it is loaded under (its staging name); the default is its own."""
        from .push import _lines

        names = names or {}
        name = f"{PREFIX}{os.getpid()}-{time.time_ns()}.nq"
        path = self.folder / name
        try:
            with open(path, "wb") as out:
                for g in graphs:
                    node = ox.NamedNode(g.graph)
                    into = ox.NamedNode(names.get(g.graph, g.graph))
                    for line in _lines(store, node, f" {into} .\n"):
                        out.write(line)
            folder = str(self.folder.resolve())
            output = self._isql(
                self._forget_stale()
                + f"ld_dir({_sql_string(folder)}, {_sql_string(name)}, {_sql_string(DEFAULT_GRAPH)});\n"
                "rdf_loader_run();\n"
                "checkpoint;\n"
                "SELECT 'untoc-kg-loaded', COUNT(*) FROM DB.DBA.LOAD_LIST WHERE ll_file = "
                f"{_sql_string(folder + '/' + name)} AND ll_state = 2 AND ll_error IS NULL;")
            # the file must be listed, loaded and without error: ld_dir lists nothing it cannot see
            counted = [line.split() for line in output.splitlines() if "untoc-kg-loaded" in line]
            if not counted or counted[-1][-1] != "1":
                raise LoaderError(f"the loader did not load {name} cleanly: {output.strip()[-500:]}")
        finally:
            path.unlink(missing_ok=True)


__all__ = ["LoaderError", "VirtuosoLoader"]
