"""The graph as pictures see it: four networkx projections of the store.

The store answers "which facts say what, and where"; a picture needs "who is linked to whom". Each
projection runs its `queries/viz-*.rq` query (edges, one row per fact and evidence paragraph) and
`queries/viz-nodes.rq` (names, types and dates of whatever the edges touch), and folds the rows
into a `networkx.MultiDiGraph`: one node per IRI, one edge per fact and kind, so that "UNODC and IOM
signed an agreement" and "UNODC and IOM run a joint programme in Rwanda" stay two edges.

Every node carries `label` (short, for the canvas), `name` (full), `type` (the legend group),
`date`, `aliases`, `link` and `details`; every edge `kind` (machine name, what `--kinds` filters),
`label` (what a person reads), `date`, `detail` and `evidence` (document, paragraph, quote). The
graph itself carries `title`, `description`, `layout` ("force", "timeline" or "rings" around
`hub_types`) and `menu_types` (which node types the page offers in its selection menu). Nothing here
knows about HTML.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

import networkx as nx

from ..sparql import Table, run_canned
from ..store import resolve

UKG = "https://w3id.org/untoc-kg/ontology#"
ID = "https://w3id.org/untoc-kg/id/"

# The most specific class wins: a body typed ukg:Body and ukg:UNEntity is a UN entity.
TYPE_OF_CLASS: list[tuple[str, str]] = [
    ("ConferenceOfParties", "Conference of the Parties"),
    ("WorkingGroup", "working group"),
    ("UNEntity", "UN entity"),
    ("IntergovernmentalOrganization", "intergovernmental organization"),
    ("InterAgencyMechanism", "inter-agency mechanism"),
    ("NonGovernmentalOrganization", "non-governmental organization"),
    ("Body", "other body"),
    ("State", "State"),
    ("DraftAct", "draft"),
    ("Decision", "decision"),
    ("Resolution", "resolution"),
    ("Act", "act"),
    ("Meeting", "meeting"),
    ("Document", "document"),
    ("Convention", "instrument"),
    ("Protocol", "instrument"),
    ("Instrument", "instrument"),
]

LANDSCAPE_KINDS = {
    "agreement": "agreement",
    "joint-programme": "joint programme",
    "coordinates": "coordinates",
    "chairs": "chairs",
    "manages": "manages",
    "member": "member of",
    "partner": "partner of",
    "co-observer": "observers at the same meeting",
}
LINEAGE_KINDS = {
    "Establishment": "established",
    "Continuation": "continued",
    "Extension": "extended",
    "Modification": "modified",
    "Termination": "terminated",
    "Request": "requested",
    "Fulfilment": "reported",
    "Proposal": "proposed",
    "recalls": "recalls",
    "adopted-at": "adopted at",
    "adopted-by": "adopted by",
    "submitted-for": "submitted for",
    "session-of": "session of",
}
PARTICIPATION_KINDS = {
    "StateParty": "State party",
    "Signatory": "signatory",
    "ObserverState": "observer State",
    "NonMemberObserverState": "non-member observer State",
    "RegionalOrganizationParty": "regional organization party",
    "UNEntityObserver": "UN entity observer",
    "IntergovernmentalObserver": "intergovernmental observer",
    "OtherObserver": "other observer",
}
CITATION_KINDS = {"references": "references", "recalls": "recalls", "pursuant-to": "prepared pursuant to"}

_DOCUMENT_KINDS = {"draft-decision": "Draft decision", "draft-resolution": "Draft resolution",
                   "background-paper": "Background paper", "report": "Report", "note": "Note"}


class VizError(ValueError):
    """An option the projection cannot honour (an unknown kind, a name no node has); says what to give."""


@dataclass(frozen=True)
class Options:
    """What part of a projection to show: a neighbourhood, some kinds of edge, some years.

    A date range keeps the facts dated within it, and the undated ones: a tie the documents give no
    date for is not known to fall outside the range.
    """

    focus: str | None = None
    depth: int = 1
    kinds: frozenset[str] | None = None
    date_from: int | None = None
    date_to: int | None = None

    def keeps_date(self, value: str | None) -> bool:
        year = _year(value)
        if year is None:
            return True
        if self.date_from is not None and year < self.date_from:
            return False
        return self.date_to is None or year <= self.date_to


@dataclass
class Evidence:
    document: str
    document_label: str
    paragraph: str
    number: str
    quote: str

    def as_dict(self) -> dict:
        return {"document": self.document, "document_label": self.document_label,
                "paragraph": self.paragraph, "number": self.number, "quote": self.quote}


@dataclass
class _Edge:
    source: str
    target: str
    kind: str
    fact: str = ""
    detail: str = ""
    date: str = ""
    until: str = ""
    places: list[str] = field(default_factory=list)
    evidence: list[Evidence] = field(default_factory=list)


# ---------------------------------------------------------------------------------------------
# Nodes


def _value(term) -> str:
    return "" if term is None else term.value


def _year(value: str | None) -> int | None:
    match = re.match(r"^(\d{4})", value or "")
    return int(match.group(1)) if match else None


def _local(iri: str) -> str:
    return re.split(r"[#/]", iri)[-1]


def _prefixed(iri: str) -> str:
    return "id:" + iri[len(ID):] if iri.startswith(ID) else iri


def _short_name(pref: str, labels: list[str], aliases: list[str]) -> str:
    """An acronym when there is one (UNODC, ICAT), else the name, shortened past 40 characters."""
    acronyms = sorted((a for a in aliases if re.fullmatch(r"[A-Z][A-Za-z.\-]{1,11}", a) and
                       sum(c.isupper() for c in a) >= 2), key=lambda a: (len(a), a))
    if acronyms:
        return acronyms[0]
    name = pref or (max(labels, key=len) if labels else "")
    if len(name) > 40:
        shorter = sorted((a for a in aliases if 3 <= len(a) < len(name)), key=lambda a: (len(a), a))
        if shorter and len(shorter[0]) <= 40:
            return shorter[0]
        return name[:39].rstrip() + "…"
    return name


def node_table(store) -> dict[str, dict]:
    """Every nameable node's attributes, read once for all projections."""
    facets: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    table = run_canned(store, "viz-nodes")
    for row in table.rows:
        node, facet, value = (_value(t) for t in row)
        facets[node][facet].append(value)
    return {iri: _node_attributes(iri, f) for iri, f in facets.items()}


def _node_attributes(iri: str, f: dict[str, list[str]]) -> dict:
    classes = {_local(c) for c in f.get("class", [])}
    kind = next((name for cls, name in TYPE_OF_CLASS if cls in classes), "other")
    pref = min(f.get("prefLabel", []), key=len, default="")
    labels = sorted(set(f.get("label", [])))
    aliases = sorted(set(f.get("alias", [])) - {pref})
    symbol = min(f.get("symbol", []), default="")
    title = min(f.get("title", []), key=len, default="")
    date = min(f.get("date", []), default="") or min(f.get("meetingDate", []), default="")
    number = min(f.get("number", []), default="")
    doc_kind = min(f.get("documentKind", []), default="")
    links = sorted(v for v in f.get("link", []) if v.startswith(("https://", "http://")))
    # prefer the document's own page (undocs.org) over our own IRIs
    link = next((v for v in links if not v.startswith(ID)), links[0] if links else "")
    if kind == "document":
        if symbol:
            label = symbol
        elif doc_kind:
            label = f"{_DOCUMENT_KINDS.get(doc_kind, doc_kind.replace('-', ' ').capitalize())}" + \
                    (f" ({date})" if date else "")
        else:
            label = _short_name(title, labels, [])
        name = title or label
    elif kind == "meeting":
        name = max(labels, key=len) if labels else _meeting_name(iri)
        label = _meeting_label(iri, name, number)
    elif kind in ("decision", "resolution", "act"):
        name = labels[0] if labels else _local(iri)
        label = name.replace("General Assembly", "GA").replace("Conference ", "COP ", 1)
    elif kind == "draft":
        name = max(labels, key=len) if labels else "Draft"
        label = "Draft " + (f"({date})" if date else _local(iri))
    else:
        name = pref or (max(labels, key=len) if labels else _local(iri))
        label = _short_name(pref, labels, aliases)
    details = []
    if name != label:
        details.append(name)
    if symbol and symbol != label:
        details.append(symbol)
    if title and title not in (name, label):
        details.append(title)
    if number and kind != "meeting":
        details.append(f"number {number}")
    return {"label": label or _local(iri), "name": name or label, "type": kind, "date": date,
            "aliases": aliases, "link": link, "details": details, "iri": iri}


def _meeting_name(iri: str) -> str:
    body, _, start = iri[len(ID) + len("meeting/"):].partition("/")
    return f"Meeting of {body} starting {start}"


def _meeting_label(iri: str, name: str, number: str) -> str:
    """"COP 5 (2010)", "WG TIP 2013-11-06": the body's short name and the session or its date."""
    body, _, start = iri[len(ID) + len("meeting/"):].partition("/")
    short = {"untoc-cop": "COP", "wg-tip": "WG TIP", "wg-som": "WG SOM", "wg-firearms": "WG Firearms",
             "wg-ic": "WG IC", "wg-ta": "WG TA", "untoc-cop-bureau": "COP Bureau"}.get(body, body)
    if not start:
        return name
    return f"{short} {number} ({start[:4]})" if number else f"{short} {start}"


def _fallback_node(iri: str) -> dict:
    return {"label": _local(iri), "name": _prefixed(iri), "type": "other", "date": "", "aliases": [],
            "link": "", "details": [], "iri": iri}


# ---------------------------------------------------------------------------------------------
# Edges


def _edges(table: Table, nodes: dict[str, dict], kinds: dict[str, str], options: Options,
           key: Callable[[dict], tuple] | None = None) -> list[_Edge]:
    """Fold rows (one per fact, paragraph, place) into edges, dropping those the options exclude."""
    wanted = _check_kinds(options.kinds, kinds)
    edges: dict[tuple, _Edge] = {}
    for row in table.records():
        values = {k: _value(v) for k, v in row.items()}
        kind = values.get("kind", "")
        if kind not in kinds or (wanted is not None and kind not in wanted):
            continue
        document = values.get("document", "")
        date = values.get("date", "") or nodes.get(document, {}).get("date", "")
        if not options.keeps_date(date):
            continue
        k = key(values) if key else (values.get("fact", ""), kind, values["source"], values["target"])
        edge = edges.get(k)
        if edge is None:
            edge = edges[k] = _Edge(values["source"], values["target"], kind, values.get("fact", ""),
                                    values.get("detail", ""), values.get("date", ""), values.get("until", ""))
        place = values.get("place", "")
        if place and place not in edge.places:
            edge.places.append(place)
        if values.get("paragraph"):
            ev = Evidence(document, nodes.get(document, {}).get("label", _prefixed(document)),
                          values["paragraph"], values.get("number", ""), values.get("quote", ""))
            if ev not in edge.evidence:
                edge.evidence.append(ev)
    return list(edges.values())


def _check_kinds(given: Iterable[str] | None, known: dict[str, str]) -> set[str] | None:
    if given is None:
        return None
    by_name = {k.lower(): k for k in known} | {v.lower(): k for k, v in known.items()}
    wanted, unknown = set(), []
    for kind in given:
        match = by_name.get(kind.strip().lower())
        if match is None:
            unknown.append(kind)
        else:
            wanted.add(match)
    if unknown:
        names = ", ".join(k if k == v or " " in v else f"{v} ({k})" for k, v in known.items())
        raise VizError(f"unknown edge kind {', '.join(map(repr, unknown))}; this picture has: {names}")
    return wanted


def _graph(edges: list[_Edge], nodes: dict[str, dict], kinds: dict[str, str], options: Options,
           describe: Callable[[_Edge, dict[str, dict]], str], **attrs) -> nx.MultiDiGraph:
    graph = nx.MultiDiGraph(**attrs)
    graph.graph["kinds"] = dict(kinds)
    for edge in edges:
        for end in (edge.source, edge.target):
            if end not in graph:
                graph.add_node(end, **(nodes.get(end) or _fallback_node(end)))
        graph.add_edge(edge.source, edge.target, key=f"{edge.kind} {edge.fact}".strip(),
                       kind=edge.kind, label=kinds[edge.kind], fact=edge.fact, date=edge.date,
                       until=edge.until, detail=describe(edge, nodes),
                       evidence=[ev.as_dict() for ev in edge.evidence])
    return _focus(graph, options)


def _focus(graph: nx.MultiDiGraph, options: Options) -> nx.MultiDiGraph:
    if not options.focus:
        return graph
    if options.depth < 0:
        raise VizError("--depth must be 0 or more")
    centre = find_node(graph, options.focus)
    keep = nx.single_source_shortest_path_length(graph.to_undirected(as_view=True), centre,
                                                 cutoff=options.depth)
    sub = graph.subgraph(keep).copy()
    sub.graph["focus"] = centre
    return sub


def find_node(graph: nx.Graph, name: str) -> str:
    """The node a person means by `name`: its IRI, id:…, slug, label, full name or any alias.

    Case aside; an exact match first, else the only node whose names contain it.
    """
    wanted = name.strip().lower()
    if not wanted:
        raise VizError("--focus needs a name")
    exact, partial = [], []
    for node, data in graph.nodes(data=True):
        names = {node.lower(), _prefixed(node).lower(), _local(node).lower(),
                 str(data.get("label", "")).lower(), str(data.get("name", "")).lower(),
                 *(a.lower() for a in data.get("aliases", []))}
        if wanted in names:
            exact.append(node)
        elif any(wanted in n for n in names):
            partial.append(node)
    if len(exact) == 1:
        return exact[0]
    candidates = exact or partial
    if len(candidates) == 1:
        return candidates[0]
    if not candidates:
        raise VizError(f"nothing in this picture is named {name!r}; try a name from "
                       f"`untoc-kg metrics` for the same picture")
    listed = "; ".join(f"{graph.nodes[c].get('label')} ({_prefixed(c)})" for c in sorted(candidates)[:12])
    raise VizError(f"{name!r} could be {len(candidates)} nodes: {listed}; give one of these instead")


def _dates(edge: _Edge) -> str:
    if edge.date and edge.until:
        return f"{edge.date} to {edge.until}"
    return edge.date


def _evidence_lines(edge: _Edge) -> str:
    if not edge.evidence:
        return ""
    first = edge.evidence[0]
    more = f" (and {len(edge.evidence) - 1} more)" if len(edge.evidence) > 1 else ""
    return f"paragraph {first.number or '?'} of {first.document_label}{more}"


# ---------------------------------------------------------------------------------------------
# The four projections


def landscape(store=None, focus: str | None = None, depth: int = 1, kinds: Iterable[str] | None = None,
              date_from: int | None = None, date_to: int | None = None) -> nx.MultiDiGraph:
    """Organizations and their ties: agreements, joint programmes, coordination, chairing,
    management, membership, partnership, and observers at the same meetings."""
    options = Options(focus, depth, frozenset(kinds) if kinds is not None else None, date_from, date_to)
    store = resolve(store)
    nodes = node_table(store)
    table = run_canned(store, "viz-landscape")
    edges = _edges(table, nodes, LANDSCAPE_KINDS, options,
                   key=lambda v: (v["kind"], v["source"], v["target"]) if v["kind"] == "co-observer"
                   else (v["fact"], v["kind"], v["source"], v["target"]))
    _merge_meetings(edges, table, nodes, options)

    def describe(edge: _Edge, nodes: dict) -> str:
        if edge.kind == "agreement":
            return (edge.detail or "agreement").replace("-", " ")
        if edge.kind == "joint-programme":
            return ", ".join(nodes.get(p, {}).get("name", p) for p in edge.places)
        if edge.kind == "co-observer":
            return ", ".join(nodes.get(m, {}).get("label", _prefixed(m)) for m in edge.places)
        return ""

    return _graph(edges, nodes, LANDSCAPE_KINDS, options, describe, kind="landscape",
                  title="Who works with whom against trafficking: the inter-agency landscape",
                  description="Organizations named in the documents, sized by their ties and coloured by "
                              "type; each edge is an agreement, a joint programme, a coordinating, "
                              "chairing, managing, membership or partnership tie, or two observers at "
                              "the same meeting. Hover over an edge for its date and evidence.",
                  layout="force", menu_types=[])


def _merge_meetings(edges: list[_Edge], table: Table, nodes: dict, options: Options) -> None:
    """A co-observer edge stands for every meeting the two attended together: list them."""
    meetings: dict[tuple[str, str], list[str]] = defaultdict(list)
    for row in table.records():
        if _value(row["kind"]) == "co-observer" and options.keeps_date(_value(row["date"])):
            pair = (_value(row["source"]), _value(row["target"]))
            if _value(row["fact"]) not in meetings[pair]:
                meetings[pair].append(_value(row["fact"]))
    for edge in edges:
        if edge.kind == "co-observer":
            edge.places = meetings[(edge.source, edge.target)]
            edge.fact = ""
            dates = sorted(nodes.get(m, {}).get("date", "") for m in edge.places)
            edge.date = dates[0] if dates else ""
            edge.until = dates[-1] if len(dates) > 1 else ""


def lineage(store=None, focus: str | None = None, depth: int = 1, kinds: Iterable[str] | None = None,
            date_from: int | None = None, date_to: int | None = None) -> nx.MultiDiGraph:
    """Acts, drafts, sessions and bodies on a time axis: which act established, continued or
    requested what of which body, and what each act or draft recalls."""
    options = Options(focus, depth, frozenset(kinds) if kinds is not None else None, date_from, date_to)
    store = resolve(store)
    nodes = node_table(store)
    # one edge per act, body and kind: a draft proposing three tasks to the Secretariat is one arrow
    edges = _edges(run_canned(store, "viz-lineage"), nodes, LINEAGE_KINDS, options,
                   key=lambda v: (v["kind"], v["source"], v["target"]))
    return _graph(edges, nodes, LINEAGE_KINDS, options, lambda e, n: e.detail, kind="lineage",
                  title="Mandate lineage: acts, sessions and bodies over time",
                  description="Each act or draft sits at its date; edges say which body's mandate it "
                              "established, continued, extended, requested or proposed, what it recalls, "
                              "and the session that adopted it. Click an edge for the paragraph that says so.",
                  layout="timeline", menu_types=["working group", "Conference of the Parties", "other body",
                                                 "UN entity"])


def participation(store=None, focus: str | None = None, depth: int = 1, kinds: Iterable[str] | None = None,
                  date_from: int | None = None, date_to: int | None = None) -> nx.MultiDiGraph:
    """States and organizations and the meetings they attended, by capacity (State party,
    signatory, observer...)."""
    options = Options(focus, depth, frozenset(kinds) if kinds is not None else None, date_from, date_to)
    store = resolve(store)
    nodes = node_table(store)
    edges = _edges(run_canned(store, "viz-participation"), nodes, PARTICIPATION_KINDS, options)
    graph = _graph(edges, nodes, PARTICIPATION_KINDS, options, lambda e, n: "", kind="participation",
                   title="Who attended which meeting, and in what capacity",
                   description="Meetings and the States and organizations that took part, coloured by "
                               "capacity. Choose a meeting in the menu to see only its participants.",
                   layout="rings", hub_types=["meeting"], menu_types=["meeting"])
    # a participant's colour is its capacity (the most frequent one when it attended several meetings)
    capacities: dict[str, Counter] = defaultdict(Counter)
    for source, _, data in graph.edges(data=True):
        capacities[source][data["label"]] += 1
    for node, counts in capacities.items():
        graph.nodes[node]["entity_type"] = graph.nodes[node]["type"]
        graph.nodes[node]["type"] = counts.most_common(1)[0][0]
    return graph


def citations(store=None, focus: str | None = None, depth: int = 1, kinds: Iterable[str] | None = None,
              date_from: int | None = None, date_to: int | None = None) -> nx.MultiDiGraph:
    """Documents and what they cite: acts, other documents, instruments."""
    options = Options(focus, depth, frozenset(kinds) if kinds is not None else None, date_from, date_to)
    store = resolve(store)
    nodes = node_table(store)
    edges = _edges(run_canned(store, "viz-citations"), nodes, CITATION_KINDS, options,
                   key=lambda v: (v["kind"], v["source"], v["target"]))

    def describe(edge: _Edge, nodes: dict) -> str:
        numbers = [ev.number for ev in edge.evidence if ev.number]
        return ("paragraphs " if len(numbers) > 1 else "paragraph ") + ", ".join(numbers) if numbers else ""

    return _graph(edges, nodes, CITATION_KINDS, options, describe, kind="citations",
                  title="Citations: documents and what they reference",
                  description="Each arrow goes from a document to an act, a document or an instrument it "
                              "cites; click it for the citing paragraphs.",
                  layout="force", menu_types=["document"])


PROJECTIONS: dict[str, Callable[..., nx.MultiDiGraph]] = {
    "landscape": landscape, "lineage": lineage, "participation": participation, "citations": citations,
}
KINDS: dict[str, dict[str, str]] = {"landscape": LANDSCAPE_KINDS, "lineage": LINEAGE_KINDS,
                                    "participation": PARTICIPATION_KINDS, "citations": CITATION_KINDS}


def project(kind: str, store=None, **options) -> nx.MultiDiGraph:
    """One projection by name, so the CLI and notebooks share one entry point."""
    if kind not in PROJECTIONS:
        raise VizError(f"no picture called {kind!r}; choose one of {', '.join(PROJECTIONS)}")
    return PROJECTIONS[kind](store, **options)


__all__ = ["KINDS", "Options", "PROJECTIONS", "VizError", "citations", "find_node", "landscape", "lineage",
           "node_table", "participation", "project"]
