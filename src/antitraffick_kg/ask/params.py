"""Parameter values as the RDF terms they stand for, looked up in the plan or in the vocabularies.

A unit name goes through the unit registry (any spelling, registry id or IRI), a place, target group or sector
through the scope vocabularies (``data/concepts.ttl``), a unit function through ``data/unit-functions.ttl``, a
policy area or task through the plan itself.  A value that names nothing raises an error listing the closest
names; no value is ever pasted into query text (see :mod:`antitraffick_kg.store.stores`).
"""

from __future__ import annotations

import datetime as dt
import json
import re
import unicodedata
from collections.abc import Callable, Collection, Iterator, Mapping
from dataclasses import dataclass
from functools import lru_cache

import pyoxigraph as ox

from .catalogue import CatalogueQuery, Parameter
from ..errors import QueryError, UnknownUnitError, closest
from ..rows import natural_key
from ..store.bindings import values_block
from ..store.stores import Store, Term

__all__ = ["bind_parameters", "ParamValue", "Absent", "PlanKey", "PARAMETER_RESOLVERS"]

ParamValue = str | int | dt.date

_ATK = "https://w3id.org/antitraffick-kg/ontology#"
_SKOS = "http://www.w3.org/2004/02/skos/core#"
_XSD = "http://www.w3.org/2001/XMLSchema#"
_SCHEME = "https://w3id.org/antitraffick-kg/id/scheme/"
_CONCEPT = "https://w3id.org/antitraffick-kg/id/concept/"
_CONCEPT_SCHEMES = {"place": ("places",), "target-group": ("target-groups",), "sector": ("sectors", "settings")}
_ROLES = {"lead": "lead", "负责": "lead", "support": "support", "配合": "support", "any": None, "任意": None}


class Absent(QueryError):
    """A parameter names nothing in the plan asked (with several plans: that plan has no rows)."""


def bind_parameters(q: CatalogueQuery, values: Mapping[str, ParamValue], *,
                    store: Callable[[], Store], resolved: Mapping[str, Term] | None = None) -> dict[str, Term]:
    """The RDF terms ``values`` stand for, by SPARQL variable; defaults filled, unknown names refused.

    ``store`` gives the store that policy areas and tasks are looked up in; ``resolved`` gives the terms of
    parameters already looked up (a unit's name, for each plan of a question to several).
    A parameter left unbound (``role=any``, an optional one not given) is absent.
    """
    for name in values:
        q.parameter(name)
    if q.needs and all(values.get(name) is None for name in q.needs):
        example = q.example_params()
        hint = " ".join(f"--param {n}={example[n]}" for n in q.needs if n in example)
        raise QueryError(f"query '{q.name}' needs parameter {' or '.join(repr(n) for n in q.needs)}"
                         + (f"; for example {hint}" if hint else ""))
    bindings: dict[str, Term] = {}
    for p in q.parameters:
        raw = values.get(p.name, p.default)
        if raw is None:
            if p.required:
                example = q.example_params().get(p.name)
                hint = f"; for example --param {p.name}={example}" if example else ""
                raise QueryError(f"query '{q.name}' needs parameter '{p.name}' ({p.type}): {p.description}{hint}")
            continue
        if resolved and p.name in resolved:
            bindings[p.variable] = resolved[p.name]
            continue
        text = raw.isoformat() if isinstance(raw, dt.date) else str(raw)
        term = _RESOLVERS[p.type](p, text if p.type == "text" else text.strip(), store)
        if term is not None:
            bindings[p.variable] = term
    return bindings


def _digits(value: str) -> str:
    """Full-width digits and dashes as ASCII (NFKC), so that every store gets the same year or date.

    A year or date becomes a typed literal, and rdflib reads ``"２０２３"^^xsd:integer``
    as 2023 where pyoxigraph finds it ill-formed: normalised here, both get ``2023``.

    >>> _digits("２０２３－０１－３１")
    '2023-01-31'
    """
    return unicodedata.normalize("NFKC", value).replace("\u2212", "-")


def _shown(value: str) -> str:
    """``value`` fit for a one-line message: control characters escaped, at most 80 characters."""
    shown = json.dumps(value, ensure_ascii=False)[1:-1]
    return shown if len(shown) <= 80 else shown[:77] + "..."


def _bad(p: Parameter, value: str, why: str) -> QueryError:
    return QueryError(f"parameter {p.name}: '{_shown(value)}' {why}")


_UNITS = """PREFIX atk: <https://w3id.org/antitraffick-kg/ontology#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX org: <http://www.w3.org/ns/org#>
SELECT ?unit ?id ?name WHERE { ?unit a atk:Unit ; org:identifier ?id .
  { ?unit atk:shortName ?name } UNION { ?unit skos:altLabel ?name } }"""


_UNIT_BY = {   # the same three tests as the scan below, each a lookup of one bound term
    "iri": "SELECT ?unit WHERE { ?unit a <%sUnit> ; <http://www.w3.org/ns/org#identifier> ?_id }" % _ATK,
    "name": ("SELECT DISTINCT ?unit WHERE { { ?unit <%sshortName> ?NAME } UNION { ?unit <%saltLabel> ?NAME } "
             "UNION { ?unit <%saltLabel> ?ZH } ?unit a <%sUnit> ; <http://www.w3.org/ns/org#identifier> ?_id }"
             % (_ATK, _SKOS, _SKOS, _ATK)),
    "id": "SELECT DISTINCT ?unit WHERE { ?unit a <%sUnit> ; <http://www.w3.org/ns/org#identifier> ?ID }" % _ATK,
}


_OTHER_PARENTHESES = str.maketrans({"(": "（", ")": "）", "（": "(", "）": ")"})


def _unit_lookups(value: str, iri: str, wanted: str) -> Iterator[tuple[str, dict[str, Term]]]:
    if re.match(r"[a-z][a-z0-9+.-]*:", iri, re.IGNORECASE):
        try:
            node = ox.NamedNode(iri)
        except ValueError:          # not an IRI: the scan below says the unit is unknown
            node = None
        if node is not None:
            yield "iri", {"unit": node}
    if wanted:
        yield "name", {"NAME": ox.Literal(wanted), "ZH": ox.Literal(wanted, language="zh")}
        # 各县(市)人民政府 typed with ASCII parentheses for the text's 各县（市）人民政府, or the other way round
        other = wanted.translate(_OTHER_PARENTHESES)
        if other != wanted:
            yield "name", {"NAME": ox.Literal(other), "ZH": ox.Literal(other, language="zh")}
    if value.strip():
        yield "id", {"ID": ox.Literal(value.strip())}


def _listed(values: list[str], shown: int = 5) -> str:
    """The first ``shown`` of ``values``, and how many more there are (a name can fit thousands in a corpus).

    >>> _listed(["a", "b", "c"], shown=2)
    'a, b and 1 more'
    """
    more = f" and {len(values) - shown:,} more" if len(values) > shown else ""
    return ", ".join(values[:shown]) + more


def _unit(p: Parameter, value: str, store: Callable[[], Store]) -> Term:
    """A unit of the plan(s) in the store, by IRI, short name, spelling variant or id.

    Each test is first a lookup of the value as a bound term (a few milliseconds in a corpus of any size: names as
    the graph writes them, short names as plain strings, spelling variants in Chinese); only when none of them
    finds a unit are all units' names read, for a name written with other spacing, and for suggestions.
    """
    iri = value[1:-1] if value.startswith("<") and value.endswith(">") else value
    wanted = re.sub(r"\s+", "", value)
    for test, bindings in _unit_lookups(value, iri, wanted):
        _, found = store().select(_UNIT_BY[test], bindings=bindings, source="looking up units")
        hits = sorted({r["unit"] for r in found})
        if len(hits) == 1:
            return ox.NamedNode(hits[0])
        if len(hits) > 1:
            raise _bad(p, value, f"names {len(hits):,} units: {_listed(hits)}; give the IRI")
    _, rows = store().select(_UNITS, source="looking up units")
    for test in (lambda r: r["unit"] == iri, lambda r: _fold(r["name"]) == _fold(wanted),
                 lambda r: r["id"] == value.strip()):
        hits = sorted({r["unit"] for r in rows if test(r)})
        if len(hits) == 1:
            return ox.NamedNode(hits[0])
        if len(hits) > 1:
            raise _bad(p, value, f"names {len(hits):,} units: {_listed(hits)}; give the IRI")
    names = sorted({r["name"] for r in rows})
    close = closest(wanted, names)
    raise UnknownUnitError(_shown(value), suggestions=close, where=f"parameter {p.name}")


def _role(p: Parameter, value: str, store) -> Term | None:
    if value.lower() not in _ROLES:
        raise _bad(p, value, "is not a role; choose lead, support or any")
    role = _ROLES[value.lower()]
    return None if role is None else ox.NamedNode(_ATK + role)


@dataclass(frozen=True)
class _Concept:
    iri: str
    scheme: str
    labels: tuple[str, ...]     # prefLabel and altLabel, any language
    terms: tuple[str, ...]      # atk:matchTerm: the document's words

    @property
    def id(self) -> str:
        return self.iri.rsplit("/", 1)[-1]


@lru_cache(maxsize=1)
def _concepts() -> tuple[_Concept, ...]:
    from ..resources import data_path

    found: dict[str, dict] = {}
    for quad in ox.parse(path=data_path("concepts.ttl"), format=ox.RdfFormat.TURTLE):
        s, p, o = quad.subject.value, quad.predicate.value, quad.object.value
        entry = found.setdefault(s, {"scheme": "", "labels": [], "terms": []})
        if p == _SKOS + "inScheme":
            entry["scheme"] = o.removeprefix(_SCHEME)
        elif p in (_SKOS + "prefLabel", _SKOS + "altLabel"):
            entry["labels"].append(o)
        elif p == _ATK + "matchTerm":
            entry["terms"].append(o)
    return tuple(_Concept(iri, e["scheme"], tuple(e["labels"]), tuple(e["terms"]))
                 for iri, e in sorted(found.items()) if e["scheme"])


def _concept(p: Parameter, value: str, store) -> Term:
    schemes = _CONCEPT_SCHEMES[p.type]
    iri = value[1:-1] if value.startswith("<") and value.endswith(">") else value
    key = value.casefold()
    tests = (lambda c: c.iri == iri or c.id == value, lambda c: key in (l.casefold() for l in c.labels),
             lambda c: value in c.terms)
    for test in tests:
        hits = [c for c in _concepts() if test(c)]
        mine = [c for c in hits if c.scheme in schemes]
        if len(mine) == 1:
            return ox.NamedNode(mine[0].iri)
        if len(mine) > 1:
            names = ", ".join(f"{c.labels[0]} ({c.id})" for c in mine)
            raise _bad(p, value, f"names several {p.type} concepts: {names}; give one by id")
        if hits:
            raise _bad(p, value, f"is a concept of {hits[0].scheme}, not a {p.type}")
    names = [name for c in _concepts() if c.scheme in schemes for name in (*c.labels, c.id)]
    close = closest(value, names, cutoff=0.4)
    hint = f"did you mean {', '.join(close)}?" if close else "see: antitraffick-kg query concepts"
    raise _bad(p, value, f"is not a known {p.type}; {hint}")


_FUNCTION_SCHEME = "unit-functions"


@lru_cache(maxsize=1)
def _functions() -> tuple[_Concept, ...]:
    """The unit-function concepts of ``data/unit-functions.ttl`` (their labels, and the names each level gives)."""
    from ..resources import data_path

    found: dict[str, dict] = {}
    for quad in ox.parse(path=data_path("unit-functions.ttl"), format=ox.RdfFormat.TURTLE):
        s, p, o = quad.subject.value, quad.predicate.value, quad.object.value
        entry = found.setdefault(s, {"scheme": "", "labels": [], "terms": []})
        if p == _SKOS + "inScheme":
            entry["scheme"] = o.removeprefix(_SCHEME)
        elif p in (_SKOS + "prefLabel", _SKOS + "altLabel", _SKOS + "notation"):
            entry["labels"].append(o)
        elif p.startswith(_ATK) and p.endswith("Name"):
            entry["terms"].append(o)
    return tuple(_Concept(iri, e["scheme"], tuple(e["labels"]), tuple(e["terms"]))
                 for iri, e in sorted(found.items()) if e["scheme"] == _FUNCTION_SCHEME)


def _function(p: Parameter, value: str, store) -> Term:
    """A unit function (``data/unit-functions.ttl``) by id, IRI or label in any language (妇联, women's
    federation); a unit's usual name at some level (州妇联, 全国妇联) names its function too."""
    iri = value[1:-1] if value.startswith("<") and value.endswith(">") else value
    key = value.casefold()
    for test in (lambda c: c.iri == iri or c.id == value, lambda c: key in (l.casefold() for l in c.labels),
                 lambda c: value in c.terms):
        hits = [c for c in _functions() if test(c)]
        if len(hits) == 1:
            return ox.NamedNode(hits[0].iri)
        if len(hits) > 1:
            names = ", ".join(f"{c.labels[0]} ({c.id})" for c in hits)
            raise _bad(p, value, f"names several unit functions: {names}; give one by id")
    names = [name for c in _functions() for name in (*c.labels, c.id)]
    close = closest(value, names, cutoff=0.4)
    hint = f"did you mean {', '.join(close)}?" if close else "see: antitraffick-kg query unit-functions"
    raise _bad(p, value, f"is not a unit function; {hint}")


_KEY_PREFIXES = """PREFIX atk: <https://w3id.org/antitraffick-kg/ontology#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX dcterms: <http://purl.org/dc/terms/>
"""
#: each value's datatype and language, beside it in every plan's rows of the lookup
_TERMS_OF_KEY = ("(DATATYPE(?key) AS ?key_type) (LANG(?key) AS ?key_lang) "
                 "(DATATYPE(?title) AS ?title_type) (LANG(?title) AS ?title_lang) ")
#: the patterns a policy area and a task are found by, in the plan's graphs
_AREA_PATTERN = ("?x a atk:PolicyArea ; skos:notation ?key ; skos:prefLabel ?title .\n"
                 "  OPTIONAL { ?x atk:narrativeNumber ?written }")
_TASK_PATTERN = "?x a atk:Task ; skos:notation ?key ; dcterms:title ?title ."


class PlanKey:
    """A resolver that finds a notation in the plan by notation or by name (policy areas, tasks): a notation,
    then a title as written (a plain or a Chinese literal), then any of them written with other spaces or
    parentheses.  :meth:`each_plan` finds it in many plans' graphs at once, by the same steps."""

    def __init__(self, pattern: str, what: str) -> None:
        self.what = what
        self.lookup = _KEY_PREFIXES + f"SELECT ?key ?title ?written WHERE {{ {pattern} }}"
        self._pattern = pattern
        #: the same lookup in every plan's own graph at once (with each value's datatype and language, so that
        #: its rows, once kept, answer the steps as the store does: :meth:`KeyRows.matching`)
        self.across = self._across({})

    def __call__(self, p: Parameter, value: str, store: Callable[[], Store]) -> Term:
        def select(bindings: Mapping[str, Term]) -> list[dict[str, str | None]]:
            _, rows = store().select(self.lookup, bindings=bindings or None, source=self._source)
            return [{**row, "plan_graph": ""} for row in rows]

        found = self._steps(p, value, select, {""})[""]
        if isinstance(found, QueryError):
            raise found
        return found

    def each_plan(self, p: Parameter, value: str, store: Store, graphs: Collection[str], *,
                  every: Callable[[], "KeyRows"] | None = None, known: "KeyRows | None" = None) -> "PlanKeys":
        """What ``value`` finds in each plan of ``graphs`` (its graph's IRI) as the plan's own question finds it
        (``store`` holding those graphs as named graphs): the notation, or the error its question gives
        (:class:`PlanKeys`: a plan finding nothing is in its ``lacking``).  ``every`` gives every plan's rows by
        graph (:meth:`rows_by_graph`, kept by the caller) when another spelling must be looked for; without it
        they are read from ``store``.  ``known``, those rows when already at hand, answers every step instead of
        the store (a lookup in a kept index, where the store reads every plan's graph)."""
        def select(bindings: Mapping[str, Term]) -> list[dict[str, str | None]]:
            return store.select(self._across(bindings), source=self._source)[1]

        if known is not None:
            return self._steps(p, value, known.matching, graphs, lambda: known)
        return self._steps(p, value, select, graphs, every)

    def _steps(self, p: Parameter, value: str, select: Callable[[Mapping[str, Term]], list[dict[str, str | None]]],
               graphs: Collection[str], every: Callable[[], "KeyRows"] | None = None) -> "PlanKeys":
        """The steps of the lookup for each plan of ``graphs``, ``select(bindings)`` giving the lookup's rows with
        the plan's graph (``plan_graph``).  A notation or a title as written is a lookup of the bound value; only
        another spelling reads every row."""
        out = PlanKeys()
        for row in select({"key": ox.Literal(value)}):
            if row["plan_graph"] in graphs:
                out[row["plan_graph"]] = ox.Literal(value)
        for title in (ox.Literal(value), ox.Literal(value, language="zh")):
            if len(out) == len(graphs):
                return out
            for graph, rows in _by_graph(select({"title": title})).items():
                if graph in graphs and graph not in out:
                    try:
                        found = self._one(p, value, rows)
                    except QueryError as exc:
                        out[graph] = exc
                        continue
                    if found is not None:
                        out[graph] = found
        if len(out) < len(graphs):          # another spelling, column by column
            kept = every() if every is not None else KeyRows(_by_graph(select({})))
            wanted = _fold(value)
            for column in ("key", "title", "written"):
                for graph, rows in kept.folded(column, wanted).items():
                    if graph in graphs and graph not in out:
                        try:
                            out[graph] = self._one(p, value, rows)     # type: ignore[assignment]
                        except QueryError as exc:
                            out[graph] = exc
            out.lacking = {graph for graph in graphs if graph not in out}
            out.absent = lambda graph: self._absent(p, value, kept.rows.get(graph, []))
        return out

    def rows_by_graph(self, store: Store) -> "KeyRows":
        """Every plan's rows of the lookup (notation, title, number as written), by the plan's graph."""
        _, rows = store.select(self.across, source=self._source)
        return KeyRows(_by_graph(rows))

    def _across(self, bindings: Mapping[str, Term]) -> str:
        """The lookup in every plan's own graph, with ``bindings`` inside the GRAPH block."""
        return (_KEY_PREFIXES + "SELECT ?plan_graph ?key ?title ?written " + _TERMS_OF_KEY +
                f"WHERE {{ GRAPH ?plan_graph {{ {values_block(bindings) if bindings else ''}{self._pattern} }} }}")

    @property
    def _source(self) -> str:
        return f"looking up {self.what}s"

    def _one(self, p: Parameter, value: str, rows: list[dict[str, str | None]]) -> Term | None:
        keys = sorted({r["key"] for r in rows}, key=natural_key)
        if len(keys) > 1:
            raise _bad(p, value, f"names {len(keys):,} {self.what}s: {_listed(keys)}; give the notation")
        return ox.Literal(keys[0]) if keys else None

    def _absent(self, p: Parameter, value: str, rows: list[dict[str, str | None]]) -> Absent:
        return _Unfound(self._unfound, p, value, rows)

    def _unfound(self, p: Parameter, value: str, rows: list[dict[str, str | None]]) -> str:
        """What a plan's question says of ``value``, which names none of its ``rows``."""
        names = sorted({r[c] for r in rows for c in ("key", "title") if r.get(c)})
        close = closest(value, names)
        hint = f"; did you mean {', '.join(close)}?" if close else ""
        return f"parameter {p.name}: '{_shown(value)}' is not a {self.what} of the plan{hint}"


class PlanKeys(dict):
    """What a value finds in each plan (its graph's IRI): its notation, or the error of a value naming several;
    a plan finding nothing is no key of it but one of :attr:`lacking`, and its :class:`Absent` error (with the
    plan's closest names) is made when it is asked for: of thousands of plans lacking a task, few are."""

    def __init__(self) -> None:
        super().__init__()
        #: the plans finding nothing (their graphs)
        self.lacking: set[str] = set()
        #: what makes a plan's error, given its graph
        self.absent: Callable[[str], Absent] | None = None
        self._made: dict[str, Absent] = {}

    def __missing__(self, graph: str) -> Absent:
        if graph not in self.lacking or self.absent is None:
            raise KeyError(graph)
        if graph not in self._made:
            self._made[graph] = self.absent(graph)
        return self._made[graph]


class KeyRows:
    """Every plan's tasks or policy areas (notation, title, number as written) by the plan's graph, and by each
    column's value written without spaces (:func:`_fold`), indexed when first asked."""

    def __init__(self, rows: dict[str, list[dict[str, str | None]]]) -> None:
        self.rows = rows
        self._folded: dict[str, dict[str, dict[str, list[dict[str, str | None]]]]] = {}
        self._terms: dict[tuple[str, str, str, str], list[dict[str, str | None]]] | None = None

    def matching(self, bindings: Mapping[str, Term]) -> list[dict[str, str | None]]:
        """The rows the lookup gives with ``bindings`` (one literal, of ``key`` or ``title``; none: every row), as
        the store gives them: a value matches one term, the same text with the same datatype and language."""
        if not bindings:
            return [row for rows in self.rows.values() for row in rows]
        if self._terms is None:
            index: dict[tuple[str, str, str, str], list[dict[str, str | None]]] = {}
            for rows in self.rows.values():
                for row in rows:
                    for column in ("key", "title"):
                        term = (column, row[column] or "", row[column + "_type"] or "", row[column + "_lang"] or "")
                        index.setdefault(term, []).append(row)
            self._terms = index
        ((column, term),) = bindings.items()
        if not isinstance(term, ox.Literal):
            return []
        return self._terms.get((column, term.value, term.datatype.value, term.language or ""), [])

    def folded(self, column: str, wanted: str) -> dict[str, list[dict[str, str | None]]]:
        """The rows whose ``column``, without spaces, is ``wanted``, by graph."""
        if column not in self._folded:
            index: dict[str, dict[str, list[dict[str, str | None]]]] = {}
            for graph, rows in self.rows.items():
                for row in rows:
                    index.setdefault(_fold(row.get(column) or ""), {}).setdefault(graph, []).append(row)
            self._folded[column] = index
        return self._folded[column].get(wanted, {})


class _Unfound(Absent):
    """A parameter naming nothing in a plan, its message (with the plan's closest names) written when it is first
    read: of many plans lacking a task, only the first one's is ever shown."""

    def __init__(self, write: Callable[..., str], *args) -> None:
        # (made for each plan lacking the value, thousands at a time: no work here but keeping what to write)
        super().__init__()              # (the exception keeps no reference to what it is given)
        self._write: Callable[..., str] | None = write
        self._given = args
        self._text = ""

    def __str__(self) -> str:
        if self._write is not None:
            self._text, self._write, self._given = self._write(*self._given), None, ()
        return self._text

    @property                       # type: ignore[override]
    def args(self) -> tuple[str]:   # (the message, as any error's, written when first read)
        return (str(self),)

    @args.setter
    def args(self, _value) -> None:
        pass

    def __repr__(self) -> str:
        return f"Absent({str(self)!r})"

    def __reduce__(self):
        return Absent, (str(self),)


def _by_graph(rows: list[dict[str, str | None]]) -> dict[str, list[dict[str, str | None]]]:
    out: dict[str, list[dict[str, str | None]]] = {}
    for row in rows:
        out.setdefault(row["plan_graph"] or "", []).append(row)
    return out


@lru_cache(maxsize=1 << 16)          # the plans of a corpus repeat the same headings
def _fold(text: str) -> str:
    """A name without spaces, with ASCII parentheses: '四（一）' and '四(一)' are one name."""
    return re.sub(r"\s+", "", text).replace("（", "(").replace("）", ")")


def _year(p: Parameter, value: str, store) -> Term:
    value = _digits(value)
    if not re.fullmatch(r"[0-9]{4}", value):
        raise _bad(p, value, "is not a year; give four digits, such as 2023")
    return ox.Literal(value, datatype=ox.NamedNode(_XSD + "integer"))


def _date(p: Parameter, value: str, store) -> Term:
    value = _digits(value)
    if value.lower() == "today":
        day = dt.date.today()
    else:
        try:
            day = dt.date.fromisoformat(value)
        except ValueError:
            raise _bad(p, value, "is not a date; give YYYY-MM-DD, or today") from None
    return ox.Literal(day.isoformat(), datatype=ox.NamedNode(_XSD + "date"))


def _text(p: Parameter, value: str, store) -> Term:
    if not value or len(value) > 200:
        raise _bad(p, value, "is empty or too long; give 1 to 200 characters")
    return ox.Literal(value)


_DOCUMENTS = """PREFIX eli: <http://data.europa.eu/eli/ontology#>
SELECT ?node ?key ?number WHERE { ?node a eli:LegalResource .
  BIND (STRAFTER(STR(?node), "/id/plan/") AS ?key) OPTIONAL { ?node eli:id_local ?number } }"""
_MEASURES = """PREFIX atk: <https://w3id.org/antitraffick-kg/ontology#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT ?node ?key WHERE { ?node a atk:Measure ; skos:notation ?key }"""


def _node_key(lookup: str, what: str) -> Callable[[Parameter, str, Callable[[], Store]], Term]:
    """A resolver that finds a node (plan document, measure) by IRI, key or number; one match or an error."""

    def resolve(p: Parameter, value: str, store: Callable[[], Store]) -> Term:
        _, rows = store().select(lookup, source=f"looking up {what}s")
        iri = value[1:-1] if value.startswith("<") and value.endswith(">") else value
        for column in ("node", "key", "number"):
            hits = sorted({r["node"] for r in rows if r.get(column) and _fold(r[column]) == _fold(iri)})
            if len(hits) == 1:
                return ox.NamedNode(hits[0])
            if len(hits) > 1:
                raise _bad(p, value, f"names {len(hits):,} {what}s: {_listed(hits)}; give the IRI")
        names = sorted({r["key"] for r in rows if r.get("key")}, key=natural_key)
        close = closest(value, names)
        hint = f"; did you mean {', '.join(close)}?" if close else ""
        raise Absent(f"parameter {p.name}: '{_shown(value)}' is not a {what} in the store{hint}")

    return resolve


def _endpoint(p: Parameter, value: str, store: Callable[[], Store]) -> Term:
    """An endpoint of a ``SERVICE``: only a URL on the store's ``--allow-service`` list, as an IRI (never text)."""
    allowed = getattr(store(), "allow_service", frozenset())
    if value not in allowed:
        listed = ", ".join(sorted(allowed)) or "none"
        raise _bad(p, value, f"is not on --allow-service (allowed: {listed}); a query reaches another server only "
                             "when the user names it there")
    return ox.NamedNode(value)


_RESOLVERS: dict[str, Callable[[Parameter, str, Callable[[], Store]], Term | None]] = {
    "endpoint": _endpoint,
    "plan": _node_key(_DOCUMENTS, "plan document"), "measure": _node_key(_MEASURES, "measure"),
    "unit": _unit, "function": _function, "role": _role, "place": _concept, "target-group": _concept, "sector": _concept,
    "area": PlanKey(_AREA_PATTERN, "policy area"), "task": PlanKey(_TASK_PATTERN, "task"),
    "year": _year, "date": _date, "text": _text,
}


#: every query a parameter's resolver asks of the store (a plan's graphs held for one question must answer them too)
STORE_LOOKUPS = (*_UNIT_BY.values(), _UNITS, _RESOLVERS["area"].lookup, _RESOLVERS["task"].lookup,  # type: ignore
                 _DOCUMENTS, _MEASURES)

#: what resolves a parameter of each type (the types of :data:`~antitraffick_kg.ask.catalogue.PARAMETER_TYPES`)
PARAMETER_RESOLVERS = _RESOLVERS
