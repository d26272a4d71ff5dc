"""Each document loaded and mapped under a bound of time and memory, in a worker process.

Why: a 17 KB Word file or 60 KB of text could hold `build` for minutes and take gigabytes, and only
PDFs had a bound (their text layer is read in a child process, `loaders/_pdf_worker.py`). Here every
reader and every later stage (structure, extraction, mapping to RDF) runs in a worker process with an
address-space limit, and the build waits for each document only until its deadline: a document over
either bound is killed with its worker, reported as a failure naming the bound, and a fresh worker
takes the next document. The others still build.

Why the workers die with the build: they ask the kernel for SIGKILL when their parent goes
(`PR_SET_PDEATHSIG`, Linux) and, on any system, watch their parent's pid; a killed build leaves no
loader running on.

Bounds (environment, read when a build starts): `UNTOC_KG_DOC_TIMEOUT` seconds per document (default
`DOC_TIMEOUT_S`), `UNTOC_KG_DOC_MEMORY_MB` MiB of address space per worker (default
`DOC_MEMORY_LIMIT_BYTES`).
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import sys
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from multiprocessing.connection import wait

from loaders.errors import Failure

DOC_TIMEOUT_S = 120.0
# above the PDF worker's own 2 GiB: a child process inherits this limit and cannot raise it
DOC_MEMORY_LIMIT_BYTES = 3 * 1024**3
TIMEOUT_ENV = "UNTOC_KG_DOC_TIMEOUT"
MEMORY_ENV = "UNTOC_KG_DOC_MEMORY_MB"
PR_SET_PDEATHSIG = 1
BOUND_STAGE = "bound"  # the stage a failure names when a document went over a bound


def limits() -> tuple[float, int]:
    """The per-document time (s) and memory (bytes) bounds, from the environment or the defaults."""
    timeout, memory = DOC_TIMEOUT_S, DOC_MEMORY_LIMIT_BYTES
    try:
        if os.environ.get(TIMEOUT_ENV):
            timeout = float(os.environ[TIMEOUT_ENV])
        if os.environ.get(MEMORY_ENV):
            memory = int(float(os.environ[MEMORY_ENV]) * 1024**2)
    except ValueError as exc:
        raise ValueError(f"{TIMEOUT_ENV} / {MEMORY_ENV} must be numbers: {exc}") from None
    return timeout, memory


def die_with_parent(parent_pid: int) -> None:
    """Make this process end when `parent_pid` does: kernel signal where there is one, else a watcher."""
    if sys.platform.startswith("linux"):
        try:
            import ctypes

            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
        except (OSError, AttributeError):
            pass
    if os.getppid() != parent_pid:  # the parent died before the request above took effect
        os._exit(1)

    def watch() -> None:
        while True:
            time.sleep(0.5)
            if os.getppid() != parent_pid:
                os._exit(1)

    threading.Thread(target=watch, name="parent-watch", daemon=True).start()


def _limit_memory(memory_bytes: int) -> None:
    try:
        import resource

        resource.setrlimit(resource.RLIMIT_AS, (memory_bytes, memory_bytes))
        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    except (ImportError, ValueError, OSError):  # not POSIX: the deadline is then the only bound
        pass


def _serve(conn, parent_pid: int, memory_bytes: int, job: Callable) -> None:
    """A worker's life: take a document, send back what `job` made of it, until told to stop."""
    die_with_parent(parent_pid)
    _limit_memory(memory_bytes)
    while True:
        try:
            task = conn.recv()
        except (EOFError, OSError):
            return
        if task is None:
            return
        index, item = task
        try:
            result = job(item)
        except MemoryError:
            result = Failure(_path(item), BOUND_STAGE, f"needs more memory than the {memory_bytes // 2**20} MiB "
                                                  f"limit per document ({MEMORY_ENV})")
        except RecursionError:
            result = Failure(_path(item), "load", "structure nested too deeply (recursion limit)")
        except Exception as exc:  # the process boundary: one document's failure, said, not a dead worker
            result = Failure(_path(item), "load", f"failed unexpectedly: {type(exc).__name__}: {exc}")
        try:
            conn.send((index, result))
        except MemoryError:
            conn.send((index, Failure(_path(item), BOUND_STAGE, "result too large to hand back within the "
                                                         f"{memory_bytes // 2**20} MiB limit")))


def _path(item) -> str:
    return str(getattr(item, "path", item))


class _Worker:
    def __init__(self, ctx, memory_bytes: int, job: Callable):
        self.conn, child = ctx.Pipe()
        self.process = ctx.Process(target=_serve, args=(child, os.getpid(), memory_bytes, job),
                                   name="untoc-kg-loader", daemon=True)
        self.process.start()
        child.close()
        self.index: int | None = None
        self.deadline = 0.0

    def give(self, index: int, item, timeout: float) -> None:
        self.index = index
        self.deadline = time.monotonic() + timeout
        self.conn.send((index, item))

    def kill(self) -> None:
        if self.process.is_alive():
            self.process.kill()
        self.process.join(5)
        self.conn.close()

    def stop(self) -> None:
        try:
            self.conn.send(None)
        except OSError:
            pass
        self.process.join(2)
        if self.process.is_alive():
            self.process.kill()
            self.process.join(5)
        self.conn.close()


def _death(process) -> str:
    code = process.exitcode
    if code is not None and code < 0:
        name = signal.Signals(-code).name if -code in signal.valid_signals() else str(-code)
        hint = " (memory limit, or the system's out-of-memory killer)" if -code == signal.SIGKILL else ""
        return f"the loader process was killed by {name}{hint}"
    return f"the loader process ended (exit status {code})"


def run_bounded(items: Sequence, job: Callable, workers: int, timeout: float | None = None,
                memory_bytes: int | None = None) -> Iterator:
    """`job(item)` for each item, in worker processes, yielded in the order of `items`.

    `job` must be a module-level function (workers are spawned, not forked: the build holds an open
    RocksDB with its own threads). An item over the time bound, or whose worker dies, yields a
    `Failure` naming the bound instead of a result.
    """
    default_timeout, default_memory = limits()
    timeout = default_timeout if timeout is None else timeout
    memory_bytes = default_memory if memory_bytes is None else memory_bytes
    if not items:
        return
    ctx = multiprocessing.get_context("spawn")
    pool = [_Worker(ctx, memory_bytes, job) for _ in range(max(1, min(workers, len(items))))]
    done: dict[int, object] = {}
    following = 0  # the next item to hand out
    yielded = 0
    try:
        while yielded < len(items):
            for worker in pool:
                if worker.index is None and following < len(items):
                    worker.give(following, items[following], timeout)
                    following += 1
            busy = [w for w in pool if w.index is not None]
            if busy:
                left = max(0.0, min(w.deadline for w in busy) - time.monotonic())
                ready = wait([w.conn for w in busy] + [w.process.sentinel for w in busy], timeout=left)
                for i, worker in enumerate(pool):
                    if worker.index is None:
                        continue
                    outcome, lost = _collect(worker, ready, items, timeout)
                    if outcome is None:
                        continue
                    done[worker.index] = outcome
                    if lost:
                        worker.kill()
                        pool[i] = _Worker(ctx, memory_bytes, job)
                    else:
                        worker.index = None
            while yielded in done:
                yield done.pop(yielded)
                yielded += 1
    finally:
        for worker in pool:
            if worker.index is None:
                worker.stop()
            else:
                worker.kill()


def _collect(worker: _Worker, ready, items, timeout: float) -> tuple[object | None, bool]:
    """(the worker's result, False) if it has one; (a failure, True) if it died or ran out of time,
    and must be replaced; (None, False) while it is still working within its time."""
    item = items[worker.index]
    if worker.conn in ready:
        try:
            _, result = worker.conn.recv()
            return result, False
        except (EOFError, OSError):
            pass
    if worker.conn in ready or worker.process.sentinel in ready:
        worker.process.join(5)
        return Failure(_path(item), BOUND_STAGE, _death(worker.process)), True
    if time.monotonic() >= worker.deadline:
        return Failure(_path(item), BOUND_STAGE, f"took longer than the {timeout:g} s limit per document "
                                                 f"({TIMEOUT_ENV}); stopped"), True
    return None, False


__all__ = ["DOC_MEMORY_LIMIT_BYTES", "DOC_TIMEOUT_S", "die_with_parent", "limits", "run_bounded"]
