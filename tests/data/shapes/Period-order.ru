# breaks: the plan period runs from 2030 to 2022
# shape: Period-order
# focus: https://w3id.org/antitraffick-kg/id/plan/mini/period
# also: Task-targetYearInPeriod Milestone-inPeriod Task-targetYearIsPlanEnd
PREFIX atk: <https://w3id.org/antitraffick-kg/ontology#>
PREFIX unit: <https://w3id.org/antitraffick-kg/id/unit/533100/>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX oa: <http://www.w3.org/ns/oa#>
BASE <https://w3id.org/antitraffick-kg/id/plan/mini/>
DELETE WHERE { <period> atk:fromYear ?a ; atk:untilYear ?b } ;
INSERT DATA { <period> atk:fromYear 2030 ; atk:untilYear 2022 }
