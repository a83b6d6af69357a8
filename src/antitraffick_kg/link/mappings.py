"""SSSOM mapping sets in their TSV form: read, check and write them without extra libraries.

A mapping set file (``*.sssom.tsv``) is a block of ``#``-prefixed YAML metadata (the ``curie_map`` and set-level
slots) followed by a tab-separated table with one mapping per row (SSSOM 1.0). This module reads and writes the
plain subset of that YAML the project uses: ``key: value`` lines and one level of ``key:`` followed by indented
``name: value`` (a map) or ``- value`` (a list); a value may be a JSON-quoted string. The ``link`` extra
(sssom-py) is only needed by :func:`validate_sssom`, which checks a file against the SSSOM schema; the tests run it
on every file of ``data/mappings/``.

Identifiers are CURIEs. Plan tasks and measures expand under :func:`plan_prefix`, so that a Dehong task
``dehong:4.1.1`` is ``https://w3id.org/antitraffick-kg/id/plan/dehong-2022-2030/task/4.1.1``, the same IRI the
graph builder gives the task.
"""

from __future__ import annotations

import io
import json
import math
import re
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Literal

from ..errors import AntitraffickKGError, InputError

__all__ = ["MappingRow", "MappingSet", "read_sssom", "write_sssom", "validate_sssom", "plan_prefix", "expand",
           "NO_TERM_FOUND", "BUILTIN_PREFIXES", "ID_BASE"]

ID_BASE = "https://w3id.org/antitraffick-kg/id/"
#: the object (or subject) of a row that records "no match" (SSSOM 1.0)
NO_TERM_FOUND = "sssom:NoTermFound"
#: prefixes every SSSOM reader knows; a file need not declare them
BUILTIN_PREFIXES: dict[str, str] = {
    "sssom": "https://w3id.org/sssom/",
    "semapv": "https://w3id.org/semapv/vocab/",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
}
_ROW_SLOTS = ("subject_id", "subject_label", "predicate_id", "object_id", "object_label",
              "mapping_justification", "confidence", "author_id", "mapping_date", "similarity_score",
              "similarity_measure", "mapping_tool", "comment")
_REQUIRED = ("subject_id", "predicate_id", "object_id", "mapping_justification")
_ENTITY_SLOTS = ("subject_id", "predicate_id", "object_id", "mapping_justification", "author_id")
_SET_SLOTS = ("mapping_set_id", "mapping_set_version", "mapping_set_title", "mapping_set_description",
              "license", "creator_id", "mapping_date", "mapping_tool", "mapping_tool_version",
              "subject_source", "object_source", "comment")
_CURIE = re.compile(r"^([A-Za-z_][A-Za-z0-9_.-]*):(\S+)$")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def plan_prefix(plan_id: str, kind: Literal["task", "measure"]) -> str:
    """The IRI under which a plan's tasks (or measures) are named.

    >>> plan_prefix("yunnan-2021-2030", "measure")
    'https://w3id.org/antitraffick-kg/id/plan/yunnan-2021-2030/measure/'
    """
    return f"{ID_BASE}plan/{plan_id}/{kind}/"


@dataclass(frozen=True)
class MappingRow:
    """One SSSOM mapping; ``confidence`` and ``similarity_score`` lie in [0, 1]."""

    subject_id: str
    predicate_id: str
    object_id: str
    mapping_justification: str
    subject_label: str | None = None
    object_label: str | None = None
    confidence: float | None = None
    author_id: str | None = None
    mapping_date: str | None = None
    similarity_score: float | None = None
    similarity_measure: str | None = None
    mapping_tool: str | None = None
    comment: str | None = None


@dataclass(frozen=True)
class MappingSet:
    """A mapping set: its metadata, its prefixes (beyond :data:`BUILTIN_PREFIXES`) and its rows."""

    mapping_set_id: str
    license: str
    curie_map: dict[str, str]
    rows: tuple[MappingRow, ...]
    mapping_set_title: str | None = None
    mapping_set_description: str | None = None
    mapping_set_version: str | None = None
    creator_id: tuple[str, ...] = ()
    mapping_date: str | None = None
    mapping_tool: str | None = None
    mapping_tool_version: str | None = None
    subject_source: str | None = None
    object_source: str | None = None
    comment: str | None = None
    #: the 1-based file line of each row, in order (empty for a set made in memory)
    row_lines: tuple[int, ...] = field(default=(), compare=False, repr=False)

    def expand(self, curie: str) -> str:
        """The IRI a CURIE of this set stands for; raises :class:`InputError` for an unknown prefix."""
        return expand(curie, self.curie_map)


def expand(curie: str, curie_map: dict[str, str]) -> str:
    """Expand ``prefix:local`` with ``curie_map`` and the SSSOM built-in prefixes.

    >>> expand("dehong:4.1.1", {"dehong": plan_prefix("dehong-2022-2030", "task")})
    'https://w3id.org/antitraffick-kg/id/plan/dehong-2022-2030/task/4.1.1'
    """
    match = _CURIE.match(curie)
    if not match:
        raise InputError(f"'{curie}' is not a CURIE (prefix:local)")
    prefix, local = match.groups()
    base = curie_map.get(prefix) or BUILTIN_PREFIXES.get(prefix)
    if base is None:
        known = ", ".join(sorted(set(curie_map) | set(BUILTIN_PREFIXES)))
        raise InputError(f"unknown prefix '{prefix}' in '{curie}'; add it to the curie_map (known: {known})")
    return base + local


# ---------------------------------------------------------------------------------------------- writing

def _scalar(value: str) -> str:
    plain = re.match(r"^[\w./:@()\-\u3000-\u9fff\uff00-\uffef]+( [\w./()\-\u3000-\u9fff\uff00-\uffef]+)*$", value)
    return value if plain and ": " not in value and not value.endswith(":") else json.dumps(value,
                                                                                               ensure_ascii=False)


def _cell(value: object, slot: str) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:.3f}".rstrip("0").rstrip(".") if value not in (0.0, 1.0) else f"{value:.1f}"
    text = str(value)
    if "\t" in text or "\n" in text or "\r" in text:
        raise InputError(f"the {slot} value {text[:40]!r} contains a tab or line break, which SSSOM TSV cannot hold")
    return text


def write_sssom(mapping_set: MappingSet) -> str:
    """The set as SSSOM/TSV text: metadata block, then the columns that hold any value, rows in given order.

    Raises :class:`InputError` for a CURIE whose prefix is not declared or a value a TSV cell cannot hold.
    """
    for row in mapping_set.rows:
        _check_row(row, mapping_set.curie_map, where=None)
    out = io.StringIO()
    out.write("# curie_map:\n")
    for prefix in sorted(mapping_set.curie_map):
        out.write(f"#   {prefix}: {mapping_set.curie_map[prefix]}\n")
    for slot in _SET_SLOTS:
        value = getattr(mapping_set, slot)
        if isinstance(value, tuple):
            if value:
                out.write(f"# {slot}:\n" + "".join(f"#   - {_scalar(v)}\n" for v in value))
        elif value:
            out.write(f"# {slot}: {_scalar(value)}\n")
    columns = [s for s in _ROW_SLOTS if s in _REQUIRED or any(getattr(r, s) is not None for r in mapping_set.rows)]
    out.write("\t".join(columns) + "\n")
    for row in mapping_set.rows:
        out.write("\t".join(_cell(getattr(row, s), s) for s in columns) + "\n")
    return out.getvalue()


# ---------------------------------------------------------------------------------------------- reading

def _yaml_value(text: str, path: str, line: int) -> str:
    text = text.strip()
    if text.startswith('"'):
        try:
            return json.loads(text)
        except json.JSONDecodeError as exc:
            raise InputError(f"bad quoted value in the metadata block: {exc.msg}", path=path, line=line) from None
    return text


def _read_metadata(lines: list[tuple[int, str]], path: str) -> dict:
    meta: dict = {}
    current: str | None = None
    for number, raw in lines:
        body = raw[1:].rstrip()
        if not body.strip():
            continue
        indented = body.startswith("  ") or body.startswith("\t")
        body = body.strip()
        if indented and current is not None:
            if body.startswith("- "):
                if not isinstance(meta[current], list):
                    meta[current] = []
                meta[current].append(_yaml_value(body[2:], path, number))
                continue
            key, sep, value = body.partition(":")
            if sep and key and isinstance(meta[current], dict):
                meta[current][key.strip()] = _yaml_value(value, path, number)
                continue
            raise InputError(f"cannot read metadata line '{body}' under '{current}'", path=path, line=number)
        key, sep, value = body.partition(":")
        if not sep or not re.match(r"^[a-z_]+$", key):
            raise InputError(f"metadata lines must read 'slot: value', not '{body}'", path=path, line=number)
        if value.strip():
            meta[key] = _yaml_value(value, path, number)
            current = None
        else:
            meta[key], current = {}, key
    return meta


def _number(text: str, slot: str, path: str | None, line: int | None) -> float | None:
    if text == "":
        return None
    try:
        value = float(text)
    except ValueError:
        raise InputError(f"{slot} '{text}' is not a number", path=path, line=line) from None
    if math.isnan(value) or not 0.0 <= value <= 1.0:
        raise InputError(f"{slot} {text} is outside [0, 1]", path=path, line=line)
    return value


def _check_row(row: MappingRow, curie_map: dict[str, str], *, where: tuple[str, int] | None) -> None:
    path, line = where if where else (None, None)
    for slot in _ENTITY_SLOTS:
        value = getattr(row, slot)
        if value is None and slot in _REQUIRED:
            raise InputError(f"{slot} is empty", path=path, line=line)
        if value:
            try:
                expand(value, curie_map)
            except InputError as exc:
                raise InputError(f"{slot}: {exc.reason}", path=path, line=line) from None
    if not row.mapping_justification.startswith("semapv:"):
        raise InputError(f"mapping_justification '{row.mapping_justification}' is not a semapv term, e.g. "
                         "semapv:ManualMappingCuration or semapv:LexicalMatching", path=path, line=line)
    if row.mapping_date and not _DATE.match(row.mapping_date):
        raise InputError(f"mapping_date '{row.mapping_date}' is not YYYY-MM-DD", path=path, line=line)


def read_sssom(path: str | Path) -> MappingSet:
    """Read and check one ``.sssom.tsv`` file.

    Raises :class:`InputError` with the file and line for a missing or unreadable file, a metadata line
    outside the subset described above, a missing required column, a row with the wrong number of cells,
    a CURIE with an undeclared prefix, a justification outside semapv, or a confidence outside [0, 1].
    """
    path = Path(path)
    name = str(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise InputError("file not found", path=name) from None
    except IsADirectoryError:
        raise InputError("is a folder, not a file", path=name) from None
    except UnicodeDecodeError:
        raise InputError("not UTF-8 text", path=name) from None
    numbered = list(enumerate(text.splitlines(), start=1))
    head = [(n, line) for n, line in numbered if line.startswith("#")]
    body = [(n, line) for n, line in numbered if line.strip() and not line.startswith("#")]
    meta = _read_metadata(head, name)
    curie_map = meta.pop("curie_map", {}) or {}
    if not isinstance(curie_map, dict):
        raise InputError("curie_map must be a map of prefix: IRI", path=name)
    if not body:
        raise InputError("no table: expected a header row of SSSOM columns", path=name,
                         line=len(numbered) or 1)
    header_line, header = body[0]
    columns = header.split("\t")
    missing = [c for c in _REQUIRED if c not in columns]
    if missing:
        raise InputError(f"missing column(s) {', '.join(missing)}", path=name, line=header_line)
    known = {f.name for f in fields(MappingRow)}
    rows, lines = [], []
    for number, line in body[1:]:
        cells = line.split("\t")
        if len(cells) != len(columns):
            raise InputError(f"{len(cells)} cells where the header has {len(columns)}", path=name, line=number)
        values = {c: v.strip() for c, v in zip(columns, cells) if c in known}
        for slot in ("confidence", "similarity_score"):
            if slot in values:
                values[slot] = _number(values[slot], slot, name, number)
        row = MappingRow(**{k: (v if v != "" else None) for k, v in values.items()})
        _check_row(row, curie_map, where=(name, number))
        rows.append(row)
        lines.append(number)
    creators = meta.get("creator_id", ())
    kwargs = {s: meta.get(s) for s in _SET_SLOTS if s != "creator_id" and isinstance(meta.get(s), str)}
    for slot in ("mapping_set_id", "license"):
        if not kwargs.get(slot):
            raise InputError(f"the metadata block has no {slot}", path=name, line=1)
    return MappingSet(curie_map=dict(curie_map), rows=tuple(rows), row_lines=tuple(lines),
                      creator_id=tuple(creators) if isinstance(creators, list) else (creators,) if creators else (),
                      **kwargs)


def validate_sssom(path: str | Path) -> None:
    """Validate a file with sssom-py (the ``link`` extra): SSSOM schema, complete prefix map, strict CURIEs.

    Raises :class:`InputError` naming the file and sssom-py's messages when the file does not pass, and
    :class:`AntitraffickKGError` naming the extra when sssom-py is not installed.
    """
    try:
        from sssom.parsers import parse_sssom_table
        from sssom.validators import validate
    except ImportError:
        raise AntitraffickKGError("sssom-py is not installed; install it with pip install "
                                  "'antitraffick-kg[link]'") from None
    import logging

    name = str(path)
    read_sssom(path)   # our own checks first: they name the line
    quiet = logging.getLogger().level
    logging.getLogger().setLevel(logging.CRITICAL)
    try:
        reports = validate(parse_sssom_table(path), fail_on_error=False)
    except Exception as exc:   # sssom-py raises pandas, yaml and linkml errors alike
        raise InputError(f"sssom-py cannot read it: {exc}", path=name) from None
    finally:
        logging.getLogger().setLevel(quiet)
    problems = [r.message for report in reports.values() for r in report.results]
    if problems:
        more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
        raise InputError(f"not valid SSSOM: {problems[0]}{more}", path=name)
