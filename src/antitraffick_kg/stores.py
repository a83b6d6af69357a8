"""Where queries run: one small interface over pyoxigraph, rdflib and remote SPARQL endpoints.

Every store answers a SELECT query with its column names and rows of plain
values (``dict[str, str | None]``: IRIs and literals as their text, an unbound
variable as ``None``), sorted in one natural order, so the same query gives the
same rows on every store.

Parameter values arrive as RDF terms, never as text to paste into the query:
the rdflib store hands them to rdflib as ``initBindings``; the pyoxigraph and
remote stores put them in a ``VALUES`` block at the start of the query's WHERE
clause, each term serialised by pyoxigraph (IRIs checked, literals escaped).
pyoxigraph's own ``substitutions`` are not used because they require every
substituted variable to be in the SELECT projection, which a grouped query
cannot meet.

No query reaches another server unless the user allowed it: every query
is checked by :mod:`antitraffick_kg.policy` before an embedded store runs it
(``SERVICE`` only to the servers in ``allow_service``, answered within
``timeout`` seconds; rdflib's download of ``FROM`` graphs never).

Nothing here runs an update: the embedded stores are only ever asked to
*query*, and a remote endpoint is only sent text that a SPARQL parser has read
as a SELECT query.  An UPDATE raises :class:`QueryError`.

:func:`serve_plan` runs a read-only ``oxigraph`` server over a plan, for
``antitraffick-kg serve`` and for tests of the remote store.
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Collection, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Literal, Protocol

import pyoxigraph as ox

from .errors import EndpointError, QueryError
from .policy import check_outbound, outbound_targets, with_deadline

__all__ = ["Store", "StoreKind", "STORE_KINDS", "Rows", "Term", "OxigraphStore", "RdflibStore", "RemoteStore",
           "open_store", "plan_nquads", "sort_rows", "natural_key", "with_values", "oxigraph_binary", "serve_plan",
           "LocalEndpoint", "ENV_USER", "ENV_PASSWORD", "SERVER_EXTRA"]

StoreKind = Literal["oxigraph", "rdflib"]
STORE_KINDS: tuple[str, ...] = ("oxigraph", "rdflib")
Rows = list[dict[str, str | None]]
Term = ox.NamedNode | ox.Literal

#: environment variables holding credentials (HTTP basic) for a remote endpoint
ENV_USER = "ANTITRAFFICK_KG_ENDPOINT_USER"
ENV_PASSWORD = "ANTITRAFFICK_KG_ENDPOINT_PASSWORD"
#: how to install the oxigraph server
SERVER_EXTRA = "pip install 'antitraffick-kg[server]'"


class Store(Protocol):
    """A place that answers SELECT queries with sorted rows of plain values."""

    name: str

    def select(self, text: str, *, bindings: Mapping[str, Term] | None = None,
               source: str = "query") -> tuple[list[str], Rows]:
        """Run SELECT ``text`` with ``bindings`` (variable name -> term); ``source`` names it in errors."""
        ...


# -- rows ------------------------------------------------------------------
def natural_key(value: str | None) -> tuple:
    """Sort key that orders digits by number: 4.1.10 after 4.1.9; ``None`` first.

    >>> sorted(["4.10", "4.9", None], key=natural_key)
    [None, '4.9', '4.10']
    """
    if value is None:
        return ((0, ""),)
    return tuple((1, int(p)) if p.isdigit() else (2, p) for p in re.split(r"(\d+)", value) if p)


def sort_rows(columns: list[str], rows: Rows, *, order: tuple[str, ...] = ()) -> Rows:
    """Rows sorted on ``order`` first (``-column`` descending), then on every column, all naturally.

    >>> sort_rows(["u", "n"], [{"u": "b", "n": "2"}, {"u": "a", "n": "10"}, {"u": "c", "n": "2"}], order=("-n",))
    [{'u': 'a', 'n': '10'}, {'u': 'b', 'n': '2'}, {'u': 'c', 'n': '2'}]
    """
    out = sorted(rows, key=lambda r: tuple(natural_key(r.get(c)) for c in columns))
    for key in reversed(order):
        column = key.lstrip("-")
        out.sort(key=lambda r: natural_key(r.get(column)), reverse=key.startswith("-"))
    return out


# -- query text --------------------------------------------------------------
_IRIREF = re.compile(r"<[^<>\"{}|^`\\\x00-\x20]*>")


def _skip_string(text: str, i: int) -> int:
    """Index after the string literal starting at ``i``."""
    quote = text[i] * 3 if text.startswith(text[i] * 3, i) else text[i]
    i += len(quote)
    while i < len(text):
        if text[i] == "\\":
            i += 2
        elif text.startswith(quote, i):
            return i + len(quote)
        else:
            i += 1
    return i


def _where_start(text: str) -> int:
    """Index just after the ``{`` that opens the query's WHERE clause.

    Comments, strings and IRIs are skipped; a ``{`` inside the parentheses of
    a SELECT expression does not count.
    """
    i, depth = 0, 0
    while i < len(text):
        ch = text[i]
        if ch == "#":
            end = text.find("\n", i)
            i = len(text) if end < 0 else end
        elif ch in "'\"":
            i = _skip_string(text, i)
        elif ch == "<" and (m := _IRIREF.match(text, i)):
            i = m.end()
        else:
            if ch == "(":
                depth += 1
            elif ch == ")":
                depth -= 1
            elif ch == "{" and depth == 0:
                return i + 1
            i += 1
    raise QueryError("the query has no WHERE clause to bind parameters in")


def with_values(text: str, bindings: Mapping[str, Term]) -> str:
    """``text`` with a ``VALUES`` block binding ``bindings`` at the start of its WHERE clause.

    Each value is an RDF term serialised by pyoxigraph, so no value can end
    the block or add to the query.

    >>> with_values("SELECT ?x WHERE { ?x ?p ?V }", {"V": ox.Literal('a" } DROP ALL')})
    'SELECT ?x WHERE { VALUES (?V) { ("a\\\\" } DROP ALL") }\\n ?x ?p ?V }'
    """
    if not bindings:
        return text
    names = list(bindings)
    for name in names:
        if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", name):
            raise QueryError(f"'{name}' is not a SPARQL variable name")
    block = (" VALUES (" + " ".join(f"?{n}" for n in names) + ") { ("
             + " ".join(str(_checked(bindings[n])) for n in names) + ") }\n")
    at = _where_start(text)
    return text[:at] + block + text[at:]


def _checked(term: Term) -> Term:
    if not isinstance(term, (ox.NamedNode, ox.Literal)):
        raise QueryError(f"a parameter value must be an IRI or a literal, not {type(term).__name__}")
    return term


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


def _refuse_update(text: str, source: str) -> None:
    """Raise if ``text`` is a SPARQL update: the query path is read-only.  (Empty text parses as an empty update.)"""
    from pyparsing import ParseException

    if not re.sub(r"(?m)#.*$", "", text).strip():
        raise QueryError(f"{source}: the query is empty")
    from rdflib.plugins.sparql.parser import parseUpdate

    try:
        parseUpdate(text)
    except ParseException:
        return
    raise QueryError(f"{source}: this is a SPARQL UPDATE; queries are read-only and updates are refused")


def _only_select(form: str, source: str) -> None:
    if form != "SelectQuery":
        raise QueryError(f"{source}: only SELECT queries return rows (this is {form.replace('Query', '')})")


# -- embedded stores ---------------------------------------------------------
class _Embedded:
    """What the embedded stores share: the outbound-request check and its time limit."""

    name = "embedded"
    #: the engine downloads the graphs a query names in FROM
    downloads_from = False

    def __init__(self, *, allow_service: Collection[str] = (), timeout: float = 30.0) -> None:
        self.allow_service = frozenset(allow_service)
        self.timeout = timeout

    def select(self, text: str, *, bindings: Mapping[str, Term] | None = None,
               source: str = "query") -> tuple[list[str], Rows]:
        """Run SELECT ``text`` with ``bindings``; raises :class:`QueryError` for a syntax error, an update,
        another form, or a ``SERVICE`` not allowed, and :class:`EndpointError` when an allowed one fails."""
        services = check_outbound(text, allow=self.allow_service, source=source, downloads_from=self.downloads_from,
                                  bound={k: v.value for k, v in (bindings or {}).items() if isinstance(v, ox.NamedNode)})
        if not services:
            return self._select(text, bindings or {}, source)
        what = f"{source}: SERVICE {', '.join(f'<{s}>' for s in services)}"
        try:
            return with_deadline(lambda: self._select(text, bindings or {}, source),
                                 seconds=self.timeout, what=what)
        except (QueryError, EndpointError):
            raise
        except Exception as exc:  # the engine's own error for a failed request
            detail = " ".join(str(exc).split())[:200]
            raise EndpointError(f"{what} failed: {detail or type(exc).__name__}") from None

    def _select(self, text: str, bindings: Mapping[str, Term], source: str) -> tuple[list[str], Rows]:
        raise NotImplementedError


class OxigraphStore(_Embedded):
    """A pyoxigraph ``Store``, queried with the union of its graphs as default graph.

    >>> s = OxigraphStore()
    >>> s.store.add(ox.Quad(ox.NamedNode("http://ex/a"), ox.NamedNode("http://ex/p"), ox.Literal("x")))
    >>> s.select("SELECT ?s WHERE { ?s ?p ?V }", bindings={"V": ox.Literal("x")})
    (['s'], [{'s': 'http://ex/a'}])
    """

    name = "oxigraph"

    def __init__(self, store: ox.Store | None = None, *, allow_service: Collection[str] = (),
                 timeout: float = 30.0) -> None:
        super().__init__(allow_service=allow_service, timeout=timeout)
        self.store = store if store is not None else ox.Store()

    @classmethod
    def from_nquads(cls, data: bytes, *, allow_service: Collection[str] = (),
                    timeout: float = 30.0) -> "OxigraphStore":
        """An in-memory store holding the N-Quads ``data``."""
        store = ox.Store()
        store.load(data, format=ox.RdfFormat.N_QUADS)
        return cls(store, allow_service=allow_service, timeout=timeout)

    def _select(self, text: str, bindings: Mapping[str, Term], source: str) -> tuple[list[str], Rows]:
        targets = outbound_targets(text)
        # a SERVICE endpoint given as a parameter is substituted (a VALUES block comes too late for it)
        served = {t.variable for t in targets if t.variable in bindings}
        body = with_values(text, {k: v for k, v in bindings.items() if k not in served})
        # the union of the graphs is the default graph, unless the query names its own with FROM
        # (pyoxigraph would otherwise ignore the FROM clause and answer from every graph)
        union = not any(t.kind == "from" for t in targets)
        substitutions = {ox.Variable(v): bindings[v] for v in served}
        try:
            result = (self.store.query(body, use_default_graph_as_union=union, substitutions=substitutions)
                      if served else self.store.query(body, use_default_graph_as_union=union))
        except SyntaxError as exc:
            _refuse_update(text, source)
            raise QueryError(f"{source}: SPARQL syntax error: {exc}") from None
        if not isinstance(result, ox.QuerySolutions):
            _only_select("AskQuery" if isinstance(result, ox.QueryBoolean) else "ConstructQuery", source)
        columns = [v.value for v in result.variables]
        rows = [{c: (None if s[c] is None else s[c].value) for c in columns} for s in result]
        return columns, sort_rows(columns, rows)


def _to_rdflib(term: Term):
    from rdflib import Literal as RdfLiteral
    from rdflib import URIRef

    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if term.language:
        return RdfLiteral(term.value, lang=term.language)
    datatype = term.datatype.value
    return RdfLiteral(term.value, datatype=None if datatype.endswith("#string") else datatype)


class RdflibStore(_Embedded):
    """An rdflib ``Graph`` or ``Dataset``; a dataset is queried with the union of its graphs."""

    name = "rdflib"
    downloads_from = True

    def __init__(self, graph, *, allow_service: Collection[str] = (), timeout: float = 30.0) -> None:
        super().__init__(allow_service=allow_service, timeout=timeout)
        self.graph = graph

    @classmethod
    def from_nquads(cls, data: bytes, *, allow_service: Collection[str] = (),
                    timeout: float = 30.0) -> "RdflibStore":
        from rdflib import Dataset

        ds = Dataset(default_union=True)
        ds.parse(data=data, format="nquads")
        return cls(ds, allow_service=allow_service, timeout=timeout)

    def _select(self, text: str, bindings: Mapping[str, Term], source: str) -> tuple[list[str], Rows]:
        from pyparsing import ParseException

        if any(t.variable for t in outbound_targets(text)):
            raise QueryError(f"{source}: a SERVICE whose endpoint is a parameter runs on the oxigraph store only "
                             "(rdflib calls only a SERVICE written as an IRI)")
        init = {name: _to_rdflib(_checked(term)) for name, term in bindings.items()}
        try:
            result = self.graph.query(text, initBindings=init)
        except ParseException as exc:
            _refuse_update(text, source)
            raise QueryError(f"{source}: SPARQL syntax error at line {exc.lineno}, column {exc.col}") from None
        if result.type != "SELECT":
            _only_select(result.type.title() + "Query", source)
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

    @classmethod
    def from_env(cls, url: str, *, timeout: float = 30.0) -> "RemoteStore":
        """A remote store with credentials from the environment, when set."""
        return cls(url, timeout=timeout, user=os.environ.get(ENV_USER), password=os.environ.get(ENV_PASSWORD))

    def select(self, text: str, *, bindings: Mapping[str, Term] | None = None,
               source: str = "query") -> tuple[list[str], Rows]:
        """Send SELECT ``text`` to the endpoint; raises :class:`EndpointError` when it cannot answer."""
        _only_select(_classify(text, source), source)
        data = self._send(with_values(text, bindings or {}))
        try:
            columns = list(data["head"]["vars"])
            rows = [{c: (b[c]["value"] if c in b else None) for c in columns} for b in data["results"]["bindings"]]
        except (KeyError, TypeError):
            raise EndpointError(f"{self.url} did not answer with SPARQL JSON results") from None
        return columns, sort_rows(columns, rows)

    def _send(self, body: str) -> dict:
        """POST ``body``; the JSON answer.  The whole exchange is bounded by ``timeout`` seconds."""
        return with_deadline(lambda: self._exchange(body), seconds=self.timeout, what=self.url)

    def _exchange(self, body: str) -> dict:
        import json

        from SPARQLWrapper import JSON, POST, SELECT, SPARQLWrapper
        from SPARQLWrapper.SPARQLExceptions import SPARQLWrapperException

        sparql = SPARQLWrapper(self.url)
        sparql.setQuery(body)
        sparql.queryType = SELECT          # the parser has read it as SELECT; do not let a regex guess
        sparql.setMethod(POST)
        sparql.setReturnFormat(JSON)
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


# -- opening stores ------------------------------------------------------------
def plan_nquads(plan: str | None = None, *, build_dir: str | Path = "build", inferred: bool = False) -> bytes:
    """The plan's dataset as N-Quads (ontology and plan graphs), with its inferred graph when ``inferred``.

    The dataset comes from ``build_dir`` when that build is fresh, else it is
    built in memory; the inferred graph is the one ``antitraffick-kg reason``
    wrote to ``build_dir`` (a missing or stale one raises :class:`InputError`).
    """
    from .resources import DEFAULT_PLAN
    from .pipeline import built_nquads, inferred_nquads

    plan = plan or DEFAULT_PLAN
    data = built_nquads(plan, out_dir=build_dir)
    return data + inferred_nquads(plan, out_dir=build_dir) if inferred else data


def open_store(kind: StoreKind = "oxigraph", *, plan: str | None = None, build_dir: str | Path = "build",
               inferred: bool = False, endpoint: str | None = None, timeout: float = 30.0,
               allow_service: Collection[str] = ()) -> Store:
    """A store holding ``plan``: embedded (``oxigraph`` or ``rdflib``), or the remote ``endpoint``.

    The embedded stores hold what :func:`plan_nquads` gives and run a
    ``SERVICE`` only to a server in ``allow_service`` (within ``timeout``
    seconds); a remote endpoint holds what its owner loaded into it.
    """
    if endpoint is not None:
        return RemoteStore.from_env(endpoint, timeout=timeout)
    if kind not in STORE_KINDS:
        raise QueryError(f"unknown store '{kind}'; choose one of {', '.join(STORE_KINDS)}, or give an endpoint")
    data = plan_nquads(plan, build_dir=build_dir, inferred=inferred)
    factory = OxigraphStore if kind == "oxigraph" else RdflibStore
    return factory.from_nquads(data, allow_service=allow_service, timeout=timeout)


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


def _free_port(host: str) -> int:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as s:
        s.bind((host, 0))
        return s.getsockname()[1]


def _wait_ready(endpoint: LocalEndpoint, *, log: Path, timeout: float) -> None:
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


@contextmanager
def serve_plan(plans: tuple[str, ...] = (), *, build_dir: str | Path = "build", inferred: bool = False,
               host: str = "127.0.0.1", port: int | None = None, ready_timeout: float = 30.0,
               allow_service: Collection[str] = (), timeout: float = 30.0) -> Iterator[LocalEndpoint]:
    """Run a read-only oxigraph server over ``plans``, behind a filtering front, until the block ends.

    Each plan's dataset (see :func:`plan_nquads`; with its inferred graph when
    ``inferred``) is loaded into a temporary store; the server answers queries
    at ``/query`` with the union of the graphs as default graph, shows its
    query page at ``/`` and refuses updates.  Callers reach it through the
    front of :mod:`antitraffick_kg.front` on ``host``:``port`` (``port`` None
    picks a free one), which refuses any ``SERVICE`` to a server not in
    ``allow_service`` and answers within ``timeout`` seconds.  Raises
    :class:`EndpointError` when the port is in use or the server is missing or
    does not start.
    """
    from .front import open_front
    from .resources import DEFAULT_PLAN

    binary = oxigraph_binary()
    front = open_front(host, port or 0, allow_service=allow_service, timeout=timeout)   # the port first: fail fast
    try:
        with tempfile.TemporaryDirectory(prefix="antitraffick-kg-serve-") as tmp:
            folder = Path(tmp)
            files = []
            for plan in plans or (DEFAULT_PLAN,):
                path = folder / f"{plan}.nq"
                path.write_bytes(plan_nquads(plan, build_dir=build_dir, inferred=inferred))
                files.append(str(path))
            location = folder / "store"
            loaded = subprocess.run([str(binary), "load", "--location", str(location), "--file", *files],
                                    capture_output=True, text=True)
            if loaded.returncode != 0:
                raise EndpointError(f"oxigraph could not load the plan: {loaded.stderr.strip().splitlines()[-1:]}")
            inner = _free_port("127.0.0.1")
            log = folder / "server.log"
            with open(log, "wb") as err:
                process = subprocess.Popen([str(binary), "serve-read-only", "--location", str(location),
                                            "--bind", f"127.0.0.1:{inner}", "--union-default-graph",
                                            "--timeout-s", str(max(1, round(timeout)))],
                                           stdin=subprocess.DEVNULL, stdout=err, stderr=err)
            try:
                _wait_ready(LocalEndpoint("127.0.0.1", inner, process), log=log, timeout=ready_timeout)
                front.start(("127.0.0.1", inner))
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
