"""Read a plan's source text: the notice header, the narrative scheme and the annual table.

The parser keeps character offsets into the text for everything it reads and
reports, as :class:`~antitraffick_kg.plan.model.Problem` records, every place it
cannot place.  A reviewed corrections file settles those places; the parser
never guesses them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .corrections import Correction, Reading, place
from .model import INCOMPLETE, Finding, ParsedPlan, Problem, ProgressCell, Span, Statement, Task
from .clauses import clause_pattern, mentions, search_clause, split_names, strip_span
from .narrative import (CN_NUMERALS, ITEM, SUBSECTION, Block, Candidate, Line, cn_number, heading, norm_title,
                        parse_narrative, split_lines, written_in_articles)
from .planinfo import upper_documents
from .registry import UnitRegistry, normalise_name

__all__ = ["parse_plan", "cn_number", "Line", "split_lines"]

#: a table cell that names a section: 二、犯罪预防, or 二 犯罪预防 without the 、
_TABLE_SECTION = re.compile(rf"^([{CN_NUMERALS}]+)\s*、?\s*(\S.*)$")
_DOC_NUMBER = re.compile(r"[\u4e00-\u9fff]+〔\d{4}〕\d+号")
_CITED = re.compile(r"《([^》]+)》[（(]([\u4e00-\u9fff]+〔\d{4}〕\d+号)")
_PERIOD = re.compile(r"[（(]\s*(\d{4})\s*[—–\-－]+\s*(\d{4})\s*年\s*[)）]")
_YEAR_CELL = re.compile(r"^\d{4}年$")


# ---------------------------------------------------------------------------
# Annual table
# ---------------------------------------------------------------------------
@dataclass
class _Row:
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


def _is_header(cells: list[str], *, cut: bool = False) -> bool:
    """Whether a table line is a header line (工作项目, 工作任务, …, 2022年 …); with ``cut``, the text's last line,
    also one that stops inside its header words (工作项目\t工作任 or …\t2022年\t20)."""
    joined = "".join(cells)
    if not joined.strip():
        return True
    if "工作任务" in joined or set(joined.strip()) <= {"-", " "}:
        return True
    rest = [c.strip() for c in cells if c.strip()]
    if cut and rest and all(_YEAR_CELL.match(c) or any(w.startswith(c) for w in _HEADER_WORDS) for c in rest[:-1]) \
            and (re.fullmatch(r"\d{1,4}年?", rest[-1]) or any(w.startswith(rest[-1]) for w in _HEADER_WORDS)):
        return True
    return bool(rest) and all(_YEAR_CELL.match(c) or c in {"项目", "单位", "目"} for c in rest)


#: the words of the annual table's header lines
_HEADER_WORDS = ("工作项目", "工作任务", "负责单位", "配合单位", "工作进度计划", "项目", "单位", "目")


def _unnumbered_section(compact: str, cells: list[str]) -> bool:
    """Whether the first cell of a row is the label of its section without the numeral (a scan that lost
    二、 of 二、犯罪预防): short, no sentence, no number of its own, and the next written cell a subsection or an
    item."""
    after = [normalise_name(c) for c in cells[1:] if c.strip()]
    return bool(compact) and len(compact) <= 20 and "。" not in compact and not SUBSECTION.match(compact) \
        and not ITEM.match(compact) and bool(after) and bool(SUBSECTION.match(after[0]) or ITEM.match(after[0]))


def _table_rows(plan: ParsedPlan, registry: UnitRegistry, lines: list[Line],
                corrections: dict[int, Correction]) -> list[_Row]:
    text = plan.text
    rows: list[_Row] = []
    section = subsection = None
    last = next((ln for ln in reversed(lines) if ln.text.strip()), None)
    for line in lines:
        cells = line.text.split("\t")
        cut = line is last        # the text's last line: a row the text may stop inside
        if _is_header(cells, cut=cut):
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
        i, sec_written, sub_written = 0, False, False
        while i < len(cells):
            c = cells[i].strip()
            compact = normalise_name(c)
            if not c:
                i += 1
                continue
            if len(compact) <= 20 and "。" not in c and (m := SUBSECTION.match(compact)):
                subsection, sub_written = (m.group(1), m.group(2)), True
                i += 1
                continue
            m = _TABLE_SECTION.match(compact) if len(compact) <= 20 and "。" not in c else None
            if m is None and i == 0 and _unnumbered_section(compact, cells):
                m = re.match(r"()(.*)", compact)            # a section label whose numeral was not read
            if m and not ITEM.match(compact):
                new_section = (m.group(1), m.group(2))
                if section is None or norm_title(new_section[1]) != norm_title(section[1]):
                    subsection = None
                section, sec_written = new_section, True
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
        j = i + 1
        while j < len(cells) and not cells[j].strip():
            j += 1
        lead = strip_span(text, offsets[j].start, offsets[j].end) if j < len(cells) else None
        if cut and (lead is None or lead.start == lead.end) and not body.endswith(_SENTENCE_END):
            _cut_row(plan, line, "inside the row's task, before its lead cell")
            continue
        if cut and lead is not None and lead.start < lead.end and not any(c.strip() for c in cells[j + 1:]):
            lead = _cut_cell(plan, registry, line, lead, "lead")
            if lead is None:
                continue
        support, slot0 = None, j + 2
        correction = corrections.get(line.number)
        if correction is not None and correction.action == "no-support-cell":
            slot0 = j + 1
            after = cells[j + 1] if j + 1 < len(cells) else ""
            if after.strip() and all(registry.get(n) for n in split_names(normalise_name(after)) if n):
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
        rows.append(_Row(line, section, sec_written, subsection, sub_written, item, text_span,
                         lead, support, progress))
    return rows


def _cut_row(plan: ParsedPlan, line: Line, where: str) -> None:
    """The text stops inside a row of the annual table before its units: the row is not read."""
    tail = line.text.strip()[-12:]
    plan.findings.append(Finding(kind="cut-text", line=line.number, span=strip_span(plan.text, line.start, line.end),
                                 message=f"the text stops inside the annual table, {where} (it ends '…{tail}'): "
                                         "the row is not read; whatever followed is lost"))


def _cut_cell(plan: ParsedPlan, registry: UnitRegistry, line: Line, cell: Span, role: str) -> Span | None:
    """The text stops inside the last unit cell of a row: its last name, unless it is a unit of the plan, is cut
    (州妇联、州 reads 州妇联, and the finding names 州); ``None`` when no name is left."""
    text = plan.text
    names = split_names(text[cell.start:cell.end])
    if registry.get(normalise_name(names[-1])) is not None:
        return cell
    kept = len("、".join(names[:-1]))               # (every separator is one character)
    plan.findings.append(Finding(kind="cut-text", line=line.number, span=cell,
                                 message=f"the text stops inside the annual table's {role} cell of a row (it ends "
                                         f"'…{text[max(cell.start, cell.end - 12):cell.end]}'): "
                                         f"'{names[-1].strip()}' is cut off, not read"
                                         + ("; the row is not read" if not kept and role == "lead" else "")))
    if not kept:
        return None
    return strip_span(text, cell.start, cell.start + kept)


def _row_title(plan: ParsedPlan, row: _Row) -> str:
    """The row's heading: the item title, else a subsection label on the row, else the words before 。 (the whole
    cell when it starts with 。: an empty heading would name nothing in a message)."""
    if row.item:
        return row.item[1]
    if row.subsection and row.subsection_written:
        return row.subsection[1]
    body = plan.text[row.text_span.start:row.text_span.end]
    stop = body.find("。")
    return body[:stop] if stop > 0 else body


def _match_rows(plan: ParsedPlan, registry: UnitRegistry, rows: list[_Row], candidates: dict[str, Candidate],
                corrections: dict[int, Correction]) -> dict[str, _Row]:
    by_title: dict[str, list[str]] = {}
    for notation, candidate in candidates.items():
        by_title.setdefault(norm_title(candidate.title), []).append(notation)
    matched: dict[str, _Row] = {}
    above: list[_Row] = []
    for row in rows:
        title = _row_title(plan, row)
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
        if row.lead is None or row.lead.start == row.lead.end:
            plan.problems.append(Problem(row.line.number, f"table row for {notation} has no lead cell", "no-lead"))
        for span, role in ((row.lead, "lead"), (row.support, "support")):
            if span is None:
                continue
            names = [normalise_name(n) for n in split_names(plan.text[span.start:span.end]) if n.strip()]
            if role == "support" and names and all(registry.get(n) is None for n in names):
                plan.problems.append(Problem(
                    row.line.number, f"support cell of task {notation} names no unit: "
                    f"'{plan.text[span.start:span.end][:24]}…'", "not-units"))
                row.support = None
                row.progress.insert(0, (-1, span))
    if above:
        plan.findings.append(Finding(
            kind="excerpt", line=above[0].line.number,
            message=f"{len(above)} row(s) of the annual table (lines {above[0].line.number}–{above[-1].line.number}, "
                    f"from '{_row_title(plan, above[0])[:20]}') match no item of the text, and stand above the first "
                    "row that does: their items come before where the excerpt starts, so they are not read"))
    return matched


def _one_character_off(title: str, by_title: dict[str, list[str]]) -> list[str]:
    """The items whose title differs from ``title`` (four characters or more) in one character alone, the same
    length (a character misread on either side); the row then matches where exactly one does, and the title
    finding says how the two read."""
    if len(title) < 4:
        return []
    return [n for other, notations in by_title.items() if len(other) == len(title)
            and sum(a != b for a, b in zip(other, title)) == 1 for n in notations]


def _table_number(row: _Row) -> str:
    out = row.section[0] if row.section else "?"
    if row.subsection:
        out += f"({row.subsection[0]})"
    if row.item:
        out += row.item[0]
    return out


def _table_findings(plan: ParsedPlan, matched: dict[str, _Row], candidates: dict[str, Candidate]) -> None:
    numerals: dict[str, dict[str, list[_Row]]] = {}
    for row in matched.values():
        if row.section and row.section_written:
            numerals.setdefault(norm_title(row.section[1]), {}).setdefault(row.section[0], []).append(row)
    for title, by_numeral in numerals.items():
        for row in by_numeral.get("", []):
            plan.findings.append(Finding(kind="numbering", line=row.line.number, span=row.text_span,
                                         message=f"annual table labels section {title} with no numeral on this row"))
        by_numeral.pop("", None)
        if len(by_numeral) > 1:
            usual = max(by_numeral, key=lambda k: len(by_numeral[k]))
            for numeral, rows in by_numeral.items():
                if numeral != usual:
                    for row in rows:
                        plan.findings.append(Finding(
                            kind="numbering", line=row.line.number, span=row.text_span,
                            message=f"annual table numbers section {title} '{numeral}' on this row "
                                    f"but '{usual}' elsewhere"))
    sections_seen: set[str] = set()
    for notation, row in sorted(matched.items(), key=lambda kv: kv[1].line.number):
        block, title = candidates[notation].block, candidates[notation].title
        area_notation = notation.split(".")[0]
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
        if norm_title(_row_title(plan, row)) != norm_title(title):
            plan.findings.append(Finding(
                kind="title", line=row.line.number, task=notation,
                message=f"annual table heading '{_row_title(plan, row)}' differs from the narrative's '{title}'"))


def _narrative_start(plan: ParsedPlan, lines: list[Line]) -> Line | None:
    """The narrative's first line: its first section heading (一、…), so that numbered lines of the notice above it
    are not read as tasks; but an excerpt that starts below the top level and names units before its first section
    (（三）… 1.…（州妇联负责） then 四、…) starts at its first heading, and the excerpt finding says so.  A section
    heading is what the narrative reads as one: a sentence such as 一、总体要求。坚持…。 is none."""
    if written_in_articles(lines):     # rules in articles: their first chapter or article
        return next(ln for ln in lines if (found := heading(ln.text.strip())) is not None and found[0] < 0)
    section = next((ln for ln in lines if (found := heading(ln.text.strip())) is not None and found[0] == 0), None)
    earliest = next((ln for ln in lines if heading(ln.text.strip()) is not None), None)
    if section is None or earliest is None or earliest.number >= section.number:
        return section or earliest
    info = plan.info
    pattern = clause_pattern(*((info.lead_words, info.support_words) if info else ()))
    before = lines[earliest.number - 1:section.number - 1]
    names_units = any(search_clause(pattern, plan.text, ln.start, ln.end) for ln in before)
    return earliest if names_units else section


def parse_plan(plan: ParsedPlan, registry: UnitRegistry, corrections: list[Correction],
               readings: list[Reading] = ()) -> None:
    """Fill ``plan`` from ``plan.text``; problems go to ``plan.problems``."""
    text = plan.text
    lines = split_lines(text)
    _header(plan, registry, lines)
    first = _narrative_start(plan, lines)
    if first is None:
        plan.problems.append(Problem(1, "no numbered heading such as '一、…', '（一）…' or '1.…' found",
                                     "no-narrative"))
        return
    table_title = next((ln for ln in lines[first.number:] if ln.text.strip().endswith("年度实施方案")
                        and "\t" not in ln.text), None)
    end = table_title.number - 1 if table_title else len(lines)
    plan.narrative_lines = (first.number, end)
    if table_title is not None:
        span = strip_span(text, table_title.start, table_title.end)
        plan.table_title = (text[span.start:span.end], span)
        plan.table_lines = (table_title.number + 1, len(lines))
    elif (tabbed := next((ln for ln in lines[first.number:] if "\t" in ln.text), None)) is not None:
        plan.problems.append(Problem(tabbed.number, "a table line (cells separated by tabs) with no annual "
                                     "table title '…年度实施方案' above it", "no-table-title"))
    # each entry stands where its words do: a correction on a row of the annual table, a reading on any line
    texts = [ln.text for ln in lines]
    corrections = place(corrections, texts, within=plan.table_lines if table_title else None,
                        source=plan.source_path, what="row of the annual table")
    readings = place(readings, texts, within=(1, len(lines)), source=plan.source_path, what="line")
    by_line = {c.line: c for c in corrections}
    for r in readings:
        line = lines[r.line - 1]
        start = line.start + line.text.index(r.expect)
        plan.findings.append(Finding(kind="garbled", line=r.line, span=Span(start, start + len(r.expect)),
                                     message=f"garbled in the source: '{r.expect}' reads as '{r.reading}'; {r.reason}"
                                             + _moved(r)))
    candidates = parse_narrative(plan, registry, lines[first.number - 1:end])
    rows = _table_rows(plan, registry, lines[table_title.number:], by_line) if table_title else []
    plan.table_rows = len(rows)
    first_year = plan.period[0] if plan.period else 0
    matched = _match_rows(plan, registry, rows, candidates, by_line)
    _table_findings(plan, matched, candidates)
    for notation, candidate in candidates.items():
        block, row = candidate.block, matched.get(notation)
        if row is None and not candidate.has_clause:
            _no_units(plan, candidates, candidate)
            continue
        plan.areas.pop(notation, None)   # a subsection that is a task is not a policy area
        task = Task(notation=notation, title=candidate.title, area=block.parent_notation,
                    narrative_number=block.written_label)
        task.statements["narrative"] = Statement("narrative", candidate.body, block.line)
        task.mentions.extend(candidate.mentions)
        if row is not None:
            task.table_number = _table_number(row)
            task.statements["table"] = Statement("table", row.text_span, row.line.number)
            for span, role in ((row.lead, "lead"), (row.support, "support")):
                if span is not None and span.start < span.end:
                    task.mentions.extend(mentions(plan, registry, span, role, "table", row.line.number))
            for position, (slot, span) in enumerate(sorted(row.progress), start=1):
                task.progress.append(ProgressCell(span, first_year + max(slot, 0), position, row.line.number))
        plan.tasks[notation] = task
    _stops_mid_sentence(plan, lines)
    by_row = {t.statements["table"].line: t.notation for t in plan.tasks.values() if "table" in t.statements}
    plan.findings = [Finding(f.kind, f.message, f.line, f.span, f.task or by_row.get(f.line))
                     for f in plan.findings]
    for c in corrections:
        plan.findings.append(Finding(kind="correction", line=c.line, message=c.reason + _moved(c),
                                     task=c.task if c.action == "task" else
                                     next((t.notation for t in plan.tasks.values()
                                           if t.statements.get("table") and
                                           t.statements["table"].line == c.line), None)))


def _moved(entry: Correction | Reading) -> str:
    """What a corrections entry placed away from the line it gives says of that (nothing when it stands there)."""
    if entry.hint is None or entry.hint == entry.line:
        return ""
    return f" [the corrections entry gives line {entry.hint}; its words stand on line {entry.line}]"


def _no_units(plan: ParsedPlan, candidates: dict[str, Candidate], candidate: Candidate) -> None:
    """A paragraph that reads like a task but names no units: a problem where its section's other
    paragraphs name theirs (paragraphs of a section that names none, such as 指导思想, are areas)."""
    block = candidate.block
    if candidate.cut or block.kind == "subsection" and ("成员单位" in candidate.title or "办公室" in candidate.title):
        return
    top = _top(block)
    if top.kind == "article":        # articles with no chapter: those before it (not the general ones on top)
        scope = [c for c in candidates.values() if c.block.start < block.start]
    else:                            # its section's, or an excerpt's: all of it
        scope = [c for c in candidates.values() if top.level > 0 or _top(c.block) is top]
    text = plan.text
    stop = text[:candidate.body.end].rstrip()
    if any(c.has_clause for c in scope) and plan.table_title is None and not text[candidate.body.end:].strip() \
            and not stop.endswith(_SENTENCE_END):     # (a text ending on a full stop may lack the clause itself)
        plan.findings.append(Finding(kind="cut-text", line=plan.line_of(candidate.body.end - 1),
                                     span=candidate.body,
                                     message=f"{block.written_label} '{candidate.title}': the text stops in its words, "
                                             f"mid-sentence (it ends '…{stop[-12:].strip()}'), before any unit "
                                             "clause: its units are lost, so it is no task"))
    elif any(c.has_clause for c in scope) and _GOAL.match(candidate.title):
        plan.findings.append(Finding(kind="goal", line=block.line, task=None,
                                     span=strip_span(plan.text, block.start, candidate.body.end),
                                     message=f"{block.written_label} '{candidate.title}' states a goal, not a task: "
                                             "it names no units, and none is assigned"))
    elif any(c.has_clause for c in scope):
        plan.problems.append(Problem(block.line, f"{block.written_label} '{candidate.title}' names no units: "
                                     "no clause such as '（X负责，Y配合）' closes it", "no-units"))


#: what ends a sentence: a text stopping on anything else stops mid-sentence
_SENTENCE_END = ("。", "！", "？", "!", "?", "；", ";", "…", "”", "’", "」", "』", "）", ")")


def _stops_mid_sentence(plan: ParsedPlan, lines: list[Line]) -> None:
    """A cut-text finding where a text without a table stops mid-sentence in an item's words (a web copy cut
    short), unless a finding already says where it stops.  A last line with no comma, short (a signature or a
    date, 德宏州人民政府办公室 or 2022年5月5日), is taken as complete."""
    last = next((ln for ln in reversed(lines) if ln.text.strip()), None)
    if last is None or plan.table_title is not None or any(f.kind in INCOMPLETE for f in plan.findings):
        return
    stripped = last.text.strip()
    if stripped.endswith(_SENTENCE_END) or (len(stripped) <= 30 and not re.search(r"[，,、；;：:]", stripped)):
        return
    if plan.narrative_lines is None or last.number < plan.narrative_lines[0]:
        return
    plan.findings.append(Finding(kind="cut-text", line=last.number, span=strip_span(plan.text, last.start, last.end),
                                 message=f"the text stops mid-sentence (it ends '…{stripped[-12:]}'): whatever "
                                         "followed is lost"))


#: the heading of a paragraph that states a goal, not a task (1.工作目标。 before 2.行动措施。 in the national plan)
_GOAL = re.compile(r"^(?:工作|总体|主要)?目标(?:任务)?$")


def _top(block: Block) -> Block:
    """The section a block stands in (itself at the top of an excerpt)."""
    while block.parent is not None:
        block = block.parent
    return block


def _header(plan: ParsedPlan, registry: UnitRegistry, lines: list[Line]) -> None:
    """Document number, title, issuer, cited upper-level plan and plan period."""
    text = plan.text
    for line in lines[:40]:
        stripped = line.text.strip()
        if plan.doc_number is None and (m := _DOC_NUMBER.fullmatch(stripped)):
            plan.doc_number = (m.group(0), strip_span(text, line.start, line.end))
        elif plan.issuer is None and stripped.endswith("文件") and len(stripped) < 40:
            name = stripped[:-2]
            unit = registry.get(name)
            if unit is not None:
                start = line.start + line.text.index(name)
                plan.issuer = (unit, Span(start, start + len(name)))
        elif plan.title is None and "关于印发" in stripped:
            span = strip_span(text, line.start, line.end)
            plan.title = (stripped, span)
            if (m := _PERIOD.search(stripped)):
                start = line.start + line.text.index(stripped)
                plan.period = (int(m.group(1)), int(m.group(2)),
                               Span(start + m.start(), start + m.end()))
        elif plan.scheme_title is None and plan.title and stripped.endswith("实施方案") \
                and "印发" not in stripped:
            plan.scheme_title = (stripped, strip_span(text, line.start, line.end))
        if plan.implements is None and (m := _CITED.search(line.text)):
            plan.implements = (m.group(2), m.group(1), Span(line.start + m.start(), line.start + m.end()))
    _check_header(plan, registry)


def _check_header(plan: ParsedPlan, registry: UnitRegistry) -> None:
    """The header, where the text has one, against ``plan.toml``; ``plan.toml`` fills what the text lacks."""
    info = plan.info
    if info is None:
        if plan.doc_number is None:
            plan.problems.append(Problem(1, "no document number such as '德政办发〔2022〕3号' in the header "
                                         "and no plan.toml", "no-doc-number"))
        if plan.period is None:
            plan.problems.append(Problem(1, "no plan period such as '(2022—2030年)' in the notice title "
                                         "and no plan.toml", "no-period"))
        return
    if plan.doc_number and info.number and plan.doc_number[0] != info.number:
        plan.problems.append(Problem(plan.line_of(plan.doc_number[1].start), f"the header's document number "
                                     f"{plan.doc_number[0]} differs from plan.toml's {info.number}", "header"))
    if plan.period and tuple(plan.period[:2]) != info.period:
        plan.problems.append(Problem(plan.line_of(plan.period[2].start), f"the notice title's period "
                                     f"{plan.period[0]}–{plan.period[1]} differs from plan.toml's "
                                     f"{info.period[0]}–{info.period[1]}", "header"))
    if plan.title and norm_title(info.title) not in norm_title(plan.title[0]):
        plan.problems.append(Problem(plan.line_of(plan.title[1].start), f"the notice title does not contain "
                                     f"plan.toml's title '{info.title}'", "header"))
    if plan.issuer and plan.issuer[1] and info.issuer and registry.get(info.issuer) is not plan.issuer[0]:
        plan.problems.append(Problem(plan.line_of(plan.issuer[1].start), f"the header's issuer "
                                     f"{plan.quote(plan.issuer[1])} differs from plan.toml's {info.issuer}", "header"))
    if plan.implements:
        cited = [doc for doc, number in upper_documents().items() if number == plan.implements[0]]
        if cited and not set(cited) & set(info.implements):
            plan.problems.append(Problem(plan.line_of(plan.implements[2].start), f"the text cites "
                                         f"{plan.implements[0]} ({cited[0]}), which plan.toml's implements does "
                                         "not list", "header"))
    if plan.period is None:
        plan.period = (*info.period, None)
    if plan.issuer is None and info.issuer and (unit := registry.get(info.issuer)) is not None:
        plan.issuer = (unit, None)
