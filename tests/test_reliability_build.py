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


# --- item 7: links are not followed, temporary names are not trusted ------------------------------


@pytest.fixture(scope="module")
def seeds_store(tmp_path_factory) -> Path:
    from conftest import CORPUS

    store = tmp_path_factory.mktemp("seeds") / "store"
    done = untoc("build", CORPUS, "--store", store)
    assert done.returncode == 0, done.stderr
    return store


def test_a_link_in_the_corpus_folder_is_skipped_and_named(corpus_copy, tmp_path):
    """A link to a file outside the folder (the audit's /etc/hostname) must not reach the graph."""
    outside = tmp_path / "secret.txt"
    outside.write_text("The General Assembly,\n\n1. Decides that SECRETMARKER is confidential.\n", encoding="utf-8")
    (corpus_copy / "zz-planted.txt").symlink_to(outside)
    store = tmp_path / "store"
    done = untoc("build", corpus_copy, "--store", store)
    assert done.returncode == 0, done.stderr
    assert f"skipped link: {corpus_copy / 'zz-planted.txt'} -> {outside}" in done.stderr, done.stderr
    assert f"read {len(list(corpus_copy.glob('0*.txt')))}," in done.stdout
    export = untoc("export", "--store", store)
    assert b"SECRETMARKER" not in export.stdout.encode() and "zz-planted" not in export.stdout


def test_a_link_named_on_the_command_line_is_refused(tmp_path):
    outside = tmp_path / "secret.txt"
    outside.write_text("1. Decides that SECRETMARKER is confidential.\n", encoding="utf-8")
    link = tmp_path / "named.txt"
    link.symlink_to(outside)
    done = untoc("build", link, "--store", tmp_path / "store")
    assert done.returncode == 1
    assert "named.txt: a symbolic link, not read" in done.stderr, done.stderr


def _plant(path: Path, victim: Path) -> None:
    path.symlink_to(victim)


@pytest.mark.parametrize("planted", ["out.nq.partial", "out.nq"])
def test_export_never_writes_through_a_planted_link(seeds_store, tmp_path, planted):
    victim = tmp_path / "victim.txt"
    victim.write_text("precious\n")
    _plant(tmp_path / planted, victim)
    done = untoc("export", "--store", seeds_store, "-o", tmp_path / "out.nq")
    assert done.returncode == 0, done.stderr
    assert victim.read_text() == "precious\n"
    out = tmp_path / "out.nq"
    assert out.is_file() and not out.is_symlink() and out.read_text().count("\n") > 1000
    assert not list(tmp_path.glob(".out.nq.*"))  # no temporary left behind


def test_void_and_ontology_docs_never_write_through_a_planted_link(seeds_store, tmp_path):
    victim = tmp_path / "victim.txt"
    victim.write_text("precious\n")
    _plant(tmp_path / "void.ttl", victim)
    docs = tmp_path / "site"
    docs.mkdir()
    _plant(docs / "index.html", victim)
    _plant(docs / "untoc.ttl", victim)
    assert untoc("void", "--store", seeds_store, "-o", tmp_path / "void.ttl").returncode == 0
    done = untoc("ontology-docs", "-o", docs)
    assert done.returncode == 0, done.stderr
    assert victim.read_text() == "precious\n"
    assert "void:" in (tmp_path / "void.ttl").read_text() and not (tmp_path / "void.ttl").is_symlink()
    assert (docs / "index.html").read_text().startswith("<!DOCTYPE html>")


def test_viz_page_never_writes_through_a_planted_tmp(seeds_store, tmp_path):
    victim = tmp_path / "victim.txt"
    victim.write_text("precious\n")
    _plant(tmp_path / "page.html.tmp", victim)
    done = untoc("viz", "landscape", "--store", seeds_store, "-o", tmp_path / "page.html")
    assert done.returncode == 0, done.stderr
    assert victim.read_text() == "precious\n"
    assert (tmp_path / "page.html").read_text().startswith("<!DOCTYPE html>")


# --- item 10: names are printed escaped -----------------------------------------------------------


def test_control_characters_in_file_names_are_printed_escaped(tmp_path):
    """A newline in a name forged a `failed:` line of its own; an OSC sequence set the terminal title."""
    folder = tmp_path / "corpus"
    folder.mkdir()
    forged = folder / "x\nfailed: everything.txt"
    forged.write_bytes(b"\x00\x01\x02\x03" * 8)
    titled = folder / "\x1b]0;owned\x07.txt"
    titled.write_bytes(b"\x00\x01\x02\x04" * 8)  # other bytes: an exact copy is refused before it is read
    done = untoc("build", folder, "--store", tmp_path / "store")
    lines = done.stderr.splitlines()
    assert not any(line.startswith("failed: everything") for line in lines), done.stderr
    assert "\x1b" not in done.stderr and "\x07" not in done.stderr
    assert any("x\\nfailed: everything.txt: binary file" in line for line in lines), done.stderr
    assert any("\\x1b]0;owned\\x07.txt" in line for line in lines), done.stderr


def test_shown_escapes_every_control_and_undecodable_byte():
    from kg.terminal import shown

    assert shown("a\nb\tc\x1b[2J\u202eevil\x85") == "a\\nb\\tc\\x1b[2J\\u202eevil\\x85"
    assert shown(os.fsdecode(b"caf\xe9.txt")) == "caf\\xe9.txt"
    assert shown("Décision “4/4”") == "Décision “4/4”"


# --- item 9: a full disk ----------------------------------------------------------------------------


def _mount_tmpfs(where: Path, size: str) -> bool:
    where.mkdir()
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(where)],
                          capture_output=True, text=True)
    return done.returncode == 0


@pytest.mark.slow
@pytest.mark.skipif(os.geteuid() != 0 if hasattr(os, "geteuid") else True, reason="mounts a small tmpfs (root)")
def test_a_full_disk_stops_the_build_with_one_line_and_the_exact_documents_replaced(tmp_path):
    """Fill a real tmpfs under the store, change every document, build: the audit saw a traceback
    and 15 documents new, 1 old, unreported."""
    import hashlib
    import shutil

    from conftest import BUNDLED
    from kg.store import build_records, open_store

    disk = tmp_path / "disk"
    if not _mount_tmpfs(disk, "200m"):
        pytest.skip("cannot mount a tmpfs here")
    try:
        corpus = tmp_path / "corpus"
        shutil.copytree(BUNDLED, corpus)
        store = disk / "store"
        assert untoc("build", corpus, "--store", store).returncode == 0

        def hashes() -> dict[str, str]:
            s = open_store(store, read_only=True)
            try:
                return {r.source_name: r.content_hash for r in build_records(s).values()}
            finally:
                del s

        before = hashes()
        for file in corpus.iterdir():
            if file.suffix == ".txt":
                file.write_text(file.read_text(encoding="utf-8") + "\nDecides to test the disk.\n", encoding="utf-8")
            elif file.suffix == ".xml":
                file.write_bytes(file.read_bytes() + b"<!-- changed -->\n")
        free = os.statvfs(disk).f_bavail * os.statvfs(disk).f_frsize
        filler = disk / "filler"
        filler.write_bytes(b"\0" * (free - 1_500_000))
        done = untoc("build", corpus, "--store", store)
        assert done.returncode == 1, done.stdout + done.stderr
        assert "Traceback" not in done.stderr
        errors = [line for line in done.stderr.splitlines() if line.startswith("Error:")]
        assert errors == [f"Error: no space left on device while writing the store at {store}"], done.stderr
        said = [line for line in done.stderr.splitlines() if line.startswith("written whole before the stop:")]
        assert len(said) == 1, done.stderr
        filler.unlink()
        after = hashes()
        replaced = sorted(name for name in after if after[name] != before.get(name))
        listed = said[0].split("(", 1)[1].split(")", 1)[0].split(", ") if "(" in said[0] else []
        assert listed == replaced and 0 < len(replaced) < len(after), said[0]
        assert hashlib.sha256(b"").hexdigest() not in after.values()
    finally:
        subprocess.run(["umount", "-l", str(disk)], check=False)


def test_a_full_disk_while_writing_an_export_is_one_line(seeds_store, tmp_path, monkeypatch):
    """The export's temporary file hits ENOSPC: the old export stays, nothing half-written is left."""
    import errno

    from click.testing import CliRunner

    from kg import safe_write
    from kg.cli import main

    target = tmp_path / "out.nq"
    target.write_text("old export\n")
    real_fdopen = os.fdopen

    class Full:
        def __init__(self, fd, mode):
            self.file = real_fdopen(fd, mode)

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            self.file.close()

        def fileno(self):
            return self.file.fileno()

        def write(self, data):
            raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(safe_write.os, "fdopen", Full)
    result = CliRunner().invoke(main, ["export", "--store", str(seeds_store), "-o", str(target)])
    assert result.exit_code == 1
    assert result.output.strip() == f"Error: no space left on device while writing {target}"
    assert target.read_text() == "old export\n"
    assert [p.name for p in tmp_path.iterdir()] == ["out.nq"]
