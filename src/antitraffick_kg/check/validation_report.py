"""Validation results: the report graph read back with each result's place in the plan, and its text.

Both engines give a SHACL validation report graph; this module turns it into
:class:`Result` rows (task, unit, year, source line and quote) sorted by task,
and renders the readable text grouped by task.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal, Sequence

from ..iris import ATK_BASE as ATK
from ..iris import INSTANCE_OF as _INSTANCE_OF
from ..iris import SH_BASE as SH
from ..rows import natural_key

if TYPE_CHECKING:  # pragma: no cover
    from rdflib import Graph

__all__ = ["Result", "ValidationResult", "read_report", "read_results", "result_order", "checked_counts",
           "checked_nodes", "shorten", "render_text"]

_OA = "http://www.w3.org/ns/oa#"
_RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
_SEVERITY = {SH + "Violation": "violation", SH + "Warning": "warning", SH + "Info": "info"}
_CJK = re.compile(r"[\u3400-\u9fff]")


# ---------------------------------------------------------------------------
# Results
# ---------------------------------------------------------------------------
@dataclass(frozen=True)
class Result:
    """One validation result, with where it is in the plan.

    ``severity, shape, component, focus, path, value, messages`` come from the report graph and are what the
    two engines must agree on (:meth:`key`); ``task`` (its notation, or its IRI when it has none), ``title``,
    ``unit``, ``year`` (the year at fault, when the value is one), ``quote`` and
    ``line`` are looked up in the data to make the report readable.
    """

    severity: str
    shape: str
    component: str
    focus: str
    path: str | None
    value: str | None
    messages: tuple[str, ...]
    task: str | None = None
    title: str | None = None
    unit: str | None = None
    year: int | None = None
    quote: str | None = None
    line: int | None = None

    def key(self) -> tuple:
        return (self.severity, self.shape, self.component, self.focus, self.path, self.value, self.messages)

    def message(self, lang: Literal["zh", "en"]) -> str:
        """The message in Chinese or English (pySHACL drops the language tag of SPARQL-based messages)."""
        want_zh = lang == "zh"
        return next((m for m in self.messages if bool(_CJK.search(m)) == want_zh), "")

    def as_dict(self) -> dict:
        return {"severity": self.severity, "shape": self.shape, "component": self.component,
                "focus": self.focus, "path": self.path, "value": self.value,
                "message": {"zh": self.message("zh"), "en": self.message("en")},
                "task": {"notation": self.task, "title": self.title} if self.task else None,
                "unit": self.unit, "year": self.year, "quote": self.quote, "line": self.line}


@dataclass(frozen=True)
class ValidationResult:
    """What :func:`validate` found: ``conforms`` (no violation; warnings allowed), the SHACL report graph,
    the results with their context, a readable ``text`` grouped by task, and what was checked."""

    conforms: bool
    report: "Graph"
    results: tuple[Result, ...]
    text: str
    engine: str
    inputs: tuple[str, ...]
    checked: tuple[tuple[str, int], ...]

    @property
    def violations(self) -> int:
        return sum(1 for r in self.results if r.severity == "violation")

    @property
    def warnings(self) -> int:
        return sum(1 for r in self.results if r.severity == "warning")

    def to_json(self) -> str:
        """The report as stable JSON: same input, same bytes."""
        data = {"conforms": self.conforms, "engine": self.engine, "inputs": list(self.inputs),
                "summary": {"violations": self.violations, "warnings": self.warnings,
                            "infos": sum(1 for r in self.results if r.severity == "info"),
                            "checked": dict(self.checked)},
                "results": [r.as_dict() for r in self.results]}
        return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


# ---------------------------------------------------------------------------
# Reading the report: results with their place in the plan
# ---------------------------------------------------------------------------
def _term_text(term) -> str | None:
    from rdflib import BNode

    return None if term is None else f"_:{term}" if isinstance(term, BNode) else str(term)


def _path_text(report: "Graph", node) -> str | None:
    from rdflib import BNode, Namespace
    from rdflib.collection import Collection

    sh = Namespace(SH)
    if node is None or not isinstance(node, BNode):
        return _term_text(node)
    inverse = report.value(node, sh.inversePath)
    if inverse is not None:
        return f"^<{inverse}>" if not isinstance(inverse, BNode) else "^(" + _path_text(report, inverse) + ")"
    return "/".join(f"<{i}>" if not isinstance(i, BNode) else f"({_path_text(report, i)})"
                    for i in Collection(report, node))


class _Places:
    """Looks up, in the store, which task a node belongs to, the unit or year it names, and its quote."""

    def __init__(self, store) -> None:
        import pyoxigraph as ox

        self.store, self.ox = store, ox

    def node(self, term):
        """The store's term for an rdflib IRI or blank node; None for a literal."""
        from rdflib import BNode, URIRef

        if isinstance(term, URIRef):
            return self.ox.NamedNode(str(term))
        return self.ox.BlankNode(str(term)) if isinstance(term, BNode) else None

    def objects(self, s, p: str) -> list:
        return [q.object for q in self.store.quads_for_pattern(s, self.ox.NamedNode(p), None, None)]

    def subjects(self, p: str, o) -> list:
        return [q.subject for q in self.store.quads_for_pattern(None, self.ox.NamedNode(p), o, None)]

    def first(self, s, p: str):
        return min(self.objects(s, p), key=str, default=None)

    def quote(self, node) -> tuple[str | None, int | None]:
        """The exact quote and line of ``node`` if it is a passage, else of its first evidence."""
        passages = [node] if self.objects(node, _OA + "hasSelector") else self.objects(node, ATK + "evidence")
        for passage in sorted(passages, key=str):
            for selector in self.objects(passage, _OA + "hasSelector"):
                exact = self.first(selector, _OA + "exact")
                if exact is not None:
                    line = self.first(passage, ATK + "line")
                    return exact.value, int(line.value) if line is not None else None
        return None, None

    def unit_name(self, unit) -> str:
        name = self.first(unit, ATK + "shortName")
        return name.value if name is not None else str(getattr(unit, "value", unit)).rsplit("/", 1)[-1]

    def describe(self, node, depth: int = 0) -> dict:
        """``task`` node, ``unit`` name, ``quote`` and ``line`` of a node, as far as the graph says."""
        if node is None:
            return {}
        found: dict = {}
        types = {t.value for t in self.objects(node, _RDF_TYPE)}
        owners = self.subjects(ATK + "hasMilestone", node) or self.subjects(ATK + "statement", node)
        if ATK + "Task" in types:
            found["task"] = node
        elif self.objects(node, ATK + "task"):
            found["task"] = self.first(node, ATK + "task")
            unit = self.first(node, ATK + "unit")
            found["unit"] = self.unit_name(unit) if unit is not None else None
        elif owners:
            found["task"] = sorted(owners, key=str)[0]
        elif self.objects(node, ATK + "shortName") or ATK + "Unit" in types or self.subjects(ATK + "unit", node):
            found["unit"] = self.unit_name(node)
        elif depth == 0 and self.subjects(ATK + "evidence", node):
            owner = sorted(self.subjects(ATK + "evidence", node), key=str)[0]
            found = {k: v for k, v in self.describe(owner, depth + 1).items() if k not in ("quote", "line")}
        found["quote"], found["line"] = self.quote(node)
        return found

    def result(self, fields: dict, focus, value) -> Result:
        """A :class:`Result` with the place of its value (when that is a node of the plan) or its focus."""
        place = self.describe(self.node(focus))
        of_value = self.describe(self.node(value)) if value is not None and value != focus else {}
        if "task" in of_value or "unit" in of_value:
            place = of_value
        elif (fields["path"] or "").endswith(("Year", "#year")) and str(value).isdigit():
            place["year"] = int(str(value))
        task = place.get("task")
        notation = self.first(task, "http://www.w3.org/2004/02/skos/core#notation") if task is not None else None
        title = self.first(task, "http://purl.org/dc/terms/title") if task is not None else None
        return Result(**fields, task=notation.value if notation is not None else task.value if task else None,
                      title=title.value if title is not None else None, unit=place.get("unit"),
                      year=place.get("year"), quote=place.get("quote"), line=place.get("line"))


def read_report(report: "Graph", store) -> list[Result]:
    """The results of the SHACL report graph ``report``, each placed in the plan ``store`` holds."""
    return [result for _node, result in read_results(report, store)]


def read_results(report: "Graph", store) -> list[tuple]:
    """(node of the report graph, :class:`Result`) for each result of ``report``."""
    from rdflib import Namespace
    from rdflib.namespace import RDF

    sh = Namespace(SH)
    places = _Places(store)
    results = []
    for r in report.subjects(RDF.type, sh.ValidationResult):
        focus, value = report.value(r, sh.focusNode), report.value(r, sh.value)
        fields = {"severity": _SEVERITY.get(str(report.value(r, sh.resultSeverity)), "violation"),
                  "shape": str(report.value(r, sh.sourceShape)),
                  "component": str(report.value(r, sh.sourceConstraintComponent)),
                  "focus": _term_text(focus),
                  "path": _path_text(report, report.value(r, sh.resultPath)),
                  "value": _term_text(value),
                  "messages": tuple(sorted(str(m) for m in report.objects(r, sh.resultMessage)))}
        results.append((r, places.result(fields, focus, value)))
    return results


def result_order(r: Result) -> tuple:

    rank = {"violation": 0, "warning": 1, "info": 2}.get(r.severity, 3)
    return (r.task is None, natural_key(r.task), rank, r.shape, r.focus, r.path or "", r.value or "", r.messages)


_CHECKED = (("tasks", "Task"), ("assignments", "Assignment"), ("units", "Unit"), ("milestones", "Milestone"))


def checked_counts(store) -> tuple[tuple[str, int], ...]:
    """How many tasks, assignments, units and milestones ``store`` holds."""
    counts = []
    for name, cls in _CHECKED:
        rows = store.query(f"SELECT (COUNT(DISTINCT ?x) AS ?n) WHERE {{ ?x {_INSTANCE_OF} <{ATK}{cls}> }}",
                           use_default_graph_as_union=True)
        counts.append((name, int(next(iter(rows))["n"].value)))
    return tuple(counts)


def checked_nodes(store) -> dict[str, set[str]]:
    """The tasks, assignments, units and milestones ``store`` holds, by name: what :func:`checked_counts` counts,
    to count once what several stores (batches of one corpus) hold."""
    found = {}
    for name, cls in _CHECKED:
        rows = store.query(f"SELECT DISTINCT ?x WHERE {{ ?x {_INSTANCE_OF} <{ATK}{cls}> }}",
                           use_default_graph_as_union=True)
        found[name] = {str(row["x"]) for row in rows}
    return found


def shorten(text: str, limit: int = 64) -> str:
    """``text`` on one line, its middle cut when it is longer than ``limit`` (lists stand at the end of items).

    >>> shorten("一二三四五六七八九十", limit=6)
    '一二…八九十'
    """
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    head = (limit - 1) // 2
    return text[:head] + "…" + text[len(text) - (limit - 1 - head):]


def render_text(results: Sequence[Result], *, conforms: bool, engine: str, inputs: Sequence[str],
          checked: Sequence[tuple[str, int]]) -> str:
    violations = sum(1 for r in results if r.severity == "violation")
    warnings = sum(1 for r in results if r.severity == "warning")
    verdict = "conforms" if conforms else "does not conform"
    lines = [f"{', '.join(inputs)} ({engine}): {verdict}: {violations} violation(s), {warnings} warning(s)",
             "checked: " + ", ".join(f"{n} {name}" for name, n in checked)]
    if dict(checked).get("tasks") == 0:
        lines.append("note: the input holds no tasks (atk:Task); is it a plan graph?")
    group = object()
    for r in results:
        if r.task != group:
            group = r.task
            lines += ["", f"{r.task} {r.title or ''}".rstrip() if r.task else "Not tied to a task"]
        at = f"unit {r.unit}" if r.unit else f"year {r.year}" if r.year is not None else ""
        if not at and not r.task:
            at = r.value or r.focus
        lines.append(f"  {r.severity} {r.shape.rsplit('#', 1)[-1]}" + (f": {at}" if at else ""))
        lines += [f"    {m}" for m in (r.message("en"), r.message("zh")) if m]
        if r.quote:
            lines.append(f"    line {r.line}: “{shorten(r.quote)}”" if r.line else f"    “{shorten(r.quote)}”")
    return "\n".join(lines) + "\n"
