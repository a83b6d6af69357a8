"""The graph says what the document says: checked against the source text.

Expected values here come from reading ``data/dehong-2022-2030/source.txt``
(line numbers are its lines), or from scanning the text with simple patterns
that do not share code with the importer -- never from the graph itself.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter, defaultdict

import pytest
from rdflib import Literal

from antitraffick_kg.namespaces import ATK, OA, SKOS

from conftest import SOURCE

NOTATIONS = (
    "3.1 4.1.1 4.1.2 4.1.3 4.1.4 4.2.1 4.2.2 4.2.3 4.3.1 4.3.2 4.3.3 4.3.4 4.4.1 4.4.2 4.4.3 4.4.4 4.4.5 "
    "5.1.1 5.1.2 5.1.3 5.1.4 5.2.1 5.2.2 5.2.3 5.3.1 5.3.2 5.3.3 5.3.4 5.4 "
    "6.1.1 6.1.2 6.1.3 6.1.4 6.1.5 6.2.1 6.2.2 6.2.3 6.2.4 6.2.5 "
    "7.1 7.2 7.3 7.4 7.5 7.6 7.7 7.8 7.9.1 7.9.2 8.1 8.2 8.3 8.4 9.1 9.2 9.3"
).split()

#: Where the two parts disagree, read off the document: (task, unit, narrative role, table role).
DISAGREEMENTS = {
    ("3.1", "联席会议办公室", None, "lead"),
    ("3.1", "州级联席会议各成员单位", None, "support"),
    ("4.1.3", "州民政局", "lead", None),
    ("4.4.4", "州妇女儿童工作委员会", "lead", None),
    ("4.4.4", "州妇联", "support", "lead"),
    ("5.2.2", "州委宣传部", None, "support"),
    ("5.2.2", "州广电局", None, "support"),
    ("6.1.5", "州卫生健康委", "support", None),
    ("7.1", "州广电局", None, "lead"),
    ("9.1", "县级以上政府及各级联席会议成员单位", None, "lead"),
    ("9.2", "州级联席会议各成员单位", None, "lead"),
    ("9.3", "州委政法委", None, "lead"),
    ("9.3", "州级联席会议各成员单位", None, "support"),
}

#: Spellings that differ from the member list's, read off the document: (task, part, as written).
VARIANTS = {
    ("3.1", "table", "各成员单位"),
    ("4.1.1", "table", "州人力资源和社会保障局"),
    ("4.3.1", "table", "州发改委"),
    ("4.3.4", "table", "州人力资源和社会保障局"),
    ("4.4.1", "table", "州人力资源和社会保障局"),
    ("7.5", "table", "州委宣传委"),
}

NARRATIVE_START = "一、指导思想"
TABLE_TITLE = "德宏州反对拐卖人口行动计划（2022—2030年）年度实施方案"


def _regions(text: str) -> tuple[int, int]:
    start = text.index(NARRATIVE_START)
    return start, text.index(TABLE_TITLE, start)


def _line(text: str, offset: int) -> int:
    return text.count("\n", 0, offset) + 1


def test_fifty_six_tasks_with_the_plans_numbering(plan):
    assert sorted(plan.tasks) == sorted(NOTATIONS)


def test_task_titles_are_headings_of_the_narrative(plan, source_text):
    start, end = _regions(source_text)
    for task in plan.tasks.values():
        heading = re.compile(r"(?m)^(?:\d+\.\s*|[（(][一二三四五六七八九][）)])" + re.escape(task.title))
        assert heading.search(source_text, start, end), task.notation


@pytest.mark.parametrize("notation,title", [
    ("3.1", "州级联席会议制度"), ("4.3.4", "边境地区"), ("5.4", "解救"), ("5.3.4", "严惩涉拐“黑灰”产业"),
    ("7.6", "重点地区宣传教育"), ("7.9.2", "边境口岸地区反拐力量建设"), ("9.3", "考核评价"),
])
def test_selected_titles(plan, notation, title):
    assert plan.tasks[notation].title == title


def test_every_quote_equals_the_source_at_its_offsets(plan_graph, source_text):
    checked = 0
    for ref in set(plan_graph.subjects(OA.hasSource, None)):
        exact = start = end = None
        for selector in plan_graph.objects(ref, OA.hasSelector):
            exact = plan_graph.value(selector, OA.exact) or exact
            start = plan_graph.value(selector, OA.start) or start
            end = plan_graph.value(selector, OA.end) or end
        assert source_text[int(start):int(end)] == str(exact)
        assert int(plan_graph.value(ref, ATK.line)) == _line(source_text, int(start))
        checked += 1
    assert checked > 1000


def test_source_digest_is_the_files(plan_graph):
    digest = hashlib.sha256(SOURCE.read_bytes()).hexdigest()
    assert list(plan_graph.objects(None, ATK.sha256)) == [Literal(digest)]


def test_every_fact_carries_evidence(plan_graph):
    for cls in (ATK.Task, ATK.Assignment, ATK.Milestone, ATK.Deadline, ATK.OngoingSpan, ATK.RecurringDuty,
                ATK.ProgressEntry, ATK.Mention, ATK.TaskStatement):
        for node in plan_graph.subjects(None, cls):
            assert plan_graph.value(node, ATK.evidence) is not None, node


def _graph_lists(plan, part):
    out = defaultdict(lambda: {"lead": [], "support": []})
    for task in plan.tasks.values():
        for m in task.mentions:
            if m.part == part:
                out[task.notation][m.role].append(m.unit.short_name)
    return out


def test_narrative_lists_equal_the_parentheticals(plan, source_text, ):
    """Every '（…负责，…配合）' of the narrative, split by hand, against the graph's lists."""
    start, end = _regions(source_text)
    pattern = re.compile(r"（([^（）]+?)负责(?:，([^（）]+?)配合)?）")
    lists = _graph_lists(plan, "narrative")
    by_offset = {t.statements["narrative"].span: t.notation for t in plan.tasks.values()}
    seen = 0
    for m in pattern.finditer(source_text, start, end):
        notation = next(n for span, n in by_offset.items() if span.start <= m.start() < span.end)
        registry = plan.registry
        for group, role in ((1, "lead"), (2, "support")):
            names = [registry.get(n).short_name for n in re.split("[、，]", m.group(group) or "") if n]
            assert lists[notation][role] == names, (notation, role)
        seen += 1
    assert seen == 52        # 56 tasks less 三(一) and 九(一)–(三), which state no units in the narrative


def test_table_lists_equal_the_unit_cells(plan, source_text):
    """Each table row's unit cells, found by content rather than position, against the graph's lists."""
    lists = _graph_lists(plan, "table")
    rows = {t.statements["table"].line: t.notation for t in plan.tasks.values()}
    lines = source_text.split("\n")
    for line_no, notation in rows.items():
        cells = [re.sub(r"\s+", "", c) for c in lines[line_no - 1].split("\t")]
        unit_cells = [c for c in cells if c and all(plan.registry.get(n) for n in re.split("[、，,]", c) if n)]
        expected = [[plan.registry.get(n).short_name for n in re.split("[、，,]", c) if n] for c in unit_cells]
        got = [lists[notation]["lead"]] + ([lists[notation]["support"]] if lists[notation]["support"] else [])
        assert got == expected, notation


def test_the_two_parts_disagree_exactly_where_the_document_does(plan):
    narrative, table = _graph_lists(plan, "narrative"), _graph_lists(plan, "table")
    found = set()
    for notation in plan.tasks:
        roles = defaultdict(dict)
        for part, lists in (("narrative", narrative), ("table", table)):
            for role in ("lead", "support"):
                for unit in lists[notation][role]:
                    roles[unit][part] = role
        for unit, r in roles.items():
            if r.get("narrative") != r.get("table"):
                found.add((notation, unit, r.get("narrative"), r.get("table")))
    assert found == DISAGREEMENTS


def test_spelling_variants_are_kept_as_written(plan):
    found = {(t.notation, m.part, m.written) for t in plan.tasks.values() for m in t.mentions
             if m.written != m.unit.short_name}
    assert found == VARIANTS


def test_a_unit_listed_twice_keeps_both_places(plan, plan_graph):
    twice = Counter((t.notation, m.part, m.role, m.unit.short_name) for t in plan.tasks.values() for m in t.mentions)
    assert {k for k, n in twice.items() if n > 1} == {("4.4.1", "table", "support", "州财政局")}
    from antitraffick_kg.plan.graph import task_iri

    node = task_iri("dehong-2022-2030", "4.4.1") + "/assignment/table/support/finance-bureau"
    assert len(list(plan_graph.objects(node, ATK.evidence))) == 2


def test_joint_meeting_members_are_the_list_of_section_three(plan, source_text):
    m = re.search(r"（三）州级联席会议成员单位。(.+?)为成员单位", source_text)
    names = [n for n in re.split("[、，]", m.group(1)) if n]
    assert len(names) == 36
    assert [x.unit.short_name for x in plan.members] == names


def test_every_registry_unit_is_named_in_the_source(plan, source_text):
    for unit in plan.registry:
        assert any(name in source_text for name in unit.names), unit.short_name
    for unit in plan.registry:
        for name in unit.variants:
            assert plan.registry.resolve(name) is unit


def test_office_is_housed_in_the_public_security_bureau(plan, source_text):
    office, host, span = plan.office
    assert (office.short_name, host.short_name) == ("联席会议办公室", "州公安局")
    assert source_text[span.start:span.end] == "办公室在州公安局"


def test_every_deadline_of_the_table_is_a_milestone(plan, source_text):
    _, table_start = _regions(source_text)
    expected = {(m.start(), int(m.group(1))) for m in re.finditer(r"(\d{4})年(?:底前|内)", source_text)
                if m.start() > table_start}
    got = {(ms.span.start, ms.year) for t in plan.tasks.values() for ms in t.milestones if ms.kind == "deadline"}
    assert got == expected and len(expected) == 23


def test_every_long_term_cell_is_an_ongoing_span(plan, source_text):
    for task in plan.tasks.values():
        for cell in task.progress:
            if "长期坚持" in source_text[cell.span.start:cell.span.end]:
                spans = [ms for ms in task.milestones if ms.kind == "ongoing"
                         and cell.span.start <= ms.span.start < cell.span.end]
                assert len(spans) == 1 and spans[0].until == 2030, task.notation


def test_recurring_duties(plan):
    got = {(t.notation, ms.recurrence, ms.year) for t in plan.tasks.values() for ms in t.milestones
           if ms.kind == "recurring"}
    assert got == {
        ("3.1", "每年至少召开一次联席会议成员单位会议或者联络员会议", 2022),
        ("3.1", "每年一季度召开成员单位会议或联络员会议", 2023),
        ("7.1", "每年至少制作一期反拐和预防性侵害未成年人的广播电视节目或公益广告", 2022),
        ("9.1", "每年2月15日前向本级联席会议办公室报告上一年度工作情况", 2023),
    }


@pytest.mark.parametrize("notation,target,ongoing_from", [
    ("3.1", 2030, 2023), ("4.1.1", 2023, 2024), ("4.1.2", 2022, 2024), ("4.1.3", 2025, 2026),
    ("4.3.1", 2030, 2022), ("5.1.1", 2023, 2024), ("5.2.3", 2023, 2024), ("7.1", 2030, 2023),
    ("9.1", 2022, 2023),
])
def test_target_year_and_ongoing_start(plan, notation, target, ongoing_from):
    task = plan.tasks[notation]
    assert task.target_year == target
    assert [ms.year for ms in task.milestones if ms.kind == "ongoing"] == [ongoing_from]


def test_target_year_rule_holds_for_every_task(plan_graph):
    for task in plan_graph.subjects(None, ATK.Task):
        deadlines = [int(plan_graph.value(m, ATK.year)) for m in plan_graph.objects(task, ATK.hasMilestone)
                     if (m, None, ATK.Deadline) in plan_graph]
        assert int(plan_graph.value(task, ATK.targetYear)) == (max(deadlines) if deadlines else 2030)


def test_numbering_anomalies_are_recorded(plan):
    numbering = {(f.line, f.task) for f in plan.findings if f.kind == "numbering"}
    assert (129, "5.4") in numbering           # second （三） of section 五
    assert (262, "5.2.1") in numbering         # table row with no （二） label
    assert any(line == 238 for line, _ in numbering)   # table's '一、 犯罪预防'
    assert plan.tasks["5.4"].narrative_number == "五(三)"
    assert plan.tasks["5.4"].table_number == "三(四)"


def test_example_tag_rests_on_the_tasks_own_words(plan, source_text):
    border = "https://w3id.org/antitraffick-kg/id/concept/border-area"
    tagged = {t.notation for t in plan.tasks.values() for c in t.concepts if c.concept == border}
    assert tagged == {"4.3.4", "7.6"}
    for t in plan.tasks.values():
        for c in t.concepts:
            assert source_text[c.span.start:c.span.end] == c.term


def test_task_notations_are_skos_notations(plan_graph):
    got = sorted(str(n) for t in plan_graph.subjects(None, ATK.Task) for n in plan_graph.objects(t, SKOS.notation))
    assert got == sorted(NOTATIONS)


@pytest.mark.parametrize(("words", "places"), [
    ("加强沿边一线巡查。", {"border-area"}), ("做好抵边村寨群众工作。", {"border-area"}),
    ("加强边境一线管控。", {"border-area"}), ("做好社区矫正对象管理。", set()),
    ("做好社区矫正对象和社区群众工作。", {"community"}),
])
def test_places_as_sibling_plans_write_them(words, places):
    """沿边一线 and 抵边村寨 are border areas; 社区矫正 (community correction) names no community (before, it was
    tagged 社区, and the border phrases nothing)."""
    from antitraffick_kg.plan.tags import load_concepts, tag_task
    from antitraffick_kg.resources import data_path

    from small_plans import read

    plan = read(["一、预防", f"1.甲事。{words}（州公安局负责）", "2.乙事。开展。（州公安局负责）"])
    tag_task(plan, plan.tasks["1.1"], load_concepts(data_path() / "concepts.ttl"))
    assert {c.concept.rsplit("/", 1)[-1] for c in plan.tasks["1.1"].concepts if c.scheme == "place"} == places


def test_rural_women_of_any_age_are_not_young_rural_women():
    """开展农村妇女就业技能培训 was tagged 农村青年妇女 (young rural women): 农村妇女 is its own concept, broader."""
    from antitraffick_kg.plan.tags import load_concepts, tag_task
    from antitraffick_kg.resources import data_path

    from small_plans import read

    plan = read(["一、预防", "1.甲事。开展农村妇女就业技能培训。（州妇联负责）", "2.乙事。关爱农村青年妇女。（州妇联负责）"])
    index = load_concepts(data_path() / "concepts.ttl")
    groups = {}
    for notation in ("1.1", "1.2"):
        tag_task(plan, plan.tasks[notation], index)
        groups[notation] = {c.concept.rsplit("/", 1)[-1] for c in plan.tasks[notation].concepts
                            if c.scheme == "target-group"}
    assert groups == {"1.1": {"rural-women"}, "1.2": {"rural-young-women"}}
