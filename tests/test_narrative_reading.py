"""The small readers the narrative scheme is built on, on small inputs: lines and their offsets, spans without
their whitespace, titles as compared, and the heading of each level with its number and label."""

from __future__ import annotations

import pytest

from antitraffick_kg.plan.model import Span
from antitraffick_kg.plan.narrative import Line, heading, norm_title, split_lines, strip_span


def test_lines_keep_their_offsets_and_trailing_spaces_but_not_their_breaks():
    text = "一、总体要求 \r\n（一）目标\n\n  1.内容\r最后"
    assert split_lines(text) == [Line(1, 0, "一、总体要求 "), Line(2, 9, "（一）目标"), Line(3, 15, ""),
                                 Line(4, 16, "  1.内容"), Line(5, 23, "最后")]
    assert [text[line.start:line.end] for line in split_lines(text)] == [line.text for line in split_lines(text)]
    assert split_lines("") == []
    assert split_lines("附表X\nX\r\n") == [Line(1, 0, "附表X"), Line(2, 4, "X")]     # only the break goes


def test_a_span_loses_the_whitespace_at_both_ends_only():
    text = "  州公安局 、\u3000州民政局\t "
    assert strip_span(text, 0, len(text)) == Span(2, len(text) - 2)
    assert strip_span(text, 0, 7) == Span(2, 6)
    assert strip_span(text, 1, 1) == Span(1, 1)
    assert strip_span("   ", 0, 3) == Span(3, 3)          # all whitespace: an empty span at its end


def test_titles_compare_without_spaces_and_quotes_and_with_full_width_brackets():
    assert norm_title(" 开展“平安(边境)” 行动 ") == "开展平安（边境）行动"
    assert norm_title("「打拐」'专项'‘活动’\"宣传\"") == "打拐专项活动宣传"
    assert norm_title("（一）\t工作\n目标") == "（一）工作目标"


@pytest.mark.parametrize("line, expected", [
    ("三、组织实施", (0, 3, "三", "组织实施")),
    ("十二、 附则", (0, 12, "十二", "附则")),
    ("（十）加强宣传", (1, 10, "(十)", "加强宣传")),
    ("(二十一) 协作", (1, 21, "(二十一)", "协作")),
    ("12. 开展培训", (2, 12, "12", "开展培训")),
    ("07．宣传", (2, 7, "7", "宣传")),
    ("3、建立机制", (2, 3, "3", "建立机制")),
    ("（4）完善制度", (3, 4, "(4)", "完善制度")),
    ("(05) 培训", (3, 5, "(5)", "培训")),
    ("① 摸排", (4, 1, "①", "摸排")),
    ("⑳ 总结", (4, 20, "⑳", "总结")),
    ("第二章 预防工作", (-2, 2, "第二章", "预防工作")),
    ("第十二条　工作目标。始终保持高压态势。", (-1, 12, "第十二条", "工作目标。始终保持高压态势。")),
    ("第八条重点领域预防犯罪工作。", (-1, 8, "第八条", "重点领域预防犯罪工作。")),
    ("第一条", (-1, 1, "第一条", "")),
])
def test_each_level_of_heading_with_its_number_label_and_rest(line, expected):
    level, number, label, match = heading(line)
    assert (level, number, label, match.group(2)) == expected


@pytest.mark.parametrize("line", [
    "一、" + "长" * 29,               # 31 characters: a sentence, not a section heading
    "二、加强领导。各地要落实",         # a full stop: a sentence
    "2022年工作", "1.5倍", "",
    "第一条主线是交通要道，沿线开展排查",      # an ordinal in a sentence, no article heading
    "第二章节的内容" + "长" * 20 + "。",        # a sentence that starts like a chapter
])
def test_lines_that_are_not_headings(line):
    assert heading(line) is None


def test_a_section_heading_may_be_thirty_characters_long():
    assert heading("一、" + "长" * 28)[0:2] == (0, 1)


def test_a_clause_is_found_with_its_span_lead_support_and_open_lists():
    from antitraffick_kg.plan.clauses import Clause, clause_pattern, find_clause

    pattern = clause_pattern()
    text = "开展宣传（州公安局、州民政局负责）。"
    assert find_clause(text, Span(0, len(text)), pattern) == Clause(Span(4, len(text)), (("lead", Span(5, 14)),), ())
    text = "加强救助（州民政局等牵头，州妇联、团州委等配合）"
    clause = find_clause(text, Span(0, len(text)), pattern)
    assert clause == Clause(Span(4, len(text)), (("lead", Span(5, 9)), ("support", Span(13, 20))), ("lead", "support"))
    assert (text[5:9], text[13:20]) == ("州民政局", "州妇联、团州委")
    assert find_clause(text, Span(0, 10), pattern) is None


def _blocks(text: str):
    from antitraffick_kg.plan.model import ParsedPlan
    from antitraffick_kg.plan.narrative import narrative_blocks

    plan = ParsedPlan(plan_id="p", source_path="p.txt", text=text, sha256="", converted_from=None)
    return plan, narrative_blocks(plan, split_lines(text))


def test_blocks_nest_by_level_with_notation_label_lines_and_offsets():
    text = "一、总体要求\n（一）工作目标。到2025年\n1.建立机制\n2.完善制度\n续页文字\n二、组织实施\n"
    plan, blocks = _blocks(text)
    assert [(b.kind, b.level, b.written, b.position, b.notation, b.written_label, b.line) for b in blocks] == [
        ("section", 0, 1, 1, "1", "一", 1), ("subsection", 1, 1, 1, "1.1", "一(一)", 2),
        ("item", 2, 1, 1, "1.1.1", "一(一)1", 3), ("item", 2, 2, 2, "1.1.2", "一(一)2", 4),
        ("section", 0, 2, 2, "2", "二", 6)]
    assert [b.parent_notation for b in blocks] == [None, "1", "1.1", "1.1", None]
    assert [c.notation for c in blocks[0].children] == ["1.1"] and blocks[0].last() is blocks[3]
    assert [text[b.start:b.number_span.end] for b in blocks] == ["一、", "（一）", "1.", "2.", "二、"]
    assert [text[b.start:b.end] for b in blocks] == [       # 2. runs on over the words that follow it
        "一、总体要求", "（一）工作目标。到2025年", "1.建立机制", "2.完善制度\n续页文字", "二、组织实施"]
    assert [b.title(text) for b in blocks] == [
        ("总体要求", Span(2, 6)), ("工作目标", Span(10, 14)), ("建立机制", Span(24, 28)), ("完善制度", Span(31, 35)),
        ("组织实施", Span(43, 47))]
    assert plan.findings == []


def test_a_title_stops_at_the_full_stop_or_the_unit_clause_of_its_own_line():
    text = "1. 开展宣传 （州公安局负责）\n2.摸排。落实\n"
    _, blocks = _blocks(text)
    assert blocks[0].title(text, clause_start=8) == ("开展宣传", Span(3, 7))
    assert blocks[0].title(text) == ("开展宣传 （州公安局负责）", Span(3, 16))
    assert blocks[0].title(text, clause_start=20) == ("开展宣传 （州公安局负责）", Span(3, 16))   # not on its line
    assert blocks[1].title(text) == ("摸排", Span(19, 21))


def test_numbers_out_of_order_and_an_excerpt_are_findings():
    text = "（二）工作目标\n1.建立机制\n3.完善制度\n"
    plan, blocks = _blocks(text)
    assert [b.notation for b in blocks] == ["2", "2.1", "2.2"]
    assert [(f.kind, f.line, f.task) for f in plan.findings] == [("excerpt", 1, None), ("numbering", 3, "2.2")]
    assert plan.findings[1].message == ("narrative numbers this item (二)3 but it is number 2 of its level; "
                                        "the graph numbers it 2.2")


def test_a_title_on_the_last_line_at_its_first_full_stop_and_empty_before_a_clause():
    text = "1.开展宣传\n\n2.摸排。落实。\n3.（州公安局负责）\n\n4.总结"
    _, blocks = _blocks(text)
    assert [b.notation for b in blocks] == ["1", "2", "3", "4"]         # blank lines end no block list
    assert blocks[1].title(text)[0] == "摸排"
    assert blocks[2].title(text, clause_start=text.index("（")) == ("", Span(text.index("（"), text.index("（")))
    assert blocks[3].title(text) == ("总结", Span(len(text) - 2, len(text)))   # no line break after it


@pytest.mark.parametrize("line", ["一一、总则", "十十、要求", "（二二）措施", "(一十一)x", "零、x"])
def test_a_numeral_no_plan_writes_is_no_heading(line):
    """一一, 十十, 二二 are no numerals: such a line is text, not a heading (nor an error)."""
    assert heading(line) is None
