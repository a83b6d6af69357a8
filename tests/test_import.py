"""The importer: corrections, unknown names, other plans, other scripts, bad files."""

from __future__ import annotations

from pathlib import Path

import pytest

from antitraffick_kg import ImportProblemsError, InputError, import_plan
from antitraffick_kg.plan.corrections import load_corrections

from conftest import CORRECTIONS, SOURCE

OTHER = Path(__file__).parent / "data" / "other-prefecture"


def test_without_corrections_exactly_the_corrected_places_are_problems():
    plan = import_plan(SOURCE, strict=False)
    corrected = {c.line for c in load_corrections(CORRECTIONS)}
    assert {p.line for p in plan.problems} == corrected
    assert len(plan.problems) == len(corrected) == 2
    with pytest.raises(ImportProblemsError) as info:
        import_plan(SOURCE)
    assert f"{SOURCE}:268:" in str(info.value)


def test_every_correction_has_a_one_line_reason():
    for c in load_corrections(CORRECTIONS):
        assert len(c.reason) > 20 and "\n" not in c.reason


def test_corrections_become_findings(plan):
    assert sorted(f.line for f in plan.findings if f.kind == "correction") == [268, 274]


def test_a_correction_finds_its_row_by_its_words_the_line_only_a_hint(tmp_path, plan):
    """Issue 21: an entry's line is a hint; its expect words place it (the same plan from another file shifts
    every line), and words that stand on no row, or on several, are one error naming the entry."""
    moved = tmp_path / "corrections.toml"
    moved.write_text(CORRECTIONS.read_text(encoding="utf-8").replace("line = 268", "line = 267"), encoding="utf-8")
    read = import_plan(SOURCE, corrections=moved)
    assert [(f.kind, f.line) for f in read.findings if f.kind == "correction"] == [("correction", 268),
                                                                                 ("correction", 274)]
    assert read.tasks["5.3.1"].mentions == plan.tasks["5.3.1"].mentions
    unplaced = CORRECTIONS.read_text(encoding="utf-8").replace('expect = "4.严惩涉拐“黑灰产”"', 'expect = "4.严惩涉拐黑灰"')
    moved.write_text(unplaced, encoding="utf-8")
    with pytest.raises(InputError) as info:
        import_plan(SOURCE, corrections=moved, strict=False)
    assert str(info.value) == (f"{moved}: correction #2: its expect words '4.严惩涉拐黑灰' stand on no row of the "
                               "annual table of source.txt (its line 274 is only a hint); quote words as they stand there")
    moved.write_text(unplaced.replace('expect = "4.严惩涉拐黑灰"', 'expect = "严惩"'), encoding="utf-8")
    with pytest.raises(InputError, match=r"^\S+corrections.toml: correction #2: its expect words '严惩' stand on lines "
                                         r"268, 272, 273, 274 of source.txt; quote more of the one meant$"):
        import_plan(SOURCE, corrections=moved, strict=False)
    no_line = CORRECTIONS.read_text(encoding="utf-8").replace("line = 268\n", "").replace("line = 254\n", "")
    moved.write_text(no_line, encoding="utf-8")
    assert [(f.kind, f.line) for f in import_plan(SOURCE, corrections=moved).findings
            if f.kind in ("correction", "garbled")] == [("garbled", 254), ("correction", 268), ("correction", 274)]


def test_corrections_hold_for_the_same_text_with_every_line_shifted(tmp_path, plan, source_text):
    """The same plan from another extraction: three lines of a web page's header above it move every line."""
    for name in ("units.csv", "plan.toml", "corrections.toml"):
        (tmp_path / name).write_bytes((SOURCE.parent / name).read_bytes())
    (tmp_path / "source.txt").write_text("首页 > 政务公开 > 规划计划\n\n来源：某某网\n" + source_text, encoding="utf-8")
    shifted = import_plan(tmp_path / "source.txt", corrections=tmp_path / "corrections.toml",
                          plan_id="dehong-2022-2030")
    said = lambda p: sorted((t.notation, m.role, m.part, m.unit.short_name, m.line - (p is shifted) * 3)
                            for t in p.tasks.values() for m in t.mentions)
    assert said(shifted) == said(plan) and len(said(plan)) == 485
    assert sorted((f.kind, f.line, f.task) for f in shifted.findings if f.kind in ("correction", "garbled")) == \
        [("correction", 271, "5.3.1"), ("correction", 277, "5.3.4"), ("garbled", 257, "4.4.5")]
    # where an entry was placed away from the line it gives is recorded with the finding, and only then
    moved = sorted(f.message.rsplit(" [", 1)[1] for f in shifted.findings if f.kind in ("correction", "garbled"))
    assert moved == ["the corrections entry gives line 254; its words stand on line 257]",
                     "the corrections entry gives line 268; its words stand on line 271]",
                     "the corrections entry gives line 274; its words stand on line 277]"]
    assert not any("corrections entry gives" in f.message for f in plan.findings)


def test_unknown_unit_names_its_line_and_the_closest_name(tmp_path, source_text):
    text = source_text.replace("（州民政局负责，州公安局、州妇联配合）", "（州民政局负责，州公安局、州妇女联合会配合）")
    assert text != source_text
    path = tmp_path / "plan.txt"
    path.write_text(text, encoding="utf-8")
    plan = import_plan(path, corrections=CORRECTIONS, strict=False)
    assert [(p.line, p.code) for p in plan.problems] == [(57, "unknown-unit")]
    assert "州妇女联合会" in plan.problems[0].message and "州妇联" in plan.problems[0].message


def test_traditional_script_is_converted_not_rejected(tmp_path, plan):
    import opencc

    traditional = opencc.OpenCC("s2t").convert(SOURCE.read_text(encoding="utf-8"))
    path = tmp_path / "source.txt"
    path.write_text(traditional, encoding="utf-8")
    converted = import_plan(path, corrections=CORRECTIONS, plan_id="dehong-2022-2030")
    assert converted.converted_from is not None
    assert sorted(converted.tasks) == sorted(plan.tasks)
    mine = {(t.notation, m.part, m.role, m.unit.id) for t in plan.tasks.values() for m in t.mentions}
    theirs = {(t.notation, m.part, m.role, m.unit.id) for t in converted.tasks.values() for m in t.mentions}
    assert theirs == mine


def test_another_prefecture_imports_with_its_own_files_and_no_new_code():
    plan = import_plan(OTHER / "source.txt", corrections=OTHER / "corrections.toml", units=OTHER / "units.csv")
    assert plan.doc_number[0] == "某政办发〔2023〕7号"
    assert plan.period[:2] == (2023, 2030)
    assert sorted(plan.tasks) == ["1.1", "2.1.1", "2.1.2", "3.1"]
    lists = {(t.notation, m.part, m.role, m.unit.short_name) for t in plan.tasks.values() for m in t.mentions}
    assert ("3.1", "table", "support", "州妇联") in lists          # written 州妇女联合会 in the table
    assert ("2.1.2", "table", "support", "州民政局") not in lists
    assert [ms.year for ms in plan.tasks["2.1.1"].milestones if ms.kind == "deadline"] == [2024]
    assert [m.unit.short_name for m in plan.members] == ["州公安局", "州民政局", "州妇联"]


def test_another_prefecture_without_its_corrections_names_the_line():
    plan = import_plan(OTHER / "source.txt", units=OTHER / "units.csv", strict=False)
    assert [(p.line, p.code) for p in plan.problems] == [(35, "not-units")]


@pytest.mark.parametrize("content,message", [
    (None, "file not found"),
    (b"", "empty file"),
    (b"\x00\x01\x02binary", "binary file"),
    ("德宏州反对拐卖人口".encode("gbk"), "not UTF-8"),
    ("\ufeff一、指导思想".encode("utf-8"), "byte-order mark"),
    ("\ufeff一、指导思想（州公安局负责）".encode("utf-16"), "UTF-16 text, not UTF-8"),
    ("一、指导思想（州公安局负责）".encode("utf-16-le"), "UTF-16 text, not UTF-8"),
    ("1. 指导思想 (all ASCII)".encode("utf-16-be"), "UTF-16 text, not UTF-8"),
])
def test_unusable_files_raise_input_error(tmp_path, content, message):
    path = tmp_path / "plan.txt"
    if content is not None:
        path.write_bytes(content)
    with pytest.raises(InputError) as info:
        import_plan(path)
    assert message in str(info.value) and str(path) in str(info.value)


def test_text_that_is_no_plan_is_reported_not_crashed(tmp_path):
    # a reading with no task is no plan: an error saying what the importer looked for, even when not strict
    path = tmp_path / "plan.txt"
    path.write_text("这不是行动计划。\n只有两行。\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"plan.txt: no task found: .*（州公安局负责，州妇联配合）.*the text has no "
                                         r"numbered heading"):
        import_plan(path, strict=False)
    path.write_text("一、预防\n（一）加强宣传。开展宣传教育。\n（二）加强排查。\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"3 numbered heading\(s\) were found, none closed by a unit clause"):
        import_plan(path, strict=False)


@pytest.mark.parametrize("text,message", [
    ("[[correction]]\nline = 'x'\n", "'line' must be a positive whole number"),
    ("[[correction]]\nline = 3\nexpect = 'a'\naction = 'guess'\nreason = 'r'\n", "'action' must be one of"),
    ("[[correction]]\nline = 3\nexpect = 'a'\naction = 'task'\nreason = 'r'\n", "needs 'task'"),
    ("[[correction]\n", "not valid TOML"),
])
def test_bad_corrections_file(tmp_path, text, message):
    path = tmp_path / "c.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InputError, match=message):
        load_corrections(path)


def test_garbled_words_are_a_finding_with_their_reading(plan, source_text):
    garbled = [f for f in plan.findings if f.kind == "garbled"]
    assert [(f.line, f.task) for f in garbled] == [(254, "4.4.5")]
    assert source_text[garbled[0].span.start:garbled[0].span.end] == "犯非前科人员的重点人员管轻取符阶段性成效"
    assert "管控取得" in garbled[0].message


def test_a_correction_that_fixes_nothing_is_reported(tmp_path):
    extra = tmp_path / "corrections.toml"
    extra.write_text(CORRECTIONS.read_text(encoding="utf-8") + (
        '\n[[correction]]\nline = 216\nexpect = "1.人力资源领域"\naction = "no-support-cell"\nreason = "r"\n'
        '\n[[correction]]\nline = 221\nexpect = "3.医疗卫生领域"\naction = "task"\ntask = "4.1.3"\nreason = "r"\n'),
        encoding="utf-8")
    plan = import_plan(SOURCE, corrections=extra, strict=False)
    assert sorted((p.line, p.code) for p in plan.problems) == [(216, "bad-correction"), (221, "bad-correction")]


def test_new_writes_a_text_with_a_byte_order_mark_without_it(tmp_path):
    """Notepad's UTF-8 byte-order mark: `new` writes the plan's source.txt without it, so the import reads it (the
    import itself refuses the mark, which would put every offset one character off the file's)."""
    from antitraffick_kg.plan.newplan import new_plan
    from antitraffick_kg.plan.planinfo import PlanInfo

    text = OTHER.joinpath("source.txt").read_text(encoding="utf-8")
    (tmp_path / "marked.txt").write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))
    (tmp_path / "ws").mkdir()
    made = new_plan("marked", source=tmp_path / "marked.txt", data_dir=tmp_path / "ws",
                    info=PlanInfo(title="某某州反对拐卖人口行动计划实施方案", period=(2023, 2030), level="prefecture",
                                  jurisdiction="532300"))
    assert (made.folder / "source.txt").read_bytes() == text.encode("utf-8")
    assert len(made.plan.tasks) == len(import_plan(OTHER / "source.txt", units=OTHER / "units.csv",
                                                   strict=False).tasks)
