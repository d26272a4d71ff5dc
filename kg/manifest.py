"""The corpus manifest: what a folder says about its files that the files do not say themselves.

`manifest.tsv` sits in a corpus folder, one row per file: path (relative to the folder), symbol,
title, source, language. Empty cells mean "not known" (we do not guess a symbol). The build hands
the row to the loader, and the graph records which facts came from it.
"""

from __future__ import annotations

import csv
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

    def entry(self, relative: str) -> ManifestEntry | None:
        return self.entries.get(relative)


def read_manifest(folder: Path) -> Manifest:
    """Read `folder/manifest.tsv` if there is one. Problems become failures, not exceptions:
    a bad row must not stop the documents it does not concern."""
    manifest = Manifest(folder)
    path = folder / MANIFEST_NAME
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
        rel = Path(rel).as_posix()
        if rel in manifest.entries:
            manifest.failures.append(Failure(f"{path}:{line_number}", "manifest", f"{rel} is listed twice"))
            continue
        manifest.entries[rel] = ManifestEntry(rel, *cells[1:])
    return manifest
