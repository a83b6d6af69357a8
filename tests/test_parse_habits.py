"""The plan reader on the genre's habits, each in a small text: the narrative's (会同, a clause cut off, excerpts,
members in words, a plan's own role words), the annual table's (labels that lost a numeral, rows without a number,
headings one character off), the header's, and where corrections and readings may stand.

The units are Dehong's (``data/dehong-2022-2030/units.csv``); every expected value is read off the text of each test.
"""

from __future__ import annotations

import pytest

from antitraffick_kg.plan.corrections import Correction, Reading
from antitraffick_kg.plan.model import ParsedPlan, Span
from antitraffick_kg.plan.parse import parse_plan
from antitraffick_kg.plan.planinfo import PlanInfo
from antitraffick_kg.plan.registry import UnitRegistry

from small_plans import HEADER, NARRATIVE, TABLE, T, read, roles


# -- the narrative's habits --------------------------------------------------------------------------------------
HABITS = [   # the line numbers count the 6 lines of HEADER before it
    "一、预防犯罪",                                                                                 # 7
    "1.宣传。开展宣传。（州公安局会同州民政局负责，州妇联、州教委等配合）",                         # 8
    "2.摸排。开展摸排。（州公安局负责，州妇联、团州",                                               # 9: cut in support
    "3.救助。开展救助。（州民政局、州妇",                                                           # 10: cut before a role
    "4.安置。开展安置。（州民政局负责，州妇联",                                                     # 11
    "（一）小节。小节文字。",                                                                       # 12
    "二、保障",                                                                                     # 13
    "（一）成员单位",                                                                               # 14
    "成员单位另行通知。",                                                                           # 15
    "（二）办公室",                                                                                 # 16
    "办公室设在别处。",                                                                             # 17
    "（三）经费保障。各部门保障经费。",                                                             # 18
]


@pytest.fixture(scope="module")
def habits():
    return read(HEADER + HABITS)


def test_huitong_joins_two_lead_units_and_an_unknown_name_is_a_problem_with_close_names(habits):
    assert roles(habits, "1.1") == [("narrative", "lead", "州公安局", 1, 8, "州公安局"),
                                    ("narrative", "lead", "州民政局", 2, 8, "州民政局"),
                                    ("narrative", "support", "州妇联", 1, 8, "州妇联")]
    assert (8, "unknown-unit", "unknown unit '州教委' in the support list; did you mean 团州委, 州发改委, 州关工委?") in [
        (p.line, p.code, p.message) for p in habits.problems]
    assert ("open-list", 8, "1.1", "the support list ends with 等 (and others): the document leaves it open") in [
        (f.kind, f.line, f.task, f.message) for f in habits.findings]


def test_a_clause_cut_off_keeps_the_units_its_surviving_role_words_close_and_guesses_nothing_after(habits):
    assert list(habits.tasks) == ["1.1", "1.2", "1.4"]           # 1.3 is cut before any role word: no task
    assert roles(habits, "1.2") == [("narrative", "lead", "州公安局", 1, 9, "州公安局")]
    assert roles(habits, "1.4") == [("narrative", "lead", "州民政局", 1, 11, "州民政局")]
    assert [(f.line, f.task, habits.quote(f.span), f.message) for f in habits.findings if f.kind == "cut-clause"] == [
        (9, "1.2", "（州公安局负责，州妇联、团州", "一2 '摸排': the unit clause breaks off, with no ）, where the text goes "
         "on (it ends '…公安局负责，州妇联、团州'); read as far as it goes: lead 州公安局; 州妇联 named after that, with "
         "no role word, not assigned"),
        (10, None, "（州民政局、州妇", "一3 '救助': the unit clause breaks off, with no ）, where the text goes on (it "
         "ends '…（州民政局、州妇') before any role word; 州民政局 named after that, with no role word, not assigned; "
         "no unit is assigned, so the item is no task"),
        (11, "1.4", "（州民政局负责，州妇联", "一4 '安置': the unit clause breaks off, with no ）, where the text goes on "
         "(it ends '…（州民政局负责，州妇联'); read as far as it goes: lead 州民政局; 州妇联 named after that, with no "
         "role word, not assigned")]


def test_a_subsection_after_items_is_numbered_on_and_one_with_words_but_no_clause_is_a_problem(habits):
    assert ("numbering", 12, "1.5", "narrative numbers this subsection 一(一) but it is number 5 of its level; the "
            "graph numbers it 1.5") in [(f.kind, f.line, f.task, f.message) for f in habits.findings]
    assert [(p.line, p.code, p.message) for p in habits.problems if p.code in ("no-units", "office", "members")] == [
        (14, "members", "member list not in the form 'A、B…为成员单位'"),
        (16, "office", "cannot tell where the joint-meeting office is housed"),
        (12, "no-units", "一(一) '小节' names no units: no clause such as '（X负责，Y配合）' closes it")]
    # the member list, the office and a section that names no units anywhere are areas, not problems
    assert [(a.notation, a.title) for a in habits.areas.values()] == [
        ("1", "预防犯罪"), ("1.5", "小节"), ("2", "保障"), ("2.1", "成员单位"), ("2.2", "办公室"), ("2.3", "经费保障")]
    assert habits.members == [] and habits.office is None


def test_an_excerpt_keeps_its_numbers_and_a_paragraph_without_clause_there_is_a_problem():
    plan = read(["（三）宣传教育", "1.重点人群。开展宣传。（州妇联负责）", "2.边境。说明文字。", "（四）其他",
                 "1.总结。总结文字。"])
    assert [(n, t.title, t.area, t.narrative_number) for n, t in plan.tasks.items()] == [("3.1", "重点人群", "3", "(三)1")]
    assert [(a.notation, a.written, a.title) for a in plan.areas.values()] == [("3", "(三)", "宣传教育"),
                                                                             ("4", "(四)", "其他")]
    assert [(p.line, p.code) for p in plan.problems if p.code == "no-units"] == [(3, "no-units"), (5, "no-units")]
    assert [(f.kind, f.line, f.message) for f in plan.findings] == [
        ("excerpt", 1, "subsection (三) has no heading above it; no heading of the text tells the section it stands "
                       "in, so its numbers start at the subsection (the document's section number is not in the "
                       "graph)")]


def test_an_excerpt_that_starts_below_a_section_and_reaches_one_keeps_what_comes_before_it():
    """An excerpt from the middle of section 三 that runs on into 四、: the task above 四、 is read, not dropped, and
    the excerpt finding says where the text starts; a numbered line of a notice above 一、 is still no task."""
    plan = read(["（三）宣传教育", "1.重点人群。开展宣传。（州妇联负责）", "四、打击犯罪",
                 "（一）专案侦办", "1.专案。严格落实。（州公安局负责，州妇联配合）"])
    # （三） stands in section 三, the one before 四、: its item is 3.3.1, as the document numbers it
    assert [(n, t.title, t.narrative_number) for n, t in plan.tasks.items()] == [
        ("3.3.1", "重点人群", "(三)1"), ("4.1.1", "专案", "四(一)1")]
    assert roles(plan, "3.3.1") == [("narrative", "lead", "州妇联", 1, 2, "州妇联")]
    assert [(f.kind, f.line, f.message) for f in plan.findings if f.kind == "excerpt"] == [
        ("excerpt", 1, "subsection (三) has no heading above it: read as in section 三 (the one before 四、 at line "
                       "3), as part of an excerpt that keeps the document's numbers"),
        ("excerpt", 3, "the text's first section is 四、, not 一、: read as part of an excerpt that keeps the "
                       "document's numbers")]
    notice = read(["（一）请各单位认真贯彻执行。", "一、总体要求", "1.重点人群。开展宣传。（州妇联负责）"])
    assert list(notice.tasks) == ["1.1"] and notice.narrative_lines[0] == 2


def test_a_member_list_in_words_without_a_full_stop_is_read():
    plan = read(["一、组织领导", "（一）州级联席会议成员单位", "州公安局、州民政局为成员单位", "二、预防犯罪",
                 "1.重点人群。开展宣传。（州妇联负责）"])
    assert [(m.unit.short_name, m.position, m.line) for m in plan.members] == [("州公安局", 1, 2), ("州民政局", 2, 2)]
    assert [p for p in plan.problems if p.code == "members"] == []
    two_lines = read(["一、组织领导", "（一）州级联席会议成员单位", "州公安局、州民政局、", "州妇联为成员单位", "二、预防犯罪",
                      "1.重点人群。开展宣传。（州妇联负责）"])      # the list runs on from the line after the heading
    assert [(m.unit.short_name, m.position, two_lines.quote(m.span)) for m in two_lines.members] == [
        ("州公安局", 1, "州公安局"), ("州民政局", 2, "州民政局"), ("州妇联", 3, "州妇联")]
    heading_only = read(["一、组织领导", "（一）州级联席会议成员单位", "二、预防犯罪", "1.重点人群。开展宣传。（州妇联负责）"])
    assert heading_only.members == [] and [p for p in heading_only.problems if p.code == "members"] == []


def test_a_table_cell_that_starts_with_a_full_stop_is_quoted_whole_when_it_matches_nothing():
    plan = read(HEADER + NARRATIVE + TABLE[:2] + [T.join(["四、打击犯罪", "。无标题的任务文字", "州公安局", "", "持续推进"])])
    assert [(p.line, p.message) for p in plan.problems if p.code == "unmatched-row"] == [
        (26, "table row '。无标题的任务文字' matches no narrative item")]


def test_a_heading_of_one_character_before_the_full_stop_is_that_character():
    plan = read(HEADER + NARRATIVE + TABLE[:2] + [T.join(["四、打击犯罪", "专。无此任务。", "州公安局"])])
    assert [(p.line, p.message) for p in plan.problems if p.code == "unmatched-row"] == [
        (26, "table row '专' matches no narrative item")]


def test_a_table_section_label_that_lost_its_numeral_is_read_when_a_subsection_or_an_item_follows_it():
    """A scan that dropped 三、 of 三、预防犯罪: the label is still the row's section (a numbering finding), whether a
    subsection label or the item itself comes next; a cell of more than 20 characters, or one with 。, is the
    row's text, not a label."""
    table = TABLE[:3] + [
        T.join(["预防犯罪", "(一) 宣传教育", "1.重点人群。开展反拐宣传。", "州妇联", "州教育体育局、团州委", "全面部署"]),  # 27
        T.join(["打击犯罪", "1.专案侦办。严格落实责任制。", "州公安局", "", "持续推进"])]                    # 28
    plan = read(HEADER + NARRATIVE + table)
    assert {n: (t.table_number, t.statements["table"].line) for n, t in plan.tasks.items() if "table" in t.statements} \
        == {"3.1.1": ("(一)1", 27), "4.1": ("1", 28)}
    assert [(p.line, p.code) for p in plan.problems] == [(23, "no-units")]
    assert [(f.kind, f.line, f.task, f.message) for f in plan.findings if f.kind != "open-list"] == [
        ("numbering", 27, "3.1.1", "annual table labels section 预防犯罪 with no numeral on this row"),
        ("numbering", 28, "4.1", "annual table labels section 打击犯罪 with no numeral on this row")]
    table = TABLE[:3] + [T.join(["长" * 20, "(一) 宣传教育", "1.重点人群。开展反拐宣传。", "州妇联"]),     # 27
                         T.join(["宽" * 21, "2.边境地区。加强安全教育。", "州公安局"]),                     # 28
                         T.join(["严格落实。", "1.专案侦办。严格落实责任制。", "州公安局"])]                 # 29
    plan = read(HEADER + NARRATIVE + table)
    assert {n: t.statements["table"].line for n, t in plan.tasks.items() if "table" in t.statements} == {"3.1.1": 27}
    assert [(p.line, p.code, p.message) for p in plan.problems if p.code != "no-units"] == [
        (28, "unmatched-row", f"table row '{'宽' * 21}' matches no narrative item"),
        (29, "unmatched-row", "table row '严格落实' matches no narrative item")]
    assert [(f.kind, f.line, f.message) for f in plan.findings if f.kind != "open-list"] == [
        ("numbering", 27, f"annual table labels section {'长' * 20} with no numeral on this row"),
        ("title", 27, f"annual table calls section 三 '{'长' * 20}'; the narrative calls it '预防犯罪'")]


def test_a_table_heading_one_character_off_its_item_matches_it_from_four_characters_on_and_two_off_does_not():
    narrative = ["一、预防犯罪", "1.重点人群。开展宣传。（州妇联负责）", "2.边境地区。加强教育。（州公安局负责）",   # 1-3
                 "3.网络。清理网络。（州委网信办负责）"]                                                         # 4
    table = [TABLE[0], TABLE[1],                                                                                # 5, 6
             T.join(["一、预防犯罪", "1.重点人君。开展宣传。", "州妇联"]),          # 7: four characters, one off
             T.join(["", "2.边界池区。加强教育。", "州公安局"]),                   # 8: two off
             T.join(["", "3.网洛。清理网络。", "州委网信办"])]                     # 9: three characters, one off
    plan = read(narrative + table)
    assert {n: t.statements["table"].line for n, t in plan.tasks.items() if "table" in t.statements} == {"1.1": 7}
    assert [(p.line, p.message) for p in plan.problems if p.code == "unmatched-row"] == [
        (8, "table row '边界池区' matches no narrative item"), (9, "table row '网洛' matches no narrative item")]
    assert [(f.kind, f.line, f.task, f.message) for f in plan.findings if f.kind == "title"] == [
        ("title", 7, "1.1", "annual table heading '重点人君' differs from the narrative's '重点人群'")]


def test_an_excerpt_before_its_first_section_names_units_in_the_plan_s_own_role_words():
    info = PlanInfo(title="某某", period=(2022, 2030), level="prefecture", jurisdiction="533100",
                    lead_words=("主办",), support_words=("协办",))
    plan = read(["（三）宣传教育", "1.重点人群。开展宣传。（州妇联主办）", "四、打击犯罪",
                 "1.专案。严格落实。（州公安局主办，州妇联协办）"], info=info)
    assert [(n, t.narrative_number) for n, t in plan.tasks.items()] == [("3.3.1", "(三)1"), ("4.1", "四1")]
    assert roles(plan, "3.3.1") == [("narrative", "lead", "州妇联", 1, 2, "州妇联")]
    assert plan.narrative_lines == (1, 4)


def test_a_sentence_numbered_like_a_section_is_no_section_heading_where_the_narrative_starts():
    """一、总体要求。坚持以人为本。 is a sentence, not a heading: a text with nothing else numbered has no narrative
    (a problem, not an empty plan), and where a subsection follows, the narrative starts at the subsection."""
    plan = read(["一、总体要求。坚持以人为本。"])
    assert [(p.line, p.code) for p in plan.problems if p.code == "no-narrative"] == [(1, "no-narrative")]
    assert plan.tasks == {}
    plan = read(["一、总体要求。坚持以人为本。", "（一）宣传。开展宣传。（州妇联负责）"])
    assert list(plan.tasks) == ["1"] and plan.narrative_lines == (2, 2)


def test_the_plan_s_own_role_words_replace_the_usual_ones():
    info = PlanInfo(title="某某", period=(2022, 2030), level="prefecture", jurisdiction="533100",
                    lead_words=("主办",), support_words=("协办",))
    plan = read(["一、预防", "1.宣传。开展宣传。（州公安局主办，州妇联协办）", "2.摸排。开展摸排。（州公安局负责）"], info=info)
    assert roles(plan, "1.1") == [("narrative", "lead", "州公安局", 1, 2, "州公安局"),
                                  ("narrative", "support", "州妇联", 1, 2, "州妇联")]
    assert list(plan.tasks) == ["1.1"] and [(p.line, p.code) for p in plan.problems] == [(3, "no-units")]


def test_header_lines_rules_and_blank_lines_of_the_table_are_no_rows_and_labels_are_at_most_20_characters():
    table = [TABLE[0],                                                                              # 24
             T.join(["工作项目", "工作任务", "负责单位", "配合单位", "工作进度计划"]),                 # 25
             T.join(["目", "", "", "", "2022年", "2023年"]),        # 26: the header's 工作项目 wrapped to a second line
             "",                                                                                    # 27
             "\t\t\t",                                                                              # 28
             "--- ---\t-- --",                                      # 29: a rule of dashes and spaces
             T.join(["三、" + "长" * 18, "(一)" + "宽" * 17, "1.重点人群。开展反拐宣传。", "州妇联"]),  # 30: labels of 20
             T.join(["三、" + "长" * 19, "2.边境地区。加强安全教育。", "州公安局"]),                   # 31: 21, text
             T.join(["", "(二)" + "宽" * 18, "州公安局"])]                                           # 32: 21, text
    plan = read(HEADER + NARRATIVE + table)
    assert plan.table_rows == 3
    assert plan.tasks["3.1.1"].table_number == "三(一)1" and plan.tasks["3.1.1"].statements["table"].line == 30
    assert [(p.line, p.code, p.message) for p in plan.problems if p.code != "no-units"] == [
        (31, "unmatched-row", f"table row '三、{'长' * 19}' matches no narrative item"),
        (32, "unmatched-row", f"table row '(二){'宽' * 18}' matches no narrative item")]
    assert [(f.kind, f.line, f.message) for f in plan.findings if f.kind != "open-list"] == [
        ("title", 30, f"annual table calls section 三 '{'长' * 18}'; the narrative calls it '预防犯罪'"),
        ("numbering", 30, f"annual table row for 3.1.1 stands under (一) {'宽' * 17}; the narrative puts it under "
                          "三(一) 宣传教育")]


def test_only_a_section_number_the_row_writes_counts_when_the_table_numbers_a_section_two_ways():
    table = TABLE[:3] + [
        T.join(["二、预防犯罪", "(一) 宣传教育", "1.重点人群。开展反拐宣传。", "州妇联"]),              # 27
        T.join(["", "", "2.边境地区。加强安全教育。", "州公安局"]),                  # 28: carries 二 without writing it
        T.join(["三、预防犯罪", "(二) 出租房屋管理", "加强出租房屋管理。", "州公安局"]),   # 29: a subsection as the task
        T.join(["三、预防犯罪", "1.专案侦办。严格落实责任制。", "州公安局"])]                            # 30
    plan = read(HEADER + NARRATIVE + table)
    assert {n: (t.table_number, t.statements["table"].line) for n, t in plan.tasks.items()} == {
        "3.1.1": ("二(一)1", 27), "3.1.2": ("二(一)2", 28), "3.2": ("三(二)", 29), "4.1": ("三(二)1", 30)}
    assert [(f.kind, f.line, f.task, f.message) for f in plan.findings if f.kind != "open-list"] == [
        ("numbering", 27, "3.1.1", "annual table numbers section 预防犯罪 '二' on this row but '三' elsewhere"),
        ("title", 30, "4.1", "annual table calls section 四 '预防犯罪'; the narrative calls it '打击犯罪'")]


def test_rows_without_a_number_a_full_stop_or_a_section_above_them_and_a_heading_two_items_share():
    narrative = ["一、指导思想", "1.坚持以人为本。统筹推进。",                                         # 7, 8
                 "二、预防犯罪", "（一）宣传教育", "1.重点人群。开展宣传。（州妇联负责）",                 # 9-11
                 "2.边境地区。加强教育。（州公安局负责）", "（二）网络宣传",                              # 12, 13
                 "1.重点人群。开展网络宣传。（州委网信办负责）",                                         # 14
                 "三、打击犯罪", "1.专案侦办。严格落实。（州公安局负责）"]                               # 15, 16
    table = [TABLE[0], TABLE[1],                                                                      # 17, 18
             T.join(["", "(一) 宣传教育", "2.边境地区", "州公安局", "州妇联、团州委"]),   # 19: no section yet, no 。
             T.join(["", "二、预防犯罪", "1.重点人群。开展宣传。", "州妇联"]),           # 20: a label after a blank cell
             T.join(["", "", "一、网络宣传。开展网络宣传。", "州委网信办"]),            # 21: a sentence, not a label
             T.join(["三、打击犯罪", "专案侦办。严格落实。", "州公安局", "州检察院"])]    # 22: no number: up to 。
    corrections = [Correction(line=None, expect="专案侦办。严格落实。", action="no-support-cell", reason="r",
                              index=1, file="c.toml")]
    plan = read(HEADER + narrative + table, corrections=corrections)
    assert {n: (t.table_number, t.statements["table"].line) for n, t in plan.tasks.items() if "table" in t.statements} \
        == {"2.1.2": ("?(一)2", 19), "3.1": ("三", 22)}
    assert list(plan.tasks) == ["2.1.1", "2.1.2", "2.2.1", "3.1"]     # the guiding section's paragraph is no task
    assert [(m.part, m.role, m.unit.short_name) for m in plan.tasks["2.1.2"].mentions][1:] == [
        ("table", "lead", "州公安局"), ("table", "support", "州妇联"), ("table", "support", "团州委")]
    assert [(c.column_year, plan.quote(c.span)) for c in plan.tasks["3.1"].progress] == [(2022, "州检察院")]
    assert [(p.line, p.code, p.message) for p in plan.problems] == [
        (22, "bad-correction", "correction #1 is not needed: the cell after the lead cell lists units"),
        (20, "unmatched-row", "table row '重点人群' matches more than one narrative item"),
        (21, "unmatched-row", "table row '一、网络宣传' matches no narrative item")]


def test_a_section_misnamed_is_one_finding_at_its_first_row_of_the_table_and_a_long_cell_is_quoted_cut():
    narrative = NARRATIVE[:-1] + ["2.网络清理。严厉打击网络犯罪。（州公安局负责）"]
    words = "加强各部门之间的协调配合形成打击合力并定期通报工作进展情况"                       # 29 characters, no unit
    table = [TABLE[0], TABLE[1],                                                                      # 24, 25
             T.join(["四、预防犯罪", "2.网络清理。严厉打击。", "州公安局", words]),                      # 26
             T.join(["", "1.专案侦办。严格落实责任制。", "州公安局"])]                                    # 27
    plan = read(HEADER + narrative + table)
    assert [(f.kind, f.line, f.task, f.message) for f in plan.findings if f.kind != "open-list"] == [
        ("title", 26, "4.2", "annual table calls section 四 '预防犯罪'; the narrative calls it '打击犯罪'")]
    assert [(p.line, p.code, p.message) for p in plan.problems] == [
        (26, "not-units", f"support cell of task 4.2 names no unit: '{words[:24]}…'")]
    assert [(c.column_year, plan.quote(c.span)) for c in plan.tasks["4.2"].progress] == [(2022, words)]


# -- the header's habits -------------------------------------------------------------------------------------------
def test_a_header_without_issuer_line_and_indented_is_still_read_and_a_sentence_that_prints_is_no_scheme_title():
    header = ["  德政办发〔2022〕3号",                                                                        # 1
              "  德宏州人民政府办公室关于印发德宏州反对拐卖人口行动计划实施方案（2022—2030年）的通知",        # 2
              "经州人民政府同意，现印发德宏州反对拐卖人口行动计划实施方案",                                  # 3
              "  德宏州反对拐卖人口行动计划实施方案"]                                                         # 4
    plan = read(header + NARRATIVE)
    assert (plan.doc_number, plan.issuer) == (("德政办发〔2022〕3号", Span(2, 14)), None)
    assert plan.title[0] == header[1].strip() and plan.quote(plan.title[1]) == header[1].strip()
    assert plan.period[:2] == (2022, 2030) and plan.quote(plan.period[2]) == "（2022—2030年）"
    assert plan.scheme_title == ("德宏州反对拐卖人口行动计划实施方案", Span(96, 113))
    assert plan.quote(plan.scheme_title[1]) == "德宏州反对拐卖人口行动计划实施方案"
    indented = read(["\u3000" + HEADER[0]] + HEADER[1:] + NARRATIVE)
    assert indented.quote(indented.issuer[1]) == "德宏傣族景颇族自治州人民政府办公室" and indented.issuer[1].start == 1


@pytest.mark.parametrize("at, read_as_header", [(40, True), (41, False)])
def test_only_the_first_40_lines_are_the_header(at, read_as_header):
    lines = ["一、指导思想"] + ["坚持以人为本。"] * (at - 2) + ["德政办发〔2022〕3号", "二、预防犯罪",
                                                           "1.重点人群。开展宣传。（州妇联负责）"]
    plan = read(lines)
    assert (plan.doc_number is not None) is read_as_header
    assert ("no-doc-number" in [p.code for p in plan.problems]) is not read_as_header


# -- where corrections and readings may stand ---------------------------------------------------------------------
@pytest.mark.parametrize("table, corrections, readings, message", [
    (TABLE, [Correction(line=None, expect="不存在", action="task", task="3.2", reason="r", index=1, file="c.toml")], [],
     "c.toml: correction #1: its expect words '不存在' stand on no row of the annual table of p.txt; quote words "
     "as they stand there"),
    (TABLE, [], [Reading(line=None, expect="不存在", reading="x", reason="r", index=1, file="c.toml")],
     "c.toml: reading #1: its expect words '不存在' stand on no line of p.txt; quote words as they stand there"),
    ([], [Correction(line=None, expect="网络清理", action="task", task="4.2", reason="r", index=1, file="c.toml")], [],
     "c.toml: correction #1: its expect words '网络清理' stand on no row of the annual table of p.txt; quote words "
     "as they stand there"),       # no table: on the narrative's last line, a correction stands nowhere
])
def test_a_correction_or_reading_whose_words_stand_nowhere_is_one_error_naming_it(table, corrections, readings,
                                                                                 message):
    from antitraffick_kg.errors import InputError

    with pytest.raises(InputError) as caught:
        read(HEADER + NARRATIVE + table, corrections=corrections, readings=readings)
    assert str(caught.value) == message


def test_a_reading_may_stand_on_the_first_line_or_a_table_row_and_a_correction_on_an_unmatched_row():
    readings = [Reading(line=1, expect="景颇族", reading="景頗族", reason="r1", index=1, file="c.toml"),
                Reading(line=None, expect="巡逻", reading="巡罗", reason="r2", index=2, file="c.toml")]
    corrections = [Correction(line=None, expect="5.不存在", action="no-support-cell", reason="r3", index=1,
                              file="c.toml")]
    lines = HEADER + NARRATIVE + TABLE[:4] + [
        T.join(["", "", "2.边境地区。加强安全教育。开展巡逻，巡逻到位。", "州公安局"]),                         # 28
        T.join(["", "", "5.不存在。", "州公安局"])]                                                             # 29
    plan = read(lines, corrections=corrections, readings=readings)
    assert [(f.kind, f.line, f.task, f.span and plan.quote(f.span), f.span and f.span.start) for f in plan.findings
            if f.kind in ("garbled", "correction")] == [
        ("garbled", 1, None, "景颇族", lines[0].index("景颇族")),
        ("garbled", 28, "3.1.2", "巡逻", plan.text.index("巡逻，")),       # the row's task; the first 巡逻
        ("correction", 29, None, None, None)]
    assert [(p.line, p.code) for p in plan.problems] == [(29, "unmatched-row"), (23, "no-units")]


# -- a subsection the table makes a task ----------------------------------------------------------------------------
def test_a_subsection_with_words_but_no_clause_that_a_table_row_names_is_a_task_not_an_area():
    narrative = NARRATIVE[:11] + ["（二）出租房屋管理。加强出租房屋管理。"] + NARRATIVE[14:]              # 18
    table = TABLE[:5] + [T.join(["三、预防犯罪", "(二) 出租房屋管理", "加强出租房屋管理。", "州公安局"])]  # 27
    plan = read(HEADER + narrative + table)
    assert "3.2" not in plan.areas and list(plan.areas) == ["1", "2", "2.1", "2.2", "3", "3.1", "4"]
    task = plan.tasks["3.2"]
    assert (task.title, task.area, task.narrative_number, task.table_number) == ("出租房屋管理", "3", "三(二)", "三(二)")
    assert [(m.part, m.role, m.unit.short_name, m.line) for m in task.mentions] == [("table", "lead", "州公安局", 27)]


def test_a_tabbed_line_ending_like_a_table_title_is_no_table_title():
    plan = read(HEADER + NARRATIVE + [T.join(["七、实施和保障", "各县市要制定本地年度实施方案"])])
    assert plan.table_title is None
    assert (plan.problems[0].line, plan.problems[0].code) == (24, "no-table-title")


def test_points_and_subitems_are_tasks_and_a_colon_folds_nothing_when_its_children_name_their_own_units():
    plan = read(["一、组织：",                                                   # 1: a section ending with a colon
                 "（一）联席会议成员单位",                                        # 2
                 "联席会议负责统筹。州公安局、州民政局为成员单位。",               # 3
                 "（二）加强管理：",                                               # 4
                 "（1）摸排。开展摸排。（州公安局负责）",                           # 5
                 "（2）核查。开展核查。（州民政局负责）",                           # 6
                 "（三）深度编号",                                                # 7
                 "1.第一项",                                                     # 8
                 "① 小点一。开展工作。（州妇联负责）",                              # 9
                 "② 小点二。开展工作。",                                          # 10
                 "（四）办公室",                                                  # 11
                 "联席会议下设办公室在州公安局。",                                 # 12
                 "（五）某某会议成员单位",                                        # 13
                 "会议负责协调。州公安局为成员单位。"])                             # 14
    assert [(n, t.title, t.area, t.narrative_number, t.statements["narrative"].line) for n, t in plan.tasks.items()] == [
        ("1.2.1", "摸排", "1.2", "一(二)(1)", 5), ("1.2.2", "核查", "1.2", "一(二)(2)", 6),
        ("1.3.1.1", "小点一", "1.3.1", "一(三)1①", 9)]
    assert [(a.notation, a.written, a.title, a.parent) for a in plan.areas.values()] == [
        ("1", "一", "组织：", None), ("1.1", "一(一)", "联席会议成员单位", "1"), ("1.2", "一(二)", "加强管理：", "1"),
        ("1.3", "一(三)", "深度编号", "1"), ("1.3.1", "一(三)1", "第一项", "1.3"), ("1.4", "一(四)", "办公室", "1"),
        ("1.5", "一(五)", "某某会议成员单位", "1")]
    assert [(p.line, p.code, p.message) for p in plan.problems][2:] == [
        (11, "office", "cannot tell where the joint-meeting office is housed"),
        (13, "members", "the joint meeting '某某会议' whose members this lists is not a unit of the plan's units.csv"),
        (10, "no-units", "一(三)1② '小点二' names no units: no clause such as '（X负责，Y配合）' closes it")]
    # each member list is read, the second one's members numbered on after the first's
    assert [(m.unit.short_name, m.position, m.line) for m in plan.members] == [
        ("州公安局", 1, 2), ("州民政局", 2, 2), ("州公安局", 3, 13)]
    assert plan.office is None


def test_rows_after_a_blank_cell_a_duplicate_or_without_a_subsection_label_are_still_read():
    narrative = NARRATIVE[:-1] + ["2.网络清理。严厉打击网络犯罪。（州公安局负责）"]
    table = [TABLE[0], TABLE[1],                                                                     # 24, 25
             T.join(["三、预防犯罪", "1.重点人群。开展反拐宣传。", "州妇联"]),               # 26: no subsection label
             T.join(["", "(二) 宣传", "", "2.边境地区。加强安全教育。", "州公安局"]),       # 27: a blank after the label
             T.join(["", "", "(二) 出租房屋管理。加强管理。", "州公安局"]),                  # 28: a subsection's task
             T.join(["", "", "2.边境地区。加强安全教育。", "州公安局"]),                     # 29: a second row
             T.join(["四、打击犯罪", "专案侦办。严格落实责任制。", "州公安局"]),             # 30: read after it
             T.join(["", "", "网络。严厉打击。", "州公安局"])]                               # 31: placed by a correction
    corrections = [Correction(line=None, expect="网络。严厉打击。", action="task", task="4.2", reason="r", index=1,
                              file="c.toml")]
    plan = read(HEADER + narrative + table, corrections=corrections)
    assert {n: (t.table_number, t.statements["table"].line) for n, t in plan.tasks.items() if "table" in t.statements} \
        == {"3.1.1": ("三1", 26), "3.1.2": ("三(二)2", 27), "3.2": ("三(二)", 28), "4.1": ("四", 30),
            "4.2": ("四", 31)}
    # (row 28, the task of subsection (二) in one cell, matched no item before)
    assert [(p.line, p.code, p.message) for p in plan.problems] == [
        (29, "duplicate-row", "second table row for task 3.1.2")]
    assert [(f.kind, f.line, f.task, f.message) for f in plan.findings if f.kind in ("numbering", "title")] == [
        ("numbering", 27, "3.1.2", "annual table row for 3.1.2 stands under (二) 宣传; the narrative puts it under "
                                   "三(一) 宣传教育"),
        ("title", 31, "4.2", "annual table heading '网络' differs from the narrative's '网络清理'")]


def test_a_row_that_carries_a_subsection_label_the_narrative_does_not_have_says_so():
    table = [TABLE[0], TABLE[1],
             T.join(["三、预防犯罪", "(二) 宣传", "1.重点人群。开展反拐宣传。", "州妇联"]),                      # 26
             T.join(["", "", "2.边境地区。加强安全教育。", "州公安局"])]                                       # 27
    plan = read(HEADER + NARRATIVE + table)
    assert [(f.line, f.task, f.message) for f in plan.findings if f.kind == "numbering"] == [
        (26, "3.1.1", "annual table row for 3.1.1 stands under (二) 宣传; the narrative puts it under 三(一) 宣传教育"),
        (27, "3.1.2", "annual table row for 3.1.2 carries no subsection label, so stands under (二) 宣传; the "
                      "narrative puts it under 三(一) 宣传教育")]


def test_the_member_list_and_the_office_need_no_unit_clause_where_their_section_has_tasks():
    plan = read(["一、组织体系",                                                   # 1
                 "（一）州级联席会议成员单位",                                      # 2
                 "联席会议负责统筹。州公安局、州民政局为成员单位。",                 # 3
                 "（二）联席会议办公室",                                            # 4
                 "州级联席会议下设办公室在州公安局，负责日常工作。",                 # 5
                 "（三）工作机制。建立联络员制度。（州公安局负责）",                 # 6
                 "（四）信息报送。按时报送信息。",                                   # 7
                 "（五）考核",                                                      # 8
                 "1.成员单位考核。各成员单位接受考核。"])                             # 9: an item so named needs one
    assert list(plan.tasks) == ["1.3"]
    assert [(p.line, p.code) for p in plan.problems][2:] == [(7, "no-units"), (9, "no-units")]
    assert [(m.unit.short_name, m.line) for m in plan.members] == [("州公安局", 2), ("州民政局", 2)]
    assert plan.office[0].short_name == "联席会议办公室" and plan.office[1].short_name == "州公安局"


def test_a_unit_list_goes_on_after_an_unknown_name_or_an_empty_piece_and_a_title_stops_at_its_clause():
    plan = read(["一、预防",                                                           # 1
                 "1.宣传（州教委、州公安局、、州民政局负责，某某某配合）",               # 2: no full stop before the clause
                 "2.摸排：",                                                          # 3
                 "（1）登记。开展登记。",                                              # 4
                 "（2）核查。开展核查。（州民政局负责）",                              # 5: its own clause, so no fold
                 "（3）走访。开展走访。（州妇联负责）",                                # 6
                 "3.管理:",                                                           # 7: a half-width colon folds
                 "（1）登记。开展登记。",                                              # 8
                 "（2）核查。开展核查。（州公安局负责）"])                              # 9
    assert [(n, t.title, [(m.role, m.unit.short_name) for m in t.mentions]) for n, t in plan.tasks.items()] == [
        ("1.1", "宣传", [("lead", "州公安局"), ("lead", "州民政局")]), ("1.2.2", "核查", [("lead", "州民政局")]),
        ("1.2.3", "走访", [("lead", "州妇联")]), ("1.3", "管理:", [("lead", "州公安局")])]
    assert plan.quote(plan.tasks["1.3"].statements["narrative"].span) == "3.管理:\n（1）登记。开展登记。\n（2）核查。开展核查。（州公安局负责）"
    assert [(p.line, p.code, p.message) for p in plan.problems][2:] == [
        (2, "unknown-unit", "unknown unit '州教委' in the lead list; did you mean 团州委, 州发改委, 州关工委?"),
        (2, "unknown-unit", "unknown unit '某某某' in the support list; the plan's units.csv does not list it"),
        (4, "no-units", "一2(1) '登记' names no units: no clause such as '（X负责，Y配合）' closes it")]


def test_without_a_units_csv_every_name_is_unknown_and_the_problem_says_so(tmp_path):
    from antitraffick_kg.plan.clauses import mentions

    empty = tmp_path / "units.csv"
    empty.write_text("id,short_name,variants,full_name,name_en,kind,function\n", encoding="utf-8")
    text = "州公安局、州民政局"
    plan = ParsedPlan(plan_id="p", source_path="p.txt", text=text, sha256="", converted_from=None)
    assert mentions(plan, UnitRegistry.from_csv(empty, jurisdiction="533100"), Span(0, len(text)), "lead",
                    "narrative", 1) == []
    assert [p.message for p in plan.problems] == ["unknown unit '州公安局' in the lead list; there is no units.csv",
                                                 "unknown unit '州民政局' in the lead list; there is no units.csv"]


def test_the_plan_s_own_role_words_also_read_a_cut_clause_and_huitong_joins_only_where_it_is_a_role_word():
    info = PlanInfo(title="某某", period=(2022, 2030), level="prefecture", jurisdiction="533100",
                    lead_words=("主办", "主办协调"), support_words=("协办", "协办配合"))
    plan = read(["一、预防", "1.宣传。开展宣传。（州公安局会同州民政局主办）", "2.摸排。开展摸排。（州公安局主办协调，州妇联协办，团州",
                 "3.救助。开展救助。（州民政局主办，州妇联协办配合，团州"], info=info)
    assert plan.tasks["1.1"].mentions == []
    assert [(p.line, p.message) for p in plan.problems] == [
        (2, "unknown unit '州公安局会同州民政局' in the lead list; did you mean 州民政局, 州公安局?")]
    assert [(m.role, m.unit.short_name) for m in plan.tasks["1.2"].mentions] == [("lead", "州公安局"), ("support", "州妇联")]
    assert [f.message for f in plan.findings if f.kind == "cut-clause"] == [
        "一2 '摸排': the unit clause breaks off, with no ）, where the text goes on (it ends '…办协调，州妇联协办，团州'); "
        "read as far as it goes: lead 州公安局; support 州妇联",
        "一3 '救助': the text is cut off inside the unit clause (it ends '…办，州妇联协办配合，团州'); read as far as "
        "the cut: lead 州民政局; support 州妇联; whatever followed is lost"]


def test_a_cut_clause_reads_each_list_as_written_and_parentheses_closed_before_it_are_no_cut():
    plan = read(["一、预防",                                                          # 1
                 "1.宣传。开展宣传。（州公安局会同州民政局负责，州妇联",                 # 2
                 "2.摸排。开展摸排。（州公安局、州民政局等负责，州妇联配合",             # 3
                 "3.救助。开展救助。（州教委负责，州妇联、团州委、州",                   # 4
                 "4.安置。开展（专项）安置。（州民政局负责，州妇联",                     # 5
                 "5.培训。开展（专项）培训（每年）。",                                   # 6
                 "6.宣讲。开展(专项)宣讲(每年)。",                                       # 7
                 "7.巡查。开展(专项)巡查。(州公安局负责，州妇联"])                       # 8
    assert [(n, [(m.role, m.unit.short_name) for m in t.mentions]) for n, t in plan.tasks.items()] == [
        ("1.1", [("lead", "州公安局"), ("lead", "州民政局")]),
        ("1.2", [("lead", "州公安局"), ("lead", "州民政局"), ("support", "州妇联")]),
        ("1.4", [("lead", "州民政局")]), ("1.7", [("lead", "州公安局")])]
    tail = "; whatever followed is lost"      # (the last item: the others break off before the next one)
    assert [(f.line, f.task, f.message) for f in plan.findings if f.kind == "cut-clause"] == [
        (2, "1.1", "一1 '宣传': the unit clause breaks off, with no ）, where the text goes on (it ends '…会同州民政局负"
                   "责，州妇联'); read as far as it goes: lead 州公安局、州民政局; 州妇联 named after that, with no role "
                   "word, not assigned"),
        (3, "1.2", "一2 '摸排': the unit clause breaks off, with no ）, where the text goes on (it ends '…民政局等负责，"
                   "州妇联配合'); read as far as it goes: lead 州公安局、州民政局等; support 州妇联"),
        (4, None, "一3 '救助': the unit clause breaks off, with no ）, where the text goes on (it ends '…负责，州妇联、团州"
                  "委、州'); read as far as it goes: lead (no known unit); 州妇联、团州委 named after that, with no role "
                  "word, not assigned"),
        (5, "1.4", "一4 '安置': the unit clause breaks off, with no ）, where the text goes on (it ends '…（州民政局负责，"
                   "州妇联'); read as far as it goes: lead 州民政局; 州妇联 named after that, with no role word, not "
                   "assigned"),
        (8, "1.7", "一7 '巡查': the text is cut off inside the unit clause (it ends '…(州公安局负责，州妇联'); read as "
                   "far as the cut: lead 州公安局" + tail)]
    assert [(p.line, p.code) for p in plan.problems][2:] == [(4, "unknown-unit"), (6, "no-units"), (7, "no-units")]


def test_an_excerpt_keeps_the_numbers_it_starts_with_and_says_so_with_the_heading_it_starts_at():
    plan = read(["（一）宣传教育", "  1.重点人群。开展宣传。（州妇联负责）"])        # an indented item
    assert [(n, t.narrative_number, plan.quote(t.statements["narrative"].span)) for n, t in plan.tasks.items()] == [
        ("1.1", "(一)1", "1.重点人群。开展宣传。（州妇联负责）")]
    assert plan.tasks["1.1"].title == "重点人群"
    assert [(f.kind, f.line, f.task, plan.quote(f.span), f.message) for f in plan.findings] == [
        ("excerpt", 1, None, "（一）宣传教育", "subsection (一) has no heading above it; no heading of the text tells "
                                              "the section it stands in, so its numbers start at the subsection (the "
                                              "document's section number is not in the graph)")]
    plan = read(["二、预防犯罪", "（二）宣传教育", "1.重点人群。开展宣传。（州妇联负责）",
                 "三、打击", "（二）专案", "1.专案侦办。严格落实。（州公安局负责）"])
    assert [(n, t.narrative_number) for n, t in plan.tasks.items()] == [("2.2.1", "二(二)1"), ("3.1.1", "三(二)1")]
    assert [(f.kind, f.line, f.task, plan.quote(f.span), f.message) for f in plan.findings] == [
        ("excerpt", 1, None, "二、预防犯罪", "the text's first section is 二、, not 一、: read as part of an excerpt that "
                                            "keeps the document's numbers"),
        ("excerpt", 2, None, "（二）宣传教育", "subsection 二(二) comes first under 二: read as part of an excerpt that "
                                              "keeps the document's numbers"),
        ("numbering", 5, "3.1", "（二）专案", "narrative numbers this subsection 三(二) but it is number 1 of its level; "
                                             "the graph numbers it 3.1")]


def test_a_full_text_that_skips_a_number_under_its_first_heading_is_a_numbering_finding_not_an_excerpt():
    plan = read(["一、总体要求", "（二）工作目标", "1.重点人群。开展宣传。（州妇联负责）"])
    assert [(n, t.narrative_number) for n, t in plan.tasks.items()] == [("1.1.1", "一(二)1")]
    assert [(f.kind, f.line, f.task) for f in plan.findings] == [("numbering", 2, "1.1")]


def test_a_member_list_is_read_up_to_its_first_closing_words_and_an_office_only_from_its_own_words():
    plan = read(["一、组织",                                                                               # 1
                 "（一）联席会议成员单位",                                                                # 2
                 "联席会议负责统筹。州公安局、州民政局为成员单位，其他单位视情况增补为成员单位。",         # 3
                 "（二）联席会议办公室",                                                                  # 4
                 "办公室负责日常工作。",                                                                  # 5
                 "（三）县级机制",                                                                        # 6
                 "县级联席会议办公室在州民政局。州妇联、团州委为成员单位。"])                              # 7
    assert [(m.unit.short_name, plan.quote(m.span)) for m in plan.members] == [("州公安局", "州公安局"),
                                                                              ("州民政局", "州民政局")]
    assert plan.office is None
    assert [(p.line, p.code) for p in plan.problems][2:] == [(4, "office")]
    plan = read(["一、组织", "（一）联席会议成员单位", "联席会议负责统筹。成员单位另行通知。",
                 "（二）县级机制", "县级联席会议统筹。州公安局、州民政局为成员单位。"])
    assert plan.members == []
    assert [(p.line, p.code) for p in plan.problems][2:] == [(2, "members")]


def test_an_unknown_member_is_a_problem_on_the_member_list_s_line_and_a_numeral_that_is_none_says_so():
    from antitraffick_kg.plan.narrative import cn_number

    plan = read(["一、组织", "（一）联席会议成员单位", "联席会议负责统筹。州公安局、州教委为成员单位。"])
    assert [(m.unit.short_name, m.position) for m in plan.members] == [("州公安局", 1)]
    assert [(p.line, p.code, p.message) for p in plan.problems][2:] == [
        (2, "unknown-unit", "unknown unit '州教委' in the lead list; did you mean 团州委, 州发改委, 州关工委?")]
    with pytest.raises(ValueError, match=r"^not a Chinese numeral up to 99: '十十'$"):
        cn_number("十十")


@pytest.mark.parametrize("length, is_issuer", [(37, True), (38, False)])
def test_an_issuer_line_is_under_40_characters(tmp_path, length, is_issuer):
    """A line ending in 文件 names the issuer only when it is short (a notice's masthead), not a sentence of 40."""
    name = "德宏州" + "某" * (length - 6) + "办公室"
    units = tmp_path / "units.csv"
    units.write_text("id,short_name,variants,full_name,name_en,kind,function\n"
                     f"long-office,{name},,{name},A long office,government-department,general-office\n", encoding="utf-8")
    text = "\n".join([name + "文件", "一、预防", "1.宣传。开展宣传。"]) + "\n"
    plan = ParsedPlan(plan_id="p", source_path="p.txt", text=text, sha256="", converted_from=None)
    parse_plan(plan, UnitRegistry.from_csv(units, jurisdiction="533100"), [])
    assert len(name + "文件") == length + 2
    assert (plan.issuer is not None) is is_issuer
