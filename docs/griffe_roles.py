"""A griffe extension for the documentation site: Sphinx cross-reference roles read as code.

The docstrings use Sphinx roles (``:func:`load```, ``:class:`~antitraffick_kg.errors.InputError```), which
mkdocstrings renders as Markdown, where a role would show as text. This turns each role into a code span of the
name (``~`` keeps the last part, as Sphinx does). Loaded by ``mkdocs.yml`` (mkdocstrings-python ``extensions``).
"""

from __future__ import annotations

import re

import griffe

ROLE = re.compile(r":(?:py:)?(?:func|class|meth|mod|data|attr|exc|obj|const):`(~?)([^`]+)`")


def plain(text: str) -> str:
    """``text`` with every Sphinx role turned into a code span.

    >>> plain("see :func:`load` and :class:`~antitraffick_kg.errors.InputError`")
    'see `load` and `InputError`'
    """
    return ROLE.sub(lambda m: f"`{m[2].rsplit('.', 1)[-1] if m[1] else m[2]}`", text)


class SphinxRoles(griffe.Extension):
    def on_instance(self, *, node: object, obj: griffe.Object, agent: object) -> None:
        if obj.docstring is not None:
            obj.docstring.value = plain(obj.docstring.value)
