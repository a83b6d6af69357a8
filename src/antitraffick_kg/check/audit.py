"""The plan audit: where the document disagrees with itself.

Each check is a SPARQL query under ``queries/checks/`` (so ``antitraffick-kg query queries/checks/NAME.rq``
gives the same rows), with the catalogue header plus three lines of its own::

    # kind: role-change
    # message: {unit} is {narrativeRole} in the narrative scheme but {tableRole} in the annual table
    # message-zh: {unit}在实施方案中为{narrativeRoleZh}单位，在年度实施方案中为{tableRoleZh}单位

``{column}`` is filled from the row.  Columns named ``<place>Quote`` and ``<place>Line`` give the places a
finding quotes (``narrative``, ``table``, ``first``, ``second`` …).  Every finding is a warning: the document is
what it is, and the graph keeps both statements.

>>> from antitraffick_kg.check.audit import checks
>>> [c.kind for c in checks()][:3]
['document-finding', 'duplicate-number', 'lead-and-support']
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Sequence

from ..ask.catalogue import read_query
from ..store.corpus import Corpus
from ..errors import InputError, QueryError
from ..resources import DEFAULT_PLAN
from ..resources import queries_path
from ..rows import natural_key
from ..formats import RdfFormat
from ..store.rdfread import DEFAULT_MAX_BYTES
from .validate import load_store
from .validation_report import shorten

__all__ = ["audit", "audit_store", "checks", "progress_checks", "progress_findings", "AuditResult", "Finding", "Place",
           "Check"]

_HEADER = re.compile(r"^#\s*(kind|message|message-zh)\s*:\s*(.*)$")
#: how the text names the place a ``<place>Quote`` column quotes
_PLACES = {"narrative": "narrative scheme", "table": "annual table", "first": "first place",
           "second": "second place", "written": "as written", "canonical": "member list", "lead": "lead list",
           "support": "support list", "anomaly": "the place", "finding": "the place",
           "leadReport": "lead unit's report", "supportReport": "support unit's report",
           "earlierReport": "earlier report", "laterReport": "later report", "report": "report",
           "tasks": "tasks due"}
#: kinds whose findings also show both parts' lead and support lists of the task
_WITH_LISTS = {"role-change", "unit-one-part", "list-differs", "listed-twice", "lead-and-support"}
_LISTS = """
PREFIX atk: <https://w3id.org/antitraffick-kg/ontology#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX oa: <http://www.w3.org/ns/oa#>
SELECT ?task ?narrative ?lead ?quote ?start WHERE {
  ?t a atk:Task ; skos:notation ?task ; atk:hasAssignment ?a .
  ?a atk:role ?r ; atk:statedIn ?p ; atk:evidence ?e .
  ?e oa:hasSelector ?q , ?pos .
  ?q oa:exact ?quote .
  ?pos oa:start ?start .
  OPTIONAL { ?p a atk:NarrativeScheme . BIND (true AS ?isNarrative) }
  BIND (BOUND(?isNarrative) AS ?narrative)
  BIND (?r = atk:lead AS ?lead)
}"""


@dataclass(frozen=True)
class Check:
    """One audit check: a ``queries/checks/*.rq`` file and its header."""

    name: str
    path: Path
    title: str
    description: str
    kind: str
    message: str
    message_zh: str
    text: str


@dataclass(frozen=True)
class Place:
    """A quoted place of the source: which part or list, the line, and the exact words."""

    part: str
    line: int | None
    quote: str | None


@dataclass(frozen=True)
class Finding:
    """A warning of the audit, with the places it quotes and, for list disagreements, both parts' lists
    (``lists``: (part, role, names as written in text order))."""

    kind: str
    task: str | None
    title: str | None
    unit: str | None
    message: str
    message_zh: str
    places: tuple[Place, ...]
    lists: tuple[tuple[str, str, tuple[str, ...]], ...] = ()

    def as_dict(self) -> dict:
        lists: dict = {}
        for part, role, names in self.lists:
            lists.setdefault(part, {})[role] = list(names)
        return {"kind": self.kind, "severity": "warning",
                "task": {"notation": self.task, "title": self.title} if self.task else None,
                "unit": self.unit, "message": {"zh": self.message_zh, "en": self.message},
                "places": [{"part": p.part, "line": p.line, "quote": p.quote} for p in self.places],
                "lists": lists or None}


@dataclass(frozen=True)
class AuditResult:
    """The audit's findings (sorted by task), the number per kind (every check listed, zeros included) and a
    readable text grouped by task."""

    findings: tuple[Finding, ...]
    counts: tuple[tuple[str, int], ...]
    text: str
    inputs: tuple[str, ...]

    def to_json(self) -> str:
        """The findings as stable JSON: same input, same bytes."""
        data = {"inputs": list(self.inputs), "findings_total": len(self.findings), "counts": dict(self.counts),
                "findings": [f.as_dict() for f in self.findings]}
        return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def checks(folder: Path | None = None) -> list[Check]:
    """Every check under ``queries/checks/`` (or ``folder``), by file name; raises :class:`QueryError` for a bad
    header."""
    found = []
    for path in sorted((folder or queries_path() / "checks").glob("*.rq")):
        q = read_query(path)
        fields = dict(m.groups() for line in q.text.splitlines() if (m := _HEADER.match(line)))
        missing = {"kind", "message", "message-zh"} - set(fields)
        if missing:
            raise QueryError(f"{path}: header lacks {', '.join(sorted(missing))}")
        found.append(Check(q.name, path, q.title, q.description, fields["kind"], fields["message"],
                           fields["message-zh"], q.text))
    return found


def _fill(template: str, row: dict[str, str | None]) -> str:
    return re.sub(r"\{(\w+)\}", lambda m: row.get(m.group(1)) or "", template)


def _lists(store) -> dict[str, dict[tuple[str, str], list[str]]]:
    """task notation -> (part, role) -> names as written, in text order."""
    rows = sorted(((r["task"].value, r["narrative"].value == "true", r["lead"].value == "true",
                    int(r["start"].value), r["quote"].value)
                   for r in store.query(_LISTS, use_default_graph_as_union=True)), key=lambda r: r[3])
    out: dict[str, dict[tuple[str, str], list[str]]] = {}
    for task, narrative, lead, _start, quote in rows:
        key = (_PLACES["narrative" if narrative else "table"], "lead" if lead else "support")
        out.setdefault(task, {}).setdefault(key, []).append("".join(quote.split()))
    return out


def progress_checks() -> list[Check]:
    """The checks on the units' progress reports, under ``queries/progress/checks/``: a lead done while a
    support unit has not started, a task moving back from done, a report on a year not yet begun, a unit that
    sent no report on a year others reported on."""
    return checks(queries_path() / "progress" / "checks")


_REPORT_YEARS = """SELECT ?year ?day WHERE { ?r a <https://w3id.org/antitraffick-kg/ontology#ProgressReport> ;
  <https://w3id.org/antitraffick-kg/ontology#reportYear> ?year ; <http://purl.org/dc/terms/date> ?day }"""
_HAS_REPORTS = "ASK { ?report a <https://w3id.org/antitraffick-kg/ontology#ProgressReport> }"


def progress_findings(store, *, as_of=None) -> list[Finding]:
    """The findings of :func:`progress_checks` on the reports in ``store`` (dated on or before ``as_of``, a
    :class:`datetime.date`, when given); none when it holds no report."""
    if not bool(store.query(_HAS_REPORTS, use_default_graph_as_union=True)):
        return []
    import pyoxigraph as ox

    date = None if as_of is None else ox.Literal(as_of.isoformat(),
                                                 datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#date"))
    bound = {} if date is None else {"DATE": date}
    years = sorted({int(r["year"].value) for r in store.query(
        _REPORT_YEARS, use_default_graph_as_union=True) if date is None or r["day"].value <= date.value})
    found = []
    for check in progress_checks():
        if "?YEAR" in check.text:              # asked for each year reported on
            for year in years:
                found += _findings(store, check, {}, {**bound, "YEAR": ox.Literal(
                    str(year), datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer"))})
        else:
            found += _findings(store, check, {}, bound)
    found = _merge(found)
    found.sort(key=lambda f: (f.kind, f.task is None, natural_key(f.task), f.unit or "", f.message))
    return found


def _findings(store, check: Check, lists: dict, bound: dict | None = None) -> list[Finding]:
    try:
        from ..store.bindings import with_values

        text = with_values(check.text, bound) if bound else check.text
        solutions = store.query(text, use_default_graph_as_union=True)
    except SyntaxError as exc:
        raise QueryError(f"{check.path}: {exc}") from None
    columns = [v.value for v in solutions.variables]
    found = []
    for solution in solutions:
        row = {c: solution[c].value if solution[c] is not None else None for c in columns}
        places = tuple(Place(_PLACES.get(c[:-5], c[:-5]), int(row[c[:-5] + "Line"]) if row.get(c[:-5] + "Line") else None,
                             row[c]) for c in columns if c.endswith("Quote") and (row[c] or row.get(c[:-5] + "Line")))
        task = row.get("task")
        context = ()
        if task and check.kind in _WITH_LISTS:
            by_part = lists.get(task, {})
            context = tuple((part, role, tuple(by_part.get((part, role), ())))
                            for part in (_PLACES["narrative"], _PLACES["table"]) for role in ("lead", "support"))
        found.append(Finding(check.kind, task, row.get("title"), row.get("unit"), _fill(check.message, row),
                             _fill(check.message_zh, row), places, context))
    return found


def _merge(findings: list[Finding]) -> list[Finding]:
    """One finding per kind, task, unit and message, with the places of every row that said it."""
    merged: dict[tuple, Finding] = {}
    for f in findings:
        key = (f.kind, f.task, f.unit, f.message)
        if key in merged:
            old = merged[key]
            places = tuple(dict.fromkeys(old.places + f.places))
            f = Finding(f.kind, f.task, f.title, f.unit, f.message, f.message_zh, places, old.lists)
        merged[key] = f
    return list(merged.values())


def _text(findings: Sequence[Finding], counts: Sequence[tuple[str, int]], inputs: Sequence[str]) -> str:
    lines = [f"audit of {', '.join(inputs)}: {len(findings)} finding(s), all warnings",
             "  " + ", ".join(f"{kind} {n}" for kind, n in counts)]
    group: object = object()
    for f in findings:
        if f.task != group:
            group = f.task
            lines += ["", f"{f.task} {f.title or ''}".rstrip() if f.task else "Not tied to a task"]
        lines.append(f"  warning {f.kind}: {f.message}")
        lines.append(f"    {f.message_zh}")
        for p in f.places:
            where = f"{p.part}, line {p.line}" if p.line else p.part
            lines.append(f"    {where}: “{shorten(p.quote)}”" if p.quote else f"    {where}")
        parts: dict[str, list[str]] = {}
        for part, role, names in f.lists:
            parts.setdefault(part, []).append(f"{'负责' if role == 'lead' else '配合'} {'、'.join(names) or '—'}")
        for part, text in parts.items():
            lines.append(f"    {part} lists: {'; '.join(text)}")
    return "\n".join(lines) + "\n"


_HAS_TASKS = "ASK { ?task a <https://w3id.org/antitraffick-kg/ontology#Task> }"


def audit_store(store, *, inputs: Sequence[str] = (), as_of=None) -> AuditResult:
    """Run every check on what ``store`` holds (and, when it holds progress reports, :func:`progress_checks`).

    ``as_of`` (a date) limits the progress checks to the reports known that day.
    Raises :class:`~antitraffick_kg.errors.InputError` when it holds no task: there is no plan to audit,
    and "0 findings" would wrongly say that one was checked.
    """
    if not bool(store.query(_HAS_TASKS, use_default_graph_as_union=True)):
        raise InputError(f"no plan to audit in {', '.join(inputs) or 'the store'}: it holds no task (atk:Task); "
                         "audit reads a plan built by 'antitraffick-kg build' or exported by 'export'")
    lists = _lists(store)
    all_checks = checks()
    findings = _merge([f for check in all_checks for f in _findings(store, check, lists)])
    reported = progress_findings(store, as_of=as_of)
    if bool(store.query(_HAS_REPORTS, use_default_graph_as_union=True)):   # reports kept: their checks count
        all_checks += progress_checks()
    findings += reported
    findings.sort(key=lambda f: (f.task is None, natural_key(f.task), f.kind, f.unit or "", f.message))
    kinds = sorted({c.kind for c in all_checks})
    counts = tuple((kind, sum(1 for f in findings if f.kind == kind)) for kind in kinds)
    return AuditResult(tuple(findings), counts, _text(findings, counts, inputs), tuple(inputs))


def audit(paths: Sequence[str | Path] = (), *, plan: str | None = None, input_format: RdfFormat | str | None = None,
          build_dir: str | Path = "build", max_bytes: int = DEFAULT_MAX_BYTES,
          corpus: Corpus | None = None) -> AuditResult:
    """Audit RDF files (or, when none are given, a plan): every disagreement between the narrative
    scheme and the annual table, lists naming a unit twice, spelling variants and numbering anomalies.

    The plan is ``plan`` in ``corpus`` (every plan in it when ``plan`` is None), else ``plan`` (the
    default plan when None) read through ``build_dir``.  Raises
    :class:`~antitraffick_kg.errors.InputError` for a file that cannot be used, or a plan the corpus lacks.
    """
    chosen = plan if plan is not None or corpus is not None else DEFAULT_PLAN
    store = load_store(paths, plan=chosen, input_format=input_format, build_dir=build_dir, max_bytes=max_bytes,
                       corpus=corpus)
    named = [str(chosen)] if chosen is not None else list(corpus.plans if corpus is not None else ())
    return audit_store(store, inputs=[str(p) for p in paths] or named)
