"""What the report shows, asked of the plan's store through the catalogue, the audit and the status.

Nothing here is counted twice: the matrix's totals are the ``unit-workload``
answers, the unit pages' lists the ``task`` query's lead and support rows, the
obligations those of :mod:`antitraffick_kg.report.progress`.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from itertools import combinations

from .progress import Obligation, StatusResult, obligations, status
from ..store.stores import natural_key

__all__ = ["Facts", "UnitFacts", "TaskFacts", "Statement", "gather"]

_STATE_ORDER = ("late", "in-progress", "done", "not-applicable")


@dataclass(frozen=True)
class Statement:
    """A part of the document naming a unit in a task, in a role, with the words and line."""

    task: str
    unit: str
    part: str
    role: str
    line: int | None
    quote: str


@dataclass
class TaskFacts:
    notation: str
    title: str
    area: str
    line: int | None                      # where the task's words start (the narrative, else the table)
    statements: list[Statement] = field(default_factory=list)

    def units(self) -> set[str]:
        return {s.unit for s in self.statements}

    def cell(self, unit: str) -> dict[str, Statement]:
        """The unit's statements in this task, by part."""
        return {s.part: s for s in self.statements if s.unit == unit}


@dataclass
class UnitFacts:
    name: str
    full_name: str
    name_en: str
    kind: str
    member: str
    slug: str
    leads: int
    supports: int
    tasks: int
    partners: list[tuple[str, int]] = field(default_factory=list)
    obligations: list[Obligation] = field(default_factory=list)


@dataclass
class Facts:
    plan: dict[str, str]
    as_of: dt.date
    tasks: list[TaskFacts]
    units: list[UnitFacts]
    milestones: list[dict[str, str | None]]
    findings: tuple
    status: StatusResult
    edges: list[tuple[str, str, int]]
    source_lines: list[str]
    finding_counts: tuple[tuple[str, int], ...] = ()      # per kind, every check of the audit (zeros too)

    @property
    def first(self) -> int:
        return int(self.plan["from"])

    @property
    def last(self) -> int:
        return int(self.plan["until"])

    def unit(self, name: str) -> UnitFacts:
        return next(u for u in self.units if u.name == name)

    def year_states(self) -> dict[tuple[str, int], str]:
        """For each task and year with a report: the worst state among its reported obligations."""
        states: dict[tuple[str, int], set[str]] = defaultdict(set)
        for r in self.status.rows:
            if r.reported == "unreported":
                continue
            states[(r.task, r.year)].add(r.status if r.status != "due" else "in-progress")
        return {k: next(s for s in _STATE_ORDER if s in v) for k, v in states.items()}


def _slug(iri: str) -> str:
    return iri.rstrip("/").rsplit("/", 1)[-1]


def gather(store, *, plan: str, as_of: dt.date, source_text: str) -> Facts:
    """Every fact the report shows, from ``store`` (the plan, with any progress reports loaded)."""
    from ..check.audit import audit_store
    from .progress import PlanFacts
    from ..ask.query import query

    plan_row = next(r for r in query("plans", store=store) if r["plan"] == plan)
    notations = sorted({r["task"] for r in query("assignments", store=store)}, key=natural_key)
    tasks = [_task(store, notation) for notation in notations]
    workload = {r["unit"]: r for r in query("unit-workload", store=store)}
    named = {s.unit for t in tasks for s in t.statements}
    resolve = PlanFacts(store, plan)
    every = obligations(store)
    kinds = {r["term"]: f"{r['label_zh']} {r['label_en']}" for r in query("ontology-terms", store=store)}
    units = []
    for r in query("units", store=store):
        if r["unit"] not in named:
            continue
        w = workload[r["unit"]]
        iri, _ = resolve.unit(r["unit"])
        units.append(UnitFacts(r["unit"], r["full_name"] or "", r["name_en"] or "",
                               kinds.get(r["kind"] or "", r["kind"] or ""),
                               r["member"] or "", _slug(iri), int(w["leads"]), int(w["supports"]), int(w["tasks"]),
                               obligations=[o for o in every if o.unit == r["unit"]]))
    units.sort(key=lambda u: (-u.tasks, u.name))
    edges = _edges(tasks)
    for u in units:
        u.partners = sorted(((b if a == u.name else a, w) for a, b, w in edges if u.name in (a, b)),
                            key=lambda p: (-p[1], p[0]))
    audited = audit_store(store.store, as_of=as_of)
    return Facts(plan_row, as_of, tasks, units, list(query("milestones", store=store)), audited.findings,
                 status(as_of=as_of, plan=plan, store=store), edges, source_text.splitlines(), audited.counts)


def _task(store, notation: str) -> TaskFacts:
    from ..ask.query import query

    rows = query("task", params={"id": notation}, store=store)
    title = next((r for r in rows if r["field"] == "title"), None)
    area = next((r["value"] for r in rows if r["field"] == "area"), "")
    lines = [int(r["line"]) for r in rows if r["field"] == "text" and r["line"]]
    task = TaskFacts(notation, title["value"] if title else "", area or "", min(lines) if lines else None)
    for r in rows:
        if r["field"] in ("lead", "support"):
            task.statements.append(Statement(notation, r["value"], r["source"], r["field"],
                                             int(r["line"]) if r["line"] else None, r["quote"] or ""))
    return task


def _edges(tasks: list[TaskFacts]) -> list[tuple[str, str, int]]:
    """Pairs of units with the number of tasks both are named in (any part, any role)."""
    shared: dict[tuple[str, str], int] = defaultdict(int)
    for t in tasks:
        for a, b in combinations(sorted(t.units()), 2):
            shared[(a, b)] += 1
    return sorted(((a, b, n) for (a, b), n in shared.items()), key=lambda e: (-e[2], e[0], e[1]))
