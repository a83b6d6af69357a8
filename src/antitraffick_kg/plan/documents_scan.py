"""One scanned page: its tables from the ruling lines in the image, its words from Tesseract.

Ruling lines are long runs of dark pixels (at least :data:`_RULE` of the page's width or height).  Between
them lies the grid of a table; where a grid line is missing between two cells, the cells are one merged cell, and
its words count once, in its first row and column.  Each cell is cut out and read on its own (all of a page's
cells in one run of Tesseract); the words outside every table are the page's text lines, in Tesseract's own line
order.  The text and the cells are each read at two sizes, the less doubtful reading kept, and the start of a
line or cell that looks like a misread heading number is read again.  Whatever the reader puts right by a rule
of the genre is recorded as a :class:`~.documents_model.Repair`, never silently.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

from ..errors import InputError
from .documents_model import Repair, need
from .documents_layout import LOW_CONFIDENCE, TableRow, VisualLine, join_words

__all__ = ["read_page_image", "ocr_words", "ocr_images", "ocr_brackets", "clean_words", "words_text", "SCAN_DPI"]

#: resolution scanned pages are rendered at for OCR
SCAN_DPI = 300

#: a ruling line is at least this share of the page's width (or height) of dark pixels in a row
_RULE = 0.03
_DARK = 140
#: pixels at 300 dpi longer than the longest stroke of a character (一 or 丨 of 18 pt type): a rule is longer
_LONGEST_STROKE = 80
#: what no cell's text begins with: OCR reads the gap before a cell's first word as a closing quote or a dash
_NO_START = "”’:;,，。、；：|)）】」-_~"
#: rules closer than this (pixels) are one rule: the borders of two neighbouring cells drawn side by side
_NEAR = 12
#: a cell is cut out this far (pixels) inside its rules, and read with this margin of white around it
_INSET, _PAD = 4, 24
#: the height (pixels) a line of characters is scaled to for Tesseract: at 300 dpi, 10.5 pt type is some 44
#: pixels high, and chi_sim misread the brackets of numbered headings (（三） as 三), 《和)) at that size far
#: more often than at half of it (measured with benchmarks/bench_formats.py)
TEXT_HEIGHT = 22
#: a run of dark rows lower than this (pixels) is no line of characters (a dot, a rule's remains)
_MIN_LINE = 8
#: the page's text is read a second time at this share of the scan's size
_SECOND_SCALE = 0.75


#: a numbered heading's opening bracket as OCR misreads it at the start of a line: 《一) 人三) 〈二） for （一）
_HEADING_BRACKETS = re.compile(r"^([《〈(（人入八])(\s*[一二三四五六七八九十]{1,3}\s*)([)）〉])")


def ocr_brackets(text: str) -> tuple[str, list[Repair]]:
    """The brackets of a line OCR read, as the genre writes them, and each change as a :class:`Repair`:
    〈 〉 (never used in a plan) as （ ）, and the misread opening bracket of a numbered heading at the line's
    start.  The length never changes, so the columns of the line's words stay valid.

    >>> ocr_brackets("《一)重点领域")
    ('（一）重点领域', [Repair(column=0, kind='heading-bracket', read='《一)', used='（一）')])
    >>> ocr_brackets("〈州公安局负责〉")[0], [r.kind for r in ocr_brackets("〈州公安局负责〉")[1]]
    ('（州公安局负责）', ['bracket', 'bracket'])
    >>> ocr_brackets("(三)州级")             # brackets as written: nothing to repair
    ('(三)州级', [])
    """
    chars, repairs = list(text), []
    for k, ch in enumerate(text):
        if ch in "〈〉":
            chars[k] = "（" if ch == "〈" else "）"
            repairs.append(Repair(k, "bracket", ch, chars[k]))
    out = "".join(chars)
    m = _HEADING_BRACKETS.match(out)
    if m and not (text[0] in "(（" and text[m.end() - 1] in ")）"):
        used = f"（{m.group(2)}）"
        repairs = [Repair(0, "heading-bracket", text[:m.end()], used)] + [r for r in repairs if r.column >= m.end()]
        out = used + out[m.end():]
    return out, repairs


_OPEN, _CLOSE = "“‘", "”’"
#: a section heading OCR read without its 、 (七宣传、教育和培训), or with another mark for it (五。宣传): a numeral,
#: then the title at once
_BARE_SECTION = re.compile(r"^([一二三四五六七八九十]{1,2})[,，.．·:：。]?(?=[\u4e00-\u9fff])(?![是些律切旦定般步起致体线批次级类项个方])")


def clean_words(words: list[dict], *, cell: bool) -> list[dict]:
    """The words of one printed line or table cell as OCR read them, cleaned: a short line (or cell) that
    starts with a numeral and its title at once is given its 、 (七宣传、教育和培训 as 七、宣传、教育和培训); in a
    cell, which holds its whole text, quotation marks that pair with none are dropped (州公安”局: Chinese quotes
    come in pairs, “…”; a printed line may end inside a quotation, so its marks are kept).  A word changed
    keeps what OCR read (``read``) and the rule (``repair``, a kind of :data:`REPAIR_KINDS`); a word left empty
    stays, with its text empty, so that the change is recorded.

    >>> [(w["text"], w.get("repair")) for w in clean_words([{"text": "州公安”局"}, {"text": "“团圆”"}], cell=True)]
    [('州公安局', 'stray-quote'), ('“团圆”', None)]
    >>> [w["text"] for w in clean_words([{"text": "“”"}, {"text": "州妇联"}], cell=True)]
    ['', '州妇联']
    >>> [w["text"] for w in clean_words([{"text": "七宣传"}, {"text": "教育"}], cell=False)]
    ['七、宣传', '教育']
    >>> [(w["text"], w.get("read")) for w in clean_words([{"text": "七"}, {"text": "宣传"}], cell=False)]
    [('七、', '七'), ('宣传', None)]
    >>> [w["text"] for w in clean_words([{"text": "五。宜传、教育和培训"}], cell=True)]
    ['五、宜传、教育和培训']
    >>> [w["text"] for w in clean_words([{"text": "五"}, {"text": "。宜传"}], cell=True)]
    ['五、', '宜传']
    >>> [w["text"] for w in clean_words([{"text": "一是加强"}], cell=False)]
    ['一是加强']
    """
    marks = [] if not cell else [(i, k, ch) for i, w in enumerate(words) for k, ch in enumerate(w["text"])
                                 if ch in _OPEN + _CLOSE]
    stray, opened = set(), []
    flat = [(i, k) for i, w in enumerate(words) for k in range(len(w["text"]))]
    for i, k, ch in marks:
        if ch in _OPEN:
            opened.append((i, k))
        elif opened:
            start = opened.pop()
            if flat.index(start) + 1 == flat.index((i, k)):     # “” around nothing: two stray marks
                stray.update((start, (i, k)))
        else:
            stray.add((i, k))
    stray.update(opened)
    out = []
    for i, w in enumerate(words):
        text = "".join(ch for k, ch in enumerate(w["text"]) if (i, k) not in stray)
        out.append(w if text == w["text"] else {**w, "text": text, "read": w["text"], "repair": "stray-quote"})
    kept = [k for k, w in enumerate(out) if w["text"]]
    whole = "".join(w["text"] for w in out)
    if kept and len(whole) <= 20 and (m := _BARE_SECTION.match(whole)) and \
            len(m.group(1)) <= len(out[kept[0]]["text"]):
        first = out[kept[0]]
        mark = len(m.group(0)) - len(first["text"])           # the mark read as the next word's first character
        out[kept[0]] = {**first, "text": f"{m.group(1)}、{first['text'][len(m.group(0)):]}",
                        "read": first.get("read", first["text"]), "repair": "section-comma"}
        if mark > 0 and len(kept) > 1:
            second = out[kept[1]]
            out[kept[1]] = {**second, "text": second["text"][mark:], "read": second.get("read", second["text"]),
                            "repair": "section-comma"}
    return out


def words_text(words: list[dict]) -> tuple[str, list[tuple[int, str, float]], list[Repair]]:
    """The text of words :func:`clean_words` gave, each word's start in it with the word and its confidence,
    and the repairs (a word left empty: where it stood, with nothing used).

    >>> words_text([{"text": "州公安局", "read": "州公安”局", "repair": "stray-quote", "conf": 50.0},
    ...             {"text": "负责", "conf": 90.0}])[0::2]
    ('州公安局负责', [Repair(column=0, kind='stray-quote', read='州公安”局', used='州公安局')])
    """
    text, spans, repairs = "", [], []
    for w in words:
        if not w["text"]:
            repairs.append(Repair(len(text), w["repair"], w["read"], ""))
            continue
        joined = join_words(text, w["text"])
        start = len(joined) - len(w["text"])
        spans.append((start, w["text"], w["conf"]))
        if "repair" in w:
            repairs.append(Repair(start, w["repair"], w["read"], w["text"]))
        text = joined
    return text, spans, repairs


def _runs(mask_row, minimum: int) -> list[tuple[int, int]]:
    np = need("numpy", what="a scan")
    padded = np.concatenate(([0], mask_row.astype(np.int8), [0]))
    edges = np.flatnonzero(np.diff(padded))
    return [(int(a), int(b)) for a, b in zip(edges[::2], edges[1::2]) if b - a >= minimum]


def _rules(mask, minimum: int) -> list[tuple[int, list[tuple[int, int]], tuple[int, int]]]:
    """(position, segments, (first, last row)) of the ruling lines along the rows of ``mask``, neighbouring
    rows taken as one."""
    np = need("numpy", what="a scan")
    candidates = np.flatnonzero(mask.sum(axis=1) >= minimum)
    out: list[list] = []          # [first row, last row, segments]
    for y in candidates:
        segments = _runs(mask[y], minimum)
        if not segments:
            continue
        if out and y - out[-1][1] <= _NEAR:
            out[-1][2].extend(segments)
            out[-1][1] = int(y)
        else:
            out.append([int(y), int(y), list(segments)])
    merged = []
    for first, last, segments in out:
        segments.sort()
        joined: list[list[int]] = []
        for a, b in segments:
            if joined and a <= joined[-1][1] + 6:
                joined[-1][1] = max(joined[-1][1], b)
            else:
                joined.append([a, b])
        merged.append(((first + last) // 2, [(a, b) for a, b in joined], (first, last)))
    return merged


def _covers(segments: list[tuple[int, int]], a: int, b: int) -> bool:
    """Whether the ruling segments cover the middle of ``a``..``b``."""
    middle = (a + b) // 2
    return any(s <= middle <= e for s, e in segments)


def read_page_image(image, number: int, right: dict[int, float], *, language: str,
                    where: Path) -> list[VisualLine | TableRow]:
    """The text lines and table rows of one page image (grey scale).

    The page's text outside its tables is read as one block; each cell of a table (a merged cell as one) is
    read on its own, so that the words of neighbouring cells never run into one line.
    """
    np = need("numpy", what="a scan")
    Image = need("PIL.Image", what="a scan")
    pixels = np.asarray(image)
    dark = pixels < _DARK
    height, width = dark.shape
    horizontal = _rules(dark, max(_LONGEST_STROKE, int(_RULE * width)))
    vertical = _rules(dark.T, max(_LONGEST_STROKE, int(_RULE * height)))
    grids = _grids(horizontal, vertical)
    cleared = pixels
    if grids:                   # paint the rules white so that Tesseract reads the cells, not the lines
        cleared = pixels.copy()
        for _, segments, (first, last) in horizontal:
            for a, b in segments:
                cleared[max(0, first - 3):last + 4, a:b + 1] = 255
        for _, segments, (first, last) in vertical:
            for a, b in segments:
                cleared[a:b + 1, max(0, first - 3):last + 4] = 255
        outside = cleared.copy()
        for ys, xs, _, _ in grids:      # the text outside the tables, read as one block
            outside[max(0, ys[0] - 4):ys[-1] + 5, max(0, xs[0] - 4):xs[-1] + 5] = 255
        image = Image.fromarray(outside)
    items: list[VisualLine | TableRow] = []
    for grid in grids:
        items.extend(_table_rows(grid, cleared, number, language=language, where=where))
    groups = _two_readings(image, language=language, where=where) if (np.asarray(image) < _DARK).any() else []
    read: list[VisualLine] = []
    for group in groups:
        group = clean_words(sorted(group, key=lambda w: w["left"]), cell=False)
        text, spans, repairs = words_text(group)
        if not text:
            continue
        box = (min(w["left"] for w in group), min(w["top"] for w in group),
               max(w["left"] + w["width"] for w in group), max(w["top"] + w["height"] for w in group))
        read.append(VisualLine(number, box, text, spans, repairs))
    _reread_headings(read, np.asarray(image), language=language, where=where)
    for v in read:
        v.text, more = ocr_brackets(v.text)
        v.repairs = _merge(v.repairs, more)
        items.append(v)
    text_lines = [i for i in items if isinstance(i, VisualLine)]
    if text_lines:
        right[number] = max(v.box[2] for v in text_lines)
    items.sort(key=lambda i: i.box[1])
    return items


#: a line that starts like a numbered heading whose opening bracket or numeral OCR misread (三) 全) 《和) C王)):
#: a closing bracket among its first four characters, not after a well-formed heading number
_BROKEN_HEADING = re.compile(r"^[^。，、；：\s]{0,3}?[)）〉]")
_GOOD_HEADING = re.compile(r"^[（(]\s*([一二三四五六七八九十]{1,3})\s*[)）]")
#: the scales (of :data:`TEXT_HEIGHT`-high lines) the start of such a line is read again at
_REREAD_SCALES = (1.0, 0.75, 1.5)


def _reread_headings(lines: list[VisualLine], pixels, *, language: str, where: Path,
                     limits: list[int] | None = None) -> None:
    """Read again the start of each line that looks like a numbered heading OCR misread (its first characters,
    cut out of the page, at a few sizes; no further right than its limit, the edge of a table cell): where the
    readings give a well-formed heading number, the one most of them give (the most confident first) replaces
    what the first reading had, recorded as a ``heading-reread`` repair."""
    broken = [(v, limit) for v, limit in zip(lines, limits or [None] * len(lines))
              if _BROKEN_HEADING.match(v.text) and not _GOOD_HEADING.match(v.text)]
    if not broken:
        return
    np = need("numpy", what="a scan")
    Image = need("PIL.Image", what="a scan")
    crops = []
    for v, limit in broken:
        x0, top, _, bottom = (int(b) for b in v.box)
        height = max(bottom - top, 1)
        right = x0 + 12 * height if limit is None else min(limit, x0 + 12 * height)
        cut = pixels[max(0, top - 8):bottom + 8, max(0, x0 - 20):right]
        padded = np.full((cut.shape[0] + 2 * _PAD, cut.shape[1] + 2 * _PAD), 255, dtype=pixels.dtype)
        padded[_PAD:_PAD + cut.shape[0], _PAD:_PAD + cut.shape[1]] = cut
        crops.append(Image.fromarray(padded))
    base = _scale_for(crops)
    votes: list[list[tuple[str, float]]] = [[] for _ in broken]
    for factor in _REREAD_SCALES:
        for k, words in enumerate(ocr_images(crops, language=language, where=where, scale=base * factor)):
            first = [w for w in words if (w["block"], w["par"], w["line"]) == min(
                ((x["block"], x["par"], x["line"]) for x in words), default=None)]
            text = "".join(w["text"] for w in sorted(first, key=lambda w: w["left"]))
            if (m := _GOOD_HEADING.match(text)):
                votes[k].append((m.group(0), first[0]["conf"] if first else 0.0))
    for (v, _), got in zip(broken, votes):
        if not got:
            continue
        counts: dict[str, list[float]] = {}
        for number, conf in got:
            counts.setdefault(number, []).append(conf)
        used = max(counts, key=lambda n: (len(counts[n]), max(counts[n])))
        old = _BROKEN_HEADING.match(v.text).group(0)
        shift = len(used) - len(old)
        v.text = used + v.text[len(old):]
        v.words = [(start + shift, word, conf) for start, word, conf in v.words if start >= len(old)]
        v.repairs = [Repair(0, "heading-reread", old, used)] + [
            Repair(r.column + shift, r.kind, r.read, r.used) for r in v.repairs if r.column >= len(old)]


def _grids(horizontal, vertical) -> list:
    """The grid of each table on the page (rows' ys, columns' xs, the rules' segments): the stretches of the
    page that vertical rules join, each with two rules at least each way."""
    stretches: list[list[int]] = []
    horizontal = [(y, segments) for y, segments, _ in horizontal]
    vertical = [(x, segments) for x, segments, _ in vertical]
    for a, b in sorted(seg for _, segments in vertical for seg in segments):
        if stretches and a <= stretches[-1][1] + _NEAR:
            stretches[-1][1] = max(stretches[-1][1], b)
        else:
            stretches.append([a, b])
    grids = []
    for top, bottom in stretches:
        rows = [(y, segments) for y, segments in horizontal if top - _NEAR <= y <= bottom + _NEAR]
        cols = [(x, [(a, b) for a, b in segments if b >= top - _NEAR and a <= bottom + _NEAR])
                for x, segments in vertical]
        cols = [(x, segments) for x, segments in cols if segments]
        if len(rows) >= 2 and len(cols) >= 2:
            grids.append(([y for y, _ in rows], [x for x, _ in cols], dict(rows), dict(cols)))
    return grids


def _table_rows(grid, pixels, number: int, *, language: str, where: Path) -> list[TableRow]:
    """The rows of one table: each cell (a merged cell once, in its first row and column) cut out of the page
    and read on its own, all the page's cells in one run of Tesseract."""
    np = need("numpy", what="a scan")
    Image = need("PIL.Image", what="a scan")
    ys, xs, h_rules, v_rules = grid
    rows, cols = len(ys) - 1, len(xs) - 1
    anchor: dict[tuple[int, int], tuple[int, int]] = {}
    for r in range(rows):
        for c in range(cols):
            x0, x1, y0, y1 = xs[c], xs[c + 1], ys[r], ys[r + 1]
            if r > 0 and not _covers(h_rules[ys[r]], x0, x1):
                anchor[(r, c)] = anchor[(r - 1, c)]
            elif c > 0 and not _covers(v_rules[xs[c]], y0, y1):
                anchor[(r, c)] = anchor[(r, c - 1)]
            else:
                anchor[(r, c)] = (r, c)
    extent: dict[tuple[int, int], list[int]] = {}        # anchor -> [last row, last column]
    for (r, c), a in anchor.items():
        e = extent.setdefault(a, [r, c])
        e[0], e[1] = max(e[0], r), max(e[1], c)
    crops, keys, origins = [], [], []
    for (r, c), (r1, c1) in sorted(extent.items()):
        x0, y0, x1, y1 = xs[c] + _INSET, ys[r] + _INSET, xs[c1 + 1] - _INSET, ys[r1 + 1] - _INSET
        if x1 <= x0 or y1 <= y0:
            continue
        cell = pixels[y0:y1, x0:x1]
        if not (cell < _DARK).any():
            continue
        padded = np.full((cell.shape[0] + 2 * _PAD, cell.shape[1] + 2 * _PAD), 255, dtype=pixels.dtype)
        padded[_PAD:_PAD + cell.shape[0], _PAD:_PAD + cell.shape[1]] = cell
        crops.append(Image.fromarray(padded))
        keys.append((r, c))
        origins.append((x0 - _PAD, y0 - _PAD))
    read = []
    if crops:                   # each cell as read at the scan's size or at _SECOND_SCALE: the less doubtful
        first = ocr_images(crops, language=language, where=where)
        second = ocr_images(crops, language=language, where=where, scale=_SECOND_SCALE)
        read = [b if _doubt(b) < _doubt(a) else a for a, b in zip(first, second)]
    cell_words = {}
    for key, (dx, dy), words in zip(keys, origins, read):
        cell_words[key] = [{**w, "left": w["left"] + dx, "top": w["top"] + dy} for w in words]
    read_cells: dict[tuple[int, int], VisualLine] = {}       # each cell's text as a line: text, words, repairs
    for key, group in cell_words.items():
        group = sorted(group, key=lambda w: (w["block"], w["par"], w["line"], w["left"]))
        text, spans, fixed = words_text(clean_words(group, cell=True))
        stripped = text.lstrip(_NO_START)
        cut = len(text) - len(stripped)
        if cut:
            fixed = [Repair(0, "cell-start", text[:cut], "")] + [
                Repair(max(0, f.column - cut), f.kind, f.read, f.used) for f in fixed]
        top_line = [w for w in group if (w["block"], w["par"], w["line"]) == (
            group[0]["block"], group[0]["par"], group[0]["line"])] if group else []
        box = (min(w["left"] for w in top_line), min(w["top"] for w in top_line),
               max(w["left"] + w["width"] for w in top_line),
               max(w["top"] + w["height"] for w in top_line)) if top_line else (0, 0, 0, 0)
        read_cells[key] = VisualLine(number, box, stripped, [(start - cut, word, conf) for start, word, conf in spans
                                                               if start >= cut], fixed)
    keys_read = sorted(read_cells)
    _reread_headings([read_cells[k] for k in keys_read], pixels, language=language, where=where,
                     limits=[xs[extent[k][1] + 1] - _INSET for k in keys_read])
    out = []
    for r in range(rows):
        cells, found, confs, repairs = [], [], [], []
        for c in range(cols):
            if anchor[(r, c)] != (r, c) or (r, c) not in read_cells:
                cells.append("")
                continue
            v = read_cells[(r, c)]
            text, more = ocr_brackets(v.text)
            found += [(c, start, word, conf) for start, word, conf in v.words]
            confs += [conf for _, _, conf in v.words]
            repairs += [(c, f) for f in _merge(v.repairs, more)]
            cells.append(text)
        if not any(cells):
            continue
        out.append(TableRow(number, (xs[0], ys[r], xs[-1], ys[r + 1]), cells,
                            sum(confs) / len(confs) if confs else None, found, repairs=repairs))
    return out


def _merge(first: list[Repair], then: list[Repair]) -> list[Repair]:
    """The repairs of two passes over one text, in the order of their columns."""
    return sorted(first + then, key=lambda r: r.column)


def ocr_words(image, *, language: str, where: Path) -> list[dict]:
    """The words Tesseract reads on ``image`` (a Pillow image): dicts of block, par, line, left, top, width,
    height, conf, text.  Raises :class:`InputError` when Tesseract or its ``language`` data is missing."""
    return ocr_images([image], language=language, where=where)[0]


def _confidence(words: list[dict]) -> float:
    """The mean confidence of words (0 for none)."""
    return sum(w["conf"] for w in words) / len(words) if words else 0.0


def _doubt(words: list[dict]) -> tuple[int, float]:
    """How doubtful a reading of a line is: the words read with a confidence under LOW_CONFIDENCE, then the
    mean confidence (less is better)."""
    return sum(1 for w in words if w["conf"] < LOW_CONFIDENCE), -_confidence(words)


def _lines_of(words: list[dict]) -> list[list[dict]]:
    lines: dict[tuple[int, int, int], list[dict]] = {}
    for w in words:
        lines.setdefault((w["block"], w["par"], w["line"]), []).append(w)
    return list(lines.values())


def _two_readings(image, *, language: str, where: Path) -> list[list[dict]]:
    """The words of each printed line of ``image``: the page is read twice, at the scan's size and at
    :data:`_SECOND_SCALE` of it; a line is taken from the second reading where exactly
    one line of it stands at the same height and its words are read with more confidence (Tesseract
    misreads different characters at each size)."""
    first = _lines_of(ocr_words(image, language=language, where=where))
    second = _lines_of(ocr_images([image], language=language, where=where, scale=_SECOND_SCALE)[0])

    def span(line: list[dict]) -> tuple[float, float]:
        return min(w["top"] for w in line), max(w["top"] + w["height"] for w in line)

    def middle(line: list[dict]) -> float:
        top, bottom = span(line)
        return (top + bottom) / 2

    out = []
    for line in first:
        top, bottom = span(line)
        there = [other for other in second if top <= middle(other) <= bottom]
        if len(there) == 1:
            o_top, o_bottom = span(there[0])
            alone = sum(1 for other in first if o_top <= middle(other) <= o_bottom) == 1
            if alone and _doubt(there[0]) < _doubt(line):
                line = there[0]
        out.append(line)
    return out


def _scale_for(images: list) -> float:
    """The scale that makes the images' lines of characters :data:`TEXT_HEIGHT` pixels high: the median height of
    the runs of rows with dark pixels (a line of characters, between two white gaps), over all the images."""
    np = need("numpy", what="a scan")
    heights = []
    for image in images:
        rows = (np.asarray(image) < _DARK).any(axis=1)
        heights += [b - a for a, b in _runs(rows, _MIN_LINE)]
    if not heights:
        return 1.0
    heights.sort()
    return min(1.0, max(0.25, TEXT_HEIGHT / heights[len(heights) // 2]))


def ocr_images(images: list, *, language: str, where: Path, scale: float = 1.0) -> list[list[dict]]:
    """The words Tesseract reads on each of ``images`` (Pillow images), in one run: one list per image, as
    :func:`ocr_words` gives them, in the images' pixels.  Each image is read scaled by ``scale``."""
    tesseract = shutil.which("tesseract")
    if tesseract is None:
        raise InputError("reading a scan needs Tesseract: apt-get install tesseract-ocr tesseract-ocr-chi-sim "
                         "(and the documents extra: pip install 'antitraffick-kg[documents]')", path=str(where))
    dpi = round(SCAN_DPI * scale)
    with tempfile.TemporaryDirectory(prefix="atk-ocr-") as tmp:
        names = []
        for k, image in enumerate(images):
            if scale != 1:
                image = image.resize((round(image.width * scale), round(image.height * scale)), 1)
            png = Path(tmp) / f"image-{k}.png"
            image.save(png, dpi=(dpi, dpi))
            names.append(str(png))
        listing = Path(tmp) / "images.txt"
        listing.write_text("\n".join(names) + "\n", encoding="utf-8")
        done = subprocess.run([tesseract, names[0] if len(names) == 1 else str(listing), "stdout", "-l", language,
                               "--psm", "6", "--dpi", str(dpi),
                               "-c", "preserve_interword_spaces=1", "-c", "tessedit_do_invert=0", "tsv"],
                              capture_output=True, text=True, stdin=subprocess.DEVNULL, timeout=600,
                              env={**os.environ, "OMP_THREAD_LIMIT": "1"})
    if done.returncode != 0:
        if "Failed loading language" in done.stderr or "Error opening data file" in done.stderr:
            raise InputError(f"Tesseract has no '{language}' language data: apt-get install "
                             "tesseract-ocr-chi-sim", path=str(where))
        raise InputError(f"Tesseract could not read the page: {' '.join(done.stderr.split())[:200]}",
                         path=str(where))
    out: list[list[dict]] = [[] for _ in images]
    for row in done.stdout.splitlines()[1:]:
        parts = row.split("\t")
        if len(parts) < 12 or parts[0] != "5" or not parts[11].strip():
            continue
        out[int(parts[1]) - 1].append({
            "block": int(parts[2]), "par": int(parts[3]), "line": int(parts[4]),
            "left": round(int(parts[6]) / scale), "top": round(int(parts[7]) / scale),
            "width": round(int(parts[8]) / scale), "height": round(int(parts[9]) / scale),
            "conf": float(parts[10]), "text": parts[11].strip()})
    return out
