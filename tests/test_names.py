"""The table of units' names a writer leaves in each generation (``names.sqlite``): a name looked up there finds
exactly what the store's own indexes find, for every name, spelling and id of every unit; a plan taken out takes its
names with it; a generation without the table, or with one that cannot be read, is looked up in the store."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pyoxigraph as ox
import pytest

import antitraffick_kg as atk
from antitraffick_kg.ask.across import Lookup
from antitraffick_kg.ask.params import _unit_lookups
from antitraffick_kg.pipeline.build import store_plans
from antitraffick_kg.store.corpus import Corpus, PlanPart, remove_plans, write_parts
from antitraffick_kg.store.names import NAME_PREDICATES, NAMES, NameIndex

FIXTURE = Path(__file__).parent / "data" / "other-prefecture"
FIRST = "other-prefecture"
SECOND = "third-prefecture"


@pytest.fixture(scope="module")
def store_dir(tmp_path_factory) -> Path:
    """A store with the other-prefecture plan as built, and a second prefecture whose units bear the same names."""
    root = tmp_path_factory.mktemp("names")
    shutil.copytree(FIXTURE, root / "ws" / FIRST)
    store_plans([atk.find_plan(FIRST, data_dir=root / "ws")], store=root / "store")
    data = Corpus.open(root / "store").part_nquads(FIRST)
    assert data is not None
    second = data.replace(f"/{FIRST}".encode(), f"/{SECOND}".encode()).replace(b"999900", b"999800")
    write_parts(root / "store", [PlanPart.from_nquads(second, plan=SECOND, kind="plan", digest=SECOND)])
    return root / "store"


def _every_name(corpus: Corpus) -> list[str]:
    """Every short name, spelling and registry id in the store, and an IRI of each unit, and a name of none."""
    names = {q.object.value for p in NAME_PREDICATES for q in corpus.store.quads_for_pattern(None, p, None, None)}
    units = {q.subject.value for q in corpus.store.quads_for_pattern(
        None, ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"),
        ox.NamedNode(atk.iris.ATK_BASE + "Unit"), None)}
    return sorted(names | units | {"no such unit"})


def test_every_name_is_found_in_the_table_as_in_the_store(store_dir):
    corpus = Corpus.open(store_dir)
    assert corpus.names is not None and (corpus.generation / NAMES).is_file()
    table, store = Lookup.on_corpus(corpus), Lookup.on_store(corpus.store)
    assert table.names is not None and store.names is None
    names = _every_name(corpus)
    assert len(names) > 30
    shared = 0
    for name in names:
        tests = list(_unit_lookups(name, name, name))
        found = table.units_named(tests)
        assert found == store.units_named(tests), name
        shared += any(len({g for graphs, _ in typed.values() for g in graphs}) > 1 for typed in found)
    assert shared >= 5, "names both plans' units bear are found in both"


def test_an_answer_of_the_table_is_kept_and_the_kept_ones_are_bounded(store_dir, monkeypatch):
    table = Corpus.open(store_dir).names
    asked = [(NAME_PREDICATES[0], ox.Literal("州妇联"))]
    first = table.units_named(asked)
    assert first and table.units_named(list(asked)) is first
    assert table.units_named([(NAME_PREDICATES[0], ox.Literal("州妇联", language="zh"))]) == {}
    monkeypatch.setattr(NameIndex, "KEPT", 3)
    for name in ("a", "b", "c", "d"):
        table.units_named([(NAME_PREDICATES[0], ox.Literal(name))])
        assert len(table._kept) <= 3
    again = table.units_named(asked)
    assert again == first and again is not first          # made anew once the kept ones were let go


def test_a_plan_taken_out_takes_its_names_with_it(tmp_path, store_dir):
    shutil.copytree(store_dir, tmp_path / "store", symlinks=True)
    remove_plans(tmp_path / "store", [SECOND])
    corpus = Corpus.open(tmp_path / "store")
    found = Lookup.on_corpus(corpus).units_named(list(_unit_lookups("州妇联", "州妇联", "州妇联")))
    graphs = {g for typed in found for named, _ in typed.values() for g in named}
    assert graphs and not any(SECOND in g for g in graphs)
    assert found == Lookup.on_store(corpus.store).units_named(list(_unit_lookups("州妇联", "州妇联", "州妇联")))
    # the generation before keeps its own table, with both plans
    before = NameIndex.open(sorted(p for p in (tmp_path / "store").iterdir() if p.name.startswith("gen-"))[-2])
    assert before is not None
    assert any(SECOND in g for named, _ in before.units_named([(NAME_PREDICATES[0], ox.Literal("州妇联"))]).values()
               for g in named)


@pytest.mark.parametrize("damage", ["missing", "not sqlite", "no tables"])
def test_a_generation_without_a_table_it_can_read_is_looked_up_in_the_store(tmp_path, store_dir, damage):
    shutil.copytree(store_dir, tmp_path / "store", symlinks=True)
    table = Corpus.open(tmp_path / "store").generation / NAMES
    table.unlink()
    if damage == "not sqlite":
        table.write_bytes(b"not a database")
    elif damage == "no tables":
        sqlite3.connect(table).close()
    corpus = Corpus.open(tmp_path / "store")
    assert corpus.names is None
    rows = atk.query("tasks-by-unit", params={"unit": "州妇联", "role": "support"}, corpus=corpus)
    assert {r["plan"] for r in rows} == {FIRST, SECOND}


@pytest.mark.parametrize("typed", ["各县(市)人民政府", "各县（市）人民政府", "各县（市)人民政府"])
def test_a_unit_name_typed_with_the_other_parentheses_is_that_unit(typed):
    """The text's 各县（市）人民政府 asked as 各县(市)人民政府 (ASCII parentheses, as a keyboard gives them): before, an
    unknown unit, with the right name suggested."""
    import pyoxigraph as ox

    from antitraffick_kg.ask.catalogue import catalogue
    from antitraffick_kg.ask.params import bind_parameters
    from antitraffick_kg.store.stores import OxigraphStore

    unit = "https://w3id.org/antitraffick-kg/id/unit/532300/county-governments"
    store = OxigraphStore.from_nquads(
        f'<{unit}> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> '
        f'<https://w3id.org/antitraffick-kg/ontology#Unit> <http://g/p> .\n'
        f'<{unit}> <http://www.w3.org/ns/org#identifier> "county-governments" <http://g/p> .\n'
        f'<{unit}> <https://w3id.org/antitraffick-kg/ontology#shortName> "各县（市）人民政府" <http://g/p> .\n'.encode())
    q = next(q for q in catalogue() if q.name == "tasks-by-unit")
    assert bind_parameters(q, {"unit": typed}, store=lambda: store)["UNIT"] == ox.NamedNode(unit)
