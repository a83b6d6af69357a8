"""OWL reasoning with owlready2 and HermiT (Java): consistency, and inferred facts in their own graph.

What goes to the reasoner: the ontology and the plan graph, less the
provenance passages (``atk:evidence`` and the Web Annotation selectors), which
no axiom reads, less ``xsd:date`` literals, which HermiT rejects, and less
``owl:imports`` statements: the reasoner reads exactly the graphs it is given
and never fetches an imported ontology from the network.

Two passes.  The first checks consistency and infers the property values
(property chains over collective bodies, inverses, scope hierarchies) and the
defined classes.  The second closes the world on what the first found -- each
unit that leads no task, asserted or inferred, is stated to lead nothing -- so
that ``atk:SupportOnlyUnit`` can be classified; it reads only the ontology, the
closing statements and what is known of the closed units (see
:func:`_closing_input`).  Inferred facts that were not
asserted are returned as a separate graph, named ``…/graph/<plan>/inferred``.
"""

from __future__ import annotations

import contextlib
import itertools
import os
import shutil
import subprocess
import tempfile
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import pyoxigraph as ox
from rdflib import BNode, Dataset, Graph, Literal, URIRef

from ..iris import inferred_graph_iri as iri_inferred_graph_iri
from ..resources import DEFAULT_PLAN
from ..errors import InputError, ReasonerUnavailableError
from ..namespaces import ATK, OA, OWL, RDF, RDFS, SKOS, XSD
from ..pipeline.build import _replace_set, load
from ..pipeline.stamp import input_stamp
from ..plan.graph import ONTOLOGY_GRAPH, VOCABULARY_GRAPH, graph_iri, ontology_graph
from ..resources import find_plan
from ..steps import Progress, quiet
from ..store.corpus import PlanPart, write_parts
from ..store.export import check_writable, serialize
from ..store.rdfread import read_files

if TYPE_CHECKING:  # pragma: no cover
    from ..store.corpus import Corpus

__all__ = ["ReasonResult", "reason", "reason_graph", "inferred_graph_iri", "axiom_family", "find_java"]

_DROP_PREDICATES = {ATK.evidence, OA.hasSource, OA.hasSelector, OA.exact, OA.start, OA.end, ATK.line, OWL.imports}
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
    return URIRef(iri_inferred_graph_iri(plan_id))


def axiom_family(triple: tuple) -> str:
    """Which family of axioms an inferred triple comes from."""
    s, p, o = triple
    for name, test in _FAMILIES:
        if test(s, p, o, None):
            return name
    return "class and property hierarchy"


_INSTALL_JAVA = "Debian/Ubuntu: apt-get install default-jre-headless"


def find_java() -> str:
    """The Java runtime HermiT needs, checked to run; raises :class:`ReasonerUnavailableError` otherwise."""
    java = shutil.which("java")
    if java is None:
        raise ReasonerUnavailableError(f"no Java runtime found; reasoning needs one ({_INSTALL_JAVA})")
    try:
        ran = subprocess.run([java, "-version"], capture_output=True, timeout=60, stdin=subprocess.DEVNULL)
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise ReasonerUnavailableError(f"the Java runtime {java} does not run: {exc}") from None
    if ran.returncode != 0:
        said = _first_line(ran.stderr or ran.stdout)
        raise ReasonerUnavailableError(f"the Java runtime {java} does not run (exit code {ran.returncode}"
                                       f"{': ' + said if said else ''}); reasoning needs a working one "
                                       f"({_INSTALL_JAVA})")
    return java


def _first_line(output: bytes | str) -> str:
    text = output.decode("utf-8", "replace") if isinstance(output, bytes) else output
    lines = [line.strip() for line in text.splitlines() if line.strip() and not line.startswith("Picked up ")]
    found = next((line for line in lines if "Exception" in line or "Error" in line), lines[0] if lines else "")
    return found[:200]


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
    #: how many statements each reasoner pass read (one pass when the input is inconsistent)
    passes: tuple[int, ...] = ()


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


#: Below this many statements a HermiT run is mostly the Java runtime starting up, and the runtime's quick
#: compiler alone does it with less work: the culprit search over the ontology and a 30-statement contradiction
#: (20 runs of about 1,000 statements) took 37 s of CPU as started by default and 20 s with this option; on the
#: plan (10,500 statements) the same option made a run slower (48 s to 72 s), so large inputs start as usual.
QUICK_START_BELOW = 4_000
_QUICK_START = "-XX:TieredStopAtLevel=1"
_ENVIRONMENT = threading.Lock()


def jvm_options(statements: int) -> str | None:
    """The options a HermiT run over ``statements`` statements starts Java with (beyond owlready2's own)."""
    return _QUICK_START if statements < QUICK_START_BELOW else None


@contextlib.contextmanager
def _java_tool_options(options: str | None):
    """Start the Java runtimes of the block with ``options`` added to the user's own ``JAVA_TOOL_OPTIONS``.

    owlready2 builds HermiT's command line itself, with no place for runtime options; the runtime reads
    this variable at start-up.  The environment is the process's, so the block holds a lock and puts the
    variable back as it found it.
    """
    if not options:
        yield
        return
    with _ENVIRONMENT:
        before = os.environ.get("JAVA_TOOL_OPTIONS")
        os.environ["JAVA_TOOL_OPTIONS"] = f"{before} {options}" if before else options
        try:
            yield
        finally:
            if before is None:
                os.environ.pop("JAVA_TOOL_OPTIONS", None)
            else:
                os.environ["JAVA_TOOL_OPTIONS"] = before


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
            with _java_tool_options(jvm_options(len(graph))):
                owlready2.sync_reasoner_hermit(self.world, infer_property_values=True, debug=0)
        except owlready2.OwlReadyInconsistentOntologyError:
            self.consistent = False
        except owlready2.OwlReadyJavaError as exc:   # Java ran (find_java checked it) and HermiT refused the input
            raise InputError(f"the reasoner cannot read this input: {_first_line(str(exc))}") from None

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


def _culprits(tbox: Graph, abox: Graph, java: str, progress: Progress) -> list[URIRef]:
    """Individuals whose own assertions, with the ontology, are inconsistent (found by halving).

    Each named subject takes along the blank-node structures its statements
    point at (lists, restrictions), so no subset holds half an axiom.
    """
    by_bnode: dict[BNode, list] = {}
    for triple in abox:
        if isinstance(triple[0], BNode):
            by_bnode.setdefault(triple[0], []).append(triple)
    by_subject: dict[URIRef, list] = {}
    for triple in abox:
        if isinstance(triple[0], URIRef):
            own = by_subject.setdefault(triple[0], [])
            own.append(triple)
            todo, seen = [triple[2]], set()
            while todo:
                node = todo.pop()
                if isinstance(node, BNode) and node not in seen:
                    seen.add(node)
                    own.extend(by_bnode.get(node, ()))
                    todo.extend(t[2] for t in by_bnode.get(node, ()))

    def consistent(subjects) -> bool:
        g = Graph()
        for t in tbox:
            g.add(t)
        for s in subjects:
            for t in by_subject[s]:
                g.add(t)
        progress(f"locating the individuals at fault: reasoner run {next(runs)}")
        return _Run(g, java).consistent

    def search(subjects: list) -> list:
        if consistent(subjects):
            return []
        if len(subjects) == 1:
            return subjects
        half = len(subjects) // 2
        found = search(subjects[:half]) + search(subjects[half:])
        return found or subjects

    runs = itertools.count(1)
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


_SCHEMA_PREDICATES = {RDFS.subClassOf, RDFS.subPropertyOf, RDFS.domain, RDFS.range}
_INDIVIDUAL_TYPES = {OWL.NamedIndividual, OWL.Thing}


def _holds_axioms(data: Graph) -> bool:
    """Whether the data (beside the ontology) states axioms of its own: a class, a property, a restriction, a
    sub-class, domain or range, or any OWL statement about its terms."""
    for _s, p, o in data:
        if p in _SCHEMA_PREDICATES or str(p).startswith(str(OWL)):
            return True
        if p == RDF.type and (o in (RDFS.Class, RDF.Property) or
                              (str(o).startswith(str(OWL)) and o not in _INDIVIDUAL_TYPES)):
            return True
    return False


def _closing_input(tbox: Graph, known: Graph, closure: Graph) -> Graph:
    """What the second pass reads: the ontology, the closing statements, and what is known of each closed unit
    (asserted, or inferred by the first pass: its defined classes among them, ``atk:SupportingUnit`` for one
    that supports a task).

    The closing statements speak of units only, and no axiom of the ontology reads ``atk:SupportOnlyUnit``,
    the one class they let the reasoner decide; the rest of the plan therefore adds nothing to this pass
    (on the plan: 1,183 statements and 1.2 s, against 10,519 statements and 26 s whole, with the same
    1,266 inferred facts).  Data that states axioms of its own is reasoned over whole (see
    :func:`_holds_axioms`).
    """
    out = Graph()
    for triple in tbox:
        out.add(triple)
    for triple in closure:
        out.add(triple)
    for unit in {s for s in closure.subjects(RDF.type, None) if isinstance(s, URIRef)}:
        for p, o in known.predicate_objects(unit):
            out.add((unit, p, o))
    return out


def reason_graph(graph: Graph, *, ontology: Graph, locate: bool = True, progress: Progress = quiet) -> ReasonResult:
    """Reason over ``ontology`` + ``graph`` with HermiT; see the module docstring.

    ``locate``: on inconsistency, narrow down the individuals at fault (several more reasoner runs).
    ``progress`` is told each step.  Raises :class:`ReasonerUnavailableError` when no working Java
    runtime is found, :class:`InputError` when HermiT cannot read the input.
    """
    java = find_java()
    started = time.perf_counter()
    not_fetched = [f"owl:imports <{iri}> not fetched: the reasoner reads only the given files and the ontology"
                   for iri in sorted(set(graph.objects(None, OWL.imports)))]
    data = _reasoner_input(graph)
    tbox = _reasoner_input(ontology)
    full = Graph()
    for t in tbox:
        full.add(t)
    for t in data:
        full.add(t)
    progress(f"reasoner pass 1 of 2: consistency and inferred values ({len(full)} statements)")
    first_read = len(full)
    first = _Run(full, java)
    if not first.consistent:
        culprits = _culprits(tbox, data, java, progress) if locate else []
        seconds = time.perf_counter() - started
        lines = ["inconsistent: the ontology and the data contradict each other"]
        lines += [f"  individual at fault: {_describe(full, c)}" for c in culprits]
        if not locate:
            lines.append("  (individuals at fault not looked for: --no-locate)")
        elif not culprits:
            lines.append("  (no single individual's statements contradict the ontology on their own)")
        lines += not_fetched
        return ReasonResult(False, Graph(), (), tuple(str(c) for c in culprits), seconds, {}, "\n".join(lines),
                            (first_read,))
    inferred = first.inferred()
    closure = _closure(full, inferred)
    for t in closure:
        full.add(t)
    progress("reasoner pass 2 of 2: units that lead no task")
    closing = full if _holds_axioms(data) else _closing_input(tbox, full + inferred, closure)
    second = _Run(closing, java)
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
    lines += not_fetched
    return ReasonResult(True, kept, tuple(unsatisfiable), (), seconds, families, "\n".join(lines),
                        (first_read, len(closing)))


def reason(*, plan: str = DEFAULT_PLAN, data: list[str | Path] | None = None, locate: bool = True,
           out_dir: str | Path | None = None, store: str | Path | None = None, corpus: "Corpus | None" = None,
           progress: Progress = quiet):
    """Reason over the plan (or the RDF files ``data``) with the ontology (:func:`reason_graph`).

    The plan is read from ``corpus`` when given (nothing is imported), else imported from its folder.
    With ``out_dir`` and no ``data``, the inferred facts are written to
    ``<out_dir>/<plan>.inferred.nq`` (named graph ``…/graph/<plan>/inferred``) and
    ``<plan>.inferred.ttl``, with a stamp, and into the corpus store ``store``
    (default ``<out_dir>/store``), so that queries can include them.
    ``progress`` is told each step.  Raises :class:`~antitraffick_kg.errors.ReasonerUnavailableError`
    without a working Java runtime, and :class:`~antitraffick_kg.errors.OutputError` before any work
    when ``out_dir`` cannot be written.
    """
    if not data and corpus is not None:
        corpus.entry(plan)               # a plan the store lacks is the first error, Java or not
    elif not data:
        plan = find_plan(plan)           # an ill-formed or unknown plan is the first error, Java or not
    if out_dir is not None and not data:
        check_writable(out_dir, folder=True)
    progress("checking the Java runtime")
    find_java()
    if data:
        # the one reader of user RDF files, with file:line:column errors
        progress(f"reading {len(data)} file(s)")
        files = Dataset()
        files.parse(data=read_files(list(data)).dump(format=ox.RdfFormat.N_QUADS), format="nquads")
        union = Graph()
        for s_, p_, o_, _ in files.quads((None, None, None, None)):
            union.add((s_, p_, o_))
        return reason_graph(union, ontology=ontology_graph(), locate=locate, progress=progress)
    if corpus is not None:
        progress(f"reading plan {plan} from the corpus store")
        ds = Dataset()
        ds.parse(data=corpus.nquads(plan), format="nquads")
    else:
        progress(f"importing plan {plan}")
        ds = load(plan)
    facts = Graph()          # the plan with the concept schemes its tags and units point at
    for name in (graph_iri(plan), VOCABULARY_GRAPH):
        for triple in ds.graph(name):
            facts.add(triple)
    result = reason_graph(facts, ontology=ds.graph(ONTOLOGY_GRAPH), locate=locate,
                          progress=progress)
    if out_dir is not None and result.consistent:
        out_dir = Path(out_dir)
        inferred = Dataset()
        target = inferred.graph(inferred_graph_iri(plan))
        for triple in result.inferred:
            target.add(triple)
        progress(f"writing {plan}.inferred.nq and .ttl")
        stamp = input_stamp(plan)
        nquads = serialize(inferred, "nquads")
        _replace_set(out_dir, f"{plan}.inferred", {".nq": nquads, ".ttl": serialize(result.inferred, "turtle")},
                     stamp=stamp)
        store_dir = Path(store) if store is not None else out_dir / "store"
        progress(f"writing the inferred graph into the corpus store {store_dir}")
        write_parts(store_dir, [PlanPart.from_nquads(nquads, plan=plan, kind="inferred", digest=stamp)])
    return result
