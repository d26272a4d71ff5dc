"""Facts of the Secretariat's 2012 report to the sixth session (001): read from the document."""

from datetime import date

from loaders.facts import ActKey, MeetingKey

from .seeds import REPORT_2012, facts

F = facts(REPORT_2012)
R52 = ActKey("untoc-cop", "resolution", "5/2")


def test_the_document():
    d = F.document
    assert d.symbol is None and d.agenda_symbol == "CTOC/COP/2012/1"
    assert d.title.startswith("Activities of the United Nations Office on Drugs and Crime to promote and support")
    assert d.kind == "report" and d.issued == date(2012, 6, 29) and d.distribution == "General"
    assert d.session_number == 6 and d.agenda_item == "2 (b)"


def test_the_sixth_session():
    assert F.meeting == MeetingKey("untoc-cop", date(2012, 10, 15))
    assert F.meetings[0].end == date(2012, 10, 19)


def test_prepared_pursuant_to_resolution_5_2():
    assert [p.act for p in F.pursuant_to] == [R52]
    assert [(e.holder, e.event_type, e.act) for e in F.mandate_events] == [("cop-secretariat", "Fulfilment", R52)]
    act = next(a for a in F.acts if a.key == R52)
    assert act.title.startswith("Implementation of the Protocol to Prevent, Suppress and Punish Trafficking in Persons")


def test_the_eight_ratifications_of_2011_and_2012():
    got = {(r.state, r.instrument, r.year) for r in F.ratifications}
    assert got == {("GRC", "tip-protocol", 2011), ("HTI", "tip-protocol", 2011), ("IND", "tip-protocol", 2011),
                   ("FSM", "tip-protocol", 2011), ("MAR", "tip-protocol", 2011), ("BDI", "tip-protocol", 2012),
                   ("ETH", "tip-protocol", 2012), ("VNM", "tip-protocol", 2012)}
    # the report says "ratified" of all eight; that word is no evidence of the legal form of consent
    assert all(r.consent_type is None for r in F.ratifications)
    assert [(c.instrument, c.count) for c in F.party_counts] == [("tip-protocol", 150)]


def test_agreements():
    got = {(a.parties, a.kind, a.year, a.month) for a in F.agreements}
    assert got == {(("unodc", "unwto"), "memorandum-of-understanding", 2012, 4),
                   (("frontex", "unodc"), "working-arrangement", 2012, 4),
                   (("iom", "unodc"), "agreement", 2012, 4)}


def test_joint_programmes():
    rwanda = [p for p in F.joint_programmes if p.countries == ("RWA",)]
    assert len(rwanda) == 1 and rwanda[0].partners == ("iom", "unodc") and (rwanda[0].year, rwanda[0].month) == (2011, 11)
    others = {p.countries for p in F.joint_programmes if p.countries != ("RWA",)}
    assert others == {("BOL",), ("EGY",), ("PAK",), ("SRB",), ()}
    assert any(p.regions == ("Central Asia",) for p in F.joint_programmes)


def test_coordination_chairing_management_and_membership():
    ties = {(r.subject, r.role, r.obj) for r in F.roles}
    assert ("unodc", "coordinates", "icat") in ties
    assert ("unodc", "chairs", "gmg") in ties
    assert ("unodc", "manages", "untf-tip") in ties
    assert {("unodc", "member", "un-gift"), ("unodc", "member", "icat"), ("unodc", "member", "gmg")} <= ties
    assert ("unodc", "partner", "lwb") in ties
    chair = next(r for r in F.roles if r.role == "chairs")
    assert (chair.start, chair.end) == (date(2012, 7, 1), date(2012, 12, 31))
    # nothing binds a body to itself
    assert all(r.subject != r.obj for r in F.roles)


def test_general_assembly_resolution_64_293():
    assert (ActKey("ga", "resolution", "64/293"), "27") in {(r.act, r.evidence.paragraph) for r in F.act_references}
