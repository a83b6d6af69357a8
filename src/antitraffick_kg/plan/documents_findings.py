"""What a scan leaves uncertain, as findings: the words OCR read with low confidence, unit names one or two
characters from a known unit's (州公安司 for 州公安局), and every reading the scan's reader put right by a rule of
the genre (a bracket, a heading's 、, a stray quotation mark), each with its place on the page.

A near-miss name is not taken for the unit it resembles: its assignment is left out, and the finding says which
unit it is close to, so that a ``[[reading]]`` entry in ``corrections.toml`` can record what the page says.
"""

from __future__ import annotations

import difflib
import re

from .documents_model import LowWord, Origin
from .model import Finding, ParsedPlan, Span
from .registry import UnitRegistry

__all__ = ["scan_findings"]

_UNKNOWN = re.compile(r"unknown unit '([^']+)' in the (lead|support) list")
#: how alike (difflib's ratio) a name must be to a known unit's to be taken for a misreading of it
NEAR = 0.7


def scan_findings(plan: ParsedPlan, registry: UnitRegistry, origins: dict[int, Origin],
                  low: tuple[LowWord, ...]) -> None:
    """Add to ``plan.findings`` one ``ocr-repair`` finding per reading the scan's reader put right (the
    :class:`~.documents_model.Repair` of each line's origin), one ``ocr`` finding per low-confidence word (but a word a ``[[reading]]`` of
    ``corrections.toml`` has read, which is its own finding already), and move each unknown unit name
    close to a known one from ``plan.problems`` to the findings (only for a text read by OCR: ``origins`` with
    confidences)."""
    if not any(o.confidence is not None for o in origins.values()):
        return
    _repair_findings(plan, origins)
    _open_cells(plan, origins)
    _unread_clauses(plan, registry, origins)
    settled = [f.span for f in plan.findings if f.kind == "garbled" and f.span]   # [[reading]] entries
    starts = [0]
    for m in re.finditer("\n", plan.text):
        starts.append(m.end())
    for w in low:
        if w.line > len(starts):
            continue
        start = starts[w.line - 1] + w.column
        if plan.text[start:start + len(w.word)] != w.word or any(
                s.start < start + len(w.word) and start < s.end for s in settled):
            continue
        where = origins[w.line].at(w.column) if w.line in origins else f"line {w.line}"
        plan.findings.append(Finding(kind="ocr", line=w.line, span=Span(start, start + len(w.word)),
                                     message=f"OCR read '{w.word}' with confidence {w.confidence:.0f} of 100 "
                                             f"({where}); compare it with the page, and record what it says "
                                             "as a [[reading]] in corrections.toml"))
    kept = []
    for p in plan.problems:
        m = _UNKNOWN.search(p.message) if p.code == "unknown-unit" else None
        near = difflib.get_close_matches(m.group(1), [n for u in registry for n in u.names], n=1,
                                             cutoff=NEAR) if m else []
        if not near:
            kept.append(p)
            continue
        origin = origins.get(p.line)
        where = f" ({origin.place})" if origin is not None else ""
        plan.findings.append(Finding(kind="ocr", line=p.line,
                                     message=f"OCR read the {m.group(2)} unit '{m.group(1)}'{where}, close to "
                                             f"{near[0]}: a misreading? Its assignment is left out; record "
                                             "the reading in corrections.toml"))
    plan.problems[:] = kept


_RULES = {"bracket": "〈 〉 are no brackets of the genre: （ ）",
          "heading-bracket": "the opening bracket of a numbered heading",
          "heading-reread": "a heading's number read again at other sizes of the page's image",
          "section-comma": "a section heading's numeral takes 、",
          "stray-quote": "a quotation mark the cell pairs with none is left out",
          "cell-start": "no cell begins with a closing mark or a dash: left out"}


def _repair_findings(plan: ParsedPlan, origins: dict[int, Origin]) -> None:
    """One ``ocr-repair`` finding per repair: the line, the text read and the text used, the place on the
    page; its span is the text used (none where the text was left out)."""
    starts = [0] + [m.end() for m in re.finditer("\n", plan.text)]
    for line, origin in sorted(origins.items()):
        for r in origin.repairs:
            if line > len(starts):
                continue
            start = starts[line - 1] + r.column
            span = Span(start, start + len(r.used)) if r.used and \
                plan.text[start:start + len(r.used)] == r.used else None
            plan.findings.append(Finding(
                kind="ocr-repair", line=line, span=span,
                message=f"OCR read '{r.read}' ({origin.at(r.column)}); the text has "
                        + (f"'{r.used}'" if r.used else "nothing there") + f" ({r.kind}: {_RULES[r.kind]}); compare it with the page"))


def _open_cells(plan: ParsedPlan, origins: dict[int, Origin]) -> None:
    """One ``ocr`` finding per table cell read by OCR that ends in 、: no list of the genre ends so, and a name
    on the cell's last printed line may be lost (Tesseract drops a short last line)."""
    lines = plan.text.split("\n")
    for line, origin in sorted(origins.items()):
        if not origin.cells or origin.confidence is None or line > len(lines):
            continue
        for number, (start, cell) in enumerate(zip(origin.cells, lines[line - 1].split("\t")), start=1):
            if cell.rstrip().endswith("、"):
                where = origin.at(start)
                plan.findings.append(Finding(kind="ocr", line=line,
                                             message=f"OCR read a list ending in 、 ({where}): a name after it "
                                                     f"lost? '{cell[-16:]}'; compare it with the page"))


#: a bracketed passage at the end of a line (a unit clause, as the genre closes a task's paragraph)
_LAST_BRACKETS = re.compile(r"[（(〈]([^（(〈]{2,200})[)）〉]\s*$")


def _unread_clauses(plan: ParsedPlan, registry: UnitRegistry, origins: dict[int, Origin]) -> None:
    """One ``ocr`` finding per paragraph read by OCR that ends in a bracketed passage naming a known unit where
    the importer read no unit clause (a role word misread, 本合 for 配合): its assignments are not in the graph."""
    stated = {m.line for t in plan.tasks.values() for m in t.mentions if m.part == "narrative"}
    names = sorted({n for u in registry for n in u.names if len(n) >= 3}, key=len, reverse=True)
    for line, text in enumerate(plan.text.split("\n"), start=1):
        origin = origins.get(line)
        if origin is None or origin.confidence is None or origin.cells or line in stated:
            continue
        m = _LAST_BRACKETS.search(text)
        if m and any(name in m.group(1) for name in names):
            plan.findings.append(Finding(kind="ocr", line=line, message=(
                f"OCR read a passage naming units that is no unit clause the importer knows ({origin.place}): "
                f"'{m.group(0)[-24:]}'; a role word (负责, 配合) misread? compare it with the page")))
