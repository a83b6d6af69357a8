"""Questions over several plans: every answer says whose it is, each plan answers as its own question would, a unit's
name means that unit in each plan, and a unit function reaches every unit of that function.

The corpus here holds three small prefecture plans made from the other-prefecture fixture: the plan as built, a twin
of it under another id in the same jurisdiction (so both plan graphs describe the same units, which a union of
graphs would count twice), and a third in another jurisdiction whose units have the same short names (州妇联 …).
The two others are the built plan's quads with its id (and the third's jurisdiction code) renamed, as a build of
a copy of its folder would write them, at a fraction of the cost.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner

import antitraffick_kg as atk
from antitraffick_kg import iris
from antitraffick_kg.ask import query as asking
from antitraffick_kg.ask import tagged
from antitraffick_kg.ask.across import Lookup, renamed_columns, units_in_plan
from antitraffick_kg.ask.catalogue import catalogue
from antitraffick_kg.cli.main import main
from antitraffick_kg.errors import QueryError, UnknownUnitError
from antitraffick_kg.pipeline.build import store_plans
from antitraffick_kg.store.corpus import Corpus, PlanPart, write_parts
from antitraffick_kg.store.graphsets import own_graphs
from antitraffick_kg.rows import sort_rows

FIXTURE = Path(__file__).parent / "data" / "other-prefecture"
FIRST = "other-prefecture"
PLANS = {FIRST: "999900", "other-twin": "999900", "third-prefecture": "999800"}
#: the questions also asked of rdflib (every one takes it seconds): the plan's statements, names and functions
RDFLIB = ("assignments", "tasks-by-unit", "units", "unit-functions", "counterparts", "shared-tasks")


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Corpus:
    root = tmp_path_factory.mktemp("across")
    shutil.copytree(FIXTURE, root / "ws" / FIRST)
    # links of the plan's own (a mapping file in its folder, so in a graph of the plan's): to a Yunnan measure that
    # links to a national one, straight to the national one, to no measure, and a task of the third plan's (which
    # every copy holds: a plan's question reads only the links of its own graphs and the shared ones)
    (root / "ws" / FIRST / f"{FIRST}--upper.sssom.tsv").write_text(MAPPINGS, encoding="utf-8")
    store_plans([atk.find_plan(FIRST, data_dir=root / "ws")], store=root / "store")
    built = Corpus.open(root / "store")
    data = built.part_nquads(FIRST)
    assert data is not None
    parts = [PlanPart.from_nquads(data.replace(f"/{FIRST}".encode(), f"/{plan}".encode())
                                  .replace(b"999900", code.encode()) + _copys_own(plan),
                                  plan=plan, kind="plan", digest=plan)
             for plan, code in PLANS.items() if plan != FIRST]
    write_parts(root / "store", parts)
    return Corpus.open(root / "store")


def _copys_own(plan: str) -> bytes:
    """What a copy holds beyond the first plan's quads renamed, in graphs of its own: a step up the plan family (so
    its tasks are asked for the upper plans' measures): the twin implements the Yunnan plan (one step to it, two to
    the national plan), the third the Wenshan plan (which the shared family has implement the Yunnan plan: two steps
    to it, three to the national plan); and a link or a no-match row of its own for N-2.1.1, the one upper measure
    the shared links leave open: the twin links its task 3.1 to it, the third records that none of its tasks
    matches it."""
    plan_iri, graph = f"<{iris.ID_BASE}plan/{plan}>", f"<{iris.ID_BASE}graph/{plan}"
    stated = (f"<{iris.ID_BASE}link/test/{plan}>", "<http://www.w3.org/1999/02/22-rdf-syntax-ns#")
    own = {"other-twin": (f"<{iris.ID_BASE}plan/{plan}/task/3.1>", f"<{iris.ID_BASE}plan/national-2021-2030/measure/N-2.1.1>",
                          "inferred", "a link of the twin's own"),
           "third-prefecture": (f"<{iris.ID_BASE}plan/national-2021-2030/measure/N-2.1.1>",
                                "<https://w3id.org/sssom/NoTermFound>", "unknown", "a gap the third plan records")}
    subject, obj, status, reason = own[plan]
    upper = {"other-twin": "yunnan-2021-2030", "third-prefecture": "wenshan-2022"}[plan]
    lines = [f"{plan_iri} <http://data.europa.eu/eli/ontology#implements> <{iris.ID_BASE}plan/{upper}> {graph}/family> .",
             f"{stated[0]} {stated[1]}type> {stated[1]}Statement> {graph}/mappings> .",
             f"{stated[0]} {stated[1]}subject> {subject} {graph}/mappings> .",
             f"{stated[0]} {stated[1]}predicate> <http://www.w3.org/2004/02/skos/core#exactMatch> {graph}/mappings> .",
             f"{stated[0]} {stated[1]}object> {obj} {graph}/mappings> .",
             f"{stated[0]} <{iris.ATK_BASE}status> <{iris.ATK_BASE}{status}> {graph}/mappings> .",
             f'{stated[0]} <{iris.ATK_BASE}confidence> "0.5"^^<http://www.w3.org/2001/XMLSchema#decimal> {graph}/mappings> .',
             f'{stated[0]} <{iris.ATK_BASE}reason> "{reason}" {graph}/mappings> .']
    return ("\n" + "\n".join(lines) + "\n").encode()


MAPPINGS = f"""# curie_map:
#   op: https://w3id.org/antitraffick-kg/id/plan/{FIRST}/task/
#   tp: https://w3id.org/antitraffick-kg/id/plan/third-prefecture/task/
#   yunnan: https://w3id.org/antitraffick-kg/id/plan/yunnan-2021-2030/measure/
#   national: https://w3id.org/antitraffick-kg/id/plan/national-2021-2030/measure/
# mapping_set_id: https://w3id.org/antitraffick-kg/id/mappings/{FIRST}--upper
# license: https://spdx.org/licenses/MIT.html
subject_id\tpredicate_id\tobject_id\tmapping_justification\tconfidence
op:2.1.1\tskos:exactMatch\tyunnan:Y-10.4\tsemapv:ManualMappingCuration\t0.9
op:3.1\tskos:broadMatch\tnational:N-2.1.2\tsemapv:ManualMappingCuration\t0.6
op:1.1\tskos:exactMatch\tsssom:NoTermFound\tsemapv:ManualMappingCuration\t
tp:2.1.1\tskos:closeMatch\tyunnan:Y-8.1\tsemapv:ManualMappingCuration\t0.5
"""


def _params(q) -> dict[str, str]:
    params = q.example_params()
    for p in q.parameters:
        if p.type == "unit":
            params[p.name] = "州妇联" if p.name != "other" else "州公安局"
        elif p.type == "task":
            params[p.name] = "2.1.1"
    return params


def _own(q, params, corpus, plan, store="oxigraph"):
    """The plan's own answer to ``q``: its rows, or None when its parameters name nothing in the plan."""
    try:
        return atk.query(q.name, params=params, corpus=corpus, plan=plan, store=store)
    except (QueryError, UnknownUnitError):
        return None


def _answers(corpus, store, names=None):
    out = {}
    for q in catalogue():
        if names is not None and q.name not in names:
            continue
        try:
            result = atk.query(q.name, params=_params(q), corpus=corpus, plans="all", store=store)
            out[q.name] = (result.columns, result.rows)
        except (QueryError, UnknownUnitError) as exc:
            out[q.name] = str(exc)
    return out


@pytest.fixture(scope="module")
def across(corpus):
    return _answers(corpus, "oxigraph")


def test_every_question_over_several_plans_is_each_plans_own_answer_with_plan_columns_first(corpus, across):
    answered = 0
    for q in catalogue():
        got = across[q.name]
        own = {p: _own(q, _params(q), corpus, p) for p in PLANS}
        if isinstance(got, str):
            assert all(r is None for r in own.values()), (q.name, got)
            continue
        columns, rows = got
        assert columns[:2] == ("plan", "jurisdiction"), q.name
        assert list(columns[2:]) == renamed_columns([c.name for c in q.columns]), q.name
        for plan, code in PLANS.items():
            mine = [r for r in rows if r["plan"] == plan]
            assert all(r["jurisdiction"] == code for r in mine), (q.name, plan)
            expected = [] if own[plan] is None else [
                {"plan": plan, "jurisdiction": code, **dict(zip(columns[2:], (r[c] for c in own[plan].columns)))}
                for r in own[plan].rows]
            assert mine == expected, (q.name, plan)      # each row exactly as often as in the plan's own answer
        answered += bool(rows)
    assert answered >= 20


def test_two_plans_of_one_jurisdiction_give_each_row_once_per_plan(across):
    _, rows = across["assignments"]
    twins = [{k: v for k, v in r.items() if k != "plan"} for r in rows if r["jurisdiction"] == "999900"]
    first = [r for r, full in zip(twins, [r for r in rows if r["jurisdiction"] == "999900"])
             if full["plan"] == "other-prefecture"]
    assert len(first) == 14 and len(twins) == 28, "14 statements in each twin, none of them twice"


def test_rdflib_answers_every_question_over_several_plans_as_pyoxigraph(corpus, across):
    assert _answers(corpus, "rdflib", RDFLIB) == {name: across[name] for name in RDFLIB}


def test_a_unit_name_means_that_unit_in_each_plan_that_has_one(corpus):
    rows = atk.query("tasks-by-unit", params={"unit": "州妇联", "role": "support"}, corpus=corpus)
    assert {(r["plan"], r["jurisdiction"]) for r in rows} == set(PLANS.items())
    assert {(r["plan"], r["task"]) for r in rows} == {(p, t) for p in PLANS for t in ("2.1.1", "3.1")}
    # an IRI names one unit: the plans that describe it (both of its jurisdiction), and no other
    unit = iris.ID_BASE + "unit/999800/womens-federation"
    assert {r["plan"] for r in atk.query("tasks-by-unit", params={"unit": unit}, corpus=corpus)} == \
        {"third-prefecture"}
    # plans named one by one: only those
    two = atk.query("tasks-by-unit", params={"unit": "州妇联"}, corpus=corpus, plans=["third-prefecture",
                                                                                      "other-prefecture"])
    assert {r["plan"] for r in two} == {"third-prefecture", "other-prefecture"}
    assert [r["plan"] for r in two] == sorted(r["plan"] for r in two)


def test_a_name_no_plan_has_is_one_error_with_the_closest_names(corpus):
    with pytest.raises(UnknownUnitError) as err:
        atk.query("tasks-by-unit", params={"unit": "州妇女连合会"}, corpus=corpus)
    assert "州妇联" in str(err.value) or "州妇女联合会" in str(err.value)


def test_a_name_two_units_of_one_plan_share_is_an_error_naming_the_plan():
    graphs = {"g1", "g2"}
    found = [{"u1": ({"g1"}, {"g1"}), "u2": ({"g2"}, {"g2"}), "u3": ({"g3"}, {"g3"})}]
    assert units_in_plan(found, graphs) == ["u1", "u2"]
    assert units_in_plan(found, {"g3"}) == ["u3"]
    assert units_in_plan(found, {"g4"}) is None
    # the first test that finds a unit in the plan decides: an IRI before a name before an id
    assert units_in_plan([{}, {"u2": ({"g1"}, {"g1"})}], graphs) == ["u2"]


def test_a_unit_name_is_looked_up_once_for_all_plans_by_its_bound_value(corpus):
    asked = []

    def recording(s, p, o):
        asked.append((s, p, o))
        return inner.quads(s, p, o)

    inner = Lookup.on_store(corpus.store)
    import pyoxigraph as ox

    from antitraffick_kg.ask.params import _unit_lookups

    found = Lookup(recording, inner.values, inner.holds).units_named(list(_unit_lookups("州妇联", "州妇联", "州妇联")))
    assert all(o is not None or s is not None for s, _p, o in asked), "every lookup is of a bound term"
    assert ox.Literal("州妇联") in {o for _s, _p, o in asked}
    hits = {u for typed in found for u in typed}
    assert hits == {iris.ID_BASE + "unit/999900/womens-federation", iris.ID_BASE + "unit/999800/womens-federation"}


@pytest.mark.parametrize("value", ["womens-federation", "妇联", "women's federation",
                                   "https://w3id.org/antitraffick-kg/id/unit-function/womens-federation"])
def test_a_unit_function_reaches_every_unit_of_that_function_in_every_plan(corpus, value):
    by_function = atk.query("tasks-by-unit", params={"function": value, "role": "support"}, corpus=corpus)
    by_name = atk.query("tasks-by-unit", params={"unit": "州妇联", "role": "support"}, corpus=corpus)
    # every plan: the prefecture plans' 州妇联, and the national plan's women's federation in its reference extract
    national = [{"plan": "national-2021-2030", "jurisdiction": "100000", "task": task, "title": title,
                 "unit": "全国妇联", "role": "support", "source": "reference"}
                for task, title in (("N-2.1.1", "部门协同联动与发现举报机制"), ("N-2.1.2", "犯罪形势研判与重点预防"))]
    assert list(by_function.rows) == [*by_name.rows, *national] and len(by_name) == 12
    assert by_function.notes == ("yunnan-2021-2030: no unit data: its reference extract "
                                 "(data/reference/yunnan-2021-2030/measures.csv) assigns no unit to any of its "
                                 "measures, so it has no rows",)
    assert by_name.notes == (), "a unit's name reaches no upper-level body: nothing to say of the extracts"


def test_rdflib_asks_the_upper_level_extracts_of_a_function_as_pyoxigraph(corpus):
    params = {"function": "womens-federation", "role": "support"}
    oxigraph = atk.query("tasks-by-unit", params=params, corpus=corpus)
    rdflib = atk.query("tasks-by-unit", params=params, corpus=corpus, store="rdflib")
    assert (rdflib.rows, rdflib.notes) == (oxigraph.rows, oxigraph.notes)
    assert "national-2021-2030" in {r["plan"] for r in rdflib} and rdflib.notes


def test_a_unit_function_asked_of_one_plan_and_an_unknown_one(corpus):
    one = atk.query("tasks-by-unit", params={"function": "public-security"}, corpus=corpus, plan="other-prefecture")
    assert one.columns[0] == "task" and {r["unit"] for r in one} == {"州公安局"}
    with pytest.raises(QueryError, match=r"is not a unit function; did you mean .*womens-federation"):
        atk.query("tasks-by-unit", params={"function": "womens-federatoin"}, corpus=corpus)


def test_plan_and_plans_are_checked(corpus):
    with pytest.raises(QueryError, match="give plan or plans, not both"):
        atk.query("assignments", corpus=corpus, plan="other-prefecture", plans=["other-twin", "third-prefecture"])
    with pytest.raises(QueryError, match="plans is empty"):
        atk.query("assignments", corpus=corpus, plans=[])
    one = atk.query("assignments", corpus=corpus, plans=["other-twin"])
    assert one.columns[0] == "task", "one plan named in plans: that plan's own answer"


def test_the_command_asks_every_plan_with_the_plan_columns(corpus):
    result = CliRunner().invoke(main, ["query", "tasks-by-unit", "-p", "unit=州妇联", "-p", "role=support",
                                       "--all-plans", "--store", str(corpus.path), "-f", "csv"])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0] == "plan,jurisdiction,task,title,unit,role,source"
    assert "third-prefecture,999800,2.1.1," in result.output and "other-twin,999900,3.1," in result.output


def test_a_plan_held_for_one_question_answers_its_parameters_lookups_too(corpus, tmp_path):
    """The plans after the first are held in memory with only the quads the question can read: the lookups of
    its parameters (a task by its heading reads headings, which this question never does) must find them too."""
    heading = next(r["title"] for r in atk.query("tasks-by-unit", params={"unit": "州妇联"}, corpus=corpus,
                                                   plan=FIRST) if r["task"] == "2.1.1")
    own = tmp_path / "units-of-task.rq"
    own.write_text("# title: 任务的单位 | Units of a task\n"
                   "# param: task (task; required): the task, by notation or heading\n"
                   "# columns: unit (short name)\n"
                   "PREFIX atk: <https://w3id.org/antitraffick-kg/ontology#>\n"
                   "PREFIX skos: <http://www.w3.org/2004/02/skos/core#>\n"
                   "SELECT ?unit WHERE { ?t skos:notation ?TASK . ?a atk:task ?t ; atk:unit ?u . "
                   "?u atk:shortName ?unit }\n", encoding="utf-8")
    by_heading = atk.query(own, params={"task": heading}, corpus=corpus, plans="all")
    by_notation = atk.query(own, params={"task": "2.1.1"}, corpus=corpus, plans="all")
    assert {r["plan"] for r in by_heading} == set(PLANS)
    assert by_heading.rows == by_notation.rows


def test_the_store_plans_are_held_in_is_made_anew_without_changing_an_answer(corpus, across, monkeypatch):
    from antitraffick_kg.ask import query as asking
    from antitraffick_kg.store.graphsets import OnePlanAtATime

    # made anew before every plan (the least of N-Quads loaded before it is, and its share of the shared ones: 0)
    monkeypatch.setattr(OnePlanAtATime, "RENEW_AFTER", 0)
    monkeypatch.setattr(OnePlanAtATime, "RENEW_SHARE", 0)
    again = Corpus.open(corpus.path)
    assert _answers(again, "oxigraph") == across
    made = [held.made for held in asking._SWAPS[again].values()]
    assert made and min(made) >= len(PLANS) - 1          # the plans after the first: each in a store made for it


def test_a_plan_asked_in_memory_keeps_no_store_once_the_next_plan_is_asked(corpus):
    import gc
    import weakref

    from antitraffick_kg.ask.query import _corpus_targets

    targets = _corpus_targets(Corpus.open(corpus.path), None, kind="oxigraph", inferred=False, allow_service=(),
                              timeout=None)
    assert len(targets) == len(PLANS)
    first = targets[0].store()                  # the first plan: the store on disk, kept for its target
    assert targets[0].store() is first
    second = weakref.ref(targets[1].store())    # the next ones: the store in memory, holding that plan
    targets[2].store()
    gc.collect()
    # a store made anew for the next plan would otherwise stay alive through every plan asked before
    assert second() is None


ACROSS = sorted(p.stem for p in (Path(__file__).parent.parent / "queries" / "across").glob("*.rq"))


@pytest.mark.parametrize("name", ACROSS)
def test_an_across_form_asks_every_plan_at_once_and_answers_as_each_plans_own_question(corpus, two_plan_store, name,
                                                                                       monkeypatch):
    """On the three small plans here and on Dehong beside the second prefecture (whose links to the upper plans
    are in the graphs every plan shares), every plan answered by the one query exactly as by its own."""
    from antitraffick_kg.ask import query as asking
    from antitraffick_kg.ask.catalogue import across_query, get_query

    q = get_query(name)
    assert across_query(name) is not None and [c.name for c in across_query(name).columns][1:] == \
        [c.name for c in q.columns]
    answers = []
    monkeypatch.setattr(asking, "across_rows", lambda *a, **k: answers.append(tagged.across_rows(*a, **k))
                        or answers[-1])
    rows = 0
    for store in (corpus, Corpus.open(two_plan_store)):
        atk.query(name, params=_params(q), corpus=store, plans="all")
        answered = answers.pop()
        assert sorted(answered) == sorted(store.plans), "every plan answered by the one query"
        for plan in store.plans:
            own = _own(q, _params(q), store, plan)      # (None: its parameters name nothing in the plan)
            expected = ([c.name for c in q.columns], []) if own is None else (list(own.columns), list(own.rows))
            assert answered[plan] == expected, (plan, store.path)
            rows += len(answered[plan][1])
    assert rows, "a form that answers nothing proves nothing"


@pytest.mark.parametrize("role", [None, "lead", "support"])
def test_a_task_a_plans_own_graph_says_a_unit_leads_or_supports_straight_is_found_in_every_plan_at_once(
        tmp_path, monkeypatch, role):
    """A fact a plan's own graph states straight (a task led or supported by a unit, with no assignment saying so,
    as the reasoner's are) comes out of tasks-by-unit's across form as out of each plan's own question, each role
    read from its own property; one an assignment already says is not given again."""
    copy, unit = "direct-facts", f"<{iris.ID_BASE}unit/999700/womens-federation>"
    store_plans([atk.find_plan(FIRST, data_dir=FIXTURE.parent)], store=tmp_path / "store")
    data = Corpus.open(tmp_path / "store").part_nquads(FIRST)
    assert data is not None
    graph, task = f"<{iris.ID_BASE}graph/{copy}>", f"<{iris.ID_BASE}plan/{copy}/task"
    straight = (f"\n{task}/1.1> <{iris.ATK_BASE}supportedBy> {unit} {graph} .\n"      # (州妇联 has no part in 1.1)
                f"{task}/3.1> <{iris.ATK_BASE}ledBy> {unit} {graph} .\n"             # (it supports 3.1)
                f"{task}/2.1.1> <{iris.ATK_BASE}supportedBy> {unit} {graph} .\n")    # (an assignment says so)
    write_parts(tmp_path / "store", [PlanPart.from_nquads(
        data.replace(f"/{FIRST}".encode(), f"/{copy}".encode()).replace(b"999900", b"999700") + straight.encode(),
        plan=copy, kind="plan", digest=copy)])
    store = Corpus.open(tmp_path / "store")
    answers = []
    monkeypatch.setattr(asking, "across_rows", lambda *a, **k: answers.append(tagged.across_rows(*a, **k))
                        or answers[-1])
    params = {"unit": "州妇联", **({"role": role} if role else {})}
    atk.query("tasks-by-unit", params=params, corpus=store, plans="all")
    answered = answers.pop()
    assert sorted(answered) == sorted([FIRST, copy]), "every plan answered by the one query"
    for plan in (FIRST, copy):
        own = atk.query("tasks-by-unit", params=params, corpus=store, plan=plan)
        assert answered[plan] == (list(own.columns), list(own.rows)), plan
    assert sorted((r["task"], r["role"]) for r in answered[copy][1] if r["source"] == "inferred") == \
        [("1.1", "support"), ("3.1", "lead")][{None: slice(None), "support": slice(0, 1), "lead": slice(1, 2)}[role]]
    assert not [r for r in answered[FIRST][1] if r["source"] == "inferred"]


def test_a_plan_with_graphs_of_its_own_beyond_its_plan_part_is_asked_in_turn(corpus):
    from antitraffick_kg.ask.catalogue import get_query
    from antitraffick_kg.ask.tagged import across_rows
    from antitraffick_kg.store.graphsets import PlanGraphs, corpus_plan_graphs

    graphs = corpus_plan_graphs(corpus)
    extra = [PlanGraphs(g.plan, (*g.graphs, iris.graph_iri(g.plan) + "/progress/2025"), g.read)
             if g.plan == FIRST else g for g in graphs]
    answered = across_rows(get_query("measures"), {}, corpus, extra)
    assert sorted(answered) == sorted(p for p in PLANS if p != FIRST)
    # a parameter each plan resolves in its own graphs (a unit's name) leaves every plan to its own question
    assert across_rows(get_query("measure-tasks"), {"measure": "no-such-measure"}, corpus, graphs) == {}


def test_the_guide_names_the_questions_without_an_across_form():
    import re

    from antitraffick_kg.ask.catalogue import catalogue

    guide = (Path(__file__).parent.parent / "docs" / "guide" / "questions.md").read_text(encoding="utf-8")
    said = re.search(r"(\d+)\s+questions\s+have\s+one\s+\(`ls queries/across`\);\s+(.*?)\s+have\s+none\s+yet",
                     guide, re.S)
    assert said is not None
    named = set(re.findall(r"`([a-z-]+)`", said.group(2)))
    assert int(said.group(1)) == len(ACROSS)
    assert named == {q.name for q in catalogue()} - set(ACROSS)


def test_the_plans_asked_together_are_found_once_per_handle_and_set_of_plans(corpus, monkeypatch):
    from antitraffick_kg.store.graphsets import corpus_plan_graphs

    handle = Corpus.open(corpus.path)
    found = []
    monkeypatch.setattr(tagged, "own_graphs", lambda *a: found.append(a[0]) or own_graphs(*a))
    first = atk.query("units", corpus=handle, plans="all")
    assert len(tagged._FOUND[handle]) == 1 and sorted(found) == sorted(PLANS)
    assert atk.query("units", corpus=handle, plans="all") == first and len(found) == len(PLANS), "found once"
    # (the plans' graphs are kept with the handle: the same tuple again, for every plan or a list of them)
    assert corpus_plan_graphs(handle) is corpus_plan_graphs(handle)
    assert corpus_plan_graphs(handle, [FIRST]) is corpus_plan_graphs(handle, [FIRST])
    two = atk.query("units", corpus=handle, plans=[FIRST, "other-twin"])     # other plans: found again
    assert {r["plan"] for r in two} == {FIRST, "other-twin"} and len(two) * 3 == len(first) * 2
    assert atk.query("units", corpus=handle, plans="all") == first


def test_an_across_form_whose_columns_are_not_the_questions_is_a_one_line_error_naming_the_file(corpus, tmp_path,
                                                                                             monkeypatch):
    from antitraffick_kg.ask.catalogue import read_query

    bad = tmp_path / "units.rq"
    bad.write_text("# columns: plan_graph (graph), unit (name)\n"
                   "SELECT ?plan_graph ?unit WHERE { GRAPH ?plan_graph { ?u <https://w3id.org/antitraffick-kg/"
                   "ontology#shortName> ?unit } }\n", encoding="utf-8")
    monkeypatch.setattr(tagged, "across_query", lambda name: read_query(bad))
    with pytest.raises(QueryError) as caught:
        atk.query("units", corpus=Corpus.open(corpus.path), plans="all")
    message = str(caught.value)
    assert "\n" not in message and str(bad) in message and "full_name" in message


def test_a_plan_answered_together_without_a_row_costs_no_target(corpus, monkeypatch):
    """Of many plans most may have no row for a unit: they are passed over without a target or a store made for
    them, and the others answer as before."""
    from antitraffick_kg.ask.across import Targets

    made = []
    real = Targets.__getitem__
    monkeypatch.setattr(Targets, "__getitem__", lambda self, i: made.append(self.plans[i].plan) or real(self, i))
    handle = Corpus.open(corpus.path)
    unit = iris.ID_BASE + "unit/999800/womens-federation"
    rows = atk.query("tasks-by-unit", params={"unit": unit}, corpus=handle, plans="all")
    assert {r["plan"] for r in rows} == set(made) == {"third-prefecture"}
    from antitraffick_kg.ask.catalogue import get_query

    own = _own(get_query("tasks-by-unit"), {"unit": unit}, handle, "third-prefecture")
    assert own.rows and [{k: v for k, v in r.items() if k not in ("plan", "jurisdiction")} for r in rows] == \
        list(own.rows)


def test_an_across_form_with_its_columns_in_another_order_is_sorted_as_the_question(corpus, tmp_path, monkeypatch):
    """The rows of a form whose columns follow the question's come sorted from the store; a form giving them in
    another order has each plan's rows sorted again, to the same answer."""
    from antitraffick_kg.ask.catalogue import across_query, read_query

    handle = Corpus.open(corpus.path)
    expected = atk.query("milestones", corpus=handle, plans="all")
    moved = tmp_path / "milestones.rq"
    moved.write_text(across_query("milestones").text.replace("SELECT ?plan_graph ?task ?kind ?year ?until",
                                                             "SELECT ?until ?year ?kind ?task ?plan_graph"),
                     encoding="utf-8")
    monkeypatch.setattr(tagged, "across_query", lambda name: read_query(moved))
    answers = []
    monkeypatch.setattr(tagged, "sort_rows", lambda *a, **k: answers.append(a) or sort_rows(*a, **k))
    again = atk.query("milestones", corpus=Corpus.open(corpus.path), plans="all")
    assert len(answers) >= len(PLANS) and again == expected and len(expected) > len(PLANS)


@pytest.mark.parametrize("name,value", [("tasks-by-area", "4.3"), ("tasks-by-area", "重点地区预防犯罪工作"),
                                        ("tasks-by-area", "四（三）"), ("tasks-by-area", "犯罪预防"),
                                        ("task", "7.6"), ("task", "公益宣传"), ("task", "农村地区"), ("task", " 2.1.1"),
                                        ("task", "no such task")])
def test_a_task_or_area_is_found_in_every_plan_at_once_as_each_plans_own_question_finds_it(two_plan_store, name,
                                                                                              value):
    """A heading may stand for another notation in each plan (公益宣传: 7.1 in Dehong, 3.1 in the other plan): it
    is looked up in every plan's graph at once, and each plan finds what its own question finds, or the same
    error; the question over every plan then answers as each plan's own."""
    import pyoxigraph as ox

    from antitraffick_kg.ask.catalogue import get_query
    from antitraffick_kg.ask.params import PARAMETER_RESOLVERS
    from antitraffick_kg.store.graphsets import corpus_plan_graphs
    from antitraffick_kg.store.stores import OxigraphStore

    store = Corpus.open(two_plan_store)
    q = get_query(name)
    p = q.parameters[0]
    graphs = corpus_plan_graphs(store)
    shared = OxigraphStore(store.store, graphs=[ox.NamedNode(g) for g in tagged._together(store, graphs).shared])
    each = PARAMETER_RESOLVERS[p.type].each_plan(p, value.strip(), shared, {iris.graph_iri(g.plan) for g in graphs})
    # every plan's rows, once kept, answer each step as the store does
    known = PARAMETER_RESOLVERS[p.type].rows_by_graph(shared)
    kept = PARAMETER_RESOLVERS[p.type].each_plan(p, value.strip(), shared, {iris.graph_iri(g.plan) for g in graphs},
                                                 known=known)
    assert _found(kept) == _found(each)
    found = set()
    for g in graphs:
        own = OxigraphStore(store.store, graphs=[ox.NamedNode(n) for n in g.graphs])
        try:
            expected = PARAMETER_RESOLVERS[p.type](p, value.strip(), lambda: own)
        except QueryError as exc:
            expected = str(exc)
        got = each[iris.graph_iri(g.plan)]
        assert (str(got) if isinstance(got, QueryError) else got) == expected, g.plan
        found.add(got.value if isinstance(got, ox.Literal) else None)
    if value in ("公益宣传", "农村地区"):
        assert len(found) == 2, "a notation of each plan's own"
    rows = {}
    try:
        result = atk.query(name, params={p.name: value}, corpus=store, plans="all")
        rows = {plan: [r for r in result if r["plan"] == plan] for plan in store.plans}
    except QueryError as exc:
        assert value == "no such task" and "is not a task of the plan" in str(exc)
    for plan, plan_rows in rows.items():
        own_answer = _own(q, {p.name: value}, store, plan)
        assert [{k.removeprefix("row_"): v for k, v in r.items() if k not in ("plan", "jurisdiction")}
                for r in plan_rows] == ([] if own_answer is None else list(own_answer.rows)), plan


def test_a_later_question_looks_its_area_up_in_the_rows_kept_by_an_earlier_one(two_plan_store, monkeypatch):
    """Once a lookup has read every plan's areas (a value in another spelling), a later question over every plan
    finds its area in those rows, with no lookup in the store, and answers as before."""
    from antitraffick_kg.store.stores import OxigraphStore

    heading = "重点地区预防犯罪工作"
    expected = atk.query("tasks-by-area", params={"area": heading}, corpus=Corpus.open(two_plan_store), plans="all")
    handle = Corpus.open(two_plan_store)
    atk.query("tasks-by-area", params={"area": "四（三）"}, corpus=handle, plans="all")     # reads every plan's areas
    select = OxigraphStore.select

    def no_lookup(self, text, *args, **kwargs):
        assert not (kwargs.get("source") == "looking up policy areas" and "VALUES" in text), "looked up in the store"
        return select(self, text, *args, **kwargs)
    monkeypatch.setattr(OxigraphStore, "select", no_lookup)
    again = atk.query("tasks-by-area", params={"area": heading}, corpus=handle, plans="all")
    assert again == expected and len(expected) > 0


def _found(keys) -> dict:
    """What a lookup found in each plan, errors as their messages (those of plans lacking it included)."""
    return {g: (str(v) if isinstance(v, QueryError) else v) for g in sorted({*keys, *keys.lacking}) for v in [keys[g]]}


@pytest.mark.parametrize("value", ["宣传", "1", "2", "3", "宣 传", "（一）", "(一)", "培训", "none"])
def test_kept_rows_answer_each_step_of_a_lookup_as_the_store_does(value):
    """Every plan's areas, once kept, answer a lookup in every plan without the store: a notation matches only the
    same text with the same datatype, and a heading only as a plain or a Chinese (zh) literal, in that order, as the
    store's steps do; another spelling then reads the same rows."""
    import pyoxigraph as ox

    from antitraffick_kg.ask.catalogue import get_query
    from antitraffick_kg.ask.params import PARAMETER_RESOLVERS
    from antitraffick_kg.store.stores import OxigraphStore

    atk_, skos = iris.ATK_BASE, "http://www.w3.org/2004/02/skos/core#"
    store = ox.Store()
    token = ox.NamedNode("http://www.w3.org/2001/XMLSchema#token")
    kinds = {"g1": [("1", ox.Literal("宣传", language="zh"))], "g2": [("1", ox.Literal("宣传"))],
             "g3": [(ox.Literal("2", datatype=token), ox.Literal("宣传", language="zh-cn"))],
             "g4": [("3", ox.Literal("宣 传", language="zh"))], "g5": [("2", ox.Literal("培训", language="en"))],
             # a plain heading before a Chinese one; a notation of another datatype, and a heading naming it
             "g6": [("5", ox.Literal("宣传")), ("6", ox.Literal("宣传", language="zh"))],
             "g7": [(ox.Literal("3", datatype=token), ox.Literal("培训")), ("8", ox.Literal("3", language="zh"))]}
    for g, areas in kinds.items():
        graph = ox.NamedNode("http://example.org/" + g)
        for n, (key, title) in enumerate(areas):
            area = ox.NamedNode(f"http://example.org/{g}/a{n}")
            store.add(ox.Quad(area, ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"),
                              ox.NamedNode(atk_ + "PolicyArea"), graph))
            store.add(ox.Quad(area, ox.NamedNode(skos + "notation"), key if isinstance(key, ox.Literal)
                              else ox.Literal(key), graph))
            store.add(ox.Quad(area, ox.NamedNode(skos + "prefLabel"), title, graph))
            store.add(ox.Quad(area, ox.NamedNode(atk_ + "narrativeNumber"),
                              ox.Literal("(一)" if g == "g1" else "二"), graph))
    graphs = {"http://example.org/" + g for g in kinds}
    p = get_query("tasks-by-area").parameters[0]
    resolver, over = PARAMETER_RESOLVERS["area"], OxigraphStore(store, graphs=[])
    asked = resolver.each_plan(p, value, over, graphs)
    kept = resolver.each_plan(p, value, over, graphs, known=resolver.rows_by_graph(over))
    assert _found(kept) == _found(asked)
    assert any(isinstance(v, ox.Literal) for v in asked.values()) == (value not in ("none",))


def test_unit_functions_across_every_plan_is_each_plans_own_answer_for_any_functions_a_unit_has():
    """The across form joins a unit's function with its names after reading the plan's block: for units with no
    function, an unnamed one, two unnamed ones, a named and an unnamed one, or two named ones, its rows are those of
    the question asked of the plan alone (a unit without a named function once)."""
    import pyoxigraph as ox

    from antitraffick_kg.ask.catalogue import across_query, get_query

    atk_, skos, rdf, ex = (iris.ATK_BASE, "http://www.w3.org/2004/02/skos/core#",
                           "http://www.w3.org/1999/02/22-rdf-syntax-ns#", "http://example.org/")
    shared, own = ox.NamedNode(ex + "shared"), ox.NamedNode(iris.graph_iri("p1"))
    store = ox.Store()

    def add(s, p, o, g=own):
        store.add(ox.Quad(ox.NamedNode(ex + s), ox.NamedNode(p), o if isinstance(o, ox.Literal)
                          else ox.NamedNode(o if "://" in o else ex + o), g))
    functions = {"A": ["fx", "fy"], "B": ["f1", "fx"], "C": ["f1", "f2"], "D": [], "E": ["fz"]}
    for u, fs in functions.items():
        add("u" + u, rdf + "type", atk_ + "Unit")
        add("u" + u, atk_ + "shortName", ox.Literal("unit" + u))
        add("u" + u, atk_ + "jurisdiction", ox.Literal("533100"))
        for f in fs:
            add("u" + u, atk_ + "unitFunction", f)
    for f in ("f1", "f2"):
        add(f, skos + "notation", ox.Literal(f), shared)
        add(f, skos + "prefLabel", ox.Literal("职" + f, language="zh"), shared)
    add("fy", skos + "notation", ox.Literal("fy"), shared)         # (no Chinese label)

    def rows(text, **dataset):
        return sorted(tuple(None if r[c] is None else r[c].value for c in ("unit", "function", "label"))
                      for r in store.query(text, **dataset))
    expected = rows(get_query("unit-functions").text, default_graph=[own, shared])
    assert rows(across_query("unit-functions").text, default_graph=[shared]) == expected
    assert [r[0] for r in expected] == ["unitA", "unitB", "unitC", "unitC", "unitD", "unitE"]


def test_a_heading_two_tasks_of_one_plan_share_leaves_each_plan_to_its_own_question():
    """The steps of one plan's lookup, over every plan at once: a heading naming two tasks of a plan is that plan's
    error (and the question is then asked plan by plan, which gives it); a plan finding nothing says so."""
    from antitraffick_kg.ask.catalogue import get_query
    from antitraffick_kg.ask.params import PARAMETER_RESOLVERS, Absent

    class Rows:
        """The lookup's rows, as a store with plain titles answers it (the bound value is in its text)."""

        def select(self, text, *, bindings=None, source=""):
            rows = [{"plan_graph": "g1", "key": "1.1", "title": "宣传", "written": None},
                    {"plan_graph": "g1", "key": "1.2", "title": "宣传", "written": None},
                    {"plan_graph": "g2", "key": "3.1", "title": "宣传", "written": None},
                    {"plan_graph": "g3", "key": "2.1", "title": "培训", "written": None}]
            bound = re.search(r'VALUES \(\?(key|title)\) \{ \("([^"]*)"(@zh)?\) \}', text)
            if bound is None:
                return [], rows
            column, value, zh = bound.groups()
            return [], [r for r in rows if r[column] == value and not zh]

    p = get_query("task").parameters[0]
    found = PARAMETER_RESOLVERS["task"].each_plan(p, "宣传", Rows(), {"g1", "g2", "g3", "g4"})
    assert isinstance(found["g1"], QueryError) and not isinstance(found["g1"], Absent)
    assert "names 2 tasks: 1.1, 1.2" in str(found["g1"])
    assert found["g2"].value == "3.1"
    assert isinstance(found["g3"], Absent) and "is not a task of the plan" in str(found["g3"])
    assert isinstance(found["g4"], Absent)
    # a plan's error is written when first read, by whichever way it is read
    assert found["g4"].args == (str(found["g4"]),) and "'宣传' is not a task of the plan" in found["g4"].args[0]
    assert repr(found["g3"]) == f"Absent({str(found['g3'])!r})"


def test_rows_of_a_graph_under_a_plans_own_are_sorted_with_the_plans_other_rows(corpus, tmp_path, monkeypatch):
    """A form may read a graph under the plan's own (its family link, a mapping file of its folder): the store
    gives those rows in a run of their own, and the plan's rows are then sorted as one answer."""
    from antitraffick_kg.ask.catalogue import get_query, read_query
    from antitraffick_kg.store.graphsets import corpus_plan_graphs

    form = tmp_path / "units.rq"
    form.write_text("# columns: plan_graph (g), unit (u), full_name (f), name_en (n), kind (k), member (m)\n"
                    "SELECT DISTINCT ?plan_graph ?unit ?full_name ?name_en ?kind ?member\n"
                    "WHERE { GRAPH ?plan_graph { ?s ?p ?o } BIND (STR(?p) AS ?unit) }\n", encoding="utf-8")
    monkeypatch.setattr(tagged, "across_query", lambda name: read_query(form))
    handle = Corpus.open(corpus.path)
    q = get_query("units")
    answered = tagged.across_rows(q, {}, handle, corpus_plan_graphs(handle))
    assert sorted(answered) == sorted(PLANS)
    for plan in answered:
        columns, rows = answered[plan]
        assert rows == sort_rows(columns, rows, order=q.order), plan
    # (a predicate of two graphs of one plan: rows of its graph and of one under it)
    assert any(len({r["unit"] for r in answered[p][1]}) < len(answered[p][1]) for p in answered)


def test_a_plan_document_is_asked_of_every_plan_at_once_only_where_every_plans_lookup_finds_it_alike():
    from antitraffick_kg.ask.catalogue import get_query
    from antitraffick_kg.store.stores import OxigraphStore

    eli, rdf = "http://data.europa.eu/eli/ontology#", "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
    yunnan, number = ox.NamedNode(f"{iris.ID_BASE}plan/yunnan-2021-2030"), ox.Literal("云政办发〔2021〕50号")
    shared, other = ox.NamedNode(f"{iris.ID_BASE}graph/family"), ox.NamedNode(f"{iris.ID_BASE}graph/plan-b")
    stray = ox.NamedNode(f"{iris.ID_BASE}plan/plan-b/cited")
    p = get_query("plan-chain").parameter("plan")

    class Handle:                   # (what the rows read are kept by: one per store here)
        pass

    def same(value: str, *quads: ox.Quad):
        held = ox.Store()
        held.extend([ox.Quad(yunnan, ox.NamedNode(rdf + "type"), ox.NamedNode(eli + "LegalResource"), shared),
                     ox.Quad(yunnan, ox.NamedNode(eli + "id_local"), number, shared), *quads])
        return tagged._same_document(p, value, OxigraphStore(held, graphs=[shared]), Handle())

    assert same("yunnan-2021-2030") == yunnan
    assert same("云政办发〔2021〕50号") == yunnan
    assert same(f"<{yunnan.value}>") == yunnan
    # a plan's graph gives another document the number: that plan's own lookup finds two documents
    typed = ox.Quad(stray, ox.NamedNode(rdf + "type"), ox.NamedNode(eli + "LegalResource"), other)
    assert same("云政办发〔2021〕50号", typed, ox.Quad(stray, ox.NamedNode(eli + "id_local"), number, other)) is None
    assert same("yunnan-2021-2030", typed, ox.Quad(stray, ox.NamedNode(eli + "id_local"), number, other)) == yunnan
    # a plan's graph types another document whose id is the value (its own lookup finds two)
    clash = ox.NamedNode("http://other.example/id/plan/yunnan-2021-2030")
    assert same("yunnan-2021-2030", ox.Quad(clash, ox.NamedNode(rdf + "type"), ox.NamedNode(eli + "LegalResource"),
                                             other)) is None
    # a document only a plan's graph names is not the same in every plan
    assert same("plan-b/cited", typed) is None
    assert same("no-such-plan") is None


@pytest.mark.parametrize("value", ["national-2021-2030", "wenshan-2022", "云政办发〔2021〕50号", "other-prefecture"])
def test_the_plan_chain_of_every_plan_at_once_is_each_plans_own_up_to_three_steps(corpus, value, monkeypatch):
    """The third plan implements the Wenshan plan in a graph of its own: three steps below the national plan, two
    below the Yunnan one, one below Wenshan's.  A document only the first plan's graphs name leaves every plan to
    its own question (none finds it but the first)."""
    from antitraffick_kg.ask import query as asking
    from antitraffick_kg.ask.catalogue import get_query

    answers = []
    monkeypatch.setattr(asking, "across_rows", lambda *a, **k: answers.append(tagged.across_rows(*a, **k))
                        or answers[-1])
    result = atk.query("plan-chain", params={"plan": value}, corpus=corpus, plans="all")
    answered = answers.pop()
    assert sorted(answered) == ([] if value == "other-prefecture" else sorted(PLANS))
    q = get_query("plan-chain")
    for plan in PLANS:
        own = _own(q, {"plan": value}, corpus, plan)
        rows = [{k: v for k, v in r.items() if k not in ("plan", "jurisdiction")} for r in result if r["plan"] == plan]
        expected = [] if own is None else [dict(zip(renamed_columns(list(r)), r.values())) for r in own]
        assert rows == expected, plan
        if plan in answered:
            assert answered[plan] == (list(own.columns), list(own.rows)), plan
    assert any(r["direction"] == "below" and r["row_plan"] == "third-prefecture" for r in result) \
        == (value != "other-prefecture")
