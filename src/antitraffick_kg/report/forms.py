"""The yearly progress forms: one workbook per unit, listing what the unit must do that year, for it to fill.

:func:`write_forms` writes, for a plan year, one form per unit with an
obligation falling due that year (the ``obligations`` catalogue query, one
row per task: its kinds, due days, source lines and words merged), as XLSX
(openpyxl) and the same as CSV (UTF-8 with a byte-order mark, CRLF, as
spreadsheet programs read it).  The sheet ``填报`` holds:

* row 1, the form's identity: ``进度报告表 progress form``, the plan, the unit,
  the year and the form's version (the hidden sheet ``form`` repeats them, so
  a reply can be checked even when a program drops the first row's meaning);
* row 2 the headers in Chinese, row 3 the same in English;
* from row 4 one row per task: the given columns (:data:`GIVEN`, locked: the
  sheet is protected without a password, so the layout is kept, not secret)
  and the columns the unit fills (:data:`FILLED`: the status from a drop-down
  list of :data:`STATUS_WORDS`, what was done, the date, the reporter).

The CSV has the same three rows first and the same columns.  Needs openpyxl
(``pip install 'antitraffick-kg[report]'``) for the XLSX.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import AntitraffickKGError, InputError, OutputError
from ..resources import DEFAULT_PLAN

if TYPE_CHECKING:  # pragma: no cover
    from ..store.corpus import Corpus
    from ..store.stores import Store
    from .progress import Obligation

__all__ = ["FORM_VERSION", "FORM_TITLE", "SHEET", "META_SHEET", "GIVEN", "FILLED", "COLUMNS", "STATUS_WORDS",
           "FormRow", "FormsResult", "form_rows", "form_units", "write_forms", "unit_slug", "status_xlsx"]

#: the layout's version, written into every form and checked when a reply is read
FORM_VERSION = "1"
#: the first cell of a form
FORM_TITLE = "进度报告表 progress form"
SHEET = "填报"
META_SHEET = "form"
#: the given columns (Chinese header, English header), locked in the workbook
GIVEN = (("任务编号", "task"), ("任务", "title"), ("角色", "role"), ("其他单位", "other units"),
         ("类型", "kind"), ("到期日", "due"), ("原文行", "source line"), ("原文", "words"))
#: the columns the unit fills
FILLED = (("状态", "status"), ("完成情况", "what was done"), ("日期", "date"), ("填报人", "reporter"))
COLUMNS = GIVEN + FILLED
#: the statuses a unit may choose, and the status each stands for
STATUS_WORDS = {"未开始": "not-started", "推进中": "in-progress", "已完成": "done", "不适用": "not-applicable"}
_ROLE_ZH = {"lead": "负责", "support": "配合"}
_KIND_ZH = {"deadline": "截止期限", "recurring": "周期性职责", "ongoing": "持续推进"}
_XLSX_NEED = "the XLSX forms need openpyxl; install it with pip install 'antitraffick-kg[report]'"


@dataclass(frozen=True)
class FormRow:
    """One row of a unit's form: a task and what falls due on it in the year (the given columns)."""

    task: str
    title: str
    role: str
    others: str
    kind: str
    due: str
    lines: str
    words: str

    def given(self) -> tuple[str, ...]:
        return (self.task, self.title, self.role, self.others, self.kind, self.due, self.lines, self.words)


@dataclass(frozen=True)
class FormsResult:
    """What :func:`write_forms` wrote: the folder, the year and, per unit, the XLSX file and its number of rows."""

    out_dir: Path
    plan: str
    year: int
    forms: tuple[tuple[str, str, int], ...]      # (unit, file name without suffix, rows)

    def summary(self) -> str:
        rows = sum(n for _, _, n in self.forms)
        return (f"wrote {len(self.forms)} forms for {self.year} (XLSX and CSV, {rows} rows) to {self.out_dir}")


def unit_slug(iri: str) -> str:
    """The last segment of a unit's IRI, which names its form files.

    >>> unit_slug("https://w3id.org/antitraffick-kg/id/unit/womens-federation")
    'womens-federation'
    """
    return iri.rstrip("/").rsplit("/", 1)[-1]


def _role_text(role: str) -> str:
    # "lead", "support", or "lead (narrative), support (table)" where the parts differ
    for english, chinese in _ROLE_ZH.items():
        if role == english:
            return f"{chinese} {english}"
    return role


def form_rows(obligations: Sequence["Obligation"], *, unit: str, year: int,
              units_of: dict[str, set[str]]) -> list[FormRow]:
    """The rows of ``unit``'s form for ``year``: its obligations of that year, one row per task (in the order of
    the tasks' first due day), with the task's other units from ``units_of`` (task -> unit names)."""
    by_task: dict[str, list] = {}
    for o in obligations:
        if o.unit == unit and o.year == year:
            by_task.setdefault(o.task, []).append(o)
    rows = []
    for task, found in by_task.items():
        found.sort(key=lambda o: (o.due, o.line, o.kind))
        roles = list(dict.fromkeys(o.role for o in found))
        rows.append(FormRow(
            task, found[0].title, "; ".join(_role_text(r) for r in roles),
            "、".join(sorted(units_of.get(task, set()) - {unit})),
            "; ".join(dict.fromkeys(f"{_KIND_ZH[o.kind]} {o.kind}" for o in found)),
            "; ".join(dict.fromkeys(o.due.isoformat() for o in found)),
            "; ".join(dict.fromkeys(str(o.line) for o in found)),
            " / ".join(dict.fromkeys(o.quote for o in found))))
    return rows


def form_units(obligations: Sequence["Obligation"], *, year: int) -> list[str]:
    """The units with an obligation falling due in ``year``, sorted."""
    return sorted({o.unit for o in obligations if o.year == year})


def _table(plan: str, unit: str, year: int, rows: Sequence[FormRow]) -> list[list[str]]:
    return ([[FORM_TITLE, plan, unit, str(year), f"version {FORM_VERSION}"],
             [zh for zh, _ in COLUMNS], [en for _, en in COLUMNS]]
            + [list(r.given()) + [""] * len(FILLED) for r in rows])


def _csv_bytes(table: list[list[str]]) -> bytes:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerows(table)
    return ("\ufeff" + buf.getvalue()).encode("utf-8")


def _xlsx_bytes(table: list[list[str]], *, plan: str, unit: str, year: int) -> bytes:
    try:
        from openpyxl import Workbook
        from openpyxl.styles import Alignment, Font, PatternFill, Protection
        from openpyxl.utils import get_column_letter
        from openpyxl.worksheet.datavalidation import DataValidation
    except ImportError:
        raise AntitraffickKGError(_XLSX_NEED) from None

    book = Workbook()
    sheet = book.active
    sheet.title = SHEET
    for row in table:
        sheet.append(row)
    last = len(table)
    bold, grey = Font(bold=True), PatternFill("solid", fgColor="ECEFF1")
    for cell in sheet[2] + sheet[3]:
        cell.font, cell.fill = bold, grey
    sheet["A1"].font = Font(bold=True, size=12)
    widths = (9, 22, 14, 28, 22, 12, 9, 50, 10, 40, 12, 12)
    for i, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(i)].width = width
    first_filled = len(GIVEN) + 1
    for r in range(4, last + 1):
        for c in range(1, len(COLUMNS) + 1):
            cell = sheet.cell(row=r, column=c)
            cell.alignment = Alignment(wrap_text=True, vertical="top")
            if c >= first_filled:
                cell.protection = Protection(locked=False)
                cell.number_format = "@"      # text: a date stays as typed, YYYY-MM-DD
    if last >= 4:
        status = DataValidation(type="list", formula1='"' + ",".join(STATUS_WORDS) + '"', allow_blank=True,
                                showErrorMessage=True, errorTitle="状态 status",
                                error="请从列表中选择 choose one of: " + " / ".join(STATUS_WORDS))
        sheet.add_data_validation(status)
        column = get_column_letter(first_filled)
        status.add(f"{column}4:{column}{last}")
    sheet.freeze_panes = "C4"
    sheet.protection.sheet = True            # no password: the layout is kept, nothing is secret
    sheet.protection.formatColumns = False
    sheet.protection.formatRows = False
    meta = book.create_sheet(META_SHEET)
    for key, value in (("plan", plan), ("unit", unit), ("year", str(year)), ("version", FORM_VERSION),
                       ("tasks", str(last - 3))):
        meta.append([key, value])
    meta.sheet_state = "hidden"
    meta.protection.sheet = True
    book.properties.created = book.properties.modified = dt.datetime(year, 1, 1)
    buf = io.BytesIO()
    book.save(buf)
    return buf.getvalue()


def _write(path: Path, data: bytes) -> None:
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        temporary.write_bytes(data)
        os.replace(temporary, path)
    except OSError as exc:
        temporary.unlink(missing_ok=True)
        raise OutputError(f"cannot write the form: {exc.strerror or exc}", path=str(path)) from None


def write_forms(out_dir: str | Path, *, year: int, plan: str = DEFAULT_PLAN, unit: str | None = None,
                build_dir: str | Path = "build", corpus: "Corpus | None" = None,
                store: "Store | None" = None) -> FormsResult:
    """Write the forms of ``year`` (every unit with an obligation falling due that year, or only ``unit``) into
    ``out_dir`` as ``<year>-<unit>.xlsx`` and ``.csv``.

    The plan comes from ``store``, else from ``corpus``, else through ``build_dir``.  Raises
    :class:`InputError` for a year outside the plan period, :class:`UnknownUnitError` for an unknown unit, an
    :class:`InputError` when the unit has nothing due that year, :class:`OutputError` when the folder cannot be
    written.  Each file appears whole (written aside, then renamed).
    """
    from .progress import PlanFacts, obligations, open_plan_store

    if store is None:
        store = open_plan_store(plan=plan, build_dir=build_dir, corpus=corpus)
    facts = PlanFacts(store, plan)
    if not facts.first <= year <= facts.until:
        raise InputError(f"year {year} is outside the plan period {facts.first}–{facts.until}")
    every = obligations(store)
    units = form_units(every, year=year)
    if unit is not None:
        _, name = facts.unit(unit)
        if name not in units:
            raise InputError(f"unit '{unit}' has nothing falling due in {year}; units with obligations that year: "
                             + "、".join(units))
        units = [name]
    out = Path(out_dir)
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(f"cannot create the folder: {exc.strerror or exc}", path=str(out)) from None
    written = []
    for name in units:
        rows = form_rows(every, unit=name, year=year, units_of=facts.pairs)
        stem = f"{year}-{unit_slug(facts.unit(name)[0])}"
        table = _table(plan, name, year, rows)
        _write(out / f"{stem}.xlsx", _xlsx_bytes(table, plan=plan, unit=name, year=year))
        _write(out / f"{stem}.csv", _csv_bytes(table))
        written.append((name, stem, len(rows)))
    return FormsResult(out, plan, year, tuple(written))


def status_xlsx(result) -> bytes:
    """The status table of a :class:`~antitraffick_kg.report.progress.StatusResult` as an XLSX workbook, for the
    office's own use: the sheet ``状态 status`` (every obligation, headers in Chinese over English, filters on),
    ``逾期 late`` (late per unit) and, when there are any, ``发现 findings``."""
    try:
        from openpyxl import Workbook
        from openpyxl.styles import Font
    except ImportError:
        raise AntitraffickKGError(_XLSX_NEED) from None
    zh = {"task": "任务编号", "title": "任务", "unit": "单位", "role": "角色", "kind": "类型", "year": "年度",
          "due": "到期日", "reported": "所报状态", "status": "状态", "note": "完成情况", "line": "原文行"}
    columns = result.COLUMNS + ("note", "line")
    book = Workbook()
    sheet = book.active
    sheet.title = "状态 status"
    sheet.append([result.summary()])
    sheet.append([zh[c] for c in columns])
    sheet.append(list(columns))
    for r in result.rows:
        sheet.append([r.year if c == "year" else r.line if c == "line" else str(getattr(r, c)) for c in columns])
    for cell in sheet[2] + sheet[3]:
        cell.font = Font(bold=True)
    sheet.auto_filter.ref = f"A3:{chr(ord('A') + len(columns) - 1)}{max(sheet.max_row, 3)}"
    sheet.freeze_panes = "A4"
    late = book.create_sheet("逾期 late")
    late.append(["单位", "逾期", "到期义务"])
    late.append(["unit", "late", "obligations"])
    for row in result.late_by_unit():
        late.append(list(row))
    if result.findings:
        found = book.create_sheet("发现 findings")
        found.append(["类型 kind", "任务 task", "单位 unit", "说明", "message"])
        for f in result.findings:
            found.append([f.kind, f.task or "", f.unit or "", f.message_zh, f.message])
    book.properties.created = book.properties.modified = dt.datetime.combine(result.as_of, dt.time())
    buf = io.BytesIO()
    book.save(buf)
    return buf.getvalue()
