"""The corpus store: several plans in one on-disk store that every reading verb opens read-only."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner

import antitraffick_kg as atk
from antitraffick_kg import iris
from antitraffick_kg.cli.main import main
from antitraffick_kg.store.corpus import Corpus
from antitraffick_kg.errors import InputError
from antitraffick_kg.pipeline.build import store_plans

PLAN, OTHER = "dehong-2022-2030", "other-prefecture"
UNIT = iris.ID_BASE + "unit/533100/womens-federation"      # 州妇联 of Dehong
STORE_PAGE = Path(__file__).resolve().parent.parent / "docs" / "guide" / "store.md"


def _snapshot(folder: Path) -> dict[str, tuple[int, int]]:
    """Every file under ``folder`` (links as their target) with its size and modification time."""
    out = {}
    for path in sorted(folder.rglob("*")):
        key = str(path.relative_to(folder))
        if path.is_symlink():
            out[key] = (os.readlink(path), 0)
        elif path.is_file():
            st = path.stat()
            out[key] = (st.st_size, st.st_mtime_ns)
    return out


@pytest.fixture(scope="module")
def two_plans(build_dir, tmp_path_factory) -> tuple[Path, Path]:
    """A corpus store with Dehong (copied from the session build) and the other prefecture, and its workspace."""
    root = tmp_path_factory.mktemp("corpus")
    ws = root / "ws"
    shutil.copytree(Path(__file__).parent / "data" / OTHER, ws / OTHER)
    store = root / "store"
    shutil.copytree(build_dir / "store", store, symlinks=True)
    store_plans([atk.find_plan(OTHER, data_dir=ws)], store=store)
    return store, ws


def test_the_store_holds_each_plan_in_its_graph_with_a_manifest(two_plans):
    store, _ = two_plans
    corpus = Corpus.open(store)
    assert corpus.plans == (PLAN, OTHER)
    # the plan's graph, and the linking graphs only it adds: its document's facts, its units' counterparts (the
    # other prefecture's plan.toml names no plan above it, so its units have none)
    own = {PLAN: ("counterparts", "family"), OTHER: ("family",)}
    for plan in corpus.plans:
        entry = corpus.entry(plan)
        assert entry.graphs == (iris.graph_iri(plan), *(f"{iris.graph_iri(plan)}/{g}" for g in own[plan]))
        assert entry.triples == sum(corpus.triples(g) for g in entry.graphs)
        assert corpus.triples(iris.graph_iri(plan)) > 900     # the concept schemes are in the vocabulary graph
        assert len(entry.digest) == 64
    # the linking graphs every plan shares are one part of their own
    shared = corpus.entry("links", kind="shared")
    assert shared.graphs == tuple(iris.ID_BASE + "graph/" + g for g in (
        "family", "mappings", "national-2021-2030", "yunnan-2021-2030"))
    assert shared.triples == sum(corpus.triples(g) for g in shared.graphs) > 1000
    # no triple of the shared linking graphs is repeated in a plan's own linking graphs
    common = {q.triple for g in shared.graphs for q in corpus.store.quads_for_pattern(None, None, None,
                                                                                        ox.NamedNode(g))}
    for plan in corpus.plans:
        for g in corpus.entry(plan).graphs[1:]:
            assert not common & {q.triple for q in corpus.store.quads_for_pattern(None, None, None, ox.NamedNode(g))}
    # the manifest is RDF: a query can read it; it is kept beside the plans' store, out of its union
    manifest = "SELECT ?p WHERE { GRAPH <%s> { ?e <http://purl.org/dc/terms/identifier> ?p } }" % iris.MANIFEST_GRAPH
    rows = list(corpus.meta.query(manifest))
    assert sorted(r["p"].value for r in rows) == [PLAN, "links", OTHER]
    assert list(corpus.store.query(manifest)) == []


def test_the_plan_graph_in_the_store_equals_the_built_file(build_dir):
    corpus = Corpus.open(build_dir / "store")
    graph = ox.NamedNode(iris.graph_iri(PLAN))
    in_store = ox.serialize(corpus.store.quads_for_pattern(None, None, None, graph), format=ox.RdfFormat.N_QUADS)
    # the built file read into pyoxigraph (which, like every pyoxigraph store, keeps xsd:nonNegativeInteger
    # values as xsd:integer)
    memory = ox.Store()
    memory.load(path=str(build_dir / f"{PLAN}.nq"), format=ox.RdfFormat.N_QUADS)
    in_file = ox.serialize(memory.quads_for_pattern(None, None, None, graph), format=ox.RdfFormat.N_QUADS)
    assert len(in_store.splitlines()) == len(in_file.splitlines()) == corpus.triples(iris.graph_iri(PLAN))
    assert b"_:" not in in_file                       # no blank nodes: the lines compare as they are
    assert sorted(in_store.splitlines()) == sorted(in_file.splitlines())


def test_a_second_process_answers_from_the_store_without_building_or_writing(two_plans):
    store, ws = two_plans
    before = _snapshot(store)
    script = f"""
import json, sys
from antitraffick_kg.cli.main import main
try:
    main(["query", "tasks-by-unit", "-p", "unit=州妇联", "-f", "json", "--store", {str(store)!r}],
         standalone_mode=False)
except SystemExit as exc:
    assert not exc.code, exc.code
heavy = [m for m in ("antitraffick_kg.plan.importer", "antitraffick_kg.plan.parse", "antitraffick_kg.pipeline.build",
                     "antitraffick_kg.plan.graph", "rdflib", "pyshacl", "owlready2") if m in sys.modules]
print(json.dumps(heavy), file=sys.stderr)
"""
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, cwd=store.parent,
                          timeout=120)
    assert done.returncode == 0, done.stderr
    rows = json.loads(done.stdout)
    assert json.loads(done.stderr.strip().splitlines()[-1]) == []     # nothing imported to build or parse
    assert _snapshot(store) == before                                # nothing written
    expected = atk.query("tasks-by-unit", params={"unit": "州妇联"}, corpus=Corpus.open(store), plan=PLAN)
    assert rows == [dict(r) for r in expected.rows] and len(rows) > 20


def test_a_plan_question_is_scoped_to_the_plan(two_plans):
    store, _ = two_plans
    corpus = Corpus.open(store)
    one = atk.query("units", corpus=corpus, plan=OTHER)
    both = atk.query("units", corpus=corpus)
    dehong = atk.query("units", corpus=corpus, plan=PLAN)
    assert len(one.rows) and len(dehong.rows)
    # every plan's question: each plan's own rows, led by the plan and its jurisdiction (issue 20)
    assert both.columns == ("plan", "jurisdiction", *one.columns)
    assert [{k: v for k, v in r.items() if k not in ("plan", "jurisdiction")} for r in both.rows] == \
        [*dehong.rows, *one.rows]
    assert {(r["plan"], r["jurisdiction"]) for r in both.rows} == {(PLAN, "533100"), (OTHER, "999900")}
    # the rdflib engine gives the same rows from the same graphs
    assert atk.query("units", corpus=corpus, plan=OTHER, store="rdflib").rows == one.rows


def test_missing_and_stale_plans_are_one_line_errors_and_rebuild_is_explicit(two_plans, tmp_path):
    store, ws = two_plans
    copy = tmp_path / "store"
    shutil.copytree(store, copy, symlinks=True)
    work = tmp_path / "ws"
    shutil.copytree(ws, work)
    runner = CliRunner()
    args = ["query", "units", "--plan", OTHER, "--data-dir", str(work), "--store", str(copy), "-f", "csv"]
    assert runner.invoke(main, args).exit_code == 0
    toml = work / OTHER / "plan.toml"
    toml.write_text(toml.read_text(encoding="utf-8") + "\n# reviewed\n", encoding="utf-8")
    before = _snapshot(copy)
    stale = runner.invoke(main, args)
    assert stale.exit_code == 2 and stale.stderr.count("\n") == 1
    assert f"plan '{OTHER}' in the corpus store {copy} was built from other inputs" in stale.stderr
    assert "--rebuild" in stale.stderr
    assert _snapshot(copy) == before
    rebuilt = runner.invoke(main, [*args, "--rebuild"])
    assert rebuilt.exit_code == 0, rebuilt.stderr
    assert rebuilt.output == runner.invoke(main, args).output      # fresh now: no rebuild, same answer
    missing = runner.invoke(main, ["query", "units", "--store", str(tmp_path / "none")])
    assert missing.exit_code == 2
    assert missing.stderr == f"Error: no corpus store at {tmp_path / 'none'}; run 'antitraffick-kg build' first\n"
    absent = runner.invoke(main, ["validate", "--store", str(tmp_path / "none")])
    assert absent.exit_code == 2 and "run 'antitraffick-kg build'" in absent.stderr


def test_rebuilding_one_plan_replaces_only_its_graphs(two_plans, tmp_path):
    store, ws = two_plans
    copy = tmp_path / "store"
    shutil.copytree(store, copy, symlinks=True)
    old = Corpus.open(copy)
    dehong = old.store.dump(format=ox.RdfFormat.N_QUADS, from_graph=ox.NamedNode(iris.graph_iri(PLAN)))
    other = old.entry(OTHER)
    store_plans([atk.find_plan(OTHER, data_dir=ws)], store=copy)
    new = Corpus.open(copy)
    assert new.store.dump(format=ox.RdfFormat.N_QUADS, from_graph=ox.NamedNode(iris.graph_iri(PLAN))) == dehong
    assert new.entry(OTHER) == other and new.entry(PLAN) == old.entry(PLAN)
    assert sum(new.triples(g) for g in other.graphs) == other.triples   # replaced, not added twice
    # a reader that opened the store before the write still reads what it opened
    assert old.plans == new.plans and sum(old.triples(g) for g in other.graphs) == other.triples
    assert len([p for p in copy.iterdir() if p.name.startswith("gen-")]) == 2   # current and the one before


def test_a_writer_stopped_before_the_switch_leaves_the_store_as_it_was(two_plans, tmp_path, monkeypatch):
    store, ws = two_plans
    copy = tmp_path / "store"
    shutil.copytree(store, copy, symlinks=True)
    current = os.readlink(copy / "current")
    entry = Corpus.open(copy).entry(OTHER)

    def stopped(*args):
        raise KeyboardInterrupt

    import antitraffick_kg.store.generations as generations_module     # the writer of generations

    monkeypatch.setattr(generations_module.os, "replace", stopped)
    with pytest.raises(KeyboardInterrupt):
        store_plans([atk.find_plan(OTHER, data_dir=ws)], store=copy)
    monkeypatch.undo()
    assert os.readlink(copy / "current") == current
    assert Corpus.open(copy).entry(OTHER) == entry


def test_export_reads_the_plan_from_the_store_in_sorted_order(two_plans):
    store, _ = two_plans
    corpus = Corpus.open(store)
    nt = atk.export(corpus=corpus, plan=OTHER, fmt="nt").decode("utf-8").splitlines()
    assert nt == sorted(nt) and len(nt) == corpus.triples(iris.graph_iri(OTHER))
    trig = atk.export(corpus=corpus, plan=OTHER, fmt="trig")
    back = ox.Store()
    back.load(trig, format=ox.RdfFormat.TRIG)
    # the plan's graphs, the ontology, the concept schemes and the shared linking graphs
    assert {g.value for g in back.named_graphs()} == {*corpus.entry(OTHER).graphs, iris.ONTOLOGY_GRAPH,
                                                      iris.VOCABULARY_GRAPH,
                                                      *corpus.entry("links", kind="shared").graphs}
    assert atk.export(corpus=corpus, plan=OTHER, fmt="trig") == trig


def test_open_corpus_names_what_is_missing(two_plans):
    store, _ = two_plans
    corpus = Corpus.open(store)
    with pytest.raises(InputError, match=r"the inferred graph of plan 'other-prefecture' is not in the corpus store"):
        corpus.graphs(OTHER, inferred=True)
    with pytest.raises(InputError, match=r"plan 'nowhere-1' is not in the corpus store .*antitraffick-kg build"):
        corpus.entry("nowhere-1")


def _readme_block(title: str) -> str:
    text = STORE_PAGE.read_text(encoding="utf-8")
    found = re.search(r"<!-- " + re.escape(title) + r" -->\n```python\n(.*?)```", text, re.DOTALL)
    assert found, f"{STORE_PAGE.name} has no python block marked '{title}'"
    return found.group(1)


def test_the_readme_api_script_runs_on_one_handle(build_dir, tmp_path, monkeypatch):
    shutil.copytree(build_dir / "store", tmp_path / "build" / "store", symlinks=True)
    monkeypatch.chdir(tmp_path)
    before = _snapshot(tmp_path)
    names: dict = {}
    exec(compile(_readme_block("one handle"), "docs/guide/store.md", "exec"), names)   # noqa: S102 - our own docs
    assert {r["task"] for r in names["rows"]} == {"7.6"}
    expected = atk.validate(plan=PLAN, engine="oxigraph", build_dir=build_dir)
    assert names["report"].to_json() == expected.to_json()
    assert names["findings"].text == atk.audit(plan=PLAN, build_dir=build_dir).text
    assert names["trig"] == atk.export(corpus=Corpus.open(build_dir / "store"), plan=PLAN, fmt="trig")
    assert _snapshot(tmp_path) == before


def test_a_store_copied_without_its_links_is_one_clear_error_on_build(build_dir, tmp_path):
    shutil.copytree(build_dir / "store", tmp_path / "store")          # 'current' becomes a plain folder
    done = subprocess.run([sys.executable, "-m", "antitraffick_kg", "build", "--store", str(tmp_path / "store"),
                           "--build-dir", str(tmp_path / "out")], capture_output=True, text=True, timeout=300)
    assert done.returncode == 2, done.stderr
    assert done.stderr.count("\n") == 1 and "is a folder, not the link a build makes" in done.stderr
    assert Corpus.open(tmp_path / "store").entry(PLAN), "readers still read the copy"


def test_a_plan_written_twice_in_one_call_keeps_only_its_last_graphs(tmp_path):
    from antitraffick_kg.store.corpus import PlanPart, write_parts

    def part(digest: str, *graphs: str) -> PlanPart:
        node = ox.NamedNode(iris.plan_iri("p"))
        quads = tuple(ox.Quad(node, node, ox.Literal(g), ox.NamedNode(iris.graph_iri("p") + g)) for g in graphs)
        return PlanPart("p", "plan", digest, quads)

    write_parts(tmp_path / "store", [part("one", "", "/a"), part("two", "")])
    corpus = Corpus.open(tmp_path / "store")
    assert corpus.entry("p").graphs == (iris.graph_iri("p"),)
    assert corpus.entry("p").digest == "two"
    assert corpus.triples(iris.graph_iri("p") + "/a") == 0


def test_a_plan_question_runs_on_the_plans_graphs_copied_into_memory(two_plans):
    from antitraffick_kg.pipeline.sources import open_store
    from antitraffick_kg.store.stores import OxigraphStore

    store, _ = two_plans
    corpus = Corpus.open(store)
    copy = corpus.memory(OTHER)
    assert copy is corpus.memory(OTHER)                                  # copied once per handle
    assert len(copy) == sum(corpus.triples(g.value) for g in corpus.graphs(OTHER))
    fresh = Corpus.open(store)
    assert open_store(corpus=fresh, plan=OTHER).store is fresh.store     # a first question: on disk, no copy
    assert open_store(corpus=fresh, plan=OTHER).store is fresh.memory(OTHER)   # later ones: on the copy
    assert open_store(corpus=corpus, plan=OTHER).store is copy            # a plan already copied: the copy
    assert open_store(corpus=corpus).store is corpus.store                # every plan: straight from disk
    on_disk = OxigraphStore(corpus.store, graphs=corpus.graphs(OTHER))
    for name, params in (("units", {}), ("tasks-by-unit", {"unit": "州妇联"})):
        assert atk.query(name, params=params, corpus=corpus, plan=OTHER).rows == \
            atk.query(name, params=params, store=on_disk).rows


def _every_catalogue_question(store) -> dict[str, object]:
    """The rows of every catalogue query across all plans asked of ``store`` with its example parameters (the
    unit 州妇联 by its IRI in Dehong), or the error a parameter naming things in both plans gives."""
    from antitraffick_kg.ask.catalogue import catalogue
    from antitraffick_kg.errors import QueryError

    out: dict[str, object] = {}
    for q in catalogue():
        params = {**q.example_params(), **{p.name: UNIT for p in q.parameters if p.name == "unit"}}
        try:
            out[q.name] = [dict(r) for r in atk.query(q.name, params=params, store=store).rows]
        except QueryError as exc:
            out[q.name] = str(exc)
    return out


def test_every_plan_questions_use_the_union_and_answer_as_the_graph_list_did(two_plans, tmp_path):
    from antitraffick_kg.pipeline.sources import open_store
    from antitraffick_kg.store.corpus import PlanPart, write_parts
    from antitraffick_kg.store.stores import OxigraphStore

    store, _ = two_plans
    copy = tmp_path / "store"
    shutil.copytree(store, copy, symlinks=True)
    # an inferred graph that would add a unit, a task and an assignment to every answer were it in the union
    before = Corpus.open(copy)
    rename = {}

    def renamed(term):
        if isinstance(term, ox.NamedNode) and term.value.startswith(iris.ID_BASE):
            return rename.setdefault(term.value, ox.NamedNode(term.value + "-inferred"))
        return term

    graph = ox.NamedNode(iris.graph_iri(OTHER) + "/inferred")
    quads = tuple(ox.Quad(renamed(q.subject), q.predicate, renamed(q.object), graph)
                  for q in before.store.quads_for_pattern(None, None, None, ox.NamedNode(iris.graph_iri(OTHER))))
    write_parts(copy, [PlanPart(OTHER, "inferred", before.entry(OTHER).digest, quads)])
    corpus = Corpus.open(copy)
    assert corpus.triples(graph.value) == len(quads) > 900
    assert corpus.union_is_exact()
    union = open_store(corpus=corpus)
    assert union.store is corpus.store and union.graphs is None          # every plan: the union of the store
    listed = OxigraphStore(corpus.store, graphs=corpus.graphs(None))
    answers = _every_catalogue_question(union)
    assert answers == _every_catalogue_question(listed)
    answered = {name: rows for name, rows in answers.items() if isinstance(rows, list)}
    assert len(answered) >= len(answers) - 4, {k: v for k, v in answers.items() if k not in answered}
    assert sum(len(rows) for rows in answered.values()) > 1000
    # nothing of the manifest or the inferred graph is in the union
    for leak in ("SELECT * WHERE { ?e a <http://rdfs.org/ns/void#Dataset> }",
                 "SELECT * WHERE { ?s ?p ?o FILTER(STRENDS(STR(?s), '-inferred')) }"):
        assert list(corpus.store.query(leak, use_default_graph_as_union=True)) == []
    # with the inferred graphs asked for, they are there
    inferred_units = atk.query("units", corpus=corpus, plan=OTHER, inferred=True)
    assert len(inferred_units.rows) == 2 * len(atk.query("units", corpus=corpus, plan=OTHER).rows) > 0


def test_a_store_of_one_store_per_generation_is_still_read_and_moved_apart_on_the_next_write(two_plans, tmp_path):
    """A generation written before the manifest had its own store: read as it is, split on the next write."""
    from antitraffick_kg.store.corpus import PlanPart, write_parts

    store, _ = two_plans
    old = Corpus.open(store)
    legacy = tmp_path / "store"
    (legacy / "gen-1").parent.mkdir()
    whole = ox.Store(str(legacy / "gen-1"))
    whole.bulk_extend(q for s in (old.store, old.meta) for q in s)
    whole.flush()
    del whole
    os.symlink("gen-1", legacy / "current")
    read = Corpus.open(legacy)
    assert read.entries == old.entries and not read.inferred_apart and not read.union_is_exact()
    units = atk.query("units", corpus=read)
    assert units.rows == atk.query("units", corpus=old).rows
    write_parts(legacy, [PlanPart("p", "plan", "d", (ox.Quad(ox.NamedNode(iris.plan_iri("p")), ox.NamedNode(
        iris.plan_iri("p")), ox.Literal("x"), ox.NamedNode(iris.graph_iri("p"))),))])
    moved = Corpus.open(legacy)
    assert moved.inferred_apart and moved.union_is_exact()
    assert {k: v for k, v in moved.entries.items() if k[0] != "p"} == old.entries
    assert atk.query("units", corpus=moved).rows == units.rows


def test_parts_given_as_n_quads_are_written_in_batches_with_the_same_graphs_and_counts(build_dir, tmp_path,
                                                                                       monkeypatch):
    from antitraffick_kg.store import corpus as corpus_module
    from antitraffick_kg.store.corpus import PlanPart, write_parts

    data = (build_dir / f"{PLAN}.nq").read_bytes()
    part = PlanPart.from_nquads(data, plan=PLAN, kind="plan", digest="d")
    parsed: dict[str, int] = {}
    for q in ox.parse(data, format=ox.RdfFormat.N_QUADS):
        parsed[q.graph_name.value] = parsed.get(q.graph_name.value, 0) + 1
    assert part.graphs == parsed and len(parsed) >= 2
    monkeypatch.setattr(corpus_module, "BATCH_BYTES", 1)               # every part a batch of its own
    renamed = data.replace(PLAN.encode(), b"again")
    write_parts(tmp_path / "store", (p for p in (part, PlanPart.from_nquads(renamed, plan="again", kind="plan",
                                                                               digest="e"))))
    written = Corpus.open(tmp_path / "store")
    assert written.plans == ("again", PLAN)
    assert {g: written.triples(g) for g in written.entry(PLAN).graphs} == parsed
    assert written.entry(PLAN).triples == sum(parsed.values()) == written.entry("again").triples
    assert written.union_is_exact()


def test_a_part_with_a_triple_outside_any_graph_is_one_error_and_the_store_stays_as_it_was(tmp_path):
    from antitraffick_kg.store.corpus import PlanPart, write_parts

    good = b'<http://ex/s> <http://ex/p> "x" <http://ex/g> .\n'
    write_parts(tmp_path / "store", [PlanPart.from_nquads(good, plan="p", kind="plan", digest="1")])
    before = _snapshot(tmp_path / "store")
    bad = good + b"<http://ex/s> <http://ex/p> <http://ex/o> .\n"
    with pytest.raises(InputError, match=r"^plan 'q': a quad outside any named graph"):
        write_parts(tmp_path / "store", [PlanPart.from_nquads(bad, plan="q", kind="plan", digest="2")])
    with pytest.raises(InputError, match=r"^plan 'r': its N-Quads do not parse"):
        write_parts(tmp_path / "store", [PlanPart.from_nquads(b"<http://ex/s> nonsense .\n", plan="r", kind="plan",
                                                              digest="3")])
    assert _snapshot(tmp_path / "store") == before
    assert Corpus.open(tmp_path / "store").plans == ("p",)


def test_a_generation_records_its_manifest_and_union_check_as_its_stores_hold_them(two_plans, tmp_path):
    """A new reader takes the manifest and the union check from the file the writer left, not from the stores."""
    from antitraffick_kg.store.corpus import SUMMARY, _read_manifest, _union_exact, _write_summary

    store, _ = two_plans
    corpus = Corpus.open(store)
    assert ((store / "current").resolve() / SUMMARY).is_file()
    assert corpus.entries == _read_manifest(corpus.meta) and len(corpus.entries) == 3     # two plans, shared links
    assert corpus.union_is_exact() and _union_exact(corpus.store, corpus.entries)
    copy = tmp_path / "store"
    shutil.copytree(store, copy, symlinks=True)
    generation = (copy / "current").resolve()
    for content in (None, b"{not json", b'{"entries": [["a"]], "union_exact": true}'):
        if content is None:
            (generation / SUMMARY).unlink()
        else:
            (generation / SUMMARY).write_bytes(content)
        read = Corpus.open(copy)          # no file, or one that cannot be read: the stores are read
        assert read.entries == corpus.entries and read.union_is_exact()
    # a graph the manifest does not name: the writer records that the union is not exact
    data = ox.Store(str(generation / "data"))
    data.add(ox.Quad(ox.NamedNode("http://example.org/s"), ox.NamedNode("http://example.org/p"),
                     ox.Literal("o"), ox.NamedNode("http://example.org/stray")))
    _write_summary(generation, data, ox.Store.read_only(str(generation / "meta")))
    data.flush()
    del data
    stray = Corpus.open(copy)
    assert not stray.union_is_exact() and stray.view(None)[1] == stray.graphs(None)


def test_a_unit_name_two_plans_share_means_that_unit_in_each_plan(two_plans):
    """Issue 20: across plans, 州妇联 is the women's federation of each prefecture (it was an error asking for the
    IRI); each plan's rows are that plan's own answer, with the plan and its jurisdiction first."""
    store, _ = two_plans
    result = CliRunner().invoke(main, ["query", "tasks-by-unit", "-p", "unit=州妇联", "--all-plans",
                                       "--store", str(store), "-f", "csv"])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0] == "plan,jurisdiction,task,title,unit,role,source"
    assert {line.split(",")[:2] == [PLAN, "533100"] for line in lines[1:]} == {True, False}
    corpus = Corpus.open(store)
    for plan in (PLAN, OTHER):
        own = atk.query("tasks-by-unit", params={"unit": "州妇联"}, corpus=corpus, plan=plan)
        assert len(own) > 0 and sum(line.startswith(plan + ",") for line in lines) == len(own)


def test_every_plan_questions_count_each_shared_fact_once_on_every_engine(two_plans):
    """The concept schemes both plans point at are stored once, so pyoxigraph's union of the plans' graphs (which
    keeps a triple once per graph) gives the rows rdflib's union gives: 832 rows of `concepts` and 20 of
    `tasks-by-place` on pyoxigraph against 47 and 10 on rdflib, when each plan's graph carried the schemes."""
    from antitraffick_kg.pipeline.sources import open_store

    store, _ = two_plans
    corpus = Corpus.open(store)
    oxigraph = _every_catalogue_question(open_store(corpus=corpus))
    rdflib = _every_catalogue_question(open_store(corpus=corpus, kind="rdflib"))
    assert oxigraph == rdflib
    answered = {k: v for k, v in oxigraph.items() if isinstance(v, list)}
    assert len(answered["concepts"]) >= 40 and len(answered["tasks-by-place"]) >= 5
    duplicated = {k for k, rows in answered.items() if len({tuple(r.items()) for r in rows}) < len(rows)}
    assert duplicated <= {"milestones"}, duplicated      # two milestones of one task may read the same
    vocabulary = {(q.subject, q.predicate, q.object)
                  for q in corpus.store.quads_for_pattern(None, None, None, ox.NamedNode(iris.VOCABULARY_GRAPH))}
    assert len(vocabulary) > 900
    for plan in corpus.plans:
        for graph in corpus.entry(plan).graphs:
            quads = corpus.store.quads_for_pattern(None, None, None, ox.NamedNode(graph))
            assert not [q for q in quads if (q.subject, q.predicate, q.object) in vocabulary], graph


def test_a_generation_written_in_several_loads_is_compacted_and_one_plan_rewritten_is_not(tmp_path, monkeypatch):
    """Each bulk load leaves files whose keys overlap the others', all read by every lookup on disk: a generation
    written in several loads is compacted before the switch (and holds the same quads); one written in one load
    (a plan rebuilt) is not."""
    from antitraffick_kg.store import corpus as corpus_module, generations
    from antitraffick_kg.store.corpus import PlanPart, write_parts

    compacted: list[ox.Store] = []
    monkeypatch.setattr(generations, "_compact", lambda data: (compacted.append(data), data.optimize()))
    monkeypatch.setattr(corpus_module, "BATCH_BYTES", 1)               # every part a batch of its own
    parts = [PlanPart.from_nquads(b"".join(b'<http://ex/s%d> <http://ex/p> "%d" <http://ex/g%d> .\n' % (i, j, i)
                                           for j in range(50)), plan=f"p{i}", kind="plan", digest=str(i))
             for i in range(4)]
    write_parts(tmp_path / "store", parts)
    assert len(compacted) == 1
    written = Corpus.open(tmp_path / "store")
    assert sorted(map(str, written.store)) == sorted(str(q) for p in parts for q in p.iter_quads())
    write_parts(tmp_path / "store", parts[:1])
    assert len(compacted) == 1
