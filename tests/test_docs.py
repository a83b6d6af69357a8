"""The documentation site: it builds in strict mode, its examples run, and its reference misses nothing."""

from __future__ import annotations

import html
import re
import unittest
from pathlib import Path

import pytest

from antitraffick_kg.ask.catalogue import PARAMETER_TYPES, catalogue
from antitraffick_kg.cli.main import main

from docs_examples import ROOT, SYBIL, build_site, documents, workdir


def _doc_id(path: Path) -> str:
    return path.relative_to(ROOT).as_posix()


# -- every example runs --------------------------------------------------------------------------------------
@pytest.mark.parametrize("path", documents(), ids=_doc_id)
def test_examples_run(path, tmp_path, build_dir):
    document = SYBIL.parse(path)
    skipped = []
    with workdir(tmp_path, build_dir):
        for example in document:
            try:
                example.evaluate()
            except unittest.SkipTest as reason:
                skipped.append((example.line, str(reason)))
            except AssertionError as exc:
                raise AssertionError(f"{_doc_id(path)}:{example.line}: {exc}") from None
            except Exception as exc:
                raise AssertionError(f"{_doc_id(path)}:{example.line}: {type(exc).__name__}: {exc}") from exc
    assert all(reason.strip() for _, reason in skipped), f"a skip without a reason: {skipped}"


# -- the site builds, strictly (built once per run: the fixture docs_site of conftest.py) ---------------------
@pytest.fixture
def site(docs_site) -> Path:
    return docs_site


def _page(site: Path, name: str) -> str:
    return (site / name).read_text(encoding="utf-8")


def _text(html_text: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", "", html_text))


def test_site_builds_in_strict_mode(site):
    assert (site / "index.html").is_file() and (site / "reference" / "cli.html").is_file()


def test_a_broken_link_fails_the_strict_build(tmp_path):
    import shutil

    from mkdocs.exceptions import Abort

    copy = tmp_path / "checkout"
    shutil.copytree(ROOT / "docs", copy / "docs")
    shutil.copy(ROOT / "mkdocs.yml", copy / "mkdocs.yml")
    (copy / "src").symlink_to(ROOT / "src")
    page = copy / "docs" / "guide" / "reasoning.md"
    page.write_text(page.read_text(encoding="utf-8") + "\nSee [the missing page](no-such-page.md).\n",
                    encoding="utf-8")
    with pytest.raises(Abort, match="warning"):
        build_site(copy / "mkdocs.yml", tmp_path / "site")


def test_every_command_is_in_the_reference(site):
    text = _text(_page(site, "reference/cli.html"))
    for name, command in main.commands.items():
        assert f"antitraffick-kg {name}" in text, name
        assert command.help.split("\n")[0].strip() in text, name
        for param in command.params:
            if getattr(param, "hidden", False):        # an old spelling kept working, not offered
                continue
            for opt in param.opts:
                if opt.startswith("-"):
                    assert opt in text, f"{name} {opt}"


def test_every_catalogue_query_and_parameter_is_in_the_reference(site):
    page = _page(site, "reference/queries.html")
    text = _text(page)
    for q in catalogue():
        assert f'id="{q.name}"' in page, q.name
        assert q.title_zh in text and q.title_en in text, q.name
        for p in q.parameters:
            assert f"<code>{p.name}</code>" in page, f"{q.name}: {p.name}"
    for t in PARAMETER_TYPES:
        assert f"<code>{t}</code>" in page, t


def test_every_shape_and_its_messages_are_in_the_reference(site):
    from rdflib import Graph, Namespace

    from antitraffick_kg.resources import shapes_path

    sh = Namespace("http://www.w3.org/ns/shacl#")
    sg = Graph().parse(shapes_path(), format="turtle")
    text = _text(_page(site, "reference/shapes.html"))
    shapes = [s for s in sg.subjects(sh.severity, None)]
    assert len(shapes) == 64
    for shape in shapes:
        assert str(shape).rsplit("#", 1)[-1] in text, shape
        sparql = sg.value(shape, sh.sparql)
        for message in sg.objects(sparql if sparql is not None else shape, sh.message):
            assert " ".join(str(message).split()) in text, (shape, str(message))


def test_the_ontology_documentation_is_generated(site):
    text = _page(site, "reference/ontology/index.html")
    for term in ("Assignment", "NarrativeScheme", "AnnualTable", "ledBy"):
        assert term in text, term


def test_the_site_loads_nothing_from_the_network(site):
    remote = re.compile(r"""<(?:script|img|iframe|audio|video|source)\b[^>]*\bsrc\s*=\s*["']?(?:https?:)?//"""
                        r"""|<link\b[^>]*\bhref\s*=\s*["']?(?:https?:)?//|url\(\s*["']?(?:https?:)?//"""
                        r"""|@import\s+["']?(?:https?:)?//""", re.IGNORECASE)
    pages = [p for p in site.rglob("*") if p.suffix in (".html", ".css")]
    assert len(pages) > 20
    for page in pages:
        found = remote.search(page.read_text(encoding="utf-8", errors="replace"))
        assert found is None, f"{page.relative_to(site)}: {found.group(0)}"


# -- the hand-written pages ----------------------------------------------------------------------------------
def test_every_page_of_docs_is_in_the_nav():
    config = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    for page in sorted((ROOT / "docs").rglob("*.md")):
        assert page.relative_to(ROOT / "docs").as_posix() in config, page


def test_readme_is_short_and_links_into_the_docs():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert len(readme.splitlines()) <= 80
    links = re.findall(r"\]\(((?!https?:)[^)#]+)\)", readme)
    assert any(link.startswith("docs/tutorials/") for link in links)
    for link in links:
        assert (ROOT / link).exists(), link
    assert "mkdocs build" in readme and "site/index.html" in readme


def test_the_test_extra_brings_the_docs_packages():
    import tomllib

    extras = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["optional-dependencies"]
    assert extras["docs"] and set(extras["docs"]) <= set(extras["test"])
    assert any(d.startswith("sybil") for d in extras["test"])


# -- the example runner catches what is wrong ----------------------------------------------------------------
WRONG = {   # a block, and what the runner says about it
    "console": ("```console\n$ antitraffick-kg query tasks-by-unit -p unit=州妇联 -p role=support -p place=边境地区\n"
                "task  title\n7.7   something else\n```\n", "the command printed"),
    "python": ("```python\n>>> 1 + 1\n3\n\n```\n", "Expected"),
    "unknown command": ("```sh\nrm -rf build\n```\n", "the suite cannot run this"),
    "failing command": ("```sh\nantitraffick-kg query no-such-query\n```\n", "exit 2"),
}


@pytest.mark.parametrize("name", WRONG)
def test_a_wrong_example_fails(name, tmp_path, build_dir):
    page = tmp_path / "page.md"
    block, says = WRONG[name]
    page.write_text(f"# A page\n\n{block}", encoding="utf-8")
    examples = list(SYBIL.parse(page))
    assert len(examples) == 1
    with workdir(tmp_path / "work", build_dir), pytest.raises(Exception, match=says):
        examples[0].evaluate()


def test_the_api_reference_shows_no_raw_sphinx_roles(site):
    text = _text(_page(site, "reference/python.html"))
    assert "import_plan" in text and "ValidationResult" in text and "write_ontology_docs" in text
    assert not re.search(r":(func|class|meth|mod|data|attr|exc):", text)


def test_the_browser_example_binds_as_the_command_does(build_dir):
    """The VALUES line the first tutorial pastes into the query page gives the command's answer."""
    import pyoxigraph as ox

    page = (ROOT / "docs" / "tutorials" / "first-question.md").read_text(encoding="utf-8")
    values = re.search(r"```sparql\n(VALUES .*?)\n```", page, re.S).group(1)
    text = (ROOT / "queries" / "tasks-by-unit.rq").read_text(encoding="utf-8")
    head, where, rest = text.partition("WHERE {")
    store = ox.Store()
    store.load(path=str(build_dir / "dehong-2022-2030.nq"), format=ox.RdfFormat.N_QUADS)
    rows = store.query(head + where + "\n" + values + "\n" + rest, use_default_graph_as_union=True)
    assert sorted((r["task"].value, r["source"].value) for r in rows) == [("7.6", "narrative"), ("7.6", "table")]


def test_the_architecture_page_lists_every_module(site):
    import antitraffick_kg

    package = Path(antitraffick_kg.__file__).parent
    text = _text(_page(site, "explanation/architecture.html"))
    for path in package.rglob("*.py"):
        name = ".".join(path.relative_to(package).with_suffix("").parts)
        assert name in text, name
    assert "Modules that reach each other through imports" in text


def test_the_pages_count_the_catalogue_as_it_is():
    counted = r"(\d+) questions live in|lists the (\d+) of the catalogue"
    said = [int(first or second) for page in ("guide/questions.md", "tutorials/first-question.md")
            for first, second in re.findall(counted, (ROOT / "docs" / page).read_text(encoding="utf-8"))]
    assert said == [len(catalogue())] * 2
