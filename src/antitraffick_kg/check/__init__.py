"""Checking a plan graph: SHACL validation (pySHACL, or the shapes compiled to SPARQL), the report in words, the
document audit, and OWL reasoning with owlready2."""
