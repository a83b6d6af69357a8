"""The edges where a wrong comparison hides: each test here fails when its one comparison is off by one step.

Equal start and end years under both SHACL engines; the day an obligation falls
due; allowed SERVICE addresses matched exactly; heading numbers from 十 to 九十九;
two writers of one corpus store at once; and the push journal, checked against
what the server holds.
"""

from __future__ import annotations

import collections
import datetime as dt
import json
import threading
import time
from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner

from conftest import require
from numerals import numeral
from servers import Server

from antitraffick_kg import import_plan, iris
from antitraffick_kg.check.validate import validate_store
from antitraffick_kg.cli.main import main
from antitraffick_kg.errors import EndpointError, ServiceRefusedError
from antitraffick_kg.formats import ShaclEngine
from antitraffick_kg.report.progress import open_plan_store, status
from antitraffick_kg.store.corpus import Corpus, PlanPart, write_parts
from antitraffick_kg.store.policy import check_outbound
from antitraffick_kg.store.push import PushProgress, graph_store_url, push
from antitraffick_kg.store.stores import OxigraphStore, RemoteStore, oxigraph_binary

PLAN = "dehong-2022-2030"
SHAPES = Path(__file__).parent / "data" / "shapes"
MINI = "https://w3id.org/antitraffick-kg/id/plan/mini/"
ATKSH = "https://w3id.org/antitraffick-kg/shapes#"
PREFIXES = "PREFIX atk: <https://w3id.org/antitraffick-kg/ontology#>\n"


# -- sh:lessThanOrEquals: a start year equal to its end year conforms, one after it does not ----------------
def _mini(update: str) -> dict[str, collections.Counter]:
    out = {}
    for engine in ShaclEngine:
        store = ox.Store()
        store.load(path=str(SHAPES / "base.ttl"), format=ox.RdfFormat.TURTLE)
        store.update(PREFIXES + update)
        out[engine.value] = collections.Counter(r.key() for r in validate_store(store, engine=engine).results)
    return out


@pytest.mark.parametrize("subject, start, end, shape", [
    (MINI + "period", "fromYear", "untilYear", "Period-order"),
    (MINI + "task/1.1/milestone/2", "year", "untilYear", "Span-order"),
])
@pytest.mark.parametrize("first, last, broken", [(2026, 2026, False), (2027, 2026, True)])
def test_less_than_or_equals_at_equal_years_under_both_engines(subject, start, end, shape, first, last, broken):
    update = (f"DELETE WHERE {{ <{subject}> atk:{start} ?a ; atk:{end} ?b }} ;\n"
              f"INSERT DATA {{ <{subject}> atk:{start} {first} ; atk:{end} {last} }}")
    keys = _mini(update)
    assert keys["pyshacl"] == keys["oxigraph"], "the fast path and pySHACL disagree"
    hits = [(focus, value) for _, name, _, focus, _, value, _ in keys["pyshacl"] if name == ATKSH + shape]
    assert hits == ([(subject, str(first))] if broken else []), keys["pyshacl"]


# -- status: late only from the day after an obligation falls due --------------------------------------------
@pytest.fixture(scope="module")
def plan_store(build_dir):
    return open_plan_store(plan=PLAN, build_dir=build_dir)


@pytest.mark.parametrize("day, state", [
    (dt.date(2023, 12, 30), "due"), (dt.date(2023, 12, 31), "due"), (dt.date(2024, 1, 1), "late")])
def test_an_obligation_is_late_from_the_day_after_it_falls_due(plan_store, day, state):
    # 4.1.1 of the table: 州人力资源社会保障局, a deadline at the end of 2023 (line 241: 2023年底前)
    result = status(as_of=day, plan=PLAN, unit="州人力资源社会保障局", store=plan_store)
    rows = [r for r in result.rows if (r.task, r.kind, r.due) == ("4.1.1", "deadline", "2023-12-31")]
    assert [r.status for r in rows] == [state]


def test_a_duty_due_mid_year_is_late_the_next_day(plan_store):
    # 9.1: 每年2月15日前 (line 321)
    def state(day):
        rows = status(as_of=day, plan=PLAN, store=plan_store).rows
        return {r.status for r in rows if (r.task, r.kind, r.due) == ("9.1", "recurring", "2024-02-15")}

    assert state(dt.date(2024, 2, 15)) == {"due"} and state(dt.date(2024, 2, 16)) == {"late"}


# -- the SERVICE allow-list: an address passes only when it is exactly one the user allowed ----------------
ALLOWED = ("http://example.org/sparql", "http://example.org")


@pytest.mark.parametrize("endpoint", [
    "http://example.org/sparql.attacker.net/",       # the allowed address as a prefix
    "http://example.org/sparql/",
    "http://example.org/sparqlx",
    "http://example.org/sparql/../admin",            # a path that climbs out of the allowed one
    "http://example.org/sparql/..",
    "http://example.org.attacker.net/sparql",        # another host sharing the start
    "http://example.orgx/",
    "http://example.or",                             # a part of an allowed address
    "http://EXAMPLE.org/sparql",
])
def test_a_service_is_allowed_only_by_its_exact_address(endpoint):
    text = f"SELECT * WHERE {{ SERVICE <{endpoint}> {{ ?s ?p ?o }} }}"
    with pytest.raises(ServiceRefusedError) as info:
        check_outbound(text, allow=ALLOWED)
    assert info.value.iri == endpoint
    variable = "SELECT * WHERE { SERVICE ?where { ?s ?p ?o } }"
    with pytest.raises(ServiceRefusedError) as info:
        check_outbound(variable, allow=ALLOWED, bound={"where": endpoint})
    assert info.value.iri == endpoint
    store = OxigraphStore(ox.Store(), allow_service=ALLOWED)
    with pytest.raises(ServiceRefusedError):
        store.select(text)
    with pytest.raises(ServiceRefusedError):
        store.select(variable, bindings={"where": ox.NamedNode(endpoint)})


def test_the_exact_addresses_pass_and_an_unbound_variable_endpoint_never_does():
    for endpoint in ALLOWED:
        assert check_outbound(f"SELECT * WHERE {{ SERVICE <{endpoint}> {{ ?s ?p ?o }} }}", allow=ALLOWED) == (
            endpoint,)
        assert check_outbound("SELECT * WHERE { SERVICE ?e { ?s ?p ?o } }", allow=ALLOWED,
                              bound={"e": endpoint}) == (endpoint,)
    with pytest.raises(ServiceRefusedError, match="variable endpoint"):
        check_outbound("SELECT * WHERE { SERVICE ?e { ?s ?p ?o } }", allow=ALLOWED)
    with pytest.raises(ServiceRefusedError, match="variable endpoint"):
        check_outbound("SELECT * WHERE { SERVICE ?e { ?s ?p ?o } }", allow=ALLOWED, bound={"other": ALLOWED[0]})
    with pytest.raises(ServiceRefusedError):
        check_outbound(f"SELECT * WHERE {{ SERVICE <{ALLOWED[0]}> {{ ?s ?p ?o }} }}", allow=())


# -- headings numbered 十 to 九十九 ----------------------------------------------------------------------------
def test_the_numeral_helper_of_the_tests():
    assert [numeral(n) for n in (1, 9, 10, 11, 19, 20, 21, 90, 99)] == [
        "一", "九", "十", "十一", "十九", "二十", "二十一", "九十", "九十九"]


def test_sections_and_subsections_numbered_to_ninety_nine(tmp_path):
    units = ["州公安局", "州民政局", "州妇联"]
    lines = []
    for n in range(1, 100):
        lines.append(f"{numeral(n)}、第{n}项工作")
        if n in (10, 11, 20, 99):       # a subsection numbered the same as its section, with a task under it
            for m in range(1, n + 1):
                lines.append(f"（{numeral(m)}）第{n}项之{m}")
            lines.append(f"1.具体任务。落实措施。（{units[n % 3]}负责）")
        else:
            lines.append(f"1.具体任务。落实措施。（{units[n % 3]}负责）")
    (tmp_path / "long.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["new", "long", "--source", str(tmp_path / "long.txt"), "--title", "长",
                                       "--level", "prefecture", "--jurisdiction", "999905", "--period", "2023-2030",
                                       "--data-dir", str(tmp_path)])
    assert result.exit_code == 0, result.output + result.stderr
    plan = import_plan(tmp_path / "long" / "source.txt")
    assert [(f.kind, f.line, f.message) for f in plan.findings] == [], "no heading read with a wrong number"
    assert not plan.problems
    tasks = sorted(plan.tasks, key=lambda t: tuple(map(int, t.split("."))))
    assert "10.10.1" in tasks and "11.11.1" in tasks and "20.20.1" in tasks and "99.99.1" in tasks
    assert "9.1" in tasks and "98.1" in tasks and len(tasks) == 99
    assert plan.tasks["99.99.1"].mentions[0].unit.short_name == units[0]


# -- two writers of one corpus store ----------------------------------------------------------------------------
def _part(plan: str) -> PlanPart:
    node = ox.NamedNode(iris.plan_iri(plan))
    return PlanPart(plan, "plan", f"digest-{plan}",
                    (ox.Quad(node, node, ox.Literal(plan), ox.NamedNode(iris.graph_iri(plan))),))


def test_a_second_writer_waits_for_the_first_and_both_plans_are_kept(tmp_path):
    path = tmp_path / "store"
    write_parts(path, [_part("before")])
    first_inside, second_started = threading.Event(), threading.Event()
    second_done = threading.Event()
    seen: dict[str, object] = {}
    errors: list[BaseException] = []

    def slow_parts():
        first_inside.set()
        second_started.wait(10)
        time.sleep(1.0)                  # time for the second writer to reach the lock, and to pass it if it could
        seen["second done while the first writes"] = second_done.is_set()
        seen["current while the first writes"] = (path / "current").resolve().name
        seen["plans a reader sees while the first writes"] = Corpus.open(path).plans
        yield _part("first")

    def run(name, parts):
        try:
            seen[name] = write_parts(path, parts).name
        except BaseException as exc:     # handed to the test below
            errors.append(exc)

    one = threading.Thread(target=run, args=("first", slow_parts()))
    one.start()
    assert first_inside.wait(10)
    two = threading.Thread(target=lambda: (second_started.set(), run("second", [_part("second")]), second_done.set()))
    two.start()
    one.join(30)
    two.join(30)
    assert not errors, errors
    assert seen["second done while the first writes"] is False, "the second writer did not wait"
    assert seen["current while the first writes"] == "gen-1", "current switched before the parts were written"
    assert seen["plans a reader sees while the first writes"] == ("before",)
    assert (path / "current").resolve().name == seen["second"] == "gen-3"
    assert seen["first"] == "gen-2"
    assert Corpus.open(path).plans == ("before", "first", "second")


def test_current_names_the_previous_generation_until_the_new_one_is_complete(tmp_path):
    path = tmp_path / "store"
    write_parts(path, [_part("before")])
    during = []

    def parts():
        yield _part("one")
        during.append(((path / "current").resolve().name, Corpus.open(path).plans))
        yield _part("two")
        during.append(((path / "current").resolve().name, Corpus.open(path).plans))

    assert write_parts(path, parts()).name == "gen-2"
    assert during == [("gen-1", ("before",))] * 2
    assert (path / "current").resolve().name == "gen-2"
    assert Corpus.open(path).plans == ("before", "one", "two")


# -- the push journal records a batch only once the server holds it --------------------------------------------
def _oxigraph():
    try:
        return oxigraph_binary()
    except EndpointError as exc:
        require(False, str(exc))


def _held(server: Server, graph: str) -> int:
    _, rows = RemoteStore(server.query_url, timeout=60).select(
        "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }", bindings={"g": ox.NamedNode(graph)})
    return int(rows[0]["n"])


def test_the_journal_never_claims_a_batch_the_server_does_not_hold(tmp_path):
    binary = _oxigraph()
    server = Server("oxigraph", tmp_path / "server")
    server.folder.mkdir()
    server.start(binary)
    graph = "http://example.org/graph/g"
    data = "".join(f"<http://example.org/s{i:02d}> <http://example.org/p> \"{i}\" <{graph}> .\n"
                   for i in range(30)).encode("utf-8")
    journal = tmp_path / "journal.json"
    store_url = graph_store_url(server.query_url)

    def stop_after_two(step: PushProgress) -> None:
        if step.batch == 2:
            server.stop()                # a clean stop: what it acknowledged is on its disk

    try:
        with pytest.raises(EndpointError, match="cannot reach graph store"):
            push(data, endpoint=server.query_url, journal=journal, batch_size=10, progress=stop_after_two)
        recorded = json.loads(journal.read_text(encoding="utf-8"))[store_url][graph]["done"]
        server.start(binary)
        assert _held(server, graph) == 20, "the server holds the two acknowledged batches"
        assert recorded == 2, "the journal records exactly the batches the server acknowledged"
        result = push(data, endpoint=server.query_url, journal=journal, batch_size=10)
        assert [(g.resumed_at, g.sent, g.triples) for g in result.graphs] == [(2, 1, 30)]
        assert _held(server, graph) == 30
    finally:
        server.stop()
