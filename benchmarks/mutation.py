"""Mutation testing of the modules where a silent bug costs most, one module at a time, with mutmut.

Not part of the test suite and not run in CI.  Install the tool with the
``mutation`` extra (``pip install -e '.[test,mutation]'``), then::

    python benchmarks/mutation.py                          # every module below
    python benchmarks/mutation.py store/policy.py          # one module

Each module is mutated in a scratch copy of the checkout (the working tree is
never touched), and only the test selection named for it below runs against
its mutants (mutmut then runs, per mutant, only the tests that reach the
mutated function).  The tool runs under ``nice`` with one worker unless
``--workers`` says otherwise.  The script prints, per module, the mutants
killed, those that survived, and the mutation score, with the load average
beside each figure; survivors are printed by name with their diff so they
can be killed by a test or explained in ``benchmarks/mutation-survivors.md``.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = "src/antitraffick_kg"

#: module -> the smallest test selection that covers it (pytest arguments, relative to the checkout)
SELECTIONS: dict[str, list[str]] = {
    "store/policy.py": ["tests/test_policy.py", "tests/test_boundaries.py", "tests/test_doctests.py",
                        "-k", "policy or service or exact_addresses"],
    "report/progress.py": ["tests/test_progress_output.py", "tests/test_boundaries.py",
                           "-k", "progress_output or obligation or due"],
    "store/push.py": ["tests/test_push_protocol.py", "tests/test_doctests.py::test_doctests[antitraffick_kg.store.push]"],
    "plan/timeline.py": ["tests/test_fidelity.py", "-k", "deadline or ongoing or recurring or target"],
    "plan/narrative.py": ["tests/test_narrative_reading.py", "tests/test_parse_reading.py",
                          "tests/test_parse_habits.py", "tests/test_properties.py", "tests/test_boundaries.py",
                          "tests/test_doctests.py::test_doctests[antitraffick_kg.plan.narrative]", "-k",
                          "narrative or parse_reading or parse_habits or properties or numeral or ninety_nine"],
    "plan/parse.py": ["tests/test_parse_reading.py", "tests/test_parse_habits.py", "tests/test_stops_short.py"],
    "plan/table.py": ["tests/test_parse_reading.py", "tests/test_parse_habits.py", "tests/test_stops_short.py",
                      "tests/test_table_only.py"],
    "plan/clauses.py": ["tests/test_clause_names.py", "tests/test_narrative_reading.py", "tests/test_parse_reading.py",
                        "tests/test_parse_habits.py", "tests/test_national_form.py",
                        "tests/test_doctests.py::test_doctests[antitraffick_kg.plan.clauses]"],
    "check/shacl_sparql.py": ["tests/test_fast_path.py",
                              "tests/test_validate.py::test_fast_path_refuses_what_it_cannot_compile"],
}
COPIED = ("src", "tests", "ontology", "queries", "data", "pyproject.toml", "README.md")
STATUS = re.compile(r"^\s*(\S+):\s+(killed|survived|timeout|suspicious|no tests|skipped|segfault|"
                    r"not checked|caught by type check)\s*$")


def load() -> str:
    one, five, fifteen = os.getloadavg()
    return f"load {one:.2f} {five:.2f} {fifteen:.2f}"


def scratch_copy(module: str, tests: list[str], folder: Path) -> None:
    """The checkout's sources, tests and data in ``folder``, with mutmut told to mutate ``module`` only."""
    for name in COPIED:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, folder / name, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
        else:
            shutil.copy2(source, folder / name)
    settings = "\n".join([
        "", "[tool.mutmut]",
        'source_paths = ["src"]',
        f'only_mutate = ["{PACKAGE}/{module}"]',
        'also_copy = ["ontology", "queries", "data", "README.md"]',
        f"pytest_add_cli_args_test_selection = {tests!r}".replace("'", '"'),
        'pytest_add_cli_args = ["-q", "-p", "no:randomly"]',
        "",
    ])
    with open(folder / "pyproject.toml", "a", encoding="utf-8") as out:
        out.write(settings)


def _survivors(folder: Path) -> list[str]:
    listing = subprocess.run([sys.executable, "-m", "mutmut", "results"], cwd=folder,
                             capture_output=True, text=True, check=True).stdout
    return [m.group(1) for m in map(STATUS.match, listing.splitlines()) if m and m.group(2) in ("survived", "no tests")]


def second_look(folder: Path) -> None:
    """Run every test of the selection on each survivor.

    mutmut runs on a mutant only the tests it saw call the mutated function,
    and it credits a call made while a module- or session-scoped fixture is
    set up to the first test that needed the fixture alone (the Dehong plan is
    imported once per session, so a mutant of the timeline rules would meet one
    test).  A survivor of that narrow run is run again with every test of the
    selection, so what survives has met them all.
    """
    names = _survivors(folder)
    if not names:
        return
    stats_file = folder / "mutants" / "mutmut-stats.json"
    stats = json.loads(stats_file.read_text(encoding="utf-8"))
    every = sorted(set().union(*map(set, stats["tests_by_mangled_function_name"].values())) | set(stats["duration_by_test"]))
    stats["tests_by_mangled_function_name"] = {f: every for f in stats["tests_by_mangled_function_name"]}
    stats_file.write_text(json.dumps(stats), encoding="utf-8")
    done = subprocess.run(["nice", "-n", "19", sys.executable, "-m", "mutmut", "run", "--max-children", "1", *names],
                          cwd=folder, capture_output=True, text=True)
    if done.returncode != 0:
        print(done.stdout[-3000:], done.stderr[-3000:], sep="\n")
        raise SystemExit("mutmut failed on the second look at the survivors")


def run_module(module: str, *, workers: int, keep: bool, again: Path | None = None,
               only: list[str] | None = None) -> dict[str, list[str]]:
    """Mutate ``module`` and run its tests on each mutant; with ``again`` (a scratch copy kept by an earlier
    run), copy the current tests into it and run only the mutants that survived there; with ``only``, run only
    the mutants whose names match one of these patterns (``*`` as in mutmut)."""
    tests = SELECTIONS[module]
    folder = again or Path(tempfile.mkdtemp(prefix="mutation-"))
    try:
        names: list[str] = list(only or [])
        if again is None:
            scratch_copy(module, tests, folder)
        else:
            names = _survivors(folder)
            for name in ("tests", "mutants/tests"):
                shutil.rmtree(folder / name)
                shutil.copytree(ROOT / "tests", folder / name, ignore=shutil.ignore_patterns("__pycache__"))
        started = time.monotonic()
        done = subprocess.run(["nice", "-n", "19", sys.executable, "-m", "mutmut", "run",
                               "--max-children", str(workers), *names], cwd=folder, capture_output=True, text=True)
        if done.returncode != 0:
            print(done.stdout[-3000:], done.stderr[-3000:], sep="\n")
            raise SystemExit(f"mutmut failed on {module}")
        second_look(folder)
        took = time.monotonic() - started
        listing = subprocess.run([sys.executable, "-m", "mutmut", "results", "--all", "true"], cwd=folder,
                                 capture_output=True, text=True, check=True).stdout
        by_status: dict[str, list[str]] = {}
        for line in listing.splitlines():
            m = STATUS.match(line)
            if m:
                by_status.setdefault(m.group(2), []).append(m.group(1))
        killed = len(by_status.get("killed", [])) + len(by_status.get("timeout", [])) + len(
            by_status.get("caught by type check", []))
        total = sum(len(v) for k, v in by_status.items() if k != "not checked")
        survived = by_status.get("survived", []) + by_status.get("no tests", [])
        score = 100.0 * killed / total if total else 0.0
        unrun = len(by_status.get("not checked", []))
        print(f"{module}: {total} mutants run{f' (and {unrun} not run)' if unrun else ''}, {killed} killed, {len(survived)} survived "
              f"({', '.join(f'{k} {len(v)}' for k, v in sorted(by_status.items()))}); "
              f"score {score:.1f}%; {took:.0f} s; {load()}", flush=True)
        for name in survived:
            diff = subprocess.run([sys.executable, "-m", "mutmut", "show", name], cwd=folder,
                                  capture_output=True, text=True).stdout
            print(f"--- survivor {name}\n{diff.rstrip()}", flush=True)
        return by_status
    finally:
        if keep:
            print(f"scratch copy kept in {folder}", file=sys.stderr)
        else:
            shutil.rmtree(folder, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("modules", nargs="*", metavar="MODULE",
                        help=f"modules under {PACKAGE} (default: {', '.join(SELECTIONS)})")
    parser.add_argument("--workers", type=int, default=1, help="mutants run at once (default 1)")
    parser.add_argument("--keep", action="store_true", help="keep each scratch copy, to inspect mutants")
    parser.add_argument("--again", type=Path, metavar="FOLDER",
                        help="a scratch copy kept by --keep: rerun its survivors against the current tests")
    parser.add_argument("--only", action="append", metavar="PATTERN",
                        help="run only the mutants whose names match (e.g. '*x_status__mutmut_*'); repeatable")
    args = parser.parse_args()
    unknown = [m for m in args.modules if m not in SELECTIONS]
    if unknown:
        parser.error(f"no test selection for {', '.join(unknown)}; known: {', '.join(SELECTIONS)}")
    if args.again is not None and len(args.modules) != 1:
        parser.error("--again needs the one module its scratch copy was made for")
    for module in args.modules or list(SELECTIONS):
        run_module(module, workers=args.workers, keep=args.keep or args.again is not None, again=args.again,
                   only=args.only)


if __name__ == "__main__":
    main()
