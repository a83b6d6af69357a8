"""``push`` against a small in-process server that speaks the Graph Store Protocol and SPARQL, on 127.0.0.1.

The real servers (oxigraph and Virtuoso) are in ``test_push.py``; what is
tested here is what push asks of any server and what it makes of the answers:
the batches and their order, the journal and resuming, a server that lost what
it acknowledged, a refusal, a wrong count, logging in, and the time limit.  The
server keeps what it is sent in a pyoxigraph store and can be told to refuse a
request, to forget what it acknowledged, or to be slow.
"""

from __future__ import annotations

import base64
import json
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pyoxigraph as ox
import pytest

from antitraffick_kg.errors import EndpointError, InputError
from antitraffick_kg.store.push import PushProgress, PushResult, graph_store_url, push

G = "http://example.org/graph/g"
H = "http://example.org/graph/h"


class GraphStore(ThreadingHTTPServer):
    """The graph store at ``/store`` and the SPARQL endpoint at ``/query`` of one pyoxigraph store."""

    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.store = ox.Store()
        self.requests: list[tuple[str, str | None, int, str]] = []   # method, graph, lines, Authorization scheme
        self.refuse: dict[int, tuple[int, str]] = {}    # data request number (from 1) -> (status, body)
        self.forget_from: int | None = None             # acknowledge data requests from this one without keeping them
        self.login: tuple[str, str, str] | None = None  # (scheme, user, password) a write must carry
        self.delay = 0.0
        self.drop_one = False                           # keep all but one triple of every write
        self.count_answer: dict | None = None           # SPARQL JSON results to give every query instead
        self.challenge = True                           # a 401 says which scheme to log in with
        self.query_delay = 0.0
        self.types: set[str] = set()                    # the content types of the writes
        self.thread = threading.Thread(target=self.serve_forever, daemon=True)
        self.thread.start()

    @property
    def endpoint(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}/query"

    def held(self, graph: str) -> set[str]:
        return {f"{q.subject} {q.predicate} {q.object} .\n" for q in self.store.quads_for_pattern(
            None, None, None, ox.NamedNode(graph))}

    def data_requests(self) -> list[tuple[str, str | None, int, str]]:
        """The requests that carried triples (not the empty addition that opens a push)."""
        return [r for r in self.requests if r[2] > 0]

    def close(self) -> None:
        self.shutdown()
        self.server_close()


class _Handler(BaseHTTPRequestHandler):
    server: GraphStore

    def log_message(self, *args) -> None:  # quiet
        pass

    def _answer(self, status: int, body: bytes = b"", kind: str = "text/plain", headers: dict | None = None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        try:
            self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):     # a client that gave up waiting, as a timeout test asks
            pass

    def _body(self) -> bytes:
        return self.rfile.read(int(self.headers.get("Content-Length") or 0))

    def _authorized(self) -> bool:
        if self.server.login is None:
            return True
        scheme, user, password = self.server.login
        given = self.headers.get("Authorization", "")
        if scheme == "basic":
            return given == "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()
        return given.startswith("Digest ") and f'username="{user}"' in given

    def do_POST(self) -> None:
        url = urllib.parse.urlsplit(self.path)
        if url.path.endswith(("/query", "/sparql")):
            time.sleep(self.server.query_delay)
            text = urllib.parse.parse_qs(self._body().decode("utf-8"))["query"][0]
            if self.server.count_answer is not None:
                body = json.dumps(self.server.count_answer).encode("utf-8")
            else:
                body = self.server.store.query(text).serialize(format=ox.QueryResultsFormat.JSON)
            self._answer(200, body, "application/sparql-results+json")
        else:
            self._write("POST")

    def do_PUT(self) -> None:
        self._write("PUT")

    def _write(self, method: str) -> None:
        server = self.server
        graph = urllib.parse.parse_qs(urllib.parse.urlsplit(self.path).query).get("graph", [None])[0]
        body = self._body()
        lines = body.decode("utf-8").splitlines()
        scheme = self.headers.get("Authorization", "").split(" ", 1)[0]
        server.types.add(self.headers.get("Content-Type", "").lower())
        server.requests.append((method, graph, len(lines), scheme))
        time.sleep(server.delay)
        if not self._authorized():
            challenge = "Basic realm=\"test\"" if server.login[0] == "basic" else \
                'Digest realm="test", nonce="abc", qop="auth", algorithm=MD5'
            self._answer(401, b"Unauthorized\nlog in first\n",
                         headers={"WWW-Authenticate": challenge} if server.challenge else {})
            return
        number = len(server.data_requests())
        if lines and number in server.refuse:
            status, text = server.refuse[number]
            self._answer(status, text.encode("utf-8"))
            return
        if lines and not (server.forget_from is not None and number >= server.forget_from):
            node = ox.NamedNode(graph)
            if method == "PUT":
                server.store.remove_graph(node)
            triples = list(ox.parse(body, format=ox.RdfFormat.N_TRIPLES))
            if server.drop_one:
                triples = triples[1:]
            server.store.extend(ox.Quad(t.subject, t.predicate, t.object, node) for t in triples)
        self._answer(204)


@pytest.fixture
def server():
    srv = GraphStore()
    yield srv
    srv.close()


def _data(graph: str, n: int, *, first: int = 0) -> str:
    return "".join(f'<http://example.org/s{i:02d}> <http://example.org/p> "{i}" <{graph}> .\n'
                   for i in range(first, first + n))


def _lines(graph: str, n: int) -> set[str]:
    return {f'<http://example.org/s{i:02d}> <http://example.org/p> "{i}" .\n' for i in range(n)}


def test_a_push_sends_sorted_batches_the_first_replacing_the_graph_and_reports_each(server, tmp_path):
    steps: list[PushProgress] = []
    # given out of order, with one line twice: sent sorted, once each
    data = (_data(H, 3) + _data(G, 15, first=10) + _data(G, 10) + _data(G, 1)).encode("utf-8")
    result = push(data, endpoint=server.endpoint, journal=tmp_path / "j.json", batch_size=10, progress=steps.append)
    assert result == PushResult(server.endpoint, server.endpoint[:-len("query")] + "store", (
        # graphs in order of their names
        _pushed(G, 25, 3, 3, 0), _pushed(H, 3, 1, 1, 0)))
    assert result.triples == 28
    # an empty addition opens the push, then each batch: PUT first, POST after
    assert server.requests == [("POST", G, 0, ""), ("PUT", G, 10, ""), ("POST", G, 10, ""), ("POST", G, 5, ""),
                               ("PUT", H, 3, "")]
    assert steps == [PushProgress(G, 1, 3), PushProgress(G, 2, 3), PushProgress(G, 3, 3), PushProgress(H, 1, 1)]
    assert server.held(G) == _lines(G, 25) and len(server.held(H)) == 3
    assert server.types == {"application/n-triples; charset=utf-8"}
    journal = json.loads((tmp_path / "j.json").read_text(encoding="utf-8"))
    assert sorted(journal) == [result.graph_store] and sorted(journal[result.graph_store]) == [G, H]
    assert [journal[result.graph_store][g]["done"] for g in (G, H)] == [3, 1]


def _pushed(graph: str, triples: int, batches: int, sent: int, resumed_at: int):
    from antitraffick_kg.store.push import PushedGraph

    return PushedGraph(graph, triples, batches, sent, resumed_at)


def test_the_batches_of_a_push_are_the_same_on_every_run(server, tmp_path):
    data = _data(G, 25).encode("utf-8")
    push(data, endpoint=server.endpoint, journal=tmp_path / "a.json", batch_size=7)
    first = server.data_requests()
    server.requests.clear()
    backwards = "".join(reversed(data.decode("utf-8").splitlines(keepends=True))).encode("utf-8")
    push(backwards, endpoint=server.endpoint, journal=tmp_path / "b.json", batch_size=7)
    assert server.data_requests() == first == [("PUT", G, 7, ""), ("POST", G, 7, ""), ("POST", G, 7, ""),
                                               ("POST", G, 4, "")]


def test_a_second_push_of_the_same_data_sends_nothing(server, tmp_path):
    data = _data(G, 25).encode("utf-8")
    push(data, endpoint=server.endpoint, journal=tmp_path / "j.json", batch_size=10)
    server.requests.clear()
    again = push(data, endpoint=server.endpoint, journal=tmp_path / "j.json", batch_size=10)
    assert again.graphs == (_pushed(G, 25, 3, 0, 3),)
    assert server.data_requests() == []


def test_a_refused_batch_is_one_error_and_the_rerun_resumes_after_the_acknowledged_ones(server, tmp_path):
    data = _data(G, 25).encode("utf-8")
    server.refuse[3] = (500, "Internal error\ndisk full\n")
    with pytest.raises(EndpointError) as caught:
        push(data, endpoint=server.endpoint, journal=tmp_path / "j.json", batch_size=10)
    store_url = graph_store_url(server.endpoint)
    assert str(caught.value) == f"{store_url} refused POST of graph <{G}>: HTTP 500: disk full"
    journal = json.loads((tmp_path / "j.json").read_text(encoding="utf-8"))
    assert journal[store_url][G]["done"] == 2, "the journal holds the two batches the server acknowledged"
    assert len(server.held(G)) == 20
    server.refuse.clear()
    server.requests.clear()
    result = push(data, endpoint=server.endpoint, journal=tmp_path / "j.json", batch_size=10)
    assert result.graphs == (_pushed(G, 25, 3, 1, 2),)
    assert server.data_requests() == [("POST", G, 5, "")]
    assert server.held(G) == _lines(G, 25)


def test_a_refusal_without_a_body_names_the_status_alone(server, tmp_path):
    server.refuse[1] = (403, "")
    with pytest.raises(EndpointError) as caught:
        push(_data(G, 3).encode("utf-8"), endpoint=server.endpoint, journal=tmp_path / "j.json")
    assert str(caught.value) == f"{graph_store_url(server.endpoint)} refused PUT of graph <{G}>: HTTP 403"


@pytest.mark.parametrize("refused", [2, 3])
def test_batches_the_server_acknowledged_and_lost_are_sent_again_from_the_start(server, tmp_path, refused):
    data = _data(G, 25).encode("utf-8")
    server.refuse[refused] = (503, "busy")
    with pytest.raises(EndpointError):
        push(data, endpoint=server.endpoint, journal=tmp_path / "j.json", batch_size=10)
    server.refuse.clear()
    server.store.remove_graph(ox.NamedNode(G))          # a crash: the two acknowledged batches never reached disk
    server.requests.clear()
    steps: list[PushProgress] = []
    result = push(data, endpoint=server.endpoint, journal=tmp_path / "j.json", batch_size=10, progress=steps.append)
    done = refused - 1
    assert result.graphs == (_pushed(G, 25, 3, 3 - done + 3, done),)
    assert [r[0] for r in server.data_requests()] == ["POST"] * (3 - done) + ["PUT", "POST", "POST"]
    assert [s.batch for s in steps] == list(range(done + 1, 4)) + [1, 2, 3]
    assert server.held(G) == _lines(G, 25)
    server.requests.clear()
    again = push(data, endpoint=server.endpoint, journal=tmp_path / "j.json", batch_size=10)
    assert again.graphs == (_pushed(G, 25, 3, 0, 3),) and server.data_requests() == []


def test_a_graph_the_journal_calls_complete_but_the_server_lost_is_sent_again(server, tmp_path):
    data = _data(G, 25).encode("utf-8")
    push(data, endpoint=server.endpoint, journal=tmp_path / "j.json", batch_size=10)
    server.store.remove_graph(ox.NamedNode(G))
    result = push(data, endpoint=server.endpoint, journal=tmp_path / "j.json", batch_size=10)
    assert result.graphs == (_pushed(G, 25, 3, 3, 0),)
    assert server.held(G) == _lines(G, 25)


def test_changed_data_replaces_the_graph_from_the_first_batch(server, tmp_path):
    push(_data(G, 25).encode("utf-8"), endpoint=server.endpoint, journal=tmp_path / "j.json", batch_size=10)
    server.requests.clear()
    result = push(_data(G, 12).encode("utf-8"), endpoint=server.endpoint, journal=tmp_path / "j.json", batch_size=10)
    assert result.graphs == (_pushed(G, 12, 2, 2, 0),)
    assert server.data_requests() == [("PUT", G, 10, ""), ("POST", G, 2, "")]
    assert server.held(G) == _lines(G, 12)


def test_a_graph_with_blank_nodes_goes_whole_in_one_request(server, tmp_path):
    data = (_data(G, 12) + f'_:b <http://example.org/p> "x" <{G}> .\n'
            f'<http://example.org/s> <http://example.org/q> _:b <{G}> .\n').encode("utf-8")
    result = push(data, endpoint=server.endpoint, journal=tmp_path / "j.json", batch_size=5)
    assert result.graphs == (_pushed(G, 14, 1, 1, 0),)
    assert server.data_requests() == [("PUT", G, 14, "")]


def test_only_the_graphs_asked_for_are_pushed(server, tmp_path):
    data = (_data(G, 4) + _data(H, 3)).encode("utf-8")
    result = push(data, endpoint=server.endpoint, journal=tmp_path / "j.json", only=[H])
    assert [g.graph for g in result.graphs] == [H]
    assert server.requests == [("POST", H, 0, ""), ("PUT", H, 3, "")] and server.held(G) == set()
    assert push(data, endpoint=server.endpoint, journal=tmp_path / "j.json", only=[]).graphs == ()
    assert server.requests[2:] == [], "nothing to push: not even the opening request"


def test_a_server_that_holds_another_count_afterwards_is_an_error(server, tmp_path):
    server.drop_one = True
    with pytest.raises(EndpointError) as caught:
        push(_data(G, 25).encode("utf-8"), endpoint=server.endpoint, journal=tmp_path / "j.json", batch_size=10)
    assert str(caught.value) == f"graph <{G}> on {server.endpoint} holds 22 triples after the push, not 25"
    assert len(server.data_requests()) == 3, "a fresh push is not sent twice"


@pytest.mark.parametrize("scheme, opening", [
    ("basic", [("POST", 0, ""), ("POST", 0, "Basic")]),
    # a digest answers a challenge, so the first request with it goes without, and again with the answer
    ("digest", [("POST", 0, ""), ("POST", 0, ""), ("POST", 0, "Digest")])])
def test_credentials_are_sent_with_every_batch_in_the_scheme_the_server_asks_for(server, tmp_path, scheme, opening):
    server.login = (scheme, "writer", "secret")
    push(_data(G, 25).encode("utf-8"), endpoint=server.endpoint, graph_store=graph_store_url(server.endpoint),
         journal=tmp_path / "j.json", batch_size=10, user="writer", password="secret")
    # the empty addition meets the challenge; every batch then logs in up front, never sent only to be refused
    assert {g for _m, g, _n, _s in server.requests} == {G}, "the opening requests name the graph too"
    assert [(m, n, s) for m, _g, n, s in server.requests] == opening + [
        ("PUT", 10, scheme.capitalize()), ("POST", 10, scheme.capitalize()), ("POST", 5, scheme.capitalize())]
    assert server.held(G) == _lines(G, 25)


def test_wrong_credentials_are_one_error_naming_where_they_come_from(server, tmp_path):
    server.login = ("basic", "writer", "secret")
    store_url = graph_store_url(server.endpoint)
    with pytest.raises(EndpointError) as caught:
        push(_data(G, 3).encode("utf-8"), endpoint=server.endpoint, graph_store=store_url,
             journal=tmp_path / "j.json", user="writer", password="wrong")
    assert str(caught.value) == (f"{store_url} refused POST of graph <{G}>: HTTP 401: log in first (check the user "
                                 "and password in ANTITRAFFICK_KG_ENDPOINT_USER and ANTITRAFFICK_KG_ENDPOINT_PASSWORD)")
    server.requests.clear()
    with pytest.raises(EndpointError, match=r"refused POST of graph <.*>: HTTP 401: log in first \(check"):
        push(_data(G, 3).encode("utf-8"), endpoint=server.endpoint, journal=tmp_path / "j.json")
    assert len(server.requests) == 1, "without credentials a challenge is not answered"
    assert server.data_requests() == []


def test_a_slow_graph_store_is_an_error_after_the_time_limit(server, tmp_path):
    server.delay = 1.0
    started = time.monotonic()
    with pytest.raises(EndpointError) as caught:
        push(_data(G, 3).encode("utf-8"), endpoint=server.endpoint, journal=tmp_path / "j.json", timeout=0.25)
    assert str(caught.value) == f"graph store {graph_store_url(server.endpoint)} did not answer within 0.25 s"
    assert time.monotonic() - started < 1.0


def test_a_graph_store_nobody_answers_at_is_an_error_naming_it(tmp_path):
    from servers import free_port

    endpoint = f"http://127.0.0.1:{free_port()}/query"
    with pytest.raises(EndpointError) as caught:
        push(_data(G, 3).encode("utf-8"), endpoint=endpoint, journal=tmp_path / "j.json")
    assert str(caught.value).startswith(f"cannot reach graph store {graph_store_url(endpoint)}: ")
    assert "\n" not in str(caught.value) and caught.value.__cause__ is None
    assert str(caught.value).endswith("Connection refused")         # what the system said, not a class name


def test_why_a_graph_store_cannot_be_reached_is_found_wherever_the_http_library_keeps_it():
    """What the system said is looked for in every error of the chain, breadth first: the cause, the context, the
    ``reason`` urllib3 keeps it in, and the arguments; each error is looked at once (a chain may loop), and where
    none of them says anything the message names the outermost error."""
    from requests.exceptions import ConnectionError as RequestsConnectionError
    from urllib3.exceptions import MaxRetryError, ProtocolError

    from antitraffick_kg.store.push import _why

    refused = ConnectionRefusedError(111, "Connection refused")
    assert _why(MaxRetryError(None, "http://127.0.0.1:9/store", reason=refused)) == "[Errno 111] Connection refused"
    wrapped = RequestsConnectionError(refused)
    wrapped.__cause__ = ProtocolError("Connection aborted.")      # looked at first, says nothing, has nothing inside
    assert _why(wrapped) == "[Errno 111] Connection refused"
    inner = ProtocolError("Connection aborted.")
    outer = RequestsConnectionError(inner)
    inner.__cause__ = outer                                        # a loop, and no words of the system anywhere
    answer: list[str] = []
    worker = threading.Thread(target=lambda: answer.append(_why(outer)), daemon=True)
    worker.start()
    worker.join(5)
    assert answer == ["ConnectionError"]


def test_a_netrc_file_lends_no_credentials_to_a_push_that_was_given_none(server, tmp_path, monkeypatch):
    """Push sends a login only when it is given one: a netrc file (``NETRC`` or ``~/.netrc``) with a login for the
    server's host is not read, so no credentials reach a server the user did not give them for."""
    netrc = tmp_path / "netrc"
    netrc.write_text("machine 127.0.0.1 login lent password from-netrc\n", encoding="utf-8")
    netrc.chmod(0o600)
    monkeypatch.setenv("NETRC", str(netrc))
    monkeypatch.setenv("HOME", str(tmp_path))
    push(_data(G, 3).encode("utf-8"), endpoint=server.endpoint, journal=tmp_path / "j.json")
    assert server.held(G) == _lines(G, 3)
    assert [s for _m, _g, _n, s in server.requests] == ["", ""], "no Authorization header on any write"


def test_an_unreadable_journal_costs_only_a_fresh_start(server, tmp_path):
    journal = tmp_path / "j.json"
    journal.write_text("{ not json", encoding="utf-8")
    result = push(_data(G, 25).encode("utf-8"), endpoint=server.endpoint, journal=journal, batch_size=10)
    assert result.graphs == (_pushed(G, 25, 3, 3, 0),)
    text = journal.read_text(encoding="utf-8")
    entry = json.loads(text)[graph_store_url(server.endpoint)][G]
    assert entry == {"digest": entry["digest"], "done": 3} and len(entry["digest"]) == 64
    assert text == json.dumps(json.loads(text), indent=1, sort_keys=True)


def test_what_push_refuses_before_it_sends_anything(server, tmp_path):
    with pytest.raises(InputError) as caught:
        push(_data(G, 3).encode("utf-8"), endpoint=server.endpoint, journal=tmp_path / "j.json", batch_size=0)
    assert str(caught.value) == "the batch size must be at least 1, not 0"
    with pytest.raises(EndpointError) as caught:
        push(_data(G, 3).encode("utf-8"), endpoint=server.endpoint, journal=tmp_path / "j.json", user="writer")
    assert str(caught.value) == f"give both a user and a password for {server.endpoint}, or neither"
    with pytest.raises(InputError) as caught:
        push(b'<http://example.org/s> <http://example.org/p> "x" .\n', endpoint=server.endpoint,
             journal=tmp_path / "j.json")
    assert str(caught.value) == "the dataset to push has triples outside a named graph"
    assert server.requests == [] and not (tmp_path / "j.json").exists()


def test_the_graph_store_address_keeps_the_path_and_drops_query_and_fragment():
    assert graph_store_url("https://h.example:8443/db/sparql?x=1#top") == "https://h.example:8443/db/sparql-graph-crud"
    assert graph_store_url("http://h.example/a/query", authenticated=True) == "http://h.example/a/store"
    assert graph_store_url("http://h.example/sparql", authenticated=True) == "http://h.example/sparql-graph-crud-auth"
    with pytest.raises(EndpointError) as caught:
        graph_store_url("http://h.example/sparql/")
    assert str(caught.value) == "cannot tell the graph store of http://h.example/sparql/; give it with --graph-store"


@pytest.mark.parametrize("line", [f'_:b <http://example.org/p> "x" <{G}> .\n',
                                  f'<http://example.org/s> <http://example.org/q> _:b <{G}> .\n'])
def test_a_blank_node_as_subject_or_as_object_alone_sends_the_graph_whole(server, tmp_path, line):
    result = push((_data(G, 12) + line).encode("utf-8"), endpoint=server.endpoint, journal=tmp_path / "j.json",
                  batch_size=5)
    assert result.graphs == (_pushed(G, 13, 1, 1, 0),)
    assert server.data_requests() == [("PUT", G, 13, "")]


def test_one_journal_keeps_each_servers_graphs_in_order(server, tmp_path):
    other = GraphStore()
    try:
        first, second = sorted([server, other], key=lambda s: s.endpoint, reverse=True)
        for srv in (first, second):
            push(_data(H, 2).encode("utf-8") + _data(G, 2).encode("utf-8"), endpoint=srv.endpoint,
                 journal=tmp_path / "j.json")
    finally:
        other.close()
    text = (tmp_path / "j.json").read_text(encoding="utf-8")
    journal = json.loads(text)
    assert list(journal) == sorted(graph_store_url(s.endpoint) for s in (first, second))
    assert text == json.dumps(journal, indent=1, sort_keys=True)


@pytest.mark.parametrize("answer, message", [
    ({"head": {"vars": ["n"]}, "results": {"bindings": [{}]}}, "holds 0 triples after the push, not 3"),
    ({"head": {"vars": ["n"]}, "results": {"bindings": []}}, "did not answer the triple count of <" + G + ">"),
    ({"head": {"vars": ["n"]}, "results": {"bindings": [{"n": {"type": "literal", "value": "many"}}]}},
     "did not answer the triple count of <" + G + ">"),
])
def test_a_count_the_server_does_not_give_is_an_error(server, tmp_path, answer, message):
    server.count_answer = answer
    with pytest.raises(EndpointError) as caught:
        push(_data(G, 3).encode("utf-8"), endpoint=server.endpoint, journal=tmp_path / "j.json")
    assert str(caught.value).endswith(message) and str(caught.value).count("\n") == 0


def test_a_refusal_is_any_status_from_300_and_its_last_line_is_cut_at_200_characters(server, tmp_path):
    server.refuse[1] = (300, "several choices\n" + "x" * 300 + "\n")
    with pytest.raises(EndpointError) as caught:
        push(_data(G, 3).encode("utf-8"), endpoint=server.endpoint, journal=tmp_path / "j.json")
    assert str(caught.value) == f"{graph_store_url(server.endpoint)} refused PUT of graph <{G}>: HTTP 300: " + "x" * 200


def test_a_login_asked_for_without_a_scheme_is_tried_as_basic(server, tmp_path):
    server.login, server.challenge = ("basic", "writer", "secret"), False
    push(_data(G, 3).encode("utf-8"), endpoint=server.endpoint, graph_store=graph_store_url(server.endpoint),
         journal=tmp_path / "j.json", user="writer", password="secret")
    assert [r[3] for r in server.requests] == ["", "Basic", "Basic"] and len(server.held(G)) == 3


def test_a_batch_of_one_triple_is_allowed(server, tmp_path):
    result = push(_data(G, 3).encode("utf-8"), endpoint=server.endpoint, journal=tmp_path / "j.json", batch_size=1)
    assert result.graphs == (_pushed(G, 3, 3, 3, 0),)


@pytest.mark.parametrize("user, store", [(None, "/sparql-graph-crud"), ("writer", "/sparql-graph-crud-auth")])
def test_a_virtuoso_style_endpoint_gets_the_graph_store_for_a_login_or_none(server, tmp_path, user, store):
    endpoint = server.endpoint[:-len("/query")] + "/sparql"
    result = push(_data(G, 3).encode("utf-8"), endpoint=endpoint, journal=tmp_path / "j.json", user=user,
                  password=None if user is None else "secret")
    assert result.graph_store == endpoint[:-len("/sparql")] + store and len(server.held(G)) == 3


def test_the_count_is_held_to_the_time_limit_too(server, tmp_path):
    server.query_delay = 1.0
    with pytest.raises(EndpointError, match="did not answer within 0.5 s"):
        push(_data(G, 3).encode("utf-8"), endpoint=server.endpoint, journal=tmp_path / "j.json", timeout=0.5)


def test_a_graph_the_server_holds_is_skipped_and_the_next_one_still_sent(server, tmp_path):
    push((_data(G, 4) + _data(H, 3)).encode("utf-8"), endpoint=server.endpoint, journal=tmp_path / "j.json")
    result = push((_data(G, 4) + _data(H, 5)).encode("utf-8"), endpoint=server.endpoint, journal=tmp_path / "j.json")
    assert result.graphs == (_pushed(G, 4, 1, 0, 1), _pushed(H, 5, 1, 1, 0)) and len(server.held(H)) == 5
