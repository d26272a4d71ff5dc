"""Documents about the graph for people and for crawlers: the ontology as a web page, the dataset in VoID.

`ontology_docs(folder)` writes `index.html` (every class, property and individual of
`ontology/untoc.ttl` with its label, comment, types, super- and subterms, domain and range) and a
copy of `untoc.ttl` beside it, so the folder can be published as it is (GitHub Pages, w3id). The
endpoint's own `/ontology` page (`kg.server.linked_data.ontology_page`) links into the running
server (its stylesheet, `/id/…`, `/ontology#…`); this page stands alone: its style is inline and
its links are anchors in the page or the terms' own IRIs. Every text is escaped by the page builder
`kg.server.pages.h`, and the output depends only on the Turtle, so the same ontology gives the same
bytes.

`void(store, base)` is the VoID description the endpoint serves at `/.well-known/void`
(`read_catalog` + `void_description`), with the entity and class counts of the dataset and of each
named graph added, for publishing beside the dumps without running the server.
"""

from __future__ import annotations

import os
from collections import defaultdict
from pathlib import Path

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import OWL, RDF, RDFS

from .safe_write import write_atomic
from .vocab import ID_BASE, ONTOLOGY_IRI

UKG = ONTOLOGY_IRI + "#"
DCTERMS = "http://purl.org/dc/terms/"
VANN = "http://purl.org/vocab/vann/"

KINDS = [(OWL.Class, "classes", "Classes"), (OWL.ObjectProperty, "object-properties", "Object properties"),
         (OWL.DatatypeProperty, "datatype-properties", "Datatype properties"),
         (OWL.NamedIndividual, "individuals", "Individuals")]

STYLE = """
body { font-family: system-ui, sans-serif; max-width: 60rem; margin: 2rem auto; padding: 0 1rem;
       line-height: 1.5; color: #1b1b1b; }
code, .iri { font-family: ui-monospace, monospace; font-size: 0.9em; }
.iri { color: #555; word-break: break-all; }
section.term { border-top: 1px solid #ddd; padding-top: 0.5rem; }
dl { display: grid; grid-template-columns: 10rem 1fr; gap: 0.2rem 1rem; }
dt { font-weight: 600; } dd { margin: 0; }
nav ul { columns: 3; }
.deprecated { color: #a00; }
"""


# ---------------------------------------------------------------------------------------------
# The ontology as a web page


def _local(iri: str) -> str:
    return iri[len(UKG):]


def ontology_html(turtle: bytes) -> bytes:
    """The documentation page of the ontology in `turtle` (the bytes of untoc.ttl)."""
    from .server.pages import h

    g = Graph()
    g.parse(data=turtle, format="turtle", publicID=ONTOLOGY_IRI)
    prefixes = sorted(((str(ns), p) for p, ns in g.namespaces() if p), key=lambda x: -len(x[0]))

    def short(iri: str) -> str:
        return next((f"{p}:{iri[len(ns):]}" for ns, p in prefixes if iri.startswith(ns) and iri != ns), iri)

    def label(node) -> str | None:
        value = g.value(node, RDFS.label)
        return str(value) if value is not None else None

    def term(node):
        """A term as a link: ours to its anchor on this page, others to their IRI."""
        if isinstance(node, URIRef):
            iri = str(node)
            if iri.startswith(UKG):
                return h("a", {"href": "#" + _local(iri), "title": label(node) or iri}, short(iri))
            href = iri if iri.startswith(("http://", "https://")) else None
            return h("a", {"href": href, "title": iri}, short(iri)) if href else h("code", None, iri)
        if isinstance(node, BNode):
            for operator, word in ((OWL.unionOf, " or "), (OWL.intersectionOf, " and ")):
                members = g.value(node, operator)
                if members is not None:
                    items = list(Collection(g, members))
                    return h("span", None, [[term(m), word if i < len(items) - 1 else None]
                                            for i, m in enumerate(items)])
            return h("span", None, "(an anonymous class)")
        if isinstance(node, Literal):
            return h("span", None, str(node))
        return h("span", None, str(node))

    def terms(nodes, ordered=False):
        nodes = list(dict.fromkeys(nodes)) if ordered else sorted(set(nodes), key=str)
        return [[term(n), ", " if i < len(nodes) - 1 else None] for i, n in enumerate(nodes)]

    def row(name, nodes, ordered=False):
        nodes = list(nodes)
        return [h("dt", None, name), h("dd", None, terms(nodes, ordered))] if nodes else None

    ontology = URIRef(ONTOLOGY_IRI)
    title = str(g.value(ontology, URIRef(DCTERMS + "title")) or "untoc-kg ontology")
    members: dict[str, list[URIRef]] = defaultdict(list)
    for kind, key, _ in KINDS:
        for subject in g.subjects(RDF.type, kind):
            if isinstance(subject, URIRef) and str(subject).startswith(UKG):
                members[key].append(subject)
    for key, nodes in members.items():
        members[key] = sorted(set(nodes), key=str)

    body = [h("h1", None, title), h("p", {"class": "iri"}, ONTOLOGY_IRI)]
    facts = []
    for predicate, name in ((OWL.versionInfo, "Version"), (OWL.versionIRI, "Version IRI"),
                            (URIRef(VANN + "preferredNamespacePrefix"), "Prefix"),
                            (URIRef(VANN + "preferredNamespaceUri"), "Namespace"),
                            (URIRef(DCTERMS + "license"), "Licence"), (RDFS.seeAlso, "See also")):
        facts.append(row(name, g.objects(ontology, predicate)))
    facts.append([h("dt", None, "Source"), h("dd", None, h("a", {"href": "untoc.ttl"}, "untoc.ttl"), " (Turtle)")])
    body.append(h("dl", None, facts))
    description = g.value(ontology, URIRef(DCTERMS + "description"))
    if description is not None:
        body.append(h("p", None, str(description)))
    body.append(h("nav", None, h("h2", None, "Contents"),
                  [[h("h3", None, h("a", {"href": "#" + key}, f"{heading} ({len(members[key])})")),
                    h("ul", None, [h("li", None, term(n)) for n in members[key]])]
                   for _, key, heading in KINDS if members[key]]))

    for kind, key, heading in KINDS:
        if not members[key]:
            continue
        body.append(h("h2", {"id": key}, f"{heading} ({len(members[key])})"))
        for node in members[key]:
            comment = g.value(node, RDFS.comment)
            deprecated = (node, OWL.deprecated, Literal(True)) in g
            one_of = g.value(node, OWL.oneOf)
            rows = [
                row("Type", g.objects(node, RDF.type)),
                row("Subclass of", g.objects(node, RDFS.subClassOf)),
                row("Superclass of", g.subjects(RDFS.subClassOf, node)),
                row("Subproperty of", g.objects(node, RDFS.subPropertyOf)),
                row("Superproperty of", g.subjects(RDFS.subPropertyOf, node)),
                row("Inverse of", g.objects(node, OWL.inverseOf)),
                row("Domain", g.objects(node, RDFS.domain)),
                row("Range", g.objects(node, RDFS.range)),
                row("One of", Collection(g, one_of) if one_of is not None else (), ordered=True),
                row("Properties with this domain", g.subjects(RDFS.domain, node)) if kind == OWL.Class else None,
                row("Properties with this range", g.subjects(RDFS.range, node)) if kind == OWL.Class else None,
                row("Instances", [s for s in g.subjects(RDF.type, node) if isinstance(s, URIRef)])
                if kind == OWL.Class else None,
            ]
            body.append(h("section", {"class": "term", "id": _local(str(node))},
                          h("h3", None, label(node) or _local(str(node)), " ", h("code", None, short(str(node))),
                            h("span", {"class": "deprecated"}, " (deprecated)") if deprecated else None),
                          h("p", {"class": "iri"}, str(node)),
                          h("p", None, str(comment)) if comment is not None else None,
                          h("dl", None, rows)))

    doc = h("html", {"lang": "en"},
            h("head", None, h("meta", {"charset": "utf-8"}),
              h("meta", {"name": "viewport", "content": "width=device-width, initial-scale=1"}),
              h("title", None, title), h("style", None, STYLE)),
            h("body", None, h("main", None, body)))
    return ("<!DOCTYPE html>\n" + doc + "\n").encode("utf-8")


def ontology_docs(folder: str | os.PathLike) -> list[Path]:
    """Write `folder/index.html` and `folder/untoc.ttl`; return their paths."""
    from .resources import ontology_dir

    turtle = ontology_dir().joinpath("untoc.ttl").read_bytes()
    target = Path(folder)
    target.mkdir(parents=True, exist_ok=True)
    written = []
    for name, data in (("index.html", ontology_html(turtle)), ("untoc.ttl", turtle)):
        written.append(write_atomic(target / name, data))  # replaces a planted link, never writes through it
    return written


# ---------------------------------------------------------------------------------------------
# The dataset in VoID

RDF_TYPE = ox.NamedNode(str(RDF.type))
VOID = "http://rdfs.org/ns/void#"
PRIMARY_TOPIC = ox.NamedNode("http://xmlns.com/foaf/0.1/primaryTopic")
SD_NAME = ox.NamedNode("http://www.w3.org/ns/sparql-service-description#name")
XSD_INTEGER = ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer")
DEFAULT_BASE = "http://127.0.0.1:8000"


def _counts(store: ox.Store, graphs: list[str]) -> tuple[int, int]:
    """VoID's entities (distinct subjects in the dataset's URI space) and classes (distinct types)."""
    from .store import stored  # the union graph's public IRI -> the store's default graph

    entities, classes = set(), set()
    for graph in graphs:
        for quad in store.quads_for_pattern(None, None, None, stored(graph)):
            if isinstance(quad.subject, ox.NamedNode) and quad.subject.value.startswith(ID_BASE):
                entities.add(quad.subject.value)
            if quad.predicate == RDF_TYPE:
                classes.add(quad.object)
    return len(entities), len(classes)


def void(store, base: str = DEFAULT_BASE) -> list[ox.Triple]:
    """The VoID description of `store` (an open store or its directory) as served from `base`."""
    from .server.dumps import DUMPS
    from .server.linked_data import read_catalog, void_description
    from .store import resolve

    base = base.rstrip("/")
    store = resolve(store)
    catalog = read_catalog(store)
    triples = void_description(base, catalog, [f"{base}/dumps/{d.name}" for d in DUMPS])
    dataset = next(t.object for t in triples if t.predicate == PRIMARY_TOPIC)
    parts = [(dataset, catalog.default)]
    parts += [(t.subject, [t.object.value]) for t in triples if t.predicate == SD_NAME]
    for subject, graphs in parts:
        entities, classes = _counts(store, graphs)
        triples += [ox.Triple(subject, ox.NamedNode(VOID + "entities"), ox.Literal(str(entities), datatype=XSD_INTEGER)),
                    ox.Triple(subject, ox.NamedNode(VOID + "classes"), ox.Literal(str(classes), datatype=XSD_INTEGER))]
    return triples


def void_bytes(store, base: str = DEFAULT_BASE, fmt: str = "ttl") -> bytes:
    """`void(store, base)` serialized as Turtle (`ttl`) or N-Triples (`nt`), in a stable order."""
    from .server.linked_data import serialize

    if fmt not in ("ttl", "nt"):
        raise ValueError(f"unknown VoID format {fmt!r}: ttl or nt")
    return serialize(void(store, base), fmt)


__all__ = ["DEFAULT_BASE", "ontology_docs", "ontology_html", "void", "void_bytes"]
