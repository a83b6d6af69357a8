"""Validate plan graphs against the ontology and the SHACL shapes in ``ontology/shapes.ttl``.

Two engines give the same results, result for result (the test suite checks it on the plan and on a broken
fixture for every shape):

* ``pyshacl`` -- the reference: pySHACL over an rdflib graph, without inference;
* ``oxigraph`` -- the fast path: every constraint compiled to one SPARQL query run on a pyoxigraph store.

Both validate the same data: the input loaded into a pyoxigraph store, plus the ontology (so that ``sh:class``
sees ``rdfs:subClassOf``; nothing is inferred).  The store turns derived integer types into ``xsd:integer``; the
offset shapes accept ``xsd:nonNegativeInteger`` (as written) or ``xsd:integer`` (as stored).

>>> from antitraffick_kg.check.validate import validate
>>> result = validate(engine="oxigraph")
>>> result.conforms, result.violations
(True, 0)
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING, Sequence

from ..errors import InputError
from ..formats import RdfFormat, ShaclEngine
from ..store.rdfread import DEFAULT_MAX_BYTES, read_files
from ..resources import DEFAULT_PLAN, ontology_path, shapes_path
from .shacl_sparql import run_compiled
from ..terms import to_rdflib
from .validation_report import Result, ValidationResult, checked_counts, read_report, render_text, result_order

if TYPE_CHECKING:  # pragma: no cover
    from ..store.corpus import Corpus
    import pyoxigraph
    from rdflib import Graph

__all__ = ["validate", "validate_store", "load_store", "ValidationResult", "Result", "DEFAULT_MAX_BYTES"]


def load_store(paths: Sequence[str | Path] = (), *, plan: str | None = DEFAULT_PLAN,
               input_format: RdfFormat | str | None = None, build_dir: str | Path = "build",
               max_bytes: int = DEFAULT_MAX_BYTES, corpus: "Corpus | None" = None) -> "pyoxigraph.Store":
    """A pyoxigraph store with the given RDF files, or the plan when there are none.

    The plan comes from ``corpus`` when given (its graphs only; every plan's
    when ``plan`` is None), else from
    ``build_dir`` (see :func:`~antitraffick_kg.pipeline.sources.plan_nquads`).  Raises
    :class:`InputError` (with file, line and column for a syntax error) when a
    file cannot be used, or the plan is not in the corpus.
    """
    import pyoxigraph as ox

    from ..pipeline.sources import plan_nquads

    if paths:
        return read_files(paths, input_format=input_format, max_bytes=max_bytes)
    store = ox.Store()
    data = corpus.nquads(plan) if corpus is not None else plan_nquads(plan, build_dir=build_dir)
    store.load(data, format=ox.RdfFormat.N_QUADS)
    return store


# ---------------------------------------------------------------------------
# The two engines
# ---------------------------------------------------------------------------
def _shapes_graph() -> "Graph":
    from rdflib import Graph

    return Graph().parse(str(shapes_path()), format="turtle")


def _with_ontology(store) -> None:
    """Put our ontology in the ontology graph, replacing what the input had there (a built dataset carries a
    copy whose blank nodes would otherwise double the disjointness lists)."""
    import pyoxigraph as ox

    from ..iris import ONTOLOGY_GRAPH

    graph = ox.NamedNode(ONTOLOGY_GRAPH)
    store.remove_graph(graph)
    store.load(path=str(ontology_path()), format=ox.RdfFormat.TURTLE, to_graph=graph)


def _reference(store, shapes: "Graph") -> "Graph":
    import pyshacl
    from rdflib import Graph

    data = Graph()
    for q in store:
        data.add((to_rdflib(q.subject), to_rdflib(q.predicate), to_rdflib(q.object)))
    _conforms, report, _text = pyshacl.validate(data, shacl_graph=shapes, inference="none", inplace=True,
                                                allow_warnings=True, advanced=False)
    return report


def validate_store(store: "pyoxigraph.Store", *, engine: ShaclEngine | str = "pyshacl", inputs: Sequence[str] = ()
                   ) -> ValidationResult:
    """Validate what ``store`` holds (the ontology is added to it) with ``engine``."""
    engine = ShaclEngine.parse(engine)
    shapes = _shapes_graph()
    _with_ontology(store)
    term_log = logging.getLogger("rdflib.term")  # it logs a traceback for every ill-typed literal it meets
    level = term_log.level
    term_log.setLevel(logging.CRITICAL)
    try:
        report = _reference(store, shapes) if engine == "pyshacl" else run_compiled(store, shapes)
        results = tuple(sorted(read_report(report, store), key=result_order))
    finally:
        term_log.setLevel(level)
    conforms = not any(r.severity == "violation" for r in results)
    checked = checked_counts(store)
    text = render_text(results, conforms=conforms, engine=engine, inputs=inputs, checked=checked)
    return ValidationResult(conforms, report, results, text, engine, tuple(inputs), checked)


def validate(paths: Sequence[str | Path] = (), *, plan: str | None = None, engine: ShaclEngine | str = "pyshacl",
             input_format: RdfFormat | str | None = None, build_dir: str | Path = "build",
             max_bytes: int = DEFAULT_MAX_BYTES, corpus: "Corpus | None" = None) -> ValidationResult:
    """Validate RDF files (or, when none are given, a plan) against the ontology and shapes.

    The plan is ``plan`` in ``corpus`` (every plan in it when ``plan`` is
    None), else ``plan`` (the default plan when None) read through
    ``build_dir``.  ``engine`` is ``"pyshacl"`` (the reference) or
    ``"oxigraph"`` (the fast path; same results).  Raises :class:`InputError`
    for a file that cannot be used: missing, too large, unknown format,
    syntax error; or a plan the corpus lacks.
    """
    chosen = plan if plan is not None or corpus is not None else DEFAULT_PLAN
    store = load_store(paths, plan=chosen, input_format=input_format, build_dir=build_dir, max_bytes=max_bytes,
                       corpus=corpus)
    named = [str(chosen)] if chosen is not None else list(corpus.plans if corpus is not None else ())
    return validate_store(store, engine=engine, inputs=[str(p) for p in paths] or named)
