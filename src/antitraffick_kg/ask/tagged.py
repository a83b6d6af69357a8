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
  an upper-level plan; a plan document that the shared graphs name and no graph of the store names another way,
  :func:`_same_document`), bound once over the shared graphs, or is one each plan resolves in its own graphs and
  that is looked up in every plan at once: a unit's name (each plan's unit of that name), a task or a policy area
  (each plan's notation, found by the steps of one plan's lookup,
  :meth:`~antitraffick_kg.ask.params.PlanKey.each_plan`), bound with each plan's graph in one ``VALUES`` table.
  A value that names nothing anywhere, or two things in one plan, is left to each plan's own question, which says
  what it names there.

The forms read a link or a no-match row of a mapping file (``rdf:subject``, ``rdf:object`` … of one statement)
whole from one graph, as the project writes them; a plan's own question, over the union of its graphs, would
also join a statement's triples from two graphs.  The test battery asks every question of several plans both
ways and compares every row.
"""

from __future__ import annotations

import weakref
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass

import pyoxigraph as ox

from ..iris import graph_iri
from ..rows import order_rows, sort_rows
from ..store.corpus import Corpus
from ..store.graphsets import PlanGraphs, own_graphs
from ..store.stores import OxigraphStore, Term
from .catalogue import ACROSS_COLUMN, CatalogueQuery, Parameter, across_query
from .across import units_in_plan
from .params import PARAMETER_RESOLVERS, Absent, KeyRows, ParamValue, bind_parameters
from ..errors import QueryError

__all__ = ["across_rows", "Together", "SAME_IN_EVERY_PLAN", "PLAN_KEYS"]

#: the parameter types whose values mean the same in every plan: resolved without a store, or (a measure of an
#: upper-level plan) in the graphs every plan shares
SAME_IN_EVERY_PLAN = frozenset({"role", "place", "target-group", "sector", "year", "date", "text", "function",
                                "measure"})


def across_rows(q: CatalogueQuery, params: Mapping[str, ParamValue], corpus: Corpus, plans: Sequence[PlanGraphs],
                *, units: Mapping[str, list] | None = None, allow_service: Collection[str] = (),
                timeout: float | None = None) -> Mapping[str, tuple[list[str], list[dict[str, str | None]]]]:
    """The answers of those of ``plans`` that ``q``'s across form answers, by plan id: ``(columns, rows)``, as
    the plan's own question gives them.  Empty when ``q`` has no across form, a parameter given means something
    different in each plan, or fewer than half the store's plans are asked over their plan part alone.

    ``units`` gives, for each unit parameter, what its name finds in every plan
    (:meth:`~antitraffick_kg.ask.across.Lookup.units_named`): each plan's unit of that name is bound with the
    plan's graph in one ``VALUES`` table, and a plan without one has no rows.  A name found in no plan, or naming
    two units of one plan, is left to each plan's own question, which says so."""
    from ..errors import QueryError, UnknownUnitError
    from ..store.bindings import with_rows, with_values

    form = across_query(q.name)
    if form is None or q.reads_every_plan:
        return NONE
    named = [p for p in q.parameters if p.type == "unit" and params.get(p.name) is not None]
    keyed = [p for p in q.parameters if p.type in PLAN_KEYS and params.get(p.name) is not None]
    documents = [p for p in q.parameters if p.type == "plan" and params.get(p.name) is not None]
    if any(params.get(p.name, p.default) is not None and p.type not in SAME_IN_EVERY_PLAN and p not in named
           and p not in keyed and p not in documents for p in q.parameters):
        return NONE
    units = units or {}
    if any(p.name not in units for p in named):
        return NONE
    picked = _together(corpus, plans)
    chosen, own, shared = picked.chosen, picked.own, picked.shared
    if len(chosen) < 2 or 2 * len(chosen) < len(corpus.plans):    # (few plans of many: each asked is quicker)
        return NONE
    # every named graph is offered (a list of named graphs makes pyoxigraph read them one by one, ten times
    # slower): a row of a graph not asked is left out below
    store = OxigraphStore(corpus.store, graphs=[ox.NamedNode(n) for n in shared], allow_service=allow_service,
                          timeout=timeout)
    found_keys = _plan_keys(keyed, params, store, picked.graphs if keyed else frozenset(), corpus)
    if found_keys is None:
        return NONE
    alike = {p.name: _same_document(p, str(params[p.name]).strip(), store, corpus) for p in documents}
    if any(node is None for node in alike.values()):
        return NONE
    keys, absent = found_keys
    table = []          # (the plan's graph, its unit for each unit parameter, its notation for each task or area)
    for g in (_holding(picked, [units[p.name] for p in named], keys) if named or keyed else ()):
        found = [units_in_plan(units[p.name], set(g.graphs)) for p in named]
        if any(hits is not None and len(hits) > 1 for hits in found):
            return NONE
        graph = graph_iri(g.plan)
        if all(hits is not None for hits in found) and all(graph in k for k in keys):
            table.append([ox.NamedNode(graph), *(ox.NamedNode(hits[0]) for hits in found), *(k[graph] for k in keys)])
    declared = [c.name for c in q.columns]
    apart = {p.variable for p in (*named, *keyed)}      # (bound by the table)
    try:
        # (a unit, task or area is bound by the table below: the term given here only stands in for it)
        stand_in: dict[str, Term] = {p.name: ox.NamedNode(graph_iri(chosen[0].plan)) for p in named}
        stand_in.update({p.name: ox.Literal("") for p in keyed})
        stand_in.update({name: node for name, node in alike.items() if node is not None})
        bindings: dict[str, Term] = bind_parameters(q, params, store=lambda: store, resolved=stand_in)
    except (Absent, UnknownUnitError):
        return NONE
    if apart and not table:         # no plan asked has a unit of that name, or the task: none has rows
        # (with what each plan's own question says of a task or area it does not have, when the plan's question
        # looks it up: one that names a unit or function the plan lacks has no rows before that)
        said = not named and not any(p.type == "function" and params.get(p.name) is not None for p in q.parameters)
        return Together(picked, declared, {}, [],
                        {picked.own[g]: e for g, e in absent().items() if g in picked.own} if said else {})
    once = {k: v for k, v in bindings.items() if k not in apart}
    if apart:
        # (a value given once is a column of the table, the same in every row: given as a one-row block beside
        # the table, pyoxigraph began a branch at that block, read every plan's matches, and then looked each one
        # up in the table row by row; it is not given to a sub-SELECT, where with_values never put it)
        given = [ACROSS_COLUMN, *(p.variable for p in (*named, *keyed))]
        text = with_rows(form.text, [*given, *once], [[*row, *once.values()] for row in table],
                         into_subselects=given)
    else:
        text = with_values(form.text, once, in_graph=True)
    columns, rows = store.select(text, source=str(form.path))
    if sorted(columns) != sorted([ACROSS_COLUMN, *declared]):
        raise QueryError(f"{form.path}: its columns are {', '.join(columns)}; an across form gives "
                         f"{ACROSS_COLUMN} and the columns of {q.path.name}: {', '.join(declared)}")
    every: list[dict[str, str | None]] = []
    by_plan: dict[str, list[dict[str, str | None]]] = {}
    mixed: set[str] = set()         # plans with rows of a graph under their own (their rows come in two runs)
    for row in rows:
        graph = row.pop(ACROSS_COLUMN)
        if graph is None:
            every.append(row)
        elif graph in own:
            plan = own[graph]
            by_plan.setdefault(plan, []).append(row)
            if graph not in picked.graphs:
                mixed.add(plan)
    # the store gives the rows sorted on its columns: with the plan's graph first and then the question's own, each
    # plan's rows of its graph are already in the order of the question's columns, and only its ``order`` is left
    # to apply
    in_order = columns == [ACROSS_COLUMN, *declared]

    def ordered(found: list, plan: str | None = None) -> list:
        if in_order and plan not in mixed:
            return order_rows(found, q.order)
        return sort_rows(declared, found, order=q.order)
    every = ordered(every)
    return Together(picked, declared, {plan: sort_rows(declared, [*found, *every], order=q.order) if every
                                       else ordered(found, plan) for plan, found in by_plan.items()}, every)


class Together(Mapping[str, tuple[list[str], list[dict[str, str | None]]]]):
    """The answers of the plans asked together, by plan id, ``(columns, rows)``: a plan's rows of its own graphs
    with the rows every plan has (read from the shared graphs alone), or those alone.  Made in one pass over
    the rows, not over the plans: a question most plans have no row for costs what its rows cost."""

    def __init__(self, found: "_Chosen | None", columns: list[str], own: dict[str, list[dict[str, str | None]]],
                 every: list[dict[str, str | None]], missing: Mapping[str, QueryError] | None = None) -> None:
        self._found, self.columns, self._own, self._every = found, columns, own, every
        #: what each plan's own question says of a parameter naming nothing there, by plan id (given when no
        #: plan has rows)
        self.missing = dict(missing or {})
        self._plans = found.covered if found is not None else frozenset()

    def __getitem__(self, plan: str) -> tuple[list[str], list[dict[str, str | None]]]:
        if plan not in self._plans:
            raise KeyError(plan)
        return self.columns, self._own.get(plan, self._every)

    def __contains__(self, plan: object) -> bool:
        return plan in self._plans

    def __iter__(self) -> Iterator[str]:
        return iter(self._plans)

    def __len__(self) -> int:
        return len(self._plans)

    def to_ask(self, count: int) -> Iterable[int]:
        """The places, in order, of the ``count`` plans asked that are not answered here with no row: those of
        the plans answered with rows when every plan is answered here."""
        found = self._found
        if found is None or self._every or len(found.chosen) < count:
            return (i for i in range(count) if found is None or self._every or found.plans[i].plan not in
                    self._plans or found.plans[i].plan in self._own)
        return sorted(found.position[plan] for plan in self._own)


#: no plan answered together
NONE = Together(None, [], {}, [])


#: every plan's tasks and areas as :meth:`~antitraffick_kg.ask.params.PlanKey.rows_by_graph` reads them, by handle
_KEY_ROWS: "weakref.WeakKeyDictionary[Corpus, dict[str, KeyRows]]" = weakref.WeakKeyDictionary()
#: the parameter types each plan resolves to a notation of its own (:class:`~antitraffick_kg.ask.params.PlanKey`)
PLAN_KEYS = frozenset({"task", "area"})
#: whether the graphs every plan shares hold a task or a policy area (a plan's question would find them too)
_SHARED_KEYS = """PREFIX atk: <https://w3id.org/antitraffick-kg/ontology#>
ASK { { ?x a atk:Task } UNION { ?x a atk:PolicyArea } }"""


def _plan_keys(keyed: list, params: Mapping[str, ParamValue], store: OxigraphStore, graphs: Collection[str],
               corpus: Corpus) -> tuple[list[dict[str, Term]], Callable[[], dict[str, Absent]]] | None:
    """For each task or area parameter, the notation its value finds in each plan (its graph's IRI) that has
    one, found as the plan's own question finds it, and what gives, for each plan it finds nothing in (which has
    no rows), what the plan's own question says (for the first parameter that finds nothing there; written only
    when asked for).  None when a plan's own question would give another error (the value names several in a
    plan), or when the shared graphs hold tasks or areas.  Every plan's tasks or areas, read when a value is
    looked for in another spelling, are kept with the corpus handle (a generation does not change), and answer
    each step of the lookups that come after."""
    from ..errors import QueryError

    if not keyed:
        return [], dict
    if store.ask(_SHARED_KEYS, source="looking up tasks and areas"):
        return None
    keys, each = [], []
    for p in keyed:
        resolver = PARAMETER_RESOLVERS[p.type]
        kept = _KEY_ROWS.setdefault(corpus, {})

        def every(kind: str = p.type, resolver=resolver) -> KeyRows:
            if kind not in kept:
                kept[kind] = resolver.rows_by_graph(store)
            return kept[kind]
        found = resolver.each_plan(p, str(params[p.name]).strip(), store, graphs, every=every,
                                   known=kept.get(p.type))
        if any(isinstance(v, QueryError) and not isinstance(v, Absent) for v in found.values()):
            return None
        keys.append({g: v for g, v in found.items() if not isinstance(v, QueryError)})
        each.append(found)

    def absent() -> dict[str, Absent]:
        out: dict[str, Absent] = {}
        for found in each:
            for g in found.lacking:
                out.setdefault(g, found[g])
        return out
    return keys, absent


#: every plan document a graph of the store types, and every document number a graph gives, by handle
_DOCUMENT_ROWS: "weakref.WeakKeyDictionary[Corpus, tuple[frozenset[str], frozenset[tuple[str, str]]]]" = \
    weakref.WeakKeyDictionary()
_EVERY_DOCUMENT = """PREFIX eli: <http://data.europa.eu/eli/ontology#>
SELECT DISTINCT ?node WHERE { GRAPH ?g { ?node a eli:LegalResource } }"""
_EVERY_NUMBER = """PREFIX eli: <http://data.europa.eu/eli/ontology#>
SELECT DISTINCT ?node ?number WHERE { GRAPH ?g { ?node eli:id_local ?number } }"""


def _same_document(p: Parameter, value: str, store: OxigraphStore, corpus: Corpus) -> Term | None:
    """The plan document ``value`` names in every plan alike: the one the graphs every plan shares resolve it to
    (by IRI, id or number, as a plan's own lookup does), when no graph of the store types another document whose
    IRI or id is ``value``, nor gives another document ``value`` as its number.  Each plan's own lookup, which
    reads the shared graphs and its own, then finds that document and it alone.  None otherwise: each plan is
    asked on its own, and says what the value names there."""
    from .params import _fold

    try:
        node = PARAMETER_RESOLVERS["plan"](p, value, lambda: store)
    except QueryError:
        return None
    if not isinstance(node, ox.NamedNode):
        return None
    if corpus not in _DOCUMENT_ROWS:
        _, typed = store.select(_EVERY_DOCUMENT, source="looking up plan documents")
        _, numbered = store.select(_EVERY_NUMBER, source="looking up plan documents")
        _DOCUMENT_ROWS[corpus] = (frozenset(r["node"] for r in typed if r["node"]),
                                  frozenset((r["node"], r["number"]) for r in numbered if r["node"] and r["number"]))
    typed_nodes, numbers = _DOCUMENT_ROWS[corpus]
    target = _fold(value[1:-1] if value.startswith("<") and value.endswith(">") else value)
    if any(m != node.value and target in (_fold(m), _fold(m.partition("/id/plan/")[2])) for m in typed_nodes):
        return None
    if any(m != node.value and _fold(number) == target for m, number in numbers):
        return None
    return node


def _holding(chosen: "_Chosen", found: list[list], keys: Sequence[Mapping[str, Term]] = ()) -> list[PlanGraphs]:
    """The plans chosen that a unit's name can find a unit in: those whose own graphs name or type one (what
    :meth:`~antitraffick_kg.ask.across.Lookup.units_named` found, ``{unit: (naming graphs, typing graphs)}`` for
    each test), or every plan when a graph not of one of them does (none with no unit parameter).  With no unit
    parameter and ``keys`` (each task or area parameter's notation by plan graph), those the first one has."""
    if not found:
        if keys:
            return [chosen.plans[chosen.position[chosen.own[g]]] for g in keys[0] if g in chosen.graphs]
        return chosen.chosen
    graphs = {n for tests in found for typed in tests for named, kinds in typed.values() for n in (*named, *kinds)}
    if any(n not in chosen.own for n in graphs):
        return chosen.chosen
    return [chosen.plans[chosen.position[plan]] for plan in sorted({chosen.own[n] for n in graphs})]


@dataclass(frozen=True)
class _Chosen:
    """What :func:`_together` found for a list of plans."""

    #: the plans asked (held, so that their ids, which key what is kept, stay theirs)
    plans: Sequence[PlanGraphs]
    #: those asked together
    chosen: list[PlanGraphs]
    #: the plan owning each graph of those
    own: dict[str, str]
    #: the graphs every plan shares
    shared: list[str]
    #: the ids of the plans chosen
    covered: frozenset[str]
    #: each plan's place among those asked
    position: dict[str, int]
    #: the graphs of the plans chosen (their IRIs), each one the plan's own
    graphs: frozenset[str]


#: what :func:`_together` found, by corpus handle and plans asked
_FOUND: "weakref.WeakKeyDictionary[Corpus, dict[tuple, _Chosen]]" = weakref.WeakKeyDictionary()


def _together(corpus: Corpus, plans: Sequence[PlanGraphs]) -> _Chosen:
    """Of ``plans``, those asked together: each plan whose every graph in the store is of its plan part (so the
    only graphs under its own), all of them in its question; with the plan owning each of their graphs and the
    graphs every plan shares.  Found once per corpus handle (a generation does not change) and plans: the same
    objects, as :func:`~antitraffick_kg.store.graphsets.corpus_plan_graphs` keeps them."""
    kept = _FOUND.setdefault(corpus, {})
    last = next(iter(kept.values()), None)
    if last is not None and last.plans is plans:        # (the same plans again: as the handle keeps them)
        return last
    key = tuple(map(id, plans))
    if key not in kept:
        kinds: dict[str, set[str]] = {}
        for plan, kind in corpus.entries:
            kinds.setdefault(plan, set()).add(kind)
        mine = {g.plan: set(own_graphs(g.plan, g.graphs)) for g in plans}
        chosen = [g for g in plans
                  if kinds.get(g.plan) == {"plan"} and mine[g.plan] == set(corpus.entry(g.plan).graphs)]
        own = {n: g.plan for g in chosen for n in mine[g.plan]}
        shared = sorted({n for g in plans for n in g.graphs}.difference(*mine.values()))
        kept.clear()                # (one set of plans kept: the last asked)
        kept[key] = _Chosen(plans, chosen, own, shared, frozenset(g.plan for g in chosen),
                            {g.plan: i for i, g in enumerate(plans)}, frozenset(graph_iri(g.plan) for g in chosen))
    return kept[key]


