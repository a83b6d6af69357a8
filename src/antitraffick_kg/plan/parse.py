"""Read a plan's source text: the notice header, the narrative scheme (:mod:`~antitraffick_kg.plan.narrative`)
and the annual table (:mod:`~antitraffick_kg.plan.table`), and make tasks of what they say together.

The parser keeps character offsets into the text for everything it reads and
reports, as :class:`~antitraffick_kg.plan.model.Problem` records, every place it
cannot place.  A reviewed corrections file settles those places; the parser
never guesses them.
"""

from __future__ import annotations

import re

from .clauses import clause_pattern, mentions, search_clause, strip_span
from .corrections import Correction, Reading, place
from .model import INCOMPLETE, Finding, ParsedPlan, Problem, ProgressCell, Span, Statement, Task
from .narrative import (Block, Candidate, Line, closing_start, cn_number, heading, norm_title, parse_narrative,
                        split_lines, written_in_articles)
from .planinfo import LEAD_WORDS, SUPPORT_WORDS, upper_documents
from .registry import UnitRegistry
from .table import (SENTENCE_END as _SENTENCE_END, is_table_title, match_rows, row_title, table_findings,
                    table_number, table_only, table_rows, table_start)

__all__ = ["parse_plan", "cn_number", "Line", "split_lines"]

_DOC_NUMBER = re.compile(r"[\u4e00-\u9fff]+〔\d{4}〕\d+号")
_CITED = re.compile(r"《([^》]+)》[（(]([\u4e00-\u9fff]+〔\d{4}〕\d+号)")
_PERIOD = re.compile(r"[（(]\s*(\d{4})\s*[—–\-－]+\s*(\d{4})\s*年\s*[)）]")


def _narrative_start(plan: ParsedPlan, lines: list[Line]) -> Line | None:
    """The narrative's first line: its first section heading (一、…), so that numbered lines of the notice above it
    are not read as tasks; but an excerpt that starts below the top level and names units before its first section
    (（三）… 1.…（州妇联负责） then 四、…) starts at its first heading, and the excerpt finding says so.  A section
    heading is what the narrative reads as one: a sentence such as 一、总体要求。坚持…。 is none."""
    if written_in_articles(lines):     # rules in articles: their first chapter or article
        return next(ln for ln in lines if (found := heading(ln.text.strip())) is not None and found[0] < 0)
    section = next((ln for ln in lines if (found := heading(ln.text.strip())) is not None and found[0] == 0), None)
    chapter = next((ln for ln in lines if (found := heading(ln.text.strip())) is not None and found[0] == -2), None)
    if section is not None and chapter is not None and chapter.number < section.number:
        section = chapter               # sections in chapters (第一章 总则, 一、指导思想): from the first chapter
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
    if (only := table_start(lines, first, registry)) is not None:
        _parse_table_only(plan, registry, lines, only, corrections, readings)
        return
    if first is None:
        plan.problems.append(Problem(1, "no numbered heading such as '一、…', '（一）…' or '1.…' found",
                                     "no-narrative"))
        return
    table_title = next((ln for ln in lines[first.number:] if is_table_title(ln.text)), None)
    end = table_title.number - 1 if table_title else len(lines)
    plan.narrative_lines = (first.number, end)
    if table_title is not None:
        span = strip_span(text, table_title.start, table_title.end)
        plan.table_title = (text[span.start:span.end], span)
        plan.table_lines = (table_title.number + 1, len(lines))
    elif (tabbed := next((ln for ln in lines[first.number:] if "\t" in ln.text), None)) is not None:
        plan.problems.append(Problem(tabbed.number, "a table line (cells separated by tabs) with no annual "
                                     "table title '…年度实施方案' above it", "no-table-title"))
    given, before = corrections, (list(plan.findings), list(plan.problems))
    corrections = _place(plan, lines, corrections, readings, table=table_title is not None)
    by_line = {c.line: c for c in corrections}
    candidates = parse_narrative(plan, registry, lines[first.number - 1:end])
    rows = table_rows(plan, registry, lines[table_title.number:], by_line) if table_title else []
    plan.table_rows = len(rows)
    matched = match_rows(plan, registry, rows, candidates, by_line)
    if rows and not matched and not any(c.has_clause for c in candidates.values()) and \
            (not candidates or plan.doc_number is None and plan.title is None):
        # the narrative part names no unit and no row matches an item of it: where it holds no item (一、指导思想
        # and the table), or the text has no notice above it (an excerpt), the table is read alone; a whole
        # document's items and rows that do not meet are problems for a person
        plan.findings, plan.problems = before
        plan.areas.clear()
        plan.narrative_lines, plan.table_title, plan.table_lines = (0, 0), None, (0, 0)
        plan.findings.append(Finding(kind="excerpt", line=first.number, message=(
            f"the narrative part of the text (lines {first.number}–{end}) names no unit in a clause, and no row of "
            "the annual table matches an item of it: it is not read, and the table is read alone")))
        start = next(ln for ln in lines[table_title.number:] if "\t" in ln.text)
        _parse_table_only(plan, registry, lines, (table_title, start), given, readings)
        return
    table_findings(plan, matched, candidates)
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
        if row is not None and not candidate.has_clause:
            _unread_clause(plan, registry, candidate, notation)
        if row is not None:
            _row_task(plan, registry, task, row)
        plan.tasks[notation] = task
    _stops_mid_sentence(plan, lines)
    _rows_stop_short(plan, rows, matched, candidates)
    _close(plan, corrections)


def _rows_stop_short(plan: ParsedPlan, rows: list, matched: dict, candidates: dict[str, Candidate]) -> None:
    """Where the annual table's last row is the row of an item that tasks follow, those have no row: a no-row
    finding names them and the items among them that name no unit in the narrative either, read as areas (a table
    that leaves them out, or a text cut short at the end of a cell or inside its last one: the reader cannot
    tell).  Not where the text is already said to stop inside the table."""
    if not rows or not matched or any(f.kind == "cut-text" and f.line >= plan.table_lines[0] for f in plan.findings):
        return
    order = list(candidates)
    last_row = max(rows, key=lambda r: r.line.number)
    last = next((n for n, r in matched.items() if r is last_row), None)
    if last is None:
        return
    after = [n for n in order[order.index(last) + 1:] if n not in matched]
    if not any(n in plan.tasks for n in after):
        return                          # (items after it that name no unit anywhere are areas, as in a whole plan)
    areas = [n for n in after if n not in plan.tasks]
    cells = [s for s in (last_row.lead, last_row.support, *(span for _, span in last_row.progress)) if s]
    end = max(cells, key=lambda s: s.end) if cells else None
    progress = [span for _, span in last_row.progress]       # (a unit cell's cut is told by its names)
    words = plan.text[end.start:end.end].rstrip() if end is not None and end in progress else ""
    plan.findings.append(Finding(kind="no-row", line=last_row.line.number, task=last, message=(
        f"the annual table ends with the row of {last}: the {len(after)} item(s) after it ({after[0]}"
        + (f" to {after[-1]}" if len(after) > 1 else "") + ") have no row, and are read from the narrative alone"
        + (f" ({len(areas)} of them, naming no unit there, as areas)" if areas else "")
        + "; the table may leave them out, or the text stop at the end of a cell"
        + (f" or inside its last one, which ends '…{words[-12:]}' with no full stop"
           if words and not words.endswith(_SENTENCE_END) else ""))))


def _place(plan: ParsedPlan, lines: list[Line], corrections: list[Correction], readings: list[Reading], *,
           table: bool) -> list[Correction]:
    """Each corrections entry where its words stand (a correction on a row of the annual table, a reading on any
    line); the readings become garbled findings.  Returns the corrections placed."""
    texts = [ln.text for ln in lines]
    corrections = place(corrections, texts, within=plan.table_lines if table else None,
                        source=plan.source_path, what="row of the annual table")
    for r in place(readings, texts, within=(1, len(lines)), source=plan.source_path, what="line"):
        line = lines[r.line - 1]
        start = line.start + line.text.index(r.expect)
        plan.findings.append(Finding(kind="garbled", line=r.line, span=Span(start, start + len(r.expect)),
                                     message=f"garbled in the source: '{r.expect}' reads as '{r.reading}'; {r.reason}"
                                             + _moved(r)))
    return corrections


def _row_task(plan: ParsedPlan, registry: UnitRegistry, task: Task, row) -> None:
    """What a row of the annual table says of ``task``: its statement, its unit cells and its progress cells."""
    first_year = plan.period[0] if plan.period else 0
    task.table_number = table_number(row)
    task.statements["table"] = Statement("table", row.text_span, row.line.number)
    for span, role in ((row.lead, "lead"), (row.support, "support"), *((span, role) for role, span in row.more)):
        if span is not None and span.start < span.end:
            after = sum(1 for m in task.mentions if m.part == "table" and m.role == role)
            task.mentions.extend(mentions(plan, registry, span, role, "table", row.line.number, after=after))
    for position, (slot, span) in enumerate(sorted(row.progress), start=1):
        task.progress.append(ProgressCell(span, first_year + max(slot, 0), position, row.line.number))


def _parse_table_only(plan: ParsedPlan, registry: UnitRegistry, lines: list[Line], start: tuple[Line | None, Line],
                      corrections: list[Correction], readings: list[Reading]) -> None:
    """A text that holds the annual table alone (:func:`~antitraffick_kg.plan.table.table_only`)."""
    title, first = start
    if title is not None:
        span = strip_span(plan.text, title.start, title.end)
        plan.table_title = (plan.text[span.start:span.end], span)
    plan.table_lines = (first.number, len(lines))
    corrections = _place(plan, lines, corrections, readings, table=True)
    for c in [c for c in corrections if c.action == "task"]:
        plan.problems.append(Problem(c.line, f"correction #{c.index} names task {c.task} of the narrative; the text "
                                     "holds the annual table alone", "bad-correction"))
        corrections.remove(c)
    rows = table_rows(plan, registry, lines[first.number - 1:], {c.line: c for c in corrections})
    plan.table_rows = len(rows)
    for notation, row in table_only(plan, registry, rows).items():
        task = Task(notation=notation, title=row_title(plan, row), area=notation.rpartition(".")[0])
        _row_task(plan, registry, task, row)
        plan.tasks[notation] = task
    _close(plan, corrections)


def _close(plan: ParsedPlan, corrections: list[Correction]) -> None:
    """Findings on a table row name its task; each correction applied is a finding too."""
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


#: words that end in a parenthesis (its own parentheses of a name too): a clause the reader may not know
_LAST_PARENTHESIS = re.compile(r"[（(]((?:[^（）()]|[（(][^（）()]{1,10}[)）]){1,200})[)）][。；;]?\s*$")


def _unread_clause(plan: ParsedPlan, registry: UnitRegistry, candidate: Candidate, notation: str) -> None:
    """An item whose words end in a parenthesis naming a unit and a role word in no form of clause the reader knows,
    where its row gives the task its units: a finding, so the narrative's own assignments are not lost unsaid."""
    text = plan.text
    m = _LAST_PARENTHESIS.search(text, candidate.body.start, candidate.body.end)
    words = (*plan.info.lead_words, *plan.info.support_words) if plan.info else (*LEAD_WORDS, *SUPPORT_WORDS)
    if m is None or not any(w in m.group(1) for w in words):
        return                          # (联席会议办公室设在州公安局): a remark, no clause
    named = [u.short_name for u in registry if any(n in m.group(1) for n in u.names)]
    if named:
        block = candidate.block
        plan.findings.append(Finding(
            kind="unread-clause", line=plan.line_of(m.start()), task=notation, span=Span(m.start(), m.end()),
            message=f"{block.written_label} '{candidate.title}': its words end in '{m.group(0).strip()}', which names "
                    f"{'、'.join(named[:4])}{'…' if len(named) > 4 else ''} in no form of unit clause the reader "
                    "knows: not read, so the task's units are its table row's alone"))


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


def _stops_mid_sentence(plan: ParsedPlan, lines: list[Line]) -> None:
    """A cut-text finding where a text without a table stops mid-sentence in an item's words (a web copy cut
    short), unless a finding already says where it stops.  A last line with no comma, short (a signature or a
    date, 德宏州人民政府办公室 or 2022年5月5日), is taken as complete."""
    closing = closing_start(lines)          # (the issuer and the date that close a document)
    last = next((ln for ln in reversed(lines) if ln.text.strip() and (closing is None or ln.number < closing)), None)
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
        elif plan.title is None and "。" not in stripped and \
                ("关于印发" in stripped or stripped.endswith("的通知") and _first(plan, Span(line.start, line.end))
                 and plan.info is not None and _cut_title(stripped, plan.info.title)):
            # (a sentence citing another notice is none; a text starting inside the title keeps its end)
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


def _first(plan: ParsedPlan, span: Span) -> bool:
    """Whether ``span`` is where the text starts (nothing but white space before it)."""
    return not plan.text[:span.start].strip()


def _bare(title: str) -> str:
    """A title without spaces, quotes and book-title marks, parentheses made full-width (to compare the words)."""
    return re.sub(r"[《》〈〉]", "", norm_title(title))


def _cut_title(line: str, title: str) -> bool:
    """Whether ``line`` starts with the end of ``title`` (four characters at least): a notice title a text starts
    inside of."""
    whole, cut = _bare(title), _bare(line)
    return any(cut.startswith(whole[k:]) for k in range(1, len(whole) - 3))


def _starts_inside(plan: ParsedPlan, span: Span, what: str, written: str, whole: str) -> None:
    """A text starting inside its header's line: the part of the line it has, read as the end of plan.toml's."""
    plan.findings.append(Finding(kind="excerpt", line=plan.line_of(span.start), span=span, message=(
        f"the text starts inside the header's {what}: '{written}' is read as the end of plan.toml's '{whole}'")))


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
        if _first(plan, plan.doc_number[1]) and info.number.endswith(plan.doc_number[0]):
            _starts_inside(plan, plan.doc_number[1], "document number", plan.doc_number[0], info.number)
        else:
            plan.problems.append(Problem(plan.line_of(plan.doc_number[1].start), f"the header's document number "
                                         f"{plan.doc_number[0]} differs from plan.toml's {info.number}", "header"))
    if plan.period and tuple(plan.period[:2]) != info.period:
        plan.problems.append(Problem(plan.line_of(plan.period[2].start), f"the notice title's period "
                                     f"{plan.period[0]}–{plan.period[1]} differs from plan.toml's "
                                     f"{info.period[0]}–{info.period[1]}", "header"))
    if plan.title and norm_title(info.title) not in norm_title(plan.title[0]):
        if _first(plan, plan.title[1]) and _cut_title(plan.title[0], info.title):
            _starts_inside(plan, plan.title[1], "notice title", plan.title[0], info.title)
        else:
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
