"""Names for things the graph does not name: meetings, recommendations, other numbered items.

A meeting has a body, a session number, a venue and dates but no label; a recommendation has a
number and a topic. A page that lists them by IRI (`id:meeting/wg-tip/2013-11-06`,
`id:recommendation/sha256-…/12`) tells a reader nothing, so they are named the way UN documents
name them: "Working Group on Trafficking in Persons, Vienna, 6-8 November 2013";
"Conference of the Parties, fifth session, Vienna, 18-22 October 2010"; "Recommendation 12".

`sort_key` orders such names as a reader expects: dated things by date, numbers as numbers
("Recommendation 2" before "Recommendation 10").
"""

from __future__ import annotations

import re
from collections.abc import Callable

import pyoxigraph as ox

from ..vocab import ONTOLOGY_IRI

UKG = ONTOLOGY_IRI + "#"
RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December"]
ORDINALS = ["", "first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth",
            "eleventh", "twelfth", "thirteenth", "fourteenth", "fifteenth", "sixteenth", "seventeenth",
            "eighteenth", "nineteenth", "twentieth"]


def _date(value: str | None) -> tuple[int, int, int] | None:
    match = re.match(r"(\d{4})-(\d{2})-(\d{2})", value or "")
    return tuple(int(g) for g in match.groups()) if match else None  # type: ignore[return-value]


def date_range(start: str | None, end: str | None = None) -> str:
    """"8-17 October 2008", "30 November-2 December 2013", "6 November 2013", or ""."""
    a, b = _date(start), _date(end)
    if a is None:
        return ""
    if b is None or b == a:
        return f"{a[2]} {MONTHS[a[1] - 1]} {a[0]}"
    if a[:2] == b[:2]:
        return f"{a[2]}-{b[2]} {MONTHS[a[1] - 1]} {a[0]}"
    if a[0] == b[0]:
        return f"{a[2]} {MONTHS[a[1] - 1]}-{b[2]} {MONTHS[b[1] - 1]} {a[0]}"
    return f"{a[2]} {MONTHS[a[1] - 1]} {a[0]}-{b[2]} {MONTHS[b[1] - 1]} {b[0]}"


def ordinal(n: str | int) -> str:
    try:
        number = int(n)
    except (TypeError, ValueError):
        return str(n)
    return ORDINALS[number] if 0 < number < len(ORDINALS) else f"{number}th"


def _values(store: ox.Store, term: ox.NamedNode, predicate: str, graphs) -> list:
    out = []
    for quad in store.quads_for_pattern(term, ox.NamedNode(predicate), None):
        if graphs is None or (isinstance(quad.graph_name, ox.NamedNode) and quad.graph_name.value in graphs):
            if quad.object not in out:
                out.append(quad.object)
    return sorted(out, key=str)


def derived_label(store: ox.Store, term: ox.NamedNode, graphs, label_of: Callable[[ox.NamedNode], str | None]) -> str | None:
    """A name made from the resource's own facts, or None when it has none of the facts needed."""
    types = {t.value for t in _values(store, term, RDF_TYPE.value, graphs)}
    first = lambda p: next((v.value for v in _values(store, term, UKG + p, graphs)), None)  # noqa: E731
    if UKG + "Meeting" in types:
        body = next((label_of(v) for v in _values(store, term, UKG + "ofBody", graphs)
                     if isinstance(v, ox.NamedNode)), None)
        session = first("sessionNumber")
        parts = [body or "Meeting", f"{ordinal(session)} session" if session else None, first("venue"),
                 date_range(first("startDate"), first("endDate"))]
        return ", ".join(p for p in parts if p)
    number = first("number")
    if number is None:
        return None
    kind = next((label_of(ox.NamedNode(t)) for t in sorted(types) if t.startswith(UKG)), None)
    return f"{(kind or 'Item').capitalize()} {number}"


def sort_key(label: str, date: str | None = None) -> tuple:
    """Dated first by date, then by label with its numbers compared as numbers."""
    parts = tuple((0, int(p), "") if p.isdigit() else (1, 0, p.lower()) for p in re.split(r"(\d+)", label) if p)
    return (date is None, date or "", parts)


__all__ = ["date_range", "derived_label", "ordinal", "sort_key"]
