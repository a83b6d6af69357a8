"""SHACL validation time of both engines on the plan graph and on a graph N times larger (default 100).

The larger graph is the plan copied N times under new plan IRIs (tasks, assignments, milestones, passages);
units, concepts and the ontology are shared, as they would be between plans. Each engine's time is what
validate_store costs: for pyshacl that includes copying the store into an rdflib graph.

Run: python benchmarks/bench_validate.py [--scale N] [--repeat N] [--engines pyshacl,oxigraph]
"""

from __future__ import annotations

import argparse
import collections
import os
import statistics
import time

import pyoxigraph as ox

from antitraffick_kg.pipeline.build import built_nquads
from antitraffick_kg.check.validate import validate_store
from antitraffick_kg.formats import ShaclEngine, choices

PLAN = b"/id/plan/dehong-2022-2030"
GRAPH = b"/id/graph/dehong-2022-2030"
ONTOLOGY = b"<https://w3id.org/antitraffick-kg/id/graph/ontology>"


def copies(nquads: bytes, n: int) -> ox.Store:
    """A store with ``n`` copies of the plan, each under its own plan IRI, and the ontology once (its blank
    nodes would be new in every copy)."""
    store = ox.Store()
    plan_only = b"\n".join(line for line in nquads.split(b"\n") if not line.endswith(ONTOLOGY + b" ."))
    for k in range(n):
        data = nquads if k == 0 else plan_only.replace(PLAN, PLAN + b"-copy%d" % k).replace(GRAPH, GRAPH + b"-copy%d" % k)
        store.bulk_load(data, format=ox.RdfFormat.N_QUADS)
    return store


def run(nquads: bytes, n: int, engine: str, repeat: int):
    times, result = [], None
    for _ in range(repeat):
        store = copies(nquads, n)
        started = time.perf_counter()
        result = validate_store(store, engine=engine)
        times.append(time.perf_counter() - started)
    return times, result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--scale", type=int, default=100, help="copies of the plan in the larger graph")
    parser.add_argument("--repeat", type=int, default=3, help="runs on the plan graph (the larger graph: 1)")
    parser.add_argument("--engines", default=",".join(choices(ShaclEngine)))
    args = parser.parse_args()
    nquads = built_nquads()
    engines = args.engines.split(",")
    for n, repeat in ((1, args.repeat), (args.scale, 1)):
        started = time.perf_counter()
        size = len(copies(nquads, n))
        print(f"{n}x the plan: {size:,} quads (building the store: {time.perf_counter() - started:.1f} s)")
        keys = {}
        for engine in engines:
            times, result = run(nquads, n, engine, repeat)
            keys[engine] = collections.Counter(r.key() for r in result.results)
            spread = f" (min {min(times):.2f}, max {max(times):.2f}, n={len(times)})" if len(times) > 1 else ""
            load = " ".join(f"{x:.2f}" for x in os.getloadavg())
            print(f"  {engine:<9} {statistics.median(times):8.2f} s{spread}   "
                  f"{result.violations} violations, {result.warnings} warnings (load average {load})")
        if len(keys) == 2:
            print(f"  same results from both engines: {'yes' if len(set(map(frozenset, (k.items() for k in keys.values())))) == 1 else 'NO'}")


if __name__ == "__main__":
    main()
