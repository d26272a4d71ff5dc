"""The ontology and the shapes: they parse everywhere, and the ontology, kg/vocab.py and VOCABULARY.md agree."""

from __future__ import annotations

import re
from pathlib import Path

import pycountry
import pyoxigraph
import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import DCTERMS, FOAF, OWL, PROV, RDF, RDFS, SH

from kg.resources import ontology_dir, queries_dir
from kg.vocab import CAPACITIES, CONSENT_TYPES, EVENT_TYPES, ONTOLOGY_IRI, ORG, UKG

ROOT = Path(__file__).resolve().parent.parent
VOCABULARY_MD = ROOT.parent / "shared" / "design" / "VOCABULARY.md"
UKG_NS = ONTOLOGY_IRI + "#"
SHAPES_NS = "https://w3id.org/untoc-kg/shapes#"
DECLARATION_TYPES = (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, OWL.NamedIndividual)


def _read(name: str) -> str:
    return ontology_dir().joinpath(name).read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def ontology() -> Graph:
    return Graph().parse(data=_read("untoc.ttl"), format="turtle")


@pytest.fixture(scope="module")
def shapes() -> Graph:
    return Graph().parse(data=_read("shapes.ttl"), format="turtle")


def _declared(ontology: Graph) -> set[str]:
    """Local names of the ukg: terms the ontology declares (typed as a class, property or individual)."""
    return {str(s)[len(UKG_NS):] for t in DECLARATION_TYPES for s in ontology.subjects(RDF.type, t)
            if isinstance(s, URIRef) and str(s).startswith(UKG_NS)}


VOCAB_TERMS = set(UKG.__annotations__)


@pytest.mark.parametrize("name", ["untoc.ttl", "shapes.ttl"])
def test_turtle_parses_with_rdflib_and_pyoxigraph_to_the_same_size(name):
    text = _read(name)
    with_rdflib = Graph().parse(data=text, format="turtle")
    with_oxigraph = list(pyoxigraph.parse(text, format=pyoxigraph.RdfFormat.TURTLE))
    assert len(with_rdflib) > 100
    assert len(with_oxigraph) == len(with_rdflib)


def test_every_vocab_term_is_declared(ontology):
    assert VOCAB_TERMS - _declared(ontology) == set()


def test_every_declared_term_is_in_vocab(ontology):
    assert _declared(ontology) - VOCAB_TERMS == set()


def test_every_declared_term_has_an_english_label_and_comment(ontology):
    missing = []
    for name in sorted(_declared(ontology)):
        term = UKG[name]
        for predicate in (RDFS.label, RDFS.comment):
            values = [v for v in ontology.objects(term, predicate) if isinstance(v, Literal) and v.language == "en"]
            if len(values) != 1:
                missing.append(f"{name} {predicate.n3(ontology.namespace_manager)}: {len(values)}")
    assert missing == []


def test_every_term_of_the_public_vocabulary_is_declared(ontology):
    if not VOCABULARY_MD.is_file():
        pytest.skip(f"the design contract is not beside the checkout ({VOCABULARY_MD})")
    named = set(re.findall(r"ukg:([A-Za-z]\w*)", VOCABULARY_MD.read_text(encoding="utf-8")))
    assert named, "no ukg: term found in VOCABULARY.md"
    assert named - _declared(ontology) == set()


def test_properties_and_classes_are_typed_as_their_kind(ontology):
    """A term's kind follows its spelling: classes capitalised, properties not, except the individuals."""
    individuals = set(ontology.subjects(RDF.type, OWL.NamedIndividual))
    for name in _declared(ontology):
        term = UKG[name]
        if term in individuals:
            continue
        if name[0].isupper():
            assert (term, RDF.type, OWL.Class) in ontology, name
        else:
            kinds = {OWL.ObjectProperty, OWL.DatatypeProperty} & set(ontology.objects(term, RDF.type))
            assert len(kinds) == 1, name


@pytest.mark.parametrize("names, cls", [
    (EVENT_TYPES, UKG.MandateEventType),
    (CAPACITIES, UKG.Capacity),
    (CONSENT_TYPES, UKG.ConsentType),
    (("Shall", "Should", "Encouraged", "May"), UKG.RecommendationStrength),
    (("StatesParties", "MemberStates", "States"), UKG.AddresseeGroup),
])
def test_individuals_are_typed_by_their_class_and_close_it(ontology, names, cls):
    for name in names:
        assert (UKG[name], RDF.type, OWL.NamedIndividual) in ontology
        assert (UKG[name], RDF.type, cls) in ontology
    one_of = ontology.value(cls, OWL.oneOf)
    assert set(Collection(ontology, one_of)) == {UKG[n] for n in names}


@pytest.mark.parametrize("sub, sup", [
    (UKG.Body, ORG.Organization),
    (UKG.InterAgencyMechanism, ORG.OrganizationalCollaboration),
    (UKG.InterAgencyMechanism, UKG.Body),
    (UKG.WorkingGroup, UKG.Body),
    (UKG.MandateEvent, PROV.Activity),
    (UKG.Meeting, PROV.Activity),
    (UKG.Person, FOAF.Person),
    (UKG.Document, FOAF.Document),
    (UKG.Paragraph, PROV.Entity),
    (UKG.DraftAct, UKG.Act),
    (UKG.Decision, UKG.Act),
    (UKG.Protocol, UKG.Instrument),
])
def test_classes_reuse_w3c_vocabularies(ontology, sub, sup):
    assert (sub, RDFS.subClassOf, sup) in ontology


def test_ontology_header(ontology):
    header = URIRef(ONTOLOGY_IRI)
    assert (header, RDF.type, OWL.Ontology) in ontology
    assert ontology.value(header, OWL.versionInfo) == Literal("0.1.0")
    for predicate in (DCTERMS.title, DCTERMS.description, DCTERMS.license):
        assert ontology.value(header, predicate) is not None, predicate


def test_reused_w3c_terms_are_not_redeclared(ontology):
    ours = (UKG_NS, ONTOLOGY_IRI)
    foreign = {s for t in DECLARATION_TYPES for s in ontology.subjects(RDF.type, t)
               if isinstance(s, URIRef) and not str(s).startswith(ours)}
    assert foreign == set()


def test_shapes_only_name_declared_ukg_terms(ontology, shapes):
    """A misspelt term in a shape (ukg:adoptedby) would silently never match anything."""
    declared = _declared(ontology)
    used = {str(term)[len(UKG_NS):] for triple in shapes for term in triple
            if isinstance(term, URIRef) and str(term).startswith(UKG_NS)}
    assert used - declared == set()


def test_every_shape_is_named_and_says_why(shapes):
    """Named shapes make violations assertable; a message makes them readable."""
    targeted = set(shapes.subjects(SH.targetClass, None)) | set(shapes.subjects(SH.targetSubjectsOf, None))
    assert targeted
    for shape in targeted:
        assert isinstance(shape, URIRef) and str(shape).startswith(SHAPES_NS), shape
        assert shapes.value(shape, SH.message) is not None, shape


def test_the_iso_code_list_of_the_shapes_is_pycountrys(shapes):
    in_list = shapes.value(URIRef(SHAPES_NS + "StateIso3Assigned"), SH["in"])
    listed = [str(code) for code in Collection(shapes, in_list)]
    expected = sorted(country.alpha_3 for country in pycountry.countries)
    assert listed == expected, (
        "ISO 3166-1 changed: regenerate the sh:in list of ukgsh:StateIso3Assigned in ontology/shapes.ttl "
        "from sorted(c.alpha_3 for c in pycountry.countries)")


def test_ontology_and_queries_are_found_from_the_package():
    assert ontology_dir().joinpath("untoc.ttl").is_file()
    assert ontology_dir().joinpath("reference").joinpath("sessions.tsv").is_file()
    assert queries_dir().is_dir()
