"""The main job: import a plan, build its dataset, write it, and find it again.

``build`` writes ``<plan>.ttl`` (the plan graph), ``<plan>.trig`` and
``<plan>.nq`` (the dataset: ontology and plan in named graphs) and
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

import hashlib
from dataclasses import dataclass
from pathlib import Path

from .importer import DEFAULT_PLAN, import_plan, plan_files
from .resources import data_path, find_plan, ontology_path
from .steps import Progress, quiet

__all__ = ["BuildResult", "build_plan", "load", "reason", "input_stamp", "built_nquads", "inferred_nquads",
           "DEFAULT_BUILD_DIR"]

DEFAULT_BUILD_DIR = Path("build")
#: the modules whose code decides what a build writes
_BUILD_CODE = ("build", "corrections", "export", "functions", "importer", "model", "namespaces", "parse", "planinfo",
               "registry", "resources", "tags", "timeline", "links", "linkbase", "family", "upper", "counterparts",
               "mappings")


@dataclass(frozen=True)
class BuildResult:
    plan_id: str
    files: tuple[Path, ...]
    triples: int
    tasks: int


def input_stamp(plan_id: str) -> str:
    """A digest of every input of a plan's build, and of the code that writes it."""
    from . import __version__

    files = plan_files(plan_id)
    h = hashlib.sha256(__version__.encode())
    from .links import link_inputs, plans_in_use

    inputs = [*files.inputs, data_path("unit-functions.ttl"), data_path("concepts.ttl"),
              data_path("documents.csv"), ontology_path(), *link_inputs(plans_in_use(plan_id))]
    code = Path(__file__).parent
    inputs += [code / f"{name}.py" for name in _BUILD_CODE]
    for path in inputs:
        if path is not None:
            h.update(path.name.encode())
            h.update(path.read_bytes())
    return h.hexdigest()


def _import(plan_id: str):
    files = plan_files(plan_id)
    return import_plan(files.source, corrections=files.corrections, units=files.units, info=files.plan_toml,
                       plan_id=files.plan_id)


def _dataset(parsed, plan: str):
    """The dataset a build writes: the plan's (see :func:`~antitraffick_kg.build.plan_dataset`) and the linking
    graphs of every plan in use (:func:`~antitraffick_kg.links.link_nquads`)."""
    from .build import plan_dataset
    from .links import link_nquads, plans_in_use

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


def build_plan(*, plan: str = DEFAULT_PLAN, out_dir: str | Path = DEFAULT_BUILD_DIR,
               progress: Progress = quiet) -> BuildResult:
    """Import ``plan``, write its graph and dataset to ``out_dir``; return what was written.

    ``progress`` is told each step.  Raises :class:`~antitraffick_kg.errors.OutputError`
    before any work when ``out_dir`` cannot be written.
    """
    from .build import graph_iri
    from .export import check_writable, serialize

    check_writable(out_dir, folder=True)
    progress(f"importing plan {plan}")
    parsed = _import(plan)
    progress(f"building the graph of {len(parsed.tasks)} tasks")
    ds = _dataset(parsed, plan)
    plan_graph = ds.graph(graph_iri(plan))
    outputs = {}
    for suffix, data, fmt in ((".ttl", plan_graph, "turtle"), (".trig", ds, "trig"), (".nq", ds, "nquads")):
        progress(f"writing {plan}{suffix}")
        outputs[suffix] = serialize(data, fmt)
    files = _replace_set(Path(out_dir), plan, outputs, stamp=input_stamp(plan))
    return BuildResult(plan, files, len(ds), len(parsed.tasks))


def _replace_set(out_dir: Path, name: str, outputs: dict[str, bytes], *, stamp: str) -> tuple[Path, ...]:
    """Write ``<name><suffix>`` for each output, then ``<name>.stamp``; the old stamp goes first."""
    from .export import write_atomic

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
    from .export import serialize

    out_dir = Path(out_dir)
    nq, stamp = out_dir / f"{plan}.nq", out_dir / f"{plan}.stamp"
    if nq.is_file() and stamp.is_file() and stamp.read_text().strip() == input_stamp(plan):
        return nq.read_bytes()
    return serialize(_dataset(_import(plan), plan), "nquads")


def reason(*, plan: str = DEFAULT_PLAN, data: list[str | Path] | None = None, locate: bool = True,
           out_dir: str | Path | None = None, progress: Progress = quiet):
    """Reason over the plan (or the RDF files ``data``) with the ontology; see :mod:`.reason`.

    With ``out_dir`` and no ``data``, the inferred facts are written to
    ``<out_dir>/<plan>.inferred.nq`` (named graph ``…/graph/<plan>/inferred``) and
    ``<plan>.inferred.ttl``, with a stamp, so that queries can include them.
    ``progress`` is told each step.  Raises :class:`~antitraffick_kg.errors.ReasonerUnavailableError`
    without a working Java runtime, and :class:`~antitraffick_kg.errors.OutputError` before any work
    when ``out_dir`` cannot be written.
    """
    from rdflib import Dataset

    from .build import ONTOLOGY_GRAPH, graph_iri, ontology_graph
    from .export import serialize
    from .reason import find_java, inferred_graph_iri, reason_graph

    if not data:
        plan = find_plan(plan)           # an ill-formed or unknown plan is the first error, Java or not
    if out_dir is not None and not data:
        from .export import check_writable

        check_writable(out_dir, folder=True)
    progress("checking the Java runtime")
    find_java()
    if data:
        import pyoxigraph as ox
        from rdflib import Dataset, Graph

        from .validate import load_store   # the one reader of user RDF files, with file:line:column errors

        progress(f"reading {len(data)} file(s)")
        files = Dataset()
        files.parse(data=load_store(list(data)).dump(format=ox.RdfFormat.N_QUADS), format="nquads")
        union = Graph()
        for s_, p_, o_, _ in files.quads((None, None, None, None)):
            union.add((s_, p_, o_))
        return reason_graph(union, ontology=ontology_graph(), locate=locate, progress=progress)
    progress(f"importing plan {plan}")
    ds = load(plan)
    result = reason_graph(ds.graph(graph_iri(plan)), ontology=ds.graph(ONTOLOGY_GRAPH), locate=locate,
                          progress=progress)
    if out_dir is not None and result.consistent:
        out_dir = Path(out_dir)
        inferred = Dataset()
        target = inferred.graph(inferred_graph_iri(plan))
        for triple in result.inferred:
            target.add(triple)
        progress(f"writing {plan}.inferred.nq and .ttl")
        _replace_set(out_dir, f"{plan}.inferred", {".nq": serialize(inferred, "nquads"),
                                                   ".ttl": serialize(result.inferred, "turtle")},
                     stamp=input_stamp(plan))
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
