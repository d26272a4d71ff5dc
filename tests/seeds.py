"""The four seed documents, as fixtures for the loader tests (read from the bundled corpus)."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

CORPUS = Path(__file__).resolve().parent.parent / "corpus"

REPORT_2012 = "001_09290eec35e0abef.txt"  # Secretariat report to COP 6
DRAFT_2010 = "002_cd3cac997e6a5d31.txt"  # United States draft decision to COP 5
REPORT_2013 = "003_3035fc9fc301a618.txt"  # report of the Working Group, November 2013
PAPER_2011 = "004_6b7a769a9e24bcf2.txt"  # background paper for the Working Group, October 2011


def text(name: str) -> str:
    return (CORPUS / name).read_text(encoding="utf-8")


@dataclass(frozen=True)
class InMemorySource:
    """What `loaders.read` gives, for tests that start from text rather than a file."""

    path: str
    text: str
    encoding: str
    media_type: str
    sha256: str


@lru_cache(maxsize=None)
def structure(name: str):
    from loaders.structure import parse_document

    return parse_document(text(name))


@lru_cache(maxsize=None)
def facts(name: str):
    from loaders.extract import extract_facts

    src = text(name)
    source = InMemorySource(name, src, "utf-8", "text/plain", hashlib.sha256(src.encode()).hexdigest())
    return extract_facts(structure(name), source, source_name=name)
