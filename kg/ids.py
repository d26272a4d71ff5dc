"""Every IRI of the graph is minted here, from stable keys, never from free-text labels or counters.

Patterns are the public contract of `VOCABULARY.md`; outside queries rely on them.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date
from functools import lru_cache
from urllib.parse import quote

from rdflib import URIRef

from loaders.facts import ActKey, EntityRef, MeetingKey

from .vocab import ID_BASE

REFERENCE_GRAPH = URIRef(ID_BASE + "graph/reference")
ONTOLOGY_GRAPH = URIRef(ID_BASE + "graph/ontology")

_SAFE = "/.-_~:"
# IRIs are pure functions of their keys and a document mints the same ones again and again (its
# paragraphs, the meetings and bodies it names): the string work is remembered, bounded.
_CACHE = 1 << 16
_ISO3 = re.compile(r"[A-Z]{3}")  # compiled once: `state` runs for every state a document names


@lru_cache(maxsize=_CACHE)
def _iri(path: str) -> URIRef:
    return URIRef(ID_BASE + quote(path, safe=_SAFE))


@lru_cache(maxsize=_CACHE)
def slugify(text: str) -> str:
    """ASCII, lower-case, hyphen-separated: for keys that are names (people)."""
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def instrument(slug: str) -> URIRef:
    return _iri(f"instrument/{slug}")


def body(slug: str) -> URIRef:
    return _iri(f"body/{slug}")


def state(iso3: str) -> URIRef:
    if not _ISO3.fullmatch(iso3):
        raise ValueError(f"not an ISO 3166-1 alpha-3 code: {iso3!r}")
    return _iri(f"state/{iso3}")


def entity(ref: EntityRef) -> URIRef:
    if ref.kind == "state":
        return state(ref.key)
    if ref.kind == "body":
        return body(ref.key)
    if ref.kind == "instrument":
        return instrument(ref.key)
    raise ValueError(f"unknown entity kind {ref.kind!r}")


@lru_cache(maxsize=_CACHE)
def _act_number(number: str) -> str:
    """"74/176" -> `74-176`; "2462 (2019)" -> `2462-2019`, "181 (II)" -> `181-II`, "ES-10/15" -> `ES-10-15`."""
    return re.sub(r"\s*\(([^)]*)\)", r"-\1", number).replace("/", "-").replace(" ", "-")


def act(key: ActKey) -> URIRef:
    return _iri(f"act/{key.body}/{key.kind}/{_act_number(key.number)}")


def doc_key(symbol: str | None, text_sha256: str) -> str:
    """The key of a document: its UN symbol as written (upper case), else a hash of its text."""
    if symbol:
        return symbol.strip().upper()
    return f"sha256-{text_sha256[:16]}"


def doc(key: str) -> URIRef:
    return _iri(f"doc/{key}")


@lru_cache(maxsize=_CACHE)
def paragraph(doc_iri: URIRef, number: str) -> URIRef:
    """`{document}#p7`, `#p5a` for sub-paragraph "5 (a)", `#pp3` for the third preambular paragraph."""
    compact = re.sub(r"[^0-9A-Za-z.-]+", "", number)
    return URIRef(f"{doc_iri}#p{compact}" if number[:1].isdigit() else f"{doc_iri}#{compact}")


def meeting(key: MeetingKey) -> URIRef:
    return _iri(f"meeting/{key.body}/{key.start.isoformat()}")


def mandate(holder: str) -> URIRef:
    return _iri(f"mandate/{holder}")


def act_mandate(holder: str, act_key: ActKey, kind: str) -> URIRef:
    """A mandate one act gives a holder (a task, a report, a meeting, an agenda item): one per holder,
    act and kind, so that "what resolution 74/247 asked of the Secretary-General" is one node, and a
    report made pursuant to the act fulfils that same node."""
    return _iri(f"mandate/{holder}/{act_key.body}-{act_key.kind}-{_act_number(act_key.number)}/{kind}")


def act_mandate_event(mandate_iri: URIRef, event_type: str, act_paragraph: str | None) -> URIRef:
    """An event on such a mandate: per paragraph of the act when the act's own text is read."""
    suffix = f"-p{slugify(act_paragraph)}" if act_paragraph else ""
    return URIRef(f"{mandate_iri}/{event_type.lower()}{suffix}")


def fulfilment(mandate_iri: URIRef, document_key: str) -> URIRef:
    """A report made pursuant to an act: one per reporting document."""
    return URIRef(f"{mandate_iri}/fulfilment/{quote(document_key, safe=_SAFE)}")


def established_body(key: str) -> URIRef:
    """A body an act establishes that reference data does not know: `id:body/{act}-{kind of body}`,
    e.g. `id:body/ga-74-247-ad-hoc-committee` (the key is made by loaders.extract.mandates)."""
    if not re.fullmatch(r"[a-z0-9]+(?:-[a-z0-9]+)+", key):
        raise ValueError(f"not the key of an established body: {key!r}")
    return body(key)


def mandate_event(holder: str, event_type: str, act_key: ActKey) -> URIRef:
    return _iri(f"mandate/{holder}/event/{act_key.body}-{act_key.kind}-"
                f"{_act_number(act_key.number)}-{event_type.lower()}")


def proposal(draft_iri: URIRef, holder: str, paragraph_number: str) -> URIRef:
    return URIRef(f"{draft_iri}/proposal/{holder}/{slugify(paragraph_number)}")


def draft(document_key: str) -> URIRef:
    return _iri(f"draft/{document_key}")


def expression(doc_iri: URIRef, language: str) -> URIRef:
    """A language version of a document: `{document}#lang-fr` (a fragment, as paragraphs are)."""
    if not re.fullmatch(r"[a-z]{2,3}", language):
        raise ValueError(f"not a language code: {language!r}")
    return URIRef(f"{doc_iri}#lang-{language}")


def participation(meeting_iri: URIRef, participant: EntityRef) -> URIRef:
    return URIRef(f"{meeting_iri}/participant/{participant.kind}-{participant.key}")


def statement(speaker: EntityRef, document_key: str, paragraph_number: str) -> URIRef:
    return _iri(f"statement/{document_key}/{slugify(paragraph_number)}/{speaker.kind}-{speaker.key}")


def meeting_role(meeting_iri: URIRef, role: str, person_slug: str) -> URIRef:
    return URIRef(f"{meeting_iri}/{role}/{person_slug}")


def person(name: str) -> URIRef:
    return _iri(f"person/{slugify(name)}")


def recommendation(document_key: str, number: str) -> URIRef:
    return _iri(f"recommendation/{document_key}/{slugify(number)}")


def agreement(parties: tuple[str, ...], kind: str, year: int | None, month: int | None) -> URIRef:
    when = f"{year:04d}-{month:02d}" if year and month else (f"{year:04d}" if year else "undated")
    return _iri(f"agreement/{'--'.join(sorted(parties))}/{kind}/{when}")


def joint_programme(partners: tuple[str, ...], countries: tuple[str, ...], regions: tuple[str, ...],
                    year: int | None, month: int | None) -> URIRef:
    where = "-".join(list(sorted(countries)) + [slugify(r) for r in sorted(regions)]) or "unspecified"
    when = f"{year:04d}-{month:02d}" if year and month else (f"{year:04d}" if year else "undated")
    return _iri(f"programme/{'--'.join(sorted(partners))}/{where}/{when}")


def role(subject: str, role_name: str, obj: str, start: date | None) -> URIRef:
    when = start.isoformat() if start else "undated"
    return _iri(f"role/{subject}/{role_name}/{obj}/{when}")


def ratification(instrument_slug: str, iso3: str) -> URIRef:
    return _iri(f"ratification/{instrument_slug}/{iso3}")


def party_count(document_key: str, instrument_slug: str, paragraph_number: str) -> URIRef:
    return _iri(f"party-count/{document_key}/{instrument_slug}/{slugify(paragraph_number)}")


def mention(document_key: str, start: int) -> URIRef:
    return _iri(f"mention/{document_key}/{start}")


def footnote(doc_iri: URIRef, marker: str) -> URIRef:
    return URIRef(f"{doc_iri}#fn{slugify(marker) or 'star'}")


def agenda_item(meeting_iri: URIRef, number: str) -> URIRef:
    return URIRef(f"{meeting_iri}/agenda/{slugify(number)}")
