"""Timelines from the annual table's progress cells, or from a task's narrative words where the table has no row
for it (a plan published without an annual table, or a task its table leaves out).

Rules, applied to every task alike (ontology/README.md explains them):

* deadline: ``N年底前`` or ``N年内`` -- due by the end of year N (also ``N年年底前``, ``到N年底``; the year in
  full-width digits or Chinese numerals, ``二〇二五年``); ``N年M月底前`` (or ``N年M月D日前``) -- due in year N,
  by the end of month M;
* ongoing span: ``长期坚持``, ``持续推进`` or ``常态化推进`` -- from its first year to the
  plan's last year.  The first year is the one the text states (``N年后``, ``从N年``),
  else the first year after the preceding entries of the row (an entry with a
  deadline runs to that year, an undated entry takes one year), else the plan's
  first year;
* recurring duty: a clause beginning ``每年`` -- its cycle as written, first year as above, to the plan's last
  year, or over the years its clause limits it to (``2023—2025年，每年…``, ``“十四五”期间``: 2021–2025, within the
  plan period);
* target year: the task's last deadline, else the plan's last year.

A task with a row of the annual table takes its timeline from that row alone; a task without one, from the words of
its narrative paragraph by the same rules (a first year there is the one stated, else the plan's first year), each
milestone stated in the narrative.
"""

from __future__ import annotations

import functools
import re

from .model import Finding, Milestone, ParsedPlan, Span, Task

__all__ = ["derive_timeline"]

#: a deadline: 2025年底前, 2025年内, 2025年年底前, 到2025年底, 2025年6月底前, 2025年6月30日前 (the year's digits
#: as :func:`_digits` writes them); 年底 alone only after 到/至/于/在 (截至2022年底 is a date looked back from), 前
#: alone only after a day (and see _PART_OF_YEAR)
_DEADLINE = re.compile(r"((?<!截)[到至于在]\s*)?(20\d\d)\s*年\s*(?:(1[0-2]|0?[1-9]|十[一二]?|[一二三四五六七八九])\s*月份?\s*"
                       r"(?:(\d{1,2}|[一二三]?十[一二三四五六七八九]?|[一二三四五六七八九])\s*日\s*)?)?(年\s*)?(底前|内|底|前)")
#: a deadline in a part of a year: 2025年上半年完成, 2025年一季度前 (its last month; the year's end for 下半年, 四季度)
_PART_OF_YEAR = re.compile(r"(20\d\d)\s*年\s*(?:([上下])半年|第?([一二三四1-4])季度)(?:末|底)?"
                           r"(?=以前|前|内|完成|建成|实现)(?:以前|前|内)?")
_QUARTERS = {"一": 3, "1": 3, "二": 6, "2": 6, "三": 9, "3": 9}
_MONTHS = {"十": 10, "十一": 11, "十二": 12, **{c: i for i, c in enumerate("一二三四五六七八九", start=1)}}
#: a year written in full-width digits (２０２５) or Chinese numerals (二〇二五): read as 2025, one character each
_FULL_WIDTH = str.maketrans("０１２３４５６７８９〇○零一二三四五六七八九", "0123456789000123456789")
_WRITTEN_YEAR = re.compile(r"[２二][０〇○零][０-９〇○零一二三四五六七八九]{2}(?=\s*年)")
_ONGOING = re.compile(r"长期坚持|持续推进|常态化推进")
_STATED_START = re.compile(r"(?:从\s*(20\d\d)\s*年(?:开始|起)|(20\d\d)\s*年(?:后|起|以后))")
_RECURRING = re.compile(r"每年[^，。；,;]*")
#: the years a duty is limited to: 2023—2025年, 2023年至2025年, or a five-year plan's period (“十四五”期间)
_YEARS = re.compile(r"(20\d\d)\s*年?\s*(?:[—–\-~～]{1,2}|至|到)\s*(20\d\d)\s*年|[“\"]?(十[四五]五)[”\"]?(?:期间|时期)")
_FIVE_YEAR = {"十四五": (2021, 2025), "十五五": (2026, 2030)}
#: between a span of years and the duty it governs: nothing, a comma, 期间, 内, 间
_GOVERNS = re.compile(r"\s*(?:期间|内|间)?\s*[，,、]?\s*")
#: words that look back from a date (截至2022年底, 截止到2023年6月底): what follows is no deadline
_LOOKED_BACK = re.compile(r"截(?:至|止)(?:到|于)?\s*$")
_CLAUSE_END = re.compile(r"[。；;]")
#: a unit clause closing the narrative words, nested parentheses of a name included (its words are no timeline)
_UNIT_CLAUSE = re.compile(r"[（(](?:[^（）()]|[（(][^（）()]*[)）])*[)）][。；;]?\s*$")
#: a sentence of the narrative that is the genre's formula of an ongoing duty, alone (a year before it may start it)
_FORMULA = re.compile(r"^[\s，,]*((?:(?:从\s*)?20\d\d\s*年(?:开始|起|以后|后)[，,]?\s*)?"
                      r"(?:持续推进|常态化推进|长期坚持)(?:[，,、]\s*(?:持续推进|常态化推进|长期坚持))*[。；;]?)\s*$")


def _clauses(text: str, start: int):
    """Sentences of a cell with their offsets (split at 。；)."""
    cursor = 0
    for m in _CLAUSE_END.finditer(text):
        yield start + cursor, text[cursor:m.end()]
        cursor = m.end()
    if cursor < len(text):
        yield start + cursor, text[cursor:]


@functools.lru_cache(maxsize=1024)      # (each clause is asked for its deadlines, first year and years)
def _digits(clause: str) -> str:
    """``clause`` with a year written ２０２５ or 二〇二五 in ASCII digits, each character in its place (so offsets
    into the clause still hold)."""
    if "年" not in clause:
        return clause
    return _WRITTEN_YEAR.sub(lambda m: m.group(0).translate(_FULL_WIDTH), clause)


def _deadlines(clause: str):
    """Each deadline a clause states: (year, month or ``None``, match)."""
    for m in _DEADLINE.finditer(_digits(clause)):
        before, month, day, end = m.group(1), m.group(3), m.group(4), m.group(6)
        if end == "底" and not (before or month) or end == "前" and not day or m.group(5) and month:
            continue                    # 2025年底 said in passing; 2025年前 (before 2025 or by it?)
        if _LOOKED_BACK.search(clause[:m.start(2)]):
            continue                    # 截至2023年6月底, 截止到2022年底: a date looked back from
        yield int(m.group(2)), (_MONTHS.get(month) or int(month)) if month else None, m
    for m in _PART_OF_YEAR.finditer(_digits(clause)):
        if not _LOOKED_BACK.search(clause[:m.start(1)]):
            yield int(m.group(1)), 6 if m.group(2) == "上" else _QUARTERS.get(m.group(3) or ""), m


def _years(clause: str, first: int, last: int, duty: int | None = None) -> tuple[int, int] | None:
    """The years a clause limits its duty to, within the plan period, or ``None``: a span that stands before the
    duty (``duty``, where its 每年 starts) with nothing but a comma or 期间/内 between (2023—2025年，每年…), not one
    said elsewhere in the clause (每年开展专项行动，2023—2025年为攻坚阶段)."""
    m = _YEARS.search(_digits(clause))
    if m is None or duty is not None and (m.end() > duty or not _GOVERNS.fullmatch(clause[m.end():duty])):
        return None
    start, end = _FIVE_YEAR[m.group(3)] if m.group(3) else (int(m.group(1)), int(m.group(2)))
    return (max(start, first), min(end, last)) if start <= end and start <= last and end >= first else None


def _stated(clause: str) -> int | None:
    m = _STATED_START.search(_digits(clause))
    return int(m.group(1) or m.group(2)) if m else None


def derive_timeline(plan: ParsedPlan, task: Task) -> None:
    first, last = plan.period[0], plan.period[1]
    cursor = first                       # first year not yet taken by earlier entries
    cell_start_stated: int | None = None
    table = task.statements.get("table")
    if table is not None:          # duties the task text itself gives a cycle, e.g. 每年至少召开一次
        body = plan.text[table.span.start:table.span.end]
        for m in _RECURRING.finditer(body):
            task.milestones.append(Milestone(
                "recurring", _stated(body) or first, last, "stated" if _stated(body) else "plan-start",
                Span(table.span.start + m.start(), table.span.start + m.end()), table.line,
                recurrence=m.group(0)))
    for cell in task.progress:
        text = plan.text[cell.span.start:cell.span.end]
        dated = False
        ongoing_done = False
        cell_start_stated = None
        for offset, clause in _clauses(text, cell.span.start):
            stated = _stated(clause)
            for year, month, m in _deadlines(clause):
                task.milestones.append(Milestone(
                    "deadline", year, None, "stated", Span(offset + m.start(), offset + m.end()), cell.line,
                    month=month))
                cursor = max(cursor, year + 1)
                dated = True
            for m in _RECURRING.finditer(clause):
                limited = _years(clause, first, last, m.start())
                start_year = limited[0] if limited else stated or cell_start_stated
                basis = "stated" if start_year else ("plan-start" if cursor == first else "after-preceding")
                task.milestones.append(Milestone(
                    "recurring", start_year or cursor, limited[1] if limited else last, basis,
                    Span(offset + m.start(), offset + m.end()), cell.line, recurrence=m.group(0)))
            if stated and not _ONGOING.search(clause):
                cell_start_stated = stated
            m = _ONGOING.search(clause)
            if m and not ongoing_done:
                ongoing_done = True
                start_year = stated
                basis = "stated" if start_year else ("plan-start" if cursor == first else "after-preceding")
                phrase = _phrase(clause, m)
                task.milestones.append(Milestone(
                    "ongoing", start_year or cursor, last, basis,
                    Span(offset + phrase[0], offset + phrase[1]), cell.line))
        if not dated:
            cursor += 1
    narrative = task.statements.get("narrative")
    if table is None and not task.progress and narrative is not None:
        _from_narrative(plan, task, narrative.span)
    deadlines = [m.year for m in task.milestones if m.kind == "deadline"]
    task.target_year = max(deadlines) if deadlines else last


def _from_narrative(plan: ParsedPlan, task: Task, span: Span) -> None:
    """The deadlines, recurring duties and ongoing span the task's narrative words state (its unit clause left
    out), each clause read as a progress cell's, its first year the one it states (else the plan's first year).
    Prose is not a progress cell: a year outside the plan period (在2021年底前完成试点的基础上…, 从2035年起…) is a
    finding, not a milestone, and only a sentence that is the genre's formula (持续推进，长期坚持。) is an ongoing
    span, not 持续推进 as a verb."""
    first, last = plan.period[0], plan.period[1]
    text = _UNIT_CLAUSE.sub("", plan.text[span.start:span.end])

    def outside(year: int, words: Span, what: str) -> bool:
        if first <= year <= last:
            return False
        plan.findings.append(Finding(
            kind="timeline", line=plan.line_of(words.start), span=words, task=task.notation,
            message=f"{task.notation}: '{plan.text[words.start:words.end]}' in the narrative names {year}, outside "
                    f"the plan period {first}–{last}: not read as {what}"))
        return True

    for offset, clause in _clauses(text, span.start):
        stated = _stated(clause)
        basis = "stated" if stated else "plan-start"
        for year, month, m in _deadlines(clause):
            words = Span(offset + m.start(), offset + m.end())
            if not outside(year, words, "a deadline"):
                task.milestones.append(Milestone("deadline", year, None, "stated", words, plan.line_of(words.start),
                                                 part="narrative", month=month))
        for m in _RECURRING.finditer(clause):
            words = Span(offset + m.start(), offset + m.end())
            if limited := _years(clause, first, last, m.start()):
                task.milestones.append(Milestone("recurring", limited[0], limited[1], "stated", words,
                                                 plan.line_of(words.start), recurrence=m.group(0), part="narrative"))
            elif not outside(stated or first, Span(offset, offset + len(clause.rstrip())), "a recurring duty's start"):
                task.milestones.append(Milestone("recurring", stated or first, last, basis, words,
                                                 plan.line_of(words.start), recurrence=m.group(0), part="narrative"))
        formula = _FORMULA.search(clause)
        if formula and not any(m.kind == "ongoing" for m in task.milestones):
            words = Span(offset + formula.start(1), offset + formula.end(1))
            if not outside(stated or first, words, "an ongoing span's start"):
                task.milestones.append(Milestone("ongoing", stated or first, last, basis, words,
                                                 plan.line_of(words.start), part="narrative"))


def _phrase(clause: str, m: re.Match) -> tuple[int, int]:
    """The ongoing phrase: from the start of its comma-delimited run to the end of the clause."""
    start = m.start()
    while start > 0 and clause[start - 1] not in "。；;":
        start -= 1
    end = len(clause)
    while end > start and clause[end - 1].isspace():
        end -= 1
    return start, end
