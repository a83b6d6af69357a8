"""``push`` against two independent real servers on 127.0.0.1: the oxigraph server and OpenLink Virtuoso.

Each test server is started and stopped here, on a data folder of its own.
The catalogue must answer from the server with the same rows as embedded; a
server killed halfway through a push must end, after a rerun, with every
triple once and nothing more.
"""

from __future__ import annotations

import os
import subprocess
import sys
import urllib.parse
import urllib.request

import pyoxigraph as ox
import pytest

from conftest import require
from servers import VIRTUOSO, Server

from click.testing import CliRunner

from antitraffick_kg.ask.catalogue import catalogue
from antitraffick_kg.cli.main import main
from antitraffick_kg.errors import EndpointError, QueryError, UnknownUnitError
from antitraffick_kg.store.push import PushProgress, graph_store_url, push
from antitraffick_kg.ask.query import query
from antitraffick_kg.store.corpus import Corpus
from antitraffick_kg.pipeline.sources import plan_nquads
from antitraffick_kg.rows import natural_key
from antitraffick_kg.store.stores import ENV_PASSWORD, ENV_USER, OxigraphStore, RemoteStore, oxigraph_binary

PLAN, OTHER = "dehong-2022-2030", "other-prefecture"
PLAN_GRAPH = f"https://w3id.org/antitraffick-kg/id/graph/{PLAN}"
CATALOGUE = catalogue()
COUNT = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"


def _oxigraph():
    try:
        return oxigraph_binary()
    except EndpointError as exc:
        require(False, str(exc))


def _start(kind: str, folder) -> Server:
    if kind == "virtuoso":
        require(VIRTUOSO is not None, "OpenLink Virtuoso (Debian package virtuoso-opensource) is not installed")
        return Server("virtuoso", folder).start()
    return Server("oxigraph", folder).start(_oxigraph())


@pytest.fixture(params=["oxigraph", "virtuoso"])
def server(request, tmp_path):
    srv = _start(request.param, tmp_path)
    yield srv
    srv.stop()
    assert srv.process.poll() is not None, "the server must be stopped"


@pytest.fixture(scope="module")
def nquads(build_dir) -> bytes:
    """The plan as push sends it: read from the corpus store."""
    return plan_nquads(PLAN, corpus=Corpus.open(build_dir / "store"))


@pytest.fixture(scope="module")
def expected(nquads) -> dict[str, int]:
    counts: dict[str, set] = {}
    for quad in ox.parse(nquads, format=ox.RdfFormat.N_QUADS):
        counts.setdefault(quad.graph_name.value, set()).add(quad.triple)
    return {g: len(t) for g, t in counts.items()}


def _push(srv: Server, data: bytes, journal, **options):
    user, password = srv.credentials or (None, None)
    return push(data, endpoint=srv.query_url, journal=journal, user=user, password=password, **options)


def _count(srv: Server, graph: str) -> int:
    _, rows = RemoteStore(srv.query_url, timeout=60).select(COUNT, bindings={"g": ox.NamedNode(graph)})
    return int(rows[0]["n"])


def _held(srv: Server, graph: str) -> set:
    """The graph as the server gives it back through the graph store (read access needs no login)."""
    url = f"{graph_store_url(srv.query_url)}?{urllib.parse.urlencode({'graph': graph})}"
    request = urllib.request.Request(url, headers={"Accept": "application/n-triples"})
    with urllib.request.urlopen(request, timeout=60) as response:
        return _canonical(ox.parse(response.read(), format=ox.RdfFormat.N_TRIPLES))


def _triples(data: bytes, graph: str) -> set:
    return _canonical(q for q in ox.parse(data, format=ox.RdfFormat.N_QUADS) if q.graph_name.value == graph)


def _canonical(quads) -> set:
    """Triples with literals in canonical form (servers may store 7^^xsd:nonNegativeInteger as xsd:integer)."""
    store = ox.Store()
    store.extend(ox.Quad(q.subject, q.predicate, q.object) for q in quads)
    return {q.triple for q in store}


def test_push_loads_one_graph_per_plan_and_verifies(server, nquads, expected, tmp_path):
    result = _push(server, nquads, tmp_path / "journal.json", batch_size=4000)
    assert {g.graph: g.triples for g in result.graphs} == expected
    plan = next(g for g in result.graphs if g.graph == PLAN_GRAPH)
    assert plan.batches == -(-expected[PLAN_GRAPH] // 4000) and plan.sent == plan.batches
    for graph, n in expected.items():
        assert _count(server, graph) == n
    assert _held(server, PLAN_GRAPH) == _triples(nquads, PLAN_GRAPH), "exactly the plan's triples"
    again = _push(server, nquads, tmp_path / "journal.json", batch_size=4000)
    assert [g.sent for g in again.graphs] == [0] * len(expected), "a second push of the same data sends nothing"


@pytest.fixture(scope="module")
def two_plans(two_plan_store) -> Corpus:
    """Dehong and a second prefecture whose units have the same short names, in one store."""
    return Corpus.open(two_plan_store)


def _answer(name: str, params: dict, **where):
    try:
        result = query(name, params=params, timeout=60, **where)
    except (QueryError, UnknownUnitError) as exc:
        return type(exc).__name__
    return result.columns, result.rows


def _params(q) -> dict:
    return {**q.example_params(), **{p.name: "州公安局" for p in q.parameters if p.name == "other"}}


@pytest.fixture(scope="module")
def embedded(two_plans) -> dict[str, object]:
    """The whole catalogue across both plans, asked of the corpus store once for both servers."""
    return {q.name: _answer(q.name, _params(q), corpus=two_plans, plans="all") for q in CATALOGUE}


def test_the_catalogue_answers_from_a_server_as_embedded_per_plan_and_across_plans(server, two_plans, embedded,
                                                                                   tmp_path):
    """The server is a stock one (oxigraph serve without --union-default-graph answers from an empty default
    graph): each question names each plan's graphs in FROM and FROM NAMED clauses.  Across plans, each plan's rows
    are that plan's question (tests/test_across.py), so the whole catalogue across both plans compares every
    plan's rows; a few questions are also asked of one plan by plan=."""
    for plan in two_plans.plans:
        _push(server, plan_nquads(plan, corpus=two_plans), tmp_path / "journal.json")
    url = server.query_url
    answered = set()
    for q in CATALOGUE:
        want = embedded[q.name]
        assert not isinstance(want, str) and want[0][:2] == ("plan", "jurisdiction"), q.name
        assert _answer(q.name, _params(q), endpoint=url, plans="all") == want, q.name
        answered |= {(r["plan"], q.name) for r in want[1]}
    assert len({name for plan, name in answered if plan == PLAN}) >= 25
    assert len({name for plan, name in answered if plan == OTHER}) >= 15, "the second plan answers too"
    # a unit function across every plan: the upper-level extracts answer too, and say what they lack
    function = {"function": "womens-federation", "role": "support"}
    remote = query("tasks-by-unit", params=function, endpoint=url, plans="all", timeout=60)
    embedded = query("tasks-by-unit", params=function, corpus=two_plans, plans="all")
    assert (remote.rows, remote.notes) == (embedded.rows, embedded.notes)
    assert "national-2021-2030" in {r["plan"] for r in remote} and remote.notes
    for name in ("tasks-by-unit", "counterparts", "units"):
        q = next(q for q in CATALOGUE if q.name == name)
        for plan in (PLAN, OTHER):
            assert _answer(name, q.example_params(), endpoint=url, plan=plan) == \
                _answer(name, q.example_params(), corpus=two_plans, plan=plan), (name, plan)


def test_tasks_a_plan_states_straight_answer_on_a_server_as_embedded(server, nquads, tmp_path):
    """Facts a plan's graph states straight (a task led or supported by a unit with no assignment saying so, as the
    reasoner's are) answer on the server as embedded, each role from its own branch of a UNION."""
    atk = "https://w3id.org/antitraffick-kg/ontology#"
    unit = next(q.subject for q in ox.parse(nquads, format=ox.RdfFormat.N_QUADS)
                if q.predicate.value == atk + "shortName" and q.object.value == "州妇联")
    plain = OxigraphStore.from_nquads(nquads)
    tasks = sorted({r["task"] for r in query("assignments", store=plain)}, key=natural_key)
    has = {(r["task"], r["role"]) for r in query("tasks-by-unit", params={"unit": "州妇联"}, store=plain)}
    free = next(t for t in tasks if (t, "lead") not in has and (t, "support") not in has)
    supported = next(t for t in tasks if (t, "support") in has and (t, "lead") not in has)
    task = f"https://w3id.org/antitraffick-kg/id/plan/{PLAN}/task/"
    straight = [ox.Quad(ox.NamedNode(task + free), ox.NamedNode(atk + "supportedBy"), unit, ox.NamedNode(PLAN_GRAPH)),
                ox.Quad(ox.NamedNode(task + supported), ox.NamedNode(atk + "ledBy"), unit, ox.NamedNode(PLAN_GRAPH))]
    data = nquads + ox.serialize(straight, format=ox.RdfFormat.N_QUADS)
    _push(server, data, tmp_path / "journal.json")
    for params in ({"unit": "州妇联"}, {"unit": "州妇联", "role": "lead"}):
        remote = query("tasks-by-unit", params=params, endpoint=server.query_url, plan=PLAN, timeout=60)
        embedded = query("tasks-by-unit", params=params, store=OxigraphStore.from_nquads(data))
        assert (remote.columns, remote.rows) == (embedded.columns, embedded.rows), params
    inferred = {(r["task"], r["role"]) for r in remote if r["source"] == "inferred"}
    assert inferred == {(supported, "lead")}, "the lead asked: the led task, and not the supported one"


def test_the_example_question_answers_on_a_stock_server_with_and_without_plan(two_plans, tmp_path):
    server = _start("oxigraph", tmp_path)
    try:
        for plan in two_plans.plans:
            _push(server, plan_nquads(plan, corpus=two_plans), tmp_path / "journal.json")
        example = ["query", "tasks-by-unit", "-p", "unit=州妇联", "-p", "role=support", "-p", "place=边境地区",
                   "--endpoint", server.query_url, "-f", "csv"]
        for extra in ([], ["--plan", PLAN]):
            result = CliRunner().invoke(main, example + extra)
            assert result.exit_code == 0, result.output
            assert result.output.splitlines()[1:] == ["7.6,重点地区宣传教育,州妇联,support,narrative",
                                                      "7.6,重点地区宣传教育,州妇联,support,table"]
        with pytest.raises(QueryError, match=r"holds no plan 'other-prefecturex'; it holds dehong-2022-2030, "
                                             r"other-prefecture: give one with --plan, or --all-plans"):
            query("units", endpoint=server.query_url, plan="other-prefecturex")
        result = CliRunner().invoke(main, example[:-2] + ["--all-plans", "-f", "csv"])
        assert result.exit_code == 0, result.output
        assert result.output.splitlines()[0] == "plan,jurisdiction,task,title,unit,role,source"
    finally:
        server.stop()


def test_a_server_killed_halfway_is_completed_by_a_rerun(server, nquads, expected, tmp_path, build_dir):
    journal = tmp_path / "journal.json"
    sent = []

    def crash(step: PushProgress) -> None:
        sent.append(step.batch)
        if step.graph == PLAN_GRAPH and step.batch == 4:
            server.kill()

    with pytest.raises(EndpointError, match="cannot reach graph store"):
        _push(server, nquads, journal, batch_size=2000, progress=crash)
    server.start(_oxigraph() if server.kind == "oxigraph" else None)
    held = _count(server, PLAN_GRAPH)
    assert 0 < held < expected[PLAN_GRAPH], "the first run stopped halfway"

    env = dict(os.environ)
    if server.credentials:
        env[ENV_USER], env[ENV_PASSWORD] = server.credentials
    done = subprocess.run([sys.executable, "-m", "antitraffick_kg", "push", "--endpoint", server.query_url,
                           "--build-dir", str(build_dir), "--batch-size", "2000", "--journal", str(journal)],
                          capture_output=True, text=True, env=env, timeout=120,
                          cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert f"{PLAN_GRAPH}: {expected[PLAN_GRAPH]} triples, verified (resumed at batch 5 of" in done.stdout
    for graph, n in expected.items():
        assert _count(server, graph) == n
    assert _held(server, PLAN_GRAPH) == _triples(nquads, PLAN_GRAPH), "every triple once, nothing more"


def test_a_changed_plan_replaces_the_graph(server, nquads, tmp_path):
    journal = tmp_path / "journal.json"
    _push(server, nquads, journal, batch_size=3000)
    lines = [line for line in nquads.decode("utf-8").splitlines(keepends=True)
             if line.rstrip().endswith(f"<{PLAN_GRAPH}> .")]
    smaller = "".join(lines[: len(lines) // 2]).encode("utf-8")
    result = _push(server, smaller, journal, batch_size=3000)
    n = len(set(lines[: len(lines) // 2]))
    assert [(g.graph, g.triples, g.resumed_at) for g in result.graphs] == [(PLAN_GRAPH, n, 0)]
    assert _held(server, PLAN_GRAPH) == _triples(smaller, PLAN_GRAPH), "the old triples are gone"


def test_wrong_credentials_are_one_clear_error(tmp_path, nquads):
    require(VIRTUOSO is not None, "OpenLink Virtuoso (Debian package virtuoso-opensource) is not installed")
    srv = Server("virtuoso", tmp_path).start()
    try:
        with pytest.raises(EndpointError, match=r"refused POST of graph <.*>: HTTP 401.*user and password"):
            push(nquads, endpoint=srv.query_url, journal=tmp_path / "j.json", user="dba", password="wrong")
        with pytest.raises(EndpointError, match="refused POST .*HTTP 403"):
            push(nquads, endpoint=srv.query_url, journal=tmp_path / "j.json")   # no write right without login
    finally:
        srv.stop()


def test_the_graph_store_goes_with_the_endpoint():
    assert graph_store_url("http://127.0.0.1:1/query") == "http://127.0.0.1:1/store"
    assert graph_store_url("http://127.0.0.1:1/sparql") == "http://127.0.0.1:1/sparql-graph-crud"
    with pytest.raises(EndpointError, match="give it with --graph-store"):
        graph_store_url("http://127.0.0.1:1/other")


def test_cli_push_to_nothing_is_one_line(build_dir, tmp_path):
    from servers import free_port

    url = f"http://127.0.0.1:{free_port()}/query"
    done = subprocess.run([sys.executable, "-m", "antitraffick_kg", "push", "--endpoint", url,
                           "--build-dir", str(build_dir)], capture_output=True, text=True, timeout=60)
    assert done.returncode == 2
    assert done.stderr.startswith("Error: cannot reach graph store") and done.stderr.count("\n") == 1
