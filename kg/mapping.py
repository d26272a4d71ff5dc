"""Facts -> triples: the one place where the loaders' typed facts meet the public vocabulary.

Every fact read from a document becomes a node (an event, a participation, a recommendation, a tie…)
that says `prov:wasDerivedFrom` the paragraph it was read from, and that paragraph is in the same
named graph with its number, its text and its offsets in the source. Shortcut edges
(`ukg:establishedBy`, `ukg:attended`, `ukg:coordinates`) sit beside the nodes for simple queries.
This module parses no text; it only maps.
"""

from __future__ import annotations

from datetime import date
from functools import lru_cache

from rdflib import URIRef
from rdflib import namespace as _ns

from loaders.facts import ActKey, EntityRef, Evidence, Facts, MeetingKey
from loaders.gazetteer import bodies
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from loaders.pipeline import LoadedDocument

from . import ids, ntriples, vocab
from .vocab import MANDATE_KINDS


class _Terms:
    """A namespace's terms, each looked up once: rdflib's closed namespaces check every attribute
    access (a tenth of the mapping's time), and the mapping names the same few dozen terms."""

    def __init__(self, namespace) -> None:
        self._namespace = namespace

    def __getattr__(self, name: str) -> URIRef:
        term = getattr(self._namespace, name)  # a misspelt term still fails here
        setattr(self, name, term)
        return term

    def __getitem__(self, name: str) -> URIRef:
        return self._namespace[name]


class _Written(_Terms):
    """The same, each term already in its N-Triples form (`<iri>`, from `kg.ntriples`): the classes and
    properties the mapping writes are formatted once per process, not once per statement."""

    def __getattr__(self, name: str) -> str:
        term = ntriples.iri(getattr(self._namespace, name))
        setattr(self, name, term)
        return term

    def __getitem__(self, name: str) -> str:
        return ntriples.iri(self._namespace[name])


XSD = _Terms(_ns.XSD)  # datatypes, passed to `_lit` as IRIs
DCTERMS, FOAF, PROV, RDF, RDFS, SKOS = (_Written(n) for n in (_ns.DCTERMS, _ns.FOAF, _ns.PROV, _ns.RDF,
                                                               _ns.RDFS, _ns.SKOS))
TIME, ORG, UKG = _Written(vocab.TIME), _Written(vocab.ORG), _Written(vocab.UKG)

Triple = tuple  # (subject, predicate, object) as rdflib terms, read back from the lines

_CLASS_OF_KIND = {"decision": UKG.Decision, "resolution": UKG.Resolution}
_STRENGTH = {"shall": UKG.Shall, "should": UKG.Should, "encouraged": UKG.Encouraged, "may": UKG.May}
_GROUP = {"StatesParties": UKG.StatesParties, "MemberStates": UKG.MemberStates, "States": UKG.States}
_SHORTCUT = {"Establishment": UKG.establishedBy, "Continuation": UKG.continuedBy}
_TIE_PROPERTY = {"coordinates": UKG.coordinates, "chairs": UKG.chairs, "manages": UKG.manages}
UNDOCS = "https://undocs.org/"


def undocs(symbol: str, language: str | None = None) -> URIRef:
    """The symbol's page on undocs.org, with what an IRI cannot hold (spaces) escaped."""
    from urllib.parse import quote

    return URIRef(UNDOCS + (f"{language}/" if language else "") + quote(symbol, safe="/.-_~:()"))


def _lit(value, lang: str | None = None, datatype: URIRef | None = None) -> str:
    """A literal's N-Triples text (`kg.ntriples`): what the graph holds, without an rdflib term."""
    if isinstance(value, bool):
        return ntriples.boolean(value)
    return ntriples.literal(value, lang, str(datatype) if datatype is not None else None)


def _date(value: date) -> str:
    return ntriples.literal(value.isoformat(), datatype=_XSD_DATE)


def _int(value: int) -> str:
    return ntriples.integer(value)


def _str(value: str) -> str:
    return ntriples.literal(value)


def _year_month(year: int | None, month: int | None) -> str | None:
    if year and month:
        return ntriples.literal(f"{year:04d}-{month:02d}", datatype=_XSD_GYEARMONTH)
    if year:
        return ntriples.literal(f"{year:04d}", datatype=_XSD_GYEAR)
    return None


_XSD_DATE, _XSD_GYEAR, _XSD_GYEARMONTH = str(XSD.date), str(XSD.gYear), str(XSD.gYearMonth)


@lru_cache(maxsize=1)
def _session_starts() -> dict[int, date]:
    from .reference import cop_sessions

    return {s["session"]: s["start"] for s in cop_sessions()}


def act_meeting(key: ActKey) -> URIRef | None:
    """The session that adopted an act, when reference data knows its dates (Conference acts)."""
    if key.body == "untoc-cop" and key.session in _session_starts():
        return ids.meeting(MeetingKey("untoc-cop", _session_starts()[key.session]))
    return None


class _Graph:
    """The triples of one document, with the paragraphs that facts cite."""

    def __init__(self, facts: Facts, doc_iri: URIRef, doc_key: str):
        self.facts = facts
        self.doc = doc_iri
        self.doc_key = doc_key
        # the statements grouped by subject: sorting ~150 subjects and then each one's few lines costs
        # far fewer comparisons of long shared prefixes than sorting all ~900 lines at once (`sorted_lines`)
        self.by_subject: dict[str, set[str]] = {}
        self.paragraph_keys = {p.key for p in facts.paragraphs}
        self._iris: dict[URIRef, str] = {}
        self._written: dict[object, URIRef] = {}  # act and meeting keys whose statements are in already

    def _iri(self, node: URIRef) -> str:
        text = self._iris[node] = ntriples.iri(node)
        return text

    def add(self, s: URIRef | str, p: URIRef | str, o) -> None:
        """One statement. `s`, `p` and `o` are IRIs: an rdflib URIRef (minted by `kg.ids`), or a plain
        str already in N-Triples form (the vocabulary's terms, `_Written`); `o` may also be a literal's
        text (`_lit`, `_str`…), a plain str too."""
        if o is None:
            return
        iris = self._iris
        if type(s) is not str:
            s = iris.get(s) or self._iri(s)
        if type(p) is not str:
            p = iris.get(p) or self._iri(p)
        if type(o) is not str:
            o = iris.get(o) or self._iri(o)
        group = self.by_subject.get(s)
        if group is None:
            group = self.by_subject[s] = set()
        group.add(f"{s} {p} {o} .")

    def sorted_lines(self) -> list[str]:
        """All lines in sorted order, the same as sorting them together: a subject is an IRI `<…>`, which
        holds no ">" before its end, so no subject is a prefix of another and two lines with different
        subjects compare as their subjects do."""
        out: list[str] = []
        for s in sorted(self.by_subject):
            out.extend(sorted(self.by_subject[s]))
        return out

    def evidence(self, node: URIRef, ev: Evidence) -> None:
        para = ids.paragraph(self.doc, ev.paragraph)
        self.add(node, PROV.wasDerivedFrom, para)
        if ev.paragraph not in self.paragraph_keys:
            # a header line, the title or an annex row: a paragraph of its own, holding what was quoted
            self.paragraph_keys.add(ev.paragraph)
            self.add(para, RDF.type, UKG.Paragraph)
            self.add(para, UKG.inDocument, self.doc)
            self.add(para, UKG.number, _str(ev.paragraph))
            self.add(para, UKG.text, _str(ev.quote))
            self.add(para, UKG.startOffset, _int(ev.start))
            self.add(para, UKG.endOffset, _int(ev.end))

    def act(self, key: ActKey) -> URIRef:
        """The act's node, its statements written the first time the document names it."""
        node = self._written.get(key)
        if node is not None:
            return node
        node = self._written[key] = ids.act(key)
        self.add(node, RDF.type, UKG.Act)
        self.add(node, RDF.type, _CLASS_OF_KIND[key.kind])
        self.add(node, UKG.actNumber, _str(key.number))
        self.add(node, UKG.adoptedBy, ids.body(key.body))
        self.add(node, RDFS.label, _lit(f"{_body_short(key.body)} {key.kind} {key.number}", lang="en"))
        meeting = act_meeting(key)
        if meeting is not None:
            self.add(node, UKG.adoptedAt, meeting)
        if key.body == "ga" and key.kind == "resolution":
            self.add(node, RDFS.seeAlso, ids.doc(f"A/RES/{key.number}"))
        return node

    def meeting(self, key: MeetingKey) -> URIRef:
        """The meeting's node, its statements written the first time the document names it."""
        node = self._written.get(key)
        if node is not None:
            return node
        node = self._written[key] = ids.meeting(key)
        self.add(node, RDF.type, UKG.Meeting)
        self.add(node, UKG.ofBody, ids.body(key.body))
        self.add(node, UKG.startDate, _date(key.start))
        return node


def _body_short(slug: str) -> str:
    names = {"untoc-cop": "Conference", "ga": "General Assembly", "ecosoc": "Economic and Social Council",
             "ccpcj": "Commission on Crime Prevention and Criminal Justice", "hrc": "Human Rights Council"}
    return names.get(slug) or (bodies()[slug].label if slug in bodies() else slug)


def _addressee(item: EntityRef | str) -> URIRef:
    return _GROUP[item] if isinstance(item, str) else ids.entity(item)


def document_iri(facts: Facts) -> tuple[URIRef, str]:
    key = ids.doc_key(facts.document.symbol, facts.document.text_sha256)
    return ids.doc(key), key


def facts_lines(facts: Facts) -> tuple[URIRef, list[str]]:
    """The named graph of one document's facts: its IRI and its sorted N-Triples lines (no newline)."""
    doc_iri, doc_key = document_iri(facts)
    g = _Graph(facts, doc_iri, doc_key)
    _document(g)
    _paragraphs(g)
    _meetings(g)
    _references(g)
    _mandates(g)
    _draft(g)
    _participation(g)
    _recommendations(g)
    _landscape(g)
    _ratifications(g)
    _unresolved(g)
    _markup(g)
    return doc_iri, g.sorted_lines()


def facts_triples(facts: Facts) -> tuple[URIRef, list[Triple]]:
    """The same graph as rdflib triples (for tests and validation), read back from `facts_lines`."""
    doc_iri, lines = facts_lines(facts)
    triples = ntriples.to_rdflib(lines)
    return doc_iri, sorted(triples, key=lambda t: (str(t[0]), str(t[1]), t[2].n3()))


def document_graph(loaded: "LoadedDocument") -> tuple[URIRef, list[Triple]]:
    """The named graph of one loaded document: its IRI (the document's own) and its triples."""
    return facts_triples(loaded.facts)


def document_lines(loaded: "LoadedDocument") -> tuple[URIRef, list[str]]:
    """What the build writes: the graph's IRI and its N-Triples lines (see `kg.ntriples`)."""
    return facts_lines(loaded.facts)


# ---------------------------------------------------------------------------------------------


def _document(g: _Graph) -> None:
    info = g.facts.document
    d = g.doc
    g.add(d, RDF.type, UKG.Document)
    if info.symbol:
        g.add(d, UKG.symbol, _str(info.symbol))
        g.add(d, RDFS.seeAlso, undocs(info.symbol))
        if info.symbol_from_manifest:
            g.add(d, UKG.fromManifest, _str("symbol"))
    if info.title:
        g.add(d, DCTERMS.title, _lit(info.title, lang=info.language if g.facts.markup else "en"))
        g.add(d, RDFS.label, _lit(info.title, lang=info.language if g.facts.markup else "en"))
        if info.title_from_manifest:
            g.add(d, UKG.fromManifest, _str("title"))
    if info.issued:
        g.add(d, DCTERMS.issued, _date(info.issued))
    g.add(d, UKG.distribution, _str(info.distribution) if info.distribution else None)
    g.add(d, UKG.originalLanguage, _str(info.original_language) if info.original_language else None)
    g.add(d, DCTERMS.language, _str(info.language) if info.language else None)
    g.add(d, UKG.agendaItem, _str(info.agenda_item) if info.agenda_item else None)
    g.add(d, UKG.agendaItemTitle, _lit(info.agenda_item_title, lang="en") if info.agenda_item_title else None)
    g.add(d, UKG.documentKind, _str(info.kind) if info.kind else None)
    g.add(d, UKG.sourceFile, _str(info.source_file))
    g.add(d, UKG.contentHash, _str(info.content_sha256))
    g.add(d, UKG.textHash, _str(info.text_sha256))
    if info.body:
        g.add(d, DCTERMS.publisher, ids.body(info.body))
    if info.agenda_symbol:
        agenda = ids.doc(ids.doc_key(info.agenda_symbol, ""))
        g.add(d, UKG.agendaSymbol, _str(info.agenda_symbol))
        g.add(d, DCTERMS.references, agenda)
        g.add(agenda, RDF.type, UKG.Document)
        g.add(agenda, UKG.symbol, _str(info.agenda_symbol))
        g.add(agenda, RDFS.seeAlso, undocs(info.agenda_symbol))


def _paragraphs(g: _Graph) -> None:
    verbs = {c.paragraph: c for c in g.facts.clause_verbs}
    markup = g.facts.markup
    for p in g.facts.paragraphs:
        node = ids.paragraph(g.doc, p.key)
        g.add(node, RDF.type, UKG.Paragraph)
        if p.kind == "footnote":
            g.add(node, RDF.type, UKG.Footnote)
        g.add(node, UKG.inDocument, g.doc)
        g.add(node, UKG.number, _str(p.number or p.key))
        if markup is None:
            g.add(node, UKG.text, _str(p.text))
        else:  # read from the UN's markup: the words in every language it has, each tagged
            for lang, text in (markup.texts.get(p.key) or {markup.pivot: p.text}).items():
                g.add(node, UKG.text, _lit(text, lang=lang))
        if p.eid:
            g.add(node, UKG.eId, _str(p.eid))
        g.add(node, UKG.startOffset, _int(p.start))
        g.add(node, UKG.endOffset, _int(p.end))
        if p.parent:
            g.add(node, DCTERMS.isPartOf, ids.paragraph(g.doc, p.parent))
        if p.key in verbs:
            g.add(node, UKG.operativeVerb, _str(verbs[p.key].verb))
            g.add(node, UKG.isOperative, _lit(verbs[p.key].operative))


def _meetings(g: _Graph) -> None:
    for m in g.facts.meetings:
        node = g.meeting(m.key)
        if m.end:
            g.add(node, UKG.endDate, _date(m.end))
        if m.venue:
            g.add(node, UKG.venue, _str(m.venue))
        if m.session_number:
            g.add(node, UKG.sessionNumber, _int(m.session_number))
        if m.meetings_held:
            g.add(node, UKG.meetingsHeld, _int(m.meetings_held))
        if m.ordinal_label:
            g.add(node, RDFS.label, _lit(f"{m.ordinal_label} of the {_body_short(m.key.body)}", lang="en"))
        g.evidence(node, m.evidence)
    if g.facts.meeting is not None:
        g.add(g.doc, UKG.forMeeting, ids.meeting(g.facts.meeting))
    for a in g.facts.agenda:
        meeting = g.meeting(a.meeting)
        node = ids.agenda_item(meeting, a.number)
        g.add(meeting, UKG.hasAgendaItem, node)
        g.add(node, RDF.type, UKG.AgendaItem)
        g.add(node, UKG.meeting, meeting)
        g.add(node, UKG.number, _str(a.number))
        g.add(node, RDFS.label, _lit(a.title, lang="en"))
        g.evidence(node, a.evidence)
    for r in g.facts.meeting_roles:
        meeting = g.meeting(r.meeting)
        person = ids.person(r.person.name)
        g.add(person, RDF.type, UKG.Person)
        g.add(person, FOAF.name, _str(r.person.name))
        if r.person.nationality:
            g.add(person, UKG.nationality, ids.state(r.person.nationality))
        g.add(meeting, UKG.chair if r.role == "chair" else UKG.panellist, person)
        node = ids.meeting_role(meeting, r.role, ids.slugify(r.person.name))
        g.add(node, RDF.type, UKG.MeetingRole)
        g.add(node, UKG.meeting, meeting)
        g.add(node, UKG.person, person)
        g.add(node, UKG.role, _str(r.role))
        g.evidence(node, r.evidence)


def _references(g: _Graph) -> None:
    for a in g.facts.acts:
        node = g.act(a.key)
        if a.date:
            g.add(node, DCTERMS.date, _date(a.date))
        if a.title:
            g.add(node, DCTERMS.title, _lit(a.title, lang="en"))
    if g.facts.own_act is not None:
        # the document is the text of this act: follow the act to its text
        g.add(g.act(g.facts.own_act), RDFS.seeAlso, g.doc)
    for r in g.facts.act_references:
        node = g.act(r.act)
        g.add(g.doc, DCTERMS.references, node)
        g.add(ids.paragraph(g.doc, r.evidence.paragraph), DCTERMS.references, node)
        g.evidence(node, r.evidence)
        if r.recalled:
            g.add(g.doc, UKG.recalls, node)
    for r in g.facts.document_references:
        target = ids.doc(ids.doc_key(r.symbol, ""))
        g.add(target, RDF.type, UKG.Document)
        g.add(target, UKG.symbol, _str(r.symbol))
        g.add(target, RDFS.seeAlso, undocs(r.symbol))
        g.add(g.doc, DCTERMS.references, target)
        g.add(ids.paragraph(g.doc, r.evidence.paragraph), DCTERMS.references, target)
        g.evidence(target, r.evidence)
        if r.title:
            g.add(target, DCTERMS.title, _lit(r.title, lang="en"))
        if r.agenda_item:
            g.add(target, UKG.agendaItem, _str(r.agenda_item))
        if r.in_annex_list and g.facts.meeting is not None:
            g.add(target, UKG.forMeeting, ids.meeting(g.facts.meeting))
    for r in g.facts.instrument_references:
        node = ids.instrument(r.instrument)
        g.add(g.doc, DCTERMS.references, node)
        g.add(ids.paragraph(g.doc, r.evidence.paragraph), DCTERMS.references, node)
    for t in g.facts.treaty_series:
        if t.instrument:
            g.add(ids.paragraph(g.doc, t.evidence.paragraph), DCTERMS.references, ids.instrument(t.instrument))


_KIND_LABEL = {"agenda-item": "Agenda item", "meeting": "Meeting", "reporting": "Report", "task": "Task"}


def _due_date(value: str | None) -> str | None:
    if not value:
        return None
    return _lit(value, datatype=XSD.gYearMonth if len(value) == 7 else XSD.gYear)


def _mandates(g: _Graph) -> None:
    """A body's standing mandate is one node per holder (`id:mandate/{holder}`): establishment,
    continuation, extension, modification, termination. What one act asks or arranges (a task, a
    report, a meeting, an agenda item) is a mandate of its own, per holder, act and kind, so that a
    request to the Secretary-General never reads as the Secretary-General's mandate being established."""
    for p in g.facts.pursuant_to:
        act = g.act(p.act)
        g.add(g.doc, UKG.preparedPursuantTo, act)
    for b in g.facts.established_bodies:
        node = ids.established_body(b.key)
        g.add(node, RDF.type, UKG.Body)
        g.add(node, RDFS.label if b.establishing else SKOS.altLabel, _lit(b.label, lang="en"))
        if b.short:
            g.add(node, SKOS.altLabel, _lit(b.short, lang="en"))
        g.evidence(node, b.evidence)
    draft = ids.draft(g.doc_key) if g.facts.draft else None
    new = {b.key: f"{b.short or b.label} of {_body_short(b.act.body)} {b.act.kind} {b.act.number}"
           for b in g.facts.established_bodies}
    for e in g.facts.mandate_events:
        kind = e.kind or "body"
        who = new.get(e.holder) or _body_short(e.holder)
        if e.standing or e.act is None:
            mandate = ids.mandate(e.holder)
            g.add(mandate, RDFS.label, _lit(f"Mandate of the {who}", lang="en"))
        else:
            # a report an act acknowledges belongs to the mandate of the act it answers, when said
            origin = e.fulfils or e.act
            mandate = ids.act_mandate(e.holder, origin, kind)
            g.add(mandate, RDFS.label, _lit(f"{_KIND_LABEL[kind]} of the {who} under "
                                               f"{_body_short(origin.body)} {origin.kind} {origin.number}", lang="en"))
        g.add(mandate, RDF.type, UKG.Mandate)
        g.add(mandate, UKG.holder, ids.body(e.holder))
        g.add(mandate, UKG.mandateKind, UKG[MANDATE_KINDS[kind]])
        if e.act is not None:
            act = g.act(e.act)
            if e.standing:
                node = ids.mandate_event(e.holder, e.event_type, e.act)
            elif e.event_type == "Fulfilment" and e.act_paragraph is None:
                node = ids.fulfilment(mandate, g.doc_key)
            else:
                node = ids.act_mandate_event(mandate, e.event_type, e.act_paragraph)
            g.add(node, UKG.act, act)
            if e.event_type in _SHORTCUT:
                g.add(mandate, _SHORTCUT[e.event_type], act)
        elif draft is not None:
            node = ids.proposal(draft, e.holder, e.evidence.paragraph)
            g.add(node, UKG.proposedBy, draft)
        else:
            continue
        g.add(node, RDF.type, UKG.MandateEvent)
        g.add(node, UKG.mandate, mandate)
        g.add(node, UKG.eventType, UKG[e.event_type])
        if e.description:
            g.add(node, DCTERMS.description, _str(e.description))
        if e.holder_label:
            g.add(node, UKG.holderLabel, _str(e.holder_label))
        if e.due_session is not None:
            g.add(node, UKG.dueSession, _int(e.due_session))
        g.add(node, UKG.dueDate, _due_date(e.due_date))
        g.evidence(node, e.evidence)


def _draft(g: _Graph) -> None:
    d = g.facts.draft
    if d is None:
        return
    node = ids.draft(g.doc_key)
    g.add(node, RDF.type, UKG.DraftAct)
    g.add(node, DCTERMS.type, _str(f"draft {d.kind}"))
    g.add(node, DCTERMS.isPartOf, g.doc)
    if d.title:
        g.add(node, DCTERMS.title, _lit(d.title, lang="en"))
        g.add(node, RDFS.label, _lit(f"Draft {d.kind}: {d.title}", lang="en"))
    for sponsor in d.sponsors:
        g.add(node, UKG.sponsor, ids.entity(sponsor))
    if d.body:
        g.add(node, UKG.submittedTo, ids.body(d.body))
    if g.facts.meeting is not None:
        g.add(node, UKG.forMeeting, ids.meeting(g.facts.meeting))
    for r in g.facts.act_references:
        g.add(node, DCTERMS.references, ids.act(r.act))
        if r.recalled:
            g.add(node, UKG.recalls, ids.act(r.act))
    g.evidence(node, d.evidence)


def _participation(g: _Graph) -> None:
    for p in g.facts.participations:
        meeting = g.meeting(p.meeting)
        node = ids.participation(meeting, p.participant)
        who = ids.entity(p.participant)
        g.add(node, RDF.type, UKG.Participation)
        g.add(node, UKG.meeting, meeting)
        g.add(node, UKG.participant, who)
        g.add(node, UKG.capacity, UKG[p.capacity])
        g.add(who, UKG.attended, meeting)
        g.evidence(node, p.evidence)
    for s in g.facts.statements:
        meeting = g.meeting(s.meeting)
        node = ids.statement(s.speaker, g.doc_key, s.evidence.paragraph)
        g.add(node, RDF.type, UKG.Statement)
        g.add(node, UKG.meeting, meeting)
        g.add(node, UKG.speaker, ids.entity(s.speaker))
        for item in s.agenda_items:
            g.add(node, UKG.agendaItem, _str(item))
        g.evidence(node, s.evidence)


def _recommendations(g: _Graph) -> None:
    for r in g.facts.recommendations:
        node = ids.recommendation(g.doc_key, r.number)
        g.add(node, RDF.type, UKG.Recommendation)
        g.add(node, UKG.number, _str(r.number))
        g.add(node, UKG.text, _str(r.text))
        g.add(node, UKG.topic, _lit(r.topic, lang="en") if r.topic else None)
        g.add(node, UKG.strength, _STRENGTH.get(r.strength) if r.strength else None)
        for a in r.addressees:
            g.add(node, UKG.addressedTo, _addressee(a))
        if r.meeting:
            meeting = g.meeting(r.meeting)
            g.add(node, UKG.adoptedAt, meeting)
            g.add(node, UKG.adoptedBy, ids.body(r.meeting.body))
        g.evidence(node, r.evidence)


def _landscape(g: _Graph) -> None:
    for a in g.facts.agreements:
        node = ids.agreement(a.parties, a.kind, a.year, a.month)
        g.add(node, RDF.type, UKG.Agreement)
        for party in a.parties:
            g.add(node, UKG.party, ids.body(party))
        g.add(node, UKG.agreementKind, _str(a.kind))
        g.add(node, DCTERMS.date, _year_month(a.year, a.month))
        g.add(node, DCTERMS.description, _str(a.description) if a.description else None)
        g.evidence(node, a.evidence)
    for jp in g.facts.joint_programmes:
        node = ids.joint_programme(jp.partners, jp.countries, jp.regions, jp.year, jp.month)
        g.add(node, RDF.type, UKG.JointProgramme)
        for partner in jp.partners:
            g.add(node, UKG.partner, ids.body(partner))
        for country in jp.countries:
            g.add(node, UKG.country, ids.state(country))
        for region in jp.regions:
            g.add(node, UKG.region, _str(region))
        g.add(node, DCTERMS.date, _year_month(jp.year, jp.month))
        g.evidence(node, jp.evidence)
    for r in g.facts.roles:
        node = ids.role(r.subject, r.role, r.obj, r.start)
        subject, obj = ids.body(r.subject), ids.body(r.obj)
        g.add(node, RDF.type, UKG.Tie)
        g.add(node, UKG.tieFrom, subject)
        g.add(node, UKG.tieTo, obj)
        g.add(node, UKG.tieKind, _str(r.role))
        if r.role in _TIE_PROPERTY:
            g.add(subject, _TIE_PROPERTY[r.role], obj)
        if r.role in ("member", "chairs"):
            # membership the ORG way, so that "who was in the Global Migration Group in 2012" is one query
            g.add(node, RDF.type, ORG.Membership)
            g.add(node, ORG.member, subject)
            g.add(node, ORG.organization, obj)
            g.add(node, ORG.role, _str("chair" if r.role == "chairs" else "member"))
            if r.start or r.end:
                interval = URIRef(f"{node}/interval")
                g.add(node, ORG.memberDuring, interval)
                g.add(interval, RDF.type, TIME.Interval)
                for prop, value, suffix in ((TIME.hasBeginning, r.start, "start"), (TIME.hasEnd, r.end, "end")):
                    if value:
                        instant = URIRef(f"{interval}/{suffix}")
                        g.add(interval, prop, instant)
                        g.add(instant, RDF.type, TIME.Instant)
                        g.add(instant, TIME.inXSDDate, _date(value))
        g.evidence(node, r.evidence)


def _ratifications(g: _Graph) -> None:
    for r in g.facts.ratifications:
        node = ids.ratification(r.instrument, r.state)
        g.add(node, RDF.type, UKG.Ratification)
        g.add(node, UKG.state, ids.state(r.state))
        g.add(node, UKG.instrument, ids.instrument(r.instrument))
        if r.year:
            g.add(node, UKG.year, _lit(f"{r.year:04d}", datatype=XSD.gYear))
        if r.consent_type:
            g.add(node, UKG.consentType, UKG[r.consent_type])
        g.evidence(node, r.evidence)
    for c in g.facts.party_counts:
        node = ids.party_count(g.doc_key, c.instrument, c.evidence.paragraph)
        g.add(node, RDF.type, UKG.PartyCount)
        g.add(node, UKG.instrument, ids.instrument(c.instrument))
        g.add(node, UKG.partyCount, _int(c.count))
        if g.facts.document.issued:
            g.add(node, DCTERMS.date, _date(g.facts.document.issued))
        g.evidence(node, c.evidence)


def _unresolved(g: _Graph) -> None:
    for u in g.facts.unresolved:
        node = ids.mention(g.doc_key, u.evidence.start)
        g.add(node, RDF.type, UKG.UnresolvedMention)
        g.add(node, UKG.mentionText, _str(u.text))
        g.add(node, UKG.mentionKind, _str(u.kind))
        g.evidence(node, u.evidence)


def _document_node(g: _Graph, symbol: str) -> URIRef:
    """Another UN document named by the markup (a draft, a committee report, a meeting record)."""
    node = ids.doc(ids.doc_key(symbol, ""))
    g.add(node, RDF.type, UKG.Document)
    g.add(node, UKG.symbol, _str(symbol))
    g.add(node, RDFS.seeAlso, undocs(symbol))
    return node


def _markup(g: _Graph) -> None:
    """What the UN's markup states beyond the text: language versions, subjects, draft, adoption, vote."""
    m = g.facts.markup
    if m is None or g.facts.own_act is None:
        return
    act = g.act(g.facts.own_act)
    g.add(act, UKG.aknUri, _str(m.work_uri) if m.work_uri else None)
    for e in m.expressions:
        node = ids.expression(g.doc, e.language)
        g.add(g.doc, UKG.hasExpression, node)
        g.add(node, RDF.type, UKG.Expression)
        g.add(node, DCTERMS.language, _str(e.language))
        g.add(node, UKG.aknUri, _str(e.uri) if e.uri else None)
        g.add(node, UKG.sourceFile, _str(e.source_file))
        g.add(node, UKG.contentHash, _str(e.content_sha256))
        g.add(node, DCTERMS.issued, _date(e.published) if e.published else None)
        if g.facts.document.symbol:
            g.add(node, RDFS.seeAlso, undocs(g.facts.document.symbol, e.language))
        if e.title:
            title = _lit(e.title, lang=e.language)
            for s in (node, g.doc, act):
                g.add(s, DCTERMS.title, title)
    for s in m.subjects:
        g.add(act, DCTERMS.subject, URIRef(s.iri))
        g.add(g.doc, DCTERMS.subject, URIRef(s.iri))
    a = m.adoption
    if a is not None:
        if a.committee_report:
            g.add(act, UKG.committeeReport, _document_node(g, a.committee_report))
        if a.plenary_record:
            g.add(act, UKG.meetingRecord, _document_node(g, a.plenary_record))
        g.add(act, UKG.adoptionMeeting, _str(a.meeting) if a.meeting else None)
        g.add(act, UKG.voteOutcome, _str(a.outcome) if a.outcome else None)
        for prop, n in ((UKG.votesInFavour, a.in_favour), (UKG.votesAgainst, a.against),
                        (UKG.abstentions, a.abstaining)):
            g.add(act, prop, _int(n) if n is not None else None)
    d = m.draft
    if d is None:
        return
    draft_doc = _document_node(g, d.symbol)
    node = ids.draft(ids.doc_key(d.symbol, ""))
    g.add(node, RDF.type, UKG.DraftAct)
    g.add(node, DCTERMS.type, _str(f"draft {g.facts.own_act.kind}"))
    g.add(node, DCTERMS.isPartOf, draft_doc)
    g.add(node, RDFS.label, _lit(f"Draft {g.facts.own_act.kind} {d.symbol}", lang="en"))
    g.add(node, DCTERMS.date, _date(d.date) if d.date else None)
    g.add(node, UKG.adoptedAs, act)
    g.add(act, UKG.adoptedFrom, node)
    g.add(node, UKG.submittedTo, ids.body(g.facts.own_act.body))
    for sponsor in d.sponsors:
        g.add(node, UKG.sponsor, ids.entity(sponsor))
    for sponsor in d.additional:
        g.add(node, UKG.sponsor, ids.entity(sponsor))
        g.add(node, UKG.additionalSponsor, ids.entity(sponsor))
    for name in d.written:
        g.add(node, UKG.sponsorAsWritten, _str(name))
    g.add(node, PROV.wasDerivedFrom, g.doc)  # the act's own record of its workflow
