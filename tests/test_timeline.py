"""Every milestone of the Dehong plan against the words it cites: the span, the line, the years and the basis.

The timeline rules are in ``plan/timeline.py``; each milestone carries the phrase
that states it, so each can be checked against the source text itself.
"""

from __future__ import annotations

import collections
import re

import pytest

ONGOING = re.compile(r"长期坚持|持续推进|常态化推进")


@pytest.fixture(scope="module")
def milestones(plan):
    return [(t, ms) for t in plan.tasks.values() for ms in t.milestones]


def _words(plan, ms) -> str:
    assert 0 < ms.span.start < ms.span.end <= len(plan.text)
    return plan.text[ms.span.start:ms.span.end]


def test_each_milestone_cites_its_own_words_on_its_own_line(plan, milestones):
    first, last = plan.period[:2]
    for task, ms in milestones:
        words = _words(plan, ms)
        assert words == words.strip(), (task.notation, words)
        assert ms.line == plan.text.count("\n", 0, ms.span.start) + 1, (task.notation, ms)
        if ms.kind == "deadline":
            assert re.fullmatch(r"(20\d\d)\s*年\s*(底前|内)", words) and int(words[:4]) == ms.year
            assert ms.until is None and ms.basis == "stated"
        elif ms.kind == "recurring":
            assert words == ms.recurrence and words.startswith("每年"), (task.notation, words)
            assert ms.until == last
        else:
            assert ONGOING.search(words) and ms.until == last, (task.notation, words)
            # from the start of its run: a cell boundary or the end of the sentence before it
            assert plan.text[ms.span.start - 1] in "\t。；;", (task.notation, words)
            assert words[-1] in "。；;" or plan.text[ms.span.end] in "\t\n\r", (task.notation, words)


def test_each_first_year_follows_its_basis(plan, milestones):
    first = plan.period[0]
    for task, ms in milestones:
        assert ms.basis in ("stated", "plan-start", "after-preceding")
        if ms.basis == "plan-start":
            assert ms.year == first, (task.notation, ms)
        elif ms.basis == "after-preceding":
            assert ms.year > first, (task.notation, ms)
        else:
            line_start = plan.text.rfind("\n", 0, ms.span.start) + 1
            assert f"{ms.year}" in plan.text[line_start:ms.span.end], (task.notation, ms)


def test_the_kinds_and_bases_of_the_plans_milestones(milestones):
    # as the import reads the table today: a change to the rules shows here first
    assert collections.Counter((ms.kind, ms.basis) for _, ms in milestones) == {
        ("deadline", "stated"): 23,
        ("ongoing", "plan-start"): 34, ("ongoing", "after-preceding"): 21, ("ongoing", "stated"): 1,
        ("recurring", "after-preceding"): 2, ("recurring", "plan-start"): 1, ("recurring", "stated"): 1,
    }


# -- the rules on cells written for them: what the Dehong table happens not to contain -------------------------
def _derive(*cells: str, body: str = "加强管理。"):
    """The milestones of one task whose table statement is ``body`` and whose progress cells are ``cells``."""
    from antitraffick_kg.plan.model import ParsedPlan, ProgressCell, Span, Statement, Task
    from antitraffick_kg.plan.timeline import derive_timeline

    text = "\t".join([body, *cells]) + "\n"
    plan = ParsedPlan(plan_id="p", source_path="p.txt", text=text, sha256="", converted_from=None,
                      period=(2022, 2030, None))
    task = Task("1.1", "任务", "1", statements={"table": Statement("table", Span(0, len(body)), 7)})
    at = len(body) + 1
    for position, cell in enumerate(cells):
        task.progress.append(ProgressCell(Span(at, at + len(cell)), 2022 + position, position, 7))
        at += len(cell) + 1
    derive_timeline(plan, task)
    return [(ms.kind, ms.year, ms.until, ms.basis, text[ms.span.start:ms.span.end], ms.line)
            for ms in task.milestones], task.target_year


def test_clauses_split_at_each_full_stop_and_keep_their_offsets():
    from antitraffick_kg.plan.timeline import _clauses

    assert list(_clauses("甲。乙；丙", 10)) == [(10, "甲。"), (12, "乙；"), (14, "丙")]
    assert list(_clauses("甲。", 3)) == [(3, "甲。")]


def test_a_phrase_inside_a_cell_is_cited_where_it_stands():
    found, target = _derive("开展排查，2024年底前完成；此后常态化推进。  ")
    assert found == [("deadline", 2024, None, "stated", "2024年底前", 7),
                     ("ongoing", 2025, 2030, "after-preceding", "此后常态化推进。", 7)]
    assert target == 2024


def test_a_year_stated_before_a_recurring_duty_starts_it():
    found, _ = _derive("2025年起推行试点。每年报告一次。")
    assert found == [("recurring", 2025, 2030, "stated", "每年报告一次", 7)]
    found, _ = _derive("每年报告一次。")
    assert found == [("recurring", 2022, 2030, "plan-start", "每年报告一次", 7)]
    found, _ = _derive("试点。", "每年报告一次。")
    assert found == [("recurring", 2023, 2030, "after-preceding", "每年报告一次", 7)]


def test_a_year_stated_with_an_ongoing_phrase_starts_only_that_phrase():
    found, _ = _derive("2025年后持续推进。每年报告一次。")
    assert found == [("ongoing", 2025, 2030, "stated", "2025年后持续推进。", 7),
                     ("recurring", 2022, 2030, "plan-start", "每年报告一次", 7)]


def test_one_ongoing_span_per_cell():
    found, _ = _derive("长期坚持；持续推进。")
    assert found == [("ongoing", 2022, 2030, "plan-start", "长期坚持；", 7)]


def test_a_duty_the_task_itself_states_with_a_year():
    found, _ = _derive(body="从2024年开始，每年至少召开一次会议。")
    assert found == [("recurring", 2024, 2030, "stated", "每年至少召开一次会议", 7)]
    found, _ = _derive(body="每年至少召开一次会议。")
    assert found == [("recurring", 2022, 2030, "plan-start", "每年至少召开一次会议", 7)]


def test_an_ongoing_phrase_at_the_end_of_a_cell_without_a_full_stop():
    found, _ = _derive("对X类场所持续推进")
    assert found == [("ongoing", 2022, 2030, "plan-start", "对X类场所持续推进", 7)]
