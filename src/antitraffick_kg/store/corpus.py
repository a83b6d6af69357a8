"""The corpus store: every built plan in one persistent pyoxigraph store on disk.

Each plan sits in its own named graph (``…/id/graph/<plan>``), the ontology
in ``…/id/graph/ontology``, the facts the reasoner inferred in
``…/id/graph/<plan>/inferred``, the linking graphs every plan shares (the
plan family, the reference extracts, the curated mappings) in theirs with the
manifest entry ``links`` of kind ``shared``, the links only one plan adds (its
units' counterparts, its own mapping files) in ``…/id/graph/<plan>/<name>``,
and a manifest graph (``…/id/graph/manifest``) records what is there: for each
part its id, the digest of the inputs it was built from, its triple count and
its graphs.  The manifest is RDF, so it
can be queried like the rest.

On disk the store is a folder ``DIR`` holding generations ``gen-<n>/`` (each
a complete pyoxigraph store) and a symbolic link ``DIR/current`` naming the
one readers open.  A writer takes ``DIR/.lock``, makes the next generation
as a backup of the current one (hard links to its immutable files, so it is
cheap), replaces the graphs of the plans it writes there, and then points
``current`` at it in one atomic rename.  Readers therefore only ever open a
generation nobody writes to (pyoxigraph's read-only mode requires that), a
writer stopped half way leaves ``current`` as it was, and rebuilding one plan
leaves the other plans' graphs untouched.  The generation before the current
one is kept for readers that opened it just before the switch.
"""

from __future__ import annotations

import fcntl
import os
import re
import shutil
import time
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from ..iris import ATK_BASE, MANIFEST_GRAPH, ONTOLOGY_GRAPH, manifest_entry_iri
from ..errors import InputError, OutputError

__all__ = ["Corpus", "CorpusEntry", "PlanPart", "write_parts", "DEFAULT_STORE_DIR", "SHARED_PART"]

#: where ``build`` writes the corpus store unless told otherwise
DEFAULT_STORE_DIR = Path("build") / "store"

_VOID = "http://rdfs.org/ns/void#"
_DCT = "http://purl.org/dc/terms/"
_RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
_IDENTIFIER = ox.NamedNode(_DCT + "identifier")
_HAS_PART = ox.NamedNode(_DCT + "hasPart")
_TRIPLES = ox.NamedNode(_VOID + "triples")
_DATASET = ox.NamedNode(_VOID + "Dataset")
_DIGEST = ox.NamedNode(ATK_BASE + "sha256")
_KIND = ox.NamedNode(_DCT + "type")
_GEN = re.compile(r"gen-(\d+)")
SHARED_PART = "links"     # the manifest's name for the linking graphs every plan shares (kind "shared")
_MANIFEST = f"""SELECT ?plan ?kind ?digest ?triples ?graph WHERE {{
  ?entry a <{_VOID}Dataset> ; <{_DCT}identifier> ?plan ; <{_DCT}type> ?kind ;
         <{ATK_BASE}sha256> ?digest ; <{_VOID}triples> ?triples ; <{_DCT}hasPart> ?graph }}"""


@dataclass(frozen=True)
class CorpusEntry:
    """What the manifest says about one part (``plan`` or ``inferred``) of a plan in the store."""

    plan: str
    kind: str
    digest: str
    triples: int
    graphs: tuple[str, ...]


@dataclass(frozen=True)
class PlanPart:
    """One part (``plan`` or ``inferred``) of a plan to write: its quads, each in a named graph."""

    plan: str
    kind: str
    digest: str
    quads: tuple[ox.Quad, ...]

    @property
    def graphs(self) -> dict[str, int]:
        """The part's graphs and their triple counts."""
        counts: dict[str, int] = {}
        for q in self.quads:
            counts[q.graph_name.value] = counts.get(q.graph_name.value, 0) + 1
        return counts

    @classmethod
    def from_nquads(cls, data: bytes, *, plan: str, kind: str, digest: str,
                    graphs: Sequence[str] | None = None) -> "PlanPart":
        """The quads of N-Quads ``data`` (only those in ``graphs`` when given).  Raises :class:`InputError`
        for a quad outside any named graph."""
        quads = []
        for q in ox.parse(data, format=ox.RdfFormat.N_QUADS):
            if isinstance(q.graph_name, ox.DefaultGraph):
                raise InputError(f"plan '{plan}': a quad outside any named graph cannot go into the corpus store")
            if graphs is None or q.graph_name.value in graphs:
                quads.append(q)
        return cls(plan, kind, digest, tuple(quads))


class Corpus:
    """A corpus store opened read-only.  Open it with :meth:`open`.

    ``plans`` lists the plans it holds; :meth:`graphs` names the graphs to
    use as the default graph for one plan, or for every plan.
    """

    def __init__(self, path: Path, store: ox.Store, entries: dict[tuple[str, str], CorpusEntry]) -> None:
        self.path = path
        self.store = store
        self.entries = entries
        self._memory: dict[tuple[str, bool], ox.Store] = {}
        self._asked: dict[tuple[str, bool], int] = {}

    @classmethod
    def open(cls, path: str | Path = DEFAULT_STORE_DIR) -> "Corpus":
        """Open the corpus store at ``path`` read-only; nothing is loaded.

        Raises :class:`InputError` when there is no corpus store at ``path``.
        """
        path = Path(path)
        current = path / "current"
        if not current.exists():
            raise InputError(f"no corpus store at {path}; run 'antitraffick-kg build' first")
        try:
            store = ox.Store.read_only(str(current))
        except OSError as exc:
            raise InputError(f"cannot open the corpus store at {path}: {exc}") from None
        entries: dict[tuple[str, str], CorpusEntry] = {}
        rows: dict[tuple[str, str], dict] = {}
        for s in store.query(_MANIFEST, default_graph=ox.NamedNode(MANIFEST_GRAPH)):
            key = (s["plan"].value, s["kind"].value)
            row = rows.setdefault(key, {"digest": s["digest"].value, "triples": int(s["triples"].value),
                                        "graphs": set()})
            row["graphs"].add(s["graph"].value)
        for (plan, kind), row in rows.items():
            entries[(plan, kind)] = CorpusEntry(plan, kind, row["digest"], row["triples"], tuple(sorted(row["graphs"])))
        return cls(path, store, entries)

    def __repr__(self) -> str:
        return f"Corpus({str(self.path)!r}, plans={list(self.plans)!r})"

    @property
    def plans(self) -> tuple[str, ...]:
        """The plans the store holds, sorted."""
        return tuple(sorted({plan for plan, kind in self.entries if kind == "plan"}))

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
        """The ontology graph and the graphs of ``plan`` (every plan when None), with the inferred graphs
        when ``inferred``.  Raises :class:`InputError` for a plan or inferred graph the store lacks."""
        plans = self.plans if plan is None else (str(plan),)
        names = {ONTOLOGY_GRAPH, *(g for k, e in self.entries.items() if k[1] == "shared" for g in e.graphs)}
        for p in plans:
            names.update(self.entry(p).graphs)
            if inferred:
                names.update(self.entry(p, kind="inferred").graphs)
        return [ox.NamedNode(n) for n in sorted(names)]

    def view(self, plan: str, *, inferred: bool = False) -> tuple[ox.Store, list[ox.NamedNode] | None]:
        """Where to ask ``plan``'s next question: the store and the graphs to use as default graph (None: all).

        The first question is asked on disk (no copy: a new process answers soonest); from the second on, the
        plan's graphs are copied into memory once (:meth:`memory`), where a question runs many times faster.
        """
        key = (str(plan), inferred)
        self._asked[key] = self._asked.get(key, 0) + 1
        if key in self._memory or self._asked[key] > 1:
            return self.memory(plan, inferred=inferred), None
        return self.store, self.graphs(plan, inferred=inferred)

    def memory(self, plan: str, *, inferred: bool = False) -> ox.Store:
        """The graphs :meth:`graphs` names for one plan, copied once into an in-memory store and kept.

        A plan's question runs there 5 to 50 times faster than on disk, where pyoxigraph reads each graph of the
        default graph from the store's files (measured on the Dehong corpus: ``counterparts`` 2.0 s on disk,
        38 ms in memory); the copy costs about 0.1-0.2 s and grows with the plan, not with the corpus.
        """
        key = (str(plan), inferred)
        if key not in self._memory:
            copy = ox.Store()
            copy.bulk_extend([q for g in self.graphs(plan, inferred=inferred)
                              for q in self.store.quads_for_pattern(None, None, None, g)])
            self._memory[key] = copy
        return self._memory[key]

    def nquads(self, plan: str | None = None, *, inferred: bool = False) -> bytes:
        """The graphs :meth:`graphs` names, as N-Quads (sorted, so the same store gives the same bytes)."""
        lines: list[bytes] = []
        for graph in self.graphs(plan, inferred=inferred):
            data = ox.serialize(self.store.quads_for_pattern(None, None, None, graph), format=ox.RdfFormat.N_QUADS)
            lines.extend(line for line in data.splitlines(keepends=True) if line.strip())
        return b"".join(sorted(lines))

    def triples(self, graph: str) -> int:
        """The number of triples in the named graph ``graph``."""
        return sum(1 for _ in self.store.quads_for_pattern(None, None, None, ox.NamedNode(graph)))


# -- writing -------------------------------------------------------------------
def _generations(path: Path) -> list[Path]:
    return sorted((p for p in path.iterdir() if _GEN.fullmatch(p.name)), key=lambda p: int(p.name[4:]))


@contextmanager
def _locked(path: Path) -> Iterator[None]:
    with open(path / ".lock", "a+b") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _entry_quads(part: PlanPart) -> Iterable[ox.Quad]:
    node, graph = ox.NamedNode(manifest_entry_iri(part.plan, part.kind)), ox.NamedNode(MANIFEST_GRAPH)
    yield ox.Quad(node, _RDF_TYPE, _DATASET, graph)
    yield ox.Quad(node, _IDENTIFIER, ox.Literal(part.plan), graph)
    yield ox.Quad(node, _KIND, ox.Literal(part.kind), graph)
    yield ox.Quad(node, _DIGEST, ox.Literal(part.digest), graph)
    yield ox.Quad(node, _TRIPLES, ox.Literal(str(len(part.quads)),
                                             datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer")), graph)
    for name in sorted(part.graphs):
        yield ox.Quad(node, _HAS_PART, ox.NamedNode(name), graph)


def write_parts(path: str | Path, parts: Sequence[PlanPart], *, shared: Sequence[ox.Quad] = ()) -> Path:
    """Write ``parts`` into the corpus store at ``path`` (created when missing); return the new generation.

    Each part's graphs replace the graphs the store had for that plan and kind,
    with its manifest entry (of two parts of one plan and kind, the last); ``shared`` graphs (the
    ontology) replace their graphs whole.  Readers see the change only when the new
    generation becomes ``current``, all of it at once.  Raises :class:`OutputError` when the
    folder cannot be written.
    """
    path = Path(path)
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(f"cannot create the corpus store folder: {exc.strerror or exc}", path=str(path)) from None
    with _locked(path):
        current = path / "current"
        _check_link(current)
        generations = _generations(path)
        number = int(generations[-1].name[4:]) + 1 if generations else 1
        new = path / f"gen-{number}"
        previous = current.resolve() if current.exists() else None
        if previous is not None:
            ox.Store.read_only(str(previous)).backup(str(new))
        store = ox.Store(str(new))
        for name in sorted({q.graph_name.value for q in shared}):
            store.remove_graph(ox.NamedNode(name))
        store.extend(shared)
        # the manifest is read once, and every quad goes in with one bulk insert at the
        # end: reading the manifest for each part, and a transaction for each part, made writing N plans slow
        # (no reader sees this generation before the switch below, so it needs no transaction)
        entries = {(p, k): e for p, k, e in _manifest_rows(store)}
        latest = {(part.plan, part.kind): part for part in parts}     # a plan written twice: the last part wins
        for (plan, kind), part in latest.items():
            entry_node = ox.NamedNode(manifest_entry_iri(plan, kind))
            for q in list(store.quads_for_pattern(entry_node, None, None, ox.NamedNode(MANIFEST_GRAPH))):
                store.remove(q)
            graphs = part.graphs
            for name in sorted(set(entries.get((plan, kind)) or ()) | set(graphs)):
                store.remove_graph(ox.NamedNode(name))
        store.bulk_extend(q for part in latest.values() for q in (*part.quads, *_entry_quads(part)))
        store.flush()
        del store
        link = path / f".current-{os.getpid()}-{time.monotonic_ns()}"
        os.symlink(new.name, link)
        os.replace(link, current)          # the switch: atomic on POSIX
        keep = {new.resolve(), previous}
        for gen in _generations(path):
            if gen.resolve() not in keep:
                shutil.rmtree(gen, ignore_errors=True)
    return new


def _check_link(current: Path) -> None:
    """``current`` must be the link a build made (a store copied without its links has a folder there)."""
    if current.exists() and not current.is_symlink():
        raise InputError("is a folder, not the link a build makes: the store was copied without its links "
                         "(copy it with 'cp -a', or build again into an empty folder)", path=str(current))


def _manifest_rows(store: ox.Store) -> Iterator[tuple[str, str, tuple[str, ...]]]:
    graphs: dict[tuple[str, str], set[str]] = {}
    query = f"""SELECT ?plan ?kind ?graph WHERE {{ ?e <{_DCT}identifier> ?plan ; <{_DCT}type> ?kind ;
                <{_DCT}hasPart> ?graph }}"""
    for s in store.query(query, default_graph=ox.NamedNode(MANIFEST_GRAPH)):
        graphs.setdefault((s["plan"].value, s["kind"].value), set()).add(s["graph"].value)
    for (plan, kind), names in graphs.items():
        yield plan, kind, tuple(sorted(names))
