"""Read a plan's source text: the notice header, the narrative scheme and the annual table.

The parser keeps character offsets into the text for everything it reads and
reports, as :class:`~antitraffick_kg.model.Problem` records, every place it
cannot place.  A reviewed corrections file settles those places; the parser
never guesses them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .corrections import Correction, Reading
from .model import Area, Finding, Membership, Mention, ParsedPlan, Problem, ProgressCell, Span, Statement, Task
from .registry import UnitRegistry, normalise_name

__all__ = ["parse_plan", "cn_number", "Line", "split_lines"]

_CN_DIGITS = {"零": 0, "一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_CN = "一二三四五六七八九十"
_SECTION = re.compile(rf"^([{_CN}]+)、\s*(\S.*)$")
_SUBSECTION = re.compile(rf"^[（(]\s*([{_CN}]+)\s*[)）]\s*(.*)$")
_ITEM = re.compile(r"^(\d+)\s*[.．]\s*(.*)$")
_TABLE_SECTION = re.compile(rf"^([{_CN}]+)\s*、?\s*(\S.*)$")
_RESP = re.compile(r"[（(]([^（）()]+?)负责(?:[，,]([^（）()]+?)配合)?[)）]\s*$")
_LIST_SEP = re.compile(r"[、，,]")
_DOC_NUMBER = re.compile(r"[\u4e00-\u9fff]+〔\d{4}〕\d+号")
_CITED = re.compile(r"《([^》]+)》[（(]([\u4e00-\u9fff]+〔\d{4}〕\d+号)")
_PERIOD = re.compile(r"[（(]\s*(\d{4})\s*[—–\-－]+\s*(\d{4})\s*年\s*[)）]")
_YEAR_CELL = re.compile(r"^\d{4}年$")


def cn_number(text: str) -> int:
    """The value of a Chinese numeral up to 99.

    >>> cn_number("四"), cn_number("十"), cn_number("十二"), cn_number("二十三")
    (4, 10, 12, 23)
    """
    if "十" in text:
        tens, _, units = text.partition("十")
        return (_CN_DIGITS[tens] if tens else 1) * 10 + (_CN_DIGITS[units] if units else 0)
    return _CN_DIGITS[text]


@dataclass(frozen=True)
class Line:
    number: int        # 1-based
    start: int         # offset of the first character
    text: str          # without the line break

    @property
    def end(self) -> int:
        return self.start + len(self.text)


def split_lines(text: str) -> list[Line]:
    out, offset = [], 0
    for number, raw in enumerate(text.splitlines(keepends=True), start=1):
        body = raw.rstrip("\r\n")
        out.append(Line(number, offset, body))
        offset += len(raw)
    return out


def _strip_span(text: str, start: int, end: int) -> Span:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return Span(start, end)


def _norm_title(text: str) -> str:
    return re.sub(r"[\s“”\"'‘’「」]", "", text).replace("(", "（").replace(")", "）")


# ---------------------------------------------------------------------------
# Narrative scheme
# ---------------------------------------------------------------------------
@dataclass
class _Block:
    """A heading and the paragraphs that follow it, up to the next heading."""

    kind: str                 # "section" | "subsection" | "item"
    written: int              # the number as written
    position: int             # its position among its siblings
    notation: str
    written_label: str        # e.g. "五(三)"
    head: str                 # heading text after the number
    line: int
    start: int                # offset of the number
    end: int                  # end of the last line of the block
    parent: str | None
    number_span: Span = field(default=Span(0, 0))

    def title(self, text: str) -> tuple[str, Span]:
        """The heading up to the first 。 (the whole heading if there is none)."""
        head_start = self.number_span.end
        line_end = text.find("\n", head_start)
        line_end = len(text) if line_end < 0 else line_end
        stop = text.find("。", head_start, line_end)
        span = _strip_span(text, head_start, stop if stop >= 0 else line_end)
        return text[span.start:span.end], span


def _narrative_blocks(plan: ParsedPlan, lines: list[Line]) -> list[_Block]:
    text = plan.text
    blocks: list[_Block] = []
    section: _Block | None = None
    subsection: _Block | None = None
    counts: dict[str | None, int] = {}

    def new(kind: str, written: int, line: Line, match: re.Match, parent: _Block | None,
            label: str) -> _Block:
        key = parent.notation if parent else None
        counts[key] = counts.get(key, 0) + 1
        position = counts[key]
        notation = f"{parent.notation}.{position}" if parent else str(position)
        lead = len(line.text) - len(line.text.lstrip())
        number_end = line.start + lead + (match.start(2) if match.lastindex and match.lastindex >= 2 else 0)
        block = _Block(kind, written, position, notation, label, match.group(2).strip(), line.number,
                       line.start + lead, line.end, key, number_span=Span(line.start + lead, number_end))
        if written != position:
            plan.findings.append(Finding(
                kind="numbering", line=line.number, span=_strip_span(text, line.start, line.end),
                message=(f"narrative numbers this {kind} {label} but it is number {position} "
                         f"of its level; the graph numbers it {notation}"),
                task=notation))
        return block

    for line in lines:
        stripped = line.text.strip()
        if not stripped:
            continue
        m = _SECTION.match(stripped)
        if m and len(stripped) <= 30 and "。" not in stripped:
            written = cn_number(m.group(1))
            section = new("section", written, line, m, None, m.group(1))
            subsection = None
            blocks.append(section)
            continue
        m = _SUBSECTION.match(stripped)
        if m and section is not None:
            label = f"{section.written_label}({m.group(1)})"
            subsection = new("subsection", cn_number(m.group(1)), line, m, section, label)
            blocks.append(subsection)
            continue
        m = _ITEM.match(stripped)
        if m and section is not None:
            parent = subsection or section
            label = f"{parent.written_label}{m.group(1)}"
            blocks.append(new("item", int(m.group(1)), line, m, parent, label))
            continue
        if blocks:   # a continuation paragraph, e.g. after a page break
            blocks[-1].end = line.end
    return blocks


def _mentions(plan: ParsedPlan, registry: UnitRegistry, span: Span, role: str, part: str,
              line: int) -> list[Mention]:
    """Split a unit list at 、，, and resolve each name; unknown names become problems."""
    text, out, cursor, position = plan.text, [], span.start, 0
    for piece in _LIST_SEP.split(text[span.start:span.end]):
        piece_span = _strip_span(text, cursor, cursor + len(piece))
        cursor += len(piece) + 1
        if piece_span.start == piece_span.end:
            continue
        written = normalise_name(text[piece_span.start:piece_span.end])
        unit = registry.get(written)
        if unit is None:
            close = registry.closest(written)
            hint = f"; did you mean {', '.join(close)}?" if close else ""
            plan.problems.append(Problem(line, f"unknown unit '{written}' in the {role} list{hint}",
                                         "unknown-unit"))
            continue
        position += 1
        out.append(Mention(written, unit, role, part, piece_span, position, line))
    return out


def _parse_narrative(plan: ParsedPlan, registry: UnitRegistry, lines: list[Line]) -> dict[str, tuple]:
    """Areas into ``plan.areas``; returns task candidates by notation."""
    text = plan.text
    candidates: dict[str, tuple] = {}
    for block in _narrative_blocks(plan, lines):
        title, title_span = block.title(text)
        body = _strip_span(text, block.start, block.end)
        resp = _RESP.search(text, body.start, body.end)
        has_text = text.find("。", block.number_span.end, body.end) >= 0
        if block.kind == "item" or (block.kind == "subsection" and has_text):
            mentions: list[Mention] = []
            if resp:
                lead = Span(resp.start(1), resp.end(1))
                mentions += _mentions(plan, registry, lead, "lead", "narrative", plan.line_of(lead.start))
                if resp.group(2):
                    sup = Span(resp.start(2), resp.end(2))
                    mentions += _mentions(plan, registry, sup, "support", "narrative", plan.line_of(sup.start))
            candidates[block.notation] = (block, title, body, mentions, resp is not None)
            if block.kind == "subsection" and not resp and "成员单位" in title:
                _members(plan, registry, block, body)
            if block.kind == "subsection" and not resp and "办公室" in title:
                _office(plan, registry, block, body)
            if block.kind == "item" or resp:
                continue
        plan.areas[block.notation] = Area(
            notation=block.notation, written=block.written_label, title=title,
            span=title_span, line=block.line, parent=block.parent)
    return candidates


def _members(plan: ParsedPlan, registry: UnitRegistry, block: _Block, body: Span) -> None:
    """The member list of the joint meeting: 'A、B，C…为成员单位。'."""
    text = plan.text
    start = text.find("。", block.number_span.end, body.end) + 1
    stop = text.find("为成员单位", start, body.end)
    if start <= 0 or stop < 0:
        plan.problems.append(Problem(block.line, "member list not in the form 'A、B…为成员单位'", "members"))
        return
    for mention in _mentions(plan, registry, Span(start, stop), "lead", "narrative", block.line):
        plan.members.append(Membership(mention.unit, mention.span, len(plan.members) + 1, block.line))


def _office(plan: ParsedPlan, registry: UnitRegistry, block: _Block, body: Span) -> None:
    """Where the joint-meeting office is housed: '…下设办公室在X，…'."""
    text = plan.text
    m = re.compile(r"办公室在([^,，。]+)").search(text, body.start, body.end)
    title, _ = block.title(text)
    office = registry.get(title)
    host = registry.get(m.group(1)) if m else None
    if office is None or host is None:
        plan.problems.append(Problem(block.line, "cannot tell where the joint-meeting office is housed", "office"))
        return
    plan.office = (office, host, Span(m.start(), m.end()))


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


def _is_header(cells: list[str]) -> bool:
    joined = "".join(cells)
    if not joined.strip():
        return True
    if "工作任务" in joined or set(joined.strip()) <= {"-", " "}:
        return True
    rest = [c.strip() for c in cells if c.strip()]
    return bool(rest) and all(_YEAR_CELL.match(c) or c in {"项目", "单位", "目"} for c in rest)


def _table_rows(plan: ParsedPlan, registry: UnitRegistry, lines: list[Line],
                corrections: dict[int, Correction]) -> list[_Row]:
    text = plan.text
    rows: list[_Row] = []
    section = subsection = None
    for line in lines:
        cells = line.text.split("\t")
        if _is_header(cells):
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
            if len(compact) <= 20 and "。" not in c and (m := _SUBSECTION.match(compact)):
                subsection, sub_written = (m.group(1), m.group(2)), True
                i += 1
                continue
            if len(compact) <= 20 and "。" not in c and (m := _TABLE_SECTION.match(compact)) \
                    and not _ITEM.match(compact):
                new_section = (m.group(1), m.group(2))
                if section is None or _norm_title(new_section[1]) != _norm_title(section[1]):
                    subsection = None
                section, sec_written = new_section, True
                i += 1
                continue
            break
        if i >= len(cells):
            plan.problems.append(Problem(line.number, "table line with labels but no task text", "unplaced-row"))
            continue
        text_span = _strip_span(text, offsets[i].start, offsets[i].end)
        body = text[text_span.start:text_span.end]
        item = None
        if (m := _ITEM.match(body)):
            stop = body.find("。")
            item = (m.group(1), body[m.start(2):stop if stop >= 0 else len(body)].strip())
        j = i + 1
        while j < len(cells) and not cells[j].strip():
            j += 1
        lead = _strip_span(text, offsets[j].start, offsets[j].end) if j < len(cells) else None
        support, slot0 = None, j + 2
        correction = corrections.get(line.number)
        if correction is not None and correction.action == "no-support-cell":
            slot0 = j + 1
            after = cells[j + 1] if j + 1 < len(cells) else ""
            if after.strip() and all(registry.get(n) for n in _LIST_SEP.split(normalise_name(after)) if n):
                plan.problems.append(Problem(line.number, f"correction #{correction.index} is not needed: "
                                             "the cell after the lead cell lists units", "bad-correction"))
        elif j + 1 < len(cells):
            support = _strip_span(text, offsets[j + 1].start, offsets[j + 1].end)
            if support.start == support.end:
                support = None
        progress = [(k - slot0, _strip_span(text, offsets[k].start, offsets[k].end))
                    for k in range(slot0, len(cells)) if cells[k].strip()]
        rows.append(_Row(line, section, sec_written, subsection, sub_written, item, text_span,
                         lead, support, progress))
    return rows


def _row_title(plan: ParsedPlan, row: _Row) -> str:
    """The row's heading: the item title, else a subsection label on the row, else the words before 。."""
    if row.item:
        return row.item[1]
    if row.subsection and row.subsection_written:
        return row.subsection[1]
    body = plan.text[row.text_span.start:row.text_span.end]
    stop = body.find("。")
    return body[:stop] if stop >= 0 else body


def _match_rows(plan: ParsedPlan, registry: UnitRegistry, rows: list[_Row], candidates: dict[str, tuple],
                corrections: dict[int, Correction]) -> dict[str, _Row]:
    by_title: dict[str, list[str]] = {}
    for notation, (block, title, *_rest) in candidates.items():
        by_title.setdefault(_norm_title(title), []).append(notation)
    matched: dict[str, _Row] = {}
    for row in rows:
        title = _row_title(plan, row)
        correction = corrections.get(row.line.number)
        if correction is not None and correction.action == "task":
            if correction.task not in candidates:
                plan.problems.append(Problem(row.line.number, f"correction names task {correction.task}, "
                                             "which the narrative does not have", "bad-correction"))
                continue
            notation = correction.task
            if len(by_title.get(_norm_title(title), [])) == 1:
                plan.problems.append(Problem(row.line.number, f"correction #{correction.index} is not needed: "
                                             f"'{title}' matches a narrative item", "bad-correction"))
        else:
            found = by_title.get(_norm_title(title), [])
            if len(found) != 1:
                what = "matches no" if not found else "matches more than one"
                plan.problems.append(Problem(row.line.number, f"table row '{title}' {what} narrative item",
                                             "unmatched-row"))
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
            names = [normalise_name(n) for n in _LIST_SEP.split(plan.text[span.start:span.end]) if n.strip()]
            if role == "support" and names and all(registry.get(n) is None for n in names):
                plan.problems.append(Problem(
                    row.line.number, f"support cell of task {notation} names no unit: "
                    f"'{plan.text[span.start:span.end][:24]}…'", "not-units"))
                row.support = None
                row.progress.insert(0, (-1, span))
    return matched


def _table_number(row: _Row) -> str:
    out = row.section[0] if row.section else "?"
    if row.subsection:
        out += f"({row.subsection[0]})"
    if row.item:
        out += row.item[0]
    return out


def _table_findings(plan: ParsedPlan, matched: dict[str, _Row], candidates: dict[str, tuple]) -> None:
    numerals: dict[str, dict[str, list[_Row]]] = {}
    for row in matched.values():
        if row.section and row.section_written:
            numerals.setdefault(_norm_title(row.section[1]), {}).setdefault(row.section[0], []).append(row)
    for title, by_numeral in numerals.items():
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
        block, title, *_ = candidates[notation]
        area_notation = notation.split(".")[0]
        area = plan.areas.get(area_notation)
        if row.section and area and area_notation not in sections_seen and \
                _norm_title(row.section[1]) != _norm_title(area.title):
            sections_seen.add(area_notation)
            plan.findings.append(Finding(
                kind="title", line=row.line.number, task=notation,
                message=f"annual table calls section {area.written} '{row.section[1]}'; "
                        f"the narrative calls it '{area.title}'"))
        parts = notation.split(".")
        if block.kind == "item" and len(parts) == 3 and row.subsection:
            sub_area = plan.areas.get(".".join(parts[:2]))
            if sub_area and _norm_title(row.subsection[1]) != _norm_title(sub_area.title):
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
        if _norm_title(_row_title(plan, row)) != _norm_title(title):
            plan.findings.append(Finding(
                kind="title", line=row.line.number, task=notation,
                message=f"annual table heading '{_row_title(plan, row)}' differs from the narrative's '{title}'"))


def parse_plan(plan: ParsedPlan, registry: UnitRegistry, corrections: list[Correction],
               readings: list[Reading] = ()) -> None:
    """Fill ``plan`` from ``plan.text``; problems go to ``plan.problems``."""
    text = plan.text
    lines = split_lines(text)
    _header(plan, registry, lines)
    first = next((ln for ln in lines if _SECTION.match(ln.text.strip())), None)
    if first is None:
        plan.problems.append(Problem(1, "no narrative section heading such as '一、…' found", "no-narrative"))
        return
    table_title = next((ln for ln in lines[first.number:] if ln.text.strip().endswith("年度实施方案")
                        and "\t" not in ln.text), None)
    if table_title is None:
        plan.problems.append(Problem(first.number, "no annual table title '…年度实施方案' after the narrative",
                                     "no-table"))
        return
    span = _strip_span(text, table_title.start, table_title.end)
    plan.table_title = (text[span.start:span.end], span)
    narrative = lines[first.number - 1:table_title.number - 1]
    table = lines[table_title.number:]
    plan.narrative_lines = (first.number, table_title.number - 1)
    plan.table_lines = (table_title.number + 1, len(lines))
    by_line = {c.line: c for c in corrections}
    for c in corrections:
        if c.line > len(lines) or c.expect not in lines[c.line - 1].text:
            plan.problems.append(Problem(c.line, f"correction #{c.index} expects '{c.expect}' on this line",
                                         "bad-correction"))
    for r in readings:
        line = lines[r.line - 1] if r.line <= len(lines) else None
        if line is None or r.expect not in line.text:
            plan.problems.append(Problem(r.line, f"reading expects '{r.expect}' on this line", "bad-correction"))
            continue
        start = line.start + line.text.index(r.expect)
        plan.findings.append(Finding(kind="garbled", line=r.line, span=Span(start, start + len(r.expect)),
                                     message=f"garbled in the source: '{r.expect}' reads as '{r.reading}'; {r.reason}"))
    candidates = _parse_narrative(plan, registry, narrative)
    rows = _table_rows(plan, registry, table, by_line)
    plan.table_rows = len(rows)
    first_year = plan.period[0] if plan.period else 0
    matched = _match_rows(plan, registry, rows, candidates, by_line)
    _table_findings(plan, matched, candidates)
    for notation, (block, title, body, mentions, has_resp) in candidates.items():
        row = matched.get(notation)
        if row is None and not has_resp:
            continue
        plan.areas.pop(notation, None)   # a subsection that is a task is not a policy area
        task = Task(notation=notation, title=title, area=block.parent, narrative_number=block.written_label)
        task.statements["narrative"] = Statement("narrative", body, block.line)
        task.mentions.extend(mentions)
        if row is not None:
            task.table_number = _table_number(row)
            task.statements["table"] = Statement("table", row.text_span, row.line.number)
            for span, role in ((row.lead, "lead"), (row.support, "support")):
                if span is not None and span.start < span.end:
                    task.mentions.extend(_mentions(plan, registry, span, role, "table", row.line.number))
            for position, (slot, span) in enumerate(sorted(row.progress), start=1):
                task.progress.append(ProgressCell(span, first_year + max(slot, 0), position, row.line.number))
        plan.tasks[notation] = task
    by_row = {t.statements["table"].line: t.notation for t in plan.tasks.values() if "table" in t.statements}
    plan.findings = [Finding(f.kind, f.message, f.line, f.span, f.task or by_row.get(f.line))
                     for f in plan.findings]
    for c in corrections:
        plan.findings.append(Finding(kind="correction", line=c.line, message=c.reason,
                                     task=c.task if c.action == "task" else
                                     next((t.notation for t in plan.tasks.values()
                                           if t.statements.get("table") and
                                           t.statements["table"].line == c.line), None)))


def _header(plan: ParsedPlan, registry: UnitRegistry, lines: list[Line]) -> None:
    """Document number, title, issuer, cited upper-level plan and plan period."""
    text = plan.text
    for line in lines[:40]:
        stripped = line.text.strip()
        if plan.doc_number is None and (m := _DOC_NUMBER.fullmatch(stripped)):
            plan.doc_number = (m.group(0), _strip_span(text, line.start, line.end))
        elif plan.issuer is None and stripped.endswith("文件") and len(stripped) < 40:
            name = stripped[:-2]
            unit = registry.get(name)
            if unit is not None:
                start = line.start + line.text.index(name)
                plan.issuer = (unit, Span(start, start + len(name)))
        elif plan.title is None and "关于印发" in stripped:
            span = _strip_span(text, line.start, line.end)
            plan.title = (stripped, span)
            if (m := _PERIOD.search(stripped)):
                start = line.start + line.text.index(stripped)
                plan.period = (int(m.group(1)), int(m.group(2)),
                               Span(start + m.start(), start + m.end()))
        elif plan.scheme_title is None and plan.title and stripped.endswith("实施方案") \
                and "印发" not in stripped:
            plan.scheme_title = (stripped, _strip_span(text, line.start, line.end))
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
    if plan.title and _norm_title(info.title) not in _norm_title(plan.title[0]):
        plan.problems.append(Problem(plan.line_of(plan.title[1].start), f"the notice title does not contain "
                                     f"plan.toml's title '{info.title}'", "header"))
    if plan.period is None:
        plan.period = (*info.period, None)
    if plan.issuer is None and info.issuer and (unit := registry.get(info.issuer)) is not None:
        plan.issuer = (unit, None)
