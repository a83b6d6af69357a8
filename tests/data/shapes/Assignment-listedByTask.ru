# breaks: task 1.1 no longer lists one of its assignments
# shape: Assignment-listedByTask
# focus: https://w3id.org/antitraffick-kg/id/plan/mini/task/1.1/assignment/narrative/support/womens-federation
PREFIX atk: <https://w3id.org/antitraffick-kg/ontology#>
PREFIX unit: <https://w3id.org/antitraffick-kg/id/unit/533100/>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX oa: <http://www.w3.org/ns/oa#>
BASE <https://w3id.org/antitraffick-kg/id/plan/mini/>
DELETE DATA { <task/1.1> atk:hasAssignment <https://w3id.org/antitraffick-kg/id/plan/mini/task/1.1/assignment/narrative/support/womens-federation> }
