"""Import a plan's source text: read, convert script, parse, derive timelines, tag.

The result is a :class:`~antitraffick_kg.plan.model.ParsedPlan`; the graph builder
turns it into RDF.  Problems the corrections file does not settle raise
:class:`~antitraffick_kg.errors.ImportProblemsError` (or are returned with
``strict=False`` so the ``import`` command can list them all).
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

from .corrections import load_corrections, load_readings
from .documents import is_document, origins_beside, read_document
from .documents_findings import scan_findings
from ..errors import ImportProblemsError, InputError, utf8_hint
from ..resources import MAX_SOURCE_MIB
from .functions import load_functions
from .model import Finding, ParsedPlan
from .parse import parse_plan
from .planinfo import PlanInfo, load_plan_info
from .registry import UnitRegistry, normalise_name
from ..resources import DEFAULT_PLAN, PlanFiles, check_plan_id, data_path, plan_files
from ..steps import Progress, quiet
from .tags import load_concepts, tag_task
from .timeline import derive_timeline

__all__ = ["import_plan", "read_source", "check_some_task", "DEFAULT_PLAN", "plan_files", "PlanFiles",
           "MAX_SOURCE_MIB"]


#: what the importer looks for, said when it finds no task
LOOKED_FOR = ("a task is a numbered heading (一、…, （一）…, 1.…) whose paragraph ends in a unit clause such as "
              "（州公安局负责，州妇联配合）, or a row of the annual table under a title ending 年度实施方案")


def read_source(path: str | Path, *, max_mib: float = MAX_SOURCE_MIB,
                drop_mark: bool = False) -> tuple[str, str, str | None]:
    """(text, sha256 of the text's UTF-8 bytes, sha256 of the original file if converted).  A UTF-8 byte-order
    mark is refused (every offset would be one character off the file's), or with ``drop_mark`` left out of the
    text (``new`` writes the plan's source.txt without it).

    Traditional-script text is converted to Simplified script one character at
    a time, so every offset into the converted text is an offset into the
    original too.  A file larger than ``max_mib`` MiB is refused before it is
    read (:class:`InputError`).
    """
    path = Path(path)
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        raise InputError("file not found", path=str(path)) from None
    except OSError:
        size = 0                        # read below, which says what is wrong
    if size > max_mib * 2**20:
        raise InputError(f"{size / 2**20:,.1f} MiB is far beyond any plan's text (the limit is {max_mib:g} MiB; "
                         "the Dehong plan is 0.07 MiB); give --max-size to read a larger one", path=str(path))
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise InputError("file not found", path=str(path)) from None
    except IsADirectoryError:
        raise InputError("is a folder, not a file", path=str(path)) from None
    if raw[:2] in (b"\xff\xfe", b"\xfe\xff") or _utf16_without_mark(raw[:4096]):
        raise InputError("UTF-16 text, not UTF-8; convert it to UTF-8 first (iconv -f UTF-16 -t UTF-8, or save it as "
                         "UTF-8)", path=str(path))
    if b"\x00" in raw[:4096]:
        raise InputError("binary file, not text", path=str(path))
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[:exc.start].count(b"\n") + 1
        raise InputError(f"not UTF-8 text (byte 0x{raw[exc.start]:02x}); {utf8_hint(raw)}",
                         path=str(path), line=line) from None
    if text.startswith("\ufeff") and drop_mark:
        text, raw = text[1:], raw[3:]
    if text.startswith("\ufeff"):
        raise InputError("starts with a byte-order mark; remove it so offsets are stable ('antitraffick-kg new' "
                         "writes the plan's source.txt without it)", path=str(path))
    if not text.strip():
        raise InputError("empty file", path=str(path))
    digest = hashlib.sha256(raw).hexdigest()
    converted = _to_simplified(text)
    if converted != text:
        return converted, hashlib.sha256(converted.encode("utf-8")).hexdigest(), digest
    return text, digest, None


def _utf16_without_mark(head: bytes) -> bool:
    """Whether bytes with no byte-order mark read as UTF-16: nine characters in ten ASCII, CJK or CJK
    punctuation, in either byte order."""
    if len(head) < 8 or len(head) % 2 or b"\x00" not in head:
        return False
    for order in ("utf-16-le", "utf-16-be"):
        try:
            text = head.decode(order)
        except UnicodeDecodeError:
            continue
        if all(ch.isprintable() or ch in "\r\n\t" for ch in text) and \
                sum("\u3000" <= ch <= "\u9fff" or "\uff00" <= ch <= "\uffef" or ch.isascii() for ch in text) \
                > 0.9 * len(text):
            return True
    return False


def _to_simplified(text: str) -> str:
    import opencc

    converter = opencc.OpenCC("t2s")
    whole = converter.convert(text)
    if len(whole) == len(text):
        return whole
    return "".join(converter.convert(ch) if len(converter.convert(ch)) == 1 else ch for ch in text)


def _beside(name: str, *places: Path | None) -> Path | None:
    for place in places:
        if place is not None and (place.parent / name).is_file():
            return place.parent / name
    return None


def import_plan(source: str | Path, *, corrections: str | Path | None = None,
                units: str | Path | None = None, info: str | Path | PlanInfo | None = None,
                plan_id: str | None = None, strict: bool = True, max_mib: float = MAX_SOURCE_MIB,
                progress: Progress = quiet) -> ParsedPlan:
    """Read and parse one plan.

    ``source``: the plan's text file.  ``corrections``: its corrections file
    (none by default).  ``units`` (the units the plan names) and ``info`` (the
    document's facts: a ``plan.toml`` or a
    :class:`~antitraffick_kg.plan.planinfo.PlanInfo`): by default ``units.csv`` and
    ``plan.toml`` beside ``source``, else beside ``corrections``; with no
    ``units.csv`` every unit name is reported unknown, with no ``plan.toml``
    the text's header must give the document number and period.
    ``plan_id``: the id used in IRIs (default: the source's folder name when
    the file is called ``source.txt``, else its stem, made a well-formed id).
    Raises :class:`InputError` for an unusable file or plan id, a file
    larger than ``max_mib`` MiB, or a text in which no task is found (see
    :func:`check_some_task`), and :class:`ImportProblemsError` for places the
    import cannot place, unless ``strict`` is false.  ``progress`` is told
    each step.
    """
    source = Path(source)
    progress(f"reading {source}")
    if is_document(source):     # a Word file, PDF, scan or web page: its text, and where each line came from
        extraction = read_document(source, max_mib=max_mib)
        text, original = _to_simplified(extraction.text), extraction.sha256
        digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
        origins, low = {o.line: o for o in extraction.origins}, extraction.low_words
    else:
        text, digest, original = read_source(source, max_mib=max_mib)
        origins, low = origins_beside(source)
    corrections = Path(corrections) if corrections is not None else None
    if info is None:
        info = _beside("plan.toml", source, corrections)
    if info is not None and not isinstance(info, PlanInfo):
        info = load_plan_info(info)
    units = Path(units) if units is not None else _beside("units.csv", source, corrections)
    # without plan.toml the units belong to no known jurisdiction; such a plan is read, never built
    jurisdiction = info.jurisdiction if info is not None else "000000"
    registry = (UnitRegistry.from_csv(units, jurisdiction=jurisdiction) if units is not None
                else UnitRegistry(path=f"(no units.csv beside {source.name})"))
    fixes = load_corrections(corrections)
    if plan_id is None:   # from the file's name, made a well-formed id
        name = source.parent.name if source.name == "source.txt" else source.stem
        plan_id = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-") or "plan"
    if original is None and origins and info is not None:
        original = info.original_sha256       # a folder made by `new` from a Word file, PDF, scan or web page
    plan = ParsedPlan(plan_id=check_plan_id(plan_id), source_path=source.name, text=text, sha256=digest,
                      converted_from=original, info=info, origins=origins)
    if units is not None:       # a text read by OCR may misread a name: a finding then, not a refusal
        _check_units(plan, registry, read_by_ocr=any(o.confidence is not None for o in origins.values()),
                     issuer=info.issuer if info is not None else None)
    progress(f"parsing {len(text):,} characters")
    parse_plan(plan, registry, fixes, load_readings(corrections))
    scan_findings(plan, registry, origins, low)
    check_some_task(plan, where=str(source))
    if plan.period:
        progress(f"timelines and tags of {len(plan.tasks):,} tasks")
        concepts = load_concepts(data_path("concepts.ttl"))
        for task in plan.tasks.values():
            derive_timeline(plan, task)
            tag_task(plan, task, concepts)
    plan.problems.sort(key=lambda p: (p.line, p.code, p.message))
    if strict and plan.problems:
        raise ImportProblemsError(str(source), plan.problems)
    plan.registry = registry
    return plan


def check_some_task(plan: ParsedPlan, *, where: str) -> None:
    """Raise :class:`InputError` when the parse of ``plan`` found no task: a plan with none is not a reading.

    The message says what the importer looked for, and what it found instead.
    """
    if plan.tasks:
        return
    headings = len(plan.areas) + sum(1 for p in plan.problems if p.code == "no-units")
    found = ("the text has no numbered heading" if any(p.code == "no-narrative" for p in plan.problems) else
             f"{headings:,} numbered heading(s) were found, none closed by a unit clause" if headings else
             "none was found")
    raise InputError(f"no task found: {LOOKED_FOR}; {found}", path=where)


def _check_units(plan: ParsedPlan, registry: UnitRegistry, *, read_by_ocr: bool = False,
                 issuer: str | None = None) -> None:
    """Every unit of ``units.csv`` is named by the text, and its function is a concept of the scheme.  A unit the
    text does not name is a finding: for a text read by OCR, misread?; else an excerpt's, left out of the graph
    (but the issuer ``plan.toml`` names, a fact of the document)."""
    scheme = load_functions()
    text = normalise_name(plan.text)
    unnamed: list[str] = []
    for line, unit in enumerate(registry, start=2):
        if unit.function and unit.function not in scheme.functions:
            raise InputError(f"unknown function '{unit.function}' for {unit.short_name}; "
                             f"known: {', '.join(scheme.functions)}", path=registry.path, line=line)
        if not any(normalise_name(name) in text for name in unit.names) and read_by_ocr:
            plan.findings.append(Finding(kind="ocr", line=1, message=f"units.csv line {line} lists "
                                         f"{unit.short_name}, which the text read by OCR does not name: misread?"))
        elif not any(normalise_name(name) in text for name in unit.names) and issuer not in unit.names:
            unnamed.append(unit.id)
            plan.findings.append(Finding(kind="unnamed-unit", line=1, message=(
                f"units.csv line {line} lists {unit.short_name}, which {plan.source_path} does not name (an "
                "excerpt, or a unit of another plan?): left out of the graph")))
    for unit_id in unnamed:
        registry.drop(unit_id)
