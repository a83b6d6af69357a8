"""Time the questions that read several plans at once: ``counterparts`` finding a unit's siblings in every other
plan of the store, and ``tasks-by-unit`` by unit function across every plan with the upper-level extracts.

For each corpus size (generated plans, benchmarks/gen_corpus.py, written into a corpus store as a build does) it
prints, each with the load average read when it ended:

* ``counterparts`` of a prefecture plan's 州妇联 in process, the store open (median over up to 10 prefecture
  plans of the median of --runs; a generated corpus has one prefecture plan in 30, the others counties), as the library asks it (on disk, every plan's graphs as named graphs), beside the same SPARQL on a copy
  of the plan's graphs in memory (how it was asked before siblings were read: it finds none), with the sibling rows
  found;
* ``tasks-by-unit --all-plans -p function=womens-federation -p role=support`` in process (median of --runs), with
  its rows, the plans answering and the notes, and the same with every plan of the store listed (which asks no
  upper-level extract);
* the first answer of ``counterparts`` of one plan from a new process, through the library (median of --runs).

Run: python benchmarks/bench_siblings.py [--sizes 1,100,1000] [--runs 5] [--function-sizes 1,100] [--out DIR]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

SAMPLE = 10
NAME = "州妇联"


def _load() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def _median(job, runs: int) -> float:
    job()                                                       # warm
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        job()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


_ONE_PLAN = """import sys
from antitraffick_kg import query
from antitraffick_kg.store.corpus import Corpus
rows = query("counterparts", params={"unit": sys.argv[2]}, corpus=Corpus.open(sys.argv[1]), plan=sys.argv[3])
print(len(rows.rows))
"""


def measure(n: int, work: Path, *, runs: int, function: bool) -> None:
    import gen_corpus

    from antitraffick_kg.ask.catalogue import get_query
    from antitraffick_kg.ask.params import bind_parameters
    from antitraffick_kg.ask.query import query
    from antitraffick_kg.store.corpus import Corpus
    from antitraffick_kg.store.stores import OxigraphStore

    plans = gen_corpus.ensure_generated(work / "plans", n)
    store = work / f"store-{n}"
    if not store.exists():
        started = time.perf_counter()
        gen_corpus.write_store(store, ((p["plan"], Path(p["file"]).read_bytes()) for p in plans))
        print(f"{n:>5} plans: store written in {time.perf_counter() - started:.1f} s  (load {_load()})")
    corpus = Corpus.open(store)
    prefectures = [p["plan"] for p in plans if p["level"] == "prefecture"]    # each names its unit 州妇联
    chosen = prefectures[::max(1, len(prefectures) // SAMPLE)][:SAMPLE]
    q = get_query("counterparts")
    asked, before, siblings = [], [], []
    for plan in chosen:
        asked.append(_median(lambda: query("counterparts", params={"unit": NAME}, corpus=corpus, plan=plan), runs))
        rows = query("counterparts", params={"unit": NAME}, corpus=corpus, plan=plan)
        siblings.append(sum(1 for r in rows if r["reason"].startswith("sibling plan ")))
        memory = OxigraphStore(corpus.memory(plan))
        bindings = bind_parameters(q, {"unit": NAME}, store=lambda: memory)
        before.append(_median(lambda: memory.select(q.text, bindings=bindings), runs))
    print(f"{n:>5} plans: counterparts per plan (median of {len(chosen)} plans): {statistics.median(asked) * 1000:.1f} ms"
          f" with siblings ({statistics.median(siblings):.0f} sibling rows), "
          f"{statistics.median(before) * 1000:.1f} ms on the plan's graphs in memory (no siblings)  (load {_load()})")
    params = {"function": "womens-federation", "role": "support"}
    if not function:
        print(f"{n:>5} plans: tasks-by-unit --all-plans function=womens-federation: not asked at this size "
              "(--function-sizes)")
    else:
        seconds = _median(lambda: query("tasks-by-unit", params=params, corpus=corpus), runs)
        result = query("tasks-by-unit", params=params, corpus=corpus)
        print(f"{n:>5} plans: tasks-by-unit --all-plans function=womens-federation: {seconds * 1000:.1f} ms, "
              f"{len(result)} rows from {len({r['plan'] for r in result})} plans, {len(result.notes)} note(s)  "
              f"(load {_load()})")
        listed = _median(lambda: query("tasks-by-unit", params=params, corpus=corpus, plans=list(corpus.plans)),
                         runs)
        print(f"{n:>5} plans: the same with every plan listed (no upper-level extract asked; one plan: its own "
              f"question): {listed * 1000:.1f} ms  (load {_load()})")
    command = [sys.executable, "-c", _ONE_PLAN, str(store), NAME, chosen[0]]
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        done = subprocess.run(command, capture_output=True, text=True, cwd=work)
        times.append(time.perf_counter() - started)
        if done.returncode != 0:
            raise SystemExit(done.stderr)
    print(f"{n:>5} plans: first answer of counterparts of one plan from a new process (the library; the command "
          f"looks --plan up among plan folders): {statistics.median(times):.2f} s "
          f"(median of {runs})  (load {_load()})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1,100,1000")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--out", type=Path, default=None, help="folder for the generated plans and stores (kept)")
    parser.add_argument("--function-sizes", default="1,100",
                        help="sizes at which the function is asked across every plan (seconds per run above)")
    args = parser.parse_args()
    function_sizes = {int(s) for s in args.function_sizes.split(",") if s}
    work = args.out or Path(tempfile.mkdtemp(prefix="bench-siblings-"))
    work.mkdir(parents=True, exist_ok=True)
    for n in (int(s) for s in args.sizes.split(",")):
        measure(n, work, runs=args.runs, function=n in function_sizes)


if __name__ == "__main__":
    main()
