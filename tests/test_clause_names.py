"""Unit names with parentheses of their own (各县（市）人民政府, 各县（市、区）人民政府), as prefecture plans name the
county governments: in a unit clause, in a clause cut off inside such a name, and in the annual table's cells.
The text, units and plan facts are written here for the tests.
"""

from __future__ import annotations

import functools

import pytest

import small_plans as sp
from small_plans import import_folder, plan_toml

UNITS = """id,short_name,variants,full_name,name_en,kind,function
womens-federation,州妇联,,,Women's Federation,mass-organisation,womens-federation
education,州教育体育局,,,Education and Sports Bureau,government-department,education
public-security,州公安局,,,Public Security Bureau,government-department,public-security
county-governments,各县（市）人民政府,各县（市、区）人民政府,,County governments,peoples-government,
"""
HEADER = ["某州人民政府办公室关于印发某州反对拐卖人口行动计划实施方案（2022—2030年）的通知", "某政办发〔2022〕9号"]
NARRATIVE = [
    "一、预防犯罪",                                                                                   # 3
    "（一）宣传教育",                                                                                 # 4
    "1.重点人群。开展反拐宣传（含网络宣传）。（州妇联负责，州教育体育局、各县（市）人民政府配合）",   # 5
    "2.边境地区。加强安全教育。（州公安局、各县（市、区）人民政府负责）",                             # 6
]
_plan = functools.partial(import_folder, units=UNITS, named_only=True, strict=False,
                          plan_toml=plan_toml(title="某州反对拐卖人口行动计划实施方案（2022—2030年）",
                                              number="某政办发〔2022〕9号", period="2022-2030", level="prefecture",
                                              jurisdiction="532300"))


def _roles(task) -> list[tuple[str, str, str]]:
    return [(m.role, m.unit.short_name, m.written) for m in task.mentions]


@pytest.fixture(scope="module")
def plan(tmp_path_factory):
    return _plan(tmp_path_factory.mktemp("names") / "names", HEADER + NARRATIVE)


def test_a_name_with_parentheses_of_its_own_is_one_unit_of_the_clause(plan):
    assert not plan.problems
    assert _roles(plan.tasks["1.1.1"]) == [("lead", "州妇联", "州妇联"), ("support", "州教育体育局", "州教育体育局"),
                                           ("support", "各县（市）人民政府", "各县（市）人民政府")]
    assert _roles(plan.tasks["1.1.2"]) == [("lead", "州公安局", "州公安局"),
                                           ("lead", "各县（市）人民政府", "各县（市、区）人民政府")]
    assert plan.tasks["1.1.1"].title == "重点人群"


def test_a_clause_cut_inside_a_name_s_parentheses_is_cut_at_the_clause(tmp_path):
    plan = _plan(tmp_path / "cut", HEADER + NARRATIVE[:3] + ["2.边境地区。加强安全教育。（州公安局负责，各县（市"])
    assert _roles(plan.tasks["1.1.2"]) == [("lead", "州公安局", "州公安局")]
    cut = [f for f in plan.findings if f.kind == "cut-clause"]
    assert len(cut) == 1 and cut[0].line == 6
    assert plan.text[cut[0].span.start:cut[0].span.end] == "（州公安局负责，各县（市"


def test_the_annual_table_s_cells_keep_such_a_name_whole(tmp_path):
    table = ["某州反对拐卖人口行动计划（2022—2030年）年度实施方案",
             "\t".join(["工作项目", "工作任务", "负责单位", "配合单位", "工作进度计划"]),
             "\t".join(["一、预防犯罪", "(一) 宣传教育", "1.重点人群。开展反拐宣传（含网络宣传）。", "州妇联",
                        "州教育体育局、各县（市、区）人民政府", "持续推进"]),
             "\t".join(["", "", "2.边境地区。加强安全教育。", "各县（市、区）人民政府、州公安局", "", "2025年底前"])]
    plan = _plan(tmp_path / "table", HEADER + NARRATIVE + table)
    assert not plan.problems
    in_table = {n: [(m.role, m.unit.short_name, m.written) for m in t.mentions if m.part == "table"]
                for n, t in plan.tasks.items()}
    assert in_table == {
        "1.1.1": [("lead", "州妇联", "州妇联"), ("support", "州教育体育局", "州教育体育局"),
                  ("support", "各县（市）人民政府", "各县（市、区）人民政府")],
        "1.1.2": [("lead", "各县（市）人民政府", "各县（市、区）人民政府"), ("lead", "州公安局", "州公安局")]}


@pytest.mark.parametrize("clause, roles, open_list", [
    ("（州公安局、州妇联按职责分工负责）", [("lead", "州公安局"), ("lead", "州妇联")], False),
    ("（州公安局、州妇联分别负责）", [("lead", "州公安局"), ("lead", "州妇联")], False),
    ("（州公安局负责，州教育体育局、州妇联共同参与）", [("lead", "州公安局"), ("support", "州教育体育局"),
                                                    ("support", "州妇联")], False),
    ("（州公安局负责，州妇联积极配合）", [("lead", "州公安局"), ("support", "州妇联")], False),
    ("（州公安局牵头，州妇联等部门配合）", [("lead", "州公安局"), ("support", "州妇联")], True),
    ("（州公安局负责，州妇联等相关部门配合）", [("lead", "州公安局"), ("support", "州妇联")], True),
    # two lead lists, each with its role word: both lead, positions counted on
    ("（州公安局牵头，各县（市）人民政府按职责分工负责）", [("lead", "州公安局"), ("lead", "各县（市）人民政府")], False),
    ("（州公安局牵头，州妇联负责，州教育体育局配合）", [("lead", "州公安局"), ("lead", "州妇联"),
                                                 ("support", "州教育体育局")], False),
])
def test_words_between_a_list_and_its_role_word_leave_the_role_and_close_an_open_list(tmp_path, clause, roles,
                                                                                     open_list):
    """按职责分工, 分别, 共同, 积极 before a role word leave it as it is; 等部门, 等相关部门 leave the list open."""
    plan = _plan(tmp_path / "manner", HEADER + NARRATIVE[:2] + ["1.重点人群。开展反拐宣传。" + clause])
    assert not plan.problems
    assert [(m.role, m.unit.short_name) for m in plan.tasks["1.1.1"].mentions] == roles
    assert [f.kind for f in plan.findings] == (["open-list"] if open_list else [])
    by_role: dict[str, list[int]] = {}
    for m in plan.tasks["1.1.1"].mentions:
        by_role.setdefault(m.role, []).append(m.position)
    assert all(positions == list(range(1, len(positions) + 1)) for positions in by_role.values())


def test_a_cut_clause_is_the_last_one_opened_unless_the_text_stops_inside_a_name(tmp_path):
    plan = _plan(tmp_path / "last", HEADER + NARRATIVE[:2] + ["1.重点人群。开展排查（州公安局负责。加强教育。（州妇联负责，州教育体育"])
    assert [(m.role, m.unit.short_name) for m in plan.tasks["1.1.1"].mentions] == [("lead", "州妇联")]


def test_spaces_a_layout_leaves_inside_a_clause_split_nothing(tmp_path):
    spaced = "1.重点人群。开展反拐宣传。（州妇联" + " " * 12 + "负责，州教育体育局" + " " * 12 + "配合）"
    plan = _plan(tmp_path / "spaced", HEADER + NARRATIVE[:2] + [spaced])
    assert [(m.role, m.unit.short_name) for m in plan.tasks["1.1.1"].mentions] == [("lead", "州妇联"),
                                                                                   ("support", "州教育体育局")]


def test_a_remark_in_parentheses_ending_a_line_of_an_item_is_words_not_a_clause(tmp_path):
    plan = _plan(tmp_path / "remark", HEADER + NARRATIVE[:2] + ["1.重点人群。落实首问负责制（谁接报谁负责）",
                                                                "开展反拐宣传。（州妇联负责）"])
    assert not plan.problems and [m.unit.short_name for m in plan.tasks["1.1.1"].mentions] == ["州妇联"]


@pytest.mark.parametrize("clause, roles", [
    ("（牵头单位：州公安局；配合单位：州妇联、州教育体育局）", [("lead", "州公安局"), ("support", "州妇联"),
                                                             ("support", "州教育体育局")]),
    ("牵头单位：州公安局；配合单位：州妇联。", [("lead", "州公安局"), ("support", "州妇联")]),
    ("（牵头单位：州公安局；责任单位：各县（市）人民政府；配合单位：州妇联）",
     [("lead", "州公安局"), ("lead", "各县（市）人民政府"), ("support", "州妇联")]),
    ("（责任单位：州公安局、州妇联）", [("lead", "州公安局"), ("lead", "州妇联")]),
    ("（主办单位：州公安局；协办单位：州妇联）", [("lead", "州公安局"), ("support", "州妇联")]),
    # in any order, each list with its label's role, in the order written
    ("（配合单位：州妇联；牵头单位：州公安局）", [("support", "州妇联"), ("lead", "州公安局")]),
    ("配合单位：州妇联、州教育体育局；责任单位：州公安局。", [("support", "州妇联"), ("support", "州教育体育局"),
                                                         ("lead", "州公安局")]),
    ("（责任单位：各县（市）人民政府；牵头单位：州公安局）", [("lead", "各县（市）人民政府"), ("lead", "州公安局")]),
])
def test_a_clause_that_labels_its_lists_is_read_as_one_that_names_their_roles(tmp_path, clause, roles):
    """牵头单位：…；配合单位：… (with or without parentheses): 牵头单位, 责任单位 and 负责单位 lead, 配合单位 supports."""
    plan = _plan(tmp_path / "labelled", HEADER + NARRATIVE[:2] + ["1.重点人群。开展反拐宣传。" + clause])
    assert not plan.problems and plan.tasks["1.1.1"].title == "重点人群"
    assert [(m.role, m.unit.short_name) for m in plan.tasks["1.1.1"].mentions] == roles


def test_labelled_lists_on_lines_of_their_own_close_the_item_too(tmp_path):
    plan = _plan(tmp_path / "lines", HEADER + NARRATIVE[:2] + ["1.重点人群。开展反拐宣传。", "牵头单位：州公安局",
                                                               "配合单位：州妇联"])
    assert [(m.role, m.unit.short_name, m.line) for m in plan.tasks["1.1.1"].mentions] == [
        ("lead", "州公安局", 6), ("support", "州妇联", 7)]


LAST = "2.出租房屋。加强管理。（州公安局负责）"      # an item that names its units, after the one asked


@pytest.mark.parametrize("words, problems, findings", [
    # labelled lists with no lead label are no clause
    (["1.重点人群。开展宣传。（配合单位：州妇联）"], [(5, "no-units")], []),
    # a label inside a sentence is words; words after labelled lists leave them no clause
    (["1.重点人群。各地要明确责任单位：州公安局、州妇联。"], [(5, "no-units")], []),
    (["1.重点人群。开展宣传。牵头单位：州公安局；配合单位：州妇联。加强督导。"], [(5, "no-units")], []),
    # a labelled line, or a second lead list naming a unit, inside an item's words: a problem, not dropped
    (["1.重点人群。开展宣传。牵头单位：州公安局", "加强教育。（州妇联负责）"], [(5, "inner-clause")], []),
    (["1.重点人群。开展宣传。（省厅牵头，州妇联负责）", "加强教育。（州公安局负责）"], [(5, "inner-clause")], []),
    # two sentences of one line, each with its clause: the first one's units are not read, and that is said
    (["1.重点人群。开展宣传。（州妇联负责）加强教育。（州公安局负责）"], [(5, "inner-clause")], []),
    # a remark naming no unit of the plan, mid-sentence, is words
    (["1.重点人群。落实首问负责制（谁接报谁负责），开展宣传。（州公安局负责）"], [], []),
])
def test_a_labelled_clause_is_read_only_where_it_closes_the_words_whole(tmp_path, words, problems, findings):
    plan = _plan(tmp_path / "whole", HEADER + NARRATIVE[:2] + words + [LAST])
    assert [(p.line, p.code) for p in plan.problems] == problems
    assert [f.kind for f in plan.findings] == findings
    assert "州妇联" not in {m.unit.short_name for t in plan.tasks.values() for m in t.mentions if m.role == "support"}


@pytest.mark.parametrize("cut, roles, tail", [
    # a label states the role before the names: each name a separator closes is read, the one cut is named
    ("（牵头单位：州公安局；配合单位：州妇联、", [("lead", "州公安局"), ("support", "州妇联")],
     "read as far as the cut: lead 州公安局; support 州妇联; whatever followed is lost"),
    ("（牵头单位：州公安局；配合单位：州妇联、州教", [("lead", "州公安局"), ("support", "州妇联")],
     "read as far as the cut: lead 州公安局; support 州妇联; '州教' is cut off, not read; whatever followed is lost"),
    ("（牵头单位：州公安局；配合单", [("lead", "州公安局")],
     "read as far as the cut: lead 州公安局; '配合单' is cut off, not read; whatever followed is lost"),
    ("（牵头单位：州公安局等；配合单位：州妇联", [("lead", "州公安局")],
     "read as far as the cut: lead 州公安局; '州妇联' is cut off, not read; whatever followed is lost"),
    ("（配合单位：州妇联；牵头单位：州公", [],
     "read as far as the cut: support 州妇联; '州公' is cut off, not read; with no lead unit read, the item is no "
     "task; whatever followed is lost"),
])
def test_a_labelled_clause_cut_off_reads_every_name_a_separator_closes(tmp_path, cut, roles, tail):
    plan = _plan(tmp_path / "cut", HEADER + NARRATIVE[:2] + [LAST.replace("2.", "1."), "2.重点人群。开展宣传。" + cut])
    assert not plan.problems
    assert [(m.role, m.unit.short_name) for m in plan.tasks["1.1.2"].mentions] == roles if roles else \
        "1.1.2" not in plan.tasks
    (finding,) = plan.incomplete
    assert (finding.kind, finding.line, finding.task) == ("cut-clause", 6, "1.1.2" if roles else None)
    assert finding.message == (f"一(一)2 '重点人群': the text is cut off inside the unit clause (it ends "
                               f"'…{cut[-12:]}'); {tail}")


def test_clause_patterns_read_a_paragraph_full_of_role_words_in_one_way():
    """A list holds no role word, so a long run of them is read once, not split every way (the reading of such a
    paragraph took seconds; nothing here times it: the same paragraph, read, must give no clause)."""
    from antitraffick_kg.plan.clauses import clause_pattern

    assert clause_pattern().search("（" + "州局负责，" * 80 + "x（") is None
    m = clause_pattern().search("（州公安局负责，州妇联负责，州教育体育局配合）")
    assert (m.group("lead"), m.group("lead2"), m.group("support")) == ("州公安局", "州妇联", "州教育体育局")


def test_labelled_lists_on_lines_of_their_own_in_any_order(tmp_path):
    plan = _plan(tmp_path / "lines", HEADER + NARRATIVE[:2] + ["1.重点人群。开展反拐宣传。", "配合单位：州妇联",
                                                               "牵头单位：州公安局"])
    assert [(m.role, m.unit.short_name, m.line) for m in plan.tasks["1.1.1"].mentions] == [
        ("support", "州妇联", 6), ("lead", "州公安局", 7)]


def test_a_long_run_of_parentheses_or_stops_before_a_label_is_read_once():
    """The labelled lists look for their lead label no further than a clause reaches (the reading of 20,000
    parentheses took seconds; nothing here times it: such a run, read, gives no clause)."""
    from antitraffick_kg.plan.clauses import LABELLED, search_clause, clause_pattern

    assert LABELLED.search("（" * 20000 + "牵头单位：x") is None
    assert search_clause(clause_pattern(), "。" * 8000 + "负责单位：州公安局", 0, 8009).group("lists") == "负责单位：州公安局"


def test_a_labelled_clause_left_unclosed_before_the_next_item_reads_every_name(tmp_path):
    plan = _plan(tmp_path / "unclosed", HEADER + NARRATIVE[:2] + [
        "1.重点人群。开展宣传。（牵头单位：州公安局；配合单位：州妇联", LAST])
    assert [(m.role, m.unit.short_name) for m in plan.tasks["1.1.1"].mentions] == [("lead", "州公安局"),
                                                                                   ("support", "州妇联")]
    (finding,) = plan.incomplete
    assert finding.message == ("一(一)1 '重点人群': the unit clause breaks off, with no ）, where the text goes on (it "
                               "ends '…公安局；配合单位：州妇联'); read as far as it goes: lead 州公安局; support 州妇联")
    assert "1.1.2" in plan.tasks


@pytest.mark.parametrize(("clause", "read_as"), [
    ("（州公安局负责，州民政局配合，州妇联参与）", [("lead", "州公安局"), ("support", "州民政局"), ("support", "州妇联")]),
    ("（州公安局负责，州民政局协助配合）", [("lead", "州公安局"), ("support", "州民政局")]),
    ("（州公安局负责、州民政局配合）", [("lead", "州公安局"), ("support", "州民政局")]),
    ("（州公安局牵头、州民政局、州妇联配合）", [("lead", "州公安局"), ("support", "州民政局"), ("support", "州妇联")]),
    ("（州公安局负责。州民政局配合）", [("lead", "州公安局"), ("support", "州民政局")]),
    ("（州公安局负责，州民政局配合。）", [("lead", "州公安局"), ("support", "州民政局")]),
    ("（州公安局负责，州民政局配合，下同）", [("lead", "州公安局"), ("support", "州民政局")]),
    ("（州公安局负责，州妇联视情配合）", [("lead", "州公安局"), ("support", "州妇联")]),
    ("（州公安局牵头，州民政局负责，州妇联配合，团州委参与）",
     [("lead", "州公安局"), ("lead", "州民政局"), ("support", "州妇联"), ("support", "团州委")]),
])
def test_clause_habits_of_sibling_plans(clause, read_as):
    """Clauses an office writes otherwise than Dehong: before, each was a no-units problem (or, where the table had
    the item's row, its narrative units were lost with no word)."""
    plan = sp.read(["一、预防", "1.甲事。开展宣传。" + clause, "2.乙事。开展。（州公安局负责）"])
    assert [(m.role, m.unit.short_name) for m in plan.tasks["1.1"].mentions] == read_as
    assert not [p for p in plan.problems if p.code not in ("no-doc-number", "no-period")]


def test_a_clause_the_reader_does_not_know_beside_a_table_row_is_a_finding():
    plan = sp.read(sp.HEADER + sp.NARRATIVE[:9] + ["1.重点人群。开展反拐宣传。（州妇联负责，州教育体育局配合；各县（市）人民政府抓好"
                                                   "落实）"] + sp.NARRATIVE[10:] + sp.TABLE)
    assert [m.part for m in plan.tasks["3.1.1"].mentions] == ["table"] * 3
    (finding,) = [f for f in plan.findings if f.kind == "unread-clause"]
    assert (finding.line, finding.task) == (16, "3.1.1")
    assert finding.message == (
        "三(一)1 '重点人群': its words end in '（州妇联负责，州教育体育局配合；各县（市）人民政府抓好落实）', which names "
        "州教育体育局、州妇联 in no form of unit clause the reader knows: not read, so the task's units are its table "
        "row's alone")


@pytest.mark.parametrize(("clause", "read_as"), [
    ("（州公安局和州民政局负责，州妇联配合）", [("lead", "州公安局"), ("lead", "州民政局"), ("support", "州妇联")]),
    ("（州公安局负责，州妇联和州民政局配合）", [("lead", "州公安局"), ("support", "州妇联"), ("support", "州民政局")]),
    ("（州人力资源社会保障局和州民政局负责）", [("lead", "州人力资源社会保障局"), ("lead", "州民政局")]),
    ("（州公安局、州民政局及州妇联负责）", [("lead", "州公安局"), ("lead", "州民政局"), ("lead", "州妇联")]),
])
def test_units_joined_by_he_are_each_a_unit(clause, read_as):
    """Before, 县公安局和县民政局 was one unit `new` made up, and the import refused it with the real registry."""
    plan = sp.read(["一、预防", "1.甲事。开展宣传。" + clause, "2.乙事。开展。（州公安局负责）"])
    assert [(m.role, m.unit.short_name) for m in plan.tasks["1.1"].mentions] == read_as
    assert not [p for p in plan.problems if p.code not in ("no-doc-number", "no-period")]


def test_new_proposes_units_joined_by_he_as_two_and_a_name_holding_he_as_one():
    from antitraffick_kg.plan.newplan import propose_units
    from antitraffick_kg.plan.planinfo import PlanInfo

    text = ("一、预防\n1.甲事。开展。（县公安局和县民政局负责，县文化和旅游局配合）\n2.乙事。开展。（县人力资源和社会保障局负责，"
            "县级以上政府及各级联席会议成员单位配合）\n")
    proposed = {p.short_name for p in propose_units(text, PlanInfo(title="某", period=(2022, 2030), level="county",
                                                                   jurisdiction="532622"))}
    # a group of bodies joined by 及 stays one name, as the genre names groups (Dehong's units.csv has it whole)
    assert proposed == {"县公安局", "县民政局", "县文化和旅游局", "县人力资源和社会保障局", "县级以上政府及各级联席会议成员单位"}


def test_new_takes_only_the_names_of_the_way_it_parts_a_list():
    """The ways tried to part a list at 和 took each name tried (州公安局和州民政局 was proposed); a name a line
    wraps (州委\\n宣传部) is one name, not two."""
    from antitraffick_kg.plan.newplan import propose_units
    from antitraffick_kg.plan.planinfo import PlanInfo

    info = PlanInfo(title="某", period=(2022, 2030), level="prefecture", jurisdiction="533100")
    for clause, names in (("（州公安局、州委\n宣传部负责，州妇联配合）", {"州公安局", "州委宣传部", "州妇联"}),
                          ("（州公安局和州民政局和其他有关部门负责，州妇联配合）", {"州公安局和州民政局和其他有关部门", "州妇联"}),
                          ("（县人民政府和各乡镇人民政府负责，州妇联配合）", {"县人民政府", "各乡镇人民政府", "州妇联"})):
        text = f"一、预防犯罪\n1.宣传。开展宣传。{clause}\n"
        assert {p.short_name for p in propose_units(text, info)} == names, clause


def test_a_long_list_joined_by_he_is_read_in_a_step_per_he():
    """Before, each 和 was a level of recursion: a table cell of 1,200 units so joined raised RecursionError."""
    cell = "和".join(["州公安局", "州民政局"] * 600)
    row = sp.T.join(["三、预防犯罪", "(一) 宣传教育", "1.重点人群。开展反拐宣传。", cell, "州教育体育局、团州委", "全面部署"])
    plan = sp.read(sp.HEADER + sp.NARRATIVE + sp.TABLE[:3] + [row] + sp.TABLE[4:])
    assert len([m for m in plan.tasks["3.1.1"].mentions if m.part == "table" and m.role == "lead"]) == 1200


def test_a_remark_in_parentheses_naming_a_unit_is_no_unread_clause():
    plan = sp.read(sp.HEADER + sp.NARRATIVE[:9] + ["1.重点人群。开展反拐宣传。（联席会议办公室设在州公安局）"]
                   + sp.NARRATIVE[10:] + sp.TABLE)
    assert not [f for f in plan.findings if f.kind == "unread-clause"]
