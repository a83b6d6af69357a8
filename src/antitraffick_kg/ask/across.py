"""A question asked over several plans: each plan answers it as the question asked of that plan alone would, and
its rows come with the plan's id and jurisdiction first.

Each plan's part of the answer is its own question, run over its own graphs (the plan's graphs, the ontology,
the vocabulary and the shared linking graphs: :mod:`antitraffick_kg.store.graphsets`): on the corpus store
straight from disk with those graphs as default graph, on rdflib over a copy of them, on a server with ``FROM``
and ``FROM NAMED`` clauses naming them.  So a unit or a document that several plans' graphs describe is read
once per plan that holds it, never once per graph, and a row appears exactly as often as in that plan's own
answer.  The ``plan`` and ``jurisdiction`` columns are the plan's id and the jurisdiction its graph states; a
query with a column of one of those names of its own gives it as ``row_plan`` or ``row_jurisdiction``.

With every plan (``--all-plans``), a question that has a form for upper-level plans (``queries/upper/<name>.rq``:
``tasks-by-unit``) is asked of the upper-level plans the store holds as reference extracts too (the national plan,
the Yunnan rules: their measures and the bodies assigned to them), each over its own graph, the ontology and the
vocabulary; its jurisdiction is the one the plan family gives.  What the extracts do not hold is said, not left
out: an upper plan whose extract assigns no unit to any measure, or names no place when a place is asked, comes
with a note (:attr:`~antitraffick_kg.ask.query.QueryResult.notes`).

Parameters mean in each plan what they mean there: a unit's name is that plan's unit of that name (a plan
without one has no rows; a name that means two units of one plan is an error naming the plan), a task or policy
area is the plan's own, a unit function any unit of that function.  A unit's name is looked up once for all
plans: in the corpus store, in its generation's table of names (:mod:`~antitraffick_kg.store.names`: one query
however many plans share the name), else as bound terms in the store's indexes or on the server; a plan holding
no unit of that name, or of that function, is not asked at all.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import overload

import pyoxigraph as ox

from ..iris import ATK_BASE, ID_BASE, ONTOLOGY_GRAPH, VOCABULARY_GRAPH, graph_iri, plan_iri
from ..store.corpus import Corpus
from ..store.graphsets import PlanGraphs
from ..store.names import NameIndex
from ..store.stores import Store, Term
from .catalogue import CatalogueQuery

__all__ = ["PLAN_COLUMNS", "Target", "answer_each", "renamed_columns", "upper_plans", "extract_lacks"]

#: the columns an answer over several plans starts with
PLAN_COLUMNS = ("plan", "jurisdiction")

_RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
_UNIT_CLASS = ox.NamedNode(ATK_BASE + "Unit")
_SHORT_NAME = ox.NamedNode(ATK_BASE + "shortName")
_FUNCTION = ox.NamedNode(ATK_BASE + "unitFunction")
_ALT_LABEL = ox.NamedNode("http://www.w3.org/2004/02/skos/core#altLabel")
_IDENTIFIER = ox.NamedNode("http://www.w3.org/ns/org#identifier")
_MEASURE = ox.NamedNode(ATK_BASE + "Measure")
_MEASURE_ASSIGNMENT = ox.NamedNode(ATK_BASE + "MeasureAssignment")
_CONCERNS_PLACE = ox.NamedNode(ATK_BASE + "concernsPlace")
_JURISDICTION = ox.NamedNode(ATK_BASE + "jurisdiction")
_BY_PATTERN = "SELECT ?s ?g WHERE { GRAPH ?g { ?s ?P ?O } }"
_BY_SUBJECT = "SELECT ?g WHERE { GRAPH ?g { ?S ?P ?O } }"
_VALUES = "SELECT ?o WHERE { GRAPH ?g { ?S ?P ?o } }"
_HOLDS = "SELECT ?s WHERE { GRAPH ?G { ?s ?P ?O } } LIMIT 1"


@dataclass(frozen=True)
class Target:
    """One plan to ask: who it is, and the store that holds its graphs (opened when first asked)."""

    graphs: PlanGraphs
    store: Callable[[], Store]
    #: an upper-level plan held as a reference extract (asked with the question's upper form)
    upper: bool = False

    @property
    def plan(self) -> str:
        return self.graphs.plan


class Targets(Sequence[Target]):
    """The plans to ask, each made a :class:`Target` (with ``opener(plan)`` as its store) when it is wanted: of
    many plans, most may be answered together (:func:`~antitraffick_kg.ask.tagged.across_rows`)."""

    def __init__(self, plans: Sequence[PlanGraphs], opener: Callable[[PlanGraphs], Callable[[], Store]]) -> None:
        self.plans = plans
        self._opener = opener

    def __len__(self) -> int:
        return len(self.plans)

    @overload
    def __getitem__(self, index: int) -> Target: ...

    @overload
    def __getitem__(self, index: slice) -> list[Target]: ...

    def __getitem__(self, index):
        if isinstance(index, slice):
            return [Target(g, self._opener(g)) for g in self.plans[index]]
        g = self.plans[index]
        return Target(g, self._opener(g))


def renamed_columns(columns: Sequence[str]) -> list[str]:
    """A query's own columns as an answer over several plans gives them (``plan`` as ``row_plan`` …).

    >>> renamed_columns(["task", "plan", "jurisdiction"])
    ['task', 'row_plan', 'row_jurisdiction']
    """
    return [f"row_{c}" if c in PLAN_COLUMNS else c for c in columns]


class Lookup:
    """Where names are looked up for every plan at once: ``quads(s, p, o)`` gives ``(subject, graph)`` of the
    matching quads in any named graph (the corpus store's indexes, or a server's ``GRAPH ?g``)."""

    def __init__(self, quads: Callable[[Term | None, Term, Term | None], list[tuple[str, str]]],
                 values: Callable[[Term, Term], list[str]],
                 holds: Callable[[Term, Term | None, str], bool], *, names: NameIndex | None = None) -> None:
        self.quads = quads
        self.values = values
        self.holds = holds
        #: the generation's table of names (:mod:`~antitraffick_kg.store.names`), where names are looked up when
        #: there is one
        self.names = names

    @classmethod
    def on_corpus(cls, corpus: Corpus) -> "Lookup":
        """Lookups in the corpus store's ``data`` store, names in its generation's table of names when it has
        one."""
        lookup = cls.on_store(corpus.store)
        lookup.names = corpus.names
        return lookup

    @classmethod
    def on_store(cls, store: ox.Store) -> "Lookup":
        def quads(s, p, o):
            return [(q.subject.value, q.graph_name.value) for q in store.quads_for_pattern(s, p, o, None)
                    if isinstance(q.graph_name, ox.NamedNode)]

        def values(s, p):
            return sorted({q.object.value for q in store.quads_for_pattern(s, p, None, None)})

        def holds(p, o, graph):
            return next(store.quads_for_pattern(None, p, o, ox.NamedNode(graph)), None) is not None
        return cls(quads, values, holds)

    @classmethod
    def on_server(cls, remote) -> "Lookup":
        def quads(s, p, o):
            bindings = {"P": p, **({"O": o} if o is not None else {}), **({"S": s} if s is not None else {})}
            text = _BY_PATTERN if s is None else _BY_SUBJECT
            _, rows = remote.select(text, bindings=bindings, source="looking up units")
            return [(r["s"] if s is None else s.value, r["g"]) for r in rows if r["g"] and (s or r["s"])]

        def values(s, p):
            _, rows = remote.select(_VALUES, bindings={"S": s, "P": p}, source="looking up upper-level plans")
            return sorted({r["o"] for r in rows if r["o"]})

        def holds(p, o, graph):
            bindings = {"P": p, "G": ox.NamedNode(graph), **({"O": o} if o is not None else {})}
            _, rows = remote.select(_HOLDS, bindings=bindings, source="looking up upper-level plans")
            return bool(rows)
        return cls(quads, values, holds)

    def units_named(self, tests: Sequence[tuple[str, Mapping[str, Term]]]) -> list[dict[str, set[str]]]:
        """For each test of :func:`~antitraffick_kg.ask.params._unit_lookups`, the units it finds, by the graph
        that names them: ``{unit: {graphs naming it}}`` restricted to units some graph types as ``atk:Unit``."""
        found = []
        for test, terms in tests:
            if test == "iri":
                unit = terms["unit"].value
                graphs = (self.names.unit_graphs(unit) if self.names is not None
                          else {g for _, g in self.quads(terms["unit"], _RDF_TYPE, _UNIT_CLASS)})
                found.append({unit: (graphs, graphs)} if graphs else {})
                continue
            asked = (((_SHORT_NAME, terms["NAME"]), (_ALT_LABEL, terms["NAME"]), (_ALT_LABEL, terms["ZH"]))
                     if test == "name" else ((_IDENTIFIER, terms["ID"]),))
            found.append(self.names.units_named(asked) if self.names is not None else self._typed(asked))
        return found

    def _typed(self, asked) -> dict[str, tuple[set[str], set[str]]]:
        """In the store's indexes: the units a quad ``?s predicate value`` names for any ``(predicate, value)`` of
        ``asked``, each with the graphs naming it and those typing it ``atk:Unit`` (one lookup per unit)."""
        named: dict[str, set[str]] = {}
        for predicate, value in asked:
            for s, g in self.quads(None, predicate, value):
                named.setdefault(s, set()).add(g)
        typed = {}
        for unit, graphs in named.items():
            kinds = {g for _, g in self.quads(ox.NamedNode(unit), _RDF_TYPE, _UNIT_CLASS)}
            if graphs and kinds:
                typed[unit] = (graphs, kinds)
        return typed

    def graphs_with_function(self, function: Term) -> set[str]:
        """The graphs that give some unit the unit function ``function``."""
        return {g for _, g in self.quads(None, _FUNCTION, function)}


def upper_plans(lookup: Lookup) -> list[PlanGraphs]:
    """The upper-level plans held as reference extracts: each graph ``…/id/graph/<plan>`` holding the measures
    ``…/id/plan/<plan>/measure/…`` (sorted), with its graphs (its own, the ontology, the vocabulary) and the
    jurisdiction the plan family gives it.  A plan of the corpus is never one: its graph holds tasks."""
    held: dict[str, str] = {}
    for measure, graph in lookup.quads(None, _RDF_TYPE, _MEASURE):
        plan = graph.removeprefix(ID_BASE + "graph/")
        if graph == graph_iri(plan) and measure.startswith(plan_iri(plan) + "/measure/"):
            held[plan] = graph
    plans = []
    for plan in sorted(held):
        found = lookup.values(ox.NamedNode(plan_iri(plan)), _JURISDICTION)
        plans.append(PlanGraphs(plan, tuple(sorted({held[plan], ONTOLOGY_GRAPH, VOCABULARY_GRAPH})),
                                found[0] if len(found) == 1 else ""))
    return plans


def extract_lacks(lookup: Lookup, plan: str, *, places: Sequence[str] = ()) -> list[str]:
    """What the reference extract of upper-level plan ``plan`` lacks for a question, one note each: any unit
    assigned to a measure; any place, when a place (``places``: the values given) is asked."""
    graph = graph_iri(plan)
    notes = []
    if not lookup.holds(_RDF_TYPE, _MEASURE_ASSIGNMENT, graph):
        notes.append(f"{plan}: no unit data: its reference extract (data/reference/{plan}/measures.csv) "
                     "assigns no unit to any of its measures, so it has no rows")
    for value in places:
        if not lookup.holds(_CONCERNS_PLACE, None, graph):
            notes.append(f"{plan}: its reference extract names no places, so no measure of it matches "
                         f"place={value}")
    return notes


def units_in_plan(found: list[dict], graphs: set[str]) -> list[str] | None:
    """The units of one plan (whose graphs are ``graphs``) that the first test finding any there finds; None
    when no test finds one there."""
    for typed in found:
        hits = sorted(u for u, (named, kinds) in typed.items() if named & graphs and kinds & graphs)
        if hits:
            return hits
    return None


def answer_each(q: CatalogueQuery, targets: Iterable[Target],
                ask: Callable[[Target], tuple[str, object] | None]) -> tuple[str, list[str], list, object]:
    """Ask each target with ``ask`` (which returns the plan's form and answer, or None when the plan has
    nothing the parameters name) and join the answers: ``(form, columns, rows, extra)`` where rows of a
    SELECT come with the plan columns first, triples are joined as a set and an ASK is true when any plan's is.
    """
    columns: list[str] | None = None
    rows: list[dict] = []
    triples: set = set()
    asked: list[bool] = []
    form = "SELECT"
    last: Sequence[str] | None = None
    shown: list[str] = []
    for target in targets:
        got = ask(target)
        if got is None:
            continue
        form, answer = got
        if form == "ASK":
            asked.append(bool(answer))
        elif form in ("CONSTRUCT", "DESCRIBE"):
            triples.update(answer)  # type: ignore[arg-type]
        else:
            own, plan_rows = answer  # type: ignore[misc]
            if own is not last:         # (the plans answered together share one list of columns)
                last, shown = own, renamed_columns(own)
                columns = [*PLAN_COLUMNS, *shown]
            if not plan_rows:               # (a plan's jurisdiction is read from its graph when it has rows)
                continue
            first = {"plan": target.plan, "jurisdiction": target.graphs.jurisdiction}
            rows.extend({**first, **{s: r[c] for s, c in zip(shown, own)}} for r in plan_rows)
    if columns is None:
        columns = [*PLAN_COLUMNS, *renamed_columns([c.name for c in q.columns])]
    return form, columns, rows, (any(asked) if form == "ASK" else triples)

