"""OWL reasoning with owlready2 and HermiT (Java): consistency, and inferred facts in their own graph.

What goes to the reasoner: the ontology and the plan graph, less the
provenance passages (``atk:evidence`` and the Web Annotation selectors), which
no axiom reads, and less ``xsd:date`` literals, which HermiT rejects.

Two passes.  The first checks consistency and infers the property values
(property chains over collective bodies, inverses, scope hierarchies) and the
defined classes.  The second closes the world on what the first found -- each
unit that leads no task, asserted or inferred, is stated to lead nothing -- so
that ``atk:SupportOnlyUnit`` can be classified.  Inferred facts that were not
asserted are returned as a separate graph, named ``…/graph/<plan>/inferred``.
"""

from __future__ import annotations

import shutil
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import BNode, Graph, Literal, URIRef

from .errors import ReasonerUnavailableError
from .namespaces import ATK, ID, OA, OWL, RDF, RDFS, SKOS, XSD

__all__ = ["ReasonResult", "reason_graph", "inferred_graph_iri", "axiom_family", "find_java"]

_DROP_PREDICATES = {ATK.evidence, OA.hasSource, OA.hasSelector, OA.exact, OA.start, OA.end, ATK.line}
_FAMILIES = (
    ("collective-body chain", lambda s, p, o, g: p in (ATK.ledBy, ATK.supportedBy)),
    ("inverse view", lambda s, p, o, g: p in (ATK.leads, ATK.supports)),
    ("scope hierarchy", lambda s, p, o, g: p in (ATK.concernsPlace, ATK.concernsTargetGroup, ATK.concernsSector,
                                                 ATK.concerns)),
    ("defined class", lambda s, p, o, g: p == RDF.type and o in (
        ATK.LeadUnit, ATK.SupportingUnit, ATK.SupportOnlyUnit, ATK.TaskWithDeadline, ATK.OngoingTask,
        ATK.CrossBorderTask, ATK.LeadAssignment, ATK.SupportAssignment)),
)


def inferred_graph_iri(plan_id: str) -> URIRef:
    return ID[f"graph/{plan_id}/inferred"]


def axiom_family(triple: tuple) -> str:
    """Which family of axioms an inferred triple comes from."""
    s, p, o = triple
    for name, test in _FAMILIES:
        if test(s, p, o, None):
            return name
    return "class and property hierarchy"


def find_java() -> str:
    """The Java runtime HermiT needs; raises :class:`ReasonerUnavailableError` when there is none."""
    java = shutil.which("java")
    if java is None:
        raise ReasonerUnavailableError(
            "no Java runtime found; reasoning needs one (Debian/Ubuntu: apt-get install default-jre-headless)")
    return java


@dataclass(frozen=True)
class ReasonResult:
    """What the reasoner found.  ``inferred`` is empty when the input is inconsistent."""

    consistent: bool
    inferred: Graph
    unsatisfiable: tuple[str, ...] = ()
    culprits: tuple[str, ...] = ()
    seconds: float = 0.0
    families: dict[str, int] = field(default_factory=dict)
    text: str = ""


def _reasoner_input(graph: Graph) -> Graph:
    out = Graph()
    passages = set(graph.subjects(RDF.type, OA.SpecificResource))
    passages |= set(graph.subjects(RDF.type, OA.TextQuoteSelector))
    passages |= set(graph.subjects(RDF.type, OA.TextPositionSelector))
    for s, p, o in graph:
        if p in _DROP_PREDICATES or s in passages:
            continue
        if isinstance(o, Literal) and o.datatype == XSD.date:
            continue
        out.add((s, p, o))
    return out


class _Run:
    """One owlready2 world loaded with a graph, reasoned with HermiT."""

    def __init__(self, graph: Graph, java: str) -> None:
        import owlready2

        owlready2.JAVA_EXE = java
        self.world = owlready2.World()
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "input.nt"
            graph.serialize(path, format="nt", encoding="utf-8")
            self.world.get_ontology(path.as_uri()).load()
        self.consistent = True
        try:
            owlready2.sync_reasoner_hermit(self.world, infer_property_values=True, debug=0)
        except owlready2.OwlReadyInconsistentOntologyError:
            self.consistent = False

    def _term(self, value, datatype=None):
        if isinstance(value, int) and value < 0:
            return None   # an anonymous class expression: not a fact worth keeping
        if isinstance(value, int) and datatype is None:
            return URIRef(self.world._unabbreviate(value))
        return None

    def inferred(self) -> Graph:
        out = Graph()
        ontology = self.world.get_ontology("http://inferrences/")
        for s, p, o in ontology.get_triples():
            s_term, p_term, o_term = self._term(s), self._term(p), self._term(o)
            if None in (s_term, p_term, o_term):
                continue
            out.add((s_term, p_term, o_term))
        return out

    def unsatisfiable(self) -> list[str]:
        return sorted(c.iri for c in self.world.inconsistent_classes())


def _closure(graph: Graph, inferred: Graph) -> Graph:
    """State of each unit that leads no task (asserted or inferred) that it leads nothing."""
    closed = Graph()
    leaders = set(graph.objects(None, ATK.ledBy)) | set(inferred.objects(None, ATK.ledBy))
    leaders |= set(graph.subjects(ATK.leads, None)) | set(inferred.subjects(ATK.leads, None))
    for unit in set(graph.subjects(RDF.type, ATK.Unit)) - leaders:
        restriction = BNode()
        closed.add((unit, RDF.type, restriction))
        closed.add((restriction, RDF.type, OWL.Restriction))
        closed.add((restriction, OWL.onProperty, ATK.leads))
        closed.add((restriction, OWL.allValuesFrom, OWL.Nothing))
    return closed


def _add_inverses(tbox: Graph, asserted: Graph, inferred: Graph) -> None:
    """Add the owl:inverseOf counterpart of every asserted or inferred property value.

    owlready2 answers inverse properties on the fly and so does not store them
    among HermiT's inferences; the inferred graph states them explicitly.
    """
    pairs: dict[URIRef, URIRef] = {}
    for p, q in tbox.subject_objects(OWL.inverseOf):
        pairs[p], pairs[q] = q, p
    for source in (asserted, Graph() + inferred):
        for p, q in pairs.items():
            for s, o in source.subject_objects(p):
                inferred.add((o, q, s))


def _culprits(tbox: Graph, abox: Graph, java: str) -> list[URIRef]:
    """Individuals whose own assertions, with the ontology, are inconsistent (found by halving)."""
    by_subject: dict[URIRef, list] = {}
    for triple in abox:
        if isinstance(triple[0], URIRef):
            by_subject.setdefault(triple[0], []).append(triple)

    def consistent(subjects) -> bool:
        g = Graph()
        for t in tbox:
            g.add(t)
        for s in subjects:
            for t in by_subject[s]:
                g.add(t)
        return _Run(g, java).consistent

    def search(subjects: list) -> list:
        if consistent(subjects):
            return []
        if len(subjects) == 1:
            return subjects
        half = len(subjects) // 2
        found = search(subjects[:half]) + search(subjects[half:])
        return found or subjects

    return search(sorted(by_subject))


def _describe(graph: Graph, node: URIRef) -> str:
    notation = graph.value(node, SKOS.notation)
    label = next((str(v) for v in graph.objects(node, RDFS.label) if getattr(v, "language", None) == "zh"), None)
    if notation is None and graph.value(node, ATK.task) is not None:
        task = graph.value(node, ATK.task)
        unit = graph.value(node, ATK.unit)
        unit_label = None
        if unit is not None:
            unit_label = graph.value(unit, ATK.shortName) or next(
                (str(v) for v in graph.objects(unit, RDFS.label) if getattr(v, "language", None) == "zh"), unit)
        return f"assignment of task {graph.value(task, SKOS.notation)} to {unit_label} <{node}>"
    parts = [str(notation) if notation is not None else None, label, f"<{node}>"]
    return " ".join(p for p in parts if p)


def reason_graph(graph: Graph, *, ontology: Graph, locate: bool = True) -> ReasonResult:
    """Reason over ``ontology`` + ``graph`` with HermiT; see the module docstring.

    ``locate``: on inconsistency, narrow down the individuals at fault (several more reasoner runs).
    Raises :class:`ReasonerUnavailableError` when no Java runtime is found.
    """
    java = find_java()
    started = time.perf_counter()
    data = _reasoner_input(graph)
    tbox = _reasoner_input(ontology)
    full = Graph()
    for t in tbox:
        full.add(t)
    for t in data:
        full.add(t)
    first = _Run(full, java)
    if not first.consistent:
        culprits = _culprits(tbox, data, java) if locate else []
        seconds = time.perf_counter() - started
        lines = ["inconsistent: the ontology and the data contradict each other"]
        lines += [f"  individual at fault: {_describe(full, c)}" for c in culprits]
        if not culprits:
            lines.append("  (no single individual's statements contradict the ontology on their own)")
        return ReasonResult(False, Graph(), (), tuple(str(c) for c in culprits), seconds, {}, "\n".join(lines))
    inferred = first.inferred()
    closure = _closure(full, inferred)
    for t in closure:
        full.add(t)
    second = _Run(full, java)
    if second.consistent:
        inferred += second.inferred()
    _add_inverses(tbox, full, inferred)
    unsatisfiable = first.unsatisfiable()
    asserted = set(full) | set(graph)
    kept = Graph()
    for triple in inferred:
        s, p, o = triple
        if triple in asserted or p in (RDFS.subClassOf, RDFS.subPropertyOf, OWL.equivalentClass) \
                or o == OWL.Thing or (p == RDF.type and o == OWL.Ontology) or "inferrences" in str(s):
            continue
        kept.add(triple)
    families = dict(sorted(Counter(axiom_family(t) for t in kept).items()))
    seconds = time.perf_counter() - started
    lines = [f"consistent: yes ({len(kept)} inferred facts in {seconds:.1f} s)"]
    lines += [f"  {name}: {n}" for name, n in families.items()]
    if unsatisfiable:
        lines.append("unsatisfiable classes: " + ", ".join(unsatisfiable))
    return ReasonResult(True, kept, tuple(unsatisfiable), (), seconds, families, "\n".join(lines))
