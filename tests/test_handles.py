"""One handle in Python: ``atk.open_corpus`` and ``atk.remote`` with the verbs on them, each answer equal to the
free function's; Dehong and the test prefecture (the same short unit names) in one store, and pushed to a stock
``oxigraph serve`` (no ``--union-default-graph``) on 127.0.0.1, started once for the module.
"""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest

from conftest import require
from servers import Server

import antitraffick_kg as atk
from antitraffick_kg.errors import EndpointError, QueryError, UnknownPlanError
from antitraffick_kg.pipeline.build import store_plans
from antitraffick_kg.pipeline.sources import plan_nquads
from antitraffick_kg.store.corpus import Corpus
from antitraffick_kg.store.push import push
from antitraffick_kg.store.stores import oxigraph_binary

PLAN, OTHER = "dehong-2022-2030", "other-prefecture"
EXAMPLE = {"unit": "州妇联", "role": "support", "place": "边境地区"}
AS_OF = dt.date(2024, 6, 30)


@pytest.fixture(scope="module")
def store(build_dir, tmp_path_factory) -> Path:
    """Dehong (copied from the session's build) and the test prefecture, in one corpus store."""
    root = tmp_path_factory.mktemp("handles")
    shutil.copytree(Path(__file__).parent / "data" / OTHER, root / "ws" / OTHER)
    shutil.copytree(build_dir / "store", root / "store", symlinks=True)
    store_plans([atk.find_plan(OTHER, data_dir=root / "ws")], store=root / "store")
    return root / "store"


@pytest.fixture(scope="module")
def corpus(store) -> atk.CorpusHandle:
    return atk.open_corpus(store)


@pytest.fixture(scope="module")
def server(store, tmp_path_factory):
    """A stock oxigraph server holding both plans, pushed as ``antitraffick-kg push`` pushes them."""
    try:
        binary = oxigraph_binary()
    except EndpointError as exc:
        require(False, str(exc))
    folder = tmp_path_factory.mktemp("handles-server")
    srv = Server("oxigraph", folder).start(binary)
    try:
        held = Corpus.open(store)
        for plan in held.plans:
            push(plan_nquads(plan, corpus=held), endpoint=srv.query_url, journal=folder / "journal.json")
        yield srv
    finally:
        srv.stop()


def _checked(result) -> tuple:
    """A validation result without its report graph (an rdflib graph, equal only to itself): what it found and
    how many nodes of each kind it checked."""
    return result.conforms, result.results, result.text, result.engine, result.inputs, result.checked


def test_the_plans_are_ids_with_what_a_person_needs_to_pick_one(corpus):
    assert corpus.plans == (PLAN, OTHER)
    dehong, other = corpus.plans
    assert (dehong.level, dehong.jurisdiction, dehong.period) == ("prefecture", "533100", (2022, 2030))
    assert "德宏州反对拐卖人口行动计划实施方案" in dehong.title
    assert (other.jurisdiction, other.period) == ("999900", (2023, 2030)) and "某某州" in other.title
    assert isinstance(corpus, Corpus)          # every verb that takes corpus= takes the handle


def test_a_plans_question_is_the_free_functions_answer(corpus):
    plan = corpus.plan(PLAN)
    rows = plan.query("tasks-by-unit", **EXAMPLE)
    assert rows == atk.query("tasks-by-unit", params=EXAMPLE, corpus=corpus, plan=PLAN)
    assert [(r["task"], r["source"]) for r in rows] == [("7.6", "narrative"), ("7.6", "table")]
    assert rows.columns[0] == "task"           # one plan: the query's own columns


def test_the_handles_question_asks_every_plan_with_the_plan_columns_first(corpus):
    rows = corpus.query("tasks-by-unit", unit="州公安局")
    assert rows.columns[:2] == ("plan", "jurisdiction")
    assert {r["plan"] for r in rows} == {PLAN, OTHER}
    for plan in corpus.plans:
        own = corpus.plan(plan).query("tasks-by-unit", unit="州公安局")
        assert own and [r for r in rows if r["plan"] == plan] == [
            {"plan": plan, "jurisdiction": plan.jurisdiction, **r} for r in own]
    # a handle opened on some plans asks those
    only = atk.open_corpus(corpus.path, plans=[OTHER], data_dir=corpus.path.parent / "ws")
    assert only.plans == (OTHER,)
    assert {r["plan"] for r in only.query("tasks-by-unit", unit="州公安局")} == {OTHER}


def test_validate_audit_status_and_export_are_the_free_functions_results(corpus):
    from antitraffick_kg.report.progress import status

    plan = corpus.plan(PLAN)
    assert _checked(plan.validate()) == _checked(atk.validate(corpus=corpus, plan=PLAN))
    assert plan.status(as_of=AS_OF) == status(as_of=AS_OF, plan=PLAN, corpus=corpus)
    # the audit of Dehong takes seconds: the small plan shows the same
    other = corpus.plan(OTHER)
    assert other.audit() == atk.audit(corpus=corpus, plan=OTHER) and other.audit().inputs == (OTHER,)
    assert other.status(as_of=AS_OF, unit="州妇联") == status(as_of=AS_OF, plan=OTHER, unit="州妇联", corpus=corpus)
    assert other.export(fmt="trig") == atk.export(corpus=corpus, plan=OTHER, fmt="trig")


def test_an_unknown_plan_or_parameter_is_one_error_naming_what_there_is(corpus):
    with pytest.raises(UnknownPlanError, match=r"plan 'dehong-2022' is not in the corpus store .*; did you mean "
                                               r"dehong-2022-2030\? \(it holds 2 plans\)") as caught:
        corpus.plan("dehong-2022")
    assert caught.value.suggestions == [PLAN] and isinstance(caught.value, atk.InputError)
    with pytest.raises(QueryError, match="has no parameter 'unti'; its parameters: unit, function, role, place"):
        corpus.query("tasks-by-unit", unti="州妇联")
    with pytest.raises(QueryError, match="has no parameter 'year'"):
        corpus.plan(PLAN).query("tasks-by-unit", year=2024)
    # checked before anything is sent: a server that is not there is never asked
    with pytest.raises(QueryError, match="has no parameter 'unti'"):
        atk.remote("http://127.0.0.1:9/query").query("tasks-by-unit", unti="州妇联")


def test_the_remote_handle_answers_as_the_embedded_one(server, corpus):
    far = atk.remote(server.query_url, timeout=60)
    assert far.plans == corpus.plans
    assert [(p.title, p.level, p.jurisdiction, p.period) for p in far.plans] == [
        (p.title, p.level, p.jurisdiction, p.period) for p in corpus.plans]
    assert far.plan(PLAN).query("tasks-by-unit", **EXAMPLE) == corpus.plan(PLAN).query("tasks-by-unit", **EXAMPLE)
    for name, params in (("tasks-by-unit", {"unit": "州妇联"}), ("units", {})):
        assert far.query(name, **params) == corpus.query(name, **params), name
    dehong, other = far.plan(PLAN), far.plan(OTHER)
    assert _checked(dehong.validate()) == _checked(corpus.plan(PLAN).validate())
    assert dehong.export(fmt="turtle") == corpus.plan(PLAN).export(fmt="turtle")
    assert other.audit() == corpus.plan(OTHER).audit()
    assert other.status(as_of=AS_OF) == corpus.plan(OTHER).status(as_of=AS_OF)
    with pytest.raises(UnknownPlanError, match=f"is not in {server.query_url}; did you mean {OTHER}"):
        far.plan("other-prefectur")
