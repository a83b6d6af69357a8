"""Where a verb's data comes from: the corpus store, a build folder, or a remote endpoint.

The corpus store (:mod:`antitraffick_kg.store.corpus`) is the normal source: it is
opened read-only and never rebuilt behind the caller's back.  A plan missing
from it, or built from other inputs than the current ones, is an
:class:`~antitraffick_kg.errors.InputError` saying to run ``build`` (unless
``rebuild`` is asked for).  A build folder without a store is still read as
before, for callers that pass ``build_dir``.
"""

from __future__ import annotations

import subprocess
import tempfile
import weakref
from collections.abc import Callable, Collection, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from ..store.corpus import DEFAULT_STORE_DIR, Corpus
from ..store.reads import Reads
from ..errors import EndpointError, InputError, QueryError
from ..resources import DEFAULT_PLAN, find_plan
from .stamp import input_stamp
from ..formats import StoreKind, choices
from ..store.stores import (SERVICE_TIMEOUT, LocalEndpoint, OxigraphStore, RdflibStore, RemoteStore, Store, free_port,
                            oxigraph_binary, wait_ready)

__all__ = ["open_corpus", "open_store", "plan_nquads", "serve_plan", "plan_states", "PlanState", "DEFAULT_STORE_DIR"]

#: what :func:`plan_states` says of a plan: built from its current inputs, built from others, not built, or in the
#: store with its folder gone
STATES = ("fresh", "stale", "missing", "orphaned")


@dataclass(frozen=True)
class PlanState:
    """One plan as :func:`plan_states` finds it: where its folder is (``workspace``, ``bundled``, or None when it
    is gone), its state (one of :data:`STATES`), and what the store holds of it (triples of the plan; parts)."""

    plan: str
    where: str | None
    folder: Path | None
    state: str
    triples: int
    parts: tuple[str, ...]


def plan_states(store: str | Path = DEFAULT_STORE_DIR, *, data_dir: str | Path | None = None) -> list[PlanState]:
    """Every plan of the workspace (``data_dir``, else ``$ANTITRAFFICK_KG_DATA_DIR``), the bundled plans and the
    corpus store at ``store``, sorted by id, each ``fresh`` (in the store, built from its current inputs),
    ``stale`` (built from other inputs), ``missing`` (not in the store, or no store yet) or ``orphaned`` (in
    the store, its folder gone).  Raises :class:`InputError` for a workspace that is no folder.

    >>> [(s.plan, s.where, s.state) for s in plan_states("no-such-store")]
    [('dehong-2022-2030', 'bundled', 'missing')]
    """
    from ..resources import data_path, known_plans

    try:
        corpus = Corpus.open(store)
    except InputError:
        corpus = None
    held = corpus.plans if corpus is not None else ()
    states = []
    for plan in sorted({*known_plans(data_dir=data_dir), *held}):
        try:
            ref = find_plan(plan, data_dir=data_dir)
        except InputError:
            ref = None
        where = None if ref is None else "bundled" if ref.folder.parent == data_path() else "workspace"
        parts = tuple(sorted(k for p, k in corpus.entries if p == plan)) if corpus is not None else ()
        if plan not in held:
            state = "missing"
        elif ref is None:
            state = "orphaned"
        else:
            state = "fresh" if corpus.entry(plan).digest == _stamp_or_none(ref) else "stale"
        triples = sum(corpus.entries[(plan, k)].triples for k in parts) if corpus is not None else 0
        states.append(PlanState(plan, where, None if ref is None else ref.folder, state, triples, parts))
    return states


def _stamp_or_none(plan) -> str | None:
    """The digest of the plan's inputs; None when its folder cannot be read as a plan (so it is stale)."""
    try:
        return input_stamp(plan)
    except InputError:
        return None


def open_corpus(store: str | Path = DEFAULT_STORE_DIR, *, plans: Sequence[str] = (), inferred: bool = False,
                rebuild: bool = False, data_dir: str | Path | None = None) -> Corpus:
    """The corpus store at ``store``, opened read-only, with ``plans`` checked to be there and fresh.

    A plan is fresh when the digest the manifest records equals the digest of
    its current inputs.  With ``rebuild``, missing or stale plans are built
    into the store first; without it they raise :class:`InputError` naming the
    plan and the command to run.  ``plans`` empty checks nothing but that
    the store exists.

    >>> open_corpus("no-such-folder")
    Traceback (most recent call last):
    ...
    antitraffick_kg.errors.InputError: no corpus store at no-such-folder; run 'antitraffick-kg build' first
    """
    store = Path(store)
    refs = [find_plan(p, data_dir=data_dir) for p in plans]
    if rebuild:
        stale = [p for p in refs if _state(store, p) != "fresh"]
        if stale:
            from .build import store_plans

            store_plans(stale, store=store)
    corpus = Corpus.open(store)
    for plan in refs:
        entry = corpus.entry(plan)
        if entry.digest != input_stamp(plan):
            raise InputError(f"plan '{plan}' in the corpus store {store} was built from other inputs; run "
                             f"'antitraffick-kg build --plan {plan} --store {store}' (or add --rebuild)")
        if inferred:
            found = corpus.entry(plan, kind="inferred")
            if found.digest != entry.digest:
                raise InputError(f"the inferred graph of plan '{plan}' in {store} is older than the plan; "
                                 f"run 'antitraffick-kg reason --plan {plan} --store {store}' again")
    return corpus


def _state(store: Path, plan: str) -> str:
    try:
        entry = Corpus.open(store).entries.get((str(plan), "plan"))
    except InputError:
        return "missing"
    if entry is None:
        return "missing"
    return "fresh" if entry.digest == input_stamp(plan) else "stale"


def plan_nquads(plan: str | None = None, *, build_dir: str | Path = "build", inferred: bool = False,
                corpus: Corpus | None = None) -> bytes:
    """The plan's dataset as N-Quads (ontology and plan graphs), with its inferred graph when ``inferred``.

    From ``corpus`` when given; otherwise the dataset comes from ``build_dir``
    when that build is fresh, else it is built in memory, and the inferred
    graph is the one ``antitraffick-kg reason`` wrote to ``build_dir`` (a
    missing or stale one raises :class:`InputError`).
    """
    if corpus is not None:
        return corpus.nquads(plan, inferred=inferred)
    from .build import built_nquads, inferred_nquads

    plan = plan or DEFAULT_PLAN
    data = built_nquads(plan, out_dir=build_dir)
    return data + inferred_nquads(plan, out_dir=build_dir) if inferred else data


def open_store(kind: StoreKind | str = "oxigraph", *, plan: str | None = None, build_dir: str | Path = "build",
               inferred: bool = False, endpoint: str | None = None, timeout: float | None = None,
               allow_service: Collection[str] = (), corpus: Corpus | None = None,
               other_plans: bool = False, reads: Callable[[], Reads | None] | None = None) -> Store:
    """A store holding ``plan``: embedded (``oxigraph`` or ``rdflib``), or the remote ``endpoint``.

    With ``corpus``, the oxigraph store answers for one ``plan`` from its
    graphs (with the ontology and the shared links): the first question on
    disk, later ones on a copy in memory (:meth:`Corpus.view`), so a plan's
    question costs the same in a corpus of any size; for every plan (``plan``
    None) straight from the corpus store, with the union of its graphs as
    default graph.  With ``other_plans`` (a query that reads the other plans as named graphs: ``# reads: every
    plan``), every plan's graphs are named graphs beside the plan's own default graph: its first question is
    asked on disk, the next ones in memory with every plan's units and documents beside the plan's graphs (only
    its quads that what ``reads`` gives can match, :mod:`~antitraffick_kg.store.reads`; in
    rdflib, a copy of every plan's graphs as named graphs beside a copy of the plan's as default graph).  The rdflib store copies those graphs.  Without it, the
    embedded stores hold what :func:`plan_nquads` gives.  They run a
    ``SERVICE`` only to a server in ``allow_service``; a remote endpoint
    holds what its owner loaded into it.  ``timeout``: seconds a query may
    take, ``SERVICE`` calls included (None: no limit on an embedded query,
    30 s for an endpoint or a ``SERVICE``).
    """
    if endpoint is not None:
        return RemoteStore.from_env(endpoint, timeout=timeout if timeout is not None else SERVICE_TIMEOUT)
    if kind not in choices(StoreKind):
        raise QueryError(f"unknown store '{kind}'; choose one of {', '.join(choices(StoreKind))}, or give an endpoint")
    if corpus is not None and kind == "oxigraph":
        if other_plans and plan is not None:
            return _every_plan(corpus, str(plan), inferred=inferred, allow_service=allow_service, timeout=timeout,
                               reads=reads)
        store, graphs = corpus.view(plan, inferred=inferred)
        return OxigraphStore(store, graphs=graphs, allow_service=allow_service, timeout=timeout)
    data = plan_nquads(plan, build_dir=build_dir, inferred=inferred, corpus=corpus)
    if corpus is not None and other_plans and plan is not None:         # rdflib: every plan as named graphs
        return RdflibStore.over(data, corpus.nquads(None, inferred=inferred), allow_service=allow_service,
                                timeout=timeout)
    factory = OxigraphStore if kind == "oxigraph" else RdflibStore
    return factory.from_nquads(data, allow_service=allow_service, timeout=timeout)


#: the plans of each corpus handle already asked a question that reads every plan
_ASKED: "weakref.WeakKeyDictionary[Corpus, set]" = weakref.WeakKeyDictionary()


def _every_plan(corpus: Corpus, plan: str, *, inferred: bool, allow_service: Collection[str],
                timeout: float | None, reads: Callable[[], Reads | None] | None = None) -> Store:
    """Where ``plan``'s question that reads the other plans as named graphs runs: the first on disk (every plan's
    graphs are there, nothing is copied), the next ones in memory, with every plan's units and documents beside
    the plan's graphs (:func:`~antitraffick_kg.store.graphsets.every_plan_at_hand`)."""
    from ..store.graphsets import corpus_plan_graphs, every_plan_at_hand

    asked = _ASKED.setdefault(corpus, set())
    first = (plan, inferred) not in asked
    asked.add((plan, inferred))
    if first and not (inferred and corpus.inferred_apart):     # inferred graphs kept apart are not on disk here
        return OxigraphStore(corpus.store, graphs=corpus.graphs(plan, inferred=inferred),
                             allow_service=allow_service, timeout=timeout)
    read = reads() if reads is not None else None
    at_hand = every_plan_at_hand(corpus, inferred=inferred, reads=read)
    held = at_hand.holding(corpus_plan_graphs(corpus, [plan], inferred=inferred)[0], reads=read)
    return OxigraphStore(held, graphs=at_hand.default, allow_service=allow_service, timeout=timeout)


@contextmanager
def serve_plan(plans: tuple[str, ...] = (), *, build_dir: str | Path = "build", inferred: bool = False,
               host: str = "127.0.0.1", port: int | None = None, ready_timeout: float = 30.0,
               allow_service: Collection[str] = (), timeout: float = 30.0,
               corpus: Corpus | Callable[[], Corpus] | None = None, base: str | None = None,
               read_timeout: float = 10.0, max_connections: int = 100,
               dumps_dir: str | Path | None = None) -> Iterator[LocalEndpoint]:
    """Run a read-only oxigraph server over ``plans``, behind a filtering front, until the block ends.

    With ``corpus`` (or a function that opens it, called once the port is
    known to be free), the server opens the corpus store's current generation
    read-only (nothing is loaded or copied; every plan in it is served).
    Otherwise each plan's dataset (see :func:`plan_nquads`; with its inferred
    graph when ``inferred``) is loaded into a temporary store; the server answers queries
    at ``/query`` with the union of the graphs as default graph (over the graphs a query names, when it names
    some with ``FROM`` or ``FROM NAMED``: the front asks for the union only for the others), shows its
    query page at ``/`` and refuses updates.  Callers reach it through the
    front of :mod:`antitraffick_kg.store.front` on ``host``:``port`` (``port`` None
    picks a free one), which refuses any ``SERVICE`` to a server not in
    ``allow_service`` and answers within ``timeout`` seconds; a request must
    arrive within ``read_timeout`` seconds, and at most ``max_connections`` are
    open at once.  The front also answers at every name of the served graphs,
    under ``base`` (default: its own address), with a page or RDF
    (:mod:`antitraffick_kg.store.linked`), at ``…/id/dataset`` with the store's
    DCAT and VoID description, and serves the dumps of ``dumps_dir`` (written by
    :func:`antitraffick_kg.store.dataset.write_dumps`, checked against their
    sums first).  Raises :class:`EndpointError` when the port is in use or the
    server is missing or does not start, :class:`InputError` for a dump whose
    sum differs.
    """
    from ..store.dataset import read_dumps
    from ..store.front import open_front

    binary = oxigraph_binary()
    dumps = read_dumps(dumps_dir) if dumps_dir is not None else []
    front = open_front(host, port or 0, allow_service=allow_service, timeout=timeout,   # the port first: fail fast
                       read_timeout=read_timeout, max_connections=max_connections)
    try:
        if callable(corpus):
            corpus = corpus()
        with tempfile.TemporaryDirectory(prefix="antitraffick-kg-serve-") as tmp:
            folder = Path(tmp)
            files = []
            for plan in (plans or (DEFAULT_PLAN,)) if corpus is None else ():
                path = folder / f"{plan}.nq"
                path.write_bytes(plan_nquads(plan, build_dir=build_dir, inferred=inferred))
                files.append(str(path))
            location = corpus.location if corpus is not None else folder / "store"
            if corpus is not None and inferred and corpus.inferred_apart:
                location = folder / "store"           # the server opens one store: the plans and the inferred
                corpus.copy_with_inferred(location)
            if files:
                loaded = subprocess.run([str(binary), "load", "--location", str(location), "--file", *files],
                                        capture_output=True, text=True)
                if loaded.returncode != 0:
                    raise EndpointError("oxigraph could not load the plan: "
                                        f"{loaded.stderr.strip().splitlines()[-1:]}")
            inner = free_port("127.0.0.1")
            log = folder / "server.log"
            with open(log, "wb") as err:
                process = subprocess.Popen([str(binary), "serve-read-only", "--location", str(location),
                                            "--bind", f"127.0.0.1:{inner}",
                                            "--timeout-s", str(max(1, round(timeout)))],
                                           stdin=subprocess.DEVNULL, stdout=err, stderr=err)
            try:
                wait_ready(LocalEndpoint("127.0.0.1", inner, process), log=log, timeout=ready_timeout)
                where = f"[{host}]" if ":" in host else host
                front.start(("127.0.0.1", inner), linked=_linked_data(
                    location, base=base or f"http://{where}:{front.server_address[1]}/", dumps=dumps,
                    dumps_dir=Path(dumps_dir) if dumps_dir is not None else None))
                yield LocalEndpoint(host, front.server_address[1], process)
            finally:
                process.terminate()
                try:
                    process.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    process.kill()
                    process.wait()
    finally:
        front.stop()


def _linked_data(location: Path, *, base: str, dumps: Sequence, dumps_dir: Path | None):
    """What the front answers at the names of the graphs: the served store, opened read-only, and its
    description made now."""
    from datetime import datetime, timezone

    import pyoxigraph as ox

    from ..store.dataset import describe_dataset
    from ..store.linked import DUMPS_PATH, LinkedData

    if not base.endswith("/"):
        base += "/"
    served = ox.Store.read_only(str(location))
    extra = ox.Store()
    built = datetime.fromtimestamp(Path(location).stat().st_mtime, timezone.utc)
    extra.extend(ox.Quad(t.subject, t.predicate, t.object) for t in describe_dataset(
        served, endpoint=base + "query", dumps=dumps, dumps_url=base + DUMPS_PATH, modified=built))
    files = {d.name: dumps_dir / d.name for d in dumps} if dumps_dir is not None else {}
    return LinkedData(served, base=base, extra=extra, dumps=files)
