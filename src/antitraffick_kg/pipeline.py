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

__all__ = ["BuildResult", "build_plan", "load", "input_stamp", "built_nquads", "DEFAULT_BUILD_DIR"]

DEFAULT_BUILD_DIR = Path("build")


@dataclass(frozen=True)
class BuildResult:
    plan_id: str
    files: tuple[Path, ...]
    triples: int
    tasks: int


def input_stamp(plan_id: str) -> str:
    """A digest of every input of a plan's build, and of this package's code."""
    from . import __version__

    source, corrections = plan_files(plan_id)
    h = hashlib.sha256(__version__.encode())
    inputs = [source, corrections, data_path("units.csv"), data_path("concepts.ttl"),
              data_path("documents.csv"), ontology_path()]
    inputs += sorted(Path(__file__).parent.glob("*.py"))
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
    from .export import serialize, write_atomic

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
