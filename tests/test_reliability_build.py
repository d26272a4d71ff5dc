"""Issue 18, building and writing: a bad manifest cell, planted symbolic links, a full disk and
control characters in file names, each tried against the real `untoc-kg` in a subprocess."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from conftest import cli_command, subprocess_env


def untoc(*args, cwd: Path | None = None, timeout: float = 180, **env) -> subprocess.CompletedProcess:
    return subprocess.run([*cli_command(), *map(str, args)], capture_output=True, text=True, timeout=timeout,
                          env=subprocess_env(**env), cwd=cwd)


def set_row(corpus: Path, name: str, column: int, value: str) -> int:
    """Put `value` in one cell of `name`'s manifest row; return the row's line number."""
    manifest = corpus / "manifest.tsv"
    lines = manifest.read_text(encoding="utf-8").splitlines()
    for number, line in enumerate(lines, start=1):
        cells = line.split("\t")
        if cells[0] == name:
            cells[column] = value
            lines[number - 1] = "\t".join(cells)
            manifest.write_text("\n".join(lines) + "\n", encoding="utf-8")
            return number
    raise AssertionError(f"{name} is not in the manifest")


# --- item 6: a bad manifest cell fails its document only ------------------------------------------


@pytest.mark.parametrize("column, value, said", [
    (1, "CTOC/COP 2010/L.4", "the symbol 'CTOC/COP 2010/L.4' is not a UN document symbol"),
    (4, "english language", "the language 'english language' is not a language tag"),
    (2, "A title\x1b]0;owned\x07", "the title cell holds a control character"),
])
def test_a_bad_manifest_cell_fails_its_document_and_the_rest_builds(corpus_copy, tmp_path, column, value, said):
    documents = sorted(p.name for p in corpus_copy.glob("*.txt"))
    bad = documents[1]
    line = set_row(corpus_copy, bad, column, value)
    done = untoc("build", corpus_copy, "--store", tmp_path / "store")
    assert done.returncode == 0, done.stderr
    failed = [x for x in done.stderr.splitlines() if x.startswith("failed:")]
    assert len(failed) == 1, done.stderr
    assert bad in failed[0] and f"manifest.tsv line {line}: {said}" in failed[0], failed
    assert f"read {len(documents) - 1}," in done.stdout and "Traceback" not in done.stderr


def test_a_manifest_path_no_file_system_takes_is_one_failed_row(corpus_copy, tmp_path):
    """A 300-byte path cell raised 'File name too long' out of `build`: a traceback, nothing built."""
    manifest = corpus_copy / "manifest.tsv"
    manifest.write_text(manifest.read_text(encoding="utf-8") + "x" * 300 + ".txt\t\tA ghost\tnowhere\ten\n",
                        encoding="utf-8")
    done = untoc("build", corpus_copy, "--store", tmp_path / "store")
    assert done.returncode == 0, done.stderr
    assert "over a file name's 255" in done.stderr and "Traceback" not in done.stderr
    assert f"read {len(list(corpus_copy.glob('*.txt')))}," in done.stdout
