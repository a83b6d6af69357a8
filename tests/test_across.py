"""Questions over several plans: every answer says whose it is, each plan answers as its own question would, a unit's
name means that unit in each plan, and a unit function reaches every unit of that function.

Asked of the three small prefecture plans of ``across_corpus.py`` (a twin in the same jurisdiction, a third
in another one with the same short unit names); the across forms, one query for every plan, are in
``test_across_forms.py``.
"""

from __future__ import annotations

import pytest
from click.testing import CliRunner

import antitraffick_kg as atk
from antitraffick_kg import iris
from antitraffick_kg.ask.across import Lookup, renamed_columns, units_in_plan
from antitraffick_kg.ask.catalogue import catalogue
from antitraffick_kg.cli.main import main
from antitraffick_kg.errors import QueryError, UnknownUnitError
from antitraffick_kg.store.corpus import Corpus

from across_corpus import FIRST, PLANS, _own, _params, corpus  # noqa: F401 (a fixture)

#: the questions also asked of rdflib (every one takes it seconds): the plan's statements, names and functions
RDFLIB = ("assignments", "tasks-by-unit", "units", "unit-functions", "counterparts", "shared-tasks")


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


