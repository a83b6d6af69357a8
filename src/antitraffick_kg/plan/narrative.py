"""Read the narrative scheme: numbered headings to any depth, unit clauses, the member list and the office.

The genre numbers its headings 一、 / （一） / 1. / （1） / ① (half- or
full-width).  A heading and the paragraphs after it, up to the next heading,
make a block; a block's parent is the nearest block above it of a higher
level.  A text that starts below the top level or after its first heading (an
excerpt starting at （五）, 1. or 二、) keeps the document's own numbers from
there: 二、（一）1. is task 2.1.1, as people cite it.

Rules written as a code of chapters and articles (实施细则: 第二章 预防工作, 第八条 …) number their articles
through the whole text, and people cite an article by its own number: 第八条 is 8 and its item （一） is 8.1,
whatever chapter holds it.  A chapter is an area numbered ``ch2``; an article whose words end in a unit clause
is a task, one with items is their area.  In a plan whose chapters hold sections (第二章 主要任务, 一、…), a chapter
is the top level: 第二章一、（一） is 2.1.1, and sections numbered on through the chapters keep their numbers (a
chapter among sections that stand in none is a problem).

A task states its units in a clause at its end (``（X、Y负责，Z配合）``, read by
:mod:`~antitraffick_kg.plan.clauses`); the parts of a measure may follow its clause on dashed lines (——…), as in
the national plan.  Everything the reader cannot place is a :class:`~antitraffick_kg.plan.model.Problem` naming its
line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .clauses import (CLAUSE_REACH, LABELLED, LIST_SEP, PAGE_LINE, clause_before_dashes, clause_lists,
                      clause_pattern, complete_names, cut_clause_pattern, cut_clause_start, cut_labelled, find_clause, mentions,
                      split_names, strip_span)
from .model import Area, Finding, Membership, Mention, ParsedPlan, Problem, Span
from .planinfo import LEAD_WORDS
from .registry import UnitRegistry, normalise_name

__all__ = ["cn_number", "cn_numeral", "Line", "split_lines", "norm_title", "Block", "narrative_blocks", "parse_narrative",
           "closing_start", "PAGE_LINE",
           "CN_NUMERALS", "SECTION", "SUBSECTION", "ITEM", "written_in_articles"]

_CN_DIGITS = {"零": 0, "一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
CN_NUMERALS = "一二三四五六七八九十"
_CN_NUMBER = re.compile(r"^(?:[一二三四五六七八九]|[二三四五六七八九]?十[一二三四五六七八九]?)$")
SECTION = re.compile(rf"^([{CN_NUMERALS}]+)、\s*(\S.*)$")
# (a space or the line's end after 章 or 条, or a heading closed by 。 soon after: 第一条主线… is a sentence)
CHAPTER = re.compile(rf"^第\s*([{CN_NUMERALS}]+)\s*章(?:\s+|$|(?=[^。]{{1,20}}$))(.*)$")
ARTICLE = re.compile(rf"^第\s*([{CN_NUMERALS}]+)\s*条(?![，,、：:；;。])(?:\s+|$|(?=[^。\s，,、；;：:]{{1,20}}。))(.*)$")
SUBSECTION = re.compile(rf"^[（(]\s*([{CN_NUMERALS}]+)\s*[)）]\s*(.*)$")
ITEM = re.compile(r"^(\d+)\s*[.．]\s*(.*)$")
_ITEM_ANY = re.compile(r"^(\d+)\s*(?:[.．]|、)(?!\d)\s*(.*)$")
_SUBITEM = re.compile(r"^[（(]\s*(\d+)\s*[)）]\s*(.*)$")
_CIRCLED = re.compile(r"^([①-⑳])\s*(.*)$")
#: the kind of a heading by its level: a chapter (第二章) and an article (第八条) stand above the sections
_KINDS = {-2: "chapter", -1: "article", 0: "section", 1: "subsection", 2: "item", 3: "subitem", 4: "point"}


def cn_number(text: str) -> int:
    """The value of a Chinese numeral up to 99.

    >>> cn_number("四"), cn_number("十"), cn_number("十二"), cn_number("二十三")
    (4, 10, 12, 23)

    Raises :class:`ValueError` for what is no numeral (一一, 十十, 二二):
    a heading is never numbered so, and such a line is read as text.
    """
    if not _CN_NUMBER.match(text):
        raise ValueError(f"not a Chinese numeral up to 99: {text!r}")
    if "十" in text:
        tens, _, units = text.partition("十")
        return (_CN_DIGITS[tens] if tens else 1) * 10 + (_CN_DIGITS[units] if units else 0)
    return _CN_DIGITS[text]


def cn_numeral(number: int) -> str:
    """The Chinese numeral of 1 to 99, as :func:`cn_number` reads it.

    >>> [cn_numeral(n) for n in (4, 10, 12, 23)]
    ['四', '十', '十二', '二十三']
    >>> all(cn_number(cn_numeral(n)) == n for n in range(1, 100))
    True
    """
    tens, units = divmod(number, 10)
    return (("" if tens == 1 else CN_NUMERALS[tens - 1]) + "十" if tens else "") + \
        (CN_NUMERALS[units - 1] if units else "")


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


def norm_title(text: str) -> str:
    return re.sub(r"[\s“”\"'‘’「」]", "", text).replace("(", "（").replace(")", "）")


def heading(stripped: str) -> tuple[int, int, str, re.Match] | None:
    """(level -2–4, number as written, label, match) when a line starts with a heading number."""
    if (m := CHAPTER.match(stripped)) and _CN_NUMBER.match(m.group(1)) and len(stripped) <= 30 \
            and "。" not in stripped:
        return -2, cn_number(m.group(1)), f"第{m.group(1)}章", m
    if (m := ARTICLE.match(stripped)) and _CN_NUMBER.match(m.group(1)):
        return -1, cn_number(m.group(1)), f"第{m.group(1)}条", m
    m = SECTION.match(stripped)
    if m and len(stripped) <= 30 and "。" not in stripped and _CN_NUMBER.match(m.group(1)):
        return 0, cn_number(m.group(1)), m.group(1), m
    if (m := SUBSECTION.match(stripped)) and _CN_NUMBER.match(m.group(1)):
        return 1, cn_number(m.group(1)), f"({m.group(1)})", m
    if (m := _ITEM_ANY.match(stripped)):
        return 2, int(m.group(1)), str(int(m.group(1))), m
    if (m := _SUBITEM.match(stripped)):
        return 3, int(m.group(1)), f"({int(m.group(1))})", m
    if (m := _CIRCLED.match(stripped)):
        return 4, ord(m.group(1)) - ord("①") + 1, m.group(1), m
    return None


#: a line of a document's closing (落款): a date (2022年5月6日, 二〇二二年五月六日, perhaps 印发), the issuing office
#: (德宏州人民政府办公室, perhaps with a remark in parentheses), or a distribution line (抄送：…)
_DATE_LINE = re.compile(r"^[\d〇○零一二三四五六七八九十]{2,4}\s*年\s*[\d一二三四五六七八九十]{1,3}\s*月"
                        r"\s*[\d一二三四五六七八九十]{1,3}\s*日(?:\s*印发)?$")
_REMARK_LINE = re.compile(r"^[（(]\s*此件[^）)]{1,20}[）)]$")
_DISTRIBUTION = re.compile(r"^(?:抄送|主送|分送)\s*[:：]")
#: a line naming the document's attachments (附件, 附件1, 附表：…名单), above them or in the closing
_ATTACHMENT_LINE = re.compile(r"^附\s*[件表]\s*[\d０-９一二三四五六七八九十]{0,2}\s*(?:[:：][^。；;]{0,80})?$")
_CLOSING_LINE = re.compile(r"^(?:抄送|主送|印发|分送)\s*[:：]|^[^，、。；：,;:！？\t]{2,30}(?:办公室|办公厅|人民政府|委员会|联席会议)"
                           r"(?:\s*[（(][^）)]{1,10}[）)])?(?:[\s\u3000]+.{0,20}印发)?$")


def closing_start(lines: list[Line]) -> int | None:
    """The number of the first line of the closing that ends a text (its issuer, date and distribution lines, a
    remark such as （此件公开发布）, the line naming its attachments (附件：…名单), no heading among them), or ``None``: those lines are no words of the last item
    nor rows of a table.  A distribution list wrapped onto lines of its own (抄送：州委办公室，\n州法院。) is closing
    as far as its 抄送."""
    start = None
    written = [line for line in lines if line.text.strip()]
    for i in range(len(written) - 1, -1, -1):
        stripped = written[i].text.strip()
        if heading(stripped) is None and (_DATE_LINE.match(stripped) or _CLOSING_LINE.match(stripped)
                                          or _REMARK_LINE.match(stripped) or _ATTACHMENT_LINE.match(stripped)):
            start = written[i].number
            continue
        above = next((j for j in range(i - 1, max(i - 4, -1), -1)
                      if _DISTRIBUTION.match(written[j].text.strip())), None)
        if above is not None and all(heading(w.text.strip()) is None and "\t" not in w.text
                                     for w in written[above:i + 1]):
            start = written[above].number       # (lines wrapped from a distribution list)
            continue
        break
    return start


# ---------------------------------------------------------------------------
# Blocks
# ---------------------------------------------------------------------------
@dataclass
class Block:
    """A heading and the paragraphs that follow it, up to the next heading."""

    kind: str                 # "chapter" | "article" | "section" | "subsection" | "item" | "subitem" | "point"
    level: int
    written: int              # the number as written
    position: int             # its position among its siblings
    notation: str
    written_label: str        # e.g. "五(三)"
    line: int
    start: int                # offset of the number
    end: int                  # end of the last line of the block
    parent: "Block | None"
    number_span: Span = field(default=Span(0, 0))
    children: list["Block"] = field(default_factory=list)

    @property
    def parent_notation(self) -> str | None:
        return self.parent.notation if self.parent else None

    def title(self, text: str, clause_start: int | None = None) -> tuple[str, Span]:
        """The heading up to the first 。 (or up to the unit clause, or the whole line)."""
        head_start = self.number_span.end
        line_end = text.find("\n", head_start)
        line_end = len(text) if line_end < 0 else line_end
        stop = text.find("。", head_start, line_end)
        if stop < 0 and clause_start is not None and head_start <= clause_start < line_end:
            stop = clause_start
        span = strip_span(text, head_start, stop if stop >= 0 else line_end)
        return text[span.start:span.end], span

    def last(self) -> "Block":
        return self.children[-1].last() if self.children else self


def written_in_articles(lines: list[Line]) -> bool:
    """Whether the text is rules written in articles (第X条), perhaps in chapters: its first heading is a chapter
    or an article, and it has two articles at least (a line of the notice wrapped at 第十条… is no code of rules).
    Elsewhere a line starting 第一条 is words, not a heading."""
    found = [h for h in (heading(line.text.strip()) for line in lines if line.text.strip()) if h is not None]
    return bool(found) and found[0][0] < 0 and sum(h[0] == -1 for h in found) >= 2


def narrative_blocks(plan: ParsedPlan, lines: list[Line]) -> list[Block]:
    """Every numbered block of ``lines``, in order; children are linked to their parents."""
    text = plan.text
    blocks: list[Block] = []
    open_blocks: list[Block] = []       # the chain of blocks the next heading may nest under
    counts: dict[str, int] = {}
    opening: Block | None = None        # the last heading of an excerpt's opening lines (二、 then （三） then 2.)
    opening_end = 0                     # where its heading line ends (its end while no words follow it)
    coded = written_in_articles(lines)
    closing = closing_start(lines)
    # a plan in chapters over sections: its first heading is a chapter (else a chapter among sections is a problem)
    chaptered = not coded and next((h[0] for h in (heading(ln.text.strip()) for ln in lines if ln.text.strip())
                                    if h is not None), None) == -2
    above = {} if coded or chaptered else _implied_above(lines, closing)
    chaptered = chaptered or -2 in above    # an excerpt from inside a chapter, reaching the next one

    for line in lines:
        stripped = line.text.strip()
        if not stripped:
            continue
        if closing is not None and line.number >= closing:
            break                       # the document's closing: its issuer and date are no item's words
        if PAGE_LINE.match(stripped):
            continue                    # a page's number (— 5 —), in a text copied from a PDF
        found = heading(stripped)
        if found is not None and found[0] == -2 and not coded and not chaptered:
            plan.problems.append(Problem(line.number, f"'{stripped}' is a chapter heading after sections that stand "
                                         "in no chapter of the text (the text may start inside a chapter): it is not "
                                         "read, and the headings under it are numbered on from those above",
                                         "chapter"))
            continue
        if found is not None and found[0] == -1 and not coded:
            found = None                # 第一条… in a sentence of a text numbered 一、（一）1.: words
        if found is not None and found[0] >= 1 and not open_blocks and blocks:
            found = None                # a numbered line after the text has left every block: keep as text
        if found is None:
            if blocks:   # a continuation paragraph, e.g. after a page break
                blocks[-1].end = line.end
            continue
        level, written, label, match = found
        while open_blocks and open_blocks[-1].level >= level:
            open_blocks.pop()
        parent = open_blocks[-1] if open_blocks else None
        article = level == -1       # articles are numbered through the whole text, whatever chapter holds them
        key = "articles" if article else parent.notation if parent else f"top {level}"
        # an excerpt starting below the top level: the headings the text lacks above it, as those after it tell
        implied = [above[k] for k in sorted(above) if k < level] if parent is None and level >= 0 else []
        starts = key not in counts and (parent is None or article) and (level > 0 or written > 1 or bool(implied))
        # sections numbered through the chapters (第二章 then 三、): each keeps its number, under its chapter
        through = key not in counts and level == 0 and parent is not None and parent.kind == "chapter" and written > 1
        if through:
            counts[key] = written - 1
        # an excerpt that starts inside a list (二、 then （三）, no words between): the first child keeps its number
        inside = key not in counts and parent is not None and parent is opening and written > 1 and \
            parent.end == opening_end
        if starts or inside:
            counts[key] = written - 1   # an excerpt: the document's own numbers from here (二、 stays 2)
            where = (f"the text's first {_KINDS[level]} is {label}, not 第一{label[-1]}" if starts and level < 0 else
                     f"{_KINDS[level]} {label}{'、' if level == 0 else ''} has no heading above it"
                     if starts and (level or written == 1) else
                     f"the text's first section is {label}、, not 一、" if starts else
                     f"{_KINDS[level]} {parent.written_label}{label} comes first under {parent.written_label}")
            plan.findings.append(Finding(
                kind="excerpt", line=line.number, span=strip_span(text, line.start, line.end),
                message=where + (_headless(level, above) if starts and (level > 0 or implied) else
                                 ": read as part of an excerpt that keeps the document's numbers")))
        counts[key] = counts.get(key, 0) + 1
        position = counts[key]
        notation = ((f"ch{position}" if coded else str(position)) if level == -2
                    else ".".join([*(str(n) for n, _, _ in implied), str(position)]) if article or parent is None
                    else f"{parent.notation}.{position}")
        written_label = (parent.written_label if parent and not article else "") + label
        lead = len(line.text) - len(line.text.lstrip())
        number_end = line.start + lead + match.start(2)
        block = Block(_KINDS[level], level, written, position, notation, written_label, line.number,
                      line.start + lead, line.end, parent, number_span=Span(line.start + lead, number_end))
        if written != position:
            plan.findings.append(Finding(
                kind="numbering", line=line.number, span=strip_span(text, line.start, line.end),
                message=(f"narrative numbers this {block.kind} {written_label} but it is number {position} "
                         f"of its level; the graph numbers it {notation}"),
                task=notation))
        if parent is not None:
            parent.children.append(block)
        blocks.append(block)
        open_blocks.append(block)
        opening, opening_end = (block, line.end) if starts or inside else (None, 0)
    return blocks


def _label(level: int, number: int) -> str:
    """A section's or subsection's number as the genre writes it (五, (三))."""
    numeral = cn_numeral(number)
    return (f"第{numeral}章" if level == -2 else numeral if level == 0 else f"({numeral})" if level == 1
            else f"{number}" if level == 2 else f"({number})")


def _headless(level: int, above: dict[int, tuple[int, str, int]]) -> str:
    """What the excerpt finding of a heading with none above it says was assumed (see :func:`_implied_above`)."""
    told = sorted((k, v) for k, v in above.items() if k < level)
    said = "".join(
        f"{': read as in ' if i == 0 else ', in '}{_KINDS[k]} {_label(k, n)} (the one before {before} at line {at})"
        for i, (k, (n, before, at)) in enumerate(told))
    if 0 not in above and -2 not in above:
        return (said + "; no heading of the text tells the section it stands in, so its numbers start at the "
                f"{_KINDS[min(above, default=level)]} (the document's section number is not in the graph)")
    gap = next((k for k in range(min(above) + 1, level) if k not in above and k != -1), None)
    return (said + ", as part of an excerpt that keeps the document's numbers" +
            (f"; whether a {_KINDS[gap]} holds it there is not in the text (none is in its number)"
             if gap is not None else ""))


def _implied_above(lines: list[Line], closing: int | None) -> dict[int, tuple[int, str, int]]:
    """For a text whose first heading is below the top level (an excerpt starting at （三） or 4.), the headings
    it stands under as the headings after it tell them: a level's first heading after it, 六、 at line 12, means
    section 五 (level → (number, the heading that tells it, its line)).  A level the text never reaches again is
    left out; so is every level above one whose first heading is 一、 or （一） (the words above it are no part of
    that list), a chapter or an article."""
    found = [(line, h) for line in lines if line.text.strip() and (closing is None or line.number < closing)
             for h in [heading(line.text.strip())] if h is not None]
    if not found or found[0][1][0] < 0:
        return {}
    above: dict[int, tuple[int, str, int]] = {}
    below = found[0][1][0]
    for line, (level, written, label, _) in found[1:]:
        if level >= below:
            continue
        if level == -1 or written < 2:
            break
        above[level] = (written - 1, label + ("、" if level == 0 else ""), line.number)
        below = level
        if level == -2:
            break
    return above


# ---------------------------------------------------------------------------
# The narrative scheme
# ---------------------------------------------------------------------------
@dataclass
class Candidate:
    """A block that may be a task: its heading, words and the units its clause names."""

    block: Block
    title: str
    body: Span
    mentions: list[Mention]
    has_clause: bool
    cut: bool = False          # the words end inside an unclosed parenthesis (a finding)


def _own_body(text: str, block: Block) -> Span:
    end = block.children[0].start if block.children else block.end
    return strip_span(text, block.start, end)


def parse_narrative(plan: ParsedPlan, registry: UnitRegistry, lines: list[Line]) -> dict[str, Candidate]:
    """Areas into ``plan.areas``; returns the task candidates by notation.

    A block is a candidate when its own words end with a unit clause, or when
    it is a leaf below the top level with words after its heading.  A block
    whose children name no units but whose last child ends with the clause is
    one task with its children's words, where its own words end with a colon
    that introduces them (加强出租房屋管理：（1）…；（2）…。（X负责））.
    """
    text = plan.text
    info = plan.info
    pattern = clause_pattern(*((info.lead_words, info.support_words) if info else ()))
    # 会同 joins two lead units: （X会同Y负责）
    lead_sep = re.compile(r"[、，,]|会同") if "会同" in (info.lead_words if info else LEAD_WORDS) else LIST_SEP
    cut_pattern = cut_clause_pattern(*((info.lead_words, info.support_words) if info else ()))
    inner_pattern = clause_pattern(*((info.lead_words, info.support_words) if info else ()), closing=False)
    candidates: dict[str, Candidate] = {}
    folded: set[int] = set()
    blocks = narrative_blocks(plan, lines)
    for block in blocks:
        if id(block) in folded:
            continue
        body = _own_body(text, block)
        clause = clause_before_dashes(plan, body, pattern) or find_clause(text, body, pattern)
        if clause is None and block.children and (block.level >= 1 or block.kind == "article") and \
                text[block.start:_own_body(text, block).end].rstrip().endswith(("：", ":")):
            whole = strip_span(text, block.start, block.last().end)
            inner = [find_clause(text, _own_body(text, b), pattern) for b in _descendants(block)]
            clause = find_clause(text, whole, pattern) if not any(inner[:-1]) else None
            if clause is not None:       # one task: the clause after the last child covers them all
                body = whole
                folded.update(id(b) for b in _descendants(block))
        leaf = not block.children or body.end > _own_body(text, block).end
        has_text = text.find("。", block.number_span.end, body.end) >= 0
        cut = None
        title, title_span = block.title(text, clause.span.start if clause else None)
        below_top = block.level >= 1 or block.kind == "article"
        candidate = (block.kind != "chapter" or clause is not None and not block.notation.startswith("ch")) and (
            clause is not None or (below_top and leaf and (has_text or block.kind != "subsection")))
        if candidate:
            found: list[Mention] = []
            if clause is not None:
                for role, names in clause.lists:       # positions count on within a role: （X牵头，Y负责）: X 1, Y 2
                    found += mentions(plan, registry, names, role, "narrative", plan.line_of(names.start),
                                      sep=lead_sep if role == "lead" else LIST_SEP,
                                      after=sum(m.role == role for m in found))
                for role in clause.open_lists:
                    plan.findings.append(Finding(
                        kind="open-list", line=plan.line_of(clause.span.start), span=clause.span,
                        task=block.notation,
                        message=f"the {role} list ends with 等 (and others): the document leaves it open"))
            elif (cut := cut_clause_start(text, body)) is not None:
                found = _read_cut(plan, registry, block, title, Span(cut, body.end), cut_pattern, lead_sep,
                                  at_end=not text[body.end:].strip())     # (no table, no closing after it)
            if clause is not None:
                _inner_clauses(plan, registry, block, title, Span(body.start, clause.span.start), inner_pattern)
            candidates[block.notation] = Candidate(block, title, body, found,
                                                   clause is not None or any(m.role == "lead" for m in found),
                                                   cut is not None)
            if block.kind == "subsection" and clause is None and "成员单位" in title:
                _members(plan, registry, block, body)
            if block.kind == "subsection" and clause is None and "办公室" in title:
                _office(plan, registry, block, body)
            if block.kind not in ("subsection", "article") or clause is not None:   # (else also an area)
                continue
        if not candidate and block.kind == "subsection" and "成员单位" in title and not block.children and \
                text[_heading_end(text, block, body):body.end].strip():
            _members(plan, registry, block, body)       # a member list in words without a full stop
        plan.areas[block.notation] = Area(
            notation=block.notation, written=block.written_label, title=title,
            span=title_span, line=block.line, parent=block.parent_notation)
    return candidates


def _inner_clauses(plan: ParsedPlan, registry: UnitRegistry, block: Block, title: str, words: Span,
                   pattern: re.Pattern) -> None:
    """A problem for each unit clause inside a task's words, before the clause the reader takes, that names a unit
    of the plan (two sentences or paragraphs each with its units, and no heading between them): only the last
    clause is read, so those units are not.  A remark such as （谁接报谁负责） names no unit and is words."""
    text, flagged = plan.text, set()
    for inner in pattern.finditer(text, words.start, words.end):
        if _names_a_unit(registry, text, inner):
            flagged.add(plan.line_of(inner.start()))
    start = words.start
    while start < words.end:                # lists labelled on a line of their own (牵头单位：…)
        end = text.find("\n", start, words.end)
        end = words.end if end < 0 else end
        line = strip_span(text, max(start, end - CLAUSE_REACH), end)      # (a clause ends its line)
        if line.end < words.end and _names_a_unit(registry, text, LABELLED.search(text, line.start, line.end)):
            flagged.add(plan.line_of(line.start))
        start = end + 1
    for line in sorted(flagged):
        plan.problems.append(Problem(line, f"{block.written_label} '{title}': a unit clause on this line, inside the "
                                     "item's words, names units of its own; the item's clause is its last one, so "
                                     "these units are not read", "inner-clause"))


def _names_a_unit(registry: UnitRegistry, text: str, clause: re.Match | None) -> bool:
    named = [text[s.start:s.end] for role, s, _ in (clause_lists(text, clause) if clause else ()) if role == "lead"]
    return any(registry.get(normalise_name(name)) for names in named for name in split_names(names))


def _read_cut(plan: ParsedPlan, registry: UnitRegistry, block: Block, title: str, span: Span,
              pattern: re.Pattern, lead_sep: re.Pattern, *, at_end: bool = True) -> list[Mention]:
    """A unit clause the text breaks off inside (a web copy cut mid-list): the units each surviving role word
    closes, and a finding that says where the text stops.  Nothing after the cut is guessed: names whose role
    word is lost are named in the finding, not assigned, and a clause cut before its first role word leaves
    the item no task."""
    text = plan.text
    keep = None if at_end else (lambda name: registry.get(name) is not None)   # (an unclosed clause's last name)
    if (labelled := cut_labelled(text, span, keep=keep)) is not None:
        return _read_cut_labelled(plan, registry, block, title, span, labelled, lead_sep, at_end=at_end)
    m = pattern.match(text, span.start, span.end)
    found: list[Mention] = []
    roles = []
    for role, sep in (("lead", lead_sep), ("support", LIST_SEP)):
        if m is not None and m.group(role):
            names = Span(m.start(role), m.end(role))
            got = mentions(plan, registry, names, role, "narrative", plan.line_of(names.start), sep=sep)
            found += got
            roles.append(f"{role} {'、'.join(x.written for x in got) or '(no known unit)'}"
                         + ("等" if m.group(f"{role}_etc") else ""))
    rest = Span(m.start("rest"), m.end("rest")) if m is not None else Span(span.start + 1, span.end)
    lost = complete_names(text, rest)
    if not at_end and registry.get(last := normalise_name(split_names(text[rest.start:rest.end])[-1])):
        lost.append(last)               # (a clause that breaks off where the text goes on may end in a whole name)
    after = (f"; {'、'.join(lost)} named after that, with {'the role word cut off' if at_end else 'no role word'}, "
             "not assigned" if lost else "")
    tail = text[max(span.start, span.end - 12):span.end].strip()
    opening, far, closing = _CUT[at_end]
    if m is not None and m.group("lead"):
        message = (f"{block.written_label} '{title}': {opening} (it ends '…{tail}'); read as far as {far}: "
                   f"{'; '.join(roles)}{after}{closing}")
    else:
        message = (f"{block.written_label} '{title}': {opening} (it ends '…{tail}') before any role word{after}; "
                   "no unit is assigned, so the item is no task")
    plan.findings.append(Finding(kind="cut-clause", line=plan.line_of(span.start), span=span, message=message,
                                 task=block.notation if found else None))
    return found


#: how a cut-clause finding reads where the text stops in the clause, and where the clause of an item that others
#: follow breaks off (no ）): what it says happened, how far it was read, how it ends
_CUT = {True: ("the text is cut off inside the unit clause", "the cut", "; whatever followed is lost"),
        False: ("the unit clause breaks off, with no ）, where the text goes on", "it goes", "")}


def _read_cut_labelled(plan: ParsedPlan, registry: UnitRegistry, block: Block, title: str, span: Span,
                       labelled: tuple[list[tuple[str, Span]], str], lead_sep: re.Pattern, *,
                       at_end: bool = True) -> list[Mention]:
    """A labelled clause the text breaks off inside: a label states the role before its names, so every name a
    separator closes is read with its role; the name (or label) the text stops in is named, not read."""
    text = plan.text
    lists, lost = labelled
    found: list[Mention] = []
    for role, names in lists:
        found += mentions(plan, registry, names, role, "narrative", plan.line_of(names.start),
                          sep=lead_sep if role == "lead" else LIST_SEP, after=sum(m.role == role for m in found))
    read = "; ".join(f"{role} {'、'.join(m.written for m in found if m.role == role)}"
                     for role in dict.fromkeys(role for role, _ in lists)
                     if any(m.role == role for m in found))
    tail = text[max(span.start, span.end - 12):span.end].strip()
    opening, far, closing = _CUT[at_end]
    message = (f"{block.written_label} '{title}': {opening} (it ends '…{tail}'); "
               + (f"read as far as {far}: {read}" if read else f"no unit is read before {far}")
               + (f"; '{lost}' is cut off, not read" if lost else "")
               + ("" if any(m.role == "lead" for m in found) else "; with no lead unit read, the item is no task")
               + closing)
    plan.findings.append(Finding(kind="cut-clause", line=plan.line_of(span.start), span=span, message=message,
                                 task=block.notation if any(m.role == "lead" for m in found) else None))
    return found


def _descendants(block: Block) -> list[Block]:
    out = []
    for child in block.children:
        out.append(child)
        out.extend(_descendants(child))
    return out


def _heading_end(text: str, block: Block, body: Span) -> int:
    """Where the words after ``block``'s heading line start (``body.end`` when the heading is all it has)."""
    newline = text.find("\n", block.start, body.end)
    return newline + 1 if newline >= 0 else body.end


def _members(plan: ParsedPlan, registry: UnitRegistry, block: Block, body: Span) -> None:
    """The member list of the joint meeting: 'A、B，C…为成员单位。'."""
    text = plan.text
    full_stop = text.find("。", block.number_span.end, body.end)
    start = full_stop + 1 if full_stop >= 0 else _heading_end(text, block, body)
    stop = text.find("为成员单位", start, body.end)
    if start <= 0 or stop < 0:
        plan.problems.append(Problem(block.line, "member list not in the form 'A、B…为成员单位'", "members"))
        return
    for mention in mentions(plan, registry, Span(start, stop), "lead", "narrative", block.line):
        plan.members.append(Membership(mention.unit, mention.span, len(plan.members) + 1, block.line))
    meeting = normalise_name(block.title(text)[0]).removesuffix("成员单位")
    if plan.members and registry.get(meeting) is None:
        plan.problems.append(Problem(block.line, f"the joint meeting '{meeting}' whose members this lists is not "
                                     "a unit of the plan's units.csv", "members"))


def _office(plan: ParsedPlan, registry: UnitRegistry, block: Block, body: Span) -> None:
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
