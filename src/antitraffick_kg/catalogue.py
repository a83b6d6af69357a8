"""The query catalogue: ``queries/*.rq`` files with a header comment.

Header lines at the top of each file::

    # title: 中文标题 | English title
    # description: one line
    # parameters: none   (or: name (type, default X): meaning; ...)
    # columns: a (meaning), b (meaning)
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from .errors import QueryError, UnknownQueryError
from .resources import queries_path

__all__ = ["CatalogueQuery", "catalogue", "get_query", "read_query"]

_HEADER = re.compile(r"^#\s*(title|description|parameters|columns)\s*:\s*(.*)$")


@dataclass(frozen=True)
class CatalogueQuery:
    name: str
    path: Path
    title: str
    description: str
    parameters: str
    columns: str
    text: str


def read_query(path: str | Path) -> CatalogueQuery:
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise QueryError(f"{path}: query file not found") from None
    except UnicodeDecodeError:
        raise QueryError(f"{path}: not UTF-8 text") from None
    fields: dict[str, str] = {}
    for line in text.splitlines():
        if not line.startswith("#"):
            break
        if (m := _HEADER.match(line)):
            fields[m.group(1)] = m.group(2).strip()
    return CatalogueQuery(path.stem, path, fields.get("title", ""), fields.get("description", ""),
                          fields.get("parameters", ""), fields.get("columns", ""), text)


def catalogue() -> list[CatalogueQuery]:
    """Every catalogue query, by name."""
    return [read_query(p) for p in sorted(queries_path().glob("*.rq"))]


def get_query(name_or_path: str) -> CatalogueQuery:
    """A catalogue query by name, or any ``.rq`` file by path."""
    if name_or_path.endswith(".rq"):
        return read_query(name_or_path)
    path = queries_path() / f"{name_or_path}.rq"
    if not path.is_file():
        raise UnknownQueryError(name_or_path, available=[q.name for q in catalogue()])
    return read_query(path)
