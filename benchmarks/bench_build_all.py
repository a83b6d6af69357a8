"""Time ``antitraffick-kg build --all-plans`` of a workspace of plans sized like Dehong's, through the installed
command, with one process and with one per core.

The workspace holds ``--plans`` copies of the bundled Dehong plan folder under ids of their own (each about 27,000
triples when built; plans of one jurisdiction, as two plans of one prefecture would be); with the bundled plan,
``build --all-plans`` builds ``--plans`` + 1 plans.  Each run starts from a new workspace (so every plan is built
and the store is new), as a new process of the installed command, once with ``--jobs 1`` and once with the
default (one process per core).  Prints, for each, the median, minimum and maximum wall time over the runs, the
plans per minute, the store's size on disk and the peak memory of the command and its worker processes (the
largest resident set seen), each with the load average read when the run ended; then the speed-up.

Run: python benchmarks/bench_build_all.py [--plans 10] [--runs 3]
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

DEHONG = "dehong-2022-2030"


def _command() -> list[str]:
    found = shutil.which("antitraffick-kg", path=str(Path(sys.executable).parent)) or shutil.which("antitraffick-kg")
    return [found] if found else [sys.executable, "-m", "antitraffick_kg"]


def _load() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def _workspace(root: Path, plans: int) -> Path:
    from antitraffick_kg.resources import data_path

    ws = root / "plans"
    for k in range(1, plans + 1):
        shutil.copytree(data_path(DEHONG), ws / f"copy-{k:03d}-2022-2030")
    return ws


def _size(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file() and not p.is_symlink())


def _run(jobs: list[str], plans: int) -> tuple[float, int, str]:
    with tempfile.TemporaryDirectory(prefix="bench-build-all-") as tmp:
        ws = _workspace(Path(tmp), plans)
        started = time.perf_counter()
        done = subprocess.run([*_command(), "build", "--all-plans", "--data-dir", str(ws), *jobs],
                              capture_output=True, text=True, cwd=tmp)
        elapsed = time.perf_counter() - started
        load = _load()
        if done.returncode != 0:
            sys.exit(f"build --all-plans {' '.join(jobs)}: exit {done.returncode}: {done.stderr.strip()[:300]}")
        if f": {plans + 1} plans" not in done.stdout:
            sys.exit(f"build --all-plans built other than {plans + 1} plans: {done.stdout.splitlines()[-1:]}")
        return elapsed, _size(ws / "build" / "store"), load


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--plans", type=int, default=10, help="copies of the Dehong plan in the workspace (10)")
    parser.add_argument("--runs", type=int, default=3, help="runs of each variant (3)")
    args = parser.parse_args()
    print(f"build --all-plans: {args.plans} copies of {DEHONG} + the bundled plan, {os.cpu_count()} cores, "
          f"{args.runs} runs each (load average before: {_load()})")
    medians = {}
    for name, jobs in (("1 process", ["--jobs", "1"]), ("one per core", [])):
        times, sizes, loads = [], [], []
        for _ in range(args.runs):
            elapsed, size, load = _run(jobs, args.plans)
            times.append(elapsed)
            sizes.append(size)
            loads.append(load)
        medians[name] = statistics.median(times)
        peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        print(f"{name:>13}: median {medians[name]:6.1f} s (min {min(times):.1f}, max {max(times):.1f}), "
              f"{60 * (args.plans + 1) / medians[name]:.1f} plans/min, store {max(sizes) / 2**20:.0f} MiB, "
              f"peak RSS of a process so far {peak:.0f} MiB  [load {'; '.join(loads)}]")
    print(f"speed-up with one process per core: {medians['1 process'] / medians['one per core']:.2f}x "
          f"[load {_load()}]")


if __name__ == "__main__":
    main()
