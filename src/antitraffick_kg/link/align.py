"""Propose task alignments between two plans from their wording, their headings and their units.

Plans of this genre copy the wording of the plan above them, so shared phrases are strong evidence. Each item is
an :class:`AlignRecord` (plain data: no store, no parser); :func:`align` scores every pair and returns SSSOM rows
(:class:`~antitraffick_kg.link.mappings.MappingRow`, justification ``semapv:LexicalMatching``) that
:func:`as_mapping_set` and :func:`~antitraffick_kg.link.mappings.write_sssom` turn into a ``.sssom.tsv`` file.

The score of a pair is a weighted mean of up to three similarities, each in [0, 1]:

* **text**: cosine of TF-IDF vectors of character 2- and 3-grams of label and text (white space, punctuation and
  symbols dropped, NFKC-folded so full- and half-width forms agree), with document frequencies taken over both
  plans together, so phrases every item repeats weigh little and a shared rare phrase weighs much;
* **headings**: the same measure over the heading path (section titles above the item), numbering removed;
* **units**: Jaccard overlap of the unit *functions* of the two items (``unit_basis="function"``), or of the units
  themselves when both sides name units from one registry (``"unit"``, e.g. two parts of one plan).

A similarity that one side cannot give (no headings, no functions) is left out and the weights of the others are
renormalised, so missing data costs nothing rather than counting as disagreement. Pairs are taken best first,
each item at most once (``"1:1"``), or each subject takes its best object (``"n:1"``, for several local tasks under
one broader upper measure). A subject whose best pair stays below ``threshold`` gets a ``sssom:NoTermFound`` row.

The n-gram and TF-IDF code is a few dozen lines of standard library. scikit-learn's ``TfidfVectorizer`` computes
the same vectors, but would add a large compiled dependency and about a second of import time for matrices of a
few hundred rows, and would not change a figure.
"""

from __future__ import annotations

import csv
import math
import re
import unicodedata
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Iterable, Literal, Sequence

from ..errors import InputError
from .mappings import NO_TERM_FOUND, MappingRow, MappingSet

if TYPE_CHECKING:  # the adapter reads an imported plan; nothing here imports the importer
    from ..plan.model import ParsedPlan

__all__ = ["AlignRecord", "Weights", "Evaluation", "align", "as_mapping_set", "evaluate",
           "records_from_plan", "records_from_measures", "Cardinality", "UnitBasis", "PREDICATE", "MEASURE"]

Cardinality = Literal["1:1", "n:1"]
UnitBasis = Literal["function", "unit", "none"]
#: generated rows claim only that two items correspond in wording; exact, broader or narrower is a curator's call
PREDICATE = "skos:relatedMatch"
MEASURE = ("weighted mean of TF-IDF cosine over character 2-3-grams of the text and of the heading path, "
           "and Jaccard overlap of units")


@dataclass(frozen=True)
class AlignRecord:
    """One task or measure to align.

    ``id``: the CURIE the SSSOM row will carry. ``label``: its short title (may be empty). ``text``: its words,
    without numbering. ``headings``: titles of the sections above it, outermost first, without numbering.
    ``units``: the units it names (any stable key: registry ids, names). ``functions``: function ids of those
    units, comparable across plans and levels; empty when not known.
    """

    id: str
    label: str
    text: str = ""
    headings: tuple[str, ...] = ()
    units: frozenset[str] = frozenset()
    functions: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Weights:
    """Relative weight of each similarity; only their ratios matter."""

    text: float = 0.6
    label: float = 0.15
    headings: float = 0.1
    units: float = 0.15


@dataclass(frozen=True)
class _Score:
    total: float
    text: float | None
    label: float | None
    headings: float | None
    units: float | None


_DROP = re.compile(r"\s+")


def _normalise(text: str) -> str:
    folded = unicodedata.normalize("NFKC", _DROP.sub("", text))
    return "".join(ch for ch in folded if unicodedata.category(ch)[0] not in "PSZC")


def _grams(text: str) -> Counter:
    text = _normalise(text)
    return Counter(text[i:i + n] for n in (2, 3) for i in range(len(text) - n + 1))


def _tfidf(documents: Sequence[str]) -> list[dict[str, float]]:
    """Unit-length TF-IDF vectors (sublinear term frequency, smoothed IDF) of character 2-3-grams."""
    counts = [_grams(d) for d in documents]
    df = Counter(g for c in counts for g in c)
    n = len(documents)
    vectors = []
    for c in counts:
        v = {g: (1 + math.log(k)) * (math.log((1 + n) / (1 + df[g])) + 1) for g, k in c.items()}
        norm = math.sqrt(sum(w * w for w in v.values()))
        vectors.append({g: w / norm for g, w in v.items()} if norm else {})
    return vectors


def _cosines(left: list[dict[str, float]], right: list[dict[str, float]]) -> list[list[float]]:
    postings: dict[str, list[tuple[int, float]]] = defaultdict(list)
    for j, v in enumerate(right):
        for g, w in v.items():
            postings[g].append((j, w))
    table = []
    for v in left:
        row = [0.0] * len(right)
        for g, w in v.items():
            for j, wj in postings.get(g, ()):
                row[j] += w * wj
        table.append([min(1.0, x) for x in row])
    return table


def _overlap(a: frozenset[str], b: frozenset[str]) -> float | None:
    return len(a & b) / len(a | b) if a and b else None


def _similarity(left: Sequence[str], right: Sequence[str]) -> list[list[float | None]]:
    """Cosine of each left and right string; ``None`` where either is empty."""
    vectors = _tfidf(list(left) + list(right))
    table = _cosines(vectors[:len(left)], vectors[len(left):])
    return [[x if left[i] and right[j] else None for j, x in enumerate(row)] for i, row in enumerate(table)]


def _scores(subjects: Sequence[AlignRecord], objects: Sequence[AlignRecord], unit_basis: UnitBasis,
            weights: Weights) -> list[list[_Score]]:
    text = _similarity([r.text for r in subjects], [r.text for r in objects])
    label = _similarity([r.label for r in subjects], [r.label for r in objects])
    head = _similarity(["".join(r.headings) for r in subjects], ["".join(r.headings) for r in objects])
    table = []
    for i, s in enumerate(subjects):
        row = []
        for j, o in enumerate(objects):
            u = (None if unit_basis == "none" else
                 _overlap(s.functions, o.functions) if unit_basis == "function" else _overlap(s.units, o.units))
            parts = [(weights.text, text[i][j]), (weights.label, label[i][j]), (weights.headings, head[i][j]),
                     (weights.units, u)]
            present = [(w, x) for w, x in parts if x is not None and w > 0]
            total = sum(w * x for w, x in present) / sum(w for w, _ in present) if present else 0.0
            row.append(_Score(total, text[i][j], label[i][j], head[i][j], u))
        table.append(row)
    return table


def _label(record: AlignRecord) -> str:
    return record.label or (record.text[:20] + "…" if len(record.text) > 20 else record.text)


def _why(score: _Score, unit_basis: UnitBasis) -> str:
    named = (("text", score.text), ("label", score.label), ("headings", score.headings),
             (f"{unit_basis}s", score.units))
    return ", ".join(f"{name} " + ("n/a" if x is None else f"{x:.3f}") for name, x in named)


def align(subjects: Sequence[AlignRecord], objects: Sequence[AlignRecord], *, threshold: float = 0.3,
          cardinality: Cardinality = "1:1", unit_basis: UnitBasis = "function", weights: Weights = Weights(),
          mapping_date: str | None = None) -> tuple[MappingRow, ...]:
    """One SSSOM row per subject: its proposed object, or ``sssom:NoTermFound`` below ``threshold``.

    Rows come in the order of ``subjects``; ``confidence`` and ``similarity_score`` are the pair's score (for a
    "no match" row, 1 minus the best score seen). The comment gives each similarity and the runner-up.
    Raises :class:`InputError` for a threshold outside [0, 1], an unknown mode or an id used twice on one side.

    >>> a = [AlignRecord("a:1", "人力资源领域", "加强人力资源市场管理")]
    >>> b = [AlignRecord("b:9", "人力资源领域", "加强人力资源市场管理，规范求职"), AlignRecord("b:7", "网络空间")]
    >>> rows = align(a, b)
    >>> rows[0].subject_id, rows[0].object_id, len(rows)
    ('a:1', 'b:9', 1)
    """
    if not 0.0 <= threshold <= 1.0:
        raise InputError(f"threshold {threshold} is outside [0, 1]")
    if cardinality not in ("1:1", "n:1"):
        raise InputError(f"unknown cardinality '{cardinality}'; use 1:1 or n:1")
    if unit_basis not in ("function", "unit", "none"):
        raise InputError(f"unknown unit basis '{unit_basis}'; use function, unit or none")
    for side, records in (("subject", subjects), ("object", objects)):
        seen = Counter(r.id for r in records)
        twice = sorted(k for k, n in seen.items() if n > 1)
        if twice:
            raise InputError(f"{side} id(s) used twice: {', '.join(twice)}")
    table = _scores(subjects, objects, unit_basis, weights) if subjects and objects else []
    chosen: dict[int, int] = {}
    if cardinality == "1:1":
        pairs = sorted(((table[i][j].total, i, j) for i in range(len(subjects)) for j in range(len(objects))),
                       key=lambda p: (-p[0], p[1], p[2]))
        taken: set[int] = set()
        for total, i, j in pairs:
            if total < threshold:
                break
            if i not in chosen and j not in taken:
                chosen[i] = j
                taken.add(j)
    else:
        for i, row in enumerate(table):
            j = max(range(len(row)), key=lambda k: (row[k].total, -k))
            if row[j].total >= threshold:
                chosen[i] = j
    rows = []
    for i, s in enumerate(subjects):
        ranked = sorted(range(len(objects)), key=lambda k: (-table[i][k].total, k))
        if i in chosen:
            j = chosen[i]
            sc = table[i][j]
            other = next((k for k in ranked if k != j), None)
            runner = f"; runner-up {objects[other].id} {table[i][other].total:.3f}" if other is not None else ""
            rows.append(MappingRow(subject_id=s.id, subject_label=_label(s), predicate_id=PREDICATE,
                                   object_id=objects[j].id, object_label=_label(objects[j]),
                                   mapping_justification="semapv:LexicalMatching",
                                   confidence=round(sc.total, 3), similarity_score=round(sc.total, 3),
                                   similarity_measure=MEASURE, mapping_date=mapping_date,
                                   comment=f"proposed: {_why(sc, unit_basis)}{runner}"))
            continue
        if ranked:
            best = ranked[0]
            sc = table[i][best]
            note = (f"best candidate {objects[best].id} {sc.total:.3f} ({_why(sc, unit_basis)})"
                    + (" is below the threshold" if sc.total < threshold else " was taken by a better pair"))
            confidence = round(1 - sc.total, 3)
        else:
            note, confidence = "no candidates", 1.0
        rows.append(MappingRow(subject_id=s.id, subject_label=_label(s), predicate_id=PREDICATE,
                               object_id=NO_TERM_FOUND, mapping_justification="semapv:LexicalMatching",
                               confidence=confidence, mapping_date=mapping_date,
                               comment=f"no match at threshold {threshold}: {note}"))
    return tuple(rows)


def as_mapping_set(rows: Iterable[MappingRow], *, mapping_set_id: str, curie_map: dict[str, str],
                   license: str = "https://spdx.org/licenses/MIT.html", title: str | None = None) -> MappingSet:
    """The aligner's rows as a mapping set that :func:`~antitraffick_kg.link.mappings.write_sssom` can write."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        tool_version = version("antitraffick-kg")
    except PackageNotFoundError:
        tool_version = None
    return MappingSet(mapping_set_id=mapping_set_id, license=license, curie_map=dict(curie_map),
                      rows=tuple(rows), mapping_set_title=title, mapping_tool="antitraffick-kg align",
                      mapping_tool_version=tool_version)


@dataclass(frozen=True)
class Evaluation:
    """Proposed pairs against true pairs ("no match" rows count on neither side)."""

    true_positives: int
    proposed: int
    expected: int

    @property
    def precision(self) -> float:
        return self.true_positives / self.proposed if self.proposed else 1.0

    @property
    def recall(self) -> float:
        return self.true_positives / self.expected if self.expected else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


def evaluate(proposed: Iterable[MappingRow], truth: Iterable[MappingRow]) -> Evaluation:
    """Precision and recall of ``proposed`` (subject, object) pairs against ``truth``.

    >>> t = [MappingRow("a:1", "skos:exactMatch", "b:1", "semapv:ManualMappingCuration")]
    >>> evaluate(t, t).f1
    1.0
    """
    def pairs(rows: Iterable[MappingRow]) -> set[tuple[str, str]]:
        return {(r.subject_id, r.object_id) for r in rows
                if NO_TERM_FOUND not in (r.subject_id, r.object_id)}

    got, want = pairs(proposed), pairs(truth)
    return Evaluation(len(got & want), len(got), len(want))


# ------------------------------------------------------------------------------------------- adapters

_NUMBER = re.compile(r"^\s*(?:[一二三四五六七八九十]+\s*、|[（(]\s*[一二三四五六七八九十]+\s*[)）]|\d+\s*[.．、])\s*")
_SECTION = re.compile(r"^[一二三四五六七八九十]+\s*、?")
_UNITS_CLAUSE = re.compile(r"[（(][^（()）]*(?:负责|配合)[^（()）]*[)）]\s*$")


def _strip_number(text: str, *, heading: bool = False) -> str:
    text = _NUMBER.sub("", _DROP.sub("", text))
    return _SECTION.sub("", text) if heading else text


def records_from_plan(plan: "ParsedPlan", *, prefix: str,
                      part: Literal["narrative", "table"] = "narrative") -> list[AlignRecord]:
    """The tasks of an imported plan, as one part states them, with ids ``<prefix>:<notation>``.

    Numbering is removed from the text and the headings, and the narrative's closing "(… 负责，… 配合)" clause
    (its units, which go to ``units``); the table's headings are the section cells of its own rows, carried
    down the rows that leave them empty. Tasks the part does not state are left out. ``functions`` stay empty
    until units carry function ids.
    """
    records = []
    section = subsection = ""
    tasks = sorted((t for t in plan.tasks.values() if part in t.statements),
                   key=lambda t: t.statements[part].span.start)
    for task in tasks:
        span = task.statements[part].span
        body = _UNITS_CLAUSE.sub("", _strip_number(plan.quote(span)))
        label, dot, rest = body.partition("。")
        if not dot or len(label) > 16 or "，" in label:
            label, rest = "", body
        if part == "narrative":
            headings, area = [], plan.areas.get(task.area)
            while area is not None:
                headings.insert(0, area.title)
                area = plan.areas.get(area.parent) if area.parent else None
        else:
            line_start = plan.text.rfind("\n", 0, span.start) + 1
            for cell in filter(None, (c.strip() for c in plan.text[line_start:span.start].split("\t"))):
                if _SECTION.match(cell) and _strip_number(cell, heading=True) != section:
                    section, subsection = _strip_number(cell, heading=True), ""
                elif not _SECTION.match(cell):
                    subsection = _strip_number(cell, heading=True)
            headings = [h for h in (section, subsection) if h]
        units = frozenset(m.unit.id for m in task.mentions if m.part == part)
        records.append(AlignRecord(id=f"{prefix}:{task.notation}", label=label, text=rest,
                                   headings=tuple(headings), units=units))
    return records


def records_from_measures(path: str | Path, *, prefix: str) -> list[AlignRecord]:
    """The measures of a reference extract (``data/reference/<plan>/measures.csv``), ids ``<prefix>:<id>``.

    Reads ``id`` and ``topic_zh``, the heading from ``chapter_title_zh`` or ``part_title_zh``, and units from
    ``lead_units`` and ``support_units`` (``;``-separated). Raises :class:`InputError` for a missing file or column.
    """
    path = Path(path)
    try:
        with path.open(encoding="utf-8", newline="") as f:
            reader = csv.DictReader(f)
            heading = next((c for c in ("chapter_title_zh", "part_title_zh") if c in (reader.fieldnames or [])), None)
            if not {"id", "topic_zh"} <= set(reader.fieldnames or []) or heading is None:
                raise InputError("needs the columns id, topic_zh and chapter_title_zh or part_title_zh",
                                 path=str(path), line=1)
            rows = list(reader)
    except FileNotFoundError:
        raise InputError("file not found", path=str(path)) from None
    return [AlignRecord(id=f"{prefix}:{row['id']}", label=row["topic_zh"], text="",
                        headings=(row[heading],) if row[heading] else (),
                        units=frozenset(u for c in ("lead_units", "support_units")
                                        for u in (row.get(c) or "").split(";") if u))
            for row in rows]
