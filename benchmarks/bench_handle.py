"""What the handle costs: the same questions through ``atk.open_corpus``/``atk.remote`` and through the free
functions, and the first answer through the handle from a new process.

Builds the bundled plan and the other-prefecture test plan into a temporary corpus store, then times (medians,
each printed with the 1-minute load average beside it):

* a per-plan question (``tasks-by-unit``, unit 州妇联) through ``corpus.plan(id).query`` and through ``atk.query``;
* the question across both plans through ``corpus.query`` and through ``atk.query(plans="all")``;
* a new process that imports the package, opens the handle and answers the per-plan question (start to exit);
* with ``--remote``: a stock ``oxigraph serve`` on 127.0.0.1 (the binary the package uses), both plans pushed, the
  per-plan question through ``atk.remote(url).plan(id).query``, and the Dehong plan read from it and validated.

Run: python benchmarks/bench_handle.py [--runs 20] [--remote]
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

ROOT = Path(__file__).resolve().parent.parent
PLAN, OTHER = "dehong-2022-2030", "other-prefecture"
PARAMS = {"unit": "州妇联"}


def _load() -> str:
    return f"load {os.getloadavg()[0]:.2f}"


def _median_ms(run, runs: int) -> float:
    run()                                                    # warm: the first question copies the plan into memory
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        run()
        times.append(time.perf_counter() - started)
    return statistics.median(times) * 1000


def _build(root: Path) -> Path:
    import antitraffick_kg as atk
    from antitraffick_kg.pipeline.build import store_plans

    shutil.copytree(ROOT / "tests" / "data" / OTHER, root / "ws" / OTHER)
    started = time.perf_counter()
    store_plans([atk.find_plan(PLAN), atk.find_plan(OTHER, data_dir=root / "ws")], store=root / "store")
    print(f"built {PLAN} and {OTHER} into one store: {time.perf_counter() - started:.1f} s ({_load()})")
    return root / "store"


def _remote(store: Path, root: Path, runs: int) -> None:
    import antitraffick_kg as atk
    from antitraffick_kg.pipeline.sources import plan_nquads
    from antitraffick_kg.store.corpus import Corpus
    from antitraffick_kg.store.push import push
    from antitraffick_kg.store.stores import free_port, oxigraph_binary

    port = free_port("127.0.0.1")
    url = f"http://127.0.0.1:{port}/query"
    with open(root / "server.log", "wb") as log:
        server = subprocess.Popen([str(oxigraph_binary()), "serve", "--location", str(root / "db"), "--bind",
                                   f"127.0.0.1:{port}"], stdout=log, stderr=log, stdin=subprocess.DEVNULL)
    try:
        held = Corpus.open(store)
        for attempt in range(100):                           # up to 20 s for the server to listen
            try:
                for plan in held.plans:
                    push(plan_nquads(plan, corpus=held), endpoint=url, journal=root / "journal.json")
                break
            except atk.EndpointError:
                if attempt == 99:
                    raise
                time.sleep(0.2)
        far = atk.remote(url, timeout=60)
        plan = far.plan(PLAN)
        print(f"remote, per-plan question through the handle: median {_median_ms(lambda: plan.query('tasks-by-unit', **PARAMS), runs):.1f} ms ({_load()})")
        started = time.perf_counter()
        result = plan.validate()
        print(f"remote, {PLAN} read from the server and validated: {time.perf_counter() - started:.2f} s, "
              f"conforms {result.conforms} ({_load()})")
    finally:
        server.terminate()
        server.wait(timeout=30)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--remote", action="store_true", help="also over a stock oxigraph serve on 127.0.0.1")
    args = parser.parse_args()
    import antitraffick_kg as atk

    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        store = _build(root)
        corpus = atk.open_corpus(store)
        plan = corpus.plan(PLAN)
        handle = _median_ms(lambda: plan.query("tasks-by-unit", **PARAMS), args.runs)
        print(f"per-plan question through the handle: median {handle:.2f} ms ({_load()})")
        free = _median_ms(lambda: atk.query("tasks-by-unit", params=PARAMS, corpus=corpus, plan=PLAN), args.runs)
        print(f"per-plan question through atk.query: median {free:.2f} ms ({_load()})")
        every = _median_ms(lambda: corpus.query("tasks-by-unit", **PARAMS), args.runs)
        print(f"question across both plans through the handle: median {every:.2f} ms ({_load()})")
        free = _median_ms(lambda: atk.query("tasks-by-unit", params=PARAMS, corpus=corpus, plans="all"), args.runs)
        print(f"question across both plans through atk.query: median {free:.2f} ms ({_load()})")
        script = ("import antitraffick_kg as atk; import sys; "
                  f"rows = atk.open_corpus({str(store)!r}).plan({PLAN!r}).query('tasks-by-unit', unit='州妇联'); "
                  "sys.exit(0 if len(rows) else 1)")
        times = []
        for _ in range(5):
            started = time.perf_counter()
            subprocess.run([sys.executable, "-c", script], check=True)
            times.append(time.perf_counter() - started)
        print(f"first answer through the handle from a new process: median {statistics.median(times):.3f} s "
              f"of 5 ({_load()})")
        if args.remote:
            _remote(store, root, args.runs)


if __name__ == "__main__":
    main()
