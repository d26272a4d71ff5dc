"""Reading and extraction on a Dask cluster (`untoc-kg build --dask ADDRESS`).

Why only reading and extraction: they are where the build spends its time, and each is a pure
function of one file, so a worker anywhere can do it and return the document's finished graph (its
sorted N-Triples lines) or the record of why it failed (`LoadError`'s `Failure`). The store is written
here, as in a local build, one document at a time and in the order of the sources, so a cluster
build gives the very bytes a local build gives.

Why a window of tasks and not all at once: results wait on the workers until they are taken, so
at most `window` documents are in flight, and memory stays flat for a corpus of any size.

A worker that dies mid-task costs a retry: the scheduler gives its tasks to another worker (up to
its `allowed-failures`); a task that fails anyway is a failure of its document, not of the build.
"""

from __future__ import annotations

import os
from collections import deque
from collections.abc import Iterator

from loaders.errors import Failure

LOCAL = "local"  # `--dask local:N`: a LocalCluster of N worker processes on this machine


def client_for(address: str):
    """A client for a scheduler's address (`tcp://host:8786`), or for a LocalCluster (`local[:N]`)."""
    from distributed import Client, LocalCluster

    if address == LOCAL or address.startswith(LOCAL + ":"):
        workers = int(address.partition(":")[2] or max(1, (os.cpu_count() or 2) - 1))
        cluster = LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                               dashboard_address=None)
        return Client(cluster), cluster
    return Client(address), None


def produced_on_cluster(todo: list, address, window: int | None = None) -> Iterator:
    """`Produced` or `Failure` for each source of `todo`, in order, made on the cluster's workers.

    `address` is a scheduler address, `local:N`, or a `distributed.Client` already connected.
    """
    from distributed import Client

    from .build import _produce_in_worker

    own = not isinstance(address, Client)
    client, cluster = client_for(address) if own else (address, None)
    try:
        slots = window or max(8, 4 * sum(client.nthreads().values()))
        pending: deque = deque()
        sources = iter(todo)
        for src in sources:
            pending.append((src, client.submit(_produce_in_worker, src, pure=False)))
            if len(pending) >= slots:
                break
        while pending:
            src, future = pending.popleft()
            try:
                result = future.result()
            except Exception as exc:  # noqa: BLE001 - a worker's crash is this document's failure
                result = Failure(str(src.path), "cluster", f"{type(exc).__name__}: {exc}")
            future.release()
            nxt = next(sources, None)
            if nxt is not None:
                pending.append((nxt, client.submit(_produce_in_worker, nxt, pure=False)))
            yield result
    finally:
        if own:
            client.close()
            if cluster is not None:
                cluster.close()


__all__ = ["client_for", "produced_on_cluster"]
