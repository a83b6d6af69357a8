# breaks: task 1.1's deadline is said to be stated in the plan document itself, which is no part of it
# shape: Milestone-source
# focus: https://w3id.org/antitraffick-kg/id/plan/mini/task/1.1/milestone/1
PREFIX atk: <https://w3id.org/antitraffick-kg/ontology#>
PREFIX unit: <https://w3id.org/antitraffick-kg/id/unit/533100/>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX oa: <http://www.w3.org/ns/oa#>
BASE <https://w3id.org/antitraffick-kg/id/plan/mini/>
DELETE { <https://w3id.org/antitraffick-kg/id/plan/mini/task/1.1/milestone/1> atk:statedIn ?p } INSERT { <https://w3id.org/antitraffick-kg/id/plan/mini/task/1.1/milestone/1> atk:statedIn <https://w3id.org/antitraffick-kg/id/plan/mini> } WHERE { <https://w3id.org/antitraffick-kg/id/plan/mini/task/1.1/milestone/1> atk:statedIn ?p }
