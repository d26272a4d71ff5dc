"""`untoc-kg ontology-docs` (the ontology as a standalone page) and `untoc-kg void` (the dataset in VoID)."""

from __future__ import annotations

import re

import pyoxigraph as ox
import rdflib
from click.testing import CliRunner
from rdflib.compare import isomorphic
from rdflib.namespace import OWL, RDF, RDFS

from conftest import ROOT
from kg.cli import main
from kg.docs import ontology_html
from kg.server.dumps import DUMPS
from kg.server.linked_data import read_catalog
from kg.store import open_store

UKG = "https://w3id.org/untoc-kg/ontology#"
VOID = rdflib.Namespace("http://rdfs.org/ns/void#")
ONTOLOGY = ROOT / "ontology" / "untoc.ttl"


def invoke(*args):
    result = CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result


def declared_terms() -> dict[str, set[str]]:
    g = rdflib.Graph().parse(ONTOLOGY, format="turtle")
    out = {}
    for kind in (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, OWL.NamedIndividual):
        out[str(kind)] = {str(s) for s in g.subjects(RDF.type, kind) if str(s).startswith(UKG)}
    return out


# ---------------------------------------------------------------------------------------------
# ontology-docs


def test_ontology_docs_writes_a_page_naming_every_term_and_a_copy_of_the_turtle(tmp_path):
    invoke("ontology-docs", "-o", tmp_path / "site")
    html = (tmp_path / "site" / "index.html").read_text(encoding="utf-8")
    assert (tmp_path / "site" / "untoc.ttl").read_bytes() == ONTOLOGY.read_bytes()
    assert html.startswith("<!DOCTYPE html>") and "</html>" in html
    assert "/static/" not in html  # standalone: no stylesheet of the server
    terms = declared_terms()
    assert terms[str(OWL.Class)] and terms[str(OWL.ObjectProperty)] and terms[str(OWL.DatatypeProperty)]
    g = rdflib.Graph().parse(ONTOLOGY, format="turtle")
    for iris in terms.values():
        for iri in iris:
            local = iri[len(UKG):]
            assert f'id="{local}"' in html, iri
            assert f"ukg:{local}" in html, iri
            label = g.value(rdflib.URIRef(iri), RDFS.label)
            assert label is None or str(label) in html, iri


def test_ontology_docs_shows_comment_domain_range_and_superclass():
    html = ontology_html(ONTOLOGY.read_bytes()).decode()
    section = re.search(r'<section class="term" id="supplements">.*?</section>', html).group(0)
    assert "The convention that a protocol supplements." in section
    assert "Domain" in section and 'href="#Protocol"' in section
    assert "Range" in section and 'href="#Convention"' in section
    protocol = re.search(r'<section class="term" id="Protocol">.*?</section>', html).group(0)
    assert "Subclass of" in protocol and 'href="#Instrument"' in protocol
    assert 'id="individuals"' in html and 'id="Establishment"' in html


def test_ontology_docs_escapes_the_ontology_text():
    hostile = b"""
@prefix ukg: <https://w3id.org/untoc-kg/ontology#> .
@prefix owl: <http://www.w3.org/2002/07/owl#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
ukg:Evil a owl:Class ; rdfs:label "<b>bold</b> & co"@en ;
    rdfs:comment "A comment with <script>alert(1)</script> and <img src=x onerror=alert(2)>."@en .
"""
    html = ontology_html(hostile).decode()
    assert "<script" not in html and "<img" not in html and "<b>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html and "&lt;b&gt;bold&lt;/b&gt; &amp; co" in html


def test_ontology_docs_gives_the_same_bytes_twice(tmp_path):
    invoke("ontology-docs", "-o", tmp_path / "a")
    invoke("ontology-docs", "-o", tmp_path / "b")
    for name in ("index.html", "untoc.ttl"):
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes()


# ---------------------------------------------------------------------------------------------
# void


def _catalog(built_store):
    store = open_store(built_store)
    try:
        return read_catalog(store)
    finally:
        del store


def test_void_describes_the_built_store(built_store, tmp_path):
    base = "https://kg.example.org"
    invoke("void", "--base", base, "-o", tmp_path / "void.ttl", "--store", built_store)
    g = rdflib.Graph().parse(tmp_path / "void.ttl", format="turtle")
    catalog = _catalog(built_store)
    dataset = next(g.objects(None, rdflib.URIRef("http://xmlns.com/foaf/0.1/primaryTopic")))
    assert (dataset, RDF.type, VOID.Dataset) in g
    assert int(g.value(dataset, VOID.triples)) == catalog.total
    assert g.value(dataset, VOID.sparqlEndpoint) == rdflib.URIRef(f"{base}/sparql")
    assert {str(o) for o in g.objects(dataset, VOID.dataDump)} == {f"{base}/dumps/{d.name}" for d in DUMPS}
    vocabularies = {str(o) for o in g.objects(dataset, VOID.vocabulary)}
    assert {UKG, "http://www.w3.org/ns/org#", "http://www.w3.org/ns/prov#", "http://purl.org/dc/terms/",
            "http://www.w3.org/2004/02/skos/core#", "http://xmlns.com/foaf/0.1/",
            "http://www.w3.org/2006/time#"} <= vocabularies
    assert int(g.value(dataset, VOID.entities)) > 0 and int(g.value(dataset, VOID.classes)) > 0
    sd_name = rdflib.URIRef("http://www.w3.org/ns/sparql-service-description#name")
    subsets = {str(g.value(s, sd_name)): s for s in g.objects(dataset, VOID.subset)}
    assert set(subsets) == set(catalog.graphs)
    for graph, subset in subsets.items():
        assert int(g.value(subset, VOID.triples)) == catalog.triples[graph]
        assert g.value(subset, VOID.entities) is not None and g.value(subset, VOID.classes) is not None


def test_void_as_n_triples_to_standard_output_is_the_same_graph(built_store, tmp_path):
    invoke("void", "-o", tmp_path / "void.ttl", "--store", built_store)
    result = CliRunner().invoke(main, ["void", "--format", "nt", "--store", str(built_store)])
    assert result.exit_code == 0
    nt = rdflib.Graph().parse(data=result.stdout_bytes.decode(), format="nt")
    ttl = rdflib.Graph().parse(tmp_path / "void.ttl", format="turtle")
    assert isomorphic(nt, ttl)
    assert (None, VOID.sparqlEndpoint, rdflib.URIRef("http://127.0.0.1:8000/sparql")) in nt
    again = CliRunner().invoke(main, ["void", "--format", "nt", "--store", str(built_store)])
    assert again.stdout_bytes == result.stdout_bytes
    ox.parse(result.stdout_bytes, format=ox.RdfFormat.N_TRIPLES)  # strict N-Triples


def test_void_without_a_store_is_one_line(tmp_path):
    result = CliRunner().invoke(main, ["void", "--store", str(tmp_path / "missing")])
    assert result.exit_code == 1 and "no store" in result.output and "Traceback" not in result.output
