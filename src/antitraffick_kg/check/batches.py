"""Validate every plan of a corpus store in batches of plans, so that memory grows with a batch, not the corpus.

Each batch is copied from the corpus into a fresh in-memory store: the batch's plans' graphs, the ontology
and the linking graphs every plan shares; the shapes run there.  The shapes are compiled once per run, and the
ontology and shared graphs read once.  A result found in the shared graphs comes up in every batch and is kept
once; the checked counts count each node once.  The results are then those of validating every plan in one
store (the tests compare the two), provided no constraint joins what two plans' graphs say: each plan's graphs
describe its own tasks, assignments, units and milestones, and what plans share is in every batch.

With more than one worker the batches are shared out among new processes (``python -m`` this module, so that
the caller's script is not run again), each opening the store read-only (several readers may); the results are
merged in the order of the batches, so the report does not depend on the number of workers.  A batch's plans
are parsed from the part files the writer left beside the store (:mod:`~antitraffick_kg.store.partfiles`):
copied out of the store on disk, where pyoxigraph looks up the text of every term, a batch of 50 county plans
took 1.0-1.5 s, longer than validating it (0.6 s); parsed, 0.25 s.  A plan without a part file is read from
the store.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, Iterable, Sequence

from ..errors import InputError
from ..formats import ShaclEngine
from .engines import ontology_quads, outcome, run_engine, shapes_graph
from .shacl_sparql import compile_shapes
from .validation_report import Result, ValidationResult, checked_nodes, result_order

if TYPE_CHECKING:  # pragma: no cover
    import pyoxigraph

    from ..store.corpus import Corpus

__all__ = ["validate_corpus", "DEFAULT_BATCH"]

#: plans validated together in one in-memory store (about 150,000 triples for 50 county plans)
DEFAULT_BATCH = 50

_Found = tuple[list[tuple[Result, list[tuple]]], dict[str, set[str]]]


def _shared_quads(corpus: "Corpus") -> list["pyoxigraph.Quad"]:
    """What every batch holds besides its plans: our ontology and the corpus's shared linking graphs."""
    from ..iris import ONTOLOGY_GRAPH

    plans = corpus.plans
    own = set(corpus.entry(plans[0]).graphs) if plans else set()
    names = [g for g in corpus.graphs(plans[0] if plans else None) if g.value not in own | {ONTOLOGY_GRAPH}]
    return ontology_quads() + [q for g in names for q in corpus.store.quads_for_pattern(None, None, None, g)]


def _subgraph(report, node) -> list[tuple]:
    """The triples of the report graph about result ``node``, with the blank-node structure of its path."""
    from rdflib import BNode

    out, todo, seen = [], [node], set()
    while todo:
        subject = todo.pop()
        seen.add(subject)
        for p, o in report.predicate_objects(subject):
            out.append((subject, p, o))
            if isinstance(o, BNode) and o not in seen:
                todo.append(o)
    return out


class _Batches:
    """What the batches of one run share, made once: the shapes (compiled for the fast path) and the shared quads."""

    def __init__(self, corpus: "Corpus", engine: str, shared: Sequence["pyoxigraph.Quad"]) -> None:
        self.corpus, self.engine, self.shared = corpus, engine, shared
        self.shapes = shapes_graph()
        self.checks = compile_shapes(self.shapes) if engine == "oxigraph" else None

    def run(self, plans: Sequence[str]) -> _Found:
        """Validate ``plans`` with the shared graphs: each result with its report triples, and the checked nodes."""
        import pyoxigraph as ox

        store = ox.Store()
        store.bulk_extend(self.shared)
        texts = {p: self.corpus.part_nquads(p) for p in plans}
        store.load(b"".join(t for t in texts.values() if t is not None), format=ox.RdfFormat.N_QUADS)
        source = self.corpus.store
        store.bulk_extend(q for p in plans if texts[p] is None for g in self.corpus.entry(p).graphs
                          for q in source.quads_for_pattern(None, None, None, ox.NamedNode(g)))
        report, found = run_engine(store, self.engine, self.shapes, self.checks)
        return [(result, _subgraph(report, node)) for node, result in found], checked_nodes(store)


def _worker() -> None:
    """A worker process (``python -m antitraffick_kg.check.batches``): reads the run and its share of the batches
    from standard input, writes (batch number, what it found) for each to standard output, pickled."""
    import pickle
    import sys

    from ..errors import AntitraffickKGError
    from ..store.corpus import Corpus

    path, engine, shared, digests, batches = pickle.load(sys.stdin.buffer)
    out = sys.stdout.buffer
    try:
        corpus = Corpus.open(path)
        now = {p: e.digest for (p, kind), e in corpus.entries.items() if kind == "plan" and p in digests}
        if now != digests:             # the plans of this run (a handle may hold some of the store's: Corpus.only)
            raise InputError(f"the corpus store {path} changed while it was validated; run validate again")
        runner = _Batches(corpus, engine, shared)
        for number, plans in batches:
            pickle.dump((number, runner.run(plans)), out)
            out.flush()
    except AntitraffickKGError as exc:
        pickle.dump((-1, str(exc)), out)


def _in_processes(corpus: "Corpus", engine: str, shared: list, batches: list[list[str]], workers: int
                  ) -> list[_Found]:
    """What each batch found, the batches shared out in turn among ``workers`` new processes."""
    import pickle
    import subprocess
    import sys
    import tempfile
    import threading

    digests = {p: e.digest for (p, kind), e in corpus.entries.items() if kind == "plan"}
    found: dict[int, _Found] = {}
    errors: list[str] = []

    def collect(proc: subprocess.Popen) -> None:
        while True:
            try:
                number, what = pickle.load(proc.stdout)
            except EOFError:
                return
            if number < 0:
                errors.append(what)
                return
            found[number] = what

    procs, readers = [], []
    for k in range(workers):
        log = tempfile.TemporaryFile()
        proc = subprocess.Popen([sys.executable, "-m", __name__], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                stderr=log)
        mine = [(i, b) for i, b in enumerate(batches) if i % workers == k]
        pickle.dump((str(corpus.path), engine, shared, digests, mine), proc.stdin)
        proc.stdin.close()
        reader = threading.Thread(target=collect, args=(proc,), daemon=True)
        reader.start()
        procs.append((proc, log))
        readers.append(reader)
    for reader in readers:
        reader.join()
    for proc, log in procs:
        proc.wait()
        log.seek(0)
        tail = log.read().decode("utf-8", "replace").strip().splitlines()
        log.close()
        if proc.returncode != 0 and not errors:
            errors.append(f"a validation worker failed: {tail[-1] if tail else f'exit {proc.returncode}'}")
    if errors:
        raise InputError(errors[0])
    return [found[i] for i in range(len(batches))]


def _merge(found: Iterable[_Found], *, engine: str, inputs: Sequence[str]) -> ValidationResult:
    """One report of the batches' results: each result once (the first batch's), each checked node counted once."""
    from rdflib import BNode, Graph, Literal, Namespace
    from rdflib.namespace import RDF

    from ..iris import SH_BASE

    sh = Namespace(SH_BASE)
    report, node = Graph(), BNode()
    report.bind("sh", sh)
    report.add((node, RDF.type, sh.ValidationReport))
    results: dict[tuple, Result] = {}
    nodes: dict[str, set[str]] = {}
    for batch_results, checked in found:
        for result, triples in batch_results:
            if result.key() in results:
                continue
            results[result.key()] = result
            report.add((node, sh.result, triples[0][0]))
            for triple in triples:
                report.add(triple)
        for name, seen in checked.items():
            nodes.setdefault(name, set()).update(seen)
    ordered = sorted(results.values(), key=result_order)
    report.add((node, sh.conforms, Literal(not any(r.severity == "violation" for r in ordered))))
    return outcome(report, ordered, engine=engine, inputs=inputs,
                   checked=tuple((name, len(seen)) for name, seen in nodes.items()))


def validate_corpus(corpus: "Corpus", *, engine: ShaclEngine | str = "oxigraph", batch: int | None = None,
                    workers: int | None = None, inputs: Sequence[str] = ()) -> ValidationResult:
    """Validate every plan of ``corpus``, ``batch`` plans at a time (:data:`DEFAULT_BATCH` when None), in
    ``workers`` processes (None: one per core, at most one per batch)."""
    engine = ShaclEngine.parse(engine)
    if batch is not None and batch < 1:
        raise ValueError(f"batch must be at least 1, not {batch}")
    plans, size = list(corpus.plans), batch or DEFAULT_BATCH
    batches = [plans[i:i + size] for i in range(0, len(plans), size)] or [[]]
    workers = max(1, min(workers or os.cpu_count() or 1, len(batches)))
    shared = _shared_quads(corpus)
    if workers == 1:
        runner = _Batches(corpus, engine, shared)
        return _merge(map(runner.run, batches), engine=engine, inputs=inputs)
    return _merge(_in_processes(corpus, str(engine), shared, batches, workers), engine=engine, inputs=inputs)


if __name__ == "__main__":
    _worker()
