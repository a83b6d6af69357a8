"""The main job: import a plan, build its dataset, write it, and find it again.

``build`` writes ``<plan>.ttl`` (the plan graph), ``<plan>.trig`` and
``<plan>.nq`` (the dataset: ontology, concept schemes and plan in named graphs) and
``<plan>.stamp`` (a digest of every input) into a build folder.  Readers use
the built N-Quads when the stamp matches the inputs, and build in memory
otherwise, so a stale build is never queried.

A build set is replaced so that no reader takes a mix of old and new files:
the stamp is removed first, each file is written to a temporary file and
renamed into place, and the new stamp is written last.  A build stopped half
way (Ctrl-C, a full disk) leaves no stamp, so readers rebuild in memory until
the next complete build.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from ..plan.importer import DEFAULT_PLAN, import_plan, plan_files
from ..resources import find_plan
from .stamp import input_stamp
from ..steps import Progress, quiet

if TYPE_CHECKING:  # pragma: no cover
    from ..store.corpus import Corpus

__all__ = ["BuildResult", "build_plan", "build_plans", "load", "input_stamp", "built_nquads", "inferred_nquads",
           "DEFAULT_BUILD_DIR", "store_plans"]

DEFAULT_BUILD_DIR = Path("build")


@dataclass(frozen=True)
class BuildResult:
    plan_id: str
    files: tuple[Path, ...]
    triples: int
    tasks: int
    #: the corpus store the plan was written into
    store: Path | None = None
    #: the plan's source text, and the findings that say it is cut off (built with what stands before the cut)
    source: Path | None = None
    incomplete: tuple = ()


def _import(plan_id: str):
    files = plan_files(plan_id)
    return import_plan(files.source, corrections=files.corrections, units=files.units, info=files.plan_toml,
                       plan_id=files.plan_id)


def _dataset(parsed, plan: str):
    """The dataset a build writes: the plan's (see :func:`~antitraffick_kg.plan.graph.plan_dataset`) and the linking
    graphs of every plan in use (:func:`~antitraffick_kg.link.links.link_nquads`)."""
    from ..plan.graph import plan_dataset
    from ..link.links import link_nquads, plans_in_use

    ds = plan_dataset(parsed)
    ds.parse(data=link_nquads(plans_in_use(plan), own=plan), format="nquads")
    return ds


def load(plan: str = DEFAULT_PLAN):
    """The plan as an rdflib ``Dataset`` (default graph = union of ontology and plan graphs).

    >>> ds = load()
    >>> len(list(ds.graphs())) >= 2
    True
    """
    return _dataset(_import(plan), plan)


def build_plan(*, plan: str = DEFAULT_PLAN, out_dir: str | Path = DEFAULT_BUILD_DIR, store: str | Path | None = None,
               progress: Progress = quiet) -> BuildResult:
    """Import ``plan``, write its graph and dataset to ``out_dir`` and into the corpus store; return what was written.

    The corpus store is ``store``, by default ``<out_dir>/store``; the plan's
    graphs there replace its old ones and no other plan's (see
    :mod:`antitraffick_kg.store.corpus`).  ``progress`` is told each step.  Raises
    :class:`~antitraffick_kg.errors.OutputError` before any work when
    ``out_dir`` cannot be written.
    """
    from ..store.export import check_writable

    check_writable(out_dir, folder=True)
    built = _build_files(plan, Path(out_dir), progress)
    store_dir = Path(store) if store is not None else Path(out_dir) / "store"
    progress(f"writing {plan} into the corpus store {store_dir}")
    _write_corpus(store_dir, [(str(plan), built.part, built.stamp)], shared=built.shared, links_of=plan)
    return BuildResult(plan, built.files, built.triples, built.tasks, store_dir, plan_files(plan).source,
                       built.incomplete)


@dataclass(frozen=True)
class _Built:
    """One plan built into a build folder: its files, counts, input digest, its part of the corpus store and the
    graphs every plan shares (N-Quads, see :func:`_corpus_part`)."""

    plan: str
    files: tuple[Path, ...]
    triples: int
    tasks: int
    stamp: str
    part: bytes
    shared: bytes
    #: the findings that say the text is cut off (built with what stands before the cut)
    incomplete: tuple = ()


def _build_files(plan: str, out_dir: Path, progress: Progress) -> _Built:
    """Import ``plan`` and write its graph and dataset files into ``out_dir`` (see :func:`build_plan`)."""
    import pyoxigraph as ox

    from ..plan.graph import graph_iri
    from ..store.export import serialize, serialize_quads

    progress(f"importing plan {plan}")
    parsed = _import(plan)
    progress(f"building the graph of {len(parsed.tasks)} tasks")
    ds = _dataset(parsed, plan)
    progress(f"writing {plan}.nq")
    outputs = {".nq": serialize(ds, "nquads")}        # canonical blank-node labels, sorted lines
    quads = list(ox.parse(outputs[".nq"], format=ox.RdfFormat.N_QUADS))
    plan_graph = ox.NamedNode(str(graph_iri(plan)))
    progress(f"writing {plan}.ttl and {plan}.trig")
    outputs[".ttl"] = serialize_quads([q for q in quads if q.graph_name == plan_graph], "turtle")
    outputs[".trig"] = serialize_quads(quads, "trig")
    outputs = {suffix: outputs[suffix] for suffix in (".ttl", ".trig", ".nq")}
    stamp = input_stamp(plan)
    files = _replace_set(out_dir, plan, outputs, stamp=stamp)
    return _Built(str(plan), files, len(ds), len(parsed.tasks), stamp, *_corpus_part(plan, outputs[".nq"]),
                  incomplete=tuple(parsed.incomplete))


def build_plans(plans: Sequence[str], *, out_dir: str | Path = DEFAULT_BUILD_DIR, store: str | Path | None = None,
                workers: int | None = None, progress: Progress = quiet) -> list[BuildResult]:
    """Build each of ``plans`` as :func:`build_plan` does, and write them all into the corpus store at once.

    The plans are built in ``workers`` processes (None: one per core, at most one per plan; 1: in this
    process), each writing its plan's files into ``out_dir``; then one new generation of the store (``store``,
    by default ``<out_dir>/store``) takes every plan, so readers see all of them or none.  ``progress`` is told
    when each plan is built (``[k/n] plan: …``).  A plan that cannot be built stops the build with its error and
    leaves the store as it was (the files of plans already built are complete, each set with its stamp).
    Returns the plans' results in the order given.  Raises :class:`~antitraffick_kg.errors.OutputError` before
    any work when ``out_dir`` cannot be written.
    """
    import os

    from ..store.export import check_writable

    refs = list(dict.fromkeys(find_plan(p) for p in plans))
    if not refs:
        return []
    check_writable(out_dir, folder=True)
    workers = max(1, min(workers or os.cpu_count() or 1, len(refs)))
    store_dir = Path(store) if store is not None else Path(out_dir) / "store"
    progress(f"building {len(refs)} plan(s) in {workers} process(es)")
    built: dict[str, BuildResult] = {}
    by_id = {str(ref): ref for ref in refs}
    done = _each_built(refs, Path(out_dir), workers)
    first = next(done)

    def parts() -> Iterator[tuple[str, bytes, str]]:
        """Each plan's part as it is built; the writer takes them a batch at a time, so memory grows with a
        batch, not with the plans."""
        for number, one in enumerate(itertools.chain([first], done), start=1):
            built[one.plan] = BuildResult(one.plan, one.files, one.triples, one.tasks, store_dir,
                                          plan_files(by_id[one.plan]).source, one.incomplete)
            progress(f"[{number}/{len(refs)}] {one.plan}: {one.tasks} tasks, {one.triples} triples")
            yield one.plan, one.part, one.stamp
        progress(f"writing {len(refs)} plan(s) into the corpus store {store_dir}")

    try:
        _write_corpus(store_dir, parts(), shared=first.shared, links_of=refs[0])
    finally:
        done.close()            # a plan that failed, or the writer: the worker processes stop with the build
    return [built[str(ref)] for ref in refs]


def _each_built(refs: Sequence, out_dir: Path, workers: int) -> Iterator[_Built]:
    """Each plan of ``refs`` built into ``out_dir`` (:func:`_build_files`), as it is done; in ``workers``
    new processes when more than one."""
    if workers == 1:
        for ref in refs:
            yield _build_files(ref, out_dir, quiet)
        return
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor, as_completed

    from ..errors import InputError

    # new processes (spawn), not forks of this one: a worker shares no lock or thread state with the caller
    with ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("spawn")) as pool:
        futures = [pool.submit(_build_in_worker, str(ref), str(ref.folder.parent), str(out_dir)) for ref in refs]
        try:
            for future in as_completed(futures):
                done, error = future.result()
                if error is not None:
                    raise InputError(error)
                yield done
        finally:
            for future in futures:
                future.cancel()


def _build_in_worker(plan: str, folder: str, out_dir: str) -> tuple[_Built | None, str | None]:
    """:func:`_build_files` in a worker process: the plan found again in its folder; an error as its message
    (the error classes take keyword arguments, which do not cross processes)."""
    from ..errors import AntitraffickKGError
    from ..resources import data_path

    try:
        ref = find_plan(plan, data_dir=None if Path(folder).resolve() == data_path().resolve() else folder)
        return _build_files(ref, Path(out_dir), quiet), None
    except AntitraffickKGError as exc:
        return None, f"plan {plan}: {exc}"


def _corpus_part(plan: str, nquads: bytes) -> tuple[bytes, bytes]:
    """The plan's part of the corpus store from its dataset's N-Quads: its own graph and the linking quads only it
    adds; and the graphs every plan shares, the ontology and the concept schemes (both as N-Quads)."""
    import pyoxigraph as ox

    from ..iris import ONTOLOGY_GRAPH, VOCABULARY_GRAPH, graph_iri
    from ..link.links import corpus_link_quads, plans_in_use

    quads = list(ox.parse(nquads, format=ox.RdfFormat.N_QUADS))
    shared = [q for q in quads if q.graph_name.value in (ONTOLOGY_GRAPH, VOCABULARY_GRAPH)]
    _, own = corpus_link_quads(plans_in_use(plan), own=str(plan))
    mine = [q for q in quads if q.graph_name == ox.NamedNode(str(graph_iri(str(plan))))]
    return (ox.serialize(mine + own, format=ox.RdfFormat.N_QUADS),
            ox.serialize(shared, format=ox.RdfFormat.N_QUADS))


def _write_corpus(store: Path, plans: Iterable[tuple[str, bytes, str]], *, shared: bytes, links_of: str) -> None:
    """Put each plan (its id, its part's N-Quads from :func:`_corpus_part`, and its digest; read lazily) into the
    corpus store, with ``shared`` (the ontology and the concept schemes) and the linking graphs every plan shares
    as the shared part (see :func:`~antitraffick_kg.link.links.corpus_link_quads`; the same whichever plan,
    ``links_of``, they are made for).  The parts stay N-Quads until the writer takes them, a batch at a time."""
    import hashlib

    import pyoxigraph as ox

    from ..store.corpus import SHARED_PART, PlanPart, write_parts
    from ..link.links import corpus_link_quads, plans_in_use

    links, _ = corpus_link_quads(plans_in_use(links_of), own=str(links_of))
    digest = hashlib.sha256(ox.serialize(sorted(links, key=str), format=ox.RdfFormat.N_QUADS)).hexdigest()
    parts = itertools.chain([PlanPart(SHARED_PART, "shared", digest, tuple(links))],
                            (PlanPart(str(plan), "plan", stamp, nquads=part) for plan, part, stamp in plans))
    write_parts(store, parts, shared=list(ox.parse(shared, format=ox.RdfFormat.N_QUADS)))


def store_plans(plans: Sequence[str], *, store: str | Path, progress: Progress = quiet) -> None:
    """Build ``plans`` into the corpus store ``store`` only (no files), as ``build --rebuild`` does."""
    from ..store.export import serialize

    built, shared = [], b""
    for plan in plans:
        progress(f"importing plan {plan}")
        part, shared = _corpus_part(plan, serialize(_dataset(_import(plan), plan), "nquads"))
        built.append((str(plan), part, input_stamp(plan)))
    progress(f"writing {len(built)} plan(s) into the corpus store {store}")
    if built:
        _write_corpus(Path(store), built, shared=shared, links_of=plans[-1])


def _replace_set(out_dir: Path, name: str, outputs: dict[str, bytes], *, stamp: str) -> tuple[Path, ...]:
    """Write ``<name><suffix>`` for each output, then ``<name>.stamp``; the old stamp goes first."""
    from ..store.export import write_atomic

    stamp_path = out_dir / f"{name}.stamp"
    stamp_path.unlink(missing_ok=True)
    files = []
    for suffix, data in outputs.items():
        write_atomic(out_dir / f"{name}{suffix}", data)
        files.append(out_dir / f"{name}{suffix}")
    write_atomic(stamp_path, (stamp + "\n").encode())
    return (*files, stamp_path)


def built_nquads(plan: str = DEFAULT_PLAN, *, out_dir: str | Path = DEFAULT_BUILD_DIR) -> bytes:
    """The plan's dataset as N-Quads: from the build folder when fresh, else built in memory."""
    from ..store.export import serialize

    out_dir = Path(out_dir)
    nq, stamp = out_dir / f"{plan}.nq", out_dir / f"{plan}.stamp"
    if nq.is_file() and stamp.is_file() and stamp.read_text().strip() == input_stamp(plan):
        return nq.read_bytes()
    return serialize(_dataset(_import(plan), plan), "nquads")


def inferred_nquads(plan: str = DEFAULT_PLAN, *, out_dir: str | Path = DEFAULT_BUILD_DIR) -> bytes:
    """The plan's inferred graph as N-Quads, written by ``reason``; raises if missing or stale."""
    from ..errors import InputError

    out_dir = Path(out_dir)
    nq, stamp = out_dir / f"{plan}.inferred.nq", out_dir / f"{plan}.inferred.stamp"
    if not (nq.is_file() and stamp.is_file()):
        raise InputError(f"no inferred graph in {out_dir}; run 'antitraffick-kg reason' first")
    if stamp.read_text().strip() != input_stamp(plan):
        raise InputError(f"the inferred graph in {out_dir} is older than the plan; run 'antitraffick-kg reason' again")
    return nq.read_bytes()
