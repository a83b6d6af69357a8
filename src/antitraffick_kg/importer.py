"""Import a plan's source text: read, convert script, parse, derive timelines, tag.

The result is a :class:`~antitraffick_kg.model.ParsedPlan`; the graph builder
turns it into RDF.  Problems the corrections file does not settle raise
:class:`~antitraffick_kg.errors.ImportProblemsError` (or are returned with
``strict=False`` so the ``import`` command can list them all).
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from .corrections import load_corrections, load_readings
from .errors import ImportProblemsError, InputError, utf8_hint
from .model import ParsedPlan
from .parse import parse_plan
from .registry import UnitRegistry
from .resources import data_path
from .tags import load_concepts, tag_task
from .timeline import derive_timeline

__all__ = ["import_plan", "read_source", "DEFAULT_PLAN", "plan_files"]

DEFAULT_PLAN = "dehong-2022-2030"


def plan_files(plan_id: str) -> tuple[Path, Path | None]:
    """The source text and corrections file of a plan kept under ``data/<plan_id>/``."""
    folder = data_path(plan_id)
    source = folder / "source.txt"
    if not source.is_file():
        known = sorted(p.parent.name for p in data_path().glob("*/source.txt"))
        raise InputError(f"no plan '{plan_id}' under data/; known plans: {', '.join(known)}")
    corrections = folder / "corrections.toml"
    return source, corrections if corrections.is_file() else None


def read_source(path: str | Path) -> tuple[str, str, str | None]:
    """(text, sha256 of the text's UTF-8 bytes, sha256 of the original file if converted).

    Traditional-script text is converted to Simplified script one character at
    a time, so every offset into the converted text is an offset into the
    original too.
    """
    path = Path(path)
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise InputError("file not found", path=str(path)) from None
    except IsADirectoryError:
        raise InputError("is a folder, not a file", path=str(path)) from None
    if b"\x00" in raw[:4096]:
        raise InputError("binary file, not text", path=str(path))
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[:exc.start].count(b"\n") + 1
        raise InputError(f"not UTF-8 text (byte 0x{raw[exc.start]:02x}); {utf8_hint(raw)}",
                         path=str(path), line=line) from None
    if text.startswith("\ufeff"):
        raise InputError("starts with a byte-order mark; remove it so offsets are stable", path=str(path))
    if not text.strip():
        raise InputError("empty file", path=str(path))
    digest = hashlib.sha256(raw).hexdigest()
    converted = _to_simplified(text)
    if converted != text:
        return converted, hashlib.sha256(converted.encode("utf-8")).hexdigest(), digest
    return text, digest, None


def _to_simplified(text: str) -> str:
    import opencc

    converter = opencc.OpenCC("t2s")
    whole = converter.convert(text)
    if len(whole) == len(text):
        return whole
    return "".join(converter.convert(ch) if len(converter.convert(ch)) == 1 else ch for ch in text)


def import_plan(source: str | Path, *, corrections: str | Path | None = None,
                units: str | Path | None = None, plan_id: str | None = None,
                strict: bool = True) -> ParsedPlan:
    """Read and parse one plan.

    ``source``: the plan's text file.  ``corrections``: its corrections file
    (none by default).  ``units``: the unit registry CSV (the project's
    ``data/units.csv`` by default).  ``plan_id``: the id used in IRIs (default:
    the source's folder name when the file is called ``source.txt``, else its
    stem).  Raises :class:`InputError` for an unusable file and
    :class:`ImportProblemsError` for places the import cannot place, unless
    ``strict`` is false.
    """
    source = Path(source)
    text, digest, original = read_source(source)
    registry = UnitRegistry.from_csv(units or data_path("units.csv"))
    fixes = load_corrections(corrections)
    if plan_id is None:
        plan_id = source.parent.name if source.name == "source.txt" else source.stem
    plan = ParsedPlan(plan_id=plan_id, source_path=source.name, text=text, sha256=digest,
                      converted_from=original)
    parse_plan(plan, registry, fixes, load_readings(corrections))
    if plan.period:
        concepts = load_concepts(data_path("concepts.ttl"))
        for task in plan.tasks.values():
            derive_timeline(plan, task)
            tag_task(plan, task, concepts)
    plan.problems.sort(key=lambda p: (p.line, p.code, p.message))
    if strict and plan.problems:
        raise ImportProblemsError(str(source), plan.problems)
    plan.registry = registry
    return plan
