"""Word files: .docx through python-docx; .doc and .wps converted to .docx by LibreOffice headless first.

The body is read in order: each paragraph is a line (a manual line break starts another; a paragraph Word numbers
itself, as a list or by its style, starts with the number Word shows), each table row a line with its cells
separated by tabs.  A cell merged over several grid columns gives its text once, then an empty
cell for each further column it covers, so that the columns of every row stay in place; a cell merged down over
several rows (工作项目 over the rows of its area) gives its text in the first row and an empty cell in the others,
as the text importer reads a table whose area is written once.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
import zipfile
from pathlib import Path

from ..errors import InputError
from .documents_model import Piece, cell_line, need
from .documents_numbering import ListNumbers

__all__ = ["read_word", "office_convert"]

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def office_convert(path: Path, *, to: str, timeout: float = 300) -> bytes:
    """The bytes of ``path`` converted by LibreOffice headless to the format ``to`` (e.g. ``docx``, ``pdf``).

    LibreOffice runs with a profile of its own in a temporary folder, so that conversions in parallel do not
    share one.  Raises :class:`InputError` when LibreOffice is not installed or cannot read the file.
    """
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        raise InputError(f"reading a {path.suffix} file needs LibreOffice: apt-get install "
                         "libreoffice-writer-nogui (or convert it to .docx)", path=str(path))
    with tempfile.TemporaryDirectory(prefix="atk-office-") as tmp:
        work = Path(tmp)
        try:
            done = subprocess.run([soffice, "--headless", "--norestore",
                                   f"-env:UserInstallation={(work / 'profile').as_uri()}",
                                   "--convert-to", to, "--outdir", str(work / "out"), str(path.resolve())],
                                  capture_output=True, text=True, timeout=timeout, stdin=subprocess.DEVNULL)
        except subprocess.TimeoutExpired:
            raise InputError(f"LibreOffice did not convert the file within {timeout:g} s", path=str(path)) from None
        out = list((work / "out").glob(f"*.{to.split(':')[0]}")) if (work / "out").is_dir() else []
        if done.returncode != 0 or not out:
            said = " ".join((done.stderr or done.stdout or "").split())[:200]
            raise InputError(f"LibreOffice could not read this file{': ' + said if said else ''}", path=str(path))
        return out[0].read_bytes()


def read_word(path: Path) -> tuple[list[Piece], int]:
    """The lines of a Word file (.docx; .doc and .wps through LibreOffice) and its number of pages (1: a Word
    file has no fixed pages)."""
    docx = need("docx", what="a Word file")
    if path.suffix.lower() in (".doc", ".wps"):
        import io
        source = io.BytesIO(office_convert(path, to="docx"))
    else:
        if not zipfile.is_zipfile(path):
            raise InputError("not a Word .docx file (not a zip archive; a .doc saved under the name .docx?)",
                             path=str(path))
        source = str(path)
    try:
        document = docx.Document(source)
    except Exception as exc:          # python-docx raises KeyError, ValueError, lxml errors for a broken file
        raise InputError(f"not a readable Word .docx file ({type(exc).__name__}: {str(exc)[:120]})",
                         path=str(path)) from None
    pieces: list[Piece] = []
    paragraphs = tables = 0
    numbers = ListNumbers(document)
    for element in _blocks(document.element.body):
        if element.tag == f"{_W}p":
            paragraphs += 1
            text = numbers.label(element) + _paragraph_text(element)      # (a list's number Word shows)
            for part in text.split("\n"):
                pieces.append(Piece(part, f"paragraph {paragraphs}"))
        elif element.tag == f"{_W}tbl":
            tables += 1
            for number, cells in enumerate(_table_rows(element), start=1):
                line, starts = cell_line(cells)
                pieces.append(Piece(line, f"table {tables}, row {number}", cells=starts))
    return pieces, 1


def _blocks(parent):
    """The paragraphs and tables of ``parent`` in order, those inside a content control (``w:sdt``, a form field)
    too, but not a building block's (a table of contents or a cover page Word makes)."""
    for element in parent.iterchildren():
        if element.tag == f"{_W}sdt":
            if element.find(f"{_W}sdtPr/{_W}docPartObj") is not None:
                continue                # a building block: a table of contents, a cover page (no words of the plan)
            content = element.find(f"{_W}sdtContent")
            if content is not None:
                yield from _blocks(content)
        else:
            yield element


def _shown(node) -> bool:
    """Whether a run's text is the document as its changes are accepted and as Word shows it: not the old place of
    a moved passage (``w:moveFrom``; deleted text is ``w:delText``, never read), not hidden (``w:vanish``)."""
    for ancestor in node.iterancestors():
        if ancestor.tag == f"{_W}moveFrom":
            return False
        if ancestor.tag == f"{_W}r":
            vanish = ancestor.find(f"{_W}rPr/{_W}vanish")
            if vanish is not None and vanish.get(f"{_W}val", "true") not in ("0", "false", "off"):
                return False
        if ancestor.tag == f"{_W}p":
            return True
    return True


def _paragraph_text(p) -> str:
    """A paragraph's text: runs, tabs as spaces, manual breaks as line breaks; tracked changes read as accepted
    and hidden text left out (:func:`_shown`)."""
    out = []
    for node in p.iter(f"{_W}t", f"{_W}tab", f"{_W}br", f"{_W}cr"):
        if not _shown(node):
            continue
        if node.tag == f"{_W}t":
            out.append(node.text or "")
        elif node.tag == f"{_W}tab":
            out.append(" ")
        else:
            out.append("\n")
    return "".join(out)


def _cell_text(tc) -> str:
    return " ".join(t for t in (_paragraph_text(p).replace("\n", " ").strip()
                                for p in _blocks(tc) if p.tag == f"{_W}p") if t)


def _table_rows(tbl) -> list[list[str]]:
    """Each row's cells on the table's grid: a merged cell's text once, empty cells for the rest it covers."""
    rows = []
    for tr in tbl.iterchildren(f"{_W}tr"):
        cells: list[str] = []
        before = tr.find(f"{_W}trPr/{_W}gridBefore")
        if before is not None:
            cells.extend([""] * int(before.get(f"{_W}val", "0")))
        for tc in tr.iterchildren(f"{_W}tc"):
            props = tc.find(f"{_W}tcPr")
            span, continued = 1, False
            if props is not None:
                grid = props.find(f"{_W}gridSpan")
                span = int(grid.get(f"{_W}val", "1")) if grid is not None else 1
                vmerge = props.find(f"{_W}vMerge")
                continued = vmerge is not None and vmerge.get(f"{_W}val", "continue") == "continue"
            cells.append("" if continued else _cell_text(tc))
            cells.extend([""] * (span - 1))
        rows.append(cells)
    return rows
