"""Run the code examples of the documentation (``docs/**/*.md`` and ``README.md``) as tests, with Sybil.

* ```` ```python ```` blocks are doctests (``>>>`` lines and the output they print);
* ```` ```sh ```` blocks run each ``antitraffick-kg`` command through the CLI (``CliRunner``), and require exit 0;
  the setup a fresh machine needs (``python3 -m venv``, activating it, ``pip install``) is what the test
  environment already did, so it is passed over; any other command is refused: the block must be marked
  ``<!-- skip: next "reason" -->`` with a reason a reader accepts (``mkdir`` is done in the working folder);
* ```` ```console ```` blocks are ``$ command`` lines followed by the output they print (standard output and
  error), compared line by line (``...`` stands for any text, as in doctest).

Each document runs in a working folder of its own holding copies of ``data/``, ``queries/`` and ``tests/data/`` (so relative
paths in the examples resolve as in a checkout) and the plan's ``build/``; nothing in the checkout is written.
"""

from __future__ import annotations

import contextlib
import doctest
import os
import shlex
import shutil
from pathlib import Path

from click.testing import CliRunner
from sybil import Sybil
from sybil.parsers.markdown import CodeBlockParser, PythonCodeBlockParser, SkipParser

from antitraffick_kg.cli.main import main

ROOT = Path(__file__).resolve().parent.parent
#: setup commands of a fresh machine, already done in the test environment
SETUP = (("python3", "-m", "venv"), ("python", "-m", "venv"), (".", ".venv/bin/activate"),
         ("source", ".venv/bin/activate"), ("pip", "install"), ("python", "-m", "pip", "install"))
FLAGS = doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE


def documents() -> list[Path]:
    """Every Markdown file with examples: the README and the pages of the site (generated ones are not in docs/)."""
    return [ROOT / "README.md", *sorted((ROOT / "docs").rglob("*.md"))]


def _commands(block: str) -> list[list[str]]:
    """The commands of a shell block: continuation lines joined, comments dropped, ``&&`` chains split."""
    commands: list[list[str]] = []
    for line in block.replace("\\\n", " ").splitlines():
        current: list[str] = []
        for token in shlex.split(line, comments=True):
            if token == "&&":
                commands.append(current)
                current = []
            else:
                current.append(token)
        if current:
            commands.append(current)
    return commands


def run_cli(args: list[str]):
    """One ``antitraffick-kg`` command, in the current folder; the result of ``CliRunner.invoke``."""
    return CliRunner().invoke(main, args)


def _run_shell(example) -> None:
    for command in _commands(example.parsed):
        if command[0] == "antitraffick-kg":
            result = run_cli(command[1:])
            assert result.exit_code == 0, f"{shlex.join(command)}: exit {result.exit_code}\n{result.output}"
        elif command[0] == "mkdir":
            for folder in command[1:]:
                if folder != "-p":
                    Path(folder).mkdir(parents=True, exist_ok=True)
        elif not any(tuple(command[:len(s)]) == s for s in SETUP):
            raise AssertionError(f"{shlex.join(command)}: the suite cannot run this; mark the block "
                                 '<!-- skip: next "reason" --> with the reason')


def _console_steps(block: str) -> list[tuple[list[str], str]]:
    steps: list[tuple[list[str], str]] = []
    command, want = None, []
    lines = iter(block.splitlines())
    for line in lines:
        if line.startswith("$ "):
            if command is not None:
                steps.append((command, "\n".join(want)))
            text = line[2:]
            while text.endswith("\\"):
                text = text[:-1] + " " + next(lines).strip()
            command, want = shlex.split(text, comments=True), []
        else:
            want.append(line)
    if command is not None:
        steps.append((command, "\n".join(want)))
    return steps


def _run_console(example) -> None:
    steps = _console_steps(example.parsed)
    assert steps, "a console block without a $ command"
    checker = doctest.OutputChecker()
    for command, want in steps:
        assert command[0] == "antitraffick-kg", f"{shlex.join(command)}: only antitraffick-kg runs here"
        got = "\n".join(line.rstrip() for line in run_cli(command[1:]).output.splitlines())
        want = "\n".join(line.rstrip() for line in want.strip("\n").splitlines())
        assert checker.check_output(want + "\n", got.strip("\n") + "\n", doctest.ELLIPSIS), (
            f"$ {shlex.join(command)}\n--- the page shows:\n{want}\n--- the command printed:\n{got}")


SYBIL = Sybil(parsers=[PythonCodeBlockParser(doctest_optionflags=FLAGS),
                       CodeBlockParser(language="sh", evaluator=_run_shell),
                       CodeBlockParser(language="console", evaluator=_run_console),
                       SkipParser()])


@contextlib.contextmanager
def workdir(folder: Path, build_dir: Path):
    """A working folder like a checkout: copies of data/, queries/ and tests/data/, and the plan's build/."""
    for name in ("data", "queries"):
        shutil.copytree(ROOT / name, folder / name)
    shutil.copytree(ROOT / "tests" / "data", folder / "tests" / "data")
    shutil.copytree(build_dir, folder / "build", symlinks=True)   # the store's current generation is a link
    before = Path.cwd()
    os.chdir(folder)
    try:
        yield folder
    finally:
        os.chdir(before)


def build_site(config_file: Path, site_dir: Path) -> None:
    """``mkdocs build --strict`` in-process, from the folder of ``config_file`` (as a developer runs it).

    Raises ``mkdocs.exceptions.Abort`` when the build warns: a broken link or anchor, a page missing from the nav,
    a reference mkdocstrings cannot resolve.
    """
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    before = Path.cwd()
    os.chdir(config_file.parent)
    try:
        build(load_config(str(config_file), strict=True, site_dir=str(site_dir)))
    finally:
        os.chdir(before)
