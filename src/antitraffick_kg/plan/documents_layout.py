"""From what a page shows to the lines of ``source.txt``: visual lines joined into paragraphs, table rows kept.

A PDF or a scan gives visual lines (a paragraph wraps at the right margin) and table rows.  A visual line that
reaches the right edge of the page's text continues in the next one, unless the next starts a numbered heading
(一、 （一） 1.); a gap of more than a line between two visual lines is an empty line of the source, as a Word
file's empty paragraph prints.  Page numbers in the margin (``- 3 -``, ``第3页``) are not text of the plan.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .documents_model import Piece, Repair, cell_line

__all__ = ["VisualLine", "TableRow", "flow", "join_words", "LOW_CONFIDENCE"]

#: OCR word confidence (0-100) under which a word is listed as a finding
LOW_CONFIDENCE = 60.0
_HEADING = re.compile(r"^\s*([一二三四五六七八九十]+、|[（(][一二三四五六七八九十]+[)）]|\d+[.．、])")
#: a page number on a line of its own (— 3 —, read 一3一 from a scan, 第3页, 3/12)
_PAGE_NUMBER = re.compile(r"^\s*([-—–－一]\s*\d+\s*[-—–－一]|第\s*\d+\s*页(\s*共\s*\d+\s*页)?|\d+\s*/\s*\d+|\d{1,3})\s*$")
_LATIN = re.compile(r"[A-Za-z]")


@dataclass
class VisualLine:
    """One line as printed: its page, box (x0, top, x1, bottom), text, OCR words (start, word, confidence), and
    what the reader of a scan put right on it."""

    page: int
    box: tuple[float, float, float, float]
    text: str
    words: list[tuple[int, str, float]] = field(default_factory=list)
    repairs: list[Repair] = field(default_factory=list)


@dataclass
class TableRow:
    """One row of a table as printed: its page, box and cells (a merged cell's text once, in its first cell)."""

    page: int
    box: tuple[float, float, float, float]
    cells: list[str]
    confidence: float | None = None
    words: list[tuple[int, int, str, float]] = field(default_factory=list)   # (cell, start, word, confidence)
    below: float | None = None       # on a page going on with a table: where its repeated header rows end
    repairs: list[tuple[int, Repair]] = field(default_factory=list)          # (cell, repair in the cell)


def join_words(left: str, right: str) -> str:
    """Two pieces of wrapped text as one: a space only between two Latin letters (a year broken over two lines
    of a narrow cell is one number).

    >>> join_words("州公安", "局负责"), join_words("202", "4年"), join_words("anti", "trafficking")
    ('州公安局负责', '2024年', 'anti trafficking')
    """
    if left and right and _LATIN.match(left[-1]) and _LATIN.match(right[0]):
        return f"{left} {right}"
    return left + right


def _box(boxes: list[tuple[float, float, float, float]]) -> str:
    x0, top = min(b[0] for b in boxes), min(b[1] for b in boxes)
    x1, bottom = max(b[2] for b in boxes), max(b[3] for b in boxes)
    return f"{x0:.0f},{top:.0f}-{x1:.0f},{bottom:.0f}"


def _pitch(items: list[VisualLine | TableRow], unit: str) -> float:
    """The distance from one printed line to the next within a paragraph (the median over the document)."""
    steps = sorted(b.box[1] - a.box[1] for a, b in zip(items, items[1:])
                   if isinstance(a, VisualLine) and isinstance(b, VisualLine) and a.page == b.page
                   and 0 < b.box[1] - a.box[1] < 1.8 * (a.box[3] - a.box[1]))
    if steps:
        return steps[len(steps) // 2]
    heights = sorted(i.box[3] - i.box[1] for i in items if isinstance(i, VisualLine))
    # else a line of 10.5 pt type, in points or in pixels at 300 dpi
    return 1.3 * heights[len(heights) // 2] if heights else (14.0 if unit == "pt" else 58.0)


def _blanks(gap: float, pitch: float) -> int:
    """Empty lines in a vertical gap between two printed things: a gap of a line or more is an empty paragraph."""
    return max(0, int(gap / pitch + 0.25))


def flow(items: list[VisualLine | TableRow], *, unit: str, page_right: dict[int, float]) -> list[Piece]:
    """The lines of ``source.txt`` from a document's visual lines and table rows, in reading order.

    ``page_right``: the right edge of each page's text (where a wrapped line ends); ``unit``: the unit of the
    boxes (``pt`` or ``px``), said in each origin.  Empty lines come from the vertical gaps (one per line
    pitch), also above the first thing on a page, measured from the highest top of any page.
    """
    items = [i for i in items if not (isinstance(i, VisualLine) and _PAGE_NUMBER.match(i.text))]
    pieces: list[Piece] = []
    para: list[VisualLine] = []
    pitch = _pitch(items, unit)
    first_top: dict[int, float] = {}
    for item in items:
        first_top.setdefault(item.page, item.box[1])
    top_margin = min(first_top.values(), default=0.0)

    def close() -> None:
        if not para:
            return
        text, low, confs, repairs = "", [], [], []
        for v in para:
            joined = join_words(text, v.text)
            shift = len(joined) - len(v.text)
            low.extend((shift + start, word, conf) for start, word, conf in v.words if conf < LOW_CONFIDENCE)
            repairs.extend(Repair(shift + r.column, r.kind, r.read, r.used) for r in v.repairs)
            confs.extend(conf for _, _, conf in v.words)
            text = joined
        first = para[0]
        pages = sorted({v.page for v in para})
        place = f"page {first.page}, box {_box([v.box for v in para if v.page == first.page])} {unit}"
        if len(pages) > 1:
            place += f", continued on page {pages[-1]}"
        pieces.append(Piece(text, place, first.page, confidence=sum(confs) / len(confs) if confs else None,
                            low=tuple(low), repairs=tuple(repairs)))
        para.clear()

    previous: VisualLine | TableRow | None = None
    for item in items:
        same_page = previous is not None and previous.page == item.page
        below = getattr(item, "below", None)
        gap = item.box[1] - (previous.box[3] if same_page else below if below is not None else top_margin)
        blanks = _blanks(gap, pitch)
        if blanks:
            close()
            pieces.extend(Piece("", f"page {item.page}, empty line above {_box([item.box])} {unit}", item.page)
                          for _ in range(blanks))
        if isinstance(item, TableRow):
            close()
            line, starts = cell_line(item.cells)
            low = [(starts[cell] + start, word, conf) for cell, start, word, conf in item.words
                   if conf < LOW_CONFIDENCE]
            repairs = tuple(Repair(starts[cell] + r.column, r.kind, r.read, r.used) for cell, r in item.repairs)
            pieces.append(Piece(line, f"page {item.page}, table row, box {_box([item.box])} {unit}", item.page,
                                starts, item.confidence, tuple(low), repairs))
            previous = item
            continue
        height = max(item.box[3] - item.box[1], 1.0)
        full = (isinstance(previous, VisualLine) and not blanks and
                previous.box[2] >= page_right.get(previous.page, 0) - 2.0 * height)
        if not (para and full and not _HEADING.match(item.text)):
            close()
        para.append(item)
        previous = item
    close()
    return pieces
