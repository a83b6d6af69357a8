"""Upper-level plan graphs from the reference extracts in ``data/reference/<plan-id>/``.

Each extract is a ``measures.csv`` (one row per measure, lead and support units ``;``-separated) and a
``units.csv`` (the bodies those rows name or are expected to name). Each plan goes to its own named graph
``…/id/graph/<plan-id>``. Every measure, every unit assignment and every unit carries its status, read from the
extract itself:

- a measure row whose ``notes`` start with ``INFERRED`` is inferred, with the confidence its id confidence word
  gives (:data:`ID_CONFIDENCE`) and the notes as reason; any other row is verified, read from that line of the
  extract (its notes name the copy it was seen in);
- a unit assignment has the status of its row;
- a unit whose notes say it was not seen, or whose full name is marked inferred, is inferred; else verified.

A fuller extract (more rows, units filled in) is more data in the same columns: no code changes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from ..errors import InputError
from .linkbase import ATK, DCTERMS, RDF, RDFS, SKOS, Quads, graph_node, node, plan_node, read_table, upper_unit_node

__all__ = ["UpperUnit", "UpperPlan", "read_upper_plan", "upper_quads", "ID_CONFIDENCE"]

#: the confidence given to an inferred measure row by the id confidence word of its notes
ID_CONFIDENCE = {"likely": 0.8, "unsure": 0.6}
_ID_WORD = re.compile(r"id confidence:\s*(\w+)")
_NOT_SEEN = re.compile(r"not seen|name inferred", re.IGNORECASE)


@dataclass(frozen=True)
class UpperUnit:
    name: str
    full_name: str
    name_en: str
    function: str | None
    node: ox.NamedNode
    inferred: bool
    note: str
    where: str


@dataclass(frozen=True)
class UpperPlan:
    plan_id: str
    level: str
    jurisdiction: str
    folder: Path
    units: dict[str, UpperUnit]          # by name


def _rows(path: Path, needed: set[str]) -> list[tuple[int, dict[str, str]]]:
    header, rows = read_table(path, what="reference extract file")
    missing = needed - set(header)
    if missing:
        raise InputError(f"missing column(s) {', '.join(sorted(missing))}", path=str(path), line=1)
    return rows


def read_upper_plan(folder: Path, *, level: str, jurisdiction: str, functions) -> UpperPlan:
    """The units of the extract in ``folder``; ``functions`` is the unit-function scheme that names their job."""
    units: dict[str, UpperUnit] = {}
    path = folder / "units.csv"
    if path.is_file():
        for line, row in _rows(path, {"name_zh", "full_name_zh", "name_en", "notes"}):
            f = functions.recognise(row["name_zh"], level)
            inferred = bool(_NOT_SEEN.search(row["notes"]) or _NOT_SEEN.search(row["full_name_zh"]))
            units[row["name_zh"]] = UpperUnit(row["name_zh"], row["full_name_zh"], row["name_en"],
                                              f.id if f else None,
                                              upper_unit_node(jurisdiction, function=f.id if f else None,
                                                              name=row["name_zh"]),
                                              inferred, row["notes"], f"{folder.name}/units.csv:{line}")
    return UpperPlan(folder.name, level, jurisdiction, folder, units)


def upper_quads(plan: UpperPlan, *, functions) -> Quads:
    """The named graph of one upper-level plan: its measures, their unit assignments, and its units."""
    q = Quads(graph_node(plan.plan_id))
    doc = plan_node(plan.plan_id)
    path = plan.folder / "measures.csv"
    for line, row in _rows(path, {"id", "topic_zh", "lead_units", "support_units", "notes"}):
        mid = row["id"]
        if not mid:
            raise InputError("empty measure id", path=str(path), line=line)
        m = node(f"plan/{plan.plan_id}/measure/{mid}")
        q.add(m, RDF + "type", ATK + "Measure")
        q.add(m, ATK + "measureOf", doc)
        q.text(m, SKOS + "notation", mid)
        q.text(m, DCTERMS + "title", row["topic_zh"], lang="zh")
        q.text(m, RDFS + "label", row["topic_zh"], lang="zh")
        q.text(m, RDFS + "label", row.get("topic_en"), lang="en")
        where = f"data/reference/{plan.plan_id}/measures.csv line {line}"
        status = _row_status(row["notes"], where, path=path, line=line)
        q.status(m, *status[:1], **status[1])
        for column, role in (("lead_units", "lead"), ("support_units", "support")):
            for name in (n.strip() for n in row[column].split(";")):
                if not name:
                    continue
                unit = plan.units.get(name) or _unlisted(plan, name, functions, where)
                _unit(q, plan, unit)
                a = node(f"plan/{plan.plan_id}/measure/{mid}/assignment/{role}/{unit.node.value.rsplit('/', 1)[-1]}")
                q.add(m, ATK + "hasMeasureAssignment", a)
                q.add(a, RDF + "type", ATK + "MeasureAssignment")
                q.add(a, ATK + "assignedUnit", unit.node)
                q.add(a, ATK + "assignedRole", ATK + role)
                q.status(a, *status[:1], **status[1])
    for unit in plan.units.values():
        _unit(q, plan, unit)
    return q


def _row_status(notes: str, where: str, *, path: Path, line: int) -> tuple:
    if notes.upper().startswith("INFERRED"):
        word = _ID_WORD.search(notes)
        if word is None or word.group(1) not in ID_CONFIDENCE:
            raise InputError(f"an inferred row needs 'id confidence: {' or '.join(ID_CONFIDENCE)}' in its notes",
                             path=str(path), line=line)
        return ("inferred", {"confidence": ID_CONFIDENCE[word.group(1)], "reason": f"{where}: {notes}"})
    return ("verified", {"read_from": f"{where}: {notes}" if notes else where})


def _unlisted(plan: UpperPlan, name: str, functions, where: str) -> UpperUnit:
    f = functions.recognise(name, plan.level)
    return UpperUnit(name, "", "", f.id if f else None,
                     upper_unit_node(plan.jurisdiction, function=f.id if f else None, name=name), False,
                     "named in a measure row, not in units.csv", where)


def _unit(q: Quads, plan: UpperPlan, unit: UpperUnit) -> None:
    s = unit.node
    q.add(s, RDF + "type", ATK + "CounterpartUnit")
    q.text(s, SKOS + "prefLabel", unit.name, lang="zh")
    q.text(s, RDFS + "label", unit.name, lang="zh")
    q.text(s, RDFS + "label", unit.name_en, lang="en")
    q.text(s, ATK + "fullName", unit.full_name, lang="zh")
    q.text(s, ATK + "jurisdiction", plan.jurisdiction)
    q.text(s, ATK + "atLevel", plan.level)
    if unit.function:
        q.add(s, ATK + "unitFunction", node(f"unit-function/{unit.function}"))
    if unit.inferred:
        q.status(s, "inferred", confidence=0.7, reason=f"{unit.where}: expected body, not seen in the plan's "
                                                        f"text: {unit.note}")
    else:
        q.status(s, "verified", read_from=f"{unit.where}: {unit.note}")
