"""The corpus store: every built plan in one persistent pyoxigraph store on disk.

Each plan sits in its own named graph (``…/id/graph/<plan>``), the ontology
in ``…/id/graph/ontology``, the concept schemes every plan's tags and units
point at once in ``…/id/graph/vocabulary`` (in each plan's graph, a question
to every plan would see each of their triples once per plan), the facts the reasoner inferred in
``…/id/graph/<plan>/inferred``, the linking graphs every plan shares (the
plan family, the reference extracts, the curated mappings) in theirs with the
manifest entry ``links`` of kind ``shared``, the links only one plan adds (its
units' counterparts, its own mapping files) in ``…/id/graph/<plan>/<name>``,
the progress reports the plan's units sent (``progress add``) in ``…/id/graph/<plan>/progress``, a part of kind
``progress`` that a rebuild of the plan leaves as it is and that :meth:`Corpus.graphs` gives with the plan,
and a manifest graph (``…/id/graph/manifest``) records what is there: for each
part its id, the digest of the inputs it was built from, its triple count and
its graphs.  The manifest is RDF, so it can be queried like the rest (in
``Corpus.meta``; :mod:`~antitraffick_kg.store.manifest`).

On disk the store is a folder ``DIR`` holding generations ``gen-<n>/`` and a
symbolic link ``DIR/current`` naming the one readers open.  A generation holds
two pyoxigraph stores: ``data/`` with the plans' graphs, the ontology and the
shared links, and ``meta/`` with the manifest and the inferred graphs.  So the
union of ``data``'s graphs is exactly what a question to every plan asks, and
pyoxigraph answers it with that union as default graph, as fast as it answers
any query (a default graph listing every plan's graphs, some 10,000 at 3,000
plans, is read graph by graph and was 100-400 times slower).  A writer
(:mod:`~antitraffick_kg.store.generations`) takes ``DIR/.lock``, makes the
next generation as a backup of the current one (hard links to its immutable
files, so it is cheap), replaces the graphs of the plans it writes there (or
removes those of the plans it takes out), a batch of parts at a time, and then
points ``current`` at it in one atomic rename.  Readers therefore only ever open a
generation nobody writes to (pyoxigraph's read-only mode requires that), a
writer stopped half way leaves ``current`` as it was, and rebuilding one plan
leaves the other plans' graphs untouched.  The generation before the current
one is kept for readers that opened it just before the switch.  A generation
written as one store (before ``meta/`` existed) is still read, and the next
write moves its manifest and inferred graphs apart.  With its stores, a writer
leaves ``manifest.json`` in the generation: the manifest's entries and whether
``data`` holds nothing but the plans' graphs, which a new reader would
otherwise read from both stores (a generation without the file is read from
the stores), in ``parts/`` each part's N-Quads, which readers of whole
plans parse instead of reading every term from the store
(:mod:`~antitraffick_kg.store.partfiles`), and ``names.sqlite``, the units' names where a name asked of every
plan is looked up (:mod:`~antitraffick_kg.store.names`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import pyoxigraph as ox

from ..errors import InputError, OutputError
from .generations import locked, write_generation
from .manifest import ALWAYS as _ALWAYS, DATA, META, PROGRESS, SHARED_PART, SUMMARY, CorpusEntry
from .manifest import read_manifest as _read_manifest, read_summary as _read_summary
from .manifest import union_exact as _union_exact, write_summary as _write_summary  # noqa: F401 (tests use it)
from .names import NameIndex
from .partfiles import read_part
from .reads import Reads

__all__ = ["Corpus", "CorpusEntry", "PlanPart", "write_parts", "rewrite_part", "remove_plans", "DEFAULT_STORE_DIR",
           "SHARED_PART", "PROGRESS"]

#: where ``build`` writes the corpus store unless told otherwise
DEFAULT_STORE_DIR = Path("build") / "store"
BATCH_BYTES = 256 << 20          # about this much N-Quads goes into the store with one bulk load


@dataclass(frozen=True)
class PlanPart:
    """One part (``plan``, ``shared`` or ``inferred``) of a plan to write: its quads, each in a named graph.

    The quads are given either as ``quads`` or, to keep memory low when many parts are written at once, as
    the N-Quads bytes ``nquads``, which :func:`write_parts` parses only when it writes the part.
    """

    plan: str
    kind: str
    digest: str
    quads: tuple[ox.Quad, ...] = ()
    nquads: bytes | None = None

    def iter_quads(self) -> Iterator[ox.Quad]:
        """The part's quads.  Raises :class:`InputError` for N-Quads that do not parse or a quad outside any
        named graph."""
        if self.nquads is None:
            yield from self.quads
            return
        try:
            for q in ox.parse(self.nquads, format=ox.RdfFormat.N_QUADS):
                if isinstance(q.graph_name, ox.DefaultGraph):
                    raise InputError(f"plan '{self.plan}': a quad outside any named graph cannot go into the "
                                     "corpus store")
                yield q
        except SyntaxError as exc:
            raise InputError(f"plan '{self.plan}': its N-Quads do not parse: {exc}") from None

    @property
    def graphs(self) -> dict[str, int]:
        """The part's graphs and their triple counts."""
        if self.nquads is not None:
            named = _graph_names(self.nquads)
            if named is not None:
                return named
        counts: dict[str, int] = {}
        for q in self.iter_quads():
            counts[q.graph_name.value] = counts.get(q.graph_name.value, 0) + 1
        return counts

    @classmethod
    def from_nquads(cls, data: bytes, *, plan: str, kind: str, digest: str,
                    graphs: Sequence[str] | None = None) -> "PlanPart":
        """The part holding N-Quads ``data`` (only the quads in ``graphs`` when given).  Raises
        :class:`InputError` for a quad outside any named graph (at once when ``graphs`` is given, else when
        the part is written)."""
        if graphs is None:
            return cls(plan, kind, digest, nquads=data)
        whole = cls(plan, kind, digest, nquads=data)
        return cls(plan, kind, digest, tuple(q for q in whole.iter_quads() if q.graph_name.value in graphs))


def _graph_names(data: bytes) -> dict[str, int] | None:
    """The graphs of N-Quads ``data`` with their line counts, read from the IRI that ends each line (several
    times faster than parsing); None when a line does not end with a plain IRI.  A line that is a triple
    (its object read here as a graph) lands in the default graph, which :func:`write_parts` checks."""
    counts: dict[bytes, int] = {}
    for line in data.splitlines():
        line = line.strip()
        if not line or line.startswith(b"#"):
            continue
        body = line[:-1].rstrip() if line.endswith(b".") else b""
        start = body.rfind(b"<")
        name = body[start + 1:-1]
        if not body.endswith(b">") or start < 0 or b"\\" in name:
            return None
        counts[name] = counts.get(name, 0) + 1
    return {name.decode("utf-8"): n for name, n in counts.items()}


class Corpus:
    """A corpus store opened read-only.  Open it with :meth:`open`.

    ``plans`` lists the plans it holds; :meth:`graphs` names the graphs to
    use as the default graph for one plan, or for every plan.  ``store`` holds
    the plans' graphs, the ontology and the shared links (in a generation
    written before the manifest had a store of its own, everything);
    ``meta`` holds the manifest and the inferred graphs.
    """

    def __init__(self, path: Path, store: ox.Store, entries: dict[tuple[str, str], CorpusEntry], *,
                 meta: ox.Store | None = None, location: Path | None = None, generation: Path | None = None
                 ) -> None:
        self.path = path
        #: the generation folder the stores were opened from (its part files speed up copies of whole plans)
        self.generation = generation
        self.store = store
        self.meta = meta if meta is not None else store
        #: the folder of the store holding the plans' graphs (what a server opens)
        self.location = location if location is not None else (path / "current").resolve()
        self.entries = entries
        self._memory: dict[tuple[str | None, bool], ox.Store] = {}
        self._asked: dict[tuple[str, bool], int] = {}
        self._union: bool | None = None
        self._inferred: set[str] | None = None

    @classmethod
    def open(cls, path: str | Path = DEFAULT_STORE_DIR) -> "Corpus":
        """Open the corpus store at ``path`` read-only; nothing is loaded but the manifest.

        Raises :class:`InputError` when there is no corpus store at ``path``.
        """
        path = Path(path)
        current = path / "current"
        if not current.exists():
            raise InputError(f"no corpus store at {path}; run 'antitraffick-kg build' first")
        generation = current.resolve()        # both stores from one generation, even if a writer switches now
        try:
            if (generation / DATA).is_dir():
                store = ox.Store.read_only(str(generation / DATA))
                meta = ox.Store.read_only(str(generation / META))
                location = generation / DATA
            else:                             # written before the manifest had a store of its own
                store = meta = ox.Store.read_only(str(generation))
                location = generation
        except OSError as exc:
            raise InputError(f"cannot open the corpus store at {path}: {exc}") from None
        summary = _read_summary(generation / SUMMARY)
        corpus = cls(path, store, _read_manifest(meta) if summary is None else summary[0], meta=meta,
                     location=location, generation=generation)
        corpus._union = None if summary is None else summary[1]
        return corpus

    def __repr__(self) -> str:
        return f"Corpus({str(self.path)!r}, plans={list(self.plans)!r})"

    @cached_property
    def plans(self) -> tuple[str, ...]:
        """The plans the store holds, sorted (the entries of a handle do not change)."""
        return tuple(sorted({plan for plan, kind in self.entries if kind == "plan"}))

    def only(self, plans: Sequence[str]) -> "Corpus":
        """The same store seen as holding ``plans`` only (with the shared graphs): a question to every plan of
        the handle asks those.  Raises :class:`InputError` for a plan the store lacks."""
        keep = {str(self.entry(p).plan) for p in plans}
        entries = {k: e for k, e in self.entries.items() if k[0] in keep or k[1] == "shared"}
        narrowed = Corpus(self.path, self.store, entries, meta=self.meta, location=self.location,
                          generation=self.generation)
        narrowed._union = self._union if keep == set(self.plans) else False
        return narrowed

    @cached_property
    def names(self) -> NameIndex | None:
        """The generation's table of units' names (:mod:`~antitraffick_kg.store.names`), opened when first asked;
        None for a generation written without one."""
        return NameIndex.open(self.generation)

    @property
    def inferred_apart(self) -> bool:
        """Whether the inferred graphs are in ``meta``, not in ``store``."""
        return self.meta is not self.store

    def entry(self, plan: str, *, kind: str = "plan") -> CorpusEntry:
        """The manifest's entry for ``plan``; raises :class:`InputError` saying what to run when it is missing."""
        found = self.entries.get((str(plan), kind))
        if found is None:
            run = (f"antitraffick-kg reason --plan {plan} --store {self.path}" if kind == "inferred"
                   else f"antitraffick-kg build --plan {plan} --store {self.path}")
            what = "the inferred graph of plan" if kind == "inferred" else "plan"
            raise InputError(f"{what} '{plan}' is not in the corpus store {self.path}; run '{run}'")
        return found

    def graphs(self, plan: str | None = None, *, inferred: bool = False) -> list[ox.NamedNode]:
        """The ontology and concept-scheme graphs and the graphs of ``plan`` (every plan when None), with the inferred graphs
        when ``inferred``.  Raises :class:`InputError` for a plan or inferred graph the store lacks."""
        plans = self.plans if plan is None else (str(plan),)
        names = {*_ALWAYS, *(g for k, e in self.entries.items() if k[1] == "shared" for g in e.graphs)}
        for p in plans:
            names.update(self.entry(p).graphs)
            names.update(self.entries[(p, PROGRESS)].graphs if (p, PROGRESS) in self.entries else ())
            if inferred:
                names.update(self.entry(p, kind="inferred").graphs)
        return [ox.NamedNode(n) for n in sorted(names)]

    def view(self, plan: str | None, *, inferred: bool = False) -> tuple[ox.Store, list[ox.NamedNode] | None]:
        """Where to ask ``plan``'s next question (every plan's when None): the store and the graphs to use as
        default graph (None: the union of the store's graphs).

        Every plan's question runs on ``store`` with the union of its graphs as default graph, as fast as
        pyoxigraph answers there, when that union is exactly :meth:`graphs` (``store`` holds nothing else);
        a list of some 10,000 graphs, which pyoxigraph reads graph by graph, made such a question 100-400
        times slower.  One plan's first question is asked on disk (no copy: a new process answers soonest);
        from the second on, the plan's graphs are copied into memory once (:meth:`memory`), where a question
        runs many times faster.  A question with the inferred graphs kept in ``meta`` runs on a copy in
        memory.
        """
        if plan is None:
            if inferred:
                return ((self.memory(None, inferred=True), None) if self.inferred_apart
                        else (self.store, self.graphs(None, inferred=True)))
            return self.store, (None if self.union_is_exact() else self.graphs(None))
        key = (str(plan), inferred)
        self._asked[key] = self._asked.get(key, 0) + 1
        if key in self._memory or self._asked[key] > 1 or (inferred and self.inferred_apart):
            return self.memory(plan, inferred=inferred), None
        return self.store, self.graphs(plan, inferred=inferred)

    def union_is_exact(self) -> bool:
        """Whether the union of ``store``'s graphs is exactly the union of every plan's :meth:`graphs`: the
        manifest and the inferred graphs are elsewhere, the default graph is empty and every named graph is
        one :meth:`graphs` names (checked once per handle, or by the writer of the generation)."""
        if self._union is None:
            self._union = self.inferred_apart and _union_exact(self.store, self.entries)
        return self._union

    def memory(self, plan: str | None, *, inferred: bool = False) -> ox.Store:
        """The graphs :meth:`graphs` names for one plan (every plan when None), copied once into an in-memory
        store and kept.

        A plan's question runs there 5 to 50 times faster than on disk, where pyoxigraph reads each graph of the
        default graph from the store's files (measured on the Dehong corpus: ``counterparts`` 2.0 s on disk,
        38 ms in memory); the copy costs about 0.1-0.2 s and grows with the plan, not with the corpus.
        """
        key = (None if plan is None else str(plan), inferred)
        if key not in self._memory:
            copy, done = ox.Store(), set()
            for p in (self.plans if plan is None else (str(plan),)):
                for kind in (("plan", "inferred") if inferred else ("plan",)):
                    text = self.part_nquads(p, kind=kind)
                    if text is not None:
                        copy.load(text, format=ox.RdfFormat.N_QUADS)
                        done.update(self.entry(p, kind=kind).graphs)
            copy.bulk_extend(q for g in self.graphs(plan, inferred=inferred) if g.value not in done
                             for q in self._quads(g))
            self._memory[key] = copy
        return self._memory[key]

    def part_nquads(self, plan: str, *, kind: str = "plan", reads: Reads | None = None) -> bytes | None:
        """The N-Quads of one part of ``plan`` (the quads its manifest entry's graphs hold) from the part file
        its writer left (see :mod:`~antitraffick_kg.store.partfiles`); None when there is none to read, and the
        quads are then read from the store.  With ``reads``, only the quads those can match.  Raises
        :class:`InputError` for a part the store lacks."""
        entry = self.entry(plan, kind=kind)
        return None if self.generation is None else read_part(self.generation, entry.plan, kind, entry.digest,
                                                              reads=reads)

    def copy_with_inferred(self, target: Path) -> None:
        """A store at ``target`` holding ``store`` and every inferred graph (for a server, which opens one)."""
        ox.Store.read_only(str(self.location)).backup(str(target))
        copy = ox.Store(str(target))
        copy.bulk_extend(q for (_, kind), e in self.entries.items() if kind == "inferred"
                         for g in e.graphs for q in self.meta.quads_for_pattern(None, None, None, ox.NamedNode(g)))
        copy.flush()

    def _quads(self, graph: ox.NamedNode) -> Iterator[ox.Quad]:
        """The quads of ``graph``, from the store that holds it."""
        if self._inferred is None:
            self._inferred = {g for (_, kind), e in self.entries.items() if kind == "inferred" for g in e.graphs}
        held = self.meta if self.inferred_apart and graph.value in self._inferred else self.store
        return held.quads_for_pattern(None, None, None, graph)

    def nquads(self, plan: str | None = None, *, inferred: bool = False) -> bytes:
        """The graphs :meth:`graphs` names, as N-Quads (sorted, so the same store gives the same bytes)."""
        lines: list[bytes] = []
        for graph in self.graphs(plan, inferred=inferred):
            data = ox.serialize(self._quads(graph), format=ox.RdfFormat.N_QUADS)
            lines.extend(line for line in data.splitlines(keepends=True) if line.strip())
        return b"".join(sorted(lines))

    def triples(self, graph: str) -> int:
        """The number of triples in the named graph ``graph``."""
        return sum(1 for _ in self._quads(ox.NamedNode(graph)))


def write_parts(path: str | Path, parts: Iterable[PlanPart], *, shared: Sequence[ox.Quad] = ()) -> Path:
    """Write ``parts`` into the corpus store at ``path`` (created when missing); return the new generation.

    Each part's graphs replace the graphs the store had for that plan and kind,
    with its manifest entry (of two parts of one plan and kind, the last); ``shared`` graphs (the
    ontology) replace their graphs whole.  ``parts`` is read once, lazily, and written in batches, so
    memory grows with a batch, not with the corpus.  Readers see the change only when the new
    generation becomes ``current``, all of it at once.  Raises :class:`OutputError` when the
    folder cannot be written and :class:`InputError` for a part that cannot be read (the store is then
    left as it was).
    """
    path = Path(path)
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(f"cannot create the corpus store folder: {exc.strerror or exc}", path=str(path)) from None
    with locked(path):
        return write_generation(path, parts, shared, batch_bytes=BATCH_BYTES)


def rewrite_part(path: str | Path, *, plan: str, kind: str,
                 change: Callable[[bytes | None], PlanPart | None]) -> Path | None:
    """Replace one part of ``plan`` in the corpus store at ``path`` with what ``change`` makes of it.

    ``change`` gets the part's current N-Quads (None when the store has no such part) and returns the part to
    write, or None to leave the store as it is.  The store is held for writing from the reading to the switch,
    so two writers never lose each other's change; the result is one new generation, switched to atomically
    (see :func:`write_parts`), or None when nothing changed.  Raises :class:`InputError` when there is no
    corpus store at ``path`` or the plan is not in it.
    """
    path = Path(path)
    if not (path / "current").exists():
        raise InputError(f"no corpus store at {path}; run 'antitraffick-kg build' first")
    with locked(path):
        corpus = Corpus.open(path)
        corpus.entry(plan)
        old = None
        if (plan, kind) in corpus.entries:
            old = corpus.part_nquads(plan, kind=kind)
            if old is None:
                old = ox.serialize((q for g in corpus.entries[(plan, kind)].graphs
                                    for q in corpus._quads(ox.NamedNode(g))), format=ox.RdfFormat.N_QUADS)
        del corpus
        part = change(old)
        if part is None:
            return None
        return write_generation(path, [part], batch_bytes=BATCH_BYTES)



def remove_plans(path: str | Path, plans: Sequence[str]) -> Path:
    """Take ``plans`` out of the corpus store at ``path``: every part of each (the plan, its inferred graph and
    progress reports), in one new generation switched to atomically (see :func:`write_parts`); return it.

    Raises :class:`InputError` when there is no corpus store at ``path`` or a plan is not in it (the store is
    then left as it was).
    """
    path = Path(path)
    if not (path / "current").exists():
        raise InputError(f"no corpus store at {path}; nothing to remove")
    with locked(path):
        held = Corpus.open(path).plans
        missing = [p for p in plans if str(p) not in held]
        if missing:
            raise InputError(f"plan '{missing[0]}' is not in the corpus store {path}; it holds "
                             f"{', '.join(held) or 'no plan'}")
        return write_generation(path, (), remove=[str(p) for p in plans], batch_bytes=BATCH_BYTES)
