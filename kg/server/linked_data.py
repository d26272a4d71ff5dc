"""IRIs that answer when followed, and the RDF documents that describe the service itself.

`GET /id/…` answers for the resource `https://w3id.org/untoc-kg/id/…`: an HTML page for a browser,
Turtle, JSON-LD, N-Triples, RDF/XML, N-Quads or TriG for a program (by `Accept`, or `?format=`).
The page shows every fact the graph holds about the resource, grouped by the document it was read
from, each group with the paragraphs it was derived from (`prov:wasDerivedFrom`), because a fact
without its evidence is a claim nobody can check. Paragraph IRIs are fragments of their document's
IRI (`…/doc/X#p46`): the document's page holds every paragraph under that anchor, and its RDF
holds their triples, so the fragment resolves the way the web resolves fragments.

These lookups are bounded index scans (a subject, an object), not SPARQL, so they run in the
server's own read-only store without a worker; a resource with very many incoming links shows the
first `INCOMING_LIMIT` of them and says so.

The build's bookkeeping graph (local file paths) is never shown: only the data graphs are read.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from urllib.parse import quote, unquote

import pyoxigraph as ox

from ..sparql import PREFIXES
from ..vocab import ID_BASE, ONTOLOGY_IRI
from .pages import Markup, h, link, page

RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
SKOS = "http://www.w3.org/2004/02/skos/core#"
DCTERMS = "http://purl.org/dc/terms/"
FOAF = "http://xmlns.com/foaf/0.1/"
PROV = "http://www.w3.org/ns/prov#"
OWL = "http://www.w3.org/2002/07/owl#"
SD = "http://www.w3.org/ns/sparql-service-description#"
VOID = "http://rdfs.org/ns/void#"
FORMATS = "http://www.w3.org/ns/formats/"
UKG = ONTOLOGY_IRI + "#"
XSD_INTEGER = "http://www.w3.org/2001/XMLSchema#integer"

RDF_TYPE = ox.NamedNode(RDF + "type")
DERIVED_FROM = ox.NamedNode(PROV + "wasDerivedFrom")
LABELS = [ox.NamedNode(SKOS + "prefLabel"), ox.NamedNode(RDFS + "label"), ox.NamedNode(FOAF + "name"),
          ox.NamedNode(DCTERMS + "title"), ox.NamedNode(UKG + "symbol")]
PARAGRAPH_NUMBER = ox.NamedNode(UKG + "number")
PARAGRAPH_TEXT = ox.NamedNode(UKG + "text")
IN_DOCUMENT = ox.NamedNode(UKG + "inDocument")
SERIALIZATION_PREFIXES = {k: v for k, v in PREFIXES.items() if k != "id"}
"""Prefixes written in Turtle and RDF/XML: not `id:`, whose local names would need escaped slashes."""

OUTGOING_LIMIT = 5_000
INCOMING_LIMIT = 2_000
SHOWN_PER_PREDICATE = 100

# media type -> format key; the first is the default when the client takes anything
RDF_MEDIA = {
    "text/turtle": "ttl", "application/x-turtle": "ttl", "application/turtle": "ttl",
    "application/ld+json": "jsonld", "application/n-triples": "nt", "application/rdf+xml": "rdfxml",
    "application/n-quads": "nq", "application/trig": "trig",
}
RDF_CONTENT_TYPES = {
    "ttl": "text/turtle; charset=utf-8", "jsonld": "application/ld+json", "nt": "application/n-triples",
    "rdfxml": "application/rdf+xml", "nq": "application/n-quads", "trig": "application/trig",
}
RDF_FORMATS = {
    "ttl": ox.RdfFormat.TURTLE, "jsonld": ox.RdfFormat.JSON_LD, "nt": ox.RdfFormat.N_TRIPLES,
    "rdfxml": ox.RdfFormat.RDF_XML, "nq": ox.RdfFormat.N_QUADS, "trig": ox.RdfFormat.TRIG,
}
FORMAT_ALIASES = {
    "ttl": "ttl", "turtle": "ttl", "jsonld": "jsonld", "json-ld": "jsonld", "json": "jsonld",
    "nt": "nt", "ntriples": "nt", "n-triples": "nt", "rdf": "rdfxml", "rdfxml": "rdfxml", "xml": "rdfxml",
    "nq": "nq", "nquads": "nq", "n-quads": "nq", "trig": "trig", "html": "html",
}
SD_PREFIXES = {"sd": SD, "void": VOID, "dcterms": DCTERMS, "rdfs": RDFS, "formats": FORMATS,
               "xsd": "http://www.w3.org/2001/XMLSchema#"}


# ---------------------------------------------------------------------------------------------
# Content negotiation


def _parse_accept(header: str | None) -> list[tuple[str, float, int]]:
    ranges = []
    for index, part in enumerate((header or "").split(",")):
        fields = [f.strip() for f in part.split(";")]
        media = fields[0].lower()
        if not media or "/" not in media:
            continue
        q = 1.0
        for param in fields[1:]:
            key, _, value = param.partition("=")
            if key.strip().lower() == "q":
                try:
                    q = max(0.0, min(1.0, float(value)))
                except ValueError:
                    q = 0.0
        ranges.append((media, q, index))
    return ranges


def negotiate(accept: str | None, offers: Sequence[str]) -> str | None:
    """The offer the client prefers (RFC 9110: the most specific matching range sets its quality).

    Ties go to the server's order of `offers`. No Accept header means the first offer; an Accept
    header that rules every offer out means None (406).
    """
    if not offers:
        return None
    ranges = _parse_accept(accept)
    if not accept or not ranges:
        return offers[0]
    best, best_q = None, 0.0
    for offer in offers:
        kind, _, sub = offer.partition("/")
        quality, specificity = None, -1
        for media, q, _ in ranges:
            r_kind, _, r_sub = media.partition("/")
            if media == offer:
                spec = 2
            elif r_sub == "*" and r_kind == kind:
                spec = 1
            elif media == "*/*":
                spec = 0
            else:
                continue
            if spec > specificity:
                quality, specificity = q, spec
        if quality is not None and quality > best_q:
            best, best_q = offer, quality
    return best


def choose_rdf(accept: str | None, format_param: str | None, html: str | None = "first") -> str | None:
    """`html`, a key of RDF_FORMATS, or None (nothing acceptable).

    `html="first"`: a page unless the client prefers RDF (resources, the ontology); `"last"`: RDF
    unless the client asks for HTML by name (the service and dataset descriptions); None: RDF only.
    """
    if format_param:
        key = FORMAT_ALIASES.get(format_param.strip().lower())
        if key is None and format_param.strip().lower() in RDF_MEDIA:
            key = RDF_MEDIA[format_param.strip().lower()]
        if key == "html" and html is None:
            return None
        return key
    pages = ["text/html", "application/xhtml+xml"]
    if html == "first":
        offers = pages[:1] + list(RDF_MEDIA) + pages[1:]
    elif html == "last":
        offers = list(RDF_MEDIA) + pages
    else:
        offers = list(RDF_MEDIA)
    chosen = negotiate(accept, offers)
    if chosen is None:
        return None
    if chosen in ("text/html", "application/xhtml+xml"):
        return "html"
    return RDF_MEDIA[chosen]


def serialize(statements: Sequence[ox.Triple | ox.Quad], fmt: str) -> bytes:
    """Triples or quads in a format; quads lose their graph in formats without graphs."""
    rdf_format = RDF_FORMATS[fmt]
    if rdf_format.supports_datasets:
        quads = [s if isinstance(s, ox.Quad) else ox.Quad(s.subject, s.predicate, s.object) for s in statements]
        return ox.serialize(quads, format=rdf_format,
                            prefixes=SERIALIZATION_PREFIXES if fmt == "trig" else None) or b""
    triples = sorted({s.triple if isinstance(s, ox.Quad) else s for s in statements}, key=str)
    prefixes = {**SERIALIZATION_PREFIXES, **SD_PREFIXES} if fmt in ("ttl", "rdfxml") else None
    return ox.serialize(triples, format=rdf_format, prefixes=prefixes) or b""


# ---------------------------------------------------------------------------------------------
# What the store holds


@dataclass
class Catalog:
    """The data graphs of the served store and their sizes, read once: nobody writes the store.

    `default` is what a query's default graph is made of, as `kg.store.query` makes it: the store's
    union graph (the RDF merge of the data graphs, kept by the build in the store's default graph,
    named here by its public IRI `id:graph/union`, which `kg.store.stored` maps back) when there is
    one, else the data graphs themselves. `total` counts the triples of that merge.
    """

    graphs: list[str]
    triples: dict[str, int]
    titles: dict[str, str]
    total: int
    example: str | None = None
    default: list[str] = field(default_factory=list)

    @cached_property
    def graph_set(self) -> frozenset[str]:
        """The graphs as a set, made once (the guard reads it on every query)."""
        return frozenset(self.graphs)


def read_catalog(store: ox.Store) -> Catalog:
    from ..store import UNION_GRAPH, data_graphs, union_size

    graphs = [g.value for g in data_graphs(store)]
    triples: dict[str, int] = {}
    titles: dict[str, str] = {}
    for g in graphs:
        node = ox.NamedNode(g)
        triples[g] = sum(1 for _ in store.quads_for_pattern(None, None, None, node))
        titles[g] = _graph_title(store, node)
    example = None
    for candidate in ("body/wg-tip", "act/untoc-cop/decision/4-4", "instrument/untoc"):
        if any(True for _ in store.quads_for_pattern(ox.NamedNode(ID_BASE + candidate), None, None)):
            example = ID_BASE + candidate
            break
    total = union_size(store)
    if total:
        default = [UNION_GRAPH.value]
    else:  # a store not made by a build (no union): its data graphs
        default, total = list(graphs), sum(triples.values())
    return Catalog(graphs, triples, titles, total, example, default)


def _graph_title(store: ox.Store, graph: ox.NamedNode) -> str:
    if graph.value == ID_BASE + "graph/reference":
        return "Reference data (instruments, bodies, States, sessions)"
    if graph.value == ID_BASE + "graph/ontology":
        return "The untoc-kg ontology"
    parts = []
    for predicate in (ox.NamedNode(UKG + "symbol"), ox.NamedNode(DCTERMS + "title")):
        for quad in store.quads_for_pattern(graph, predicate, None, graph):
            parts.append(quad.object.value)
            break
    return " – ".join(parts) or graph.value


# ---------------------------------------------------------------------------------------------
# A resource


def iri_for_path(store: ox.Store, path: str, graphs: frozenset[str]) -> str | None:
    """The IRI a request path `/id/…` stands for, if the graph knows it (as sent, or as minted)."""
    candidates = [ID_BASE + path, ID_BASE + quote(unquote(path), safe="/.-_~:")]
    for iri in dict.fromkeys(candidates):
        node = ox.NamedNode(iri) if _valid_iri(iri) else None
        if node is None:
            continue
        for quad in store.quads_for_pattern(node, None, None):
            if isinstance(quad.graph_name, ox.NamedNode) and quad.graph_name.value in graphs:
                return iri
        for quad in store.quads_for_pattern(None, None, node):
            if isinstance(quad.graph_name, ox.NamedNode) and quad.graph_name.value in graphs:
                return iri
    return None


def _valid_iri(iri: str) -> bool:
    try:
        ox.NamedNode(iri)
    except ValueError:
        return False
    return True


@dataclass
class Description:
    """What the graph says about one resource: its own quads, its fragments' quads, links to it."""

    iri: str
    outgoing: list[ox.Quad] = field(default_factory=list)
    fragments: dict[str, list[ox.Quad]] = field(default_factory=dict)
    incoming: list[ox.Quad] = field(default_factory=list)
    incoming_cut: bool = False

    def quads(self) -> list[ox.Quad]:
        out = list(self.outgoing)
        for quads in self.fragments.values():
            out.extend(quads)
        out.extend(self.incoming)
        return out


def _bounded(iterator: Iterable[ox.Quad], graphs: frozenset[str], limit: int) -> tuple[list[ox.Quad], bool]:
    out = []
    for quad in iterator:
        if not isinstance(quad.graph_name, ox.NamedNode) or quad.graph_name.value not in graphs:
            continue
        if len(out) == limit:
            return out, True
        out.append(quad)
    return out, False


def describe(store: ox.Store, iri: str, graphs: frozenset[str]) -> Description:
    node = ox.NamedNode(iri)
    description = Description(iri)
    description.outgoing, _ = _bounded(store.quads_for_pattern(node, None, None), graphs, OUTGOING_LIMIT)
    incoming, cut = _bounded(store.quads_for_pattern(None, None, node), graphs, INCOMING_LIMIT)
    hash_prefix = iri + "#"
    fragment_iris = sorted({q.subject.value for q in incoming
                            if isinstance(q.subject, ox.NamedNode) and q.subject.value.startswith(hash_prefix)}
                           | {q.object.value for q in description.outgoing
                              if isinstance(q.object, ox.NamedNode) and q.object.value.startswith(hash_prefix)})
    for fragment in fragment_iris:
        description.fragments[fragment], _ = _bounded(
            store.quads_for_pattern(ox.NamedNode(fragment), None, None), graphs, OUTGOING_LIMIT)
    description.incoming = [q for q in incoming if q.subject.value not in description.fragments]
    description.incoming_cut = cut
    return description


class Labeller:
    """Labels for IRIs on a page: the graph's own labels, then the ontology's, then a short name."""

    def __init__(self, store: ox.Store, graphs: frozenset[str] | None, ontology: ox.Store | None = None):
        self.store = store
        self.graphs = graphs
        self.ontology = ontology
        self._cache: dict[str, str | None] = {}

    def label(self, term) -> str | None:
        if not isinstance(term, ox.NamedNode):
            return None
        if term.value in self._cache:
            return self._cache[term.value]
        found = None
        sources = [(self.store, self.graphs is not None)]
        if self.ontology is not None:
            sources.append((self.ontology, False))
        for store, filtered in sources:
            for predicate in LABELS:
                best = None
                for quad in store.quads_for_pattern(term, predicate, None):
                    if filtered and not (isinstance(quad.graph_name, ox.NamedNode)  # the union: not a data graph
                                         and quad.graph_name.value in self.graphs):
                        continue
                    lang = getattr(quad.object, "language", None)
                    if lang in (None, "en") or best is None:
                        best = quad.object.value
                    if lang == "en":
                        break
                if best:
                    found = best
                    break
            if found:
                break
        if found is None and self.graphs is not None:
            found = self._paragraph_label(term)
        if found is None and self.graphs is not None:
            from .names import derived_label

            self._cache[term.value] = None  # a meeting's body is labelled on the way: no loop
            found = derived_label(self.store, term, self.graphs, self.label)
        self._cache[term.value] = found
        return found

    def _paragraph_label(self, term: ox.NamedNode) -> str | None:
        """`¶ 7 – <document>` for a paragraph, which has a number but no label of its own."""
        number = document = None
        for quad in self.store.quads_for_pattern(term, PARAGRAPH_NUMBER, None):
            number = quad.object.value
        for quad in self.store.quads_for_pattern(term, IN_DOCUMENT, None):
            document = quad.object
        if number is None or document is None:
            return None
        return f"¶ {number} – {self.label(document) or self.short(document.value)}"

    def short(self, iri: str) -> str:
        for prefix, ns in PREFIXES.items():
            if iri.startswith(ns) and len(iri) > len(ns):
                return f"{prefix}:{iri[len(ns):]}"
        return iri


def _term(term, labeller: Labeller) -> Markup:
    if isinstance(term, ox.NamedNode):
        label = labeller.label(term)
        return link(term.value, label or labeller.short(term.value))
    if isinstance(term, ox.Literal):
        suffix = None
        if term.language:
            suffix = h("span", {"class": "muted"}, f" @{term.language}")
        elif term.datatype.value not in ("http://www.w3.org/2001/XMLSchema#string",):
            suffix = h("span", {"class": "muted", "title": term.datatype.value},
                       f" {labeller.short(term.datatype.value)}")
        return h("span", {"class": "literal"}, term.value, suffix)
    if isinstance(term, ox.BlankNode):
        return h("span", {"class": "bnode"}, f"_:{term.value}")
    return h("span", None, str(term))


def _facts(quads: Sequence[ox.Quad], labeller: Labeller, skip: Iterable[ox.NamedNode] = (),
           render=None) -> Markup:
    render = render or _term
    skipped = set(skip)
    by_predicate: dict[ox.NamedNode, list] = defaultdict(list)
    for quad in quads:
        if quad.predicate in skipped:
            continue
        if quad.object not in by_predicate[quad.predicate]:
            by_predicate[quad.predicate].append(quad.object)
    rows = []
    for predicate in sorted(by_predicate, key=lambda p: (p != RDF_TYPE, labeller.short(p.value))):
        values = by_predicate[predicate]
        rows.append(h("dt", None, link(predicate.value, labeller.label(predicate) or labeller.short(predicate.value))))
        rows.append(h("dd", None, [[render(v, labeller), h("br") if i < len(values) - 1 else None]
                                   for i, v in enumerate(values)]))
    return h("dl", {"class": "facts"}, rows)


def _evidence(store: ox.Store, paragraphs: Sequence[ox.NamedNode], graph: ox.NamedNode) -> Markup:
    items = []
    for paragraph in paragraphs:
        number = text = None
        for quad in store.quads_for_pattern(paragraph, PARAGRAPH_NUMBER, None, graph):
            number = quad.object.value
        for quad in store.quads_for_pattern(paragraph, PARAGRAPH_TEXT, None, graph):
            text = quad.object.value
        items.append(h("blockquote", {"class": "evidence", "cite": paragraph.value},
                       h("span", {"class": "number"}, link(paragraph.value, f"¶ {number}" if number else "¶")),
                       text or h("span", {"class": "muted"}, "(no text recorded)")))
    return Markup("".join(items))


def _anchor(fragment_iri: str) -> str:
    return fragment_iri.rsplit("#", 1)[1]


def entity_page(store: ox.Store, description: Description, catalog: Catalog,
                ontology: ox.Store | None = None) -> bytes:
    """The resource's HTML page (`entity_view.py`: summaries, mandate history, merged facts)."""
    from .entity_view import entity_page as render

    return render(store, description, catalog, ontology)


def _fragment_key(iri: str):
    """`#pp2` before `#p1`, `#p2` before `#p10`, `#fn…` last: preambular, operative, footnotes."""
    anchor = _anchor(iri)
    letters = re.sub(r"[0-9].*", "", anchor)
    order = {"pp": 0, "p": 1}.get(letters, 2)
    return (order, letters, [int(n) for n in re.findall(r"[0-9]+", anchor)], anchor)


# ---------------------------------------------------------------------------------------------
# The ontology


@dataclass
class Ontology:
    """`ontology/untoc.ttl` as read at start: its bytes (served as they are) and its triples."""

    turtle: bytes
    store: ox.Store

    @classmethod
    def load(cls) -> Ontology:
        from ..resources import ontology_dir

        data = ontology_dir().joinpath("untoc.ttl").read_bytes()
        store = ox.Store()
        store.load(data, format=ox.RdfFormat.TURTLE, base_iri=ONTOLOGY_IRI)
        return cls(data, store)

    def triples(self) -> list[ox.Triple]:
        return [q.triple for q in self.store]


_KINDS = [(OWL + "Ontology", "The ontology"), (OWL + "Class", "Classes"), (OWL + "ObjectProperty", "Object properties"),
          (OWL + "DatatypeProperty", "Datatype properties"), (OWL + "NamedIndividual", "Individuals")]


RDF_FIRST = ox.NamedNode(RDF + "first")
RDF_REST = ox.NamedNode(RDF + "rest")
RDF_NIL = ox.NamedNode(RDF + "nil")
_CLASS_EXPRESSIONS = [(OWL + "unionOf", "", " or "), (OWL + "intersectionOf", "", " and "),
                      (OWL + "oneOf", "one of: ", ", ")]


def _rdf_list(store: ox.Store, head) -> list | None:
    items, seen = [], set()
    while isinstance(head, ox.BlankNode) and head not in seen:
        seen.add(head)
        first = [q.object for q in store.quads_for_pattern(head, RDF_FIRST, None)]
        rest = [q.object for q in store.quads_for_pattern(head, RDF_REST, None)]
        if len(first) != 1 or len(rest) != 1:
            return None
        items.append(first[0])
        head = rest[0]
    return items if head == RDF_NIL else None


def _ontology_term(store: ox.Store, term, labeller: Labeller, depth: int = 0) -> Markup:
    """A value on the ontology page; a blank node is written out as what it says (a list, "State
    or Body", "one of: …"), never as its generated id, which means nothing to a reader."""
    if not isinstance(term, ox.BlankNode):
        return _term(term, labeller)
    if depth > 4:
        return h("span", {"class": "muted"}, "(…)")
    items = _rdf_list(store, term)
    if items is not None:
        return Markup(", ".join(_ontology_term(store, i, labeller, depth + 1) for i in items))
    for predicate, lead, joiner in _CLASS_EXPRESSIONS:
        for quad in store.quads_for_pattern(term, ox.NamedNode(predicate), None):
            members = _rdf_list(store, quad.object) or []
            return h("span", {"class": "ontology-axiom"}, lead,
                     Markup(joiner.join(_ontology_term(store, m, labeller, depth + 1) for m in members)))
    parts = [h("span", None, labeller.label(q.predicate) or labeller.short(q.predicate.value), " ",
               _ontology_term(store, q.object, labeller, depth + 1))
             for q in store.quads_for_pattern(term, None, None) if q.predicate != RDF_TYPE]
    return h("span", {"class": "ontology-axiom"}, "[", Markup("; ".join(parts)), "]")


def ontology_page(ontology: Ontology) -> bytes:
    store = ontology.store
    labeller = Labeller(store, None)

    def quads_of(term):
        return list(store.quads_for_pattern(term, None, None))

    terms = sorted({q.subject.value for q in store if isinstance(q.subject, ox.NamedNode)
                    and (q.subject.value.startswith(UKG) or q.subject.value == ONTOLOGY_IRI)})
    kinds: dict[str, str] = {}
    for iri in terms:
        types = {q.object.value for q in store.quads_for_pattern(ox.NamedNode(iri), RDF_TYPE, None)}
        kinds[iri] = next((name for kind, name in _KINDS if kind in types), "Other terms")
    def term(value, labeller):
        return _ontology_term(store, value, labeller)

    sections = [h("h1", None, "The untoc-kg ontology"),
                h("p", {"class": "iri"}, ONTOLOGY_IRI),
                h("p", {"class": "muted"}, "As ", h("a", {"href": "/ontology?format=ttl"}, "Turtle"), " · ",
                  h("a", {"href": "/ontology?format=jsonld"}, "JSON-LD"), " · ",
                  h("a", {"href": "/ontology?format=rdfxml"}, "RDF/XML"))]
    order = [name for _, name in _KINDS] + ["Other terms"]
    for kind in order:
        members = [iri for iri in terms if kinds[iri] == kind]
        if not members:
            continue
        sections.append(h("h2", None, f"{kind} ({len(members)})" if kind != "The ontology" else kind))
        for iri in members:
            anchor = iri[len(UKG):] if iri.startswith(UKG) else None
            node = ox.NamedNode(iri)
            name = labeller.label(node) or labeller.short(iri)
            sections.append(h("section", {"class": "term", "id": anchor},
                              h("h3", None, name, " ", h("code", {"class": "muted"}, labeller.short(iri))),
                              _facts([ox.Quad(q.subject, q.predicate, q.object, ox.NamedNode(ONTOLOGY_IRI))
                                      for q in quads_of(node)], labeller, render=term)))
    return page("Ontology", *sections)


# ---------------------------------------------------------------------------------------------
# The service description (SPARQL 1.1 Service Description) and the dataset (VoID)


def _t(s: str, p: str, o) -> ox.Triple:
    obj = o if isinstance(o, (ox.NamedNode, ox.Literal)) else ox.NamedNode(o)
    return ox.Triple(ox.NamedNode(s), ox.NamedNode(p), obj)


def _int(n: int) -> ox.Literal:
    return ox.Literal(str(n), datatype=ox.NamedNode(XSD_INTEGER))


RESULT_FORMATS = ["SPARQL_Results_JSON", "SPARQL_Results_XML", "SPARQL_Results_CSV", "SPARQL_Results_TSV",
                  "Turtle", "N-Triples", "RDF_XML", "JSON-LD"]


def service_description(base: str, catalog: Catalog, limits: dict) -> list[ox.Triple]:
    endpoint = f"{base}/sparql"
    service = f"{endpoint}#service"
    dataset = f"{endpoint}#dataset"
    default = f"{endpoint}#default-graph"
    available = f"{endpoint}#available-graphs"
    out = [
        _t(service, RDF + "type", SD + "Service"),
        _t(service, SD + "endpoint", endpoint),
        _t(service, SD + "supportedLanguage", SD + "SPARQL11Query"),
        _t(service, SD + "feature", SD + "UnionDefaultGraph"),
        _t(service, SD + "defaultEntailmentRegime", "http://www.w3.org/ns/entailment/Simple"),
        _t(service, SD + "defaultDataset", dataset),
        _t(service, SD + "availableGraphs", available),
        _t(service, RDFS + "seeAlso", f"{base}/.well-known/void"),
        _t(service, DCTERMS + "title", ox.Literal("untoc-kg SPARQL endpoint (read-only)", language="en")),
        _t(service, RDFS + "comment", ox.Literal(
            f"Read-only. SERVICE, LOAD and updates are refused; FROM, FROM NAMED, default-graph-uri and "
            f"named-graph-uri may name only the graphs listed here. A query runs at most "
            f"{limits['timeout']} s; results stop at {limits['max_results']} rows or triples, signalled by "
            f"the HTTP header X-SPARQL-Truncated. At most {limits['per_client']} queries at once per "
            f"client address (then HTTP 429 with Retry-After). Variables may be bound with "
            f"parameters $name=<N-Triples term>.", language="en")),
        _t(dataset, RDF + "type", SD + "Dataset"),
        _t(dataset, SD + "defaultGraph", default),
        _t(default, RDF + "type", SD + "Graph"),
        _t(default, VOID + "triples", _int(catalog.total)),
        _t(default, RDFS + "comment", ox.Literal("The RDF merge of all named graphs.", language="en")),
        _t(available, RDF + "type", SD + "GraphCollection"),
    ]
    out += [_t(service, SD + "resultFormat", FORMATS + f) for f in RESULT_FORMATS]
    for index, graph in enumerate(catalog.graphs, start=1):
        named = f"{endpoint}#graph-{index}"
        described = f"{endpoint}#graph-{index}-description"
        out += [_t(named, RDF + "type", SD + "NamedGraph"), _t(named, SD + "name", graph),
                _t(named, SD + "graph", described), _t(described, RDF + "type", SD + "Graph"),
                _t(described, VOID + "triples", _int(catalog.triples[graph])),
                _t(described, DCTERMS + "title", ox.Literal(catalog.titles[graph])),
                _t(dataset, SD + "namedGraph", named), _t(available, SD + "namedGraph", named)]
    return out


def void_description(base: str, catalog: Catalog, dumps: Sequence[str]) -> list[ox.Triple]:
    doc = f"{base}/.well-known/void"
    dataset = f"{doc}#untoc-kg"
    out = [
        _t(doc, RDF + "type", VOID + "DatasetDescription"),
        _t(doc, FOAF + "primaryTopic", dataset),
        _t(dataset, RDF + "type", VOID + "Dataset"),
        _t(dataset, DCTERMS + "title", ox.Literal("untoc-kg", language="en")),
        _t(dataset, DCTERMS + "description", ox.Literal(
            "A knowledge graph of the United Nations Convention against Transnational Organized Crime, its "
            "Protocols, the bodies that serve them and the acts they adopt, read from the official "
            "documents; every fact points at the paragraph it was read from.", language="en")),
        _t(dataset, VOID + "sparqlEndpoint", f"{base}/sparql"),
        _t(dataset, VOID + "uriSpace", ox.Literal(ID_BASE)),
        _t(dataset, VOID + "uriLookupEndpoint", f"{base}/id/"),
        _t(dataset, VOID + "vocabulary", UKG),
        _t(dataset, VOID + "triples", _int(catalog.total)),
        _t(dataset, VOID + "feature", FORMATS + "N-Quads"),
        _t(dataset, VOID + "feature", FORMATS + "Turtle"),
    ]
    for namespace in ("http://www.w3.org/ns/org#", PROV, DCTERMS, SKOS, FOAF, "http://www.w3.org/2006/time#"):
        out.append(_t(dataset, VOID + "vocabulary", namespace))
    out += [_t(dataset, VOID + "dataDump", url) for url in dumps]
    if catalog.example:
        out.append(_t(dataset, VOID + "exampleResource", catalog.example))
    for index, graph in enumerate(catalog.graphs, start=1):
        subset = f"{doc}#graph-{index}"
        out += [_t(dataset, VOID + "subset", subset), _t(subset, RDF + "type", VOID + "Dataset"),
                _t(subset, SD + "name", graph), _t(subset, VOID + "triples", _int(catalog.triples[graph])),
                _t(subset, DCTERMS + "title", ox.Literal(catalog.titles[graph]))]
    return out


__all__ = ["Catalog", "Description", "Ontology", "RDF_CONTENT_TYPES", "choose_rdf", "describe",
           "entity_page", "iri_for_path", "negotiate", "ontology_page", "read_catalog", "serialize",
           "service_description", "void_description"]
