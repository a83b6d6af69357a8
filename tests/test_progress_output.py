"""Progress reports and status results as they are written out: the report activities' typed values and
positions, and the summary, text and JSON forms of a status result, exactly."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path

import pyoxigraph as ox
import pytest

from antitraffick_kg.errors import InputError
from antitraffick_kg.resources import ENV_DATA_DIR
from antitraffick_kg.check.audit import Finding
from antitraffick_kg.report.progress import ProgressRow, StatusResult, StatusRow, open_plan_store, progress_graph_iri, read_reports, reports_nquads, status

PLAN = "dehong-2022-2030"
EXAMPLE = Path(__file__).parent / "data" / "progress" / "example.csv"
ATK = "https://w3id.org/antitraffick-kg/ontology#"
INTEGER = ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer")


@pytest.fixture(scope="module")
def store(build_dir):
    return open_plan_store(plan=PLAN, build_dir=build_dir, reports=[EXAMPLE])


def test_each_report_row_is_an_activity_numbered_from_one_with_integer_year_and_position(store):
    rows = read_reports([EXAMPLE], store=store, plan=PLAN)
    quads = list(ox.parse(reports_nquads(rows, plan=PLAN), format=ox.RdfFormat.N_QUADS))
    base = f"https://w3id.org/antitraffick-kg/id/plan/{PLAN}/progress/"
    assert {q.subject.value for q in quads} == {f"{base}{n}" for n in range(1, len(rows) + 1)}
    positions = {q.subject.value: q.object for q in quads if q.predicate.value == ATK + "position"}
    assert positions == {f"{base}{n}": ox.Literal(str(n), datatype=INTEGER) for n in range(1, len(rows) + 1)}
    years = [q.object for q in quads if q.predicate.value == ATK + "reportYear"]
    assert years == [ox.Literal(str(r.year), datatype=INTEGER) for r in rows]
    assert {q.graph_name.value for q in quads} == {progress_graph_iri(PLAN)}
    reporters = [q.object for q in quads if q.predicate.value == ATK + "reporter"]
    assert reporters == [ox.Literal(r.reporter) for r in rows] and rows[0].reporter == "示例填报人（虚构）"
    notes = [q.object for q in quads if q.predicate.value == "http://www.w3.org/2000/01/rdf-schema#comment"]
    assert notes == [ox.Literal(r.note, language="zh") for r in rows] and rows[0].note.startswith("示例（虚构）")
    assert reports_nquads([], plan=PLAN) == b""


def test_the_summary_names_the_unit_only_when_one_is_asked_for(store):
    day = dt.date(2024, 6, 30)
    everyone = status(as_of=day, plan=PLAN, store=store)
    one = status(as_of=day, plan=PLAN, unit="州妇联", store=store)
    assert everyone.summary().startswith(f"{PLAN} as of 2024-06-30: {len(everyone.rows)} obligations due by the end "
                                         "of 2024: ")
    assert one.summary().startswith(f"{PLAN} as of 2024-06-30, unit 州妇联: {len(one.rows)} obligations")
    c = one.counts()
    assert one.summary().endswith(f"{c['done']} done, {c['not-applicable']} not applicable, {c['late']} late, "
                                  f"{c['due']} due; {c['unreported']} unreported (9 task-unit-years reported by then)")


def test_the_text_is_the_summary_the_findings_and_the_table_apart_by_blank_lines(store):
    result = status(as_of=dt.date(2024, 6, 30), plan=PLAN, unit="州妇联", store=store)
    summary, *middle, table = result.to_text().split("\n\n")
    assert summary == result.summary()
    assert len(middle) == (1 if result.findings else 0)
    assert all(line.startswith("finding ") for part in middle for line in part.splitlines())
    assert table.splitlines()[0].split() == list(result.COLUMNS)
    assert len([line for line in table.splitlines() if "州妇联" in line]) == len(result.rows)


def test_the_json_is_indented_keeps_chinese_and_names_every_field(store):
    result = status(as_of=dt.date(2024, 6, 30), plan=PLAN, unit="州妇联", store=store)
    text = result.to_json()
    assert text.endswith("}\n") and text.startswith('{\n  "plan": "dehong-2022-2030",\n  "as_of": "2024-06-30",')
    assert '"unit": "州妇联"' in text, "Chinese as it is, not escaped"
    data = json.loads(text)
    assert list(data) == ["plan", "as_of", "unit", "reports", "counts", "findings", "obligations"]
    assert len(data["findings"]) == len(result.findings)
    assert (data["plan"], data["as_of"], data["unit"], data["reports"]) == (PLAN, "2024-06-30", "州妇联", 9)
    assert data["counts"] == result.counts()
    assert len(data["obligations"]) == len(result.rows)
    assert list(data["obligations"][0]) == ["task", "title", "unit", "role", "kind", "year", "due", "reported",
                                            "status", "note", "line", "quote"]


def test_obligations_come_by_day_then_in_the_plans_own_task_order(store):
    from antitraffick_kg.report.progress import obligations

    found = obligations(store)
    days = [o.due for o in found]
    assert days == sorted(days)
    same_day = [o for o in found if o.due == dt.date(2022, 12, 31)]
    numbers = [tuple(int(p) for p in o.task.split(".")) for o in same_day]
    assert numbers == sorted(numbers) and len(set(numbers)) > 10


def test_an_obligation_cites_its_line_and_words(store):
    from antitraffick_kg.report.progress import obligations

    # line 321 of the plan: '每年2月15日前向本级联席会议办公室报告上一年度工作情况'
    duty = [o for o in obligations(store, task="9.1") if o.kind == "recurring"][0]
    assert duty.line == 321 and "每年2月15日前" in duty.quote
    rows = status(as_of=dt.date(2023, 3, 1), plan=PLAN, store=store).rows
    assert {(r.line, r.quote) for r in rows if (r.task, r.kind, r.year) == ("9.1", "recurring", 2023)} == {
        (duty.line, duty.quote)}


# -- rows checked against the plan, messages in full ---------------------------------------
HEADER = "plan,task,unit,year,status,note,report_date,reporter"


def _row_error(tmp_path, store, task: str = "7.5", unit: str = "州妇联") -> InputError:
    path = tmp_path / "report.csv"
    path.write_text(f"{HEADER}\n{PLAN},{task},{unit},2022,done,,2022-12-20,\n", encoding="utf-8")
    with pytest.raises(InputError) as caught:
        read_reports([path], store=store, plan=PLAN)
    assert caught.value.line == 2 and caught.value.path == str(path)
    return caught.value


@pytest.mark.parametrize("task, reason", [
    ("x", "unknown task 'x'"),                                           # nothing close: no question
    ("9.9", "unknown task '9.9'; did you mean 9.3, 9.2, 9.1?"),
    ("7.0", "unknown task '7.0'; did you mean 7.8, 7.7, 7.6?"),          # eight are close: the three closest
])
def test_an_unknown_task_suggests_at_most_three_close_ones(tmp_path, store, task, reason):
    assert _row_error(tmp_path, store, task=task).reason == reason


@pytest.mark.parametrize("unit, reason", [
    ("完全不同", "unknown unit '完全不同'"),
    ("州妇女联合会", "unknown unit '州妇女联合会'; did you mean 州妇联, 州级联席会议, 州妇女儿童工作委员会?"),
])
def test_an_unknown_unit_suggests_close_names_only_when_there_are_some(tmp_path, store, unit, reason):
    assert _row_error(tmp_path, store, unit=unit).reason == reason


def test_a_unit_named_by_another_label_or_its_id_is_read_under_its_short_name(tmp_path, store):
    path = tmp_path / "report.csv"
    path.write_text(f"{HEADER}\n{PLAN},4.1.1,州人力资源和社会保障局,2022,done,,2022-12-20,\n"
                    f"{PLAN},4.2.1,human-resources-social-security-bureau,2023,done,,2023-12-20,\n", encoding="utf-8")
    rows = read_reports([path], store=store, plan=PLAN)
    assert [r.unit for r in rows] == ["州人力资源社会保障局"] * 2
    assert {r.unit_iri for r in rows} == {"https://w3id.org/antitraffick-kg/id/unit/533100/"
                                          "human-resources-social-security-bureau"}


def test_a_unit_of_the_plan_that_no_task_names_is_no_role_not_a_crash(tmp_path, store):
    # 德宏州人民政府 is a unit of the plan (the issuer) that no task assigns
    reason = _row_error(tmp_path, store, task="4.1.3", unit="德宏州人民政府").reason
    assert reason == "unit '德宏州人民政府' has no role in task 4.1.3; the task names 州公安局、州卫生健康委、州民政局"


def test_an_unknown_status_lists_the_statuses(tmp_path, store):
    path = tmp_path / "report.csv"
    path.write_text(f"{HEADER}\n{PLAN},7.5,州妇联,2022,finished,,2022-12-20,\n", encoding="utf-8")
    with pytest.raises(InputError) as caught:
        read_reports([path], store=store, plan=PLAN)
    assert caught.value.reason == "unknown status 'finished'; use one of not-started, in-progress, done, not-applicable"


@pytest.mark.parametrize("year, inside", [("2021", False), ("2022", True), ("2030", True), ("2031", False)])
def test_the_first_and_last_years_of_the_plan_are_inside_it(tmp_path, store, year, inside):
    path = tmp_path / "report.csv"
    path.write_text(f"{HEADER}\n{PLAN},7.5,州妇联,{year},done,,2022-12-20,\n", encoding="utf-8")
    if inside:
        assert [r.year for r in read_reports([path], store=store, plan=PLAN)] == [int(year)]
    else:
        with pytest.raises(InputError, match=f"^{path}:2: year '{year}' is outside the plan period 2022–2030$"):
            read_reports([path], store=store, plan=PLAN)


def test_a_row_read_keeps_every_field_where_it_came_from(tmp_path, store):
    path = tmp_path / "report.csv"
    path.write_text(f"{HEADER}\n\n{PLAN}, 7.5 ,州妇联,2023, in-progress ,开展培训,2023-06-01,张三\n", encoding="utf-8")
    assert read_reports([path], store=store, plan=PLAN) == [ProgressRow(
        str(path), 3, PLAN, "7.5", "州妇联", "https://w3id.org/antitraffick-kg/id/unit/533100/womens-federation",
        2023, "in-progress", "开展培训", dt.date(2023, 6, 1), "张三")]


def _file_error(store, path) -> InputError:
    with pytest.raises(InputError) as caught:
        read_reports([path], store=store, plan=PLAN)
    return caught.value


def test_files_that_are_no_report_are_one_error_each_naming_file_and_line(tmp_path, store):
    columns = "plan,task,unit,year,status,note,report_date,reporter"
    cases = {
        "missing.csv": (None, "progress report not found", None),
        "folder.csv": (None, "is a folder, not a progress report file", None),
        "latin.csv": ("plan,tâche".encode("latin-1"), "not UTF-8 text (byte 6)", None),
        "empty.csv": (b"", f"empty progress report; the first row must be: {columns}", 1),
        "header.csv": (b"plan,task,unit\n", f"the header must be: {columns}", 1),
        "fields.csv": (f"{columns}\n{PLAN},7.5,\xe5\xb7\x9e\n".encode(), f"3 fields, expected 8 ({columns})", 2),
        "long.csv": (f"{columns}\n\n{PLAN},7.5,州妇联,2022,done,,2022-12-20,,x\n".encode(),
                     f"9 fields, expected 8 ({columns})", 3),
    }
    (tmp_path / "folder.csv").mkdir()
    for name, (content, reason, line) in cases.items():
        if content is not None:
            (tmp_path / name).write_bytes(content)
        error = _file_error(store, tmp_path / name)
        assert (error.reason, error.path, error.line) == (reason, str(tmp_path / name), line), name


def test_a_report_with_a_byte_order_mark_padded_header_and_blank_rows_is_read(tmp_path, store):
    path = tmp_path / "report.csv"
    path.write_bytes(("\ufeff plan , task,unit,year,status,note,report_date,reporter \r\n , ,\r\n"
                      f"{PLAN},7.5,州妇联,2022,done,,2022-12-20,\r\n,,,,,,,\r\n"
                      f"{PLAN},7.5,州妇联,2023,done,,2023-12-20,\r\n").encode("utf-8"))
    rows = read_reports([path, path], store=store, plan=PLAN)
    assert [(r.line, r.year) for r in rows] == [(3, 2022), (5, 2023), (3, 2022), (5, 2023)]


def test_reports_are_checked_against_a_plan_the_store_holds(tmp_path, store):
    from antitraffick_kg.errors import QueryError

    with pytest.raises(QueryError, match=r"^plan 'other-plan' is not in the graph; plans there: dehong-2022-2030$"):
        read_reports([], store=store, plan="other-plan")
    assert read_reports([], store=store, plan=PLAN) == []


def _plans_store(*plans: tuple[str, int, int]):
    from antitraffick_kg.store.stores import OxigraphStore

    base, atk = "https://w3id.org/antitraffick-kg/", "https://w3id.org/antitraffick-kg/ontology#"
    integer = "<http://www.w3.org/2001/XMLSchema#integer>"
    lines = []
    for plan, first, until in plans:
        p, g = f"<{base}id/plan/{plan}>", f"<{base}id/graph/{plan}>"
        lines += [f"{p} <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <{atk}PlanDocument> {g} .",
                  f"{p} <{atk}period> _:{plan.replace('-', '')} {g} .",
                  f'_:{plan.replace("-", "")} <{atk}fromYear> "{first}"^^{integer} {g} .',
                  f'_:{plan.replace("-", "")} <{atk}untilYear> "{until}"^^{integer} {g} .']
    return OxigraphStore.from_nquads("\n".join(lines).encode("utf-8") + b"\n")


def test_the_plans_a_store_holds_are_named_when_the_plan_asked_for_is_not_there():
    from antitraffick_kg.errors import QueryError
    from antitraffick_kg.report.progress import PlanFacts

    two = _plans_store(("zeta-2020-2025", 2020, 2025), ("alpha-2019-2021", 2019, 2021))
    with pytest.raises(QueryError) as caught:
        PlanFacts(two, PLAN)
    assert str(caught.value) == f"plan '{PLAN}' is not in the graph; plans there: alpha-2019-2021, zeta-2020-2025"
    facts = PlanFacts(two, "zeta-2020-2025")
    assert (facts.plan, facts.first, facts.until, facts.pairs) == ("zeta-2020-2025", 2020, 2025, {})
    with pytest.raises(QueryError, match=f"^plan '{PLAN}' is not in the graph; plans there: $"):
        PlanFacts(_plans_store(), PLAN)


def test_a_quoted_note_keeps_its_line_breaks_and_the_next_row_its_own_line(tmp_path, store):
    path = tmp_path / "report.csv"
    path.write_text(f"{HEADER}\n{PLAN},7.5,州妇联,2022,done,\"第一段\n第二段\",2022-12-20,\n"
                    f"{PLAN},7.5,州妇联,2023,done,,2023-12-20,\n", encoding="utf-8")
    rows = read_reports([path], store=store, plan=PLAN)
    assert [(r.note, r.line) for r in rows] == [("第一段\n第二段", 3), ("", 4)]


def test_the_store_holds_the_plan_asked_for(tmp_path, monkeypatch):
    shutil.copytree(Path(__file__).parent / "data" / "other-prefecture", tmp_path / "other-prefecture")
    monkeypatch.setenv(ENV_DATA_DIR, str(tmp_path))
    other = open_plan_store(plan="other-prefecture", build_dir=tmp_path / "build")
    _, rows = other.select("SELECT ?p WHERE { ?p a <https://w3id.org/antitraffick-kg/ontology#PlanDocument> }",
                           source="test")
    assert [r["p"] for r in rows] == ["https://w3id.org/antitraffick-kg/id/plan/other-prefecture"]
    # its reports are checked against it and kept in its own progress graph
    from antitraffick_kg.report.progress import PlanFacts

    task, units = sorted(PlanFacts(other, "other-prefecture").pairs.items())[0]
    report = tmp_path / "report.csv"
    report.write_text(f"{HEADER}\nother-prefecture,{task},{sorted(units)[0]},{PlanFacts(other, 'other-prefecture').first},"
                      "done,,2024-01-02,\n", encoding="utf-8")
    reported = open_plan_store(plan="other-prefecture", build_dir=tmp_path / "build", reports=[report])
    graphs = {q.graph_name.value for q in reported.store.quads_for_pattern(
        None, ox.NamedNode(ATK + "reportsOn"), None)}
    assert graphs == {progress_graph_iri("other-prefecture")}


def test_the_store_holds_the_plan_from_a_corpus_when_one_is_given(tmp_path):
    from antitraffick_kg.pipeline.sources import plan_nquads
    from antitraffick_kg.store.corpus import Corpus, PlanPart, write_parts

    other = tmp_path / "other"
    shutil.copytree(Path(__file__).parent / "data" / "other-prefecture", other / "other-prefecture")
    with pytest.MonkeyPatch.context() as env:
        env.setenv(ENV_DATA_DIR, str(other))
        data = plan_nquads("other-prefecture", build_dir=tmp_path / "build")
    write_parts(tmp_path / "corpus", [PlanPart.from_nquads(data, plan="other-prefecture", kind="plan", digest="1")])
    # the plan is in the corpus only: neither the build folder nor the data folder knows it
    held = open_plan_store(plan="other-prefecture", build_dir=tmp_path / "empty", corpus=Corpus.open(tmp_path / "corpus"))
    _, rows = held.select("SELECT ?p WHERE { ?p a <https://w3id.org/antitraffick-kg/ontology#PlanDocument> }",
                          source="test")
    assert [r["p"] for r in rows] == ["https://w3id.org/antitraffick-kg/id/plan/other-prefecture"]
    result = status(as_of=dt.date(2030, 12, 31), plan="other-prefecture", build_dir=tmp_path / "empty",
                    corpus=Corpus.open(tmp_path / "corpus"))
    assert result.plan == "other-prefecture" and result.rows and result.reports == 0


def test_status_reads_the_reports_it_is_given_and_counts_those_dated_by_the_day(build_dir, tmp_path):
    assert status(as_of=dt.date(2022, 12, 19), reports=[EXAMPLE], build_dir=build_dir, unit="州妇联").reports == 0
    assert status(as_of=dt.date(2022, 12, 20), reports=[EXAMPLE], build_dir=build_dir, unit="州妇联").reports == 1
    assert status(as_of=dt.date(2030, 12, 31), reports=[EXAMPLE], build_dir=build_dir, unit="州妇联").reports == 9
    assert status(as_of=dt.date(2030, 12, 31), build_dir=build_dir, unit="州妇联").reports == 0


# -- a status result on rows and findings written here: no store needed -------------------------------------
def _row(task: str, unit: str, year: int, state: str) -> StatusRow:
    return StatusRow(task, f"task {task}", unit, "lead", "deadline", year, f"{year}-12-31",
                     state if state in ("done", "not-applicable") else "unreported", state, "", 1, "quote")


def _finding(kind: str, unit: str | None, message: str) -> Finding:
    return Finding(kind, None, None, unit, message, "（中文）", ())


def test_findings_come_one_a_line_and_units_that_sent_nothing_are_grouped_by_year():
    findings = (_finding("progress-conflict", "州公安局", "1.1: lead 州公安局 done while 州妇联 has not started"),
                _finding("progress-future-year", "州妇联", "州妇联 reported on 2031 before it began"),
                _finding("progress-no-answer", "州民政局", "州民政局 sent no report on 2024 (2 task(s) due that year)"),
                _finding("progress-no-answer", "州法院", "州法院 sent no report on 2023 (1 task(s) due that year)"),
                _finding("progress-no-answer", "州教体局", "州教体局 sent no report on 2024 (1 task(s) due that year)"))
    rows = (_row("1.1", "州公安局", 2024, "late"),)
    with_findings = StatusResult(PLAN, dt.date(2024, 6, 30), None, 3, rows, findings)
    summary, found, table = with_findings.to_text().split("\n\n")
    assert summary == with_findings.summary()
    assert found.splitlines() == [
        "finding progress-conflict: 1.1: lead 州公安局 done while 州妇联 has not started",
        "finding progress-future-year: 州妇联 reported on 2031 before it began",
        "finding progress-no-answer: no report on 2023 from 1 unit(s): 州法院",
        "finding progress-no-answer: no report on 2024 from 2 unit(s): 州民政局、州教体局"]
    without = StatusResult(PLAN, dt.date(2024, 6, 30), None, 3, rows)
    assert without.to_text() == without.summary() + "\n\n" + table


def test_late_by_unit_counts_each_units_late_and_all_its_obligations_most_late_first():
    rows = (_row("3.1", "州法院", 2023, "late"),
            _row("1.1", "州妇联", 2023, "late"), _row("1.2", "州妇联", 2024, "due"), _row("1.3", "州妇联", 2024, "done"),
            _row("4.1", "州人社局", 2024, "late"),
            _row("2.1", "州公安局", 2023, "late"), _row("2.2", "州公安局", 2024, "late"),
            _row("3.2", "州民政局", 2023, "done"), _row("3.3", "州民政局", 2024, "not-applicable"))
    result = StatusResult(PLAN, dt.date(2024, 6, 30), None, 0, rows)
    # 州公安局 2 late of 2 first, though 州人社局 comes before it by name; then 1 late each by name, not in the
    # order the rows came in; 州民政局 has nothing late and is not listed
    assert result.late_by_unit() == [("州公安局", 2, 2), ("州人社局", 1, 1), ("州妇联", 1, 3), ("州法院", 1, 1)]
    assert StatusResult(PLAN, dt.date(2024, 6, 30), None, 0, rows[7:]).late_by_unit() == []


def test_completion_counts_done_and_not_applicable_as_settled_per_group_and_year():
    rows = (_row("1.1", "州妇联", 2023, "done"), _row("1.2", "州妇联", 2023, "late"), _row("1.3", "州妇联", 2024, "due"),
            _row("1.4", "州妇联", 2024, "not-applicable"), _row("1.4", "州公安局", 2024, "done"))
    result = StatusResult(PLAN, dt.date(2024, 6, 30), None, 0, rows)
    assert result.completion() == {"州妇联": {2023: (1, 2), 2024: (1, 2)}, "州公安局": {2024: (1, 1)}}
    assert result.completion(key=lambda r: r.task) == {"1.1": {2023: (1, 1)}, "1.2": {2023: (0, 1)},
                                                       "1.3": {2024: (0, 1)}, "1.4": {2024: (2, 2)}}


def test_a_status_row_has_the_obligations_words_and_the_latest_report_known_by_the_day(store):
    # the example reports 4.4.4 of 2023 for 州妇联 in progress on 2023-07-01 and done on 2024-01-05
    def row(day: dt.date) -> StatusRow:
        rows = status(as_of=day, plan=PLAN, unit="州妇联", store=store).rows
        return next(r for r in rows if (r.task, r.year) == ("4.4.4", 2023))

    # the narrative names 州妇联 in support of 4.4.4, the annual table as lead; line 250 gives the ongoing span
    before, mid, after = row(dt.date(2023, 6, 30)), row(dt.date(2023, 8, 1)), row(dt.date(2024, 6, 30))
    for r in (before, mid, after):
        assert (r.title, r.unit, r.role, r.kind, r.due, r.line, r.quote) == (
            "留守妇女儿童", "州妇联", "support (narrative), lead (table)", "ongoing", "2023-12-31", 250, "持续推进，长期坚持。")
    assert (before.reported, before.note) == ("unreported", "")
    assert (mid.reported, mid.note) == ("in-progress", "示例（虚构）：上半年进展")
    assert (after.reported, after.status, after.note) == ("done", "done", "示例（虚构）：全年工作完成")


def test_status_for_a_unit_keeps_the_findings_on_it_or_naming_it_known_by_the_day(build_dir, tmp_path):
    # 州广电局 (lead of 7.1) reported 2023 done on 2023-12-01; 团州委 (support) reports it not started on 2024-03-01
    extra = tmp_path / "extra.csv"
    header = EXAMPLE.read_text(encoding="utf-8").splitlines()[0]
    extra.write_text(f"{header}\n{PLAN},7.1,团州委,2023,not-started,尚未开始,2024-03-01,填报人\n", encoding="utf-8")
    held = open_plan_store(plan=PLAN, build_dir=build_dir, reports=[EXAMPLE, extra])
    conflict = ("progress-conflict", "团州委", "州广电局 (lead) reports 2023 done while 团州委 (support) reports it not started")

    def found(day: dt.date, unit: str | None) -> list[tuple]:
        return [(f.kind, f.unit, f.message) for f in status(as_of=day, plan=PLAN, unit=unit, store=held).findings]

    lead = found(dt.date(2024, 6, 30), "州广电局")
    assert conflict in lead, "the finding names the lead in its message"
    assert all(unit == "州广电局" or "州广电局" in message for _kind, unit, message in lead)
    assert conflict in found(dt.date(2024, 6, 30), "团州委")
    assert conflict not in found(dt.date(2024, 2, 29), "州广电局"), "the support's report is not known yet"
    everyone = found(dt.date(2024, 6, 30), None)
    assert conflict in everyone and len({unit for _kind, unit, _message in everyone}) > 20
