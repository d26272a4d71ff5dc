"""Dumps that are the same bytes for the same corpus, and a hash that is the same for the same graph.

Why sort: the store gives quads back in its own internal order, which depends on the history of
inserts; sorted N-Triples/N-Quads lines do not. Turtle, TriG and JSON-LD are written by pyoxigraph
(rdflib's Turtle writer turns quadratic on our IRIs, see PITFALLS.md) from sorted input, which it
writes in the order given. Document graphs have no blank nodes (the build refuses them); the
ontology's OWL lists do, and are written with their RDFC-1.0 canonical labels, which depend only
on the graph.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import pyoxigraph as ox

from .sparql import PREFIXES
from .store import data_quads, resolve

FORMATS = {
    "nq": ox.RdfFormat.N_QUADS,
    "nt": ox.RdfFormat.N_TRIPLES,
    "trig": ox.RdfFormat.TRIG,
    "ttl": ox.RdfFormat.TURTLE,
    "jsonld": ox.RdfFormat.JSON_LD,
}
"""nq, trig and jsonld keep the named graphs; nt and ttl hold the union of all graphs' triples."""


def _quad_key(q: ox.Quad) -> tuple[str, str, str, str]:
    return (str(q.graph_name), str(q.subject), str(q.predicate), str(q.object))


def _triple_key(t: ox.Triple) -> tuple[str, str, str]:
    return (str(t.subject), str(t.predicate), str(t.object))


def _is_blank(q: ox.Quad) -> bool:
    return isinstance(q.subject, ox.BlankNode) or isinstance(q.object, ox.BlankNode)


def stable_quads(store) -> list[ox.Quad]:
    """The data quads, blank nodes relabelled canonically (only the graphs that have any)."""
    quads = list(data_quads(resolve(store)))
    blank_graphs = {q.graph_name for q in quads if _is_blank(q)}
    if not blank_graphs:
        return quads
    dataset = ox.Dataset(q for q in quads if q.graph_name in blank_graphs)
    dataset.canonicalize(ox.CanonicalizationAlgorithm.RDFC_1_0)
    return [q for q in quads if q.graph_name not in blank_graphs] + list(dataset)


def export_bytes(store, fmt: str = "nq") -> bytes:
    """The data graphs (never the build bookkeeping) in one of FORMATS."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown export format {fmt!r}; use one of {', '.join(FORMATS)}")
    quads = stable_quads(store)
    if fmt == "nq":
        return "".join(sorted({f"{q} .\n" for q in quads})).encode("utf-8")
    if fmt == "nt":
        return "".join(sorted({f"{q.subject} {q.predicate} {q.object} .\n" for q in quads})).encode("utf-8")
    if fmt == "ttl":
        triples = sorted({q.triple for q in quads}, key=_triple_key)
        return ox.serialize(triples, format=FORMATS[fmt], prefixes=PREFIXES)
    quads.sort(key=_quad_key)
    prefixes = PREFIXES if fmt == "trig" else None
    return ox.serialize(quads, format=FORMATS[fmt], prefixes=prefixes)


def export(store, fmt: str = "nq", output: str | os.PathLike | None = None) -> bytes | None:
    """Write the export to `output` (atomically: a half-written dump is never left behind), or
    return its bytes when `output` is None."""
    data = export_bytes(store, fmt)
    if output is None:
        return data
    target = Path(output)
    partial = target.with_name(target.name + ".partial")
    partial.write_bytes(data)
    os.replace(partial, target)
    return None


def rdflib_graph(store):
    """The union of the data graphs as an in-memory rdflib Graph, for rdflib-only tools (pySHACL).

    Goes through sorted N-Triples, the one format both libraries agree on byte for byte.
    """
    from rdflib import Graph

    graph = Graph()
    graph.parse(data=export_bytes(store, "nt").decode("utf-8"), format="nt")
    return graph


def canonical_hash(store) -> str:
    """SHA-256 of the RDFC-1.0 canonical N-Quads of the data graphs: equal for equal datasets,
    whatever the order they were built in."""
    dataset = ox.Dataset(data_quads(resolve(store)))
    dataset.canonicalize(ox.CanonicalizationAlgorithm.RDFC_1_0)
    lines = sorted({f"{q} .\n" for q in dataset})
    return hashlib.sha256("".join(lines).encode("utf-8")).hexdigest()


__all__ = ["FORMATS", "canonical_hash", "export", "export_bytes", "rdflib_graph", "stable_quads"]
