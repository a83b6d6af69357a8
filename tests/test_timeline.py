"""Every milestone of the Dehong plan against the words it cites: the span, the line, the years and the basis.

The timeline rules are in ``plan/timeline.py``; each milestone carries the phrase
that states it, so each can be checked against the source text itself.
"""

from __future__ import annotations

import collections
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
ONGOING = re.compile(r"长期坚持|持续推进|常态化推进")


@pytest.fixture(scope="module")
def milestones(plan):
    return [(t, ms) for t in plan.tasks.values() for ms in t.milestones]


def _words(plan, ms) -> str:
    assert 0 < ms.span.start < ms.span.end <= len(plan.text)
    return plan.text[ms.span.start:ms.span.end]


def test_each_milestone_cites_its_own_words_on_its_own_line(plan, milestones):
    first, last = plan.period[:2]
    for task, ms in milestones:
        words = _words(plan, ms)
        assert words == words.strip(), (task.notation, words)
        assert ms.line == plan.text.count("\n", 0, ms.span.start) + 1, (task.notation, ms)
        if ms.kind == "deadline":
            assert re.fullmatch(r"(20\d\d)\s*年\s*(底前|内)", words) and int(words[:4]) == ms.year
            assert ms.until is None and ms.basis == "stated"
        elif ms.kind == "recurring":
            assert words == ms.recurrence and words.startswith("每年"), (task.notation, words)
            assert ms.until == last
        else:
            assert ONGOING.search(words) and ms.until == last, (task.notation, words)
            # from the start of its run: a cell boundary or the end of the sentence before it
            assert plan.text[ms.span.start - 1] in "\t。；;", (task.notation, words)
            assert words[-1] in "。；;" or plan.text[ms.span.end] in "\t\n\r", (task.notation, words)


def test_each_first_year_follows_its_basis(plan, milestones):
    first = plan.period[0]
    for task, ms in milestones:
        assert ms.basis in ("stated", "plan-start", "after-preceding")
        if ms.basis == "plan-start":
            assert ms.year == first, (task.notation, ms)
        elif ms.basis == "after-preceding":
            assert ms.year > first, (task.notation, ms)
        else:
            line_start = plan.text.rfind("\n", 0, ms.span.start) + 1
            assert f"{ms.year}" in plan.text[line_start:ms.span.end], (task.notation, ms)


def test_the_kinds_and_bases_of_the_plans_milestones(milestones):
    # as the import reads the table today: a change to the rules shows here first
    assert collections.Counter((ms.kind, ms.basis) for _, ms in milestones) == {
        ("deadline", "stated"): 23,
        ("ongoing", "plan-start"): 34, ("ongoing", "after-preceding"): 21, ("ongoing", "stated"): 1,
        ("recurring", "after-preceding"): 2, ("recurring", "plan-start"): 1, ("recurring", "stated"): 1,
    }


# -- the rules on cells written for them: what the Dehong table happens not to contain -------------------------
def _derive(*cells: str, body: str = "加强管理。"):
    """The milestones of one task whose table statement is ``body`` and whose progress cells are ``cells``."""
    from antitraffick_kg.plan.model import ParsedPlan, ProgressCell, Span, Statement, Task
    from antitraffick_kg.plan.timeline import derive_timeline

    text = "\t".join([body, *cells]) + "\n"
    plan = ParsedPlan(plan_id="p", source_path="p.txt", text=text, sha256="", converted_from=None,
                      period=(2022, 2030, None))
    task = Task("1.1", "任务", "1", statements={"table": Statement("table", Span(0, len(body)), 7)})
    at = len(body) + 1
    for position, cell in enumerate(cells):
        task.progress.append(ProgressCell(Span(at, at + len(cell)), 2022 + position, position, 7))
        at += len(cell) + 1
    derive_timeline(plan, task)
    return [(ms.kind, ms.year, ms.until, ms.basis, text[ms.span.start:ms.span.end], ms.line)
            for ms in task.milestones], task.target_year


def test_clauses_split_at_each_full_stop_and_keep_their_offsets():
    from antitraffick_kg.plan.timeline import _clauses

    assert list(_clauses("甲。乙；丙", 10)) == [(10, "甲。"), (12, "乙；"), (14, "丙")]
    assert list(_clauses("甲。", 3)) == [(3, "甲。")]


def test_a_phrase_inside_a_cell_is_cited_where_it_stands():
    found, target = _derive("开展排查，2024年底前完成；此后常态化推进。  ")
    assert found == [("deadline", 2024, None, "stated", "2024年底前", 7),
                     ("ongoing", 2025, 2030, "after-preceding", "此后常态化推进。", 7)]
    assert target == 2024


def test_a_year_stated_before_a_recurring_duty_starts_it():
    found, _ = _derive("2025年起推行试点。每年报告一次。")
    assert found == [("recurring", 2025, 2030, "stated", "每年报告一次", 7)]
    found, _ = _derive("每年报告一次。")
    assert found == [("recurring", 2022, 2030, "plan-start", "每年报告一次", 7)]
    found, _ = _derive("试点。", "每年报告一次。")
    assert found == [("recurring", 2023, 2030, "after-preceding", "每年报告一次", 7)]


def test_a_year_stated_with_an_ongoing_phrase_starts_only_that_phrase():
    found, _ = _derive("2025年后持续推进。每年报告一次。")
    assert found == [("ongoing", 2025, 2030, "stated", "2025年后持续推进。", 7),
                     ("recurring", 2022, 2030, "plan-start", "每年报告一次", 7)]


def test_one_ongoing_span_per_cell():
    found, _ = _derive("长期坚持；持续推进。")
    assert found == [("ongoing", 2022, 2030, "plan-start", "长期坚持；", 7)]


def test_a_duty_the_task_itself_states_with_a_year():
    found, _ = _derive(body="从2024年开始，每年至少召开一次会议。")
    assert found == [("recurring", 2024, 2030, "stated", "每年至少召开一次会议", 7)]
    found, _ = _derive(body="每年至少召开一次会议。")
    assert found == [("recurring", 2022, 2030, "plan-start", "每年至少召开一次会议", 7)]


def test_an_ongoing_phrase_at_the_end_of_a_cell_without_a_full_stop():
    found, _ = _derive("对X类场所持续推进")
    assert found == [("ongoing", 2022, 2030, "plan-start", "对X类场所持续推进", 7)]


# -- a task the annual table has no row for: its timeline from its narrative words -----------------------------
def _narrative(words: str, *, table: bool = False):
    """The milestones (kind, first year, last year, basis, words, part) and target year of one task whose narrative
    paragraph is ``words``, with a table row of its own (no progress cells) when ``table``."""
    from antitraffick_kg.plan.model import ParsedPlan, Span, Statement, Task
    from antitraffick_kg.plan.timeline import derive_timeline

    text = words + "\n加强管理。\n"
    plan = ParsedPlan(plan_id="p", source_path="p.txt", text=text, sha256="", converted_from=None,
                      period=(2022, 2030, None))
    statements = {"narrative": Statement("narrative", Span(0, len(words)), 1)}
    if table:
        statements["table"] = Statement("table", Span(len(words) + 1, len(text) - 1), 2)
    task = Task("1.1", "任务", "1", statements=statements)
    derive_timeline(plan, task)
    return [(ms.kind, ms.year, ms.until, ms.basis, text[ms.span.start:ms.span.end], ms.part)
            for ms in task.milestones], task.target_year


def test_a_task_without_a_table_row_takes_deadlines_duties_and_spans_from_its_narrative_words():
    found, target = _narrative("2.开展宣传教育。每年开展反拐宣传活动不少于2次，2025年底前实现村（社区）全覆盖。"
                               "（县委宣传部负责，县妇联配合）")
    assert found == [("deadline", 2025, None, "stated", "2025年底前", "narrative"),
                     ("recurring", 2022, 2030, "plan-start", "每年开展反拐宣传活动不少于2次", "narrative")]
    assert target == 2025
    found, target = _narrative("3.严厉打击拐卖犯罪。2024年起持续推进，长期坚持。（县公安局牵头）")
    assert found == [("ongoing", 2024, 2030, "stated", "2024年起持续推进，长期坚持。", "narrative")]
    assert target == 2030
    assert _narrative("4.加强案件查办。依法从重处罚。（县法院负责）") == ([], 2030)


def test_narrative_prose_names_no_deadline_outside_the_plan_and_no_span_in_a_verb():
    """Prose is no progress cell: a year outside the plan period is no deadline (a finding says so), and 持续推进
    as a verb is no ongoing span; only a sentence that is the formula is."""
    found, target = _narrative("1.推广试点。在2021年底前完成试点的基础上，2023年底前在全州推广，持续推进网格化管理。"
                               "（州公安局负责）")
    assert found == [("deadline", 2023, None, "stated", "2023年底前", "narrative")] and target == 2023
    found, target = _narrative("1.推广试点。2035年底前全面建成。（州公安局负责）")
    assert found == [] and target == 2030
    for words in ("1.推广试点。从2035年起，持续推进。（州公安局负责）", "1.推广试点。2031年起每年开展宣传。（州公安局负责）",
                  "1.推广试点。2025年，持续推进。（州公安局负责）"):
        assert _narrative(words) == ([], 2030), words
    # the formula right before the unit clause, with no full stop between
    assert _narrative("3.严厉打击拐卖犯罪。持续推进，长期坚持（县公安局负责）")[0] == [
        ("ongoing", 2022, 2030, "plan-start", "持续推进，长期坚持", "narrative")]


def test_a_task_with_a_table_row_takes_no_milestone_from_its_narrative_words():
    assert _narrative("2.开展宣传教育。2025年底前实现全覆盖。（县委宣传部负责）", table=True) == ([], 2030)


def test_a_plan_without_an_annual_table_states_its_milestones_in_the_narrative_and_conforms(tmp_path):
    """Read, made a graph and validated (fast path) as a plan is built: each milestone stated in the narrative
    scheme, the task's target year its deadline, and no result of a milestone's shapes."""
    import pyoxigraph as ox
    from rdflib import Literal, Namespace, URIRef

    from antitraffick_kg.check.validate import validate_store
    from antitraffick_kg.plan.graph import plan_graph, vocabulary_graph
    from antitraffick_kg.plan.importer import import_plan

    folder = tmp_path / "longchuan"
    folder.mkdir()
    (folder / "source.txt").write_text("\n".join([
        "陇川县反对拐卖人口行动计划实施方案（2022—2030年）",
        "陇政办发〔2022〕18号",
        "一、预防犯罪",
        "1.开展宣传教育。",
        "每年开展反拐宣传活动不少于2次，2025年底前实现村（社区）全覆盖。（县委宣传部负责，县妇联配合）",
        "2.严厉打击拐卖犯罪。持续推进，长期坚持。（县公安局负责）",
    ]) + "\n", encoding="utf-8")
    (folder / "plan.toml").write_text('title = "陇川县反对拐卖人口行动计划实施方案（2022—2030年）"\n'
                                        'number = "陇政办发〔2022〕18号"\nperiod = "2022-2030"\nlevel = "county"\n'
                                        'jurisdiction = "533124"\n', encoding="utf-8")
    (folder / "units.csv").write_text("id,short_name,variants,full_name,name_en,kind,function\n"
                                        "publicity,县委宣传部,,,Publicity Department,party-organ,publicity\n"
                                        "womens-federation,县妇联,,,Women's Federation,mass-organisation,"
                                        "womens-federation\n"
                                        "public-security,县公安局,,,Public Security Bureau,government-department,"
                                        "public-security\n", encoding="utf-8")
    plan = import_plan(folder / "source.txt")
    assert {m.line for t in plan.tasks.values() for m in t.milestones} == {5, 6}       # where the words stand
    assert [(t.notation, [(m.kind, m.year, m.part) for m in t.milestones], t.target_year)
            for t in plan.tasks.values()] == [
        ("1.1", [("deadline", 2025, "narrative"), ("recurring", 2022, "narrative")], 2025),
        ("1.2", [("ongoing", 2022, "narrative")], 2030)]
    graph = plan_graph(plan)
    atk = Namespace("https://w3id.org/antitraffick-kg/ontology#")
    narrative = URIRef("https://w3id.org/antitraffick-kg/id/plan/longchuan/narrative")
    stated = {graph.value(m, atk.statedIn) for m in graph.subjects(atk.year, None)
              if (None, atk.hasMilestone, m) in graph}
    assert stated == {narrative} and (narrative, None, None) in graph
    assert (URIRef("https://w3id.org/antitraffick-kg/id/plan/longchuan/task/1.1"), atk.targetYear,
            Literal(2025)) in graph
    store = ox.Store()
    for g in (graph, vocabulary_graph()):
        store.load(g.serialize(format="nt").encode(), format=ox.RdfFormat.N_TRIPLES)
    result = validate_store(store, engine="oxigraph")
    assert result.conforms and result.violations == 0 and not result.results, [r.shape for r in result.results]


@pytest.mark.parametrize(("words", "year", "month", "cited"), [
    ("２０２５年底前建成", 2025, None, "２０２５年底前"),
    ("二〇二五年底前建成", 2025, None, "二〇二五年底前"),
    ("2025年年底前建成", 2025, None, "2025年年底前"),
    ("到2025年底全面建成", 2025, None, "到2025年底"),
    ("2024年年内完成", 2024, None, "2024年年内"),
    ("2025年6月底前建成", 2025, 6, "2025年6月底前"),
    ("2025年12月底前建成", 2025, 12, "2025年12月底前"),
    ("2025年十二月底前建成", 2025, 12, "2025年十二月底前"),
    ("2025年6月30日前建成", 2025, 6, "2025年6月30日前"),
    ("2028年2月底前建成", 2028, 2, "2028年2月底前"),
    ("2025年上半年完成", 2025, 6, "2025年上半年"),
    ("2025年下半年前完成", 2025, None, "2025年下半年前"),
    ("2025年一季度前完成", 2025, 3, "2025年一季度前"),
    ("力争2025年上半年以前完成", 2025, 6, "2025年上半年以前"),
    ("截至2022年底已建成，持续推进", None, None, None),
    ("截至2023年6月底已建成，持续推进", None, None, None),
    ("截止到2022年底已完成摸底，持续推进", None, None, None),
    ("截至2023年上半年完成摸底，持续推进", None, None, None),
    ("2025年前建成", None, None, None),
])
def test_a_deadline_as_plans_write_it(tmp_path, words, year, month, cited):
    """The genre's other ways to write a deadline (before, all but 2025年底前 and 2025年内 were passed over, and the
    target fell back to the plan's last year); 2025年前 (before 2025, or by it?) and 截至2022年底 (a date looked back
    from) are none."""
    from antitraffick_kg.plan.graph import plan_graph
    from antitraffick_kg.namespaces import ATK
    from small_plans import import_folder, plan_toml

    plan = import_folder(tmp_path / "p", ["一、预防犯罪", f"（一）宣传教育。开展宣传，{words}。（州妇联负责）"],
                         plan_toml=plan_toml(title="某某州反对拐卖人口行动计划实施方案", period="2022-2030",
                                             level="prefecture", jurisdiction="533100"),
                         units="id,short_name,variants,full_name,name_en,kind,function\nfu,州妇联,,德宏州妇女联合会,"
                               "Women's Federation,mass-organisation,womens-federation\n", strict=False)
    deadlines = [ms for ms in plan.tasks["1.1"].milestones if ms.kind == "deadline"]
    if year is None:
        assert deadlines == [] and plan.tasks["1.1"].target_year == 2030
        return
    (ms,) = deadlines
    assert (ms.year, ms.month, plan.text[ms.span.start:ms.span.end]) == (year, month, cited)
    assert plan.tasks["1.1"].target_year == year
    graph = plan_graph(plan)
    assert [m.toPython() for m in graph.objects(None, ATK.month)] == ([month] if month else [])
    # the day it falls due: the month's last day (29 February in 2028), else 31 December
    query = (ROOT / "queries" / "obligations.rq").read_text(encoding="utf-8")
    due = {str(row.due) for row in graph.query(query) if str(row.kind) == "deadline"}
    assert due == {{None: "12-31", 3: "03-31", 6: "06-30", 12: "12-31", 2: "02-29"}[month]}
    import pyoxigraph

    store = pyoxigraph.Store()
    store.load(graph.serialize(format="nt").encode(), format=pyoxigraph.RdfFormat.N_TRIPLES)
    assert {s["due"].value for s in store.query(query) if s["kind"].value == "deadline"} == due


@pytest.mark.parametrize(("words", "years"), [
    ("2023—2025年，每年开展一次摸底排查", (2023, 2025)),
    ("2023年至2025年，每年开展一次摸底排查", (2023, 2025)),
    ("“十四五”期间，每年组织一次技能培训", (2022, 2025)),      # 2021–2025, within the plan's 2022–2030
    ("每年开展一次摸底排查", (2022, 2030)),
    ("每年开展专项行动，2023—2025年为攻坚阶段", (2022, 2030)),        # (a span said of something else)
    ("每年对照《实施方案（2022—2030年）》开展评估", (2022, 2030)),
])
def test_a_recurring_duty_limited_to_some_years_runs_over_those(tmp_path, words, years):
    """Before, 2023—2025年，每年… ran to the plan's last year: every unit owed it in 2026–2030 too."""
    from small_plans import import_folder, plan_toml

    plan = import_folder(tmp_path / "p", ["一、预防犯罪", f"（一）排查。{words}。（州妇联负责）"],
                         plan_toml=plan_toml(title="某某州反对拐卖人口行动计划实施方案", period="2022-2030",
                                             level="prefecture", jurisdiction="533100"),
                         units="id,short_name,variants,full_name,name_en,kind,function\nfu,州妇联,,德宏州妇女联合会,"
                               "Women's Federation,mass-organisation,womens-federation\n", strict=False)
    (duty,) = plan.tasks["1.1"].milestones
    assert (duty.kind, duty.year, duty.until) == ("recurring", *years)
    assert plan.text[duty.span.start:duty.span.end].startswith("每年")
