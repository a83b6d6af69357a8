"""The annual table read alone: the Dehong plan's 年度实施方案 as an attachment published on its own, or a copy
that starts inside the table.  Each row is a task numbered as the table numbers it, with the units, roles and
progress cells the row states, exactly as the whole plan reads that row."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from antitraffick_kg import InputError, import_plan
from antitraffick_kg.cli.main import main
from antitraffick_kg.namespaces import ATK
from antitraffick_kg.plan.graph import plan_graph

from conftest import CORRECTIONS, SOURCE

DEHONG = SOURCE.parent
LINES = SOURCE.read_text(encoding="utf-8").splitlines(keepends=True)
TITLE = 211                      # 德宏州反对拐卖人口行动计划（2022—2030年）年度实施方案
#: the corrections entry of the row without a support cell (5.3.1 of the narrative); the other entry names a
#: narrative task
NO_SUPPORT_CELL = CORRECTIONS.read_text(encoding="utf-8").split("[[correction]]")[1]


def table(folder: Path, first: int = TITLE, *, corrections: bool = True) -> Path:
    """Lines ``first``–end of the Dehong text in a plan folder with the plan's units.csv and plan.toml."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "source.txt").write_text("".join(LINES[first - 1:]), encoding="utf-8")
    for name in ("units.csv", "plan.toml"):
        shutil.copy(DEHONG / name, folder / name)
    if corrections:
        (folder / "corrections.toml").write_text("[[correction]]" + NO_SUPPORT_CELL, encoding="utf-8")
    return folder / "source.txt"


@pytest.fixture(scope="module")
def whole():
    return import_plan(SOURCE, corrections=CORRECTIONS)


def _cell(plan, task) -> str:
    span = task.statements["table"].span
    return plan.text[span.start:span.end]


def _assignments(plan, task) -> set[tuple[str, str]]:
    return {(m.role, m.unit.id) for m in task.mentions if m.part == "table"}


def test_every_row_is_a_task_with_the_units_the_whole_plan_reads_in_it(tmp_path, whole):
    source = table(tmp_path / "dehong-table")
    plan = import_plan(source, corrections=source.parent / "corrections.toml")
    assert not plan.problems and len(plan.tasks) == 56 == len(whole.tasks)
    by_cell = {_cell(whole, t): t for t in whole.tasks.values()}
    for task in plan.tasks.values():
        same = by_cell[_cell(plan, task)]
        assert _assignments(plan, task) == _assignments(whole, same), task.notation
        assert [(c.column_year, plan.text[c.span.start:c.span.end]) for c in task.progress] == \
            [(c.column_year, whole.text[c.span.start:c.span.end]) for c in same.progress], task.notation
        assert task.target_year == same.target_year and task.table_number == same.table_number
        assert task.narrative_number is None and set(task.statements) == {"table"}
    # numbered as the table numbers them: 二、(一)1. is 2.1.1, 七、(一) 组织实施 is 7.1, 一、 州级联席会议制度 1.1
    assert (plan.tasks["2.1.1"].title, plan.tasks["7.1"].title, plan.tasks["1.1"].title) == \
        ("人力资源领域", "组织实施", "州级联席会议制度")
    assert [(a, plan.areas[a].title) for a in ("2", "2.1", "7")] == [
        ("2", "犯罪预防"), ("2.1", "重点领域预防犯罪工作"), ("7", "实施和保障")]
    assert "7.1" not in plan.areas


def test_what_the_table_alone_cannot_tell_is_said(tmp_path):
    source = table(tmp_path / "dehong-table")
    plan = import_plan(source, corrections=source.parent / "corrections.toml")
    (excerpt,) = [f for f in plan.findings if f.kind == "excerpt"]
    assert excerpt.message == ("the text holds the annual table alone, with no narrative item: each task is read "
                               "from its row and numbered as the table numbers it (the narrative, not in the text, "
                               "may number it otherwise); 56 row(s) read")
    numbering = [(f.line, f.message) for f in plan.findings if f.kind == "numbering"]
    assert (28, "annual table numbers section 犯罪预防 '一' on this row but '二' elsewhere") in numbering
    # 1.信息发布 stands on a page that lost its subsection label: read under (一), and said so
    assert (52, "annual table numbers this item 1; it is item 5 under 3.1 here; the graph numbers it 3.1.5") \
        in numbering


def test_the_graph_of_the_table_alone_has_no_narrative_and_every_task_its_evidence(tmp_path):
    source = table(tmp_path / "dehong-table")
    graph = plan_graph(import_plan(source, corrections=source.parent / "corrections.toml"))
    assert not list(graph.subjects(None, ATK.NarrativeScheme)) and list(graph.subjects(None, ATK.AnnualTable))
    tasks = set(graph.subjects(None, ATK.Task))
    assert len(tasks) == 56 and all((task, ATK.evidence, None) in graph for task in tasks)


def test_a_copy_starting_inside_the_table_reads_from_its_first_section_label(tmp_path):
    """Line 221 (3.医疗卫生领域) carries no label: it is not read; from line 225 (二、 犯罪预防 (一)) on, each row is."""
    source = table(tmp_path / "dehong-table", 221)
    plan = import_plan(source, corrections=source.parent / "corrections.toml")
    (excerpt,) = [f for f in plan.findings if f.kind == "excerpt"]
    assert excerpt.message.endswith("; 52 row(s) read; the 1 row(s) above the first section label (lines 1–1) "
                                    "stand under a section the text does not name, and are not read")
    assert "2.1.3" not in plan.tasks and plan.tasks["2.1.4"].title == "婚姻登记领域" and not plan.problems


def test_a_correction_naming_a_narrative_task_is_refused_for_a_table_alone(tmp_path):
    source = table(tmp_path / "dehong-table")
    shutil.copy(CORRECTIONS, source.parent / "corrections.toml")
    plan = import_plan(source, corrections=source.parent / "corrections.toml", strict=False)
    assert [(p.code, p.message) for p in plan.problems] == [
        ("bad-correction", "correction #2 names task 5.3.4 of the narrative; the text holds the annual table alone")]


def test_the_table_alone_builds_and_validates_through_the_cli(tmp_path):
    table(tmp_path / "ws" / "dehong-table")
    ws = tmp_path / "ws"
    built = CliRunner().invoke(main, ["build", "--plan", "dehong-table", "--data-dir", str(ws)])
    assert built.exit_code == 0, built.stderr
    checked = CliRunner().invoke(main, ["validate", "--plan", "dehong-table", "--data-dir", str(ws)])
    assert checked.exit_code == 0, checked.output + checked.stderr
    answer = CliRunner().invoke(main, ["query", "tasks-by-unit", "--plan", "dehong-table", "--data-dir", str(ws),
                                       "-p", "unit=州妇联", "-p", "role=support", "-f", "csv"])
    assert answer.exit_code == 0, answer.stderr
    assert "2.1.1," in answer.output


def test_an_excerpt_whose_narrative_names_no_unit_reads_its_table_alone(tmp_path):
    """一、指导思想 and 二、总体目标 (no clause, no row of the table matches them), then the whole table."""
    folder = tmp_path / "dehong-table"
    source = table(folder)
    source.write_text("".join(LINES[22:32]) + "\n" + source.read_text(encoding="utf-8"), encoding="utf-8")
    assert LINES[22].startswith("一、指导思想") and LINES[26].startswith("二、总体目标")
    plan = import_plan(source, corrections=folder / "corrections.toml")
    assert len(plan.tasks) == 56 and not plan.problems and plan.narrative_lines == (0, 0)
    assert [f.message for f in plan.findings if f.kind == "excerpt"][0] == (
        "the narrative part of the text (lines 1–11) names no unit in a clause, and no row of the annual table "
        "matches an item of it: it is not read, and the table is read alone")
    assert plan.areas["2"].title == "犯罪预防"          # the table's 二、, not the narrative's 二、总体目标


def test_import_says_the_table_is_read_alone(tmp_path):
    source = table(tmp_path / "dehong-table")
    result = CliRunner().invoke(main, ["import", str(source)])
    assert result.exit_code == 0, result.stderr
    assert "no narrative (the annual table read alone), table lines 3–" in result.output
    assert "policy areas: 17   tasks: 56" in result.output
    assert "finding line 5: the text holds the annual table alone" in result.output


@pytest.mark.parametrize("laid_out", ["德政办发〔2022〕3号\t\t签发人：张三", "德政办发〔2022〕3号\t\t\t德宏州人民政府办公室"])
def test_a_header_line_laid_out_with_tabs_is_no_table(tmp_path, whole, laid_out):
    """A line of the notice above 一、 laid out with tabs, even naming a unit: not the start of a table read alone
    (a row has a task before its units)."""
    source = tmp_path / "dehong" / "source.txt"
    source.parent.mkdir()
    text = SOURCE.read_text(encoding="utf-8").replace("德政办发〔2022〕3号\n", laid_out + "\n", 1)
    source.write_text(text, encoding="utf-8")
    for name in ("units.csv", "plan.toml"):
        shutil.copy(DEHONG / name, source.parent / name)
    plan = import_plan(source, corrections=CORRECTIONS)
    assert sorted(plan.tasks) == sorted(whole.tasks) and plan.narrative_lines == whole.narrative_lines


def test_items_with_units_in_prose_and_rows_that_match_none_are_problems_not_a_table_alone(tmp_path):
    """A whole document (its notice above) whose narrative item names its units in prose (由州妇联负责) and whose
    rows match no item: no task is found, as before, rather than a table read alone; without the notice (an
    excerpt) the table is read alone."""
    folder = tmp_path / "dehong-table"
    source = table(folder)
    body = "四、预防犯罪\n（一）重点领域\n1.人力资源领域宣传。加强宣传，由州妇联负责。\n\n" + source.read_text(encoding="utf-8")
    source.write_text(body, encoding="utf-8")
    assert len(import_plan(source, corrections=folder / "corrections.toml").tasks) == 56
    source.write_text("".join(LINES[:22]) + body, encoding="utf-8")
    with pytest.raises(InputError, match="no task found: .*2 numbered heading"):
        import_plan(source, corrections=folder / "corrections.toml", strict=False)


def _stopping_in_the_airport_station(folder: Path, kept: int):
    """The table alone up to its one 芒市机场出入境边防检查站, of which ``kept`` characters stand."""
    at = next(i for i, text in enumerate(LINES, start=1) if i > TITLE and "芒市机场出入境边防检查站" in text)
    words = LINES[at - 1]
    source = table(folder, corrections=False)
    source.write_text("".join(LINES[TITLE - 1:at - 1]) + words[:words.index("芒市机场出入境边防检查站") + kept],
                      encoding="utf-8")
    return import_plan(source, strict=False)


def test_a_table_alone_stopping_in_the_one_name_of_a_unit_it_gives(tmp_path):
    """芒市机场出入境边防检查站 is named in the table once: cut inside that name, the part does not name the unit
    (an unnamed-unit finding), and the cut is still told from a misspelt name."""
    plan = _stopping_in_the_airport_station(tmp_path / "dehong-table", 9)
    assert not plan.problems
    assert any("芒市机场出入境边防检查站, which source.txt does not name" in f.message for f in plan.findings)
    (finding,) = plan.incomplete
    assert finding.message.endswith("'芒市机场出入境边防' is cut off, not read")


def test_a_table_alone_whose_first_row_names_a_unit_the_plan_lacks_starts_at_that_row(tmp_path):
    cells = LINES[215 - 1].split("\t")
    assert cells[3] == "联席会议办公室"
    source = table(tmp_path / "dehong-table", 216)
    first = "\t".join(cells[:3] + ["州公安局等", "各县（市）人民政府"] + cells[5:])
    source.write_text(first + source.read_text(encoding="utf-8"), encoding="utf-8")
    plan = import_plan(source, corrections=source.parent / "corrections.toml", strict=False)
    assert plan.tasks["1.1"].title == "州级联席会议制度" and len(plan.tasks) == 56
    assert {p.line for p in plan.problems} == {1}           # the names the row gives that are no unit of the plan


def test_a_table_alone_stopping_after_a_name_that_starts_another_says_it_may_be_cut(tmp_path):
    plan = _stopping_in_the_airport_station(tmp_path / "dehong-table", 4)        # 芒市机场
    assert not plan.problems
    (finding,) = plan.incomplete
    assert finding.message == ("the text stops inside the annual table's support cell of a row, after '芒市机场': "
                               "a unit's name, read as that unit, and the start of another's, which the text may "
                               "have been cut inside")


def test_a_table_alone_whose_first_row_is_its_title(tmp_path, whole):
    """A Word table whose first row is its title over merged cells: the title, not a row."""
    source = table(tmp_path / "dehong-table")
    text = source.read_text(encoding="utf-8")
    title = LINES[TITLE - 1].strip()
    source.write_text(text.replace(title, "\t".join([title] * 3) + "\t\t", 1), encoding="utf-8")
    plan = import_plan(source, corrections=source.parent / "corrections.toml")
    assert plan.table_title[0].startswith(title) and len(plan.tasks) == 56 and not plan.problems
    assert "above the first section label" not in " ".join(f.message for f in plan.findings)
