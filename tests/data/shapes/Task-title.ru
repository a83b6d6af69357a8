# breaks: task 1.1's title is in English only
# shape: Task-title
# focus: https://w3id.org/antitraffick-kg/id/plan/mini/task/1.1
PREFIX atk: <https://w3id.org/antitraffick-kg/ontology#>
PREFIX unit: <https://w3id.org/antitraffick-kg/id/unit/533100/>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX oa: <http://www.w3.org/ns/oa#>
BASE <https://w3id.org/antitraffick-kg/id/plan/mini/>
DELETE { <task/1.1> dcterms:title ?t } INSERT { <task/1.1> dcterms:title "Human resources"@en } WHERE { <task/1.1> dcterms:title ?t }
