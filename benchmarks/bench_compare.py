"""Time the comparison report: ``report --all-plans`` over Dehong, a second prefecture made with ``new`` (the
sibling plan of the tests, aligned to the Yunnan plan) and ``--copies`` copies of the Dehong plan folder under ids
of their own, in a workspace built with ``build --all-plans``.

Prints, each with the load average read when it ended: the build; the comparison's questions alone
(:func:`antitraffick_kg.report.compare.compare`, in this process, median, minimum and maximum of ``--runs``); and
the whole ``report --all-plans`` (every plan's site and the comparison) as a new process of the installed command,
median, minimum and maximum of ``--runs``, with the size of the site written.

Run: python benchmarks/bench_compare.py [--copies 1] [--runs 3]
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

DEHONG, SIB = "dehong-2022-2030", "sibling-2023-2030"
SIBLING = Path(__file__).resolve().parent.parent / "tests" / "data" / "linking" / "sibling-prefecture.txt"
AS_OF = "2024-06-30"


def _command() -> list[str]:
    found = shutil.which("antitraffick-kg", path=str(Path(sys.executable).parent)) or shutil.which("antitraffick-kg")
    return [found] if found else [sys.executable, "-m", "antitraffick_kg"]


def _load() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def _run(*args: str, cwd: Path) -> float:
    started = time.perf_counter()
    done = subprocess.run([*_command(), *args], capture_output=True, text=True, cwd=cwd)
    if done.returncode != 0:
        sys.exit(f"{' '.join(args[:2])} failed: {done.stderr.strip()}")
    return time.perf_counter() - started


def _workspace(root: Path, copies: int) -> Path:
    from antitraffick_kg.resources import data_path

    ws = root / "plans"
    ws.mkdir()
    shutil.copy(SIBLING, ws / "sibling.txt")
    _run("new", SIB, "--source", str(ws / "sibling.txt"), "--title", "某某州反对拐卖人口行动计划实施方案（2023—2030年）",
         "--level", "prefecture", "--jurisdiction", "999907", "--period", "2023-2030", "--implements",
         "yunnan-2021-2030", "--data-dir", str(ws), cwd=root)
    _run("align", SIB, "yunnan-2021-2030", "--data-dir", str(ws), "-o", str(ws / SIB / "sibling--yunnan.sssom.tsv"),
         cwd=root)
    for k in range(1, copies + 1):
        shutil.copytree(data_path(DEHONG), ws / f"copy-{k:03d}-2022-2030")
    return ws


def _figures(times: list[float]) -> str:
    return f"median {statistics.median(times):.2f} s (min {min(times):.2f}, max {max(times):.2f}, {len(times)} runs)"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--copies", type=int, default=1, help="copies of the Dehong plan folder in the workspace")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    from antitraffick_kg.report.compare import compare
    from antitraffick_kg.resources import ENV_DATA_DIR
    from antitraffick_kg.store.corpus import Corpus

    with tempfile.TemporaryDirectory(prefix="bench-compare-") as tmp:
        root = Path(tmp)
        ws = _workspace(root, args.copies)
        took = _run("build", "--all-plans", "--data-dir", str(ws), cwd=root)
        corpus = Corpus.open(ws / "build" / "store")
        plans = list(corpus.plans)
        print(f"build --all-plans, {len(plans)} plans: {took:.2f} s (load {_load()})")
        os.environ[ENV_DATA_DIR] = str(ws)
        times = []
        for _ in range(args.runs):
            started = time.perf_counter()
            facts = compare(plans=plans, corpus=corpus, as_of=dt.date.fromisoformat(AS_OF))
            times.append(time.perf_counter() - started)
        print(f"the comparison's questions ({len(facts.measures)} measures x {len(plans)} plans, "
              f"{len(facts.functions)} functions): {_figures(times)} (load {_load()})")
        times = []
        for k in range(args.runs):
            out = root / f"site-{k}"
            times.append(_run("report", "--all-plans", "--data-dir", str(ws), "--as-of", AS_OF, "--output-dir",
                              str(out), cwd=root))
        size = sum(p.stat().st_size for p in out.rglob("*") if p.is_file())
        print(f"report --all-plans, {len(plans)} sites and their comparison, new process: {_figures(times)}, "
              f"{size / 1e6:.1f} MB written (load {_load()})")


if __name__ == "__main__":
    main()
