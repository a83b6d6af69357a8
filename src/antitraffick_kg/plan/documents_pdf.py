"""PDFs and scans: the text layer through pdfplumber; pages without one, and page images, through Tesseract.

A PDF page's tables are found from their ruling lines (pdfplumber), each row one line of cells; a merged cell
has its text in its first row and column.  A scanned page is rendered at 300 dpi (pypdfium2), its ruling lines
found in the image (:mod:`.documents_scan`), and read by the ``tesseract`` command with its TSV output, which
gives each word's box and confidence.
"""

from __future__ import annotations

import re
from pathlib import Path

from ..errors import InputError
from .documents_model import Piece, need
from .documents_layout import TableRow, VisualLine, flow, join_words

__all__ = ["read_pdf", "read_scan"]


def _open_pdf(path: Path):
    pdfplumber = need("pdfplumber", what="a PDF")
    from pdfminer.pdfdocument import PDFPasswordIncorrect
    from pdfplumber.utils.exceptions import PdfminerException
    try:
        pdf = pdfplumber.open(path)
        _ = pdf.pages
    except (PDFPasswordIncorrect, PdfminerException) as exc:
        cause = exc.args[0] if isinstance(exc, PdfminerException) and exc.args else exc
        if isinstance(cause, PDFPasswordIncorrect) or "password" in str(cause).lower():
            raise InputError("the PDF is protected by a password; save an unprotected copy", path=str(path)) from None
        raise InputError(f"not a readable PDF ({type(cause).__name__})", path=str(path)) from None
    except Exception as exc:          # pdfminer raises many kinds for a damaged file
        raise InputError(f"not a readable PDF ({type(exc).__name__})", path=str(path)) from None
    return pdf


def read_pdf(path: Path, *, ocr_language: str) -> tuple[list[Piece], int, str]:
    """The lines of a PDF, its pages, and ``pdf`` or, when no page has a text layer, ``scan``."""
    pdf = _open_pdf(path)
    with pdf:
        pages = len(pdf.pages)
        if pages == 0:
            raise InputError("the PDF has no pages", path=str(path))
        try:
            has_text = any(page.chars for page in pdf.pages)
        except Exception as exc:
            raise InputError(f"not a readable PDF ({type(exc).__name__})", path=str(path)) from None
        if has_text:
            items: list[VisualLine | TableRow] = []
            right: dict[int, float] = {}
            last: list = []              # the last table seen: [column xs, its first rows, its last row]
            for number, page in enumerate(pdf.pages, start=1):
                items.extend(_text_page(page, number, right, last))
            return flow(items, unit="pt", page_right=right), pages, "pdf"
    from .documents_scan import SCAN_DPI, read_page_image
    images = _render(path, pages)
    items, right = [], {}
    for number, image in enumerate(images, start=1):
        items.extend(read_page_image(image, number, right, language=ocr_language, where=path))
    return flow(items, unit="px", page_right=right), pages, "scan"


def read_scan(path: Path, *, ocr_language: str) -> tuple[list[Piece], int]:
    """The lines of a page image (.png, .jpg, .tif; every frame of a multi-page TIFF)."""
    Image = need("PIL.Image", what="a page image")
    from .documents_scan import read_page_image
    try:
        image = Image.open(path)
        image.load()
    except Exception as exc:
        raise InputError(f"not a readable image ({type(exc).__name__})", path=str(path)) from None
    items: list[VisualLine | TableRow] = []
    right: dict[int, float] = {}
    frames = getattr(image, "n_frames", 1)
    for number in range(1, frames + 1):
        image.seek(number - 1)
        items.extend(read_page_image(image.convert("L"), number, right, language=ocr_language, where=path))
    return flow(items, unit="px", page_right=right), frames


def _render(path: Path, pages: int) -> list:
    from .documents_scan import SCAN_DPI
    pdfium = need("pypdfium2", what="a scanned PDF")
    document = pdfium.PdfDocument(str(path))
    try:
        return [document[i].render(scale=SCAN_DPI / 72, grayscale=True).to_pil().convert("L") for i in range(pages)]
    finally:
        document.close()


#: how a new row of a table begins: its first cell written, or a numbered item (一、 （一） 1.)
_ROW_START = re.compile(r"^\s*([一二三四五六七八九十]+、|[（(][一二三四五六七八九十]+[)）]|\d+[.．、])")


def _continues(cells: list[str], before: list[str]) -> bool:
    """Whether the first row of a table going on over a page break is the rest of the last row of the page
    before (``before``): its first written cell not the start of a numbered item, and either its first cell empty
    (a merged area goes on, or the row does) or the row before cut mid-sentence, its task's cell (its last cell
    that starts with a number) ending on no full stop (Word breaks a row over pages where it may: （二）/打击解救,
    1.专项/打击。…)."""
    written = [c for c in cells if c.strip()]
    if not written or _ROW_START.match(written[0]):
        return False
    if not cells[0].strip():
        return True
    column = next((k for k in range(len(before) - 1, -1, -1) if _ROW_START.match(before[k])), None)
    task = before[column].strip() if column is not None else ""
    # (and the rest of its words on the next page, with their full stop: 1.专项 / 打击。组织…。)
    return bool(task) and not task.endswith(("。", "；", ";", "）", ")")) and column < len(cells) and \
        "。" in cells[column]


def _columns(table) -> tuple[float, ...]:
    return tuple(sorted({round(c[0]) for c in table.cells} | {round(c[2]) for c in table.cells}))


def _text_page(page, number: int, right: dict[int, float], last: list) -> list[VisualLine | TableRow]:
    """The visual lines and table rows of one page with a text layer.

    A table that goes on from the previous page (the same columns, first on its page) prints its header rows
    again: those rows are read once, where the table starts; and a row broken over the page break (its cells
    cut) is one row again, each cell's two parts joined.
    """
    tables = page.find_tables()
    boxes = [t.bbox for t in tables]

    def outside(obj) -> bool:
        if obj.get("object_type") != "char":
            return True
        cx, cy = (obj["x0"] + obj["x1"]) / 2, (obj["top"] + obj["bottom"]) / 2
        return not any(b[0] <= cx <= b[2] and b[1] <= cy <= b[3] for b in boxes)

    items: list[VisualLine | TableRow] = []
    text_part = page.filter(outside) if boxes else page
    for line in text_part.extract_text_lines(return_chars=False, x_tolerance_ratio=0.3):
        text = line["text"].strip()
        if text:
            items.append(VisualLine(number, (line["x0"], line["top"], line["x1"], line["bottom"]), text))
    if items:
        right[number] = max(v.box[2] for v in items if isinstance(v, VisualLine))
    above = min((v.box[1] for v in items), default=float("inf"))
    for table in sorted(tables, key=lambda t: t.bbox[1]):
        rows = [(row, [_cell(c) for c in cells]) for row, cells in
                zip(table.rows, table.extract(x_tolerance_ratio=0.3))]
        columns = _columns(table)
        below = None
        if last and last[0] == columns and table.bbox[1] < above:       # the table goes on from the last page
            repeated = 0
            while repeated < min(len(last[1]), len(rows)) and rows[repeated][1] == last[1][repeated]:
                repeated += 1
            if repeated:
                below = max(row.bbox[3] for row, _ in rows[:repeated])
                rows = rows[repeated:]
            if rows and last[2] is not None and _continues(rows[0][1], last[2].cells):   # a row broken over pages
                last[2].cells = [join_words(a, b) for a, b in zip(last[2].cells, rows[0][1])]
                below = rows[0][0].bbox[3]
                rows = rows[1:]
        else:
            last[:] = [columns, [cells for _, cells in rows[:3]], None]
        made = [TableRow(number, row.bbox, cells, below=below if i == 0 else None)
                for i, (row, cells) in enumerate(rows)]
        items.extend(made)
        if made:
            last[2] = made[-1]
        above = min(above, table.bbox[1])
    items.sort(key=lambda i: i.box[1])
    return items


def _cell(text: str | None) -> str:
    if not text:
        return ""
    out = ""
    for part in text.split("\n"):
        out = join_words(out, part.strip())
    return out
