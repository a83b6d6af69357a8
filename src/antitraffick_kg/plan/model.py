"""Plain records that the importer produces and the graph builder reads.

They hold character offsets into the source text, never copies that could
drift from it: ``text[span.start:span.end]`` is the quote.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field
from typing import Literal

from .planinfo import PlanInfo
from .registry import Unit

__all__ = [
    "Span", "Mention", "Problem", "Finding", "Area", "Statement", "ProgressCell",
    "Milestone", "ConceptMention", "Task", "Membership", "ParsedPlan",
    "Part", "Role", "PARTS", "INCOMPLETE",
]

Part = Literal["narrative", "table"]
Role = Literal["lead", "support"]
PARTS: tuple[Part, Part] = ("narrative", "table")


@dataclass(frozen=True, order=True)
class Span:
    """Half-open character range ``[start, end)`` of the source text."""

    start: int
    end: int


@dataclass(frozen=True)
class Mention:
    """A unit named in a lead or support list."""

    written: str          # as written, white space removed
    unit: Unit
    role: Role
    part: Part
    span: Span
    position: int         # 1-based position in its list
    line: int


@dataclass(frozen=True)
class Problem:
    """A place the import could not place; fatal unless a correction covers it."""

    line: int
    message: str
    code: str             # short machine-readable kind, e.g. "unknown-unit"


#: finding kinds that say the text read is incomplete (a clause cut off; the text stopping in an item's words before
#: its clause, or inside a row of the annual table): the plan is built with what is
#: complete, and ``import``, ``new`` and ``build`` exit 1
INCOMPLETE = frozenset({"cut-clause", "cut-text"})


@dataclass(frozen=True)
class Finding:
    """Something the document itself gets wrong or leaves open, kept as data."""

    kind: Literal["numbering", "correction", "title", "garbled", "open-list", "excerpt", "cut-clause", "ocr",
                  "ocr-repair", "goal", "timeline", "unnamed-unit", "cut-text", "no-row",
                  "unread-clause"]
    message: str
    line: int
    span: Span | None = None
    task: str | None = None


@dataclass
class Area:
    """A section or subsection (policy area)."""

    notation: str
    written: str          # number as written, e.g. "四" or "四(一)"
    title: str
    span: Span            # the heading
    line: int
    parent: str | None = None


@dataclass(frozen=True)
class Statement:
    part: Part
    span: Span
    line: int


@dataclass(frozen=True)
class ProgressCell:
    span: Span
    column_year: int
    position: int
    line: int


@dataclass(frozen=True)
class Milestone:
    kind: Literal["deadline", "ongoing", "recurring"]
    year: int
    until: int | None
    basis: Literal["stated", "after-preceding", "plan-start"]
    span: Span            # the phrase that states it
    line: int
    recurrence: str | None = None
    part: Part = "table"  # the annual table, or the narrative for a task the table has no row for
    month: int | None = None   # a deadline's month (2025年6月底前), where it states one


@dataclass(frozen=True)
class ConceptMention:
    concept: str          # concept IRI
    scheme: Literal["place", "target-group", "sector"]
    part: Part
    term: str
    span: Span


@dataclass
class Task:
    notation: str
    title: str
    area: str
    narrative_number: str | None = None
    table_number: str | None = None
    statements: dict[str, Statement] = field(default_factory=dict)
    mentions: list[Mention] = field(default_factory=list)
    progress: list[ProgressCell] = field(default_factory=list)
    milestones: list[Milestone] = field(default_factory=list)
    concepts: list[ConceptMention] = field(default_factory=list)
    target_year: int | None = None


@dataclass(frozen=True)
class Membership:
    unit: Unit
    span: Span
    position: int
    line: int


@dataclass
class ParsedPlan:
    """Everything the import read from one plan's source text."""

    plan_id: str
    source_path: str
    text: str
    sha256: str
    converted_from: str | None
    doc_number: tuple[str, Span] | None = None
    title: tuple[str, Span] | None = None
    issuer: tuple[Unit, Span | None] | None = None    # span None: from plan.toml
    scheme_title: tuple[str, Span] | None = None
    table_title: tuple[str, Span] | None = None
    implements: tuple[str, str, Span] | None = None   # (doc number, title, span)
    period: tuple[int, int, Span | None] | None = None   # span None: from plan.toml
    areas: dict[str, Area] = field(default_factory=dict)
    tasks: dict[str, Task] = field(default_factory=dict)
    members: list[Membership] = field(default_factory=list)
    office: tuple[Unit, Unit, Span] | None = None   # (office, host unit, span)
    findings: list[Finding] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    narrative_lines: tuple[int, int] = (0, 0)
    table_lines: tuple[int, int] = (0, 0)
    table_rows: int = 0
    registry: object = None        # the UnitRegistry the import resolved names with
    info: PlanInfo | None = None   # the document's facts from plan.toml
    origins: dict = field(default_factory=dict)   # line -> where it came from in the original (a Word file, PDF…)
    _line_breaks: tuple[int, list[int]] | None = field(default=None, repr=False, compare=False)

    def quote(self, span: Span) -> str:
        return self.text[span.start:span.end]

    @property
    def incomplete(self) -> list[Finding]:
        """The findings that say the text is incomplete (:data:`INCOMPLETE`), in order of line."""
        return sorted((f for f in self.findings if f.kind in INCOMPLETE), key=lambda f: f.line)

    def line_of(self, offset: int) -> int:
        """The 1-based line of character ``offset``: a binary search in the offsets of the line breaks, found once.

        (Counting the line breaks before ``offset`` on every call made the import quadratic in the text.)

        >>> ParsedPlan("p", "s.txt", "a\\nb\\n\\nc", "", None).line_of(5)
        4
        """
        if self._line_breaks is None or self._line_breaks[0] != len(self.text):
            self._line_breaks = (len(self.text), [m.start() for m in re.finditer("\n", self.text)])
        return bisect.bisect_left(self._line_breaks[1], offset) + 1
