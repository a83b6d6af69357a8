# breaks: 州妇联 points at a function the unit-function scheme does not have
# shape: Unit-function
# focus: https://w3id.org/antitraffick-kg/id/unit/533100/womens-federation
# value: https://w3id.org/antitraffick-kg/id/unit-function/womens-federaton
PREFIX atk: <https://w3id.org/antitraffick-kg/ontology#>
PREFIX unit: <https://w3id.org/antitraffick-kg/id/unit/533100/>
PREFIX fn: <https://w3id.org/antitraffick-kg/id/unit-function/>
INSERT DATA { unit:womens-federation atk:unitFunction fn:womens-federaton }
