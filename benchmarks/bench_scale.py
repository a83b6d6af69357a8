"""Scale: a generated corpus of N plans (benchmarks/gen_corpus.py) in the corpus store, and what it costs.

For each size it prints: the time to write the N plans into a new corpus store (parsing their N-Quads and
``write_parts``, as a build does), to open the store, to load the same N-Quads into an in-memory pyoxigraph
store; corpus-wide validation on the fast path (``validate(engine="oxigraph", corpus=...)``) and whether it
found exactly the injected defects; pySHACL on the whole corpus while it is small, else on a sample of plans
(stopped after --pyshacl-limit seconds), and whether it agrees with the fast path there; every catalogue query
per plan in process (median over sampled plans) and across all plans, beside the same SPARQL run raw on
pyoxigraph (medians of --global-runs runs of each, at least 2, in blocks of its own after one untimed run, the
blocks in one order and then the reverse): the question's own text over the union of every graph, and, for a
question with an across form, every plan's rows written by hand (the across form with
the name as a literal, each row joined with its plan and jurisdiction: the rows the library gives); the time to
the first answer of
``antitraffick-kg query tasks-by-unit ... --store DIR --all-plans`` from a new process, and the first answer to
one plan's question (the library on the store) from a new process; the disk used by the store (as ``du`` counts it); and the peak memory (``ru_maxrss``) of each step, each run in a
child process, with and without the in-memory load.  Each figure is printed with the load average beside it.

Then, once, the rdflib side at about --rdflib-triples triples (the first plans that reach it): an rdflib
``Dataset`` loading the same N-Quads and pySHACL validating them, beside pyoxigraph loading them and the fast
path validating them, with the ratios and whether the results are identical.

With ``--dehong-sized`` every plan is a prefecture of its own with every task of the Dehong template, about 21k
triples each (the usual corpus mixes one prefecture in 30 with small counties, about 2k triples a plan at 3,000
plans): 1,000 plans are some 21M triples.  In such a corpus every plan gives its units the template's short names,
so each name the run asks by is one that every plan's unit bears.

Generated plans are kept in --out/plans (or a temporary folder) and reused by later runs; a Dehong-sized corpus,
or one of another --defects share, in a folder of its own (``plans-dehong-sized``, ...), as are its stores
(``store-dehong-sized-N``) and results.

The question steps (per plan, across every plan, names, the floor) are in ``scale/questions.py`` beside this file.

Run: python benchmarks/bench_scale.py [--sizes 1,100,1000,3000] [--quick] [--out DIR]
     (--quick: sizes 1,20, pySHACL limit 60 s, rdflib side at 60k triples)
     python benchmarks/bench_scale.py --dehong-sized --sizes 1000 --rdflib-triples 0 --global-queries areas
         --out DIR   (1,000 plans sized like Dehong's; --defects 0.25 at a few plans injects every kind of defect)
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from scale.questions import (PER_PLAN_RUNS, _plan_handles, read_floor, step_global, step_names,  # noqa: E402
                             step_queries)

SAMPLE = 20               # plans sampled for per-plan questions
PYSHACL_SAMPLE = 5        # plans pySHACL validates on a larger corpus (the defective ones first)
FULL_PYSHACL_UP_TO = 1    # pySHACL validates the whole corpus up to this many plans
SHARED_NAME = "州妇联"     # a name every generated prefecture plan gives its own unit


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _keys(results) -> set:
    return {(r.severity, r.shape, r.focus, r.value) for r in results}


def _expected(plans: list[dict]) -> set:
    return {tuple(t) for p in plans for d in p["defects"] for t in d["results"]}


def _sample(plans: list[dict], k: int) -> list[dict]:
    """``k`` plans spread over the corpus, every defective one among them first."""
    with_defects = [p for p in plans if p["defects"]]
    step = max(1, len(plans) // k)
    rest = [p for p in plans[::step] if not p["defects"]]
    return (with_defects + rest)[:k] if len(plans) > k else plans


# -- steps, each run in a child process -------------------------------------------------------------
def step_build(a: dict) -> dict:
    import gen_corpus

    plans = json.loads(Path(a["meta"]).read_text())
    started = time.perf_counter()
    gen_corpus.write_store(a["store"], ((p["plan"], Path(p["file"]).read_bytes()) for p in plans))
    return {"seconds": time.perf_counter() - started}


def step_load(a: dict) -> dict:
    import pyoxigraph as ox

    from antitraffick_kg.store.corpus import Corpus

    started = time.perf_counter()
    corpus = Corpus.open(a["store"])
    opened = time.perf_counter() - started
    plans = json.loads(Path(a["meta"]).read_text())
    started = time.perf_counter()
    store = ox.Store()
    for p in plans:     # file by file: the corpus's N-Quads in one buffer would add 5 GB at 1,000 Dehong-sized plans
        store.load(path=p["file"], format=ox.RdfFormat.N_QUADS)
    return {"open": opened, "seconds": time.perf_counter() - started, "quads": len(store),
            "plans_in_store": len(corpus.plans)}


def step_validate(a: dict) -> dict:
    """Corpus-wide validation on the fast path, batch by batch (``batch`` plans, ``workers`` processes: the
    library's defaults unless given); the peak memory of the run is this process's plus each worker's."""
    from antitraffick_kg.store.corpus import Corpus
    from antitraffick_kg.check.batches import DEFAULT_BATCH
    from antitraffick_kg.check.validate import validate

    plans = json.loads(Path(a["meta"]).read_text())
    corpus = Corpus.open(a["store"])
    batch = a.get("batch") or DEFAULT_BATCH
    batches = -(-len(corpus.plans) // batch)
    workers = max(1, min(a.get("workers") or os.cpu_count() or 1, batches))
    started = time.perf_counter()
    result = validate(engine="oxigraph", corpus=corpus, batch=batch, workers=workers)
    seconds = time.perf_counter() - started
    found, expected = _keys(result.results), _expected(plans)
    worker_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024 if workers > 1 else 0.0
    return {"seconds": seconds, "found": len(found), "expected": len(expected), "exact": found == expected,
            "violations": result.violations, "batch": batch, "batches": batches, "workers": workers,
            "worker_mb": worker_mb, "run_mb": _rss_mb() + workers * worker_mb if workers > 1 else _rss_mb()}


def step_pyshacl(a: dict) -> dict:
    """pySHACL and the fast path on the same plans (a sample, or all of them)."""
    import pyoxigraph as ox

    from antitraffick_kg.store.corpus import Corpus
    from antitraffick_kg.check.validate import validate_store

    corpus = Corpus.open(a["store"])
    names = {g.value for p in a["plans"] for g in corpus.graphs(p)}
    data = b"".join(ox.serialize(corpus.store.quads_for_pattern(None, None, None, ox.NamedNode(g)),
                                 format=ox.RdfFormat.N_QUADS) for g in sorted(names))
    fast_store, slow_store = ox.Store(), ox.Store()
    fast_store.load(data, format=ox.RdfFormat.N_QUADS)
    slow_store.load(data, format=ox.RdfFormat.N_QUADS)
    started = time.perf_counter()
    fast = validate_store(fast_store, engine="oxigraph")
    fast_seconds = time.perf_counter() - started
    started = time.perf_counter()
    slow = validate_store(slow_store, engine="pyshacl")
    return {"seconds": time.perf_counter() - started, "fast_seconds": fast_seconds, "quads": len(slow_store),
            "agree": sorted(r.key() for r in fast.results) == sorted(r.key() for r in slow.results),
            "results": len(slow.results)}


def step_rdflib(a: dict) -> dict:
    """The rdflib side: an rdflib Dataset loads the N-Quads, pySHACL validates them (as ``validate`` does)."""
    import logging

    import pyshacl
    from rdflib import Dataset, Graph

    from antitraffick_kg.resources import ontology_path
    from antitraffick_kg.check.validate import _shapes_graph
    from antitraffick_kg.check.validation_report import read_report

    logging.getLogger("rdflib.term").setLevel(logging.CRITICAL)
    data = Path(a["data"]).read_bytes()
    started = time.perf_counter()
    ds = Dataset()
    ds.parse(data=data, format="nquads")
    load = time.perf_counter() - started
    started = time.perf_counter()
    union = Graph()
    for s, p, o, _g in ds.quads((None, None, None, None)):
        union.add((s, p, o))
    union.parse(str(ontology_path()), format="turtle")
    _conforms, report, _text = pyshacl.validate(union, shacl_graph=_shapes_graph(), inference="none", inplace=True,
                                                allow_warnings=True, advanced=False)
    seconds = time.perf_counter() - started
    import pyoxigraph as ox

    store = ox.Store()
    store.load(data, format=ox.RdfFormat.N_QUADS)
    keys = sorted(str(r.key()) for r in read_report(report, store))
    return {"load": load, "validate": seconds, "results": len(keys), "keys": keys}


def step_oxigraph(a: dict) -> dict:
    """The same data on pyoxigraph: an in-memory store loads the N-Quads, the fast path validates them."""
    import pyoxigraph as ox

    from antitraffick_kg.check.validate import validate_store

    data = Path(a["data"]).read_bytes()
    started = time.perf_counter()
    store = ox.Store()
    store.load(data, format=ox.RdfFormat.N_QUADS)
    load = time.perf_counter() - started
    started = time.perf_counter()
    result = validate_store(store, engine="oxigraph")
    return {"load": load, "validate": time.perf_counter() - started, "results": len(result.results),
            "keys": sorted(str(r.key()) for r in result.results)}


STEPS = {f.__name__[5:]: f for f in (step_build, step_load, step_validate, step_pyshacl, step_queries, step_global,
                                      step_names, step_rdflib, step_oxigraph)}


def run_step(name: str, args: dict, *, timeout: float | None = None) -> dict:
    """Run step ``name`` in a new process; its result, with ``rss_mb``, or ``{"stopped": timeout}``."""
    command = [sys.executable, __file__, "--step", name, json.dumps(args, default=str)]
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        return {"stopped": timeout}
    if done.returncode != 0:
        return {"error": done.stderr.strip().splitlines()[-1] if done.stderr.strip() else f"exit {done.returncode}"}
    return json.loads(done.stdout.strip().splitlines()[-1])


# -- the run ------------------------------------------------------------------------------------------
# one plan's question from a new process as the CLI asks it, less the check that the plan's inputs are unchanged
# (generated plans have no inputs to check)
_ONE_PLAN = """import sys
from antitraffick_kg import query
from antitraffick_kg.store.corpus import Corpus
rows = query("tasks-by-unit", params={"unit": sys.argv[2]}, corpus=Corpus.open(sys.argv[1]), plan=sys.argv[3])
print(len(rows.rows))
"""


def first_answer(store: Path, unit: str, runs: int = 5, plan: str | None = None) -> float:
    """Median seconds of ``query tasks-by-unit`` from a new process: the CLI across all plans, or (``plan``
    given) the library for that plan."""
    command = ([sys.executable, "-m", "antitraffick_kg", "query", "tasks-by-unit", "-p", f"unit={unit}",
                "--store", str(store), "--all-plans", "-f", "csv"] if plan is None else
               [sys.executable, "-c", _ONE_PLAN, str(store), unit, plan])
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        done = subprocess.run(command, capture_output=True, text=True)
        times.append(time.perf_counter() - started)
        if done.returncode != 0:
            raise SystemExit(done.stderr.strip())
    return statistics.median(times)


def _load() -> str:
    """The one-minute load average now, printed beside each figure (other work on the cores slows every figure)."""
    return f"[load {os.getloadavg()[0]:.2f}]"


def disk_used(folder: Path) -> int:
    """Bytes ``folder`` takes on disk, as ``du`` counts them: blocks allocated, each file once however many hard
    links it has (a store's generations share their immutable files)."""
    seen, total = set(), 0
    for root, _dirs, files in os.walk(folder):
        for name in files:
            info = os.lstat(os.path.join(root, name))
            if (info.st_dev, info.st_ino) not in seen:
                seen.add((info.st_dev, info.st_ino))
                total += info.st_blocks * 512
    return total


def _fmt(value, unit: str = "s", digits: int = 2) -> str:
    return "–" if value is None else f"{value:.{digits}f} {unit}"


def _secs(value: float) -> str:
    """A time in seconds, in milliseconds under 0.1 s (a small answer's figures keep their digits)."""
    return f"{value:.3f} s" if value >= 0.1 else f"{value * 1000:.2f} ms"


def measure_size(n: int, plans: list[dict], work: Path, *, pyshacl_limit: float, global_limit: float,
                 questions_only: bool = False, global_queries: tuple[str, ...] = (), suffix: str = "",
                 answer_runs: int = 5, global_runs: int = 3) -> dict:
    import shutil

    chosen = plans[:n]
    meta = work / f"meta{suffix}-{n}.json"
    meta.write_text(json.dumps(chosen, default=str))
    store = work / f"store{suffix}-{n}"
    shutil.rmtree(store, ignore_errors=True)
    row: dict = {"plans": n, "triples": sum(p["triples"] for p in chosen),
                 "defects": sum(len(p["defects"]) for p in chosen),
                 "levels": {level: sum(p["level"] == level for p in chosen) for level in ("prefecture", "county")}}
    print(f"\n== {n} plans ({row['levels']['prefecture']} prefectures, {row['levels']['county']} counties), "
          f"{row['triples']:,} triples (plan graphs), {row['defects']} injected defects; N-Quads "
          f"{sum(Path(p['file']).stat().st_size for p in chosen) / 2**20:,.0f} MiB", flush=True)
    row["build"] = run_step("build", {"meta": meta, "store": store})
    row["disk_mb"] = disk_used(store) / 2**20 if store.exists() else None
    print(f"store built: {_fmt(row['build'].get('seconds'))}, peak {row['build'].get('rss_mb', 0):.0f} MB, "
          f"disk used by the store {_fmt(row['disk_mb'], 'MiB', 0)} (du) {row['build'].get('error', '')} {_load()}",
          flush=True)
    row["load"] = run_step("load", {"meta": meta, "store": store})
    print(f"store opened: {_fmt(row['load'].get('open'), 's', 3)}; N-Quads loaded into "
          f"pyoxigraph (memory): {_fmt(row['load'].get('seconds'))}, peak {row['load'].get('rss_mb', 0):.0f} MB "
          f"{_load()}", flush=True)
    if questions_only:
        return _questions(n, chosen, store, row, global_limit=global_limit, global_queries=global_queries,
                          answer_runs=answer_runs, global_runs=global_runs)
    row["validate"] = run_step("validate", {"meta": meta, "store": store})
    v = row["validate"]
    print(f"validated, fast path, whole corpus: {_fmt(v.get('seconds'))}, {v.get('batches')} batches of "
          f"{v.get('batch')} plans in {v.get('workers')} process(es), peak {v.get('run_mb', 0):.0f} MB (this "
          f"process {v.get('rss_mb', 0):.0f} MB + each worker {v.get('worker_mb', 0):.0f} MB); "
          f"found {v.get('found')} results, injected {v.get('expected')}: "
          f"{'exactly the injected defects' if v.get('exact') else 'NOT the injected defects'} {v.get('error', '')} "
          f"{_load()}", flush=True)
    sample = [p["plan"] for p in (chosen if n <= FULL_PYSHACL_UP_TO else _sample(chosen, PYSHACL_SAMPLE))]
    row["pyshacl"] = run_step("pyshacl", {"store": store, "plans": sample}, timeout=pyshacl_limit)
    s = row["pyshacl"]
    what = "whole corpus" if len(sample) == n else f"sample of {len(sample)} plans"
    if "stopped" in s:
        print(f"pySHACL ({what}): stopped after {pyshacl_limit:.0f} s {_load()}", flush=True)
    else:
        print(f"pySHACL ({what}, {s.get('quads', 0):,} quads): {_fmt(s.get('seconds'))} (fast path on the same: "
              f"{_fmt(s.get('fast_seconds'))}); agree: {s.get('agree')} {s.get('error', '')} {_load()}", flush=True)
    return _questions(n, chosen, store, row, global_limit=global_limit, global_queries=global_queries,
                      answer_runs=answer_runs, global_runs=global_runs)


def _questions(n: int, chosen: list[dict], store: Path, row: dict, *, global_limit: float,
               global_queries: tuple[str, ...] = (), answer_runs: int = 5, global_runs: int = 3) -> dict:
    """The questions of one size: per plan, across every plan (with names as a person types them, beside the same
    question written by hand), a name resolved for every plan, the first answer from a new process."""
    per_plan = [p["plan"] for p in _sample(chosen, SAMPLE)]
    row["queries"] = run_step("queries", {"store": store, "plans": per_plan})
    queries = row["queries"].get("queries", {})
    medians = [v["median_ms"] for v in queries.values() if v["median_ms"] is not None]
    row["per_plan_max_ms"] = max(medians) if medians else None
    print(f"per-plan questions in process ({len(per_plan)} plans, each the median of {PER_PLAN_RUNS} runs): "
          + ", ".join(f"{k} {_fmt(v['median_ms'], 'ms', 1)}" for k, v in queries.items())
          + f"; slowest median {_fmt(row['per_plan_max_ms'], 'ms', 1)} {_load()}", flush=True)
    if medians:
        name, slowest = max(((k, v) for k, v in queries.items() if v["median_ms"] is not None),
                            key=lambda kv: kv[1]["median_ms"])
        row["per_plan_slowest"] = {"query": name, "rows": slowest["rows"], "columns": slowest["columns"],
                                   "read_floor_ms": read_floor(slowest["rows"], slowest["columns"])}
        print(f"the slowest, {name}: its answer's median {slowest['rows']} rows of {slowest['columns']} columns; "
              f"that many rows read out of pyoxigraph's store in memory alone, made into rows: "
              f"{_fmt(row['per_plan_slowest']['read_floor_ms'], 'ms', 1)} (median of 5) {_load()}", flush=True)
    from antitraffick_kg.store.corpus import Corpus

    corpus = Corpus.open(store)
    # a county's unit, one in the corpus; in a Dehong-sized corpus a prefecture's, whose name every plan gives a unit
    unit, task = _plan_handles(corpus, chosen[min(1, n - 1)]["plan"])
    del corpus
    row["names"] = run_step("names", {"store": store, "names": [unit, SHARED_NAME]})
    for name, r in row["names"].items():
        if isinstance(r, dict):
            where = "table of names" if r.get("table") else "store's indexes"
            print(f"name {name} resolved for every plan ({where}): {_fmt(r['ms'], 'ms', 2)}, first run "
                  f"{_fmt(r.get('first_ms'), 'ms', 2)}, {r['units']} units (one SPARQL "
                  f"lookup over the union: {_fmt(r['union_ms'], 'ms', 1)}, {r['union']}) {_load()}", flush=True)
    row["global"] = {}
    asked = [(name, {"query": name, "unit": unit, "task": task}) for name in queries
             if not global_queries or name in global_queries]
    asked += [(f"tasks-by-unit unit={SHARED_NAME}", {"query": "tasks-by-unit", "params": {"unit": SHARED_NAME}}),
              ("tasks-by-unit function=womens-federation",
               {"query": "tasks-by-unit", "params": {"function": "womens-federation", "role": "support"}})]
    for label, args in asked:
        g = run_step("global", {"store": store, "runs": global_runs, **args}, timeout=global_limit)
        row["global"][label] = g
        every = (f", every plan's rows by hand raw {_secs(g['every'])} ({g['every_rows']} rows), "
                 f"{g['library'] / max(g['every'], 1e-4):.1f}x" if "every" in g else "")
        print(f"  across all plans, {label}: " + (
            f"library {_secs(g['library'])} ({g['rows']} rows), by hand raw {_secs(g['raw'])} ({g['raw_rows']} rows), "
            f"medians of {g['runs']}, "
            f"{g['library'] / max(g['raw'], 1e-4):.1f}x{every}" if "library" in g else
            (f"stopped at {global_limit:.0f} s" if "stopped" in g else f"error {g.get('error')}")) + f" {_load()}",
            flush=True)
    worst = max((g["library"] / max(g["raw"], 1e-4) for g in row["global"].values() if "library" in g), default=None)
    row["global_worst_ratio"] = worst
    # against the same rows written by hand where the question has an across form, else one plan's text
    rows_worst = max((g["library"] / max(g.get("every", g["raw"]), 1e-4) for g in row["global"].values()
                      if "library" in g), default=None)
    row["global_worst_ratio_rows"] = rows_worst
    print("across all plans (library / raw pyoxigraph): " + ", ".join(
        f"{k} " + (f"{_secs(g['library'])}/{_secs(g['raw'])}" + (f" (same rows {_secs(g['every'])})" if "every" in g
                                                             else "") if "library" in g else
                   (f"stopped at {global_limit:.0f} s" if "stopped" in g else "error"))
        for k, g in row["global"].items()) + f"; worst ratio {_fmt(worst, 'x')}, against the same rows by hand "
        f"where written {_fmt(rows_worst, 'x')} {_load()}", flush=True)
    row["first_answer"] = first_answer(store, unit, answer_runs)
    print(f"first answer from a new process (tasks-by-unit -p unit={unit} --all-plans, by name): "
          f"{_fmt(row['first_answer'])} (median of {answer_runs}) {_load()}", flush=True)
    row["first_answer_shared"] = first_answer(store, SHARED_NAME, answer_runs)
    print(f"first answer from a new process (tasks-by-unit -p unit={SHARED_NAME} --all-plans, by name): "
          f"{_fmt(row['first_answer_shared'])} (median of {answer_runs}) {_load()}", flush=True)
    one = chosen[min(1, n - 1)]["plan"]
    row["first_answer_plan"] = first_answer(store, unit, answer_runs, plan=one)
    print(f"first answer from a new process for one plan (tasks-by-unit -p unit={unit} of {one}, the library on "
          f"the store): {_fmt(row['first_answer_plan'])} (median of {answer_runs}) {_load()}", flush=True)
    steps = (row["build"], row["load"], row.get("validate", {}), row["queries"], *row["global"].values())
    row["peak_mb"] = max(s.get("rss_mb", 0) for s in steps)
    row["peak_store_mb"] = max(s.get("rss_mb", 0) for s in steps if s is not row["load"])
    print(f"peak memory of a step (pySHACL excluded): {row['peak_mb']:.0f} MB; without the in-memory load: "
          f"{row['peak_store_mb']:.0f} MB; disk used by the store {_fmt(row['disk_mb'], 'MiB', 0)} {_load()}",
          flush=True)
    return row


def rdflib_side(plans: list[dict], triples: int, work: Path, *, limit: float) -> dict:
    chosen, total = [], 0
    for p in plans:
        if total >= triples:
            break
        chosen.append(p)
        total += p["triples"]
    import pyoxigraph as ox

    import gen_corpus
    from antitraffick_kg.iris import ONTOLOGY_GRAPH

    # the graphs the plans share in a store (concept schemes, links), which their own graphs point at; each
    # validator adds the ontology itself
    ontology, links = gen_corpus.shared_quads()
    common = [q for q in ontology if q.graph_name.value != ONTOLOGY_GRAPH] + links
    data = work / "rdflib-side.nq"
    data.write_bytes(ox.serialize(common, format=ox.RdfFormat.N_QUADS)
                     + b"".join(Path(p["file"]).read_bytes() for p in chosen))
    print(f"\n== rdflib side: {len(chosen)} plans, {total:,} triples, and {len(common):,} they share", flush=True)
    ox_side = run_step("oxigraph", {"data": data})
    rdf_side = run_step("rdflib", {"data": data}, timeout=limit)
    row = {"plans": len(chosen), "triples": total, "shared": len(common), "oxigraph": ox_side, "rdflib": rdf_side}
    print(f"pyoxigraph: load {_fmt(ox_side.get('load'))}, fast validation {_fmt(ox_side.get('validate'))}, "
          f"peak {ox_side.get('rss_mb', 0):.0f} MB", flush=True)
    if "stopped" in rdf_side:
        print(f"rdflib + pySHACL: stopped after {limit:.0f} s", flush=True)
        return row
    print(f"rdflib: load {_fmt(rdf_side.get('load'))}, pySHACL {_fmt(rdf_side.get('validate'))}, "
          f"peak {rdf_side.get('rss_mb', 0):.0f} MB", flush=True)
    if "load" in rdf_side and "load" in ox_side:
        load_ratio = rdf_side["load"] / ox_side["load"]
        both = (rdf_side["load"] + rdf_side["validate"]) / (ox_side["load"] + ox_side["validate"])
        row.update(load_ratio=load_ratio, both_ratio=both, identical=rdf_side["keys"] == ox_side["keys"])
        print(f"ratios: load {load_ratio:.1f}x (target >= 10x: {'met' if load_ratio >= 10 else 'not met'}), "
              f"load + validation {both:.1f}x (target >= 10x: {'met' if both >= 10 else 'not met'}); "
              f"results identical: {row['identical']} ({ox_side['results']} results)", flush=True)
    return row


def main() -> None:
    if len(sys.argv) == 4 and sys.argv[1] == "--step":
        out = STEPS[sys.argv[2]](json.loads(sys.argv[3]))
        out["rss_mb"] = _rss_mb()
        print(json.dumps(out))
        return
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1,100,1000,3000")
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--out", type=Path, default=None, help="folder for the generated plans, stores and results")
    parser.add_argument("--pyshacl-limit", type=float, default=600.0, help="stop pySHACL after this many seconds")
    parser.add_argument("--global-limit", type=float, default=300.0, help="stop a corpus-wide query after this")
    parser.add_argument("--rdflib-triples", type=int, default=1_000_000, help="size of the rdflib side (0: skip)")
    parser.add_argument("--global-queries", default="",
                        help="comma-separated catalogue queries to ask across all plans (default: every one)")
    parser.add_argument("--questions-only", action="store_true",
                        help="only the questions: per plan, across plans, names, first answer (no validation)")
    parser.add_argument("--dehong-sized", action="store_true",
                        help="every plan a prefecture of its own with every task of the template, sized like Dehong's "
                        "(kept apart from the usual corpus in --out)")
    parser.add_argument("--answer-runs", type=int, default=5,
                        help="runs of each first answer from a new process, of which the median is printed (5)")
    parser.add_argument("--global-runs", type=int, default=3,
                        help="timed runs of each question across all plans, library and raw in turn (3; medians)")
    parser.add_argument("--defects", type=float, default=0.02,
                        help="share of plans with one injected defect (0.02; another share is another corpus)")
    args = parser.parse_args()
    if args.quick:
        args.sizes, args.pyshacl_limit, args.rdflib_triples = "1,20", 60.0, 60_000
    sizes = [int(s) for s in args.sizes.split(",")]
    with tempfile.TemporaryDirectory() as tmp:
        work = args.out or Path(tmp)
        work.mkdir(parents=True, exist_ok=True)
        import gen_corpus

        every = gen_corpus.DEHONG_SIZED if args.dehong_sized else gen_corpus.PREFECTURE_EVERY
        suffix = gen_corpus.suffix(every) + ("" if args.defects == 0.02 else f"-defects-{args.defects:g}")
        started = time.perf_counter()
        plans = gen_corpus.ensure_generated(work / f"plans{suffix}", max(sizes), defect_share=args.defects,
                                            prefecture_every=every)
        print(f"plans ready in {work / f'plans{suffix}'} in {time.perf_counter() - started:.1f} s "
              f"(disk {disk_used(work / f'plans{suffix}') / 2**20:,.0f} MiB) {_load()}")
        with open("/proc/loadavg") as handle:
            print(f"load average at the start: {' '.join(handle.read().split()[:3])}")
        rows = [measure_size(n, plans, work, pyshacl_limit=args.pyshacl_limit, global_limit=args.global_limit,
                             questions_only=args.questions_only,
                             global_queries=tuple(q for q in args.global_queries.split(",") if q), suffix=suffix,
                             answer_runs=args.answer_runs, global_runs=args.global_runs)
                for n in sizes]
        side = (rdflib_side(plans, args.rdflib_triples, work, limit=args.pyshacl_limit)
                if args.rdflib_triples and not args.questions_only else None)
        with open("/proc/loadavg") as handle:
            print(f"load average at the end: {' '.join(handle.read().split()[:3])}")
        (work / f"results{suffix}.json").write_text(json.dumps({"sizes": rows, "rdflib": side}, default=str, indent=1))
        _targets(rows)


def _targets(rows: list[dict]) -> None:
    """The issue's targets for the largest size, met or not and by how much."""
    row = max(rows, key=lambda r: r["plans"])
    names = [r["ms"] for r in row.get("names", {}).values() if isinstance(r, dict)]
    checks = [("store built < 180 s", row["build"].get("seconds"), 180),
              ("fully validated < 60 s", row.get("validate", {}).get("seconds"), 60),
              ("a name resolved for every plan < 5 ms (slowest)", max(names) if names else None, 5),
              ("first answer by name from a new process < 0.5 s", row.get("first_answer"), 0.5),
              ("per-plan question < 5 ms (slowest median)", row["per_plan_max_ms"], 5),
              ("corpus-wide within 2x of raw pyoxigraph (worst)", row["global_worst_ratio"], 2),
              ("the same, against every plan's rows by hand where written", row.get("global_worst_ratio_rows"), 2),
              ("peak memory < 8 GB", row["peak_mb"] / 1024, 8)]
    print(f"\ntargets at {row['plans']} plans:")
    for what, value, limit in checks:
        if value is None:
            print(f"  {what}: not measured")
        else:
            print(f"  {what}: {value:.2f} -> {'met' if value < limit else f'not met, {value / limit:.1f}x the target'}")
    floor = row.get("per_plan_slowest")
    if floor:
        print(f"  (the slowest per-plan question, {floor['query']}, answers {floor['rows']} rows: read out of "
              f"pyoxigraph's store in memory alone they take {floor['read_floor_ms']:.2f} ms)")
    print(f"  validation found exactly the injected defects: {row.get('validate', {}).get('exact')}")
    print(f"  disk used by the store (du): {_fmt(row.get('disk_mb'), 'MiB', 0)}")
    print(f"  {_load()}")


if __name__ == "__main__":
    main()
