"""The IRIs the project mints, as plain strings: plans, their graphs, the ontology graph, the corpus manifest.

A leaf module: it imports nothing heavy, so a reader that only needs a graph
name does not pull in rdflib.  :mod:`antitraffick_kg.namespaces` wraps the same
base for rdflib.

>>> graph_iri("dehong-2022-2030")
'https://w3id.org/antitraffick-kg/id/graph/dehong-2022-2030'
"""

from __future__ import annotations

__all__ = ["BASE", "ID_BASE", "ATK_BASE", "SH_BASE", "INSTANCE_OF", "ONTOLOGY_GRAPH", "VOCABULARY_GRAPH", "MANIFEST_GRAPH", "plan_iri",
           "graph_iri", "inferred_graph_iri", "manifest_entry_iri"]

BASE = "https://w3id.org/antitraffick-kg/"
ID_BASE = BASE + "id/"
ATK_BASE = BASE + "ontology#"
SH_BASE = "http://www.w3.org/ns/shacl#"
#: SPARQL property path text: an instance of a class or of any subclass of it
INSTANCE_OF = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>/<http://www.w3.org/2000/01/rdf-schema#subClassOf>*"
#: the named graph holding the ontology
ONTOLOGY_GRAPH = ID_BASE + "graph/ontology"
#: the named graph holding the concept schemes every plan shares (data/concepts.ttl, data/unit-functions.ttl):
#: once, so that no two plans' graphs hold the same triple and a question to every plan counts each fact once
VOCABULARY_GRAPH = ID_BASE + "graph/vocabulary"
#: the named graph of the corpus store that says which plans it holds
MANIFEST_GRAPH = ID_BASE + "graph/manifest"


def plan_iri(plan_id: str) -> str:
    """The plan document."""
    return f"{ID_BASE}plan/{plan_id}"


def graph_iri(plan_id: str) -> str:
    """The named graph holding a plan."""
    return f"{ID_BASE}graph/{plan_id}"


def inferred_graph_iri(plan_id: str) -> str:
    """The named graph holding the facts the reasoner inferred from a plan."""
    return f"{ID_BASE}graph/{plan_id}/inferred"


def manifest_entry_iri(plan_id: str, part: str = "plan") -> str:
    """The manifest's record of one part (``plan`` or ``inferred``) of a plan in the corpus store."""
    return f"{ID_BASE}corpus/{plan_id}/{part}"
