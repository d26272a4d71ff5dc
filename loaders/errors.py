"""Failures as data: a failed document is a record (file, stage, reason) a CLI prints and a test asserts."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


class LoadError(Exception):
    """A document could not be loaded. `stage` is "read", "normalize", "structure" or "extract"."""

    def __init__(self, path: str | Path, stage: str, reason: str):
        self.path = str(path)
        self.stage = stage
        self.reason = reason
        super().__init__(f"{self.path}: {reason}")

    def record(self) -> "Failure":
        return Failure(self.path, self.stage, self.reason)


class ReadError(LoadError):
    def __init__(self, path: str | Path, reason: str):
        super().__init__(path, "read", reason)


@dataclass(frozen=True)
class Failure:
    path: str
    stage: str
    reason: str

    def __str__(self) -> str:
        return f"{self.path}: {self.reason}"
