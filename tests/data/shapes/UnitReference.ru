# breaks: task 1.1's table support is an undeclared unit
# shape: UnitReference
# focus: https://w3id.org/antitraffick-kg/id/unit/533100/ghost
PREFIX atk: <https://w3id.org/antitraffick-kg/ontology#>
PREFIX unit: <https://w3id.org/antitraffick-kg/id/unit/533100/>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX oa: <http://www.w3.org/ns/oa#>
BASE <https://w3id.org/antitraffick-kg/id/plan/mini/>
DELETE { <https://w3id.org/antitraffick-kg/id/plan/mini/task/1.1/assignment/table/support/womens-federation> atk:unit ?u } INSERT { <https://w3id.org/antitraffick-kg/id/plan/mini/task/1.1/assignment/table/support/womens-federation> atk:unit unit:ghost . <task/1.1> atk:supportedBy unit:ghost } WHERE { <https://w3id.org/antitraffick-kg/id/plan/mini/task/1.1/assignment/table/support/womens-federation> atk:unit ?u }
