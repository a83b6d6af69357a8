"""Render a plan's text as it would be published: a Word file, a PDF printed from it, a 300 dpi scan of that
PDF, and a government web page with the site's navigation around the article.

The Word file has the narrative as paragraphs (an empty line of the text an empty paragraph) and each block of
the annual table (the rows between two empty lines, each starting with its header rows) as a Word table:
工作项目 merged down over the rows of its area, the header cells 工作任务 and 工作进度计划 merged across the
columns they head, the two header rows marked to repeat on every page.  The PDF is LibreOffice's print of the Word
file; the scan is that PDF rendered at 300 dpi into an image-only PDF.

Run as a script it writes all four beside each other::

    python tests/render_formats.py data/dehong-2022-2030/source.txt OUT_DIR
"""

from __future__ import annotations

import html
import sys
from pathlib import Path

SCAN_DPI = 300


def _blocks(lines: list[str]) -> list[tuple[str, list[str]]]:
    """("para", [line]) for narrative lines, ("table", rows) for each block of tab-separated lines."""
    out: list[tuple[str, list[str]]] = []
    for line in lines:
        if "\t" in line:
            if out and out[-1][0] == "table":
                out[-1][1].append(line)
            else:
                out.append(("table", [line]))
        else:
            out.append(("para", [line]))
    return out


def render_docx(text: str, target: Path) -> Path:
    """The plan ``text`` as a Word file at ``target``."""
    import docx
    from docx.enum.section import WD_ORIENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Cm, Pt

    document = docx.Document()
    normal = document.styles["Normal"]
    normal.font.size = Pt(10.5)
    normal.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), "Noto Serif CJK SC")
    normal.paragraph_format.space_after = Pt(0)
    normal.paragraph_format.space_before = Pt(0)
    normal.paragraph_format.line_spacing = 1.0
    section = document.sections[0]
    section.page_width, section.page_height = Cm(29.7), Cm(21.0)
    section.orientation = WD_ORIENT.LANDSCAPE
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Cm(1.5))
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    for kind, rows in _blocks(lines):
        if kind == "para":
            document.add_paragraph(rows[0]).alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
            continue
        _table(document, rows, qn, OxmlElement, Cm, Pt)
    document.save(target)
    return target


def _is_header(cells: list[str]) -> bool:
    joined = "".join(cells)
    return "工作任务" in joined or all(c.strip().endswith("年") or not c.strip() for c in cells)


def _table(document, rows: list[str], qn, OxmlElement, Cm, Pt) -> None:
    cells = [r.split("\t") for r in rows]
    width = max(len(c) for c in cells)
    cells = [c + [""] * (width - len(c)) for c in cells]
    table = document.add_table(rows=len(cells), cols=width)
    table.style = "Table Grid"
    longest = [max(len(c[k]) for c in cells) for k in range(width)]
    total = sum(max(n, 6) ** 0.5 for n in longest)
    table.autofit = False
    for k in range(width):
        column_width = Cm(26.7 * max(longest[k], 6) ** 0.5 / total)
        table.columns[k].width = column_width
        for row in table.rows:
            row.cells[k].width = column_width
    heads = 0
    while heads < len(cells) and heads < 2 and _is_header(cells[heads]):
        heads += 1
    for r, (row, values) in enumerate(zip(table.rows, cells)):
        properties = row._tr.get_or_add_trPr()
        properties.append(OxmlElement("w:cantSplit"))
        if r < heads:
            properties.append(OxmlElement("w:tblHeader"))
        for k, value in enumerate(values):
            paragraph = row.cells[k].paragraphs[0]
            run = paragraph.add_run(value)
            run.font.size = Pt(8)
    # 工作项目 merged down over the rows of its area (the cells left empty below it); a header's cells across
    # the empty columns that follow them
    for r in range(heads):
        k = 0
        while k < width:
            end = k
            while end + 1 < width and not cells[r][end + 1] and cells[r][k] and (r == 0 or end + 1 >= 5):
                end += 1
            if end > k:
                table.cell(r, k).merge(table.cell(r, end))
            k = end + 1
    start = 0
    for r in range(1, len(cells) + 1):
        if r == len(cells) or cells[r][0]:
            if r - 1 > start and cells[start][0]:
                table.cell(start, 0).merge(table.cell(r - 1, 0))
            start = r


def render_pdf(docx_path: Path, target: Path) -> Path:
    """LibreOffice's print of the Word file (a profile of its own, so that parallel runs do not collide)."""
    from antitraffick_kg.plan.documents_word import office_convert

    target.write_bytes(office_convert(docx_path, to="pdf"))
    return target


def render_scan(pdf_path: Path, target: Path, *, pages: int | None = None) -> Path:
    """The PDF rendered at 300 dpi, page by page, into an image-only PDF (``pages``: the first pages only)."""
    import pypdfium2

    document = pypdfium2.PdfDocument(str(pdf_path))
    try:
        count = len(document) if pages is None else min(pages, len(document))
        images = [document[i].render(scale=SCAN_DPI / 72, grayscale=True).to_pil().convert("L")
                  for i in range(count)]
    finally:
        document.close()
    images[0].save(target, format="PDF", save_all=True, append_images=images[1:], resolution=SCAN_DPI)
    return target


def render_html(text: str, target: Path) -> Path:
    """The plan as a government site's article page: header, menus, breadcrumbs and footer around it."""
    body = []
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    for kind, rows in _blocks(lines):
        if kind == "para":
            body.append(f"<p>{html.escape(rows[0])}</p>")
            continue
        body.append('<table border="1">')
        body += ["<tr>" + "".join(f"<td>{html.escape(c)}</td>" for c in r.split("\t")) + "</tr>" for r in rows]
        body.append("</table>")
    menu = "".join(f'<li><a href="/{i}">{name}</a></li>' for i, name in
                   enumerate(["首页", "政务公开", "政务服务", "互动交流", "走进德宏", "政策文件", "政策解读"]))
    page = f"""<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>德宏州人民政府</title>
<script>var site = "menu";</script><style>body {{ font-size: 14px }}</style></head>
<body>
<div class="header"><div class="logo"><a href="/">德宏州人民政府</a></div><ul class="nav">{menu}</ul>
<form><input name="q"><button>搜索</button></form></div>
<div class="crumbs">当前位置：<a href="/">首页</a> &gt; <a href="/zwgk">政务公开</a> &gt; 政策文件</div>
<div class="main"><div class="side"><h3>相关链接</h3><ul>{menu}</ul></div>
<div class="article"><h1 class="title">关于印发反对拐卖人口行动计划实施方案的通知</h1>
<div class="info">发布时间：2022-03-01 来源：州政府办公室 <a href="#">打印</a> <a href="#">关闭</a></div>
<div class="content" id="zoom">
{chr(10).join(body)}
</div></div></div>
<div class="footer"><p>主办：德宏州人民政府办公室 <a href="/map">网站地图</a></p><p>网站标识码 5331000001</p></div>
</body></html>
"""
    target.write_text(page, encoding="utf-8")
    return target


def main(argv: list[str]) -> int:
    source, out = Path(argv[0]), Path(argv[1])
    out.mkdir(parents=True, exist_ok=True)
    text = source.read_text(encoding="utf-8")
    docx_path = render_docx(text, out / "plan.docx")
    pdf_path = render_pdf(docx_path, out / "plan.pdf")
    render_scan(pdf_path, out / "plan-scan.pdf")
    render_html(text, out / "plan.html")
    print(f"wrote plan.docx, plan.pdf, plan-scan.pdf, plan.html in {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))


def reading(plan) -> dict[str, set]:
    """What a comparison across formats compares: the tasks, the assignments (task, role, part, unit) and the
    deadlines (task, year) of an imported plan."""
    return {
        "tasks": set(plan.tasks),
        "assignments": {(t.notation, m.role, m.part, m.unit.id) for t in plan.tasks.values()
                        for m in t.mentions},
        "deadlines": {(t.notation, ms.year) for t in plan.tasks.values() for ms in t.milestones
                      if ms.kind == "deadline"},
    }


def corrections_for(corrections: str, text: str, *, unplaced: list[str] | None = None) -> str:
    """A plan's reviewed corrections, each moved to the line of ``text`` that holds its ``expect`` words (the
    line numbers of a text read from another format differ; a ``[[correction]]`` stands on a row of the table).  With ``unplaced`` (a list), an entry whose words
    stand on no line of ``text``, or on several, is left out and its ``expect`` words added to the list (a scan
    may misread them: its reviewer records that text's corrections anew)."""
    import re
    import tomllib

    lines = text.split("\n")
    chunks: list[list[str]] = [[]]          # what precedes the first entry, then one chunk per entry
    for row in corrections.split("\n"):
        if row.startswith("[["):
            chunks.append([])
        chunks[-1].append(row)
    out = []
    for chunk in chunks:
        expect = next((tomllib.loads(row)["expect"] for row in chunk if re.match(r'expect = "(.*)"$', row)), None)
        table = chunk[0].startswith("[[correction]]")         # a correction stands on a row of the table
        found = [n for n, line in enumerate(lines, start=1)
                 if expect is not None and expect in line and ("\t" in line or not table)]
        if expect is not None and len(found) != 1 and unplaced is not None:
            unplaced.append(expect)
            continue
        out += [f"line = {found[0]}" if len(found) == 1 and re.match(r"line = \d+$", row) else row for row in chunk]
    return "\n".join(out)
