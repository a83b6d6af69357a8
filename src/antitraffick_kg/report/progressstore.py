"""The units' replies kept in the corpus store: the plan's progress graph, as the store's ``progress`` part.

:func:`add_progress` reads filled forms (:func:`~antitraffick_kg.report.formread.read_form`), all of them
before anything is written, and adds their reports to the plan's progress graph
(``…/id/graph/<plan>/progress``) as ``atk:ProgressReport`` activities (PROV): the unit that reported
(``prov:wasAssociatedWith``), the task and year, the status, the date and the reporter as the form gives
them, the words of what was done, and the form it came in (``dcterms:source``: a ``prov:Entity`` with the
file's name and SHA-256, attributed to the unit).  A report is named by what it says, so the same form added
twice adds nothing and leaves the store as it was (no new generation).  A later report on the same task, unit
and year supersedes the earlier one for every day from its date on (the ``latest-reports`` query; on one
date the report added later wins, by ``atk:position``); both stay in the graph, the history.  The part
survives a rebuild of the plan (it is its own part of the store) and is written as one new generation,
switched to atomically, under the store's write lock.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from ..errors import InputError
from ..namespaces import BASE
from ..resources import DEFAULT_PLAN
from ..store.corpus import PROGRESS, Corpus, PlanPart, rewrite_part
from .formread import FilledForm, read_form
from .progress import PlanFacts, ProgressRow, STATUSES, progress_graph_iri

__all__ = ["AddResult", "add_progress", "report_quads"]

_ATK = BASE + "ontology#"
_PROV = "http://www.w3.org/ns/prov#"
_DCT = "http://purl.org/dc/terms/"
_XSD = "http://www.w3.org/2001/XMLSchema#"
_RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
_POSITION = ox.NamedNode(_ATK + "position")


@dataclass(frozen=True)
class AddResult:
    """What :func:`add_progress` did: the forms read, the reports they hold, how many were new, and the new
    generation of the store (None when nothing changed)."""

    forms: tuple[FilledForm, ...]
    reports: int
    added: int
    generation: Path | None

    def summary(self) -> str:
        read = f"{len(self.forms)} form(s), {self.reports} report(s)"
        if self.generation is None:
            return f"{read}: nothing new, the store is unchanged"
        return f"{read}: {self.added} added, {self.reports - self.added} already in the store"


def _report_iri(plan: str, row: ProgressRow) -> str:
    key = "\x1f".join((row.task, row.unit_iri, str(row.year), row.status, row.note, row.report_date.isoformat(),
                       row.reporter))
    return f"{BASE}id/plan/{plan}/progress/report/{hashlib.sha256(key.encode('utf-8')).hexdigest()[:24]}"


def report_quads(form: FilledForm, row: ProgressRow, *, position: int) -> list[ox.Quad]:
    """One report of ``form`` as quads of the plan's progress graph, at ``position`` in the order added."""
    graph = ox.NamedNode(progress_graph_iri(form.plan))
    node = ox.NamedNode(_report_iri(form.plan, row))
    source = ox.NamedNode(f"{BASE}id/plan/{form.plan}/progress/form/{form.sha256[:24]}")
    quads = [ox.Quad(node, _RDF_TYPE, ox.NamedNode(_ATK + "ProgressReport"), graph)]

    def add(subject, predicate: str, obj) -> None:
        quads.append(ox.Quad(subject, ox.NamedNode(predicate), obj, graph))

    add(node, _ATK + "reportsOn", ox.NamedNode(f"{BASE}id/plan/{form.plan}/task/{row.task}"))
    add(node, _PROV + "wasAssociatedWith", ox.NamedNode(row.unit_iri))
    add(node, _ATK + "reportYear", ox.Literal(str(row.year), datatype=ox.NamedNode(_XSD + "integer")))
    add(node, _ATK + "reportedStatus", ox.NamedNode(_ATK + STATUSES[row.status]))
    add(node, _DCT + "date", ox.Literal(row.report_date.isoformat(), datatype=ox.NamedNode(_XSD + "date")))
    add(node, _ATK + "position", ox.Literal(str(position), datatype=ox.NamedNode(_XSD + "integer")))
    add(node, _DCT + "source", source)
    if row.reporter:
        add(node, _ATK + "reporter", ox.Literal(row.reporter))
    if row.note:
        add(node, "http://www.w3.org/2000/01/rdf-schema#comment", ox.Literal(row.note, language="zh"))
    add(source, str(_RDF_TYPE.value), ox.NamedNode(_PROV + "Entity"))
    add(source, _DCT + "title", ox.Literal(Path(form.path).name))
    add(source, _ATK + "sha256", ox.Literal(form.sha256))
    add(source, _PROV + "wasAttributedTo", ox.NamedNode(form.unit_iri))
    return quads


def _canonical(quads) -> bytes:
    lines = ox.serialize(quads, format=ox.RdfFormat.N_QUADS).splitlines(keepends=True)
    return b"".join(sorted(set(line for line in lines if line.strip())))


def add_progress(paths: Sequence[str | Path], *, store_dir: str | Path, plan: str = DEFAULT_PLAN,
                 unit: str | None = None, year: int | None = None) -> AddResult:
    """Add the reports of the filled forms ``paths`` to ``plan``'s progress graph in the corpus store at
    ``store_dir`` (see the module documentation).

    Every form is read and checked first (and must be for ``unit`` and ``year`` when given); the first fault
    raises :class:`InputError` naming file, sheet and row, and nothing is stored.  Raises
    :class:`InputError` when there is no corpus store or the plan is not in it.
    """
    if not paths:
        raise InputError("no form given; name the filled forms to add")
    corpus = Corpus.open(store_dir)
    from .progress import open_plan_store

    facts = PlanFacts(open_plan_store(plan=plan, corpus=corpus), plan)
    forms = tuple(read_form(p, facts=facts, unit=unit, year=year) for p in paths)
    seen: dict[str, str] = {}
    for form in forms:
        if form.sha256 in seen:
            raise InputError(f"is the same file as {seen[form.sha256]}", path=form.path)
        seen[form.sha256] = form.path
    del corpus, facts
    counted = {"added": 0}

    def change(old: bytes | None) -> PlanPart | None:
        have = list(ox.parse(old, format=ox.RdfFormat.N_QUADS)) if old else []
        subjects = {q.subject.value for q in have}
        position = max((int(q.object.value) for q in have if q.predicate == _POSITION), default=0)
        new = []
        for form in forms:
            for row in form.rows:
                if _report_iri(plan, row) in subjects:
                    continue
                position += 1
                quads = report_quads(form, row, position=position)
                subjects.add(quads[0].subject.value)
                new.extend(quads)
        counted["added"] = sum(1 for q in new if q.predicate == _POSITION)
        if not new:
            return None
        data = _canonical(have + new)
        return PlanPart(plan, PROGRESS, hashlib.sha256(data).hexdigest(), nquads=data)

    generation = rewrite_part(store_dir, plan=plan, kind=PROGRESS, change=change)
    return AddResult(forms, sum(len(f.rows) for f in forms), counted["added"], generation)
