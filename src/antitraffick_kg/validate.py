"""Validate plan graphs against the ontology and the SHACL shapes in ``ontology/shapes.ttl``.

Two engines give the same results, result for result (the test suite checks it on the plan and on a broken
fixture for every shape):

* ``pyshacl`` -- the reference: pySHACL over an rdflib graph, without inference;
* ``oxigraph`` -- the fast path: every constraint compiled to one SPARQL query run on a pyoxigraph store.

Both validate the same data: the input loaded into a pyoxigraph store, plus the ontology (so that ``sh:class``
sees ``rdfs:subClassOf``; nothing is inferred).  The store keeps derived integer types as ``xsd:integer``, so
the shapes check integer ranges rather than types such as ``xsd:nonNegativeInteger``.

>>> from antitraffick_kg.validate import validate
>>> result = validate(engine="oxigraph")
>>> result.conforms, result.violations
(True, 0)
"""

from __future__ import annotations

import json
import logging
import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Literal, Sequence

from .errors import InputError
from .rdfread import DEFAULT_MAX_BYTES, INPUT_FORMATS, InputFormat, read_files
from .rows import natural_key
from .terms import to_rdflib
from .resources import DEFAULT_PLAN
from .resources import ontology_path, shapes_path

if TYPE_CHECKING:  # pragma: no cover
    from .corpus import Corpus
    import pyoxigraph
    from rdflib import Graph

__all__ = ["validate", "validate_store", "load_store", "ValidationResult", "Result", "Engine", "InputFormat",
           "ENGINES", "INPUT_FORMATS", "DEFAULT_MAX_BYTES"]

Engine = Literal["pyshacl", "oxigraph"]
ENGINES: tuple[str, ...] = ("pyshacl", "oxigraph")

SH = "http://www.w3.org/ns/shacl#"
ATK = "https://w3id.org/antitraffick-kg/ontology#"
_OA = "http://www.w3.org/ns/oa#"
_RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
_SEVERITY = {SH + "Violation": "violation", SH + "Warning": "warning", SH + "Info": "info"}
_CJK = re.compile(r"[\u3400-\u9fff]")
_INSTANCE_OF = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>/<http://www.w3.org/2000/01/rdf-schema#subClassOf>*"


# ---------------------------------------------------------------------------
# Results
# ---------------------------------------------------------------------------
@dataclass(frozen=True)
class Result:
    """One validation result, with where it is in the plan.

    ``severity, shape, component, focus, path, value, messages`` come from the report graph and are what the
    two engines must agree on (:meth:`key`); ``task`` (its notation, or its IRI when it has none), ``title``,
    ``unit``, ``year`` (the year at fault, when the value is one), ``quote`` and
    ``line`` are looked up in the data to make the report readable.
    """

    severity: str
    shape: str
    component: str
    focus: str
    path: str | None
    value: str | None
    messages: tuple[str, ...]
    task: str | None = None
    title: str | None = None
    unit: str | None = None
    year: int | None = None
    quote: str | None = None
    line: int | None = None

    def key(self) -> tuple:
        return (self.severity, self.shape, self.component, self.focus, self.path, self.value, self.messages)

    def message(self, lang: Literal["zh", "en"]) -> str:
        """The message in Chinese or English (pySHACL drops the language tag of SPARQL-based messages)."""
        want_zh = lang == "zh"
        return next((m for m in self.messages if bool(_CJK.search(m)) == want_zh), "")

    def as_dict(self) -> dict:
        return {"severity": self.severity, "shape": self.shape, "component": self.component,
                "focus": self.focus, "path": self.path, "value": self.value,
                "message": {"zh": self.message("zh"), "en": self.message("en")},
                "task": {"notation": self.task, "title": self.title} if self.task else None,
                "unit": self.unit, "year": self.year, "quote": self.quote, "line": self.line}


@dataclass(frozen=True)
class ValidationResult:
    """What :func:`validate` found: ``conforms`` (no violation; warnings allowed), the SHACL report graph,
    the results with their context, a readable ``text`` grouped by task, and what was checked."""

    conforms: bool
    report: "Graph"
    results: tuple[Result, ...]
    text: str
    engine: str
    inputs: tuple[str, ...]
    checked: tuple[tuple[str, int], ...]

    @property
    def violations(self) -> int:
        return sum(1 for r in self.results if r.severity == "violation")

    @property
    def warnings(self) -> int:
        return sum(1 for r in self.results if r.severity == "warning")

    def to_json(self) -> str:
        """The report as stable JSON: same input, same bytes."""
        data = {"conforms": self.conforms, "engine": self.engine, "inputs": list(self.inputs),
                "summary": {"violations": self.violations, "warnings": self.warnings,
                            "infos": sum(1 for r in self.results if r.severity == "info"),
                            "checked": dict(self.checked)},
                "results": [r.as_dict() for r in self.results]}
        return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def load_store(paths: Sequence[str | Path] = (), *, plan: str | None = DEFAULT_PLAN,
               input_format: InputFormat | None = None, build_dir: str | Path = "build", max_bytes: int = DEFAULT_MAX_BYTES,
               corpus: "Corpus | None" = None) -> "pyoxigraph.Store":
    """A pyoxigraph store with the given RDF files, or the plan when there are none.

    The plan comes from ``corpus`` when given (its graphs only; every plan's
    when ``plan`` is None), else from
    ``build_dir`` (see :func:`~antitraffick_kg.sources.plan_nquads`).  Raises
    :class:`InputError` (with file, line and column for a syntax error) when a
    file cannot be used, or the plan is not in the corpus.
    """
    import pyoxigraph as ox

    from .sources import plan_nquads

    if paths:
        return read_files(paths, input_format=input_format, max_bytes=max_bytes)
    store = ox.Store()
    data = corpus.nquads(plan) if corpus is not None else plan_nquads(plan, build_dir=build_dir)
    store.load(data, format=ox.RdfFormat.N_QUADS)
    return store


# ---------------------------------------------------------------------------
# The two engines
# ---------------------------------------------------------------------------
def _shapes_graph() -> "Graph":
    from rdflib import Graph

    return Graph().parse(str(shapes_path()), format="turtle")


def _with_ontology(store) -> None:
    """Put our ontology in the ontology graph, replacing what the input had there (a built dataset carries a
    copy whose blank nodes would otherwise double the disjointness lists)."""
    import pyoxigraph as ox

    from .build import ONTOLOGY_GRAPH

    graph = ox.NamedNode(str(ONTOLOGY_GRAPH))
    store.remove_graph(graph)
    store.load(path=str(ontology_path()), format=ox.RdfFormat.TURTLE, to_graph=graph)


def _reference(store, shapes: "Graph") -> "Graph":
    import pyshacl
    from rdflib import Graph

    data = Graph()
    for q in store:
        data.add((to_rdflib(q.subject), to_rdflib(q.predicate), to_rdflib(q.object)))
    _conforms, report, _text = pyshacl.validate(data, shacl_graph=shapes, inference="none", inplace=True,
                                                allow_warnings=True, advanced=False)
    return report


class _Compiler:
    """Compile the SHACL Core components and SPARQL constraints that ``shapes.ttl`` uses into SPARQL SELECT
    queries over the whole store, one per constraint; anything else in the shapes is refused."""

    NODE = {"targetClass", "targetNode", "targetObjectsOf", "targetSubjectsOf", "property", "severity", "message",
            "class", "sparql"}
    PROPERTY = {"path", "minCount", "maxCount", "datatype", "class", "in", "languageIn", "uniqueLang",
                "minInclusive", "minLength", "pattern", "lessThanOrEquals", "equals", "qualifiedValueShape",
                "qualifiedMinCount", "severity", "message", "name", "description"}

    def __init__(self, sg: "Graph") -> None:
        from rdflib import Namespace

        self.sg, self.sh = sg, Namespace(SH)
        self.prefixes = "".join(f"PREFIX {sg.value(d, self.sh.prefix)}: <{sg.value(d, self.sh.namespace)}>\n"
                                for d in sorted(sg.objects(None, self.sh.declare)))

    def refuse(self, shape, what: str) -> None:
        raise InputError(f"the fast path cannot compile {what} in shape {shape}", path=str(shapes_path()))

    def params(self, shape, allowed: set[str]) -> dict[str, list]:
        found: dict[str, list] = {}
        for p, o in self.sg.predicate_objects(shape):
            if str(p).startswith(SH):
                name = str(p)[len(SH):]
                if name not in allowed:
                    self.refuse(shape, f"sh:{name}")
                found.setdefault(name, []).append(o)
        return found

    def target(self, shape, params: dict) -> str | None:
        n3 = lambda t: t.n3()  # noqa: E731
        parts = [f"?this {_INSTANCE_OF} {n3(c)} ." for c in params.get("targetClass", [])]
        parts += [f"VALUES ?this {{ {n3(n)} }}" for n in params.get("targetNode", [])]
        parts += [f"?_s {n3(p)} ?this ." for p in params.get("targetObjectsOf", [])]
        parts += [f"?this {n3(p)} ?_o ." for p in params.get("targetSubjectsOf", [])]
        if not parts:
            return None
        return "{ SELECT DISTINCT ?this WHERE { " + " UNION ".join("{ " + p + " }" for p in parts) + " } }"

    def path(self, node) -> str:
        from rdflib import BNode
        from rdflib.collection import Collection

        if not isinstance(node, BNode):
            return node.n3()
        inverse = self.sg.value(node, self.sh.inversePath)
        if inverse is not None:
            return "^" + self.path(inverse)
        items = list(Collection(self.sg, node))  # a sequence path; other kinds of path have no rdf:first
        if items:
            return "/".join(self.path(i) for i in items)
        self.refuse(node, "this property path")
        return ""  # pragma: no cover

    def value_ok(self, shape, name: str, arg) -> str:
        """A SPARQL expression, true when ``?value`` satisfies component ``name`` with parameter ``arg``."""
        from rdflib.collection import Collection
        from rdflib.namespace import XSD

        if name == "datatype":
            numeric = " && isNumeric(?value)" if arg == XSD.integer else ""
            return f"isLiteral(?value) && sameTerm(datatype(?value), {arg.n3()}){numeric}"
        if name == "in":
            return "(" + " || ".join(f"sameTerm(?value, {t.n3()})" for t in Collection(self.sg, arg)) + ")"
        if name == "languageIn":
            tags = " || ".join(f'langMatches(lang(?value), {t.n3()})' for t in Collection(self.sg, arg))
            return f"isLiteral(?value) && ({tags})"
        if name == "minInclusive":
            return f"COALESCE(?value >= {arg.n3()}, false)"
        if name == "minLength":
            return f"!isBlank(?value) && STRLEN(STR(?value)) >= {int(arg)}"
        if name == "pattern":
            return f"!isBlank(?value) && REGEX(STR(?value), {arg.n3()})"
        self.refuse(shape, f"sh:{name} here")
        return ""  # pragma: no cover

    def checks(self) -> list[tuple]:
        """(shape, component, query, path node or None, node-level?, sh:sparql node or None) per constraint."""
        from rdflib.namespace import RDF

        out: list[tuple] = []
        for shape in sorted(set(self.sg.subjects(RDF.type, self.sh.NodeShape))):
            params = self.params(shape, self.NODE)
            target = self.target(shape, params)
            if target is None:
                continue
            for c in params.get("class", []):
                out.append((shape, "Class", f"SELECT DISTINCT ?this WHERE {{ {target} "
                            f"MINUS {{ ?this {_INSTANCE_OF} {c.n3()} }} }}", None, True, None))
            for node in params.get("sparql", []):
                out.append((shape, "SPARQL", self.sparql(node, target), None, True, node))
            for prop in sorted(params.get("property", [])):
                out += self.property_checks(prop, target)
        return out

    def sparql(self, node, target: str) -> str:
        text = str(self.sg.value(node, self.sh.select)).replace("$this", "?this")
        where = re.search(r"\bWHERE\s*\{", text, re.IGNORECASE)
        if where is None:
            self.refuse(node, "a SPARQL constraint without WHERE {")
        return self.prefixes + text[:where.end()] + f" {target} " + text[where.end():]

    def property_checks(self, prop, target: str) -> list[tuple]:
        params = self.params(prop, self.PROPERTY)
        path_node = params["path"][0]
        path = self.path(path_node)
        base = f"{target} ?this {path} ?value ."
        out = []

        def add(component: str, query: str) -> None:
            out.append((prop, component, query, path_node, False, None))

        for name, args in sorted(params.items()):
            for arg in args:
                if name in ("datatype", "in", "languageIn", "minInclusive", "minLength", "pattern"):
                    add(name[0].upper() + name[1:],
                        f"SELECT DISTINCT ?this ?value WHERE {{ {base} FILTER (!({self.value_ok(prop, name, arg)})) }}")
                elif name == "class":
                    add("Class", f"SELECT DISTINCT ?this ?value WHERE {{ {base} "
                                 f"MINUS {{ ?value {_INSTANCE_OF} {arg.n3()} }} }}")
                elif name == "minCount" and int(arg) == 1:
                    add("MinCount", f"SELECT DISTINCT ?this WHERE {{ {target} MINUS {{ ?this {path} ?value }} }}")
                elif name == "maxCount":
                    add("MaxCount", f"SELECT ?this WHERE {{ {base} }} GROUP BY ?this "
                                    f"HAVING (COUNT(DISTINCT ?value) > {int(arg)})")
                elif name == "uniqueLang" and arg.toPython() is True:
                    add("UniqueLang", f'SELECT ?this WHERE {{ {base} FILTER (lang(?value) != "") }} '
                                      "GROUP BY ?this (LCASE(lang(?value)) AS ?lang) HAVING (COUNT(DISTINCT ?value) > 1)")
                elif name == "lessThanOrEquals":
                    add("LessThanOrEquals", f"SELECT DISTINCT ?this ?value ?other WHERE {{ {base} "
                                            f"?this {arg.n3()} ?other . FILTER (!COALESCE(?value <= ?other, false)) }}")
                elif name == "equals":
                    add("Equals", f"SELECT DISTINCT ?this ?value WHERE {{ {{ {base} MINUS {{ ?this {arg.n3()} ?value }} }}"
                                  f" UNION {{ {target} ?this {arg.n3()} ?value . MINUS {{ ?this {path} ?value }} }} }}")
                elif name == "qualifiedMinCount" and int(arg) == 1:
                    inner = params["qualifiedValueShape"][0]
                    conds = [self.value_ok(inner, str(p)[len(SH):], o)
                             for p, o in self.sg.predicate_objects(inner) if str(p).startswith(SH)]
                    add("QualifiedMinCount", f"SELECT DISTINCT ?this WHERE {{ {target} "
                                             f"MINUS {{ ?this {path} ?value FILTER ({' && '.join(conds)}) }} }}")
                elif name not in ("path", "severity", "message", "name", "description", "qualifiedValueShape"):
                    self.refuse(prop, f"sh:{name} {arg}")
        return out


def _copy(source: "Graph", node, target: "Graph") -> None:
    """Copy the blank-node structure under ``node`` (a property path) from ``source`` into ``target``."""
    from rdflib import BNode

    for p, o in source.predicate_objects(node):
        target.add((node, p, o))
        if isinstance(o, BNode):
            _copy(source, o, target)


def _fill(template: str, bound: dict) -> str:
    return re.sub(r"\{[?$](\w+)\}", lambda m: str(bound[m.group(1)]) if m.group(1) in bound else m.group(0), template)


def _fast(store, shapes: "Graph") -> "Graph":
    from rdflib import BNode, Graph, Literal, Namespace, URIRef
    from rdflib.namespace import RDF

    sh = Namespace(SH)
    g = Graph()
    g.bind("sh", sh)
    report = BNode()
    g.add((report, RDF.type, sh.ValidationReport))
    conforms = True
    for shape, component, query, path, node_level, sparql in _Compiler(shapes).checks():
        severity = shapes.value(shape, sh.severity) or sh.Violation
        solutions = store.query(query, use_default_graph_as_union=True)
        names = [v.value for v in solutions.variables]
        for row in solutions:
            bound = {n: to_rdflib(row[n]) for n in names if row[n] is not None}
            r = BNode()
            g.add((report, sh.result, r))
            g.add((r, RDF.type, sh.ValidationResult))
            g.add((r, sh.focusNode, bound["this"]))
            g.add((r, sh.resultSeverity, severity))
            g.add((r, sh.sourceShape, shape))
            g.add((r, sh.sourceConstraintComponent, URIRef(f"{SH}{component}ConstraintComponent")))
            value = bound.get("value", bound["this"] if node_level else None)
            if value is not None:
                g.add((r, sh.value, value))
            result_path = bound.get("path", path)
            if result_path is not None:
                g.add((r, sh.resultPath, result_path))
                _copy(shapes, result_path, g)
            if sparql is None:
                for m in shapes.objects(shape, sh.message):
                    g.add((r, sh.resultMessage, m))
            else:
                g.add((r, sh.sourceConstraint, sparql))
                for m in [*shapes.objects(sparql, sh.message), *shapes.objects(shape, sh.message)]:
                    g.add((r, sh.resultMessage, Literal(_fill(str(m), bound))))
            conforms = conforms and severity != sh.Violation
    g.add((report, sh.conforms, Literal(conforms)))
    return g


# ---------------------------------------------------------------------------
# Reading the report: results with their place in the plan
# ---------------------------------------------------------------------------
def _term_text(term) -> str | None:
    from rdflib import BNode

    return None if term is None else f"_:{term}" if isinstance(term, BNode) else str(term)


def _path_text(report: "Graph", node) -> str | None:
    from rdflib import BNode, Namespace
    from rdflib.collection import Collection

    sh = Namespace(SH)
    if node is None or not isinstance(node, BNode):
        return _term_text(node)
    inverse = report.value(node, sh.inversePath)
    if inverse is not None:
        return f"^<{inverse}>" if not isinstance(inverse, BNode) else "^(" + _path_text(report, inverse) + ")"
    return "/".join(f"<{i}>" if not isinstance(i, BNode) else f"({_path_text(report, i)})"
                    for i in Collection(report, node))


class _Places:
    """Looks up, in the store, which task a node belongs to, the unit or year it names, and its quote."""

    def __init__(self, store) -> None:
        import pyoxigraph as ox

        self.store, self.ox = store, ox

    def node(self, term):
        """The store's term for an rdflib IRI or blank node; None for a literal."""
        from rdflib import BNode, URIRef

        if isinstance(term, URIRef):
            return self.ox.NamedNode(str(term))
        return self.ox.BlankNode(str(term)) if isinstance(term, BNode) else None

    def objects(self, s, p: str) -> list:
        return [q.object for q in self.store.quads_for_pattern(s, self.ox.NamedNode(p), None, None)]

    def subjects(self, p: str, o) -> list:
        return [q.subject for q in self.store.quads_for_pattern(None, self.ox.NamedNode(p), o, None)]

    def first(self, s, p: str):
        return min(self.objects(s, p), key=str, default=None)

    def quote(self, node) -> tuple[str | None, int | None]:
        """The exact quote and line of ``node`` if it is a passage, else of its first evidence."""
        passages = [node] if self.objects(node, _OA + "hasSelector") else self.objects(node, ATK + "evidence")
        for passage in sorted(passages, key=str):
            for selector in self.objects(passage, _OA + "hasSelector"):
                exact = self.first(selector, _OA + "exact")
                if exact is not None:
                    line = self.first(passage, ATK + "line")
                    return exact.value, int(line.value) if line is not None else None
        return None, None

    def unit_name(self, unit) -> str:
        name = self.first(unit, ATK + "shortName")
        return name.value if name is not None else str(getattr(unit, "value", unit)).rsplit("/", 1)[-1]

    def describe(self, node, depth: int = 0) -> dict:
        """``task`` node, ``unit`` name, ``quote`` and ``line`` of a node, as far as the graph says."""
        if node is None:
            return {}
        found: dict = {}
        types = {t.value for t in self.objects(node, _RDF_TYPE)}
        owners = self.subjects(ATK + "hasMilestone", node) or self.subjects(ATK + "statement", node)
        if ATK + "Task" in types:
            found["task"] = node
        elif self.objects(node, ATK + "task"):
            found["task"] = self.first(node, ATK + "task")
            unit = self.first(node, ATK + "unit")
            found["unit"] = self.unit_name(unit) if unit is not None else None
        elif owners:
            found["task"] = sorted(owners, key=str)[0]
        elif self.objects(node, ATK + "shortName") or ATK + "Unit" in types or self.subjects(ATK + "unit", node):
            found["unit"] = self.unit_name(node)
        elif depth == 0 and self.subjects(ATK + "evidence", node):
            owner = sorted(self.subjects(ATK + "evidence", node), key=str)[0]
            found = {k: v for k, v in self.describe(owner, depth + 1).items() if k not in ("quote", "line")}
        found["quote"], found["line"] = self.quote(node)
        return found

    def result(self, fields: dict, focus, value) -> Result:
        """A :class:`Result` with the place of its value (when that is a node of the plan) or its focus."""
        place = self.describe(self.node(focus))
        of_value = self.describe(self.node(value)) if value is not None and value != focus else {}
        if "task" in of_value or "unit" in of_value:
            place = of_value
        elif (fields["path"] or "").endswith(("Year", "#year")) and str(value).isdigit():
            place["year"] = int(str(value))
        task = place.get("task")
        notation = self.first(task, "http://www.w3.org/2004/02/skos/core#notation") if task is not None else None
        title = self.first(task, "http://purl.org/dc/terms/title") if task is not None else None
        return Result(**fields, task=notation.value if notation is not None else task.value if task else None,
                      title=title.value if title is not None else None, unit=place.get("unit"),
                      year=place.get("year"), quote=place.get("quote"), line=place.get("line"))


def _read_report(report: "Graph", store) -> list[Result]:
    from rdflib import Namespace
    from rdflib.namespace import RDF

    sh = Namespace(SH)
    places = _Places(store)
    results = []
    for r in report.subjects(RDF.type, sh.ValidationResult):
        focus, value = report.value(r, sh.focusNode), report.value(r, sh.value)
        fields = {"severity": _SEVERITY.get(str(report.value(r, sh.resultSeverity)), "violation"),
                  "shape": str(report.value(r, sh.sourceShape)),
                  "component": str(report.value(r, sh.sourceConstraintComponent)),
                  "focus": _term_text(focus),
                  "path": _path_text(report, report.value(r, sh.resultPath)),
                  "value": _term_text(value),
                  "messages": tuple(sorted(str(m) for m in report.objects(r, sh.resultMessage)))}
        results.append(places.result(fields, focus, value))
    return results


def _order(r: Result) -> tuple:

    rank = {"violation": 0, "warning": 1, "info": 2}.get(r.severity, 3)
    return (r.task is None, natural_key(r.task), rank, r.shape, r.focus, r.path or "", r.value or "", r.messages)


def _checked(store) -> tuple[tuple[str, int], ...]:
    counts = []
    for name, cls in (("tasks", "Task"), ("assignments", "Assignment"), ("units", "Unit"), ("milestones", "Milestone")):
        rows = store.query(f"SELECT (COUNT(DISTINCT ?x) AS ?n) WHERE {{ ?x {_INSTANCE_OF} <{ATK}{cls}> }}",
                           use_default_graph_as_union=True)
        counts.append((name, int(next(iter(rows))["n"].value)))
    return tuple(counts)


def shorten(text: str, limit: int = 64) -> str:
    """``text`` on one line, its middle cut when it is longer than ``limit`` (lists stand at the end of items).

    >>> shorten("一二三四五六七八九十", limit=6)
    '一二…八九十'
    """
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    head = (limit - 1) // 2
    return text[:head] + "…" + text[len(text) - (limit - 1 - head):]


def _text(results: Sequence[Result], *, conforms: bool, engine: str, inputs: Sequence[str],
          checked: Sequence[tuple[str, int]]) -> str:
    violations = sum(1 for r in results if r.severity == "violation")
    warnings = sum(1 for r in results if r.severity == "warning")
    verdict = "conforms" if conforms else "does not conform"
    lines = [f"{', '.join(inputs)} ({engine}): {verdict}: {violations} violation(s), {warnings} warning(s)",
             "checked: " + ", ".join(f"{n} {name}" for name, n in checked)]
    if dict(checked).get("tasks") == 0:
        lines.append("note: the input holds no tasks (atk:Task); is it a plan graph?")
    group = object()
    for r in results:
        if r.task != group:
            group = r.task
            lines += ["", f"{r.task} {r.title or ''}".rstrip() if r.task else "Not tied to a task"]
        at = f"unit {r.unit}" if r.unit else f"year {r.year}" if r.year is not None else ""
        if not at and not r.task:
            at = r.value or r.focus
        lines.append(f"  {r.severity} {r.shape.rsplit('#', 1)[-1]}" + (f": {at}" if at else ""))
        lines += [f"    {m}" for m in (r.message("en"), r.message("zh")) if m]
        if r.quote:
            lines.append(f"    line {r.line}: “{shorten(r.quote)}”" if r.line else f"    “{shorten(r.quote)}”")
    return "\n".join(lines) + "\n"


def validate_store(store: "pyoxigraph.Store", *, engine: Engine = "pyshacl", inputs: Sequence[str] = ()
                   ) -> ValidationResult:
    """Validate what ``store`` holds (the ontology is added to it) with ``engine``."""
    if engine not in ENGINES:
        raise InputError(f"unknown engine '{engine}'; choose one of {', '.join(ENGINES)}")
    shapes = _shapes_graph()
    _with_ontology(store)
    term_log = logging.getLogger("rdflib.term")  # it logs a traceback for every ill-typed literal it meets
    level = term_log.level
    term_log.setLevel(logging.CRITICAL)
    try:
        report = _reference(store, shapes) if engine == "pyshacl" else _fast(store, shapes)
        results = tuple(sorted(_read_report(report, store), key=_order))
    finally:
        term_log.setLevel(level)
    conforms = not any(r.severity == "violation" for r in results)
    checked = _checked(store)
    text = _text(results, conforms=conforms, engine=engine, inputs=inputs, checked=checked)
    return ValidationResult(conforms, report, results, text, engine, tuple(inputs), checked)


def validate(paths: Sequence[str | Path] = (), *, plan: str | None = None, engine: Engine = "pyshacl",
             input_format: InputFormat | None = None, build_dir: str | Path = "build",
             max_bytes: int = DEFAULT_MAX_BYTES, corpus: "Corpus | None" = None) -> ValidationResult:
    """Validate RDF files (or, when none are given, a plan) against the ontology and shapes.

    The plan is ``plan`` in ``corpus`` (every plan in it when ``plan`` is
    None), else ``plan`` (the default plan when None) read through
    ``build_dir``.  ``engine`` is ``"pyshacl"`` (the reference) or
    ``"oxigraph"`` (the fast path; same results).  Raises :class:`InputError`
    for a file that cannot be used: missing, too large, unknown format,
    syntax error; or a plan the corpus lacks.
    """
    chosen = plan if plan is not None or corpus is not None else DEFAULT_PLAN
    store = load_store(paths, plan=chosen, input_format=input_format, build_dir=build_dir, max_bytes=max_bytes,
                       corpus=corpus)
    named = [str(chosen)] if chosen is not None else list(corpus.plans if corpus is not None else ())
    return validate_store(store, engine=engine, inputs=[str(p) for p in paths] or named)
