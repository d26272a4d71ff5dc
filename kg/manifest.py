"""The corpus manifest: what a folder says about its files that the files do not say themselves.

`manifest.tsv` sits in a corpus folder, one row per file: path (relative to the folder), symbol,
title, source, language. Empty cells mean "not known" (we do not guess a symbol). The build hands
the row to the loader, and the graph records which facts came from it.

Every cell is checked here, before anything is built: a bad cell (a symbol with a space, a
language that is no language tag, a control character, a path no file system takes) fails the
one document its row names, with the file and line of the row; the rest of the corpus builds.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass, field
from pathlib import Path

from loaders.errors import Failure
from loaders.manifest_entry import ManifestEntry

MANIFEST_NAME = "manifest.tsv"
COLUMNS = ("path", "symbol", "title", "source", "language")


@dataclass
class Manifest:
    folder: Path
    entries: dict[str, ManifestEntry] = field(default_factory=dict)  # by path relative to folder
    failures: list[Failure] = field(default_factory=list)
    refused: dict[str, str] = field(default_factory=dict)  # path -> why its row was refused

    def entry(self, relative: str) -> ManifestEntry | None:
        return self.entries.get(relative)


# A UN document symbol: series and parts separated by "/", never a space (A/RES/74/176,
# CTOC/COP/2010/L.4, A/C.3/74/L.7/Rev.1, S/RES/2334(2016), E/CN.15/2019/L.3/Add.1).
SYMBOL = re.compile(r"[A-Za-z0-9][A-Za-z0-9./()\-]*")
LANGUAGE = re.compile(r"[A-Za-z]{2,3}(?:-[A-Za-z0-9]{1,8})*")  # a BCP 47 tag: en, fr, zh-Hans, es-419
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")
MAX_CELL = 2000  # characters: a title, not a document
MAX_NAME_BYTES = 255  # a file name most file systems take


def cell_problem(column: str, value: str) -> str | None:
    """Why `value` cannot stand in `column` of a manifest row, or None when it can."""
    if _CONTROL.search(value):
        return f"the {column} cell holds a control character"
    if len(value) > MAX_CELL:
        return f"the {column} cell is {len(value)} characters long (limit {MAX_CELL})"
    if column == "path":
        if value.startswith("/") or "\\" in value:
            return f"the path {value!r} must be a file name relative to the manifest's folder"
        if "/" in value or value in (".", ".."):
            return f"the path {value!r} names no file of this folder (folders are not read recursively)"
        if len(value.encode("utf-8", "surrogateescape")) > MAX_NAME_BYTES:
            return f"the path is {len(value.encode('utf-8', 'surrogateescape'))} bytes long, over a file name's {MAX_NAME_BYTES}"
    if column == "symbol" and not SYMBOL.fullmatch(value):
        return f"the symbol {value!r} is not a UN document symbol (letters, digits, / . - ( ), no spaces)"
    if column == "language" and not LANGUAGE.fullmatch(value):
        return f"the language {value!r} is not a language tag (en, fr, es, ru, ar, zh, ...)"
    return None


def read_manifest(folder: Path) -> Manifest:
    """Read `folder/manifest.tsv` if there is one. Problems become failures, not exceptions:
    a bad row must not stop the documents it does not concern."""
    manifest = Manifest(folder)
    path = folder / MANIFEST_NAME
    if path.is_symlink():
        manifest.failures.append(Failure(str(path), "manifest", "a symbolic link, not read: only regular "
                                                                "files inside the folders named are read"))
        return manifest
    if not path.is_file():
        return manifest
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        manifest.failures.append(Failure(str(path), "manifest", f"could not read the manifest: {exc}"))
        return manifest
    rows = list(csv.reader(text.splitlines(), delimiter="\t", quoting=csv.QUOTE_NONE))
    if not rows or tuple(c.strip() for c in rows[0]) != COLUMNS:
        manifest.failures.append(Failure(
            str(path), "manifest", f"the first line must be the header {' '.join(COLUMNS)} (tab-separated)"))
        return manifest
    for line_number, row in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in row):
            continue
        if len(row) != len(COLUMNS):
            manifest.failures.append(Failure(
                f"{path}:{line_number}", "manifest", f"expected {len(COLUMNS)} tab-separated cells, found {len(row)}"))
            continue
        cells = [cell.strip() or None for cell in row]
        rel = cells[0]
        if rel is None:
            manifest.failures.append(Failure(f"{path}:{line_number}", "manifest", "the path cell is empty"))
            continue
        problem = cell_problem("path", rel)
        if problem is not None:
            manifest.failures.append(Failure(f"{path}:{line_number}", "manifest", problem))
            continue
        rel = Path(rel).as_posix()
        if rel in manifest.entries or rel in manifest.refused:
            manifest.failures.append(Failure(f"{path}:{line_number}", "manifest", f"{rel} is listed twice"))
            continue
        problems = [p for column, value in zip(COLUMNS[1:], cells[1:])
                    if value is not None and (p := cell_problem(column, value)) is not None]
        if problems:  # the document this row names fails, with the row's place; the others build
            manifest.refused[rel] = f"{path.name} line {line_number}: {'; '.join(problems)}"
            continue
        manifest.entries[rel] = ManifestEntry(rel, *cells[1:])
    return manifest
