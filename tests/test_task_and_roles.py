"""`task` and `role-consistency` on small hand-made graphs whose rows are worked out by hand, on pyoxigraph and
rdflib: both queries are written for pyoxigraph's join order, and these graphs hold the cases such a rewrite
could get wrong (an evidence missing its line or quote, a second line, a node stated in two parts, a task with
a deadline outside its target year, a unit with no counterpart, a link through something that is not a
measure, a link that is not a mapping)."""

from __future__ import annotations

import pyoxigraph as ox
import pytest

from antitraffick_kg.ask.query import query
from antitraffick_kg.store.stores import OxigraphStore, RdflibStore

PREFIXES = """
@prefix atk: <https://w3id.org/antitraffick-kg/ontology#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix oa: <http://www.w3.org/ns/oa#> .
@prefix s: <https://w3id.org/antitraffick-kg/id/scheme/> .
@prefix x: <http://example.org/> .
"""

TASKS = PREFIXES + """
x:narrative a atk:NarrativeScheme ; rdfs:label "叙述"@zh .
x:table a atk:AnnualTable ; rdfs:label "表"@zh .
x:plan atk:period x:period .
x:period atk:untilYear 2030 .
x:area skos:notation "1" ; skos:prefLabel "领域" .

x:t1 a atk:Task ; skos:notation "1.1" ; dcterms:title "任务一" ; atk:plan x:plan ; atk:policyArea x:area ;
  atk:statement x:s1n, x:s1t ; atk:narrativeNumber "一(一)" ; atk:tableNumber "1" ; atk:hasAssignment x:a1 ;
  atk:hasMilestone x:m1, x:m2 ; atk:targetYear 2025 ; atk:finding x:f1 .
x:s1n atk:statedIn x:narrative ; atk:evidence x:e1 .
x:e1 atk:line 10 ; oa:hasSelector x:q1, x:pos1 .
x:q1 a oa:TextQuoteSelector ; oa:exact "一句" .
x:pos1 a oa:TextPositionSelector ; oa:exact "不算" .
x:s1t atk:statedIn x:table ; atk:evidence x:e3 .
x:e2 atk:line 20 ; oa:hasSelector x:q2 .
x:q2 a oa:TextQuoteSelector .
x:e3 atk:line 21, 22 ; oa:hasSelector x:q3 .
x:q3 a oa:TextQuoteSelector ; oa:exact "另一句" .
x:e4 oa:hasSelector x:q4 .
x:q4 a oa:TextQuoteSelector ; oa:exact "无行" .
x:a1 atk:role atk:lead ; atk:unit x:u1 ; atk:statedIn x:narrative, x:table ; atk:evidence x:e4 .
x:u1 atk:shortName "单位甲" .
x:m1 a atk:Deadline ; atk:year 2025 .
x:m2 a atk:RecurringDuty ; atk:year 2023 ; atk:untilYear 2030 .
x:f1 rdfs:comment "发现" ; atk:evidence x:e2 .

x:t2 a atk:Task ; skos:notation "1.2" ; dcterms:title "任务二" ; atk:plan x:plan ; atk:policyArea x:area ;
  atk:targetYear 2030 ; atk:hasMilestone x:m3 ; atk:hasProgressEntry x:p3 ; atk:hasMention x:men .
x:m3 a atk:OngoingSpan ; atk:year 2022 .
x:p3 atk:columnYear 2022 .
x:men atk:concept x:c ; atk:statedIn x:table .
x:c skos:inScheme s:places ; skos:prefLabel "边境"@zh, "border"@en .

x:t3 a atk:Task ; skos:notation "1.3" ; dcterms:title "任务三" ; atk:plan x:plan ; atk:targetYear 2030 ;
  atk:hasMilestone x:m4 .
x:m4 a atk:Deadline ; atk:year 2026 .
"""

# (field, value, source, line, quote); a part names the node stated there, an evidence needs its line and
# a quote selector with its words (so the finding's evidence, with no words, and the assignment's, with no
# line, give neither), and an evidence with two lines gives two rows
TASK_ROWS = {
    "1.1": [
        ("area", "1 领域", None, None, None),
        ("finding", "发现", None, None, None),
        ("lead", "单位甲", "narrative", None, None),
        ("lead", "单位甲", "table", None, None),
        ("milestone", "deadline 2025", None, None, None),
        ("milestone", "recurring 2023-2030", None, None, None),
        ("narrative number", "一(一)", "narrative", "10", "一句"),
        ("table number", "1", "table", "21", "另一句"),
        ("table number", "1", "table", "22", "另一句"),
        ("target year", "2025", None, None, None),
        ("text", "叙述", "narrative", "10", "一句"),
        ("text", "表", "table", "21", "另一句"),
        ("text", "表", "table", "22", "另一句"),
        ("title", "任务一", "narrative", "10", "一句"),
    ],
    "1.2": [
        ("area", "1 领域", None, None, None),
        ("milestone", "ongoing 2022", None, None, None),
        ("place", "边境", "table", None, None),
        ("progress", "column 2022", None, None, None),
        ("target year", "2030", None, None, None),
    ],
    # a deadline in another year than the target year: neither the deadline nor the plan period gives it
    "1.3": [("milestone", "deadline 2026", None, None, None)],
}

ROLES = PREFIXES + """
@prefix plan: <https://w3id.org/antitraffick-kg/id/plan/> .
x:national atk:level "national" .
x:M1 a atk:Measure ; skos:notation "N-1" ; atk:measureOf x:national ; atk:hasMeasureAssignment x:ma1, x:ma2 .
x:ma1 atk:assignedUnit x:U1 ; atk:assignedRole atk:lead .
x:ma2 atk:assignedUnit x:U2 ; atk:assignedRole atk:support .
x:U1 skos:prefLabel "上级甲" .
x:U2 skos:prefLabel "上级乙" .
x:Mid a atk:Measure ; skos:notation "P-1" .
x:Other skos:notation "O-1" .

x:c1 rdf:predicate atk:counterpartOf ; rdf:subject x:L1 ; rdf:object x:U1 ; atk:basis atk:sameFunction .
x:c1b rdf:predicate atk:counterpartOf ; rdf:subject x:L1 ; rdf:object x:U1 ; atk:basis atk:crosswalkRow .
x:c2 rdf:predicate atk:counterpartOf ; rdf:subject x:L2 ; rdf:object x:U1 ; atk:basis atk:crosswalkRow .
x:c3 rdf:predicate atk:counterpartOf ; rdf:subject x:L3 ; rdf:object x:U2 ; atk:basis atk:sameFunction .
x:notPair rdf:predicate atk:somethingElse ; rdf:subject x:L4 ; rdf:object x:U1 ; atk:basis atk:sameFunction .
x:L1 atk:shortName "本地甲" .
x:L2 atk:shortName "本地乙" .
x:L3 atk:shortName "本地丙" .
x:L4 atk:shortName "本地丁" .

x:T1 a atk:Task ; skos:notation "1.1" ; atk:plan plan:p-1 ; atk:ledBy x:L1 ; atk:supportedBy x:L1, x:L2, x:L4 .
x:T2 a atk:Task ; skos:notation "1.2" ; atk:plan plan:p-1 ; atk:ledBy x:L3 ; atk:supportedBy x:L1 .

atk:verified skos:notation "verified" .
atk:inferred skos:notation "inferred" .
atk:unknown skos:notation "unknown" .
x:k1 rdf:subject x:T1 ; rdf:predicate skos:exactMatch ; rdf:object x:M1 ; atk:status atk:verified .
x:k2 rdf:subject x:T2 ; rdf:predicate atk:implements ; rdf:object x:M1 ; atk:status atk:verified .
x:k3 rdf:subject x:Mid ; rdf:predicate skos:broadMatch ; rdf:object x:M1 ; atk:status atk:inferred .
x:k4 rdf:subject x:T2 ; rdf:predicate skos:closeMatch ; rdf:object x:Mid ; atk:status atk:unknown .
x:k5 rdf:subject x:Other ; rdf:predicate skos:relatedMatch ; rdf:object x:M1 ; atk:status atk:verified .
x:k6 rdf:subject x:T1 ; rdf:predicate skos:exactMatch ; rdf:object x:Other ; atk:status atk:verified .
"""

# T1 maps to N-1, led by U1: its lead L1 and its supporter L2 are U1's counterparts, L4 is none (only another
# kind of pair); T2 reaches N-1 through the measure P-1 (the weaker status, the last step's match), where L1
# only supports; k2 is no mapping, O-1 no measure, and U2 only supports N-1
ROLE_ROWS = [
    ("no", "p-1", "1.1", "本地乙", "support", "N-1", "上级甲", "national", "exactMatch", "verified", "crosswalk-row"),
    ("no", "p-1", "1.2", "本地甲", "support", "N-1", "上级甲", "national", "broadMatch", "unknown",
     "same-function;crosswalk-row"),
    ("yes", "p-1", "1.1", "本地甲", "lead", "N-1", "上级甲", "national", "exactMatch", "verified",
     "same-function;crosswalk-row"),
]


def _store(turtle: str, kind: str):
    quads = [ox.Quad(t.subject, t.predicate, t.object, ox.NamedNode("http://example.org/graph"))
             for t in ox.parse(turtle.encode("utf-8"), format=ox.RdfFormat.TURTLE)]
    data = ox.serialize(quads, format=ox.RdfFormat.N_QUADS)
    return (OxigraphStore if kind == "oxigraph" else RdflibStore).from_nquads(data)


def _key(row: tuple) -> tuple:
    return tuple(v or "" for v in row)


@pytest.mark.parametrize("kind", ["oxigraph", "rdflib"])
def test_task_gives_each_fact_of_the_bound_task_with_its_part_and_evidence(kind):
    store = _store(TASKS, kind)
    for notation, expected in TASK_ROWS.items():
        rows = query("task", params={"id": notation}, store=store).rows
        assert {r["task"] for r in rows} == {notation}
        got = [tuple(r[c] or None for c in ("field", "value", "source", "line", "quote")) for r in rows]
        assert sorted(got, key=_key) == sorted(expected, key=_key), notation


@pytest.mark.parametrize("kind", ["oxigraph", "rdflib"])
def test_role_consistency_pairs_each_counterpart_with_the_tasks_linked_to_its_upper_measure(kind):
    result = query("role-consistency", store=_store(ROLES, kind))
    assert [tuple(r[c] or None for c in result.columns) for r in result.rows] == ROLE_ROWS
