# breaks: "no known counterpart" for 州妇联 is stated as unknown without saying what is missing
# shape: Unknown-reason
# focus: https://w3id.org/antitraffick-kg/id/link/counterpart/0000000000000001
PREFIX atk: <https://w3id.org/antitraffick-kg/ontology#>
PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
INSERT DATA { <https://w3id.org/antitraffick-kg/id/link/counterpart/0000000000000001> a rdf:Statement ; rdf:subject <https://w3id.org/antitraffick-kg/id/unit/533100/womens-federation> ; rdf:predicate atk:counterpartOf ; rdf:object atk:noKnownCounterpart ; atk:status atk:unknown . }
