"""Where queries run: one small interface over pyoxigraph, rdflib and remote SPARQL endpoints.

Every store answers a SELECT query with its column names and rows of plain
values (``dict[str, str | None]``: IRIs and literals as their text, an unbound
variable as ``None``), sorted in one natural order, so the same query gives the
same rows on every store.

Parameter values arrive as RDF terms, never as text to paste into the query:
the rdflib store hands them to rdflib as ``initBindings``; the pyoxigraph and
remote stores put them in a ``VALUES`` block at the start of the query's WHERE
clause (and of the UNION branches that bind them, see
:mod:`antitraffick_kg.store.bindings`), each term serialised by pyoxigraph
(IRIs checked, literals escaped).
pyoxigraph's own ``substitutions`` are not used because they require every
substituted variable to be in the SELECT projection, which a grouped query
cannot meet.

No query reaches another server unless the user allowed it: every query
is checked by :mod:`antitraffick_kg.store.policy` before an embedded store runs it
(``SERVICE`` only to the servers in ``allow_service``, answered within
``timeout`` seconds; rdflib's download of ``FROM`` graphs never).

Nothing here runs an update: the embedded stores are only ever asked to
*query*, and a remote endpoint is only sent text that a SPARQL parser has read
as a SELECT query.  An UPDATE raises :class:`QueryError`.

Which data a store holds is decided above this module, in
:mod:`antitraffick_kg.pipeline.sources`.
"""

from __future__ import annotations

import copy
import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from abc import ABC, abstractmethod
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Protocol

import pyoxigraph as ox

from ..errors import EndpointError, QueryError
from .bindings import checked_term, with_values
from .policy import check_outbound, outbound_targets, with_deadline
from ..rows import Rows, natural_key, sort_rows
from ..terms import to_rdflib

__all__ = ["Store", "Rows", "Term", "query_form", "FORMS", "SERVICE_TIMEOUT", "OxigraphStore", "RdflibStore",
           "RemoteStore",
           "sort_rows", "natural_key", "with_values", "check_not_empty", "oxigraph_binary", "LocalEndpoint", "free_port",
           "wait_ready", "solution_rows",
           "ENV_USER", "ENV_PASSWORD", "SERVER_EXTRA"]

Term = ox.NamedNode | ox.Literal

#: environment variables holding credentials (HTTP basic) for a remote endpoint
ENV_USER = "ANTITRAFFICK_KG_ENDPOINT_USER"
ENV_PASSWORD = "ANTITRAFFICK_KG_ENDPOINT_PASSWORD"
#: how to install the oxigraph server
SERVER_EXTRA = "pip install 'antitraffick-kg[server]'"


class Store(Protocol):
    """A place that answers SELECT queries with rows of plain values, sorted on its columns left to right as
    :func:`~antitraffick_kg.rows.sort_rows` sorts them."""

    name: str

    def select(self, text: str, *, bindings: Mapping[str, Term] | None = None,
               source: str = "query") -> tuple[list[str], Rows]:
        """Run SELECT ``text`` with ``bindings`` (variable name -> term); ``source`` names it in errors."""
        ...

    # a store may also have ``answer(text, *, bindings, source)``, which runs ``text`` in whichever form it is:
    # (columns, rows) for SELECT, a bool for ASK, triples for CONSTRUCT and DESCRIBE; every store here has it


# -- query text --------------------------------------------------------------
#: the query forms, as the SPARQL parser names them, and the word the messages use
FORMS = {"SelectQuery": "SELECT", "AskQuery": "ASK", "ConstructQuery": "CONSTRUCT", "DescribeQuery": "DESCRIBE"}


def query_form(text: str, source: str = "query") -> str:
    """SELECT, ASK, CONSTRUCT or DESCRIBE: the form a SPARQL parser reads in ``text`` (never a guess from the
    first words); raises :class:`QueryError` for an update or a syntax error.

    >>> query_form("PREFIX x: <http://e/> DESCRIBE x:a"), query_form("ASK { ?s ?p ?o }")
    ('DESCRIBE', 'ASK')
    """
    return FORMS[_classify(text, source)]


def _classify(text: str, source: str) -> str:
    """The query form a SPARQL parser reads in ``text`` ('SelectQuery', …); refuses updates."""
    form = _query_form(text)
    if isinstance(form, str):
        return form
    _refuse_update(text, source)
    raise QueryError(f"{source}: SPARQL syntax error at line {form[0]}, column {form[1]}")


@lru_cache(maxsize=64)
def _query_form(text: str) -> str | tuple[int, int]:
    """The form of query ``text``, or where the parser stopped; cached, as parsing a long query takes 0.1 s."""
    from pyparsing import ParseException
    from rdflib.plugins.sparql.parser import parseQuery

    try:
        return parseQuery(text)[1].name
    except ParseException as exc:
        return (exc.lineno, exc.col)


def check_not_empty(text: str, source: str) -> None:
    """Raise :class:`QueryError` when ``text`` holds nothing but comments and blanks.

    >>> check_not_empty("# only a comment", "q.rq")
    Traceback (most recent call last):
    ...
    antitraffick_kg.errors.QueryError: q.rq: the query is empty
    """
    if _is_empty(text):
        raise QueryError(f"{source}: the query is empty")


@lru_cache(maxsize=256)
def _is_empty(text: str) -> bool:
    return not re.sub(r"(?m)#.*$", "", text).strip()


def _refuse_update(text: str, source: str) -> None:
    """Raise if ``text`` is a SPARQL update: the query path is read-only.  (Empty text parses as an empty update.)"""
    from pyparsing import ParseException

    check_not_empty(text, source)
    from rdflib.plugins.sparql.parser import parseUpdate

    try:
        parseUpdate(text)
    except ParseException:
        return
    raise QueryError(f"{source}: this is a SPARQL UPDATE; queries are read-only and updates are refused")


def _only_select(form: str, source: str) -> None:
    if form != "SelectQuery":
        raise QueryError(f"{source}: only SELECT queries return rows (this is {FORMS.get(form, form)})")


def _expect(form: str, wanted: str, source: str) -> None:
    """Raise :class:`QueryError` when the engine read another form than the one asked for."""
    if FORMS.get(form, form) != wanted:
        raise QueryError(f"{source}: asked as {wanted}, but the query is {FORMS.get(form, form)}")


Answer = tuple[list[str], Rows] | bool | list[ox.Triple]


# -- embedded stores ---------------------------------------------------------
#: seconds a query that calls a SERVICE may take when no time limit is given
SERVICE_TIMEOUT = 30.0


class _Embedded(ABC):
    """What the embedded stores share: the outbound-request check and the time limit.

    ``timeout``: seconds a query may take, ``SERVICE`` calls included; a query still running then raises
    :class:`EndpointError` (the engine is left to finish in a background thread, as neither can cancel a
    query).  None: no limit, except :data:`SERVICE_TIMEOUT` for a query that calls a ``SERVICE``.
    """

    name = "embedded"
    #: the engine downloads the graphs a query names in FROM
    downloads_from = False

    def __init__(self, *, allow_service: Collection[str] = (), timeout: float | None = None) -> None:
        self.allow_service = frozenset(allow_service)
        #: seconds a query may take, SERVICE calls included; None: no limit, but SERVICE_TIMEOUT for a SERVICE
        self.timeout = timeout

    def select(self, text: str, *, bindings: Mapping[str, Term] | None = None,
               source: str = "query") -> tuple[list[str], Rows]:
        """Run SELECT ``text`` with ``bindings``; raises :class:`QueryError` for a syntax error, an update,
        another form, or a ``SERVICE`` not allowed, and :class:`EndpointError` when an allowed one fails or
        the query runs longer than ``timeout`` seconds."""
        return self._answer(text, bindings, source, "SELECT")  # type: ignore[return-value]

    def ask(self, text: str, *, bindings: Mapping[str, Term] | None = None, source: str = "query") -> bool:
        """The answer of ASK query ``text``; errors as :meth:`select`."""
        return self._answer(text, bindings, source, "ASK")  # type: ignore[return-value]

    def triples(self, text: str, *, bindings: Mapping[str, Term] | None = None,
                source: str = "query") -> list[ox.Triple]:
        """The triples CONSTRUCT or DESCRIBE query ``text`` returns (as pyoxigraph terms); errors as :meth:`select`."""
        return self._answer(text, bindings, source, "GRAPH")  # type: ignore[return-value]

    def answer(self, text: str, *, bindings: Mapping[str, Term] | None = None, source: str = "query") -> Answer:
        """The answer of query ``text`` in the form the engine read: (columns, rows) for SELECT, a bool for
        ASK, triples for CONSTRUCT and DESCRIBE; errors as :meth:`select`."""
        return self._answer(text, bindings, source, None)

    def _answer(self, text: str, bindings: Mapping[str, Term] | None, source: str, form: str | None) -> Answer:
        """Check ``text``, then run it within ``timeout`` seconds (the engine is left to finish on its own)."""
        services = check_outbound(text, allow=self.allow_service, source=source, downloads_from=self.downloads_from,
                                  bound={k: v.value for k, v in (bindings or {}).items() if isinstance(v, ox.NamedNode)})
        what = f"{source}: SERVICE {', '.join(f'<{s}>' for s in services)}" if services else source
        seconds = self.timeout if self.timeout is not None else SERVICE_TIMEOUT if services else None
        if seconds is None:
            return self._run(text, bindings or {}, source, form)
        try:
            return with_deadline(lambda: self._run(text, bindings or {}, source, form), seconds=seconds, what=what)
        except (QueryError, EndpointError):
            raise
        except Exception as exc:  # the engine's own error for a failed request
            if not services:
                raise
            detail = " ".join(str(exc).split())[:200]
            raise EndpointError(f"{what} failed: {detail or type(exc).__name__}") from None

    @abstractmethod
    def _run(self, text: str, bindings: Mapping[str, Term], source: str, form: str | None) -> Answer:
        """Run the checked query on the engine, as ``form`` (SELECT, ASK, GRAPH for CONSTRUCT and DESCRIBE, or
        None for whichever the query is)."""


def _check_form(read: str, form: str | None, source: str) -> None:
    """Refuse an answer of another form than asked (``read``: the form the engine answered with)."""
    if form is None:
        return
    if form == "SELECT":
        _only_select(read, source)
    elif form == "GRAPH":
        if read not in ("ConstructQuery", "DescribeQuery"):
            raise QueryError(f"{source}: asked for triples, but the query is {FORMS.get(read, read)}")
    else:
        _expect(read, form, source)


class OxigraphStore(_Embedded):
    """A pyoxigraph ``Store``, queried with the union of its graphs (or of ``graphs``) as default graph.

    >>> s = OxigraphStore()
    >>> s.store.add(ox.Quad(ox.NamedNode("http://ex/a"), ox.NamedNode("http://ex/p"), ox.Literal("x")))
    >>> s.select("SELECT ?s WHERE { ?s ?p ?V }", bindings={"V": ox.Literal("x")})
    (['s'], [{'s': 'http://ex/a'}])
    """

    name = "oxigraph"

    def __init__(self, store: ox.Store | None = None, *, allow_service: Collection[str] = (),
                 timeout: float | None = None, graphs: list[ox.NamedNode] | None = None) -> None:
        super().__init__(allow_service=allow_service, timeout=timeout)
        self.store = store if store is not None else ox.Store()
        #: the graphs whose union is the default graph (None: every graph)
        self.graphs = graphs

    @classmethod
    def from_nquads(cls, data: bytes, *, allow_service: Collection[str] = (),
                    timeout: float | None = None) -> "OxigraphStore":
        """An in-memory store holding the N-Quads ``data``."""
        store = ox.Store()
        store.load(data, format=ox.RdfFormat.N_QUADS)
        return cls(store, allow_service=allow_service, timeout=timeout)

    def _run(self, text: str, bindings: Mapping[str, Term], source: str, form: str | None) -> Answer:
        targets = outbound_targets(text)
        # a SERVICE endpoint given as a parameter is substituted (a VALUES block comes too late for it)
        served = {t.variable for t in targets if t.variable in bindings}
        body = with_values(text, {k: v for k, v in bindings.items() if k not in served})
        # the union of the graphs is the default graph, unless the query names its own with FROM
        # (pyoxigraph would otherwise ignore the FROM clause and answer from every graph)
        union = not any(t.kind == "from" for t in targets)
        substitutions = {ox.Variable(v): bindings[v] for v in served}
        try:
            extra = {"substitutions": substitutions} if served else {}
            if union and self.graphs is not None:
                result = self.store.query(body, default_graph=self.graphs, **extra)
            else:
                result = self.store.query(body, use_default_graph_as_union=union, **extra)
        except SyntaxError as exc:
            _refuse_update(text, source)
            raise QueryError(f"{source}: SPARQL syntax error: {exc}") from None
        if isinstance(result, ox.QueryBoolean):
            _check_form("AskQuery", form, source)
            return bool(result)
        if isinstance(result, ox.QueryTriples):
            _check_form("ConstructQuery", form, source)
            return list(result)
        _check_form("SelectQuery", form, source)
        columns, rows = solution_rows(result)
        return columns, sort_rows(columns, rows)


def solution_rows(result: ox.QuerySolutions) -> tuple[list[str], Rows]:
    """The columns and rows of pyoxigraph's ``result``, each solution read once, in the engine's order (the
    values as strings, None for an unbound one)."""
    columns = [v.value for v in result.variables]
    return columns, [dict(zip(columns, [None if t is None else t.value for t in s])) for s in result]


class RdflibStore(_Embedded):
    """An rdflib ``Graph`` or ``Dataset``; a dataset is queried with the union of its graphs."""

    name = "rdflib"
    downloads_from = True

    def __init__(self, graph, *, allow_service: Collection[str] = (), timeout: float | None = None) -> None:
        super().__init__(allow_service=allow_service, timeout=timeout)
        self.graph = graph

    @classmethod
    def from_nquads(cls, data: bytes, *, allow_service: Collection[str] = (),
                    timeout: float | None = None) -> "RdflibStore":
        from rdflib import Dataset

        ds = Dataset(default_union=True)
        ds.parse(data=data, format="nquads")
        return cls(ds, allow_service=allow_service, timeout=timeout)

    @classmethod
    def over(cls, default: bytes, named: bytes, *, allow_service: Collection[str] = (),
             timeout: float | None = None) -> "RdflibStore":
        """A dataset whose default graph is the triples of the N-Quads ``default`` (their graphs merged) and
        whose named graphs are the graphs of the N-Quads ``named``: a question of one plan that reads the other
        plans with ``GRAPH`` (as pyoxigraph's ``default_graph`` and a server's ``FROM`` give it)."""
        from rdflib import Dataset

        ds = Dataset(default_union=False)
        ds.parse(data=named, format="nquads")
        triples = ox.serialize((q.triple for q in ox.parse(default, format=ox.RdfFormat.N_QUADS)),
                               format=ox.RdfFormat.N_TRIPLES)
        ds.default_graph.parse(data=triples, format="nt")
        return cls(ds, allow_service=allow_service, timeout=timeout)

    def _run(self, text: str, bindings: Mapping[str, Term], source: str, form: str | None) -> Answer:
        from pyparsing import ParseException

        if any(t.variable for t in outbound_targets(text)):
            raise QueryError(f"{source}: a SERVICE whose endpoint is a parameter runs on the oxigraph store only "
                             "(rdflib calls only a SERVICE written as an IRI)")
        init = {name: to_rdflib(checked_term(term), plain_strings=True) for name, term in bindings.items()}
        try:
            result = self.graph.query(text, initBindings=init)
        except ParseException as exc:
            _refuse_update(text, source)
            raise QueryError(f"{source}: SPARQL syntax error at line {exc.lineno}, column {exc.col}") from None
        _check_form(result.type.title() + "Query", form, source)
        if result.type == "ASK":
            return bool(result.askAnswer)
        if result.type in ("CONSTRUCT", "DESCRIBE"):
            data = result.graph.serialize(format="nt", encoding="utf-8")
            return [q.triple for q in ox.parse(data, format=ox.RdfFormat.N_TRIPLES)]
        columns = [str(v) for v in result.vars]
        rows = [{c: (None if v is None else str(v)) for c, v in zip(columns, row)} for row in result]
        return columns, sort_rows(columns, rows)


# -- remote endpoints ----------------------------------------------------------
class RemoteStore:
    """A SPARQL 1.1 endpoint reached through SPARQLWrapper.

    ``timeout`` is in seconds.  ``user`` and ``password`` are sent as HTTP basic
    credentials; :meth:`from_env` reads them from ``ANTITRAFFICK_KG_ENDPOINT_USER``
    and ``ANTITRAFFICK_KG_ENDPOINT_PASSWORD``.
    """

    name = "remote"

    def __init__(self, url: str, *, timeout: float = 30.0, user: str | None = None,
                 password: str | None = None) -> None:
        if urllib.parse.urlsplit(url).scheme not in ("http", "https"):
            raise EndpointError(f"endpoint '{url}' is not an http(s) URL")
        if (user is None) != (password is None):
            raise EndpointError(f"give both a user and a password for {url}, or neither "
                                f"(set {ENV_USER} and {ENV_PASSWORD})")
        self.url = url
        self.timeout = timeout
        self._credentials = (user, password) if user is not None else None
        #: the graphs every query is asked over (FROM) and may name (FROM NAMED); None: the server's own default
        self.dataset: tuple[tuple[str, ...], tuple[str, ...]] | None = None

    def over(self, default: Sequence[str], named: Sequence[str] = ()) -> "RemoteStore":
        """The same endpoint, with every query asked over the graphs ``default`` (its ``FROM`` clauses) and
        ``named`` (``FROM NAMED``), so that it answers the same whatever the server's default graph is."""
        other = copy.copy(self)
        other.dataset = (tuple(default), tuple(named))
        return other

    def _text(self, text: str, bindings: Mapping[str, Term] | None) -> str:
        if self.dataset is not None:
            from .graphsets import with_dataset

            text = with_dataset(text, *self.dataset)
        return with_values(text, bindings or {})

    @classmethod
    def from_env(cls, url: str, *, timeout: float = 30.0) -> "RemoteStore":
        """A remote store with credentials from the environment, when set."""
        return cls(url, timeout=timeout, user=os.environ.get(ENV_USER), password=os.environ.get(ENV_PASSWORD))

    def select(self, text: str, *, bindings: Mapping[str, Term] | None = None,
               source: str = "query") -> tuple[list[str], Rows]:
        """Send SELECT ``text`` to the endpoint; raises :class:`EndpointError` when it cannot answer."""
        _only_select(_classify(text, source), source)
        data = self._send(self._text(text, bindings))
        return self._rows(data)

    def ask(self, text: str, *, bindings: Mapping[str, Term] | None = None, source: str = "query") -> bool:
        """Send ASK ``text`` to the endpoint; its answer."""
        _expect(_classify(text, source), "ASK", source)
        data = self._send(self._text(text, bindings), form="ASK")
        if not isinstance(data.get("boolean"), bool):
            raise EndpointError(f"{self.url} did not answer the ASK query with a SPARQL JSON boolean")
        return data["boolean"]

    def triples(self, text: str, *, bindings: Mapping[str, Term] | None = None,
                source: str = "query") -> list[ox.Triple]:
        """Send CONSTRUCT or DESCRIBE ``text`` to the endpoint; the triples it answers with."""
        form = FORMS[_classify(text, source)]
        if form not in ("CONSTRUCT", "DESCRIBE"):
            raise QueryError(f"{source}: asked for triples, but the query is {form}")
        return self._send(self._text(text, bindings), form=form)  # type: ignore[return-value]

    def answer(self, text: str, *, bindings: Mapping[str, Term] | None = None, source: str = "query") -> Answer:
        """The endpoint's answer in the query's form (see :meth:`OxigraphStore.answer`)."""
        form = FORMS[_classify(text, source)]
        if form == "SELECT":
            return self.select(text, bindings=bindings, source=source)
        if form == "ASK":
            return self.ask(text, bindings=bindings, source=source)
        return self.triples(text, bindings=bindings, source=source)

    def _rows(self, data: dict) -> tuple[list[str], Rows]:
        try:
            columns = list(data["head"]["vars"])
            rows = [{c: (b[c]["value"] if c in b else None) for c in columns} for b in data["results"]["bindings"]]
        except (KeyError, TypeError):
            raise EndpointError(f"{self.url} did not answer with SPARQL JSON results") from None
        return columns, sort_rows(columns, rows)

    def _send(self, body: str, *, form: str = "SELECT"):
        """POST ``body``; the JSON answer (triples for CONSTRUCT and DESCRIBE).  The whole exchange is bounded
        by ``timeout`` seconds."""
        return with_deadline(lambda: self._exchange(body, form), seconds=self.timeout, what=self.url)

    def _exchange(self, body: str, form: str = "SELECT"):
        import json

        import SPARQLWrapper as sw
        from SPARQLWrapper.SPARQLExceptions import SPARQLWrapperException

        graph = form in ("CONSTRUCT", "DESCRIBE")
        sparql = sw.SPARQLWrapper(self.url)
        sparql.setQuery(body)
        sparql.queryType = getattr(sw, form)   # the parser has read the form; do not let a regex guess
        sparql.setMethod(sw.POST)
        sparql.setReturnFormat(sw.TURTLE if graph else sw.JSON)
        sparql.timeout = self.timeout      # setTimeout() would round it to whole seconds
        if self._credentials:
            sparql.setCredentials(*self._credentials)
        try:
            # the response is read here rather than by SPARQLWrapper's convert(), which answers a
            # wrong content type with a RuntimeWarning on stderr and the raw bytes
            response = sparql.query().response
            kind = (response.headers.get("Content-Type") or "").split(";")[0].strip().lower()
            raw = response.read()
        except SPARQLWrapperException as exc:
            detail = str(exc).split("\n")[0].strip()
            raise EndpointError(f"{self.url} refused the query: {detail}") from None
        except urllib.error.HTTPError as exc:
            raise EndpointError(f"{self.url} answered HTTP {exc.code} {exc.reason}") from None
        except (urllib.error.URLError, OSError) as exc:
            reason = getattr(exc, "reason", exc)
            if isinstance(reason, (TimeoutError, socket.timeout)) or isinstance(exc, TimeoutError):
                raise EndpointError(f"{self.url} did not answer within {self.timeout:g} s") from None
            raise EndpointError(f"cannot reach SPARQL endpoint {self.url}: {reason}") from None
        if graph:
            return _graph_answer(raw, kind, where=self.url)
        if "json" not in kind:
            raise EndpointError(f"{self.url} did not answer with SPARQL JSON results "
                                f"(it sent {kind or 'no content type'})")
        try:
            data = json.loads(raw)
        except ValueError:
            raise EndpointError(f"{self.url} did not answer with SPARQL JSON results") from None
        if not isinstance(data, dict):
            raise EndpointError(f"{self.url} did not answer with SPARQL JSON results")
        return data


def _graph_answer(raw: bytes, kind: str, *, where: str) -> list[ox.Triple]:
    """The triples of an endpoint's answer to CONSTRUCT or DESCRIBE (Turtle, N-Triples or RDF/XML)."""
    formats = {"text/turtle": ox.RdfFormat.TURTLE, "application/n-triples": ox.RdfFormat.N_TRIPLES,
               "text/plain": ox.RdfFormat.N_TRIPLES, "application/rdf+xml": ox.RdfFormat.RDF_XML,
               "application/x-turtle": ox.RdfFormat.TURTLE}
    if kind not in formats:
        raise EndpointError(f"{where} did not answer with RDF triples (it sent {kind or 'no content type'})")
    try:
        return [q.triple for q in ox.parse(raw, format=formats[kind])]
    except SyntaxError as exc:
        raise EndpointError(f"{where} answered with {kind} that cannot be read: {' '.join(str(exc).split())[:200]}") \
            from None


# -- a served endpoint -----------------------------------------------------------
def oxigraph_binary() -> Path:
    """The ``oxigraph`` server program: beside this Python, else on PATH.

    Raises :class:`EndpointError` naming the ``server`` extra when it is not installed.
    """
    beside = Path(sys.executable).parent / ("oxigraph.exe" if os.name == "nt" else "oxigraph")
    if beside.is_file():
        return beside
    found = shutil.which("oxigraph")
    if found:
        return Path(found)
    raise EndpointError(f"the oxigraph server is not installed; install it with {SERVER_EXTRA}")


@dataclass(frozen=True)
class LocalEndpoint:
    """A running read-only oxigraph server."""

    host: str
    port: int
    process: subprocess.Popen

    @property
    def url(self) -> str:
        """The browser page."""
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}/"

    @property
    def query_url(self) -> str:
        """The SPARQL query endpoint."""
        return self.url + "query"


def free_port(host: str) -> int:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as s:
        s.bind((host, 0))
        return s.getsockname()[1]


def wait_ready(endpoint: LocalEndpoint, *, log: Path, timeout: float) -> None:
    probe = endpoint.query_url + "?" + urllib.parse.urlencode({"query": "ASK {}"})
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if endpoint.process.poll() is not None:
            text = log.read_text(errors="replace")
            if "Address already in use" in text or "os error 98" in text:
                raise EndpointError(f"port {endpoint.port} on {endpoint.host} is in use; choose another with --port")
            message = text.strip().splitlines()
            raise EndpointError(f"the oxigraph server stopped at start: {message[-1] if message else 'no message'}")
        try:
            with urllib.request.urlopen(probe, timeout=2):
                return
        except (urllib.error.URLError, OSError):
            time.sleep(0.05)
    raise EndpointError(f"the oxigraph server did not answer on {endpoint.query_url} within {timeout:g} s")
