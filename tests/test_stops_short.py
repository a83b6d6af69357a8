"""Parts of the Dehong plan as they reach people: a copy that starts after the document's start, or stops before its
end (in an item's words, in the annual table), read with the whole plan's own units.csv and plan.toml.  What
stands is read; what is lost is named, and nothing after a cut is guessed."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from antitraffick_kg import import_plan
from antitraffick_kg.cli.main import main
from antitraffick_kg.namespaces import ATK
from antitraffick_kg.plan.graph import plan_graph

from conftest import CORRECTIONS, SOURCE

DEHONG = SOURCE.parent
LINES = SOURCE.read_text(encoding="utf-8").splitlines(keepends=True)


def part(tmp_path: Path, first: int, last: int, *, end: str = "", corrections: bool = False) -> Path:
    """Lines ``first``–``last`` of the Dehong text (1-based), then ``end`` (the words a cut line keeps), in a plan
    folder with the whole plan's units.csv and plan.toml."""
    folder = tmp_path / "dehong-part"
    folder.mkdir(exist_ok=True)
    (folder / "source.txt").write_text("".join(LINES[first - 1:last]) + end, encoding="utf-8")
    for name in ("units.csv", "plan.toml"):
        shutil.copy(DEHONG / name, folder / name)
    if corrections:
        shutil.copy(CORRECTIONS, folder / "corrections.toml")
    return folder / "source.txt"


def line(number: int) -> str:
    return LINES[number - 1].rstrip("\n")


def roles(plan, notation: str) -> set[tuple[str, str, str]]:
    return {(m.part, m.role, m.unit.short_name) for m in plan.tasks[notation].mentions}


# ---------------------------------------------------------------------------
# units.csv of the whole plan with a part of its text
# ---------------------------------------------------------------------------
def test_units_the_part_does_not_name_are_findings_and_left_out_of_the_graph(tmp_path):
    """The text up to 七(九)2, a complete item (八、, 九、 and the table are not there)."""
    plan = import_plan(part(tmp_path, 1, 188))
    unnamed = [(f.line, f.message) for f in plan.findings if f.kind == "unnamed-unit"]
    assert unnamed == [(1, "units.csv line 42 lists 县级以上政府及各级联席会议成员单位, which source.txt does not name (an "
                           "excerpt, or a unit of another plan?): left out of the graph")]   # the table names it
    assert plan.registry.get("县级以上政府及各级联席会议成员单位") is None and plan.registry.get("州外办") is not None
    text = (DEHONG / "source.txt").read_text(encoding="utf-8")[:sum(map(len, LINES[:188]))]
    for unit in plan.registry:                            # every unit kept is named in the part
        assert any(name in text.replace(" ", "") for name in unit.names), unit.short_name
    graph = plan_graph(plan)
    short_names = {str(o) for o in graph.objects(None, ATK.shortName)}
    assert "县级以上政府及各级联席会议成员单位" not in short_names and "州外办" in short_names
    assert max(plan.tasks, key=lambda n: [int(x) for x in n.split(".")]) == "7.9.2"
    assert not plan.incomplete and not plan.problems      # it ends on a complete item: nothing is cut


# ---------------------------------------------------------------------------
# A text that stops in an item's words
# ---------------------------------------------------------------------------
def test_a_text_stopping_mid_sentence_in_an_item_keeps_the_items_before_it(tmp_path):
    """八(二)警务合作 stops at its line's end, '…案件侦办合作和情报信' (its clause is on the next line)."""
    assert line(195).endswith("情报信")
    source = part(tmp_path, 1, 195)
    plan = import_plan(source)
    assert "8.2" not in plan.tasks and roles(plan, "8.1") >= {("narrative", "lead", "州公安局")}
    (finding,) = plan.incomplete
    assert (finding.kind, finding.line, finding.task) == ("cut-text", 195, None)
    assert finding.message == ("八(二) '警务合作': the text stops in its words, mid-sentence (it ends '…犯罪案件侦办合作和情报信'), "
                               "before any unit clause: its units are lost, so it is no task")
    result = CliRunner().invoke(main, ["import", str(source)])
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        f"{source}:195: {finding.message}",
        "the text is incomplete: cut off at 1 place(s), each read as far as the cut"]


def test_a_text_ending_on_a_full_stop_before_the_clause_is_a_problem_not_a_cut(tmp_path):
    """Words that end on a full stop may lack their clause in the document itself: the reader cannot tell, and
    says what it sees, as for any item without a clause."""
    first = line(195).index("。") + 1
    plan = import_plan(part(tmp_path, 1, 194, end=line(195)[:first] + "\n"), strict=False)
    assert not plan.incomplete and [(p.line, p.code) for p in plan.problems] == [(195, "no-units")]


def test_a_text_stopping_mid_sentence_where_no_item_names_units(tmp_path):
    """九、实施和保障 names no units: its items are areas, and a stop inside one is said once."""
    words = line(207)
    cut = words.index("，") + 3
    plan = import_plan(part(tmp_path, 1, 206, end=words[:cut]))
    assert [(f.kind, f.line) for f in plan.incomplete] == [("cut-text", 207)]
    assert plan.incomplete[0].message == f"the text stops mid-sentence (it ends '…{words[:cut][-12:]}'): whatever " \
                                         "followed is lost"
    assert "9.2" in plan.areas and not plan.problems


def test_a_text_ending_on_a_signature_or_a_date_is_complete(tmp_path):
    plan = import_plan(part(tmp_path, 1, 209, end="\n德宏州人民政府办公室\n2022年5月5日\n"))
    assert not plan.incomplete and not plan.problems


# ---------------------------------------------------------------------------
# A text that stops in the annual table
# ---------------------------------------------------------------------------
@pytest.mark.parametrize("cells_before, keep, read, lost", [
    # 四(一)2 教育领域: lead 州教育体育局、州公安局, support 州检察院、州民政局、州关工委…
    (4, "州检察院、州民", {("lead", "州教育体育局"), ("lead", "州公安局"), ("support", "州检察院")},
     "'州民' is cut off, not read"),
    (4, "州检察院", {("lead", "州教育体育局"), ("lead", "州公安局"), ("support", "州检察院")}, None),
    (3, "州教育体育局、州公", {("lead", "州教育体育局")}, "'州公' is cut off, not read"),
    (3, "州公", set(), "'州公' is cut off, not read; the row is not read"),
])
def test_a_text_stopping_in_a_unit_cell_reads_the_names_before_the_cut(tmp_path, cells_before, keep, read, lost):
    cells = line(220).split("\t")
    assert cells[3] == "州教育体育局、州公安局" and cells[4].startswith("州检察院、州民政局")
    plan = import_plan(part(tmp_path, 1, 219, end="\t".join(cells[:cells_before]) + "\t" + keep))
    assert {(role, unit) for part_, role, unit in roles(plan, "4.1.2") if part_ == "table"} == read
    assert ("table" in plan.tasks["4.1.2"].statements) == bool(read)
    assert roles(plan, "4.1.2") >= {("narrative", "lead", "州教育体育局")}    # the narrative is whole
    assert not plan.problems
    if lost:
        (finding,) = plan.incomplete
        assert finding.kind == "cut-text" and finding.line == 220 and finding.message.endswith(lost)
    else:
        assert not plan.incomplete


@pytest.mark.parametrize("end, where", [
    ("2.教育领域。采取有效措施切", "inside the row's task, before its lead cell"),
    ("", "after the row's labels, before its task"),
])
def test_a_text_stopping_before_a_row_s_units_does_not_read_the_row(tmp_path, end, where):
    cells = line(220).split("\t")
    plan = import_plan(part(tmp_path, 1, 219, end="\t".join(cells[:2]) + "\t" + end))
    (finding,) = plan.incomplete
    assert finding.kind == "cut-text" and finding.line == 220 and where in finding.message
    assert "table" not in plan.tasks["4.1.2"].statements and "table" in plan.tasks["4.1.1"].statements
    # 九、's items name their units in the table alone: with the rows after the cut lost, they are areas
    assert not plan.problems and len(plan.tasks) == 53 and {"9.1", "9.2", "9.3"} <= set(plan.areas)


@pytest.mark.parametrize("end", ["工作项目\t工作任", "\t\t\t\t\t2022年\t2023年\t20", "工作项目\t工作任务\t\t负责单位", "工作项目"])
def test_a_text_stopping_in_a_header_line_of_the_table(tmp_path, end):
    plan = import_plan(part(tmp_path, 1, 222, end=end))
    (finding,) = plan.incomplete
    assert finding.kind == "cut-text" and finding.line == 223
    assert "stops at a header line of the annual table" in finding.message
    assert not plan.problems and "table" in plan.tasks["4.1.3"].statements


# ---------------------------------------------------------------------------
# A text that starts after the document's start, with the table
# ---------------------------------------------------------------------------
def test_an_excerpt_from_a_late_section_with_the_whole_table(tmp_path):
    """八、对外合作 to the end: the table's rows for the sections before it match no item of the text."""
    assert line(189) == "八、对外合作"
    source = part(tmp_path, 189, len(LINES))
    plan = import_plan(source)
    assert sorted(plan.tasks) == ["8.1", "8.2", "8.3", "8.4", "9.1", "9.2", "9.3"]   # 九、's units: the table's
    assert all("table" in plan.tasks[n].statements for n in plan.tasks)
    excerpt = [f for f in plan.findings if f.kind == "excerpt"]
    assert [f.line for f in excerpt] == [1, excerpt[1].line] and "first section is 八、" in excerpt[0].message
    assert "match no item of the text, and stand above the first row that does, under other labels: taken as rows " \
           "of items before where the excerpt starts, they are not read" in excerpt[1].message
    assert "'州级联席会议制度" in excerpt[1].message
    assert not plan.problems and not plan.incomplete
    result = CliRunner().invoke(main, ["import", str(source)])
    assert result.exit_code == 0, result.stderr


def test_a_row_that_matches_no_item_after_the_first_that_does_is_still_a_problem(tmp_path):
    source = part(tmp_path, 189, len(LINES))
    text = source.read_text(encoding="utf-8")
    assert "（二）警务合作。" in text
    source.write_text(text.replace("（二）警务合作。", "（二）跨境警务联络。", 1), encoding="utf-8")   # 八(二) renamed
    plan = import_plan(source, strict=False)
    assert [p.code for p in plan.problems] == ["unmatched-row"] and "'警务合作'" in plan.problems[0].message


def test_the_whole_plan_reads_as_before(tmp_path):
    source = part(tmp_path, 1, len(LINES), corrections=True)
    plan = import_plan(source, corrections=source.parent / "corrections.toml")
    assert not plan.incomplete and not plan.problems
    assert {f.kind for f in plan.findings} == {"correction", "garbled", "numbering", "title"}


def test_a_row_above_the_first_match_under_its_labels_is_still_a_problem(tmp_path):
    """八、 from （二）: the row of 八(一) stands under the same labels as 八(二)'s, which matches: its item may be in
    the text under another heading, so it is not passed over."""
    source = part(tmp_path, 189, len(LINES))
    text = source.read_text(encoding="utf-8")
    source.write_text(text.replace("（一）执法交流。", "（一）执法协作交流。", 1), encoding="utf-8")   # 八(一) renamed
    plan = import_plan(source, strict=False)
    assert [(p.code, p.message) for p in plan.problems] == [("unmatched-row", "table row '执法交流' matches no "
                                                                              "narrative item")]


def test_the_issuer_plan_toml_names_stays_a_unit_of_an_excerpt_that_does_not_name_it(tmp_path):
    plan = import_plan(part(tmp_path, 23, 188))
    assert plan.issuer is not None and plan.issuer[0].short_name == "州政府办公室"
    assert "州政府办公室" not in " ".join(f.message for f in plan.findings if f.kind == "unnamed-unit")


def test_a_closing_after_the_last_item_or_the_table_is_no_words_and_no_row(tmp_path):
    closing = "\n德宏州人民政府办公室\n2022年5月6日\n\n抄送：州委办公室，州人大常委会办公室\n"
    plan = import_plan(part(tmp_path, 1, 188, end=closing))
    assert not plan.problems and not plan.incomplete and "7.9.2" in plan.tasks
    source = part(tmp_path, 1, len(LINES), end=closing, corrections=True)
    plan = import_plan(source, corrections=source.parent / "corrections.toml")
    assert not plan.problems and not plan.incomplete and len(plan.tasks) == 56


def test_a_misspelt_unit_in_the_last_row_is_an_unknown_unit_not_a_cut(tmp_path):
    cells = line(220).split("\t")
    plan = import_plan(part(tmp_path, 1, 219, end="\t".join(cells[:3]) + "\t州教育体育局、州网信办"), strict=False)
    assert [(p.code, p.line) for p in plan.problems] == [("unknown-unit", 220)] and not plan.incomplete


def test_a_text_stopping_in_a_progress_cell_says_the_rows_after_may_be_lost(tmp_path):
    """A progress cell without a full stop may be whole (持续推进): the reader names what has no row, and the cut
    it may be, without calling the text incomplete."""
    cells = line(215).split("\t")
    assert cells[6].startswith("每年一季度召开成员单位会议")
    plan = import_plan(part(tmp_path, 1, 214, end="\t".join(cells[:6]) + "\t" + cells[6][:12]))
    assert not plan.incomplete and not plan.problems
    (finding,) = [f for f in plan.findings if f.kind == "no-row"]
    assert (finding.line, finding.task) == (215, "3.1")
    assert finding.message == (
        "the annual table ends with the row of 3.1: the 57 item(s) after it (3.2 to 9.3) have no row, and are read "
        "from the narrative alone (5 of them, naming no unit there, as areas); the table may leave them out, or the "
        f"text stop at the end of a cell or inside its last one, which ends '…{cells[6][:12]}' with no full stop")
    assert "table" in plan.tasks["3.1"].statements and "table" not in plan.tasks["4.1.1"].statements


def test_a_table_that_ends_before_the_last_items_says_which_have_no_row(tmp_path):
    """Cut at the end of a cell, the text gives no sign of the cut: the items after the last row are named."""
    cells = line(215).split("\t")
    plan = import_plan(part(tmp_path, 1, 214, end="\t".join(cells[:5])))
    assert not plan.incomplete and not plan.problems
    assert [(f.line, f.task, f.message) for f in plan.findings if f.kind == "no-row"] == [
        (215, "3.1", "the annual table ends with the row of 3.1: the 57 item(s) after it (3.2 to 9.3) have no row, "
                     "and are read from the narrative alone (5 of them, naming no unit there, as areas); the table "
                     "may leave them out, or the text stop at the end of a cell")]
    cut = import_plan(part(tmp_path, 1, 219, end="\t".join(line(220).split("\t")[:4]) + "\t州检察院、州民"))
    assert [f.kind for f in cut.findings if f.kind in ("no-row", "cut-text")] == ["cut-text"]   # (the cut says it)


def test_an_excerpt_starting_at_a_subsection_s_second_item_passes_over_the_row_of_its_first(tmp_path):
    """From 四(二)2 to the end: the table's row of 四(二)1 (娱乐场所) stands under the labels of the first row that
    matches, but the text has no item 1 there: a row of an item before the start, not read, and said so."""
    first = next(i for i, text in enumerate(LINES, start=1) if text.startswith("2. 教育教学机构"))
    source = part(tmp_path, first, len(LINES), corrections=True)       # (its rows 5.3.1 and 5.3.4 are there)
    plan = import_plan(source, corrections=source.parent / "corrections.toml", strict=False)
    # 四(二)2 keeps the document's number: its section and subsection are those before （三） and 五、
    assert not plan.problems and "4.2.2" in plan.tasks and plan.tasks["4.2.2"].title == "教育教学机构"
    (rows,) = [f for f in plan.findings if f.kind == "excerpt" and "row(s) of the annual table" in f.message]
    assert "'州级联席会议制度'" in rows.message


@pytest.mark.parametrize("end", ["二、", "二、犯罪预防", "(一)"])
def test_a_text_stopping_at_a_row_s_first_label_says_so(tmp_path, end):
    plan = import_plan(part(tmp_path, 1, 219, end=end))
    (finding,) = plan.incomplete
    assert finding.line == 220 and "after the row's labels, before its task" in finding.message
    assert not plan.problems


def test_a_last_item_whose_clause_is_not_closed_before_the_table_loses_no_unit(tmp_path):
    """八(四), the last item with a clause, then the annual table: the clause breaks off (no ）) where the text goes
    on, so nothing is lost and each name is read."""
    assert line(201).endswith("（州公安局负责，州商务局、州外办配合）")
    source = part(tmp_path, 1, 202, end="".join(LINES[210:]), corrections=True)
    text = source.read_text(encoding="utf-8").replace("州商务局、州外办配合）", "州商务局、州外办配合", 1)
    source.write_text(text, encoding="utf-8")
    plan = import_plan(source, corrections=source.parent / "corrections.toml", strict=False)
    assert {(m.role, m.unit.short_name) for m in plan.tasks["8.4"].mentions if m.part == "narrative"} == {
        ("lead", "州公安局"), ("support", "州商务局"), ("support", "州外办")}
    (finding,) = plan.incomplete
    assert "the unit clause breaks off, with no ）, where the text goes on" in finding.message
    assert "lost" not in finding.message


def test_a_closing_with_a_remark_and_a_wrapped_distribution_list_is_no_words(tmp_path):
    closing = "\n德宏州人民政府办公室\n2022年5月6日\n（此件公开发布）\n抄送：州委办公室，州人大常委会办公室，\n州法院，州检察院。\n"
    plan = import_plan(part(tmp_path, 1, 188, end=closing))
    assert not plan.problems and not plan.incomplete and "7.9.2" in plan.tasks


def test_a_last_line_listing_units_is_no_closing(tmp_path):
    """州公安局、州妇儿工委办公室 ends in 办公室 as an issuer does, but lists: it is words, and what they break
    is said."""
    plan = import_plan(part(tmp_path, 1, 188, end="\n州公安局、州妇儿工委办公室\n"), strict=False)
    assert plan.problems or plan.incomplete


@pytest.mark.parametrize(("first", "cut", "message"), [
    (5, 1, "the text starts inside the header's document number: '政办发〔2022〕3号' is read as the end of plan.toml's "
           "'德政办发〔2022〕3号'"),
    (7, 20, "the text starts inside the header's notice title: '拐卖人口行动计划实施方案 (2022—2030年)及年度实施方案的"
            "通知' is read as the end of plan.toml's '德宏州反对拐卖人口行动计划实施方案（2022—2030年）及年度实施方案'"),
])
def test_a_part_starting_inside_a_header_line_reads_the_end_it_has(tmp_path, first, cut, message):
    """Before, the line's end was a header problem (it differs from plan.toml's), and a sentence of the preamble
    citing the Yunnan notice (…关于印发…的通知》) was taken for the notice title."""
    source = part(tmp_path, first, len(LINES), corrections=True)
    text = source.read_text(encoding="utf-8")
    source.write_text(text[cut:], encoding="utf-8")
    plan = import_plan(source, corrections=source.parent / "corrections.toml", strict=False)
    assert not plan.problems
    assert [f.message for f in plan.findings if f.kind == "excerpt"] == [message]
    assert len(plan.tasks) == len(import_plan(SOURCE, corrections=CORRECTIONS).tasks)
