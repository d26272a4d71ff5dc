"""The first canned question: which acts created a body's mandate and which continued or changed it;
with `everything`, also what acts asked of the body and what it delivered.

A name is resolved to one body by the `bodies-by-name` query (labels, slug or IRI), the lineage by
the `lineage` query; both take their value as a bound parameter. Rows (one per act and paragraph)
are grouped into steps (one per act and event type) that list every paragraph saying so.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field, replace

import pyoxigraph as ox

from .naming import Names
from .sparql import PREFIXES, QueryError, Table, load_query, run, to_iri
from .store import resolve


class NameNotResolved(QueryError):
    """The name did not designate exactly one body; `candidates` are (IRI, label) to choose from."""

    def __init__(self, message: str, candidates: list[tuple[str, str]]):
        super().__init__(message)
        self.candidates = candidates


class UnknownName(NameNotResolved):
    pass


class AmbiguousName(NameNotResolved):
    pass


@dataclass(frozen=True)
class Evidence:
    paragraph: str
    number: str | None
    text: str | None
    document: str | None
    symbol: str | None
    title: str | None
    source_file: str | None


@dataclass
class Step:
    event: str
    event_type: str  # local name: "Establishment", "Continuation", ...
    act: str
    act_number: str | None
    date: str | None
    adopted_by: str | None
    meeting: str | None
    meeting_date: str | None
    evidence: list[Evidence] = field(default_factory=list)
    kind: str | None = None  # local name of the mandate kind: "BodyMandate", "TaskMandate", ...
    what: str | None = None  # what the act asks or decides
    due_session: int | None = None
    due_date: str | None = None


@dataclass
class Lineage:
    body: str
    label: str
    steps: list[Step]
    table: Table  # the query's rows, for the machine-readable formats
    names: dict[str, Names] = field(default_factory=dict)  # what to call the IRIs the steps name
    everything: bool = False  # requests, fulfilments and proposals included


def _value(term) -> str | None:
    return None if term is None else term.value


def _looks_like_iri(name: str) -> bool:
    prefix, sep, rest = name.partition(":")
    return bool(sep) and (prefix in PREFIXES or rest.startswith("//"))


def resolve_body(store, name: str) -> tuple[str, str]:
    """One body for a name, or an error that lists the candidates."""
    wanted = to_iri(name).value if _looks_like_iri(name.strip()) else name.strip()
    canned = load_query("bodies-by-name")
    table = run(store, canned.text, {ox.Variable("name"): ox.Literal(wanted)})
    exact = [(r[0].value, _value(r[1]) or r[0].value) for r in table.rows if _value(r[2]) == "exact"]
    partial = [(r[0].value, _value(r[1]) or r[0].value) for r in table.rows if _value(r[2]) == "partial"]
    if len(exact) == 1:
        return exact[0]
    if len(exact) > 1:
        raise AmbiguousName(f"{name!r} names {len(exact)} bodies; give one of these instead:", exact)
    if not partial:
        loose, close = _loose_matches(store, wanted)
        if len(loose) == 1:
            return loose[0]
        if len(loose) > 1:
            raise AmbiguousName(f"{name!r} names {len(loose)} bodies; give one of these instead:", loose)
        if close:
            raise UnknownName(f"no body is named {name!r}; did you mean one of these?", close)
        everything = run(store, canned.text, {ox.Variable("name"): ox.Literal("")})
        partial = [(r[0].value, _value(r[1]) or r[0].value) for r in everything.rows]
        raise UnknownName(f"no body is named {name!r}; the bodies known are:", partial)
    raise UnknownName(f"no body is named {name!r}; did you mean one of these?", partial)


def squeeze(name: str) -> str:
    """A name with case, a leading "the", spaces and punctuation gone: "WG TIP", "wg-tip" -> "wgtip";
    "UNGIFT", "UN.GIFT", "un-gift" -> "ungift"; "the Secretariat" -> "secretariat"."""
    text = name.strip().lower()
    text = re.sub(r"^the\s+", "", text)
    return re.sub(r"[\W_]+", "", text)


def _loose_matches(store, wanted: str) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """Bodies whose name or slug equals `wanted` once squeezed (an abbreviation as the pictures write
    it), and, failing those, the bodies whose names are closest to it (a typo): at most five."""
    rows = run(store, load_query("body-names").text).records()
    shown = {r["body"].value: _value(r["label"]) or r["body"].value for r in rows}
    names: dict[str, set[str]] = {}
    for r in rows:
        body = r["body"].value
        names.setdefault(body, set()).add(r["name"].value)
        names[body].add(body.rsplit("/", 1)[-1])  # the slug
    key = squeeze(wanted)
    loose = sorted((b, shown[b]) for b, ns in names.items() if key and any(squeeze(n) == key for n in ns))
    if loose:
        return loose, []
    by_name = {n.lower(): b for b, ns in sorted(names.items()) for n in sorted(ns)}
    close = difflib.get_close_matches(wanted.strip().lower(), list(by_name), n=10, cutoff=0.75)
    bodies = list(dict.fromkeys(by_name[c] for c in close))[:5]
    return [], [(b, shown[b]) for b in bodies]


def _titles_in(store, documents: set[str], lang: str) -> dict[str, str]:
    """Each document's title in `lang`, where it has one (documents read from the UN's markup)."""
    canned = load_query("titles")
    out = {}
    for doc in sorted(documents):
        for row in run(store, canned.text, {ox.Variable("document"): ox.NamedNode(doc)}).records():
            if (row["language"].value or "").lower() == lang.lower():
                out[doc] = row["title"].value
    return out


def names_of(store, iris) -> dict[str, Names]:
    """What the graph says to name each IRI by (`queries/names.rq`), for text that shows names."""
    canned = load_query("names")
    out = {}
    for iri in sorted(set(iris)):
        rows = run(store, canned.text, {ox.Variable("thing"): ox.NamedNode(iri)}).records()
        row = rows[0] if rows else {}
        session = row.get("session")
        out[iri] = Names(iri, _value(row.get("label")), _value(row.get("symbol")), _value(row.get("issued")),
                         _value(row.get("documentKind")), _value(row.get("venue")), _value(row.get("startDate")),
                         _value(row.get("endDate")), int(session.value) if session is not None else None,
                         _value(row.get("body")), _value(row.get("meetingBody")))
    return out


def lineage(name: str, store=None, everything: bool = False, lang: str | None = None) -> Lineage:
    """The mandate lineage of the body `name` designates (a label, a slug such as wg-tip, an IRI);
    with `everything`, also the requests made of it, the reports it made pursuant to acts and the
    meetings and agenda items acts arranged for it.

    `lang` ("fr", "es", "ru", "ar", "zh"): documents' titles in that language where the graph has them
    (resolutions read from the UN's markup); others keep their English titles."""
    store = resolve(store)
    body, label = resolve_body(store, name)
    canned = load_query("lineage")
    bindings = {ox.Variable("body"): ox.NamedNode(body)}
    if everything:
        bindings[ox.Variable("all")] = ox.Literal(True)
    table = run(store, canned.text, bindings)
    steps: dict[tuple[str, str], Step] = {}
    for row in table.records():
        key = (row["event"].value, row["type"].value)
        step = steps.get(key)
        if step is None:
            step = steps[key] = Step(
                event=row["event"].value, event_type=row["type"].value.rsplit("#", 1)[-1],
                act=row["act"].value, act_number=_value(row["actNumber"]), date=_value(row["date"]),
                adopted_by=_value(row["adoptedBy"]), meeting=_value(row["meeting"]),
                meeting_date=_value(row["meetingDate"]),
                kind=row["kind"].value.rsplit("#", 1)[-1] if row["kind"] is not None else None,
                what=_value(row["what"]),
                due_session=int(row["dueSession"].value) if row["dueSession"] is not None else None,
                due_date=_value(row["dueDate"]))
        evidence = Evidence(row["paragraph"].value, _value(row["number"]), _value(row["text"]),
                            _value(row["document"]), _value(row["symbol"]), _value(row["title"]),
                            _value(row["sourceFile"]))
        if evidence not in step.evidence:
            step.evidence.append(evidence)
    if lang and lang.lower() != "en":
        documents = {e.document for step in steps.values() for e in step.evidence if e.document}
        titles = _titles_in(store, documents, lang)
        for step in steps.values():
            step.evidence = [replace(e, title=titles.get(e.document, e.title)) for e in step.evidence]
    named = {x for step in steps.values() for x in (step.adopted_by, step.meeting) if x}
    named |= {step.act for step in steps.values() if step.event_type == "Proposal"}
    named |= {e.document for step in steps.values() for e in step.evidence if e.document}
    return Lineage(body, label, list(steps.values()), table, names_of(store, named), everything)


__all__ = ["AmbiguousName", "Evidence", "Lineage", "Step", "UnknownName", "lineage", "names_of", "resolve_body"]
