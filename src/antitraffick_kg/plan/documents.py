"""Plans as they are published: the text of a Word file, a PDF, a scan or a saved web page, line by line,
with the place in the original every line came from.

:func:`read_document` turns one file into an :class:`Extraction`: the text ``source.txt`` keeps (narrative
paragraphs one to a line, each row of a table one line with its cells separated by tabs, as the text importer
reads them) and one :class:`Origin` per line (page and box for a PDF or a scan, paragraph or table/row/cell for
a Word file, the element path for a web page).  :func:`write_origins` and :func:`load_origins` keep the origins in
the plan folder's sidecar ``source.map.tsv``.

The readers need the ``documents`` extra (python-docx, pdfplumber, selectolax); Word's older formats (.doc,
.wps) need LibreOffice and scans need Tesseract with its Chinese data.  Each failure is one
:class:`~antitraffick_kg.errors.InputError` naming the file, raised before anything is written.
"""

from __future__ import annotations

import csv
import hashlib
import io
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from ..errors import InputError

__all__ = ["Origin", "LowWord", "Extraction", "DocumentKind", "read_document", "is_document", "SUFFIXES",
           "MAP_NAME", "write_origins", "load_origins", "origin_of", "need", "sha256_of"]

DocumentKind = Literal["text", "word", "pdf", "scan", "html"]
#: the file names the readers take, by kind
SUFFIXES: dict[str, DocumentKind] = {
    ".txt": "text", ".docx": "word", ".doc": "word", ".wps": "word", ".pdf": "pdf",
    ".png": "scan", ".jpg": "scan", ".jpeg": "scan", ".tif": "scan", ".tiff": "scan",
    ".html": "html", ".htm": "html"}
#: the sidecar beside source.txt
MAP_NAME = "source.map.tsv"
_MAP_COLUMNS = ("line", "page", "place", "cells", "confidence")


@dataclass(frozen=True)
class Origin:
    """Where one line of ``source.txt`` came from.

    ``place``: in words (``page 3, box 72,88-523,102``; ``paragraph 12``; ``table 2, row 5``;
    ``html/body/div[2]/p[3]``); ``page``: the page, where the original has pages; ``cells``: for a table row,
    the character in the line where each cell starts; ``confidence``: for a line read by OCR, the mean
    confidence of its words (0-100).
    """

    line: int
    place: str
    page: int | None = None
    cells: tuple[int, ...] = ()
    confidence: float | None = None

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


def is_document(path: str | Path) -> bool:
    """Whether ``path`` is read through a document reader (any format but plain text).

    >>> is_document("plan.docx"), is_document("source.txt")
    (True, False)
    """
    return SUFFIXES.get(Path(path).suffix.lower(), "text") != "text"


def need(module: str, *, what: str):
    """Import ``module`` of the ``documents`` extra, or raise :class:`InputError` naming the extra."""
    import importlib

    try:
        return importlib.import_module(module)
    except ImportError:
        raise InputError(f"reading {what} needs the documents extra: pip install 'antitraffick-kg[documents]'"
                         ) from None


def read_document(path: str | Path, *, max_mib: float, ocr_language: str = "chi_sim") -> Extraction:
    """Read ``path`` (.docx, .doc, .wps, .pdf, .png, .jpg, .tif, .html; .txt as it is) into an :class:`Extraction`.

    A PDF whose pages have no text layer is read as a scan.  Raises :class:`InputError` for a missing, too large,
    unreadable or password-protected file, a format it does not take, a tool that is not installed (naming the
    Debian package), or a document with no text.
    """
    path = Path(path)
    kind = SUFFIXES.get(path.suffix.lower())
    if kind is None:
        raise InputError(f"a plan is read from {', '.join(SUFFIXES)}; '{path.suffix or path.name}' is none of "
                         "these", path=str(path))
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        raise InputError("file not found", path=str(path)) from None
    if path.is_dir():
        raise InputError("is a folder, not a file", path=str(path))
    if size > max_mib * 2**20:
        raise InputError(f"{size / 2**20:,.1f} MiB is beyond the limit of {max_mib:g} MiB; give --max-size to "
                         "read a larger file", path=str(path))
    if size == 0:
        raise InputError("empty file", path=str(path))
    if kind == "text":
        text = path.read_text(encoding="utf-8")
        return Extraction(path, "text", text, tuple(Origin(n, f"line {n}") for n in
                                                    range(1, text.count("\n") + 2)), 1, sha256_of(path))
    if kind == "word":
        from .documents_word import read_word
        lines, pages = read_word(path)
    elif kind == "html":
        from .documents_html import read_html
        lines, pages = read_html(path)
    else:
        from .documents_pdf import read_pdf, read_scan
        if kind == "pdf":
            lines, pages, kind = read_pdf(path, ocr_language=ocr_language)
        else:
            lines, pages = read_scan(path, ocr_language=ocr_language)
    text, origins, low = _assemble(lines)
    if not text.strip():
        raise InputError("no text in this document" + (" (a blank scan?)" if kind == "scan" else ""),
                         path=str(path))
    return Extraction(path, kind, text, origins, pages, sha256_of(path), low)


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


def _assemble(pieces: list[Piece]) -> tuple[str, tuple[Origin, ...], tuple[LowWord, ...]]:
    lines, origins, low = [], [], []
    for number, p in enumerate(pieces, start=1):
        if "\n" in p.text or "\r" in p.text:
            raise ValueError(f"a reader gave a line with a line break: {p.text!r}")
        lines.append(p.text)
        origins.append(Origin(number, p.place, p.page, p.cells, p.confidence))
        low.extend(LowWord(number, column, word, conf) for column, word, conf in p.low)
    return "\n".join(lines) + "\n", tuple(origins), tuple(low)


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


def write_origins(extraction: Extraction, folder: Path) -> Path:
    """Write the sidecar ``source.map.tsv`` into ``folder`` (one row per line of ``source.txt``)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter="\t", lineterminator="\n")
    writer.writerow(_MAP_COLUMNS)
    for o in extraction.origins:
        writer.writerow([o.line, "" if o.page is None else o.page, o.place, " ".join(map(str, o.cells)),
                         "" if o.confidence is None else f"{o.confidence:.1f}"])
    target = folder / MAP_NAME
    fd, tmp = tempfile.mkstemp(prefix=".source.map-", dir=folder)
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        f.write(buffer.getvalue())
    os.replace(tmp, target)
    return target


def load_origins(path: str | Path) -> dict[int, Origin]:
    """Read a ``source.map.tsv``: line -> :class:`Origin`; raises :class:`InputError` naming the row at fault."""
    where = str(path)
    out: dict[int, Origin] = {}
    try:
        with open(path, encoding="utf-8", newline="") as f:
            rows = list(csv.reader(f, delimiter="\t"))
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"cannot read the line map: {exc}", path=where) from None
    if not rows or tuple(rows[0]) != _MAP_COLUMNS:
        raise InputError(f"the first row must be the columns {', '.join(_MAP_COLUMNS)}", path=where, line=1)
    for number, row in enumerate(rows[1:], start=2):
        try:
            line, page, place, cells, confidence = row
            origin = Origin(int(line), place, int(page) if page else None,
                            tuple(int(c) for c in cells.split()), float(confidence) if confidence else None)
        except ValueError:
            raise InputError("a row must be: line, page (or empty), place, cell starts, confidence (or empty)",
                             path=where, line=number) from None
        out[origin.line] = origin
    return out


def origin_of(origins: dict[int, Origin], line: int, column: int) -> str | None:
    """The place in the original of character ``column`` of ``line``, if the plan has a line map."""
    origin = origins.get(line)
    return origin.at(column) if origin is not None else None
