"""The plan reader on small texts in the genre's style: the notice header, the narrative scheme and the annual
table, read in milliseconds each (no build, no store), so a wrong reading of one habit fails one test.

The units are Dehong's (``data/dehong-2022-2030/units.csv``); every expected value is read off the texts of
``small_plans.py`` and of each test.  The genre's habits are in ``test_parse_habits.py``.
"""

from __future__ import annotations

import pytest

from antitraffick_kg.plan.corrections import Correction, Reading
from antitraffick_kg.plan.model import Span
from antitraffick_kg.plan.planinfo import PlanInfo

from small_plans import HEADER, NARRATIVE, TABLE, T, read, roles


@pytest.fixture(scope="module")
def small():
    return read(HEADER + NARRATIVE + TABLE)


def test_the_header_gives_number_issuer_title_period_scheme_and_the_plan_it_implements(small):
    plan = small
    assert plan.doc_number == ("德政办发〔2022〕3号", Span(21, 33))
    assert plan.issuer[0].short_name == "州政府办公室" and plan.quote(plan.issuer[1]) == "德宏傣族景颇族自治州人民政府办公室"
    assert plan.title == (HEADER[3], Span(34, 80))
    assert plan.period[:2] == (2022, 2030) and plan.quote(plan.period[2]) == "（2022—2030年）"
    assert plan.scheme_title == ("德宏州反对拐卖人口行动计划实施方案", Span(126, 143))
    assert plan.implements[:2] == ("云政办发〔2021〕50号", "云南省反对拐卖人口行动计划实施细则")
    assert plan.quote(plan.implements[2]) == "《云南省反对拐卖人口行动计划实施细则》（云政办发〔2021〕50号"
    assert plan.table_title == (TABLE[0], Span(425, 456))
    assert (plan.narrative_lines, plan.table_lines, plan.table_rows) == ((7, 23), (25, 29), 3)


def test_sections_that_name_no_units_are_areas_with_their_place(small):
    assert [(a.notation, a.written, a.title, a.line, a.parent, small.quote(a.span))
            for a in small.areas.values()] == [
        ("1", "一", "指导思想", 7, None, "指导思想"), ("2", "二", "组织体系", 9, None, "组织体系"),
        ("2.1", "二(一)", "州级联席会议成员单位", 10, "2", "州级联席会议成员单位"),
        ("2.2", "二(二)", "联席会议办公室", 12, "2", "联席会议办公室"),
        ("3", "三", "预防犯罪", 14, None, "预防犯罪"), ("3.1", "三(一)", "宣传教育", 15, "3", "宣传教育"),
        ("4", "四", "打击犯罪", 21, None, "打击犯罪")]


def test_the_member_list_and_the_office_are_read_with_their_units(small):
    assert [(m.unit.short_name, m.position, m.line, small.quote(m.span)) for m in small.members] == [
        ("州公安局", 1, 10, "州公安局"), ("州民政局", 2, 10, "州民政局"), ("州妇联", 3, 10, "州妇联")]
    office, host, span = small.office
    assert (office.short_name, host.short_name, small.quote(span)) == ("联席会议办公室", "州公安局", "办公室在州公安局")


def test_each_task_has_both_parts_its_units_and_its_progress_cells_by_year(small):
    plan = small
    assert list(plan.tasks) == ["3.1.1", "3.1.2", "3.2", "4.1"]
    one = plan.tasks["3.1.1"]
    assert (one.title, one.area, one.narrative_number, one.table_number) == ("重点人群", "3.1", "三(一)1", "三(一)1")
    assert {part: (s.line, plan.quote(s.span)) for part, s in one.statements.items()} == {
        "narrative": (16, NARRATIVE[9]), "table": (27, "1.重点人群。开展反拐宣传。")}
    assert roles(plan, "3.1.1") == [
        ("narrative", "lead", "州妇联", 1, 16, "州妇联"), ("narrative", "support", "州教育体育局", 1, 16, "州教育体育局"),
        ("narrative", "support", "团州委", 2, 16, "团州委"), ("table", "lead", "州妇联", 1, 27, "州妇联"),
        ("table", "support", "州教育体育局", 1, 27, "州教育体育局"), ("table", "support", "团州委", 2, 27, "团州委")]
    # the first cell after the support cell is the plan's first year; an empty cell keeps its year
    assert [(c.column_year, c.position, c.line, plan.quote(c.span)) for c in one.progress] == [
        (2022, 1, 27, "全面部署"), (2024, 2, 27, "长期坚持")]
    two = plan.tasks["3.1.2"]
    assert (two.table_number, roles(plan, "3.1.2")) == ("三(一)2", [      # the row carries the section above it
        ("narrative", "lead", "州公安局", 1, 17, "州公安局"), ("table", "lead", "州公安局", 1, 28, "州公安局")])
    assert [(c.column_year, c.position, c.line) for c in two.progress] == [(2023, 1, 28)]
    assert plan.tasks["4.1"].table_number == "四1" and plan.tasks["4.1"].area == "4"
    assert [(c.column_year, c.line, plan.quote(c.span)) for c in plan.tasks["4.1"].progress] == [(2022, 29, "持续推进")]


def test_a_subsection_ending_with_a_colon_is_one_task_with_the_clause_after_its_last_point(small):
    task = small.tasks["3.2"]
    assert (task.title, task.area, task.narrative_number, task.table_number) == ("出租房屋管理", "3", "三(二)", None)
    assert small.quote(task.statements["narrative"].span) == "\n".join(NARRATIVE[11:14])
    assert roles(small, "3.2") == [("narrative", "lead", "州公安局", 1, 20, "州公安局"),
                                   ("narrative", "support", "州民政局", 1, 20, "州民政局")]
    assert "3.2.1" not in small.tasks and "3.2" not in small.areas


def test_an_item_without_a_clause_where_its_section_names_units_is_a_problem_and_an_open_list_a_finding(small):
    assert [(p.line, p.code, p.message) for p in small.problems] == [
        (23, "no-units", "四2 '网络清理' names no units: no clause such as '（X负责，Y配合）' closes it")]
    assert [(f.kind, f.line, f.task, small.quote(f.span), f.message) for f in small.findings] == [
        ("open-list", 17, "3.1.2", "（州公安局等负责）", "the lead list ends with 等 (and others): the document leaves it open")]


# -- the annual table's habits ---------------------------------------------------------------------------------
QUIRKS = [
    TABLE[0],                                                                                       # 24
    T.join(["项目", "单位", "2022年", "2023年"]),                                                    # 25: a header
    "----\t---",                                                                                    # 26: a rule
    T.join(["三 预防犯罪", "(一) 宣传", "1.重点人群。开展反拐宣传。", "州妇联", "州教育体育局、团州委", "部署"]),  # 27
    T.join(["三、预防犯罪", "(二) 宣传教育", "3.边境地区。加强安全教育。", "州公安局", "", "", "年内完成"]),  # 28
    T.join(["二、预防犯罪", "", "1.专案侦办。严格落实。", "州公安局", "加强配合，形成合力", "持续"]),        # 29
    T.join(["四、打击犯罪", "(一) 宣传教育"]),                                                       # 30
    T.join(["", "2.网络清理。严厉打击。", "", "州公安局"]),                                           # 31
    T.join(["", "5.不存在的任务。", "州公安局"]),                                                     # 32
    T.join(["", "1.重点人群。开展反拐宣传。", "州妇联"]),                                              # 33
]


@pytest.fixture(scope="module")
def quirks():
    narrative = NARRATIVE[:-1] + ["2.网络清理。严厉打击网络犯罪。（州公安局负责）"]
    return read(HEADER + narrative + QUIRKS)


def test_table_rows_are_placed_by_their_heading_and_carry_the_labels_above_them(quirks):
    plan = quirks
    assert plan.table_rows == 6     # headers, the rule and a line of labels alone are no rows
    assert {n: t.table_number for n, t in plan.tasks.items()} == {
        "3.1.1": "三(一)1", "3.1.2": "三(二)3", "3.2": None, "4.1": "二(二)1", "4.2": "四(一)2"}
    assert {n: t.statements["table"].line for n, t in plan.tasks.items() if "table" in t.statements} == {
        "3.1.1": 27, "3.1.2": 28, "4.1": 29, "4.2": 31}
    # a blank cell before the lead cell is skipped; a support cell that names no unit is a progress cell
    assert roles(plan, "4.2")[1] == ("table", "lead", "州公安局", 1, 31, "州公安局")
    assert [(c.column_year, c.position, plan.quote(c.span)) for c in plan.tasks["4.1"].progress] == [
        (2022, 1, "加强配合，形成合力"), (2022, 2, "持续")]
    assert [(m.part, m.role) for m in plan.tasks["4.1"].mentions] == [("narrative", "lead"), ("table", "lead")]


def test_what_the_table_cannot_place_is_a_problem_naming_its_line(quirks):
    assert [(p.line, p.code, p.message) for p in quirks.problems] == [
        (30, "unplaced-row", "table line with labels but no task text"),
        (29, "not-units", "support cell of task 4.1 names no unit: '加强配合，形成合力…'"),
        (32, "unmatched-row", "table row '不存在的任务' matches no narrative item"),
        (33, "duplicate-row", "second table row for task 3.1.1")]


def test_where_the_table_numbers_or_names_differently_from_the_narrative_are_findings(quirks):
    assert [(f.kind, f.line, f.task, f.message) for f in quirks.findings if f.kind != "open-list"] == [
        ("numbering", 29, "4.1", "annual table numbers section 预防犯罪 '二' on this row but '三' elsewhere"),
        ("numbering", 27, "3.1.1", "annual table row for 3.1.1 stands under (一) 宣传; the narrative puts it "
                                   "under 三(一) 宣传教育"),
        ("numbering", 28, "3.1.2", "annual table numbers item 3; it is item 2 of its subsection"),
        ("title", 29, "4.1", "annual table calls section 四 '预防犯罪'; the narrative calls it '打击犯罪'")]
    assert [quirks.quote(f.span) for f in quirks.findings if f.kind == "numbering" and f.span] == ["1.专案侦办。严格落实。"]


def test_a_row_with_its_text_alone_has_no_lead_cell():
    plan = read(HEADER + NARRATIVE[:-1] + TABLE[:2] + [T.join(["四、打击犯罪", "1.专案侦办。严格落实责任制。"])])
    assert [(p.line, p.code, p.message) for p in plan.problems] == [
        (25, "no-lead", "table row for 4.1 has no lead cell")]
    assert [m.part for m in plan.tasks["4.1"].mentions] == ["narrative"] and plan.tasks["4.1"].progress == []


# -- corrections and readings ------------------------------------------------------------------------------------
def test_corrections_place_a_row_and_drop_a_support_cell_and_become_findings():
    table = TABLE[:4] + [T.join(["", "", "2.边境。加强安全教育。", "州公安局", "年内完成"]),               # 28
                         T.join(["四、打击犯罪", "1.专案侦办。严格落实责任制。", "州公安局", "持续推进", "长期坚持"])]  # 29
    corrections = [
        Correction(line=28, expect="2.边境。", action="task", task="3.1.2", reason="the row shortens the heading",
                   index=1, file="c.toml"),
        Correction(line=27, expect="1.专案侦办", action="no-support-cell", reason="the row has no support cell",
                   index=2, file="c.toml")]
    readings = [Reading(line=5, expect="实施细则", reading="实施细则X", reason="a test", index=1, file="c.toml")]
    plan = read(HEADER + NARRATIVE + table, corrections=corrections, readings=readings)
    assert plan.tasks["3.1.2"].table_number == "三(一)2" and plan.tasks["3.1.2"].statements["table"].line == 28
    # without its support cell the row's progress starts one cell earlier: 持续推进 is 2022's, 长期坚持 2023's
    assert [(c.column_year, plan.quote(c.span)) for c in plan.tasks["4.1"].progress] == [(2022, "持续推进"), (2023, "长期坚持")]
    assert [(m.part, m.role, m.unit.short_name) for m in plan.tasks["4.1"].mentions] == [
        ("narrative", "lead", "州公安局"), ("table", "lead", "州公安局")]
    # the task-corrected row's cell after the lead names no unit: a problem, and a progress cell of the first year
    assert [(c.column_year, plan.quote(c.span)) for c in plan.tasks["3.1.2"].progress] == [(2022, "年内完成")]
    assert [(p.line, p.code) for p in plan.problems] == [(28, "not-units"), (23, "no-units")]
    assert [(f.kind, f.line, f.task, f.span and plan.quote(f.span), f.message) for f in plan.findings
            if f.kind != "open-list"] == [
        ("garbled", 5, None, "实施细则", "garbled in the source: '实施细则' reads as '实施细则X'; a test"),
        ("title", 28, "3.1.2", None, "annual table heading '边境' differs from the narrative's '边境地区'"),
        ("correction", 28, "3.1.2", None, "the row shortens the heading"),
        ("correction", 29, "4.1", None, "the row has no support cell [the corrections entry gives line 27; "
                                        "its words stand on line 29]")]


def test_corrections_that_are_not_needed_or_name_no_task_are_problems():
    table = TABLE[:5] + [T.join(["", "", "2.边境。加强安全教育。", "州公安局", "年内完成"]),                # 29
                         T.join(["四、打击犯罪", "1.专案侦办。严格落实责任制。", "州公安局", "州民政局", "持续推进"])]  # 30
    corrections = [
        Correction(line=None, expect="1.重点人群", action="task", task="3.1.1", reason="r1", index=1, file="c.toml"),
        Correction(line=None, expect="2.边境。", action="task", task="9.9", reason="r2", index=2, file="c.toml"),
        Correction(line=None, expect="1.专案侦办", action="no-support-cell", reason="r3", index=3, file="c.toml")]
    plan = read(HEADER + NARRATIVE + table, corrections=corrections)
    assert [(p.line, p.code, p.message) for p in plan.problems] == [
        (30, "bad-correction", "correction #3 is not needed: the cell after the lead cell lists units"),
        (27, "bad-correction", "correction #1 is not needed: '重点人群' matches a narrative item"),
        (29, "bad-correction", "correction names task 9.9, which the narrative does not have"),
        (23, "no-units", "四2 '网络清理' names no units: no clause such as '（X负责，Y配合）' closes it")]
    assert [(f.kind, f.line, f.task) for f in plan.findings if f.kind == "correction"] == [
        ("correction", 27, "3.1.1"), ("correction", 29, "9.9"), ("correction", 30, "4.1")]
    assert "table" not in plan.tasks["3.1.2"].statements or plan.tasks["3.1.2"].statements["table"].line != 29


# -- the header against plan.toml -------------------------------------------------------------------------------
def test_a_header_that_differs_from_plan_toml_is_a_problem_on_each_line_that_differs():
    info = PlanInfo(title="某某", period=(2021, 2030), level="prefecture", jurisdiction="533100",
                    number="德政办发〔2022〕4号", issuer="州公安局", implements=("national-2021-2030",))
    plan = read(HEADER + NARRATIVE, info=info)
    assert [(p.line, p.message) for p in plan.problems if p.code == "header"] == [
        (3, "the header's document number 德政办发〔2022〕3号 differs from plan.toml's 德政办发〔2022〕4号"),
        (4, "the notice title's period 2022–2030 differs from plan.toml's 2021–2030"),
        (4, "the notice title does not contain plan.toml's title '某某'"),
        (1, "the header's issuer 德宏傣族景颇族自治州人民政府办公室 differs from plan.toml's 州公安局"),
        (5, "the text cites 云政办发〔2021〕50号 (yunnan-2021-2030), which plan.toml's implements does not list")]
    assert plan.period[:2] == (2022, 2030) and plan.issuer[0].short_name == "州政府办公室"   # the text's own


def test_a_header_that_agrees_with_plan_toml_is_no_problem():
    info = PlanInfo(title="德宏州反对拐卖人口行动计划实施方案", period=(2022, 2030), level="prefecture",
                    jurisdiction="533100", number="德政办发〔2022〕3号", issuer="德宏州人民政府办公室",
                    implements=("yunnan-2021-2030",))
    assert [p.code for p in read(HEADER + NARRATIVE, info=info).problems] == ["no-units"]


def test_plan_toml_gives_the_period_and_issuer_a_text_without_header_lacks():
    info = PlanInfo(title="某某", period=(2021, 2030), level="prefecture", jurisdiction="533100", issuer="州公安局")
    plan = read(NARRATIVE, info=info)
    assert (plan.period, plan.issuer[0].short_name, plan.issuer[1], plan.doc_number) == ((2021, 2030, None), "州公安局",
                                                                                        None, None)
    assert [p.code for p in plan.problems] == ["no-units"]
    assert read(NARRATIVE, info=PlanInfo(title="某某", period=(2021, 2030), level="prefecture",
                                         jurisdiction="533100")).issuer is None


def test_without_header_or_plan_toml_the_number_and_period_are_problems():
    plan = read(NARRATIVE)
    assert [(p.line, p.code, p.message) for p in plan.problems][:2] == [
        (1, "no-doc-number", "no document number such as '德政办发〔2022〕3号' in the header and no plan.toml"),
        (1, "no-period", "no plan period such as '(2022—2030年)' in the notice title and no plan.toml")]


def test_a_text_without_numbered_headings_or_with_a_table_but_no_title_is_a_problem():
    plan = read(HEADER + ["正文没有编号。"])
    assert [(p.line, p.code, p.message) for p in plan.problems] == [
        (1, "no-narrative", "no numbered heading such as '一、…', '（一）…' or '1.…' found")]
    assert plan.tasks == {} and plan.areas == {}
    plan = read(HEADER + NARRATIVE + TABLE[1:])
    assert (plan.problems[0].line, plan.problems[0].code, plan.problems[0].message) == (
        24, "no-table-title", "a table line (cells separated by tabs) with no annual table title '…年度实施方案' above it")
    assert (plan.table_title, plan.table_lines, plan.table_rows) == (None, (0, 0), 0)


