# breaks: policy area 1 gets two Chinese preferred labels
# shape: PrefLabelled-uniqueLang
# focus: https://w3id.org/antitraffick-kg/id/plan/mini/area/1
PREFIX atk: <https://w3id.org/antitraffick-kg/ontology#>
PREFIX unit: <https://w3id.org/antitraffick-kg/id/unit/533100/>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX oa: <http://www.w3.org/ns/oa#>
BASE <https://w3id.org/antitraffick-kg/id/plan/mini/>
INSERT DATA { <area/1> skos:prefLabel "犯罪预防"@zh , "预防犯罪"@zh }
