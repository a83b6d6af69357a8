"""What a scan's reading needs of the importer, and how the reader picks among its readings, without Tesseract:
a section label whose numeral OCR lost, a table row whose title is one character off its narrative item's, a
cell whose list ends in 、, and the reading of a line (or a cell) with fewer doubtful words.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from conftest import SOURCE

DEHONG = SOURCE.parent
UNITS = ("id,short_name,variants,full_name,name_en,kind,function\n"
         "public-security,州公安局,,,,government-department,public-security\n"
         "womens-federation,州妇联,,,,mass-organisation,womens-federation\n"
         "education,州教育体育局,,,,government-department,education\n")
NARRATIVE = ("一、犯罪预防\n（一）重点领域预防犯罪工作\n"
             "1.经济发展相对滞后地区。完善就业支持体系。（州公安局负责，州妇联配合）\n"
             "2.教育领域。开展宣传教育。（州教育体育局负责）\n\n2022年度实施方案\n"
             "工作项目\t工作任务\t\t负责单位\t配合单位\t2022年\n")


def _plan(folder: Path, table: str):
    from antitraffick_kg.plan.importer import import_plan

    folder.mkdir()
    (folder / "source.txt").write_text(NARRATIVE + table, encoding="utf-8")
    shutil.copyfile(DEHONG / "plan.toml", folder / "plan.toml")
    (folder / "units.csv").write_text(UNITS, encoding="utf-8")
    return import_plan(folder / "source.txt", strict=False)


def test_a_section_label_without_its_numeral_and_a_title_one_character_off_still_place_the_rows(tmp_path):
    """犯罪预防 (二、 lost) is still the section, a numbering finding; 澡后 for 滞后 still matches the item, a title
    finding; the assignments are the ones the text states."""
    plan = _plan(tmp_path / "p", "犯罪预防\t（一）重点领域预防犯罪工作\t1.经济发展相对澡后地区。完善就业支持体系。\t州公安局\t州妇联\t持续推进\n"
                                 "\t\t2.教育领域。开展宣传教育。\t州教育体育局\t\t持续推进\n")
    assert plan.problems == []
    table = {(t, m.role, m.unit.short_name) for t, task in plan.tasks.items() for m in task.mentions
             if m.part == "table"}
    assert table == {("1.1.1", "lead", "州公安局"), ("1.1.1", "support", "州妇联"), ("1.1.2", "lead", "州教育体育局")}
    assert [(f.kind, f.line, f.message) for f in plan.findings] == [
        ("numbering", 8, "annual table labels section 犯罪预防 with no numeral on this row"),
        ("title", 8, "annual table heading '经济发展相对澡后地区' differs from the narrative's '经济发展相对滞后地区'")]


def test_a_short_cell_before_a_sentence_is_no_section_and_two_characters_off_is_no_match(tmp_path):
    """Only a cell followed by a subsection or a numbered item is taken for a label; a title two characters
    off matches nothing (the row is a problem, as before)."""
    plan = _plan(tmp_path / "p", "组织机构\t州级联席会议制度。每年开会。\t州公安局\t州妇联\t持续推进\n"
                                 "犯罪预防\t（一）重点领域预防犯罪工作\t1.经济发展相对澡后池区。完善就业支持体系。\t州公安局\t州妇联\t持续推进\n")
    assert [(p.line, p.code) for p in plan.problems] == [(8, "unmatched-row"), (9, "unmatched-row")]
    assert not any(m.part == "table" for t in plan.tasks.values() for m in t.mentions)


def test_a_cell_read_by_ocr_whose_list_ends_in_a_comma_is_a_finding(tmp_path):
    from antitraffick_kg.plan.documents_findings import scan_findings
    from antitraffick_kg.plan.documents_model import Origin

    table = "犯罪预防\t（一）重点领域预防犯罪工作\t1.经济发展相对滞后地区。完善就业支持体系。\t州公安局\t州妇联、\t持续推进\n"
    plan = _plan(tmp_path / "p", table)
    line = plan.text.split("\n").index(table.rstrip("\n")) + 1
    starts = [0]
    for cell in table.rstrip("\n").split("\t")[:-1]:
        starts.append(starts[-1] + len(cell) + 1)
    origins = {n: Origin(n, f"page 1, box 0,{n}-9,{n} px", 1, (), 90.0) for n in range(1, line)}
    origins[line] = Origin(line, "page 1, table row, box 0,0-9,9 px", 1, tuple(starts), 88.0)
    scan_findings(plan, plan.registry, origins, ())
    said = [f for f in plan.findings if f.kind == "ocr"]
    assert [(f.line, f.message) for f in said] == [
        (line, "OCR read a list ending in 、 (page 1, table row, box 0,0-9,9 px, cell 5): a name after it lost? "
               "'州妇联、'; compare it with the page")]


def test_the_reading_with_fewer_doubtful_words_is_kept(monkeypatch):
    """The page is read at two sizes; a line is taken from the second where it has fewer words under the
    low-confidence mark, and only where one line of it stands at that height."""
    pytest.importorskip("numpy", reason="the documents extra")
    from PIL import Image

    from antitraffick_kg.plan import documents_scan

    def word(text, top, conf, line):
        return {"block": 1, "par": 1, "line": line, "left": 100, "top": top, "width": 400, "height": 40,
                "conf": conf, "text": text}

    first = [word("州妇联本合", 100, 48.0, 1), word("开展宣传。", 200, 95.0, 2)]
    second = [word("州妇联配合", 102, 80.0, 1), word("开展宣传，", 198, 40.0, 2)]
    sizes = []

    def ocr_images(images, *, language, where, scale=1.0):
        sizes.append(scale)
        return [first if scale == 1.0 else second]

    monkeypatch.setattr(documents_scan, "ocr_images", ocr_images)
    lines = documents_scan._two_readings(Image.new("L", (800, 400), 255), language="chi_sim", where=Path("p"))
    assert sizes == [1.0, documents_scan._SECOND_SCALE]
    assert [[w["text"] for w in line] for line in lines] == [["州妇联配合"], ["开展宣传。"]]


def test_a_paragraph_read_by_ocr_that_ends_in_units_but_no_clause_is_a_finding(tmp_path):
    """配合 read 本合: the importer reads no unit clause on the line, and the finding says so; a paragraph that
    ends in a bracket naming no unit, or whose clause was read, says nothing."""
    from antitraffick_kg.plan.documents_findings import scan_findings
    from antitraffick_kg.plan.documents_model import Origin
    from antitraffick_kg.plan.importer import import_plan

    folder = tmp_path / "p"
    folder.mkdir()
    text = ("一、犯罪预防\n1.宣传。开展宣传。（州公安局负责，州妇联配合）\n2.培训。开展培训。（州公安局负责，州妇联本合）\n"
            "3.说明。见附件（2022年）\n")
    (folder / "source.txt").write_text(text, encoding="utf-8")
    shutil.copyfile(DEHONG / "plan.toml", folder / "plan.toml")
    (folder / "units.csv").write_text("\n".join(UNITS.split("\n")[:3]) + "\n", encoding="utf-8")
    plan = import_plan(folder / "source.txt", strict=False)
    origins = {n: Origin(n, f"page 1, box 0,{n}-9,{n} px", 1, (), 90.0) for n in range(1, 5)}
    scan_findings(plan, plan.registry, origins, ())
    said = [(f.line, f.message) for f in plan.findings if f.kind == "ocr"]
    assert said == [(3, "OCR read a passage naming units that is no unit clause the importer knows (page 1, box "
                        "0,3-9,3 px): '（州公安局负责，州妇联本合）'; a role word (负责, 配合) misread? compare it with the page")]
