"""Which graphs answer for which plan: in the corpus store and on a SPARQL server, and the dataset clauses that
name them.

A plan's question is answered over the union of its graphs (``…/id/graph/<plan>`` and ``…/id/graph/<plan>/…``),
the ontology and vocabulary graphs and the linking graphs every plan shares.  The corpus store says which those
are in its manifest (:meth:`~antitraffick_kg.store.corpus.Corpus.graphs`).  A server that was given the plans with
``push`` has no manifest: there the graphs are found from their names, and a plan is a graph
``…/id/graph/<plan>`` that describes its own document ``…/id/plan/<plan>`` as an ``atk:PlanDocument``.

Each plan's jurisdiction is read from its own graph (the document's ``atk:jurisdiction``), never made up here.

On a server, a question names its graphs with ``FROM`` (the default graph: the union of the plan's graphs) and
``FROM NAMED`` (:func:`with_dataset`), so that it answers the same on a server whose default graph is empty (a
stock ``oxigraph serve``, Fuseki) and on one whose default graph is the union of every graph (Virtuoso).
"""

from __future__ import annotations

import time
import weakref
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from functools import partial

import pyoxigraph as ox

from ..errors import EndpointError
from ..iris import ATK_BASE, ID_BASE, MANIFEST_GRAPH, ONTOLOGY_GRAPH, VOCABULARY_GRAPH, graph_iri, plan_iri
from .bindings import checked_term
from .corpus import PROGRESS, Corpus
from .reads import Reads

__all__ = ["PlanGraphs", "StoredPlan", "own_graphs", "store_plans", "every_plan_at_hand", "OnePlanAtATime", "corpus_plan_graphs", "served_plan_graphs", "forget_served", "with_dataset",
           "dataset_position"]

_GRAPHS = ID_BASE + "graph/"
_JURISDICTION = ox.NamedNode(ATK_BASE + "jurisdiction")
_INFERRED = "/inferred"


@dataclass
class PlanGraphs:
    """One plan: its id, the graphs whose union answers its questions, and its jurisdiction (GB/T 2260 code, as
    its graph says; empty when it says none), read from the graph when first wanted."""

    plan: str
    graphs: tuple[str, ...]
    read: Callable[[], str] | str = field(default="", repr=False, compare=False)

    @property
    def jurisdiction(self) -> str:
        if callable(self.read):
            self.read = self.read()
        return self.read


def corpus_plan_graphs(corpus: Corpus, plans: Sequence[str] | None = None, *,
                       inferred: bool = False) -> tuple[PlanGraphs, ...]:
    """``plans`` of ``corpus`` (every plan when None), in the order given (sorted when None), with their graphs
    (as :meth:`Corpus.graphs` names them) and jurisdictions.  Raises :class:`InputError` for a plan the store
    lacks.  The shared graphs are read once, so that naming the graphs of N plans costs N, not N²; what is found
    is kept with the handle (a generation does not change), so that asking every plan again costs nothing: the
    same tuple is given again."""
    key = (None if plans is None else tuple(plans), inferred)
    kept = _PLAN_GRAPHS.setdefault(corpus, {})
    if key not in kept:
        if len(kept) > 8:           # (a few sets of plans kept: those asked last)
            kept.pop(next(iter(kept)))
        kept[key] = tuple(_plan_graphs(corpus, plans, inferred=inferred))
    return kept[key]


#: what :func:`corpus_plan_graphs` found, by corpus handle, plans asked and inferred
_PLAN_GRAPHS: "weakref.WeakKeyDictionary[Corpus, dict[tuple, tuple[PlanGraphs, ...]]]" = weakref.WeakKeyDictionary()


def _plan_graphs(corpus: Corpus, plans: Sequence[str] | None, *, inferred: bool) -> list[PlanGraphs]:
    chosen = list(corpus.plans if plans is None else plans)
    shared = {ONTOLOGY_GRAPH, VOCABULARY_GRAPH,
              *(g for (_, kind), e in corpus.entries.items() if kind == "shared" for g in e.graphs)}
    out = []
    for plan in chosen:
        names = set(shared) | set(corpus.entry(plan).graphs)
        if (plan, PROGRESS) in corpus.entries:
            names.update(corpus.entries[(plan, PROGRESS)].graphs)
        if inferred:
            names.update(corpus.entry(plan, kind="inferred").graphs)
        out.append(PlanGraphs(plan, tuple(sorted(names)), partial(_jurisdiction, corpus.store, plan)))
    return out


@dataclass(frozen=True)
class StoredPlan:
    """A plan of a store as its own graph describes it, and the graphs that are its own."""

    plan: str
    document: str
    title: str
    jurisdiction: str
    level: str
    graphs: tuple[str, ...]


_PLAN_DOCUMENT = ox.NamedNode(ATK_BASE + "PlanDocument")
_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
#: the kinds of subject a plan's directory entry describes: its units and its document
_DESCRIBED = (ox.NamedNode(ATK_BASE + "Unit"), _PLAN_DOCUMENT)
_LEVEL = ox.NamedNode(ATK_BASE + "level")
_TITLE = ox.NamedNode("http://purl.org/dc/terms/title")


def store_plans(store: ox.Store) -> tuple[list[StoredPlan], list[str]]:
    """The plans of ``store`` (sorted) and the graphs every plan's question reads besides its own (sorted).

    A plan is a graph ``…/id/graph/<plan>`` that describes its own document ``…/id/plan/<plan>`` as an
    ``atk:PlanDocument`` (as on a server, :func:`served_plan_graphs`); its graphs are that one and those named
    under it; the others under ``…/id/graph/`` but the manifest are shared.  Title, jurisdiction and level are
    what the plan's own graph says (empty when it says nothing)."""
    def one(s, p, g) -> str:
        found = sorted(q.object.value for q in store.quads_for_pattern(s, p, None, g))
        return found[0] if found else ""

    docs = {}
    for q in store.quads_for_pattern(None, _TYPE, _PLAN_DOCUMENT, None):
        plan = q.subject.value.removeprefix(ID_BASE + "plan/")
        if isinstance(q.graph_name, ox.NamedNode) and q.subject.value == plan_iri(plan) \
                and q.graph_name.value == graph_iri(plan):
            docs[plan] = q
    names = sorted(g.value for g in store.named_graphs()
                   if isinstance(g, ox.NamedNode) and g.value.startswith(_GRAPHS) and g.value != MANIFEST_GRAPH)
    own = {p: tuple(own_graphs(p, names)) for p in docs}
    taken = {n for graphs in own.values() for n in graphs}
    plans = [StoredPlan(p, q.subject.value, one(q.subject, _TITLE, q.graph_name),
                        one(q.subject, _JURISDICTION, q.graph_name), one(q.subject, _LEVEL, q.graph_name), own[p])
             for p, q in sorted(docs.items())]
    return plans, [n for n in names if n not in taken]


def own_graphs(plan: str, names: Iterable[str]) -> list[str]:
    """Those of the graphs ``names`` that are ``plan``'s own: ``…/id/graph/<plan>`` and those named under it.

    >>> own_graphs("a", [graph_iri("a"), graph_iri("a") + "/counterparts", graph_iri("ab"), VOCABULARY_GRAPH])
    ['https://w3id.org/antitraffick-kg/id/graph/a', 'https://w3id.org/antitraffick-kg/id/graph/a/counterparts']
    """
    base = graph_iri(plan)
    under = base + "/"
    return [n for n in names if n == base or n.startswith(under)]


def _jurisdiction(store: ox.Store, plan: str) -> str:
    found = next(store.quads_for_pattern(ox.NamedNode(plan_iri(plan)), _JURISDICTION, None,
                                         ox.NamedNode(graph_iri(plan))), None)
    return "" if found is None else found.object.value


_SERVED_GRAPHS = "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }"
_SERVED_PLANS = ("SELECT ?g ?doc ?jurisdiction WHERE { GRAPH ?g { ?doc a <%sPlanDocument> ; <%sjurisdiction> "
                 "?jurisdiction } }" % (ATK_BASE, ATK_BASE))


#: seconds a server's plans and graphs, once read, are used again by this process (listing the graphs reads every
#: quad of the server: seconds on Virtuoso); a push through this process forgets them at once
SERVED_FOR = 30.0
_SERVED: dict[tuple[str, bool], tuple[float, list[PlanGraphs]]] = {}


def forget_served(url: str) -> None:
    """Read the plans and graphs of the server at ``url`` again when next asked (after a push to it)."""
    for key in [k for k in _SERVED if k[0] == url]:
        del _SERVED[key]


def served_plan_graphs(store, *, inferred: bool = False) -> list[PlanGraphs]:
    """Every plan a SPARQL server holds (see the module's note), sorted, with its graphs and jurisdiction.

    ``store`` is a :class:`~antitraffick_kg.store.stores.RemoteStore` (anything with its ``select`` and
    ``url``); what it holds is read again after :data:`SERVED_FOR` seconds.  Raises :class:`EndpointError` when the
    server holds no plan.
    """
    key = (getattr(store, "url", ""), inferred)
    kept = _SERVED.get(key)
    if kept is not None and time.monotonic() - kept[0] < SERVED_FOR:
        return kept[1]
    found = _served(store, inferred=inferred)
    _SERVED[key] = (time.monotonic(), found)
    return found


def _served(store, *, inferred: bool) -> list[PlanGraphs]:
    _, rows = store.select(_SERVED_GRAPHS, source="listing the server's graphs")
    names = sorted({r["g"] for r in rows if r["g"] and r["g"].startswith(_GRAPHS) and r["g"] != MANIFEST_GRAPH})
    _, docs = store.select(_SERVED_PLANS, source="listing the server's plans")
    plans = {}
    for r in docs:
        plan = r["doc"].removeprefix(ID_BASE + "plan/") if r["doc"] else ""
        if plan and r["g"] == graph_iri(plan):
            plans[plan] = r["jurisdiction"] or ""
    if not plans:
        raise EndpointError(f"{getattr(store, 'url', 'the server')} holds no plan: push one first "
                            "('antitraffick-kg push --plan ID --endpoint URL')")
    own = {p: own_graphs(p, names) for p in plans}
    taken = {n for graphs in own.values() for n in graphs}
    shared = [n for n in names if n not in taken]
    return [PlanGraphs(p, tuple(sorted(set(shared) | {n for n in own[p] if inferred or not n.endswith(_INFERRED)})),
                       plans[p]) for p in sorted(plans)]


def dataset_position(text: str) -> int:
    """Where the dataset clauses of query ``text`` go: before its ``WHERE`` (or the ``{`` that opens its WHERE
    clause when the keyword is left out), outside any braces, comments, strings and IRIs; at the end of a
    ``DESCRIBE`` of IRIs without a WHERE clause."""
    from .bindings import _tokens

    depth, parens, first_brace = 0, 0, None
    for kind, value, end in _tokens(text):
        if kind == "(":
            parens += 1
        elif kind == ")":
            parens -= 1
        elif kind == "{":
            if depth == 0 and parens == 0 and first_brace is None:
                first_brace = end - 1
            depth += 1
        elif kind == "}":
            depth -= 1
        elif kind == "word" and value == "WHERE" and depth == 0:
            return end - len("WHERE")
    if first_brace is None:
        return len(text.rstrip())
    return first_brace


def with_dataset(text: str, default: Iterable[str], named: Iterable[str] = ()) -> str:
    """``text`` with ``FROM`` clauses for the graphs ``default`` and ``FROM NAMED`` for ``named``, each an IRI
    checked and written by pyoxigraph; a query that names its own graphs (a ``FROM`` of its own) is left as it is.

    >>> with_dataset("SELECT ?s WHERE { ?s ?p ?o }", ["http://ex/a"], ["http://ex/a"])
    'SELECT ?s FROM <http://ex/a> FROM NAMED <http://ex/a> WHERE { ?s ?p ?o }'
    >>> with_dataset("ASK { ?s ?p ?o }", ["http://ex/a"])
    'ASK FROM <http://ex/a> { ?s ?p ?o }'
    >>> with_dataset("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }", ["http://ex/a"])
    'CONSTRUCT { ?s ?p ?o } FROM <http://ex/a> WHERE { ?s ?p ?o }'
    >>> with_dataset("DESCRIBE <http://ex/s>", ["http://ex/a"])
    'DESCRIBE <http://ex/s> FROM <http://ex/a> '
    """
    from .policy import outbound_targets

    if any(t.kind == "from" for t in outbound_targets(text)):
        return text
    clauses = [f"FROM {checked_term(ox.NamedNode(g))}" for g in default]
    clauses += [f"FROM NAMED {checked_term(ox.NamedNode(g))}" for g in named]
    if not clauses:
        return text
    at = dataset_position(text)
    before = text[:at].rstrip()
    return before + " " + " ".join(clauses) + " " + text[at:].lstrip()


class OnePlanAtATime:
    """An in-memory store holding the graphs every plan shares once, and the graphs of one plan at a time.

    Asked of several plans in turn, a question runs on this store with the union of its graphs as default graph:
    exactly the plan's graphs and the shared ones, as in the plan's own question.  Changing plans removes the last
    plan's graphs and reads the next one's from the part files its writer left (or from the store), which costs
    with the plan, not with the corpus, where the store on disk reads a default graph of several named graphs
    graph by graph (several times slower per question).

    With ``directory``, the store also holds every plan's units and plan document (each such subject's triples in
    the plan's own graph ``…/id/graph/<plan>``, read once), for a question that reads the other plans as named
    graphs (``# reads: every plan``); it then runs with the plan's graphs (:attr:`default`) as default graph, not
    the union.  With ``directory_reads`` (what the question can read), only the triples of those it can match: the
    question answers the same, and a lookup in a plan's graph passes over fewer triples (pyoxigraph's store in
    memory reads a pattern with its graph named along every triple of that graph, when that is its shortest list).

    pyoxigraph's store in memory keeps what is removed from it as marks that its lookups still pass over, so a
    question would cost more with every plan asked before it (at 3,000 plans, five times as much by the last).
    So once the plans loaded since it was made weigh as much as what every plan shares (:attr:`RENEW_SHARE`
    times as much, and at least :attr:`RENEW_AFTER` bytes of N-Quads), the store is made anew from the shared
    graphs, kept as N-Quads.
    """

    #: the least N-Quads (bytes) of plans loaded into the store before it is made anew
    RENEW_AFTER = 1 << 20
    #: how many times the N-Quads of what every plan shares the plans loaded weigh before the store is made anew
    RENEW_SHARE = 1

    def __init__(self, corpus: Corpus, *, inferred: bool = False, directory: bool = False,
                 directory_reads: Reads | None = None) -> None:
        self.corpus, self.inferred = corpus, inferred
        self.shared = {ONTOLOGY_GRAPH, VOCABULARY_GRAPH,
                       *(g for (_, kind), e in corpus.entries.items() if kind == "shared" for g in e.graphs)}
        base = [q for g in sorted(self.shared)
                for q in corpus.store.quads_for_pattern(None, None, None, ox.NamedNode(g))]
        self.directory, self.directory_reads = directory, directory_reads
        if directory:
            base.extend(q for p in corpus.plans for q in self._described(p))
        #: what the store holds before any plan: the shared graphs (and every plan's units and documents)
        self.base = ox.serialize(base, format=ox.RdfFormat.N_QUADS)
        #: how many times the store was made
        self.made = 0
        self.store = self._anew()
        self.plan: str | None = None
        self.reads: Reads | None = None
        self.own: list[str] = []
        self.default: list[ox.NamedNode] = []

    def _anew(self) -> ox.Store:
        store = ox.Store()
        store.bulk_load(self.base, format=ox.RdfFormat.N_QUADS)
        self.loaded, self.made = 0, self.made + 1
        return store

    def _described(self, plan: str) -> list[ox.Quad]:
        """The triples of ``plan``'s units and plan document in its own graph (those :attr:`directory_reads` can
        match, when given)."""
        graph, store, reads = ox.NamedNode(graph_iri(plan)), self.corpus.store, self.directory_reads
        subjects = {q.subject for kind in _DESCRIBED for q in store.quads_for_pattern(None, _TYPE, kind, graph)}
        return [q for s in subjects for q in store.quads_for_pattern(s, None, None, graph)
                if _read(reads, q)]

    def holding(self, plan: PlanGraphs, *, reads: Reads | None = None) -> ox.Store:
        """The store, holding ``plan``'s graphs and the shared ones (and, with ``directory``, every plan's units
        and documents).  With ``reads`` (:func:`~antitraffick_kg.store.reads.query_reads` of the question and of
        the lookups its parameters make), only the plan's quads those can match: the question answers the same,
        and the plan costs a fraction of its whole graphs to load."""
        if self.plan == plan.plan and self.reads == reads:
            return self.store
        if self.loaded >= max(self.RENEW_AFTER, self.RENEW_SHARE * len(self.base)):
            self.store = self._anew()                       # (every plan's units are in what it is made from)
        else:
            for name in self.own:
                self.store.remove_graph(ox.NamedNode(name))
            if self.directory and self.plan is not None:   # the last plan's units stay, as every other plan's
                self.store.bulk_extend(self._described(self.plan))
        self.default = [ox.NamedNode(g) for g in plan.graphs]
        self.plan, self.own = None, [g for g in plan.graphs if g not in self.shared]
        done: set[str] = set()
        for kind in ("plan", PROGRESS, *(("inferred",) if self.inferred else ())):
            if (plan.plan, kind) not in self.corpus.entries:
                continue
            text = self.corpus.part_nquads(plan.plan, kind=kind, reads=reads)
            if text is not None:
                self.store.bulk_load(text, format=ox.RdfFormat.N_QUADS)
                self.loaded += len(text)
                done.update(self.corpus.entries[(plan.plan, kind)].graphs)
        rest = [q for g in self.own if g not in done for q in self.corpus._quads(ox.NamedNode(g))
                if _read(reads, q)]
        self.store.bulk_extend(rest)
        self.loaded += 200 * len(rest)                       # (about the bytes of a quad's N-Quads line)
        self.plan, self.reads = plan.plan, reads
        return self.store


def _object_iri(quad: ox.Quad) -> str | None:
    return quad.object.value if isinstance(quad.object, ox.NamedNode) else None


def _read(reads: Reads | None, quad: ox.Quad) -> bool:
    """Whether a question that reads ``reads`` (anything when None) can match ``quad``."""
    return reads is None or reads.matches(quad.predicate.value, _object_iri(quad))


#: the in-memory stores with every plan's units and documents, by corpus handle (with and without inferred graphs,
#: and by what the question can read), the last used last
_AT_HAND: "weakref.WeakKeyDictionary[Corpus, dict[tuple[bool, Reads | None], OnePlanAtATime]]" = \
    weakref.WeakKeyDictionary()
#: how many of those a handle keeps (each holds every plan's units: questions of many readings must not pile them up)
AT_HAND_KEPT = 4


def every_plan_at_hand(corpus: Corpus, *, inferred: bool = False, reads: Reads | None = None) -> OnePlanAtATime:
    """The store in memory, one per corpus handle and ``reads``, where a question that reads the other plans as
    named graphs (``# reads: every plan``) is asked of one plan after another: the shared graphs, every plan's units
    and documents (their triples ``reads`` can match, all of them when None), and the graphs of the plan asked
    (:class:`OnePlanAtATime` with ``directory``).  A handle keeps the :data:`AT_HAND_KEPT` last used."""
    kept, key = _AT_HAND.setdefault(corpus, {}), (inferred, reads)
    held = kept.pop(key, None)
    if held is None:
        held = OnePlanAtATime(corpus, inferred=inferred, directory=True, directory_reads=reads)
        while len(kept) >= AT_HAND_KEPT:
            del kept[next(iter(kept))]              # the one used longest ago
    kept[key] = held
    return held
