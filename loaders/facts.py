"""The typed facts the loaders hand to the graph.

Extraction produces these plain objects and nothing else: no RDF, no IRIs. Every fact read from a
document carries an `Evidence` that names the paragraph it was read from and the character span of
the words that support it, so that a researcher can always be shown the sentence behind a triple.
Entities are referred to by stable keys (body slugs, ISO 3166 alpha-3 codes, instrument slugs,
`ActKey`s, document symbols); `kg.ids` turns those keys into IRIs.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date


@dataclass(frozen=True, order=True)
class Evidence:
    """Where in the source a fact was read: the paragraph's key and the supporting span.

    `paragraph` is the paragraph key of `loaders.structure` ("7", "5 (a)", "pp3", "fn1", "header").
    `start`/`end` are offsets in the *source* text (after decoding, before normalization), so that
    `source_text[start:end]` is the quoted evidence.
    """

    paragraph: str
    start: int
    end: int
    quote: str = ""


@dataclass(frozen=True, order=True)
class ActKey:
    """An act named by its adopting body, its kind and its number: ("untoc-cop", "decision", "4/4")."""

    body: str
    kind: str  # "decision" | "resolution"
    number: str  # "4/4", "64/293"

    @property
    def session(self) -> int | None:
        head = self.number.split("/", 1)[0]
        return int(head) if head.isdigit() else None

    def label(self) -> str:
        return f"{self.kind} {self.number}"


@dataclass(frozen=True, order=True)
class MeetingKey:
    body: str
    start: date


@dataclass(frozen=True)
class EntityRef:
    """A resolved reference to one canonical entity.

    `kind` is one of "body", "state", "instrument"; `key` its slug or ISO code.
    """

    kind: str
    key: str

    def __lt__(self, other: "EntityRef") -> bool:
        return (self.kind, self.key) < (other.kind, other.key)


# ---------------------------------------------------------------------------------------------
# The document itself


@dataclass(frozen=True)
class DocumentInfo:
    """What a document says about itself (and what the manifest supplies, recorded as such)."""

    source_file: str
    content_sha256: str
    text_sha256: str
    symbol: str | None = None
    symbol_from_manifest: bool = False
    title: str | None = None
    title_from_manifest: bool = False
    issued: date | None = None
    distribution: str | None = None
    original_language: str | None = None
    body: str | None = None  # slug of the body the document is issued for
    session_number: int | None = None
    agenda_item: str | None = None  # "2 (b)"
    agenda_item_title: str | None = None
    agenda_symbol: str | None = None  # the provisional agenda's symbol, from the asterisk footnote
    kind: str | None = None  # "report", "draft-decision", "draft-resolution", "background-paper", "note", "resolution", "decision"
    language: str | None = None
    encoding: str | None = None


@dataclass(frozen=True)
class Meeting:
    """A session or meeting of a body, as a document states it."""

    key: MeetingKey
    end: date | None
    venue: str | None
    session_number: int | None
    evidence: Evidence
    meetings_held: int | None = None
    ordinal_label: str | None = None  # "Fifth session", "fourth session of the working group"


@dataclass(frozen=True)
class Person:
    name: str
    nationality: str | None  # ISO alpha-3


@dataclass(frozen=True)
class AgendaItem:
    """An item of a meeting's agenda as adopted: number ("1", "1 (a)") and title."""

    meeting: MeetingKey
    number: str
    title: str
    evidence: Evidence


@dataclass(frozen=True)
class MeetingRole:
    """A person's role at a meeting: chair, panellist."""

    meeting: MeetingKey
    person: Person
    role: str  # "chair" | "panellist"
    evidence: Evidence


# ---------------------------------------------------------------------------------------------
# Acts and references


@dataclass(frozen=True)
class Act:
    """An act the document gives something about beyond its number (date, title, adopting session)."""

    key: ActKey
    evidence: Evidence
    date: date | None = None
    title: str | None = None
    session_number: int | None = None


@dataclass(frozen=True)
class ActReference:
    """The document names an act. `recalled` when named in a preambular "Recalling ..." clause."""

    act: ActKey
    evidence: Evidence
    recalled: bool = False


@dataclass(frozen=True)
class DocumentReference:
    symbol: str
    evidence: Evidence
    locator: str | None = None  # "paras. 46-51", "sect. II.A.5"
    title: str | None = None
    agenda_item: str | None = None
    in_annex_list: bool = False


@dataclass(frozen=True)
class InstrumentReference:
    instrument: str  # slug
    evidence: Evidence
    article: str | None = None


@dataclass(frozen=True)
class TreatySeriesReference:
    volume: int
    number: int
    instrument: str | None
    evidence: Evidence


@dataclass(frozen=True)
class PreparedPursuantTo:
    act: ActKey
    evidence: Evidence


# ---------------------------------------------------------------------------------------------
# Mandates


@dataclass(frozen=True)
class MandateEvent:
    """One act acting on one body's mandate.

    `event_type` is the local name of a `ukg:eventType` individual: "Establishment", "Continuation",
    "Extension", "Modification", "Request", "Termination", "Fulfilment", "Proposal".
    `holder` is the body whose mandate it is. For a draft, `act` is None and `event_type` is "Proposal".
    """

    holder: str
    event_type: str
    act: ActKey | None
    evidence: Evidence
    description: str | None = None  # what is decided or asked: its clause, from the verb, short
    kind: str | None = None  # "body", "special-procedure", "fund-or-programme", "agenda-item", "meeting",
    #                          "reporting", "task"; None is read as "body"
    holder_label: str | None = None  # the words naming the holder, as written
    due_session: int | None = None  # "at its seventy-fifth session" -> 75
    due_date: str | None = None  # "in August 2020" -> "2020-08"; "by 2021" -> "2021"
    act_paragraph: str | None = None  # the act's own paragraph number, when the evidence is the act's text
    fulfils: "ActKey | None" = None  # for a Fulfilment the act acknowledges: the act the report answers, when said

    @property
    def standing(self) -> bool:
        """A standing mandate is the body's own (one per holder); the others are given by one act."""
        return (self.kind or "body") in STANDING_KINDS


STANDING_KINDS = ("body", "special-procedure", "fund-or-programme")


@dataclass(frozen=True)
class EstablishedBody:
    """A body an act establishes that the gazetteer does not know: its key comes from the act and the
    kind of body ("ga-74-247-ad-hoc-committee"), never from a counter; `label` is its name as written."""

    key: str
    act: ActKey
    label: str
    short: str  # "ad hoc committee": the words later text uses for it
    evidence: Evidence
    establishing: bool = True  # False where the text only names it ("established by resolution 74/247")


@dataclass(frozen=True)
class DraftAct:
    """A draft decision or resolution: it proposes, it adopts nothing."""

    kind: str  # "decision" | "resolution"
    title: str | None
    sponsors: tuple[EntityRef, ...]
    body: str | None  # the body it is submitted to
    session_number: int | None
    evidence: Evidence


@dataclass(frozen=True)
class ClauseVerb:
    """The operative or preambular verb of a paragraph of a draft or adopted act."""

    paragraph: str
    verb: str
    operative: bool


# ---------------------------------------------------------------------------------------------
# Participation and statements


@dataclass(frozen=True)
class Participation:
    meeting: MeetingKey
    participant: EntityRef
    capacity: str  # local name of a ukg capacity individual
    evidence: Evidence


@dataclass(frozen=True)
class Statement:
    meeting: MeetingKey
    speaker: EntityRef
    evidence: Evidence
    agenda_items: tuple[str, ...] = ()


# ---------------------------------------------------------------------------------------------
# Recommendations


@dataclass(frozen=True)
class Recommendation:
    number: str
    text: str
    topic: str | None
    addressees: tuple[EntityRef | str, ...]  # EntityRef, or a group such as "StatesParties"
    strength: str | None  # "shall" | "should" | "encouraged" | "may"
    meeting: MeetingKey | None
    evidence: Evidence


# ---------------------------------------------------------------------------------------------
# The inter-agency landscape


@dataclass(frozen=True)
class Agreement:
    parties: tuple[str, ...]  # body slugs, sorted
    kind: str  # "memorandum-of-understanding" | "working-arrangement" | "agreement"
    year: int | None
    month: int | None
    description: str | None
    evidence: Evidence


@dataclass(frozen=True)
class JointProgramme:
    partners: tuple[str, ...]  # body slugs, sorted
    countries: tuple[str, ...]  # ISO alpha-3, sorted
    year: int | None
    month: int | None
    evidence: Evidence
    regions: tuple[str, ...] = ()


@dataclass(frozen=True)
class Role:
    """A body's role towards another: "coordinates", "chairs", "manages", "member", "partner"."""

    subject: str
    role: str
    obj: str
    evidence: Evidence
    start: date | None = None
    end: date | None = None


# ---------------------------------------------------------------------------------------------
# Ratifications


@dataclass(frozen=True)
class Ratification:
    state: str  # ISO alpha-3
    instrument: str
    year: int | None
    consent_type: str | None  # "ByRatification" | "ByAccession" | ... ; None when the text does not say
    evidence: Evidence


@dataclass(frozen=True)
class PartyCount:
    instrument: str
    count: int
    evidence: Evidence
    since: str | None = None


# ---------------------------------------------------------------------------------------------
# What could not be resolved


@dataclass(frozen=True)
class UnresolvedMention:
    text: str
    kind: str  # "state" | "body" | "act" | ...
    evidence: Evidence


# ---------------------------------------------------------------------------------------------
# What the UN's markup (AKN4UN) states beyond the text: how the act came to be, in which languages


@dataclass(frozen=True)
class Expression:
    """One language version of an act read from its markup: the FRBR expression."""

    language: str  # ISO 639-1: "en", "fr", "es", "ar", "ru", "zh"
    uri: str  # the markup's FRBRExpression URI, as written: "/akn/un/statement/.../74-247/fra@/"
    title: str
    source_file: str
    content_sha256: str
    published: date | None = None


@dataclass(frozen=True)
class MarkupDraft:
    """The draft the act was adopted from, as the markup's workflow gives it.

    `sponsors` are the names that resolve to a State or body; `written` keeps every name as written
    that does not resolve to exactly that (a group speaking "on behalf of" its members, a name the
    gazetteer lacks). `additional` are the sponsors who joined after the draft was issued.
    """

    symbol: str
    date: date | None
    sponsors: tuple[EntityRef, ...]
    additional: tuple[EntityRef, ...]
    written: tuple[str, ...]
    committee: str | None = None  # "Third Committee"


@dataclass(frozen=True)
class Adoption:
    """How the act was adopted: the committee report recommending it, the plenary record, the vote."""

    committee_report: str | None
    plenary_record: str | None
    meeting: str | None  # "52nd (resumed) plenary meeting"
    meeting_date: date | None
    outcome: str | None  # the markup's voting outcome: "adoptedWithoutVote", "adoptedRecordedVote"
    in_favour: int | None = None
    against: int | None = None
    abstaining: int | None = None


@dataclass(frozen=True)
class SubjectTerm:
    iri: str  # exactly as the markup gives it: UNBIS Thesaurus, EuroVoc, SDG
    dictionary: str
    value: str


@dataclass(frozen=True)
class MarkupRecord:
    """Everything read from the markup that the text path has no place for."""

    work_uri: str
    pivot: str  # the language whose words are the facts' text ("en" when there is an English file)
    expressions: tuple[Expression, ...]
    draft: MarkupDraft | None
    adoption: Adoption | None
    subjects: tuple[SubjectTerm, ...]
    texts: dict  # paragraph key -> {language: text}, every language the markup has for it


@dataclass
class Facts:
    """All facts read from one document, in document order within each kind."""

    document: DocumentInfo
    meeting: MeetingKey | None = None  # the meeting the document is for or reports on
    own_act: ActKey | None = None  # when the document is the text of an adopted act
    paragraphs: list = field(default_factory=list)  # loaders.structure.Paragraph
    meetings: list[Meeting] = field(default_factory=list)
    meeting_roles: list[MeetingRole] = field(default_factory=list)
    agenda: list[AgendaItem] = field(default_factory=list)
    acts: list[Act] = field(default_factory=list)
    act_references: list[ActReference] = field(default_factory=list)
    document_references: list[DocumentReference] = field(default_factory=list)
    instrument_references: list[InstrumentReference] = field(default_factory=list)
    treaty_series: list[TreatySeriesReference] = field(default_factory=list)
    pursuant_to: list[PreparedPursuantTo] = field(default_factory=list)
    mandate_events: list[MandateEvent] = field(default_factory=list)
    established_bodies: list[EstablishedBody] = field(default_factory=list)
    draft: DraftAct | None = None
    clause_verbs: list[ClauseVerb] = field(default_factory=list)
    participations: list[Participation] = field(default_factory=list)
    statements: list[Statement] = field(default_factory=list)
    recommendations: list[Recommendation] = field(default_factory=list)
    agreements: list[Agreement] = field(default_factory=list)
    joint_programmes: list[JointProgramme] = field(default_factory=list)
    roles: list[Role] = field(default_factory=list)
    ratifications: list[Ratification] = field(default_factory=list)
    party_counts: list[PartyCount] = field(default_factory=list)
    unresolved: list[UnresolvedMention] = field(default_factory=list)
    markup: MarkupRecord | None = None  # read from AKN4UN markup: workflow, subjects, languages
