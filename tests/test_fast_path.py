"""The fast engine alone, held to the reference's results on every shape's broken fixture.

pySHACL takes about a second per fixture; the fast path, with the shapes
compiled once, takes a few milliseconds.  ``data/shapes/reference.json`` holds
what pySHACL reports on each fixture (every result's severity, shape, component,
focus node, path, value and messages, and whether the report conforms), written
by running this file (``python tests/test_fast_path.py``); ``test_validate.py``
checks that pySHACL still gives exactly that, so these tests compare the fast
path with the reference without running it.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import Graph, Namespace
from rdflib.namespace import RDF

from antitraffick_kg.check.engines import run_engine, shapes_graph, with_ontology
from antitraffick_kg.check.shacl_sparql import compile_shapes, run_compiled
from antitraffick_kg.errors import InputError
from antitraffick_kg.resources import shapes_path

FIXTURES = Path(__file__).parent / "data" / "shapes"
BASE = FIXTURES / "base.ttl"
REFERENCE = FIXTURES / "reference.json"
NAMES = ["base"] + sorted(p.stem for p in FIXTURES.glob("*.ru"))
SH = Namespace("http://www.w3.org/ns/shacl#")
ATKSH = "https://w3id.org/antitraffick-kg/shapes#"
MINI = "https://w3id.org/antitraffick-kg/id/plan/mini/"
PREFIXES = "PREFIX atk: <https://w3id.org/antitraffick-kg/ontology#>\n"


def fixture_store(name: str, update: str | None = None) -> ox.Store:
    """``base.ttl`` with the fixture ``name`` applied (none for ``base``) or the SPARQL Update ``update``."""
    store = ox.Store()
    store.load(path=str(BASE), format=ox.RdfFormat.TURTLE)
    if name != "base":
        store.update((FIXTURES / f"{name}.ru").read_text(encoding="utf-8"))
    if update is not None:
        store.update(PREFIXES + update)
    with_ontology(store)
    return store


def outcome(report: Graph, found: list) -> dict:
    """What the reference file keeps of a report: whether it conforms and each result's key, sorted."""
    conforms = [c.toPython() for c in report.objects(None, SH.conforms)]
    keys = sorted([list(r.key()[:6]) + [list(r.key()[6])] for _node, r in found], key=json.dumps)
    return {"conforms": conforms, "results": keys}


def write_reference() -> None:
    """Run pySHACL on every fixture and keep what it reports in ``reference.json``."""
    shapes = shapes_graph()
    out = {name: outcome(*run_engine(fixture_store(name), "pyshacl", shapes)) for name in NAMES}
    REFERENCE.write_text(json.dumps(out, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


@pytest.fixture(scope="module")
def shapes() -> Graph:
    return shapes_graph()


@pytest.fixture(scope="module")
def checks(shapes) -> list[tuple]:
    return compile_shapes(shapes)


@pytest.fixture(scope="module")
def reference() -> dict:
    return json.loads(REFERENCE.read_text(encoding="utf-8"))


def test_the_reference_covers_every_fixture(reference):
    assert sorted(reference) == sorted(NAMES)
    assert reference["base"] == {"conforms": [True], "results": []}


@pytest.mark.parametrize("name", NAMES)
def test_the_fast_path_reports_what_the_reference_reports(name, shapes, checks, reference):
    store = fixture_store(name)
    report, found = run_engine(store, "oxigraph", shapes, checks)
    assert outcome(report, found) == reference[name]


def test_compiled_once_or_on_each_run_the_report_is_the_same(shapes, checks, reference):
    store = fixture_store("Period-order")
    again = run_compiled(store, shapes)
    assert len(again) == len(run_compiled(store, shapes, checks=checks)) > 2
    assert outcome(again, run_engine(store, "oxigraph", shapes)[1]) == reference["Period-order"]


def test_a_sparql_result_names_its_constraint_and_a_core_result_none(shapes, checks):
    """SHACL 5.3.2: a result of a SPARQL-based constraint has the constraint as sh:sourceConstraint."""
    for name in ("Task-notationUnique", "Assignment-role"):
        report = run_compiled(fixture_store(name), shapes, checks=checks)
        results = list(report.subjects(RDF.type, SH.ValidationResult))
        assert results
        for r in results:
            shape = report.value(r, SH.sourceShape)
            assert report.value(r, SH.sourceConstraint) == shapes.value(shape, SH.sparql)


# -- sh:lessThanOrEquals at equal years, the fast path alone (both engines in test_boundaries.py) --------------
@pytest.mark.parametrize("subject, start, end, shape", [
    (MINI + "period", "fromYear", "untilYear", "Period-order"),
    (MINI + "task/1.1/milestone/2", "year", "untilYear", "Span-order"),
])
@pytest.mark.parametrize("first, last, broken", [(2026, 2026, False), (2027, 2026, True), (2025, 2026, False)])
def test_a_start_year_equal_to_its_end_year_conforms(subject, start, end, shape, first, last, broken, shapes, checks):
    update = (f"DELETE WHERE {{ <{subject}> atk:{start} ?a ; atk:{end} ?b }} ;\n"
              f"INSERT DATA {{ <{subject}> atk:{start} {first} ; atk:{end} {last} }}")
    _report, found = run_engine(fixture_store("base", update), "oxigraph", shapes, checks)
    hits = [(r.focus, r.value, r.path) for _node, r in found if r.shape == ATKSH + shape]
    assert hits == ([(subject, str(first), f"https://w3id.org/antitraffick-kg/ontology#{start}")] if broken else [])


# -- what the compiler does not know it refuses, naming the parameter and the shape -----------------------------
EX_SHAPES = """@prefix sh: <http://www.w3.org/ns/shacl#> . @prefix ex: <http://example.org/> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
"""


@pytest.mark.parametrize("shape, refused", [
    ("ex:S a sh:NodeShape ; sh:targetClass ex:C ; sh:closed true .", "sh:closed in shape http://example.org/S"),
    ("ex:S a sh:NodeShape ; sh:targetClass ex:C ; sh:property ex:P . ex:P sh:path ex:p ; sh:maxLength 3 .",
     "sh:maxLength in shape http://example.org/P"),
    ("ex:S a sh:NodeShape ; sh:targetClass ex:C ; sh:property ex:P . ex:P sh:path ex:p ; sh:minCount 2 .",
     "sh:minCount 2 in shape http://example.org/P"),
    ("ex:S a sh:NodeShape ; sh:targetClass ex:C ; sh:property ex:P . ex:P sh:path ex:p ; sh:uniqueLang false .",
     "sh:uniqueLang false in shape http://example.org/P"),
    ("ex:S a sh:NodeShape ; sh:targetClass ex:C ; sh:property ex:P . "
     "ex:P sh:path ex:p ; sh:qualifiedValueShape [ sh:datatype xsd:string ] ; sh:qualifiedMinCount 2 .",
     "sh:qualifiedMinCount 2 in shape http://example.org/P"),
    ("ex:S a sh:NodeShape ; sh:targetClass ex:C ; sh:property ex:P . "
     "ex:P sh:path [ sh:alternativePath ( ex:p ex:q ) ] ; sh:minCount 1 .", "this property path in shape "),
    ("ex:S a sh:NodeShape ; sh:targetClass ex:C ; sh:property ex:P . "
     "ex:P sh:path ex:p ; sh:qualifiedValueShape ex:Q ; sh:qualifiedMinCount 1 . ex:Q sh:class ex:D .",
     "sh:class here in shape http://example.org/Q"),
    ("ex:S a sh:NodeShape ; sh:targetClass ex:C ; sh:property ex:P . "
     "ex:P sh:path ex:p ; sh:or ( ex:A [ sh:datatype xsd:string ] ) .",
     "a named shape inside sh:or in shape http://example.org/A"),
    ("ex:S a sh:NodeShape ; sh:targetClass ex:C ; sh:property ex:P . "
     "ex:P sh:path ex:p ; sh:or ( [ sh:datatype xsd:string ] [ sh:class ex:D ] ) .", "sh:class in shape"),
    ("ex:S a sh:NodeShape ; sh:targetClass ex:C ; sh:sparql [ sh:select 'SELECT $this { $this ex:p 1 }' ] .",
     "a SPARQL constraint without WHERE { in shape "),
])
def test_what_the_fast_path_cannot_compile_is_refused_by_name(shape, refused):
    sg = Graph().parse(data=EX_SHAPES + shape, format="turtle")
    with pytest.raises(InputError) as caught:
        compile_shapes(sg)
    assert caught.value.path == str(shapes_path())
    assert caught.value.reason.startswith("the fast path cannot compile ") and refused in caught.value.reason
    assert not caught.value.reason.endswith("None")


def test_a_shape_without_a_target_checks_nothing_and_a_parameter_of_another_vocabulary_is_ignored():
    sg = Graph().parse(data=EX_SHAPES + "ex:S a sh:NodeShape ; sh:property ex:P . ex:P sh:path ex:p ; sh:minCount 1 .\n"
                       "ex:T a sh:NodeShape ; ex:note 'x' ; sh:targetClass ex:C ; sh:class ex:D .", format="turtle")
    compiled = [(str(shape), component) for shape, component, *_ in compile_shapes(sg)]
    assert compiled == [("http://example.org/T", "Class")]


# -- what shapes.ttl does not use yet but the compiler takes: held to the SHACL semantics on tiny graphs ------
TINY = """@prefix ex: <http://example.org/> . @prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
ex:a a ex:C ; ex:p "中"@zh , "en"@en , "fr"@fr ; ex:n 5 , "x"^^xsd:integer , "6"^^xsd:decimal ;
  ex:q "ab" , "a" , 3 , ex:r .
"""


def _found(shapes_text: str) -> list[tuple[str, str | None]]:
    store = ox.Store()
    store.load(TINY.encode("utf-8"), format=ox.RdfFormat.TURTLE)
    report = run_compiled(store, Graph().parse(data=EX_SHAPES + shapes_text, format="turtle"))
    return sorted((str(report.value(r, SH.sourceConstraintComponent))[len(str(SH)):],
                   None if report.value(r, SH.value) is None else str(report.value(r, SH.value)))
                  for r in report.subjects(RDF.type, SH.ValidationResult))


def test_a_list_of_languages_allows_each_of_them():
    assert _found('ex:S a sh:NodeShape ; sh:targetClass ex:C ; sh:property [ sh:path ex:p ; sh:languageIn ( "zh" "en" ) ] .'
                  ) == [("LanguageInConstraintComponent", "fr")]


def test_an_ill_formed_integer_is_not_of_the_integer_datatype():
    assert _found("ex:S a sh:NodeShape ; sh:targetClass ex:C ; sh:property [ sh:path ex:n ; sh:datatype xsd:integer ] ."
                  ) == [("DatatypeConstraintComponent", "6"), ("DatatypeConstraintComponent", "x")]


def test_an_or_member_holds_all_its_conditions_and_an_empty_member_holds_anything():
    both = ('ex:S a sh:NodeShape ; sh:targetClass ex:C ; sh:property [ sh:path ex:q ; '
            'sh:or ( [ sh:datatype xsd:string ; sh:minLength 2 ] [ sh:datatype xsd:integer ] ) ] .')
    assert _found(both) == [("OrConstraintComponent", "a"), ("OrConstraintComponent", "http://example.org/r")]
    anything = 'ex:S a sh:NodeShape ; sh:targetClass ex:C ; sh:property [ sh:path ex:q ; sh:or ( [ sh:minLength 9 ] [ ] ) ] .'
    assert _found(anything) == []


def test_a_sparql_constraint_may_write_where_in_lower_case():
    shape = ("ex:S a sh:NodeShape ; sh:targetClass ex:C ; sh:sparql [ sh:select "
             "'SELECT $this ?value where { $this <http://example.org/n> ?value . FILTER (isNumeric(?value) && ?value > 5) }' ] .")
    assert _found(shape) == [("SPARQLConstraintComponent", "6")]



def test_a_qualified_shape_of_two_conditions_needs_a_value_meeting_both():
    shape = ('ex:S a sh:NodeShape ; sh:targetSubjectsOf ex:q ; sh:property [ sh:path ex:q ; sh:qualifiedMinCount 1 ; '
             'sh:qualifiedValueShape [ sh:datatype xsd:string ; sh:minLength 2 ] ] .')
    assert _found(shape) == []                      # "ab" is a string of two letters
    store = ox.Store()
    store.load(b'<http://example.org/b> <http://example.org/q> "a" , 12 .', format=ox.RdfFormat.TURTLE)
    report = run_compiled(store, Graph().parse(data=EX_SHAPES + shape, format="turtle"))
    assert [str(f) for f in report.objects(None, SH.focusNode)] == ["http://example.org/b"]


def test_a_property_shape_may_carry_a_name_and_a_description():
    shape = ('ex:S a sh:NodeShape ; sh:targetClass ex:C ; sh:property [ sh:path ex:p ; sh:name "p" ; '
             'sh:description "the p values" ; sh:maxCount 2 ] .')
    assert _found(shape) == [("MaxCountConstraintComponent", None)]


def test_a_sparql_result_has_the_path_it_selects_and_the_messages_of_its_constraint_and_shape():
    shape = ("ex:S a sh:NodeShape ; sh:targetClass ex:C ; sh:message 'shape says'@en ; sh:sparql [ "
             "sh:message 'value {?value} of {$this} on {?path}, {?unbound} stays' ; sh:select "
             "'SELECT $this ?value ?path WHERE { $this ?path ?value . FILTER (?value = 5) }' ] .")
    store = ox.Store()
    store.load(TINY.encode("utf-8"), format=ox.RdfFormat.TURTLE)
    report = run_compiled(store, Graph().parse(data=EX_SHAPES + shape, format="turtle"))
    (result,) = report.subjects(RDF.type, SH.ValidationResult)
    assert str(report.value(result, SH.resultPath)) == "http://example.org/n"
    assert sorted(str(m) for m in report.objects(result, SH.resultMessage)) == [
        "shape says", "value 5 of http://example.org/a on http://example.org/n, {?unbound} stays"]


def test_the_report_graph_writes_the_shacl_terms_with_the_sh_prefix(shapes, checks):
    text = run_compiled(fixture_store("Period-order"), shapes, checks=checks).serialize(format="turtle")
    assert "@prefix sh: <http://www.w3.org/ns/shacl#> ." in text and "sh:ValidationReport" in text


if __name__ == "__main__":
    write_reference()
    sys.exit(0)
