"""Habits of sibling plans and of parts of plans that the Dehong text does not have: an excerpt that starts below
its section, an attachment line above the annual table, and annual tables laid out otherwise (units on lines of their
own in a cell, unit columns named in another order or three of them, a 序号 column, a span of years, a subsection's
task in one cell).  Read with the small texts of ``small_plans.py``.
"""

from __future__ import annotations

import pytest

from small_plans import HEADER, NARRATIVE, T, TABLE, read, roles


def test_an_excerpt_starting_below_a_section_takes_its_section_from_the_next_one():
    """The section an excerpt starts in is the one before the text's first section heading (六、 → 五); a
    subsection likewise ((二) → (一)).  Before, item 3 was task 3 and 六、's area was lost to item 6's task."""
    plan = read(["3.甲事。说明。（州妇联负责）", "（二）乙", "1.乙事。说明。（州公安局负责）", "六、打击", "（一）专案",
                 "1.专案侦办。严格落实。（州公安局负责）"])
    assert [(n, t.narrative_number) for n, t in plan.tasks.items()] == [
        ("5.1.3", "3"), ("5.2.1", "(二)1"), ("6.1.1", "六(一)1")]
    assert [f.message for f in plan.findings][:2] == [
        "item 3 has no heading above it: read as in section 五 (the one before 六、 at line 4), in subsection (一) "
        "(the one before (二) at line 2), as part of an excerpt that keeps the document's numbers",
        "subsection (二) has no heading above it: read as in section 五 (the one before 六、 at line 4), as part of "
        "an excerpt that keeps the document's numbers"]
    # items straight above a section: in 五, and whether a subsection holds them is said to be unknown
    plan = read(["5.甲事。说明。（州妇联负责）", "6.乙事。说明。（州公安局负责）", "六、打击", "（一）专案",
                 "1.专案侦办。严格落实。（州公安局负责）"])
    assert list(plan.tasks) == ["5.5", "5.6", "6.1.1"] and [a.notation for a in plan.areas.values()] == ["6", "6.1"]
    assert plan.findings[0].message.endswith("; whether a subsection holds it there is not in the text (none is in "
                                             "its number)")
    # a numeral above ten
    plan = read(["（二）乙", "1.乙事。说明。（州公安局负责）", "十二、打击", "1.专案侦办。严格落实。（州公安局负责）"])
    assert list(plan.tasks) == ["11.2.1", "12.1"]
    assert "read as in section 十一 (the one before 十二、 at line 3)" in plan.findings[0].message
    # a section whose first heading is 一、 tells nothing of the headings above it
    plan = read(["（二）乙", "1.乙事。说明。（州公安局负责）", "一、打击", "1.专案侦办。严格落实。（州公安局负责）"])
    assert list(plan.tasks)[0] == "2.1" and "no heading of the text tells the section" in plan.findings[0].message


def test_an_excerpt_from_inside_a_chapter_that_reaches_the_next_chapter_keeps_the_chapter_s_number():
    """Review item: sections of a plan in chapters, then 第三章: they stand in 第二章 (before, a chapter problem)."""
    plan = read(["二、宣传", "1.甲事。说明。（州妇联负责）", "第三章 打击", "一、专案", "1.专案侦办。严格落实。（州公安局负责）"])
    assert [(n, t.narrative_number) for n, t in plan.tasks.items()] == [("2.2.1", "二1"), ("3.1.1", "第三章一1")]
    assert not [p for p in plan.problems if p.code == "chapter"]
    assert [f.message for f in plan.findings] == [
        "the text's first section is 二、, not 一、: read as in chapter 第二章 (the one before 第三章 at line 3), as "
        "part of an excerpt that keeps the document's numbers",
        "the text's first chapter is 第三章, not 第一章: read as part of an excerpt that keeps the document's numbers"]
    plan = read(["（三）宣传", "1.甲事。说明。（州妇联负责）", "第三章 打击", "一、专案", "1.专案侦办。严格落实。（州公安局负责）"])
    assert list(plan.tasks) == ["2.3.1", "3.1.1"]
    assert plan.findings[0].message == (
        "subsection (三) has no heading above it: read as in chapter 第二章 (the one before 第三章 at line 3), as part "
        "of an excerpt that keeps the document's numbers; whether a section holds it there is not in the text (none "
        "is in its number)")


@pytest.mark.parametrize("marker", ["附件", "附件1", "附件：", "附件１", "附表", "附件 2"])
def test_an_attachment_line_above_the_annual_table_is_no_word_of_the_last_item(marker):
    """附件 between the last item and the table's title: before, its item lost its clause (the clause was no longer
    at the end of its words) and became an area with no finding."""
    plan = read(HEADER + NARRATIVE[:-1] + [marker] + TABLE)
    assert "4.1" in plan.tasks and roles(plan, "4.1")[0][:3] == ("narrative", "lead", "州公安局")
    assert not plan.problems and plan.table_rows == 3


@pytest.mark.parametrize("closing", [["附件：州反拐工作联席会议成员单位名单"],
                                     ["附件：1.州反拐工作联席会议成员单位名单", "德宏州人民政府办公室", "2022年5月6日"]])
def test_an_attachment_line_in_the_closing_is_no_word_of_the_last_item_nor_a_cut(closing):
    plan = read(HEADER + NARRATIVE[:-1] + closing)
    assert roles(plan, "4.1")[0][:3] == ("narrative", "lead", "州公安局")
    assert not plan.problems and not plan.incomplete


def test_a_table_cell_with_its_units_on_lines_of_their_own_reads_each_and_a_wrapped_name_stays_one():
    table = TABLE[:3] + [T.join(["三、预防犯罪", "(一) 宣传教育", "1.重点人群。开展反拐宣传。", "州妇联",
                                 "州教育体育局 团州委", "全面部署"]),
                         T.join(["", "", "2.边境地区。加强安全教育。", "州公 安局", "", "年内完成"])] + TABLE[5:]
    plan = read(HEADER + NARRATIVE + table)
    assert [(m.unit.short_name, plan.quote(m.span)) for m in plan.tasks["3.1.1"].mentions
            if m.part == "table" and m.role == "support"] == [("州教育体育局", "州教育体育局"), ("团州委", "团州委")]
    assert [m.unit.short_name for m in plan.tasks["3.1.2"].mentions if m.part == "table"] == ["州公安局"]
    assert not [p for p in plan.problems if p.code == "unknown-unit"]


def _table_with(header: list[str], rows: list[list[str]]) -> list[str]:
    return [TABLE[0], T.join(header), T.join(["", "", "", "", "2022年", "2023年", "2024—2030年"])] + \
        [T.join(r) for r in rows]


def test_the_annual_table_s_unit_columns_are_read_as_its_header_names_them():
    """Before, the cells after a row's task were lead then support whatever the header said: 配合单位 before
    牵头单位 swapped the roles, and a third unit column (责任单位) was read as support, its support cell as the first
    year's progress."""
    units = {"3.1.1": ["州妇联", "州教育体育局、团州委"], "3.1.2": ["州公安局", ""]}
    swapped = read(HEADER + NARRATIVE + _table_with(
        ["工作项目", "工作任务", "配合单位", "牵头单位", "工作进度计划"],
        [["三、预防犯罪", "(一) 宣传教育", "1.重点人群。开展反拐宣传。", "州教育体育局、团州委", "州妇联", "全面部署"],
         ["", "", "2.边境地区。加强安全教育。", "", "州公安局", "", "年内完成"]]))
    three = read(HEADER + NARRATIVE + _table_with(
        ["序号", "工作项目", "工作任务", "牵头单位", "责任单位", "配合单位", "工作进度计划"],
        [["1", "三、预防犯罪", "(一) 宣传教育", "1.重点人群。开展反拐宣传。", "州妇联", "州民政局",
          "州教育体育局、团州委", "全面部署"],
         ["2", "", "", "2.边境地区。加强安全教育。", "州公安局", "", "", "", "年内完成"]]))
    for plan, extra in ((swapped, []), (three, [("lead", "州民政局")])):
        for notation, (lead, support) in units.items():
            table = [(m.role, m.unit.short_name) for m in plan.tasks[notation].mentions if m.part == "table"]
            assert sorted(table) == sorted([("lead", lead)] + (extra if notation == "3.1.1" else []) +
                                           [("support", n) for n in support.split("、") if n])
        assert [(p.line, p.code) for p in plan.problems] == [(23, "no-units")]     # (四2, as in NARRATIVE)
        # the progress cells in their years: 全面部署 in 2022, 年内完成 in 2023 (the cell of 2022 left empty)
        assert [(c.column_year, plan.quote(c.span)) for c in plan.tasks["3.1.2"].progress] == [(2023, "年内完成")]
        assert [(c.column_year, plan.quote(c.span)) for c in plan.tasks["3.1.1"].progress] == [(2022, "全面部署")]


def test_a_header_with_a_span_of_years_is_a_header():
    plan = read(HEADER + NARRATIVE + _table_with(["工作项目", "工作任务", "负责单位", "配合单位", "工作进度计划"],
                                                 [TABLE[3].split(T), TABLE[4].split(T)]))
    assert plan.table_rows == 2 and not [p for p in plan.problems if p.code == "unmatched-row"]


def test_a_table_row_whose_task_is_a_subsection_s_words_matches_that_item():
    """A plan with no 1. level numbers its tasks （一）…; its table writes the row's task （一）重点场所。… in one
    cell.  Before, the row's heading kept its numeral and matched no item (a problem for each row)."""
    plan = read(HEADER + ["一、预防犯罪", "（一）重点场所。加强宾馆管理。（州公安局负责，州民政局配合）",
                          "（二）专项打击。开展专项行动。（州公安局负责）", TABLE[0], TABLE[1], TABLE[2],
                          T.join(["一、预防犯罪", "（一）重点场所。加强宾馆管理。", "州公安局", "州民政局", "全面部署"]),
                          T.join(["", "（二）专项打击。开展专项行动。", "州公安局", "", "持续推进"])])
    assert not [p for p in plan.problems if p.code not in ("no-doc-number", "no-period")]
    assert [(n, sorted((m.part, m.role, m.unit.short_name) for m in t.mentions)) for n, t in plan.tasks.items()] == [
        ("1.1", [("narrative", "lead", "州公安局"), ("narrative", "support", "州民政局"), ("table", "lead", "州公安局"),
                 ("table", "support", "州民政局")]),
        ("1.2", [("narrative", "lead", "州公安局"), ("table", "lead", "州公安局")])]
    assert plan.tasks["1.2"].table_number == "一(二)"


def test_a_text_copied_from_a_pdf_keeps_its_page_lines_out_of_items_clauses_and_rows():
    """— 3 — inside a clause made the name 州妇联—3—, an unknown unit; in the table, a row matching no item."""
    narrative = NARRATIVE[:9] + ["1.重点人群。开展反拐宣传。（州妇联负责，州教育体育局、", "", "— 3 —", "",
                                 "团州委配合）"] + NARRATIVE[10:]
    plan = read(HEADER + narrative + TABLE[:4] + ["- 5 -"] + TABLE[4:])
    assert [(m.part, m.role, m.unit.short_name) for m in plan.tasks["3.1.1"].mentions if m.part == "narrative"] == [
        ("narrative", "lead", "州妇联"), ("narrative", "support", "州教育体育局"), ("narrative", "support", "团州委")]
    assert [(p.code, p.message) for p in plan.problems] == [
        ("no-units", "四2 '网络清理' names no units: no clause such as '（X负责，Y配合）' closes it")]


def test_a_table_row_wrapped_onto_a_second_line_is_said_so():
    assert not [p for p in read(HEADER + NARRATIVE + TABLE).problems if p.code == "wrapped-row"]  # (\t\t2.边境地区…)
    table = TABLE[:3] + [T.join(["三、预防犯罪", "(一) 宣传教育", "1.重点人群。开展反拐宣传。", "州妇联", "州教育体育局、团",
                                 "全面部署"]), T.join(["", "", "", "", "州委"])] + TABLE[4:]
    problems = [(p.line, p.code, p.message) for p in read(HEADER + NARRATIVE + table).problems]
    assert (28, "wrapped-row", "table line continues the row of line 27 (its cells '州委' end that row's cells: a "
                               "row wrapped onto a second line); join the two lines in the source text") in problems


def test_a_scan_s_page_number_with_dashes_read_as_yi_is_a_page_number_and_a_span_of_years_too():
    from antitraffick_kg.plan.documents_layout import _PAGE_NUMBER

    assert _PAGE_NUMBER.match("一5一") and _PAGE_NUMBER.match("— 12 —") and not _PAGE_NUMBER.match("一、预防")
    header = [TABLE[0], TABLE[1], T.join(["", "", "", "", "2022年", "2023年", "2024一2030年"])]
    plan = read(HEADER + NARRATIVE + header + TABLE[3:])
    assert plan.table_rows == 3 and not [p for p in plan.problems if p.code == "unmatched-row"]


def test_the_review_s_table_habits_read_as_before():
    """A task cell holding the word 序号 is no header; a row laid out without its label cells under a header with
    one unit column (责任单位) reads its unit from the cell after its task; a row whose task has no full stop is no
    wrapped row."""
    table = [TABLE[0], T.join(["工作项目", "工作任务", "负责单位", "配合单位", "工作进度计划"]), TABLE[2],
             T.join(["三、预防犯罪", "(一) 宣传教育", "1.重点人群。统一案件序号管理。", "州妇联", "团州委", "全面部署"]),
             T.join(["", "", "2.边境地区。加强安全教育。", "州公安局", "", "年内完成"])] + TABLE[5:]
    plan = read(HEADER + NARRATIVE + table)
    assert plan.tasks["3.1.1"].table_number == "三(一)1" and plan.tasks["3.1.2"].table_number == "三(一)2"
    one_column = [TABLE[0], T.join(["工作项目", "工作任务", "责任单位", "工作进度计划"]), T.join(["", "", "", "2022年", "2023年"]),
                  T.join(["三、预防犯罪", "1.重点人群。开展反拐宣传。", "州妇联", "全面部署", "持续推进"]),
                  T.join(["2.边境地区。加强安全教育。", "州公安局", "年内完成"])]
    plan = read(HEADER + NARRATIVE + one_column)
    assert [(m.role, m.unit.short_name) for m in plan.tasks["3.1.2"].mentions if m.part == "table"] == [
        ("lead", "州公安局")]
    untitled = TABLE[:5] + [T.join(["", "", "建立信息通报制度", "州公安局", "州民政局", "持续推进"])] + TABLE[5:]
    assert not [p for p in read(HEADER + NARRATIVE + untitled).problems if p.code == "wrapped-row"]


def test_a_first_line_that_is_a_whole_notice_title_of_another_kind_is_no_cut_title(tmp_path):
    """A forwarding notice (转发…的通知) on the first line is no notice title cut at its start (before, a header
    problem)."""
    from small_plans import import_folder, plan_toml

    units = "id,short_name,variants,full_name,name_en,kind,function\nps,州公安局,,,Public Security,government-department,\n"
    plan = import_folder(tmp_path / "p", ["陇川县人民政府办公室转发州人民政府办公室文件的通知", "一、预防犯罪",
                                          "（一）宣传。开展宣传。（州公安局负责）"], units=units,
                         plan_toml=plan_toml(title="某某县反对拐卖人口行动计划实施方案", period="2022-2030",
                                             level="county", jurisdiction="533124"))
    assert not plan.problems
