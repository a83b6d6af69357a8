"""A year of reporting: forms out to every unit, filled, added to the corpus store, seen by status, audit and report."""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import json
import shutil
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import require

openpyxl = pytest.importorskip("openpyxl")

from antitraffick_kg.ask.query import query  # noqa: E402
from antitraffick_kg.check.audit import progress_findings  # noqa: E402
from antitraffick_kg.cli.main import main  # noqa: E402
from antitraffick_kg.report.forms import COLUMNS, FILLED, GIVEN, META_SHEET, SHEET, STATUS_WORDS  # noqa: E402
from antitraffick_kg.report.progress import open_plan_store, progress_graph_iri, status  # noqa: E402
from antitraffick_kg.store.corpus import PROGRESS, Corpus  # noqa: E402

PLAN = "dehong-2022-2030"
YEAR = 2024
GRAPH = progress_graph_iri(PLAN)


@pytest.fixture(scope="module")
def forms(build_dir, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("forms") / "forms-2024"
    result = CliRunner().invoke(main, ["forms", "--year", str(YEAR), "--output-dir", str(out),
                                       "--store", str(build_dir / "store")])
    assert result.exit_code == 0, result.output
    return out


@pytest.fixture
def store_dir(build_dir, tmp_path) -> Path:
    """A copy of the session's corpus store, for one test to add reports to."""
    target = tmp_path / "store"
    shutil.copytree(build_dir / "store", target, symlinks=True)
    return target


def _obligation_rows(build_dir) -> dict[str, dict[str, set]]:
    """unit -> task -> the (role, line, due) of its obligations in YEAR, straight from the ``obligations`` query."""
    store = open_plan_store(plan=PLAN, build_dir=build_dir)
    out: dict[str, dict[str, set]] = {}
    for r in query("obligations", store=store):
        first, until = int(r["first"]), int(r["until"])
        if first <= YEAR <= until:
            out.setdefault(r["unit"], {}).setdefault(r["task"], set()).add(
                (r["role"], int(r["line"]), f"{YEAR}-{r['due']}"))
    return out


def _sheet(path: Path) -> list[list[str]]:
    book = openpyxl.load_workbook(path)
    return [["" if v is None else str(v) for v in row] for row in book[SHEET].iter_rows(values_only=True)]


def _fill(form: Path, target: Path, statuses: dict[str, str], *, day: str = "2024-11-30",
          default: str | None = None) -> Path:
    """The form filled through openpyxl as a unit's clerk would: a status, words, a date and a name per task."""
    book = openpyxl.load_workbook(form)
    sheet = book[SHEET]
    first = len(GIVEN) + 1
    for row in range(4, sheet.max_row + 1):
        task = sheet.cell(row, 1).value
        word = statuses.get(task, default)
        if word:
            for offset, value in enumerate((word, f"{task}：已按要求开展", day, "王芳")):
                sheet.cell(row, first + offset).value = value
    book.save(target)
    return target


def _state(store_dir: Path) -> tuple[str, int, str]:
    """What a reader sees: the current generation, the progress part's triple count and digest."""
    corpus = Corpus.open(store_dir)
    entry = corpus.entries.get((PLAN, PROGRESS))
    return (str((store_dir / "current").resolve().name), entry.triples if entry else 0,
            entry.digest if entry else "")


def _add(store_dir: Path, *files: Path, extra: tuple[str, ...] = ()):
    return CliRunner().invoke(main, ["progress", "add", *map(str, files), "--store", str(store_dir), *extra])


# -- forms out ---------------------------------------------------------------------------------------------
def test_one_form_per_unit_with_an_obligation_that_year_rows_equal_the_obligations(forms, build_dir):
    expected = _obligation_rows(build_dir)
    books = sorted(forms.glob("*.xlsx"))
    assert len(books) == len(sorted(forms.glob("*.csv"))) == len(expected)
    seen = {}
    for book in books:
        table = _sheet(book)
        unit = table[0][2]
        assert table[0][:4] == ["进度报告表 progress form", PLAN, unit, str(YEAR)]
        assert table[1] == [zh for zh, _ in COLUMNS] and table[2] == [en for _, en in COLUMNS]
        rows = {r[0]: r for r in table[3:]}
        assert set(rows) == set(expected[unit]), unit
        for task, facts in expected[unit].items():
            row = rows[task]
            assert set(row[5].split("; ")) == {due for _, _, due in facts}, (unit, task)
            assert set(row[6].split("; ")) == {str(line) for _, line, _ in facts}, (unit, task)
            assert all(role in row[2] for role, _, _ in facts), (unit, task)
            assert all(v == "" for v in row[len(GIVEN):]), "the unit fills these"
        with open(book.with_suffix(".csv"), encoding="utf-8-sig", newline="") as handle:
            assert [[c for c in r] for r in csv.reader(handle)][1:] == [r[:len(COLUMNS)] for r in table[1:]]
        seen[unit] = book
    assert set(seen) == set(expected)


def test_the_workbook_offers_the_status_list_locks_the_given_columns_and_names_itself(forms):
    book = openpyxl.load_workbook(forms / "2024-womens-federation.xlsx")
    sheet = book[SHEET]
    assert sheet.protection.sheet
    assert sheet.cell(4, 1).protection.locked and sheet.cell(4, len(GIVEN)).protection.locked
    assert not any(sheet.cell(4, len(GIVEN) + i).protection.locked for i in range(1, len(FILLED) + 1))
    (validation,) = sheet.data_validations.dataValidation
    assert validation.type == "list" and validation.formula1 == '"' + ",".join(STATUS_WORDS) + '"'
    assert str(validation.sqref).startswith(f"I4:I")
    meta = book[META_SHEET]
    assert meta.sheet_state == "hidden"
    assert {r[0]: r[1] for r in meta.iter_rows(values_only=True)}.items() >= {
        "plan": PLAN, "unit": "州妇联", "year": "2024", "version": "1"}.items()


def test_a_csv_form_is_utf8_with_a_mark_and_crlf(forms):
    data = (forms / "2024-womens-federation.csv").read_bytes()
    assert data.startswith(b"\xef\xbb\xbf") and b"\r\n" in data and b"\n" not in data.replace(b"\r\n", b"")


# -- reports in, kept ----------------------------------------------------------------------------------------
def test_filled_forms_are_kept_and_status_shows_them_without_reports(forms, store_dir, tmp_path):
    before = status(as_of=dt.date(2024, 12, 31), plan=PLAN, unit="州妇联", corpus=Corpus.open(store_dir))
    filled = _fill(forms / "2024-womens-federation.xlsx", tmp_path / "wf.xlsx", {"4.4.3": "不适用"},
                   default="已完成")
    result = _add(store_dir, filled)
    assert result.exit_code == 0, result.output
    assert "added" in result.output
    runner = CliRunner()
    shown = runner.invoke(main, ["status", "--as-of", "2024-12-31", "--unit", "州妇联", "--store", str(store_dir),
                                 "-f", "json"])
    assert shown.exit_code == 0, shown.output
    data = json.loads(shown.output)
    this_year = [o for o in data["obligations"] if o["year"] == YEAR]
    assert this_year and all(o["status"] in ("done", "not-applicable") for o in this_year)
    assert {o["reported"] for o in this_year if o["task"] == "4.4.3"} == {"not-applicable"}
    assert data["counts"]["done"] > before.counts()["done"] == 0
    # who reported what, when: PROV in the plan's progress graph, with the form it came in
    corpus = Corpus.open(store_dir)
    entry = corpus.entry(PLAN, kind=PROGRESS)
    assert entry.graphs == (GRAPH,)
    quads = [q for q in corpus.store.quads_for_pattern(None, None, None, None) if q.graph_name.value == GRAPH]
    predicates = {q.predicate.value.rsplit("#", 1)[-1].rsplit("/", 1)[-1] for q in quads}
    assert {"wasAssociatedWith", "reportYear", "reportedStatus", "date", "reporter", "source", "sha256",
            "wasAttributedTo"} <= predicates
    digest = hashlib.sha256(filled.read_bytes()).hexdigest()
    assert any(q.object.value == digest for q in quads)


def test_adding_a_form_twice_leaves_the_store_as_it_was(forms, store_dir, tmp_path):
    filled = _fill(forms / "2024-public-security-bureau.xlsx", tmp_path / "psb.xlsx", {}, default="推进中")
    assert _add(store_dir, filled).exit_code == 0
    first = _state(store_dir)
    total = sum(1 for _ in Corpus.open(store_dir).store.quads_for_pattern(None, None, None, None))
    again = _add(store_dir, filled)
    assert again.exit_code == 0 and "unchanged" in again.output
    assert _state(store_dir) == first and first[1] > 0
    assert sum(1 for _ in Corpus.open(store_dir).store.quads_for_pattern(None, None, None, None)) == total


def test_a_later_report_supersedes_the_earlier_and_both_stay(forms, store_dir, tmp_path):
    form = forms / "2024-womens-federation.xlsx"
    assert _add(store_dir, _fill(form, tmp_path / "june.xlsx", {"4.4.3": "推进中"}, day="2024-06-30")).exit_code == 0
    assert _add(store_dir, _fill(form, tmp_path / "dec.xlsx", {"4.4.3": "已完成"}, day="2024-12-20")).exit_code == 0
    corpus = Corpus.open(store_dir)

    def reported(day):
        rows = status(as_of=day, plan=PLAN, unit="州妇联", corpus=Corpus.open(store_dir)).rows
        return {r.reported for r in rows if r.task == "4.4.3" and r.year == YEAR}

    assert reported(dt.date(2024, 7, 1)) == {"in-progress"}
    assert reported(dt.date(2024, 12, 31)) == {"done"}
    reports = query(Path(__file__).parent.parent / "queries" / "progress" / "latest-reports.rq",
                    params={"date": dt.date(2024, 12, 31)}, store=open_plan_store(plan=PLAN, corpus=corpus))
    assert [r["status"] for r in reports if r["task"] == "4.4.3"] == ["done"]
    kinds = [q for q in corpus.store.quads_for_pattern(None, None, None, None)
             if q.graph_name.value == GRAPH and q.predicate.value.endswith("#reportYear")]
    assert len(kinds) == 2, "both reports are kept"


def test_the_reports_survive_a_rebuild_of_the_plan(forms, store_dir, tmp_path):
    from antitraffick_kg.pipeline.build import store_plans
    from antitraffick_kg.resources import find_plan

    assert _add(store_dir, _fill(forms / "2024-womens-federation.xlsx", tmp_path / "wf.xlsx", {},
                                 default="已完成")).exit_code == 0
    kept = _state(store_dir)[1:]
    store_plans([find_plan(PLAN)], store=store_dir)
    assert _state(store_dir)[1:] == kept


# -- findings ----------------------------------------------------------------------------------------------
def test_a_lead_done_while_a_support_unit_has_not_started_is_an_audit_finding(forms, store_dir, tmp_path):
    # 4.1.1: 州公安局 leads, 州妇联 supports
    lead = _fill(forms / "2024-public-security-bureau.xlsx", tmp_path / "psb.xlsx", {"4.1.1": "已完成"})
    support = _fill(forms / "2024-womens-federation.xlsx", tmp_path / "wf.xlsx", {"4.1.1": "未开始"})
    assert _add(store_dir, lead, support).exit_code == 0
    result = CliRunner().invoke(main, ["audit", "--store", str(store_dir), "-f", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    conflicts = [f for f in data["findings"] if f["kind"] == "progress-conflict"]
    assert [(f["task"]["notation"], f["unit"]) for f in conflicts] == [("4.1.1", "州妇联")]
    assert "州公安局" in conflicts[0]["message"]["en"]
    assert data["counts"]["progress-conflict"] == 1
    silent = {f["unit"] for f in data["findings"] if f["kind"] == "progress-no-answer"}
    assert "州公安局" not in silent and "州妇联" not in silent and "团州委" in silent
    text = CliRunner().invoke(main, ["status", "--as-of", "2024-12-31", "--store", str(store_dir)]).output
    assert "finding progress-conflict: 州公安局 (lead) reports 2024 done while 州妇联 (support)" in text
    assert "finding progress-no-answer: no report on 2024 from" in text


def test_back_from_done_and_a_year_not_yet_begun_are_findings(forms, store_dir, tmp_path):
    form = forms / "2024-womens-federation.xlsx"
    assert _add(store_dir, _fill(form, tmp_path / "a.xlsx", {"4.4.3": "已完成"}, day="2024-05-01")).exit_code == 0
    assert _add(store_dir, _fill(form, tmp_path / "b.xlsx", {"4.4.3": "推进中"}, day="2024-09-01")).exit_code == 0
    assert _add(store_dir, _fill(form, tmp_path / "c.xlsx", {"4.1.1": "推进中"}, day="2023-12-20")).exit_code == 0
    store = open_plan_store(plan=PLAN, corpus=Corpus.open(store_dir)).store
    found = {(f.kind, f.task, f.unit) for f in progress_findings(store)}
    assert ("progress-back-from-done", "4.4.3", "州妇联") in found
    assert ("progress-future-year", "4.1.1", "州妇联") in found
    # as of a day before the second report, nothing has moved back yet
    early = {(f.kind, f.task) for f in progress_findings(store, as_of=dt.date(2024, 6, 1))}
    assert ("progress-back-from-done", "4.4.3") not in early and ("progress-future-year", "4.1.1") in early


# -- bad forms ---------------------------------------------------------------------------------------------
def _without_column(form: Path, target: Path) -> Path:
    book = openpyxl.load_workbook(form)
    sheet = book[SHEET]
    sheet.protection.sheet = False
    sheet.delete_cols(len(GIVEN) + 2)            # 完成情况 what was done
    book.save(target)
    return target


def _gbk_with_mark(form: Path, target: Path) -> Path:
    text = form.with_suffix(".csv").read_bytes().decode("utf-8-sig")
    target.write_bytes(b"\xef\xbb\xbf" + text.encode("gbk"))
    return target


def _bad_date(form: Path, target: Path) -> Path:
    return _fill(form, target, {}, default="已完成", day="2024-02-30")


def _bad_status(form: Path, target: Path) -> Path:
    return _fill(form, target, {}, default="完成了")


def _other_plan(form: Path, target: Path) -> Path:
    book = openpyxl.load_workbook(form)
    book[SHEET]["B1"] = "other-plan"
    book[META_SHEET]["B1"] = "other-plan"
    book.save(target)
    return target


BAD = {
    "another unit's form": (lambda f, t: _fill(f, t, {}, default="已完成"), ("--unit", "州公安局"),
                            "the form is 州妇联's, not 州公安局's"),
    "a removed column": (_without_column, (), "sheet 填报, row 2: column '完成情况' is missing"),
    "a status outside the list": (_bad_status, (), "status '完成了' is not one of 未开始 / 推进中 / 已完成 / 不适用"),
    "a GBK CSV with a byte-order mark": (_gbk_with_mark, (), "starts with the UTF-8 byte-order mark but is not UTF-8"),
    "a date that is not a day": (_bad_date, (), "date '2024-02-30' is not a day of the calendar"),
    "another year's form": (lambda f, t: _fill(f, t, {}, default="已完成"), ("--year", "2025"),
                            "the form is for 2024, not 2025"),
    "another plan's form": (_other_plan, (), "the form is for plan 'other-plan', not dehong-2022-2030"),
}


@pytest.mark.parametrize("case", sorted(BAD))
def test_a_bad_form_is_one_line_exit_2_and_nothing_is_stored(case, forms, store_dir, tmp_path):
    make, options, message = BAD[case]
    suffix = ".csv" if "CSV" in case else ".xlsx"
    bad = make(forms / "2024-womens-federation.xlsx", tmp_path / f"bad{suffix}")
    # a good form first (where no option refuses it too): nothing of it is stored either
    good = () if options else (_fill(forms / "2024-public-security-bureau.xlsx", tmp_path / "good.xlsx", {},
                                     default="已完成"),)
    before = _state(store_dir)
    result = _add(store_dir, *good, bad, extra=options)
    assert result.exit_code == 2, result.output
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: ") and str(bad) in lines[0], result.output
    assert message in lines[0]
    assert _state(store_dir) == before


# -- CSV as spreadsheets send it ----------------------------------------------------------------------------
def _filled_csv(form: Path, statuses: dict[str, str]) -> list[list[str]]:
    with open(form.with_suffix(".csv"), encoding="utf-8-sig", newline="") as handle:
        table = list(csv.reader(handle))
    for row in table[3:]:
        if row[0] in statuses:
            row[len(GIVEN):] = [statuses[row[0]], "已开展专项检查", "2024-12-01", "赵强"]
    return table


@pytest.mark.parametrize("encoding,mark,newline", [("utf-8", b"", "\r\n"), ("utf-8", b"\xef\xbb\xbf", "\n"),
                                                   ("gbk", b"", "\r\n")])
def test_a_csv_reply_in_utf8_or_gbk_with_any_line_ends_is_read(encoding, mark, newline, forms, store_dir, tmp_path):
    table = _filled_csv(forms / "2024-womens-federation.xlsx", {"4.4.3": "已完成", "4.1.1": "不适用"})
    target = tmp_path / "reply.csv"
    with open(target, "wb") as handle:
        handle.write(mark)
        handle.write(newline.join(",".join(f'"{c}"' if "," in c else c for c in row) for row in table)
                     .encode(encoding) + newline.encode())
    assert _add(store_dir, target).exit_code == 0
    rows = status(as_of=dt.date(2024, 12, 31), plan=PLAN, unit="州妇联", corpus=Corpus.open(store_dir)).rows
    assert {(r.task, r.reported) for r in rows if r.year == YEAR and r.task in ("4.4.3", "4.1.1")} == {
        ("4.4.3", "done"), ("4.1.1", "not-applicable")}


def test_a_csv_converted_by_libreoffice_is_read_like_the_workbook(forms, store_dir, tmp_path):
    soffice = shutil.which("soffice")
    require(soffice is not None, "LibreOffice (Debian's libreoffice-calc-nogui) for the spreadsheet round trip")
    table = _filled_csv(forms / "2024-womens-federation.xlsx", {"4.4.3": "已完成", "4.1.4": "推进中"})
    source = tmp_path / "reply-wf.csv"
    with open(source, "w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows(table)
    out = tmp_path / "converted"
    # the CSV filter's options: comma, double quote, UTF-8 (76), from line 1, every column as text (2)
    subprocess.run([soffice, "--headless", f"-env:UserInstallation={(tmp_path / 'lo-profile').as_uri()}",
                    "--infilter=CSV:44,34,76,1,1/2/2/2/3/2/4/2/5/2/6/2/7/2/8/2/9/2/10/2/11/2/12/2",
                    "--convert-to", "xlsx", "--outdir", str(out), str(source)],
                   check=True, capture_output=True, timeout=180)
    converted = out / "reply-wf.xlsx"
    assert converted.is_file()
    result = _add(store_dir, converted)
    assert result.exit_code == 0, result.output
    rows = status(as_of=dt.date(2024, 12, 31), plan=PLAN, unit="州妇联", corpus=Corpus.open(store_dir)).rows
    assert {(r.task, r.reported) for r in rows if r.year == YEAR and r.task in ("4.4.3", "4.1.4")} == {
        ("4.4.3", "done"), ("4.1.4", "in-progress")}


# -- the office's view --------------------------------------------------------------------------------------
def test_status_exports_an_xlsx_workbook(forms, store_dir, tmp_path):
    assert _add(store_dir, _fill(forms / "2024-womens-federation.xlsx", tmp_path / "wf.xlsx", {},
                                 default="已完成")).exit_code == 0
    target = tmp_path / "status.xlsx"
    result = CliRunner().invoke(main, ["status", "--as-of", "2024-12-31", "--store", str(store_dir), "-o",
                                       str(target)])
    assert result.exit_code == 0, result.output
    book = openpyxl.load_workbook(target)
    sheet = book["状态 status"]
    rows = list(sheet.iter_rows(min_row=4, values_only=True))
    expected = status(as_of=dt.date(2024, 12, 31), plan=PLAN, corpus=Corpus.open(store_dir))
    assert len(rows) == len(expected.rows)
    header = [c.value for c in sheet[3]]
    done = [r for r in rows if r[header.index("unit")] == "州妇联" and r[header.index("year")] == YEAR]
    assert done and all(r[header.index("status")] == "done" for r in done)
    late = {r[0]: r[1] for r in book["逾期 late"].iter_rows(min_row=3, values_only=True)}
    assert late == {u: n for u, n, _ in expected.late_by_unit()}
    refused = CliRunner().invoke(main, ["status", "--as-of", "2024-12-31", "--store", str(store_dir), "-f", "xlsx"])
    assert refused.exit_code == 2 and "-o FILE.xlsx" in refused.output


def test_the_report_shows_the_kept_reports_in_its_charts_and_in_chromium(forms, store_dir, tmp_path):
    pytest.importorskip("matplotlib")
    from antitraffick_kg.report import write_report

    day = dt.date(2025, 1, 15)           # 2024's obligations are late by now unless reported
    before = write_report(tmp_path / "before", plan=PLAN, as_of=day, corpus=Corpus.open(store_dir))
    late_before = {u: n for u, n, _ in status(as_of=day, plan=PLAN, corpus=Corpus.open(store_dir)).late_by_unit()}
    lead = _fill(forms / "2024-public-security-bureau.xlsx", tmp_path / "psb.xlsx", {"4.1.1": "已完成"},
                 default="已完成")
    support = _fill(forms / "2024-womens-federation.xlsx", tmp_path / "wf.xlsx", {"4.1.1": "未开始"}, default="推进中")
    assert _add(store_dir, lead, support).exit_code == 0
    after = write_report(tmp_path / "after", plan=PLAN, as_of=day, corpus=Corpus.open(store_dir))
    for chart in ("charts/completion-units.svg", "charts/completion-areas.svg", "charts/timeline.svg"):
        assert (before.out_dir / chart).read_bytes() != (after.out_dir / chart).read_bytes(), chart
    assert after.findings > before.findings
    markdown = (after.out_dir / "index.md").read_text(encoding="utf-8")
    assert "progress-conflict" in markdown and "![completion by unit](charts/completion-units.svg)" in markdown

    chromium = shutil.which("chromium")
    require(chromium is not None, "Debian's chromium package (apt-get install chromium)")
    dom = subprocess.run([chromium, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                          "--disable-background-networking", "--disable-component-update", "--disable-sync",
                          f"--user-data-dir={tmp_path / 'profile'}", "--dump-dom",
                          (after.out_dir / "index.html").as_uri()],
                         capture_output=True, text=True, timeout=120, check=True).stdout
    assert '<section id="progress">' in dom
    assert 'src="charts/completion-units.svg"' in dom and 'src="charts/completion-areas.svg"' in dom
    expected = status(as_of=day, plan=PLAN, corpus=Corpus.open(store_dir))
    late_rows = dom.split('id="late-per-unit"')[1].split("</table>")[0]
    shown = {row.split('"')[0]: int(row.split('<td class="n">')[1].split("<")[0])
             for row in late_rows.split('<tr data-unit="')[1:]}
    assert shown == {u: n for u, n, _ in expected.late_by_unit()}
    # 州公安局 reported all of 2024 done: only its earlier years are late now; 团州委 sent nothing
    assert shown["州公安局"] < late_before["州公安局"] and shown["团州委"] == late_before["团州委"]
    assert "progress-conflict" in dom


@pytest.mark.parametrize("args,message", [
    (["--year", "2031"], "year 2031 is outside the plan period 2022–2030"),
    (["--year", "2024", "--unit", "州妇女联合会X"], "unknown unit '州妇女联合会X'; did you mean 州妇联?"),
])
def test_forms_refuses_a_year_outside_the_plan_or_an_unknown_unit_and_writes_nothing(args, message, build_dir,
                                                                                     tmp_path):
    out = tmp_path / "forms"
    result = CliRunner().invoke(main, ["forms", *args, "--output-dir", str(out), "--store", str(build_dir / "store")])
    lines = result.output.strip().splitlines()
    assert result.exit_code == 2 and len(lines) == 1 and lines[0].startswith("Error: ") and message in lines[0], (
        result.output)
    assert not out.exists() or not any(out.iterdir())


def test_one_unit_s_form_only(build_dir, tmp_path):
    out = tmp_path / "forms"
    result = CliRunner().invoke(main, ["forms", "--year", "2024", "--unit", "州妇联", "--output-dir", str(out),
                                       "--store", str(build_dir / "store")])
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in out.iterdir()) == ["2024-womens-federation.csv", "2024-womens-federation.xlsx"]
