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
import io
import os
import tempfile
from pathlib import Path

from ..errors import InputError
from .documents_model import DocumentKind, Extraction, LowWord, Origin, Piece, Repair, sha256_of

__all__ = ["Origin", "LowWord", "Repair", "Extraction", "read_document", "is_document", "SUFFIXES", "MAP_NAME",
           "write_origins", "load_origins", "origins_beside", "origin_of"]
#: the file names the readers take, by kind
SUFFIXES: dict[str, DocumentKind] = {
    ".txt": "text", ".docx": "word", ".doc": "word", ".wps": "word", ".pdf": "pdf",
    ".png": "scan", ".jpg": "scan", ".jpeg": "scan", ".tif": "scan", ".tiff": "scan",
    ".html": "html", ".htm": "html"}
#: the sidecar beside source.txt
MAP_NAME = "source.map.tsv"
_MAP_COLUMNS = ("line", "page", "place", "cells", "confidence", "low_words", "repairs")
#: the columns of a line map written before the readers recorded their repairs
_MAP_COLUMNS_BEFORE = _MAP_COLUMNS[:-1]


def is_document(path: str | Path) -> bool:
    """Whether ``path`` is read through a document reader (any format but plain text).

    >>> is_document("plan.docx"), is_document("source.txt")
    (True, False)
    """
    return SUFFIXES.get(Path(path).suffix.lower(), "text") != "text"


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


def _assemble(pieces: list[Piece]) -> tuple[str, tuple[Origin, ...], tuple[LowWord, ...]]:
    lines, origins, low = [], [], []
    for number, p in enumerate(pieces, start=1):
        if "\n" in p.text or "\r" in p.text:
            raise ValueError(f"a reader gave a line with a line break: {p.text!r}")
        lines.append(p.text)
        origins.append(Origin(number, p.place, p.page, p.cells, p.confidence, p.repairs))
        low.extend(LowWord(number, column, word, conf) for column, word, conf in p.low)
    return "\n".join(lines) + "\n", tuple(origins), tuple(low)


def write_origins(extraction: Extraction, folder: Path) -> Path:
    """Write the sidecar ``source.map.tsv`` into ``folder`` (one row per line of ``source.txt``)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter="\t", lineterminator="\n")
    writer.writerow(_MAP_COLUMNS)
    low: dict[int, list[LowWord]] = {}
    for w in extraction.low_words:
        low.setdefault(w.line, []).append(w)
    for o in extraction.origins:
        writer.writerow([o.line, "" if o.page is None else o.page, o.place, " ".join(map(str, o.cells)),
                         "" if o.confidence is None else f"{o.confidence:.1f}",
                         " ".join(f"{w.column}:{w.confidence:.0f}:{w.word}" for w in low.get(o.line, ())),
                         " ".join(r.encode() for r in o.repairs)])
    target = folder / MAP_NAME
    fd, tmp = tempfile.mkstemp(prefix=".source.map-", dir=folder)
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        f.write(buffer.getvalue())
    os.replace(tmp, target)
    return target


def load_origins(path: str | Path) -> tuple[dict[int, Origin], tuple[LowWord, ...]]:
    """Read a ``source.map.tsv``: line -> :class:`Origin`, and the words OCR read with low confidence; raises
    :class:`InputError` naming the row at fault."""
    where = str(path)
    out: dict[int, Origin] = {}
    low: list[LowWord] = []
    try:
        with open(path, encoding="utf-8", newline="") as f:
            rows = list(csv.reader(f, delimiter="\t"))
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"cannot read the line map: {exc}", path=where) from None
    if not rows or tuple(rows[0]) not in (_MAP_COLUMNS, _MAP_COLUMNS_BEFORE):
        raise InputError(f"the first row must be the columns {', '.join(_MAP_COLUMNS)}", path=where, line=1)
    width = len(rows[0])
    for number, row in enumerate(rows[1:], start=2):
        try:
            if len(row) != width:
                raise ValueError(row)
            line, page, place, cells, confidence, words = row[:6]
            repairs = tuple(Repair.decode(r) for r in row[6].split()) if width > 6 else ()
            origin = Origin(int(line), place, int(page) if page else None,
                            tuple(int(c) for c in cells.split()), float(confidence) if confidence else None,
                            repairs)
            for word in words.split():
                column, conf, text = word.split(":", 2)
                low.append(LowWord(origin.line, int(column), text, float(conf)))
        except ValueError:
            raise InputError("a row must be: line, page (or empty), place, cell starts, confidence (or empty), "
                             "low-confidence words (column:confidence:word ...), repairs "
                             "(column:kind:read:used ...)", path=where, line=number) from None
        out[origin.line] = origin
    return out, tuple(low)


def origins_beside(source: Path) -> tuple[dict[int, Origin], tuple[LowWord, ...]]:
    """The line map beside ``source`` (``source.map.tsv`` beside a ``source.txt``), or none."""
    sidecar = source.parent / MAP_NAME
    if source.name != "source.txt" or not sidecar.is_file():
        return {}, ()
    return load_origins(sidecar)


def origin_of(origins: dict[int, Origin], line: int, column: int) -> str | None:
    """The place in the original of character ``column`` of ``line``, if the plan has a line map."""
    origin = origins.get(line)
    return origin.at(column) if origin is not None else None
