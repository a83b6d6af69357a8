"""Generate the reference pages that come from the project's own files, so they cannot drift.

Run by the mkdocs-gen-files plugin at every build (``mkdocs build``), never by hand:

* ``reference/queries.md`` from the headers of ``queries/*.rq`` (read by :mod:`antitraffick_kg.ask.catalogue`), with
  the audit checks of ``queries/checks/`` and the progress query of ``queries/progress/``;
* ``reference/shapes.md`` from ``ontology/shapes.ttl``: every constraint with its severity and both messages;
* ``reference/ontology/index.html``: the ontology's documentation, by the same Ontospy code path as the report.
"""

from __future__ import annotations

import re
import tempfile
from pathlib import Path

import mkdocs_gen_files
from rdflib import RDF, Graph, Namespace, URIRef

from antitraffick_kg.ask.catalogue import PARAMETER_TYPES, CatalogueQuery, catalogue, read_query
from antitraffick_kg.report import write_ontology_docs
from antitraffick_kg.resources import queries_path, shapes_path

SH = Namespace("http://www.w3.org/ns/shacl#")
ATKSH = "https://w3id.org/antitraffick-kg/shapes#"
CJK = re.compile(r"[\u3400-\u9fff]")


def cell(text: object) -> str:
    """A value fit for one cell of a Markdown table."""
    return " ".join(str(text).split()).replace("|", "\\|")


def header_field(query: CatalogueQuery, name: str) -> str:
    """A header line the catalogue reader does not keep (the audit checks' ``kind`` and messages)."""
    m = re.search(rf"^#\s*{re.escape(name)}\s*:\s*(.*?)\s*$", query.text, re.MULTILINE)
    return m.group(1) if m else ""


def query_section(query: CatalogueQuery, *, command: str) -> list[str]:
    lines = [f"### `{query.name}`", "", f"**{cell(query.title_zh)}** · {cell(query.title_en)}", "",
             query.description, ""]
    if query.parameters:
        lines += ["| parameter | type | mode | meaning |", "|---|---|---|---|"]
        for p in query.parameters:
            mode = "required" if p.required else f"default `{p.default}`" if p.default else "optional"
            lines.append(f"| `{p.name}` | [`{p.type}`](#parameter-types) | {mode} | {cell(p.description)} |")
        lines.append("")
    lines += ["| column | meaning |", "|---|---|"]
    lines += [f"| `{c.name}` | {cell(c.meaning)} |" for c in query.columns]
    lines.append("")
    if query.order:
        lines += [f"Rows ordered by: {', '.join(f'`{k}`' for k in query.order)}.", ""]
    example = " ".join(f"-p {k}={v}" for k, v in query.example_params().items())
    lines += ["```sh", f"{command} {example}".rstrip(), "```", ""]
    return lines


def queries_page() -> str:
    queries = catalogue()
    lines = ["# Query catalogue", "",
             "<!-- generated from the headers of queries/*.rq by docs/gen_reference.py; do not edit -->", "",
             f"{len(queries)} questions, one SPARQL file each in `queries/`. Run one with "
             "`antitraffick-kg query NAME -p KEY=VALUE …`; `antitraffick-kg queries` lists the same catalogue. "
             "How values are checked and bound: [Asking questions](../guide/questions.md).", "",
             "| query | question | parameters | columns |", "|---|---|---|---|"]
    for q in queries:
        params = ", ".join(f"`{p.name}`" for p in q.parameters) or "–"
        lines.append(f"| [`{q.name}`](#{q.name}) | {cell(q.title_en)} | {params} | "
                     f"{', '.join(c.name for c in q.columns)} |")
    lines += ["", "## Parameter types", "", "| type | a value is |", "|---|---|"]
    lines += [f"| `{t}` | {cell(meaning)} |" for t, meaning in PARAMETER_TYPES.items()]
    lines += ["", "## Questions", ""]
    for q in queries:
        lines += query_section(q, command=f"antitraffick-kg query {q.name}")
    checks = [read_query(p) for p in sorted((queries_path() / "checks").glob("*.rq"))]
    lines += ["## Audit checks", "",
              "`antitraffick-kg audit` runs these queries of `queries/checks/`; each row is a finding of the "
              "header's `kind`, worded by its `message` and `message-zh` lines. Each also runs on its own with "
              "`antitraffick-kg query queries/checks/NAME.rq`.", ""]
    for q in checks:
        lines += query_section(q, command=f"antitraffick-kg query queries/checks/{q.name}.rq")
        lines += [f"Finding: kind `{header_field(q, 'kind')}`; message: {cell(header_field(q, 'message'))} · "
                  f"{cell(header_field(q, 'message-zh'))}", ""]
    lines += ["## Progress", "", "`antitraffick-kg status` reads the progress reports with this query.", ""]
    for path in sorted((queries_path() / "progress").glob("*.rq")):
        lines += query_section(read_query(path), command=f"antitraffick-kg query queries/progress/{path.name}")
    return "\n".join(lines) + "\n"


def shapes_page() -> str:
    sg = Graph().parse(shapes_path(), format="turtle")
    lines = ["# SHACL shapes", "",
             "<!-- generated from ontology/shapes.ttl by docs/gen_reference.py; do not edit -->", "",
             "What `antitraffick-kg validate` checks: every constraint of `ontology/shapes.ttl`, its severity and its "
             "message in both languages (`{?name}` is filled in from the result). Each constraint has a broken "
             "fixture in `tests/data/shapes/` that fails it. See [Validate and audit](../guide/validate.md).", ""]
    constraints = sorted((s for s in sg.subjects(SH.severity, None) if isinstance(s, URIRef)), key=str)
    counts = {"violation": 0, "warning": 0, "info": 0}
    rows = []
    for shape in constraints:
        severity = str(sg.value(shape, SH.severity)).rsplit("#", 1)[-1].lower()
        counts[severity] += 1
        sparql = sg.value(shape, SH.sparql)
        messages = [str(m) for m in sg.objects(sparql if sparql is not None else shape, SH.message)]
        zh = next((m for m in messages if CJK.search(m)), "")
        en = next((m for m in messages if not CJK.search(m)), "")
        path = sg.value(shape, SH.path)
        what = f"`{sg.namespace_manager.normalizeUri(path)}`" if isinstance(path, URIRef) else (
            "SPARQL" if sparql is not None else "node")
        rows.append(f"| `{str(shape)[len(ATKSH):]}` | {severity} | {what} | {cell(en)} | {cell(zh)} |")
    lines += [f"{len(constraints)} constraints: {counts['violation']} violations and {counts['warning']} warnings "
              "when broken.", "", "| shape | severity | checks | message | 消息 |", "|---|---|---|---|---|", *rows]
    return "\n".join(lines) + "\n"


with mkdocs_gen_files.open("reference/queries.md", "w") as out:
    out.write(queries_page())
with mkdocs_gen_files.open("reference/shapes.md", "w") as out:
    out.write(shapes_page())
with tempfile.TemporaryDirectory() as folder:
    write_ontology_docs(folder)
    for page in sorted(Path(folder).rglob("*")):
        if page.is_file():
            with mkdocs_gen_files.open(f"reference/ontology/{page.relative_to(folder).as_posix()}", "wb") as out:
                out.write(page.read_bytes())


def imports_section() -> str:
    """Each module of the package with its docstring's first line and the modules it imports, as the code is."""
    import ast

    import antitraffick_kg

    package = Path(antitraffick_kg.__file__).parent
    lines = ["", "## Imports today", "",
             "<!-- generated from the source by docs/gen_reference.py -->", "",
             "| module | what it is | imports (at the top) | imports (inside functions) |", "|---|---|---|---|"]
    edges: dict[str, set[str]] = {}
    for path in sorted(package.rglob("*.py")):
        name = ".".join(path.relative_to(package).with_suffix("").parts)
        tree = ast.parse(path.read_text(encoding="utf-8"))
        doc = (ast.get_docstring(tree) or "").strip().splitlines()
        here = name.split(".")[:-1]          # the package a relative import starts from
        top, inner = set(), set()
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.level:
                base = here[:len(here) - (node.level - 1)] if node.level > 1 else here
                target = ".".join([*base, node.module] if node.module else base) or "__init__"
                (top if node in tree.body else inner).add(target)
        lines.append(f"| `{name}` | {cell(doc[0] if doc else '')} | {', '.join(sorted(top)) or '–'} | "
                     f"{', '.join(sorted(inner)) or '–'} |")
        edges[name.removesuffix(".__init__")] = {t.removesuffix(".__init__") for t in top | inner}
    cycles = import_cycles(edges)
    lines += ["", "Modules that reach each other through imports (counting those inside functions): " + (
        "; ".join(", ".join(f"`{m}`" for m in group) for group in cycles) if cycles else "none") + "."]
    return "\n".join(lines) + "\n"


def import_cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """The groups of modules that import each other (strongly connected components of more than one module)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    groups: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for nxt in sorted(edges.get(node, ())):
            if nxt not in edges:
                continue
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                group.append(member)
                if member == node:
                    break
            if len(group) > 1:
                groups.append(sorted(group))

    for node in sorted(edges):
        if node not in index:
            visit(node)
    return sorted(groups)


with mkdocs_gen_files.open("explanation/architecture.md", "a") as out:
    out.write(imports_section())
