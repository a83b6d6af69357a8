"""The main job: import a plan, build its dataset, write it, and find it again.

``build`` writes ``<plan>.ttl`` (the plan graph), ``<plan>.trig`` and
``<plan>.nq`` (the dataset: ontology and plan in named graphs) and
``<plan>.stamp`` (a digest of every input) into a build folder.  Readers use
the built N-Quads when the stamp matches the inputs, and build in memory
otherwise, so a stale build is never queried.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from .importer import DEFAULT_PLAN, import_plan, plan_files
from .resources import data_path, ontology_path

__all__ = ["BuildResult", "build_plan", "load", "reason", "input_stamp", "built_nquads", "inferred_nquads",
           "DEFAULT_BUILD_DIR"]

DEFAULT_BUILD_DIR = Path("build")
#: the modules whose code decides what a build writes
_BUILD_CODE = ("build", "corrections", "export", "importer", "model", "namespaces", "parse", "registry", "tags",
               "timeline")


@dataclass(frozen=True)
class BuildResult:
    plan_id: str
    files: tuple[Path, ...]
    triples: int
    tasks: int


def input_stamp(plan_id: str) -> str:
    """A digest of every input of a plan's build, and of the code that writes it."""
    from . import __version__

    source, corrections = plan_files(plan_id)
    h = hashlib.sha256(__version__.encode())
    inputs = [source, corrections, data_path("units.csv"), data_path("concepts.ttl"),
              data_path("documents.csv"), ontology_path()]
    code = Path(__file__).parent
    inputs += [code / f"{name}.py" for name in _BUILD_CODE]
    for path in inputs:
        if path is not None:
            h.update(path.name.encode())
            h.update(path.read_bytes())
    return h.hexdigest()


def _import(plan_id: str):
    source, corrections = plan_files(plan_id)
    return import_plan(source, corrections=corrections, plan_id=plan_id)


def load(plan: str = DEFAULT_PLAN):
    """The plan as an rdflib ``Dataset`` (default graph = union of ontology and plan graphs).

    >>> ds = load()
    >>> len(list(ds.graphs())) >= 2
    True
    """
    from .build import plan_dataset

    return plan_dataset(_import(plan))


def build_plan(*, plan: str = DEFAULT_PLAN, out_dir: str | Path = DEFAULT_BUILD_DIR) -> BuildResult:
    """Import ``plan``, write its graph and dataset to ``out_dir``; return what was written."""
    from .build import graph_iri, plan_dataset
    from .export import check_writable, serialize, write_atomic

    check_writable(out_dir, folder=True)
    parsed = _import(plan)
    ds = plan_dataset(parsed)
    out_dir = Path(out_dir)
    files = []
    plan_graph = ds.graph(graph_iri(plan))
    for suffix, data, fmt in ((".ttl", plan_graph, "turtle"), (".trig", ds, "trig"), (".nq", ds, "nquads")):
        path = out_dir / f"{plan}{suffix}"
        write_atomic(path, serialize(data, fmt))
        files.append(path)
    stamp = out_dir / f"{plan}.stamp"
    write_atomic(stamp, (input_stamp(plan) + "\n").encode())
    files.append(stamp)
    return BuildResult(plan, tuple(files), len(ds), len(parsed.tasks))


def built_nquads(plan: str = DEFAULT_PLAN, *, out_dir: str | Path = DEFAULT_BUILD_DIR) -> bytes:
    """The plan's dataset as N-Quads: from the build folder when fresh, else built in memory."""
    from .build import plan_dataset
    from .export import serialize

    out_dir = Path(out_dir)
    nq, stamp = out_dir / f"{plan}.nq", out_dir / f"{plan}.stamp"
    if nq.is_file() and stamp.is_file() and stamp.read_text().strip() == input_stamp(plan):
        return nq.read_bytes()
    return serialize(plan_dataset(_import(plan)), "nquads")


def reason(*, plan: str = DEFAULT_PLAN, data: list[str | Path] | None = None, locate: bool = True,
           out_dir: str | Path | None = None):
    """Reason over the plan (or the RDF files ``data``) with the ontology; see :mod:`.reason`.

    With ``out_dir`` and no ``data``, the inferred facts are written to
    ``<out_dir>/<plan>.inferred.nq`` (named graph ``…/graph/<plan>/inferred``) and
    ``<plan>.inferred.ttl``, with a stamp, so that queries can include them.
    Raises :class:`~antitraffick_kg.errors.ReasonerUnavailableError` without Java.
    """
    from rdflib import Dataset

    from .build import ONTOLOGY_GRAPH, graph_iri, ontology_graph
    from .export import serialize, write_atomic
    from .reason import find_java, inferred_graph_iri, reason_graph

    if out_dir is not None and not data:
        from .export import check_writable

        check_writable(out_dir, folder=True)
    find_java()
    if data:
        import pyoxigraph as ox
        from rdflib import Dataset, Graph

        from .validate import load_store   # the one reader of user RDF files, with file:line:column errors

        files = Dataset()
        files.parse(data=load_store(list(data)).dump(format=ox.RdfFormat.N_QUADS), format="nquads")
        union = Graph()
        for s_, p_, o_, _ in files.quads((None, None, None, None)):
            union.add((s_, p_, o_))
        return reason_graph(union, ontology=ontology_graph(), locate=locate)
    ds = load(plan)
    result = reason_graph(ds.graph(graph_iri(plan)), ontology=ds.graph(ONTOLOGY_GRAPH), locate=locate)
    if out_dir is not None and result.consistent:
        out_dir = Path(out_dir)
        inferred = Dataset()
        target = inferred.graph(inferred_graph_iri(plan))
        for triple in result.inferred:
            target.add(triple)
        write_atomic(out_dir / f"{plan}.inferred.nq", serialize(inferred, "nquads"))
        write_atomic(out_dir / f"{plan}.inferred.ttl", serialize(result.inferred, "turtle"))
        write_atomic(out_dir / f"{plan}.inferred.stamp", (input_stamp(plan) + "\n").encode())
    return result


def inferred_nquads(plan: str = DEFAULT_PLAN, *, out_dir: str | Path = DEFAULT_BUILD_DIR) -> bytes:
    """The plan's inferred graph as N-Quads, written by ``reason``; raises if missing or stale."""
    from .errors import InputError

    out_dir = Path(out_dir)
    nq, stamp = out_dir / f"{plan}.inferred.nq", out_dir / f"{plan}.inferred.stamp"
    if not (nq.is_file() and stamp.is_file()):
        raise InputError(f"no inferred graph in {out_dir}; run 'antitraffick-kg reason' first")
    if stamp.read_text().strip() != input_stamp(plan):
        raise InputError(f"the inferred graph in {out_dir} is older than the plan; run 'antitraffick-kg reason' again")
    return nq.read_bytes()
