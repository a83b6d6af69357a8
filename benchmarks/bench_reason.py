"""Reasoning time on the plan: load into owlready2, HermiT (two passes), inferred facts.

Run: python benchmarks/bench_reason.py [--repeat N]

Each run prints its time, the statements each reasoner pass read and the load average when it ended; the
summary line gives the median.
"""

from __future__ import annotations

import argparse
import os
import statistics
import time

from antitraffick_kg.plan.graph import ONTOLOGY_GRAPH, graph_iri
from antitraffick_kg.pipeline.build import load
from antitraffick_kg.check.reason import reason_graph


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    started = time.perf_counter()
    ds = load()
    print(f"import and build the dataset: {time.perf_counter() - started:.2f} s")
    plan, ontology = ds.graph(graph_iri("dehong-2022-2030")), ds.graph(ONTOLOGY_GRAPH)
    times = []
    for n in range(args.repeat):
        result = reason_graph(plan, ontology=ontology)
        times.append(result.seconds)
        print(f"run {n + 1}: {result.seconds:.2f} s, passes read {' and '.join(f'{k:,}' for k in result.passes)} "
              f"statements; load {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    print(f"HermiT via owlready2, two passes, {len(plan)} plan triples: "
          f"median {statistics.median(times):.2f} s (min {min(times):.2f}, max {max(times):.2f}, n={len(times)})")
    print(f"inferred facts: {len(result.inferred)}  " + "  ".join(f"{k}: {v}" for k, v in result.families.items()))


if __name__ == "__main__":
    main()
