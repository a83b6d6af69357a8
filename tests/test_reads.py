"""What a query can read: the predicates and classes of its patterns, and a plan's quads cut down to them.

A plan held in memory for one question holds only the quads the question can match; these tests hold that the
reading finds every predicate a pattern names (in paths, property lists, collections, (NOT) EXISTS nested in
expressions), gives up (None) on what it cannot know, and that every catalogue question answers the plan
exactly the same over the cut-down quads.
"""

from __future__ import annotations

import pytest

from antitraffick_kg.ask.catalogue import catalogue
from antitraffick_kg.ask.params import STORE_LOOKUPS, bind_parameters
from antitraffick_kg.pipeline.sources import plan_nquads
from antitraffick_kg.store.reads import GROUPS, RDF_TYPE, Reads, by_predicate, only_read, query_reads
from antitraffick_kg.store.stores import OxigraphStore

E = "http://e/"


def _reads(where: str) -> Reads | None:
    return query_reads([f"PREFIX e: <{E}> SELECT * WHERE {{ {where} }}"])


@pytest.mark.parametrize("where, predicates, classes", [
    ("?s e:p ?o ; e:q ?r , ?r2 ; a e:C", {"p", "q"}, {"C"}),
    ("?x e:l ( 1 2 )", {"l", RDF_TYPE[:-4] + "first", RDF_TYPE[:-4] + "rest"}, set()),
    ("[ e:b ?c ] e:d ?f", {"b", "d"}, set()),
    ("?s ^e:i/e:j* ?k . ?s (e:m|e:n)+ ?z", {"i", "j", "m", "n"}, set()),
    ("?s a/e:sub* ?c", {RDF_TYPE, "sub"}, set()),
    ("?s a ?any", {RDF_TYPE}, set()),
    # rdflib's algebra drops this inner FILTER EXISTS; the parse tree keeps it
    ("?s e:p ?o FILTER (!BOUND(?o) || NOT EXISTS { ?o e:q ?z FILTER EXISTS { ?z a e:C } })", {"p", "q"}, {"C"}),
    ("?s e:p ?o BIND (EXISTS { ?o e:q [ e:w ?z ] } AS ?x)", {"p", "q", "w"}, set()),
    # a predicate variable a VALUES block of the same group gives IRIs only is one of them
    ("{ VALUES (?r ?d) { (e:lead e:ledBy) (e:support e:supportedBy) } ?t ?d ?u } UNION { ?t e:x ?u }",
     {"ledBy", "supportedBy", "x"}, set()),
    ("{ SELECT ?s WHERE { ?s e:in ?x } } OPTIONAL { ?s e:opt ?y } MINUS { ?s e:m ?q } GRAPH ?g { ?s e:g ?v }",
     {"in", "opt", "m", "g"}, set()),
])
def test_every_predicate_a_pattern_names_is_read(where, predicates, classes):
    found = _reads(where)
    assert found is not None
    assert found.predicates == {p if p.startswith("http") else E + p for p in predicates}
    assert found.classes == {E + c for c in classes}


@pytest.mark.parametrize("text", [
    "SELECT * WHERE { ?s ?p ?o }",
    "SELECT * WHERE { ?s <http://e/p> ?o FILTER NOT EXISTS { ?o ?any ?z } }",
    "SELECT * WHERE { ?s !<http://e/x> ?o }",
    "SELECT * WHERE { VALUES (?r ?d) { (1 <http://e/a>) (2 UNDEF) } ?t ?d ?u }",
    'SELECT * WHERE { VALUES ?d { <http://e/a> "text" } ?t ?d ?u }',
    "SELECT * WHERE { VALUES ?d { <http://e/a> } OPTIONAL { ?t ?d ?u } }",
    "SELECT * WHERE { { VALUES ?d { <http://e/a> } } ?t ?d ?u }",
    "SELECT * WHERE { ?s (<http://e/a>|!^<http://e/x>) ?o }",
    "DESCRIBE <http://e/x>",
    "SELECT * WHERE { GRAPH ?g { } }",
    "SELECT * WHERE { SERVICE <http://e/sparql> { ?s <http://e/p> ?o } }",
    "SELECT * WHERE { ?s <http://e/p> ",
])
def test_what_may_read_any_predicate_is_read_whole(text):
    assert query_reads([text]) is None


def test_the_reads_of_several_queries_add_up_and_any_unknown_makes_them_unknown():
    one, two = "SELECT * WHERE { ?s <http://e/p> ?o }", "SELECT * WHERE { ?s a <http://e/C> }"
    assert query_reads([one, two]) == Reads(frozenset({E + "p"}), frozenset({E + "C"}))
    assert query_reads([one, "SELECT * WHERE { ?s ?p ?o }"]) is None


def test_only_the_lines_a_reading_can_match_are_kept_and_lines_it_cannot_place_stay():
    reads = Reads(frozenset({E + "p"}), frozenset({E + "C"}))
    lines = [b'<http://e/a> <http://e/p> "x <http://e/q> y" <http://e/g> .\n',
             b'<http://e/a> <http://e/q> "1" <http://e/g> .\n',
             b'_:b <' + RDF_TYPE.encode() + b'> <http://e/C> <http://e/g> .\n',
             b'_:b <' + RDF_TYPE.encode() + b'> <http://e/D> <http://e/g> .\n',
             b'<http://e/a>\t<http://e/q> "tab" <http://e/g> .\n',
             b'<< <http://e/a> <http://e/q> "1" >> <http://e/q> "2" <http://e/g> .\n',
             b'<http://e/a> <http://e/p> "last, no newline" <http://e/g> .']
    kept = only_read(b"".join(lines), reads)
    assert kept == b"".join(lines[i] for i in (0, 2, 4, 5, 6))
    # a tab between subject and predicate, the object an IRI: split at spaces it would look like predicate e:p
    tabbed = b'<http://e/a>\t<http://e/q> <http://e/p> <http://e/g> .\n'
    assert only_read(tabbed, Reads(frozenset({E + "q"}))) == tabbed
    assert only_read(b'_:x\t' + tabbed[13:], Reads(frozenset({E + "q"}))) == b'_:x\t' + tabbed[13:]
    # lines it cannot place cannot be grouped either: the text is left as it is
    assert by_predicate(b"".join(lines)) == b"".join(lines)
    placed = b"".join(lines[:4])
    grouped = by_predicate(placed)
    assert grouped.startswith(GROUPS) and by_predicate(grouped) == grouped
    assert only_read(grouped, reads) == b"".join(lines[i] for i in (0, 2))
    assert only_read(grouped, Reads(frozenset({RDF_TYPE}))) == b"".join(lines[i] for i in (2, 3))
    # grouped text changed after its groups line was written (a plan id replaced): read line by line, regrouped
    edited = grouped.replace(b"http://e/a", b"http://e/another")
    assert sorted(only_read(edited, reads).splitlines()) == sorted(
        only_read(placed.replace(b"http://e/a", b"http://e/another"), reads).splitlines())
    assert by_predicate(edited) == by_predicate(placed.replace(b"http://e/a", b"http://e/another"))


def _same(answer):
    """An answer in a form that does not depend on the order a store gives rows in."""
    if isinstance(answer, tuple):
        columns, rows = answer
        return columns, sorted((tuple(sorted(r.items(), key=str)) for r in rows), key=str)
    return answer if isinstance(answer, bool) else sorted(map(str, answer))


@pytest.fixture(scope="module")
def plan_data(build_dir) -> bytes:
    return plan_nquads("dehong-2022-2030", build_dir=build_dir)


def test_every_catalogue_question_answers_the_plan_the_same_over_the_quads_it_can_read(plan_data):
    whole = OxigraphStore.from_nquads(plan_data)
    grouped = by_predicate(plan_data)
    assert grouped.startswith(GROUPS) and sorted(grouped.splitlines()[1:]) == sorted(plan_data.splitlines())
    asked = 0
    for q in catalogue():
        reads = query_reads([q.text, *STORE_LOOKUPS])
        if reads is None:
            continue
        cut = only_read(plan_data, reads)
        assert len(cut) < len(plan_data), q.name
        # the same lines from the plan grouped by predicate, as its part file holds it
        assert sorted(only_read(grouped, reads).splitlines()) == sorted(cut.splitlines()), q.name
        part = OxigraphStore.from_nquads(cut)
        params = q.example_params()
        assert _same(part.answer(q.text, bindings=bind_parameters(q, params, store=lambda: part))) == \
            _same(whole.answer(q.text, bindings=bind_parameters(q, params, store=lambda: whole))), q.name
        asked += 1
    assert asked >= 30
