"""Dumps that are the same bytes for the same corpus, and a hash that is the same for the same graph.

Why sort: the store gives quads back in its own internal order, which depends on the history of
inserts; sorted N-Quads lines do not. The lines come from pyoxigraph's own N-Quads writer (Python
formatting each quad was most of the export time) and are sorted as strings. Turtle, TriG and
JSON-LD are written by pyoxigraph (rdflib's Turtle writer turns quadratic on our IRIs, see
PITFALLS.md) from that sorted input, which it writes in the order given.

Document graphs have no blank nodes (the build refuses them); the ontology's OWL lists do, and are
written with their RDFC-1.0 canonical labels, which depend only on the graph.
"""

from __future__ import annotations

import hashlib
import os

import pyoxigraph as ox

from .canon import canonical_lines
from .safe_write import write_atomic
from .sparql import PREFIXES
from .store import data_graphs, resolve
from .vocab import ID_BASE

FORMATS = {
    "nq": ox.RdfFormat.N_QUADS,
    "nt": ox.RdfFormat.N_TRIPLES,
    "trig": ox.RdfFormat.TRIG,
    "ttl": ox.RdfFormat.TURTLE,
    "jsonld": ox.RdfFormat.JSON_LD,
}
"""nq, trig and jsonld keep the named graphs; nt and ttl hold the union of all graphs' triples."""

def _graph_of(line: str) -> str:
    """The graph IRI of an N-Quads line of ours (graph names are IRIs, which hold no spaces)."""
    return line[line.rindex(" <") + 1 : -2]


def _triple_of(line: str) -> str:
    return line[: line.rindex(" <")] + " ."


def _has_blank(store: ox.Store, graph: ox.NamedNode) -> bool:
    return bool(store.query(f"ASK {{ GRAPH {graph} {{ ?s ?p ?o FILTER (isBlank(?s) || isBlank(?o)) }} }}"))


def nquads_lines(store) -> list[str]:
    """The data graphs as sorted, distinct N-Quads lines (no newline), blank nodes canonical.

    Only graphs the build did not map from a document (the reference data, the ontology) can hold
    blank nodes: those are checked, and relabelled canonically when they have any.
    """
    store = resolve(store)
    lines: set[str] = set()
    blank = []
    for graph in data_graphs(store):
        if not graph.value.startswith(ID_BASE + "doc/") and _has_blank(store, graph):
            blank.append(graph)
            continue
        suffix = f" {graph} ."
        raw = store.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=graph).decode("utf-8")
        lines.update(line[:-2] + suffix for line in raw.split("\n") if line)
    if blank:
        lines.update(canonical_lines((q for g in blank for q in store.quads_for_pattern(None, None, None, g)),
                                     what="the graphs " + ", ".join(str(g) for g in blank)))
    return sorted(lines)


def stable_quads(store) -> list[ox.Quad]:
    """The data quads in the order of their sorted N-Quads lines, blank nodes canonical."""
    text = "\n".join(nquads_lines(store))
    return list(ox.parse(text.encode("utf-8"), format=ox.RdfFormat.N_QUADS)) if text else []


def export_bytes(store, fmt: str = "nq") -> bytes:
    """The data graphs (never the build bookkeeping nor the union graph) in one of FORMATS."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown export format {fmt!r}; use one of {', '.join(FORMATS)}")
    lines = nquads_lines(store)
    if fmt == "nq":
        return "".join(f"{line}\n" for line in lines).encode("utf-8")
    if fmt in ("nt", "ttl"):
        triples = sorted({_triple_of(line) for line in lines})
        text = "".join(f"{t}\n" for t in triples).encode("utf-8")
        if fmt == "nt":
            return text
        parsed = ox.parse(text, format=ox.RdfFormat.N_TRIPLES)
        return ox.serialize(parsed, format=FORMATS[fmt], prefixes=PREFIXES)
    by_graph = sorted(lines, key=lambda line: (_graph_of(line), line))
    parsed = ox.parse("".join(f"{line}\n" for line in by_graph).encode("utf-8"), format=ox.RdfFormat.N_QUADS)
    return ox.serialize(parsed, format=FORMATS[fmt], prefixes=PREFIXES if fmt == "trig" else None)


def export(store, fmt: str = "nq", output: str | os.PathLike | None = None) -> bytes | None:
    """Write the export to `output` (atomically: a half-written dump is never left behind), or
    return its bytes when `output` is None."""
    data = export_bytes(store, fmt)
    if output is None:
        return data
    write_atomic(output, data)  # a fresh temporary name, never a planted one (kg.safe_write)
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
    whatever the order they were built in.

    Canonical labels are found under a bound of work (`kg.canon`): a graph whose blank nodes only
    their links to each other tell apart raises CanonicalizationError instead of running for hours."""
    store = resolve(store)
    lines = canonical_lines(q for g in data_graphs(store) for q in store.quads_for_pattern(None, None, None, g))
    return hashlib.sha256("".join(f"{line}\n" for line in lines).encode("utf-8")).hexdigest()


__all__ = ["FORMATS", "canonical_hash", "export", "export_bytes", "nquads_lines", "rdflib_graph",
           "stable_quads"]
