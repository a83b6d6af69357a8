"""Ask the plan a catalogue question: resolve the parameters, run the query on a store, format the rows.

Parameter values are checked and turned into RDF terms before they reach a store
(:mod:`antitraffick_kg.ask.params`); no value is ever pasted into query text (see
:mod:`antitraffick_kg.store.stores`).  A question to several plans is each plan's own question, its rows
with the plan's id and jurisdiction first (:mod:`antitraffick_kg.ask.across`).
"""

from __future__ import annotations

import functools
import itertools
import re
import weakref
from collections.abc import Callable, Collection, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import pyoxigraph as ox

from .across import Lookup, Target, Targets, answer_each, extract_lacks, units_in_plan, upper_plans
from .catalogue import CatalogueQuery, get_query, upper_query
from .output import format_answer, format_rows, format_triples
from .tagged import NONE, Together, across_rows
from .params import STORE_LOOKUPS, Absent, ParamValue, _function, _listed, _shown, _unit_lookups, bind_parameters
from ..store.corpus import Corpus
from ..errors import EndpointError, QueryError, UnknownUnitError
from ..formats import StoreKind, choices
from ..resources import DEFAULT_PLAN
from ..rows import order_rows, sort_rows
from ..pipeline.sources import open_store
from ..store.graphsets import OnePlanAtATime, PlanGraphs, corpus_plan_graphs, every_plan_at_hand
from ..store.reads import Reads, query_reads
from ..store.stores import OxigraphStore, RdflibStore, Store, Term, check_not_empty

__all__ = ["query", "QueryResult", "bind_parameters", "format_rows", "format_answer", "format_triples", "Rows",
           "ParamValue"]

Rows = list[dict[str, str | None]]


@dataclass(frozen=True)
class QueryResult(Sequence):
    """The rows a query returned, in a deterministic order; a sequence of ``dict`` rows.

    ``form`` is the query's form: SELECT (``rows``), ASK (``boolean``), CONSTRUCT or DESCRIBE (``triples``, as
    pyoxigraph triples sorted by their N-Triples text; :func:`format_triples` writes them).
    ``to_dataframe()`` gives a pandas DataFrame when pandas is installed.  ``notes`` say what an answer over
    every plan could not hold (an upper-level plan whose reference extract has no unit data), one line each.
    """

    query: str
    columns: tuple[str, ...]
    rows: tuple[dict[str, str | None], ...]
    form: str = "SELECT"
    boolean: bool | None = None
    triples: tuple[ox.Triple, ...] = ()
    notes: tuple[str, ...] = ()

    def __len__(self) -> int:
        return len(self.rows)

    def __getitem__(self, index):
        return self.rows[index]

    def __iter__(self) -> Iterator[dict[str, str | None]]:
        return iter(self.rows)

    def to_dataframe(self):
        """The rows as a pandas DataFrame; raises :class:`QueryError` naming the extra when pandas is missing."""
        try:
            import pandas as pd
        except ImportError:
            raise QueryError("pandas is not installed; install it with pip install 'antitraffick-kg[pandas]'") \
                from None
        return pd.DataFrame(list(self.rows), columns=list(self.columns))


def query(name: str | Path, *, params: Mapping[str, ParamValue] | None = None,
          store: StoreKind | str | Store = "oxigraph", endpoint: str | None = None, plan: str | None = None,
          plans: Sequence[str] | Literal["all"] | None = None,
          build_dir: str | Path = "build", inferred: bool = False, timeout: float | None = None,
          allow_service: Collection[str] = (),
          corpus: Corpus | Callable[[], Corpus] | None = None) -> QueryResult:
    """Run catalogue query ``name`` (or a ``.rq`` file) with ``params``; return its rows.

    ``store`` is ``"oxigraph"`` (embedded, the default), ``"rdflib"``, or a
    :class:`~antitraffick_kg.store.stores.Store` already open; ``endpoint`` sends the
    query to a remote SPARQL endpoint instead (``timeout`` seconds).  With
    ``corpus`` (see :func:`~antitraffick_kg.pipeline.sources.open_corpus`) the query
    answers from the corpus store over ``plan``'s graphs; ``corpus`` may also be a function that opens it, called
    only once a question needs the store (so a bad parameter is reported
    first).  Without it the embedded stores hold ``plan`` (the
    default plan when None), from ``build_dir`` when that build is fresh,
    and with ``inferred`` also the facts ``antitraffick-kg reason`` inferred;
    they run a ``SERVICE`` only to a server listed in ``allow_service``.

    ``plans`` asks several plans at once (``"all"``: every plan of the corpus store or of the endpoint; with a
    corpus and neither ``plan`` nor ``plans``, every plan too): each plan answers as its own question would, and
    its rows come with the columns ``plan`` and ``jurisdiction`` first (see :mod:`antitraffick_kg.ask.across`).
    On an ``endpoint``, ``plan`` and ``plans`` name the plans' graphs in ``FROM`` and ``FROM NAMED`` clauses, so
    the server's own default graph does not matter; with neither, the plan is the server's only plan or the
    default plan (a server holding no plan is asked as it is).

    ``timeout``: seconds the query may take on any store, ``SERVICE`` calls
    included (None: no limit on an embedded store, 30 s for an endpoint or a
    ``SERVICE``); a query still running then raises :class:`EndpointError`.  An endpoint's answer must have the
    columns the query's header declares.
    Rows are sorted as the query's header says: on its ``order`` columns, then
    on every column, left to right, in natural order.

    Raises :class:`UnknownQueryError`, :class:`UnknownUnitError`,
    :class:`QueryError` (bad parameter, syntax error, an update, a
    ``SERVICE`` not allowed) and :class:`EndpointError`.

    >>> rows = query("tasks-by-unit", params={"unit": "州妇联", "role": "support", "place": "边境地区"})
    >>> sorted({r["task"] for r in rows})
    ['7.6']
    """
    q = get_query(name)
    check_not_empty(q.text, str(q.path))
    if plans is not None and plans != "all":
        if isinstance(plans, str):
            raise QueryError(f"plans takes a list of plan ids or 'all', not '{plans}'")
        plans = list(dict.fromkeys(str(p) for p in plans))
        if plan is not None:
            raise QueryError("give plan or plans, not both")
        if not plans:
            raise QueryError("plans is empty: name at least one plan, or 'all'")
        if len(plans) == 1:
            plan, plans = plans[0], None
    if endpoint is not None and isinstance(store, str):
        return _on_endpoint(q, params or {}, endpoint=endpoint, plan=plan, plans=plans, inferred=inferred,
                            timeout=timeout)
    if plans is not None or (plan is None and corpus is not None and isinstance(store, str)):
        if not isinstance(store, str) or corpus is None:
            raise QueryError("several plans are asked of the corpus store: give corpus= (and the store by name)")
        handle = corpus() if callable(corpus) else corpus
        chosen = None if plans in (None, "all") else sorted(plans)
        targets = _corpus_targets(handle, chosen, kind=store, inferred=inferred, allow_service=allow_service,
                                  timeout=timeout, other_plans=q.reads_every_plan,
                                  reads=lambda: _reads(q))

        def upper(graphs: PlanGraphs) -> Target:
            @functools.cache
            def opened() -> Store:
                names = [ox.NamedNode(g) for g in graphs.graphs]
                if store == "rdflib":
                    data = ox.serialize((quad for g in names for quad in handle._quads(g)),
                                        format=ox.RdfFormat.N_QUADS)
                    return RdflibStore.from_nquads(data, allow_service=allow_service, timeout=timeout)
                return OxigraphStore(handle.store, graphs=names, allow_service=allow_service, timeout=timeout)
            return Target(graphs, opened, upper=True)
        together = (functools.partial(across_rows, q, params or {}, handle, targets.plans,
                                      allow_service=allow_service, timeout=timeout) if store == "oxigraph" else None)
        return _across(q, params or {}, targets, Lookup.on_corpus(handle),
                       upper=upper if chosen is None else None, together=together)
    opened: list[Store] = [store] if not isinstance(store, str) else []

    def get_store() -> Store:
        if not opened:
            handle = corpus() if callable(corpus) else corpus
            opened.append(open_store(store, plan=plan if plan or handle else DEFAULT_PLAN,  # type: ignore[arg-type]
                                     build_dir=build_dir, inferred=inferred, timeout=timeout,
                                     allow_service=allow_service, corpus=handle,
                                     other_plans=q.reads_every_plan,
                                     reads=(lambda: _reads(q)) if q.reads_every_plan else None))
        return opened[0]

    bindings = bind_parameters(q, params or {}, store=get_store)
    return _result(q, *_answer(q, get_store(), bindings))


@functools.lru_cache(maxsize=256)
def _reads(q: CatalogueQuery) -> Reads | None:
    """What ``q`` and the lookups of its parameters can read (None: any predicate; the same answer while the
    query's file is unchanged: an edited file is another ``q``)."""
    return query_reads([q.text, *STORE_LOOKUPS])


def _where(store) -> str:
    return getattr(store, "url", None) or store.name


def _answer(q: CatalogueQuery, asked, bindings: Mapping[str, Term]) -> tuple[str, object]:
    """The form of ``q`` and the answer ``asked`` gives it with ``bindings``."""
    # the engine answers in the form it reads (no guess from the text); a CONSTRUCT and a DESCRIBE look alike
    # in its answer, so the parser names them, for a graph query only
    if hasattr(asked, "answer"):
        answer = asked.answer(q.text, bindings=bindings, source=str(q.path))
    else:                   # a store of the caller's that answers SELECT only (the protocol's one required method)
        answer = asked.select(q.text, bindings=bindings, source=str(q.path))
    if isinstance(answer, bool):
        return "ASK", answer
    if isinstance(answer, list):
        from ..store.stores import query_form

        return query_form(q.text, str(q.path)), answer
    engine, rows = answer
    columns = _declared_columns(q, engine, where=_where(asked))
    if q.order:     # a store gives its rows sorted on its columns (the Store protocol): only the order is added
        rows = order_rows(rows, q.order) if columns == engine else sort_rows(columns, rows, order=q.order)
    return "SELECT", (columns, rows)


def _result(q: CatalogueQuery, form: str, answer) -> QueryResult:
    if form == "ASK":
        return QueryResult(q.name, (), (), form="ASK", boolean=bool(answer))
    if form in ("CONSTRUCT", "DESCRIBE"):
        return QueryResult(q.name, (), (), form=form, triples=tuple(sorted(set(answer), key=str)))
    columns, rows = answer
    return QueryResult(q.name, tuple(columns), tuple(rows))


# -- several plans -------------------------------------------------------------------
#: the embedded stores a question over several plans of the corpus store can be asked on
_STORE_KINDS = frozenset(choices(StoreKind))
#: rdflib copies of plans, by the corpus handle they were read from
_RDFLIB_COPIES: "weakref.WeakKeyDictionary[Corpus, dict[tuple[str, bool], object]]" = weakref.WeakKeyDictionary()
#: the in-memory store each corpus handle asks its plans in, one at a time (with and without the inferred graphs)
_SWAPS: "weakref.WeakKeyDictionary[Corpus, dict[bool, object]]" = weakref.WeakKeyDictionary()


def _corpus_targets(corpus: Corpus, plans: Sequence[str] | None, *, kind: str, inferred: bool,
                    allow_service: Collection[str], timeout: float | None,
                    other_plans: bool = False,
                    reads: Callable[[], Reads | None] = lambda: None) -> Targets:
    """The plans of ``corpus`` to ask, each with a store over its graphs: on disk (no copy: the union of the
    plan's graphs is the default graph), or a copy in rdflib.  With ``other_plans`` (a query that reads the
    other plans as named graphs) the plans after the first are asked in a store in memory that holds every plan's
    units and documents beside the plan's graphs.  Those in memory hold only the plan's quads that what
    ``reads`` gives can match (all of them when None); it is called only once a plan is held in memory."""
    if kind not in _STORE_KINDS:
        raise QueryError(f"unknown store '{kind}'; choose one of {', '.join(choices(StoreKind))}, or give an endpoint")

    kept: dict[str, Store] = {}     # the stores kept for the plan they were opened for

    def get(graphs: PlanGraphs) -> Store:
        if graphs.plan in kept:
            return kept[graphs.plan]
        if kind == "rdflib":            # a copy per plan, made once per handle (rdflib parses slowly)
            copies = _RDFLIB_COPIES.setdefault(corpus, {})
            key = (graphs.plan, inferred, other_plans)
            if key not in copies:
                own = corpus.nquads(graphs.plan, inferred=inferred)
                copies[key] = (RdflibStore.over(own, corpus.nquads(None, inferred=inferred)) if other_plans
                               else RdflibStore.from_nquads(own)).graph
            kept[graphs.plan] = RdflibStore(copies[key], allow_service=allow_service, timeout=timeout)
            return kept[graphs.plan]
        first = not asked
        asked.append(graphs.plan)
        if first and not (inferred and corpus.inferred_apart):
            # the first plan asked: on disk (a question about one unit may ask no other plan)
            kept[graphs.plan] = OxigraphStore(corpus.store, graphs=[ox.NamedNode(g) for g in graphs.graphs],
                                              allow_service=allow_service, timeout=timeout)
            return kept[graphs.plan]
        # the next ones: a store in memory holding this plan while it is asked, not kept (a store made anew
        # for a later plan must not stay alive through this plan's target)
        if other_plans:                 # a question that reads every plan: every plan's units too
            read = reads()
            at_hand = every_plan_at_hand(corpus, inferred=inferred, reads=read)
            held = at_hand.holding(graphs, reads=read)
            return OxigraphStore(held, graphs=at_hand.default, allow_service=allow_service, timeout=timeout)
        swaps = _SWAPS.setdefault(corpus, {})
        if inferred not in swaps:
            swaps[inferred] = OnePlanAtATime(corpus, inferred=inferred)
        return OxigraphStore(swaps[inferred].holding(graphs, reads=reads()), allow_service=allow_service,
                             timeout=timeout)

    asked: list[str] = []
    return Targets(corpus_plan_graphs(corpus, plans, inferred=inferred), lambda g: functools.partial(get, g))


def _on_endpoint(q: CatalogueQuery, params: Mapping[str, ParamValue], *, endpoint: str, plan: str | None,
                 plans: Sequence[str] | Literal["all"] | None, inferred: bool, timeout: float | None) -> QueryResult:
    """``q`` asked of a server: over the graphs of ``plan`` or of each of ``plans``, named in dataset clauses."""
    from ..store.graphsets import served_plan_graphs
    from ..store.stores import SERVICE_TIMEOUT, RemoteStore

    remote = RemoteStore.from_env(endpoint, timeout=timeout if timeout is not None else SERVICE_TIMEOUT)
    try:
        served = served_plan_graphs(remote, inferred=inferred)
    except EndpointError:
        if plan is not None or plans is not None:
            raise
        served = []
    held = {s.plan: s for s in served}
    if plans is None:
        if plan is None:
            if not served:          # a server holding no plan of ours: asked as it is
                bindings = bind_parameters(q, params, store=lambda: remote)
                return _result(q, *_answer(q, remote, bindings))
            plan = served[0].plan if len(served) == 1 else DEFAULT_PLAN
        if plan not in held:
            raise QueryError(f"{endpoint} holds no plan '{plan}'; it holds {_listed(sorted(held))}: give one with "
                             "--plan, or --all-plans")
        one = remote.over(held[plan].graphs, _named(q, held[plan], served))
        return _result(q, *_answer(q, one, bind_parameters(q, params, store=lambda: one)))
    if plans != "all":
        missing = [p for p in plans if p not in held]
        if missing:
            raise QueryError(f"{endpoint} holds no plan {', '.join(repr(p) for p in missing)}; it holds "
                             f"{_listed(sorted(held))}")
    chosen = served if plans == "all" else [held[p] for p in sorted(plans)]
    targets = Targets(chosen, lambda s: lambda: remote.over(s.graphs, _named(q, s, served)))
    return _across(q, params, targets, Lookup.on_server(remote),
                   upper=(lambda s: Target(s, lambda: remote.over(s.graphs, s.graphs), upper=True))
                   if plans == "all" else None)


def _named(q: CatalogueQuery, plan: PlanGraphs, served: Sequence[PlanGraphs]) -> list[str]:
    """The named graphs of ``plan``'s question on a server: its own graphs, and every served plan's too when
    the query reads the other plans (``# reads: every plan``)."""
    if not q.reads_every_plan:
        return list(plan.graphs)
    return sorted({g for s in (plan, *served) for g in s.graphs})


def _across(q: CatalogueQuery, params: Mapping[str, ParamValue], targets: Targets,
            lookup: Lookup, *, upper: Callable[[PlanGraphs], Target] | None = None,
            together: Callable[..., Together] | None = None) -> QueryResult:
    """``q`` asked of each plan of ``targets``; the answers joined with the plan columns first.  With ``upper``
    (every plan asked) and a form of ``q`` for upper-level plans, the reference extracts the store holds are
    asked too, each a target ``upper`` makes; what they lack is said in the result's notes.  ``together`` asks
    many plans at once (:func:`~antitraffick_kg.ask.tagged.across_rows`, given what each unit parameter's name
    finds) and gives their answers by plan id; the other plans are asked one by one."""
    for name in params:
        q.parameter(name)
    given = {p.name: params.get(p.name, p.default) for p in q.parameters}
    upper_q = upper_query(q.name) if upper is not None else None
    notes: list[str] = []
    uppers = [upper(g) for g in upper_plans(lookup)] if upper_q is not None else []    # type: ignore[misc]
    places = [str(given[p.name]) for p in q.parameters if p.type == "place" and given.get(p.name) is not None]
    units = {}          # unit parameter -> what its value names, by graph, for every plan at once
    functions = {}      # function parameter -> the graphs giving a unit that function
    for p in q.parameters:
        raw = given.get(p.name)
        if raw is None:
            continue
        text = str(raw).strip()
        if p.type == "unit":
            iri = text[1:-1] if text.startswith("<") and text.endswith(">") else text
            found = lookup.units_named(list(_unit_lookups(text, iri, re.sub(r"\s+", "", text))))
            if any(found):
                units[p.name] = found
        elif p.type == "function":
            functions[p.name] = lookup.graphs_with_function(_function(p, text, lambda: None))
    problems: dict[tuple[bool, str], QueryError] = {}     # what each plan's question says its parameters name nothing
    answered = together(units=units) if together is not None else NONE
    problems.update({(False, plan): exc for plan, exc in answered.missing.items()})

    def ask(target: Target):
        if target.plan in answered and not target.upper:
            return "SELECT", answered[target.plan]
        graphs = set(target.graphs.graphs)
        if any(not (g & graphs) for g in functions.values()):
            return None
        resolved = {}
        for name, found in units.items():
            hits = units_in_plan(found, graphs)
            if hits is None:
                return None
            if len(hits) > 1:
                raise QueryError(f"parameter {name}: '{_shown(str(given[name]))}' names {len(hits):,} units in plan "
                                 f"{target.plan}: {_listed(hits)}; give the IRI")
            resolved[name] = ox.NamedNode(hits[0])
        asked = upper_q if target.upper and upper_q is not None else q
        try:
            bindings = bind_parameters(asked, params, store=target.store, resolved=resolved)
        except (Absent, UnknownUnitError) as exc:
            problems[(target.upper, target.plan)] = exc
            return None
        if target.upper:                # an extract asked: what it lacks for this question is said
            lacks = extract_lacks(lookup, target.plan, places=places)
            notes.extend(lacks)
            if lacks:                   # no unit assigned, or no place named when one is asked: no rows
                return None
        return _answer(asked, target.store(), bindings)

    # (a plan answered together with no row adds nothing: it is passed over without a target made for it)
    each = (targets[i] for i in answered.to_ask(len(targets)))
    form, columns, rows, extra = answer_each(q, itertools.chain(each, uppers), ask)
    if problems and len(problems) == len(targets) + len(uppers):    # every plan's: the first one's, as asked
        raise problems[(False, targets.plans[0].plan) if len(targets) else (True, uppers[0].plan)]
    if form == "ASK":
        return QueryResult(q.name, (), (), form="ASK", boolean=bool(extra))
    if form in ("CONSTRUCT", "DESCRIBE"):
        return QueryResult(q.name, (), (), form=form, triples=tuple(sorted(extra, key=str)))  # type: ignore
    return QueryResult(q.name, tuple(columns), tuple(rows), notes=tuple(notes))


def _declared_columns(q: CatalogueQuery, columns: list[str], *, where: str) -> list[str]:
    """``columns`` in the order the query's header declares them; an answer with other columns is refused.

    An endpoint that answers another question (a proxy, a cache, a wrong URL)
    would otherwise have its rows printed as if they answered this one.
    """
    declared = [c.name for c in q.columns]
    if not declared or columns == declared:
        return columns
    if sorted(columns) == sorted(declared):
        return declared
    raise EndpointError(f"{where} answered {q.name} with columns {', '.join(columns) or '(none)'}; "
                        f"the query asks for {', '.join(declared)}")
