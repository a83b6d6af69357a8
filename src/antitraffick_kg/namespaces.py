"""Namespaces: our closed ontology namespace and the W3C vocabularies we reuse.

``ATK`` is closed: a misspelt term raises at once.  A test checks that it
lists exactly the terms ``ontology/antitraffick.ttl`` defines.
"""

from __future__ import annotations

from rdflib import Namespace, URIRef
from rdflib.namespace import DCTERMS, OWL, PROV, RDF, RDFS, SKOS, TIME, XSD, DefinedNamespace, ORG

from .iris import BASE

__all__ = ["ATK", "BASE", "OA", "ELI", "ORG", "PROV", "SKOS", "TIME", "DCTERMS", "RDF", "RDFS", "OWL",
           "XSD", "ID", "PREFIXES"]

ID = Namespace(BASE + "id/")
OA = Namespace("http://www.w3.org/ns/oa#")
ELI = Namespace("http://data.europa.eu/eli/ontology#")


class ATK(DefinedNamespace):
    """The antitraffick-kg ontology."""

    _NS = Namespace(BASE + "ontology#")
    _fail = True

    # classes
    PlanDocument: URIRef
    PlanPart: URIRef
    NarrativeScheme: URIRef
    AnnualTable: URIRef
    SourceText: URIRef
    PolicyArea: URIRef
    Task: URIRef
    Unit: URIRef
    UnitFunction: URIRef
    PartyOrgan: URIRef
    LegislativeBody: URIRef
    PeoplesGovernment: URIRef
    GovernmentDepartment: URIRef
    Court: URIRef
    Procuratorate: URIRef
    MassOrganisation: URIRef
    BorderPortBody: URIRef
    PublicEnterprise: URIRef
    CoordinationBody: URIRef
    CollectiveBody: URIRef
    JointMeeting: URIRef
    JointMeetingOffice: URIRef
    Role: URIRef
    Assignment: URIRef
    LeadAssignment: URIRef
    SupportAssignment: URIRef
    Milestone: URIRef
    Deadline: URIRef
    OngoingSpan: URIRef
    RecurringDuty: URIRef
    YearBasis: URIRef
    ProgressEntry: URIRef
    TaskStatement: URIRef
    Mention: URIRef
    Finding: URIRef
    NumberingAnomaly: URIRef
    Correction: URIRef
    CutClause: URIRef
    CutText: URIRef
    LeadUnit: URIRef
    SupportingUnit: URIRef
    SupportOnlyUnit: URIRef
    TaskWithDeadline: URIRef
    OngoingTask: URIRef
    CrossBorderTask: URIRef
    ProgressReport: URIRef
    ProgressStatus: URIRef
    Measure: URIRef
    MeasureAssignment: URIRef
    CounterpartUnit: URIRef
    Status: URIRef
    LinkBasis: URIRef
    # individuals
    lead: URIRef
    support: URIRef
    statedYear: URIRef
    afterPrecedingEntries: URIRef
    planStart: URIRef
    notStarted: URIRef
    inProgress: URIRef
    done: URIRef
    notApplicable: URIRef
    verified: URIRef
    inferred: URIRef
    unknown: URIRef
    sameFunction: URIRef
    crosswalkRow: URIRef
    noKnownCounterpart: URIRef
    # properties
    hasAssignment: URIRef
    task: URIRef
    unit: URIRef
    role: URIRef
    statedIn: URIRef
    nameAsWritten: URIRef
    involves: URIRef
    ledBy: URIRef
    supportedBy: URIRef
    leads: URIRef
    supports: URIRef
    comprises: URIRef
    collectiveOf: URIRef
    housedIn: URIRef
    shortName: URIRef
    jurisdiction: URIRef
    level: URIRef
    unitFunction: URIRef
    typicalKind: URIRef
    nationalName: URIRef
    provinceName: URIRef
    prefectureName: URIRef
    cityName: URIRef
    countyName: URIRef
    nameEnding: URIRef
    hasMilestone: URIRef
    year: URIRef
    month: URIRef
    untilYear: URIRef
    yearBasis: URIRef
    recurrence: URIRef
    targetYear: URIRef
    hasProgressEntry: URIRef
    columnYear: URIRef
    position: URIRef
    period: URIRef
    fromYear: URIRef
    plan: URIRef
    policyArea: URIRef
    narrativeNumber: URIRef
    tableNumber: URIRef
    statement: URIRef
    concerns: URIRef
    concernsTargetGroup: URIRef
    concernsPlace: URIRef
    concernsSector: URIRef
    hasMention: URIRef
    concept: URIRef
    matchTerm: URIRef
    notMatchTerm: URIRef
    finding: URIRef
    evidence: URIRef
    sha256: URIRef
    line: URIRef
    fullName: URIRef
    sourceText: URIRef
    convertedFrom: URIRef
    originalPlace: URIRef
    originalPage: URIRef
    reportsOn: URIRef
    reportedStatus: URIRef
    reportYear: URIRef
    reporter: URIRef
    counterpartOf: URIRef
    status: URIRef
    basis: URIRef
    measureOf: URIRef
    hasMeasureAssignment: URIRef
    assignedUnit: URIRef
    assignedRole: URIRef
    unknownFact: URIRef
    confidence: URIRef
    reason: URIRef
    readFrom: URIRef
    textAvailable: URIRef
    counterpartName: URIRef
    atLevel: URIRef


PREFIXES: dict[str, str] = {
    "atk": str(ATK._NS),
    "id": str(ID),
    "rdf": str(RDF),
    "rdfs": str(RDFS),
    "owl": str(OWL),
    "xsd": str(XSD),
    "skos": str(SKOS),
    "org": str(ORG),
    "prov": str(PROV),
    "time": str(TIME),
    "dcterms": str(DCTERMS),
    "eli": str(ELI),
    "oa": str(OA),
}
