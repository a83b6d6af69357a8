# breaks: task 1.1's ongoing span runs from 2024 to 2023
# shape: Span-order
# focus: https://w3id.org/antitraffick-kg/id/plan/mini/task/1.1/milestone/2
PREFIX atk: <https://w3id.org/antitraffick-kg/ontology#>
PREFIX unit: <https://w3id.org/antitraffick-kg/id/unit/533100/>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX oa: <http://www.w3.org/ns/oa#>
BASE <https://w3id.org/antitraffick-kg/id/plan/mini/>
DELETE { <https://w3id.org/antitraffick-kg/id/plan/mini/task/1.1/milestone/2> atk:untilYear ?y } INSERT { <https://w3id.org/antitraffick-kg/id/plan/mini/task/1.1/milestone/2> atk:untilYear 2023 } WHERE { <https://w3id.org/antitraffick-kg/id/plan/mini/task/1.1/milestone/2> atk:untilYear ?y }
