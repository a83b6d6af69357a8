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

from dataclasses import dataclass
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from ..plan.importer import DEFAULT_PLAN, import_plan, plan_files
from ..resources import find_plan
from .stamp import input_stamp
from ..steps import Progress, quiet

if TYPE_CHECKING:  # pragma: no cover
    from ..store.corpus import Corpus

__all__ = ["BuildResult", "build_plan", "load", "input_stamp", "built_nquads", "inferred_nquads",
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
    import pyoxigraph as ox

    from ..plan.graph import graph_iri, plan_dataset
    from ..store.export import check_writable, serialize, serialize_quads

    check_writable(out_dir, folder=True)
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
    files = _replace_set(Path(out_dir), plan, outputs, stamp=stamp)
    store_dir = Path(store) if store is not None else Path(out_dir) / "store"
    progress(f"writing {plan} into the corpus store {store_dir}")
    _write_corpus(store_dir, {plan: (outputs[".nq"], stamp)})
    return BuildResult(plan, files, len(ds), len(parsed.tasks), store_dir, plan_files(plan).source,
                       tuple(parsed.incomplete))


def _write_corpus(store: Path, plans: dict) -> None:
    """Put each plan (a plan id or :class:`PlanRef` -> its dataset's N-Quads and digest) into the corpus store: its own graph and the linking
    quads only it adds as its part; the ontology and the concept schemes (shared graphs), and the linking graphs every plan shares as the shared part
    (see :func:`~antitraffick_kg.link.links.corpus_link_quads`)."""
    import hashlib

    import pyoxigraph as ox

    from ..iris import ONTOLOGY_GRAPH, VOCABULARY_GRAPH, graph_iri
    from ..store.corpus import SHARED_PART, PlanPart, write_parts
    from ..link.links import corpus_link_quads, plans_in_use

    parts, shared, links = [], [], []
    for plan, (nquads, stamp) in plans.items():
        quads = list(ox.parse(nquads, format=ox.RdfFormat.N_QUADS))
        if not shared:
            shared = [q for q in quads if q.graph_name.value in (ONTOLOGY_GRAPH, VOCABULARY_GRAPH)]
        links, own = corpus_link_quads(plans_in_use(plan), own=str(plan))
        mine = [q for q in quads if q.graph_name == ox.NamedNode(str(graph_iri(str(plan))))]
        parts.append(PlanPart(str(plan), "plan", stamp, tuple(mine + own)))
    digest = hashlib.sha256(ox.serialize(sorted(links, key=str), format=ox.RdfFormat.N_QUADS)).hexdigest()
    parts.insert(0, PlanPart(SHARED_PART, "shared", digest, tuple(links)))
    write_parts(store, parts, shared=shared)


def store_plans(plans: Sequence[str], *, store: str | Path, progress: Progress = quiet) -> None:
    """Build ``plans`` into the corpus store ``store`` only (no files), as ``build --rebuild`` does."""
    from ..plan.graph import plan_dataset
    from ..store.export import serialize

    built = {}
    for plan in plans:
        progress(f"importing plan {plan}")
        built[plan] = (serialize(_dataset(_import(plan), plan), "nquads"), input_stamp(plan))
    progress(f"writing {len(built)} plan(s) into the corpus store {store}")
    _write_corpus(Path(store), built)


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
