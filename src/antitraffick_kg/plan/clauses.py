"""Unit clauses and unit lists: the clause closing a task's words, ``（X、Y负责，Z配合）``, read with the plan's
role words (by default 负责, 牵头, 牵头负责 and 会同 for lead; 配合, 参与, 协助 and 协同 for support), an optional
等 (or 等有关部门 …) closing a list, words such as 按职责分工 or 积极 between a list and its role word, and names
with parentheses of their own (各县（市、区）人民政府, one name); a clause the text breaks off inside; and each
name of a list resolved in the plan's units (an unknown one a problem naming its line).

A leaf of the reader: it knows spans, units and role words, not headings or blocks (``narrative`` reads those).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .model import Mention, ParsedPlan, Problem, Span
from .planinfo import LEAD_WORDS, SUPPORT_WORDS
from .registry import UnitRegistry, normalise_name

__all__ = ["Clause", "clause_pattern", "LABELLED", "LEAD_LABELS", "SUPPORT_LABELS", "labelled_lists", "clause_lists",
           "CLAUSE_REACH", "search_clause", "find_clause", "clause_before_dashes", "cut_clause_start",
           "cut_clause_pattern", "cut_labelled", "cell_names", "complete_names", "mentions", "split_names", "strip_span",
           "LIST_SEP",
           "ETC", "PAGE_LINE"]

LIST_SEP = re.compile(r"[、，,]")
#: a line that is a page's number, as a text copied from a PDF keeps it (— 5 —, - 5 -): no word of the text
PAGE_LINE = re.compile(r"^\s*[-—–－]\s*\d{1,3}\s*[-—–－]\s*$", re.M)
#: words that make a name a group of bodies: 县级以上…, 有关部门, 各级…, …成员单位
_GROUP = re.compile(r"以上|有关|相关|各级|成员单位")
#: the first character of a body's name that names its level (州妇联, 县委, 市公安局, 团州委, 省…, 区…)
_LEVEL_FIRST = ("州", "县", "市", "省", "区", "团", "乡", "镇")
#: what may part a piece of a list into names: white space inside it, or 和, 及, 与
_SPLITTABLE = re.compile(r"\S\s+\S|[和及与]")
#: a run of characters with no white space in it: a name, where a cell gives one a line
_NAME_RUN = re.compile(r"\S+")
#: a unit list's character: anything but a parenthesis, or a short parenthesised part of a name (各县（市、区）人民政府)
_LISTED = r"(?:[^（）()]|[（(][^（）()]{1,10}[)）])"
#: a unit list: such characters, ending in one that is no space (so a run of spaces splits one way only)
_LIST = rf"{_LISTED}*?(?:[^\s（）()]|[（(][^（）()]{{1,10}}[)）])"
#: what may close a list before its role word: 等, or 等有关部门 and the like (an open list, a finding)
ETC = _ETC = r"等(?:有关|相关|其他)?(?:部门和单位|部门单位|成员单位|部门|单位)?"
#: words between a list and its role word that leave the role as it is: （X、Y按职责分工负责，Z积极配合）
_MANNER = r"(?:按照|根据|依照|按|依)职责(?:分工)?|分别|共同|积极|密切|视情况?"
#: between two lists of a clause: （X负责，Y配合）, （X负责；Y配合）, （X牵头、Y、Z配合）, （X负责。Y配合）
_GROUP_SEP = r"[，,；;、。]"


def strip_span(text: str, start: int, end: int) -> Span:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return Span(start, end)


@dataclass(frozen=True)
class Clause:
    span: Span                            # the whole clause, parentheses included
    lists: tuple[tuple[str, Span], ...]   # (role, names) in the order written: （X牵头，Y负责，Z配合） has three
    open_lists: tuple[str, ...]           # "lead" / "support" where a list of that role ends with 等


def clause_pattern(lead_words: tuple[str, ...] = LEAD_WORDS,
                   support_words: tuple[str, ...] = SUPPORT_WORDS, *, closing: bool = True) -> re.Pattern:
    """The unit clause closing a paragraph, for the given role words (longest first): a lead list and its role
    word, perhaps a second one (（X牵头，Y按职责分工负责）: both lead), then perhaps a support list and its word.
    A list holds no role word (but 会同, which joins two leads), so it ends at the first one: one way to read a
    clause, at a cost that grows with its length only.  With ``closing`` false, such a clause anywhere in the words,
    not only at their end."""
    lead = "|".join(map(re.escape, sorted(lead_words, key=len, reverse=True)))
    support = "|".join(map(re.escape, sorted(support_words, key=len, reverse=True)))
    leads = _words_list([w for w in (*lead_words, *support_words) if w != "会同"])
    supports = _words_list([*lead_words, *support_words])
    # a support list's role word may be two (协助配合); a second support list may follow (Z参与); a clause may end
    # in 。 or in 下同 (the same for the items below) before its ）
    return re.compile(rf"[（(]\s*(?:由\s*)?(?P<lead>{leads})\s*(?:(?P<lead_etc>{_ETC})\s*)?(?:(?:{_MANNER})\s*)?"
                      rf"(?:{lead})(?:\s*{_GROUP_SEP}\s*(?P<lead2>{leads})\s*(?:(?P<lead2_etc>{_ETC})\s*)?"
                      rf"(?:(?:{_MANNER})\s*)?(?:{lead}))?"
                      rf"(?:\s*{_GROUP_SEP}\s*(?P<support>{supports})\s*(?:(?P<support_etc>{_ETC})\s*)?"
                      rf"(?:(?:{_MANNER})\s*)?(?:{support})(?:{support})?"
                      rf"(?:\s*{_GROUP_SEP}\s*(?P<support2>{supports})\s*(?:(?P<support2_etc>{_ETC})\s*)?"
                      rf"(?:(?:{_MANNER})\s*)?(?:{support})(?:{support})?)?)?"
                      rf"(?:\s*[，,]\s*下同)?\s*[。]?\s*[)）]" + (r"\s*[。；;]?\s*$" if closing else ""))


def _words_list(stop: list[str]) -> str:
    """A unit list (as :data:`_LIST`) in which none of the words ``stop`` starts."""
    no = "(?!" + "|".join(map(re.escape, sorted(stop, key=len, reverse=True))) + ")" if stop else ""
    return rf"(?:{no}[^（）()]|[（(][^（）()]{{1,10}}[)）])*?(?:{no}[^\s（）()]|[（(][^（）()]{{1,10}}[)）])"


#: the most characters a unit clause takes at the end of its words (Dehong's longest has 79): the search for one
#: looks no further back, so a long paragraph full of role words costs no more than a short one
CLAUSE_REACH = 400
#: (labelled lists look for their lead label no further either)
#: a labelled list's character: no parenthesis (but a name's own), no 。；; colon or line break (a list ends there)
_LABEL_CHAR = r"(?:[^（）()。；;:：\n]|[（(][^（）()]{1,10}[)）])"
#: a labelled list, ending on a character that is neither a space nor a separator (a list cut after 、 is none)
_LABEL_LIST = rf"{_LABEL_CHAR}*?(?:[^\s（）()。；;:：\n、，,]|[（(][^（）()]{{1,10}}[)）])"
#: the labels of a labelled list: 牵头单位, 负责单位, 责任单位 and 主办单位 lead as 负责 does, 配合单位 and its like
#: support
LEAD_LABELS = ("牵头单位", "牵头部门", "负责单位", "主办单位", "主责单位", "责任单位")
SUPPORT_LABELS = ("配合单位", "配合部门", "协助单位", "参与单位", "协办单位")
_LABEL = "|".join(LEAD_LABELS + SUPPORT_LABELS)
#: one labelled list, up to the next label or the end (the span :func:`labelled_lists` reads ends with the lists)
_SEGMENT = re.compile(rf"(?P<label>{_LABEL})\s*[:：]\s*(?P<names>{_LABEL_LIST})\s*(?:(?P<etc>{_ETC})\s*)?"
                      rf"(?=[；;，,。]?\s*(?:{_LABEL})\s*[:：]|[。；;]?\s*$)")
_BARE_SEGMENT = rf"(?:{_LABEL})\s*[:：]\s*{_LABEL_LIST}\s*(?:{_ETC}\s*)?"
#: a clause that labels its lists instead: （牵头单位：X；责任单位：Y；配合单位：Z）, in any order and with one lead
#: label at least, or the same without the parentheses where a sentence or a line starts, at the end of the words.
#: A label inside a sentence (明确责任单位：…) is words.
LABELLED = re.compile(
    rf"(?:(?P<open>[（(])|(?:^|(?<=[。；;]))[ \t\u3000]*)\s*"
    rf"(?P<lists>(?=(?:[^（）()]|[（(][^（）()]{{1,10}}[)）]){{0,{CLAUSE_REACH}}}?(?:{'|'.join(LEAD_LABELS)})\s*[:：])"
    rf"{_BARE_SEGMENT}(?:[；;，,。]?\s*{_BARE_SEGMENT}){{0,3}})"
    r"[。；;]?\s*(?(open)[)）]\s*[。；;]?)\s*$", re.M)


def labelled_lists(text: str, lists: Span) -> list[tuple[str, Span, bool]]:
    """The lists of a labelled clause's ``lists`` span, in the order written: (role, names, open with 等)."""
    return [("lead" if m.group("label") in LEAD_LABELS else "support", Span(m.start("names"), m.end("names")),
             bool(m.group("etc"))) for m in _SEGMENT.finditer(text, lists.start, lists.end)]




def search_clause(pattern: re.Pattern, text: str, start: int, end: int) -> re.Match | None:
    """The unit clause closing ``text[start:end]``, read with ``pattern`` or, failing that, as labelled lists
    (:data:`LABELLED`); looked for in its last :data:`CLAUSE_REACH` characters only."""
    start = max(start, end - CLAUSE_REACH)
    if (m := pattern.search(text, start, end)) is not None:
        return m
    m = LABELLED.search(text, start, end)
    if m is not None and not m.group("open"):     # lists without parentheses stand in no open parenthesis: in
        line = text.rfind("\n", start, m.start()) + 1 or start    # （配合单位：X；牵头单位：Y the text is cut off
        opened = sum(text.count(c, line, m.start()) for c in "（(") - sum(text.count(c, line, m.start()) for c in "）)")
        if opened > 0:
            return None
    return m


def clause_lists(text: str, m: re.Match) -> list[tuple[str, Span, bool]]:
    """The lists of a clause ``m`` (of :func:`clause_pattern` or :data:`LABELLED`), in the order written:
    (role, names, open with 等)."""
    if m.re is LABELLED:
        return labelled_lists(text, Span(m.start("lists"), m.end("lists")))
    return [("lead" if group.startswith("lead") else "support", Span(m.start(group), m.end(group)),
             bool(m.group(f"{group}_etc"))) for group in ("lead", "lead2", "support", "support2")
            if group in m.re.groupindex and m.group(group)]


def find_clause(text: str, body: Span, pattern: re.Pattern) -> Clause | None:
    """The unit clause that closes ``body`` (:func:`search_clause`)."""
    m = search_clause(pattern, text, body.start, body.end)
    if m is None:
        return None
    lists = clause_lists(text, m)
    etc = tuple(role for role in ("lead", "support") if any(r == role and o for r, _, o in lists))
    return Clause(Span(m.start(), m.end()), tuple((role, names) for role, names, _ in lists), etc)


_DASHED = re.compile(r"\n[ \t\u3000]*——")


def clause_before_dashes(plan: ParsedPlan, body: Span, pattern: re.Pattern) -> Clause | None:
    """The unit clause closing a paragraph that dashed lines (——…) follow: the national plan lists the parts of a
    measure so, after the clause of its paragraph.  Only where every line after that paragraph is dashed; a dashed
    line that names units of its own is a problem (the reader keeps the measure's clause, not the line's)."""
    text = plan.text
    dashed = _DASHED.search(text, body.start, body.end)
    if dashed is None:
        return None
    at = dashed.start() + 1
    rest = [(at + sum(len(x) + 1 for x in lines[:i]), line)
            for lines in [text[at:body.end].split("\n")] for i, line in enumerate(lines)]
    if not all(line.strip().startswith("——") for _, line in rest if line.strip()):
        return None
    clause = find_clause(text, strip_span(text, body.start, dashed.start()), pattern)
    if clause is not None:
        for start, line in rest:
            if line.strip() and find_clause(text, strip_span(text, start, start + len(line)), pattern):
                plan.problems.append(Problem(plan.line_of(start), "a dashed line names units of its own, which the "
                                             "reader does not read: the measure above keeps its own clause's units",
                                             "dashed-clause"))
    return clause


def cut_clause_start(text: str, body: Span) -> int | None:
    """The offset of the last opening parenthesis of the paragraph that no closing one follows (text cut inside a
    clause); where the text is cut inside a name's own parentheses (…，各县（市), the clause's, around it."""
    tail = text[body.start:body.end]
    opening = max(tail.rfind("（"), tail.rfind("("))
    if opening <= max(tail.rfind("）"), tail.rfind(")")):
        return None
    after = tail[opening + 1:]
    if len(after) <= 10 and "。" not in after and not _ROLE_WORD.search(after):
        outer = max(tail.rfind("（", 0, opening), tail.rfind("(", 0, opening))
        if outer >= 0 and outer > max(tail.rfind("）", 0, opening), tail.rfind(")", 0, opening)):
            return body.start + outer
    return body.start + opening


_ROLE_WORD = re.compile("|".join(LEAD_WORDS + SUPPORT_WORDS))


_LABEL_AT = re.compile(rf"(?P<label>{_LABEL})\s*[:：]")
_ETC_END = re.compile(rf"\s*(?:{_ETC})\s*$")


def cut_labelled(text: str, span: Span, *, keep=None) -> tuple[list[tuple[str, Span]], str] | None:
    """The lists of a labelled clause the text breaks off inside (``span`` runs from its parenthesis to the cut:
    （牵头单位：X；配合单位：Y、Z…): each list before the last one whole, the last one as far as a separator closes
    its names, and the words cut off ('' when the cut falls just after a separator); ``None`` when the clause at
    ``span`` is not labelled.  A list closed by 等 keeps its names (the open-list finding is the clause's).  The
    last name is kept where ``keep`` (a test of a name) says so: a clause left unclosed before the next item ends in
    a whole name."""
    start = span.start + 1
    while start < span.end and text[start].isspace():
        start += 1
    labels = list(_LABEL_AT.finditer(text, start, span.end))
    if not labels or labels[0].start() != start:
        return None
    lists, lost = [], ""
    for i, label in enumerate(labels):
        role = "lead" if label.group("label") in LEAD_LABELS else "support"
        end = labels[i + 1].start() if i + 1 < len(labels) else span.end
        if i + 1 == len(labels):
            if (stop := re.compile(r"[；;。]").search(text, label.end(), end)) is not None:
                lost, end = text[stop.end():span.end].strip(), stop.start()  # cut in the label after it
            else:
                cuts = _split_points(text, Span(label.end(), end), LIST_SEP)  # the last list: cut in a name
                lost = text[cuts[-1][1] if cuts else label.end():end].strip()
                if keep is not None and keep(lost):
                    lost = ""
                else:
                    end = cuts[-1][0] if cuts else label.end()
        names = strip_span(text, label.end(), end)
        while names.end > names.start and text[names.end - 1] in "；;，,。、":
            names = strip_span(text, names.start, names.end - 1)
        if (etc := _ETC_END.search(text, names.start, names.end)) and etc.start() > names.start:
            names = Span(names.start, etc.start())
        if names.end > names.start:
            lists.append((role, names))
    return lists, lost


def _split_points(text: str, span: Span, sep: re.Pattern) -> list[tuple[int, int]]:
    """The separators of a unit list outside parentheses (各县（市、区）人民政府 is one name)."""
    depth, inside = 0, set()
    for at in range(span.start, span.end):
        if text[at] in "（(":
            depth += 1
        elif text[at] in "）)":
            depth = max(0, depth - 1)
        elif depth:
            inside.add(at)
    return [(m.start(), m.end()) for m in sep.finditer(text, span.start, span.end) if m.start() not in inside]


def cut_clause_pattern(lead_words: tuple[str, ...] = LEAD_WORDS,
                       support_words: tuple[str, ...] = SUPPORT_WORDS) -> re.Pattern:
    """What stands of a unit clause the text breaks off inside: each list as far as its role word survives,
    then the ``rest`` (words after the last role word that survives)."""
    lead = "|".join(map(re.escape, sorted(lead_words, key=len, reverse=True)))
    support = "|".join(map(re.escape, sorted(support_words, key=len, reverse=True)))
    # a list runs to the last role word of its kind that survives: （X会同Y负责，… is led by X and Y
    return re.compile(rf"[（(]\s*(?:由\s*)?(?:(?P<lead>{_LIST})\s*(?:(?P<lead_etc>{_ETC})\s*)?(?:(?:{_MANNER})\s*)?"
                      rf"(?:{lead})"
                      rf"(?!{_LISTED}*(?:{lead}))"
                      rf"(?:\s*[，,；;]\s*(?:(?P<support>{_LIST})\s*(?:(?P<support_etc>{_ETC})\s*)?"
                      rf"(?:(?:{_MANNER})\s*)?(?:{support})"
                      rf"(?!{_LISTED}*(?:{support})))?)?)?(?P<rest>(?:{_LISTED}|[（(])*)$")


def split_names(text: str) -> list[str]:
    """A unit list's pieces, split at 、，, outside parentheses (各县（市、区）人民政府 stays one name).

    >>> split_names("州公安局、各县（市、区）人民政府，州妇联")
    ['州公安局', '各县（市、区）人民政府', '州妇联']
    """
    cuts = _split_points(text, Span(0, len(text)), LIST_SEP)
    return [text[a:b] for a, b in zip([0] + [end for _, end in cuts], [start for start, _ in cuts] + [len(text)])]


def cell_names(registry: UnitRegistry, text: str) -> list[str]:
    """The names of a unit list as :func:`mentions` reads them: split at 、，, and a piece whose white-space parted
    runs are each a unit (州公安局 州妇联, names on lines of their own in a cell) into those; else the piece is one
    name, its white space a wrapped line's (州委政法 委, 团 州委: no name is one character).  The runs are looked up before the whole piece, so a
    registry that takes every name it is asked (the proposals of ``new``) takes no two names as one."""
    out = []
    for piece in split_names(text):
        listed = not registry.takes_any and registry.get(piece) is not None
        if not listed and (runs := _unit_runs(registry, piece, 0, len(piece))) is not None:
            out.extend(piece[a:b] for a, b in runs)
        elif normalise_name(piece):
            out.append(normalise_name(piece))
    return out


def _unit_runs(registry: UnitRegistry, text: str, start: int, end: int) -> list[tuple[int, int]] | None:
    """The white-space parted runs of ``text[start:end]`` where there are two or more and each is a unit (none of
    one character), else its units joined by 和 (:func:`_joined`), else ``None`` (see :func:`cell_names`)."""
    piece = text[start:end].strip()
    if not _SPLITTABLE.search(piece):
        return None                     # (one name, most often: no space, no 和 inside it)
    runs = [(m.start(), m.end()) for m in _NAME_RUN.finditer(text, start, end)]
    # names on lines of their own in a cell (a space between them; a line break in a list is a wrapped name's)
    if len(runs) > 1 and "\n" not in text[start:end].strip() and all(_one(registry, text[a:b]) for a, b in runs):
        return runs
    return _joined(registry, text, start, end)


def _joined(registry: UnitRegistry, text: str, start: int, end: int) -> list[tuple[int, int]] | None:
    """``text[start:end]`` as two or more units joined by 和, 及 or 与 (县公安局和县民政局), or ``None``; a name
    holding the word keeps it (县文化和旅游局 is one unit, so 州人力资源和社会保障局和州民政局 is two).  Read left to
    right, each unit at most 30 characters: a step per 和, however long the list."""
    cuts = [k for k in range(start + 2, end - 2) if text[k] in "和及与"]
    back: dict[int, int] = {start: start}       # where a unit may start -> where the unit before it started
    for begin in [start, *(k + 1 for k in cuts)]:
        if begin not in back:
            continue
        for cut in (k for k in cuts if begin + 2 <= k <= begin + 30):
            if cut + 1 not in back and _one(registry, text[begin:cut]):
                back[cut + 1] = begin
    last = next((b for b in sorted(back, reverse=True) if b > start and end - b <= 30 and _one(registry, text[b:end])),
                None)
    if last is None:
        return None
    out, at = [(last, end)], last
    while at != start:
        out.append((back[at], at - 1))
        at = back[at]
    return out[::-1]


def _one(registry: UnitRegistry, name: str) -> bool:
    """Whether ``name`` is one unit of those a list parts, asked without taking it (:meth:`UnitRegistry.knows`);
    of the names ``new`` finds, a body named as the genre names one (its level's first character, 州妇联, or a
    name of four characters and more: 联合会 is the end of 州工会 联合会), not a group (县级以上政府及各级联席会议成员单位
    is one group)."""
    name = name.strip()
    if registry.takes_any and (_GROUP.search(name) or len(name) < 4 and not name.startswith(_LEVEL_FIRST)):
        return False
    return len(name) > 1 and registry.knows(name)


def complete_names(text: str, span: Span) -> list[str]:
    """The names of a list cut at ``span.end`` that a separator closes: the last piece may be cut mid-name."""
    cuts = _split_points(text, span, LIST_SEP)
    starts = [span.start] + [end for _, end in cuts]
    pieces = [text[a:b] for a, (b, _) in zip(starts, cuts)]     # (the piece after the last separator is cut)
    return [normalise_name(p) for p in pieces if normalise_name(p)]


def mentions(plan: ParsedPlan, registry: UnitRegistry, span: Span, role: str, part: str,
             line: int, *, sep: re.Pattern = LIST_SEP, after: int = 0) -> list[Mention]:
    """Split a unit list at ``sep`` (、，, by default) and resolve each name; unknown names become problems.  The
    positions count on from ``after`` (a second list of the same role)."""
    text, out, position = plan.text, [], after
    cuts = _split_points(text, span, sep)
    starts = [span.start] + [end for _, end in cuts]
    ends = [start for start, _ in cuts] + [span.end]
    for piece_start, piece_end in zip(starts, ends):
        piece_span = strip_span(text, piece_start, piece_end)
        if piece_span.start == piece_span.end:
            continue
        # names on lines of their own in one cell (州公安局 州妇联, a Word or web table's cell): each a unit
        listed = not registry.takes_any and registry.get(text[piece_span.start:piece_span.end]) is not None
        if not listed and (parts := _unit_runs(registry, text, piece_span.start, piece_span.end)) is not None:
            for a, b in parts:
                position += 1
                out.append(Mention(text[a:b], registry.get(text[a:b]), role, part, Span(a, b), position, line))
            continue
        written = text[piece_span.start:piece_span.end]
        if "\n" in written:
            written = PAGE_LINE.sub("", written)            # (a clause over pages: — 3 — between its names)
        written = normalise_name(written)
        unit = registry.get(written)
        if unit is None:
            close = registry.closest(written)
            hint = f"; did you mean {', '.join(close)}?" if close else (
                "; the plan's units.csv does not list it" if len(registry) else "; there is no units.csv")
            plan.problems.append(Problem(line, f"unknown unit '{written}' in the {role} list{hint}",
                                         "unknown-unit"))
            continue
        position += 1
        out.append(Mention(written, unit, role, part, piece_span, position, line))
    return out
