"""A resource's HTML page: what a reader asks first, then every fact once, with all its sources.

- An act's page opens with its number, title, date, the body and session that adopted it, its
  status (in force; superseded or terminated by a later act on the same mandate, from
  `queries/act-status.rq`) and a link to its text on undocs.org where its document's symbol is known.
- A document's page opens with its symbol, title, date and the undocs.org link.
- A body's page opens with its mandate history (`queries/lineage.rq`): each act that established,
  continued, extended, modified or terminated its mandate, in date order, with the session and the
  paragraphs that say so.
- Facts that several documents state identically are shown once, followed by the numbers of all
  the sources that state them; the evidence paragraphs follow, by source.
- Links to the resource (recommendations it adopted, meetings it held) are listed by name (a
  meeting or a recommendation gets one from its facts, `names.py`), dated ones by date, numbers as
  numbers.

The two SPARQL queries are bound to this one resource, so they are small; they run in the server's
own read-only store like the index scans of `linked_data.py`.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

import pyoxigraph as ox

from ..vocab import ID_BASE
from .linked_data import (DERIVED_FROM, INCOMING_LIMIT, PARAGRAPH_NUMBER, PARAGRAPH_TEXT, RDF_TYPE,
                          SHOWN_PER_PREDICATE, UKG, Catalog, Description, Labeller, _anchor, _evidence,
                          _fragment_key, _term)
from .names import date_range, sort_key
from .pages import Markup, h, link, page

DCTERMS = "http://purl.org/dc/terms/"
RDFS_SEE_ALSO = ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#seeAlso")
UNDOCS = "https://undocs.org/"
MANDATE_EVENTS = ("Establishment", "Continuation", "Extension", "Modification", "Termination")


def _objects(store: ox.Store, term: ox.NamedNode, predicate: str, graphs: frozenset[str]) -> list:
    out = []
    for quad in store.quads_for_pattern(term, ox.NamedNode(predicate), None):
        if isinstance(quad.graph_name, ox.NamedNode) and quad.graph_name.value in graphs and quad.object not in out:
            out.append(quad.object)
    return sorted(out, key=lambda o: (getattr(o, "language", None) not in (None, "en"), str(o)))


def _first(store, term, predicate, graphs) -> str | None:
    values = _objects(store, term, predicate, graphs)
    return values[0].value if values else None


def _query(store: ox.Store, name: str, **bound: ox.NamedNode) -> list[dict]:
    from ..sparql import load_query
    from ..store import query

    canned = load_query(name)
    rows = query(store, canned.text, substitutions={ox.Variable(k): v for k, v in bound.items()})
    return [{var.value: row[var] for var in rows.variables if row[var] is not None} for row in rows]


def undocs_link(symbol: str) -> Markup:
    """The document's text at undocs.org, the UN's resolver from symbol to the Official Document System."""
    return h("a", {"href": UNDOCS + symbol, "rel": "noopener noreferrer", "class": "undocs"},
             f"{symbol} on undocs.org")


def _row(name: str, *value) -> list[Markup]:
    return [h("dt", None, name), h("dd", None, *value)]


# ---------------------------------------------------------------------------------------------
# What a reader asks first


def act_status(store: ox.Store, act: ox.NamedNode, labeller: Labeller) -> Markup | None:
    rows = _query(store, "act-status", act=act)
    if not rows:
        return None
    later_by_mandate: dict[str, list[dict]] = defaultdict(list)
    for row in rows:
        later_by_mandate.setdefault(row["mandate"].value, [])
        if "later" in row:
            later_by_mandate[row["mandate"].value].append(row)
    standing = [m for m, later in later_by_mandate.items() if not later]
    if standing:
        return h("span", {"class": "status in-force"}, "in force",
                 h("span", {"class": "muted"}, " (no later act on its mandate in the graph)"))
    firsts = [later[0] for later in later_by_mandate.values()]
    verb = "terminated" if all(r["laterType"].value.endswith("#Termination") for r in firsts) else "superseded"
    acts = list(dict.fromkeys(r["later"].value for r in firsts))
    return h("span", {"class": f"status {verb}"}, f"{verb} by ",
             [[link(a, labeller.label(ox.NamedNode(a)) or labeller.short(a)), ", " if i < len(acts) - 1 else None]
              for i, a in enumerate(acts)])


def _literal_rows(store: ox.Store, node: ox.NamedNode, graphs: frozenset[str], fields) -> list:
    """A summary's plain rows: (name, predicate, is a date) for each value the resource has."""
    rows: list = []
    for name, predicate, is_date in fields:
        value = _first(store, node, predicate, graphs)
        if value:
            rows += _row(name, (date_range(value) or value) if is_date else value)
    return rows


def act_summary(store: ox.Store, node: ox.NamedNode, labeller: Labeller, graphs: frozenset[str]) -> Markup:
    rows = _literal_rows(store, node, graphs, [("Number", UKG + "actNumber", False),
                                               ("Title", DCTERMS + "title", False), ("Date", DCTERMS + "date", True)])
    for body in _objects(store, node, UKG + "adoptedBy", graphs):
        rows += _row("Adopted by", _term(body, labeller))
    meetings = _objects(store, node, UKG + "adoptedAt", graphs)
    held = _first(store, node, UKG + "adoptionMeeting", graphs)
    if meetings or held:
        parts = [_term(m, labeller) for m in meetings] + ([held] if held else [])
        rows += _row("Session", [[p, "; " if i < len(parts) - 1 else None] for i, p in enumerate(parts)])
    status = act_status(store, node, labeller)
    rows += _row("Status", status if status is not None else
                 h("span", {"class": "muted"}, "not stated: the graph holds no mandate this act acted on"))
    documents = [d for d in _objects(store, node, RDFS_SEE_ALSO.value, graphs) if isinstance(d, ox.NamedNode)]
    symbols = sorted({s.value for d in documents for s in _objects(store, d, UKG + "symbol", graphs)})
    if symbols or documents:
        rows += _row("Text", [[undocs_link(s), " "] for s in symbols],
                     [[" ", _term(d, labeller)] for d in documents])
    return h("dl", {"class": "summary"}, rows)


def document_summary(store: ox.Store, node: ox.NamedNode, labeller: Labeller, graphs: frozenset[str]) -> Markup:
    rows = _literal_rows(store, node, graphs, [("Symbol", UKG + "symbol", False), ("Title", DCTERMS + "title", False),
                                               ("Date", DCTERMS + "issued", True)])
    symbol = _first(store, node, UKG + "symbol", graphs)
    if symbol:
        rows += _row("Text", undocs_link(symbol))
    return h("dl", {"class": "summary"}, rows)


def mandate_history(store: ox.Store, body: ox.NamedNode, labeller: Labeller) -> Markup:
    rows = _query(store, "lineage", body=body)
    steps: dict[tuple, dict] = {}
    for row in rows:
        key = (row.get("date") and row["date"].value, row["type"].value, row["act"].value)
        step = steps.setdefault(key, {"row": row, "sources": {}})
        paragraph = row.get("paragraph")
        if paragraph is not None:
            where = row.get("symbol") or row.get("title")
            number = row.get("number")
            text = (f"¶ {number.value}" if number else "¶") + (f", {where.value}" if where else "")
            step["sources"].setdefault(paragraph.value, text)
    if not steps:
        return h("p", {"class": "muted", "id": "mandate-history"},
                 "No act in the graph establishes, continues or changes this body's mandate.")
    body_rows = []
    for (date, _type, act), step in steps.items():
        row = step["row"]
        event = labeller.label(row["type"]) or labeller.short(row["type"].value)
        body_rows.append(h("tr", None,
                           h("td", None, date_range(date) if date else "undated"),
                           h("td", None, event),
                           h("td", None, _term(row["act"], labeller)),
                           h("td", None, _term(row["meeting"], labeller) if "meeting" in row else ""),
                           h("td", None, [[link(p, text), h("br")] for p, text in step["sources"].items()])))
    head = h("tr", None, [h("th", {"scope": "col"}, c) for c in ("Date", "What", "Act", "Session", "Said in")])
    return h("table", {"class": "history", "id": "mandate-history"}, h("thead", None, head),
             h("tbody", None, body_rows))


# ---------------------------------------------------------------------------------------------
# Every fact once, with all its sources


def _source_order(graph: str) -> tuple:
    return (graph.startswith(ID_BASE + "graph/"), graph)


def merged_facts(quads: Sequence[ox.Quad], sources: dict[str, int], labeller: Labeller,
                 skip: frozenset = frozenset()) -> Markup:
    by_predicate: dict[ox.NamedNode, dict] = defaultdict(dict)
    for quad in quads:
        if quad.predicate in skip:
            continue
        by_predicate[quad.predicate].setdefault(quad.object, set()).add(quad.graph_name.value)
    rows = []
    for predicate in sorted(by_predicate, key=lambda p: (p != RDF_TYPE, labeller.short(p.value))):
        values = by_predicate[predicate]
        rows.append(h("dt", None, link(predicate.value, labeller.label(predicate) or labeller.short(predicate.value))))
        items = []
        for value in sorted(values, key=lambda v: sort_key(labeller.label(v) or str(v.value))):
            refs = sorted(sources[g] for g in values[value] if g in sources)
            items.append(h("div", {"class": "value"}, _term(value, labeller), " ",
                           h("span", {"class": "sources", "title": f"stated by {len(refs)} source(s)"},
                             [h("a", {"href": f"#source-{n}", "class": "ref"}, f"[{n}]") for n in refs])))
        rows.append(h("dd", None, items))
    return h("dl", {"class": "facts"}, rows)


def entity_page(store: ox.Store, description: Description, catalog: Catalog,
                ontology: ox.Store | None = None) -> bytes:
    graphs = catalog.graph_set
    labeller = Labeller(store, graphs, ontology)
    node = ox.NamedNode(description.iri)
    title = labeller.label(node) or labeller.short(description.iri)
    types = sorted({q.object.value for q in description.outgoing if q.predicate == RDF_TYPE})
    path = "/id/" + description.iri[len(ID_BASE):]
    formats = [h("a", {"href": f"{path}?format={key}"}, name) for key, name in
               (("ttl", "Turtle"), ("jsonld", "JSON-LD"), ("nt", "N-Triples"), ("rdfxml", "RDF/XML"),
                ("trig", "TriG (with graphs)"))]
    head = [
        h("h1", None, title),
        h("p", {"class": "iri"}, description.iri),
        h("p", {"class": "types"}, [link(t, labeller.label(ox.NamedNode(t)) or labeller.short(t)) for t in types]),
        h("p", {"class": "muted"}, "This resource as ", [[f, " · " if i < len(formats) - 1 else None]
                                                          for i, f in enumerate(formats)]),
    ]
    sections: list = []
    if UKG + "Act" in types:
        sections.append(act_summary(store, node, labeller, graphs))
    elif UKG + "Document" in types:
        sections.append(document_summary(store, node, labeller, graphs))
    if UKG + "Body" in types:
        sections += [h("h2", None, "Mandate history"), mandate_history(store, node, labeller)]

    graph_list = sorted({q.graph_name.value for q in description.outgoing} |
                        {q.graph_name.value for quads in description.fragments.values() for q in quads},
                        key=_source_order)
    sources = {g: i for i, g in enumerate(graph_list, start=1)}
    if graph_list:
        sections += [h("h2", None, "Facts"),
                     h("p", {"class": "muted"}, "Each fact once; the numbers after it are the sources that state it."),
                     merged_facts(description.outgoing, sources, labeller, skip=frozenset([DERIVED_FROM]))]
        source_items = []
        for graph in graph_list:
            graph_node = ox.NamedNode(graph)
            paragraphs = sorted({q.object for q in description.outgoing if q.graph_name == graph_node
                                 and q.predicate == DERIVED_FROM and isinstance(q.object, ox.NamedNode)},
                                key=lambda p: _fragment_key(p.value) if "#" in p.value else (9, p.value))
            source_items.append(h("li", {"id": f"source-{sources[graph]}", "value": str(sources[graph])},
                                  link(graph, catalog.titles.get(graph, graph)),
                                  _evidence(store, paragraphs, graph_node) if paragraphs else
                                  h("span", {"class": "muted"}, " (no paragraph recorded: reference data, or "
                                                                "facts about the document itself)")))
        sections += [h("h2", None, "Sources and evidence"), h("ol", {"class": "sources"}, source_items)]

    if description.fragments:
        parts = [h("h2", None, f"Parts of this resource ({len(description.fragments)})")]
        for fragment in sorted(description.fragments, key=_fragment_key):
            quads = description.fragments[fragment]
            text = next((q.object.value for q in quads if q.predicate == PARAGRAPH_TEXT
                         and getattr(q.object, "language", None) in (None, "en")), None)
            number = next((q.object.value for q in quads if q.predicate == PARAGRAPH_NUMBER), None)
            parts.append(h("section", {"class": "term", "id": _anchor(fragment)},
                           h("h3", None, link(fragment, f"¶ {number}" if number else "#" + _anchor(fragment))),
                           h("blockquote", {"class": "evidence"}, text) if text else None,
                           merged_facts(quads, sources, labeller, skip=frozenset([PARAGRAPH_TEXT, PARAGRAPH_NUMBER]))))
        sections.append(Markup("".join(parts)))
    if description.incoming:
        sections.append(_incoming(store, description, labeller, graphs))
    return page(title, *head, *sections)


def _incoming(store: ox.Store, description: Description, labeller: Labeller, graphs: frozenset[str]) -> Markup:
    by_predicate: dict[ox.NamedNode, list] = defaultdict(list)
    for quad in description.incoming:
        if quad.subject not in by_predicate[quad.predicate]:
            by_predicate[quad.predicate].append(quad.subject)
    items = []
    for predicate in sorted(by_predicate, key=lambda p: labeller.short(p.value)):
        subjects = by_predicate[predicate]

        def key(subject):
            date = None
            if isinstance(subject, ox.NamedNode):
                date = (_first(store, subject, UKG + "startDate", graphs) or
                        _first(store, subject, DCTERMS + "date", graphs))
            return sort_key(labeller.label(subject) or str(subject.value), date)

        ordered = sorted(subjects, key=key)
        shown = ordered[:SHOWN_PER_PREDICATE]
        more = len(subjects) - len(shown)
        name = labeller.label(predicate) or labeller.short(predicate.value)
        items.append(h("dt", None, link(predicate.value, name), " of"))
        listed = h("ul", {"class": "compact"}, [h("li", None, _term(s, labeller)) for s in shown])
        items.append(h("dd", None, listed, h("span", {"class": "muted"}, f"and {more} more") if more else None))
    note = h("p", {"class": "muted"}, f"Only the first {INCOMING_LIMIT} links are shown; query the "
                                      "endpoint for all of them.") if description.incoming_cut else None
    return Markup(h("h2", None, "Referenced by") + h("dl", {"class": "facts"}, items) + (note or ""))


__all__ = ["act_status", "entity_page", "mandate_history", "merged_facts", "undocs_link"]
