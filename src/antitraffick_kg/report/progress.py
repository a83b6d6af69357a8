"""Progress reports and the state of the plan's obligations as of a date.

A progress report is a CSV file (UTF-8) with the header
``plan,task,unit,year,status,note,report_date,reporter``; each row says what one
unit reports on one task for one plan year.  :func:`read_reports` checks every
row against the plan (the plan id, a task of the plan, a unit the registry knows
and that the task names, a year of the plan period, a known status, an ISO
report date) and raises :class:`InputError` naming the file and row of the
first fault.  :func:`reports_nquads` turns the rows into ``atk:ProgressReport``
activities (PROV) in the named graph ``…/id/graph/<plan>/progress``.

The obligations come from the ``obligations`` catalogue query: every deadline,
recurring duty and ongoing span of the annual table, for each unit named in the
task.  A deadline falls due once; a recurring duty and an ongoing span once a
year, from their first to their last year, on the day the query gives (31
December unless the duty's clause states a day: 每年2月15日前, 每年一季度).  The
year of an obligation is the year it falls due; a report with that year settles
it.

:func:`status` answers, as of a day, for every obligation falling due in that
day's year or earlier: ``done`` or ``not-applicable`` when the latest report
dated on or before the day says so, else ``late`` once its day has passed, else
``due``.  Without reports every obligation is unreported.  The reports are those kept in the corpus
store (``progress add``) and those of the files given (``reports``); the audit's findings on them as of the
day (:func:`~antitraffick_kg.check.audit.progress_findings`) come with the status.
"""

from __future__ import annotations

import csv
import datetime as dt
import difflib
import json
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import pyoxigraph as ox

from ..errors import InputError, QueryError, UnknownUnitError
from ..resources import DEFAULT_PLAN
from ..namespaces import BASE
from ..store.stores import OxigraphStore, Store

if TYPE_CHECKING:  # pragma: no cover
    from ..store.corpus import Corpus

__all__ = ["REPORT_COLUMNS", "STATUSES", "ProgressRow", "Obligation", "StatusRow", "StatusResult", "read_reports",
           "reports_nquads", "progress_graph_iri", "PlanFacts", "open_plan_store", "obligations", "status"]

#: the columns of a progress report file, in order
REPORT_COLUMNS = ("plan", "task", "unit", "year", "status", "note", "report_date", "reporter")
#: the statuses a report may give, and the ontology individual of each
STATUSES = {"not-started": "notStarted", "in-progress": "inProgress", "done": "done",
            "not-applicable": "notApplicable"}
_SETTLED = ("done", "not-applicable")

_ATK = BASE + "ontology#"
_PROV = "http://www.w3.org/ns/prov#"
_RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
_XSD = "http://www.w3.org/2001/XMLSchema#"


@dataclass(frozen=True)
class ProgressRow:
    """One checked row of a progress report."""

    path: str
    line: int
    plan: str
    task: str
    unit: str            # the unit's short name
    unit_iri: str
    year: int
    status: str
    note: str
    report_date: dt.date
    reporter: str


def progress_graph_iri(plan: str) -> str:
    """The named graph that holds the progress reports of ``plan``.

    >>> progress_graph_iri("dehong-2022-2030")
    'https://w3id.org/antitraffick-kg/id/graph/dehong-2022-2030/progress'
    """
    return f"{BASE}id/graph/{plan}/progress"


# -- reading ---------------------------------------------------------------------
class PlanFacts:
    """What a report row is checked against, asked of the plan's store once."""

    def __init__(self, store: Store, plan: str) -> None:
        from ..ask.query import query

        self.store = store
        self.plan = plan
        plans = {r["plan"]: r for r in query("plans", store=store)}
        if plan not in plans:
            raise QueryError(f"plan '{plan}' is not in the graph; plans there: {', '.join(sorted(plans))}")
        self.first, self.until = int(plans[plan]["from"]), int(plans[plan]["until"])
        self.pairs: dict[str, set[str]] = {}
        for r in query("assignments", store=store):
            self.pairs.setdefault(r["task"], set()).add(r["unit"])
        self._units: dict[str, tuple[str, str] | UnknownUnitError] = {}

    def unit(self, name: str) -> tuple[str, str]:
        """(IRI, short name) of a unit name; raises :class:`UnknownUnitError`."""
        if name not in self._units:
            from ..ask.catalogue import get_query
            from ..ask.query import bind_parameters, query

            try:
                iri = bind_parameters(get_query("tasks-by-unit"), {"unit": name},
                                      store=lambda: self.store)["UNIT"].value
                rows = query("tasks-by-unit", params={"unit": f"<{iri}>"}, store=self.store)
                self._units[name] = (iri, rows[0]["unit"] if len(rows) else name)
            except UnknownUnitError as exc:
                self._units[name] = exc
        found = self._units[name]
        if isinstance(found, UnknownUnitError):
            raise found
        return found


def read_reports(paths: Sequence[str | Path], *, store: Store, plan: str = DEFAULT_PLAN) -> list[ProgressRow]:
    """The rows of the progress report files ``paths``, checked against ``plan`` in ``store``.

    Raises :class:`InputError` (file and row) for a missing or unreadable file,
    a wrong header, or a row that names an unknown plan, task or unit, a unit
    the task does not name, a year outside the plan period, an unknown status
    or a report date that is not YYYY-MM-DD.
    """
    facts = PlanFacts(store, plan)
    rows: list[ProgressRow] = []
    for path in paths:
        rows.extend(_read_file(Path(path), facts))
    return rows


def _read_file(path: Path, facts: PlanFacts) -> list[ProgressRow]:
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except FileNotFoundError:
        raise InputError("progress report not found", path=str(path)) from None
    except IsADirectoryError:
        raise InputError("is a folder, not a progress report file", path=str(path)) from None
    except UnicodeDecodeError as exc:
        raise InputError(f"not UTF-8 text (byte {exc.start})", path=str(path)) from None
    reader = csv.reader(text.splitlines(keepends=True))
    header = next(reader, None)
    if header is None:
        raise InputError("empty progress report; the first row must be: " + ",".join(REPORT_COLUMNS),
                         path=str(path), line=1)
    if tuple(h.strip() for h in header) != REPORT_COLUMNS:
        raise InputError("the header must be: " + ",".join(REPORT_COLUMNS), path=str(path), line=1)
    rows = []
    for values in reader:
        line = reader.line_num
        if not any(v.strip() for v in values):
            continue
        if len(values) != len(REPORT_COLUMNS):
            raise InputError(f"{len(values)} fields, expected {len(REPORT_COLUMNS)} ({','.join(REPORT_COLUMNS)})",
                             path=str(path), line=line)
        rows.append(_check_row(dict(zip(REPORT_COLUMNS, (v.strip() for v in values))), facts, path, line))
    return rows


def _check_row(row: dict[str, str], facts: PlanFacts, path: Path, line: int) -> ProgressRow:
    def fail(message: str) -> InputError:
        return InputError(message, path=str(path), line=line)

    if row["plan"] != facts.plan:
        raise fail(f"plan '{row['plan']}' is not the plan being checked ({facts.plan})")
    task = row["task"]
    if task not in facts.pairs:
        close = difflib.get_close_matches(task, sorted(facts.pairs), n=3, cutoff=0.6)
        raise fail(f"unknown task '{task}'" + (f"; did you mean {', '.join(close)}?" if close else ""))
    try:
        iri, unit = facts.unit(row["unit"])
    except UnknownUnitError as exc:
        hint = f"; did you mean {', '.join(exc.suggestions)}?" if exc.suggestions else ""
        raise fail(f"unknown unit '{exc.name}'{hint}") from None
    if unit not in facts.pairs[task]:
        raise fail(f"unit '{row['unit']}' has no role in task {task}; the task names "
                   + "、".join(sorted(facts.pairs[task])))
    if not (row["year"].isdigit() and facts.first <= int(row["year"]) <= facts.until):
        raise fail(f"year '{row['year']}' is outside the plan period {facts.first}–{facts.until}")
    if row["status"] not in STATUSES:
        raise fail(f"unknown status '{row['status']}'; use one of {', '.join(STATUSES)}")
    try:
        day = dt.date.fromisoformat(row["report_date"])
    except ValueError:
        raise fail(f"report_date '{row['report_date']}' is not a date YYYY-MM-DD") from None
    return ProgressRow(str(path), line, facts.plan, task, unit, iri, int(row["year"]), row["status"],
                       row["note"], day, row["reporter"])


def reports_nquads(rows: Sequence[ProgressRow], *, plan: str = DEFAULT_PLAN, start: int = 1) -> bytes:
    """The rows as ``atk:ProgressReport`` activities in the plan's progress graph, as N-Quads, numbered
    (``atk:position``, the order they were read in) from ``start``."""
    graph = ox.NamedNode(progress_graph_iri(plan))
    quads = []
    for position, row in enumerate(rows, start=start):
        node = ox.NamedNode(f"{BASE}id/plan/{plan}/progress/{position}")

        def add(predicate: str, obj) -> None:
            quads.append(ox.Quad(node, ox.NamedNode(predicate), obj, graph))

        quads.append(ox.Quad(node, _RDF_TYPE, ox.NamedNode(_ATK + "ProgressReport"), graph))
        add(_ATK + "reportsOn", ox.NamedNode(f"{BASE}id/plan/{plan}/task/{row.task}"))
        add(_PROV + "wasAssociatedWith", ox.NamedNode(row.unit_iri))
        add(_ATK + "reportYear", ox.Literal(str(row.year), datatype=ox.NamedNode(_XSD + "integer")))
        add(_ATK + "reportedStatus", ox.NamedNode(_ATK + STATUSES[row.status]))
        add("http://purl.org/dc/terms/date", ox.Literal(row.report_date.isoformat(),
                                                        datatype=ox.NamedNode(_XSD + "date")))
        add(_ATK + "position", ox.Literal(str(position), datatype=ox.NamedNode(_XSD + "integer")))
        if row.reporter:
            add(_ATK + "reporter", ox.Literal(row.reporter))
        if row.note:
            add("http://www.w3.org/2000/01/rdf-schema#comment", ox.Literal(row.note, language="zh"))
    return ox.serialize(quads, format=ox.RdfFormat.N_QUADS) if quads else b""


def open_plan_store(*, plan: str = DEFAULT_PLAN, build_dir: str | Path = "build",
                    reports: Sequence[str | Path] = (), corpus: "Corpus | None" = None) -> OxigraphStore:
    """An embedded store with the plan (from ``corpus`` when given, with the reports kept in it, else through
    ``build_dir``) and, checked and in their own graph after those, the progress ``reports``."""
    from ..pipeline.sources import plan_nquads

    if corpus is not None:      # a copy of the handle's plan in memory: no N-Quads written and read again
        held = ox.Store()
        held.bulk_extend(corpus.memory(plan))
        store = OxigraphStore(held)
    else:
        store = OxigraphStore.from_nquads(plan_nquads(plan, build_dir=build_dir))
    if reports:
        rows = read_reports(reports, store=store, plan=plan)
        stored = [int(q.object.value) for q in store.store.quads_for_pattern(
            None, ox.NamedNode(_ATK + "position"), None, ox.NamedNode(progress_graph_iri(plan)))]
        store.store.load(reports_nquads(rows, plan=plan, start=max(stored, default=0) + 1),
                         format=ox.RdfFormat.N_QUADS)
    return store


# -- obligations -------------------------------------------------------------------
@dataclass(frozen=True)
class Obligation:
    """What a unit must have done on a task by a day (one year of a duty or span, or a deadline)."""

    task: str
    title: str
    unit: str
    role: str            # lead, support, or each part's role where the parts differ
    kind: str            # deadline, recurring, ongoing
    year: int
    due: dt.date
    line: int
    quote: str


def _role(by_part: dict[str, str]) -> str:
    if len(set(by_part.values())) == 1:
        return next(iter(by_part.values()))
    return ", ".join(f"{role} ({part})" for part, role in sorted(by_part.items()))


def obligations(store: Store, *, unit: str | None = None, task: str | None = None) -> list[Obligation]:
    """Every obligation of the plan in ``store``, one per year of each recurring duty and ongoing span.

    ``unit`` and ``task`` restrict them (a unit by any name the registry knows).
    """
    from ..ask.query import query

    params = {k: v for k, v in (("unit", unit), ("task", task)) if v is not None}
    merged: dict[tuple, dict[str, str]] = {}
    for r in query("obligations", params=params, store=store):
        key = (r["task"], r["title"], r["unit"], r["kind"], int(r["first"]), int(r["until"]), r["due"],
               int(r["line"]), r["quote"])
        merged.setdefault(key, {})[r["source"]] = r["role"]
    out = []
    for (t, title, u, kind, first, until, due, line, quote), parts in merged.items():
        month, day = (int(x) for x in due.split("-"))
        for year in range(first, until + 1):
            out.append(Obligation(t, title, u, _role(parts), kind, year, dt.date(year, month, day), line, quote))
    return sorted(out, key=lambda o: (o.due, _natural(o.task), o.unit, o.kind, o.line))


def _natural(notation: str) -> tuple:
    return tuple(int(p) if p.isdigit() else 0 for p in notation.split("."))


# -- status as of a day ------------------------------------------------------------------
@dataclass(frozen=True)
class StatusRow:
    """An obligation, what was reported on it by the day, and its state."""

    task: str
    title: str
    unit: str
    role: str
    kind: str
    year: int
    due: str
    reported: str        # the latest report's status, or "unreported"
    status: str          # done, not-applicable, late or due
    note: str
    line: int
    quote: str


@dataclass(frozen=True)
class StatusResult:
    """The state of the plan's obligations as of a day (see the module documentation)."""

    plan: str
    as_of: dt.date
    unit: str | None
    reports: int         # task-unit-years with a report dated on or before the day
    rows: tuple[StatusRow, ...] = field(default_factory=tuple)
    findings: tuple = ()  # the audit's findings on the reports known by the day (check.audit.Finding)

    COLUMNS = ("task", "title", "unit", "role", "kind", "year", "due", "reported", "status")

    def counts(self) -> dict[str, int]:
        """How many obligations are in each state, and how many are unreported."""
        out = {s: sum(r.status == s for r in self.rows) for s in ("done", "not-applicable", "late", "due")}
        out["unreported"] = sum(r.reported == "unreported" for r in self.rows)
        return out

    def late_by_unit(self) -> list[tuple[str, int, int]]:
        """(unit, late, obligations due by the end of the year) for each unit with something late, most first."""
        late: dict[str, list[int]] = {}
        for r in self.rows:
            entry = late.setdefault(r.unit, [0, 0])
            entry[0] += r.status == "late"
            entry[1] += 1
        return sorted(((u, n, total) for u, (n, total) in late.items() if n), key=lambda x: (-x[1], x[0]))

    def completion(self, key=lambda r: r.unit) -> dict[str, dict[int, tuple[int, int]]]:
        """For each group of rows (``key``: by unit unless told) and year: (settled, obligations), where settled
        counts done and not applicable."""
        out: dict[str, dict[int, list[int]]] = {}
        for r in self.rows:
            cell = out.setdefault(key(r), {}).setdefault(r.year, [0, 0])
            cell[0] += r.status in _SETTLED
            cell[1] += 1
        return {g: {y: (a, b) for y, (a, b) in years.items()} for g, years in out.items()}

    def summary(self) -> str:
        c = self.counts()
        who = f", unit {self.unit}" if self.unit else ""
        return (f"{self.plan} as of {self.as_of.isoformat()}{who}: {len(self.rows)} obligations due by the end of "
                f"{self.as_of.year}: {c['done']} done, {c['not-applicable']} not applicable, {c['late']} late, "
                f"{c['due']} due; {c['unreported']} unreported ({self.reports} task-unit-years reported by then)")

    def to_text(self) -> str:
        from ..ask.query import format_rows

        rows = [{c: str(getattr(r, c)) for c in self.COLUMNS} for r in self.rows]
        found = "".join(f"finding {f.kind}: {f.message}\n" for f in self.findings if f.kind != "progress-no-answer")
        silent: dict[str, list[str]] = {}
        for f in self.findings:
            if f.kind == "progress-no-answer":
                silent.setdefault(f.message.split(" sent no report on ")[-1][:4], []).append(f.unit or "")
        found += "".join(f"finding progress-no-answer: no report on {year} from {len(names)} unit(s): "
                         f"{'、'.join(names)}\n" for year, names in sorted(silent.items()))
        return self.summary() + "\n" + (f"\n{found}" if found else "") + "\n" + format_rows(self.COLUMNS, rows,
                                                                                          "table")

    def to_json(self) -> str:
        return json.dumps({"plan": self.plan, "as_of": self.as_of.isoformat(), "unit": self.unit,
                           "reports": self.reports, "counts": self.counts(),
                           "findings": [f.as_dict() for f in self.findings],
                           "obligations": [asdict(r) for r in self.rows]}, ensure_ascii=False, indent=2) + "\n"


def status(*, as_of: dt.date, plan: str = DEFAULT_PLAN, unit: str | None = None,
           reports: Sequence[str | Path] = (), build_dir: str | Path = "build",
           store: Store | None = None, corpus: "Corpus | None" = None) -> StatusResult:
    """What is due, done, late or unreported as of ``as_of``, per task and unit.

    ``reports`` are progress report files (checked; see :func:`read_reports`);
    ``store`` is a store :func:`open_plan_store` opened, to ask several days;
    without it the plan comes from ``corpus`` when given, else through ``build_dir``.
    Raises :class:`InputError` for a faulty report and :class:`UnknownUnitError`
    for an unknown ``unit``.

    >>> r = status(as_of=dt.date(2023, 3, 1), unit="州公安局")
    >>> r.counts()["unreported"] == len(r.rows) > 0
    True
    """
    from ..ask.query import query

    if store is None:
        store = open_plan_store(plan=plan, build_dir=build_dir, reports=reports, corpus=corpus)
    from ..resources import queries_path

    reported = query(queries_path() / "progress" / "latest-reports.rq", params={"date": as_of}, store=store)
    latest = {(r["task"], r["unit"], int(r["year"])): r for r in reported}
    rows = []
    for o in obligations(store, unit=unit):
        if o.year > as_of.year:
            continue
        report = latest.get((o.task, o.unit, o.year))
        reported = report["status"] if report else "unreported"
        if reported in _SETTLED:
            state = reported
        else:
            state = "late" if o.due < as_of else "due"
        rows.append(StatusRow(o.task, o.title, o.unit, o.role, o.kind, o.year, o.due.isoformat(), reported, state,
                              (report or {}).get("note") or "", o.line, o.quote))
    from ..check.audit import progress_findings

    found = progress_findings(store.store, as_of=as_of)
    if unit is not None:
        names = {r.unit for r in rows}
        found = [f for f in found if f.unit in names or any(n in f.message for n in names)]
    return StatusResult(plan, as_of, unit, len(latest), tuple(rows), tuple(found))
