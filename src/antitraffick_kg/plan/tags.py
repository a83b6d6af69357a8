"""Tag tasks with the scope concepts their own words name.

A concept is named when one of its ``atk:matchTerm`` words stands in the
task's text (narrative item, table task cell or progress cells), outside the
unit lists.  Longer terms win over shorter ones they overlap, so 农村青年妇女
tags the group, not also 农村 and 妇女; an ``atk:notMatchTerm`` (社区矫正) is such a
longer term that tags nothing.  The first place per task, concept and
part is kept as evidence.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .model import ConceptMention, ParsedPlan, Span, Task

__all__ = ["ConceptIndex", "load_concepts", "tag_task"]

_SCHEMES = {"places": "place", "target-groups": "target-group", "sectors": "sector", "settings": "sector"}


@dataclass(frozen=True)
class ConceptIndex:
    terms: tuple[tuple[str, str, str], ...]     # (term, concept IRI, scheme kind), longest first


def load_concepts(path: str | Path) -> ConceptIndex:
    from rdflib import Graph, URIRef

    from ..namespaces import ATK, SKOS

    graph = Graph().parse(str(path), format="turtle")
    terms = []
    for concept, term in graph.subject_objects(ATK.matchTerm):
        scheme = graph.value(concept, SKOS.inScheme)
        kind = _SCHEMES.get(str(scheme).rstrip("/").rsplit("/", 1)[-1]) if isinstance(scheme, URIRef) else None
        if kind is None:
            continue
        terms.append((str(term), str(concept), kind))
    for concept, term in graph.subject_objects(ATK.notMatchTerm):
        terms.append((str(term), "", "excluded"))      # claims its words, names nothing (社区矫正)
    terms.sort(key=lambda t: (-len(t[0]), t[0], t[1]))
    return ConceptIndex(tuple(terms))


def _segments(plan: ParsedPlan, task: Task):
    for part, statement in sorted(task.statements.items()):
        yield part, statement.span
        if part == "table":
            for cell in task.progress:
                yield part, cell.span


def tag_task(plan: ParsedPlan, task: Task, index: ConceptIndex) -> None:
    masked = [m.span for m in task.mentions]
    seen: dict[tuple[str, str], ConceptMention] = {}
    for part, span in _segments(plan, task):
        text = plan.text[span.start:span.end]
        claimed: list[tuple[Span, str]] = [(s, "") for s in masked if span.start <= s.start < span.end]
        for term, concept, kind in index.terms:
            start = text.find(term)
            while start >= 0:
                hit = Span(span.start + start, span.start + start + len(term))
                clash = any(h.start < hit.end and hit.start < h.end and t != term for h, t in claimed)
                if not clash:
                    claimed.append((hit, term))
                if not clash and concept:
                    first = seen.get((concept, part))
                    if first is None or hit < first.span:     # keep the first place in the text
                        seen[(concept, part)] = ConceptMention(concept, kind, part, term, hit)
                start = text.find(term, start + len(term))
    task.concepts = sorted(seen.values(), key=lambda c: (c.concept, c.part, c.span))
