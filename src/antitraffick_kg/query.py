"""Run SELECT queries on the plan and format the rows."""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path
from typing import Literal

from .catalogue import get_query
from .errors import QueryError
from .importer import DEFAULT_PLAN

__all__ = ["query", "format_rows", "OutputFormat", "OUTPUT_FORMATS", "Rows"]

OutputFormat = Literal["table", "csv", "tsv", "json"]
OUTPUT_FORMATS = ("table", "csv", "tsv", "json")
Rows = list[dict[str, str | None]]


def _natural(value: str | None):
    if value is None:
        return ((0, ""),)
    return tuple((1, int(p)) if p.isdigit() else (2, p) for p in re.split(r"(\d+)", value) if p)


def _sort(columns: list[str], rows: Rows) -> Rows:
    return sorted(rows, key=lambda r: tuple(_natural(r.get(c)) for c in columns))


def query(name: str, *, plan: str = DEFAULT_PLAN, build_dir: str | Path = "build") -> tuple[list[str], Rows]:
    """Run catalogue query ``name`` (or a ``.rq`` path) on the plan; returns (columns, rows).

    Rows are sorted on their columns in natural order, so every run gives the same order.
    """
    import pyoxigraph as ox

    from .pipeline import built_nquads

    q = get_query(name)
    store = ox.Store()
    store.load(built_nquads(plan, out_dir=build_dir), format=ox.RdfFormat.N_QUADS)
    try:
        result = store.query(q.text, use_default_graph_as_union=True)
    except SyntaxError as exc:
        raise QueryError(f"{q.path}: {exc}") from None
    if not isinstance(result, ox.QuerySolutions):
        raise QueryError(f"{q.path}: only SELECT queries are supported here")
    columns = [v.value for v in result.variables]
    rows = [{c: (s[c].value if s[c] is not None else None) for c in columns} for s in result]
    return columns, _sort(columns, rows)


def format_rows(columns: list[str], rows: Rows, fmt: OutputFormat) -> str:
    if fmt == "json":
        return json.dumps(rows, ensure_ascii=False, indent=2) + "\n"
    if fmt in ("csv", "tsv"):
        buf = io.StringIO()
        writer = csv.writer(buf, delimiter="," if fmt == "csv" else "\t", lineterminator="\n")
        writer.writerow(columns)
        for r in rows:
            writer.writerow(["" if r[c] is None else r[c] for c in columns])
        return buf.getvalue()
    if fmt == "table":
        return _table(columns, rows)
    raise QueryError(f"unknown output format '{fmt}'; choose one of {', '.join(OUTPUT_FORMATS)}")


def _width(text: str) -> int:
    import unicodedata

    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _table(columns: list[str], rows: Rows) -> str:
    cells = [[c for c in columns]] + [["" if r[c] is None else r[c] for c in columns] for r in rows]
    widths = [max(_width(row[i]) for row in cells) for i in range(len(columns))]

    def line(row):
        return "  ".join(v + " " * (w - _width(v)) for v, w in zip(row, widths)).rstrip()

    out = [line(cells[0]), "  ".join("-" * w for w in widths)]
    out += [line(r) for r in cells[1:]]
    out.append(f"({len(rows)} rows)")
    return "\n".join(out) + "\n"
