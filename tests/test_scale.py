"""The generated corpus of the scale benchmark: the plans it writes are plans a build would write, and validation
finds exactly the defects it injects, no more and no fewer."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))

import gen_corpus  # noqa: E402

from antitraffick_kg import query  # noqa: E402
from antitraffick_kg.store.corpus import Corpus  # noqa: E402
from antitraffick_kg.check.validate import validate  # noqa: E402

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


def test_generated_plans_answer_catalogue_questions(generated):
    plans, corpus = generated
    county = plans[2]
    chain = query("plan-chain", params={"plan": county.plan}, corpus=corpus)
    assert {r["plan"] for r in chain} >= {county.plan, plans[0].plan, "yunnan-2021-2030"}
    units = {r["unit"] for r in query("assignments", corpus=corpus, plan=county.plan)}
    assert units and all(u.startswith(gen_corpus._place(2, "county")[0]) for u in units)


def test_the_same_index_gives_the_same_plan():
    assert gen_corpus.generate_plan(3, defect_share=0.5).nquads == gen_corpus.generate_plan(3, defect_share=0.5).nquads
