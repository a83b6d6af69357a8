"""Time the README's first command, step by step, as a new user runs it (after ``pip install .``).

Each run starts in a new empty folder and runs, each as a new process of the installed command:
``antitraffick-kg build``, ``antitraffick-kg validate`` (the default engine) and the example question
``antitraffick-kg query tasks-by-unit --param unit=州妇联 --param role=support --param place=边境地区``.
With ``--reference`` it also times ``antitraffick-kg validate --engine pyshacl`` on the same build, the engine
that was the default before. Prints every step's median, minimum and maximum over the runs, each with the load
average read when the step ended, and the whole command's median.

Run: python benchmarks/bench_quickstart.py [--runs 3] [--reference]
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

QUESTION = ["query", "tasks-by-unit", "--param", "unit=州妇联", "--param", "role=support", "--param", "place=边境地区"]
STEPS = {"build": ["build"], "validate": ["validate"], "question": QUESTION}


def _command() -> list[str]:
    found = shutil.which("antitraffick-kg", path=str(Path(sys.executable).parent)) or shutil.which("antitraffick-kg")
    return [found] if found else [sys.executable, "-m", "antitraffick_kg"]


def _load() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def _step(command: list[str], folder: Path) -> float:
    started = time.perf_counter()
    done = subprocess.run(command, cwd=folder, capture_output=True, text=True)
    elapsed = time.perf_counter() - started
    if done.returncode != 0:
        sys.exit(f"{' '.join(command[1:])}: exit {done.returncode}: {done.stderr.strip()[:300]}")
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3, help="how many times to run the whole command (default 3)")
    parser.add_argument("--reference", action="store_true", help="also time validate --engine pyshacl")
    args = parser.parse_args()
    steps = dict(STEPS)
    if args.reference:
        steps["validate --engine pyshacl"] = ["validate", "--engine", "pyshacl"]
    base = _command()
    times: dict[str, list[float]] = {name: [] for name in steps}
    loads: dict[str, list[str]] = {name: [] for name in steps}
    totals = []
    for run in range(args.runs):
        with tempfile.TemporaryDirectory() as tmp:
            total = 0.0
            for name, words in steps.items():
                elapsed = _step(base + words, Path(tmp))
                times[name].append(elapsed)
                loads[name].append(_load())
                if name in STEPS:
                    total += elapsed
            totals.append(total)
            print(f"run {run + 1}: " + ", ".join(f"{name} {times[name][-1]:.2f} s" for name in steps)
                  + f" (load average {_load()})")
    for name in steps:
        values = times[name]
        print(f"{name:<26} median {statistics.median(values):7.2f} s  (min {min(values):.2f}, max {max(values):.2f},"
              f" n={len(values)}; load average at each end: {' | '.join(loads[name])})")
    print(f"{'README first command':<26} median {statistics.median(totals):7.2f} s  (build + validate + question,"
          f" n={len(totals)}; load average now {_load()})")


if __name__ == "__main__":
    main()
