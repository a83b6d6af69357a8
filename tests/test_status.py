"""Time as of a date: obligations year by year, progress reports as data, and the ``status`` command."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner

from antitraffick_kg.cli.main import main
from antitraffick_kg.errors import InputError
from antitraffick_kg.report.progress import (REPORT_COLUMNS, obligations, open_plan_store, progress_graph_iri, read_reports,
                                      reports_nquads, status)

PLAN = "dehong-2022-2030"
EXAMPLE = Path(__file__).parent / "data" / "progress" / "example.csv"
HEADER = ",".join(REPORT_COLUMNS)


@pytest.fixture(scope="module")
def store(build_dir):
    return open_plan_store(plan=PLAN, build_dir=build_dir)


@pytest.fixture(scope="module")
def reported(build_dir):
    return open_plan_store(plan=PLAN, build_dir=build_dir, reports=[EXAMPLE])


# -- obligations ---------------------------------------------------------------------------
def test_the_february_report_falls_due_every_year_from_2023(store):
    # line 321: '每年2月15日前向本级联席会议办公室报告上一年度工作情况', after the 2022 entry of the row
    duties = [o for o in obligations(store, task="9.1") if o.kind == "recurring"]
    assert [o.due for o in duties] == [dt.date(year, 2, 15) for year in range(2023, 2031)]
    assert {o.unit for o in duties} == {"县级以上政府及各级联席会议成员单位"}


def test_the_first_quarter_meeting_and_the_yearly_meeting_are_both_kept(store):
    # line 215: the row says '每年至少召开一次…' and its 2023 cell '每年一季度召开成员单位会议或联络员会议'
    duties = [o for o in obligations(store, task="3.1", unit="联席会议办公室") if o.kind == "recurring"]
    by_year = {}
    for o in duties:
        by_year.setdefault(o.year, []).append(o.due)
    assert by_year[2022] == [dt.date(2022, 12, 31)]
    assert sorted(by_year[2023]) == [dt.date(2023, 3, 31), dt.date(2023, 12, 31)]
    assert sorted(by_year) == list(range(2022, 2031))


def test_the_yearly_programme_is_one_obligation_a_year(store):
    # line 295: '从2022年开始，州级媒体每年至少制作一期…节目或公益广告'
    years = [o.year for o in obligations(store, task="7.1", unit="州广电局") if o.kind == "recurring"]
    assert years == list(range(2022, 2031))


def test_a_unit_the_parts_disagree_on_shows_both_roles(store):
    # 四(四)4: the narrative (line 89) names 州妇联 as support, the table (line 250) as lead
    roles = {o.role for o in obligations(store, task="4.4.4", unit="州妇联")}
    assert roles == {"support (narrative), lead (table)"}


# -- status without reports ------------------------------------------------------------------
def test_without_reports_everything_due_is_unreported(store):
    result = status(as_of=dt.date(2023, 3, 1), plan=PLAN, unit="联席会议办公室", store=store)
    assert result.rows and all(r.reported == "unreported" for r in result.rows)
    states = {(r.kind, r.year, r.due): r.status for r in result.rows}
    assert states[("recurring", 2022, "2022-12-31")] == "late"
    assert states[("recurring", 2023, "2023-03-31")] == "due"     # the first-quarter meeting: still time
    assert max(r.year for r in result.rows) == 2023
    assert result.counts()["unreported"] == len(result.rows)


def test_status_counts_add_up_on_the_whole_plan(store):
    result = status(as_of=dt.date(2024, 6, 30), plan=PLAN, store=store)
    c = result.counts()
    assert c["late"] + c["due"] == len(result.rows) > 500
    assert {r.unit for r in result.rows} >= {"州妇联", "州公安局", "联席会议办公室"}


# -- progress reports ------------------------------------------------------------------------
def test_reports_are_prov_activities_in_their_own_graph(store):
    rows = read_reports([EXAMPLE], store=store, plan=PLAN)
    assert len(rows) == 10
    data = reports_nquads(rows, plan=PLAN)
    quads = list(ox.parse(data, format=ox.RdfFormat.N_QUADS))
    assert {q.graph_name.value for q in quads} == {progress_graph_iri(PLAN)}
    prov = "http://www.w3.org/ns/prov#wasAssociatedWith"
    first = [q for q in quads if q.subject.value.endswith("/progress/1")]
    names = {q.predicate.value.rsplit("#", 1)[-1].rsplit("/", 1)[-1] for q in first}
    assert names >= {"type", "reportsOn", "wasAssociatedWith", "reportYear", "reportedStatus", "date"}
    assert any(q.predicate.value == prov and q.object.value.endswith("/womens-federation") for q in first)


def test_a_later_report_settles_what_an_earlier_one_left_open(reported):
    # example rows 7 and 10: 4.4.4 州妇联 2023 in progress on 2023-07-01, done on 2024-01-05
    def row(day):
        result = status(as_of=day, plan=PLAN, unit="州妇联", store=reported)
        return {(r.task, r.year, r.kind): r for r in result.rows}[("4.4.4", 2023, "ongoing")]

    assert (row(dt.date(2023, 6, 30)).reported, row(dt.date(2023, 6, 30)).status) == ("unreported", "due")
    assert (row(dt.date(2023, 9, 1)).reported, row(dt.date(2023, 9, 1)).status) == ("in-progress", "due")
    assert (row(dt.date(2024, 1, 3)).reported, row(dt.date(2024, 1, 3)).status) == ("in-progress", "late")
    assert (row(dt.date(2024, 6, 30)).reported, row(dt.date(2024, 6, 30)).status) == ("done", "done")


def test_reported_states_as_of_mid_2024(reported):
    result = status(as_of=dt.date(2024, 6, 30), plan=PLAN, store=reported)
    got = {(r.task, r.unit, r.year, r.kind, r.due): (r.reported, r.status) for r in result.rows}
    assert got[("9.1", "县级以上政府及各级联席会议成员单位", 2023, "recurring", "2023-02-15")] == ("done", "done")
    assert got[("4.2.1", "州妇联", 2022, "deadline", "2022-12-31")] == ("not-applicable", "not-applicable")
    assert got[("4.1.1", "州人力资源社会保障局", 2023, "deadline", "2023-12-31")] == ("not-started", "late")
    assert got[("3.1", "联席会议办公室", 2024, "recurring", "2024-03-31")] == ("in-progress", "late")
    assert got[("3.1", "联席会议办公室", 2024, "recurring", "2024-12-31")] == ("in-progress", "due")
    assert result.reports == 9      # ten rows, two of them on the same task, unit and year


def _write(tmp_path, *rows, header=HEADER) -> Path:
    path = tmp_path / "report.csv"
    path.write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    return path


GOOD = "dehong-2022-2030,7.5,州妇联,2022,done,note,2022-12-20,someone"


@pytest.mark.parametrize("row, message", [
    (GOOD.replace("州妇联", "州妇女联合"), "unknown unit '州妇女联合'; did you mean"),
    (GOOD.replace("7.5", "7.55"), "unknown task '7.55'; did you mean"),
    (GOOD.replace("7.5", "4.1.2"), "unit '州妇联' has no role in task 4.1.2"),
    (GOOD.replace("2022,done", "2031,done"), "year '2031' is outside the plan period 2022–2030"),
    (GOOD.replace("done", "finished"), "unknown status 'finished'"),
    (GOOD.replace("2022-12-20", "2022-12-32"), "report_date '2022-12-32' is not a date"),
    (GOOD.replace("dehong-2022-2030", "other-plan"), "plan 'other-plan' is not the plan being checked"),
    (GOOD + ",extra", "9 fields, expected 8"),
])
def test_a_faulty_row_is_one_error_naming_file_and_row(tmp_path, build_dir, row, message):
    path = _write(tmp_path, GOOD, row)
    result = CliRunner().invoke(main, ["status", "--as-of", "2023-06-30", "--reports", str(path),
                                       "--build-dir", str(build_dir)])
    assert result.exit_code == 2
    assert result.stderr.startswith(f"Error: {path}:3: {message}")
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr


def test_a_wrong_header_or_missing_file_is_an_error(tmp_path, store):
    with pytest.raises(InputError, match=r":1: the header must be"):
        read_reports([_write(tmp_path, GOOD, header="task,unit,year")], store=store, plan=PLAN)
    with pytest.raises(InputError, match="progress report not found"):
        read_reports([tmp_path / "missing.csv"], store=store, plan=PLAN)
    (tmp_path / "gbk.csv").write_bytes((HEADER + "\n" + GOOD + "\n").encode("gb18030"))
    with pytest.raises(InputError, match="not UTF-8"):
        read_reports([tmp_path / "gbk.csv"], store=store, plan=PLAN)


def test_the_report_query_has_a_catalogue_header():
    from antitraffick_kg.ask.catalogue import read_query
    from antitraffick_kg.resources import queries_path

    q = read_query(queries_path() / "progress" / "latest-reports.rq")
    assert q.header_problems() == []
    assert [c.name for c in q.columns] == ["task", "unit", "year", "status", "date", "reporter", "note", "row"]


def test_the_example_report_says_it_is_an_example():
    text = EXAMPLE.read_text(encoding="utf-8")
    rows = text.splitlines()[1:]
    assert rows and all("示例" in row for row in rows)
    readme = (EXAMPLE.parent.parent / "README.md").read_text(encoding="utf-8")
    assert "progress/example.csv" in readme and "example" in readme


# -- the command ---------------------------------------------------------------------------------
def test_status_command_table_and_json(tmp_path, build_dir):
    runner = CliRunner()
    args = ["status", "--as-of", "2024-06-30", "--unit", "州妇联", "--reports", str(EXAMPLE),
            "--build-dir", str(build_dir)]
    table = runner.invoke(main, args)
    assert table.exit_code == 0, table.output
    first = table.output.splitlines()[0]
    assert first.startswith(f"{PLAN} as of 2024-06-30, unit 州妇联: ")
    assert "4.4.4  留守妇女儿童" in table.output
    out = tmp_path / "status.json"
    assert runner.invoke(main, args + ["-f", "json", "-o", str(out)]).exit_code == 0
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["as_of"] == "2024-06-30" and data["unit"] == "州妇联"
    assert sum(data["counts"][k] for k in ("done", "not-applicable", "late", "due")) == len(data["obligations"])


def test_status_command_refuses_a_bad_date_and_unit(build_dir):
    runner = CliRunner()
    bad = runner.invoke(main, ["status", "--as-of", "2024-02-30", "--build-dir", str(build_dir)])
    assert bad.exit_code == 2 and bad.stderr == "Error: --as-of '2024-02-30' is not a date; give YYYY-MM-DD, or today\n"
    unknown = runner.invoke(main, ["status", "--as-of", "2024-02-01", "--unit", "州妇女联合", "--build-dir",
                                   str(build_dir)])
    assert unknown.exit_code == 2 and "unknown unit" in unknown.stderr and "州妇联" in unknown.stderr
