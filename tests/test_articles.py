"""The reader on rules written as a code of chapters and articles (实施细则: 第二章 预防工作, 第八条 …), the form of
the Yunnan plan the Dehong plan implements: articles numbered through the whole text and cited by their own number
(第八条（一） is 8.1), chapters as areas, each article's unit clause kept to that article.

The text, units and plan facts are written here for the tests (a made-up province plan in that form).
"""

from __future__ import annotations

import functools

import pytest

from small_plans import import_folder, plan_toml

UNITS = """id,short_name,variants,full_name,name_en,kind,function
human-resources,省人力资源社会保障厅,,,Human Resources Department,government-department,human-resources-social-security
public-security,省公安厅,,,Public Security Department,government-department,public-security
market-regulation,省市场监管局,,,Market Regulation Administration,government-department,market-regulation
womens-federation,省妇联,,,Women's Federation,mass-organisation,womens-federation
education,省教育厅,,,Education Department,government-department,education
civil-affairs,省民政厅,,,Civil Affairs Department,government-department,civil-affairs
cyberspace,省委网信办,,,Cyberspace Affairs Office,party-organ,cyberspace-affairs
procuratorate,省检察院,,,Procuratorate,procuratorate,procuratorate
court,省法院,,,High Court,court,court
"""
HEADER = ["某省人民政府办公厅关于印发某省反对拐卖人口行动计划实施细则（2021—2030年）的通知",
          "某政办发〔2021〕50号",
          "某省反对拐卖人口行动计划实施细则（2021—2030年）"]
RULES = [
    "第一章 总则",                                                                                     # 4
    "第一条 目的依据。为贯彻落实行动计划，结合本省实际，制定本细则。",                                 # 5
    "第二条 指导思想。坚持以人为本、综合治理。",                                                       # 6
    "第二章 预防工作",                                                                                 # 7
    "第三条 工作目标。健全预防拐卖人口犯罪工作机制。",                                                 # 8
    "第四条 重点领域预防犯罪工作。",                                                                   # 9
    "（一）人力资源领域。加强人力资源市场管理。（省人力资源社会保障厅、省公安厅负责，省市场监管局、省妇联配合）",  # 10
    "（二）教育领域。防止学生失学辍学。（省教育厅、省公安厅负责，省民政厅配合）",                      # 11
    "第五条　网络犯罪预防。加强网络监管，2025年底前建立监测机制。（省委网信办、省公安厅负责）",        # 12
    "第三章 打击、解救工作",                                                                           # 13
    "第六条 工作目标。始终保持高压态势。",                                                             # 14
    "第七条 严厉打击拐卖犯罪。持续推进，长期坚持。（省公安厅、省检察院、省法院负责）",                 # 15
]
PLAN_TOML = plan_toml(title="某省反对拐卖人口行动计划实施细则（2021—2030年）", number="某政办发〔2021〕50号",
                      period="2021-2030", level="province", jurisdiction="530000")
_plan = functools.partial(import_folder, plan_toml=PLAN_TOML, units=UNITS, named_only=True)


@pytest.fixture(scope="module")
def rules(tmp_path_factory):
    return _plan(tmp_path_factory.mktemp("rules") / "rules", HEADER + RULES)


def _roles(task) -> list[tuple[str, str]]:
    return [(m.role, m.unit.short_name) for m in task.mentions]


def test_an_article_is_cited_by_its_own_number_and_an_item_under_it_by_both(rules):
    assert {n: (t.title, t.narrative_number, t.statements["narrative"].line) for n, t in rules.tasks.items()} == {
        "4.1": ("人力资源领域", "第四条(一)", 10), "4.2": ("教育领域", "第四条(二)", 11),
        "5": ("网络犯罪预防", "第五条", 12), "7": ("严厉打击拐卖犯罪", "第七条", 15)}
    assert not [f for f in rules.findings if f.kind in ("numbering", "excerpt")] and not rules.problems


def test_each_article_keeps_its_own_unit_clause(rules):
    assert _roles(rules.tasks["4.1"]) == [("lead", "省人力资源社会保障厅"), ("lead", "省公安厅"),
                                         ("support", "省市场监管局"), ("support", "省妇联")]
    assert _roles(rules.tasks["4.2"]) == [("lead", "省教育厅"), ("lead", "省公安厅"), ("support", "省民政厅")]
    assert _roles(rules.tasks["5"]) == [("lead", "省委网信办"), ("lead", "省公安厅")]
    assert _roles(rules.tasks["7"]) == [("lead", "省公安厅"), ("lead", "省检察院"), ("lead", "省法院")]
    assert [(m.kind, m.year) for m in rules.tasks["5"].milestones] == [("deadline", 2025)]
    assert [(m.kind, m.year) for m in rules.tasks["7"].milestones] == [("ongoing", 2021)]


def test_chapters_and_articles_without_a_clause_are_areas_each_under_its_chapter(rules):
    assert {n: (a.written, a.title, a.parent) for n, a in rules.areas.items()} == {
        "ch1": ("第一章", "总则", None), "1": ("第一条", "目的依据", "ch1"), "2": ("第二条", "指导思想", "ch1"),
        "ch2": ("第二章", "预防工作", None), "3": ("第三条", "工作目标", "ch2"),
        "4": ("第四条", "重点领域预防犯罪工作", "ch2"),
        "ch3": ("第三章", "打击、解救工作", None), "6": ("第六条", "工作目标", "ch3")}
    assert (rules.tasks["4.1"].area, rules.tasks["5"].area, rules.tasks["7"].area) == ("4", "ch2", "ch3")


def test_an_excerpt_that_starts_at_a_later_chapter_keeps_the_articles_numbers(tmp_path):
    plan = _plan(tmp_path / "excerpt", HEADER + RULES[9:])
    assert sorted(plan.tasks) == ["7"] and sorted(plan.areas) == ["6", "ch3"]
    assert [f.message for f in plan.findings if f.kind == "excerpt"] == [
        "the text's first chapter is 第三章, not 第一章: read as part of an excerpt that keeps the document's numbers",
        "the text's first article is 第六条, not 第一条: read as part of an excerpt that keeps the document's numbers"]


def test_an_article_out_of_turn_is_a_numbering_finding_and_numbered_by_its_place(tmp_path):
    lines = HEADER + [line.replace("第七条", "第九条") for line in RULES]
    plan = _plan(tmp_path / "skips", lines)
    assert "7" in plan.tasks and plan.tasks["7"].narrative_number == "第九条"
    assert [f.message for f in plan.findings if f.kind == "numbering"] == [
        "narrative numbers this article 第九条 but it is number 7 of its level; the graph numbers it 7"]


def test_rules_in_chapters_and_articles_make_a_graph_that_conforms(rules):
    import pyoxigraph as ox

    from antitraffick_kg.check.validate import validate_store
    from antitraffick_kg.plan.graph import plan_graph, vocabulary_graph

    store = ox.Store()
    for g in (plan_graph(rules), vocabulary_graph()):
        store.load(g.serialize(format="nt").encode(), format=ox.RdfFormat.N_TRIPLES)
    result = validate_store(store, engine="oxigraph")
    assert result.conforms and not result.results, [(r.shape, r.focus) for r in result.results]


def test_a_sentence_starting_with_an_ordinal_in_a_text_numbered_otherwise_is_words():
    """第一条… heads an article only in rules written in articles: in a text numbered 一、（一）1. it is words."""
    from small_plans import HEADER as DEHONG_HEADER, NARRATIVE, read

    plain = read(DEHONG_HEADER + NARRATIVE)
    lines = list(NARRATIVE)
    lines.insert(lines.index("（一）宣传教育") + 1, "第一条，坚持依法打击。")
    lines.insert(lines.index("坚持以人为本。") + 1, "第一条线索核查机制要健全。")
    worded = read(DEHONG_HEADER + lines)
    assert sorted(worded.tasks) == sorted(plain.tasks) and sorted(worded.areas) == sorted(plain.areas)
    assert not [f for f in worded.findings if f.kind in ("numbering", "excerpt")]


def test_an_article_with_words_but_no_clause_where_the_others_name_units_is_a_problem(tmp_path):
    lines = HEADER + [line.replace("（省委网信办、省公安厅负责）", "（省委网信办负，省公安厅配合）")
                      if line.startswith("第五条") else line for line in RULES]
    plan = _plan(tmp_path / "malformed", lines, strict=False)
    assert "5" not in plan.tasks and [(p.line, p.code) for p in plan.problems] == [(12, "no-units")]
    assert [f.message for f in plan.findings if f.kind == "goal"] == [
        "第三条 '工作目标' states a goal, not a task: it names no units, and none is assigned",
        "第六条 '工作目标' states a goal, not a task: it names no units, and none is assigned"]


def test_chapters_over_sections_are_the_top_level_of_the_notation(tmp_path):
    lines = HEADER + ["第一章 总则", "一、指导思想", "坚持以人为本。", "第二章 预防工作", "一、重点领域",      # 4-8
                      "（一）人力资源领域。加强人力资源市场管理。（省人力资源社会保障厅负责，省妇联配合）",      # 9
                      "（二）教育领域。防止学生失学辍学。（省教育厅负责）"]                                   # 10
    plan = _plan(tmp_path / "sections", lines, strict=False)
    assert not plan.problems and plan.narrative_lines[0] == 4
    assert sorted(plan.tasks) == ["2.1.1", "2.1.2"] and plan.tasks["2.1.1"].narrative_number == "第二章一(一)"
    assert [(a, plan.areas[a].title, plan.areas[a].parent) for a in sorted(plan.areas)] == [
        ("1", "总则", None), ("1.1", "指导思想", "1"), ("2", "预防工作", None), ("2.1", "重点领域", "2")]
    assert not [f for f in plan.findings if f.kind in ("numbering", "excerpt")]


def test_sections_numbered_through_the_chapters_keep_their_numbers(tmp_path):
    lines = HEADER + ["第一章 总则", "一、指导思想", "坚持以人为本。", "二、工作原则", "坚持综合治理。",       # 4-8
                      "第二章 预防工作", "三、重点领域",                                                   # 9-10
                      "（一）人力资源领域。加强人力资源市场管理。（省人力资源社会保障厅负责，省妇联配合）"]      # 11
    plan = _plan(tmp_path / "through", lines, strict=False)
    assert not plan.problems and sorted(plan.tasks) == ["2.3.1"]
    assert plan.tasks["2.3.1"].narrative_number == "第二章三(一)" and plan.areas["2.3"].title == "重点领域"
    assert not [f for f in plan.findings if f.kind in ("numbering", "excerpt")]


def test_a_notice_line_wrapped_at_an_article_of_a_law_is_no_code_of_rules():
    from small_plans import HEADER as DEHONG_HEADER, NARRATIVE, read

    plain = read(DEHONG_HEADER + NARRATIVE)
    wrapped = read(DEHONG_HEADER[:5] + ["依照《条例》", "第十条规定的职责，制定本方案。"] + DEHONG_HEADER[5:] + NARRATIVE)
    assert sorted(wrapped.tasks) == sorted(plain.tasks)


def test_the_general_articles_above_the_first_task_of_rules_without_chapters_are_no_problem(tmp_path):
    plan = _plan(tmp_path / "flat", HEADER + [line for line in RULES if "章" not in line.split(" ")[0]], strict=False)
    assert not plan.problems and sorted(plan.tasks) == ["4.1", "4.2", "5", "7"]


def test_a_chapter_whose_words_end_in_a_clause_is_a_task(tmp_path):
    lines = HEADER + ["第一章 预防工作", "一、重点领域",                                                    # 4-5
                      "（一）人力资源领域。加强人力资源市场管理。（省人力资源社会保障厅负责，省妇联配合）",      # 6
                      "第二章 保障措施", "加强组织领导。（省公安厅负责）"]                                   # 7-8
    plan = _plan(tmp_path / "chapter-task", lines, strict=False)
    assert not plan.problems and sorted(plan.tasks) == ["1.1.1", "2"] and plan.tasks["2"].title == "保障措施"
    assert [(m.role, m.unit.short_name) for m in plan.tasks["2"].mentions] == [("lead", "省公安厅")]


def test_a_chapter_among_sections_that_stand_in_none_is_a_problem(tmp_path):
    """一、 before the first chapter: the chapters do not take the sections' numbers (area 1 stays 预防犯罪)."""
    lines = HEADER + ["一、预防犯罪", "（一）人力资源领域。加强管理。（省人力资源社会保障厅负责）",                # 4-5
                      "第一章 附则", "（二）教育领域。防止学生失学辍学。（省教育厅负责）"]                        # 6-7
    plan = _plan(tmp_path / "mixed", lines, strict=False)
    assert [(p.line, p.code) for p in plan.problems] == [(6, "chapter")]
    assert plan.areas["1"].title == "预防犯罪" and sorted(plan.tasks) == ["1.1", "1.2"]


def test_a_table_s_section_is_compared_with_the_task_s_section_not_its_chapter(tmp_path):
    lines = HEADER + ["第一章 预防工作", "一、重点领域",                                                    # 4-5
                      "（一）人力资源领域。加强人力资源市场管理。（省人力资源社会保障厅负责，省妇联配合）",      # 6
                      "某省反对拐卖人口行动计划实施细则（2021—2030年）年度实施方案",                            # 7
                      "工作项目\t工作任务\t\t负责单位\t配合单位\t2021年",                                       # 8
                      "一、重点领域\t(一) 人力资源领域\t加强人力资源市场管理。\t省人力资源社会保障厅\t省妇联\t持续推进。"]
    plan = _plan(tmp_path / "chapters-table", lines, strict=False)
    assert not plan.problems and set(plan.tasks["1.1.1"].statements) == {"narrative", "table"}
    assert not [f.message for f in plan.findings if f.kind == "title"]
