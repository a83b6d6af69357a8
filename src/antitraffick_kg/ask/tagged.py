"""A question asked of many plans of the corpus store in one query: its across form, where the catalogue has one.

Asked of each plan in turn, a question costs one evaluation per plan, and a question that starts from what every
plan shares (the upper-level measures, the ontology) does the same work once per plan.  The across form of a
catalogue question (``queries/across/<name>.rq``, :func:`~antitraffick_kg.ask.catalogue.across_query`) is the
question written once for every plan: each pattern that reads a plan's own graph stands inside
``GRAPH ?plan_graph``, the others read the default graph, and ``?plan_graph`` is its first column.  It runs once on
the store on disk with the graphs every plan shares as default graph, and its rows are shared out by
``plan_graph``: a row with a graph of a plan asked is that plan's, a row without one (read from the shared graphs
alone) is every plan's, a row of any other graph is left out.  Each plan's rows are then sorted as its own answer
is.  A pattern that may read the shared graphs or the plan's own (a link to an upper measure, from a mapping file
of the project or of the plan's folder) reads both, a graph of the plan's own being ``?plan_graph`` or one under it.

It is used only where it answers exactly as the plan's own question would:

- for a plan whose graphs in the store are those of its plan part (``…/id/graph/<plan>``, its counterparts, its
  family link and its mapping files), all of them in the question: a plan with progress reports or inferred facts,
  in graphs of their own, is asked on its own; and when at least half the store's plans are so asked;
- when each parameter given means the same in every plan (a role, a place, a year, a unit function, a measure of
  an upper-level plan: not a unit's name, a task, a policy area or a plan document, which each plan resolves in
  its own graphs), bound once over the shared graphs; a value they do not resolve is left to each plan's own
  question, which says what it names there.

The test battery asks every question of several plans both ways and compares every row.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence

import pyoxigraph as ox

from ..iris import graph_iri
from ..rows import sort_rows
from ..store.corpus import Corpus
from ..store.graphsets import PlanGraphs
from ..store.stores import OxigraphStore
from .catalogue import ACROSS_COLUMN, CatalogueQuery, across_query
from .params import Absent, ParamValue, bind_parameters

__all__ = ["across_rows", "SAME_IN_EVERY_PLAN"]

#: the parameter types whose values mean the same in every plan: resolved without a store, or (a measure of an
#: upper-level plan) in the graphs every plan shares
SAME_IN_EVERY_PLAN = frozenset({"role", "place", "target-group", "sector", "year", "date", "text", "function",
                                "measure"})


def across_rows(q: CatalogueQuery, params: Mapping[str, ParamValue], corpus: Corpus, plans: Sequence[PlanGraphs],
                *, allow_service: Collection[str] = (),
                timeout: float | None = None) -> dict[str, tuple[list[str], list[dict[str, str | None]]]]:
    """The answers of those of ``plans`` that ``q``'s across form answers, by plan id: ``(columns, rows)``, as
    the plan's own question gives them.  Empty when ``q`` has no across form, a parameter given means something
    different in each plan, or fewer than two plans are asked over their plan graphs alone."""
    from ..errors import QueryError, UnknownUnitError
    from ..store.stores import Term

    form = across_query(q.name)
    if form is None or q.reads_every_plan:
        return {}
    if any(params.get(p.name, p.default) is not None and p.type not in SAME_IN_EVERY_PLAN for p in q.parameters):
        return {}
    kinds: dict[str, set[str]] = {}
    for plan, kind in corpus.entries:
        kinds.setdefault(plan, set()).add(kind)
    # a plan whose every graph in the store is of its plan part (so the only graphs under its own), asked so
    mine = {g.plan: _own(g) for g in plans}
    own = {n: g.plan for g in plans if kinds.get(g.plan) == {"plan"} and mine[g.plan] == set(corpus.entry(g.plan).graphs)
           for n in mine[g.plan]}
    asked = set(own.values())
    if len(asked) < 2 or 2 * len(asked) < len(corpus.plans):     # (few plans of many: each asked is quicker)
        return {}
    shared = sorted({n for g in plans for n in g.graphs}.difference(*mine.values()))
    # every named graph is offered (a list of named graphs makes pyoxigraph read them one by one, ten times
    # slower): a row of a graph not asked is left out below
    store = OxigraphStore(corpus.store, graphs=[ox.NamedNode(n) for n in shared], allow_service=allow_service,
                          timeout=timeout)
    try:
        bindings: dict[str, Term] = bind_parameters(q, params, store=lambda: store)
    except (Absent, UnknownUnitError):
        return {}
    columns, rows = store.select(form.text, bindings=bindings, source=str(form.path))
    declared = [c.name for c in q.columns]
    if sorted(columns) != sorted([ACROSS_COLUMN, *declared]):
        raise QueryError(f"{form.path}: its columns are {', '.join(columns)}; an across form gives "
                         f"{ACROSS_COLUMN} and the columns of {q.path.name}: {', '.join(declared)}")
    every: list[dict[str, str | None]] = []
    by_plan: dict[str, list[dict[str, str | None]]] = {plan: [] for plan in asked}
    for row in rows:
        graph = row[ACROSS_COLUMN]
        if graph is None:
            every.append({c: row[c] for c in declared})
        elif graph in own:
            by_plan[own[graph]].append({c: row[c] for c in declared})
    return {plan: (declared, sort_rows(declared, [*mine, *every], order=q.order)) for plan, mine in by_plan.items()}


def _own(plan: PlanGraphs) -> set[str]:
    """The graphs of ``plan``'s question that are its own (``…/id/graph/<plan>`` and those under it)."""
    base = graph_iri(plan.plan)
    under = base + "/"
    return {n for n in plan.graphs if n.startswith(under) or n == base}
