"""The ontology: labelled and defined in both languages, matched by the closed namespace."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Graph, URIRef

from antitraffick_kg.namespaces import ATK, OWL, RDF, RDFS, SKOS

ROOT = Path(__file__).resolve().parent.parent
ONTOLOGY = Graph().parse(ROOT / "ontology" / "antitraffick.ttl")
NS = str(ATK._NS)
TERMS = sorted({s for s in ONTOLOGY.subjects() if isinstance(s, URIRef) and str(s).startswith(NS)})


@pytest.mark.parametrize("term", TERMS, ids=lambda t: t.split("#")[1])
def test_every_term_has_chinese_and_english_labels_and_a_definition(term):
    langs = {label.language for label in ONTOLOGY.objects(term, RDFS.label)}
    assert {"zh", "en"} <= langs
    assert {d.language for d in ONTOLOGY.objects(term, SKOS.definition)} >= {"zh", "en"}


def test_closed_namespace_lists_exactly_the_ontologys_terms():
    declared = {str(t).split("#")[1] for t in TERMS}
    listed = {name for name in ATK.__annotations__}
    assert listed == declared
    with pytest.raises(AttributeError):
        ATK.Tsak


def test_every_term_the_plan_uses_is_defined(plan_graph):
    used = {t for triple in plan_graph for t in triple if isinstance(t, URIRef) and str(t).startswith(NS)}
    assert used <= set(TERMS)


def test_every_class_and_property_is_typed():
    for term in TERMS:
        types = set(ONTOLOGY.objects(term, RDF.type))
        assert types & {OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, OWL.NamedIndividual}, term


def test_reused_vocabularies_are_recorded_in_the_ontology_readme():
    readme = (ROOT / "ontology" / "README.md").read_text(encoding="utf-8")
    for vocabulary in ("ORG", "SKOS", "OWL-Time", "PROV-O", "DCTERMS", "ELI", "Web Annotation"):
        assert vocabulary in readme
    superclasses = {o for o in ONTOLOGY.objects(None, RDFS.subClassOf) if isinstance(o, URIRef)}
    superclasses |= {o for o in ONTOLOGY.objects(None, RDFS.subPropertyOf) if isinstance(o, URIRef)}
    for term in superclasses:
        if not str(term).startswith(NS):
            prefix = ONTOLOGY.namespace_manager.normalizeUri(term)
            assert prefix in readme, prefix
