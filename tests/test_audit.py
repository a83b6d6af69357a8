"""The plan audit: the document's real disagreements, each quoting both places, from checks kept as SPARQL."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner

from antitraffick_kg.check.audit import AuditResult, audit, audit_store, checks
from antitraffick_kg.cli.main import main
from antitraffick_kg.errors import InputError

BASE = Path(__file__).parent / "data" / "shapes" / "base.ttl"
PREFIXES = """PREFIX atk: <https://w3id.org/antitraffick-kg/ontology#>
PREFIX unit: <https://w3id.org/antitraffick-kg/id/unit/533100/>
PREFIX org: <http://www.w3.org/ns/org#>
PREFIX oa: <http://www.w3.org/ns/oa#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
BASE <https://w3id.org/antitraffick-kg/id/plan/mini/>
"""
T1_TABLE_SUPPORT = "<task/1.1/assignment/table/support/womens-federation>"
T1_NARRATIVE_LEAD = "<task/1.1/assignment/narrative/lead/public-security-bureau>"

#: for every kind of check, a change to tests/data/shapes/base.ttl that must make it fire, and on what
CASES = {
    "role-change": ("1.1", "州妇联", f"DELETE DATA {{ {T1_TABLE_SUPPORT} atk:role atk:support }} ;\n"
                                   f"INSERT DATA {{ {T1_TABLE_SUPPORT} atk:role atk:lead }}"),
    "unit-one-part": ("1.1", "州妇联", f"DELETE WHERE {{ {T1_TABLE_SUPPORT} ?p ?o }} ;\n"
                                     f"DELETE DATA {{ <task/1.1> atk:hasAssignment {T1_TABLE_SUPPORT} }}"),
    "list-differs": ("1.1", None, f"DELETE WHERE {{ {T1_TABLE_SUPPORT} ?p ?o }} ;\n"
                                  f"DELETE DATA {{ <task/1.1> atk:hasAssignment {T1_TABLE_SUPPORT} }}"),
    "listed-twice": ("1.1", "州公安局", f"INSERT DATA {{ {T1_NARRATIVE_LEAD} atk:evidence <text/70-74> }}"),
    "lead-and-support": ("1.1", "州公安局", """INSERT DATA {
        <task/1.1> atk:hasAssignment <task/1.1/assignment/narrative/support/public-security-bureau> .
        <task/1.1/assignment/narrative/support/public-security-bureau> a atk:Assignment ; atk:task <task/1.1> ;
            atk:unit unit:public-security-bureau ; atk:role atk:support ; atk:statedIn <narrative> ;
            atk:nameAsWritten "州公安局" ; atk:evidence <text/70-74> . }"""),
    "spelling-variant": ("1.1", "州公安局", f"""DELETE DATA {{ {T1_NARRATIVE_LEAD} atk:nameAsWritten "州公安局" .
            <text/22-26/quote> oa:exact "州公安局" }} ;
        INSERT DATA {{ {T1_NARRATIVE_LEAD} atk:nameAsWritten "州公安" . <text/22-26/quote> oa:exact "州公 安" .
            <membership/psb> org:member unit:public-security-bureau ; atk:evidence <text/70-74> }}"""),
    "numbering-anomaly": ("1.2", None, ""),
    "document-finding": ("1.1", None, 'INSERT DATA { <task/1.1> atk:finding <finding/2> . <finding/2> a atk:Finding ; '
                                      '<http://www.w3.org/2000/01/rdf-schema#comment> "the table calls it 人力资源" ; '
                                      'atk:line 3 ; atk:evidence <text/63-69> . }'),
    "duplicate-number": ("1.2", None, 'INSERT DATA { <task/1.1> atk:tableNumber "一(一)1" . '
                                      '<task/1.2> atk:tableNumber "一(一)1" }'),
    "section-numeral": ("1.3", None, """INSERT DATA {
        <task/1.1> atk:tableNumber "二(一)1" . <task/1.2> atk:tableNumber "二(一)2" .
        <task/1.3> a atk:Task ; skos:notation "1.3" ; <http://purl.org/dc/terms/title> "第三项"@zh ;
            atk:plan <https://w3id.org/antitraffick-kg/id/plan/mini> ; atk:tableNumber "一(一)3" ;
            atk:statement <task/1.2/statement/narrative> , <task/1.2/statement/table> . }"""),
}
ORDER_CHANGE = f"""INSERT DATA {{
    {T1_NARRATIVE_LEAD} atk:position 1 .
    <task/1.1/assignment/table/lead/public-security-bureau> atk:position 2 .
    <task/1.1> atk:hasAssignment <task/1.1/n2> , <task/1.1/t1> .
    <task/1.1/n2> atk:task <task/1.1> ; atk:unit unit:womens-federation ; atk:role atk:lead ;
        atk:statedIn <narrative> ; atk:position 2 ; atk:evidence <text/29-32> .
    <task/1.1/t1> atk:task <task/1.1> ; atk:unit unit:womens-federation ; atk:role atk:lead ;
        atk:statedIn <table> ; atk:position 1 ; atk:evidence <text/75-78> . }}"""


def _store(update: str) -> ox.Store:
    store = ox.Store()
    store.load(path=str(BASE), format=ox.RdfFormat.TURTLE)
    if update:
        store.update(PREFIXES + update)
    return store


@pytest.fixture(scope="module")
def plan_audit() -> AuditResult:
    return audit()


# -- the real plan -------------------------------------------------------------------------------------------
def test_counts_per_kind_on_the_plan(plan_audit):
    assert dict(plan_audit.counts) == {
        "role-change": 1, "unit-one-part": 12, "list-differs": 12, "listed-twice": 1, "lead-and-support": 0,
        "spelling-variant": 6, "numbering-anomaly": 3, "duplicate-number": 2, "section-numeral": 2,
        "document-finding": 4}


def test_role_differences_quote_both_places(plan_audit):
    differences = [f for f in plan_audit.findings if f.kind in ("role-change", "unit-one-part")]
    assert len(differences) > 12
    for f in differences:
        parts = {p.part: p for p in f.places}
        assert set(parts) == {"narrative scheme", "annual table"}, f
        assert all(p.quote and p.line for p in parts.values()), f
    found = {(f.task, f.unit, f.kind) for f in differences}
    assert ("4.4.4", "州妇联", "role-change") in found
    assert ("4.4.4", "州妇女儿童工作委员会", "unit-one-part") in found
    assert {("5.2.2", "州委宣传部"), ("5.2.2", "州广电局"), ("6.1.5", "州卫生健康委"), ("7.1", "州广电局"),
            ("4.1.3", "州民政局"), ("9.3", "州委政法委")} <= {(t, u) for t, u, _ in found}


def test_role_change_of_the_womens_federation(plan_audit):
    (f,) = [f for f in plan_audit.findings if f.kind == "role-change"]
    assert f.message == "州妇联 is support in the narrative scheme but lead in the annual table"
    assert f.message_zh == "州妇联在实施方案中为配合单位，在年度实施方案中为负责单位"
    assert [(p.part, p.line, p.quote) for p in f.places] == [("narrative scheme", 89, "州妇联"),
                                                               ("annual table", 250, "州妇联")]
    lists = {(part, role): names for part, role, names in f.lists}
    assert lists[("narrative scheme", "lead")] == ("州民政局", "州妇女儿童工作委员会")
    assert lists[("annual table", "lead")] == ("州民政局", "州妇联")


def test_listed_twice_spelling_and_numbering(plan_audit):
    by_kind = {}
    for f in plan_audit.findings:
        by_kind.setdefault(f.kind, []).append(f)
    (twice,) = by_kind["listed-twice"]
    assert (twice.task, twice.unit) == ("4.4.1", "州财政局") and len(twice.places) == 2
    spellings = {(f.task, re.search(r"writes (\S+) for", f.message).group(1)) for f in by_kind["spelling-variant"]}
    assert {("7.5", "州委宣传委"), ("4.3.1", "州发改委"), ("4.1.1", "州人力资源和社会保障局")} <= spellings
    assert {f.task for f in by_kind["duplicate-number"]} == {"5.2.1", "5.4"}
    assert {f.task for f in by_kind["section-numeral"]} == {"4.3.2", "4.3.3"}


def test_text_groups_by_task_and_quotes(plan_audit):
    text = plan_audit.text
    assert text.startswith("audit of dehong-2022-2030: 43 finding(s)")
    block = text[text.index("\n4.4.4 留守妇女儿童"):text.index("\n5.2.1")]
    assert "narrative scheme, line 89: “州妇联”" in block and "annual table, line 250: “州妇联”" in block
    assert "annual table lists: 负责 州民政局、州妇联; 配合 州财政局、州广电局、团州委、州关工委" in block


# -- the checks as data --------------------------------------------------------------------------------------
def test_every_check_has_a_header_and_fills_its_messages_from_its_columns():
    for check in checks():
        assert check.title and " | " in check.title and check.description, check.name
        assert check.kind == check.name
        columns = set(re.search(r"SELECT DISTINCT (.*?)\n\s*WHERE", check.text, re.S).group(1).replace("?", "").split())
        for template in (check.message, check.message_zh):
            assert set(re.findall(r"\{(\w+)\}", template)) <= columns, check.name
        assert {"task", "title"} <= columns and any(c.endswith("Quote") for c in columns), check.name


def test_every_kind_of_check_has_a_case():
    assert sorted(CASES) == sorted(c.kind for c in checks())


def test_the_base_fixture_has_only_its_recorded_numbering_anomaly():
    result = audit_store(_store(""))
    assert [(f.kind, f.task) for f in result.findings] == [("numbering-anomaly", "1.2")]


@pytest.mark.parametrize("kind", sorted(CASES))
def test_each_check_fires_on_its_case(kind):
    task, unit, update = CASES[kind]
    findings = [f for f in audit_store(_store(update)).findings if f.kind == kind]
    assert [(f.task, f.unit) for f in findings][:1] == [(task, unit)], findings
    assert all(f.places and f.message and f.message_zh for f in findings)


def test_a_list_in_another_order_differs():
    findings = audit_store(_store(ORDER_CHANGE)).findings
    assert ("list-differs", "1.1", "the lead lists of the narrative scheme and the annual table differ") in {
        (f.kind, f.task, f.message) for f in findings}


def test_checks_are_queryable_like_every_other_query(tmp_path):
    runner = CliRunner()
    assert runner.invoke(main, ["build", "--build-dir", str(tmp_path)]).exit_code == 0
    (check,) = [c for c in checks() if c.name == "role-change"]
    result = runner.invoke(main, ["query", str(check.path), "--build-dir", str(tmp_path), "--format", "csv"])
    assert result.exit_code == 0, result.output
    header, *rows = result.stdout.splitlines()
    assert header.startswith("task,title,unit,narrativeRole,tableRole")
    assert [r.split(",")[:5] for r in rows] == [["4.4.4", "留守妇女儿童", "州妇联", "support", "lead"]]


# -- the command ---------------------------------------------------------------------------------------------
def test_cli_audit_text_json_and_strict(tmp_path):
    runner = CliRunner()
    plain = runner.invoke(main, ["audit", str(BASE)])
    assert plain.exit_code == 0 and "numbering-anomaly" in plain.stdout
    assert runner.invoke(main, ["audit", str(BASE), "--strict"]).exit_code == 1
    out = tmp_path / "audit.json"
    result = runner.invoke(main, ["audit", str(BASE), "-f", "json", "-o", str(out)])
    assert result.exit_code == 0
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["findings_total"] == 1 and data["counts"]["numbering-anomaly"] == 1
    (finding,) = data["findings"]
    assert set(finding) == {"kind", "severity", "task", "unit", "message", "places", "lists"}
    assert finding["task"] == {"notation": "1.2", "title": "婚姻登记领域"} and finding["places"][0]["line"] == 4
    again = runner.invoke(main, ["audit", str(BASE), "-f", "json"])
    assert again.stdout == out.read_text(encoding="utf-8")


def test_cli_audit_unusable_input(tmp_path):
    path = tmp_path / "broken.ttl"
    path.write_bytes(b"<http://example.org/a> <http://example.org/b> ")
    result = CliRunner().invoke(main, ["audit", str(path)])
    assert result.exit_code == 2 and len(result.stderr.splitlines()) == 1
    assert re.match(rf"Error: {re.escape(str(path))}:1:\d+: ", result.stderr)
    with pytest.raises(InputError, match="file not found"):
        audit([tmp_path / "missing.nq"])
