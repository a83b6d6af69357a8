# breaks: task 1.1's target year becomes 2024 though its last deadline is 2023
# shape: Task-targetYearIsLastDeadline
# focus: https://w3id.org/antitraffick-kg/id/plan/mini
# value: https://w3id.org/antitraffick-kg/id/plan/mini/task/1.1
PREFIX atk: <https://w3id.org/antitraffick-kg/ontology#>
PREFIX unit: <https://w3id.org/antitraffick-kg/id/unit/533100/>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX oa: <http://www.w3.org/ns/oa#>
BASE <https://w3id.org/antitraffick-kg/id/plan/mini/>
DELETE { <task/1.1> atk:targetYear ?y } INSERT { <task/1.1> atk:targetYear 2024 } WHERE { <task/1.1> atk:targetYear ?y }
