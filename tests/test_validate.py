"""SHACL validation: the real plan conforms, every shape has a fixture that fails it for the right reason,
both engines agree result for result, and unusable input gives exit 2 with one line on stderr."""

from __future__ import annotations

import collections
import dataclasses
import json
import re
import time
from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner
from rdflib import Graph, Namespace, URIRef
from rdflib.namespace import RDF

from antitraffick_kg import ValidationResult, validate
from antitraffick_kg.cli.main import main
from antitraffick_kg.errors import InputError
from antitraffick_kg.resources import shapes_path
from antitraffick_kg.check.validate import load_store, validate_store
from antitraffick_kg.formats import ShaclEngine, choices

SH = Namespace("http://www.w3.org/ns/shacl#")
ATKSH = "https://w3id.org/antitraffick-kg/shapes#"
PLAN_TASK = "https://w3id.org/antitraffick-kg/id/plan/dehong-2022-2030/task/"
FIXTURES = Path(__file__).parent / "data" / "shapes"
BASE = FIXTURES / "base.ttl"
CJK = re.compile(r"[\u3400-\u9fff]")


def _shapes() -> Graph:
    return Graph().parse(str(shapes_path()), format="turtle")


def _constraint_shapes(sg: Graph) -> list[str]:
    """Every shape that states a constraint: property shapes, and node shapes with sh:class or sh:sparql."""
    found = set(sg.subjects(RDF.type, SH.PropertyShape))
    found |= {s for s in sg.subjects(RDF.type, SH.NodeShape) if (s, SH["class"], None) in sg or (s, SH.sparql, None) in sg}
    return sorted(str(s)[len(ATKSH):] for s in found)


def _fixture(name: str) -> tuple[dict[str, str], str]:
    text = (FIXTURES / f"{name}.ru").read_text(encoding="utf-8")
    return dict(re.findall(r"^# (\w+): (.*)$", text, re.MULTILINE)), text


def _broken_store(name: str) -> ox.Store:
    store = ox.Store()
    store.load(path=str(BASE), format=ox.RdfFormat.TURTLE)
    store.update(_fixture(name)[1])
    return store


def _keys(result: ValidationResult) -> collections.Counter:
    return collections.Counter(r.key() for r in result.results)


SHAPES = _constraint_shapes(_shapes())


# -- the real plan -------------------------------------------------------------------------------------------
def _as_written(nq: bytes) -> Graph:
    """The built N-Quads as written, parsed by rdflib (no pyoxigraph on the way), with the ontology, in the graph
    the reference engine validates (rdflib's, parsing each constraint's text once)."""
    from rdflib import Dataset

    from antitraffick_kg.check.engines import reference_graph
    from antitraffick_kg.resources import ontology_path

    data = reference_graph()
    for s, p, o, _g in Dataset().parse(data=nq, format="nquads").quads((None, None, None, None)):
        data.add((s, p, o))
    data.parse(str(ontology_path()), format="turtle")
    return data


@pytest.fixture(scope="module")
def plan_results() -> dict[str, ValidationResult]:
    """The plan validated once by each engine: the fast path through the library, and the reference, pySHACL,
    on the graph as written (offsets typed xsd:nonNegativeInteger, which a pyoxigraph store would turn into
    xsd:integer), so that one reference run on the plan shows both that the engines agree and that the graph
    conforms under rdflib and pySHACL alone. The library's pyshacl engine, which reads the graph from a
    pyoxigraph store, is held to the fast path on every shape's broken fixture below, on the link graphs
    (test_linking.py) and on a generated plan (test_scale.py)."""
    import pyshacl

    from antitraffick_kg.check.engines import outcome
    from antitraffick_kg.check.validation_report import checked_counts, read_report, result_order
    from antitraffick_kg.pipeline.build import built_nquads

    nq = built_nquads()
    store = ox.Store()
    store.load(nq, format=ox.RdfFormat.N_QUADS)
    out = {"oxigraph": validate_store(store, engine="oxigraph", inputs=["dehong-2022-2030"])}
    _conforms, report, _text = pyshacl.validate(_as_written(nq), shacl_graph=_shapes(), inference="none",
                                                inplace=True, allow_warnings=True, advanced=False)
    store = ox.Store()
    store.load(nq, format=ox.RdfFormat.N_QUADS)
    results = sorted(read_report(report, store), key=result_order)
    out["pyshacl"] = outcome(report, results, engine="pyshacl", inputs=["dehong-2022-2030"],
                             checked=checked_counts(store))
    return out


@pytest.mark.parametrize("engine", choices(ShaclEngine))
def test_real_plan_conforms(plan_results, engine):
    result = plan_results[engine]
    assert result.conforms and result.violations == 0
    assert dict(result.checked)["tasks"] == 56
    # the narrative scheme names no lead unit for 3.1 (joint meeting) nor for 九 (implementation, 9.1-9.3)
    assert sorted((r.shape[len(ATKSH):], r.task) for r in result.results) == [
        ("Task-leadInEachPart", "3.1"), ("Task-leadInEachPart", "9.1"), ("Task-leadInEachPart", "9.2"),
        ("Task-leadInEachPart", "9.3")]


def test_the_reference_graph_parses_each_text_once_and_answers_as_rdflib_does(monkeypatch):
    """pySHACL asks a constraint's text once per focus node: the reference graph parses it once, and its answers
    are plain rdflib's (the figures are in benchmarks/bench_validate.py)."""
    import rdflib.plugins.sparql.parser as parser
    import rdflib.plugins.sparql.processor as processor
    from rdflib import Literal

    from antitraffick_kg.check.engines import reference_graph

    parses = []
    real = parser.parseQuery
    for module in (parser, processor):             # the reference graph's parser, and plain rdflib's
        monkeypatch.setattr(module, "parseQuery", lambda text: parses.append(text) or real(text))
    plain, once = Graph(), reference_graph()
    ex = Namespace("http://example.org/")
    for graph in (plain, once):
        for n in range(5):
            graph.add((ex[f"t{n}"], ex.year, Literal(2020 + n)))
    text = "SELECT ?y WHERE { $this <http://example.org/year> ?y FILTER (?y > 2021) }"
    asked = [(sorted(once.query(text, initBindings={"this": ex[f"t{n}"]})),
              sorted(plain.query(text, initBindings={"this": ex[f"t{n}"]}))) for n in range(5)]
    assert all(mine == theirs for mine, theirs in asked) and sum(bool(mine) for mine, _ in asked) == 3
    assert len([t for t in parses if t == text]) == 1 + 5        # once for the reference graph, 5 for plain


def test_both_engines_agree_on_the_plan(plan_results):
    assert _keys(plan_results["pyshacl"]) == _keys(plan_results["oxigraph"])


def test_the_reference_read_the_graph_as_written(plan_results):
    """The reference's input was the built N-Quads as rdflib reads them, offsets typed as written."""
    from antitraffick_kg.pipeline.build import built_nquads

    data = _as_written(built_nquads())
    ends = {o.datatype for o in data.objects(None, URIRef("http://www.w3.org/ns/oa#end"))}
    assert ends == {URIRef("http://www.w3.org/2001/XMLSchema#nonNegativeInteger")}
    assert plan_results["pyshacl"].engine == "pyshacl" and plan_results["pyshacl"].conforms


# -- the shapes themselves -----------------------------------------------------------------------------------
def test_every_constraint_has_severity_and_messages_in_both_languages():
    sg = _shapes()
    for name in SHAPES:
        shape = URIRef(ATKSH + name)
        assert sg.value(shape, SH.severity) in (SH.Violation, SH.Warning), name
        sparql = sg.value(shape, SH.sparql)
        messages = list(sg.objects(sparql if sparql is not None else shape, SH.message))
        assert len(messages) == 2, name
        assert sorted(bool(CJK.search(str(m))) for m in messages) == [False, True], name
        if sparql is None:
            assert sorted(m.language for m in messages) == ["en", "zh"], name


def test_every_shape_has_a_broken_fixture():
    assert sorted(p.stem for p in FIXTURES.glob("*.ru")) == SHAPES


@pytest.mark.parametrize("engine", choices(ShaclEngine))
def test_base_fixture_conforms_without_warnings(engine):
    result = validate([BASE], engine=engine)
    assert result.conforms and result.results == ()


@pytest.mark.parametrize("name", SHAPES)
def test_fixture_fails_its_shape_for_the_right_reason(name):
    header, _ = _fixture(name)
    results = {engine: validate_store(_broken_store(name), engine=engine, inputs=[name]) for engine in ShaclEngine}
    assert _keys(results["pyshacl"]) == _keys(results["oxigraph"]), "the engines disagree"
    result = results["pyshacl"]
    # what test_fast_path.py holds the fast path to, without running pySHACL, is what pySHACL reports
    reference = json.loads((FIXTURES / "reference.json").read_text(encoding="utf-8"))[name]
    assert sorted((list(k[:6]) + [list(k[6])] for k in _keys(result).elements()), key=json.dumps) == reference["results"]
    assert [c.toPython() for c in result.report.objects(None, SH.conforms)] == reference["conforms"]
    shape = ATKSH + header["shape"]
    hits = [r for r in result.results if r.shape == shape and r.focus == header["focus"]
            and ("value" not in header or r.value == header["value"])]
    assert hits, f"{name} does not fail on {header['focus']}"
    allowed = {header["shape"], *header.get("also", "").split()}
    assert {r.shape[len(ATKSH):] for r in result.results} <= allowed
    # the report graph names the focus node and carries the shape's message
    sg = _shapes()
    node = URIRef(shape)
    sparql = sg.value(node, SH.sparql)
    templates = [str(m) for m in sg.objects(sparql if sparql is not None else node, SH.message)]
    report_messages = {str(m) for r in result.report.subjects(SH.focusNode, URIRef(header["focus"]))
                       if result.report.value(r, SH.sourceShape) == node for m in result.report.objects(r, SH.resultMessage)}
    for template in templates:
        pattern = re.escape(template)
        pattern = re.sub(r"\\\{\\\?\w+\\\}", ".+", pattern)
        assert any(re.fullmatch(pattern, m) for m in report_messages), template
    # the text names the shape and gives the English message
    assert header["shape"] in result.text and hits[0].message("en") in result.text
    assert result.conforms == (hits[0].severity == "warning" and result.violations == 0)


@pytest.mark.parametrize("extra,fails", [
    ("", True),                                                            # the fixture: no reason
    ('; atk:reason "same function"', True),                               # no confidence
    ('; atk:reason "same function" ; atk:confidence "1.5"^^xsd:decimal', True),
    ('; atk:reason "same function" ; atk:confidence "-0.1"^^xsd:decimal', True),
    ('; atk:reason "same function" ; atk:confidence "0.2"^^xsd:decimal', False)])
def test_inferred_reason_checks_reason_and_confidence(extra, fails):
    """Each condition of Inferred-reason alone, under both engines: no reason, no confidence, one out of [0, 1]."""
    _, text = _fixture("Inferred-reason")
    node = "<https://w3id.org/antitraffick-kg/id/link/counterpart/0000000000000001>"
    # the fixture's node has confidence 0.9; the cases drop it and add their own
    text = text.replace('; atk:confidence "0.9"^^xsd:decimal .', extra + " .")
    assert extra in text
    results = {}
    for engine in ShaclEngine:
        store = ox.Store()
        store.load(path=str(BASE), format=ox.RdfFormat.TURTLE)
        store.update(text)
        results[engine] = validate_store(store, engine=engine)
    assert _keys(results["pyshacl"]) == _keys(results["oxigraph"])
    hits = [r for r in results["oxigraph"].results if r.shape == ATKSH + "Inferred-reason"]
    assert [r.focus for r in hits] == ([node[1:-1]] if fails else [])


def test_text_report_names_task_unit_and_quote():
    result = validate_store(_broken_store("Assignment-role"), engine="oxigraph")
    assert "1.1 人力资源领域" in result.text
    assert "unit 州妇联" in result.text and "line 1: “州妇联”" in result.text


def test_fast_path_refuses_what_it_cannot_compile():
    from antitraffick_kg.check.shacl_sparql import _Compiler

    sg = Graph().parse(data="""
        @prefix sh: <http://www.w3.org/ns/shacl#> . @prefix ex: <http://example.org/> .
        ex:S a sh:NodeShape ; sh:targetClass ex:C ; sh:xone ( [ sh:class ex:A ] [ sh:class ex:B ] ) .""",
                       format="turtle")
    with pytest.raises(InputError, match="sh:xone"):
        _Compiler(sg).checks()


def test_result_is_frozen():
    result = validate([BASE], engine="oxigraph")
    with pytest.raises(dataclasses.FrozenInstanceError):
        result.conforms = False  # type: ignore[misc]


# -- input formats ---------------------------------------------------------------------------------------------
@pytest.mark.parametrize("suffix,fmt", [(".nt", "nt"), (".trig", "trig"), (".nq", "nquads"), (".jsonld", "json-ld")])
def test_every_input_format(tmp_path, suffix, fmt):
    graph = Graph().parse(str(BASE), format="turtle")
    path = tmp_path / f"mini{suffix}"
    if fmt in ("trig", "nquads"):
        from rdflib import Dataset

        ds = Dataset()
        target = ds.graph(URIRef("https://example.org/graph"))
        for t in graph:
            target.add(t)
        path.write_bytes(ds.serialize(format=fmt, encoding="utf-8"))
    else:
        path.write_bytes(graph.serialize(format=fmt, encoding="utf-8"))
    result = validate([path], engine="oxigraph")
    assert result.conforms and result.results == () and dict(result.checked)["tasks"] == 2


def test_input_format_option_overrides_the_extension(tmp_path):
    path = tmp_path / "mini.data"
    path.write_bytes(BASE.read_bytes())
    with pytest.raises(InputError, match="unknown RDF format"):
        validate([path])
    assert validate([path], input_format="turtle", engine="oxigraph").conforms


# -- the command ------------------------------------------------------------------------------------------------
def _run(*args: str):
    return CliRunner().invoke(main, ["validate", *args])


def _write_broken(name: str, tmp_path: Path) -> Path:
    path = tmp_path / f"{name}.ttl"
    _broken_store(name).dump(path, format=ox.RdfFormat.TURTLE, from_graph=ox.DefaultGraph())
    return path


def test_cli_exit_codes(tmp_path):
    assert _run(str(BASE), "--engine", "oxigraph").exit_code == 0
    warned = _run(str(_write_broken("Plan-identifier", tmp_path)))
    assert warned.exit_code == 0 and "warning Plan-identifier" in warned.stdout
    broken = _run(str(_write_broken("Task-lead", tmp_path)))
    assert broken.exit_code == 1 and "violation Task-lead" in broken.stdout
    assert "1.2 婚姻登记领域" in broken.stdout


def test_cli_json_report_is_stable_and_complete(tmp_path):
    path = _write_broken("Task-targetYearInPeriod", tmp_path)
    first, second = _run(str(path), "-f", "json"), _run(str(path), "-f", "json", "--engine", "oxigraph")
    assert first.exit_code == second.exit_code == 1
    a, b = json.loads(first.stdout), json.loads(second.stdout)
    assert a["results"] == b["results"] and a["summary"] == b["summary"]
    assert a["conforms"] is False and a["summary"]["violations"] == 1
    (r,) = [r for r in a["results"] if r["shape"].endswith("Task-targetYearInPeriod")]
    assert r["task"] == {"notation": "1.2", "title": "婚姻登记领域"}
    assert "2031" in r["message"]["en"] and "2031" in r["message"]["zh"]
    assert set(r) == {"severity", "shape", "component", "focus", "path", "value", "message", "task", "unit",
                      "year", "quote", "line"}
    assert _run(str(path), "-f", "json").stdout == first.stdout


def test_cli_writes_the_report_to_a_file(tmp_path):
    out = tmp_path / "report.json"
    result = _run(str(BASE), "-f", "json", "-o", str(out))
    assert result.exit_code == 0 and result.stdout == ""
    assert json.loads(out.read_text(encoding="utf-8"))["conforms"] is True


GARBAGE = {
    "truncated.ttl": (b'@prefix a: <http://example.org/> .\na:b a:c "no end', r"truncated\.ttl:2:\d+: "),
    "gbk.ttl": ("<http://example.org/a> <http://example.org/b> \"州公安局\" .\n".encode("gbk"),
                r"gbk\.ttl:1:\d+: .*UTF-8.*GB18030"),
    "binary.nt": (bytes(range(256)) * 8, r"binary\.nt:1:\d+: .*binary file"),
    "empty.ttl": (b"", r"empty\.ttl: no RDF statements"),
    "prefixes-only.ttl": (b"@prefix a: <http://example.org/> .\n", r"prefixes-only\.ttl: no RDF statements"),
    "broken.jsonld": (b'{"@id": "http://example.org/a", "http://example.org/b": [', r"broken\.jsonld:1:\d+: "),
    "unknown.xyz": (b"<a> <b> <c> .", r"unknown\.xyz: unknown RDF format"),
}


@pytest.mark.parametrize("name", sorted(GARBAGE))
@pytest.mark.parametrize("engine", choices(ShaclEngine))
def test_garbage_input_gives_exit_2_and_one_line(tmp_path, name, engine):
    data, expected = GARBAGE[name]
    path = tmp_path / name
    path.write_bytes(data)
    result = _run(str(path), "--engine", engine)
    assert result.exit_code == 2
    assert "Traceback" not in result.stderr and result.stdout == ""
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: ") and re.search(expected, lines[0]), lines


def test_missing_file_and_folder(tmp_path):
    for target, expected in ((tmp_path / "nope.ttl", "file not found"), (tmp_path, "is a folder")):
        result = _run(str(target))
        assert result.exit_code == 2 and expected in result.stderr and len(result.stderr.splitlines()) == 1


def test_unknown_engine_is_a_usage_error():
    assert _run(str(BASE), "--engine", "jena").exit_code == 2


def test_file_over_the_size_limit(tmp_path):
    path = tmp_path / "big.nt"
    path.write_bytes(b"<http://example.org/s> <http://example.org/p> <http://example.org/o> .\n" * 30000)
    result = _run(str(path), "--max-size", "1")
    assert result.exit_code == 2 and "over the limit of 1 MiB" in result.stderr


def test_very_large_file_neither_hangs_nor_crashes(tmp_path):
    path = tmp_path / "large.nt"
    with open(path, "wb") as fh:
        for i in range(200_000):
            fh.write(b"<http://example.org/s%d> <http://example.org/p> \"%d\" .\n" % (i, i))
    assert path.stat().st_size > 10 * 2**20
    start = time.monotonic()
    result = _run(str(path), "--engine", "oxigraph")
    assert result.exit_code == 0 and "holds no tasks" in result.stdout
    assert time.monotonic() - start < 60


def test_ill_typed_literals_are_reported_not_logged(caplog):
    store = load_store([BASE])
    store.update("PREFIX atk: <https://w3id.org/antitraffick-kg/ontology#> "
                 "DELETE { ?t atk:targetYear ?y } "
                 'INSERT { ?t atk:targetYear "20x3"^^<http://www.w3.org/2001/XMLSchema#integer> } '
                 "WHERE { ?t atk:targetYear ?y }")
    results = {engine: validate_store(store, engine=engine) for engine in ShaclEngine}
    assert _keys(results["pyshacl"]) == _keys(results["oxigraph"])
    assert {r.shape[len(ATKSH):] for r in results["pyshacl"].results} == {"Task-targetYear"}
    assert not [r for r in caplog.records if r.name.startswith("rdflib")]


def test_every_fixture_says_where_it_comes_from():
    readme = (FIXTURES.parent / "README.md").read_text(encoding="utf-8")
    for path in sorted(FIXTURES.iterdir()):
        assert f"`shapes/{path.name}`" in readme, path.name
