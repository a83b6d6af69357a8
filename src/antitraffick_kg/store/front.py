"""The filtering front of ``antitraffick-kg serve``: what callers reach instead of the oxigraph server.

The ``oxigraph`` server runs any ``SERVICE`` a query names, so a caller could
make it fetch any URL and read the reply (a server-side request forgery), and
it has no option to refuse.  The server therefore listens on a loopback port
of its own, and callers talk to this front, which

* checks every query (``query`` in the URL or a form, or a
  ``application/sparql-query`` body) with :func:`~antitraffick_kg.store.policy.check_outbound`:
  a ``SERVICE`` to a server not on the allow-list is answered ``403`` and never
  reaches the oxigraph server;
* refuses updates (``/update``, an ``update`` form field, an
  ``application/sparql-update`` body) and every method but GET, HEAD and POST;
* answers at the names of the graphs itself, with a page or RDF for each
  (:mod:`~antitraffick_kg.store.linked`), and serves the dumps of ``--dumps-dir``;
* passes everything else through unchanged (the query page, its scripts,
  results in every format), bounded by the time limit: an answer slower than
  ``timeout`` seconds becomes ``504``;
* asks for the union of the graphs as default graph (the oxigraph server's ``union-default-graph``
  parameter) only for a query that names no graphs of its own: a query with ``FROM`` or ``FROM NAMED``
  clauses, or the protocol's ``default-graph-uri`` / ``named-graph-uri``, is answered over the graphs it
  names (the oxigraph server started with ``--union-default-graph`` would ignore its ``FROM`` clauses).

Slow clients are bounded: a request (its line, headers and body) must arrive
within ``read_timeout`` seconds of the connection being ready for it (a kept-alive
connection waiting for its next request included), else the connection is
closed; and at most ``max_connections`` connections are open at once: when a
new one comes, the connection that has waited longest for its request is
closed to make room (so slow clients cannot lock out a quick one), and when
every open connection is busy with a request, the new one is answered ``503``
and closed at once.  A watchdog thread closes the
connections that are late, so a client that trickles a byte now and then does
not keep its thread.
"""

from __future__ import annotations

import errno
import http.client
import signal
import socket
import sys
import threading
import time
import urllib.parse
from collections.abc import Collection
from typing import TYPE_CHECKING
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from ..errors import EndpointError, QueryError, ServiceRefusedError
from .policy import check_outbound, outbound_targets

if TYPE_CHECKING:
    from .linked import Answer, LinkedData

__all__ = ["Front", "open_front"]

#: largest request body the front reads (a query, a form)
MAX_BODY = 1 << 20
#: the protocol's parameters that name a query's graphs, and the oxigraph server's that asks for their union
_DATASET_PARAMETERS = ("default-graph-uri", "named-graph-uri")
_UNION = "union-default-graph"
_HOP_BY_HOP = {"connection", "keep-alive", "proxy-authenticate", "proxy-authorization", "te", "trailers",
               "transfer-encoding", "upgrade", "host", "content-length"}


class Front(ThreadingHTTPServer):
    """An HTTP server that checks queries and passes them to the oxigraph server at ``backend``."""

    daemon_threads = True
    allow_reuse_address = False     # a port in use must be reported, not shared
    # connections the kernel holds until they are accepted: the stdlib's 5 made a burst of clients wait unseen
    # (a client whose handshake the full queue dropped believes it is connected), instead of being taken and
    # then bounded (closed when slow, 503 when every place is busy)
    request_queue_size = 128

    def __init__(self, address: tuple[str, int], *, allow_service: Collection[str], timeout: float,
                 read_timeout: float = 10.0, max_connections: int = 100) -> None:
        family = socket.AF_INET6 if ":" in address[0] else socket.AF_INET
        self.address_family = family
        super().__init__(address, _Handler)
        self.allow_service = frozenset(allow_service)
        self.timeout_s = timeout
        self.read_timeout = read_timeout
        self.max_connections = max_connections
        self.backend: tuple[str, int] | None = None
        self.linked: LinkedData | None = None
        self.refused = 0            # connections over max_connections, answered 503
        self.timed_out = 0          # connections closed because their request was late, or to make room
        self._lock = threading.Lock()
        self._open: dict[socket.socket, float | None] = {}    # open connection -> when its request is due
        self._late: set[socket.socket] = set()
        self._stopped = threading.Event()

    def start(self, backend: tuple[str, int], *, linked: "LinkedData | None" = None) -> None:
        """Pass queries to ``backend`` from now on, serving in a background thread; answer the names of
        the graphs with ``linked``."""
        self.backend = backend
        self.linked = linked
        threading.Thread(target=self._serve, name="antitraffick-kg-front", daemon=True).start()
        threading.Thread(target=self._watch, name="antitraffick-kg-watchdog", daemon=True).start()

    # -- the bounds on slow clients ---------------------------------------------
    def process_request(self, request, client_address) -> None:
        with self._lock:
            evict = None
            # the places taken: connections closed for being late are on their way out and take none
            active = [(due, c) for c, due in self._open.items() if c not in self._late]
            if len(active) >= self.max_connections:
                waiting = [(due, c) for due, c in active if due is not None]
                if waiting:          # make room: close the connection that has waited longest for its request
                    evict = min(waiting, key=lambda x: x[0])[1]
                    self._open[evict] = None
                    self._late.add(evict)
                    self.timed_out += 1
            full = len(active) - (evict is not None) >= self.max_connections
            if full:
                self.refused += 1
            else:
                self._open[request] = time.monotonic() + self.read_timeout
        if evict is not None:
            try:
                evict.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
        if full:
            try:
                request.setblocking(False)
                request.send(b"HTTP/1.1 503 Service Unavailable\r\nContent-Type: text/plain\r\n"
                             b"Content-Length: 32\r\nConnection: close\r\n\r\ntoo many connections; try again\n")
            except OSError:
                pass
            self.shutdown_request(request)
            return
        super().process_request(request, client_address)

    def process_request_thread(self, request, client_address) -> None:
        try:
            super().process_request_thread(request, client_address)
        finally:
            with self._lock:
                self._open.pop(request, None)
                self._late.discard(request)

    def handle_error(self, request, client_address) -> None:
        exc = sys.exc_info()[1]
        if isinstance(exc, OSError):     # a client gone, or closed for being late: nothing to report
            return
        print(f"Error: answering {client_address[0]}: {type(exc).__name__}: {exc}", file=sys.stderr)

    def is_late(self, connection: socket.socket) -> bool:
        """Whether the watchdog closed ``connection`` for being slow to send its request."""
        with self._lock:
            return connection in self._late

    def expect_request(self, connection: socket.socket, waiting: bool) -> None:
        """Start (``waiting``) or stop the clock on reading a request from ``connection``."""
        with self._lock:
            if connection in self._open:
                self._open[connection] = time.monotonic() + self.read_timeout if waiting else None

    def _watch(self) -> None:
        if hasattr(signal, "pthread_sigmask"):
            signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT, signal.SIGTERM})
        step = min(0.5, self.read_timeout / 4)
        while not self._stopped.wait(step):
            now = time.monotonic()
            with self._lock:
                late = [c for c, due in self._open.items() if due is not None and due < now]
                for c in late:
                    self._open[c] = None
                    self._late.add(c)
                self.timed_out += len(late)
            for c in late:
                try:
                    c.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass

    def _serve(self) -> None:
        # Ctrl-C and kill must reach the main thread, which waits for the oxigraph server: a signal the
        # kernel hands to this thread (or to a request's thread, which inherits the mask) would set Python's
        # flag but not wake the main thread's wait, and the command would not stop.
        if hasattr(signal, "pthread_sigmask"):
            signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT, signal.SIGTERM})
        self.serve_forever()

    def stop(self) -> None:
        self._stopped.set()
        if self.backend is not None:
            self.shutdown()
        self.server_close()


def open_front(host: str, port: int, *, allow_service: Collection[str] = (), timeout: float = 30.0,
               read_timeout: float = 10.0, max_connections: int = 100) -> Front:
    """A front bound to ``host``:``port`` (0 picks a free port), not serving yet.

    A request must arrive within ``read_timeout`` seconds; at most ``max_connections`` are open at once.
    Raises :class:`EndpointError` when the port is in use or cannot be bound.
    """
    try:
        return Front((host, port), allow_service=allow_service, timeout=timeout, read_timeout=read_timeout,
                     max_connections=max_connections)
    except OSError as exc:
        if exc.errno == errno.EADDRINUSE:
            raise EndpointError(f"port {port} on {host} is in use; stop what uses it or choose "
                                "another with --port") from None
        raise EndpointError(f"cannot listen on {host}:{port}: {exc.strerror or exc}") from None


class _Handler(BaseHTTPRequestHandler):
    server: Front
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args) -> None:  # noqa: A002 - the base class's name
        return                                         # quiet: the command prints its own lines

    def setup(self) -> None:
        super().setup()
        # a write to a client that does not read, or a read the watchdog has not reached yet, ends too
        self.connection.settimeout(max(self.server.read_timeout, self.server.timeout_s))

    def handle_one_request(self) -> None:
        self.server.expect_request(self.connection, True)
        super().handle_one_request()

    def parse_request(self) -> bool:
        ok = super().parse_request()
        if self.server.is_late(self.connection):     # the headers ended because the connection was closed
            self.close_connection = True
            return False
        return ok

    # -- verbs ------------------------------------------------------------------
    def do_GET(self) -> None:
        self.server.expect_request(self.connection, False)
        try:
            answer = self.server.linked.answer(self.path, self.headers.get("Accept")) if self.server.linked else None
        except Exception as exc:   # noqa: BLE001 - one line to the caller, never a traceback on the console
            return self._refuse(500, f"cannot answer {self.path}: {type(exc).__name__}: {exc}")
        if answer is not None:
            return self._send(answer)
        self._handle(b"")

    do_HEAD = do_GET

    def do_POST(self) -> None:
        length = self.headers.get("Content-Length")
        if length is None or not length.isdigit():
            return self._refuse(411, "a POST needs a Content-Length")
        if int(length) > MAX_BODY:
            return self._refuse(413, f"the request body is over {MAX_BODY} bytes")
        body = self.rfile.read(int(length))
        self.server.expect_request(self.connection, False)
        self._handle(body)

    def _other(self) -> None:
        self._refuse(405, "read-only endpoint: only GET, HEAD and POST are answered")

    do_PUT = do_DELETE = do_PATCH = do_OPTIONS = _other

    # -- the check --------------------------------------------------------------
    def _handle(self, body: bytes) -> None:
        url = urllib.parse.urlsplit(self.path)
        fields = urllib.parse.parse_qs(url.query, keep_blank_values=True)
        kind = (self.headers.get("Content-Type") or "").split(";")[0].strip().lower()
        queries = list(fields.get("query", []))
        form: dict[str, list[str]] = {}
        if kind == "application/x-www-form-urlencoded":
            form = urllib.parse.parse_qs(body.decode("utf-8", "replace"), keep_blank_values=True)
            queries += form.get("query", [])
            if "update" in form:
                return self._refuse(403, "read-only endpoint: updates are refused")
        elif kind == "application/sparql-query":
            queries.append(body.decode("utf-8", "replace"))
        elif kind == "application/sparql-update":
            return self._refuse(403, "read-only endpoint: updates are refused")
        if url.path.rstrip("/").endswith("/update") or "update" in fields:
            return self._refuse(403, "read-only endpoint: updates are refused")
        own_dataset = any(k in fields or k in form for k in _DATASET_PARAMETERS)
        for text in queries:
            try:
                check_outbound(text, allow=self.server.allow_service)
                own_dataset = own_dataset or any(t.kind == "from" for t in outbound_targets(text))
            except ServiceRefusedError as exc:
                return self._refuse(403, str(exc))
            except QueryError as exc:
                return self._refuse(400, str(exc))
        self._forward(body, union=bool(queries) and not own_dataset)

    # -- answers ----------------------------------------------------------------
    def _send(self, answer: "Answer") -> None:
        kind = answer.media_type + ("; charset=utf-8" if answer.media_type.startswith("text/") else "")
        self.send_response(answer.status)
        self.send_header("Content-Type", kind)
        for key, value in answer.headers.items():
            self.send_header(key, value)
        self.send_header("Content-Length", str(len(answer.body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(answer.body)

    def _refuse(self, status: int, message: str) -> None:
        data = (message + "\n").encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", "text/plain; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(data)

    def _forward(self, body: bytes, *, union: bool = False) -> None:
        """Pass the request on; ``union``: ask for the union of the graphs as default graph."""
        host, port = self.server.backend or ("127.0.0.1", 0)
        headers = {k: v for k, v in self.headers.items() if k.lower() not in _HOP_BY_HOP}
        path = self.path + ("&" if "?" in self.path else "?") + _UNION if union else self.path
        connection = http.client.HTTPConnection(host, port, timeout=self.server.timeout_s)
        try:
            connection.request(self.command, path, body=body or None, headers=headers)
            answer = connection.getresponse()
            data = answer.read()
        except (TimeoutError, socket.timeout):
            return self._refuse(504, f"no answer within {self.server.timeout_s:g} s")
        except OSError as exc:
            return self._refuse(502, f"the oxigraph server cannot be reached: {exc}")
        finally:
            connection.close()
        self.send_response(answer.status, answer.reason)
        for key, value in answer.getheaders():
            if key.lower() not in _HOP_BY_HOP:
                self.send_header(key, value)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(data)
