"""Load plan graphs into a SPARQL 1.1 server through the Graph Store HTTP Protocol.

Each named graph of a plan's dataset (the ontology, the plan, and the inferred
graph when asked) goes to the server's graph store as one graph.  The triples
are sorted, so the batches are the same on every run; the first batch replaces
the graph (``PUT``), the others add to it (``POST``).  A journal beside the
build records, per server and graph, the digest of what is being sent and the
batches the server has acknowledged, so a push that failed halfway resumes at
the first unacknowledged batch.  Sending a batch twice adds nothing, because a
graph is a set of triples; a graph with blank nodes is sent whole in one
``PUT`` instead, since blank nodes sent in two requests would become two nodes.
Afterwards each graph's triple count is read back with SPARQL and compared.
"""

from __future__ import annotations

import hashlib
import json
import urllib.parse
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from ..errors import EndpointError, InputError
from .stores import ENV_PASSWORD, ENV_USER, RemoteStore

__all__ = ["push", "PushResult", "PushedGraph", "PushProgress", "graph_store_url", "DEFAULT_BATCH"]

#: triples per request
DEFAULT_BATCH = 5000
_JOURNAL = "push-journal.json"
_COUNT = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"


@dataclass(frozen=True)
class PushedGraph:
    """One graph as the server holds it after a push."""

    graph: str
    triples: int
    batches: int
    #: batches sent by this run (0 when the server already held the graph)
    sent: int
    #: the batch this run started at (0 for a fresh start)
    resumed_at: int


@dataclass(frozen=True)
class PushResult:
    """What a push sent and verified."""

    endpoint: str
    graph_store: str
    graphs: tuple[PushedGraph, ...]

    @property
    def triples(self) -> int:
        return sum(g.triples for g in self.graphs)


@dataclass(frozen=True)
class PushProgress:
    """Reported after every acknowledged batch."""

    graph: str
    batch: int
    batches: int


def graph_store_url(endpoint: str, *, authenticated: bool = False) -> str:
    """The graph store address that goes with a SPARQL query ``endpoint``.

    The oxigraph server answers queries at ``/query`` and keeps its graph store
    at ``/store``; Virtuoso answers at ``/sparql`` and keeps it at
    ``/sparql-graph-crud`` (``/sparql-graph-crud-auth`` with credentials).
    Any other address needs the graph store given explicitly.

    >>> graph_store_url("http://127.0.0.1:7878/query")
    'http://127.0.0.1:7878/store'
    >>> graph_store_url("http://127.0.0.1:8890/sparql", authenticated=True)
    'http://127.0.0.1:8890/sparql-graph-crud-auth'
    """
    parts = urllib.parse.urlsplit(endpoint)
    head, _, last = parts.path.rpartition("/")
    known = {"query": "store", "sparql": "sparql-graph-crud-auth" if authenticated else "sparql-graph-crud"}
    if last not in known:
        raise EndpointError(f"cannot tell the graph store of {endpoint}; give it with --graph-store")
    return urllib.parse.urlunsplit(parts._replace(path=f"{head}/{known[last]}", query="", fragment=""))


def _graphs(nquads: bytes) -> dict[str, list[str]]:
    """The dataset's named graphs, each as its sorted N-Triples lines."""
    graphs: dict[str, set[str]] = {}
    for quad in ox.parse(nquads, format=ox.RdfFormat.N_QUADS):
        if not isinstance(quad.graph_name, ox.NamedNode):
            raise InputError("the dataset to push has triples outside a named graph")
        graphs.setdefault(quad.graph_name.value, set()).add(f"{quad.subject} {quad.predicate} {quad.object} .\n")
    return {name: sorted(lines) for name, lines in sorted(graphs.items())}


def _has_blank_nodes(lines: list[str]) -> bool:
    return any(line.startswith("_:") or " _:" in line for line in lines)


class _Journal:
    """Acknowledged batches per graph store and graph, kept in a JSON file written atomically."""

    def __init__(self, path: Path) -> None:
        self.path = path
        try:
            self.entries: dict = json.loads(path.read_text(encoding="utf-8")) if path.is_file() else {}
        except (OSError, ValueError):
            self.entries = {}                 # an unreadable journal only costs a fresh start

    def done(self, store: str, graph: str, digest: str) -> int:
        entry = self.entries.get(store, {}).get(graph)
        return entry["done"] if entry and entry.get("digest") == digest else 0

    def record(self, store: str, graph: str, digest: str, done: int) -> None:
        from .export import write_atomic

        self.entries.setdefault(store, {})[graph] = {"digest": digest, "done": done}
        write_atomic(self.path, json.dumps(self.entries, indent=1, sort_keys=True).encode("utf-8"))


def _why(exc: BaseException) -> str:
    """What the operating system said when a request failed (``[Errno 111] Connection refused``, an unknown host),
    found in the chain of errors requests and urllib3 wrap it in; else the name of the outermost error."""
    todo, seen = [exc], set()
    while todo:
        error = todo.pop(0)
        if id(error) in seen:
            continue
        seen.add(id(error))
        if isinstance(error, OSError) and error.strerror:
            return str(error)
        todo += [e for e in (error.__cause__, error.__context__, getattr(error, "reason", None), *error.args)
                 if isinstance(e, BaseException)]
    return type(exc).__name__


class _GraphStore:
    """The Graph Store Protocol over one HTTP session.

    With credentials, an empty addition first learns the server's scheme
    (Basic or Digest) from its challenge; the session then authenticates every
    batch up front, so no large body is ever sent only to be refused.
    """

    def __init__(self, url: str, *, user: str | None, password: str | None, timeout: float) -> None:
        import requests

        self.url = url
        self.timeout = timeout
        self._session = requests.Session()
        self._session.trust_env = False          # no proxy or netrc from the environment: only the server named
        self._credentials = (user, password) if user is not None else None

    def open(self, graph: str) -> None:
        """Check that the server takes additions to ``graph`` (an empty one), settling how to log in."""
        import requests.auth

        response = self._request("POST", graph, [])
        if response.status_code == 401 and self._credentials:
            scheme = response.headers.get("WWW-Authenticate", "").split(" ", 1)[0].lower()
            auth = requests.auth.HTTPDigestAuth if scheme == "digest" else requests.auth.HTTPBasicAuth
            self._session.auth = auth(*self._credentials)
            response = self._request("POST", graph, [])
        self._check(response, "POST", graph)

    def send(self, method: str, graph: str, lines: list[str]) -> None:
        self._check(self._request(method, graph, lines), method, graph)

    def _request(self, method: str, graph: str, lines: list[str]):
        import requests

        try:
            return self._session.request(method, self.url, params={"graph": graph},
                                         data="".join(lines).encode("utf-8"), timeout=self.timeout,
                                         headers={"Content-Type": "application/n-triples; charset=utf-8"})
        except requests.Timeout:
            raise EndpointError(f"graph store {self.url} did not answer within {self.timeout:g} s") from None
        except requests.RequestException as exc:
            raise EndpointError(f"cannot reach graph store {self.url}: {_why(exc)}") from None

    def _check(self, response, method: str, graph: str) -> None:
        if response.status_code >= 300:
            detail = response.text.strip().splitlines()
            hint = f": {detail[-1][:200]}" if detail else ""
            if response.status_code == 401:
                hint += f" (check the user and password in {ENV_USER} and {ENV_PASSWORD})"
            raise EndpointError(f"{self.url} refused {method} of graph <{graph}>: "
                                f"HTTP {response.status_code}{hint}")


def _send(sender: _GraphStore, log: _Journal, graph: str, digest: str, batches: list[list[str]], start: int,
          progress: Callable[[PushProgress], None] | None) -> int:
    """Send ``batches[start:]`` (the first one replacing the graph), recording each acknowledgement."""
    for index in range(start, len(batches)):
        sender.send("PUT" if index == 0 else "POST", graph, batches[index])
        log.record(sender.url, graph, digest, index + 1)
        if progress is not None:
            progress(PushProgress(graph, index + 1, len(batches)))
    return len(batches) - start


def _count(store: RemoteStore, graph: str) -> int:
    _, rows = store.select(_COUNT, bindings={"g": ox.NamedNode(graph)}, source="triple count")
    try:
        return int(rows[0]["n"] or 0)
    except (IndexError, ValueError):
        raise EndpointError(f"{store.url} did not answer the triple count of <{graph}>") from None


def push(nquads: bytes, *, endpoint: str, graph_store: str | None = None, journal: str | Path,
         batch_size: int = DEFAULT_BATCH, user: str | None = None, password: str | None = None,
         timeout: float = 60.0, progress: Callable[[PushProgress], None] | None = None,
         only: Sequence[str] | None = None) -> PushResult:
    """Send the named graphs of the N-Quads ``nquads`` to a server and verify their triple counts.

    ``endpoint`` is the server's SPARQL query address (used to count);
    ``graph_store`` its Graph Store Protocol address (see :func:`graph_store_url`).
    ``journal`` is the file that lets a failed push resume.  ``only`` limits the
    push to these graph IRIs.  Raises :class:`EndpointError` when the server
    cannot be reached, refuses a request, or holds other counts afterwards.
    """
    if batch_size < 1:
        raise InputError(f"the batch size must be at least 1, not {batch_size}")
    if (user is None) != (password is None):
        raise EndpointError(f"give both a user and a password for {endpoint}, or neither")
    store_url = graph_store or graph_store_url(endpoint, authenticated=user is not None)
    sender = _GraphStore(store_url, user=user, password=password, timeout=timeout)
    counter = RemoteStore(endpoint, timeout=timeout, user=user, password=password)
    log = _Journal(Path(journal))
    graphs = {g: lines for g, lines in _graphs(nquads).items() if only is None or g in only}
    if graphs:
        # an empty addition first: a refusal (wrong credentials, no write right) costs no large upload
        sender.open(next(iter(graphs)))
    pushed = []
    for graph, lines in graphs.items():
        digest = hashlib.sha256("".join(lines).encode("utf-8")).hexdigest()
        size = len(lines) if _has_blank_nodes(lines) else batch_size
        batches = [lines[i:i + size] for i in range(0, len(lines), size)] or [[]]
        start = log.done(store_url, graph, digest)
        if start >= len(batches) and _count(counter, graph) == len(lines):
            pushed.append(PushedGraph(graph, len(lines), len(batches), 0, start))
            continue
        start = start if start < len(batches) else 0
        sent = _send(sender, log, graph, digest, batches, start, progress)
        held = _count(counter, graph)
        if held != len(lines) and start > 0:
            # the server lost batches it had acknowledged (a crash before they reached its disk): start over
            sent += _send(sender, log, graph, digest, batches, 0, progress)
            held = _count(counter, graph)
        if held != len(lines):
            raise EndpointError(f"graph <{graph}> on {endpoint} holds {held} triples after the push, "
                                f"not {len(lines)}")
        pushed.append(PushedGraph(graph, len(lines), len(batches), sent, start))
    from .graphsets import forget_served

    forget_served(endpoint)           # the server's plans and graphs have changed: read them again
    return PushResult(endpoint, store_url, tuple(pushed))
