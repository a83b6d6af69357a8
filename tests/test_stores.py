"""One battery on every store: pyoxigraph, rdflib and a real oxigraph server; remote errors and credentials."""

from __future__ import annotations

import base64
import http.server
import json
import shutil
import socket
import sys
import threading
import time

import pyoxigraph as ox
import pytest

from conftest import require

from antitraffick_kg.ask.catalogue import catalogue
from antitraffick_kg.errors import EndpointError, InputError, QueryError
from antitraffick_kg.pipeline.build import input_stamp
from antitraffick_kg.ask.query import query
from antitraffick_kg.pipeline.sources import open_store, serve_plan
from antitraffick_kg.store.stores import (ENV_PASSWORD, ENV_USER, OxigraphStore, RdflibStore, RemoteStore, oxigraph_binary,
                                    sort_rows, with_values)

from test_queries import PLAN

CATALOGUE = catalogue()


@pytest.fixture(scope="module")
def reference(build_dir):
    """Every catalogue query's rows (with its example parameters) on the embedded default store."""
    store = open_store("oxigraph", build_dir=build_dir)
    return {q.name: query(q.name, params=q.example_params(), store=store) for q in CATALOGUE}


@pytest.fixture(scope="module")
def served(build_dir):
    """A real oxigraph server on 127.0.0.1, started and stopped here."""
    try:
        oxigraph_binary()
    except EndpointError as exc:
        require(False, str(exc))
    with serve_plan((PLAN,), build_dir=build_dir) as endpoint:
        yield endpoint
    assert endpoint.process.poll() is not None, "the server must be stopped"


@pytest.fixture(scope="module", params=["rdflib", pytest.param("remote", marks=pytest.mark.server)])
def other_store(request, build_dir):
    if request.param == "rdflib":
        return open_store("rdflib", build_dir=build_dir)
    return RemoteStore(request.getfixturevalue("served").query_url, timeout=30)


@pytest.mark.parametrize("name", [q.name for q in CATALOGUE])
def test_every_query_gives_identical_rows_on_every_store(other_store, reference, name):
    q = next(q for q in CATALOGUE if q.name == name)
    result = query(name, params=q.example_params(), store=other_store)
    assert result.columns == reference[name].columns
    assert result.rows == reference[name].rows
    assert len(result) > 0


# -- the shared interface ------------------------------------------------------------------------
def test_an_rdflib_graph_of_ones_own_is_a_store():
    from rdflib import Graph, Literal, URIRef

    g = Graph()
    g.add((URIRef("http://ex/a"), URIRef("http://ex/p"), Literal("x")))
    columns, rows = RdflibStore(g).select("SELECT ?s WHERE { ?s ?p ?V }", bindings={"V": ox.Literal("x")})
    assert (columns, rows) == (["s"], [{"s": "http://ex/a"}])


def test_unbound_values_are_none_and_rows_are_sorted_naturally():
    store = OxigraphStore()
    columns, rows = store.select('SELECT ?n ?x WHERE { VALUES ?n { "4.1.10" "4.1.9" "10" "9" } }')
    assert columns == ["n", "x"]
    assert [r["n"] for r in rows] == ["4.1.9", "4.1.10", "9", "10"] and all(r["x"] is None for r in rows)


def test_sort_rows_with_an_order():
    rows = [{"u": "a", "n": "2"}, {"u": "b", "n": "10"}, {"u": "c", "n": "2"}]
    assert [r["u"] for r in sort_rows(["u", "n"], rows, order=("-n", "u"))] == ["b", "a", "c"]


def test_values_go_into_the_where_clause_past_comments_strings_and_iris():
    text = ('# a { comment\nPREFIX p: <http://ex/a#>\nSELECT ?s (CONCAT("{\\"#{", \'{\', """{""", ?o) AS ?c) '
            "WHERE { ?s p:q ?O }")
    assert ox.Store().query(text) is not None      # the text is valid SPARQL
    out = with_values(text, {"O": ox.Literal("}{")})
    assert out.endswith('WHERE { VALUES (?O) { ("}{") }\n ?s p:q ?O }')


_EX = "http://example.org/"


def _toy() -> ox.Store:
    """Units u1, u2 with tasks; u1 leads t1 and supports t2; t2 also led by u2; t3 has no unit; t4, led by u1,
    is in a named graph."""
    store = ox.Store()
    for s, p, o in [("a1", "unit", "u1"), ("a1", "task", "t1"), ("a1", "role", "lead"),
                    ("a2", "unit", "u1"), ("a2", "task", "t2"), ("a2", "role", "support"),
                    ("a3", "unit", "u2"), ("a3", "task", "t2"), ("a3", "role", "lead"),
                    ("t1", "ledBy", "u1"), ("t2", "ledBy", "u2"), ("t3", "ledBy", "u3"), ("t2", "supportedBy", "u1")]:
        store.add(ox.Quad(ox.NamedNode(_EX + s), ox.NamedNode(_EX + p), ox.NamedNode(_EX + o)))
    store.add(ox.Quad(ox.NamedNode(_EX + "t4"), ox.NamedNode(_EX + "ledBy"), ox.NamedNode(_EX + "u1"),
                      ox.NamedNode(_EX + "g")))
    return store


#: queries whose UNION branches mention the bound variable ?U in every way a binding could matter
_BRANCHY = [
    "SELECT ?t ?how WHERE { { ?a ex:unit ?U ; ex:task ?t BIND('a' AS ?how) } UNION { ?t ex:ledBy ?U BIND('l' AS ?how) } }",
    # ?U only in a FILTER of the branch: the branch alone cannot see the outer binding
    "SELECT ?t WHERE { { ?t ex:ledBy ?x FILTER(?x = ?U) } UNION { ?t ex:supportedBy ?U } }",
    # ?U only in an OPTIONAL: a binding inside would keep rows the outer join drops
    "SELECT ?t ?U WHERE { { ?t ex:ledBy ?x OPTIONAL { ?t ex:supportedBy ?U } } UNION { ?t ex:ledBy ?U } }",
    "SELECT ?t WHERE { { ?t ex:ledBy ?U MINUS { ?a ex:task ?t ; ex:unit ?U } } UNION { ?t ex:supportedBy ?U } }",
    "SELECT ?t WHERE { { ?t ex:ledBy ?U FILTER NOT EXISTS { ?a ex:task ?t . FILTER EXISTS { ?a ex:unit ?U } } } "
    "UNION { { ?t ex:supportedBy ?U } UNION { ?a ex:task ?t ; ex:unit ?U } } }",
    "SELECT ?t ?n WHERE { { SELECT ?t (COUNT(?U) AS ?n) WHERE { ?t ex:ledBy ?U } GROUP BY ?t } UNION { ?t ex:supportedBy ?U } }",
    "SELECT ?t WHERE { { VALUES ?U { ex:u2 } ?t ex:ledBy ?U } UNION { GRAPH ?g { ?t ex:ledBy ?U } } }",
    "SELECT ?t ?U WHERE { { BIND(ex:u2 AS ?U) ?t ex:ledBy ?U } UNION { ?t ex:supportedBy ?U } }",
    # branches inside an OPTIONAL
    "SELECT ?t ?U WHERE { ?t ex:ledBy ?x OPTIONAL { { ?t ex:supportedBy ?U } UNION { ?a ex:task ?t ; ex:unit ?U } } }",
    # a BIND before the pattern naming ?U sees it unbound
    "SELECT ?t ?b WHERE { { BIND (BOUND(?U) AS ?b) ?t ex:ledBy ?U } UNION { ?t ex:supportedBy ?U BIND (1 AS ?b) } }",
]


@pytest.mark.parametrize("text", _BRANCHY)
@pytest.mark.parametrize("unit", ["u1", "u2", "u9"])
def test_a_binding_repeated_in_union_branches_never_changes_the_rows(text, unit):
    """A branch gets the binding only where that cannot change the answer: the rows equal those of the
    binding placed once at the top, which SPARQL defines."""
    store = _toy()
    text = f"PREFIX ex: <{_EX}>\n" + text
    assert len(list(store.query(text.replace("WHERE {", "WHERE { VALUES ?U { ex:u1 }", 1)))) > 0
    value = ox.NamedNode(_EX + unit)
    _same_rows_as_bound_once(store, text, value, with_values(text, {"U": value}))


def _same_rows_as_bound_once(store: ox.Store, text: str, value: ox.NamedNode, out: str) -> list:
    """The rows of ``out`` are those of ``text`` with ?U bound once at the top of its WHERE clause; those rows."""
    once = text.replace("WHERE {", "WHERE { VALUES ?U { " + str(value) + " }", 1)
    expected = sorted(sorted((str(v) for v in r), key=str) for r in store.query(once))
    assert sorted(sorted((str(v) for v in r), key=str) for r in store.query(out)) == expected
    return expected


def test_a_binding_goes_into_the_union_branches_that_bind_the_variable_themselves():
    value = ox.NamedNode(_EX + "u1")
    block = "VALUES (?U) { (" + str(value) + ") }"
    placed = {text: with_values(f"PREFIX ex: <{_EX}>\n" + text, {"U": value}).count(block) - 1 for text in _BRANCHY}
    assert list(placed.values()) == [2, 1, 1, 2, 3, 1, 1, 1, 0, 1], placed


#: GRAPH blocks naming the bound variable ?U in every way a binding could matter, and the number of blocks
#: ``with_values(…, in_graph=True)`` gives it to beyond the top (a block or a branch inside one)
_IN_GRAPH = [
    ("SELECT ?g ?t WHERE { GRAPH ?g { ?t ex:ledBy ?U } }", 1),
    ("SELECT ?g ?t WHERE { GRAPH ?g { ?t ex:ledBy ?x } FILTER (?x = ?U) }", 0),
    ("SELECT ?g ?t WHERE { GRAPH ?g { { ?t ex:ledBy ?U } UNION { ?t ex:supportedBy ?U } } }", 2),
    ("SELECT ?g ?t WHERE { { GRAPH ?g { ?t ex:ledBy ?U } } UNION { ?t ex:supportedBy ?U } }", 2),
    # its own graph name is never given to a block
    ("SELECT ?t WHERE { GRAPH ?U { ?t ex:ledBy ?x } }", 0),
    # nor are blocks in an OPTIONAL, a MINUS, an EXISTS or a sub-SELECT
    ("SELECT ?t ?g WHERE { ?t ex:ledBy ?x OPTIONAL { GRAPH ?g { ?t ex:ledBy ?U } } }", 0),
    ("SELECT ?t WHERE { ?t ex:ledBy ?U MINUS { GRAPH ?g { ?t ex:supportedBy ?U } } }", 0),
    ("SELECT ?t WHERE { ?t ex:ledBy ?x FILTER EXISTS { GRAPH ?g { ?t ex:ledBy ?U } } }", 0),
    ("SELECT ?t ?g WHERE { ?t ex:ledBy ?x { SELECT ?t ?g WHERE { GRAPH ?g { ?t ex:ledBy ?U } } } }", 0),
    # nor a block whose OPTIONAL, MINUS or BIND comes before any of its patterns names the variable: it sees only
    # what is bound before it
    ("SELECT ?g ?t ?b WHERE { GRAPH ?g { BIND (BOUND(?U) AS ?b) ?t ex:ledBy ?U } }", 0),
    ("SELECT ?g ?t ?s WHERE { GRAPH ?g { ?t ex:ledBy ?x OPTIONAL { ?t ex:supportedBy ?s FILTER (?s != ?U) } "
     "?t ex:ledBy ?U } }", 0),
    ("SELECT ?g ?t WHERE { GRAPH ?g { ?t ex:ledBy ?x MINUS { ?t ex:supportedBy ?U } ?t ex:ledBy ?U } }", 0),
    ("SELECT ?g ?t ?s WHERE { GRAPH ?g { ?t ex:ledBy ?U OPTIONAL { ?t ex:supportedBy ?s FILTER (?s != ?U) } } }", 1),
]


@pytest.mark.parametrize("text,placed", _IN_GRAPH)
@pytest.mark.parametrize("unit", ["u1", "u2", "u9"])
def test_a_binding_given_inside_graph_blocks_never_changes_the_rows(text, placed, unit):
    """A query written for many graphs gets a binding inside the GRAPH blocks whose own triple patterns name the
    variable (pyoxigraph joins one given outside only after reading the block in every graph); never where it
    could change the rows."""
    store = _toy()
    for s, p, o, g in [("t5", "ledBy", "u2", "g2"), ("t6", "supportedBy", "u1", "g2"), ("t1", "ledBy", "u1", "g2"),
                       ("t7", "ledBy", "u3", "u1")]:
        store.add(ox.Quad(*(ox.NamedNode(_EX + x) for x in (s, p, o, g))))
    text = f"PREFIX ex: <{_EX}>\n" + text
    value = ox.NamedNode(_EX + unit)
    out = with_values(text, {"U": value}, in_graph=True)
    assert out.count("VALUES (?U) { (" + str(value) + ") }") - 1 == placed
    assert with_values(text, {"U": value}) == with_values(text, {"U": value}, in_graph=False)
    assert _same_rows_as_bound_once(store, text, value, out) or unit != "u1"


#: sub-SELECTs giving ?U by name where ?U is bound beside them, as an across form writes them
_SUBSELECTS = [
    "SELECT ?t ?n WHERE { ?t ex:ledBy ?U OPTIONAL { SELECT ?U (COUNT(?a) AS ?n) WHERE { ?a ex:unit ?U } GROUP BY ?U } }",
    "SELECT ?t ?a WHERE { ?t ex:ledBy ?U { SELECT ?U ?a WHERE { ?a ex:unit ?U } } }",
    "SELECT ?t ?g ?x WHERE { ?t ex:ledBy ?U OPTIONAL { SELECT ?g ?U ?x WHERE { GRAPH ?g { ?x ex:ledBy ?U } } } }",
    # a sub-SELECT that gives ?U only through an expression, or every variable, is left alone
    "SELECT ?t ?v WHERE { ?t ex:ledBy ?U { SELECT (?U AS ?v) WHERE { ?a ex:unit ?U } } }",
    # and so is one inside a sub-SELECT that does not give it (a "{" of an expression opens no WHERE clause)
    "SELECT ?t ?k WHERE { ?t ex:ledBy ?U { SELECT ?k WHERE { { SELECT ?U ?k WHERE { ?k ex:unit ?U } } } } }",
    "SELECT ?t ?e WHERE { ?t ex:ledBy ?U { SELECT (EXISTS { ?x ex:role ?y } AS ?e) ?U WHERE { ?a ex:unit ?U } } }",
]


@pytest.mark.parametrize("text", _SUBSELECTS)
@pytest.mark.parametrize("unit", ["u1", "u2", "u9"])
def test_a_table_of_values_given_to_a_sub_select_never_changes_the_rows(text, unit):
    """A sub-SELECT giving a column of the table by name gets its values at the start of its WHERE clause, inside
    the GRAPH block it opens with: its rows of other values meet none of the table's."""
    from antitraffick_kg.store.bindings import with_rows

    store = _toy()
    text = f"PREFIX ex: <{_EX}>\n" + text
    value = ox.NamedNode(_EX + unit)
    out = with_rows(text, ["U"], [[value]])
    block = "VALUES (?U) { (" + str(value) + ") }"
    assert out.count(block) == (1 if "(?U AS" in text or "SELECT ?k" in text else 2)
    assert "EXISTS {" + block not in out
    assert "GRAPH ?g" not in text or "GRAPH ?g { " + block in out
    assert _same_rows_as_bound_once(store, text, value, out) or unit != "u1"


def test_only_variable_names_are_bound():
    with pytest.raises(QueryError, match="not a SPARQL variable"):
        with_values("SELECT * WHERE { }", {"a) } DROP ALL": ox.Literal("x")})


@pytest.mark.parametrize("kind", ["oxigraph", "rdflib"])
def test_an_unknown_store_kind_or_a_missing_inferred_graph_is_an_error(build_dir, tmp_path, kind):
    with pytest.raises(QueryError, match="unknown store"):
        open_store("virtuoso", build_dir=build_dir)  # type: ignore[arg-type]
    for name in (f"{PLAN}.nq", f"{PLAN}.stamp"):
        shutil.copy(build_dir / name, tmp_path / name)
    with pytest.raises(InputError, match="antitraffick-kg reason"):
        open_store(kind, build_dir=tmp_path, inferred=True)


def test_the_inferred_graph_is_queried_only_when_asked(build_dir, tmp_path):
    for name in (f"{PLAN}.nq", f"{PLAN}.stamp"):
        shutil.copy(build_dir / name, tmp_path / name)
    base = "https://w3id.org/antitraffick-kg/"
    (tmp_path / f"{PLAN}.inferred.nq").write_text(
        f"<{base}id/plan/{PLAN}/task/7.8> <{base}ontology#supportedBy> <{base}id/unit/533100/womens-federation> "
        f"<{base}id/graph/{PLAN}/inferred> .\n", encoding="utf-8")
    (tmp_path / f"{PLAN}.inferred.stamp").write_text(input_stamp(PLAN) + "\n")

    def womens_federation(inferred: bool) -> dict:
        rows = query("unit-workload", build_dir=tmp_path, inferred=inferred)
        return next(r for r in rows if r["unit"] == "州妇联")

    assert womens_federation(False)["supports"] == "19"
    assert womens_federation(True)["supports"] == "20"


# -- remote endpoints -------------------------------------------------------------------------------
class _Recorder(http.server.BaseHTTPRequestHandler):
    """A stand-in endpoint: records each request, answers with one row (or an HTTP error, or not at all)."""

    requests: list = []
    status = 200
    delay = 0.0

    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        type(self).requests.append((dict(self.headers), body.decode()))
        time.sleep(type(self).delay)
        payload = json.dumps({"head": {"vars": ["x"]}, "results": {"bindings": [{"x": {"type": "literal",
                                                                                        "value": "1"}}]}})
        self.send_response(type(self).status)
        self.send_header("Content-Type", "application/sparql-results+json")
        self.end_headers()
        self.wfile.write(payload.encode())

    def log_message(self, *args):
        pass


@pytest.fixture
def recorder():
    _Recorder.requests, _Recorder.status, _Recorder.delay = [], 200, 0.0
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Recorder)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/sparql"
    server.shutdown()
    server.server_close()


def test_credentials_come_from_the_environment(recorder, monkeypatch):
    monkeypatch.setenv(ENV_USER, "analyst")
    monkeypatch.setenv(ENV_PASSWORD, "s3cret:pw")
    columns, rows = open_store(endpoint=recorder).select("SELECT ?x WHERE { ?x ?p ?o }")
    assert (columns, rows) == (["x"], [{"x": "1"}])
    headers, _ = _Recorder.requests[-1]
    assert headers["Authorization"] == "Basic " + base64.b64encode(b"analyst:s3cret:pw").decode()


def test_without_credentials_none_are_sent(recorder, monkeypatch):
    monkeypatch.delenv(ENV_USER, raising=False)
    monkeypatch.delenv(ENV_PASSWORD, raising=False)
    open_store(endpoint=recorder).select("SELECT ?x WHERE { ?x ?p ?o }")
    assert "Authorization" not in _Recorder.requests[-1][0]


def test_half_the_credentials_is_an_error(monkeypatch):
    monkeypatch.setenv(ENV_USER, "analyst")
    monkeypatch.delenv(ENV_PASSWORD, raising=False)
    with pytest.raises(EndpointError, match=ENV_PASSWORD):
        open_store(endpoint="http://127.0.0.1:9/sparql")


def test_an_update_never_leaves_the_machine(recorder):
    with pytest.raises(QueryError, match="UPDATE"):
        RemoteStore(recorder).select("DROP ALL")
    with pytest.raises(QueryError, match="only SELECT"):
        RemoteStore(recorder).select("ASK { ?s ?p ?o }")
    assert _Recorder.requests == []


def test_parameters_reach_the_endpoint_as_a_values_block(recorder):
    RemoteStore(recorder).select("SELECT ?x WHERE { ?x ?p ?V }", bindings={"V": ox.Literal('a"} DROP ALL')})
    _, body = _Recorder.requests[-1]
    from urllib.parse import parse_qs

    sent = parse_qs(body)["query"][0]
    assert sent == 'SELECT ?x WHERE { VALUES (?V) { ("a\\"} DROP ALL") }\n ?x ?p ?V }'


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_an_unreachable_endpoint_is_one_clear_line():
    url = f"http://127.0.0.1:{_closed_port()}/query"
    with pytest.raises(EndpointError) as err:
        RemoteStore(url, timeout=5).select("SELECT ?x WHERE { ?x ?p ?o }")
    message = str(err.value)
    assert message.startswith(f"cannot reach SPARQL endpoint {url}") and "\n" not in message


def test_a_slow_endpoint_times_out(recorder):
    _Recorder.delay = 5.0
    started = time.monotonic()
    with pytest.raises(EndpointError, match="did not answer within 1 s"):
        RemoteStore(recorder, timeout=1).select("SELECT ?x WHERE { ?x ?p ?o }")
    assert time.monotonic() - started < 4


def test_an_endpoint_error_is_reported(recorder):
    _Recorder.status = 500
    with pytest.raises(EndpointError, match=recorder):
        RemoteStore(recorder).select("SELECT ?x WHERE { ?x ?p ?o }")


def test_an_endpoint_must_be_http():
    with pytest.raises(EndpointError, match="not an http"):
        RemoteStore("file:///etc/passwd")


def test_a_missing_server_names_the_extra(monkeypatch, tmp_path):
    monkeypatch.setattr(sys, "executable", str(tmp_path / "python"))
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(EndpointError, match=r"pip install 'antitraffick-kg\[server\]'"):
        oxigraph_binary()
