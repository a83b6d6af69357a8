"""Commands over several plans: a workspace with two prefecture plans and the bundled Dehong plan, built with
``build --all-plans`` into the workspace's own store, asked with --plan repeated and --all-plans, listed with
``plans`` and taken out with ``remove``.

The two workspace plans are the test prefecture (``tests/data/other-prefecture``) under two ids: the same units,
the same short names, each in its own plan graph.
"""

from __future__ import annotations

import json
import os
import shutil
import sys
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner

from antitraffick_kg import iris
from antitraffick_kg.cli.main import main, run
from antitraffick_kg.resources import ENV_DATA_DIR
from antitraffick_kg.store.corpus import Corpus, PlanPart, write_parts

DEHONG, ONE, TWO = "dehong-2022-2030", "other-prefecture", "other-two"
DATA = Path(__file__).parent / "data" / ONE


def cli(*args: str):
    return CliRunner().invoke(main, list(args))


def _one_line_error(result, *words: str) -> None:
    assert result.exit_code == 2, result.output
    assert result.stderr.startswith("Error: ") and result.stderr.count("\n") == 1, result.stderr
    for word in words:
        assert word in result.stderr, (word, result.stderr)


def command_line(*args: str):
    """``args`` run as the installed command runs them (:func:`run`: a usage mistake on one line too)."""
    runner = CliRunner()
    with runner.isolation() as (out, err, _):
        argv, sys.argv = sys.argv, ["antitraffick-kg", *args]
        try:
            run()
        except SystemExit as exc:
            code = exc.code
        finally:
            sys.argv = argv
        return Result(code, out.getvalue().decode(), err.getvalue().decode())


@dataclass
class Result:
    exit_code: int
    stdout: str
    stderr: str

    @property
    def output(self) -> str:
        return self.stdout + self.stderr


@pytest.fixture(scope="module")
def workspace(tmp_path_factory) -> Path:
    """The workspace after ``build --all-plans`` run from another folder (nothing may land there)."""
    root = tmp_path_factory.mktemp("many")
    ws = root / "plans"
    for plan in (ONE, TWO):
        shutil.copytree(DATA, ws / plan)
    elsewhere = root / "elsewhere"
    elsewhere.mkdir()
    cwd = os.getcwd()
    os.chdir(elsewhere)
    try:
        built = cli("build", "--all-plans", "--data-dir", str(ws), "--jobs", "2")
    finally:
        os.chdir(cwd)
    assert built.exit_code == 0, built.output + built.stderr
    assert list(elsewhere.iterdir()) == []                     # the store is the workspace's, not the current folder's
    lines = built.stdout.splitlines()
    assert [line.split(":")[0] for line in lines[:3]] == [DEHONG, ONE, TWO]
    assert lines[-1].startswith(f"{ws / 'build' / 'store'} (corpus store): 3 plans")
    return ws


def _store(ws: Path) -> Path:
    return ws / "build" / "store"


def _csv(result) -> list[list[str]]:
    assert result.exit_code == 0, result.stderr
    return [line.split(",") for line in result.stdout.splitlines()[1:]]


def test_build_all_plans_builds_every_plan_folder_into_the_workspace_store_in_one_switch(workspace):
    store = _store(workspace)
    corpus = Corpus.open(store)
    assert corpus.plans == (DEHONG, ONE, TWO)
    assert os.readlink(store / "current") == "gen-1"           # every plan went in with one switch
    for plan in corpus.plans:
        assert (workspace / "build" / f"{plan}.stamp").is_file()
        assert corpus.entry(plan).graphs[0] == iris.graph_iri(plan)
    assert corpus.entry(ONE).triples == corpus.entry(TWO).triples > 0


def test_the_workspace_store_is_the_default_of_every_reading_command(workspace, monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)
    plans = {row[0] for row in _csv(cli("query", "plans", "--all-plans", "--data-dir", str(workspace), "-f", "csv"))}
    assert {DEHONG, ONE, TWO} <= plans
    monkeypatch.setenv(ENV_DATA_DIR, str(workspace))         # the workspace named by the environment: the same
    listed = cli("plans", "-f", "json")
    assert json.loads(listed.stdout)["store"] == str(_store(workspace))
    assert not (tmp_path / "build").exists()


def test_several_plans_are_asked_together_and_only_they(workspace):
    ws = str(workspace)
    two = {row[0] for row in _csv(cli("query", "plans", "--plan", ONE, "--plan", TWO, "--data-dir", ws, "-f", "csv"))}
    assert {ONE, TWO} <= two and DEHONG not in two
    one = {row[0] for row in _csv(cli("query", "plans", "--plan", ONE, "--data-dir", ws, "-f", "csv"))}
    assert ONE in one and TWO not in one
    every = {row[0] for row in _csv(cli("query", "plans", "--all-plans", "--data-dir", ws, "-f", "csv"))}
    assert {DEHONG, ONE, TWO} <= every
    # the tasks of both plans: each plan's own rows, led by the plan and its jurisdiction
    tasks = _csv(cli("query", "tasks-by-unit", "--plan", ONE, "--plan", TWO, "--data-dir", ws,
                     "-p", "unit=州公安局", "-f", "csv"))
    own = {plan: _csv(cli("query", "tasks-by-unit", "--plan", plan, "--data-dir", ws, "-p", "unit=州公安局",
                          "-f", "csv")) for plan in (ONE, TWO)}
    assert own[ONE] and own[TWO]
    assert sorted(tuple(r[0:1] + r[2:]) for r in tasks) == sorted((plan, *r) for plan in own for r in own[plan])


def test_validate_audit_status_and_export_read_each_plan_asked_for(workspace):
    ws = str(workspace)
    checked = cli("validate", "--plan", ONE, "--plan", TWO, "--data-dir", ws)
    assert checked.exit_code == 0 and checked.stdout.startswith(f"{ONE}, {TWO} (oxigraph): conforms"), checked.stdout
    audited = cli("audit", "--plan", TWO, "--plan", ONE, "--data-dir", ws, "-f", "json")
    assert audited.exit_code == 0
    assert [r["inputs"] for r in json.loads(audited.stdout)] == [[TWO], [ONE]]
    text = cli("audit", "--plan", ONE, "--plan", TWO, "--data-dir", ws).stdout
    assert [line.split(":")[0] for line in text.splitlines() if line.startswith("audit of ")] == [
        f"audit of {p}" for p in (ONE, TWO)]
    status = cli("status", "--plan", ONE, "--plan", TWO, "--data-dir", ws, "--as-of", "2024-06-30", "-f", "json")
    assert status.exit_code == 0 and [s["plan"] for s in json.loads(status.stdout)] == [ONE, TWO]
    exported = cli("export", "--plan", ONE, "--plan", TWO, "--data-dir", ws, "-f", "nquads")
    graphs = {q.graph_name.value for q in ox.parse(exported.stdout_bytes, format=ox.RdfFormat.N_QUADS)}
    assert {iris.graph_iri(ONE), iris.graph_iri(TWO), iris.ONTOLOGY_GRAPH} <= graphs
    assert iris.graph_iri(DEHONG) not in graphs


@pytest.mark.parametrize("args, words", [
    (("reason", "--plan", ONE, "--plan", TWO), ("--plan given 2 times", "reads one plan")),
    (("forms", "--year", "2024", "--output-dir", "f", "--plan", ONE, "--plan", TWO), ("reads one plan",)),
    (("progress", "add", "x.csv", "--plan", ONE, "--plan", TWO), ("reads one plan",)),
    (("query", "units", "--plan", ONE, "--all-plans"), ("--all-plans and --plan",)),
    (("build", "--plan", ONE, "--all-plans"), ("--all-plans and --plan",)),
    (("status", "--plan", ONE, "--plan", TWO, "-f", "xlsx", "-o", "s.xlsx"), ("one plan's workbook",)),
    (("export", "--plan", ONE, "--plan", TWO, "-f", "turtle"), ("holds one graph", "trig")),
    (("query", "units", "--plan", ONE, "--plan", TWO, "--endpoint", "http://127.0.0.1:9/query"),
     ("would not be honoured",)),
    (("validate", "some.ttl", "--plan", ONE), ("FILEs are checked on their own", "--plan")),
])
def test_never_silently_one_of_several_plans(workspace, tmp_path, monkeypatch, args, words):
    monkeypatch.chdir(tmp_path)
    _one_line_error(command_line(*args, "--data-dir", str(workspace)), *words)
    assert list(tmp_path.iterdir()) == []


def _copy(workspace: Path, tmp_path: Path) -> Path:
    ws = tmp_path / "plans"
    shutil.copytree(workspace, ws, symlinks=True)
    return ws


def _states(ws: Path) -> dict[str, str]:
    listed = cli("plans", "--data-dir", str(ws), "-f", "json")
    assert listed.exit_code == 0, listed.stderr
    return {p["plan"]: p["state"] for p in json.loads(listed.stdout)["plans"]}


def test_plans_lists_each_plan_and_remove_takes_an_orphaned_one_out_in_one_switch(workspace, tmp_path):
    ws = _copy(workspace, tmp_path)
    assert _states(ws) == {DEHONG: "fresh", ONE: "fresh", TWO: "fresh"}
    shutil.rmtree(ws / TWO)
    # its folder gone, TWO is orphaned; ONE was built beside it, so it is built from other inputs now
    assert _states(ws) == {DEHONG: "fresh", ONE: "stale", TWO: "orphaned"}
    table = cli("plans", "--data-dir", str(ws)).stdout
    assert any(line.split()[:3] == [TWO, "orphaned", "(gone)"] for line in table.splitlines()), table
    before = Corpus.open(_store(ws))
    removed = cli("remove", TWO, "--data-dir", str(ws))
    assert removed.exit_code == 0 and removed.stdout.startswith(f"removed {TWO} from {_store(ws)}")
    assert os.readlink(_store(ws) / "current") == "gen-2"
    after = Corpus.open(_store(ws))
    assert after.plans == (DEHONG, ONE)
    assert {k: e for k, e in after.entries.items()} == {k: e for k, e in before.entries.items() if k[0] != TWO}
    assert not any(g.value.startswith(iris.graph_iri(TWO)) for g in after.store.named_graphs())
    assert not list((after.generation / "parts").glob(f"*{TWO}*"))
    assert _states(ws) == {DEHONG: "fresh", ONE: "stale"}
    stale = cli("query", "plans", "--all-plans", "--data-dir", str(ws))
    assert stale.exit_code == 0                # --all-plans asks what the store holds, as it is
    rebuilt = cli("query", "plans", "--all-plans", "--rebuild", "--data-dir", str(ws))
    assert rebuilt.exit_code == 0, rebuilt.stderr
    assert _states(ws) == {DEHONG: "fresh", ONE: "fresh"}         # --rebuild built the stale plan first
    _one_line_error(cli("remove", TWO, "--data-dir", str(ws)), f"plan '{TWO}' is not in the corpus store",
                    DEHONG)
    assert os.readlink(_store(ws) / "current") == "gen-3"


def test_remove_keeps_a_plan_with_progress_reports_unless_asked(workspace, tmp_path):
    ws = _copy(workspace, tmp_path)
    graph = ox.NamedNode(iris.graph_iri(ONE) + "/progress")
    report = ox.Quad(ox.NamedNode(iris.ID_BASE + "report/x"), ox.NamedNode(iris.ATK_BASE + "note"),
                     ox.Literal("done"), graph)
    write_parts(_store(ws), [PlanPart(ONE, "progress", "d", (report,))])
    _one_line_error(cli("remove", ONE, "--data-dir", str(ws)), "progress reports", "--with-progress")
    assert Corpus.open(_store(ws)).plans == (DEHONG, ONE, TWO)
    removed = cli("remove", ONE, "--with-progress", "--data-dir", str(ws))
    assert removed.exit_code == 0, removed.stderr
    after = Corpus.open(_store(ws))
    assert after.plans == (DEHONG, TWO) and not [k for k in after.entries if k[0] == ONE]
    assert graph not in set(after.store.named_graphs())


def test_a_narrowed_corpus_asks_only_its_plans(workspace):
    corpus = Corpus.open(_store(workspace))
    two = corpus.only([ONE, TWO])
    assert two.plans == (ONE, TWO) and not two.union_is_exact()
    names = {g.value for g in two.graphs(None)}
    assert iris.graph_iri(ONE) in names and iris.graph_iri(DEHONG) not in names
    assert corpus.only(corpus.plans).union_is_exact() == corpus.union_is_exact()


def test_push_sends_the_plans_asked_for(workspace, tmp_path):
    """push --plan A --plan B to a real oxigraph server sends those plans' graphs and no other plan's."""
    from conftest import require
    from servers import Server

    from antitraffick_kg.errors import EndpointError
    from antitraffick_kg.store.stores import oxigraph_binary

    try:
        binary = oxigraph_binary()
    except EndpointError as exc:
        require(False, str(exc))
    server = Server("oxigraph", tmp_path).start(binary)
    try:
        ws = str(workspace)
        journal = str(tmp_path / "journal.json")
        pushed = cli("push", "--endpoint", server.query_url, "--plan", ONE, "--plan", TWO, "--data-dir", ws,
                     "--journal", journal)
        assert pushed.exit_code == 0, pushed.stderr
        graphs = {line.split(": ")[0] for line in pushed.stdout.splitlines()[:-1]}
        assert {iris.graph_iri(ONE), iris.graph_iri(TWO)} <= graphs and iris.graph_iri(DEHONG) not in graphs
    finally:
        server.stop()


def test_report_writes_each_plans_site_into_a_folder_of_its_own(workspace, tmp_path):
    site = tmp_path / "site"
    done = cli("report", "--plan", ONE, "--plan", TWO, "--data-dir", str(workspace), "--as-of", "2024-06-30",
               "--output-dir", str(site))
    assert done.exit_code == 0, done.stderr
    assert [line.split(" (")[0] for line in done.stdout.splitlines()] == [
        f"wrote {site / plan}/index.html" for plan in (ONE, TWO)] + [f"wrote {site}/index.html"]
    assert sorted(p.name for p in site.iterdir()) == sorted([".antitraffick-report", "index.html", "index.md",
                                                            "style.css", ONE, TWO])
    assert all((site / plan / "index.html").is_file() for plan in (ONE, TWO))
    # the comparison of the two: the same units under two plan ids, each cell linking into its plan's report
    page = (site / "index.html").read_text(encoding="utf-8")
    for plan in (ONE, TWO):
        assert f'<a href="{plan}/units/womens-federation.html" data-unit="州妇联"' in page


def test_a_plan_that_cannot_be_built_stops_the_build_and_leaves_the_store(workspace, tmp_path):
    ws = _copy(workspace, tmp_path)
    (ws / "broken-2022-2030").mkdir()
    shutil.copy(DATA / "source.txt", ws / "broken-2022-2030" / "source.txt")     # no plan.toml, no units.csv
    before = os.readlink(_store(ws) / "current")
    failed = command_line("build", "--plan", ONE, "--plan", "broken-2022-2030", "--jobs", "2", "--data-dir", str(ws))
    # one line naming the file at fault (the plan built first may meet it: a plan's input digest reads the plan
    # folders beside it, so the line may be said of either plan)
    _one_line_error(failed, str(Path("plans") / "broken-2022-2030"), "plan.toml")
    assert os.readlink(_store(ws) / "current") == before
    assert not [p for p in _store(ws).iterdir() if p.name.startswith("gen-") and p.name != before]
