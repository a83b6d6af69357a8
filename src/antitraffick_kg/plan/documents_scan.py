"""One scanned page: its tables from the ruling lines in the image, its words from Tesseract.

Ruling lines are long runs of dark pixels (at least :data:`_RULE` of the page's width or height).  Between
them lies the grid of a table; where a grid line is missing between two cells, the cells are one merged cell, and
its words count once, in its first row and column.  The words outside every table are the page's text lines, in
Tesseract's own line order.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

from ..errors import InputError
from .documents_model import need
from .documents_layout import TableRow, VisualLine, join_words

__all__ = ["read_page_image", "ocr_words", "ocr_brackets", "clean_words", "SCAN_DPI"]

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


#: a numbered heading's opening bracket as OCR misreads it at the start of a line: 《一) 人三) 〈二） for （一）
_HEADING_BRACKETS = re.compile(r"^([《〈(（人入八])(\s*[一二三四五六七八九十]{1,3}\s*)([)）〉])")


def ocr_brackets(text: str) -> str:
    """The brackets of a line OCR read, as the genre writes them: 〈 〉 (never used in a plan) as （ ）, and the
    misread opening bracket of a numbered heading at the line's start.  The length never changes, so the
    columns of the line's words stay valid.

    >>> ocr_brackets("《一)重点领域"), ocr_brackets("〈州公安局负责，州妇联配合〉"), ocr_brackets("人三)州级")
    ('（一）重点领域', '（州公安局负责，州妇联配合）', '（三）州级')
    """
    text = text.replace("〈", "（").replace("〉", "）")
    return _HEADING_BRACKETS.sub(lambda m: f"（{m.group(2)}）", text)


_OPEN, _CLOSE = "“‘", "”’"
#: a section heading OCR read without its 、 (七宣传、教育和培训): a numeral, then the title at once
_BARE_SECTION = re.compile(r"^([一二三四五六七八九十]{1,2})[,，.．·:：]?(?=[\u4e00-\u9fff])(?![是些律切旦定般步起致体线批次级类项个方])")


def clean_words(words: list[dict], *, cell: bool) -> list[dict]:
    """The words of one printed line or table cell as OCR read them, cleaned: a short line (or cell) that
    starts with a numeral and its title at once is given its 、 (七宣传、教育和培训 as 七、宣传、教育和培训); in a
    cell, which holds its whole text, quotation marks that pair with none are dropped (州公安”局: Chinese quotes
    come in pairs, “…”; a printed line may end inside a quotation, so its marks are kept).  Words left empty
    are dropped.

    >>> [w["text"] for w in clean_words([{"text": "州公安”局"}, {"text": "“团圆”"}, {"text": "“”州妇联"}], cell=True)]
    ['州公安局', '“团圆”', '州妇联']
    >>> [w["text"] for w in clean_words([{"text": "七宣传"}, {"text": "教育"}], cell=False)]
    ['七、宣传', '教育']
    >>> [w["text"] for w in clean_words([{"text": "七"}, {"text": "宣传"}], cell=False)]
    ['七、', '宣传']
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
        if text:
            out.append({**w, "text": text})
    whole = "".join(w["text"] for w in out)
    if out and len(whole) <= 20 and (m := _BARE_SECTION.match(whole)) and len(m.group(0)) <= len(out[0]["text"]):
        first = out[0]["text"]
        out[0] = {**out[0], "text": f"{m.group(1)}、{first[len(m.group(0)):]}"}
    return out


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
    """The text lines and table rows of one page image (grey scale)."""
    np = need("numpy", what="a scan")
    pixels = np.asarray(image)
    dark = pixels < _DARK
    height, width = dark.shape
    horizontal = _rules(dark, max(_LONGEST_STROKE, int(_RULE * width)))
    vertical = _rules(dark.T, max(_LONGEST_STROKE, int(_RULE * height)))
    grids = _grids(horizontal, vertical)
    if grids:                   # paint the rules white so that Tesseract reads the cells, not the lines
        pixels = pixels.copy()
        for _, segments, (first, last) in horizontal:
            for a, b in segments:
                pixels[max(0, first - 3):last + 4, a:b + 1] = 255
        for _, segments, (first, last) in vertical:
            for a, b in segments:
                pixels[a:b + 1, max(0, first - 3):last + 4] = 255
        Image = need("PIL.Image", what="a scan")
        image = Image.fromarray(pixels)
    words = ocr_words(image, language=language, where=where)
    items: list[VisualLine | TableRow] = []
    inside: set[int] = set()
    for grid in grids:
        items.extend(_table_rows(grid, words, number, inside))
    lines: dict[tuple[int, int, int], list[dict]] = {}
    for i, w in enumerate(words):
        if i not in inside:
            lines.setdefault((w["block"], w["par"], w["line"]), []).append(w)
    for group in lines.values():
        group = clean_words(sorted(group, key=lambda w: w["left"]), cell=False)
        if not group:
            continue
        text, spans = "", []
        for w in group:
            joined = join_words(text, w["text"])
            spans.append((len(joined) - len(w["text"]), w["text"], w["conf"]))
            text = joined
        box = (min(w["left"] for w in group), min(w["top"] for w in group),
               max(w["left"] + w["width"] for w in group), max(w["top"] + w["height"] for w in group))
        items.append(VisualLine(number, box, ocr_brackets(text), spans))
    text_lines = [i for i in items if isinstance(i, VisualLine)]
    if text_lines:
        right[number] = max(v.box[2] for v in text_lines)
    items.sort(key=lambda i: i.box[1])
    return items


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


def _table_rows(grid, words: list[dict], number: int, inside: set[int]) -> list[TableRow]:
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
    cell_words: dict[tuple[int, int], list[tuple[int, dict]]] = {}
    for i, w in enumerate(words):
        cx, cy = w["left"] + w["width"] / 2, w["top"] + w["height"] / 2
        if not (xs[0] < cx < xs[-1] and ys[0] < cy < ys[-1]):
            continue
        c = max(k for k in range(cols) if xs[k] <= cx)
        r = max(k for k in range(rows) if ys[k] <= cy)
        inside.add(i)
        cell_words.setdefault(anchor[(r, c)], []).append((i, w))
    out = []
    for r in range(rows):
        cells, found, confs = [], [], []
        for c in range(cols):
            if anchor[(r, c)] != (r, c):
                cells.append("")
                continue
            text = ""
            group = sorted(cell_words.get((r, c), []), key=lambda iw: (iw[1]["block"], iw[1]["par"],
                                                                         iw[1]["line"], iw[1]["left"]))
            for w in clean_words([w for _, w in group], cell=True):
                joined = join_words(text, w["text"])
                found.append((c, len(joined) - len(w["text"]), w["text"], w["conf"]))
                confs.append(w["conf"])
                text = joined
            stripped = text.lstrip(_NO_START)
            found = [(c2, start - (len(text) - len(stripped)), word, conf) if c2 == c else (c2, start, word, conf)
                     for c2, start, word, conf in found]
            cells.append(ocr_brackets(stripped))
        if not any(cells):
            continue
        out.append(TableRow(number, (xs[0], ys[r], xs[-1], ys[r + 1]), cells,
                            sum(confs) / len(confs) if confs else None, found))
    return out


def ocr_words(image, *, language: str, where: Path) -> list[dict]:
    """The words Tesseract reads on ``image`` (a Pillow image): dicts of block, par, line, left, top, width,
    height, conf, text.  Raises :class:`InputError` when Tesseract or its ``language`` data is missing."""
    tesseract = shutil.which("tesseract")
    if tesseract is None:
        raise InputError("reading a scan needs Tesseract: apt-get install tesseract-ocr tesseract-ocr-chi-sim "
                         "(and the documents extra: pip install 'antitraffick-kg[documents]')", path=str(where))
    with tempfile.TemporaryDirectory(prefix="atk-ocr-") as tmp:
        png = Path(tmp) / "page.png"
        image.save(png, dpi=(SCAN_DPI, SCAN_DPI))
        done = subprocess.run([tesseract, str(png), "stdout", "-l", language, "--psm", "6", "--dpi", str(SCAN_DPI),
                               "-c", "preserve_interword_spaces=1", "-c", "tessedit_do_invert=0", "tsv"],
                              capture_output=True, text=True, stdin=subprocess.DEVNULL, timeout=600,
                              env={**os.environ, "OMP_THREAD_LIMIT": "1"})
    if done.returncode != 0:
        if "Failed loading language" in done.stderr or "Error opening data file" in done.stderr:
            raise InputError(f"Tesseract has no '{language}' language data: apt-get install "
                             "tesseract-ocr-chi-sim", path=str(where))
        raise InputError(f"Tesseract could not read the page: {' '.join(done.stderr.split())[:200]}",
                         path=str(where))
    words = []
    for row in done.stdout.splitlines()[1:]:
        parts = row.split("\t")
        if len(parts) < 12 or parts[0] != "5" or not parts[11].strip():
            continue
        words.append({"block": int(parts[2]), "par": int(parts[3]), "line": int(parts[4]),
                      "left": int(parts[6]), "top": int(parts[7]), "width": int(parts[8]),
                      "height": int(parts[9]), "conf": float(parts[10]), "text": parts[11].strip()})
    return words
