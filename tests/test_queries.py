"""The query catalogue: headers, expected rows on the real plan (on every store), safe parameters, CLI, docs."""

from __future__ import annotations

import json
import re
import sys
import tomllib
from pathlib import Path

import pytest

from conftest import require
from click.testing import CliRunner

from antitraffick_kg.ask.catalogue import PARAMETER_TYPES, catalogue, get_query, read_query
from antitraffick_kg.cli.main import main
from antitraffick_kg.errors import QueryError, UnknownQueryError, UnknownUnitError
from antitraffick_kg.ask.query import format_rows, query
from antitraffick_kg.resources import data_path
from antitraffick_kg.rows import sort_rows
from antitraffick_kg.pipeline.sources import serve_plan
from antitraffick_kg.store.stores import OxigraphStore, RdflibStore, RemoteStore, oxigraph_binary
from antitraffick_kg.errors import EndpointError

PLAN = "dehong-2022-2030"
MANIFEST = tomllib.loads((Path(__file__).parent / "query-manifest.toml").read_text(encoding="utf-8"))["case"]
SOURCE = data_path(PLAN, "source.txt").read_text(encoding="utf-8").splitlines()
HOSTILE = ['"; DROP ALL; #', "'} } DROP ALL { {'", "州妇联\" } ; DROP ALL #", "<http://x/> } DROP ALL {",
           '\\" . } INSERT DATA { <a:b> <a:c> "d" } #', "x\n}\nDROP ALL"]


@pytest.fixture(scope="module", params=["oxigraph", "rdflib", pytest.param("remote", marks=pytest.mark.server)])
def store(request, build_dir):
    """Each store holding the plan: embedded pyoxigraph, rdflib, and a real oxigraph server on 127.0.0.1."""
    data = (build_dir / f"{PLAN}.nq").read_bytes()
    if request.param == "oxigraph":
        yield OxigraphStore.from_nquads(data)
    elif request.param == "rdflib":
        yield RdflibStore.from_nquads(data)
    else:
        try:
            oxigraph_binary()
        except EndpointError as exc:
            require(False, str(exc))
        with serve_plan((PLAN,), build_dir=build_dir) as endpoint:
            yield RemoteStore(endpoint.query_url, timeout=30)


def _quads(store) -> int:
    _, rows = store.select("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }")
    return int(rows[0]["n"])


# -- the catalogue and its headers ---------------------------------------------------------
def test_catalogue_has_the_questions_the_issue_names():
    names = {q.name for q in catalogue()}
    assert len(names) >= 15
    assert {"assignments", "milestones", "tasks-by-unit", "tasks-due", "unit-workload", "task", "shared-tasks",
            "tasks-by-group", "tasks-by-place", "tasks-by-area", "tasks-without-support", "support-only-units",
            "due-as-of"} <= names


@pytest.mark.parametrize("q", catalogue(), ids=lambda q: q.name)
def test_every_query_has_a_complete_header(q):
    assert q.header_problems() == []
    body = "\n".join(line for line in q.text.splitlines() if not line.startswith("#"))
    select = re.search(r"SELECT\s+(?:DISTINCT\s+)?(.*?)\s*WHERE", body, re.S).group(1)
    projected = re.findall(r"\?(\w+)", re.sub(r"\(.*?AS\s+(\?\w+)\)", r"\1", select, flags=re.S))
    assert projected == [c.name for c in q.columns], "the columns header must list the SELECT variables"
    upper = set(re.findall(r"\?([A-Z][A-Z0-9_]*)\b", body))
    assert upper == {p.variable for p in q.parameters}, "parameters are the upper-case variables, and only they"
    assert all(c.meaning for c in q.columns)


def test_the_earlier_queries_keep_their_columns():
    assert [c.name for c in get_query("assignments").columns] == ["task", "unit", "role", "source"]
    assert [c.name for c in get_query("milestones").columns] == ["task", "kind", "year", "until"]


def test_tasks_by_unit_declares_the_parameters_of_the_issue():
    params = {p.name: p for p in get_query("tasks-by-unit").parameters}
    # a unit, or instead every unit of a function (issue 20): one of the two is needed
    assert (params["unit"].type, params["unit"].required) == ("unit", False)
    assert (params["function"].type, params["function"].required) == ("function", False)
    assert get_query("tasks-by-unit").needs == ("unit", "function")
    with pytest.raises(QueryError, match="needs parameter 'unit' or 'function'; for example --param unit=州妇联"):
        query("tasks-by-unit", params={"role": "support"})
    assert (params["role"].type, params["role"].default) == ("role", "any")
    assert (params["place"].type, params["place"].required, params["place"].default) == ("place", False, None)
    assert [c.name for c in get_query("tasks-by-unit").columns] == ["task", "title", "unit", "role", "source"]
    assert [c.name for c in get_query("tasks-due").columns] == ["task", "title", "year", "lead"]


def test_a_header_that_cannot_be_read_is_an_error(tmp_path):
    bad = tmp_path / "bad.rq"
    bad.write_text("# title: x | y\n# param: unit unit required\nSELECT * WHERE {}\n", encoding="utf-8")
    with pytest.raises(QueryError, match="bad.rq:2: cannot read parameter"):
        read_query(bad)


def test_a_query_file_changed_since_it_was_read_is_read_again(tmp_path):
    path = tmp_path / "mine.rq"
    path.write_text("# title: a | A\n# columns: s (subject)\nSELECT ?s WHERE { ?s ?p ?o }\n", encoding="utf-8")
    assert read_query(path).title == "a | A" and read_query(path) is read_query(path)
    path.write_text("# title: bb | B\n# columns: s (subject)\nSELECT ?s WHERE { ?s ?p ?o }\n", encoding="utf-8")
    assert read_query(path).title == "bb | B"
    path.unlink()
    with pytest.raises(QueryError, match="mine.rq: query file not found"):
        read_query(path)


def test_a_catalogue_file_changed_or_gone_is_seen_by_name(tmp_path, monkeypatch):
    """A question asked by name is looked up once per name, but its file is looked at each time it is asked."""
    from antitraffick_kg.ask import catalogue as cat

    monkeypatch.setattr(cat, "queries_path", lambda: tmp_path)
    cat._catalogue_file.cache_clear()
    try:
        (tmp_path / "across").mkdir()
        path = tmp_path / "mine.rq"
        path.write_text("# title: a | A\n# columns: s (subject)\nSELECT ?s WHERE { ?s ?p ?o }\n", encoding="utf-8")
        assert get_query("mine").title == "a | A" and cat.across_query("mine") is None
        path.write_text("# title: bb | B\n# columns: s (subject)\nSELECT ?s WHERE { ?s ?p ?o }\n", encoding="utf-8")
        (tmp_path / "across" / "mine.rq").write_text(path.read_text(encoding="utf-8"), encoding="utf-8")
        assert get_query("mine").title == "bb | B" and cat.across_query("mine").title == "bb | B"
        path.unlink()
        for name in ("mine", "Not-a-name", "../mine"):
            with pytest.raises(UnknownQueryError):
                get_query(name)
    finally:
        cat._catalogue_file.cache_clear()


def test_an_unknown_query_lists_the_catalogue():
    with pytest.raises(UnknownQueryError) as err:
        get_query("tasks-by-unti")
    assert "tasks-by-unit" in err.value.available


# -- expected rows, on every store -----------------------------------------------------------
def test_the_manifest_covers_every_query():
    assert {c["query"] for c in MANIFEST} == {q.name for q in catalogue()}


@pytest.mark.parametrize("case", MANIFEST, ids=lambda c: c["query"] + "".join(f"-{v}" for v in c.get("params", {}).values()))
def test_manifest_rows(store, case):
    result = query(case["query"], params=case.get("params", {}), store=store)
    assert list(result.columns) == [c.name for c in get_query(case["query"]).columns]
    got = [[r[c] if r[c] is not None else "" for c in result.columns] for r in result]
    if "rows" in case:
        assert got == case["rows"]
    else:
        assert len(got) == case["count"]
        missing = [row for row in case["contains"] if row not in got]
        assert missing == []


@pytest.mark.parametrize("case", [c for c in MANIFEST if get_query(c["query"]).order
                                  and max(len(c.get("rows", ())), c.get("count", 0)) > 1],
                         ids=lambda c: c["query"] + "".join(f"-{v}" for v in c.get("params", {}).values()))
def test_an_ordered_answer_is_its_rows_sorted_whole(store, case):
    """A store's rows come sorted on its columns and are only sorted again on the query's order: the answer must
    be the one sorting its rows whole, from any order, gives."""
    q = get_query(case["query"])
    rows = list(query(q.name, params=case.get("params", {}), store=store))
    assert len(rows) > 1
    assert rows == sort_rows([c.name for c in q.columns], rows[::-1], order=q.order)


def test_the_example_question_rests_on_the_document(build_dir):
    """州妇联 supports 7.6, and 7.6's own words name a border place: both read from the source lines."""
    rows = query("tasks-by-unit", params={"unit": "州妇联", "role": "support", "place": "边境地区"},
                 build_dir=build_dir)
    assert {r["task"] for r in rows} == {"7.6"}
    facts = query("task", params={"id": "7.6"}, build_dir=build_dir)
    for field, value in (("support", "州妇联"), ("place", "边境地区")):
        cited = [r for r in facts if (r["field"], r["value"]) == (field, value)]
        assert {r["source"] for r in cited} == {"narrative", "table"}
        for r in cited:
            line = SOURCE[int(r["line"]) - 1]
            assert r["quote"] in line
    narrative = SOURCE[174]
    assert narrative.startswith("（六）重点地区宣传教育。加强边境地区")
    supporters = narrative[narrative.rindex("负责，") + 3:]
    assert "州妇联" in supporters and supporters.endswith("配合）")
    for line in (77, 243, 187, 310):      # the other tasks whose words name a border place
        assert "边境" in SOURCE[line - 1] and "州妇联" not in SOURCE[line - 1]


def test_a_task_counts_only_when_its_own_words_name_the_place(build_dir):
    everything = {r["task"] for r in query("tasks-by-unit", params={"unit": "州妇联", "role": "support"},
                                            build_dir=build_dir)}
    assert len(everything) == 19 and "7.6" in everything
    myanmar = query("tasks-by-unit", params={"unit": "州妇联", "role": "support", "place": "缅甸"}, build_dir=build_dir)
    assert {r["task"] for r in myanmar} == {"8.1"} and "和缅甸等有关国家" in SOURCE[192]
    assert query("tasks-by-unit", params={"unit": "州妇联", "role": "support", "place": "口岸"},
                 build_dir=build_dir).rows == ()     # 四(三)4 and 七(九)2 name 口岸; 州妇联 supports neither


# -- parameters ------------------------------------------------------------------------------------
@pytest.mark.parametrize("spelling", ["州人力资源社会保障局", "州人力资源和社会保障局", "州人力资源 社会保障局",
                                      "human-resources-social-security-bureau",
                                      "https://w3id.org/antitraffick-kg/id/unit/533100/human-resources-social-security-bureau",
                                      "<https://w3id.org/antitraffick-kg/id/unit/533100/human-resources-social-security-bureau>"])
def test_a_unit_by_any_spelling_or_iri(build_dir, spelling):
    rows = query("tasks-by-unit", params={"unit": spelling, "role": "lead"}, build_dir=build_dir)
    assert {r["unit"] for r in rows} == {"州人力资源社会保障局"}
    assert {"4.1.1", "4.3.3", "6.2.2"} <= {r["task"] for r in rows}


def _recording(build_dir):
    """A store holding the plan that records the text of every query it is asked."""
    inner = OxigraphStore.from_nquads((build_dir / f"{PLAN}.nq").read_bytes())
    asked: list[str] = []

    class Recording:
        name = inner.name

        def select(self, text, **options):
            asked.append(text if not options.get("bindings") else ("bound", text))
            return inner.select(text, **options)

    return asked, Recording


@pytest.mark.parametrize("value, notation, scans", [("7.6", "7.6", False), ("4.1.1", "4.1.1", False),
                                                    ("重点地区宣传教育", "7.6", False), ("重点地区 宣传教育", "7.6", True)])
def test_a_task_notation_or_heading_is_looked_up_and_only_another_spelling_reads_every_task(build_dir, value, notation,
                                                                                            scans):
    from antitraffick_kg.ask.params import PARAMETER_RESOLVERS

    _TASKS = PARAMETER_RESOLVERS["task"].lookup
    asked, Recording = _recording(build_dir)
    rows = query("task", params={"id": value}, store=Recording())
    assert rows.rows == query("task", params={"id": notation}, build_dir=build_dir).rows
    assert len(rows) > 0 and ("bound", _TASKS) in asked and (_TASKS in asked) is scans


@pytest.mark.parametrize("value, scans", [("4.3", False), ("重点地区预防犯罪工作", False), ("重点地区 预防犯罪工作", True)])
def test_a_policy_area_is_looked_up_by_notation_or_title_and_only_another_spelling_reads_every_area(build_dir, value,
                                                                                                   scans):
    from antitraffick_kg.ask.params import PARAMETER_RESOLVERS

    _AREAS = PARAMETER_RESOLVERS["area"].lookup
    asked, Recording = _recording(build_dir)
    rows = query("tasks-by-area", params={"area": value}, store=Recording())
    assert rows.rows == query("tasks-by-area", params={"area": "4.3"}, build_dir=build_dir).rows and len(rows) > 0
    assert ("bound", _AREAS) in asked and (_AREAS in asked) is scans


@pytest.mark.parametrize("spelling, unit", [("州妇联", "州妇联"), ("州 妇联", "州妇联"), ("womens-federation", "州妇联"),
                                           ("州人力资源和社会保障局", "州人力资源社会保障局"), ("州妇女联合会", None)])
def test_a_unit_is_looked_up_by_its_bound_value_and_only_an_unknown_one_reads_every_name(build_dir, spelling, unit):
    """Reading every unit's names costs seconds in a corpus of thousands of plans: a short name (spaces aside),
    spelling variant or id is a lookup of the bound value; only a name no unit has reads them all, for
    suggestions."""
    from antitraffick_kg.ask.params import _UNITS

    asked, Recording = _recording(build_dir)
    if unit is None:
        with pytest.raises(UnknownUnitError):
            query("tasks-by-unit", params={"unit": spelling}, store=Recording())
    else:
        assert {r["unit"] for r in query("tasks-by-unit", params={"unit": spelling}, store=Recording())} == {unit}
    assert (_UNITS in asked) is (unit is None)


def test_an_unknown_unit_lists_the_closest_names(build_dir):
    with pytest.raises(UnknownUnitError) as err:
        query("tasks-by-unit", params={"unit": "州妇女联合会"}, build_dir=build_dir)
    assert "州妇联" in err.value.suggestions
    assert "did you mean" in str(err.value)


@pytest.mark.parametrize("params, message", [
    ({}, "needs parameter 'unit'"),
    ({"unit": "州妇联", "colour": "red"}, "has no parameter 'colour'; its parameters: unit, function, role, place"),
    ({"unit": "州妇联", "role": "boss"}, "is not a role"),
    ({"unit": "州妇联", "place": "边境"}, "did you mean"),
    ({"unit": "州妇联", "place": "妇女"}, "is a concept of target-groups, not a place"),
])
def test_bad_parameters_are_clean_errors(build_dir, params, message):
    with pytest.raises(QueryError, match=re.escape(message)):
        query("tasks-by-unit", params=params, build_dir=build_dir)


def test_tasks_and_areas_resolve_by_heading(build_dir):
    by_heading = query("task", params={"id": "重点地区宣传教育"}, build_dir=build_dir)
    assert by_heading.rows == query("task", params={"id": "7.6"}, build_dir=build_dir).rows
    assert query("tasks-by-area", params={"area": "四（三）"}, build_dir=build_dir).rows == \
        query("tasks-by-area", params={"area": "4.3"}, build_dir=build_dir).rows
    with pytest.raises(QueryError, match="did you mean 7.6"):
        query("task", params={"id": "7.66"}, build_dir=build_dir)


def test_an_ambiguous_concept_must_be_given_by_id(build_dir):
    with pytest.raises(QueryError, match="names several sector concepts"):
        query("tasks-by-sector", params={"sector": "学校"}, build_dir=build_dir)
    assert len(query("tasks-by-sector", params={"sector": "educational-institutions"}, build_dir=build_dir)) > 0


def test_due_as_of_takes_today_by_default(build_dir):
    rows = query("due-as-of", build_dir=build_dir)
    assert {r["status"] for r in rows} <= {"due", "overdue"}
    assert len(rows) >= 37      # every 2022 deadline has passed


@pytest.mark.parametrize("value", HOSTILE)
def test_a_hostile_value_is_inert(store, value):
    before = _quads(store)
    assert query("search", params={"text": value}, store=store).rows == ()
    for name, param in (("tasks-by-unit", "unit"), ("tasks-due", "year"), ("task", "id"), ("tasks-by-place", "place"),
                        ("tasks-by-area", "area"), ("due-as-of", "date"), ("tasks-by-unit", "role")):
        params = {"unit": "州妇联", param: value} if name == "tasks-by-unit" else {param: value}
        with pytest.raises(QueryError if param != "unit" else UnknownUnitError):
            query(name, params=params, store=store)
    assert _quads(store) == before


@pytest.mark.parametrize("value", HOSTILE + ["\\", "'''", '"""', "\u2028\t\x01"])
def test_a_value_reaches_the_query_exactly_as_given(store, tmp_path, value):
    echo = tmp_path / "echo.rq"
    echo.write_text("# title: 回显 | Echo\n# description: the value back\n"
                    "# param: text (text; required): any text\n# columns: v (the value)\n# example: text=x\n"
                    "SELECT ?v WHERE { BIND (CONCAT(?TEXT, \"\") AS ?v) }\n", encoding="utf-8")
    assert query(echo, params={"text": value}, store=store).rows == ({"v": value},)


@pytest.mark.parametrize("text, refused", [
    ("DROP ALL", "UPDATE"),
    ("PREFIX a: <http://a/>\nINSERT DATA { a:x a:y a:z }", "UPDATE"),
    ("DELETE WHERE { ?s ?p ?o }", "UPDATE"),
    ("SELECT ?s WHERE { ?s ?p }", "syntax"),
])
def test_the_query_path_is_read_only(store, tmp_path, text, refused):
    before = _quads(store)
    path = tmp_path / "attempt.rq"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(QueryError, match=refused):
        query(path, store=store)
    assert _quads(store) == before


# -- Python results ---------------------------------------------------------------------------
def test_rows_come_in_a_deterministic_natural_order(build_dir):
    first = query("assignments", build_dir=build_dir)
    assert first.rows == query("assignments", build_dir=build_dir).rows
    tasks = list(dict.fromkeys(r["task"] for r in first))
    assert tasks.index("5.4") > tasks.index("5.3.4") and tasks.index("7.9.2") < tasks.index("8.1")
    workload = query("unit-workload", build_dir=build_dir)
    assert workload[0]["unit"] == "州公安局"        # header 'order: -tasks, …'
    totals = [int(r["tasks"]) for r in workload]
    assert totals == sorted(totals, reverse=True)


def test_a_result_is_a_sequence_of_rows_and_a_dataframe(build_dir):
    pd = pytest.importorskip("pandas")
    result = query("tasks-due", params={"year": 2023}, build_dir=build_dir)
    frame = result.to_dataframe()
    assert isinstance(frame, pd.DataFrame)
    assert list(frame.columns) == ["task", "title", "year", "lead"] and len(frame) == len(result) == 11
    assert frame.iloc[0].to_dict() == result[0]


def test_without_pandas_the_error_names_the_extra(build_dir, monkeypatch):
    result = query("tasks-due", params={"year": 2023}, build_dir=build_dir)
    monkeypatch.setitem(sys.modules, "pandas", None)
    with pytest.raises(QueryError, match=r"antitraffick-kg\[pandas\]"):
        result.to_dataframe()


# -- the command line ---------------------------------------------------------------------------
def _run(*args: str):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def test_cli_answers_the_example_question(build_dir):
    out = _run("query", "tasks-by-unit", "--param", "unit=州妇联", "--param", "role=support",
               "--param", "place=边境地区", "--build-dir", str(build_dir), "--format", "csv")
    assert out.exit_code == 0
    assert out.output.splitlines() == ["task,title,unit,role,source", "7.6,重点地区宣传教育,州妇联,support,narrative",
                                       "7.6,重点地区宣传教育,州妇联,support,table"]


@pytest.mark.parametrize("fmt", ["table", "csv", "tsv", "json"])
def test_cli_formats(build_dir, fmt, tmp_path):
    out_file = tmp_path / f"rows.{fmt}"
    out = _run("query", "tasks-due", "-p", "year=2025", "-f", fmt, "-o", str(out_file), "--build-dir", str(build_dir))
    assert out.exit_code == 0 and out.output == ""
    text = out_file.read_text(encoding="utf-8")
    rows = query("tasks-due", params={"year": "2025"}, build_dir=build_dir)
    assert text == format_rows(rows.columns, rows.rows, fmt)
    if fmt == "json":
        assert json.loads(text)[0] == {"task": "4.1.3", "title": "医疗卫生领域", "year": "2025", "lead": "州公安局"}


def test_cli_runs_a_query_file(build_dir, tmp_path):
    path = tmp_path / "mine.rq"
    path.write_text("PREFIX atk: <https://w3id.org/antitraffick-kg/ontology#>\n"
                    "SELECT (COUNT(?t) AS ?n) WHERE { ?t a atk:Task }\n", encoding="utf-8")
    out = _run("query", str(path), "-f", "csv", "--build-dir", str(build_dir))
    assert out.output == "n\n56\n"


@pytest.mark.parametrize("args, message", [
    (["-p", "unit"], "--param takes NAME=VALUE"),
    (["-p", "unit=州妇女联合会"], "unknown unit '州妇女联合会'; did you mean 州妇联"),
    (["-p", "unit=州妇联", "-p", "unit=州公安局"], "given twice"),
    (["-p", "unit=州妇联\n} DROP ALL"], "unknown unit '州妇联\\n} DROP ALL'"),
    (["-p", "unit=州妇联", "-p", "place=边境\n地区"], "parameter place: '边境\\n地区' is not a known place"),
])
def test_cli_errors_are_one_line(build_dir, args, message):
    out = CliRunner().invoke(main, ["query", "tasks-by-unit", *args, "--build-dir", str(build_dir)])
    assert out.exit_code == 2
    assert out.output.count("\n") == 1 and out.output.startswith("Error: ") and message in out.output


def test_cli_lists_the_catalogue():
    out = _run("queries")
    for q in catalogue():
        assert f"{q.name}: {q.title}" in out.output
        for p in q.parameters:
            assert f"--param {p.describe()}" in out.output
    assert "example: antitraffick-kg query tasks-by-unit -p unit=州妇联 -p role=support -p place=边境地区" in out.output
    listed = json.loads(_run("queries", "-f", "json").output)
    assert [e["name"] for e in listed] == [q.name for q in catalogue()]


# -- documentation ------------------------------------------------------------------------------
def _questions_section() -> str:
    """The guide to asking questions; the catalogue itself is generated (tests/test_docs.py checks the built page)."""
    return (Path(__file__).parents[1] / "docs" / "guide" / "questions.md").read_text(encoding="utf-8")


def test_docs_document_every_query_and_command(docs_site):
    section = _questions_section()
    page = (docs_site / "reference" / "queries.html").read_text(encoding="utf-8")     # generated from the headers
    for q in catalogue():
        assert f"<code>{q.name}</code>" in page, q.name
        for p in q.parameters:
            assert f"<code>{p.name}</code>" in page, f"{q.name}: {p.name}"
    for words in ("antitraffick-kg query", "antitraffick-kg queries", "antitraffick-kg serve", "antitraffick-kg push", "--endpoint",
                  "ANTITRAFFICK_KG_ENDPOINT_USER", "ANTITRAFFICK_KG_ENDPOINT_PASSWORD", "params=", "to_dataframe",
                  *(f"`{t}`" for t in PARAMETER_TYPES)):
        assert words in section, words


def test_the_table_counts_its_rows_in_words():
    from antitraffick_kg.ask.query import format_rows

    one = format_rows(["a"], [{"a": "x"}], "table").splitlines()
    two = format_rows(["a"], [{"a": "x"}, {"a": "y"}], "table").splitlines()
    assert (one[-1], two[-1]) == ("(1 row)", "(2 rows)")
    assert format_rows(["a"], [], "table").splitlines()[-1] == "(0 rows)"


def test_obligations_optional_parameters_select_and_an_unbound_one_matches_anything(build_dir):
    """`obligations` uses its unit and task as the patterns' own variables: each bound one keeps exactly the rows
    of that unit or task (rdflib giving the same), and none bound gives every obligation."""
    every = query("obligations", build_dir=build_dir).rows
    assert len(every) > 500
    for params in ({"unit": "州妇联"}, {"task": "4.4.4"}, {"unit": "州公安局", "task": "4.1.1"}):
        rows = query("obligations", params=params, build_dir=build_dir).rows
        want = [r for r in every if r["unit"] == params.get("unit", r["unit"])
                and r["task"] == params.get("task", r["task"])]
        assert list(rows) == want and len(rows) > 0, params
        if len(params) == 2:        # rdflib takes seconds a query here; the catalogue battery asks it the example
            assert query("obligations", params=params, build_dir=build_dir, store="rdflib").rows == rows
