"""The docstring examples of every module of the installed package, subpackages included, run with the suite."""

from __future__ import annotations

import doctest
import importlib
import pkgutil

import pytest

import antitraffick_kg

#: every module, found the way the package is laid out (walk_packages descends into subpackages)
MODULES = sorted(m.name for m in pkgutil.walk_packages(antitraffick_kg.__path__, "antitraffick_kg.")
                 if m.name != "antitraffick_kg.__main__")
FINDER = doctest.DocTestFinder()


def _examples(name: str) -> list[doctest.DocTest]:
    module = importlib.import_module(name)
    return [t for t in FINDER.find(module, name) if t.examples]


@pytest.mark.parametrize("name", MODULES)
def test_doctests(name):
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS)
    for test in _examples(name):
        runner.run(test)
    result = runner.summarize(verbose=False)
    assert result.failed == 0, f"{result.failed} of {result.attempted} examples of {name} failed"


def test_doctests_are_collected_from_the_subpackages():
    counts = {name: sum(len(t.examples) for t in _examples(name)) for name in MODULES}
    with_examples = {name: n for name, n in counts.items() if n}
    under_subpackages = {name: n for name, n in with_examples.items() if name.count(".") >= 2}
    print(f"doctest examples: {sum(with_examples.values())} in {len(with_examples)} of {len(MODULES)} modules; "
          f"{sum(under_subpackages.values())} of them in {len(under_subpackages)} modules of subpackages")
    assert {m.rsplit(".", 1)[0] for m in MODULES if m.count(".") >= 2} >= {
        "antitraffick_kg.plan", "antitraffick_kg.check", "antitraffick_kg.store", "antitraffick_kg.report"}
    assert counts["antitraffick_kg.plan.narrative"] >= 1        # cn_number's own examples
    assert sum(under_subpackages.values()) >= 52
