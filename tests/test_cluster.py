"""`untoc-kg build --dask`: reading and extraction on a Dask cluster give the bytes a local build gives,
and a worker killed in the middle of a build costs a retry, not a document."""

from __future__ import annotations

import os
import signal

import pytest

from conftest import BUNDLED
from kg.build import build
from kg.export import export_bytes
from kg.store import open_store
from server_fixtures import required

try:
    import distributed
except ImportError:  # the test extra installs it; CI must have it
    if required():
        raise
    pytest.skip("dask/distributed are not installed (pip install -e '.[test]')", allow_module_level=True)

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def local_build(tmp_path_factory) -> bytes:
    store = tmp_path_factory.mktemp("local") / "store"
    report = build([BUNDLED], store)
    assert report.failed == [] and report.read > 20
    return export_bytes(open_store(store), "nq")


@pytest.fixture(scope="module")
def client():
    cluster = distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None)
    with distributed.Client(cluster) as connected:
        yield connected
    cluster.close()


def test_a_cluster_build_gives_the_bytes_of_a_local_build(local_build, client, tmp_path):
    report = build([BUNDLED], tmp_path / "store", dask=client)
    assert report.failed == []
    assert export_bytes(open_store(tmp_path / "store"), "nq") == local_build


def test_a_worker_killed_mid_build_costs_only_a_retry(local_build, client, tmp_path):
    killed = []

    def progress(done, total, name):
        if done >= 3 and not killed:  # documents are in flight on the workers
            busy = [w for w, tasks in client.processing().items() if tasks]
            if not busy:
                return  # between two tasks: try again at the next document
            pid = client.run(os.getpid, workers=[busy[0]])[busy[0]]
            os.kill(pid, signal.SIGKILL)
            killed.append(pid)

    report = build([BUNDLED], tmp_path / "store", progress=progress, dask=client)
    assert killed
    assert report.failed == [] and report.read > 20
    assert export_bytes(open_store(tmp_path / "store"), "nq") == local_build


def test_the_cli_builds_on_a_cluster(client, tmp_path):
    from click.testing import CliRunner

    from kg.cli import main

    address = client.scheduler.address
    result = CliRunner().invoke(main, ["build", str(BUNDLED), "--store", str(tmp_path / "s"), "--dask", address])
    assert result.exit_code == 0, result.output
    assert "failed 0" in result.output
