"""A question asked over several plans: each plan answers it as the question asked of that plan alone would, and
its rows come with the plan's id and jurisdiction first.

Each plan's part of the answer is its own question, run over its own graphs (the plan's graphs, the ontology,
the vocabulary and the shared linking graphs: :mod:`antitraffick_kg.store.graphsets`): on the corpus store
straight from disk with those graphs as default graph, on rdflib over a copy of them, on a server with ``FROM``
and ``FROM NAMED`` clauses naming them.  So a unit or a document that several plans' graphs describe is read
once per plan that holds it, never once per graph, and a row appears exactly as often as in that plan's own
answer.  The ``plan`` and ``jurisdiction`` columns are the plan's id and the jurisdiction its graph states; a
query with a column of one of those names of its own gives it as ``row_plan`` or ``row_jurisdiction``.

Parameters mean in each plan what they mean there: a unit's name is that plan's unit of that name (a plan
without one has no rows; a name that means two units of one plan is an error naming the plan), a task or policy
area is the plan's own, a unit function any unit of that function.  A unit's name is looked up once for all
plans, as bound terms in the store's indexes (the same few lookups at any corpus size), and a plan holding no
unit of that name, or of that function, is not asked at all.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

import pyoxigraph as ox

from ..iris import ATK_BASE
from ..store.graphsets import PlanGraphs
from ..store.stores import Store, Term
from .catalogue import CatalogueQuery

__all__ = ["PLAN_COLUMNS", "Target", "answer_each", "renamed_columns"]

#: the columns an answer over several plans starts with
PLAN_COLUMNS = ("plan", "jurisdiction")

_RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
_UNIT_CLASS = ox.NamedNode(ATK_BASE + "Unit")
_SHORT_NAME = ox.NamedNode(ATK_BASE + "shortName")
_FUNCTION = ox.NamedNode(ATK_BASE + "unitFunction")
_ALT_LABEL = ox.NamedNode("http://www.w3.org/2004/02/skos/core#altLabel")
_IDENTIFIER = ox.NamedNode("http://www.w3.org/ns/org#identifier")
_BY_PATTERN = "SELECT ?s ?g WHERE { GRAPH ?g { ?s ?P ?O } }"
_BY_SUBJECT = "SELECT ?g WHERE { GRAPH ?g { ?S ?P ?O } }"


@dataclass(frozen=True)
class Target:
    """One plan to ask: who it is, and the store that holds its graphs (opened when first asked)."""

    graphs: PlanGraphs
    store: Callable[[], Store]

    @property
    def plan(self) -> str:
        return self.graphs.plan


def renamed_columns(columns: Sequence[str]) -> list[str]:
    """A query's own columns as an answer over several plans gives them (``plan`` as ``row_plan`` …).

    >>> renamed_columns(["task", "plan", "jurisdiction"])
    ['task', 'row_plan', 'row_jurisdiction']
    """
    return [f"row_{c}" if c in PLAN_COLUMNS else c for c in columns]


class Lookup:
    """Where names are looked up for every plan at once: ``quads(s, p, o)`` gives ``(subject, graph)`` of the
    matching quads in any named graph (the corpus store's indexes, or a server's ``GRAPH ?g``)."""

    def __init__(self, quads: Callable[[Term | None, Term, Term | None], list[tuple[str, str]]]) -> None:
        self.quads = quads

    @classmethod
    def on_store(cls, store: ox.Store) -> "Lookup":
        def quads(s, p, o):
            return [(q.subject.value, q.graph_name.value) for q in store.quads_for_pattern(s, p, o, None)
                    if isinstance(q.graph_name, ox.NamedNode)]
        return cls(quads)

    @classmethod
    def on_server(cls, remote) -> "Lookup":
        def quads(s, p, o):
            bindings = {"P": p, **({"O": o} if o is not None else {}), **({"S": s} if s is not None else {})}
            text = _BY_PATTERN if s is None else _BY_SUBJECT
            _, rows = remote.select(text, bindings=bindings, source="looking up units")
            return [(r["s"] if s is None else s.value, r["g"]) for r in rows if r["g"] and (s or r["s"])]
        return cls(quads)

    def units_named(self, tests: Sequence[tuple[str, Mapping[str, Term]]]) -> list[dict[str, set[str]]]:
        """For each test of :func:`~antitraffick_kg.ask.params._unit_lookups`, the units it finds, by the graph
        that names them: ``{unit: {graphs naming it}}`` restricted to units some graph types as ``atk:Unit``."""
        found = []
        for test, terms in tests:
            named: dict[str, set[str]] = {}
            if test == "iri":
                named[terms["unit"].value] = {g for _, g in self.quads(terms["unit"], _RDF_TYPE, _UNIT_CLASS)}
            elif test == "name":
                for predicate, key in ((_SHORT_NAME, "NAME"), (_ALT_LABEL, "NAME"), (_ALT_LABEL, "ZH")):
                    for s, g in self.quads(None, predicate, terms[key]):
                        named.setdefault(s, set()).add(g)
            else:
                for s, g in self.quads(None, _IDENTIFIER, terms["ID"]):
                    named.setdefault(s, set()).add(g)
            typed = {}
            for unit, graphs in named.items():
                kinds = {g for _, g in self.quads(ox.NamedNode(unit), _RDF_TYPE, _UNIT_CLASS)}
                if graphs and kinds:
                    typed[unit] = (graphs, kinds)
            found.append(typed)
        return found

    def graphs_with_function(self, function: Term) -> set[str]:
        """The graphs that give some unit the unit function ``function``."""
        return {g for _, g in self.quads(None, _FUNCTION, function)}


def units_in_plan(found: list[dict], graphs: set[str]) -> list[str] | None:
    """The units of one plan (whose graphs are ``graphs``) that the first test finding any there finds; None
    when no test finds one there."""
    for typed in found:
        hits = sorted(u for u, (named, kinds) in typed.items() if named & graphs and kinds & graphs)
        if hits:
            return hits
    return None


def answer_each(q: CatalogueQuery, targets: Sequence[Target],
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
            shown = renamed_columns(own)
            columns = [*PLAN_COLUMNS, *shown]
            first = {"plan": target.plan, "jurisdiction": target.graphs.jurisdiction}
            rows.extend({**first, **{s: r[c] for s, c in zip(shown, own)}} for r in plan_rows)
    if columns is None:
        columns = [*PLAN_COLUMNS, *renamed_columns([c.name for c in q.columns])]
    return form, columns, rows, (any(asked) if form == "ASK" else triples)

