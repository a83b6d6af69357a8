"""Plans as they are published: the Dehong text rendered as a Word file, printed to PDF and shown as a web page
reads as the text does; a scan's tables, confidences and findings; each format's failure one line, exit 2.

The Word file, its PDF and the web page are made once for the module (``tests/render_formats.py``); OCR runs
on parts of one page only (the whole scan is measured by ``benchmarks/bench_formats.py``).
"""

from __future__ import annotations

import shutil
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import CORRECTIONS, SOURCE, require
import render_formats as rf

DEHONG = SOURCE.parent
pytest.importorskip("docx", reason="the documents extra (python-docx, pdfplumber, selectolax)")


def _office() -> None:
    require(shutil.which("soffice") is not None, "LibreOffice (Debian's libreoffice-writer-nogui) prints to PDF")


def _tesseract() -> None:
    from antitraffick_kg.plan.documents_scan import ocr_words  # noqa: F401

    require(shutil.which("tesseract") is not None, "Tesseract (Debian's tesseract-ocr, tesseract-ocr-chi-sim)")


@pytest.fixture(scope="module")
def rendered(tmp_path_factory) -> dict[str, Path]:
    """The Dehong text as .docx and .html (and .pdf when LibreOffice is there), made once."""
    folder = tmp_path_factory.mktemp("formats")
    text = SOURCE.read_text(encoding="utf-8")
    out = {"docx": rf.render_docx(text, folder / "plan.docx"), "html": rf.render_html(text, folder / "plan.html")}
    if shutil.which("soffice"):
        out["pdf"] = rf.render_pdf(out["docx"], folder / "plan.pdf")
    return out


@pytest.fixture(scope="module")
def text_reading():
    from antitraffick_kg.plan.importer import import_plan

    return rf.reading(import_plan(SOURCE, corrections=CORRECTIONS))


@pytest.fixture(scope="module")
def made(rendered, tmp_path_factory):
    """``new`` run on each rendered format once (a function of the format, cached): the folder it made, then
    the plan imported there with Dehong's units.csv and its corrections (each moved to the line that holds its
    ``expect`` words)."""
    from antitraffick_kg.plan.importer import import_plan

    workspace, done = tmp_path_factory.mktemp("workspace"), {}

    def make(kind: str):
        if kind not in done:
            result = _new(workspace, rendered[kind], f"dehong-{kind}")
            folder = workspace / f"dehong-{kind}"
            assert result.exit_code in (0, 1) and folder.is_dir(), result.output
            text = (folder / "source.txt").read_text(encoding="utf-8")
            shutil.copyfile(DEHONG / "units.csv", folder / "units.csv")
            (folder / "corrections.toml").write_text(
                rf.corrections_for(CORRECTIONS.read_text(encoding="utf-8"), text), encoding="utf-8")
            done[kind] = (folder, result, import_plan(folder / "source.txt", corrections=folder / "corrections.toml",
                                                      strict=False))
        return done[kind]
    return make


@pytest.mark.parametrize("kind", ["docx", "pdf", "html"])
def test_every_format_reads_as_the_text(kind, rendered, made, text_reading):
    if kind == "pdf":
        _office()
    _, _, plan = made(kind)
    got = rf.reading(plan)
    assert plan.problems == []
    assert (len(got["tasks"]), len(got["assignments"]), len(got["deadlines"])) == (56, 484, 23)
    assert got == text_reading


def test_evidence_and_the_task_query_name_the_page(made):
    _office()
    from rdflib import Literal

    from antitraffick_kg.ask.query import query
    from antitraffick_kg.namespaces import ATK
    from antitraffick_kg.plan.graph import plan_dataset
    from antitraffick_kg.store.stores import OxigraphStore

    folder, _, plan = made("pdf")
    lead = next(m for m in plan.tasks["7.6"].mentions if m.part == "table" and m.role == "lead")
    origin = plan.origins[lead.line]
    assert origin.page is not None and origin.place.startswith(f"page {origin.page}, table row, box ")
    dataset = plan_dataset(plan)
    places = {str(o) for o in dataset.objects(None, ATK.originalPlace)}
    assert f"{origin.place}, cell 4" in places
    assert (None, ATK.originalPage, Literal(origin.page)) in dataset
    store = OxigraphStore.from_nquads(dataset.serialize(format="nquads").encode("utf-8"))
    rows = [r for r in query("task", params={"id": "7.6"}, store=store)
            if r["field"] == "lead" and r["source"] == "table"]
    assert rows and all(r["original"].startswith(f"page {origin.page}, table row") for r in rows)
    from antitraffick_kg.report import _original

    origins, original = _original(folder)
    assert original == folder / "original.pdf" and origins[lead.line] == origin


def test_the_source_page_links_each_line_to_its_page():
    from jinja2 import Environment, FileSystemLoader, select_autoescape

    from antitraffick_kg.plan.documents_model import Origin

    templates = Path(__import__("antitraffick_kg.report", fromlist=["x"]).__file__).parent / "templates"
    env = Environment(loader=FileSystemLoader(templates), autoescape=select_autoescape(["html"]))
    page = env.get_template("source.html").render(
        plan={"number": "某号", "title": "某方案", "from": 2022, "until": 2030}, as_of="2024-01-01", reports="",
        root="", version="0", lines=["一、预防", "1.宣传。（州公安局负责）"], sha256="0" * 64,
        origins={1: Origin(1, "page 1, box 1,2-3,4 pt", 1), 2: Origin(2, "page 2, table row, box 1,2-3,4 pt", 2)},
        original="original.pdf")
    assert '<li id="L2">1.宣传。（州公安局负责） <a class="origin" href="original.pdf#page=2">page 2, table row' in page
    plain = env.get_template("source.html").render(
        plan={"number": "某号", "title": "某方案", "from": 2022, "until": 2030}, as_of="2024-01-01", reports="",
        root="", version="0", lines=["一、预防"], sha256="0" * 64, origins={}, original=None)
    assert "original" not in plain


def test_import_reads_a_word_file_beside_its_plan_files(rendered, tmp_path):
    from antitraffick_kg.cli.main import main

    shutil.copyfile(rendered["docx"], tmp_path / "plan.docx")
    for name in ("plan.toml", "units.csv", "corrections.toml"):     # the Word file's lines are the text's
        shutil.copyfile(DEHONG / name, tmp_path / name)
    result = CliRunner().invoke(main, ["import", str(tmp_path / "plan.docx")])
    assert result.exit_code == 0, result.output
    assert "read from the original: 327 lines, 1 page(s)" in result.output
    assert "tasks: 56" in result.output and result.output.rstrip().endswith("every line placed")


def test_a_doc_file_is_read_through_libreoffice(tmp_path):
    _office()
    import docx

    from antitraffick_kg.plan.documents import read_document
    from antitraffick_kg.plan.documents_word import office_convert

    document = docx.Document()
    document.add_paragraph("一、预防")
    table = document.add_table(rows=2, cols=3)
    for row, cells in zip(table.rows, [["工作任务", "负责单位", "配合单位"], ["1.宣传。", "州公安局", "州妇联"]]):
        for cell, value in zip(row.cells, cells):
            cell.text = value
    document.save(tmp_path / "t.docx")
    # Word 97 as LibreOffice writes it (from its own format: the tables of a python-docx file do not survive
    # LibreOffice's export to .doc)
    (tmp_path / "t.odt").write_bytes(office_convert(tmp_path / "t.docx", to="odt"))
    (tmp_path / "t.doc").write_bytes(office_convert(tmp_path / "t.odt", to="doc"))
    extraction = read_document(tmp_path / "t.doc", max_mib=5)
    assert extraction.kind == "word"
    # (Word ends a document with a paragraph: LibreOffice writes an empty one after a final table)
    assert extraction.text.rstrip("\n") == "一、预防\n工作任务\t负责单位\t配合单位\n1.宣传。\t州公安局\t州妇联"
    assert [o.place for o in extraction.origins[:3]] == ["paragraph 1", "table 1, row 1", "table 1, row 2"]


def test_word_lines_keep_their_paragraph_and_cell(rendered):
    from antitraffick_kg.plan.documents import read_document

    extraction = read_document(rendered["docx"], max_mib=50)
    lines = extraction.text.split("\n")
    first_row = next(n for n, line in enumerate(lines, start=1) if line.startswith("一、组织机构\t"))
    origin = extraction.origins[first_row - 1]
    assert origin.place == "table 1, row 3"
    lead = lines[first_row - 1].index("联席会议办公室")
    assert origin.at(lead) == "table 1, row 3, cell 4"
    assert extraction.origins[2].place == "paragraph 3" and lines[2] == "德宏傣族景颇族自治州人民政府办公室文件"


def test_a_merged_cell_counts_once_for_the_rows_it_spans(tmp_path):
    import docx

    document = docx.Document()
    table = document.add_table(rows=4, cols=4)
    values = [["工作项目", "工作任务", "负责单位", ""], ["", "", "", "2022年"],
              ["一、预防", "1.宣传。开展宣传。", "州公安局", "持续推进"], ["", "2.培训。开展培训。", "州妇联", "2023年底前"]]
    table.cell(0, 0).merge(table.cell(1, 0))        # 工作项目 over both header rows
    table.cell(0, 2).merge(table.cell(0, 3))        # 负责单位 across two columns
    table.cell(2, 0).merge(table.cell(3, 0))        # the area over its two tasks
    for r, cells in enumerate(values):
        for k, value in enumerate(cells):
            if value:
                table.cell(r, k).text = value
    # a file may keep words in a cell a merge covers (Word shows only the first cell's): they do not count
    from docx.text.paragraph import Paragraph

    covered = table._tbl.tr_lst[3].tc_lst[0]
    Paragraph(covered.p_lst[0], None).add_run("一、预防")
    document.save(tmp_path / "t.docx")
    from antitraffick_kg.plan.documents import read_document

    lines = read_document(tmp_path / "t.docx", max_mib=1).text.split("\n")
    assert lines[:4] == ["工作项目\t工作任务\t负责单位\t", "\t\t\t2022年", "一、预防\t1.宣传。开展宣传。\t州公安局\t持续推进",
                         "\t2.培训。开展培训。\t州妇联\t2023年底前"]


def test_names_on_lines_of_their_own_in_a_cell_are_each_a_unit(tmp_path):
    """A cell listing its units one to a paragraph (Word) or to a <p> (a web page): before, the web page ran them
    together (州公安局州妇联) and `new` took that for a spelling of 州妇联, so 州公安局 was lost."""
    from antitraffick_kg.plan.documents import read_document
    from antitraffick_kg.plan.newplan import propose_units
    from antitraffick_kg.plan.planinfo import PlanInfo

    (tmp_path / "t.html").write_text(
        "<html><body><table><tr><td>工作任务</td><td>负责单位</td><td>配合单位</td><td>2022年</td><td>2023年</td></tr>"
        "<tr><td>一、预防</td><td>1.宣传。开展宣传。</td><td>州民政局</td><td><p>州公安局</p><p>州妇联</p></td>"
        "<td>持续推进</td></tr></table></body></html>", encoding="utf-8")
    text = read_document(tmp_path / "t.html", max_mib=1).text
    assert "\t州民政局\t州公安局 州妇联\t持续推进" in text
    info = PlanInfo(title="某州反对拐卖人口行动计划实施方案", period=(2022, 2030), level="prefecture",
                    jurisdiction="532500")
    assert sorted((u.short_name, u.variants) for u in propose_units(text, info)) == [
        ("州公安局", ()), ("州妇联", ()), ("州民政局", ())]


def test_word_text_in_a_content_control_is_read_and_text_word_does_not_show_is_not(tmp_path):
    """A paragraph in a content control (w:sdt) was dropped, with its units and deadline; the old place of a moved
    passage (w:moveFrom) and hidden text (w:vanish) were read as words the document says."""
    import docx
    from docx.oxml import parse_xml

    from antitraffick_kg.plan.documents import read_document

    w = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
    document = docx.Document()
    document.add_paragraph("一、预防犯罪")
    first = document.add_paragraph("（一）边境地区。加强管理。（县公安局负责，")
    first._p.append(parse_xml(f'<w:moveFrom {w} w:id="1" w:author="a" w:date="2023-01-01T00:00:00Z"><w:r>'
                              '<w:t>县司法局、</w:t></w:r></w:moveFrom>'))
    first.add_run("县妇联配合）")
    first._p.addnext(parse_xml(
        f'<w:sdt {w}><w:sdtPr/><w:sdtContent><w:p><w:r><w:t>（二）留守儿童。2025年底前建成关爱体系。（县民政局负责）'
        '</w:t></w:r></w:p></w:sdtContent></w:sdt>'))
    first._p.addprevious(parse_xml(    # a table of contents Word made: a building block, no words of the plan
        f'<w:sdt {w}><w:sdtPr><w:docPartObj><w:docPartGallery w:val="Table of Contents"/></w:docPartObj></w:sdtPr>'
        '<w:sdtContent><w:p><w:r><w:t>一、指导思想 1</w:t></w:r></w:p></w:sdtContent></w:sdt>'))
    third = document.add_paragraph("（三）婚姻登记。规范登记。（县民政局负责")
    third._p.append(parse_xml(f'<w:r {w}><w:rPr><w:vanish/></w:rPr><w:t>，县司法局配合</w:t></w:r>'))
    third.add_run("）")
    document.save(tmp_path / "t.docx")
    assert read_document(tmp_path / "t.docx", max_mib=1).text.split("\n")[:4] == [
        "一、预防犯罪", "（一）边境地区。加强管理。（县公安局负责，县妇联配合）",
        "（二）留守儿童。2025年底前建成关爱体系。（县民政局负责）", "（三）婚姻登记。规范登记。（县民政局负责）"]


def test_paragraphs_word_numbers_itself_start_with_the_number_word_shows(tmp_path):
    """Items in the List Number style (or numbered as a list): before, their numbers were lost, so the items were
    words of the subsection above them and their clauses inner-clause problems."""
    import docx
    from docx.oxml import parse_xml

    from antitraffick_kg.plan.documents import read_document
    from antitraffick_kg.plan.documents_numbering import _written

    document = docx.Document()
    document.add_paragraph("一、预防犯罪")
    document.add_paragraph("（一）重点地区")
    for words in ("边境地区。加强管理。（县公安局负责）", "农村地区。开展培训。（县民政局负责）"):
        document.add_paragraph(words, style="List Number")
    off = document.add_paragraph("说明文字。", style="List Number")      # numbering taken off the paragraph
    off._p.get_or_add_pPr().append(parse_xml(
        '<w:numPr xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:ilvl w:val="0"/>'
        '<w:numId w:val="0"/></w:numPr>'))
    document.add_paragraph("留守儿童。建立台账。（县民政局负责）", style="List Number")
    document.save(tmp_path / "t.docx")
    assert read_document(tmp_path / "t.docx", max_mib=1).text.split("\n")[:6] == [
        "一、预防犯罪", "（一）重点地区", "1.边境地区。加强管理。（县公安局负责）", "2.农村地区。开展培训。（县民政局负责）",
        "说明文字。", "3.留守儿童。建立台账。（县民政局负责）"]
    # a file with no numbering part (one saved with no list): its paragraphs as they are
    plain = docx.Document()
    plain.add_paragraph("一、预防犯罪")
    numbering = next(k for k, rel in plain.part.rels.items() if rel.reltype.endswith("/numbering"))
    plain.part.drop_rel(numbering)
    plain.save(tmp_path / "plain.docx")
    assert read_document(tmp_path / "plain.docx", max_mib=1).text == "一、预防犯罪\n"
    assert [_written(n, f) for n, f in ((3, "chineseCounting"), (12, "chineseCountingThousand"), (21, "chineseCounting"),
                                        (2, "decimalEnclosedCircle"), (4, "decimalFullWidth"))] == [
        "三", "十二", "二十一", "②", "４"]


def test_a_web_page_gives_the_article_not_the_site(rendered):
    from antitraffick_kg.plan.documents import read_document

    extraction = read_document(rendered["html"], max_mib=50)
    assert "首页" not in extraction.text and "网站标识码" not in extraction.text and "相关链接" not in extraction.text
    assert extraction.text.strip().startswith("德宏傣族景颇族自治州人民政府办公室文件")
    assert extraction.origins[2].place == "html/body/div[3]/div[2]/div[2]/p[3]"


@pytest.fixture(scope="module")
def long_table(tmp_path_factory) -> dict[str, Path]:
    """A small plan whose one table runs over two pages: header rows repeated, the area merged down, a
    PDF of it (LibreOffice) and a 300 dpi scan of its first page's top."""
    _office()
    import docx
    from docx.oxml import OxmlElement
    from docx.shared import Pt

    folder = tmp_path_factory.mktemp("long-table")
    document = docx.Document()
    document.add_paragraph("某县反对拐卖人口行动计划年度实施方案")
    rows = 2 + 24
    table = document.add_table(rows=rows, cols=4)
    table.style = "Table Grid"
    heads = [["工作项目", "工作任务", "负责单位", "工作进度"], ["", "", "", "2022年"]]
    long = "加强排查，落实责任，开展宣传教育，" * 7       # every fifth row tall: rows break over the pages
    body = [["一、犯罪预防" if i == 0 else "", f"{i + 1}.重点工作{i + 1}。" + (long if i % 5 == 4 else
                                                                    "加强排查，落实责任，开展宣传教育。"),
             ("县公安局", "县民政局", "县妇联")[i % 3], "2023年底前完成" if i % 4 == 0 else "持续推进"]
            for i in range(rows - 2)]
    for r, (row, cells) in enumerate(zip(table.rows, heads + body)):
        props = row._tr.get_or_add_trPr()
        if r < 2:
            props.append(OxmlElement("w:tblHeader"))
        for cell, value in zip(row.cells, cells):
            cell.paragraphs[0].add_run(value).font.size = Pt(16)
    table.cell(0, 0).merge(table.cell(1, 0))
    table.cell(2, 0).merge(table.cell(rows - 1, 0))
    document.save(folder / "t.docx")
    pdf = rf.render_pdf(folder / "t.docx", folder / "t.pdf")
    out = {"docx": folder / "t.docx", "pdf": pdf, "rows": body}
    if shutil.which("tesseract"):
        import pypdfium2

        page = pypdfium2.PdfDocument(str(pdf))[0].render(scale=300 / 72, grayscale=True).to_pil().convert("L")
        page.crop((0, 0, page.width, page.height // 2)).save(folder / "top.png", dpi=(300, 300))
        out["scan"] = folder / "top.png"
    return out


def test_a_row_broken_over_a_page_with_its_label_cut_is_one_row_again():
    """Word breaks a row over pages where it may: the first row of the next page (打击解救, 打击。…, 局) is the rest of
    a row whose task's cell stops on no full stop (1.专项); a row after a whole one is a row of its own.  (The cells
    as LibreOffice's PDF of such a table gives them.)"""
    from antitraffick_kg.plan.documents_pdf import _continues

    cut = ["（二）", "1.专项", "市公安", "市人民", "持续推进，长期坚持。"]
    rest = ["打击解救", "打击。组织开展打击拐卖人口犯罪专项行动。", "局", "法院、市人民检察院", ""]
    whole = ["（二）打击解救", "1.专项打击。组织开展专项行动。", "市公安局", "市人民法院", "持续推进，长期坚持。"]
    assert _continues(rest, cut) and not _continues(rest, whole)
    assert not _continues(["（三）救助安置", "1.临时救助。提供临时救助。", "市民政局"], cut)   # a new row's number
    assert _continues(["", "救助。", "局"], whole)           # (the first cell empty: the row goes on, as before)
    # a task of a title alone, then an unnumbered row: two rows
    assert not _continues(["建立长效机制", "州公安局", "持续推进"], ["1.专案侦办", "州公安局", "2022年底前"])


def test_a_table_over_pages_reads_its_header_once_and_every_row_whole(long_table):
    from antitraffick_kg.plan.documents import read_document

    extraction = read_document(long_table["pdf"], max_mib=5)
    rows = [line for line in extraction.text.split("\n") if "\t" in line]
    assert extraction.pages >= 2
    assert sum(1 for r in rows if r.startswith("工作项目")) == 1
    assert [r.split("\t")[1:3] for r in rows[2:]] == [cells[1:3] for cells in long_table["rows"]]
    assert rows[2].startswith("一、犯罪预防\t") and all(r.startswith("\t") for r in rows[3:])
    pages = {extraction.origins[n].page for n, line in enumerate(extraction.text.split("\n")) if "\t" in line}
    assert len(pages) >= extraction.pages - 1 >= 3      # a row broken over a page break is read on its first page


def test_a_scan_reads_table_rows_with_confidence(long_table):
    _tesseract()
    from antitraffick_kg.plan.documents import read_document

    extraction = read_document(long_table["scan"], max_mib=20)
    rows = [(o, line.split("\t")) for o, line in zip(extraction.origins, extraction.text.split("\n")) if "\t" in line]
    assert rows[0][1][0] == "工作项目" and rows[1][1][3] == "2022年"
    data = [cells for _, cells in rows[2:]]           # the rows the crop shows whole
    assert len(data) == 2
    assert [c[2:] for c in data] == [cells[2:] for cells in long_table["rows"][:2]]
    assert data[0][0].endswith("预防") and data[1][0] == ""
    assert [c[1][:7] for c in data] == ["1.重点工作1", "2.重点工作2"]
    assert all(o.confidence is not None and 50 < o.confidence <= 100 for o, _ in rows)
    assert all(o.place.startswith("page 1, table row, box ") for o, _ in rows)


def test_without_tesseract_a_scan_names_the_packages(tmp_path, monkeypatch, long_table):
    from antitraffick_kg.errors import InputError
    from antitraffick_kg.plan.documents import read_document

    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(InputError) as caught:
        read_document(long_table.get("scan") or _blank_at(tmp_path / "blank.png"), max_mib=20)
    assert "apt-get install tesseract-ocr tesseract-ocr-chi-sim" in str(caught.value)
    assert "antitraffick-kg[documents]" in str(caught.value)


def test_low_confidence_words_and_near_miss_units_are_findings(tmp_path):
    from antitraffick_kg.plan.documents_findings import scan_findings
    from antitraffick_kg.plan.documents_model import LowWord, Origin
    from antitraffick_kg.plan.importer import import_plan

    folder = tmp_path / "p"
    folder.mkdir()
    text = "一、预防\n1.宣传。开展宣传。（州公安司负责，州妇联配合）\n2.培训。开展培训。（州公安局负责）\n"
    (folder / "source.txt").write_text(text, encoding="utf-8")
    shutil.copyfile(DEHONG / "plan.toml", folder / "plan.toml")
    (folder / "units.csv").write_text("id,short_name,variants,full_name,name_en,kind,function\n"
                                      "public-security,州公安局,,,,government-department,public-security\n"
                                      "womens-federation,州妇联,,,,mass-organisation,womens-federation\n",
                                      encoding="utf-8")
    (folder / "corrections.toml").write_text('[[reading]]\nline = 3\nexpect = "开展培训"\nreading = "开展培训"\n'
                                             'reason = "the page says so"\n', encoding="utf-8")
    plan = import_plan(folder / "source.txt", corrections=folder / "corrections.toml", strict=False)
    assert [p.code for p in plan.problems] == ["unknown-unit"]
    origins = {n: Origin(n, f"page 1, box 0,{n}-9,{n} px", 1, (), 80.0) for n in (1, 2, 3)}
    lines = text.split("\n")
    low = (LowWord(2, lines[1].index("州公安司"), "州公安司", 41.0), LowWord(3, lines[2].rindex("培训"), "培训", 30.0))
    scan_findings(plan, plan.registry, origins, low)
    assert plan.problems == []
    messages = [f.message for f in plan.findings if f.kind == "ocr"]
    assert any("'州公安司' with confidence 41" in m and "page 1" in m for m in messages)
    assert not any("培训" in m for m in messages)          # the [[reading]] of line 3 has read it
    assert [f.line for f in plan.findings if f.kind == "garbled"] == [3]
    assert any("unit '州公安司'" in m and "close to 州公安局" in m for m in messages)
    assert {m.unit.short_name for t in plan.tasks.values() for m in t.mentions} == {"州公安局", "州妇联"}


def test_the_line_map_round_trips(rendered, tmp_path):
    from antitraffick_kg.plan.documents import load_origins, read_document, write_origins
    from antitraffick_kg.plan.documents_model import LowWord

    extraction = read_document(rendered["docx"], max_mib=50)
    from dataclasses import replace

    extraction = replace(extraction, low_words=(LowWord(3, 2, "景颇", 18.8),))
    write_origins(extraction, tmp_path)
    origins, low = load_origins(tmp_path / "source.map.tsv")
    assert list(origins.values()) == list(extraction.origins) and low == (LowWord(3, 2, "景颇", 19.0),)


# -- new and import from a document; each format's failure ---------------------------------------------------
def _new(workspace: Path, source: Path, plan_id: str = "dehong-word"):
    from antitraffick_kg.cli.main import main

    return CliRunner().invoke(main, ["new", plan_id, "--source", str(source), "--title", "德宏州反对拐卖人口行动计划实施方案",
                                     "--level", "prefecture", "--jurisdiction", "533100", "--period", "2022-2030",
                                     "--implements", "yunnan-2021-2030", "--data-dir", str(workspace)])


def test_new_from_a_word_file_keeps_the_original_and_the_line_map(rendered, made):
    import hashlib
    import tomllib

    folder, result, plan = made("docx")
    assert "original.docx (the original), source.map.tsv" in result.output
    info = tomllib.loads((folder / "plan.toml").read_text(encoding="utf-8"))
    assert info["original"] == "original.docx"
    assert info["original_sha256"] == hashlib.sha256(rendered["docx"].read_bytes()).hexdigest()
    assert (folder / "original.docx").read_bytes() == rendered["docx"].read_bytes()
    lines = (folder / "source.txt").read_text(encoding="utf-8").splitlines()
    assert len((folder / "source.map.tsv").read_text(encoding="utf-8").splitlines()) == len(lines) + 1
    assert plan.origins[3].place == "paragraph 3" and plan.converted_from == info["original_sha256"]


def _encrypted_pdf(path: Path) -> Path:
    """A PDF protected by a user password (the standard security handler, revision 2)."""
    body = [b"%PDF-1.4\n"]
    offsets = []
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
               b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >>",
               b"<< /Filter /Standard /V 1 /R 2 /O <" + b"11" * 32 + b"> /U <" + b"22" * 32 + b"> /P -4 >>"]
    for number, obj in enumerate(objects, start=1):
        offsets.append(sum(map(len, body)))
        body.append(b"%d 0 obj\n" % number + obj + b"\nendobj\n")
    xref = sum(map(len, body))
    body.append(b"xref\n0 5\n0000000000 65535 f \n" + b"".join(b"%010d 00000 n \n" % o for o in offsets))
    body.append(b"trailer\n<< /Size 5 /Root 1 0 R /Encrypt 4 0 R /ID [<" + b"ab" * 16 + b"> <" + b"ab" * 16
                + b">] >>\nstartxref\n%d\n%%%%EOF\n" % xref)
    path.write_bytes(b"".join(body))
    return path


def _corrupt_docx(path: Path, good: Path) -> Path:
    data = good.read_bytes()
    path.write_bytes(data[: len(data) // 3])
    return path


def _no_plan_html(path: Path) -> Path:
    path.write_text("<html><body><ul><li><a href='/'>首页</a></li><li><a href='/n'>新闻</a></li></ul>"
                    "<div class='article'><h1>州政府召开常务会议</h1><p>会议研究了近期经济运行情况，部署了下一步工作。"
                    "会议强调，要狠抓落实，确保各项任务落到实处。</p></div></body></html>", encoding="utf-8")
    return path


@pytest.mark.parametrize("case, message", [
    ("password.pdf", "protected by a password"),
    ("corrupt.docx", "not a zip archive"),
    ("blank.png", "no text in this document (a blank scan?)"),
    ("no-plan.html", "no task found"),
])
def test_each_formats_failure_is_one_line_exit_2_and_nothing_written(case, message, rendered, tmp_path):
    if case == "blank.png":
        _tesseract()
    source = tmp_path / "in"
    source.mkdir()
    path = {"password.pdf": lambda p: _encrypted_pdf(p), "corrupt.docx": lambda p: _corrupt_docx(p, rendered["docx"]),
            "blank.png": _blank_at,
            "no-plan.html": _no_plan_html}[case](source / case)
    workspace = tmp_path / "ws"
    workspace.mkdir()
    result = _new(workspace, path, "bad")
    assert result.exit_code == 2, result.output
    error = result.output.strip().splitlines()[-1]
    assert error.startswith("Error: ") and message in error and str(path) in error
    assert list(workspace.iterdir()) == []
    from antitraffick_kg.cli.main import main

    imported = CliRunner().invoke(main, ["import", str(path)])
    assert imported.exit_code == 2 and imported.output.strip().splitlines()[-1].startswith("Error: ")


def _blank_at(path: Path) -> Path:
    from PIL import Image

    Image.new("L", (1200, 800), 255).save(path, dpi=(300, 300))
    return path
