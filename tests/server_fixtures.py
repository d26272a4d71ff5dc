"""pytest fixtures around `servers`: a server per module, a failure in CI when it is not installed."""

from __future__ import annotations

import os

import pytest

from servers import ServerMissing, oxigraph_server, virtuoso_server

STARTERS = {"oxigraph": oxigraph_server, "virtuoso": virtuoso_server}


def required() -> bool:
    """CI installs both servers (`.ci/run` sets UNTOC_KG_REQUIRE_SERVERS): there, missing is a failure."""
    return bool(os.environ.get("CI") or os.environ.get("UNTOC_KG_REQUIRE_SERVERS"))


def running(kind: str, tmp_path_factory, **options):
    """Yield a running server of `kind` in a fresh folder, stopped afterwards (`options`: the
    starter's, e.g. Virtuoso's `max_rows`)."""
    folder = tmp_path_factory.mktemp(kind)
    context = STARTERS[kind](folder, **options)
    try:
        server = context.__enter__()
    except ServerMissing as exc:
        if required():
            pytest.fail(f"{exc}: CI must install it (.ci/run)")
        pytest.skip(f"{exc} (required in CI)")
    try:
        yield server
    finally:
        context.__exit__(None, None, None)
