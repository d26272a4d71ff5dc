"""Our own terms, as one closed namespace: a misspelt `UKG.MandateEvnt` fails at import time.

The public contract is `../shared/design/VOCABULARY.md`; `ontology/untoc.ttl` declares every term
listed here (a test checks both directions).
"""

from rdflib import Namespace, URIRef
from rdflib.namespace import DefinedNamespace

ONTOLOGY_IRI = "https://w3id.org/untoc-kg/ontology"
ID_BASE = "https://w3id.org/untoc-kg/id/"

ID = Namespace(ID_BASE)
ORG = Namespace("http://www.w3.org/ns/org#")
TIME = Namespace("http://www.w3.org/2006/time#")
VOID = Namespace("http://rdfs.org/ns/void#")
WD = Namespace("http://www.wikidata.org/entity/")


class UKG(DefinedNamespace):
    """The untoc-kg ontology namespace (`ukg:`)."""

    _NS = Namespace(ONTOLOGY_IRI + "#")
    _fail = True

    # classes
    Instrument: URIRef
    Convention: URIRef
    Protocol: URIRef
    Body: URIRef
    ConferenceOfParties: URIRef
    WorkingGroup: URIRef
    UNEntity: URIRef
    IntergovernmentalOrganization: URIRef
    InterAgencyMechanism: URIRef
    NonGovernmentalOrganization: URIRef
    PrincipalOrgan: URIRef
    Committee: URIRef
    ExpertGroup: URIRef
    FunctionalCommission: URIRef
    RegionalCommission: URIRef
    TreatyBody: URIRef
    SpecialProcedure: URIRef
    Office: URIRef
    FundOrProgramme: URIRef
    ResearchAndTrainingInstitute: URIRef
    SpecializedAgency: URIRef
    RelatedOrganization: URIRef
    State: URIRef
    Territory: URIRef
    Act: URIRef
    Decision: URIRef
    Resolution: URIRef
    DraftAct: URIRef
    Mandate: URIRef
    MandateEvent: URIRef
    MandateEventType: URIRef
    MandateKind: URIRef
    Meeting: URIRef
    Participation: URIRef
    Capacity: URIRef
    Document: URIRef
    Paragraph: URIRef
    Footnote: URIRef
    Recommendation: URIRef
    RecommendationStrength: URIRef
    Person: URIRef
    Ratification: URIRef
    ConsentType: URIRef
    Agreement: URIRef
    JointProgramme: URIRef
    Statement: URIRef
    MeetingRole: URIRef
    PartyCount: URIRef
    UnresolvedMention: URIRef
    AddresseeGroup: URIRef
    Tie: URIRef
    AgendaItem: URIRef
    Expression: URIRef

    # properties
    supplements: URIRef
    shortTitle: URIRef
    iso3: URIRef
    m49: URIRef
    admissionDate: URIRef
    observerStateSince: URIRef
    actNumber: URIRef
    adoptedBy: URIRef
    adoptedAt: URIRef
    sponsor: URIRef
    submittedTo: URIRef
    holder: URIRef
    establishedBy: URIRef
    continuedBy: URIRef
    mandate: URIRef
    act: URIRef
    eventType: URIRef
    mandateKind: URIRef
    holderLabel: URIRef
    dueSession: URIRef
    dueDate: URIRef
    proposedBy: URIRef
    ofBody: URIRef
    sessionNumber: URIRef
    startDate: URIRef
    endDate: URIRef
    venue: URIRef
    chair: URIRef
    panellist: URIRef
    meetingsHeld: URIRef
    meeting: URIRef
    participant: URIRef
    capacity: URIRef
    attended: URIRef
    symbol: URIRef
    distribution: URIRef
    originalLanguage: URIRef
    forMeeting: URIRef
    agendaItem: URIRef
    agendaItemTitle: URIRef
    agendaSymbol: URIRef
    documentKind: URIRef
    preparedPursuantTo: URIRef
    sourceFile: URIRef
    contentHash: URIRef
    textHash: URIRef
    fromManifest: URIRef
    inDocument: URIRef
    number: URIRef
    text: URIRef
    operativeVerb: URIRef
    isOperative: URIRef
    startOffset: URIRef
    endOffset: URIRef
    footnote: URIRef
    addressedTo: URIRef
    topic: URIRef
    strength: URIRef
    nationality: URIRef
    state: URIRef
    instrument: URIRef
    consentType: URIRef
    year: URIRef
    party: URIRef
    agreementKind: URIRef
    partner: URIRef
    country: URIRef
    region: URIRef
    coordinates: URIRef
    chairs: URIRef
    manages: URIRef
    speaker: URIRef
    person: URIRef
    role: URIRef
    partyCount: URIRef
    mentionText: URIRef
    mentionKind: URIRef
    treatySeriesVolume: URIRef
    treatySeriesNumber: URIRef
    entryIntoForce: URIRef
    adoptionDate: URIRef
    article: URIRef
    locator: URIRef
    tieFrom: URIRef
    tieTo: URIRef
    tieKind: URIRef
    recalls: URIRef
    hasAgendaItem: URIRef
    eId: URIRef
    adoptedAs: URIRef
    adoptedFrom: URIRef
    additionalSponsor: URIRef
    sponsorAsWritten: URIRef
    committeeReport: URIRef
    meetingRecord: URIRef
    adoptionMeeting: URIRef
    voteOutcome: URIRef
    votesInFavour: URIRef
    votesAgainst: URIRef
    abstentions: URIRef
    hasExpression: URIRef
    aknUri: URIRef

    # individuals: event types
    Establishment: URIRef
    Continuation: URIRef
    Extension: URIRef
    Modification: URIRef
    Request: URIRef
    Termination: URIRef
    Fulfilment: URIRef
    Proposal: URIRef

    # individuals: mandate kinds
    BodyMandate: URIRef
    SpecialProcedureMandate: URIRef
    FundOrProgrammeMandate: URIRef
    AgendaItemMandate: URIRef
    MeetingMandate: URIRef
    ReportingMandate: URIRef
    TaskMandate: URIRef

    # individuals: capacities
    StateParty: URIRef
    Signatory: URIRef
    ObserverState: URIRef
    NonMemberObserverState: URIRef
    RegionalOrganizationParty: URIRef
    UNEntityObserver: URIRef
    IntergovernmentalObserver: URIRef
    OtherObserver: URIRef

    # individuals: consent types
    ByRatification: URIRef
    ByAccession: URIRef
    ByAcceptance: URIRef
    ByApproval: URIRef
    BySuccession: URIRef

    # individuals: recommendation strengths and addressee groups
    Shall: URIRef
    Should: URIRef
    Encouraged: URIRef
    May: URIRef
    StatesParties: URIRef
    MemberStates: URIRef
    States: URIRef


EVENT_TYPES = ("Establishment", "Continuation", "Extension", "Modification", "Request",
               "Termination", "Fulfilment", "Proposal")
MANDATE_KINDS = {"body": "BodyMandate", "special-procedure": "SpecialProcedureMandate",
                 "fund-or-programme": "FundOrProgrammeMandate", "agenda-item": "AgendaItemMandate",
                 "meeting": "MeetingMandate", "reporting": "ReportingMandate", "task": "TaskMandate"}
CAPACITIES = ("StateParty", "Signatory", "ObserverState", "NonMemberObserverState",
              "RegionalOrganizationParty", "UNEntityObserver", "IntergovernmentalObserver",
              "OtherObserver")
CONSENT_TYPES = ("ByRatification", "ByAccession", "ByAcceptance", "ByApproval", "BySuccession")
