# breaks: task 1.1's deadline is said to be stated in the narrative scheme, though the annual table has a row for the task
# shape: Milestone-narrativeOnlyWithoutRow
# focus: https://w3id.org/antitraffick-kg/id/plan/mini
# value: https://w3id.org/antitraffick-kg/id/plan/mini/task/1.1
PREFIX atk: <https://w3id.org/antitraffick-kg/ontology#>
PREFIX unit: <https://w3id.org/antitraffick-kg/id/unit/533100/>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX oa: <http://www.w3.org/ns/oa#>
BASE <https://w3id.org/antitraffick-kg/id/plan/mini/>
DELETE { <https://w3id.org/antitraffick-kg/id/plan/mini/task/1.1/milestone/1> atk:statedIn ?p } INSERT { <https://w3id.org/antitraffick-kg/id/plan/mini/task/1.1/milestone/1> atk:statedIn <narrative> } WHERE { <https://w3id.org/antitraffick-kg/id/plan/mini/task/1.1/milestone/1> atk:statedIn ?p }
