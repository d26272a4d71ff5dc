"""The bodies table (loaders/data/bodies.tsv) as data: sources, slugs, parents, classes, and the names
UN resolutions write resolving to the one body they mean."""

from __future__ import annotations

import re
from functools import lru_cache

import pytest
from rdflib import Graph, URIRef
from rdflib.namespace import RDF, RDFS

from kg import ids
from kg.reference import _BODY_CLASSES, reference_triples
from kg.resources import ontology_dir
from kg.vocab import UKG
from loaders import gazetteer
from loaders.facts import EntityRef

SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
UKG_NS = str(UKG.Body)[: -len("Body")]

# The slugs the table had before the landscape was added: public IRIs (id:body/{slug}), never renamed.
FIRST_SLUGS = {
    "untoc-cop", "untoc-cop-bureau", "wg-tip", "wg-som", "wg-firearms", "wg-ic", "wg-ta", "ga", "ecosoc",
    "ccpcj", "hrc", "sr-tip", "sr-slavery", "unodc", "unodc-htmss", "unodc-ocitb", "cop-secretariat", "icat",
    "un-gift", "gmg", "iom", "unwto", "frontex", "ohchr", "unicef", "ilo", "un-women", "unhcr", "undp", "eu",
    "europol", "eurojust", "oas", "osce", "aalco", "acp", "icmpd", "interpol", "smom", "lwb", "un-secretariat",
    "untf-tip", "un-secretary-general",
}


@lru_cache(maxsize=1)
def _lines() -> tuple[tuple[int, tuple[str, ...]], ...]:
    """(line number, fields) of every data line of bodies.tsv, read as plainly as possible."""
    text = (gazetteer.DATA / "bodies.tsv").read_text(encoding="utf-8")
    return tuple((number, tuple(line.split("\t"))) for number, line in enumerate(text.splitlines(), start=1)
                 if line.strip() and not line.startswith("#"))


@lru_cache(maxsize=1)
def _ontology() -> Graph:
    return Graph().parse(data=ontology_dir().joinpath("untoc.ttl").read_text(encoding="utf-8"), format="turtle")


def _names(record: gazetteer.BodyRecord) -> list[str]:
    return [record.label, *record.aliases]


def test_every_line_has_six_columns_and_a_source():
    bad = [(number, fields[0]) for number, fields in _lines() if len(fields) != 6 or not fields[5].strip()]
    assert bad == []


def test_slugs_are_unique_and_well_formed():
    slugs = [fields[0] for _, fields in _lines()]
    assert len(slugs) == len(set(slugs)), sorted({s for s in slugs if slugs.count(s) > 1})
    assert [s for s in slugs if not SLUG.fullmatch(s) or len(s) > 30] == []


def test_the_first_slugs_are_kept():
    assert FIRST_SLUGS - set(gazetteer.bodies()) == set()


def test_every_parent_exists_and_no_body_is_its_own_ancestor():
    bodies = gazetteer.bodies()
    assert {r.slug: r.parent for r in bodies.values() if r.parent and r.parent not in bodies} == {}
    for record in bodies.values():
        seen, parent = {record.slug}, record.parent
        while parent:
            assert parent not in seen, f"{record.slug}: its parents loop back through {parent}"
            seen.add(parent)
            parent = bodies[parent].parent


def _subclasses_of_body() -> set[str]:
    graph = _ontology()
    found = {UKG.Body}
    for cls in graph.transitive_subjects(RDFS.subClassOf, UKG.Body):
        found.add(cls)
    return {str(c)[len(UKG_NS):] for c in found if isinstance(c, URIRef) and str(c).startswith(UKG_NS)}


def test_every_class_used_is_declared_as_a_kind_of_body():
    used = {r.cls for r in gazetteer.bodies().values()}
    assert used - _subclasses_of_body() == set()


def test_the_class_chains_of_the_reference_builder_follow_the_ontology():
    """kg/reference.py types a body with its class and every ukg: class above it, as untoc.ttl says."""
    graph = _ontology()
    assert set(_BODY_CLASSES) == _subclasses_of_body()
    for name, chain in _BODY_CLASSES.items():
        above = {str(c)[len(UKG_NS):] for c in graph.transitive_objects(UKG[name], RDFS.subClassOf)
                 if str(c).startswith(UKG_NS)} - {name}
        assert set(chain) == above, name


def test_a_new_kind_of_un_body_is_still_a_un_entity_in_the_reference_graph():
    types = {o for s, p, o in reference_triples() if s == ids.body("cnd") and p == RDF.type}
    assert types == {UKG.FunctionalCommission, UKG.UNEntity, UKG.Body}


def test_no_name_belongs_to_two_bodies():
    owners: dict[str, set[str]] = {}
    for record in gazetteer.bodies().values():
        for name in _names(record):
            owners.setdefault(gazetteer.fold(name), set()).add(record.slug)
    assert {name: slugs for name, slugs in owners.items() if len(slugs) > 1} == {}


def test_no_body_name_is_also_the_name_of_a_state_or_an_instrument():
    others = {gazetteer.fold(n) for n in gazetteer.state_names()}
    others |= {gazetteer.fold(n) for r in gazetteer.instruments().values()
               for n in (r.label, r.short_title, *r.aliases)}
    clashes = sorted(n for r in gazetteer.bodies().values() for n in _names(r) if gazetteer.fold(n) in others)
    assert clashes == []


@pytest.mark.parametrize("name, slug", [
    ("the Commission on Narcotic Drugs", "cnd"),
    ("the Conference of the States Parties to the United Nations Convention against Corruption", "uncac-cosp"),
    ("the Special Rapporteur on trafficking in persons, especially women and children", "sr-tip"),
    ("the Office of Counter-Terrorism", "unoct"),
    ("the United Nations Office of Counter-Terrorism", "unoct"),
    ("the Counter-Terrorism Committee Executive Directorate", "cted"),
    ("the Counter-Terrorism Committee", "ctc"),
    ("the United Nations Environment Assembly of the United Nations Environment Programme", "unea"),
    ("the United Nations Environment Programme", "unep"),
    ("the Security Council", "unsc"),
    ("the International Court of Justice", "icj"),
    ("the Third Committee", "ga-third-committee"),
    ("Special Political and Decolonization Committee (Fourth Committee)", "ga-fourth-committee"),
    ("the Commission on the Status of Women", "csw"),
    ("the Economic and Social Commission for Asia and the Pacific", "escap"),
    ("the International Narcotics Control Board", "incb"),
    ("the Committee against Torture", "cat"),
    ("the Subcommittee on Prevention of Torture", "spt"),
    ("the Committee on the Elimination of Discrimination against Women", "cedaw"),
    ("the Special Rapporteur on the sale and sexual exploitation of children", "sr-sale-children"),
    ("the Special Rapporteur on the promotion and protection of human rights and fundamental freedoms "
     "while countering terrorism", "sr-ct"),
    ("the Working Group on Arbitrary Detention", "wgad"),
    ("the Special Representative of the Secretary-General on Violence against Children", "srsg-vac"),
    ("the Human Rights Council Advisory Committee", "hrc-advisory-committee"),
    ("the United Nations Interregional Crime and Justice Research Institute", "unicri"),
    ("the United Nations Voluntary Fund for Victims of Torture", "unvfvt"),
    ("the Food and Agriculture Organization of the United Nations", "fao"),
    ("the World Health Organization", "who"),
    ("the International Criminal Court", "icc"),
    ("the African Union", "au"),
    ("the Council of Europe", "coe"),
    ("the Organisation of Islamic Cooperation", "oic"),
    ("the Financial Action Task Force", "fatf"),
    ("the Implementation Review Group", "uncac-irg"),
    ("the open-ended intergovernmental Expert Group to Conduct a Comprehensive Study on Cybercrime",
     "expert-group-cybercrime"),
    # former bodies are their own rows, not other names of their successors
    ("the Commission on Human Rights", "chr"),
    ("the Office for Drug Control and Crime Prevention", "odccp"),
    ("the Human Rights Council", "hrc"),
    ("the United Nations Office on Drugs and Crime", "unodc"),
])
def test_a_name_as_resolutions_write_it_resolves_to_its_body(name, slug):
    assert gazetteer.lookup(name) == EntityRef("body", slug)


def test_names_are_found_in_running_text_longest_first():
    text = ("Requests the United Nations Office on Drugs and Crime, in cooperation with the Counter-Terrorism "
            "Committee Executive Directorate, the Office of Counter-Terrorism and the Security Council Committee "
            "established pursuant to resolution 1373 (2001) concerning counter-terrorism, to report to the "
            "Commission on Crime Prevention and Criminal Justice and the Commission on Narcotic Drugs, and "
            "welcomes the work of the Special Rapporteur on violence against women, its causes and consequences, "
            "the ISIL (Da'esh) and Al-Qaida Sanctions Committee and the African Union;")
    found = [m.entity.key for m in gazetteer.find(text, ("body",))]
    assert found == ["unodc", "cted", "unoct", "ctc", "ccpcj", "cnd", "sr-vaw", "sc-1267-committee", "au"]


def test_a_two_letter_abbreviation_is_found_in_running_text():
    assert gazetteer.lookup("AU") == EntityRef("body", "au")
    assert [m.entity.key for m in gazetteer.find("the EU and the AU", ("body",))] == ["eu", "au"]
    assert gazetteer.find("Assembly/AU/Dec.729 and E/INCB/2018/1", ("body",)) == []  # inside symbols: not names


# Abbreviations left out on purpose: each also names a treaty, another organization or a document series.
@pytest.mark.parametrize("abbreviation", [
    "CAT", "CRC", "CEDAW", "CERD", "CRPD", "CED", "CMW", "CCPR",  # the convention as well as its committee
    "HRC",  # the A/HRC/ document series, kept out before the landscape was added
    "ICC",  # the International Chamber of Commerce, the International Coordinating Committee of NHRIs
    "ICJ",  # the International Commission of Jurists
    "ILC",  # the International Labour Conference
    "WTO",  # the World Tourism Organization before it became UNWTO
    "CPC",  # the Central Product Classification of the Statistical Commission
    "ICPC",  # national anti-corruption commissions bear the same letters
    "CoE", "LAS", "AIC", "OLA",
])
def test_an_ambiguous_abbreviation_names_no_body(abbreviation):
    assert gazetteer.names().get(abbreviation) is None or gazetteer.names()[abbreviation].kind != "body"
