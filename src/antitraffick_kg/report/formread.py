"""Reading the forms the units send back (see :mod:`~antitraffick_kg.report.forms`), every row checked.

A reply is the XLSX a unit filled, or the same as CSV: UTF-8 (with or without
a byte-order mark) or GBK, with any line ends.  A file starting with the
UTF-8 byte-order mark must be UTF-8 throughout (a GBK file saved behind such
a mark is refused, not guessed at).  :func:`read_form` checks the form's
identity (row 1, and in an XLSX the hidden sheet ``form``: the plan, the unit,
the year and the form's version), both header rows, and every row: a task of
the unit's obligations that year, the given columns unchanged in number, a
status from the list, a real date (YYYY-MM-DD) and, with a status, a date.
A row the unit left without a status is not a report.  The first fault
raises :class:`InputError` naming the file, the sheet and the row.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
from dataclasses import dataclass
from pathlib import Path

from ..errors import AntitraffickKGError, InputError, UnknownUnitError
from .forms import (COLUMNS, FORM_TITLE, FORM_VERSION, GIVEN, META_SHEET, SHEET, STATUS_WORDS, form_rows)
from .progress import PlanFacts, ProgressRow, obligations

__all__ = ["FilledForm", "read_form"]


@dataclass(frozen=True)
class FilledForm:
    """A reply read and checked: where it came from, whose it is, and its reports (rows with a status)."""

    path: str
    sha256: str
    plan: str
    unit: str
    unit_iri: str
    year: int
    rows: tuple[ProgressRow, ...]
    tasks: int            # rows of the form, answered or not


def _cells(row) -> list[str]:
    out = []
    for value in row:
        if value is None:
            out.append("")
        elif isinstance(value, dt.datetime):
            out.append(value.date().isoformat() if value.time() == dt.time() else value.isoformat())
        elif isinstance(value, dt.date):
            out.append(value.isoformat())
        elif isinstance(value, float) and value.is_integer():
            out.append(str(int(value)))
        else:
            out.append(str(value).strip())
    while out and out[-1] == "":
        out.pop()
    return out


def _decode(path: Path, data: bytes) -> str:
    if data.startswith(b"\xef\xbb\xbf"):
        try:
            return data[3:].decode("utf-8")
        except UnicodeDecodeError as exc:
            raise InputError(f"starts with the UTF-8 byte-order mark but is not UTF-8 (byte {exc.start + 3}): "
                             "save it as UTF-8, or as GBK without the mark", path=str(path)) from None
    for encoding in ("utf-8", "gbk"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise InputError("is neither UTF-8 nor GBK text; save the form as CSV UTF-8 or as XLSX", path=str(path))


def _table(path: Path, data: bytes) -> tuple[str, list[list[str]], dict[str, str] | None]:
    """(where rows are counted, the rows, the hidden sheet's fields or None)."""
    if data.startswith(b"PK\x03\x04"):
        try:
            from openpyxl import load_workbook
        except ImportError:
            raise AntitraffickKGError("reading XLSX forms needs openpyxl; install it with pip install "
                                      "'antitraffick-kg[report]'") from None
        import io
        import zipfile

        try:
            book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        except (zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
            raise InputError(f"not a readable XLSX workbook ({type(exc).__name__}: {exc})", path=str(path)) from None
        names = book.sheetnames
        # the form's sheet; a CSV reply converted by a spreadsheet program has one sheet named after the file
        chosen = SHEET if SHEET in names else next(
            (n for n in names if n != META_SHEET and _cells(next(book[n].iter_rows(max_row=1, values_only=True),
                                                                 ()))[:1] == [FORM_TITLE]), None)
        if chosen is None:
            raise InputError(f"has no sheet '{SHEET}' (sheets: {', '.join(names)}); is it a progress form?",
                             path=str(path))
        rows = [_cells(r) for r in book[chosen].iter_rows(values_only=True)]
        meta = None
        if META_SHEET in names:
            meta = {r[0]: r[1] for r in (_cells(x) for x in book[META_SHEET].iter_rows(values_only=True))
                    if len(r) >= 2}
        book.close()
        return f"sheet {chosen}", rows, meta
    text = _decode(path, data)
    rows = [[v.strip() for v in r] for r in csv.reader(text.splitlines())]
    for r in rows:
        while r and r[-1] == "":
            r.pop()
    return "", rows, None


def read_form(path: str | Path, *, facts: PlanFacts, unit: str | None = None, year: int | None = None
              ) -> FilledForm:
    """The reply at ``path``, checked against the plan ``facts`` was asked of (and, when given, the ``unit`` and
    ``year`` it must be for).  Raises :class:`InputError` naming the file, sheet and row of the first fault."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise InputError("form not found", path=str(path)) from None
    except IsADirectoryError:
        raise InputError("is a folder, not a form", path=str(path)) from None
    where, rows, meta = _table(path, data)

    def fail(row: int, message: str) -> InputError:
        place = f"{where}, row {row}" if where else f"row {row}"
        return InputError(f"{place}: {message}", path=str(path))

    ident = rows[0] if rows else []
    if len(ident) < 5 or ident[0] != FORM_TITLE:
        raise fail(1, f"not a progress form: the first cell must read '{FORM_TITLE}' (write forms with "
                      "'antitraffick-kg forms')")
    form_plan, form_unit, form_year, version = ident[1:5]
    if meta is not None and (meta.get("plan"), meta.get("unit"), meta.get("year")) != (form_plan, form_unit,
                                                                                          form_year):
        raise InputError(f"the hidden sheet '{META_SHEET}' names {meta.get('plan')}, {meta.get('unit')}, "
                         f"{meta.get('year')} but row 1 names {form_plan}, {form_unit}, {form_year}: the form was "
                         "altered", path=str(path))
    if version != f"version {FORM_VERSION}":
        raise fail(1, f"form '{version}' is not the current layout (version {FORM_VERSION}); send the units "
                      "new forms")
    if form_plan != facts.plan:
        raise fail(1, f"the form is for plan '{form_plan}', not {facts.plan}")
    if not (form_year.isdigit() and facts.first <= int(form_year) <= facts.until):
        raise fail(1, f"year '{form_year}' is outside the plan period {facts.first}–{facts.until}")
    try:
        unit_iri, unit_name = facts.unit(form_unit)
    except UnknownUnitError:
        raise fail(1, f"unknown unit '{form_unit}'") from None
    if unit is not None and facts.unit(unit)[1] != unit_name:
        raise fail(1, f"the form is {unit_name}'s, not {facts.unit(unit)[1]}'s")
    if year is not None and int(form_year) != year:
        raise fail(1, f"the form is for {form_year}, not {year}")
    for number, expected in ((2, [zh for zh, _ in COLUMNS]), (3, [en for _, en in COLUMNS])):
        got = rows[number - 1] if len(rows) >= number else []
        if got != expected:
            missing = [h for h in expected if h not in got]
            detail = f"column '{missing[0]}' is missing" if missing else "the columns are out of order"
            raise fail(number, f"{detail}; the header must be: {', '.join(expected)}")
    form_year_int = int(form_year)
    expected_rows = {r.task: r for r in form_rows(obligations(facts.store, unit=unit_name), unit=unit_name,
                                                  year=form_year_int, units_of=facts.pairs)}
    reports, seen = [], {}
    for number, values in enumerate(rows[3:], start=4):
        if not any(values):
            continue
        if len(values) > len(COLUMNS):
            raise fail(number, f"{len(values)} columns, the form has {len(COLUMNS)}")
        values = values + [""] * (len(COLUMNS) - len(values))
        task = values[0]
        if task not in expected_rows:
            raise fail(number, f"task '{task}' is not on {unit_name}'s form for {form_year}; its tasks: "
                               + ", ".join(expected_rows))
        if task in seen:
            raise fail(number, f"task {task} is on row {seen[task]} already")
        seen[task] = number
        status_word, note, day, reporter = values[len(GIVEN):]
        if not status_word:
            if note or day:
                raise fail(number, f"task {task}: a status is missing; choose one of {' / '.join(STATUS_WORDS)}")
            continue
        if status_word not in STATUS_WORDS:
            raise fail(number, f"task {task}: status '{status_word}' is not one of {' / '.join(STATUS_WORDS)}")
        if not day:
            raise fail(number, f"task {task}: the date is missing (YYYY-MM-DD)")
        try:
            report_date = dt.date.fromisoformat(day)
            if len(day) != 10:
                raise ValueError(day)
        except ValueError:
            raise fail(number, f"task {task}: date '{day}' is not a day of the calendar written YYYY-MM-DD") \
                from None
        reports.append(ProgressRow(str(path), number, facts.plan, task, unit_name, unit_iri, form_year_int,
                                   STATUS_WORDS[status_word], note, report_date, reporter))
    return FilledForm(str(path), hashlib.sha256(data).hexdigest(), facts.plan, unit_name, unit_iri,
                      form_year_int, tuple(reports), len(expected_rows))
