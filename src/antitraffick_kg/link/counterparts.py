"""Unit counterparts across levels and across sibling plans, each link with its basis and status.

Two bases, each its own ``rdf:Statement`` (``atk:counterpartOf``) so that a pair found both ways shows both:

- **same function** (``atk:sameFunction``): a unit of the plan and the body of the same function in the
  jurisdiction of each document above it (the family's ``eli:implements`` chain). Sibling plans (same level,
  another jurisdiction) are matched by the ``counterparts`` query from the units' functions. The upper body is the one the reference extract lists when it lists one,
  else the name the unit-function scheme gives that function at that level (a :class:`CounterpartUnit` stated as
  inferred). Where the scheme has no body of that function at that level, or the unit has no function, the
  answer is ``atk:noKnownCounterpart``, status unknown.
- **crosswalk row** (``atk:crosswalkRow``): a row of ``data/unit-crosswalk.csv`` whose first column names the
  unit (its header ``<plan-prefix>_unit`` says which plan's names it holds). A cell starting with ``—`` or ``(``,
  or empty, says there is no known counterpart.

Everything here is inferred or unknown: these are expectations about government structure, not names read in
the upper plans' texts.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from ..errors import InputError
from .linkbase import ATK, LEVEL_ORDER, RDF, RDFS, SKOS, Quads, graph_node, node, read_table, upper_unit_node

__all__ = ["PlanUnits", "counterpart_quads", "read_crosswalk", "CrosswalkRow", "COUNTERPARTS_GRAPH"]

COUNTERPARTS_GRAPH = "counterparts"
SAME_FUNCTION_CONFIDENCE = {"listed": 0.9, "scheme": 0.7}
_DOUBT = re.compile(r"not verified|unverified|speculative|not seen|presumably|uncertain", re.IGNORECASE)


@dataclass(frozen=True)
class PlanUnits:
    """A plan in use: its level, jurisdiction, units (``registry.Unit``) and the documents above it, nearest first.

    ``ancestors`` holds (plan id, level, jurisdiction) of each document up the ``eli:implements`` chain.
    """

    plan_id: str
    level: str
    jurisdiction: str
    units: tuple
    ancestors: tuple[tuple[str, str, str], ...]


@dataclass(frozen=True)
class CrosswalkRow:
    line: int
    names: tuple[str, ...]
    cells: dict[str, str]        # level -> cell
    note: str


def read_crosswalk(path: str | Path) -> tuple[str, list[CrosswalkRow]]:
    """(plan prefix, rows) of a unit crosswalk; raises :class:`InputError` naming the line at fault."""
    path = Path(path)
    header, table = read_table(path, what="unit crosswalk")
    if len(header) != 4 or not header[0].endswith("_unit") or header[1:] != ["yunnan_counterpart",
                                                                              "national_counterpart", "note"]:
        raise InputError("expected columns <plan>_unit,yunnan_counterpart,national_counterpart,note",
                         path=str(path), line=1)
    rows = []
    for line, row in table:
        cells = [row[h] for h in header]
        names = tuple(n.strip() for n in cells[0].split(" / ") if n.strip())
        rows.append(CrosswalkRow(line, names, {"province": cells[1], "national": cells[2]}, cells[3]))
    return header[0].removesuffix("_unit"), rows


def _name(cell: str) -> str:
    """The body a crosswalk cell names: the text before any parenthesis, semicolon or slash."""
    return re.split(r"\s*[(（;/]", cell, maxsplit=1)[0].strip()


def counterpart_quads(plans: Sequence[PlanUnits], *, upper: dict, functions,
                      crosswalk: tuple[str, list[CrosswalkRow]] | None = None,
                      described: set[str] = frozenset()) -> Quads:
    """The counterparts graph of the units of ``plans`` at the levels above them. Sibling counterparts (same
    function, same level, another jurisdiction) are not stored: the ``counterparts`` query finds them among the
    plans loaded together, so a plan's dataset names no other plan's units.
    ``upper``: plan id -> ``UpperPlan`` of the reference extracts;
    ``described``: IRIs of bodies an upper graph already describes (not described again here)."""
    q = Quads(graph_node(COUNTERPARTS_GRAPH))
    described = set(described)
    by_plan = {p.plan_id: p for p in plans}
    for plan in plans:
        for unit in plan.units:
            me = node(f"unit/{plan.jurisdiction}/{unit.id}")
            for upper_id, level, jurisdiction in plan.ancestors:
                _same_function_up(q, plan, unit, me, upper.get(upper_id), upper_id, level, jurisdiction,
                                  functions, described)
    if crosswalk is not None:
        prefix, rows = crosswalk
        for plan in (p for p in plans if p.plan_id.split("-")[0] == prefix):
            _crosswalk(q, plan, rows, upper, by_plan, functions, described)
    return q


def _describe(q: Quads, st: ox.NamedNode, *, level: str, name: str | None, basis: str) -> None:
    q.text(st, ATK + "atLevel", level)
    q.text(st, ATK + "counterpartName", name)
    q.add(st, ATK + "basis", ATK + basis)


def _upper_body(q: Quads, jurisdiction: str, level: str, name: str, function: str | None,
                described: set[str], reason: str) -> ox.NamedNode:
    body = upper_unit_node(jurisdiction, function=function, name=name)
    if body.value not in described:
        described.add(body.value)
        q.add(body, RDF + "type", ATK + "CounterpartUnit")
        q.text(body, SKOS + "prefLabel", name, lang="zh")
        q.text(body, RDFS + "label", name, lang="zh")
        q.text(body, ATK + "jurisdiction", jurisdiction)
        q.text(body, ATK + "atLevel", level)
        if function:
            q.add(body, ATK + "unitFunction", node(f"unit-function/{function}"))
        q.status(body, "inferred", confidence=0.7, reason=reason)
    return body


def _same_function_up(q: Quads, plan: PlanUnits, unit, me, upper_plan, upper_id: str, level: str,
                      jurisdiction: str, functions, described: set[str]) -> None:
    f = functions.functions.get(unit.function) if unit.function else None
    listed = next((u for u in upper_plan.units.values() if u.function == unit.function), None) \
        if upper_plan is not None and f else None
    if listed is not None:
        st = q.statement("counterpart", me, ATK + "counterpartOf", listed.node, "same-function")
        _describe(q, st, level=level, name=listed.name, basis="sameFunction")
        q.status(st, "inferred", confidence=SAME_FUNCTION_CONFIDENCE["listed"],
                 reason=f"function {unit.function}: {unit.short_name} ({plan.plan_id} units.csv) and "
                        f"{listed.name} ({listed.where})")
        return
    names = f.names.get(level, []) if f else []
    if names:
        body = _upper_body(q, jurisdiction, level, names[0], f.id, described,
                           reason=f"the unit-function scheme names the {f.id} body at {level} level {names[0]}; "
                                  f"no plan data names it in {upper_id}")
        st = q.statement("counterpart", me, ATK + "counterpartOf", body, "same-function")
        _describe(q, st, level=level, name=names[0], basis="sameFunction")
        q.status(st, "inferred", confidence=SAME_FUNCTION_CONFIDENCE["scheme"],
                 reason=f"function {f.id}: the scheme's {level} name for it is {names[0]} "
                        f"(data/unit-functions.ttl); not read in {upper_id}")
        return
    st = q.statement("counterpart", me, ATK + "counterpartOf", ox.NamedNode(ATK + "noKnownCounterpart"),
                     "same-function", level, upper_id)
    _describe(q, st, level=level, name=None, basis="sameFunction")
    why = (f"function {unit.function} has no {level} body in data/unit-functions.ttl" if f else
           f"{unit.short_name} has no function in {plan.plan_id}/units.csv")
    q.status(st, "unknown", reason=f"{why}; nothing in the data names a counterpart in {upper_id}")


def _crosswalk(q: Quads, plan: PlanUnits, rows: list[CrosswalkRow], upper: dict, by_plan: dict, functions,
               described: set[str]) -> None:
    units = {n: u for u in plan.units for n in (u.short_name, *u.variants)}
    levels = {level: (pid, juris) for pid, level, juris in plan.ancestors}
    for row in rows:
        unit = next((units[n] for n in row.names if n in units), None)
        if unit is None:
            continue
        me = node(f"unit/{plan.jurisdiction}/{unit.id}")
        for level, cell in row.cells.items():
            if level not in levels:
                continue
            upper_id, juris = levels[level]
            where = f"data/unit-crosswalk.csv line {row.line}"
            if not cell or cell.startswith(("—", "(", "（")):
                st = q.statement("counterpart", me, ATK + "counterpartOf",
                                 ox.NamedNode(ATK + "noKnownCounterpart"), "crosswalk", level, str(row.line))
                _describe(q, st, level=level, name=None, basis="crosswalkRow")
                q.status(st, "unknown", reason=f"{where}: {cell or '(empty)'}; {row.note}".rstrip("; "))
                continue
            name = _name(cell)
            listed = upper[upper_id].units.get(name) if upper_id in upper else None
            f = functions.recognise(name, level)
            body = listed.node if listed is not None else _upper_body(
                q, juris, level, name, f.id if f else None, described,
                reason=f"{where} names it as the expected counterpart of {unit.short_name}; not read in {upper_id}")
            st = q.statement("counterpart", me, ATK + "counterpartOf", body, "crosswalk", str(row.line))
            _describe(q, st, level=level, name=name, basis="crosswalkRow")
            doubt = _DOUBT.search(cell) or _DOUBT.search(row.note)
            q.status(st, "inferred", confidence=0.5 if doubt else 0.8,
                     reason=f"{where}: {cell}" + (f"; {row.note}" if row.note else "")
                            + "; an expectation about government structure, not a name read in the upper plan")
