"""The reference data: the canonical instruments, bodies, Conference sessions and States.

Documents mention these entities; the reference graph (`kg.ids.REFERENCE_GRAPH`) is where they are
declared once, with every name they go by, so that a document graph only has to point at them. The
data comes from the gazetteer tables the loaders also use (`loaders/data/*.tsv`), from
`ontology/reference/sessions.tsv`, for the codes and names of countries and areas from ISO 3166-1 as
packaged by pycountry and, for which of them are States (the UN's 193 Member States with their dates
of admission and its two non-member observer States), from `ontology/reference/un_states.tsv`; every
other ISO 3166-1 entry is a `ukg:Territory`. Every mapping to an outside identifier carries a `dcterms:source` saying where
it came from.

The output is a sorted list of triples so that two builds give the same graph byte for byte.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from importlib.metadata import version
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Iterator

import pycountry
from rdflib import Literal, URIRef
from rdflib.namespace import DCTERMS, RDF, RDFS, SKOS, XSD
from rdflib.term import Node

import loaders
from loaders.facts import MeetingKey

from . import ids
from .resources import ontology_dir
from .vocab import ORG, UKG

__all__ = ["reference_triples", "cop_sessions", "un_states"]

Triple = tuple[URIRef, URIRef, Node]

# The classes a row of bodies.tsv may name, each with the chain of ukg: classes above it up to ukg:Body.
# A body is typed with the whole chain, so that a query for ukg:UNEntity finds a ukg:FunctionalCommission
# without RDFS inference; tests/test_gazetteer_landscape.py checks this table against ontology/untoc.ttl.
_BODY_CLASSES: dict[str, tuple[str, ...]] = {
    "Body": (),
    "ConferenceOfParties": ("Body",),
    "WorkingGroup": ("Body",),
    "UNEntity": ("Body",),
    "IntergovernmentalOrganization": ("Body",),
    "InterAgencyMechanism": ("Body",),
    "NonGovernmentalOrganization": ("Body",),
    **{name: ("UNEntity", "Body") for name in (
        "PrincipalOrgan", "Committee", "ExpertGroup", "FunctionalCommission", "RegionalCommission",
        "TreatyBody", "SpecialProcedure", "Office", "FundOrProgramme", "ResearchAndTrainingInstitute",
        "SpecializedAgency", "RelatedOrganization")},
}
_INSTRUMENT_CLASSES = frozenset({"Convention", "Protocol"})

# How a session's label names its body ("Fifth session of the Conference of the Parties"): the
# preferred labels are full titles, too long for a session's everyday name.
_SESSION_BODY_NAME = {"untoc-cop": "Conference of the Parties"}

_UNITS = ("", "first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth",
          "tenth", "eleventh", "twelfth", "thirteenth", "fourteenth", "fifteenth", "sixteenth",
          "seventeenth", "eighteenth", "nineteenth")
_TENS = ("", "", "twent", "thirt", "fort", "fift", "sixt", "sevent", "eight", "ninet")


def _loaders_data() -> Path:
    return Path(loaders.__file__).parent / "data"


@dataclass(frozen=True)
class _Row:
    """A line of a gazetteer table, with where it came from for error messages."""

    where: str
    fields: tuple[str, ...]


def _rows(text: str, name: str, columns: int) -> Iterator[_Row]:
    """Data lines of a tab-separated table: `#` lines are comments; every line has `columns` fields."""
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip() or line.startswith("#"):
            continue
        fields = tuple(field.strip() for field in line.split("\t"))
        where = f"{name}:{number}"
        if len(fields) != columns:
            raise ValueError(f"{where}: expected {columns} tab-separated columns, found {len(fields)}")
        yield _Row(where, fields)


def _read(folder: Traversable, filename: str, columns: int) -> list[_Row]:
    return list(_rows(folder.joinpath(filename).read_text(encoding="utf-8"), filename, columns))


def _date(value: str, where: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError as exc:
        raise ValueError(f"{where}: not an ISO date: {value!r}") from exc


def _en(text: str) -> Literal:
    return Literal(text, lang="en")


def _split_names(cell: str) -> list[str]:
    return [name.strip() for name in cell.split("|") if name.strip()]


def _names(node: URIRef, preferred: str, others: list[str]) -> list[Triple]:
    """`rdfs:label` and `skos:prefLabel` for the preferred name; every other name once as `skos:altLabel`.

    A name equal to the preferred one is not repeated as an alternative: SKOS forbids the same
    label as both.
    """
    triples: list[Triple] = [(node, RDFS.label, _en(preferred)), (node, SKOS.prefLabel, _en(preferred))]
    triples += [(node, SKOS.altLabel, _en(name)) for name in sorted(set(others) - {preferred})]
    return triples


def ordinal(number: int) -> str:
    """English ordinal word, lower case: 5 -> "fifth", 21 -> "twenty-first"."""
    if not 1 <= number <= 99:
        raise ValueError(f"no ordinal word for {number}")
    if number < 20:
        return _UNITS[number]
    tens, units = divmod(number, 10)
    if units == 0:
        return _TENS[tens] + "ieth"
    return f"{_TENS[tens]}y-{_UNITS[units]}"


# ---------------------------------------------------------------------------------------------
# Instruments and bodies


def _instrument_triples() -> list[Triple]:
    rows = _read(_loaders_data(), "instruments.tsv", 11)
    conventions = [row.fields[0] for row in rows if row.fields[1] == "Convention"]
    triples: list[Triple] = []
    for row in rows:
        (slug, cls, preferred, short_title, others, adopted, in_force, volume, number,
         _adopting_act, source) = row.fields
        if cls not in _INSTRUMENT_CLASSES:
            raise ValueError(f"{row.where}: instrument class must be one of {sorted(_INSTRUMENT_CLASSES)}, not {cls!r}")
        node = ids.instrument(slug)
        triples += [(node, RDF.type, UKG[cls]), (node, RDF.type, UKG.Instrument)]
        triples += _names(node, preferred, _split_names(others) + [short_title])
        triples.append((node, UKG.shortTitle, _en(short_title)))
        triples.append((node, UKG.adoptionDate, Literal(_date(adopted, row.where), datatype=XSD.date)))
        triples.append((node, UKG.entryIntoForce, Literal(_date(in_force, row.where), datatype=XSD.date)))
        triples.append((node, UKG.treatySeriesVolume, Literal(int(volume), datatype=XSD.integer)))
        triples.append((node, UKG.treatySeriesNumber, Literal(int(number), datatype=XSD.integer)))
        triples.append((node, DCTERMS.source, Literal(source)))
        if cls == "Protocol":
            if len(conventions) != 1:
                raise ValueError(f"{row.where}: a protocol needs exactly one convention in instruments.tsv "
                                 f"to supplement, found {conventions}")
            triples.append((node, UKG.supplements, ids.instrument(conventions[0])))
    return triples


@lru_cache(maxsize=1)
def _bodies() -> tuple[_Row, ...]:
    return tuple(_read(_loaders_data(), "bodies.tsv", 6))


def _body_triples() -> list[Triple]:
    rows = _bodies()
    known = {row.fields[0] for row in rows}
    triples: list[Triple] = []
    for row in rows:
        slug, cls, parent, preferred, others, source = row.fields
        if cls not in _BODY_CLASSES:
            raise ValueError(f"{row.where}: body class must be one of {sorted(_BODY_CLASSES)}, not {cls!r}")
        node = ids.body(slug)
        triples += [(node, RDF.type, UKG[name]) for name in (cls, *_BODY_CLASSES[cls])]
        if parent:
            if parent not in known:
                raise ValueError(f"{row.where}: parent body {parent!r} is not in bodies.tsv")
            triples.append((node, ORG.subOrganizationOf, ids.body(parent)))
        triples += _names(node, preferred, _split_names(others))
        triples.append((node, DCTERMS.source, Literal(source)))
    return triples


# ---------------------------------------------------------------------------------------------
# Sessions


@lru_cache(maxsize=1)
def _sessions() -> tuple[dict, ...]:
    bodies = {row.fields[0]: row.fields[3] for row in _bodies()}
    sessions = []
    for row in _read(ontology_dir().joinpath("reference"), "sessions.tsv", 6):
        body, number, start, end, venue, source = row.fields
        if body not in bodies:
            raise ValueError(f"{row.where}: body {body!r} is not in loaders/data/bodies.tsv")
        if not number.isdigit() or int(number) < 1:
            raise ValueError(f"{row.where}: session number must be a positive integer, not {number!r}")
        first, last = _date(start, row.where), _date(end, row.where)
        if last < first:
            raise ValueError(f"{row.where}: session ends ({end}) before it starts ({start})")
        sessions.append({
            "body": body,
            "session": int(number),
            "start": first,
            "end": last,
            "venue": venue,
            "source": source,
            "iri": ids.meeting(MeetingKey(body, first)),
            "body_label": bodies[body],
        })
    return tuple(sessions)


def cop_sessions() -> list[dict]:
    """The sessions of the Conference of the Parties to UNTOC, in session order.

    Each is a dict with `body`, `session` (int), `start` and `end` (`datetime.date`), `venue`,
    `source` (the report it is taken from) and `iri` (its `id:meeting/...` IRI).
    """
    return sorted(({k: v for k, v in s.items() if k != "body_label"} for s in _sessions()
                   if s["body"] == "untoc-cop"), key=lambda s: s["session"])


def _session_triples() -> list[Triple]:
    triples: list[Triple] = []
    for s in _sessions():
        node = s["iri"]
        word = ordinal(s["session"]).capitalize()
        short = _SESSION_BODY_NAME.get(s["body"], s["body_label"])
        label = f"{word} session of the {short}"
        full = f"{word} session of the {s['body_label']}"
        triples += [
            (node, RDF.type, UKG.Meeting),
            (node, UKG.ofBody, ids.body(s["body"])),
            (node, UKG.sessionNumber, Literal(s["session"], datatype=XSD.integer)),
            (node, UKG.startDate, Literal(s["start"], datatype=XSD.date)),
            (node, UKG.endDate, Literal(s["end"], datatype=XSD.date)),
            (node, UKG.venue, Literal(s["venue"])),
            (node, DCTERMS.source, Literal(s["source"])),
        ]
        triples += _names(node, label, [full])
    return triples


# ---------------------------------------------------------------------------------------------
# States


def _current_name_rank(note: str) -> int | None:
    """How current a name marked in state_names.tsv is, or None if it is not a current UN name.

    "UN short name" ranks 0; "UN short name from 2024" / "UN name since 2012" rank by their year, so
    the newest wins; "UN short name until 2019" and any other note (running text, former names) are
    not current names.
    """
    match = re.match(r"UN (?:short )?name\b(.*)", note)
    if not match or "until" in match.group(1):
        return None
    year = re.search(r"\b(?:from|since) (\d{4})\b", match.group(1))
    return int(year.group(1)) if year else 0


def _un_names() -> tuple[dict[str, str], dict[str, set[str]]]:
    """From state_names.tsv: the current UN short name per ISO code, and every name per ISO code."""
    ranked: dict[str, list[tuple[int, str, str]]] = {}
    every: dict[str, set[str]] = {}
    for row in _read(_loaders_data(), "state_names.tsv", 3):
        name, iso3, note = row.fields
        if pycountry.countries.get(alpha_3=iso3) is None:
            raise ValueError(f"{row.where}: {iso3!r} is not an ISO 3166-1 alpha-3 code")
        every.setdefault(iso3, set()).add(name)
        rank = _current_name_rank(note)
        if rank is not None:
            ranked.setdefault(iso3, []).append((rank, name, row.where))
    current: dict[str, str] = {}
    for iso3, candidates in ranked.items():
        candidates.sort(reverse=True)
        if len(candidates) > 1 and candidates[0][0] == candidates[1][0]:
            raise ValueError(f"{candidates[0][2]}, {candidates[1][2]}: two current UN names for {iso3}: "
                             f"{candidates[0][1]!r} and {candidates[1][1]!r}; mark one 'until' or 'from' a year")
        current[iso3] = candidates[0][1]
    return current, every


@lru_cache(maxsize=1)
def un_states() -> dict[str, tuple[str, date, str]]:
    """ontology/reference/un_states.tsv: ISO code -> (status "member" or "observer", the date of
    admission or of observer State status, the source the row was taken from).

    These and only these are ukg:State; the rest of ISO 3166-1 is ukg:Territory."""
    out: dict[str, tuple[str, date, str]] = {}
    for row in _read(ontology_dir().joinpath("reference"), "un_states.tsv", 5):
        iso3, _name, status, since, source = row.fields
        if pycountry.countries.get(alpha_3=iso3) is None:
            raise ValueError(f"{row.where}: {iso3!r} is not an ISO 3166-1 alpha-3 code")
        if status not in ("member", "observer"):
            raise ValueError(f"{row.where}: status is 'member' or 'observer', not {status!r}")
        if iso3 in out:
            raise ValueError(f"{row.where}: {iso3} is listed twice")
        if not source.strip():
            raise ValueError(f"{row.where}: the source cell is empty; say where the row comes from")
        out[iso3] = (status, _date(since, row.where), source)
    return out


def _state_triples() -> list[Triple]:
    iso_source = Literal(f"ISO 3166-1 via pycountry {version('pycountry')}")
    m49_source = Literal(f"UN M49 code = ISO 3166-1 numeric, via pycountry {version('pycountry')}")
    names_source = Literal("United Nations short names: untoc-kg gazetteer, loaders/data/state_names.tsv")
    current, every = _un_names()
    states = un_states()
    triples: list[Triple] = []
    for country in sorted(pycountry.countries, key=lambda c: c.alpha_3):
        iso3 = country.alpha_3
        node = ids.state(iso3)
        iso_names = [getattr(country, attr) for attr in ("name", "official_name", "common_name")
                     if getattr(country, attr, None)]
        preferred = current.get(iso3, country.name)
        if iso3 in states:
            status, since, source = states[iso3]
            prop = UKG.admissionDate if status == "member" else UKG.observerStateSince
            triples += [(node, RDF.type, UKG.State), (node, prop, Literal(since, datatype=XSD.date)),
                        (node, DCTERMS.source, Literal(source))]
        else:
            triples.append((node, RDF.type, UKG.Territory))
        triples += [
            (node, UKG.iso3, Literal(iso3)),
            (node, UKG.m49, Literal(country.numeric.zfill(3))),
            (node, DCTERMS.source, iso_source),
            (node, DCTERMS.source, m49_source),
        ]
        if iso3 in every:
            triples.append((node, DCTERMS.source, names_source))
        triples += _names(node, preferred, iso_names + sorted(every.get(iso3, ())))
    return triples


# ---------------------------------------------------------------------------------------------


def _sort_key(triple: Triple) -> tuple[str, str, str]:
    return tuple(term.n3() for term in triple)  # type: ignore[return-value]


@lru_cache(maxsize=1)
def _all_triples() -> tuple[Triple, ...]:
    triples = _instrument_triples() + _body_triples() + _session_triples() + _state_triples()
    return tuple(sorted(set(triples), key=_sort_key))


def reference_triples() -> list[Triple]:
    """Every triple of the reference graph, sorted, without duplicates: the same list on every run."""
    return list(_all_triples())
