"""The third battery of bad or tricky inputs, as a user types them: each case ends with its exit code, at most one
line on standard error, and nothing written that the command should not write.

Every command is run as a process (``python -m antitraffick_kg``), as the battery ran it: the exit codes, the
closed pipe and the help without arguments are the console entry point's, not click's test runner's.
"""

from __future__ import annotations

import gc
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from test_bad_input import _oxigraph, _snapshot, assert_one_error_line, cli, listener  # noqa: F401 (a fixture)

ROOT = Path(__file__).resolve().parent.parent
DEHONG = ROOT / "data" / "dehong-2022-2030"
CROSS_JOIN = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?p ?b . ?c ?q ?d . ?e ?r ?f . ?g ?s ?h }\n"
NEW = ["--title", "某州反拐行动计划", "--level", "prefecture", "--jurisdiction", "532500", "--period", "2022-2030"]


def _write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


# -- help and pipes --------------------------------------------------------------------------------------------
def test_no_arguments_print_the_help_with_exit_0(tmp_path):
    done, _ = cli([], cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""
    assert done.stdout.startswith("Usage: ") and "\nCommands:\n" in done.stdout and "query" in done.stdout
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("args", [["queries"], ["queries", "-f", "json"]])
def test_a_closed_pipe_ends_quietly(tmp_path, args):
    """``antitraffick-kg queries | head -1``: the reader has gone before the output is written."""
    read, write = os.pipe()
    os.close(read)
    try:
        done = subprocess.run([sys.executable, "-m", "antitraffick_kg", *args], cwd=tmp_path, stdout=write,
                              stderr=subprocess.PIPE, text=True, timeout=60)
    finally:
        os.close(write)
    assert done.stderr == ""
    assert done.returncode == 141          # as shells report SIGPIPE; never 3, the code of a bug


# -- options: one meaning, no silent choice ----------------------------------------------------------------------
def test_plan_given_twice_is_refused_not_the_last_one_taken(tmp_path):
    # reason reads one plan (query asks several together since commands over several plans: test_many_plans.py)
    done, _ = cli(["reason", "--plan", "dehong-2022-2030", "--plan", "yunnan-2021-2030",
                   "--build-dir", "b"], cwd=tmp_path)
    assert_one_error_line(done, code=2, says="--plan given 2 times (dehong-2022-2030, yunnan-2021-2030)")
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("command, instead", [(["build"], "--build-dir"), (["reason"], "--build-dir"),
                                              (["report"], "--output-dir")])
def test_o_names_a_file_so_a_folder_command_refuses_it(tmp_path, command, instead):
    done, _ = cli([*command, "-o", "out"], cwd=tmp_path)
    assert_one_error_line(done, code=2, says=f"this command writes a folder: give it with {instead} out")
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("given", [["--engine", "rdflib"], ["--engine", "oxigraph"], ["--store", "s"],
                                   ["--rebuild"]])
def test_an_option_the_endpoint_would_ignore_is_refused(tmp_path, listener, given):
    done, _ = cli(["query", "units", "--endpoint", listener.url + "sparql", *given], cwd=tmp_path)
    assert_one_error_line(done, code=2, says=f"--endpoint answers the query itself: {given[0]} would be ignored")
    assert listener.connections == [] and list(tmp_path.iterdir()) == []


# -- names looked up ------------------------------------------------------------------------------------------
def test_an_unknown_unit_is_answered_with_the_closest_names(tmp_path, build_dir):
    done, _ = cli(["query", "tasks-by-unit", "-p", "unit=州不存在局", "--build-dir", str(build_dir)], cwd=tmp_path)
    assert_one_error_line(done, code=2, says="unknown unit '州不存在局'; did you mean 州")


def test_an_unknown_plan_or_query_is_answered_with_the_closest_names(tmp_path):
    done, _ = cli(["export", "--plan", "dehong-2022-2031"], cwd=tmp_path)
    assert_one_error_line(done, code=2, says="did you mean dehong-2022-2030?")
    done, _ = cli(["query", "taks-by-unit"], cwd=tmp_path)
    assert_one_error_line(done, code=2, says="unknown query 'taks-by-unit'; did you mean tasks-by-unit")
    assert list(tmp_path.iterdir()) == []


# -- new: nothing replaced, nothing unknown, nothing empty, nothing huge ------------------------------------------
@pytest.fixture
def workspace(tmp_path) -> Path:
    ws = tmp_path / "ws"
    ws.mkdir()
    return ws


def test_new_refuses_an_unknown_upper_plan(workspace):
    done, _ = cli(["new", "p-2022-2030", "--source", str(DEHONG / "source.txt"), *NEW,
                   "--implements", "nowhere-2000-2001", "--data-dir", str(workspace)], cwd=workspace.parent)
    assert_one_error_line(done, code=2, says="--implements nowhere-2000-2001: no such plan; ")
    assert "known plans: dehong-2022-2030, " in done.stderr and "national-2021-2030, " in done.stderr
    assert list(workspace.iterdir()) == []


def test_new_does_not_silently_replace_a_bundled_plan(workspace, tmp_path):
    args = ["new", "dehong-2022-2030", "--source", str(DEHONG / "source.txt"), *NEW, "--data-dir", str(workspace)]
    done, _ = cli(args, cwd=tmp_path)
    assert_one_error_line(done, code=2, says="'dehong-2022-2030' is a bundled plan")
    assert "--force" in done.stderr and list(workspace.iterdir()) == []

    forced, _ = cli([*args, "--force"], cwd=tmp_path)
    assert forced.returncode in (0, 1), forced.stderr
    assert f"Warning: {workspace / 'dehong-2022-2030'} hides the bundled plan dehong-2022-2030" in forced.stderr
    # every later use in that workspace says so, in one line before anything else
    later, _ = cli(["query", "units", "--data-dir", str(workspace), "--build-dir", str(tmp_path / "none")],
                   cwd=tmp_path)
    lines = later.stderr.splitlines()
    assert lines[0].startswith("Warning: plan dehong-2022-2030 is the workspace's folder"), later.stderr
    assert len(lines) == 2 and lines[1].startswith("Error: no corpus store"), later.stderr
    elsewhere, _ = cli(["query", "units", "--build-dir", str(tmp_path / "none")], cwd=tmp_path)
    assert "Warning" not in elsewhere.stderr


NO_TASK = ("德宏州人民政府办公室关于印发反拐工作要点的通知\n一、总体要求\n坚持以人民为中心。\n"
           "二、工作措施\n（一）加强宣传。开展宣传教育活动。\n（二）加强排查。\n")


def test_a_text_with_no_task_is_an_error_saying_what_was_looked_for(workspace, tmp_path):
    text = _write(tmp_path, "no-task.txt", NO_TASK)
    looked_for = "no task found: a task is a numbered heading (一、…, （一）…, 1.…) whose paragraph ends in a unit clause"
    done, _ = cli(["import", str(text)], cwd=tmp_path)
    assert_one_error_line(done, code=2, says=looked_for)
    assert done.stdout == ""
    done, _ = cli(["new", "empty-2022-2030", "--source", str(text), *NEW, "--data-dir", str(workspace)], cwd=tmp_path)
    assert_one_error_line(done, code=2, says=looked_for)
    assert list(workspace.iterdir()) == []
    # a plan folder made by hand with such a text does not build into a plan of 0 tasks
    folder = workspace / "empty-2022-2030"
    folder.mkdir()
    shutil.copy(text, folder / "source.txt")
    (folder / "plan.toml").write_text((DEHONG / "plan.toml").read_text(encoding="utf-8"), encoding="utf-8")
    (folder / "units.csv").write_text((DEHONG / "units.csv").read_text(encoding="utf-8").splitlines()[0] + "\n",
                                      encoding="utf-8")
    before = _snapshot(workspace)
    done, _ = cli(["build", "--plan", "empty-2022-2030", "--data-dir", str(workspace), "--build-dir", "b"],
                  cwd=tmp_path)
    assert_one_error_line(done, code=2, says=looked_for)
    assert not (tmp_path / "b").exists() and _snapshot(workspace) == before


def test_a_text_far_beyond_any_plan_is_refused_before_it_is_read(workspace, tmp_path):
    huge = tmp_path / "huge.txt"
    with huge.open("wb") as f:             # 49 MiB, as in the battery; sparse, so the test writes nothing much
        f.truncate(49 * 2**20)
    for args in (["import", str(huge)],
                 ["new", "huge-2022-2030", "--source", str(huge), *NEW, "--data-dir", str(workspace)]):
        done, seconds = cli(args, cwd=tmp_path)
        assert_one_error_line(done, code=2, says="49.0 MiB is far beyond any plan's text (the limit is 8 MiB")
        assert seconds < 15
    assert list(workspace.iterdir()) == []
    done, _ = cli(["import", str(DEHONG / "source.txt"), "--max-size", "1"], cwd=tmp_path)
    assert done.returncode == 0, done.stderr            # the real plan is far below any limit


# -- every query form, on every store ------------------------------------------------------------------------
FORMS = {
    "ask.rq": ("ASK { ?t a <https://w3id.org/antitraffick-kg/ontology#Task> }\n", None),
    "construct.rq": ("PREFIX atk: <https://w3id.org/antitraffick-kg/ontology#>\n"
                     "PREFIX skos: <http://www.w3.org/2004/02/skos/core#>\n"
                     "CONSTRUCT { ?t skos:notation ?n } WHERE { ?t a atk:Task ; skos:notation ?n }\n", None),
    "describe.rq": ("PREFIX atk: <https://w3id.org/antitraffick-kg/ontology#>\n"
                    "PREFIX skos: <http://www.w3.org/2004/02/skos/core#>\n"
                    "DESCRIBE ?t WHERE { ?t a atk:Task ; skos:notation \"7.6\" }\n", None),
}
TASK_76 = "<https://w3id.org/antitraffick-kg/id/plan/dehong-2022-2030/task/7.6>"


def _forms(folder: Path) -> None:
    for name, (text, _) in FORMS.items():
        _write(folder, name, text)
    _write(folder, "ask-no.rq", "ASK { ?t a <https://w3id.org/antitraffick-kg/ontology#NoSuchClass> }\n")


def _check_forms(run) -> None:
    """``run(args)`` answers each form as asked (the same on every store)."""
    assert run(["ask.rq"]).stdout == "true\n"
    assert run(["ask-no.rq"]).stdout == "false\n"
    nt = run(["construct.rq", "-f", "nt"]).stdout.splitlines()
    assert len(nt) == 56 and all(line.endswith(" .") and "skos/core#notation" in line for line in nt)   # tasks
    assert f'{TASK_76} <http://www.w3.org/2004/02/skos/core#notation> "7.6" .' in nt
    turtle = run(["construct.rq"]).stdout
    assert "@prefix skos: <http://www.w3.org/2004/02/skos/core#> ." in turtle and 'skos:notation "7.6"' in turtle
    described = run(["describe.rq", "-f", "nt"]).stdout.splitlines()
    assert described and all(line.startswith(TASK_76) for line in described)
    assert any("http://purl.org/dc/terms/title" in line for line in described)


@pytest.mark.parametrize("engine", ["oxigraph", "rdflib"])
def test_every_query_form_is_answered_on_the_embedded_stores(tmp_path, build_dir, engine):
    _forms(tmp_path)

    def run(args):
        done, _ = cli(["query", *args, "--engine", engine, "--build-dir", str(build_dir)], cwd=tmp_path, limit=120)
        assert done.returncode == 0 and done.stderr == "", done.stderr
        return done

    _check_forms(run)


def test_every_query_form_is_answered_by_an_endpoint(tmp_path, build_dir):
    _oxigraph()
    from antitraffick_kg.pipeline.sources import open_corpus, serve_plan

    _forms(tmp_path)
    with serve_plan(corpus=open_corpus(build_dir / "store")) as endpoint:
        def run(args):
            done, _ = cli(["query", *args, "--endpoint", endpoint.query_url], cwd=tmp_path, limit=60)
            assert done.returncode == 0 and done.stderr == "", done.stderr
            return done

        _check_forms(run)


def test_a_query_form_and_an_output_format_that_do_not_fit_are_one_line(tmp_path, build_dir):
    _forms(tmp_path)
    cases = [(["construct.rq", "-f", "csv"], "is a CONSTRUCT query, answered with triples: give -f turtle or -f nt"),
             (["describe.rq", "-f", "json"], "is a DESCRIBE query"),
             (["ask.rq", "-f", "nt"], "is an ASK query, answered true or false"),
             (["units", "-f", "turtle"], "is a SELECT query, answered with rows")]
    for args, says in cases:
        done, _ = cli(["query", *args, "--build-dir", str(build_dir), "-o", "answer.txt"], cwd=tmp_path)
        assert_one_error_line(done, code=2, says=says)
        assert not (tmp_path / "answer.txt").exists()


# -- every command ends --------------------------------------------------------------------------------------
@pytest.mark.parametrize("engine", ["oxigraph", "rdflib"])
def test_an_embedded_query_keeps_to_the_timeout(tmp_path, build_dir, engine):
    _write(tmp_path, "cross.rq", CROSS_JOIN)
    started = time.monotonic()
    done, _ = cli(["query", "cross.rq", "--engine", engine, "--timeout", "2", "--build-dir", str(build_dir),
                   "-o", "rows.csv"], cwd=tmp_path, limit=120)
    assert_one_error_line(done, code=2, says="cross.rq did not answer within 2 s")
    assert time.monotonic() - started < 60       # not the minutes the cross join would take
    assert not (tmp_path / "rows.csv").exists()


def test_the_import_is_linear_in_the_text(tmp_path):
    """Many tasks: the line of every mention was counted from the start of the text (quadratic)."""
    from antitraffick_kg.plan.importer import import_plan

    def text(n: int) -> Path:
        lines = ["德宏州人民政府办公室关于印发德宏州反拐行动计划（2022—2030年）的通知", "一、预防犯罪"]
        lines += [f"{i}.加强第{i}项宣传教育工作。到2025年底前完成。（州公安局负责，州妇联配合）" for i in range(1, n + 1)]
        return _write(tmp_path, f"p{n}.txt", "\n".join(lines) + "\n")

    def seconds(path: Path) -> float:
        gc.collect()
        gc.disable()            # a collection falling in one run and not the other is not the import's cost
        try:
            started = time.process_time()
            plan = import_plan(path, strict=False)
            spent = time.process_time() - started
        finally:
            gc.enable()
        assert len(plan.tasks) > 0
        return spent

    # the two sizes in turn, the best of three each: a busy machine slows both alike, not one of them
    paths = text(1500), text(12000)
    times = [[seconds(path) for path in paths] for _ in range(3)]
    small, large = (min(t[i] for t in times) for i in range(2))
    assert large < 8 * small * 1.6, (small, large)       # 8 times the text: well under 8 * 8 times the time


# -- crashes ----------------------------------------------------------------------------------------------------
def test_report_on_a_workspace_plan_reads_its_source_from_the_workspace(tmp_path):
    """The report quoted the source from the installed package's folder of that id, which a new plan has not."""
    ws = tmp_path / "ws"
    shutil.copytree(ROOT / "tests" / "data" / "other-prefecture", ws / "other-prefecture")
    args = ["--plan", "other-prefecture", "--data-dir", str(ws), "--build-dir", str(tmp_path / "b")]
    built, _ = cli(["build", *args], cwd=tmp_path, limit=300)
    assert built.returncode == 0, built.stderr
    done, _ = cli(["report", *args, "--as-of", "2024-06-30", "--output-dir", str(tmp_path / "site")], cwd=tmp_path,
                  limit=300)
    assert done.returncode == 0 and done.stderr == "", done.stderr
    assert "as of 2024-06-30" in done.stdout
    source = (ws / "other-prefecture" / "source.txt").read_text(encoding="utf-8")
    line = next(text for text in source.splitlines() if len(text.strip()) > 12).strip()
    pages = "".join(p.read_text(encoding="utf-8") for p in (tmp_path / "site").rglob("*.html"))
    assert line[:12] in pages
