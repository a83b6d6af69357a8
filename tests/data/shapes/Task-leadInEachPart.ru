# breaks: the annual table no longer names task 1.2's lead unit
# shape: Task-leadInEachPart
# focus: https://w3id.org/antitraffick-kg/id/plan/mini
# value: https://w3id.org/antitraffick-kg/id/plan/mini/task/1.2
PREFIX atk: <https://w3id.org/antitraffick-kg/ontology#>
PREFIX unit: <https://w3id.org/antitraffick-kg/id/unit/533100/>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX oa: <http://www.w3.org/ns/oa#>
BASE <https://w3id.org/antitraffick-kg/id/plan/mini/>
DELETE WHERE { <task/1.2> atk:hasAssignment <https://w3id.org/antitraffick-kg/id/plan/mini/task/1.2/assignment/table/lead/womens-federation> . <https://w3id.org/antitraffick-kg/id/plan/mini/task/1.2/assignment/table/lead/womens-federation> ?p ?o }
