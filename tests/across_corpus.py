"""The corpus the questions over several plans are asked of (``test_across*.py``): three small prefecture plans
made from the other-prefecture fixture: the plan as built, a twin of it under another id in the same jurisdiction
(so both plan graphs describe the same units, which a union of graphs would count twice), and a third in another
jurisdiction whose units have the same short names (州妇联 …).  The two others are the built plan's quads with its
id (and the third's jurisdiction code) renamed, as a build of a copy of its folder would write them, at a fraction
of the cost.  A module that uses the ``corpus`` fixture imports it, and builds a corpus of its own.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

import antitraffick_kg as atk
from antitraffick_kg import iris
from antitraffick_kg.errors import QueryError, UnknownUnitError
from antitraffick_kg.pipeline.build import store_plans
from antitraffick_kg.store.corpus import Corpus, PlanPart, write_parts

FIXTURE = Path(__file__).parent / "data" / "other-prefecture"
FIRST = "other-prefecture"
PLANS = {FIRST: "999900", "other-twin": "999900", "third-prefecture": "999800"}


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


