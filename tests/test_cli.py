"""The command line: one-line errors with documented exit codes, every command documented."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from antitraffick_kg.cli.main import main

from conftest import SOURCE

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")
#: the hand-written pages of the documentation site (the generated reference is checked in test_docs.py)
DOCS = "\n".join(p.read_text(encoding="utf-8") for p in sorted((ROOT / "docs").rglob("*.md")))


def run(*args: str):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def test_import_prints_what_it_read():
    result = run("import", str(SOURCE))
    assert result.exit_code == 0, result.output
    assert "德政办发〔2022〕3号" in result.output
    assert "tasks: 56" in result.output and "joint-meeting members: 36" in result.output
    assert "every line placed" in result.output


def test_import_without_corrections_lists_the_unplaced_lines(tmp_path):
    copy = tmp_path / "dehong.txt"
    copy.write_bytes(SOURCE.read_bytes())
    for name in ("plan.toml", "units.csv"):     # the plan folder without its corrections
        shutil.copyfile(SOURCE.parent / name, tmp_path / name)
    result = CliRunner().invoke(main, ["import", str(copy)])
    assert result.exit_code == 1
    assert f"{copy}:268:" in result.stderr and f"{copy}:274:" in result.stderr
    assert "2 line(s) could not be placed" in result.stderr


@pytest.mark.parametrize("args,message", [
    (["import", "missing.txt"], "missing.txt: file not found"),
    (["query", "no-such-query"], "unknown query 'no-such-query'"),
    (["build", "--plan", "nowhere"], "no plan 'nowhere'"),
])
def test_user_mistakes_are_one_line_with_exit_2(args, message):
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 2
    assert result.stderr.strip().count("\n") == 0
    assert message in result.stderr and "Traceback" not in result.stderr


def test_build_export_and_query(tmp_path):
    result = run("build", "--build-dir", str(tmp_path))
    assert result.exit_code == 0 and "56 tasks" in result.output
    out = tmp_path / "plan.nt"
    assert run("export", "-f", "nt", "-o", str(out), "--build-dir", str(tmp_path)).exit_code == 0
    assert out.read_bytes().count(b"\n") > 15000
    result = run("query", "assignments", "--build-dir", str(tmp_path), "--format", "csv")
    lines = result.output.splitlines()
    assert lines[0] == "task,unit,role,source"
    assert "4.4.4,州妇联,lead,table" in lines and "4.4.4,州妇联,support,narrative" in lines
    result = run("query", "milestones", "--build-dir", str(tmp_path), "--format", "csv")
    assert "4.1.3,deadline,2025," in result.output.splitlines()


def _commands():
    return sorted(main.commands)


@pytest.mark.parametrize("name", _commands())
def test_every_command_has_help_and_is_in_the_docs(name):
    assert main.commands[name].help
    assert re.search(rf"antitraffick-kg {name}\b", DOCS), name


def test_readme_starts_with_the_two_quick_start_commands():
    blocks = re.findall(r"```sh\n(.*?)\n```", README, re.S)
    assert "pip install ." in blocks[0] and "antitraffick-kg build" in blocks[0]
    assert "pip install '.[test]'" in blocks[1] and "pytest" in blocks[1]
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    test_command = blocks[1].split("&&")[-1].strip()
    assert test_command in ci


def test_installed_entry_point_runs():
    # the command installed beside the Python running the tests (another on PATH may be another install's)
    beside = Path(sys.executable).parent / "antitraffick-kg"
    exe = str(beside) if beside.is_file() else shutil.which("antitraffick-kg")
    assert exe, "no antitraffick-kg command installed"
    result = subprocess.run([exe, "--version"], capture_output=True, text=True, check=True)
    assert "version" in result.stdout


def test_every_command_module_is_registered():
    from antitraffick_kg.cli import main as cli

    package = Path(cli.__file__).parent
    assert sorted(cli.COMMAND_MODULES) == sorted(p.stem for p in package.glob("commands_*.py"))
