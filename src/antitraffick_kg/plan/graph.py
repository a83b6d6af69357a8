"""Turn an imported plan into RDF: one named graph per plan, the ontology and the shared concept schemes in theirs.

Every task, assignment, milestone, progress entry, tag, membership and finding
points with ``atk:evidence`` at an ``oa:SpecificResource`` whose selectors
give the character offsets into the source file and the exact quote.
"""

from __future__ import annotations

from rdflib import Dataset, Graph, Literal, URIRef

from ..iris import ONTOLOGY_GRAPH as IRI_ONTOLOGY_GRAPH
from ..iris import VOCABULARY_GRAPH as IRI_VOCABULARY_GRAPH
from ..iris import graph_iri as iri_graph_iri
from ..iris import plan_iri as iri_plan_iri
from .functions import FUNCTION_BASE
from .model import ParsedPlan, Span
from ..namespaces import ATK, DCTERMS, ELI, ID, OA, ORG, PREFIXES, RDF, RDFS, SKOS, TIME, XSD
from .planinfo import upper_documents
from .registry import KINDS, Unit
from ..resources import data_path, ontology_path

__all__ = ["plan_graph", "plan_dataset", "ontology_graph", "vocabulary_graph", "graph_iri", "ONTOLOGY_GRAPH",
           "VOCABULARY_GRAPH", "task_iri",
           "unit_iri", "plan_iri"]

ONTOLOGY_GRAPH = URIRef(IRI_ONTOLOGY_GRAPH)
VOCABULARY_GRAPH = URIRef(IRI_VOCABULARY_GRAPH)
_BASIS = {"stated": ATK.statedYear, "after-preceding": ATK.afterPrecedingEntries, "plan-start": ATK.planStart}
_MILESTONE_CLASS = {"deadline": ATK.Deadline, "ongoing": ATK.OngoingSpan, "recurring": ATK.RecurringDuty}
_CONCERNS = {"place": ATK.concernsPlace, "target-group": ATK.concernsTargetGroup, "sector": ATK.concernsSector}


def plan_iri(plan_id: str) -> URIRef:
    return URIRef(iri_plan_iri(plan_id))


def graph_iri(plan_id: str) -> URIRef:
    return URIRef(iri_graph_iri(plan_id))


def task_iri(plan_id: str, notation: str) -> URIRef:
    return ID[f"plan/{plan_id}/task/{notation}"]


def unit_iri(unit: Unit) -> URIRef:
    return ID[f"unit/{unit.jurisdiction}/{unit.id}"]


def _int(value: int) -> Literal:
    return Literal(value, datatype=XSD.integer)


class _Builder:
    def __init__(self, plan: ParsedPlan, upper_documents: dict[str, str]) -> None:
        self.plan = plan
        self.upper_documents = upper_documents
        self.g = Graph()
        for prefix, ns in PREFIXES.items():
            self.g.bind(prefix, ns)
        self.base = f"plan/{plan.plan_id}"
        self.source = ID[f"{self.base}/source"]
        self.parts = {"narrative": ID[f"{self.base}/narrative"], "table": ID[f"{self.base}/table"]}

    def add(self, s, p, o) -> None:
        self.g.add((s, p, o))

    def evidence(self, node: URIRef, span: Span) -> None:
        """Attach the passage ``span`` as evidence of ``node``."""
        text = self.plan.text
        ref = ID[f"{self.base}/text/{span.start}-{span.end}"]
        self.add(node, ATK.evidence, ref)
        if (ref, RDF.type, OA.SpecificResource) in self.g:
            return
        quote, position = URIRef(f"{ref}/quote"), URIRef(f"{ref}/position")
        self.add(ref, RDF.type, OA.SpecificResource)
        self.add(ref, OA.hasSource, self.source)
        self.add(ref, OA.hasSelector, quote)
        self.add(ref, OA.hasSelector, position)
        line = self.plan.line_of(span.start)
        self.add(ref, ATK.line, _int(line))
        if (origin := self.plan.origins.get(line)) is not None:     # read from a Word file, PDF, scan, web page
            column = span.start - (text.rfind("\n", 0, span.start) + 1)
            self.add(ref, ATK.originalPlace, Literal(origin.at(column)))
            if origin.page is not None:
                self.add(ref, ATK.originalPage, _int(origin.page))
        self.add(quote, RDF.type, OA.TextQuoteSelector)
        self.add(quote, OA.exact, Literal(text[span.start:span.end]))
        self.add(position, RDF.type, OA.TextPositionSelector)
        self.add(position, OA.start, Literal(span.start, datatype=XSD.nonNegativeInteger))
        self.add(position, OA.end, Literal(span.end, datatype=XSD.nonNegativeInteger))

    # -- document ---------------------------------------------------------
    def document(self) -> None:
        p, plan = self.plan, plan_iri(self.plan.plan_id)
        info = p.info
        self.add(plan, RDF.type, ATK.PlanDocument)
        number = p.doc_number[0] if p.doc_number else info.number if info else None
        if number:
            self.add(plan, DCTERMS.identifier, Literal(number))
            self.add(plan, ELI.id_local, Literal(number))
            if p.doc_number:
                self.evidence(plan, p.doc_number[1])
        title = p.title[0] if p.title else info.title if info else None
        if title:
            self.add(plan, DCTERMS.title, Literal(title, lang="zh"))
            self.add(plan, RDFS.label, Literal(title, lang="zh"))
            if p.title:
                self.evidence(plan, p.title[1])
        if info and info.title_en:
            self.add(plan, RDFS.label, Literal(info.title_en, lang="en"))
        if info and info.issued:
            self.add(plan, DCTERMS.issued, Literal(info.issued, datatype=XSD.date))
        if info:
            self.add(plan, ATK.level, Literal(info.level))
            self.add(plan, ATK.jurisdiction, Literal(info.jurisdiction))
        if p.issuer:
            self.add(plan, DCTERMS.publisher, unit_iri(p.issuer[0]))
            if p.issuer[1] is not None:
                self.evidence(plan, p.issuer[1])
        if p.period:
            period = ID[f"{self.base}/period"]
            self.add(plan, ATK.period, period)
            self.add(period, RDF.type, TIME.ProperInterval)
            self.add(period, ATK.fromYear, _int(p.period[0]))
            self.add(period, ATK.untilYear, _int(p.period[1]))
            if p.period[2] is not None:
                self.evidence(period, p.period[2])
        self.implements(plan)
        self.add(plan, ATK.sourceText, self.source)
        self.add(self.source, RDF.type, ATK.SourceText)
        self.add(self.source, DCTERMS.identifier, Literal(p.source_path))
        self.add(self.source, ATK.sha256, Literal(p.sha256))
        if p.converted_from:
            self.add(self.source, ATK.convertedFrom, Literal(p.converted_from))
        for part, node in self.parts.items():
            if part == "table" and p.table_title is None and not p.table_rows or \
                    part == "narrative" and not any("narrative" in t.statements for t in p.tasks.values()):
                continue                 # a narrative-only plan has no annual table, a table alone no narrative
            title = {"narrative": p.scheme_title, "table": p.table_title}[part]
            self.add(plan, ELI.has_part, node)
            self.add(node, ELI.is_part_of, plan)
            self.add(node, RDF.type, ATK.NarrativeScheme if part == "narrative" else ATK.AnnualTable)
            self.add(node, RDFS.label, Literal({"narrative": "实施方案", "table": "年度实施方案"}[part], lang="zh"))
            self.add(node, RDFS.label, Literal({"narrative": "narrative scheme",
                                                "table": "annual implementation table"}[part], lang="en"))
            if title:
                self.add(node, DCTERMS.title, Literal(title[0], lang="zh"))
                self.evidence(node, title[1])

    def implements(self, plan: URIRef) -> None:
        """The documents plan.toml says the plan implements, with the text's citation as evidence."""
        p = self.plan
        cited = p.implements    # (doc number, title, span) as the text cites it
        for upper_id in (p.info.implements if p.info else ()):
            number = self.upper_documents.get(upper_id)
            upper = plan_iri(upper_id)
            self.add(plan, ELI.implements, upper)
            self.add(upper, RDF.type, ATK.PlanDocument)
            if cited and cited[0] == number:
                self.add(upper, DCTERMS.identifier, Literal(number))
                self.add(upper, DCTERMS.title, Literal(cited[1], lang="zh"))
                self.evidence(upper, cited[2])

    # -- units and the joint meeting ----------------------------------------
    def units(self) -> None:
        p = self.plan
        for unit in sorted(p.registry, key=lambda u: u.id):
            node = unit_iri(unit)
            self.add(node, RDF.type, ATK.Unit)
            self.add(node, RDF.type, ATK[KINDS[unit.kind]])
            self.add(node, RDFS.label, Literal(unit.short_name, lang="zh"))
            if unit.name_en:
                self.add(node, RDFS.label, Literal(unit.name_en, lang="en"))
            self.add(node, SKOS.prefLabel, Literal(unit.short_name, lang="zh"))
            for variant in unit.variants:
                self.add(node, SKOS.altLabel, Literal(variant, lang="zh"))
            self.add(node, ATK.shortName, Literal(unit.short_name))
            if unit.full_name:
                self.add(node, ATK.fullName, Literal(unit.full_name, lang="zh"))
            if unit.function:
                self.add(node, ATK.unitFunction, URIRef(FUNCTION_BASE + unit.function))
            self.add(node, ORG.identifier, Literal(unit.id))
            self.add(node, ATK.jurisdiction, Literal(unit.jurisdiction))
        meeting = next((u for u in p.registry if u.kind == "joint-meeting"), None)
        if meeting is None:
            return
        for m in p.members:
            membership = ID[f"{self.base}/membership/{m.unit.id}"]
            self.add(unit_iri(meeting), ORG.hasMember, unit_iri(m.unit))
            self.add(membership, RDF.type, ORG.Membership)
            self.add(membership, ORG.member, unit_iri(m.unit))
            self.add(membership, ORG.organization, unit_iri(meeting))
            self.add(membership, ATK.position, _int(m.position))
            self.evidence(membership, m.span)
            for collective in p.registry:
                if collective.kind == "collective-body":
                    self.add(unit_iri(collective), ATK.comprises, unit_iri(m.unit))
        for collective in p.registry:
            if collective.kind == "collective-body":
                self.add(unit_iri(collective), ATK.collectiveOf, unit_iri(meeting))
        if p.office:
            office, host, span = p.office
            self.add(unit_iri(office), ATK.housedIn, unit_iri(host))
            self.add(unit_iri(office), ORG.subOrganizationOf, unit_iri(meeting))
            self.evidence(unit_iri(office), span)

    # -- policy areas and tasks -------------------------------------------
    def areas(self) -> None:
        scheme = ID[f"{self.base}/areas"]
        self.add(scheme, RDF.type, SKOS.ConceptScheme)
        self.add(scheme, RDFS.label, Literal("政策领域", lang="zh"))
        self.add(scheme, RDFS.label, Literal("policy areas", lang="en"))
        for area in self.plan.areas.values():
            node = ID[f"{self.base}/area/{area.notation}"]
            self.add(node, RDF.type, ATK.PolicyArea)
            self.add(node, RDF.type, SKOS.Concept)
            self.add(node, SKOS.inScheme, scheme)
            self.add(node, SKOS.notation, Literal(area.notation))
            self.add(node, SKOS.prefLabel, Literal(area.title, lang="zh"))
            self.add(node, RDFS.label, Literal(area.title, lang="zh"))
            self.add(node, ATK.narrativeNumber, Literal(area.written))
            self.add(node, ATK.plan, plan_iri(self.plan.plan_id))
            if area.parent:
                self.add(node, SKOS.broader, ID[f"{self.base}/area/{area.parent}"])
            else:
                self.add(node, SKOS.topConceptOf, scheme)
            self.evidence(node, area.span)

    def tasks(self) -> None:
        p = self.plan
        for task in p.tasks.values():
            node = task_iri(p.plan_id, task.notation)
            self.add(node, RDF.type, ATK.Task)
            self.add(node, SKOS.notation, Literal(task.notation))
            self.add(node, DCTERMS.title, Literal(task.title, lang="zh"))
            self.add(node, RDFS.label, Literal(task.title, lang="zh"))
            self.add(node, ATK.plan, plan_iri(p.plan_id))
            if task.area:
                self.add(node, ATK.policyArea, ID[f"{self.base}/area/{task.area}"])
            if task.narrative_number:
                self.add(node, ATK.narrativeNumber, Literal(task.narrative_number))
            if task.table_number:
                self.add(node, ATK.tableNumber, Literal(task.table_number))
            if task.target_year is not None:
                self.add(node, ATK.targetYear, _int(task.target_year))
            for part, statement in task.statements.items():
                s = URIRef(f"{node}/statement/{part}")
                self.add(node, ATK.statement, s)
                self.add(s, RDF.type, ATK.TaskStatement)
                self.add(s, ATK.statedIn, self.parts[part])
                self.evidence(s, statement.span)
                if part == "narrative" or "narrative" not in task.statements:    # (a table read alone)
                    self.evidence(node, statement.span)
            for m in task.mentions:
                a = URIRef(f"{node}/assignment/{m.part}/{m.role}/{m.unit.id}")
                self.add(node, ATK.hasAssignment, a)
                self.add(a, RDF.type, ATK.Assignment)
                self.add(a, ATK.task, node)
                self.add(a, ATK.unit, unit_iri(m.unit))
                self.add(a, ATK.role, ATK.lead if m.role == "lead" else ATK.support)
                self.add(a, ATK.statedIn, self.parts[m.part])
                self.add(a, ATK.nameAsWritten, Literal(m.written))
                if (a, ATK.position, None) not in self.g:
                    self.add(a, ATK.position, _int(m.position))
                self.evidence(a, m.span)
                self.add(node, ATK.ledBy if m.role == "lead" else ATK.supportedBy, unit_iri(m.unit))
            for i, cell in enumerate(task.progress, start=1):
                e = URIRef(f"{node}/progress/{i}")
                self.add(node, ATK.hasProgressEntry, e)
                self.add(e, RDF.type, ATK.ProgressEntry)
                self.add(e, ATK.columnYear, _int(cell.column_year))
                self.add(e, ATK.position, _int(cell.position))
                self.add(e, ATK.statedIn, self.parts["table"])
                self.evidence(e, cell.span)
            for i, ms in enumerate(task.milestones, start=1):
                e = URIRef(f"{node}/milestone/{i}")
                self.add(node, ATK.hasMilestone, e)
                self.add(e, RDF.type, _MILESTONE_CLASS[ms.kind])
                self.add(e, ATK.year, _int(ms.year))
                if ms.until is not None:
                    self.add(e, ATK.untilYear, _int(ms.until))
                if ms.month is not None:
                    self.add(e, ATK.month, _int(ms.month))
                self.add(e, ATK.yearBasis, _BASIS[ms.basis])
                if ms.recurrence:
                    self.add(e, ATK.recurrence, Literal(ms.recurrence, lang="zh"))
                self.add(e, ATK.statedIn, self.parts[ms.part])
                self.evidence(e, ms.span)
            for c in task.concepts:
                concept = URIRef(c.concept)
                e = URIRef(f"{node}/mention/{c.part}/{c.concept.rsplit('/', 1)[-1]}")
                self.add(node, _CONCERNS[c.scheme], concept)
                self.add(node, ATK.hasMention, e)
                self.add(e, RDF.type, ATK.Mention)
                self.add(e, ATK.task, node)
                self.add(e, ATK.concept, concept)
                self.add(e, ATK.statedIn, self.parts[c.part])
                self.evidence(e, c.span)

    def findings(self) -> None:
        p = self.plan
        for i, f in enumerate(sorted(p.findings, key=lambda f: (f.line, f.kind, f.message)), start=1):
            node = ID[f"{self.base}/finding/{i}"]
            cls = {"numbering": ATK.NumberingAnomaly, "correction": ATK.Correction,
                   "cut-clause": ATK.CutClause, "cut-text": ATK.CutText}.get(f.kind, ATK.Finding)
            self.add(node, RDF.type, cls)
            self.add(node, RDFS.comment, Literal(f.message, lang="en"))
            self.add(node, ATK.line, _int(f.line))
            self.add(node, ATK.plan, plan_iri(p.plan_id))
            if f.task and f.task in p.tasks:
                self.add(task_iri(p.plan_id, f.task), ATK.finding, node)
            if f.span:
                self.evidence(node, f.span)


def plan_graph(plan: ParsedPlan) -> Graph:
    """The plan as an rdflib Graph: document, units, areas, tasks, timelines, tags and findings.  The concepts
    its tags and units point at are in :func:`vocabulary_graph`, shared by every plan."""
    b = _Builder(plan, upper_documents())
    b.document()
    b.units()
    b.areas()
    b.tasks()
    b.findings()
    return b.g


def vocabulary_graph() -> Graph:
    """The concept schemes of places, target groups, sectors (``data/concepts.ttl``) and unit functions
    (``data/unit-functions.ttl``), which every plan's tags and units point at."""
    g = Graph()
    g.parse(str(data_path("concepts.ttl")), format="turtle")
    g.parse(str(data_path("unit-functions.ttl")), format="turtle")
    return g


def ontology_graph() -> Graph:
    return Graph().parse(str(ontology_path()), format="turtle")


def plan_dataset(plan: ParsedPlan, *, extra: dict[URIRef, Graph] | None = None) -> Dataset:
    """A Dataset with the ontology, the shared concept schemes and the plan, each in its own named graph."""
    ds = Dataset(default_union=True)
    for prefix, ns in PREFIXES.items():
        ds.bind(prefix, ns)
    for name, graph in [(ONTOLOGY_GRAPH, ontology_graph()), (VOCABULARY_GRAPH, vocabulary_graph()),
                        (graph_iri(plan.plan_id), plan_graph(plan)),
                        *sorted((extra or {}).items())]:
        target = ds.graph(name)
        for triple in graph:
            target.add(triple)
    return ds
