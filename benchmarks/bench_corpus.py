"""Time to the first answer from a new process, answered from the corpus store (no import, no build).

Builds the bundled plan and the other-prefecture test plan into one corpus store (skipped when that store
already holds them, fresh), then starts, N times, a new Python process that runs
``antitraffick-kg query tasks-by-unit -p unit=州妇联`` against it, and prints the wall time of each run (process
start to exit, as a user sees it), their median, and the in-process time of the same per-plan question.

Run: python benchmarks/bench_corpus.py [--runs 7] [--store DIR]
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _prepare(store: Path, workspace: Path) -> None:
    from antitraffick_kg import find_plan
    from antitraffick_kg.errors import InputError
    from antitraffick_kg.pipeline.build import store_plans
    from antitraffick_kg.pipeline.sources import open_corpus

    shutil.copytree(ROOT / "tests" / "data" / "other-prefecture", workspace / "other-prefecture", dirs_exist_ok=True)
    plans = [find_plan("dehong-2022-2030"), find_plan("other-prefecture", data_dir=workspace)]
    try:
        open_corpus(store, plans=plans)
    except InputError:
        started = time.perf_counter()
        store_plans(plans, store=store)
        print(f"built 2 plans into {store} in {time.perf_counter() - started:.1f} s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--store", type=Path, default=None, help="corpus store to use (default: a temporary one)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        store = args.store or Path(tmp) / "store"
        _prepare(store, Path(tmp) / "ws")
        command = [sys.executable, "-m", "antitraffick_kg", "query", "tasks-by-unit", "-p", "unit=州妇联",
                   "--store", str(store), "-f", "csv"]
        times = []
        for _ in range(args.runs):
            started = time.perf_counter()
            done = subprocess.run(command, capture_output=True, text=True)
            times.append(time.perf_counter() - started)
            if done.returncode != 0:
                sys.exit(done.stderr.strip())
        rows = len(done.stdout.splitlines()) - 1
        print(f"first answer from a new process ({rows} rows): "
              + ", ".join(f"{t:.3f}" for t in times) + f" s; median {statistics.median(times):.3f} s")

        from antitraffick_kg import open_corpus, query

        corpus = open_corpus(store)
        query("tasks-by-unit", params={"unit": "州妇联"}, corpus=corpus, plan="dehong-2022-2030")   # warm
        inner = []
        for _ in range(50):
            started = time.perf_counter()
            query("tasks-by-unit", params={"unit": "州妇联"}, corpus=corpus, plan="dehong-2022-2030")
            inner.append(time.perf_counter() - started)
        print(f"the same question in process, store open: median {statistics.median(inner) * 1000:.1f} ms")


if __name__ == "__main__":
    main()
