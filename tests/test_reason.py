"""Reasoning with HermiT: the plan is consistent, each axiom family infers, a contradiction is caught."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from rdflib import URIRef

from antitraffick_kg import ReasonerUnavailableError, reason
from antitraffick_kg.cli.main import main
from antitraffick_kg.namespaces import ATK, RDF
from antitraffick_kg.check.reason import axiom_family

from conftest import require


@pytest.fixture(autouse=True, scope="module")
def _java():
    require(shutil.which("java") is not None, "a Java runtime for HermiT (apt-get install default-jre-headless)")

DATA = Path(__file__).parent / "data" / "reasoning"
EX = "https://example.org/reasoning/"
C = "https://w3id.org/antitraffick-kg/id/concept/"
UNIT = "https://w3id.org/antitraffick-kg/id/unit/533100/"
TASK = "https://w3id.org/antitraffick-kg/id/plan/dehong-2022-2030/task/"


@pytest.fixture(scope="module")
def small():
    return reason(data=[DATA / "small.ttl"])




def test_collective_body_chain(small):
    for member in ("police", "women"):
        triple = (URIRef(EX + "t1"), ATK.ledBy, URIRef(EX + member))
        assert triple in small.inferred and axiom_family(triple) == "collective-body chain"


def test_inverse_views(small):
    assert (URIRef(EX + "police"), ATK.leads, URIRef(EX + "t2")) in small.inferred
    assert (URIRef(EX + "tradeunion"), ATK.supports, URIRef(EX + "t2")) in small.inferred
    assert (URIRef(EX + "women"), ATK.leads, URIRef(EX + "t1")) in small.inferred   # through the chain


def test_scope_hierarchy(small):
    assert (URIRef(EX + "t2"), ATK.concernsPlace, URIRef(C + "border-area")) in small.inferred


@pytest.mark.parametrize("node,cls", [
    ("police", ATK.LeadUnit), ("tradeunion", ATK.SupportingUnit), ("tradeunion", ATK.SupportOnlyUnit),
    ("t2", ATK.TaskWithDeadline), ("t2", ATK.OngoingTask), ("t2", ATK.CrossBorderTask),
])
def test_defined_classes(small, node, cls):
    assert (URIRef(EX + node), RDF.type, cls) in small.inferred


def test_defined_classes_do_not_overreach(small):
    assert (URIRef(EX + "police"), RDF.type, ATK.SupportOnlyUnit) not in small.inferred
    assert (URIRef(EX + "t1"), RDF.type, ATK.CrossBorderTask) not in small.inferred
    assert (URIRef(EX + "t1"), RDF.type, ATK.TaskWithDeadline) not in small.inferred


def test_contradiction_is_caught_and_named():
    result = CliRunner().invoke(main, ["reason", "--data", str(DATA / "contradiction.ttl")])
    assert result.exit_code == 1
    assert "inconsistent" in result.output
    assert "州法院" in result.output and "https://example.org/contradiction/court" in result.output
    assert "assignment of task 5.3.1 to 州公安局" in result.output
    assert "https://example.org/contradiction/t1" not in result.output


def test_the_plan_is_consistent_and_its_inferences_are_a_separate_graph(command_result):
    out, result = command_result
    assert result.exit_code == 0, result.output
    assert result.output.startswith("consistent: yes") and "unsatisfiable" not in result.output
    inferred = _inferred(out)
    # 州妇联 supports 3.1, 7.8 and 9.3 only through 州级联席会议各成员单位
    women = URIRef(UNIT + "womens-federation")
    for task in ("3.1", "7.8", "9.3"):
        assert (URIRef(TASK + task), ATK.supportedBy, women) in inferred
    assert (URIRef(TASK + "7.9.2"), ATK.concernsPlace, URIRef(C + "border-area")) in inferred
    nq = (out / "dehong-2022-2030.inferred.nq").read_bytes()
    assert b"/graph/dehong-2022-2030/inferred>" in nq
    assert f"({len(inferred)} inferred facts in" in result.output
    # and in the corpus store, as the plan's inferred part
    from antitraffick_kg.store.corpus import Corpus
    from antitraffick_kg.iris import inferred_graph_iri

    entry = Corpus.open(out / "store").entry("dehong-2022-2030", kind="inferred")
    assert entry.graphs == (inferred_graph_iri("dehong-2022-2030"),) and entry.triples == len(inferred)
    asserted_only = (URIRef(TASK + "7.6"), ATK.supportedBy, women)
    assert asserted_only not in inferred


def test_without_java_reason_exits_2_with_one_line(monkeypatch):
    monkeypatch.setattr(shutil, "which", lambda name: None)
    with pytest.raises(ReasonerUnavailableError):
        reason(data=[DATA / "small.ttl"])
    result = CliRunner().invoke(main, ["reason", "--data", str(DATA / "small.ttl")])
    assert result.exit_code == 2
    assert result.stderr.strip().count("\n") == 0 and "Java" in result.stderr


def test_unusable_input_exits_2(tmp_path):
    bad = tmp_path / "bad.ttl"
    bad.write_text("@prefix ex: <http://e/> .\nex:a ex:b \"open .\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["reason", "--data", str(bad)])
    assert result.exit_code == 2 and f"{bad}:2:" in result.stderr


def test_inferred_rows_reach_the_catalogue(command_result):
    from antitraffick_kg import query

    out, _ = command_result
    params = {"unit": "州妇联", "role": "support"}
    asserted = {(r["task"], r["source"]) for r in query("tasks-by-unit", params=params, build_dir=out)}
    inferred = {(r["task"], r["source"]) for r in query("tasks-by-unit", params=params, build_dir=out,
                                                        inferred=True)}
    assert {s for _, s in asserted} == {"narrative", "table"}
    assert inferred - asserted == {("3.1", "inferred"), ("7.8", "inferred"), ("9.3", "inferred")}


def test_culprit_search_keeps_axioms_whole_when_the_data_holds_the_ontology():
    # the ontology's property chains are blank-node lists: split from their property, HermiT saw empty chains
    ontology = Path(__file__).resolve().parent.parent / "ontology" / "antitraffick.ttl"
    result = reason(data=[ontology, DATA / "contradiction.ttl"])
    assert not result.consistent
    assert sorted(result.culprits) == ["https://example.org/contradiction/a1",
                                       "https://example.org/contradiction/court"]


def test_no_locate_does_not_claim_it_looked():
    result = reason(data=[DATA / "contradiction.ttl"], locate=False)
    assert not result.consistent and result.culprits == ()
    assert "not looked for" in result.text and "no single individual" not in result.text


def _on_a_terminal(args: list[str], env: dict[str, str]) -> tuple[int, str]:
    """Run the command with standard error on a pseudo-terminal; its exit code and what the terminal showed."""
    import os
    import pty
    import subprocess
    import sys

    leader, follower = pty.openpty()
    process = subprocess.Popen([sys.executable, "-m", "antitraffick_kg", *args], stdout=subprocess.PIPE,
                               stderr=follower, env=env)
    os.close(follower)
    shown = b""
    while True:
        try:
            chunk = os.read(leader, 4096)
        except OSError:          # the command closed the terminal
            break
        if not chunk:
            break
        shown += chunk
    process.wait(timeout=120)
    os.close(leader)
    return process.returncode, shown.decode("utf-8", "replace")


def test_progress_shows_on_a_terminal_and_not_in_ci():
    import os

    env = {k: v for k, v in os.environ.items() if k != "CI"}
    code, shown = _on_a_terminal(["reason", "--data", str(DATA / "small.ttl")], env)
    assert code == 0
    assert "s] checking the Java runtime" in shown and "reasoner pass 1 of 2" in shown
    code, shown = _on_a_terminal(["reason", "--data", str(DATA / "small.ttl")], dict(env, CI="true"))
    assert code == 0 and shown == ""


def test_inferred_rows_reach_the_catalogue_from_the_corpus_store(command_result, build_dir, tmp_path):
    import shutil

    import pyoxigraph as ox

    from antitraffick_kg import open_corpus, query
    from antitraffick_kg.store.corpus import Corpus, write_parts, PlanPart

    out, _ = command_result
    store = tmp_path / "store"
    shutil.copytree(build_dir / "store", store, symlinks=True)       # the plan, built, without inferences
    written = Corpus.open(out / "store")              # what reason wrote: the inferred part (in meta)
    entry = written.entry("dehong-2022-2030", kind="inferred")
    quads = tuple(q for g in entry.graphs for q in written.meta.quads_for_pattern(None, None, None, ox.NamedNode(g)))
    write_parts(store, [PlanPart("dehong-2022-2030", "inferred", entry.digest, quads)])
    params = {"unit": "州妇联", "role": "support"}
    corpus = open_corpus(store, plans=["dehong-2022-2030"], inferred=True)
    from_store = query("tasks-by-unit", params=params, corpus=corpus, plan="dehong-2022-2030", inferred=True)
    from_files = query("tasks-by-unit", params=params, build_dir=out, inferred=True)
    assert from_store.rows == from_files.rows
    assert {("3.1", "inferred"), ("7.8", "inferred"), ("9.3", "inferred")} <= {(r["task"], r["source"])
                                                                             for r in from_store.rows}


def _inferred(out: Path):
    """The inferred facts the command wrote into ``out``, as a set of triples."""
    from rdflib import Dataset

    written = Dataset().parse(data=(out / "dehong-2022-2030.inferred.nq").read_bytes(), format="nquads")
    return {(s, p, o) for s, p, o, _g in written.quads((None, None, None, None))}


@pytest.fixture(scope="module")
def command_result(build_dir, tmp_path_factory):
    """The command run once over a copy of the built plan: it reads the plan from the corpus store."""
    import shutil

    out = tmp_path_factory.mktemp("reasoned") / "build"
    shutil.copytree(build_dir, out, symlinks=True)
    return out, CliRunner().invoke(main, ["reason", "--build-dir", str(out), "--no-locate"])


def test_the_command_reasons_over_the_plan_in_the_corpus_store(command_result):
    from antitraffick_kg.store.corpus import Corpus

    out, result = command_result
    assert result.exit_code == 0, result.output
    assert result.output.startswith("consistent")
    corpus = Corpus.open(out / "store")
    assert corpus.entry("dehong-2022-2030", kind="inferred").triples > 0
    assert (out / "dehong-2022-2030.inferred.nq").is_file()


def test_reason_reads_the_plan_from_the_corpus_store(build_dir, monkeypatch):
    """Reasoning over the plan read from the corpus store (what the command does) hands HermiT the very graphs
    that reasoning over the plan imported from its folder does: the same facts and the same ontology, so the
    same inferences (HermiT itself runs on the plan once, in ``command_result``)."""
    import antitraffick_kg.check.reason as reasoning
    from antitraffick_kg import open_corpus

    seen: list = []

    class Seen(Exception):
        pass

    def capture(graph, *, ontology, locate=True, progress=None):
        seen.append((graph, ontology))
        raise Seen

    monkeypatch.setattr(reasoning, "reason_graph", capture)
    with pytest.raises(Seen):
        reasoning.reason(plan="dehong-2022-2030")
    with pytest.raises(Seen):
        reasoning.reason(plan="dehong-2022-2030", corpus=open_corpus(build_dir / "store",
                                                                    plans=["dehong-2022-2030"]))
    (imported_facts, imported_ontology), (stored_facts, stored_ontology) = seen
    from collections import Counter

    from rdflib import BNode, Literal, XSD

    def stored_as(graph) -> Counter:
        """The triples as the store keeps them: pyoxigraph reads an xsd:nonNegativeInteger back as xsd:integer
        (the offsets of oa:start and oa:end), and blank nodes get new labels (so they are compared by place)."""
        def term(t):
            if isinstance(t, BNode):
                return "_:"
            if isinstance(t, Literal) and t.datatype == XSD.nonNegativeInteger:
                return Literal(t, datatype=XSD.integer)
            return t
        return Counter(tuple(term(t) for t in triple) for triple in graph)

    assert len(imported_facts) > 20_000 and len(imported_ontology) > 500
    assert not any(isinstance(t, BNode) for triple in imported_facts for t in triple)
    assert set(stored_facts) == set(stored_as(imported_facts))
    assert stored_as(stored_ontology) == stored_as(imported_ontology)


def test_the_command_without_a_built_plan_says_to_build_it(tmp_path):
    result = CliRunner().invoke(main, ["reason", "--build-dir", str(tmp_path / "empty")])
    assert result.exit_code == 2
    assert result.output.strip().splitlines() == [
        f"Error: no corpus store at {tmp_path / 'empty' / 'store'}; run 'antitraffick-kg build' first"]
    assert not (tmp_path / "empty").exists()


def _options_seen_by_java(monkeypatch, statements: int) -> list:
    """What ``JAVA_TOOL_OPTIONS`` said when owlready2 started HermiT over a graph of ``statements`` statements."""
    import os
    import subprocess

    import antitraffick_kg.check.reason as reasoning

    seen: list = []

    def started(command, **kwargs):
        seen.append(os.environ.get("JAVA_TOOL_OPTIONS"))
        raise subprocess.CalledProcessError(1, command, output=b"Picked up JAVA_TOOL_OPTIONS\nInconsistent ontology")

    monkeypatch.setattr(subprocess, "check_output", started)
    graph = reasoning.Graph()
    for n in range(statements):
        graph.add((URIRef(f"{EX}i{n}"), RDF.type, URIRef(EX + "C")))
    assert not reasoning._Run(graph, "java").consistent
    return seen


def test_a_small_input_starts_java_with_the_quick_compiler_added_to_the_users_options(monkeypatch):
    import os

    from antitraffick_kg.check.reason import QUICK_START_BELOW, jvm_options

    assert jvm_options(QUICK_START_BELOW - 1) == "-XX:TieredStopAtLevel=1" and jvm_options(QUICK_START_BELOW) is None
    monkeypatch.delenv("JAVA_TOOL_OPTIONS", raising=False)
    assert _options_seen_by_java(monkeypatch, 10) == ["-XX:TieredStopAtLevel=1"]
    assert "JAVA_TOOL_OPTIONS" not in os.environ
    monkeypatch.setenv("JAVA_TOOL_OPTIONS", "-Xss4m")
    assert _options_seen_by_java(monkeypatch, 10) == ["-Xss4m -XX:TieredStopAtLevel=1"]
    assert _options_seen_by_java(monkeypatch, QUICK_START_BELOW) == ["-Xss4m"]
    assert os.environ["JAVA_TOOL_OPTIONS"] == "-Xss4m"


def test_the_line_java_prints_about_its_options_is_not_taken_for_the_error():
    from antitraffick_kg.check.reason import _first_line

    said = b"Picked up JAVA_TOOL_OPTIONS: -XX:TieredStopAtLevel=1\nParse error on line 2\n"
    assert _first_line(said) == "Parse error on line 2"


def test_the_closing_pass_reads_the_closed_units_and_reads_whole_data_that_states_axioms(small):
    # small.ttl states no axiom: the second pass reads the ontology, the closing statements and the closed units,
    # fewer statements than the first (the trade union is support-only only if it saw what the union supports) ...
    first, second = small.passes
    assert (URIRef(EX + "tradeunion"), RDF.type, ATK.SupportOnlyUnit) in small.inferred and second < first
    # ... and data that brings axioms of its own (here the ontology itself) is read whole, closed, by both passes
    ontology = Path(__file__).resolve().parent.parent / "ontology" / "antitraffick.ttl"
    whole = reason(data=[ontology, DATA / "small.ttl"])
    first, second = whole.passes
    assert second > first and set(whole.inferred) == set(small.inferred)
