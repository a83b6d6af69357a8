"""Validate plan graphs against the ontology and the SHACL shapes in ``ontology/shapes.ttl``.

Two engines give the same results, result for result (the test suite checks it on the plan and on a broken
fixture for every shape):

* ``oxigraph`` -- the default, the fast path: every constraint compiled to one SPARQL query run on a pyoxigraph
  store (about 2 s for the Dehong plan where pySHACL takes about a minute or more);
* ``pyshacl`` -- the reference: pySHACL over an rdflib graph, without inference.

Both validate the same data: the input loaded into a pyoxigraph store, plus the ontology (so that ``sh:class``
sees ``rdfs:subClassOf``; nothing is inferred).  The store turns derived integer types into ``xsd:integer``; the
offset shapes accept ``xsd:nonNegativeInteger`` (as written) or ``xsd:integer`` (as stored).

>>> from antitraffick_kg.check.validate import validate
>>> result = validate()
>>> result.conforms, result.violations
(True, 0)
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Sequence

from ..formats import RdfFormat, ShaclEngine
from ..store.rdfread import DEFAULT_MAX_BYTES, read_files
from ..resources import DEFAULT_PLAN
from .engines import outcome, run_engine, with_ontology
from .engines import shapes_graph as _shapes_graph  # noqa: F401 -- the name the benchmarks use
from .validation_report import Result, ValidationResult, checked_counts, result_order

if TYPE_CHECKING:  # pragma: no cover
    from ..store.corpus import Corpus
    import pyoxigraph

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


def validate_store(store: "pyoxigraph.Store", *, engine: ShaclEngine | str = "oxigraph", inputs: Sequence[str] = ()
                   ) -> ValidationResult:
    """Validate what ``store`` holds (the ontology is added to it) with ``engine``."""
    engine = ShaclEngine.parse(engine)
    with_ontology(store)
    report, found = run_engine(store, engine, _shapes_graph())
    results = sorted((result for _node, result in found), key=result_order)
    return outcome(report, results, engine=engine, inputs=inputs, checked=checked_counts(store))


def validate(paths: Sequence[str | Path] = (), *, plan: str | None = None, engine: ShaclEngine | str = "oxigraph",
             input_format: RdfFormat | str | None = None, build_dir: str | Path = "build",
             max_bytes: int = DEFAULT_MAX_BYTES, corpus: "Corpus | None" = None, batch: int | None = None,
             workers: int | None = None) -> ValidationResult:
    """Validate RDF files (or, when none are given, a plan) against the ontology and shapes.

    The plan is ``plan`` in ``corpus`` (every plan in it when ``plan`` is
    None), else ``plan`` (the default plan when None) read through
    ``build_dir``.  ``engine`` is ``"oxigraph"`` (the default, the fast path)
    or ``"pyshacl"`` (the reference; same results, much slower).  Every plan of a corpus is
    validated ``batch`` plans at a time in ``workers`` processes (see
    :mod:`~antitraffick_kg.check.batches`; None: 50 plans, one process per
    core), so that memory grows with the batch, not the corpus.  Raises
    :class:`InputError` for a file that cannot be used: missing, too large,
    unknown format, syntax error; or a plan the corpus lacks.
    """
    if not paths and plan is None and corpus is not None:
        from .batches import validate_corpus

        return validate_corpus(corpus, engine=engine, batch=batch, workers=workers, inputs=list(corpus.plans))
    chosen = plan if plan is not None or corpus is not None else DEFAULT_PLAN
    store = load_store(paths, plan=chosen, input_format=input_format, build_dir=build_dir, max_bytes=max_bytes,
                       corpus=corpus)
    return validate_store(store, engine=engine, inputs=[str(p) for p in paths] or [str(chosen)])
