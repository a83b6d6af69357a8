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
* passes everything else through unchanged (the query page, its scripts,
  results in every format), bounded by the time limit: an answer slower than
  ``timeout`` seconds becomes ``504``.
"""

from __future__ import annotations

import errno
import http.client
import signal
import socket
import threading
import urllib.parse
from collections.abc import Collection
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from ..errors import EndpointError, QueryError, ServiceRefusedError
from .policy import check_outbound

__all__ = ["Front", "open_front"]

#: largest request body the front reads (a query, a form)
MAX_BODY = 1 << 20
_HOP_BY_HOP = {"connection", "keep-alive", "proxy-authenticate", "proxy-authorization", "te", "trailers",
               "transfer-encoding", "upgrade", "host", "content-length"}


class Front(ThreadingHTTPServer):
    """An HTTP server that checks queries and passes them to the oxigraph server at ``backend``."""

    daemon_threads = True
    allow_reuse_address = False     # a port in use must be reported, not shared

    def __init__(self, address: tuple[str, int], *, allow_service: Collection[str], timeout: float) -> None:
        family = socket.AF_INET6 if ":" in address[0] else socket.AF_INET
        self.address_family = family
        super().__init__(address, _Handler)
        self.allow_service = frozenset(allow_service)
        self.timeout_s = timeout
        self.backend: tuple[str, int] | None = None

    def start(self, backend: tuple[str, int]) -> None:
        """Pass queries to ``backend`` from now on, serving in a background thread."""
        self.backend = backend
        threading.Thread(target=self._serve, name="antitraffick-kg-front", daemon=True).start()

    def _serve(self) -> None:
        # Ctrl-C and kill must reach the main thread, which waits for the oxigraph server: a signal the
        # kernel hands to this thread (or to a request's thread, which inherits the mask) would set Python's
        # flag but not wake the main thread's wait, and the command would not stop.
        if hasattr(signal, "pthread_sigmask"):
            signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT, signal.SIGTERM})
        self.serve_forever()

    def stop(self) -> None:
        if self.backend is not None:
            self.shutdown()
        self.server_close()


def open_front(host: str, port: int, *, allow_service: Collection[str] = (), timeout: float = 30.0) -> Front:
    """A front bound to ``host``:``port`` (0 picks a free port), not serving yet.

    Raises :class:`EndpointError` when the port is in use or cannot be bound.
    """
    try:
        return Front((host, port), allow_service=allow_service, timeout=timeout)
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

    # -- verbs ------------------------------------------------------------------
    def do_GET(self) -> None:
        self._handle(b"")

    def do_HEAD(self) -> None:
        self._handle(b"")

    def do_POST(self) -> None:
        length = self.headers.get("Content-Length")
        if length is None or not length.isdigit():
            return self._refuse(411, "a POST needs a Content-Length")
        if int(length) > MAX_BODY:
            return self._refuse(413, f"the request body is over {MAX_BODY} bytes")
        self._handle(self.rfile.read(int(length)))

    def _other(self) -> None:
        self._refuse(405, "read-only endpoint: only GET, HEAD and POST are answered")

    do_PUT = do_DELETE = do_PATCH = do_OPTIONS = _other

    # -- the check --------------------------------------------------------------
    def _handle(self, body: bytes) -> None:
        url = urllib.parse.urlsplit(self.path)
        fields = urllib.parse.parse_qs(url.query, keep_blank_values=True)
        kind = (self.headers.get("Content-Type") or "").split(";")[0].strip().lower()
        queries = list(fields.get("query", []))
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
        for text in queries:
            try:
                check_outbound(text, allow=self.server.allow_service)
            except ServiceRefusedError as exc:
                return self._refuse(403, str(exc))
            except QueryError as exc:
                return self._refuse(400, str(exc))
        self._forward(body)

    # -- answers ----------------------------------------------------------------
    def _refuse(self, status: int, message: str) -> None:
        data = (message + "\n").encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", "text/plain; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(data)

    def _forward(self, body: bytes) -> None:
        host, port = self.server.backend or ("127.0.0.1", 0)
        headers = {k: v for k, v in self.headers.items() if k.lower() not in _HOP_BY_HOP}
        connection = http.client.HTTPConnection(host, port, timeout=self.server.timeout_s)
        try:
            connection.request(self.command, self.path, body=body or None, headers=headers)
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
