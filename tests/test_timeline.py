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
