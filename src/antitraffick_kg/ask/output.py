"""A query's answer as text: rows as a table, CSV, TSV or JSON, an ASK as true or false, triples as Turtle or
N-Triples."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Mapping, Sequence

import pyoxigraph as ox

from ..errors import QueryError
from ..formats import RowFormat, choices

__all__ = ["format_answer", "format_rows", "format_triples"]

_ATK = "https://w3id.org/antitraffick-kg/ontology#"
_SKOS = "http://www.w3.org/2004/02/skos/core#"
_XSD = "http://www.w3.org/2001/XMLSchema#"
_CONCEPT = "https://w3id.org/antitraffick-kg/id/concept/"


# -- output ------------------------------------------------------------------------
#: the prefixes a graph answer is written with in Turtle
_PREFIXES = {"atk": _ATK, "skos": _SKOS, "xsd": _XSD, "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
             "rdfs": "http://www.w3.org/2000/01/rdf-schema#", "dcterms": "http://purl.org/dc/terms/",
             "org": "http://www.w3.org/ns/org#", "eli": "http://data.europa.eu/eli/ontology#",
             "concept": _CONCEPT, "id": "https://w3id.org/antitraffick-kg/id/"}


def format_answer(result, fmt: str) -> str:
    """A query's answer (a :class:`~antitraffick_kg.ask.query.QueryResult`) as text: rows as :func:`format_rows` writes them (``table``, ``csv``, ``tsv``,
    ``json``), an ASK as ``true`` or ``false``, triples as Turtle (``turtle``, and ``table`` as the default)
    or N-Triples (``nt``).  A format the answer cannot take raises :class:`QueryError`."""
    if result.form == "ASK":
        if fmt in ("turtle", "nt"):
            raise QueryError(f"{result.query} is an ASK query, answered true or false: -f {fmt} writes triples")
        return ("true" if result.boolean else "false") + "\n"
    if result.form in ("CONSTRUCT", "DESCRIBE"):
        if fmt not in ("turtle", "nt", "table"):
            raise QueryError(f"{result.query} is a {result.form} query, answered with triples: give -f turtle "
                             f"or -f nt, not -f {fmt}")
        return format_triples(result.triples, "nt" if fmt == "nt" else "turtle")
    if fmt in ("turtle", "nt"):
        raise QueryError(f"{result.query} is a SELECT query, answered with rows: -f {fmt} writes triples; "
                         "give -f table, csv, tsv or json")
    return format_rows(result.columns, result.rows, fmt)


def format_triples(triples: Sequence[ox.Triple], fmt: str = "turtle") -> str:
    """``triples`` as Turtle (with the ontology's usual prefixes) or N-Triples (``nt``), in the order given."""
    if fmt == "nt":
        return ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES).decode("utf-8")
    return ox.serialize(triples, format=ox.RdfFormat.TURTLE, prefixes=_PREFIXES).decode("utf-8")


def format_rows(columns: Sequence[str], rows: Sequence[Mapping[str, str | None]], fmt: RowFormat | str) -> str:
    """Rows as an aligned table (with a row count), CSV, TSV or JSON (a list of objects)."""
    if fmt == "json":
        return json.dumps([dict(r) for r in rows], ensure_ascii=False, indent=2) + "\n"
    if fmt in ("csv", "tsv"):
        buf = io.StringIO()
        writer = csv.writer(buf, delimiter="," if fmt == "csv" else "\t", lineterminator="\n")
        writer.writerow(columns)
        for r in rows:
            writer.writerow(["" if r[c] is None else r[c] for c in columns])
        return buf.getvalue()
    if fmt == "table":
        return _table(columns, rows)
    raise QueryError(f"unknown output format '{fmt}'; choose one of {', '.join(choices(RowFormat))}")


def _width(text: str) -> int:
    import unicodedata

    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _table(columns: Sequence[str], rows: Sequence[Mapping[str, str | None]]) -> str:
    cells = [list(columns)] + [["" if r[c] is None else " ".join(r[c].split()) for c in columns] for r in rows]
    widths = [max(_width(row[i]) for row in cells) for i in range(len(columns))]

    def line(row: list[str]) -> str:
        return "  ".join(v + " " * (w - _width(v)) for v, w in zip(row, widths)).rstrip()

    out = [line(cells[0]), "  ".join("-" * w for w in widths)]
    out += [line(r) for r in cells[1:]]
    out.append(f"({len(rows)} row)" if len(rows) == 1 else f"({len(rows)} rows)")
    return "\n".join(out) + "\n"
