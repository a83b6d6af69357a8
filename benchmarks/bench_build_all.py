"""Time ``antitraffick-kg build --all-plans`` of a workspace of plans sized like Dehong's, through the installed
command, with one process and with one per core.

The workspace holds ``--plans`` copies of the bundled Dehong plan folder under ids of their own (each about 27,000
triples when built; plans of one jurisdiction, as two plans of one prefecture would be); with the bundled plan,
``build --all-plans`` builds ``--plans`` + 1 plans.  Each run starts from a new workspace (so every plan is built
and the store is new), as a new process of the installed command, once with ``--jobs 1`` and once with the
default (one process per core); ``--variants`` runs only one of them.  Prints, for each, the median, minimum and
maximum wall time over the runs, the plans per minute, the disk used by the store (as ``du`` counts it: blocks
allocated, a file its generations share once) and by the whole workspace, and the peak memory of the command and
its worker processes (the largest resident set seen), each with the load average read when the run ended; then the
speed-up when both variants ran.

Run: python benchmarks/bench_build_all.py [--plans 10] [--runs 3] [--variants both|one-process|per-core]
     100 plans sized like Dehong's, one run of each: --plans 100 --runs 1 (about 27M triples in the store)
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

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_scale import disk_used  # noqa: E402 (the disk a folder takes, as du counts it)

DEHONG = "dehong-2022-2030"
VARIANTS = {"one-process": ("1 process", ["--jobs", "1"]), "per-core": ("one per core", [])}


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


def _run(jobs: list[str], plans: int) -> tuple[float, int, int, str]:
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
        return elapsed, disk_used(ws / "build" / "store"), disk_used(ws), load


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--plans", type=int, default=10, help="copies of the Dehong plan in the workspace (10)")
    parser.add_argument("--runs", type=int, default=3, help="runs of each variant (3)")
    parser.add_argument("--variants", choices=("both", *VARIANTS), default="both",
                        help="build with one process (--jobs 1), with one per core (the default), or both (both)")
    args = parser.parse_args()
    chosen = list(VARIANTS) if args.variants == "both" else [args.variants]
    print(f"build --all-plans: {args.plans} copies of {DEHONG} + the bundled plan, {os.cpu_count()} cores, "
          f"{args.runs} runs each (load average before: {_load()})", flush=True)
    medians = {}
    for variant in chosen:
        name, jobs = VARIANTS[variant]
        times, sizes, spaces, loads = [], [], [], []
        for _ in range(args.runs):
            elapsed, size, space, load = _run(jobs, args.plans)
            times.append(elapsed)
            sizes.append(size)
            spaces.append(space)
            loads.append(load)
        medians[name] = statistics.median(times)
        peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        print(f"{name:>13}: median {medians[name]:6.1f} s (min {min(times):.1f}, max {max(times):.1f}), "
              f"{60 * (args.plans + 1) / medians[name]:.1f} plans/min, disk used by the store {max(sizes) / 2**20:.0f} "
              f"MiB (workspace {max(spaces) / 2**20:.0f} MiB), peak RSS of a process so far {peak:.0f} MiB  "
              f"[load {'; '.join(loads)}]", flush=True)
    if len(medians) == 2:
        print(f"speed-up with one process per core: {medians['1 process'] / medians['one per core']:.2f}x "
              f"[load {_load()}]")


if __name__ == "__main__":
    main()
