"""A document's whole way through the loaders: read -> normalize -> structure -> extract.

Each stage is a pure function of its input; `load` only chains them and wraps any failure in a
`LoadError` that names the file and the stage.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .errors import LoadError
from .facts import Facts
from .manifest_entry import ManifestEntry
from .read import SourceText, read
from .structure import Document, parse_document
from .extract import extract_facts


@dataclass(frozen=True)
class LoadedDocument:
    source: SourceText
    structure: Document
    facts: Facts


def load(path: str | Path, entry: ManifestEntry | None = None, source_name: str | None = None) -> LoadedDocument:
    """Read one file into its facts. Raises `LoadError` (with path and stage) on any failure."""
    path = Path(path)
    source = read(path)
    try:
        structure = parse_document(source.text)
    except (LoadError, MemoryError):  # a MemoryError is the per-document bound's to report (kg.bounded)
        raise
    except Exception as exc:  # one document's boundary: a failure costs that document only, and says why
        raise LoadError(path, "structure",
                        f"could not read the document's structure ({type(exc).__name__}: {exc})") from exc
    try:
        facts = extract_facts(structure, source, entry, source_name=source_name or path.name)
    except (LoadError, MemoryError):
        raise
    except Exception as exc:  # one document's boundary: a failure costs that document only, and says why
        raise LoadError(path, "extract", f"could not extract facts ({type(exc).__name__}: {exc})") from exc
    return LoadedDocument(source, structure, facts)
