"""What a scan leaves uncertain, as findings: the words OCR read with low confidence, and unit names one or two
characters from a known unit's (州公安司 for 州公安局), each with its place on the page.

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
    """Add to ``plan.findings`` one ``ocr`` finding per low-confidence word (but a word a ``[[reading]]`` of
    ``corrections.toml`` has read, which is its own finding already), and move each unknown unit name
    close to a known one from ``plan.problems`` to the findings (only for a text read by OCR: ``origins`` with
    confidences)."""
    if not any(o.confidence is not None for o in origins.values()):
        return
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
