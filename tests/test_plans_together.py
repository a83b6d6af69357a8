"""Plans side by side in one store: a unit's siblings in the other plans (``counterparts``), a unit function that
reaches the upper-level plans' reference extracts (``tasks-by-unit`` across every plan), and the page of ``serve``
that lists the plans; embedded, on a stock ``oxigraph serve`` (started once) and through ``serve``.

The store holds Dehong (the tests' build) and the second prefecture of ``tests/data/other-prefecture`` (units
州妇联, 州公安局 … in jurisdiction 999900), both at prefecture level, as test_push.py makes it.
"""

from __future__ import annotations

import shlex
import urllib.parse
import urllib.request
from html.parser import HTMLParser
from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner

from conftest import require
from servers import Server

from antitraffick_kg.ask.catalogue import get_query, read_query, upper_query
from antitraffick_kg.ask.query import query
from antitraffick_kg.cli.main import main
from antitraffick_kg.errors import EndpointError
from antitraffick_kg.iris import graph_iri
from antitraffick_kg.pipeline.sources import plan_nquads, serve_plan
from antitraffick_kg.resources import queries_path
from antitraffick_kg.store.corpus import Corpus
from antitraffick_kg.store.push import push
from antitraffick_kg.store.stores import oxigraph_binary

DEHONG, OTHER, NATIONAL, YUNNAN = "dehong-2022-2030", "other-prefecture", "national-2021-2030", "yunnan-2021-2030"
CODES = {DEHONG: "533100", OTHER: "999900"}
NO_UNIT_DATA = (f"{YUNNAN}: no unit data: its reference extract (data/reference/{YUNNAN}/measures.csv) assigns no "
                "unit to any of its measures, so it has no rows")
WOMEN = {"function": "womens-federation", "role": "support"}


def _oxigraph() -> Path:
    try:
        return oxigraph_binary()
    except EndpointError as exc:
        require(False, str(exc))
        raise


@pytest.fixture(scope="module")
def two(two_plan_store) -> Corpus:
    """Dehong and a second prefecture whose units have the same short names, in one store."""
    return Corpus.open(two_plan_store)


@pytest.fixture(scope="module")
def stock(two, tmp_path_factory):
    """A stock ``oxigraph serve`` (an empty default graph), started once, the two plans pushed to it."""
    folder = tmp_path_factory.mktemp("stock")
    server = Server("oxigraph", folder).start(_oxigraph())
    try:
        for plan in two.plans:
            push(plan_nquads(plan, corpus=two), endpoint=server.query_url, journal=folder / "journal.json")
        yield server.query_url
    finally:
        server.stop()


def _sibling(other: str) -> dict:
    return {"unit": "州妇联", "level": "prefecture", "counterpart": "州妇联", "jurisdiction": CODES[other],
            "basis": "same-function", "status": "inferred", "confidence": "0.9",
            "reason": f"sibling plan {other} at prefecture level: both units have function womens-federation "
                      "(units.csv of each plan)"}


# -- siblings ------------------------------------------------------------------------------------------------
def test_counterparts_lists_the_unit_of_the_same_function_in_the_other_plan(two):
    for plan, other in ((OTHER, DEHONG), (DEHONG, OTHER)):
        for _ in range(2):      # a plan's second question in one process too (it may run elsewhere than the first)
            rows = query("counterparts", params={"unit": "州妇联"}, corpus=two, plan=plan)
            assert [r for r in rows if r["level"] == "prefecture"] == [_sibling(other)], plan
            # Dehong implements the Yunnan and national plans; the second plan names no upper plan
            assert {r["level"] for r in rows} == ({"prefecture", "province", "national"} if plan == DEHONG
                                                  else {"prefecture"})


def test_siblings_are_found_with_the_inferred_facts_kept_apart(two, two_plan_store, tmp_path):
    """With ``inferred``, the plan's question reads its inferred graph, which the store keeps apart from the plans'
    graphs: the siblings in the other plan are still there (they were lost when the plan was asked alone)."""
    import shutil

    from antitraffick_kg.iris import ID_BASE, inferred_graph_iri
    from antitraffick_kg.store.corpus import PlanPart, write_parts

    shutil.copytree(two_plan_store, tmp_path / "store", symlinks=True)
    before = Corpus.open(tmp_path / "store")
    graph = ox.NamedNode(inferred_graph_iri(DEHONG))
    fact = ox.Quad(ox.NamedNode(f"{ID_BASE}plan/{DEHONG}/task/3.1"),
                   ox.NamedNode("https://w3id.org/antitraffick-kg/ontology#supportedBy"),
                   ox.NamedNode(f"{ID_BASE}unit/{CODES[DEHONG]}/womens-federation"), graph)
    write_parts(tmp_path / "store", [PlanPart(DEHONG, "inferred", before.entry(DEHONG).digest, (fact,))])
    corpus = Corpus.open(tmp_path / "store")
    assert corpus.inferred_apart
    asserted = query("counterparts", params={"unit": "州妇联"}, corpus=two, plan=DEHONG)
    for _ in range(2):      # the first question and the next one, which may run elsewhere
        rows = query("counterparts", params={"unit": "州妇联"}, corpus=corpus, plan=DEHONG, inferred=True)
        assert list(rows) == list(asserted) and _sibling(OTHER) in list(rows)
    supported = query("tasks-by-unit", params={"unit": "州妇联", "role": "support"}, corpus=corpus, plan=DEHONG,
                      inferred=True)
    assert {"task": "3.1", "source": "inferred"}.items() <= next(r for r in supported if r["task"] == "3.1").items()


def test_a_plan_alone_in_its_store_answers_as_before_and_the_sibling_is_all_a_second_plan_adds(build_dir, two):
    alone = query("counterparts", params={"unit": "州妇联"}, corpus=Corpus.open(build_dir / "store"), plan=DEHONG)
    assert alone.rows and not [r for r in alone if r["level"] == "prefecture"]
    together = query("counterparts", params={"unit": "州妇联"}, corpus=two, plan=DEHONG)
    assert [r for r in together if r["level"] != "prefecture"] == list(alone.rows)


def test_across_every_plan_each_plan_gives_its_own_answer_siblings_included_each_row_once(two):
    result = query("counterparts", params={"unit": "州妇联"}, corpus=two, plans="all")
    assert result.columns[:3] == ("plan", "jurisdiction", "unit") and "row_jurisdiction" in result.columns
    assert len({tuple(r.items()) for r in result}) == len(result)
    for plan, other in ((DEHONG, OTHER), (OTHER, DEHONG)):
        own = query("counterparts", params={"unit": "州妇联"}, corpus=two, plan=plan)
        mine = [{("jurisdiction" if k == "row_jurisdiction" else k): v for k, v in r.items()
                 if k not in ("plan", "jurisdiction")} for r in result if r["plan"] == plan]
        assert mine == list(own.rows) and _sibling(other) in mine, plan
        assert {r["jurisdiction"] for r in result if r["plan"] == plan} == {CODES[plan]}


def test_the_plans_held_in_memory_for_siblings_keep_only_what_the_question_reads(two_plan_store):
    """A plan asked after the first is asked in memory beside every plan's units and documents: of those, only the
    triples the question can match are held, and it answers as on disk."""
    from antitraffick_kg.ask.query import _reads
    from antitraffick_kg.store.graphsets import _AT_HAND, OnePlanAtATime, _object_iri

    handle = Corpus.open(two_plan_store)
    on_disk = {plan: query("counterparts", params={"unit": "州妇联"}, corpus=handle, plan=plan).rows
               for plan in (DEHONG, OTHER)}
    again = {plan: query("counterparts", params={"unit": "州妇联"}, corpus=handle, plan=plan).rows
             for plan in (DEHONG, OTHER)}
    assert again == on_disk and _sibling(OTHER) in again[DEHONG]
    reads = _reads(get_query("counterparts"))
    (held,) = _AT_HAND[handle].values()
    assert held.directory_reads == reads
    kept, whole = held._described(OTHER), OnePlanAtATime(handle, directory=True)._described(OTHER)
    assert kept and all(reads.matches(q.predicate.value, _object_iri(q)) for q in kept)
    assert set(kept) == {q for q in whole if reads.matches(q.predicate.value, _object_iri(q))} != set(whole)


def test_a_handle_keeps_the_last_used_stores_of_every_plans_units(two_plan_store, monkeypatch):
    """One store of every plan's units per reading, the last used kept: asked again, the same store."""
    from antitraffick_kg.store import graphsets
    from antitraffick_kg.store.reads import Reads

    monkeypatch.setattr(graphsets, "AT_HAND_KEPT", 2)
    handle = Corpus.open(two_plan_store)
    readings = [Reads(frozenset({f"http://example.org/p{i}"})) for i in range(3)]
    first = graphsets.every_plan_at_hand(handle, reads=readings[0])
    second = graphsets.every_plan_at_hand(handle, reads=readings[1])
    assert graphsets.every_plan_at_hand(handle, reads=readings[0]) is first       # now the last used
    graphsets.every_plan_at_hand(handle, reads=readings[2])                        # the second goes
    assert [r for _, r in graphsets._AT_HAND[handle]] == [readings[0], readings[2]]
    assert graphsets.every_plan_at_hand(handle, reads=readings[1]) is not second


def test_siblings_on_a_stock_server_per_plan_and_across_as_embedded(two, stock):
    for plan in (DEHONG, OTHER):
        assert query("counterparts", params={"unit": "州妇联"}, endpoint=stock, plan=plan).rows == \
            query("counterparts", params={"unit": "州妇联"}, corpus=two, plan=plan).rows
    over = query("counterparts", params={"unit": "州公安局"}, endpoint=stock, plans="all")
    assert over.rows == query("counterparts", params={"unit": "州公安局"}, corpus=two, plans="all").rows
    assert {(r["plan"], r["counterpart"], r["row_jurisdiction"]) for r in over if r["level"] == "prefecture"} == \
        {(DEHONG, "州公安局", "999900"), (OTHER, "州公安局", "533100")}


# -- a unit function across levels ------------------------------------------------------------------------------
def test_a_function_across_every_plan_reaches_the_national_extract_and_says_which_plans_have_no_unit_data(two):
    result = query("tasks-by-unit", params=WOMEN, corpus=two)
    assert {r["plan"] for r in result} == {DEHONG, OTHER, NATIONAL}
    assert [(r["jurisdiction"], r["task"], r["unit"], r["source"]) for r in result if r["plan"] == NATIONAL] == \
        [("100000", "N-2.1.1", "全国妇联", "reference"), ("100000", "N-2.1.2", "全国妇联", "reference")]
    assert result.notes == (NO_UNIT_DATA,)
    # a prefecture plan's rows are its own question's
    own = query("tasks-by-unit", params=WOMEN, corpus=two, plan=OTHER)
    assert [{k: v for k, v in r.items() if k not in ("plan", "jurisdiction")} for r in result if r["plan"] == OTHER] \
        == list(own.rows) and own.notes == ()
    # asked of one plan, the national plan's body is not that plan's
    assert {r["unit"] for r in query("tasks-by-unit", params=WOMEN, corpus=two, plan=DEHONG)} == {"州妇联"}
    # an extract that names no place says so when a place is asked
    placed = query("tasks-by-unit", params={**WOMEN, "place": "边境地区"}, corpus=two)
    assert {r["plan"] for r in placed} == {DEHONG, OTHER} and {r["task"] for r in placed if r["plan"] == DEHONG} == {"7.6"}
    assert f"{NATIONAL}: its reference extract names no places, so no measure of it matches place=边境地区" \
        in placed.notes and NO_UNIT_DATA in placed.notes


def test_the_command_prints_the_rows_of_every_plan_and_each_note_on_standard_error(two):
    done = CliRunner().invoke(main, ["query", "tasks-by-unit", "--all-plans", "-p", "function=womens-federation",
                                     "-p", "role=support", "--store", str(two.path), "-f", "csv"])
    assert done.exit_code == 0, done.output
    assert done.stdout.splitlines()[-2:] == [
        f"{NATIONAL},100000,N-2.1.1,部门协同联动与发现举报机制,全国妇联,support,reference",
        f"{NATIONAL},100000,N-2.1.2,犯罪形势研判与重点预防,全国妇联,support,reference"]
    assert done.stderr == f"Note: {NO_UNIT_DATA}\n"


def test_a_function_across_every_plan_on_a_stock_server_as_embedded(two, stock):
    remote = query("tasks-by-unit", params=WOMEN, endpoint=stock, plans="all")
    embedded = query("tasks-by-unit", params=WOMEN, corpus=two)
    assert remote.rows == embedded.rows and remote.notes == embedded.notes == (NO_UNIT_DATA,)


def test_the_upper_form_of_a_question_takes_its_parameters_and_gives_its_columns():
    folder = queries_path() / "upper"
    for path in sorted(folder.glob("*.rq")):
        upper, q = read_query(path), get_query(path.stem)
        assert upper.header_problems() == [], path.name
        assert [(p.name, p.type) for p in upper.parameters] == [(p.name, p.type) for p in q.parameters], path.name
        assert [c.name for c in upper.columns] == [c.name for c in q.columns], path.name
    assert upper_query("tasks-by-unit") is not None and upper_query("units") is None


def test_a_reads_line_says_every_plan_or_is_a_header_problem(tmp_path):
    path = tmp_path / "q.rq"
    path.write_text("# title: 问 | Q\n# description: d\n# reads: every plans\n# columns: s (it)\n"
                    "SELECT ?s WHERE { ?s ?p ?o }\n", encoding="utf-8")
    assert read_query(path).header_problems() == ["reads says 'every plans'; write 'reads: every plan' or leave "
                                                  "the line out"]
    assert get_query("counterparts").reads_every_plan and not get_query("units").reads_every_plan


# -- serve's page of the plans --------------------------------------------------------------------------------
class _Cells(HTMLParser):
    """The cells of each table row with a data-plan attribute, by class; the text of each element with an id."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self.plans: dict[str, dict[str, list[str]]] = {}
        self.ids: dict[str, str] = {}
        self._row: dict[str, list[str]] | None = None
        self._cell: str | None = None
        self._id: str | None = None
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "tr" and "data-plan" in a:
            self._row = self.plans.setdefault(a["data-plan"] or "", {})
        elif tag == "td" and self._row is not None:
            self._cell = a.get("class") or ""
            self._row[self._cell] = []
        elif tag == "li" and self._cell is not None and self._row is not None:
            self._row[self._cell].append("")
        if "id" in a and tag == "code":
            self._id = a["id"]

    def handle_endtag(self, tag):
        if tag == "td":
            self._cell = None
        elif tag == "tr":
            self._row = None
        elif tag == "code":
            self._id = None

    def handle_data(self, data):
        if self._row is not None and self._cell is not None:
            cell = self._row[self._cell]
            if cell:
                cell[-1] += data.strip()
            else:
                cell.append(data.strip())
        if self._id is not None:
            self.ids[self._id] = self.ids.get(self._id, "") + data


def _get(url: str, *, accept: str = "text/html") -> tuple[str, str]:
    with urllib.request.urlopen(urllib.request.Request(url, headers={"Accept": accept}), timeout=30) as response:
        return response.headers.get("Content-Type", ""), response.read().decode("utf-8")


def test_serve_lists_each_plan_with_how_to_ask_it_and_the_line_it_gives_answers_for_that_plan(two):
    _oxigraph()
    with serve_plan(corpus=two) as endpoint:
        kind, text = _get(endpoint.url + "plans")
        assert kind.startswith("text/html")
        page = _Cells(text)
        assert sorted(page.plans) == [DEHONG, OTHER]
        titles = {DEHONG: "德宏州人民政府办公室关于印发 德宏州反对拐卖人口行动计划实施方案 (2022—2030年)及年度实施方案的通知",
                  OTHER: "某某州人民政府办公室关于印发 某某州反对拐卖人口行动计划实施方案 (2023—2030年)及年度实施方案的通知"}
        for plan, cells in page.plans.items():
            assert cells["plan"] == [plan] and cells["title"] == [titles[plan]], plan
            assert cells["jurisdiction"] == [CODES[plan]] and cells["level"] == ["prefecture"], plan
            assert cells["graphs"][0] == graph_iri(plan) and all(g.startswith(graph_iri(plan)) for g in cells["graphs"])
            assert cells["ask"] == [f"antitraffick-kg query units --plan {plan} --endpoint {endpoint.query_url}"]
        assert page.ids["all-plans"] == f"antitraffick-kg query units --all-plans --endpoint {endpoint.query_url}"
        assert f"<li><code>{graph_iri(NATIONAL)}</code></li>" in text, "the graphs every plan's question reads"
        # the line shown asks that plan alone (the server honours the FROM clauses it sends) …
        line = shlex.split(page.plans[OTHER]["ask"][0])[1:]
        done = CliRunner().invoke(main, [*line, "-f", "csv"])
        assert done.exit_code == 0, done.output
        own = query("units", corpus=two, plan=OTHER)
        assert done.stdout.splitlines()[0] == ",".join(own.columns)
        assert len(done.stdout.splitlines()) == len(own) + 1
        # … and a query naming no graphs is answered over the union of them all, as before
        count = "SELECT (COUNT(DISTINCT ?u) AS ?n) WHERE { ?u a <https://w3id.org/antitraffick-kg/ontology#Unit> }"
        _, answer = _get(endpoint.query_url + "?" + urllib.parse.urlencode({"query": count}), accept="text/csv")
        every = int(next(iter(two.store.query(count, use_default_graph_as_union=True)))["n"].value)
        mine = int(next(iter(two.store.query(count, default_graph=[ox.NamedNode(graph_iri(OTHER))])))["n"].value)
        assert answer.split() == ["n", str(every)] and every > mine > 0
