"""The reader on the national plan's form: each area's 1.工作目标。 (a goal, no task) before 2.行动措施。 with its
measures （1）…（X负责，Y配合）, a measure's parts listed after its clause on dashed lines (——…), a text in
Traditional script.  The text, units and plan facts are written here for the tests (made up in that form).
"""

from __future__ import annotations

import functools

import pytest

from small_plans import import_folder, plan_toml

UNITS = """id,short_name,variants,full_name,name_en,kind,function
political-legal,中央政法委,,,Political and Legal Affairs Commission,party-organ,political-legal-affairs
justice,司法部,,,Ministry of Justice,government-department,justice
education,教育部,,,Ministry of Education,government-department,education
public-security,公安部,,,Ministry of Public Security,government-department,public-security
civil-affairs,民政部,,,Ministry of Civil Affairs,government-department,civil-affairs
womens-federation,全国妇联,,,All-China Women's Federation,mass-organisation,womens-federation
"""
TEXT = [
    "國務院辦公廳關於印發某國反對拐賣人口行動計劃（2021—2030年）的通知",            # 1
    "國辦發〔2099〕1號",                                                             # 2
    "某國反對拐賣人口行動計劃（2021—2030年）",                                       # 3
    "一、指導思想和總體目標",                                                        # 4
    "（一）指導思想。",                                                              # 5
    "堅持以人為本、綜合治理。",                                                      # 6
    "二、行動措施和任務分工",                                                        # 7
    "（一）健全預防犯罪機制。",                                                      # 8
    "1.工作目標。",                                                                  # 9
    "完善預防拐賣人口犯罪的網絡，減少拐賣人口犯罪發生。",                            # 10
    "2.行動措施。",                                                                  # 11
    "（1）加強部門聯動，建立發現、舉報拐賣人口犯罪工作機制。（中央政法委、司法部負責，教育部、公安部、民政部配合）",  # 12
    "（2）加強重點行業、重點地區和重點人群預防犯罪工作。（中央政法委負責，公安部、全國婦聯配合）",  # 13
    "——加強人力資源市場管理，規範職業介紹活動。",                                    # 14
    "——加強婚姻登記管理。",                                                          # 15
]
PLAN_TOML = plan_toml(title="某国反对拐卖人口行动计划（2021—2030年）", number="国办发〔2099〕1号", period="2021-2030",
                      level="national", jurisdiction="100000")
_plan = functools.partial(import_folder, plan_toml=PLAN_TOML, units=UNITS, strict=False)


@pytest.fixture(scope="module")
def national(tmp_path_factory):
    return _plan(tmp_path_factory.mktemp("national") / "national", TEXT)


def test_the_measures_are_tasks_each_with_its_own_clause(national):
    assert not national.problems
    assert {n: [(m.role, m.unit.short_name) for m in t.mentions] for n, t in national.tasks.items()} == {
        "2.1.2.1": [("lead", "中央政法委"), ("lead", "司法部"), ("support", "教育部"), ("support", "公安部"),
                    ("support", "民政部")],
        "2.1.2.2": [("lead", "中央政法委"), ("support", "公安部"), ("support", "全国妇联")]}


def test_a_measure_s_dashed_parts_after_its_clause_are_its_words(national):
    words = national.tasks["2.1.2.2"].statements["narrative"].span
    text = national.text[words.start:words.end]
    assert text.startswith("（2）加强重点行业") and text.endswith("——加强婚姻登记管理。")
    assert national.tasks["2.1.2.2"].title == "加强重点行业、重点地区和重点人群预防犯罪工作"


def test_a_goal_is_no_task_and_says_so_where_the_measures_beside_it_name_their_units(national):
    assert [(f.line, f.message) for f in national.findings if f.kind == "goal"] == [
        (9, "二(一)1 '工作目标' states a goal, not a task: it names no units, and none is assigned")]
    assert "2.1.1" not in national.tasks


def test_a_paragraph_after_the_dashed_lines_leaves_the_clause_unread_and_says_so(tmp_path):
    """Only dashed lines may follow the clause: a plain paragraph after them is no list of the measure's parts."""
    plan = _plan(tmp_path / "after", [*TEXT, "加強宣傳。"])
    assert "2.1.2.2" not in plan.tasks
    assert [p.line for p in plan.problems] == [13]


def test_a_heading_that_is_no_goal_without_a_clause_is_still_a_problem(tmp_path):
    plan = _plan(tmp_path / "other", [line.replace("工作目標", "工作機制") for line in TEXT])
    assert [(p.line, p.code) for p in plan.problems] == [(9, "no-units")]


def test_only_a_goal_heading_is_a_goal_a_measure_that_reaches_one_is_a_task_without_units(tmp_path):
    plan = _plan(tmp_path / "reach", [*TEXT[:13], "（3）实現目標。各地將反拐工作納入考核，確保完成。"])
    assert [(p.line, p.code) for p in plan.problems] == [(14, "no-units")]
    assert [f.line for f in plan.findings if f.kind == "goal"] == [9]


def test_dashed_lines_with_units_of_their_own_leave_the_measure_its_clause_and_are_a_problem_each(tmp_path):
    plan = _plan(tmp_path / "own", [*TEXT[:14], "——加強婚姻登記管理。（民政部負責）", "——加強網絡巡查。（公安部負責）"])
    assert [(m.role, m.unit.short_name) for m in plan.tasks["2.1.2.2"].mentions] == [
        ("lead", "中央政法委"), ("support", "公安部"), ("support", "全国妇联")]
    assert [(p.line, p.code) for p in plan.problems] == [(15, "dashed-clause"), (16, "dashed-clause")]


def test_two_paragraphs_each_with_a_clause_under_one_heading_are_a_problem_for_the_first(tmp_path):
    plan = _plan(tmp_path / "two", [*TEXT[:13], "加強網絡巡查。（公安部負責）"])
    assert [(m.role, m.unit.short_name) for m in plan.tasks["2.1.2.2"].mentions] == [("lead", "公安部")]
    assert [(p.line, p.code) for p in plan.problems] == [(13, "inner-clause")]
