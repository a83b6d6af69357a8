"""The fast engine: the SHACL shapes compiled to SPARQL and run on a pyoxigraph store.

Each SHACL Core component and SPARQL constraint ``shapes.ttl`` uses becomes one
SELECT query over the whole store; the answers are written as a SHACL
validation report graph, the same one pyshacl gives.  A component the compiler
does not know is refused rather than skipped.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from ..errors import InputError
from ..iris import INSTANCE_OF as _INSTANCE_OF
from ..iris import SH_BASE as SH
from ..resources import shapes_path
from ..terms import to_rdflib

if TYPE_CHECKING:  # pragma: no cover
    from rdflib import Graph

__all__ = ["run_compiled", "compile_shapes"]


class _Compiler:
    """Compile the SHACL Core components and SPARQL constraints that ``shapes.ttl`` uses into SPARQL SELECT
    queries over the whole store, one per constraint; anything else in the shapes is refused."""

    NODE = {"targetClass", "targetNode", "targetObjectsOf", "targetSubjectsOf", "property", "severity", "message",
            "class", "sparql"}
    PROPERTY = {"path", "minCount", "maxCount", "datatype", "class", "in", "languageIn", "uniqueLang",
                "minInclusive", "minLength", "pattern", "lessThanOrEquals", "equals", "qualifiedValueShape",
                "qualifiedMinCount", "or", "severity", "message", "name", "description"}
    VALUE = ("datatype", "in", "languageIn", "minInclusive", "minLength", "pattern")    # one value at a time

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
            # pySHACL rejects an ill-formed number ("x"^^xsd:integer); isNumeric is false for one
            numeric = " && isNumeric(?value)" if arg in (XSD.integer, XSD.nonNegativeInteger) else ""
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

    def conditions(self, shape) -> str:
        """A SPARQL expression, true when ``?value`` conforms to ``shape``, a shape of value components only."""
        from rdflib import BNode

        if not isinstance(shape, BNode):
            self.refuse(shape, "a named shape inside sh:or")
        conds = [self.value_ok(shape, name, arg) for name, args in sorted(self.params(shape, set(self.VALUE)).items())
                 for arg in args]
        return "(" + " && ".join(conds or ["true"]) + ")"

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
        from rdflib.collection import Collection

        params = self.params(prop, self.PROPERTY)
        path_node = params["path"][0]
        path = self.path(path_node)
        base = f"{target} ?this {path} ?value ."
        out = []

        def add(component: str, query: str) -> None:
            out.append((prop, component, query, path_node, False, None))

        for name, args in sorted(params.items()):
            for arg in args:
                if name in self.VALUE:
                    add(name[0].upper() + name[1:],
                        f"SELECT DISTINCT ?this ?value WHERE {{ {base} FILTER (!({self.value_ok(prop, name, arg)})) }}")
                elif name == "or":
                    either = " || ".join(self.conditions(member) for member in Collection(self.sg, arg))
                    add("Or", f"SELECT DISTINCT ?this ?value WHERE {{ {base} FILTER (!({either})) }}")
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


def compile_shapes(shapes: "Graph") -> list[tuple]:
    """The queries of every constraint of ``shapes``, to give :func:`run_compiled` when it runs on many stores."""
    return _Compiler(shapes).checks()


def run_compiled(store, shapes: "Graph", *, checks: list[tuple] | None = None) -> "Graph":
    """The SHACL validation report of what ``store`` holds against ``shapes``, as an rdflib graph (``checks``:
    the shapes compiled once by :func:`compile_shapes`, else they are compiled here)."""
    from rdflib import BNode, Graph, Literal, Namespace, URIRef
    from rdflib.namespace import RDF

    sh = Namespace(SH)
    g = Graph()
    g.bind("sh", sh)
    report = BNode()
    g.add((report, RDF.type, sh.ValidationReport))
    conforms = True
    checks = checks if checks is not None else compile_shapes(shapes)
    for shape, component, query, path, node_level, sparql in checks:
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


