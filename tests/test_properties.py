"""Properties over structured input (Hypothesis): Chinese numerals, unit clauses, and bound query parameters.

Each property is checked on a bounded number of generated cases, so the file
runs in seconds; a failing case is shrunk to the smallest input that shows it.
"""

from __future__ import annotations

import functools
from pathlib import Path

import pyoxigraph as ox
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from antitraffick_kg.ask.catalogue import catalogue
from antitraffick_kg.plan.model import ParsedPlan
from antitraffick_kg.plan.narrative import cn_number, heading, parse_narrative, split_lines
from antitraffick_kg.plan.planinfo import LEAD_WORDS, SUPPORT_WORDS
from antitraffick_kg.plan.registry import UnitRegistry
from antitraffick_kg.store.bindings import with_values
from antitraffick_kg.store.stores import OxigraphStore
from antitraffick_kg.terms import to_rdflib

from numerals import numeral

FAST = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
ROOT = Path(__file__).resolve().parent.parent


# -- Chinese numerals ------------------------------------------------------------------------------------------
@FAST
@given(st.integers(min_value=1, max_value=99))
def test_a_numeral_reads_back_as_its_number(n):
    written = numeral(n)
    assert cn_number(written) == n
    assert heading(f"{written}、工作要求")[:3] == (0, n, written)
    assert heading(f"（{written}）工作要求")[:3] == (1, n, f"({written})")
    assert heading(f"( {written} ) 工作要求")[1] == n


# -- unit clauses ----------------------------------------------------------------------------------------------
@functools.cache
def _registry() -> UnitRegistry:
    return UnitRegistry.from_csv(ROOT / "data" / "dehong-2022-2030" / "units.csv", jurisdiction="533100")


def _plain(name: str) -> bool:
    """A short name with no role word, separator, parenthesis or closing 等 in it, to put in a clause."""
    return not any(w in name for w in (*LEAD_WORDS, *SUPPORT_WORDS, "、", "，", ",", "；", ";", "（", "(", "由")) \
        and not name.endswith("等")


NAMES = sorted(u.short_name for u in _registry() if _plain(u.short_name))
SPACE = st.text(alphabet=" \u3000\t", max_size=2)
LIST_SEPARATOR = st.sampled_from(["、", "，", ","])


@st.composite
def clauses(draw):
    units = draw(st.lists(st.sampled_from(NAMES), min_size=1, max_size=6, unique=True))
    n_lead = draw(st.integers(min_value=1, max_value=len(units)))
    lead, support = units[:n_lead], units[n_lead:]

    def listed(names):
        out = names[0]
        for name in names[1:]:
            out += draw(SPACE) + draw(LIST_SEPARATOR) + draw(SPACE) + name
        return out

    opening, closing = draw(st.sampled_from([("（", "）"), ("(", ")"), ("（", ")"), ("(", "）")]))
    text = opening + draw(SPACE) + listed(lead) + draw(SPACE) + draw(st.sampled_from(LEAD_WORDS))
    if support:
        text += (draw(SPACE) + draw(st.sampled_from(["，", ",", "；", ";"])) + draw(SPACE) + listed(support)
                 + draw(SPACE) + draw(st.sampled_from(SUPPORT_WORDS)))
    text += draw(SPACE) + closing + draw(st.sampled_from(["", "。", "；"]))
    return text, lead, support


@FAST
@given(clauses())
def test_a_unit_clause_gives_exactly_its_lead_and_support_units(case):
    clause, lead, support = case
    text = f"一、预防犯罪\n1.重点人群。落实关爱保护措施。{clause}\n"
    plan = ParsedPlan(plan_id="p", source_path="p.txt", text=text, sha256="", converted_from=None)
    candidates = parse_narrative(plan, _registry(), split_lines(text))
    assert not plan.problems, (clause, plan.problems)
    found = [(m.role, m.unit.short_name) for m in candidates["1.1"].mentions]
    assert found == [("lead", u) for u in lead] + [("support", u) for u in support], clause
    assert all(text[m.span.start:m.span.end] == m.unit.short_name for m in candidates["1.1"].mentions)


# -- bound parameters --------------------------------------------------------------------------------------------
def _shape(text: str) -> tuple[object, list]:
    """The query's algebra as rdflib reads it, with every RDF term replaced by a placeholder, and the terms in
    the order they appear."""
    from rdflib.plugins.sparql.algebra import translateQuery
    from rdflib.plugins.sparql.parser import parseQuery
    from rdflib.plugins.sparql.parserutils import CompValue
    from rdflib.term import Identifier, Variable

    terms: list = []

    def walk(node):
        if isinstance(node, CompValue):
            return (node.name, tuple((k, walk(v)) for k, v in sorted(dict.items(node), key=lambda kv: str(kv[0]))))
        if isinstance(node, dict):
            return ("dict", tuple((walk(k), walk(v)) for k, v in sorted(node.items(), key=lambda kv: str(kv[0]))))
        if isinstance(node, (list, tuple)):
            return tuple(walk(v) for v in node)
        if isinstance(node, (set, frozenset)):
            return ("set", tuple(sorted(map(str, node))))
        if isinstance(node, Variable):
            return ("var", str(node))
        if isinstance(node, Identifier):
            terms.append(node)
            return "TERM"
        return repr(node)

    return walk(translateQuery(parseQuery(text)).algebra), terms


PARAMETERISED = [(q.name, q.text, p.name) for q in catalogue() for p in q.parameters]
SENTINEL = ox.Literal("sentinel-value")


@functools.cache
def _sentinel_shape(name: str, parameter: str) -> tuple[object, list]:
    text = next(t for n, t, p in PARAMETERISED if (n, p) == (name, parameter))
    return _shape(with_values(text, {parameter: SENTINEL}))


TEXT = st.text(st.characters(blacklist_categories=("Cs",)), max_size=30)
IRI_CHARS = st.one_of(st.characters(categories=("L", "N")), st.sampled_from("-._~/?!$&'()*+,;=:@"))
TERMS = st.one_of(
    TEXT.map(ox.Literal),
    st.tuples(TEXT, st.sampled_from(["zh", "en", "zh-Hans", "en-GB"])).map(lambda t: ox.Literal(t[0], language=t[1])),
    st.integers().map(ox.Literal),
    st.text(IRI_CHARS, max_size=20).map(lambda s: ox.NamedNode("http://example.org/" + s)),
)


def _canonical(term) -> tuple:
    """An rdflib term as (kind, text, language, datatype), a plain literal read as an xsd:string one."""
    from rdflib import Literal
    from rdflib.namespace import XSD

    if isinstance(term, Literal):
        return "literal", str(term), term.language, str(term.datatype or ("" if term.language else XSD.string))
    return type(term).__name__, str(term), None, None


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])   # a parse is 0.15 s
@given(st.sampled_from(PARAMETERISED), TERMS)
def test_a_bound_value_never_changes_the_shape_of_a_catalogue_query(case, value):
    name, text, parameter = case
    shape, terms = _shape(with_values(text, {parameter: value}))
    expected_shape, expected_terms = _sentinel_shape(name, parameter)
    assert shape == expected_shape, (name, parameter, value)
    sentinel = _canonical(to_rdflib(SENTINEL))
    assert [_canonical(t) for t in terms] == [
        _canonical(to_rdflib(value)) if _canonical(t) == sentinel else _canonical(t) for t in expected_terms]


@FAST
@given(TERMS)
def test_a_bound_value_reaches_the_engine_unchanged(value):
    store = OxigraphStore()
    subject, predicate = ox.NamedNode("http://example.org/s"), ox.NamedNode("http://example.org/p")
    store.store.add(ox.Quad(subject, predicate, value))
    store.store.add(ox.Quad(ox.NamedNode("http://example.org/other"), predicate, ox.Literal("x", language="ko")))
    query = "SELECT ?s (COUNT(*) AS ?n) WHERE { ?s <http://example.org/p> ?V } GROUP BY ?s"
    assert store.select(query, bindings={"V": value})[1] == [{"s": subject.value, "n": "1"}]
    raw = store.store.query("SELECT ?V WHERE { ?s <http://example.org/p> ?V FILTER(?s = <http://example.org/s>) }")
    assert [row["V"] for row in raw] == [value]
