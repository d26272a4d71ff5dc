"""What a corpus manifest may say about a file that the file does not say about itself."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ManifestEntry:
    path: str
    symbol: str | None = None
    title: str | None = None
    source: str | None = None
    language: str | None = None
