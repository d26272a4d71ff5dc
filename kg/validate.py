"""Check a graph against ontology/shapes.ttl and return the results as data.

The graph is validated as one union: a document graph points at States, bodies and meetings declared
in the reference graph, so a named graph checked alone would fail every `sh:class`. The ontology is
mixed into that union because SHACL reads `rdfs:subClassOf` from the data graph: without it a node
typed only `ukg:Decision` would escape the shapes for `ukg:Act`. No RDFS or OWL inference is run:
the shapes state what the graph must say, not what a reasoner could derive, and inference would
multiply the work on a large graph.

Results are data first (`Violation` records a test can assert on), text second (`text()` for the CLI).
Errors that stop validation from running (an unreadable shapes file) propagate; the CLI reports them.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Iterable

import pyshacl
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.graph import ConjunctiveGraph, Dataset
from rdflib.namespace import DCTERMS, FOAF, OWL, PROV, RDF, RDFS, SH, SKOS, XSD
from rdflib.term import Node

from .resources import ontology_dir
from .vocab import ID_BASE, ONTOLOGY_IRI, ORG

__all__ = ["Violation", "ValidationReport", "validate", "SHAPES_NS"]

SHAPES_NS = "https://w3id.org/untoc-kg/shapes#"

_PREFIXES = (
    ("ukgsh", SHAPES_NS), ("ukg", ONTOLOGY_IRI + "#"), ("id", ID_BASE), ("org", str(ORG)),
    ("dcterms", str(DCTERMS)), ("prov", str(PROV)), ("skos", str(SKOS)), ("foaf", str(FOAF)),
    ("rdfs", str(RDFS)), ("rdf", str(RDF)), ("owl", str(OWL)), ("xsd", str(XSD)), ("sh", str(SH)),
)
_SEVERITY_ORDER = {"Violation": 0, "Warning": 1, "Info": 2}


@dataclass(frozen=True)
class Violation:
    """One SHACL validation result.

    `shape` is the IRI of the shape that failed (every shape in shapes.ttl is named, so the IRI says
    which rule was broken). `path` is the predicate for a simple path, or a SPARQL rendering of a
    complex one. `severity` is "Violation", "Warning" or "Info". `component` is the SHACL constraint
    component's local name ("MinCountConstraintComponent"), `value` the offending value if any.
    """

    focus: Node
    path: URIRef | str | None
    message: str
    severity: str
    shape: Node | None
    value: Node | None = None
    component: str | None = None

    def text(self) -> str:
        where = _short(self.focus)
        if self.path is not None:
            where += f" {_short(self.path) if isinstance(self.path, URIRef) else self.path}"
        detail = f"shape {_short(self.shape)}" if self.shape is not None else ""
        if self.value is not None:
            detail += f"; value {_short(self.value)}"
        return f"[{self.severity}] {where}: {self.message}" + (f" ({detail})" if detail else "")


@dataclass(frozen=True)
class ValidationReport:
    conforms: bool
    violations: tuple[Violation, ...]

    def text(self) -> str:
        if not self.violations:
            return "Conforms: yes, no results."
        head = "Conforms: yes" if self.conforms else "Conforms: no"
        counts = {}
        for v in self.violations:
            counts[v.severity] = counts.get(v.severity, 0) + 1
        summary = ", ".join(f"{n} {sev.lower()}{'s' if n != 1 else ''}" for sev, n in
                            sorted(counts.items(), key=lambda item: _SEVERITY_ORDER.get(item[0], 9)))
        return "\n".join([f"{head} ({summary})."] + [v.text() for v in self.violations])

    def shapes(self) -> set[Node]:
        """The shapes that reported something: what a test asserts on."""
        return {v.shape for v in self.violations if v.shape is not None}


def _short(term: Node | str) -> str:
    """A compact, readable rendering for reports (display only, not valid Turtle in every case)."""
    if isinstance(term, URIRef):
        for prefix, namespace in _PREFIXES:
            if term.startswith(namespace):
                return f"{prefix}:{term[len(namespace):]}"
        return f"<{term}>"
    if isinstance(term, Node):
        return term.n3()
    return str(term)


@lru_cache(maxsize=1)
def _shapes_graph() -> Graph:
    return Graph().parse(data=ontology_dir().joinpath("shapes.ttl").read_text(encoding="utf-8"),
                         format="turtle")


@lru_cache(maxsize=1)
def _ontology_triples() -> tuple[tuple[Node, Node, Node], ...]:
    graph = Graph().parse(data=ontology_dir().joinpath("untoc.ttl").read_text(encoding="utf-8"),
                          format="turtle")
    return tuple(graph)


def _triples(data: Graph) -> Iterable[tuple[Node, Node, Node]]:
    if isinstance(data, (Dataset, ConjunctiveGraph)):
        return ((s, p, o) for s, p, o, _ in data.quads((None, None, None, None)))
    return data.triples((None, None, None))


def _working_graph(data: Graph) -> Graph:
    """A fresh graph: the union of `data`'s triples and the ontology. The caller's graph is not touched.

    `"AUT"^^xsd:string` becomes `"AUT"`: RDF 1.1 makes them one term, but rdflib keeps them apart,
    so pyshacl's `sh:in` would reject the typed one (graphs read back from pyoxigraph carry the type).
    """
    working = Graph()
    for s, p, o in _triples(data):
        if isinstance(o, Literal) and o.datatype == XSD.string:
            o = Literal(str(o))
        working.add((s, p, o))
    for triple in _ontology_triples():
        working.add(triple)
    return working


def _render_path(results: Graph, path: Node) -> URIRef | str | None:
    if path is None or isinstance(path, URIRef):
        return path
    alternatives = results.value(path, SH.alternativePath)
    if alternatives is not None:
        return "|".join(_short(p) for p in Collection(results, alternatives))
    inverse = results.value(path, SH.inversePath)
    if inverse is not None:
        return f"^{_short(inverse)}"
    if isinstance(path, BNode) and results.value(path, RDF.first) is not None:
        return "/".join(_short(p) for p in Collection(results, path))
    return path.n3()


def _local(term: Node | None) -> str | None:
    if term is None:
        return None
    text = str(term)
    return text.rsplit("#", 1)[-1] if "#" in text else text.rsplit("/", 1)[-1]


def _violations(results: Graph) -> tuple[Violation, ...]:
    found = set()
    for result in results.subjects(RDF.type, SH.ValidationResult):
        messages = sorted(str(m) for m in results.objects(result, SH.resultMessage))
        component = _local(results.value(result, SH.sourceConstraintComponent))
        found.add(Violation(
            focus=results.value(result, SH.focusNode),
            path=_render_path(results, results.value(result, SH.resultPath)),
            message=" ".join(messages) or f"{component} not satisfied",
            severity=_local(results.value(result, SH.resultSeverity)) or "Violation",
            shape=results.value(result, SH.sourceShape),
            value=results.value(result, SH.value),
            component=component,
        ))
    return tuple(sorted(found, key=lambda v: (_SEVERITY_ORDER.get(v.severity, 9), str(v.shape),
                                              str(v.focus), str(v.path), str(v.value))))


def validate(data: Graph) -> ValidationReport:
    """Validate a Graph, or the union of every graph of a Dataset, against shapes.ttl.

    Warnings and infos are reported but do not make the graph non-conforming.
    """
    working = _working_graph(data)
    conforms, results, _text = pyshacl.validate(
        working,
        shacl_graph=_shapes_graph(),
        inference="none",
        inplace=True,
        advanced=False,
        allow_warnings=True,
        allow_infos=True,
    )
    return ValidationReport(conforms=bool(conforms), violations=_violations(results))
