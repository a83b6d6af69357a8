"""The HTML pages of :mod:`~antitraffick_kg.store.linked`: one per IRI, the ontology's, the page for an unknown IRI,
and the list of the plans served.

Rendered with the report's templates (``report/templates/linked-*.html``, which share its stylesheet) and the
plans page of ``store/templates``, which extends them; a page loads nothing from the network: its stylesheet is
served by the same server, and it has no script.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

from ..iris import ATK_BASE, BASE, ID_BASE, ONTOLOGY_GRAPH, graph_iri
from ..version import package_version
from .describe import ONTOLOGY, STYLE_PATH, SUFFIXES, describe

__all__ = ["Pages", "Value", "Row", "PLANS_PATH"]

#: the report's templates: the pages here extend their own base, in the same folder, with the same stylesheet
TEMPLATES = Path(__file__).resolve().parent.parent / "report" / "templates"
#: the pages of the served store's own (the plans it serves)
OWN_TEMPLATES = Path(__file__).resolve().parent / "templates"
_RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
_RDFS = "http://www.w3.org/2000/01/rdf-schema#"
_SKOS = "http://www.w3.org/2004/02/skos/core#"
_DCT = "http://purl.org/dc/terms/"
_OA = "http://www.w3.org/ns/oa#"
_TYPE = ox.NamedNode(_RDF + "type")
#: predicates that name a thing, best first
_LABELS = [ox.NamedNode(i) for i in (_SKOS + "prefLabel", _RDFS + "label", _DCT + "title", _SKOS + "notation",
                                     "http://xmlns.com/foaf/0.1/name", _OA + "exact")]
_EVIDENCE = ATK_BASE + "evidence"
_UNIT = ox.NamedNode(ATK_BASE + "Unit")
_LINE = ox.NamedNode(ATK_BASE + "line")
_SELECTOR = ox.NamedNode(_OA + "hasSelector")
_EXACT = ox.NamedNode(_OA + "exact")
_COMMENT = ox.NamedNode(_RDFS + "comment")
#: predicates shown first, in this order (what a reader of a task or unit looks for); the rest by name
_FIRST = [ATK_BASE + n for n in ("plan", "ledBy", "supportedBy", "evidence", "hasMilestone", "targetYear",
                                 "policyArea", "statement", "hasAssignment")]
#: where the list of the plans served is, under the base
PLANS_PATH = "plans"
#: most links into one page listed; the rest are counted
MAX_INCOMING = 2000


@dataclass
class Value:
    """One object of a triple as a page shows it."""

    text: str
    href: str | None = None
    note: str = ""                       # language or datatype of a literal
    quote: str | None = None             # for a piece of evidence: the words
    line: str | None = None              # and their line in the source
    rows: list["Row"] = field(default_factory=list)   # a node the subject owns, or a blank node, folded in


@dataclass
class Row:
    predicate: str
    href: str
    values: list[Value]


class Pages:
    """Renders the pages of the IRIs of ``stores`` (the served store first), served under ``base``;
    ``served`` maps an IRI to where it is served."""

    def __init__(self, stores: list[ox.Store], *, base: str, served: Callable[[str], str]) -> None:
        from jinja2 import Environment, FileSystemLoader, select_autoescape

        from ..namespaces import PREFIXES

        self.stores, self.base, self.served = stores, base, served
        self.env = Environment(loader=FileSystemLoader([TEMPLATES, OWN_TEMPLATES]), autoescape=select_autoescape(["html"]),
                               keep_trailing_newline=True)
        self.prefixes = sorted(((str(ns), p) for p in PREFIXES for ns in [PREFIXES[p]]), key=lambda x: -len(x[0]))

    # -- pages -------------------------------------------------------------------------------------------
    def stylesheet(self) -> bytes:
        return (TEMPLATES / "style.css").read_bytes()

    def _render(self, name: str, *, page: str, **context) -> bytes:
        """``page`` is the name the page answers for: the stylesheet is linked relative to it, so that it
        comes from the server that served the page, whatever the base says."""
        rest = page[len(BASE):] if page.startswith(BASE) else page[len(self.base):] if page.startswith(self.base) \
            else ""
        return self.env.get_template(name).render(
            style="../" * rest.count("/") + STYLE_PATH, home=self.base, dataset=self.served(BASE + "id/dataset"),
            ontology=self.served(ONTOLOGY), version=package_version(), **context).encode("utf-8")

    def missing(self, iri: str) -> bytes:
        return self._render("linked-missing.html", page=iri, iri=iri)

    def resource(self, iri: str) -> bytes:
        node = ox.NamedNode(iri)
        triples = describe(self.stores, node)
        types = [self._value(t.object, depth=0) for t in triples if t.predicate == _TYPE]
        rows = self._rows([t for t in triples if t.predicate != _TYPE], owner=iri, depth=0)
        incoming, more = self._incoming(node)
        return self._render("linked-resource.html", page=iri, iri=iri, label=self.label(node), types=types,
                            rows=rows, incoming=incoming, more=more, units=self._units_of_plan(iri),
                            data=self._alternates(iri))

    def _units_of_plan(self, iri: str) -> list[Value]:
        """For a plan document: every unit its graph declares (a unit no task names is reached from here)."""
        plan = iri[len(ID_BASE + "plan/"):]
        if not iri.startswith(ID_BASE + "plan/") or "/" in plan:
            return []
        graph = ox.NamedNode(graph_iri(plan))
        units = {q.subject.value for q in self.stores[0].quads_for_pattern(None, _TYPE, _UNIT, graph)}
        values = [Value(self.label(ox.NamedNode(u)), href=self.served(u)) for u in units]
        return sorted(values, key=lambda v: (v.text, v.href or ""))

    def plans(self, *, endpoint: str) -> bytes:
        """The plans the store serves (:func:`~antitraffick_kg.store.graphsets.store_plans`), each with its id,
        title, jurisdiction, level, its own graphs and the command that asks it at ``endpoint``; then the graphs
        every plan's question reads too."""
        from .graphsets import store_plans

        served, shared = store_plans(self.stores[0])
        plans = [{"plan": s.plan, "href": self.served(s.document), "title": s.title, "jurisdiction": s.jurisdiction,
                  "level": s.level, "graphs": s.graphs,
                  "command": f"antitraffick-kg query units --plan {s.plan} --endpoint {endpoint}"} for s in served]
        return self._render("linked-plans.html", page=self.base + PLANS_PATH, plans=plans, shared=shared,
                            endpoint=endpoint,
                            every=f"antitraffick-kg query units --all-plans --endpoint {endpoint}")

    def ontology(self) -> bytes:
        graph = ox.NamedNode(ONTOLOGY_GRAPH)
        subjects = sorted({q.subject.value for q in self.stores[0].quads_for_pattern(None, None, None, graph)
                           if isinstance(q.subject, ox.NamedNode)})
        head = [self._term(ONTOLOGY)] if ONTOLOGY in subjects else []
        terms = [self._term(s) for s in subjects if s.startswith(ATK_BASE)]
        return self._render("linked-ontology.html", page=ONTOLOGY, head=head, terms=terms,
                            data=self._alternates(ONTOLOGY))

    # -- parts ---------------------------------------------------------------------------------------------
    def _term(self, iri: str) -> dict:
        node = ox.NamedNode(iri)
        graph = ox.NamedNode(ONTOLOGY_GRAPH)
        triples = sorted({q.triple for q in self.stores[0].quads_for_pattern(node, None, None, graph)}, key=str)
        comments = [t.object.value for t in triples if t.predicate == _COMMENT]
        rows = self._rows([t for t in triples if t.predicate != _COMMENT], owner=iri, depth=1)
        return {"anchor": iri[len(ATK_BASE):] if iri.startswith(ATK_BASE) else "ontology", "iri": iri,
                "label": self.label(node), "comments": comments, "rows": rows}

    def _alternates(self, iri: str) -> list[tuple[str, str]]:
        return [(self.served(iri) + suffix, kind) for suffix, kind in SUFFIXES.items()]

    def _rows(self, triples: list[ox.Triple], *, owner: str, depth: int) -> list[Row]:
        grouped: dict[str, list[ox.Triple]] = {}
        for t in triples:
            grouped.setdefault(t.predicate.value, []).append(t)
        rows = []
        order = {p: i for i, p in enumerate(_FIRST)}
        for predicate in sorted(grouped, key=lambda p: (order.get(p, len(order)), self.short(p))):
            values = [self._value(t.object, depth=depth, owner=owner, evidence=predicate == _EVIDENCE)
                      for t in grouped[predicate]]
            rows.append(Row(self.short(predicate), self.served(predicate), values))
        return rows

    def _value(self, term, *, depth: int, owner: str = "", evidence: bool = False) -> Value:
        if isinstance(term, ox.Literal):
            note = term.language or ("" if term.datatype.value.endswith("#string") else self.short(term.datatype.value))
            return Value(term.value, note=note)
        if isinstance(term, ox.BlankNode):
            inner = describe(self.stores, term)   # type: ignore[arg-type]
            rows = self._rows([t for t in inner if t.subject == term], owner="", depth=depth + 1) if depth < 4 else []
            return Value("[ ]", rows=rows)
        iri = term.value
        value = Value(self.label(term), href=self.served(iri))
        if evidence:
            value.quote, value.line = self._evidence(term)
        elif owner and iri.startswith(owner + "/") and depth == 0:
            inner = [q.triple for s in self.stores for q in s.quads_for_pattern(term, None, None, None)]
            value.rows = self._rows(sorted(set(inner), key=str), owner="", depth=depth + 1)
        return value

    def _evidence(self, ref: ox.NamedNode) -> tuple[str | None, str | None]:
        store = self.stores[0]
        line = next((q.object.value for q in store.quads_for_pattern(ref, _LINE, None, None)), None)
        quote = None
        for q in store.quads_for_pattern(ref, _SELECTOR, None, None):
            quote = next((e.object.value for e in store.quads_for_pattern(q.object, _EXACT, None, None)), quote)
        return quote, line

    def _incoming(self, node: ox.NamedNode) -> tuple[list[Row], int]:
        seen: set[tuple[str, str]] = set()
        for s in self.stores:
            for q in s.quads_for_pattern(None, None, node, None):
                if isinstance(q.subject, ox.NamedNode):
                    seen.add((q.predicate.value, q.subject.value))
        ordered = sorted(seen, key=lambda x: (self.short(x[0]), x[1]))
        grouped: dict[str, list[Value]] = {}
        for predicate, subject in ordered[:MAX_INCOMING]:
            grouped.setdefault(predicate, []).append(Value(self.label(ox.NamedNode(subject)),
                                                           href=self.served(subject)))
        rows = [Row(self.short(p), self.served(p), v) for p, v in grouped.items()]
        return rows, max(0, len(ordered) - MAX_INCOMING)

    # -- names ---------------------------------------------------------------------------------------------
    def label(self, node: ox.NamedNode) -> str:
        """The best name of ``node`` in the store: a Chinese label first, then English, then any; else its
        IRI, shortened."""
        for predicate in _LABELS:
            found = [q.object for s in self.stores for q in s.quads_for_pattern(node, predicate, None, None)
                     if isinstance(q.object, ox.Literal)]
            if found:
                for lang in ("zh", "en", None):
                    for literal in sorted(found, key=str):
                        if (literal.language or None) == lang or lang is None:
                            return literal.value
        return self.short(node.value)

    def short(self, iri: str) -> str:
        """``iri`` as prefix:name where a prefix of the project covers it."""
        for namespace, prefix in self.prefixes:
            if iri.startswith(namespace) and len(iri) > len(namespace):
                return f"{prefix}:{iri[len(namespace):]}"
        return iri
