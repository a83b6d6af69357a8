"""ARCHITECTURE.md's layer table holds: no import of the package points to a higher layer, and none forms a cycle;
and no Python file of the project grows past :data:`MOST_LINES` lines."""

from __future__ import annotations

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "src" / "antitraffick_kg"
#: the most lines a Python file of the project may have (a longer one is split by what its parts are about)
MOST_LINES = 600


def _layers() -> dict[str, int]:
    """Folder or file (relative to the package) -> layer, from the table between the ``layers`` markers."""
    text = (ROOT / "ARCHITECTURE.md").read_text(encoding="utf-8")
    table = text.split("<!-- layers -->")[1].split("<!-- /layers -->")[0]
    layers = {}
    for row in table.strip().splitlines()[2:]:
        layer, where = row.split("|")[1:3]
        for name in re.findall(r"`([^`]+)`", where):
            layers[name.rstrip("/")] = int(layer)
    return layers


def _module(path: Path) -> str:
    return ".".join(path.relative_to(PACKAGE.parent).with_suffix("").parts).removesuffix(".__init__")


def _layer_of(path: Path, layers: dict[str, int]) -> int:
    rel = path.relative_to(PACKAGE)
    key = rel.parts[0] if len(rel.parts) > 1 else rel.name
    assert key in layers, f"{rel} is in no row of ARCHITECTURE.md's layer table"
    return layers[key]


def _imports(path: Path) -> set[str]:
    """Every module of the package ``path`` imports, at the top or inside a function."""
    module = _module(path)
    package = module if path.name == "__init__.py" else module.rsplit(".", 1)[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - (node.level - 1)]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            names = [f"{target}.{a.name}" for a in node.names]
            found.update(n for n in [target, *names] if _file(n) is not None)
        elif isinstance(node, ast.Import):
            found.update(a.name for a in node.names if _file(a.name) is not None)
    return {m for m in found if m.startswith("antitraffick_kg")} - {module}


def _file(module: str) -> Path | None:
    if not module.startswith("antitraffick_kg"):
        return None
    path = PACKAGE.parent.joinpath(*module.split("."))
    for candidate in (path.with_suffix(".py"), path / "__init__.py"):
        if candidate.is_file():
            return candidate
    return None


def _graph() -> dict[Path, set[Path]]:
    return {path: {_file(m) for m in _imports(path)} - {path} for path in sorted(PACKAGE.rglob("*.py"))}


def test_no_import_points_up_a_layer():
    layers = _layers()
    upward = []
    for path, targets in _graph().items():
        mine = _layer_of(path, layers)
        for target in targets:
            if target.name == "__init__.py" and target.parent == PACKAGE:
                continue          # the package itself: every submodule's parent, imported with it
            if _layer_of(target, layers) > mine:
                upward.append(f"{path.relative_to(PACKAGE)} -> {target.relative_to(PACKAGE)}")
    assert upward == []


def test_plan_and_store_know_nothing_of_each_other():
    for path, targets in _graph().items():
        top = path.relative_to(PACKAGE).parts[0]
        for target in targets:
            other = target.relative_to(PACKAGE).parts[0]
            assert {top, other} != {"plan", "store"}, f"{path.relative_to(PACKAGE)} -> {target.relative_to(PACKAGE)}"


def test_no_modules_import_each_other():
    graph = _graph()
    seen: dict[Path, int] = {}

    def visit(node: Path, trail: list[Path]) -> None:
        if seen.get(node) == 2:
            return
        assert seen.get(node) != 1, "cycle: " + " -> ".join(str(p.relative_to(PACKAGE)) for p in trail + [node])
        seen[node] = 1
        for nxt in sorted(graph.get(node, ())):
            if not (nxt.name == "__init__.py" and nxt.parent == PACKAGE):
                visit(nxt, trail + [node])
        seen[node] = 2

    for node in graph:
        visit(node, [])


def test_the_docs_show_the_same_layers():
    page = (ROOT / "docs" / "explanation" / "architecture.md").read_text(encoding="utf-8")
    text = (ROOT / "ARCHITECTURE.md").read_text(encoding="utf-8")
    table = text.split("<!-- layers -->")[1].split("<!-- /layers -->")[0]
    assert table in page


def test_no_python_file_of_the_project_is_longer_than_most_lines():
    files = [p for folder in ("src", "tests", "benchmarks", "docs") for p in (ROOT / folder).rglob("*.py")]
    assert len(files) > 100 and PACKAGE / "store" / "stores.py" in files
    longer = {str(p.relative_to(ROOT)): n for p in files
              if (n := len(p.read_text(encoding="utf-8").splitlines())) > MOST_LINES}
    assert longer == {}
