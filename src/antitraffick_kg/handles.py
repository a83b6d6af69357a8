"""One handle in Python: a corpus store or a SPARQL server, and one plan of either, with the verbs on them.

``atk.open_corpus(store)`` gives a :class:`CorpusHandle` (the corpus store opened read-only, as
:func:`~antitraffick_kg.pipeline.sources.open_corpus` opens it), ``atk.remote(endpoint)`` a
:class:`RemoteHandle` (a server the plans were pushed to).  Both answer the same:

* ``.plans``: the plans it holds, each a :class:`PlanId` (a ``str``) with its title, level, jurisdiction and
  period, what a person needs to pick one;
* ``.query(name, **params)``: a catalogue question asked of every plan of the handle, each plan's rows led by
  its ``plan`` and ``jurisdiction`` (:mod:`antitraffick_kg.ask.across`);
* ``.plan(id)``: a :class:`PlanHandle`, with ``query``, ``validate``, ``audit``, ``export`` and ``status``.

Each verb calls the free function of its own job (``atk.query``, ``atk.validate``, ...) with the handle's store
and the plan, so an answer through the handle is the free function's answer.  On a server a plan's graphs are
named with ``FROM`` and ``FROM NAMED`` (:mod:`antitraffick_kg.store.graphsets`); ``validate``, ``audit``,
``export`` and ``status`` read the plan's graphs from it once (one ``CONSTRUCT`` per graph) and check them here.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from .errors import UnknownPlanError
from .formats import RdfFormat, ShaclEngine
from .iris import ATK_BASE, ID_BASE, graph_iri, plan_iri
from .pipeline.sources import open_corpus as _open_store
from .store.corpus import DEFAULT_STORE_DIR, Corpus

if TYPE_CHECKING:  # pragma: no cover
    from .ask.query import ParamValue, QueryResult
    from .check.audit import AuditResult
    from .check.validate import ValidationResult
    from .report.progress import StatusResult

__all__ = ["open_corpus", "remote", "CorpusHandle", "RemoteHandle", "PlanHandle", "PlanId"]

_TITLE = "http://purl.org/dc/terms/title"
_FACTS = {ATK_BASE + "level": "level", ATK_BASE + "jurisdiction": "jurisdiction"}
_PERIOD, _FROM, _UNTIL = ATK_BASE + "period", ATK_BASE + "fromYear", ATK_BASE + "untilYear"


class PlanId(str):
    """A plan's id (a ``str``: compare it, sort it, pass it on) with what a person needs to pick the plan: its
    Chinese ``title``, ``level`` (national, province, prefecture, county), ``jurisdiction`` (GB/T 2260 code) and
    ``period`` (first and last year), as the plan's own graph states them (empty, or None, where it states none).
    """

    _read: Callable[[str], dict]

    def __new__(cls, plan: str, read: Callable[[str], dict]) -> "PlanId":
        made = super().__new__(cls, plan)
        made._read = read
        return made

    def _fact(self, name: str):
        facts = self.__dict__.get("_facts")
        if facts is None:
            facts = self.__dict__["_facts"] = self._read(str(self))
        return facts.get(name)

    @property
    def title(self) -> str:
        return self._fact("title") or ""

    @property
    def level(self) -> str:
        return self._fact("level") or ""

    @property
    def jurisdiction(self) -> str:
        return self._fact("jurisdiction") or ""

    @property
    def period(self) -> tuple[int, int] | None:
        return self._fact("period")


def _query(name: str) -> str:
    """The text of ``queries/handle/<name>.rq``, a query the remote handle asks for itself."""
    from .ask.catalogue import read_query
    from .resources import queries_path

    return read_query(queries_path() / "handle" / f"{name}.rq").text


def _checked_params(name: str | Path, params: Mapping[str, "ParamValue"]) -> None:
    """A parameter ``name``'s query does not declare is a :class:`QueryError` naming it and the declared ones."""
    from .ask.catalogue import get_query

    q = get_query(name)
    for key in params:
        q.parameter(key)


class PlanHandle:
    """One plan of a :class:`CorpusHandle` or a :class:`RemoteHandle`; get it with their ``plan(id)``.

    ``id`` is the plan's :class:`PlanId`.  Each verb gives what the free function of the same name gives for
    this plan (``atk.query(name, params=…, corpus=…, plan=id)`` and so on).
    """

    def __init__(self, owner: "CorpusHandle | RemoteHandle", plan: PlanId) -> None:
        self._owner = owner
        self.id = plan

    def __repr__(self) -> str:
        return f"PlanHandle({str(self.id)!r})"

    def query(self, name: str | Path, /, **params: "ParamValue") -> "QueryResult":
        """Catalogue query ``name`` (or a ``.rq`` file) asked of this plan, with the parameters it declares
        (``unit="州妇联"``, ``role="support"``); its rows as the query declares them.  Raises
        :class:`QueryError` for a parameter the query does not declare (naming the ones it does), and what
        ``atk.query`` raises."""
        _checked_params(name, params)
        return self._owner._ask(name, params, plan=str(self.id))

    def validate(self, *, engine: ShaclEngine | str = "oxigraph") -> "ValidationResult":
        """The plan checked against the ontology and the SHACL shapes (``engine``: ``oxigraph`` or
        ``pyshacl``), as ``atk.validate(corpus=…, plan=id)`` checks it."""
        return self._owner._validate(str(self.id), engine=engine)

    def audit(self) -> "AuditResult":
        """Where the plan's text disagrees with itself, as ``atk.audit(corpus=…, plan=id)`` finds it."""
        return self._owner._audit(str(self.id))

    def export(self, *, fmt: RdfFormat | str = "turtle") -> bytes:
        """The plan in RDF format ``fmt``, sorted (turtle, nt: the plan graph; trig, nquads, jsonld: the plan's
        graphs with the ontology and the shared ones), as ``atk.export(corpus=…, plan=id)`` writes it."""
        return self._owner._export(str(self.id), fmt=fmt)

    def status(self, *, as_of: dt.date, unit: str | None = None) -> "StatusResult":
        """What is due, done, late or unreported as of ``as_of`` (of ``unit`` only, when given), from the
        progress reports the store keeps."""
        return self._owner._status(str(self.id), as_of=as_of, unit=unit)


class CorpusHandle(Corpus):
    """The corpus store opened read-only, with the verbs on it (see the module's note); open it with
    :func:`open_corpus`.  It is a :class:`~antitraffick_kg.store.corpus.Corpus`, so every function that takes
    ``corpus=`` takes it too."""

    _with_inferred: bool = False
    _listed: tuple[PlanId, ...] | None = None

    @classmethod
    def _of(cls, corpus: Corpus, *, inferred: bool) -> "CorpusHandle":
        handle = cls(corpus.path, corpus.store, corpus.entries, meta=corpus.meta, location=corpus.location,
                     generation=corpus.generation)
        handle._union = corpus._union
        handle._with_inferred = inferred
        return handle

    def __repr__(self) -> str:
        return f"CorpusHandle({str(self.path)!r}, plans={[str(p) for p in self.plans]!r})"

    @property
    def plans(self) -> tuple[PlanId, ...]:          # type: ignore[override]
        """The plans of the handle, sorted: each a :class:`PlanId` with its title, level, jurisdiction, period."""
        if self._listed is None:
            self._listed = tuple(PlanId(p, self._facts) for p in sorted({p for p, k in self.entries if k == "plan"}))
        return self._listed

    def plan(self, plan: str) -> PlanHandle:
        """The handle of ``plan``; raises :class:`UnknownPlanError` naming the closest ids the handle holds."""
        for held in self.plans:
            if held == plan:
                return PlanHandle(self, held)
        raise UnknownPlanError(str(plan), where=f"the corpus store {self.path}", known=self.plans)

    def query(self, name: str | Path, /, **params: "ParamValue") -> "QueryResult":
        """Catalogue query ``name`` asked of every plan of the handle: each plan answers as its own question
        would, its rows led by the columns ``plan`` and ``jurisdiction``.  Raises :class:`QueryError` for a
        parameter the query does not declare (naming the ones it does), and what ``atk.query`` raises.
        """
        _checked_params(name, params)
        return self._ask(name, params, plan=None)

    # -- what the plan handles call ---------------------------------------------------------------------------
    def _ask(self, name: str | Path, params: Mapping[str, "ParamValue"], *, plan: str | None) -> "QueryResult":
        from .ask.query import query

        if plan is None:
            return query(name, params=params, corpus=self, plans="all", inferred=self._with_inferred)
        return query(name, params=params, corpus=self, plan=plan, inferred=self._with_inferred)

    def _validate(self, plan: str, *, engine: ShaclEngine | str) -> "ValidationResult":
        from .check.validate import validate

        return validate(plan=plan, corpus=self, engine=engine)

    def _audit(self, plan: str) -> "AuditResult":
        from .check.audit import audit

        return audit(plan=plan, corpus=self)

    def _export(self, plan: str, *, fmt: RdfFormat | str) -> bytes:
        from .store.export import export

        return export(corpus=self, plan=plan, fmt=fmt)

    def _status(self, plan: str, *, as_of: dt.date, unit: str | None) -> "StatusResult":
        from .report.progress import status

        return status(as_of=as_of, plan=plan, unit=unit, corpus=self)

    def _facts(self, plan: str) -> dict:
        import pyoxigraph as ox

        graph, doc = ox.NamedNode(graph_iri(plan)), ox.NamedNode(plan_iri(plan))
        facts: dict = {}
        for q in self.store.quads_for_pattern(doc, None, None, graph):
            p, o = q.predicate.value, q.object
            if p == _TITLE and isinstance(o, ox.Literal) and o.language == "zh":
                facts["title"] = o.value
            elif p in _FACTS:
                facts[_FACTS[p]] = o.value
            elif p == _PERIOD:
                years = {y.predicate.value: y.object.value for y in self.store.quads_for_pattern(o, None, None, graph)}
                if _FROM in years and _UNTIL in years:
                    facts["period"] = (int(years[_FROM]), int(years[_UNTIL]))
        return facts


def open_corpus(store: str | Path = DEFAULT_STORE_DIR, *, plans: Sequence[str] = (), inferred: bool = False,
                rebuild: bool = False, data_dir: str | Path | None = None) -> CorpusHandle:
    """The corpus store at ``store`` (what ``antitraffick-kg build`` wrote), opened read-only, as a handle.

    ``plans``: the plans the handle holds (checked to be there and built from their current inputs; with
    ``rebuild`` a missing or outdated one is built first); none: every plan of the store.  ``inferred``: its
    questions see the facts ``antitraffick-kg reason`` inferred.  ``data_dir``: the workspace the plans are
    in.  Raises :class:`InputError` for a missing store, a plan it lacks or one built from other inputs.

    >>> open_corpus("no-such-folder")
    Traceback (most recent call last):
    ...
    antitraffick_kg.errors.InputError: no corpus store at no-such-folder; run 'antitraffick-kg build' first
    """
    opened = _open_store(store, plans=plans, inferred=inferred, rebuild=rebuild, data_dir=data_dir)
    if plans:
        opened = opened.only([str(p) for p in plans])
    return CorpusHandle._of(opened, inferred=inferred)


class RemoteHandle:
    """A SPARQL server the plans were pushed to (``antitraffick-kg push``, or ``serve``), with the verbs on it
    (see the module's note); open it with :func:`remote`.  Nothing is sent until a verb needs it."""

    def __init__(self, endpoint: str, *, timeout: float | None = None, inferred: bool = False) -> None:
        self.endpoint = endpoint
        self.timeout = timeout
        self.inferred = inferred
        self._kept: dict[str, bytes] = {}
        self._described: dict[str, dict] | None = None

    def __repr__(self) -> str:
        return f"RemoteHandle({self.endpoint!r})"

    def _remote(self):
        from .store.stores import SERVICE_TIMEOUT, RemoteStore

        return RemoteStore.from_env(self.endpoint, timeout=self.timeout if self.timeout is not None
                                    else SERVICE_TIMEOUT)

    def _served(self):
        from .store.graphsets import served_plan_graphs

        return {s.plan: s for s in served_plan_graphs(self._remote(), inferred=self.inferred)}

    @property
    def plans(self) -> tuple[PlanId, ...]:
        """The plans the server holds, sorted, each a :class:`PlanId`.  Raises :class:`EndpointError` when it
        cannot be asked or holds no plan."""
        return tuple(PlanId(p, self._facts) for p in sorted(self._served()))

    def plan(self, plan: str) -> PlanHandle:
        """The handle of ``plan``; raises :class:`UnknownPlanError` naming the closest ids the server holds."""
        for held in self.plans:
            if held == plan:
                return PlanHandle(self, held)
        raise UnknownPlanError(str(plan), where=self.endpoint, known=self.plans)

    def query(self, name: str | Path, /, **params: "ParamValue") -> "QueryResult":
        """Catalogue query ``name`` asked of every plan the server holds, each plan's rows led by ``plan`` and
        ``jurisdiction``, each plan's graphs named in ``FROM`` and ``FROM NAMED`` (see :meth:`CorpusHandle.query`)."""
        _checked_params(name, params)
        return self._ask(name, params, plan=None)

    def _ask(self, name: str | Path, params: Mapping[str, "ParamValue"], *, plan: str | None) -> "QueryResult":
        from .ask.query import query

        if plan is None:
            return query(name, params=params, endpoint=self.endpoint, plans="all", inferred=self.inferred,
                         timeout=self.timeout)
        return query(name, params=params, endpoint=self.endpoint, plan=plan, inferred=self.inferred,
                     timeout=self.timeout)

    def _nquads(self, plan: str) -> bytes:
        """The plan's graphs on the server (its own, the ontology, vocabulary and link graphs), as N-Quads,
        read once per handle: one ``CONSTRUCT`` over each graph."""
        import pyoxigraph as ox

        if plan not in self._kept:
            remote, quads = self._remote(), []
            for name in self._served()[plan].graphs:
                graph = ox.NamedNode(name)
                triples = remote.over([name]).triples(_query("graph-triples"), source=f"reading graph {name}")
                quads.extend(ox.Quad(t.subject, t.predicate, t.object, graph) for t in triples)
            self._kept[plan] = ox.serialize(quads, format=ox.RdfFormat.N_QUADS)
        return self._kept[plan]

    def _store(self, plan: str):
        import pyoxigraph as ox

        store = ox.Store()
        store.load(self._nquads(plan), format=ox.RdfFormat.N_QUADS)
        return store

    def _validate(self, plan: str, *, engine: ShaclEngine | str) -> "ValidationResult":
        from .check.validate import validate_store

        return validate_store(self._store(plan), engine=engine, inputs=[plan])

    def _audit(self, plan: str) -> "AuditResult":
        from .check.audit import audit_store

        return audit_store(self._store(plan), inputs=[plan])

    def _export(self, plan: str, *, fmt: RdfFormat | str) -> bytes:
        import pyoxigraph as ox

        from .store.export import serialize_quads

        fmt = RdfFormat.parse(fmt)
        quads = ox.parse(self._nquads(plan), format=ox.RdfFormat.N_QUADS)
        own = graph_iri(plan)
        return serialize_quads(quads if fmt.has_graphs else (q for q in quads if q.graph_name.value == own), fmt)

    def _status(self, plan: str, *, as_of: dt.date, unit: str | None) -> "StatusResult":
        from .report.progress import status
        from .store.stores import OxigraphStore

        return status(as_of=as_of, plan=plan, unit=unit, store=OxigraphStore.from_nquads(self._nquads(plan)))

    def _facts(self, plan: str) -> dict:
        if self._described is None:
            _, rows = self._remote().select(_query("plan-facts"), source="listing the server's plans")
            served = {s: p.jurisdiction for s, p in self._served().items()}
            described: dict[str, dict] = {p: {"jurisdiction": j} for p, j in served.items()}
            for r in rows:
                doc = (r["doc"] or "").removeprefix(ID_BASE + "plan/")
                if doc in described and r["g"] == graph_iri(doc):
                    facts = described[doc]
                    facts.update({k: r[k] for k in ("title", "level") if r[k]})
                    if r["from"] and r["until"]:
                        facts["period"] = (int(r["from"]), int(r["until"]))
            self._described = described
        return self._described.get(plan, {})


def remote(endpoint: str, *, timeout: float | None = None, inferred: bool = False) -> RemoteHandle:
    """A handle on the SPARQL server at ``endpoint`` (its query URL), which holds plans pushed there.

    ``timeout``: seconds a request may take (None: 30 s).  ``inferred``: questions see the inferred graphs
    pushed with the plans.  Credentials come from the environment, as for ``query --endpoint``.  Nothing is
    sent until a verb needs it; then a server that cannot answer raises :class:`EndpointError`.
    """
    return RemoteHandle(endpoint, timeout=timeout, inferred=inferred)
