"""Latency of every catalogue query on each store, and the cold start of the CLI answering one query.

Stores: embedded pyoxigraph (the default), rdflib, and a real read-only oxigraph server on 127.0.0.1 reached
over HTTP (skipped when the oxigraph server is not installed).  Each query runs with the example parameters of
its header; the figure is the median of --repeat runs after one warm-up, including parameter resolution.
The cold start is the wall time of a new `antitraffick-kg query tasks-by-unit …` process on a fresh build;
it should stay under one second.

Run: python benchmarks/bench_queries.py [--repeat N] [--cold N] [--build-dir DIR] [--no-remote]
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from contextlib import ExitStack
from pathlib import Path

from antitraffick_kg.ask.catalogue import catalogue
from antitraffick_kg.errors import EndpointError
from antitraffick_kg.pipeline.build import build_plan
from antitraffick_kg.ask.query import query
from antitraffick_kg.pipeline.sources import open_store, serve_plan
from antitraffick_kg.store.stores import RemoteStore

EXAMPLE = ["tasks-by-unit", "-p", "unit=州妇联", "-p", "role=support", "-p", "place=边境地区", "-f", "csv"]


def timed(action) -> tuple[float, object]:
    started = time.perf_counter()
    value = action()
    return time.perf_counter() - started, value


def latency(name: str, params: dict[str, str], store, repeat: int) -> float:
    query(name, params=params, store=store)
    return statistics.median(timed(lambda: query(name, params=params, store=store))[0] for _ in range(repeat))


def cold_start(build_dir: Path, runs: int) -> list[float]:
    command = shutil.which("antitraffick-kg", path=str(Path(sys.executable).parent)) or shutil.which("antitraffick-kg")
    if command is None:
        raise SystemExit("the antitraffick-kg command is not installed")
    times = []
    for _ in range(runs):
        seconds, done = timed(lambda: subprocess.run([command, "query", *EXAMPLE, "--build-dir", str(build_dir)],
                                                     capture_output=True, text=True))
        if done.returncode != 0 or "7.6" not in done.stdout:
            raise SystemExit(f"the CLI did not answer: {done.stderr.strip()}")
        times.append(seconds)
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=7, help="runs per query and store (median)")
    parser.add_argument("--cold", type=int, default=5, help="CLI processes to time")
    parser.add_argument("--build-dir", type=Path, help="a build folder to use (default: a fresh temporary build)")
    parser.add_argument("--no-remote", action="store_true", help="skip the served endpoint")
    args = parser.parse_args()
    with ExitStack() as stack:
        build_dir = args.build_dir or Path(stack.enter_context(tempfile.TemporaryDirectory()))
        seconds, _ = timed(lambda: build_plan(out_dir=build_dir))
        print(f"build: {seconds:.2f} s")
        stores = {}
        for kind in ("oxigraph", "rdflib"):
            seconds, stores[kind] = timed(lambda: open_store(kind, build_dir=build_dir))
            print(f"load into {kind}: {seconds * 1000:.0f} ms")
        if not args.no_remote:
            try:
                seconds, endpoint = timed(lambda: stack.enter_context(serve_plan(build_dir=build_dir)))
                stores["served"] = RemoteStore(endpoint.query_url)
                print(f"start the oxigraph server: {seconds * 1000:.0f} ms ({endpoint.query_url})")
            except EndpointError as exc:
                print(f"served endpoint skipped: {exc}")
        print()
        print(f"{'query':<24}" + "".join(f"{kind + ' ms':>14}" for kind in stores))
        totals = dict.fromkeys(stores, 0.0)
        for q in catalogue():
            cells = []
            for kind, store in stores.items():
                ms = latency(q.name, q.example_params(), store, args.repeat) * 1000
                totals[kind] += ms
                cells.append(f"{ms:>14.1f}")
            print(f"{q.name:<24}" + "".join(cells))
        print(f"{'(all queries)':<24}" + "".join(f"{ms:>14.1f}" for ms in totals.values()))
        print()
        times = cold_start(build_dir, args.cold)
        verdict = "under" if max(times) < 1 else "NOT under"
        print(f"CLI cold start, `antitraffick-kg query {' '.join(EXAMPLE)}`: median {statistics.median(times):.2f} s, "
              f"max {max(times):.2f} s over {len(times)} runs ({verdict} 1 s)")


if __name__ == "__main__":
    main()
