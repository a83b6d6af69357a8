"""The two validation engines run on one pyoxigraph store, and their results made into a :class:`ValidationResult`.

:func:`validate <antitraffick_kg.check.validate.validate>` runs them once on a store holding the input;
:mod:`~antitraffick_kg.check.batches` runs them on each batch of a corpus's plans.
"""

from __future__ import annotations

import functools
import logging
from typing import TYPE_CHECKING, Sequence

from ..formats import ShaclEngine
from ..resources import ontology_path, shapes_path
from ..terms import to_rdflib
from .shacl_sparql import run_compiled
from .validation_report import ValidationResult, read_results, render_text

if TYPE_CHECKING:  # pragma: no cover
    import pyoxigraph
    from rdflib import Graph

__all__ = ["shapes_graph", "ontology_quads", "with_ontology", "reference_graph", "run_engine", "outcome"]


def shapes_graph() -> "Graph":
    """``ontology/shapes.ttl`` as an rdflib graph."""
    from rdflib import Graph

    return Graph().parse(str(shapes_path()), format="turtle")


def ontology_quads() -> list["pyoxigraph.Quad"]:
    """Our ontology, in the ontology graph."""
    import pyoxigraph as ox

    from ..iris import ONTOLOGY_GRAPH

    graph = ox.NamedNode(ONTOLOGY_GRAPH)
    return [ox.Quad(t.subject, t.predicate, t.object, graph)
            for t in ox.parse(path=str(ontology_path()), format=ox.RdfFormat.TURTLE)]


def with_ontology(store: "pyoxigraph.Store") -> None:
    """Put our ontology in the ontology graph, replacing what the input had there (a built dataset carries a
    copy whose blank nodes would otherwise double the disjointness lists)."""
    import pyoxigraph as ox

    from ..iris import ONTOLOGY_GRAPH

    store.remove_graph(ox.NamedNode(ONTOLOGY_GRAPH))
    store.extend(ontology_quads())


def reference_graph() -> "Graph":
    """An empty rdflib graph for the reference engine's input: one that parses and translates each SPARQL text once,
    however often it is asked.

    pySHACL asks a SPARQL-based constraint's text once per focus node, with that node bound; rdflib would parse
    the same text each time, and parsing was 83% of a reference run (1,015 parses for a 1,900-triple plan). The
    answers are those of the same text parsed anew: only the parse is kept, shared by every reference run of the
    process (the last :data:`PARSED_KEPT` texts, so that validating many small graphs parses the shapes once).
    """
    return _parsed_once()()


#: how many parsed SPARQL texts the reference engine keeps (the shapes hold 59 constraints)
PARSED_KEPT = 256


@functools.cache
def _parsed_once() -> type:
    """The class of :func:`reference_graph`'s graphs (made on first use, so that importing this module does not
    import rdflib)."""
    from rdflib import Graph
    from rdflib.plugins.sparql import algebra, parser

    @functools.lru_cache(maxsize=PARSED_KEPT)
    def translated(text: str, names: tuple, base: str | None):
        # rdflib evaluates a translated query without changing it: one object serves every later run
        return algebra.translateQuery(parser.parseQuery(text), base, dict(names))

    class ParsedOnce(Graph):
        def query(self, query_object, processor="sparql", result="sparql", initNs=None,  # noqa: N803
                  initBindings=None, use_store_provided=True, **kwargs):  # noqa: N803
            if isinstance(query_object, str) and processor == "sparql":
                names = dict(initNs or self.namespaces())          # as rdflib's Graph.query reads them
                query_object = translated(query_object, tuple(sorted(names.items())), kwargs.get("base"))
            return super().query(query_object, processor, result, initNs, initBindings, use_store_provided,
                                 **kwargs)

    return ParsedOnce


def _reference(store, shapes: "Graph") -> "Graph":
    import pyshacl

    data = reference_graph()
    for q in store:
        data.add((to_rdflib(q.subject), to_rdflib(q.predicate), to_rdflib(q.object)))
    _conforms, report, _text = pyshacl.validate(data, shacl_graph=shapes, inference="none", inplace=True,
                                                allow_warnings=True, advanced=False)
    return report


def run_engine(store: "pyoxigraph.Store", engine: ShaclEngine | str, shapes: "Graph",
               checks: list[tuple] | None = None) -> tuple["Graph", list[tuple]]:
    """The SHACL report graph of what ``store`` holds, and (report node, result) for each of its results.

    ``checks`` are the shapes compiled once for the fast path (compiled here when None)."""
    term_log = logging.getLogger("rdflib.term")  # it logs a traceback for every ill-typed literal it meets
    level = term_log.level
    term_log.setLevel(logging.CRITICAL)
    try:
        report = (_reference(store, shapes) if ShaclEngine.parse(engine) == "pyshacl"
                  else run_compiled(store, shapes, checks=checks))
        return report, read_results(report, store)
    finally:
        term_log.setLevel(level)


def outcome(report: "Graph", results: Sequence, *, engine: str, inputs: Sequence[str],
            checked: tuple[tuple[str, int], ...]) -> ValidationResult:
    """The :class:`ValidationResult` of sorted ``results``: conforms when none is a violation."""
    conforms = not any(r.severity == "violation" for r in results)
    text = render_text(results, conforms=conforms, engine=engine, inputs=inputs, checked=checked)
    return ValidationResult(conforms, report, tuple(results), text, engine, tuple(inputs), checked)
