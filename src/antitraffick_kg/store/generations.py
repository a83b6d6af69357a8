"""Writing the corpus store: generations, switched to atomically, under a lock.

On disk the store is a folder ``DIR`` holding generations ``gen-<n>/`` and a symbolic link ``DIR/current``
naming the one readers open (see :mod:`~antitraffick_kg.store.corpus` for what a generation holds).  A writer
takes ``DIR/.lock``, makes the next generation as a backup of the current one (hard links to its immutable
files), changes the parts it writes or removes there, a batch of parts at a time, and then points ``current``
at it in one atomic rename; the generation before is kept for readers that opened it just before the switch.
"""

from __future__ import annotations

import fcntl
import os
import re
import shutil
import time
import traceback
from collections.abc import Iterable, Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path
from typing import Protocol

import pyoxigraph as ox

from ..errors import InputError
from ..iris import MANIFEST_GRAPH
from .manifest import DATA, DIGEST, META, entry_node, entry_quads, read_manifest, write_summary
from .names import write_names
from .partfiles import link_parts, part_file, write_part

__all__ = ["write_generation", "locked", "check_link", "COMPACT_AFTER_LOADS"]

#: a generation written with this many bulk loads or more is compacted before the switch (one plan rebuilt is not)
COMPACT_AFTER_LOADS = 2

_GEN = re.compile(r"gen-(\d+)")


class _Part(Protocol):
    """What a writer needs of a part (:class:`~antitraffick_kg.store.corpus.PlanPart`)."""

    plan: str
    kind: str
    digest: str
    quads: tuple[ox.Quad, ...]
    nquads: bytes | None

    @property
    def graphs(self) -> dict[str, int]: ...

    def iter_quads(self) -> Iterator[ox.Quad]: ...


def _generations(path: Path) -> list[Path]:
    return sorted((p for p in path.iterdir() if _GEN.fullmatch(p.name)), key=lambda p: int(p.name[4:]))


@contextmanager
def locked(path: Path) -> Iterator[None]:
    """Hold the store at ``path`` for writing (``path/.lock``): one writer at a time, readers never wait."""
    with open(path / ".lock", "a+b") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def write_generation(path: Path, parts: Iterable[_Part], shared: Sequence[ox.Quad] = (), *,
                     remove: Sequence[str] = (), batch_bytes: int) -> Path:
    """Write a new generation of the store at ``path``, whose lock the caller holds (:func:`locked`), and switch
    ``current`` to it; return it.

    The plans in ``remove`` go first, every part of each (their graphs, manifest entries and part files); then
    ``shared`` graphs replace theirs whole, and ``parts`` are written, ``batch_bytes`` of N-Quads to a bulk load
    (see :func:`~antitraffick_kg.store.corpus.write_parts`); a generation written with several loads is then
    compacted (:data:`COMPACT_AFTER_LOADS`), which costs a few seconds a million triples and makes every later
    lookup on disk faster.  On any error the new generation is removed and
    ``current`` stays as it was.
    """
    current = path / "current"
    check_link(current)
    generations = _generations(path)
    number = int(generations[-1].name[4:]) + 1 if generations else 1
    new = path / f"gen-{number}"
    previous = current.resolve() if current.exists() else None
    data = meta = batches = None
    try:
        data, meta = _next_generation(previous, new)
        _remove_plans(data, meta, new, remove)
        for name in sorted({q.graph_name.value for q in shared}):
            data.remove_graph(ox.NamedNode(name))
        data.extend(shared)
        batches = _Batches(data, meta, new, batch_bytes)
        batches.write(parts)
        data.flush()
        if batches.loads >= COMPACT_AFTER_LOADS:
            # each bulk load leaves files whose keys overlap the others': a lookup reads every one of them (a unit
            # looked up by name in 3,000 plans written in 7 loads: 5.1 ms; 2.3 ms once compacted, in 16 s)
            _compact(data)
        meta.flush()
        write_summary(new, data, meta)
        write_names(new, data)
        del data, meta, batches
    except BaseException as exc:
        # never a half-written generation; its stores are closed first (the frames of the error hold them)
        traceback.clear_frames(exc.__traceback__)
        data = meta = batches = None
        shutil.rmtree(new, ignore_errors=True)
        raise
    link = path / f".current-{os.getpid()}-{time.monotonic_ns()}"
    os.symlink(new.name, link)
    os.replace(link, current)          # the switch: atomic on POSIX
    keep = {new.resolve(), previous}
    for gen in _generations(path):
        if gen.resolve() not in keep:
            shutil.rmtree(gen, ignore_errors=True)
    return new


def _compact(data: ox.Store) -> None:
    """Merge the files of ``data`` (RocksDB's compaction, through pyoxigraph)."""
    data.optimize()


def _remove_plans(data: ox.Store, meta: ox.Store, generation: Path, plans: Sequence[str]) -> None:
    """Take every part of ``plans`` out of the new ``generation``: graphs, manifest entries and part files."""
    if not plans:
        return
    gone = set(plans)
    for (plan, kind), entry in read_manifest(meta).items():
        if plan not in gone:
            continue
        target = meta if kind == "inferred" else data
        for name in entry.graphs:
            target.remove_graph(ox.NamedNode(name))
        for q in list(meta.quads_for_pattern(entry_node(plan, kind), None, None, ox.NamedNode(MANIFEST_GRAPH))):
            meta.remove(q)
        part_file(generation, plan, kind, entry.digest).unlink(missing_ok=True)


def _next_generation(previous: Path | None, new: Path) -> tuple[ox.Store, ox.Store]:
    """The stores of generation ``new``: copies of ``previous`` (hard links to its immutable files)."""
    new.mkdir()
    if previous is not None and (previous / DATA).is_dir():
        for name in (DATA, META):
            ox.Store.read_only(str(previous / name)).backup(str(new / name))
        link_parts(previous, new)
        return ox.Store(str(new / DATA)), ox.Store(str(new / META))
    if previous is None:
        return ox.Store(str(new / DATA)), ox.Store(str(new / META))
    # a generation written before the manifest and the inferred graphs had a store of their own: move them
    ox.Store.read_only(str(previous)).backup(str(new / DATA))
    data, meta = ox.Store(str(new / DATA)), ox.Store(str(new / META))
    moved = {MANIFEST_GRAPH, *(g for (_, kind), e in read_manifest(data).items() if kind == "inferred"
                               for g in e.graphs)}
    for name in sorted(moved):
        meta.extend(list(data.quads_for_pattern(None, None, None, ox.NamedNode(name))))
        data.remove_graph(ox.NamedNode(name))
    return data, meta


class _Batches:
    """Writes parts into a new generation, a batch at a time: a part's old graphs and manifest entry go when
    it is read; its quads go in with its batch's bulk load, which runs in a second thread while the next batch
    is read.  (Reading the manifest once and bulk loading many parts at once made writing N plans fast; no
    reader sees the generation before the switch, so it needs no transaction.)"""

    def __init__(self, data: ox.Store, meta: ox.Store, generation: Path, batch_bytes: int) -> None:
        self.data, self.meta, self.generation, self.batch_bytes = data, meta, generation, batch_bytes
        self.graphs = {k: e.graphs for k, e in read_manifest(meta).items()}
        self.pending: list[_Part] = []
        self.size = 0
        self.written: set[tuple[str, str]] = set()
        self.loading: Future | None = None
        self.pending_graphs: set[str] = set()
        self.loading_graphs: set[str] = set()
        self.loads = 0

    def write(self, parts: Iterable[_Part]) -> None:
        with ThreadPoolExecutor(max_workers=1) as loader:
            try:
                for part in parts:
                    self._take(part, loader)
                self.flush(loader, wait=True)
            finally:
                if self.loading is not None:          # an error: let the load stop before the folder goes
                    self.loading.exception()

    def _take(self, part: _Part, loader: ThreadPoolExecutor) -> None:
        key = (part.plan, part.kind)
        if key in self.written:          # a plan written twice: the last part wins
            self.flush(loader, wait=True)
        target = self.meta if part.kind == "inferred" else self.data
        graphs = part.graphs
        entry = entry_node(*key)
        before = None            # the digest of the part this one replaces, whose file goes
        for q in list(self.meta.quads_for_pattern(entry, None, None, ox.NamedNode(MANIFEST_GRAPH))):
            if q.predicate == DIGEST:
                before = q.object.value
            self.meta.remove(q)
        replaced = set(self.graphs.get(key, ())) | set(graphs)
        if replaced & self.loading_graphs:     # a graph the batch being loaded writes to: its load goes first
            self.flush(loader, wait=True)
        for name in sorted(replaced):
            target.remove_graph(ox.NamedNode(name))
        self.meta.extend(entry_quads(part, graphs))
        text = part.nquads if part.nquads is not None else ox.serialize(part.quads, format=ox.RdfFormat.N_QUADS)
        write_part(self.generation, part.plan, part.kind, part.digest, text, replaces=before)
        self.graphs[key] = tuple(sorted(graphs))
        self.written.add(key)
        self.pending.append(part)
        self.pending_graphs.update(graphs)
        self.size += len(part.nquads) if part.nquads is not None else len(part.quads) * 200
        if self.size >= self.batch_bytes:
            self.flush(loader)

    def flush(self, loader: ThreadPoolExecutor, *, wait: bool = False) -> None:
        if self.loading is not None:
            self.loading.result()
            self.loading, self.loading_graphs = None, set()
        if self.pending:
            self.loading, self.loading_graphs = loader.submit(self._load, self.pending), self.pending_graphs
            self.loads += 1
            self.pending, self.pending_graphs, self.size = [], set(), 0
        if wait and self.loading is not None:
            self.loading.result()
            self.loading, self.loading_graphs = None, set()

    def _load(self, parts: list[_Part]) -> None:
        for store, kinds in ((self.data, lambda k: k != "inferred"), (self.meta, lambda k: k == "inferred")):
            mine = [p for p in parts if kinds(p.kind)]
            text = [p.nquads for p in mine if p.nquads is not None]
            try:
                if text:
                    store.bulk_load(b"".join(text), format=ox.RdfFormat.N_QUADS)
            except SyntaxError:
                _culprit(mine)
            if any(p.nquads is None for p in mine):
                store.bulk_extend(q for p in mine if p.nquads is None for q in p.quads)
            if next(store.quads_for_pattern(None, None, None, ox.DefaultGraph()), None) is not None:
                _culprit(mine)


def _culprit(parts: Sequence[_Part]) -> None:
    """Raise the :class:`InputError` naming the first part whose quads do not parse or are not all in named
    graphs (reading a part's quads raises it)."""
    for part in parts:
        for q in part.iter_quads():
            if isinstance(q.graph_name, ox.DefaultGraph):
                raise InputError(f"plan '{part.plan}': a quad outside any named graph cannot go into the corpus "
                                 "store")
    raise InputError("plans " + ", ".join(sorted({p.plan for p in parts})) + ": their quads could not be written")


def check_link(current: Path) -> None:
    """``current`` must be the link a build made (a store copied without its links has a folder there)."""
    if current.exists() and not current.is_symlink():
        raise InputError("is a folder, not the link a build makes: the store was copied without its links "
                         "(copy it with 'cp -a', or build again into an empty folder)", path=str(current))
