"""A stand-in pipeline with the contract of `loaders.pipeline.load` and `kg.mapping.document_graph`.

The tests run the real pipeline; these stand-ins exist to make a document fail, or a graph take a
chosen shape (a blank node, a duplicate), on purpose.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from rdflib import RDF, Literal, URIRef

from kg import ids
from kg.vocab import UKG
from loaders.errors import ReadError


@dataclass(frozen=True)
class FakeSource:
    sha256: str
    text: str


@dataclass(frozen=True)
class FakeLoaded:
    source: FakeSource
    name: str
    symbol: str | None


def fake_load(path, entry=None, source_name=None):
    data = Path(path).read_bytes()
    if not data.strip():
        raise ReadError(path, "the file is empty")
    if b"\0" in data:
        raise ReadError(path, "a binary file, not text")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ReadError(path, f"not UTF-8 ({exc.reason} at byte {exc.start})") from exc
    return FakeLoaded(FakeSource(hashlib.sha256(data).hexdigest(), text), source_name or Path(path).name,
                      entry.symbol if entry else None)


def fake_map(loaded: FakeLoaded):
    text_hash = hashlib.sha256(loaded.source.text.encode()).hexdigest()
    g = ids.doc(ids.doc_key(loaded.symbol, text_hash))
    triples = [(g, RDF.type, UKG.Document), (g, UKG.sourceFile, Literal(loaded.name)),
               (g, UKG.contentHash, Literal(loaded.source.sha256))]
    lines = [line for line in loaded.source.text.splitlines() if line.strip()]
    for i, line in enumerate(lines):
        p = URIRef(f"{g}#l{i}")
        triples += [(p, RDF.type, UKG.Paragraph), (p, UKG.inDocument, g), (p, UKG.text, Literal(line))]
    return g, triples


def fake_reference():
    body = ids.body("wg-tip")
    return [(body, RDF.type, UKG.WorkingGroup)]
