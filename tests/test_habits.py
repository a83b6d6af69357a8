"""The genre's habits as plans are published (issue 21): the prefixes a level's bodies use, excerpts that keep the
document's numbers, a web copy cut off inside a clause, corrections that survive a new extraction, and the unit
names `new` proposes for review.

The fixtures tests/data/genre/{city-prefecture,mid-document,web-cut}.txt were written for these tests in the
genre's style; the expected rows are read off their text (line numbers are those of the fixture).
"""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from antitraffick_kg import InputError, import_plan
from antitraffick_kg.cli.main import main
from antitraffick_kg.plan.functions import load_functions
from antitraffick_kg.plan.newplan import propose_units
from antitraffick_kg.plan.planinfo import PlanInfo

from conftest import CORRECTIONS, SOURCE

GENRE = Path(__file__).parent / "data" / "genre"


def new(workspace: Path, name: str, *, source: Path | None = None, level: str = "prefecture",
        code: str = "999908", extra: tuple[str, ...] = ()):
    return CliRunner().invoke(main, ["new", name, "--source", str(source or GENRE / f"{name}.txt"),
                                     "--title", "某某市反对拐卖人口行动计划实施方案", "--level", level,
                                     "--jurisdiction", code, "--period", "2023-2030", "--data-dir", str(workspace),
                                     *extra])


def rows(plan) -> set[tuple[str, str, str]]:
    return {(t.notation, m.role, m.unit.short_name) for t in plan.tasks.values() for m in t.mentions}


# ---------------------------------------------------------------------------
# Unit functions whatever prefix a level uses
# ---------------------------------------------------------------------------
def test_a_prefecture_level_city_gets_a_function_for_each_of_its_units(tmp_path):
    """Done when: a Lijiang-style excerpt (--level prefecture, units 市…) gets a function for each unit."""
    result = new(tmp_path, "city-prefecture")
    assert result.exit_code == 0, result.output + result.stderr
    with open(tmp_path / "city-prefecture" / "units.csv", encoding="utf-8", newline="") as f:
        proposed = {row["short_name"]: row["function"] for row in csv.DictReader(f)}
    assert proposed == {"市人力资源社会保障局": "human-resources-social-security", "市公安局": "public-security",
                        "市总工会": "trade-union", "市教育体育局": "education", "市妇联": "womens-federation",
                        "市卫生健康委": "health", "市民政局": "civil-affairs"}
    assert "not recognised" not in result.output
    plan = import_plan(tmp_path / "city-prefecture" / "source.txt")
    assert rows(plan) == {
        ("1.1.1", "lead", "市人力资源社会保障局"), ("1.1.1", "support", "市公安局"), ("1.1.1", "support", "市总工会"),
        ("1.1.2", "lead", "市教育体育局"), ("1.1.2", "support", "市妇联"),
        ("1.1.3", "lead", "市卫生健康委"), ("1.1.3", "support", "市公安局"),
        ("1.2.1", "lead", "市民政局"), ("1.2.1", "support", "市教育体育局"), ("1.2.1", "support", "市妇联"),
        ("1.2.2", "lead", "市总工会"), ("1.2.2", "lead", "市人力资源社会保障局"), ("1.2.2", "support", "市妇联")}


@pytest.mark.parametrize("name, level, function", [
    ("州公安局", "prefecture", "public-security"), ("市公安局", "prefecture", "public-security"),
    ("盟公安局", "prefecture", "public-security"), ("团盟委", "prefecture", "youth-league"),
    ("丽江市妇联", "prefecture", "womens-federation"), ("市市场监管局", "prefecture", "market-regulation"),
    ("县民政局", "county", "civil-affairs"), ("市民政局", "county", "civil-affairs"),
    ("区民政局", "county", "civil-affairs"), ("旗民政局", "county", "civil-affairs"), ("团旗委", "county", "youth-league"),
    ("市委网信办", "city", "cyberspace-affairs"), ("省公安厅", "province", "public-security"),
])
def test_a_level_s_bodies_are_recognised_under_each_prefix_it_uses(name, level, function):
    assert load_functions().recognise(name, level).id == function


@pytest.mark.parametrize("name, level", [("州公安局", "county"), ("区公安局", "prefecture"), ("旗公安局", "prefecture"),
                                         ("盟公安局", "county"), ("县公安局", "city"), ("市公安局", "province")])
def test_a_prefix_of_another_level_is_not_taken(name, level):
    assert load_functions().recognise(name, level) is None


def test_an_inner_mongolian_banner_s_units_are_one_unit_per_function(tmp_path):
    text = ("一、预防犯罪\n\n1.牧区宣传。在嘎查村开展反拐宣传。（旗公安局负责，团旗委、旗妇联配合）\n\n"
            "2.劳务输出。规范劳务输出管理。（旗人力资源社会保障局负责，区公安局配合）\n")
    info = PlanInfo(title="某某旗方案", period=(2023, 2030), level="county", jurisdiction="999909")
    proposed = {p.short_name: (p.function, p.variants) for p in propose_units(text, info)}
    # 区公安局 and 旗公安局 are the same function at the county level: two spellings, listed to check
    assert proposed == {"旗公安局": ("public-security", ("区公安局",)), "团旗委": ("youth-league", ()),
                        "旗妇联": ("womens-federation", ()),
                        "旗人力资源社会保障局": ("human-resources-social-security", ())}


# ---------------------------------------------------------------------------
# An excerpt keeps the source's own numbering
# ---------------------------------------------------------------------------
def test_an_excerpt_starting_at_a_second_section_keeps_its_numbers(tmp_path):
    """Done when: a Honghe-style excerpt starting at 二、(一) numbers its task 2.1.1, as people cite it."""
    result = new(tmp_path, "mid-document", code="999910")
    assert result.exit_code == 0, result.output + result.stderr
    plan = import_plan(tmp_path / "mid-document" / "source.txt")
    assert sorted(plan.tasks) == ["2.1.1", "2.1.2", "2.2.1", "3.1.1"]
    assert [plan.tasks[t].narrative_number for t in sorted(plan.tasks)] == ["二(一)1", "二(一)2", "二(二)1", "三(一)1"]
    assert ("2.1.2", "lead", "州委网信办") in rows(plan) and ("3.1.1", "support", "州妇联") in rows(plan)
    # the reading as an excerpt is recorded once; the numbers are the document's, so nothing says otherwise
    assert [(f.kind, f.line) for f in plan.findings] == [("excerpt", 1)]
    assert "first section is 二、" in plan.findings[0].message
    assert sorted(plan.areas) == ["2", "2.1", "2.2", "3", "3.1"]


def test_an_excerpt_starting_inside_a_list_keeps_each_opening_number(tmp_path):
    """二、 then （二） then 2. with no words between: each opening heading keeps the document's number; a
    document whose first section is 一、 and whose first subsection is （二） is a numbering error, as before."""
    lines = (GENRE / "mid-document.txt").read_text(encoding="utf-8").splitlines(keepends=True)
    text = lines[0] + "\n" + "".join(lines[8:])          # 二、 then （二）加强边境地区查缉, 1.通道查缉, 三、…
    info = PlanInfo(title="某某州方案", period=(2023, 2030), level="prefecture", jurisdiction="999910")
    for name, body, tasks, kinds in (
            ("opening", text, ["2.2.1", "3.1.1"], [("excerpt", 1), ("excerpt", 3)]),
            ("inner", text.replace("1.通道查缉", "2.通道查缉"), ["2.2.2", "3.1.1"],
             [("excerpt", 1), ("excerpt", 3), ("excerpt", 5)]),
            ("whole", text.replace("二、", "一、", 1), ["1.1.1", "2.1.1"], [("numbering", 3), ("numbering", 7)]),
            ("words", text.replace("二、打击犯罪\n", "二、打击犯罪\n工作目标：依法严惩。\n"), ["2.1.1", "3.1.1"],
             [("excerpt", 1), ("numbering", 4)])):
        source = tmp_path / f"{name}.txt"
        source.write_text(body, encoding="utf-8")
        proposed = propose_units(body, info)
        (tmp_path / "units.csv").write_text("id,short_name,variants,full_name,name_en,kind,function\n" + "".join(
            f"{u.id},{u.short_name},,,,{u.kind},{u.function}\n" for u in proposed), encoding="utf-8")
        plan = import_plan(source, units=tmp_path / "units.csv", info=info, strict=False)
        assert sorted(plan.tasks) == tasks, name
        assert [(f.kind, f.line) for f in plan.findings] == kinds, name


# ---------------------------------------------------------------------------
# A web copy cut off inside a clause
# ---------------------------------------------------------------------------
@pytest.fixture(scope="module")
def cut_build(tmp_path_factory):
    """The web copy cut mid-clause, through new and build (once for the module)."""
    ws = tmp_path_factory.mktemp("ws")
    made = new(ws, "web-cut", code="999911")
    built = CliRunner().invoke(main, ["build", "--plan", "web-cut", "--data-dir", str(ws),
                                      "--build-dir", str(ws / "build")])
    return ws, made, built


def test_a_cut_clause_keeps_the_complete_items_and_the_units_before_the_cut(cut_build):
    """Done when: an excerpt cut mid-clause builds its complete items with exit 1."""
    ws, made, built = cut_build
    source = ws / "web-cut" / "source.txt"
    assert made.exit_code == 1 and built.exit_code == 1, built.output + built.stderr
    message = ("一(二)1 '旅游景区': the text is cut off inside the unit clause (it ends '…局、市文化和旅游局负责，'); "
               "read as far as the cut: lead 市公安局、市文化和旅游局; whatever followed is lost")
    assert built.stderr.splitlines() == [f"{source}:13: {message}",
                                         "the text is incomplete: cut off at 1 place(s), each read as far as the cut"]
    assert "3 tasks" in built.output and (ws / "build" / "web-cut.nq").is_file()
    plan = import_plan(source, strict=True)          # a finding, not a problem: nothing is refused
    assert rows(plan) == {("1.1.1", "lead", "市公安局"), ("1.1.1", "support", "市文化和旅游局"),
                          ("1.1.2", "lead", "市交通运输局"), ("1.1.2", "support", "市公安局"),
                          ("1.2.1", "lead", "市公安局"), ("1.2.1", "lead", "市文化和旅游局")}
    assert [(f.kind, f.line, f.task, f.message) for f in plan.incomplete] == [("cut-clause", 13, "1.2.1", message)]


def test_the_cut_is_marked_in_the_graph(cut_build):
    ws, _, _ = cut_build
    answer = CliRunner().invoke(main, ["query", "--plan", "web-cut", "--data-dir", str(ws), "--build-dir",
                                       str(ws / "build"), "-f", "csv", str(_cut_query(ws))])
    assert answer.exit_code == 0, answer.stderr
    lines = answer.output.strip().splitlines()
    assert lines[0] == "notation,line" and lines[1:] == ["1.2.1,13"]
    audited = CliRunner().invoke(main, ["audit", "--plan", "web-cut", "--data-dir", str(ws), "--build-dir",
                                        str(ws / "build")])
    assert audited.exit_code == 0, audited.stderr
    assert "the text is cut off inside the unit clause" in audited.output


def _cut_query(ws: Path) -> Path:
    path = ws / "cut.rq"
    path.write_text("# title: cut tasks\n# description: tasks marked as cut\n"
                    "PREFIX atk: <https://w3id.org/antitraffick-kg/ontology#>\n"
                    "PREFIX skos: <http://www.w3.org/2004/02/skos/core#>\n"
                    "SELECT ?notation ?line WHERE { ?t atk:finding ?f ; skos:notation ?notation . "
                    "?f a atk:CutClause ; atk:line ?line . }\n", encoding="utf-8")
    return path


@pytest.mark.parametrize("ending, lead, lost, task", [
    ("（市公安局、市文化和旅", set(), "市公安局 named after that", False),      # cut mid-name before any role word
    ("（市公安局负责，市文化和旅游局、市", {"市公安局"}, "市文化和旅游局 named after that", True),
    ("（市公安局负", set(), None, False),                                       # cut inside the role word
    ("（市公安局等负责，市文化和旅游局配合", {"市公安局"}, None, True),          # only the closing parenthesis lost
    ("（市公安局会同市文化和旅游局负责，市交", {"市公安局", "市文化和旅游局"}, None, True),   # 会同 joins two leads
])
def test_nothing_after_the_cut_is_guessed(tmp_path, ending, lead, lost, task):
    text = (GENRE / "web-cut.txt").read_text(encoding="utf-8").replace("（市公安局、市文化和旅游局负责，\n", ending + "\n")
    source = tmp_path / "cut.txt"
    source.write_text(text, encoding="utf-8")
    shutil.copy(GENRE.parent / "genre" / "web-cut.txt", tmp_path / "whole.txt")
    new(tmp_path, "whole", source=tmp_path / "whole.txt", code="999911")
    plan = import_plan(source, units=tmp_path / "whole" / "units.csv", info=tmp_path / "whole" / "plan.toml")
    assert {m.unit.short_name for m in plan.tasks["1.2.1"].mentions if m.role == "lead"} == lead if task else \
        "1.2.1" not in plan.tasks
    (finding,) = plan.incomplete
    assert finding.line == 13 and (finding.task == "1.2.1") == task
    assert (lost in finding.message) if lost else "role word cut off" not in finding.message
    if "配合" in ending:
        assert ("1.2.1", "support", "市文化和旅游局") in rows(plan)


def test_each_error_prints_the_path_once(tmp_path, monkeypatch):
    ws = tmp_path / "ws"
    ws.mkdir()
    new(ws, "web-cut", code="999911")
    units = ws / "web-cut" / "units.csv"
    units.write_text("".join(row for row in units.read_text(encoding="utf-8").splitlines(True) if "市交通运输局" not in row),
                     encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    for data_dir in (str(ws), "ws"):
        built = CliRunner().invoke(main, ["build", "--plan", "web-cut", "--data-dir", data_dir,
                                          "--build-dir", str(tmp_path / "b")])
        assert built.exit_code == 2
        (line,) = built.stderr.splitlines()
        assert line.startswith(f"Error: {Path(data_dir) / 'web-cut' / 'source.txt'}:9: unknown unit '市交通运输局'")
        assert line.count("source.txt") == 1 and line.count(str(tmp_path.name)) <= 1
    imported = CliRunner().invoke(main, ["import", "ws/web-cut/source.txt"])
    assert imported.exit_code == 1
    assert all(line.count("source.txt") <= 1 for line in imported.stderr.splitlines())


# ---------------------------------------------------------------------------
# Corrections that survive a new extraction; names new proposes for review
# ---------------------------------------------------------------------------
def test_new_on_the_dehong_text_with_its_corrections_reads_every_statement(tmp_path, plan):
    """`new` on Dehong's own text, its corrections copied, reads what the bundled plan reads: 州委宣传委 and
    各成员单位 are proposed as spellings of 州委宣传部 and 州级联席会议各成员单位, and listed to confirm."""
    result = CliRunner().invoke(main, ["new", "dh", "--source", str(SOURCE), "--title", "德宏州反对拐卖人口行动计划实施方案",
                                       "--level", "prefecture", "--jurisdiction", "533100", "--period", "2022-2030",
                                       "--implements", "yunnan-2021-2030", "--data-dir", str(tmp_path)])
    assert result.exit_code == 1          # the two places the corrections settle
    assert ("units.csv: 州委宣传委 is proposed as a spelling of 州委宣传部: a near miss of 州委宣传部" in result.output)
    assert "units.csv: 各成员单位 is proposed as a spelling of 州级联席会议各成员单位: a shortened form" in result.output
    shutil.copy(CORRECTIONS, tmp_path / "dh" / "corrections.toml")
    again = import_plan(tmp_path / "dh" / "source.txt", corrections=tmp_path / "dh" / "corrections.toml")
    said = lambda p: sorted((t.notation, m.role, m.part, m.span, m.unit.short_name)
                            for t in p.tasks.values() for m in t.mentions)
    assert said(again) == said(plan)
    assignments = {(t.notation, m.role, m.part, m.unit.short_name) for t in again.tasks.values() for m in t.mentions}
    assert len(assignments) == 484


@pytest.mark.parametrize("name, proposal", [
    ("州委宣传委", "州委宣传部"),        # another body word at the end
    ("市委宣传委", "市委宣传部"),        # the same in a prefecture-level city: the proposal names the 市 form
    ("某某州公安厅", "州公安局"),        # after a place name
    ("州税务局", None),                # 税务 is not 商务: a word inside the name differs, no proposal
    ("州公安处", None),                # 处 is a body of its own kind, not another word for 局
])
def test_near_misses_of_a_function_s_name_are_proposals(name, proposal):
    text = f"一、预防犯罪\n\n1.宣传。开展宣传。（州商务局、{name}负责，州公安局配合）\n"
    info = PlanInfo(title="某某州方案", period=(2023, 2030), level="prefecture", jurisdiction="999912")
    found = {p.short_name: p for p in propose_units(text, info)}
    if proposal is None:
        assert name in found and not any(p.proposed for p in found.values())
    else:
        home = next(p for p in found.values() if name in (p.short_name, *p.variants))
        assert home.function == load_functions().recognise(proposal, "prefecture").id
        assert dict(home.proposed)[name].startswith(f"a near miss of {proposal}")


def test_a_correction_of_a_row_is_sought_in_the_annual_table_only(tmp_path):
    """The narrative item repeats the row's heading: the entry is placed on the row, not called doubled."""
    text = SOURCE.read_text(encoding="utf-8")
    assert text.count("4.严惩涉拐“黑灰产”") == 1
    (tmp_path / "source.txt").write_text(text.replace("4. 严惩涉拐“黑灰”产业", "4.严惩涉拐“黑灰产”业"), encoding="utf-8")
    for name in ("units.csv", "plan.toml", "corrections.toml"):
        shutil.copy(SOURCE.parent / name, tmp_path / name)
    plan = import_plan(tmp_path / "source.txt", corrections=tmp_path / "corrections.toml", strict=False)
    assert [(f.line, f.task) for f in plan.findings if f.kind == "correction"] == [(268, "5.3.1"), (274, "5.3.4")]


def test_a_correction_file_without_line_numbers_and_with_two_entries_on_one_row(tmp_path):
    corrections = tmp_path / "corrections.toml"
    corrections.write_text(CORRECTIONS.read_text(encoding="utf-8") + (
        '\n[[correction]]\nexpect = "严惩手段残忍"\naction = "no-support-cell"\nreason = "again"\n'), encoding="utf-8")
    with pytest.raises(InputError, match=r"correction #3 and correction #1 both stand on line 268 of source.txt"):
        import_plan(SOURCE, corrections=corrections)


def test_a_correction_that_stands_nowhere_is_one_line_and_exit_2(tmp_path):
    corrections = tmp_path / "corrections.toml"
    corrections.write_text(CORRECTIONS.read_text(encoding="utf-8").replace('expect = "4.严惩涉拐“黑灰产”"',
                                                                           'expect = "4.严惩涉拐“黑灰”产业"'),
                           encoding="utf-8")
    result = CliRunner().invoke(main, ["import", str(SOURCE), "--corrections", str(corrections)])
    assert result.exit_code == 2 and result.stdout == ""
    assert result.stderr == (f"Error: {corrections}: correction #2: its expect words '4.严惩涉拐“黑灰”产业' stand on no "
                             "row of the annual table of source.txt (its line 274 is only a hint); quote words as "
                             "they stand there\n")
