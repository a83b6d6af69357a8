"""Across forms (``queries/across``): a question asked of every plan at once in one query, each plan's rows the same
as its own question gives; a task, an area, a heading, a plan document or a plan chain found in every plan at once
as each plan's own lookup finds it.  Asked of the corpus of ``across_corpus.py``.
"""

from __future__ import annotations

import re
from pathlib import Path

import pyoxigraph as ox
import pytest

import antitraffick_kg as atk
from antitraffick_kg import iris
from antitraffick_kg.ask import query as asking
from antitraffick_kg.ask import tagged
from antitraffick_kg.ask.across import renamed_columns
from antitraffick_kg.errors import QueryError
from antitraffick_kg.pipeline.build import store_plans
from antitraffick_kg.store.corpus import Corpus, PlanPart, write_parts
from antitraffick_kg.store.graphsets import own_graphs
from antitraffick_kg.rows import sort_rows

from across_corpus import FIRST, FIXTURE, PLANS, _own, _params, corpus  # noqa: F401 (a fixture)

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
