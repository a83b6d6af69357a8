"""Read RDF files a user names, with one-line errors that say where.

The format comes from the file name: ``.ttl``, ``.nt``, ``.trig``, ``.nq``,
``.jsonld``/``.json``.  A syntax error becomes an :class:`InputError` with the
file, line and (where the parser knows it) column.
"""

from __future__ import annotations

import re
from pathlib import Path

from .errors import InputError

__all__ = ["RDF_SUFFIXES", "read_rdf", "rdf_format"]

RDF_SUFFIXES = {".ttl": "turtle", ".nt": "nt", ".trig": "trig", ".nq": "nquads", ".jsonld": "json-ld",
                ".json": "json-ld"}
_QUADS = {"trig", "nquads", "json-ld"}


def rdf_format(path: Path) -> str:
    fmt = RDF_SUFFIXES.get(path.suffix.lower())
    if fmt is None:
        raise InputError(f"unknown RDF format '{path.suffix or '(no suffix)'}'; use one of "
                         f"{', '.join(sorted(RDF_SUFFIXES))}", path=str(path))
    return fmt


def read_rdf(paths: list[str | Path]):
    """Parse the files into one rdflib ``Dataset`` (triples of triple formats go to the default graph)."""
    from rdflib import Dataset

    ds = Dataset(default_union=True)
    for raw in paths:
        path = Path(raw)
        fmt = rdf_format(path)
        if not path.is_file():
            raise InputError("file not found", path=str(path))
        data = path.read_bytes()
        if not data.strip():
            raise InputError("empty file", path=str(path))
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise InputError(f"not UTF-8 text (byte 0x{data[exc.start]:02x})", path=str(path),
                             line=data[:exc.start].count(b"\n") + 1) from None
        try:
            if fmt in _QUADS:
                ds.parse(data=text, format=fmt, publicID=path.resolve().as_uri())
            else:
                ds.default_graph.parse(data=text, format=fmt, publicID=path.resolve().as_uri())
        except Exception as exc:  # rdflib raises many kinds; all mean the same to the user
            line, column = _where(exc, text)
            why = getattr(exc, "_why", None) or str(exc).strip() or type(exc).__name__
            message = str(why).strip().splitlines()[-1] if isinstance(why, str) else str(why)
            raise InputError(f"cannot parse as {fmt}: {message[:200]}", path=str(path), line=line,
                             column=column) from None
    return ds


def _where(exc: Exception, text: str) -> tuple[int | None, int | None]:
    lines = getattr(exc, "lines", None)
    if isinstance(lines, int):
        argstr, i = getattr(exc, "_str", None), getattr(exc, "_i", None)
        column = None
        if isinstance(argstr, (str, bytes)) and isinstance(i, int):
            start = argstr.rfind("\n" if isinstance(argstr, str) else b"\n", 0, i) + 1
            column = i - start + 1
        return lines + 1, column
    m = re.search(r"line (\d+)(?:,? column (\d+))?", str(exc))
    if m:
        return int(m.group(1)), int(m.group(2)) if m.group(2) else None
    m = re.search(r"Invalid line(?: \(.*?\))?: (.+)$", str(exc).strip().splitlines()[0] if str(exc).strip() else "")
    if m:
        for number, line in enumerate(text.splitlines(), start=1):
            if line.strip().endswith(m.group(1).strip()):
                return number, None
    return None, None
