"""Precision, recall, F1 and time of the task aligner where a truth exists.

1. Dehong narrative items against Dehong annual-table rows, given to the aligner as two plans: numbering removed,
   headings from each part's own section titles, units from each part's own lists. Truth: the importer's pairing
   of each table row with its narrative item. Also with a quarter of the table rows held out (their narrative
   items must come back as "no match"), and with each similarity alone.
2. The curated mappings of data/mappings/: Dehong tasks → Yunnan measures, Yunnan → national, Dehong → national.
3. Time on N copies of the narrative/table pair (N·56 × N·56 items).

Run: python benchmarks/bench_align.py [--threshold T] [--repeat N] [--scale N]
"""

from __future__ import annotations

import argparse
import statistics
import time
from dataclasses import dataclass, replace

from antitraffick_kg.link.align import (AlignRecord, Evaluation, Weights, align, evaluate, records_from_measures,
                                   records_from_plan)
from antitraffick_kg.plan.importer import DEFAULT_PLAN, import_plan, plan_files
from antitraffick_kg.link.mappings import NO_TERM_FOUND, MappingRow, read_sssom
from antitraffick_kg.resources import data_path

THRESHOLD = 0.3


@dataclass(frozen=True)
class Figure:
    name: str
    result: Evaluation
    seconds: float
    note: str = ""


def _same_ids(records: list[AlignRecord]) -> list[MappingRow]:
    return [MappingRow(r.id, "skos:exactMatch", r.id, "semapv:ManualMappingCuration") for r in records]


def _timed(repeat: int, *args, **options) -> tuple[tuple[MappingRow, ...], float]:
    times, rows = [], ()
    for _ in range(repeat):
        started = time.perf_counter()
        rows = align(*args, **options)
        times.append(time.perf_counter() - started)
    return rows, statistics.median(times)


def _dehong():
    files = plan_files(DEFAULT_PLAN)
    return import_plan(files.source, corrections=files.corrections, plan_id=DEFAULT_PLAN)


def figures(*, threshold: float = THRESHOLD, repeat: int = 3) -> list[Figure]:
    """Every measured figure, in the order the README reports them."""
    plan = _dehong()
    narrative = records_from_plan(plan, prefix="dehong", part="narrative")
    table = records_from_plan(plan, prefix="dehong", part="table")
    out = []
    rows, seconds = _timed(repeat, narrative, table, threshold=threshold, unit_basis="unit")
    out.append(Figure("narrative → table", evaluate(rows, _same_ids(narrative)), seconds))

    kept = [r for k, r in enumerate(table) if k % 4 != 1]
    kept_ids = {r.id for r in kept}
    rows, seconds = _timed(repeat, narrative, kept, threshold=threshold, unit_basis="unit")
    held_out = [r for r in rows if r.subject_id not in kept_ids]
    unmatched = sum(r.object_id == NO_TERM_FOUND for r in held_out)
    out.append(Figure("narrative → ¾ of the table", evaluate(rows, _same_ids(kept)), seconds,
                      f"{unmatched}/{len(held_out)} held-out items left unmatched"))

    for signal in ("text", "label", "headings", "units"):
        only = Weights(**{name: float(name == signal) for name in ("text", "label", "headings", "units")})
        rows, seconds = _timed(1, narrative, table, threshold=threshold, unit_basis="unit", weights=only)
        out.append(Figure(f"narrative → table, {signal} alone", evaluate(rows, _same_ids(narrative)), seconds))

    yunnan = records_from_measures(data_path("reference", "yunnan-2021-2030", "measures.csv"), prefix="yunnan")
    national = records_from_measures(data_path("reference", "national-2021-2030", "measures.csv"), prefix="national")
    for name, subjects, objects, cardinality, file in (
            ("Dehong → Yunnan (curated)", narrative, yunnan, "1:1", "dehong-2022-2030--yunnan-2021-2030"),
            ("Yunnan → national (curated)", yunnan, national, "n:1", "yunnan-2021-2030--national-2021-2030"),
            ("Dehong → national (curated)", narrative, national, "n:1", "dehong-2022-2030--national-2021-2030")):
        truth = read_sssom(data_path("mappings", f"{file}.sssom.tsv")).rows
        rows, seconds = _timed(repeat, subjects, objects, threshold=threshold, cardinality=cardinality)
        out.append(Figure(name, evaluate(rows, truth), seconds))
    return out


def scaled(n: int) -> Figure:
    """Time of narrative → table with every item copied ``n`` times under new ids."""
    plan = _dehong()

    def copies(records: list[AlignRecord]) -> list[AlignRecord]:
        return [replace(r, id=f"{r.id}-{k}") for k in range(n) for r in records]

    narrative = copies(records_from_plan(plan, prefix="dehong", part="narrative"))
    table = copies(records_from_plan(plan, prefix="dehong", part="table"))
    rows, seconds = _timed(1, narrative, table, threshold=THRESHOLD, unit_basis="unit")
    return Figure(f"narrative → table ×{n} ({len(narrative)} × {len(table)})",
                  evaluate(rows, _same_ids(narrative)), seconds, "copies are exact ties: only recall is meaningful")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--threshold", type=float, default=THRESHOLD)
    parser.add_argument("--repeat", type=int, default=3, help="runs per figure (median time)")
    parser.add_argument("--scale", type=int, default=10, help="copies for the timing at scale (0: skip)")
    args = parser.parse_args()
    results = figures(threshold=args.threshold, repeat=args.repeat)
    if args.scale:
        results.append(scaled(args.scale))
    print(f"{'alignment':<36} {'precision':>9} {'recall':>7} {'F1':>6} {'pairs (ok/proposed/true)':>25} {'time':>9}")
    for f in results:
        r = f.result
        precision = f"{r.precision:.3f}" if r.proposed else "n/a"
        print(f"{f.name:<36} {precision:>9} {r.recall:>7.3f} {r.f1:>6.3f} "
              f"{f'{r.true_positives}/{r.proposed}/{r.expected}':>25} {f.seconds * 1000:>7.0f} ms  {f.note}")


if __name__ == "__main__":
    main()
