"""Read the annual table (年度实施方案): its rows, each with the section and subsection it stands under, its task
cell, lead and support cells and progress cells by year; match each row to its narrative item, and say where the
two disagree (numbers, titles) or where the text stops inside the table.

A leaf of the reader below :mod:`~antitraffick_kg.plan.parse`: it knows lines, cells, units and the narrative's
candidates, not the header or the plan's findings as a whole.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .clauses import ETC as _ETC, cell_names, split_names, strip_span
from .corrections import Correction
from .model import Area, Finding, ParsedPlan, Problem, Span
from .narrative import (CN_NUMERALS, ITEM, PAGE_LINE, SUBSECTION, Candidate, Line, closing_start, cn_number,
                        norm_title)
from .registry import UnitRegistry, normalise_name

__all__ = ["Row", "table_rows", "match_rows", "check_cells", "table_only", "table_findings", "table_number",
           "table_start", "is_table_title", "row_title", "SENTENCE_END"]

#: a table cell that names a section: 二、犯罪预防, or 二 犯罪预防 without the 、
_TABLE_SECTION = re.compile(rf"^([{CN_NUMERALS}]+)\s*、?\s*(\S.*)$")
#: 2023年, or a span of years (2026—2030年; a scan may read the dash 一)
_YEAR_CELL = re.compile(r"^\d{4}(?:[—–\-一]{1,2}\d{4})?年$")
#: the labels of a header's unit columns, by the role of their units (责任单位 leads, as in a labelled clause)
_COLUMN_ROLES = {**{w: "lead" for w in ("负责单位", "牵头单位", "责任单位", "主办单位", "主责单位", "牵头部门")},
                 **{w: "support" for w in ("配合单位", "协办单位", "协助单位", "参与单位", "配合部门")}}
#: what ends a sentence: a text stopping on anything else stops mid-sentence
SENTENCE_END = ("。", "！", "？", "!", "?", "；", ";", "…", "”", "’", "」", "』", "）", ")")


@dataclass
class Row:
    line: Line
    section: tuple[str, str] | None     # (numeral, title) as written or carried
    section_written: bool
    subsection: tuple[str, str] | None
    subsection_written: bool
    item: tuple[str, str] | None         # (number, title)
    text_span: Span
    lead: Span | None
    support: Span | None
    progress: list[tuple[int, Span]]     # (slot, span)
    labels: tuple[Span | None, Span | None] = (None, None)   # the cells the section and subsection are written in
    more: tuple[tuple[str, Span], ...] = ()     # unit cells beyond one lead and one support (牵头单位 and 责任单位)


def _is_header(cells: list[str], *, cut: bool = False) -> bool:
    """Whether a table line is a header line (工作项目, 工作任务, …, 2022年 …); with ``cut``, the text's last line,
    also one that stops inside its header words (工作项目\t工作任 or …\t2022年\t20)."""
    joined = "".join(cells)
    if not joined.strip():
        return True
    if "工作任务" in joined or "序号" in (c.strip() for c in cells) or set(joined.strip()) <= {"-", " "}:
        return True
    if is_table_title("\t".join(cells)):
        return True                     # (the table's title as its first row)
    rest = [c.strip() for c in cells if c.strip()]
    if cut and rest and all(_YEAR_CELL.match(c) or any(w.startswith(c) for w in _HEADER_WORDS) for c in rest[:-1]) \
            and (re.fullmatch(r"\d{1,4}年?", rest[-1]) or any(w.startswith(rest[-1]) for w in _HEADER_WORDS)):
        return True
    return bool(rest) and all(_YEAR_CELL.match(c) or c in {"项目", "单位", "目"} for c in rest)


#: the words of the annual table's header lines
_HEADER_WORDS = ("工作项目", "工作任务", "负责单位", "配合单位", "工作进度计划", "项目", "单位", "目")


def _wrapped(cells: list[str], above: "Row", line: Line) -> bool:
    """Whether a table line is the rest of the row above it, wrapped onto a line of its own (a text copied from a
    PDF): the next line, its first two cells empty and so the cell in the column of the row's task (its rest is in
    the cells after it), and no cell a task's words, a label or a progress cell."""
    task = above.line.text[:above.text_span.start - above.line.start].count("\t")
    written = [(k, normalise_name(c)) for k, c in enumerate(cells) if c.strip()]
    return line.number == above.line.number + 1 and bool(written) and written[0][0] >= max(2, task + 1) and not any(
        "。" in w or "，" in w or ITEM.match(w) or SUBSECTION.match(w) or _TABLE_SECTION.match(w) and len(w) <= 20
        or _YEAR_CELL.match(w) or re.search(r"\d{4}|持续|长期|常态|完成|开展|建立", w) for _, w in written)


def _unnumbered_section(compact: str, cells: list[str]) -> bool:
    """Whether the first cell of a row is the label of its section without the numeral (a scan that lost
    二、 of 二、犯罪预防): short, no sentence, no number of its own, and the next written cell a subsection or an
    item."""
    after = [normalise_name(c) for c in cells[1:] if c.strip()]
    return bool(compact) and len(compact) <= 20 and "。" not in compact and not SUBSECTION.match(compact) \
        and not ITEM.match(compact) and bool(after) and bool(SUBSECTION.match(after[0]) or ITEM.match(after[0]))


def table_rows(plan: ParsedPlan, registry: UnitRegistry, lines: list[Line],
                corrections: dict[int, Correction]) -> list[Row]:
    text = plan.text
    rows: list[Row] = []
    section = subsection = None
    section_at = subsection_at = None
    closing = closing_start(lines)
    lines = [ln for ln in lines if closing is None or ln.number < closing]    # (the issuer and date after it)
    last = next((ln for ln in reversed(lines) if ln.text.strip()), None)
    order: tuple[str, ...] = ("lead", "support")     # the roles of the unit columns, as the last header has them
    unit_column = header_cells = 0                    # the header's first unit column, and how many cells it has
    numbered: int | None = None                       # the column of a 序号 (the row's number in the table)
    for line in lines:
        if PAGE_LINE.match(line.text):
            continue                    # a page's number (— 5 —), in a text copied from a PDF
        cells = line.text.split("\t")
        # the text's last line: a row the text may stop inside (with a tab, or no more than a row's first label)
        cut = line is last and ("\t" in line.text or _label_start(line.text.strip()))
        if _is_header(cells, cut=cut):
            written = [normalise_name(c) for c in cells]
            if roles := tuple(_COLUMN_ROLES[w] for w in written if w in _COLUMN_ROLES):
                order, unit_column = roles, next(k for k, w in enumerate(written) if w in _COLUMN_ROLES)
                header_cells = len(cells)
            if "序号" in written:
                numbered = written.index("序号")
            if cut and line.text.strip():
                plan.findings.append(Finding(
                    kind="cut-text", line=line.number, span=strip_span(text, line.start, line.end),
                    message=f"the text stops at a header line of the annual table (it ends "
                            f"'…{line.text.strip()[-12:]}'): the rows after it are lost"))
            continue
        offsets, cursor = [], line.start
        for cell in cells:
            offsets.append(Span(cursor, cursor + len(cell)))
            cursor += len(cell) + 1
        if numbered is not None and numbered < len(cells) and re.fullmatch(r"\s*\d{1,3}\s*", cells[numbered]):
            cells[numbered] = ""        # the row's number in the table: no label, no task
        if rows and _wrapped(cells, rows[-1], line):
            plan.problems.append(Problem(line.number, f"table line continues the row of line {rows[-1].line.number} "
                                         f"(its cells '{'、'.join(c.strip() for c in cells if c.strip())[:40]}' end that "
                                         "row's cells: a row wrapped onto a second line); join the two lines in the "
                                         "source text", "wrapped-row"))
            continue
        i, sec_written, sub_written = 0, False, False
        while i < len(cells):
            c = cells[i].strip()
            compact = normalise_name(c)
            if not c:
                i += 1
                continue
            if len(compact) <= 20 and "。" not in c and (m := SUBSECTION.match(compact)):
                subsection, sub_written = (m.group(1), m.group(2)), True
                subsection_at = strip_span(text, offsets[i].start, offsets[i].end)
                i += 1
                continue
            m = _TABLE_SECTION.match(compact) if len(compact) <= 20 and "。" not in c else None
            if m is None and i == 0 and _unnumbered_section(compact, cells):
                m = re.match(r"()(.*)", compact)            # a section label whose numeral was not read
            if m and not ITEM.match(compact):
                new_section = (m.group(1), m.group(2))
                if section is None or norm_title(new_section[1]) != norm_title(section[1]):
                    subsection = subsection_at = None
                section, sec_written = new_section, True
                section_at = strip_span(text, offsets[i].start, offsets[i].end)
                i += 1
                continue
            break
        if i >= len(cells) and cut:
            _cut_row(plan, line, "after the row's labels, before its task")
            continue
        if i >= len(cells):
            plan.problems.append(Problem(line.number, "table line with labels but no task text", "unplaced-row"))
            continue
        text_span = strip_span(text, offsets[i].start, offsets[i].end)
        body = text[text_span.start:text_span.end]
        item = None
        if (m := ITEM.match(body)):
            stop = body.find("。")
            item = (m.group(1), body[m.start(2):stop if stop >= 0 else len(body)].strip())
        elif (m := SUBSECTION.match(body)) and "。" in body:
            # a task at the subsection's level, its words in the cell （一）重点场所。加强…。 (a plan with no 1. level)
            stop = body.find("。")
            subsection, sub_written = (m.group(1), body[m.start(2):stop].strip()), True
            subsection_at = text_span
        j = i + 1
        while j < len(cells) and not cells[j].strip():
            j += 1
        lead = strip_span(text, offsets[j].start, offsets[j].end) if j < len(cells) else None
        if cut and (lead is None or lead.start == lead.end) and not body.endswith(SENTENCE_END):
            _cut_row(plan, line, "inside the row's task, before its lead cell")
            continue
        if cut and lead is not None and lead.start < lead.end and not any(c.strip() for c in cells[j + 1:]):
            lead = _cut_cell(plan, registry, line, lead, "lead")
            if lead is None:
                continue
        support, slot0 = None, j + 2
        correction = corrections.get(line.number)
        if order != ("lead", "support"):
            # unit columns as the header names them (配合单位 before 牵头单位; 牵头单位, 责任单位, 配合单位): on the
            # header's grid where the row has its cells and its task stands before them, else right after the task
            # (a row laid out without its empty label cells); an empty unit cell keeps its column
            j = unit_column if i < unit_column and len(cells) >= header_cells else i + 1
            spans = [strip_span(text, offsets[k].start, offsets[k].end) if k < len(cells) else None
                     for k in range(j, j + len(order))]
            given = [(role, span) for role, span in zip(order, spans) if span is not None and span.start < span.end]
            leads = [span for role, span in given if role == "lead"]
            supports = [span for role, span in given if role == "support"]
            lead, support = (leads[0] if leads else None), (supports[0] if supports else None)
            more = tuple((role, span) for role, span in given if span is not lead and span is not support)
            progress = [(k - j - len(order), strip_span(text, offsets[k].start, offsets[k].end))
                        for k in range(j + len(order), len(cells)) if cells[k].strip()]
            rows.append(Row(line, section, sec_written, subsection, sub_written, item, text_span,
                            lead, support, progress, (section_at, subsection_at), more))
            continue
        if correction is not None and correction.action == "no-support-cell":
            slot0 = j + 1
            after = cells[j + 1] if j + 1 < len(cells) else ""
            if after.strip() and all(registry.get(n) for n in cell_names(registry, after)):
                plan.problems.append(Problem(line.number, f"correction #{correction.index} is not needed: "
                                             "the cell after the lead cell lists units", "bad-correction"))
        elif j + 1 < len(cells):
            support = strip_span(text, offsets[j + 1].start, offsets[j + 1].end)
            if support.start == support.end:
                support = None
            elif cut and not any(c.strip() for c in cells[j + 2:]):
                support = _cut_cell(plan, registry, line, support, "support")
        progress = [(k - slot0, strip_span(text, offsets[k].start, offsets[k].end))
                    for k in range(slot0, len(cells)) if cells[k].strip()]
        rows.append(Row(line, section, sec_written, subsection, sub_written, item, text_span,
                        lead, support, progress, (section_at, subsection_at)))
    return rows


def _label_start(text: str) -> bool:
    """Whether ``text`` is no more than the start of a table row's first cell: a section or subsection label
    (三、 or 三、打击 or (一)) or the start of a header word (工作项目)."""
    compact = normalise_name(text)
    return bool(compact) and len(compact) <= 20 and "。" not in compact and (
        bool(_TABLE_SECTION.match(compact) or re.match(rf"^[{CN_NUMERALS}]+、$", compact) or SUBSECTION.match(compact))
        or any(w.startswith(compact) for w in _HEADER_WORDS))


def _cut_row(plan: ParsedPlan, line: Line, where: str) -> None:
    """The text stops inside a row of the annual table before its units: the row is not read."""
    tail = line.text.strip()[-12:]
    plan.findings.append(Finding(kind="cut-text", line=line.number, span=strip_span(plan.text, line.start, line.end),
                                 message=f"the text stops inside the annual table, {where} (it ends '…{tail}'): "
                                         "the row is not read; whatever followed is lost"))


def _cut_cell(plan: ParsedPlan, registry: UnitRegistry, line: Line, cell: Span, role: str) -> Span | None:
    """The text stops inside the last unit cell of a row: its last name, where it is the start of a unit's name
    and no name itself, is cut (州妇联、州 reads 州妇联, and the finding names 州); ``None`` when no name is left."""
    text = plan.text
    names = split_names(text[cell.start:cell.end])
    last = normalise_name(names[-1])
    if registry.get(last) is not None and registry.begins(last):     # 芒市机场, or 芒市机场出入境边防检查站 cut?
        plan.findings.append(Finding(kind="cut-text", line=line.number, span=cell, message=(
            f"the text stops inside the annual table's {role} cell of a row, after '{last}': a unit's name, read as "
            "that unit, and the start of another's, which the text may have been cut inside")))
        return cell
    if registry.get(last) is not None or not registry.begins(last):
        return cell                 # a whole name, or one no unit's name starts with (a misspelt name: a problem)
    kept = len("、".join(names[:-1]))               # (every separator is one character)
    plan.findings.append(Finding(kind="cut-text", line=line.number, span=cell,
                                 message=f"the text stops inside the annual table's {role} cell of a row (it ends "
                                         f"'…{text[max(cell.start, cell.end - 12):cell.end]}'): "
                                         f"'{names[-1].strip()}' is cut off, not read"
                                         + ("; the row is not read" if not kept and role == "lead" else "")))
    if not kept:
        return None
    return strip_span(text, cell.start, cell.start + kept)


def row_title(plan: ParsedPlan, row: Row) -> str:
    """The row's heading: the item title, else a subsection label on the row, else the words before 。 (the whole
    cell when it starts with 。: an empty heading would name nothing in a message)."""
    if row.item:
        return row.item[1]
    if row.subsection and row.subsection_written:
        return row.subsection[1]
    body = plan.text[row.text_span.start:row.text_span.end]
    stop = body.find("。")
    return body[:stop] if stop > 0 else body


def match_rows(plan: ParsedPlan, registry: UnitRegistry, rows: list[Row], candidates: dict[str, Candidate],
                corrections: dict[int, Correction]) -> dict[str, Row]:
    by_title: dict[str, list[str]] = {}
    for notation, candidate in candidates.items():
        by_title.setdefault(norm_title(candidate.title), []).append(notation)
    matched: dict[str, Row] = {}
    above: list[Row] = []
    for row in rows:
        title = row_title(plan, row)
        correction = corrections.get(row.line.number)
        if correction is not None and correction.action == "task":
            if correction.task not in candidates:
                plan.problems.append(Problem(row.line.number, f"correction names task {correction.task}, "
                                             "which the narrative does not have", "bad-correction"))
                continue
            notation = correction.task
            if len(by_title.get(norm_title(title), [])) == 1:
                plan.problems.append(Problem(row.line.number, f"correction #{correction.index} is not needed: "
                                             f"'{title}' matches a narrative item", "bad-correction"))
        else:
            found = by_title.get(norm_title(title), []) or _one_character_off(norm_title(title), by_title)
            if not found and not matched and any(f.kind == "excerpt" for f in plan.findings):
                above.append(row)       # above the first row that matches, in an excerpt: a finding below
                continue
            if not found:
                plan.problems.append(Problem(row.line.number, f"table row '{title}' matches no narrative item",
                                             "unmatched-row"))
                continue
            if len(found) != 1:
                plan.problems.append(Problem(row.line.number, f"table row '{title}' matches more than one "
                                             "narrative item", "unmatched-row"))
                continue
            notation = found[0]
        if notation in matched:
            plan.problems.append(Problem(row.line.number, f"second table row for task {notation}", "duplicate-row"))
            continue
        matched[notation] = row
        check_cells(plan, registry, row, notation)
    first = min(matched, key=lambda n: matched[n].line.number, default=None)
    parent = first.rpartition(".")[0] if first is not None else ""
    for row in [r for r in above if first is not None and _labels(r) == _labels(matched[first])]:
        # under the first matching row's own labels, a row whose item the text has by its number (its 1. where
        # the row of 2. matches; a row that is its subsection, by the subsection's) is a row of the text under
        # another heading; one before the text's first item is not
        if not (parent and (number := _own_number(row)) and f"{parent}.{number}" in candidates):
            continue
        above.remove(row)
        plan.problems.append(Problem(row.line.number, f"table row '{row_title(plan, row)}' matches no narrative "
                                     "item", "unmatched-row"))
    if above:
        plan.findings.append(Finding(
            kind="excerpt", line=above[0].line.number,
            message=f"{len(above)} row(s) of the annual table (lines {above[0].line.number}–{above[-1].line.number}, "
                    f"from '{row_title(plan, above[0])[:20]}') match no item of the text, and stand above the first "
                    "row that does, under other labels: taken as rows of items before where the excerpt starts, they "
                    "are not read"))
    return matched


def check_cells(plan: ParsedPlan, registry: UnitRegistry, row: Row, notation: str) -> None:
    """A problem where the row of task ``notation`` has no lead cell, or where its support cell names no unit (the
    cell is then read as the first progress cell: a row without a support cell)."""
    if row.lead is None or row.lead.start == row.lead.end:
        plan.problems.append(Problem(row.line.number, f"table row for {notation} has no lead cell", "no-lead"))
    span = row.support
    if span is not None:
        names = cell_names(registry, plan.text[span.start:span.end])
        if names and all(registry.get(n) is None for n in names):
            plan.problems.append(Problem(
                row.line.number, f"support cell of task {notation} names no unit: "
                f"'{plan.text[span.start:span.end][:24]}…'", "not-units"))
            row.support = None
            row.progress.insert(0, (-1, span))


def table_start(lines: list[Line], first: Line | None, registry: UnitRegistry) -> tuple[Line | None, Line] | None:
    """Where a text that holds the annual table alone starts: its title line (…年度实施方案), if one stands above
    it, and its first table line, where no narrative heading (``first``) comes before that line; ``None`` for a text
    with a narrative.  A table line is a header line of the annual table (工作任务, 负责单位, years) or a row with a
    cell of units of the plan: a header of the notice laid out with tabs (德政办发〔2022〕3号\t\t签发人：…) is none."""
    tabbed = next((ln for ln in lines if _table_line(ln.text.split("\t"), registry)), None)
    if tabbed is None or (first is not None and first.number < tabbed.number):
        return None
    title = next((ln for ln in reversed(lines[:tabbed.number - 1]) if is_table_title(ln.text)), None)
    return title, tabbed


def is_table_title(text: str) -> bool:
    """Whether a line is the annual table's title (…年度实施方案): alone on its line, or the one text of a table row
    (a Word table whose first row is its title, over merged cells)."""
    cells = {c.strip() for c in text.split("\t") if c.strip()}
    return len(cells) == 1 and next(iter(cells)).endswith("年度实施方案")


def _table_line(cells: list[str], registry: UnitRegistry) -> bool:
    """Whether a line's cells are a header line or a row of the annual table (see :func:`table_start`): a row
    has a task (a cell with a sentence, or one that starts with a section, subsection or item label) and, after
    it, a cell naming a unit of the plan (州公安局等 too).  德政办发〔2022〕3号\t\t德宏州人民政府办公室 is none."""
    if len(cells) < 3:
        return False
    raw = [c for c in cells if c.strip()]
    written = [normalise_name(c) for c in raw]
    if any(w == "工作任务" or w in _COLUMN_ROLES for w in written) or \
            sum(bool(_YEAR_CELL.match(w)) for w in written) >= 2:
        return True
    task = next((i for i, w in enumerate(written) if "。" in w or _TABLE_SECTION.match(w) and len(w) <= 20
                 or SUBSECTION.match(w) or ITEM.match(w)), None)
    return task is not None and any(
        registry.get(re.sub(rf"(?:{_ETC})$", "", name)) for w in raw[task + 1:] for name in cell_names(registry, w))


def table_only(plan: ParsedPlan, registry: UnitRegistry, rows: list[Row]) -> dict[str, Row]:
    """The tasks of a text that holds the annual table alone (an attachment published on its own, or an excerpt
    that starts inside the table), by notation.  Each row is a task numbered as the table numbers it: 二、(一)1. is
    2.1.1, an item numbered out of turn keeps its place (a numbering finding), a row whose task is its subsection's
    label (七、(一) 组织实施 …) is that subsection (7.1), and one with neither is numbered after the rows above it
    under its section (一、 州级联席会议制度 is 1.1).  A section is numbered as most of its rows number it.  Section
    and subsection labels are areas; rows above the first section label (a page that starts mid-section) are not
    read.  One ``excerpt`` finding says what was assumed."""
    text = plan.text
    numerals = section_numerals(plan, rows)
    tasks: dict[str, Row] = {}
    unlabelled = [row for row in rows if row.section is None]
    positions: dict[str, int] = {}
    for row in rows:
        if row.section is None:
            continue
        numeral = numerals.get(norm_title(row.section[1]), row.section[0])
        try:
            section = str(cn_number(numeral))
            sub = str(cn_number(row.subsection[0])) if row.subsection is not None else None
        except ValueError:
            plan.problems.append(Problem(row.line.number, f"annual table section '{row.section[1]}' or its "
                                         "subsection has no number the table read alone can use", "unplaced-row"))
            continue
        plan.areas.setdefault(section, Area(section, numeral, row.section[1], row.labels[0] or row.text_span,
                                            row.line.number))
        parent = section
        if sub is not None:
            parent = f"{section}.{sub}"
            if row.item is None and row.subsection_written:          # the row is its subsection: a task
                if parent in tasks:
                    plan.problems.append(Problem(row.line.number, f"second table row for task {parent}",
                                                 "duplicate-row"))
                else:
                    tasks[parent] = row
                    check_cells(plan, registry, row, parent)
                continue
            plan.areas.setdefault(parent, Area(parent, f"{numeral}({row.subsection[0]})", row.subsection[1],
                                               row.labels[1] or row.text_span, row.line.number, section))
        written = int(row.item[0]) if row.item else None
        position = positions[parent] + 1 if parent in positions else written or 1
        positions[parent] = position
        notation = f"{parent}.{position}"
        if written is not None and written != position:
            plan.findings.append(Finding(kind="numbering", line=row.line.number, task=notation,
                                         message=f"annual table numbers this item {written}; it is item {position} "
                                                 f"under {parent} here; the graph numbers it {notation}"))
        if notation in tasks:
            plan.problems.append(Problem(row.line.number, f"second table row for task {notation}", "duplicate-row"))
            continue
        tasks[notation] = row
        check_cells(plan, registry, row, notation)
    for notation in tasks:
        plan.areas.pop(notation, None)
    read = f"{len(tasks)} row(s) read" + (f"; the {len(unlabelled)} row(s) above the first section label (lines "
                                          f"{unlabelled[0].line.number}–{unlabelled[-1].line.number}) stand under "
                                          "a section the text does not name, and are not read" if unlabelled else "")
    plan.findings.append(Finding(
        kind="excerpt", line=rows[0].line.number if rows else 1,
        span=strip_span(text, rows[0].line.start, rows[0].line.end) if rows else None,
        message="the text holds the annual table alone, with no narrative item: each task is read from its row and "
                "numbered as the table numbers it (the narrative, not in the text, may number it otherwise); "
                + read))
    return tasks


def _own_number(row: Row) -> int | None:
    """The number of a row's own heading: its item's, or (a row whose task is its subsection label) the
    subsection's; ``None`` when it has none."""
    try:
        return int(row.item[0]) if row.item else (cn_number(row.subsection[0]) if row.subsection and
                                                   row.subsection_written else None)
    except ValueError:
        return None


def _labels(row: Row) -> tuple[str, str]:
    """The section and subsection titles a row stands under, as compared (spaces and brackets aside); a row with no
    item number stands under its section only (its subsection label is its own title: 六、 (一) 执法交流)."""
    return (norm_title(row.section[1]) if row.section else "",
            norm_title(row.subsection[1]) if row.subsection and row.item else "")


def _one_character_off(title: str, by_title: dict[str, list[str]]) -> list[str]:
    """The items whose title differs from ``title`` (four characters or more) in one character alone, the same
    length (a character misread on either side); the row then matches where exactly one does, and the title
    finding says how the two read."""
    if len(title) < 4:
        return []
    return [n for other, notations in by_title.items() if len(other) == len(title)
            and sum(a != b for a, b in zip(other, title)) == 1 for n in notations]


def table_number(row: Row) -> str:
    out = row.section[0] if row.section else "?"
    if row.subsection:
        out += f"({row.subsection[0]})"
    if row.item:
        out += row.item[0]
    return out


def section_numerals(plan: ParsedPlan, rows) -> dict[str, str]:
    """The numeral each section title of ``rows`` has on most of the rows that write it (by title, as compared); a
    numbering finding for each row that writes the title with no numeral, or with another one."""
    numerals: dict[str, dict[str, list[Row]]] = {}
    for row in rows:
        if row.section and row.section_written:
            numerals.setdefault(norm_title(row.section[1]), {}).setdefault(row.section[0], []).append(row)
    usual_by_title: dict[str, str] = {}
    for title, by_numeral in numerals.items():
        for row in by_numeral.get("", []):
            plan.findings.append(Finding(kind="numbering", line=row.line.number, span=row.text_span,
                                         message=f"annual table labels section {title} with no numeral on this row"))
        by_numeral.pop("", None)
        if not by_numeral:
            continue
        usual = usual_by_title[title] = max(by_numeral, key=lambda k: len(by_numeral[k]))
        for numeral, written in by_numeral.items():
            for row in written if numeral != usual else ():
                plan.findings.append(Finding(
                    kind="numbering", line=row.line.number, span=row.text_span,
                    message=f"annual table numbers section {title} '{numeral}' on this row but '{usual}' elsewhere"))
    return usual_by_title


def table_findings(plan: ParsedPlan, matched: dict[str, Row], candidates: dict[str, Candidate]) -> None:
    section_numerals(plan, matched.values())
    sections_seen: set[str] = set()
    for notation, row in sorted(matched.items(), key=lambda kv: kv[1].line.number):
        block, title = candidates[notation].block, candidates[notation].title
        section = block                 # (the section the task stands in: in a plan in chapters, not its chapter)
        while section.parent is not None and section.kind != "section":
            section = section.parent
        area_notation = section.notation if section.kind != "chapter" else ""
        area = plan.areas.get(area_notation)
        if row.section and area and area_notation not in sections_seen and \
                norm_title(row.section[1]) != norm_title(area.title):
            sections_seen.add(area_notation)
            plan.findings.append(Finding(
                kind="title", line=row.line.number, task=notation,
                message=f"annual table calls section {area.written} '{row.section[1]}'; "
                        f"the narrative calls it '{area.title}'"))
        parts = notation.split(".")
        if block.kind == "item" and len(parts) == 3 and row.subsection:
            sub_area = plan.areas.get(".".join(parts[:2]))
            if sub_area and norm_title(row.subsection[1]) != norm_title(sub_area.title):
                state = "carries no subsection label, so" if not row.subsection_written else ""
                plan.findings.append(Finding(
                    kind="numbering", line=row.line.number, task=notation,
                    message=f"annual table row for {notation} {state} stands under "
                            f"({row.subsection[0]}) {row.subsection[1]}; the narrative puts it under "
                            f"{sub_area.written} {sub_area.title}".replace("  ", " ")))
        if row.item and block.kind == "item" and int(row.item[0]) != block.position:
            plan.findings.append(Finding(
                kind="numbering", line=row.line.number, task=notation,
                message=f"annual table numbers item {row.item[0]}; it is item {block.position} of its subsection"))
        if norm_title(row_title(plan, row)) != norm_title(title):
            plan.findings.append(Finding(
                kind="title", line=row.line.number, task=notation,
                message=f"annual table heading '{row_title(plan, row)}' differs from the narrative's '{title}'"))


