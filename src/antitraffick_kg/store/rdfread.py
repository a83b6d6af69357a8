"""The one reader of users' RDF files: formats by name or extension, size limits, file:line:column errors."""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING, Sequence

from ..errors import InputError, utf8_hint
from ..formats import RdfFormat, choices

if TYPE_CHECKING:
    import pyoxigraph

__all__ = ["read_files", "DEFAULT_MAX_BYTES"]

_EXTENSIONS = {".ttl": "turtle", ".turtle": "turtle", ".nt": "nt", ".trig": "trig", ".nq": "nquads",
               ".nquads": "nquads", ".jsonld": "jsonld", ".json": "jsonld"}
#: inputs larger than this are refused (exit 2) unless the caller raises the limit
DEFAULT_MAX_BYTES = 512 * 1024 * 1024


def _ox_format(path: Path, input_format: str | None):
    name = input_format or _EXTENSIONS.get(path.suffix.lower())
    if name not in choices(RdfFormat):
        raise InputError(f"unknown RDF format for '{input_format or path.suffix or path.name}'; give one of "
                         f"{', '.join(choices(RdfFormat))} with --input-format", path=str(path))
    return RdfFormat(name).oxigraph


def _hint(path: Path, reason: str) -> str:
    with open(path, "rb") as fh:
        head = fh.read(65536)
    if b"\x00" in head:
        return "; this looks like a binary file, not RDF text"
    if "UTF-8" in reason:
        return f"; RDF text must be UTF-8: {utf8_hint(head)}"
    return ""


def _load_file(store, path: Path, *, input_format: str | None, max_bytes: int) -> None:
    if not path.exists():
        raise InputError("file not found", path=str(path))
    if path.is_dir():
        raise InputError("is a folder, not an RDF file", path=str(path))
    size = path.stat().st_size
    if size > max_bytes:
        raise InputError(f"file is {size / 2**20:.0f} MiB, over the limit of {max_bytes / 2**20:.0f} MiB "
                         "(raise it with --max-size)", path=str(path))
    fmt = _ox_format(path, input_format)
    before = len(store)
    try:
        store.bulk_load(path=str(path), format=fmt)
    except SyntaxError as exc:
        reason = re.sub(r"^Parser error at line \d+ (?:between columns \d+ and \d+|column \d+): ", "", exc.msg)
        reason = "".join(c if c.isprintable() else f"\\x{ord(c):02x}" for c in reason)
        raise InputError(reason + _hint(path, reason), path=str(path), line=exc.lineno, column=exc.offset) from None
    except (OSError, ValueError) as exc:
        raise InputError(str(exc), path=str(path)) from None
    if len(store) == before:
        raise InputError("no RDF statements in the file", path=str(path))


def read_files(paths: Sequence[str | Path], *, input_format: RdfFormat | str | None = None,
               max_bytes: int = DEFAULT_MAX_BYTES) -> "pyoxigraph.Store":
    """An in-memory pyoxigraph store holding the RDF files ``paths``.

    Raises :class:`InputError` naming the file (with line and column for a
    syntax error) when a file is missing, too large, not RDF, or given twice.
    """
    import pyoxigraph as ox

    seen: dict[Path, str] = {}
    for path in paths:
        key = Path(path).resolve()
        if key in seen:
            same = "" if seen[key] == str(path) else f" (as {seen[key]})"
            raise InputError(f"given twice{same}; name each file once", path=str(path))
        seen[key] = str(path)
    store = ox.Store()
    for path in paths:
        _load_file(store, Path(path), input_format=input_format, max_bytes=max_bytes)
    return store
