"""The docstring examples of the installed package run with the suite."""

from __future__ import annotations

import doctest
import importlib
import pkgutil

import pytest

import antitraffick_kg

MODULES = sorted(m.name for m in pkgutil.iter_modules(antitraffick_kg.__path__, "antitraffick_kg.")
                 if m.name != "antitraffick_kg.__main__")


@pytest.mark.parametrize("name", MODULES)
def test_doctests(name):
    module = importlib.import_module(name)
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS)
    assert result.failed == 0
