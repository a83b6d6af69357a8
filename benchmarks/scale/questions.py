"""The questions of ``bench_scale.py``: every catalogue question asked of sampled plans in turn, one question
across every plan beside the same question written by hand and run raw, a name looked up for every plan, and the
least time an answer of a given size can take (the floor printed beside the slowest per-plan question).

Each ``step_*`` function takes the arguments ``bench_scale.py --step NAME JSON`` passes and returns what it
prints, run in a child process of its own.
"""

from __future__ import annotations

import re
import statistics
import time

PER_PLAN_RUNS = 3         # timed runs of each per-plan question on each plan (its median is that plan's figure)


def _params(q, unit: str, task: str) -> dict:
    params = q.example_params()
    for p in q.parameters:
        if p.type == "unit":
            params[p.name] = unit
        elif p.type == "task":
            params[p.name] = task
    return params


def _plan_handles(corpus, plan: str) -> tuple[str, str]:
    from antitraffick_kg import query

    rows = query("assignments", corpus=corpus, plan=plan)
    # a lead unit when the plan has one (a small plan whose injected defect took its only lead may not)
    first = min(rows, key=lambda r: (r["role"] != "lead", r["task"], r["unit"]))
    return first["unit"], first["task"]


def step_queries(a: dict) -> dict:
    """Every catalogue query on sampled plans, in process with the store open: one untimed round over the plans,
    then ``runs`` timed rounds, each plan's figure the median of its timed runs, and per query the median over the
    plans.  The plans take turns within a round, as a person asks one plan after another: a question that reads
    every plan then loads the plan it is asked of into its store in memory in every timed run (asked of the same
    plan again at once, it would find the plan loaded)."""
    from antitraffick_kg import query
    from antitraffick_kg.ask.catalogue import catalogue
    from antitraffick_kg.store.corpus import Corpus

    corpus = Corpus.open(a["store"])
    handles = {p: _plan_handles(corpus, p) for p in a["plans"]}
    out = {}
    for q in catalogue():
        runs: dict[str, list[float]] = {plan: [] for plan in handles}
        sizes: dict[str, int] = {}
        failed: set[str] = set()
        for timed in [False] + [True] * a.get("runs", PER_PLAN_RUNS):
            for plan, (unit, task) in handles.items():
                if plan in failed:
                    continue
                try:
                    started = time.perf_counter()
                    rows = query(q.name, params=_params(q, unit, task), corpus=corpus, plan=plan)
                    if timed:
                        runs[plan].append(time.perf_counter() - started)
                    sizes[plan] = len(rows)
                except Exception:  # noqa: BLE001 -- a generated plan may lack what a query's example names
                    failed.add(plan)
        times = [statistics.median(r) for r in runs.values() if r]
        answered = [sizes[p] for p in handles if runs[p]]
        out[q.name] = {"median_ms": statistics.median(times) * 1000 if times else None, "errors": len(failed),
                       "rows": int(statistics.median(answered)) if answered else None, "columns": len(q.columns)}
    return {"queries": out}


def floor_store(rows: int, columns: int):
    """A store in memory and a query whose answer is ``rows`` rows of ``columns`` stored literals each (and the
    column names), for :func:`read_floor`."""
    import pyoxigraph as ox

    names = [f"v{i}" for i in range(columns)]
    store = ox.Store()
    store.extend(ox.Quad(ox.NamedNode(f"http://example.org/row/{n}"), ox.NamedNode(f"http://example.org/{name}"),
                         ox.Literal(f"value {n} of {name}")) for n in range(rows) for name in names)
    text = ("SELECT " + " ".join(f"?{name}" for name in names) + " WHERE { "
            + " ".join(f"?row <http://example.org/{name}> ?{name} ." for name in names) + " }")
    return store, text, names


def read_floor(rows: int, columns: int, *, runs: int = 5) -> float:
    """Milliseconds (median of ``runs``) that pyoxigraph's store in memory takes to give ``rows`` rows of
    ``columns`` stored literals each, made into rows as the library makes them (before it sorts them): the least
    a question with an answer of that size can take in process, whatever its text."""
    from antitraffick_kg.store.stores import solution_rows

    store, text, _ = floor_store(rows, columns)
    took = []
    for _ in range(runs):
        started = time.perf_counter()
        _, got = solution_rows(store.query(text))
        took.append(time.perf_counter() - started)
    assert len(got) == rows
    return statistics.median(took) * 1000


def _by_hand(q, params: dict, corpus) -> str:
    """``q`` as a person writes it by hand for these parameters: each value in the text, a unit as its name
    (``?UNIT atk:shortName "州妇联"``, at the start of the WHERE clause and of each UNION branch that uses the
    unit, where a person would put it), the other values as the terms they stand for (a VALUES block)."""
    import pyoxigraph as ox

    from antitraffick_kg.ask.params import bind_parameters
    from antitraffick_kg.pipeline.sources import open_store
    from antitraffick_kg.store.bindings import _union_branches, where_start, with_values

    units = {p.variable: params[p.name] for p in q.parameters if p.type == "unit" and p.name in params}
    rest = bind_parameters(q, params, store=lambda: open_store(corpus=corpus),
                           resolved={p.name: ox.NamedNode("urn:x") for p in q.parameters if p.variable in units})
    text = q.text
    at = where_start(text)
    inserts = []
    for variable, name in units.items():
        pattern = f" ?{variable} <https://w3id.org/antitraffick-kg/ontology#shortName> {ox.Literal(name)} .\n"
        inserts.append((at, pattern))
        inserts += [(b.start, pattern) for b in _union_branches(text, at) if variable in b.names]
    for position, block in sorted(inserts, reverse=True):
        text = text[:position] + block + text[position:]
    return with_values(text, {k: v for k, v in rest.items() if k not in units})


def _every_plans_rows_by_hand(q, params: dict, corpus) -> tuple[str, list] | None:
    """``q`` across every plan as a person writes it by hand to give the rows the library gives: the question's
    across form (``queries/across``), a unit by its name in each plan's graph (``GRAPH ?plan_graph { ?UNIT
    atk:shortName "州妇联" }`` at the start of the WHERE clause and of each UNION branch that uses the unit), a task
    by its notation, the other values as terms (a VALUES block); each row joined with the plan whose graph gave it,
    or with every plan for a row of the shared graphs alone, and that plan's jurisdiction.  Run with the shared
    graphs as default graph (returned beside the text).  None when the question has no across form or a value
    must be looked up in each plan (a policy area)."""
    import pyoxigraph as ox

    from antitraffick_kg.ask.catalogue import across_query
    from antitraffick_kg.ask.params import bind_parameters
    from antitraffick_kg.ask.tagged import _together
    from antitraffick_kg.pipeline.sources import open_store
    from antitraffick_kg.store.bindings import _places, where_start, with_rows, with_values
    from antitraffick_kg.store.graphsets import corpus_plan_graphs

    form = across_query(q.name)
    if form is None or any(p.type == "area" and p.name in params for p in q.parameters):
        return None
    units = {p.variable: params[p.name] for p in q.parameters if p.type == "unit" and p.name in params}
    tasks = {p.variable: ox.Literal(params[p.name]) for p in q.parameters if p.type == "task" and p.name in params}
    rest = bind_parameters(q, params, store=lambda: open_store(corpus=corpus),
                           resolved={p.name: ox.NamedNode("urn:x") for p in q.parameters
                                     if p.variable in units or p.variable in tasks})
    text = form.text
    at, branches = _places(text, in_graph=True)
    inserts = []
    for variable, name in units.items():
        pattern = (f" GRAPH ?plan_graph {{ ?{variable} <https://w3id.org/antitraffick-kg/ontology#shortName> "
                   f"{ox.Literal(name)} }}\n")
        inserts += [(at, pattern), *((start, pattern) for start, names in branches if variable in names)]
    for position, block in sorted(inserts, reverse=True):
        text = text[:position] + block + text[position:]
    # (inside the GRAPH blocks that name them too, where pyoxigraph joins them soonest, as the library does)
    text = with_values(text, {k: v for k, v in rest.items() if k not in units and k not in tasks}, in_graph=True)
    if tasks:                   # the notation written in each place that reads it (as with_rows places it)
        text = with_rows(text, list(tasks), [list(tasks.values())])
    select = re.search(r"^SELECT", text, re.M).start()
    columns = " ".join(f"?{c.name}" for c in q.columns)
    # (the plan and its jurisdiction under names of their own: a question may have a column "plan")
    wrapped = (text[:select] + f"SELECT ?for_plan ?for_jurisdiction {columns} WHERE {{\n  {{\n{text[select:]}\n  }}\n"
               "  GRAPH ?plan_graph { ?for_doc a <https://w3id.org/antitraffick-kg/ontology#PlanDocument> ;\n"
               "                        <https://w3id.org/antitraffick-kg/ontology#jurisdiction> ?for_jurisdiction }\n"
               '  BIND (STRAFTER(STR(?for_doc), "/id/plan/") AS ?for_plan)\n'
               '  FILTER (STRAFTER(STR(?plan_graph), "/id/graph/") = ?for_plan)\n}')
    where_start(wrapped)
    shared = _together(corpus, corpus_plan_graphs(corpus)).shared
    return wrapped, [ox.NamedNode(g) for g in shared]


def step_global(a: dict) -> dict:
    """One catalogue query across every plan with its parameters as a person types them (a unit by its name):
    through the library, and the same question written by hand with the name as a literal, run raw on
    pyoxigraph over the union of the store's graphs."""
    import pyoxigraph as ox

    from antitraffick_kg import query
    from antitraffick_kg.ask.catalogue import get_query
    from antitraffick_kg.store.corpus import Corpus

    corpus = Corpus.open(a["store"])
    q = get_query(a["query"])
    params = a.get("params") or _params(q, a["unit"], a["task"])
    text = _by_hand(q, params, corpus)

    every = _every_plans_rows_by_hand(q, params, corpus)

    def raw() -> tuple[float, int]:
        started = time.perf_counter()
        n = sum(1 for _ in corpus.store.query(text, use_default_graph_as_union=True))
        return time.perf_counter() - started, n

    def raw_every() -> tuple[float, int]:
        started = time.perf_counter()
        n = sum(1 for _ in corpus.store.query(every[0], default_graph=every[1])) if every else 0
        return time.perf_counter() - started, n

    def library_run() -> tuple[float, int]:
        if corpus.names is not None:        # the table keeps its answers: each run looks the name up anew
            corpus.names._kept.clear()
        started = time.perf_counter()
        n = len(query(q.name, params=params, corpus=corpus))
        return time.perf_counter() - started, n

    # Each side is timed in blocks of its own: one untimed run, then timed runs in a row, and the medians are
    # given.  So no side pays for a cold cache or a first call, nor reads caches another side warmed: taking
    # turns, the raw text found in the engine's caches the data the library had just read, and the library came
    # after a query that reads every graph, which made a question of 0.2 ms take twice as long, and one untimed
    # run of its own did not undo that.  The blocks run in one order and then in the reverse one, so a machine
    # growing busier or quieter weighs on every side alike: ``runs`` timed runs of each side, at least 2.
    sides = {"library": library_run, "raw": raw, **({"every": raw_every} if every else {})}
    times: dict[str, list[float]] = {name: [] for name in sides}
    counts: dict[str, int] = {}
    runs = max(2, a.get("runs", 1))
    for order, share in ((list(sides), (runs + 1) // 2), (list(reversed(sides)), runs // 2)):
        for name in order:
            sides[name]()
            for _ in range(share):
                seconds, counts[name] = sides[name]()
                times[name].append(seconds)
    library, raws, everys = times["library"], times["raw"], times.get("every", [])
    rows, raw_rows = counts["library"], counts["raw"]
    every_rows = counts.get("every")
    out = {"library": statistics.median(library), "raw": statistics.median(raws), "runs": len(library),
           "rows": rows, "raw_rows": raw_rows, "ox": ox.__version__}
    if every:
        out.update(every=statistics.median(everys), every_rows=every_rows)
    return out


def step_names(a: dict) -> dict:
    """A unit's name resolved for every plan at once (the library's lookup of the bound name: in the
    generation's table of names, or in the store's indexes when it has none), median of 7 after one untimed run,
    each a lookup anew (not the answer the table keeps), and the first run alone; and, for comparison, the lookup
    as one SPARQL query over the union of the graphs, which a name several plans share makes an error."""
    from antitraffick_kg.ask.across import Lookup
    from antitraffick_kg.ask.catalogue import get_query
    from antitraffick_kg.ask.params import _unit, _unit_lookups
    from antitraffick_kg.errors import QueryError
    from antitraffick_kg.store.corpus import Corpus
    from antitraffick_kg.store.stores import OxigraphStore

    corpus = Corpus.open(a["store"])
    out = {}
    for name in a["names"]:
        lookup = Lookup.on_corpus(corpus)
        tests = list(_unit_lookups(name, name, name))
        times = []
        for _ in range(8):
            if lookup.names is not None:    # the table keeps its answers: each run looks the name up anew
                lookup.names._kept.clear()
            started = time.perf_counter()
            found = lookup.units_named(tests)
            times.append(time.perf_counter() - started)
        union = OxigraphStore(corpus.store)
        started = time.perf_counter()
        try:
            _unit(get_query("tasks-by-unit").parameter("unit"), name, lambda: union)
            outcome = "one unit"
        except QueryError as exc:
            outcome = str(exc)[:60]
        out[name] = {"ms": statistics.median(times[1:]) * 1000, "first_ms": times[0] * 1000,
                     "table": lookup.names is not None, "units": len({u for t in found for u in t}),
                     "union_ms": (time.perf_counter() - started) * 1000, "union": outcome}
    return out
