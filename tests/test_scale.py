"""The generated corpus of the scale benchmark: the plans it writes are plans a build would write, and validation
finds exactly the defects it injects, no more and no fewer."""

from __future__ import annotations

import statistics
import sys
from pathlib import Path

import pytest
from rdflib import Namespace

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))

import gen_corpus  # noqa: E402

from antitraffick_kg import query  # noqa: E402
from antitraffick_kg.store.corpus import Corpus  # noqa: E402
from antitraffick_kg.check.validate import load_store, validate, validate_store  # noqa: E402

SH = Namespace("http://www.w3.org/ns/shacl#")
PLANS = 7          # a prefecture and six counties; with a defect share of 1/2, plans 1, 3 and 5 carry one each


@pytest.fixture(scope="module")
def generated(tmp_path_factory):
    plans = list(gen_corpus.generate(PLANS, defect_share=0.5))
    store = tmp_path_factory.mktemp("scale") / "store"
    gen_corpus.write_store(store, [(p.plan, p.nquads) for p in plans])
    return plans, Corpus.open(store)


def _keys(results) -> set:
    return {(r.severity, r.shape, r.focus, r.value) for r in results}


def test_every_kind_of_defect_is_injected(generated):
    plans, _ = generated
    kinds = [d.kind for p in plans for d in p.defects]
    assert sorted(kinds) == sorted(gen_corpus.DEFECT_KINDS)
    assert [p.level for p in plans] == ["prefecture"] + ["county"] * (PLANS - 1)


def test_validation_finds_exactly_the_injected_defects(generated):
    plans, corpus = generated
    expected = {r for p in plans for d in p.defects for r in d.results}
    result = validate(engine="oxigraph", corpus=corpus)
    assert _keys(result.results) == expected
    assert result.violations == sum(len(p.defects) for p in plans)


def test_the_reference_engine_agrees_on_a_defective_plan(generated):
    plans, corpus = generated
    plan = next(p for p in plans if p.defects and p.defects[0].kind == "no-lead")
    fast = validate(engine="oxigraph", corpus=corpus, plan=plan.plan)
    slow = validate(engine="pyshacl", corpus=corpus, plan=plan.plan)
    assert sorted(r.key() for r in fast.results) == sorted(r.key() for r in slow.results)
    assert _keys(fast.results) == set(plan.defects[0].results)


def _at_once(corpus):
    """Every plan in one store: what validation did before it went batch by batch."""
    return validate_store(load_store(corpus=corpus, plan=None), engine="oxigraph", inputs=list(corpus.plans))


def _same(batched, at_once) -> None:
    assert batched.results == at_once.results          # results with their places, in the same order
    assert batched.checked == at_once.checked
    assert batched.conforms == at_once.conforms and batched.text == at_once.text
    for result in (batched, at_once):                   # the report graph holds each result once
        assert len(set(result.report.objects(None, SH.result))) == len(result.results)
    assert batched.to_json() == at_once.to_json()


@pytest.mark.parametrize("batch", [1, 2, PLANS])
def test_batches_give_what_one_store_gives(generated, batch):
    _plans, corpus = generated
    batched = validate(engine="oxigraph", corpus=corpus, batch=batch, workers=1)
    assert batched.violations == 3
    _same(batched, _at_once(corpus))


def test_worker_processes_give_what_one_process_gives(generated):
    _plans, corpus = generated
    _same(validate(engine="oxigraph", corpus=corpus, batch=2, workers=2),
          validate(engine="oxigraph", corpus=corpus, batch=2, workers=1))


def test_a_defect_in_the_shared_graphs_is_reported_once(generated, tmp_path):
    """A statement of a shared linking graph with no reason, and a unit with no name, are in every batch; each
    is reported once and the unit counted once, as at once."""
    import pyoxigraph as ox

    from antitraffick_kg.store.corpus import SHARED_PART, PlanPart, write_parts

    plans, _ = generated
    ontology, links = gen_corpus.shared_quads()
    atk = "https://w3id.org/antitraffick-kg/ontology#"
    broken = ox.Quad(ox.NamedNode("https://w3id.org/antitraffick-kg/id/link/test/no-reason"),
                     ox.NamedNode(atk + "status"), ox.NamedNode(atk + "inferred"), links[0].graph_name)
    unit = ox.Quad(ox.NamedNode("https://w3id.org/antitraffick-kg/id/unit/test/unnamed"),    # counted once
                   ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"), ox.NamedNode(atk + "Unit"),
                   links[0].graph_name)
    parts = [PlanPart(SHARED_PART, "shared", "test", (*links, broken, unit))]
    parts += [PlanPart(p.plan, "plan", p.plan, tuple(ox.parse(p.nquads, format=ox.RdfFormat.N_QUADS)))
              for p in plans[:3]]
    write_parts(tmp_path / "store", parts, shared=ontology)
    corpus = Corpus.open(tmp_path / "store")
    batched = validate(engine="oxigraph", corpus=corpus, batch=1, workers=1)
    hits = [r for r in batched.results if r.focus == broken.subject.value]
    assert [r.shape.rsplit("#", 1)[1] for r in hits] == ["Inferred-reason"]
    assert sum(r.focus == unit.subject.value for r in batched.results) == 3       # no Chinese label, name, kind
    _same(batched, _at_once(corpus))


def test_batch_must_be_positive(generated):
    with pytest.raises(ValueError, match="batch"):
        validate(engine="oxigraph", corpus=generated[1], batch=0)


def test_generated_plans_answer_catalogue_questions(generated):
    plans, corpus = generated
    county = plans[2]
    chain = query("plan-chain", params={"plan": county.plan}, corpus=corpus)
    # asked of every plan, the county's own plan answers (its document is in its graphs only), as asked of it alone
    own = query("plan-chain", params={"plan": county.plan}, corpus=corpus, plan=county.plan)
    assert [r["plan"] for r in chain] == [county.plan] * len(own) and len(own) > 0
    assert [r["row_plan"] for r in chain] == [r["plan"] for r in own] and own.rows[0]["direction"] == "self"
    units = {r["unit"] for r in query("assignments", corpus=corpus, plan=county.plan)}
    assert units and all(u.startswith(gen_corpus._place(2, "county")[0]) for u in units)


def test_the_same_index_gives_the_same_plan():
    assert gen_corpus.generate_plan(3, defect_share=0.5).nquads == gen_corpus.generate_plan(3, defect_share=0.5).nquads


@pytest.mark.parametrize("script", sorted(p.name for p in (Path(__file__).parent.parent / "benchmarks").glob("*.py")))
def test_every_benchmark_script_starts(script):
    """A benchmark is run by hand, rarely: its imports and options must not rot between runs."""
    import subprocess

    path = Path(__file__).parent.parent / "benchmarks" / script
    done = subprocess.run([sys.executable, str(path), "--help"], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr.strip().splitlines()[-1:]
    assert "usage:" in done.stdout


def test_a_dehong_sized_corpus_makes_every_plan_a_prefecture_of_its_own_and_leaves_the_usual_mix_as_it_was():
    sized = [gen_corpus.plan_meta(i, prefecture_every=gen_corpus.DEHONG_SIZED) for i in range(1000)]
    assert {level for _, level, _, _, _ in sized} == {"prefecture"}
    assert len({plan for plan, *_ in sized}) == len({code for _, _, code, _, _ in sized}) == 1000
    usual = [gen_corpus.plan_meta(i) for i in (0, 1, 29, 30, 31)]
    assert [level for _, level, *_ in usual] == ["prefecture", "county", "county", "prefecture", "county"]
    assert usual[1][3] == usual[0][0] and usual[4][3] == usual[3][0]       # a county implements its prefecture


def test_a_folder_of_generated_plans_refuses_plans_of_other_settings(tmp_path):
    (tmp_path / "settings.json").write_text('{"seed": 0, "defects": 0.02, "vocabulary": "shared"}')
    with pytest.raises(SystemExit, match="other settings"):
        gen_corpus.ensure_generated(tmp_path, 0, prefecture_every=gen_corpus.DEHONG_SIZED)
    assert gen_corpus.ensure_generated(tmp_path, 0) == []


def test_the_disk_a_store_takes_counts_a_hard_linked_file_once(tmp_path):
    import os

    import bench_scale

    (tmp_path / "a").write_bytes(b"x" * 100_000)
    os.link(tmp_path / "a", tmp_path / "b")
    once = bench_scale.disk_used(tmp_path)
    assert 100_000 <= once < 200_000
    (tmp_path / "c").write_bytes(b"y" * 100_000)
    assert bench_scale.disk_used(tmp_path) >= once + 100_000


def test_a_question_across_plans_is_timed_as_often_as_asked_beside_the_same_question_run_raw(generated):
    from scale import questions

    _, corpus = generated
    got = questions.step_global({"store": str(corpus.path), "runs": 3, "query": "tasks-by-unit",
                                 "params": {"unit": "州妇联"}})
    assert got["runs"] == 3 and got["library"] > 0 and got["raw"] > 0
    assert got["rows"] == got["raw_rows"] > 0        # the same rows by name, through the library and raw
    assert got["every_rows"] == got["rows"] and got["every"] > 0


def test_a_per_plan_question_is_the_median_of_its_timed_runs_on_each_plan_the_plans_taking_turns(generated,
                                                                                                 monkeypatch):
    """Each sampled plan's question: one untimed run, then the timed runs, of which the median is the plan's; the
    plans take turns, so that a question reading every plan loads the plan asked in each timed run."""
    from scale import questions

    import antitraffick_kg

    asked: list[tuple[str, str]] = []
    real = antitraffick_kg.query
    monkeypatch.setattr(antitraffick_kg, "query", lambda name, **kw: asked.append((name, kw["plan"]))
                        or real(name, **kw))
    _, corpus = generated
    plans = sorted(corpus.plans)[:2]
    got = questions.step_queries({"store": str(corpus.path), "plans": plans, "runs": 3})
    answered = [name for name, r in got["queries"].items() if r["median_ms"] is not None]
    assert len(answered) > 20 and got["queries"]["counterparts"]["median_ms"] is not None
    del asked[:len(plans)]              # (each plan's unit and task, read from its assignments first)
    for name in answered:
        turns = [plan for n, plan in asked if n == name]
        kept = [plan for plan in plans if turns.count(plan) > 1]     # (a plan whose question fails is left)
        assert turns == plans + kept * 3, name
    assert [plan for n, plan in asked if n == "counterparts"] == plans * (1 + 3)
    sizes = [len(real("counterparts", params={"unit": questions._plan_handles(corpus, plan)[0]}, corpus=corpus,
                      plan=plan)) for plan in plans]
    assert got["queries"]["counterparts"]["rows"] == int(statistics.median(sizes)) > 0
    assert got["queries"]["counterparts"]["columns"] == 8


def test_the_least_time_an_answer_of_a_size_takes_reads_that_many_rows_of_that_many_columns():
    """The floor printed beside the slowest per-plan question times a store answering exactly the rows and
    columns asked, each cell a value of its own."""
    from scale import questions

    store, text, names = questions.floor_store(7, 3)
    rows = [[t.value for t in s] for s in store.query(text)]
    assert len(names) == 3 and len(rows) == 7 and len({v for r in rows for v in r}) == 21
    assert questions.read_floor(7, 3, runs=2) > 0


def test_a_name_is_looked_up_anew_in_each_timed_run(generated, monkeypatch):
    """The table of names keeps its answers; the benchmark times the lookup itself, not the kept answer."""
    from scale import questions

    from antitraffick_kg.store import names

    looked: list[str] = []

    class Counting:
        def __init__(self, connection):
            self.connection = connection

        def execute(self, sql, *args):
            looked.append(sql)
            return self.connection.execute(sql, *args)

    made = names.NameIndex.__init__
    monkeypatch.setattr(names.NameIndex, "__init__", lambda self, connection: made(self, Counting(connection)))
    _, corpus = generated
    got = questions.step_names({"store": str(corpus.path), "names": ["州妇联"]})
    assert got["州妇联"]["table"] and got["州妇联"]["units"] > 0
    # the untimed run and the seven timed ones, each looking up the name and then the registry id
    assert sum("FROM named" in sql for sql in looked) == 8 * 2


@pytest.mark.parametrize("name", ["measures", "task", "unit-partners"])
def test_every_plans_rows_written_by_hand_are_the_rows_the_library_gives(generated, name):
    """The second baseline of the questions across plans gives what the library gives: each plan's rows (a row of
    the shared graphs once for every plan), with the plan and its jurisdiction."""
    from scale import questions
    import pyoxigraph as ox

    from antitraffick_kg.ask.catalogue import get_query

    _, corpus = generated
    handle = Corpus.open(corpus.path)
    plan = handle.plans[0]
    unit, task = questions._plan_handles(handle, plan)
    q = get_query(name)
    params = questions._params(q, unit, task)
    text, shared = questions._every_plans_rows_by_hand(q, params, handle)
    got = sorted(tuple("" if t is None else t.value for t in row)
                 for row in handle.store.query(text, default_graph=shared))
    expected = sorted(tuple(r[c] or "" for c in ("plan", "jurisdiction", *(f"row_{c}" if c in ("plan", "jurisdiction")
                                                                          else c for c in (x.name for x in q.columns))))
                      for r in query(name, params=params, corpus=handle))
    assert got == expected and got
    assert isinstance(shared[0], ox.NamedNode)
