"""Shared fixtures: the corpus, the pipeline, and one store built from the corpus for the session."""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
BUNDLED = ROOT / "corpus"  # what `untoc-kg build` reads by default: the four seeds and the UN's markup


def _seeds_only() -> Path:
    """The four seed documents and their manifest, apart: the suite's stores and counts are built on them
    (the bundled corpus also holds session-74 resolutions in six languages; `test_markup` builds it)."""
    import tempfile

    folder = Path(tempfile.mkdtemp(prefix="untoc-kg-seeds-")) / "corpus"
    folder.mkdir()
    for file in list(BUNDLED.glob("*.txt")) + [BUNDLED / "manifest.tsv"]:
        shutil.copy(file, folder / file.name)
    return folder


CORPUS = _seeds_only()
TESTS = Path(__file__).resolve().parent
sys.path.insert(0, str(TESTS))

from fakes import fake_load, fake_map, fake_reference  # noqa: E402
from kg.mapping import document_graph  # noqa: E402
from kg.reference import reference_triples  # noqa: E402
from loaders.pipeline import load  # noqa: E402

REAL = {"loader": load, "mapper": document_graph, "reference": reference_triples}
FAKE = {"loader": fake_load, "mapper": fake_map, "reference": fake_reference}


@pytest.fixture(scope="session")
def pipeline() -> dict:
    """The real loaders, mapping and reference data; `FAKE` only where a test needs odd output."""
    return REAL


def cli_command() -> list[str]:
    """How to run `untoc-kg` in a subprocess: the installed script, else the same via `-c`."""
    script = Path(sys.executable).parent / "untoc-kg"
    if script.is_file():
        return [str(script)]
    return [sys.executable, "-c", "from kg.cli import main; main()"]


def subprocess_env(**extra) -> dict:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT), env.get("PYTHONPATH", "")]).rstrip(os.pathsep)
    env.update(extra)
    return env


@pytest.fixture
def corpus_copy(tmp_path) -> Path:
    """A private copy of the corpus that a test may edit."""
    target = tmp_path / "corpus"
    shutil.copytree(CORPUS, target)
    return target


@pytest.fixture(scope="session")
def built_store(tmp_path_factory, pipeline) -> Path:
    """The corpus built once; tests only read it (open it with read_only=True)."""
    from kg.build import build

    store = tmp_path_factory.mktemp("store") / "untoc-kg-store"
    report = build([CORPUS], store, **pipeline)
    assert report.failed == [], report.failed
    assert report.read == 4
    return store


@pytest.fixture(scope="module")
def shots(tmp_path_factory):
    """Screenshots of the browser tests go to a temporary folder; UNTOC_KG_SCREENSHOTS=DIR keeps a
    copy (CI artefacts)."""
    folder = tmp_path_factory.mktemp("screenshots")
    yield folder
    keep = os.environ.get("UNTOC_KG_SCREENSHOTS")
    if keep:
        os.makedirs(keep, exist_ok=True)
        for png in sorted(folder.glob("*.png")):
            shutil.copy(png, keep)
