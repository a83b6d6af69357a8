# breaks: task 1.2 has no deadline but its target year becomes 2029, not the plan's last year
# shape: Task-targetYearIsPlanEnd
# focus: https://w3id.org/antitraffick-kg/id/plan/mini
# value: https://w3id.org/antitraffick-kg/id/plan/mini/task/1.2
PREFIX atk: <https://w3id.org/antitraffick-kg/ontology#>
PREFIX unit: <https://w3id.org/antitraffick-kg/id/unit/533100/>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX oa: <http://www.w3.org/ns/oa#>
BASE <https://w3id.org/antitraffick-kg/id/plan/mini/>
DELETE { <task/1.2> atk:targetYear ?y } INSERT { <task/1.2> atk:targetYear 2029 } WHERE { <task/1.2> atk:targetYear ?y }
