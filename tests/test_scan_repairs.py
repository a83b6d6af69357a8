"""No silent repairs: whatever the reader of a scan puts right (〈 〉 as （ ）, a numbered heading's misread bracket,
a section heading's missing 、, a quotation mark a cell pairs with none, the mark a cell's first word is read
with) is recorded as a repair in the line map and is an ``ocr-repair`` finding of the build.

Tesseract is not run: a drawn page (a text block and a small table) is read with the OCR replaced by the words
a scan gave, so that the test knows exactly what OCR read.  Undoing the recorded repairs must give back exactly
what OCR read: a repair left unrecorded fails it.
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest

from conftest import SOURCE

pytest.importorskip("numpy", reason="the documents extra (numpy, pillow)")
pytest.importorskip("PIL", reason="the documents extra (numpy, pillow)")

DEHONG = SOURCE.parent

#: what OCR read on the drawn page: three lines of text above the table, then the table's cells by row
LINES = [["七宣传", "教育和培训"], ["《三)解救。依法解救被拐卖儿童〈州公安局负责，州妇联配合〉"], ["2022年度实施方案"]]
CELLS = [["七、宣传教育和培训"], ["（三）解救"], ["依法解救被拐卖儿童。"], ["州公安”局"], ["|", "“”州妇联"]]


def _word(text: str, left: int, top: int, line: int) -> dict:
    return {"block": 1, "par": 1, "line": line, "left": left, "top": top, "width": 40 * len(text), "height": 40,
            "conf": 91.0, "text": text}


@pytest.fixture
def page(monkeypatch):
    """A drawn page: three lines of text, then a table of one row and five cells; OCR answers with
    :data:`LINES` and :data:`CELLS`."""
    from PIL import Image, ImageDraw

    from antitraffick_kg.plan import documents_scan

    image = Image.new("L", (2000, 1200), 255)
    draw = ImageDraw.Draw(image)
    for n in range(len(LINES)):          # the text: a row of dark squares (characters) where each line stands
        for x in range(100, 1800, 50):
            draw.rectangle((x, 100 + 80 * n, x + 36, 140 + 80 * n), fill=0)
    xs, top, bottom = [100, 400, 700, 1100, 1450, 1900], 600, 900
    for x in xs:
        draw.line((x, top, x, bottom), fill=0, width=3)
    for y in (top, bottom):
        draw.line((xs[0], y, xs[-1], y), fill=0, width=3)
    for a, b in zip(xs, xs[1:]):                              # something in every cell
        draw.rectangle((a + 30, top + 40, a + 60, top + 70), fill=0)
    calls, again = [], []          # again: what reading the start of a line once more gives

    def ocr_images(images, *, language, where, scale=1.0):
        calls.append(len(images))
        if images[0].size == image.size:
            return [[_word(w, 100 + 300 * k, 100 + 80 * n, n + 1) for n, line in enumerate(LINES)
                     for k, w in enumerate(line)]]
        if len(images) == len(CELLS):
            return [[_word(w, 30 + 200 * k, 30, 1) for k, w in enumerate(cell)] for cell in CELLS]
        return [[_word(w, 30 + 200 * k, 30, 1) for k, w in enumerate(again)] for _ in images]

    monkeypatch.setattr(documents_scan, "ocr_images", ocr_images)
    return image, calls, again


def _undo(text: str, repairs) -> str:
    # from the end: at one column, a word left out stood before the word used there
    for r in sorted(repairs, key=lambda r: (r.column, bool(r.used)), reverse=True):
        assert text[r.column:r.column + len(r.used)] == r.used, (text, r)
        text = text[:r.column] + r.read + text[r.column + len(r.used):]
    return text


def test_every_repair_of_a_scan_is_recorded(page, tmp_path):
    from antitraffick_kg.plan.documents_layout import flow
    from antitraffick_kg.plan.documents_scan import read_page_image

    image, calls, again = page
    again[:] = ["解救。依法"]                       # read again, the heading's number is no clearer
    right: dict[int, float] = {}
    items = read_page_image(image, 1, right, language="chi_sim", where=tmp_path / "page.png")
    # the cells in one run at two sizes, then the text outside the table at two sizes, and the heading's start
    # read again at three sizes
    assert calls == [len(CELLS), len(CELLS), 1, 1, 1, 1, 1]
    pieces = flow(items, unit="px", page_right=right)
    lines = [p for p in pieces if p.text and "\t" not in p.text]
    rows = [p for p in pieces if "\t" in p.text]
    assert [p.text for p in lines] == ["七、宣传教育和培训", "（三）解救。依法解救被拐卖儿童（州公安局负责，州妇联配合）",
                                       "2022年度实施方案"]
    assert [p.text for p in rows] == ["七、宣传教育和培训\t（三）解救\t依法解救被拐卖儿童。\t州公安局\t州妇联"]
    # undoing the recorded repairs gives back exactly what OCR read
    assert [_undo(p.text, p.repairs) for p in lines] == ["".join(line) for line in LINES]
    assert _undo(rows[0].text, rows[0].repairs) == "\t".join("".join(cell) for cell in CELLS)
    kinds = sorted(r.kind for p in pieces for r in p.repairs)
    assert kinds == ["bracket", "bracket", "cell-start", "heading-bracket", "section-comma", "stray-quote",
                     "stray-quote"]


def test_repairs_round_trip_through_the_line_map_and_are_findings_of_the_build(page, tmp_path):
    """The repairs kept in source.map.tsv are ocr-repair findings of a later import (the build's findings and
    audit), each with its line, the place on the page, what OCR read and what the text has; a line map written
    before repairs were recorded still reads."""
    from antitraffick_kg.plan.documents import load_origins, write_origins
    from antitraffick_kg.plan.documents_layout import flow
    from antitraffick_kg.plan.documents_model import Extraction
    from antitraffick_kg.plan.documents import _assemble
    from antitraffick_kg.plan.documents_scan import read_page_image
    from antitraffick_kg.plan.graph import plan_graph
    from antitraffick_kg.plan.importer import import_plan
    from antitraffick_kg.namespaces import ATK
    from rdflib import RDF, RDFS

    image, _, again = page
    again[:] = ["解救。依法"]
    right: dict[int, float] = {}
    pieces = flow(read_page_image(image, 1, right, language="chi_sim", where=tmp_path / "p.png"), unit="px",
                  page_right=right)
    text, origins, low = _assemble(pieces)
    folder = tmp_path / "plan"
    folder.mkdir()
    extraction = Extraction(tmp_path / "p.png", "scan", text, origins, 1, "0" * 64, low)
    (folder / "source.txt").write_text(text, encoding="utf-8")
    write_origins(extraction, folder)
    read, _ = load_origins(folder / "source.map.tsv")
    assert list(read.values()) == list(origins)
    assert sum(len(o.repairs) for o in read.values()) == 7

    shutil.copyfile(DEHONG / "plan.toml", folder / "plan.toml")
    (folder / "units.csv").write_text("id,short_name,variants,full_name,name_en,kind,function\n"
                                      "public-security,州公安局,,,,government-department,public-security\n"
                                      "womens-federation,州妇联,,,,mass-organisation,womens-federation\n",
                                      encoding="utf-8")
    plan = import_plan(folder / "source.txt", strict=False)
    repairs = [f for f in plan.findings if f.kind == "ocr-repair"]
    assert len(repairs) == 7
    lines = text.split("\n")
    heading = next(f for f in repairs if "heading-bracket" in f.message)
    assert lines[heading.line - 1].startswith("（三）解救")
    assert heading.message.startswith("OCR read '《三)' (page 1, box ") and "the text has '（三）'" in heading.message
    assert plan.text[heading.span.start:heading.span.end] == "（三）"
    quote = next(f for f in repairs if "'州公安”局'" in f.message)
    assert "table row" in quote.message and ", cell 4)" in quote.message and "'州公安局'" in quote.message
    cut = next(f for f in repairs if "cell-start" in f.message)
    assert cut.span is None and "nothing there" in cut.message
    graph = plan_graph(plan)
    comments = {str(c) for f in graph.subjects(RDF.type, ATK.Finding) for c in graph.objects(f, RDFS.comment)}
    assert {f.message for f in repairs} <= comments

    # a line map of before: six columns, no repairs
    old = folder / "source.map.tsv"
    rows = [r.split("\t")[:6] for r in old.read_text(encoding="utf-8").split("\n") if r]
    old.write_text("\n".join("\t".join(r) for r in rows) + "\n", encoding="utf-8")
    read, _ = load_origins(old)
    assert all(o.repairs == () for o in read.values()) and len(read) == len(origins)


def test_a_heading_read_again_is_a_repair_too(page, tmp_path):
    """Where the start of a line that looks like a misread heading reads as a well-formed number at other
    sizes, that number is used, and recorded: what the first reading had, what the text has."""
    from antitraffick_kg.plan.documents_layout import flow
    from antitraffick_kg.plan.documents_scan import read_page_image

    image, calls, again = page
    again[:] = ["(三)", "解救。依法"]
    right: dict[int, float] = {}
    pieces = flow(read_page_image(image, 1, right, language="chi_sim", where=tmp_path / "page.png"), unit="px",
                  page_right=right)
    line = next(p for p in pieces if "解救。依法解救" in p.text)
    assert line.text.startswith("(三)解救。依法解救被拐卖儿童（州公安局负责")
    assert [(r.kind, r.read, r.used) for r in line.repairs][0] == ("heading-reread", "《三)", "(三)")
    assert _undo(line.text, line.repairs) == "".join(LINES[1])


def test_a_cell_that_starts_like_a_misread_heading_is_read_again(page, tmp_path, monkeypatch):
    from antitraffick_kg.plan.documents_layout import flow
    from antitraffick_kg.plan.documents_scan import read_page_image

    image, calls, again = page
    monkeypatch.setattr(sys.modules[__name__], "CELLS", [CELLS[0], ["伍)解救"], *CELLS[2:]])
    again[:] = ["(三)", "解救"]
    right: dict[int, float] = {}
    pieces = flow(read_page_image(image, 1, right, language="chi_sim", where=tmp_path / "page.png"), unit="px",
                  page_right=right)
    row = next(p for p in pieces if "\t" in p.text)
    assert row.text.split("\t")[1] == "(三)解救"
    assert ("heading-reread", "伍)", "(三)") in [(r.kind, r.read, r.used) for r in row.repairs]
    assert _undo(row.text, row.repairs) == "\t".join("".join(cell) for cell in CELLS)


def test_a_line_map_with_a_bad_repair_is_one_error_naming_its_row(tmp_path):
    from antitraffick_kg.errors import InputError
    from antitraffick_kg.plan.documents import load_origins

    path = tmp_path / "source.map.tsv"
    path.write_text("line\tpage\tplace\tcells\tconfidence\tlow_words\trepairs\n"
                    "1\t1\tpage 1, box 0,0-9,9 px\t\t90.0\t\t0:guess:《三):（三）\n", encoding="utf-8")
    with pytest.raises(InputError) as caught:
        load_origins(path)
    assert caught.value.line == 2 and "repairs (column:kind:read:used" in str(caught.value)
