"""Saved web pages: the article body (not the site's navigation, banners or footer), through selectolax.

The body is the deepest element that holds at least four fifths of the page's text outside links (a site's
menus are links; the article is text).  Inside it every block (a paragraph, a heading, a list item) is a line
(``<br>`` starts another), and every table row a line with its cells separated by tabs, a cell spanning several
columns or rows given once, in its first row and column, as in a Word table.  Each line's origin is its
element path (``html/body/div[2]/p[3]``).
"""

from __future__ import annotations

from pathlib import Path

from ..errors import InputError
from .documents_model import Piece, cell_line, need

__all__ = ["read_html"]

_BLOCKS = {"p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "li", "section", "article", "main", "pre",
           "blockquote", "dd", "dt", "caption", "center", "td", "th", "tr", "table", "ul", "ol", "dl", "header",
           "footer", "nav", "aside", "form", "tbody", "thead", "tfoot"}
_SKIP = {"script", "style", "noscript", "template", "head", "iframe", "svg", "button", "select", "input"}
#: share of the page's text outside links the article body holds at least
_BODY_SHARE = 0.8


def read_html(path: Path) -> tuple[list[Piece], int]:
    """The lines of the article body of a saved web page (1 page)."""
    lexbor = need("selectolax.lexbor", what="a web page")
    raw = path.read_bytes()
    if b"\x00" in raw[:4096]:
        raise InputError("not a web page (binary content)", path=str(path))
    html = _decode(raw, path)
    tree = lexbor.LexborHTMLParser(html)
    root = tree.body
    if root is None:
        raise InputError("no <body> in this web page", path=str(path))
    scores: dict[int, int] = {}
    _score(root, scores)
    if not scores.get(root.mem_id):
        raise InputError("no text in this web page outside links and scripts", path=str(path))
    body = _body(root, scores)
    pieces: list[Piece] = []
    _lines(body, _path(body), pieces)
    while pieces and not pieces[-1].text.strip():
        pieces.pop()
    return pieces, 1


def _decode(raw: bytes, path: Path) -> str:
    head = raw[:2048].lower()
    for name in ("gb18030", "gbk", "gb2312"):
        if f"charset={name}".encode() in head or f'charset="{name}'.encode() in head:
            return raw.decode("gb18030", errors="replace")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        try:
            return raw.decode("gb18030")
        except UnicodeDecodeError:
            raise InputError("a web page neither in UTF-8 nor in GB18030", path=str(path)) from None


def _children(node):
    return [c for c in node.iter(include_text=False) if c.tag not in _SKIP and not c.tag.startswith("-")]


def _score(node, scores: dict[int, int]) -> int:
    """Characters of text outside links under ``node``."""
    if node.tag == "a":
        scores[node.mem_id] = 0
        return 0
    total = 0
    for child in node.iter(include_text=True):
        if child.tag == "-text":
            total += len((child.text_content or "").strip())
        elif child.tag not in _SKIP and not child.tag.startswith("-"):
            total += _score(child, scores)
    scores[node.mem_id] = total
    return total


def _body(root, scores: dict[int, int]):
    whole, node = scores[root.mem_id], root
    while True:
        best = max(_children(node), key=lambda c: scores.get(c.mem_id, 0), default=None)
        if best is None or scores.get(best.mem_id, 0) < _BODY_SHARE * whole or best.tag in ("tr", "td", "th",
                                                                                             "tbody", "thead"):
            return node
        node = best


def _path(node) -> str:
    parts = []
    while node is not None and node.tag not in ("-undef", "-document") and not node.tag.startswith("#"):
        parent = node.parent
        if parent is None:
            parts.append(node.tag)
            break
        same = [c for c in parent.iter(include_text=False) if c.tag == node.tag]
        parts.append(f"{node.tag}[{[c.mem_id for c in same].index(node.mem_id) + 1}]" if len(same) > 1 else node.tag)
        node = parent
    return "/".join(reversed(parts))


def _inline(node, out: list[str]) -> None:
    for child in node.iter(include_text=True):
        if child.tag == "-text":
            out.append(child.text_content or "")
        elif child.tag == "br":
            out.append("\n")
        elif child.tag in _BLOCKS:       # a paragraph inside a table's cell: a line of its own there
            out.append("\n")
            _inline(child, out)
            out.append("\n")
        elif child.tag not in _SKIP and not child.tag.startswith("-"):
            _inline(child, out)


def _text(parts: list[str]) -> list[str]:
    return [" ".join(line.split()) for line in "".join(parts).split("\n")]


def _lines(node, where: str, pieces: list[Piece]) -> None:
    """The lines of ``node``'s blocks, in order; text between blocks is a line of its own."""
    if node.tag == "table":
        _table(node, where, pieces)
        return
    counts: dict[str, int] = {}
    tags = [c.tag for c in _children(node)]
    loose: list[str] = []

    def flush() -> None:
        if "".join(loose).strip():
            for line in _text(loose):
                pieces.append(Piece(line, where))
        loose.clear()

    has_block = any(t in _BLOCKS for t in tags)
    if not has_block:
        parts: list[str] = []
        _inline(node, parts)
        for line in _text(parts):
            pieces.append(Piece(line, where))
        return
    for child in node.iter(include_text=True):
        if child.tag == "-text":
            loose.append(child.text_content or "")
            continue
        if child.tag in _SKIP or child.tag.startswith("-"):
            continue
        counts[child.tag] = counts.get(child.tag, 0) + 1
        step = f"{child.tag}[{counts[child.tag]}]" if tags.count(child.tag) > 1 else child.tag
        if child.tag in _BLOCKS:
            flush()
            _lines(child, f"{where}/{step}", pieces)
        elif child.tag == "br":
            loose.append("\n")
        else:
            _inline(child, loose)
    flush()


def _table(table, where: str, pieces: list[Piece]) -> None:
    """One line per row on the table's grid: spanned cells give their text in their first row and column."""
    pending: dict[int, int] = {}        # grid column -> rows it is still covered by a cell from above
    rows = [tr for tr in table.css("tr")]
    for number, tr in enumerate(rows, start=1):
        cells: list[str] = []
        column = 0
        for cell in tr.iter(include_text=False):
            if cell.tag not in ("td", "th"):
                continue
            while pending.get(column, 0) > 0:
                pending[column] -= 1
                cells.append("")
                column += 1
            parts: list[str] = []
            _inline(cell, parts)
            span = _int(cell.attributes.get("colspan"))
            down = _int(cell.attributes.get("rowspan"))
            cells.append(" ".join(" ".join(_text(parts)).split()))
            for k in range(span):
                if down > 1:
                    pending[column + k] = down - 1
                if k:
                    cells.append("")
            column += span
        while pending.get(column, 0) > 0:
            pending[column] -= 1
            cells.append("")
            column += 1
        line, starts = cell_line(cells)
        pieces.append(Piece(line, f"{where}/tr[{number}]", cells=starts))


def _int(value: str | None) -> int:
    try:
        return max(1, int(value or 1))
    except ValueError:
        return 1
