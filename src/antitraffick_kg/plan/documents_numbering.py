"""Word's list numbering: the numbers Word shows before paragraphs it numbers itself (a list, or a style such as
"List Number"), which are in no run of the paragraph's text.

A paragraph is numbered by its own ``w:numPr`` or by its style's (and the styles that style is based on): a list
(``w:num``, its abstract definition and any level overrides) and a level.  Each list counts its paragraphs level by
level, from each level's start; a paragraph of a level restarts the levels below it.  The label is the level's
text (``%1.``, ``（%1）``, ``%1、``, ``%1.%2``) with each ``%k`` the count of level k written in that level's
format: decimal (full-width too), Chinese counting (一, 十一), circled numbers (①), letters and roman numerals.
Bullets and levels with no text give no label.
"""

from __future__ import annotations

from .narrative import cn_numeral

__all__ = ["ListNumbers"]

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_NUMBERING = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/numbering"


def _roman(n: int) -> str:
    out = ""
    for value, letters in ((1000, "m"), (900, "cm"), (500, "d"), (400, "cd"), (100, "c"), (90, "xc"), (50, "l"),
                           (40, "xl"), (10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i")):
        while n >= value:
            out, n = out + letters, n - value
    return out


def _written(n: int, fmt: str) -> str:
    """A count in a level's number format."""
    if fmt in ("decimalFullWidth", "decimalFullWidth2"):
        return str(n).translate(str.maketrans("0123456789", "０１２３４５６７８９"))
    if fmt in ("chineseCounting", "chineseCountingThousand", "chineseLegalSimplified", "ideographDigital",
               "taiwaneseCounting", "taiwaneseCountingThousand", "japaneseCounting"):
        return cn_numeral(n) if 0 < n < 100 else str(n)
    if fmt in ("decimalEnclosedCircle", "decimalEnclosedCircleChinese") and 0 < n <= 20:
        return chr(ord("①") + n - 1)
    if fmt in ("lowerLetter", "upperLetter") and 0 < n <= 26:
        letter = chr(ord("a") + n - 1)
        return letter.upper() if fmt == "upperLetter" else letter
    if fmt in ("lowerRoman", "upperRoman"):
        return _roman(n).upper() if fmt == "upperRoman" else _roman(n)
    return str(n)


def _val(element, tag: str) -> str | None:
    found = element.find(f"{_W}{tag}") if element is not None else None
    return found.get(f"{_W}val") if found is not None else None


class ListNumbers:
    """The numbering of one document: :meth:`label` gives each numbered paragraph its label, in reading order."""

    def __init__(self, document) -> None:
        self._levels: dict[str, dict[str, tuple[int, str, str]]] = {}   # list id -> level -> (start, format, text)
        self._counts: dict[str, dict[int, int]] = {}
        self._styles: dict[str, object] = {}
        # the numbering part where the file has one (python-docx's numbering_part would make one; a file saved
        # with no list has none)
        part = next((rel.target_part for rel in document.part.rels.values()
                     if rel.reltype == _NUMBERING and not rel.is_external), None)
        numbering = part.element if part is not None else None
        abstract = {}
        if numbering is not None:
            for a in numbering.iterchildren(f"{_W}abstractNum"):
                abstract[a.get(f"{_W}abstractNumId")] = {
                    lvl.get(f"{_W}ilvl"): (int(_val(lvl, "start") or 1), _val(lvl, "numFmt") or "decimal",
                                           _val(lvl, "lvlText") or "")
                    for lvl in a.iterchildren(f"{_W}lvl")}
            for num in numbering.iterchildren(f"{_W}num"):
                levels = dict(abstract.get(_val(num, "abstractNumId"), {}))
                for override in num.iterchildren(f"{_W}lvlOverride"):
                    ilvl, start = override.get(f"{_W}ilvl"), _val(override, "startOverride")
                    lvl = override.find(f"{_W}lvl")
                    if lvl is not None:
                        levels[ilvl] = (int(_val(lvl, "start") or 1), _val(lvl, "numFmt") or "decimal",
                                        _val(lvl, "lvlText") or "")
                    elif start is not None and ilvl in levels:
                        levels[ilvl] = (int(start), *levels[ilvl][1:])
                self._levels[num.get(f"{_W}numId")] = levels
        self._styles = {s.get(f"{_W}styleId"): s for s in document.styles.element.iterchildren(f"{_W}style")}

    def _numbering(self, p) -> tuple[str, int] | None:
        """The list and level that number paragraph ``p``: its own, else its style's (or a style it is based
        on); ``None`` where none does or the list is 0 (numbering taken off)."""
        ppr = p.find(f"{_W}pPr")
        num = ppr.find(f"{_W}numPr") if ppr is not None else None
        style = _val(ppr, "pStyle")
        seen = set()
        while num is None and style is not None and style not in seen:
            seen.add(style)
            element = self._styles.get(style)
            if element is None:
                break
            sppr = element.find(f"{_W}pPr")
            num = sppr.find(f"{_W}numPr") if sppr is not None else None
            style = _val(element, "basedOn")
        if num is None:
            return None
        num_id, ilvl = _val(num, "numId"), int(_val(num, "ilvl") or 0)
        return (num_id, ilvl) if num_id not in (None, "0") and num_id in self._levels else None

    def label(self, p) -> str:
        """The label Word shows before paragraph ``p`` ("" when it numbers none), counting it."""
        found = self._numbering(p)
        if found is None:
            return ""
        num_id, ilvl = found
        levels = self._levels[num_id]
        if str(ilvl) not in levels or levels[str(ilvl)][1] in ("bullet", "none"):
            return ""
        counts = self._counts.setdefault(num_id, {})
        counts[ilvl] = counts.get(ilvl, levels[str(ilvl)][0] - 1) + 1
        for deeper in [k for k in counts if k > ilvl]:
            del counts[deeper]
        text = levels[str(ilvl)][2]
        for k in range(9, 0, -1):
            if f"%{k}" in text:
                start, fmt, _ = levels.get(str(k - 1), (1, "decimal", ""))
                text = text.replace(f"%{k}", _written(counts.get(k - 1, start), fmt))
        return text
