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

Why plain subprocesses and pipes, not `multiprocessing`: a process spawned by `multiprocessing` left a
Jupyter kernel unable to exit cleanly (its `atexit` work, the notebook's temporary store, never ran).
A worker is `python -c BOOT`; tasks and results cross two pipes as length-prefixed pickles between
this program and its own child.

Bounds (environment, read when a build starts): `UNTOC_KG_DOC_TIMEOUT` seconds per document (default
`DOC_TIMEOUT_S`), `UNTOC_KG_DOC_MEMORY_MB` MiB of address space per worker (default
`DOC_MEMORY_LIMIT_BYTES`).
"""

from __future__ import annotations

import importlib
import json
import os
import pickle
import select
import signal
import struct
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator, Sequence

from loaders.errors import Failure

DOC_TIMEOUT_S = 120.0
# above the PDF worker's own 2 GiB: a child process inherits this limit and cannot raise it
DOC_MEMORY_LIMIT_BYTES = 3 * 1024**3
TIMEOUT_ENV = "UNTOC_KG_DOC_TIMEOUT"
MEMORY_ENV = "UNTOC_KG_DOC_MEMORY_MB"
PR_SET_PDEATHSIG = 1
BOUND_STAGE = "bound"  # the stage a failure names when a document went over a bound
_HEADER = struct.Struct(">Q")
BOOT = "import sys, json; sys.path[:0] = json.loads(sys.argv[1]); from kg.bounded import _child; _child(sys.argv[2:])"


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


# --- the pipes ------------------------------------------------------------------------------------


def _send(fd: int, obj) -> None:
    data = pickle.dumps(obj, protocol=pickle.HIGHEST_PROTOCOL)
    view = memoryview(_HEADER.pack(len(data)) + data)
    while view:
        view = view[os.write(fd, view):]


def _read_exactly(fd: int, size: int) -> bytes:
    chunks, left = [], size
    while left:
        chunk = os.read(fd, min(left, 1 << 20))
        if not chunk:
            raise EOFError("the other end closed the pipe")
        chunks.append(chunk)
        left -= len(chunk)
    return b"".join(chunks)


def _receive(fd: int):
    (size,) = _HEADER.unpack(_read_exactly(fd, _HEADER.size))
    return pickle.loads(_read_exactly(fd, size))


# --- the worker's side ------------------------------------------------------------------------------


def _child(argv: list[str]) -> None:
    """A worker's life: take a document, send back what the job made of it, until told to stop."""
    tasks, results, parent_pid, memory_bytes = (int(a) for a in argv[:4])
    module, _, name = argv[4].partition(":")
    die_with_parent(parent_pid)
    _limit_memory(memory_bytes)
    job = getattr(importlib.import_module(module), name)
    while True:
        try:
            task = _receive(tasks)
        except (EOFError, OSError):
            return
        if task is None:
            return
        index, item = task
        out_of_memory = False
        try:
            result = job(item)
        except MemoryError:
            # said only once the except block has let go of the traceback: its frames hold what
            # filled the memory, and even the message's f-string raised MemoryError while they lived
            out_of_memory = True
        except RecursionError:
            result = Failure(_path(item), "load", "structure nested too deeply (recursion limit)")
        except Exception as exc:  # the process boundary: one document's failure, said, not a dead worker
            result = Failure(_path(item), "load", f"failed unexpectedly: {type(exc).__name__}: {exc}")
        if out_of_memory:
            result = Failure(_path(item), BOUND_STAGE, f"needs more memory than the {memory_bytes // 2**20} MiB "
                                                       f"limit per document ({MEMORY_ENV})")
        try:
            _send(results, (index, result))
        except MemoryError:
            result = Failure(_path(item), BOUND_STAGE, "result too large to hand back within the "
                                                       f"{memory_bytes // 2**20} MiB limit")
            _send(results, (index, result))
        if isinstance(result, Failure) and result.stage == BOUND_STAGE:
            return  # memory the failed document took may not come back: the next one gets a fresh worker


def _path(item) -> str:
    return str(getattr(item, "path", item))


# --- the build's side -------------------------------------------------------------------------------


class _Worker:
    def __init__(self, job: str, memory_bytes: int):
        task_read, self.tasks = os.pipe()
        self.results, result_write = os.pipe()
        paths = json.dumps([p for p in sys.path if p])
        command = [sys.executable, "-c", BOOT, paths, str(task_read), str(result_write), str(os.getpid()),
                   str(memory_bytes), job]
        try:
            self.process = subprocess.Popen(command, pass_fds=(task_read, result_write), stdin=subprocess.DEVNULL,
                                            stdout=subprocess.DEVNULL, close_fds=True)
        finally:
            os.close(task_read)
            os.close(result_write)
        self.index: int | None = None
        self.deadline = 0.0

    def give(self, index: int, item, timeout: float) -> bool:
        """Hand over one item; False when the worker is already gone."""
        self.index = index
        self.deadline = time.monotonic() + timeout
        try:
            _send(self.tasks, (index, item))
            return True
        except OSError:
            return False

    def _close(self) -> None:
        for fd in (self.tasks, self.results):
            try:
                os.close(fd)
            except OSError:
                pass

    def kill(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
        self.process.wait(5)
        self._close()

    def stop(self) -> None:
        try:
            _send(self.tasks, None)
        except OSError:
            pass
        try:
            self.process.wait(2)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(5)
        self._close()


def _death(process: subprocess.Popen) -> str:
    try:
        code = process.wait(5)
    except subprocess.TimeoutExpired:
        return "the loader process stopped answering"
    if code < 0:
        name = signal.Signals(-code).name if -code in signal.valid_signals() else str(-code)
        hint = " (memory limit, or the system's out-of-memory killer)" if -code == signal.SIGKILL else ""
        return f"the loader process was killed by {name}{hint}"
    return f"the loader process ended (exit status {code})"


def run_bounded(items: Sequence, job: Callable, workers: int, timeout: float | None = None,
                memory_bytes: int | None = None) -> Iterator:
    """`job(item)` for each item, in worker processes, yielded in the order of `items`.

    `job` must be a module-level function (the worker imports it by name) and the items picklable.
    An item over the time bound, or whose worker dies, yields a `Failure` naming the bound instead
    of a result.
    """
    default_timeout, default_memory = limits()
    timeout = default_timeout if timeout is None else timeout
    memory_bytes = default_memory if memory_bytes is None else memory_bytes
    if not items:
        return
    name = f"{job.__module__}:{job.__qualname__}"
    pool = [_Worker(name, memory_bytes) for _ in range(max(1, min(workers, len(items))))]
    done: dict[int, object] = {}
    following = 0  # the next item to hand out
    yielded = 0

    def replace(i: int, outcome) -> None:
        done[pool[i].index] = outcome
        pool[i].kill()
        pool[i] = _Worker(name, memory_bytes)

    try:
        while yielded < len(items):
            for i, worker in enumerate(pool):
                if worker.index is None and following < len(items):
                    following += 1
                    if not worker.give(following - 1, items[following - 1], timeout):
                        replace(i, Failure(_path(items[following - 1]), BOUND_STAGE, _death(worker.process)))
            busy = [w for w in pool if w.index is not None]
            if busy:
                left = max(0.0, min(w.deadline for w in busy) - time.monotonic())
                ready, _, _ = select.select([w.results for w in busy], [], [], left)
                for i, worker in enumerate(pool):
                    if worker.index is None:
                        continue
                    outcome, lost = _collect(worker, ready, items, timeout)
                    if outcome is None:
                        continue
                    if lost:
                        replace(i, outcome)
                    else:
                        done[worker.index] = outcome
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
    if worker.results in ready:
        try:
            _, result = _receive(worker.results)
            return result, isinstance(result, Failure) and result.stage == BOUND_STAGE  # such a worker ends
        except (EOFError, OSError, pickle.UnpicklingError):
            return Failure(_path(item), BOUND_STAGE, _death(worker.process)), True
    if time.monotonic() >= worker.deadline:
        return Failure(_path(item), BOUND_STAGE, f"took longer than the {timeout:g} s limit per document "
                                                 f"({TIMEOUT_ENV}); stopped"), True
    return None, False


__all__ = ["DOC_MEMORY_LIMIT_BYTES", "DOC_TIMEOUT_S", "die_with_parent", "limits", "run_bounded"]
