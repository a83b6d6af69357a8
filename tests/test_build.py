"""Build and export: named graphs, every format, identical bytes, atomic writes."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from rdflib import Dataset, Graph

from antitraffick_kg.plan.graph import ONTOLOGY_GRAPH, graph_iri
from antitraffick_kg.errors import OutputError
from antitraffick_kg.formats import RdfFormat, choices
from antitraffick_kg.store.export import serialize, write_atomic

PLAN_GRAPH = graph_iri("dehong-2022-2030")


def test_dataset_has_ontology_and_plan_in_their_own_graphs(dataset):
    names = {g.identifier for g in dataset.graphs() if len(g)}
    assert {ONTOLOGY_GRAPH, PLAN_GRAPH} <= names
    assert len(dataset.graph(PLAN_GRAPH)) > 15000


@pytest.mark.parametrize("fmt", choices(RdfFormat))
def test_every_format_reads_back_to_the_same_triples(dataset, fmt):
    data = serialize(dataset, fmt)
    if fmt in ("trig", "nquads", "jsonld"):
        back = Dataset()
        back.parse(data=data, format={"trig": "trig", "nquads": "nquads", "jsonld": "json-ld"}[fmt])
        assert len(back.graph(PLAN_GRAPH)) == len(dataset.graph(PLAN_GRAPH))
        assert len(back.graph(ONTOLOGY_GRAPH)) == len(dataset.graph(ONTOLOGY_GRAPH))
    else:
        back = Graph().parse(data=data, format=fmt)
        total = len(set(dataset.triples((None, None, None))))
        assert len(back) == total


FORMATS = ("turtle", "nquads", "trig")


@pytest.fixture(scope="module")
def exports(tmp_path_factory) -> dict[str, dict[str, bytes]]:
    """Under each of two hash seeds, a corpus store built in a folder of its own (the first ``export`` with
    ``--rebuild``) and exported in each format, each export a process of its own under that seed."""
    made: dict[str, dict[str, bytes]] = {}
    for seed in ("1", "2"):
        folder = tmp_path_factory.mktemp(f"seed-{seed}")
        env = dict(os.environ, PYTHONHASHSEED=seed)
        made[seed] = {}
        for n, fmt in enumerate(FORMATS):
            out = folder / f"{seed}.{fmt}"
            subprocess.run([sys.executable, "-m", "antitraffick_kg", "export", "-f", fmt, "-o", str(out),
                            *(["--rebuild"] if n == 0 else [])], check=True, env=env, cwd=folder)
            made[seed][fmt] = out.read_bytes()
    return made


@pytest.mark.parametrize("fmt", FORMATS)
def test_two_runs_give_identical_bytes(exports, fmt):
    assert exports["1"][fmt] == exports["2"][fmt] and len(exports["1"][fmt]) > 100_000


def test_write_atomic_leaves_nothing_behind_on_failure(tmp_path, monkeypatch):
    target = tmp_path / "out" / "plan.ttl"
    write_atomic(target, b"old")

    def broken(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", broken)
    with pytest.raises(OutputError, match=r"plan\.ttl: cannot write: disk full"):   # one line, file and cause
        write_atomic(target, b"new")
    assert target.read_bytes() == b"old"
    assert [p.name for p in target.parent.iterdir()] == ["plan.ttl"]


def test_build_writes_graph_dataset_and_stamp(tmp_path):
    from antitraffick_kg import build_plan
    from antitraffick_kg.pipeline.build import built_nquads, input_stamp

    result = build_plan(out_dir=tmp_path)
    names = sorted(p.name for p in result.files)
    assert names == ["dehong-2022-2030.nq", "dehong-2022-2030.stamp", "dehong-2022-2030.trig",
                     "dehong-2022-2030.ttl"]
    assert result.tasks == 56
    assert (tmp_path / "dehong-2022-2030.stamp").read_text().strip() == input_stamp("dehong-2022-2030")
    assert built_nquads(out_dir=tmp_path) == (tmp_path / "dehong-2022-2030.nq").read_bytes()
    (tmp_path / "dehong-2022-2030.stamp").write_text("stale\n")
    (tmp_path / "dehong-2022-2030.nq").write_bytes(b"")
    assert built_nquads(out_dir=tmp_path) != b""       # a stale build is rebuilt, not read


def test_unknown_plan_is_an_input_error():
    from antitraffick_kg import InputError, load

    with pytest.raises(InputError, match="no plan 'nowhere'"):
        load("nowhere")


def test_written_files_get_the_usual_mode(tmp_path):
    target = tmp_path / "plan.ttl"
    mask = os.umask(0o022)
    try:
        write_atomic(target, b"data")
    finally:
        os.umask(mask)
    assert target.stat().st_mode & 0o777 == 0o644
