"""The records the document readers share: a line's origin in the original, the words OCR was unsure of, the
extraction of one document, and the pieces (lines) a reader gives."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from ..errors import InputError

__all__ = ["Origin", "LowWord", "Repair", "REPAIR_KINDS", "Extraction", "DocumentKind", "Piece", "cell_line", "need", "sha256_of"]

DocumentKind = Literal["text", "word", "pdf", "scan", "html"]


#: what the reader of a scan puts right by a rule of the genre, each recorded as a :class:`Repair`:
#: ``bracket`` 〈 〉 (never used in a plan) as （ ）; ``heading-bracket`` the misread opening bracket of a numbered
#: heading (《一) 人三) as （一） （三）); ``heading-reread`` the start of a line that looked like a misread
#: numbered heading (全)回归社会), read again at other sizes, in place of the first reading; ``section-comma`` a section heading given its 、 (七宣传 as 七、宣传);
#: ``stray-quote`` a quotation mark a table cell pairs with none, left out (州公安”局); ``cell-start`` what no cell
#: begins with (a closing quote, a dash: the gap before the cell's first word), left out
REPAIR_KINDS = ("bracket", "heading-bracket", "heading-reread", "section-comma", "stray-quote", "cell-start")


@dataclass(frozen=True)
class Repair:
    """A reading OCR gave that the reader put right by a rule of the genre: the character ``column`` of the
    line where the text used stands, the rule (one of :data:`REPAIR_KINDS`), the text OCR read and the text
    ``source.txt`` has instead (empty where the reader left the text out)."""

    column: int
    kind: str
    read: str
    used: str

    def encode(self) -> str:
        """The repair as one field of ``source.map.tsv`` (no space, tab or ``%`` but escaped).

        >>> r = Repair(3, "stray-quote", "公安”局", "公安局"); r.encode(), Repair.decode(r.encode()) == r
        ('3:stray-quote:公安”局:公安局', True)
        """
        return f"{self.column}:{self.kind}:{_escape(self.read)}:{_escape(self.used)}"

    @staticmethod
    def decode(field: str) -> "Repair":
        """A repair from :meth:`encode`'s field; raises ValueError for anything else."""
        column, kind, read, used = field.split(":")
        if kind not in REPAIR_KINDS:
            raise ValueError(f"unknown repair kind {kind!r}")
        return Repair(int(column), kind, _unescape(read), _unescape(used))


_ESCAPES = {"%": "%25", " ": "%20", "\t": "%09", ":": "%3A"}


def _escape(text: str) -> str:
    return "".join(_ESCAPES.get(ch, ch) for ch in text)


def _unescape(text: str) -> str:
    for ch, code in reversed(_ESCAPES.items()):
        text = text.replace(code, ch)
    return text


@dataclass(frozen=True)
class Origin:
    """Where one line of ``source.txt`` came from.

    ``place``: in words (``page 3, box 72,88-523,102``; ``paragraph 12``; ``table 2, row 5``;
    ``html/body/div[2]/p[3]``); ``page``: the page, where the original has pages; ``cells``: for a table row,
    the character in the line where each cell starts; ``confidence``: for a line read by OCR, the mean
    confidence of its words (0-100); ``repairs``: what the reader of a scan put right on the line.
    """

    line: int
    place: str
    page: int | None = None
    cells: tuple[int, ...] = ()
    confidence: float | None = None
    repairs: tuple[Repair, ...] = ()

    def at(self, column: int) -> str:
        """The place of the character ``column`` (0-based) of the line: the cell too, for a table row.

        >>> Origin(4, "table 1, row 2", cells=(0, 5, 9)).at(6)
        'table 1, row 2, cell 2'
        """
        if not self.cells:
            return self.place
        cell = sum(1 for start in self.cells if start <= column)
        return f"{self.place}, cell {max(cell, 1)}"


@dataclass(frozen=True)
class LowWord:
    """A word OCR read with low confidence."""

    line: int
    column: int
    word: str
    confidence: float


@dataclass(frozen=True)
class Extraction:
    """The text of one document and where each of its lines came from."""

    path: Path
    kind: DocumentKind
    text: str
    origins: tuple[Origin, ...]
    pages: int                         # pages of the original (1 for a file without pages)
    sha256: str                        # of the original file
    low_words: tuple[LowWord, ...] = ()


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def need(module: str, *, what: str):
    """Import ``module`` of the ``documents`` extra, or raise :class:`InputError` naming the extra."""
    import importlib

    try:
        return importlib.import_module(module)
    except ImportError:
        raise InputError(f"reading {what} needs the documents extra: pip install 'antitraffick-kg[documents]'"
                         ) from None


@dataclass(frozen=True)
class Piece:
    """One line a reader found: its text, its origin (line number filled in later), low-confidence words
    (column in the text, word, confidence)."""

    text: str
    place: str
    page: int | None = None
    cells: tuple[int, ...] = ()
    confidence: float | None = None
    low: tuple[tuple[int, str, float], ...] = ()
    repairs: tuple[Repair, ...] = ()


def cell_line(cells: list[str]) -> tuple[str, tuple[int, ...]]:
    """A table row as one line, its cells separated by tabs, and where each cell starts.

    >>> cell_line(["一、组织", "", "州公安局"])
    ('一、组织\\t\\t州公安局', (0, 5, 6))
    """
    clean = [" ".join(c.replace("\t", " ").split()) for c in cells]
    starts, at = [], 0
    for c in clean:
        starts.append(at)
        at += len(c) + 1
    return "\t".join(clean), tuple(starts)
