"""A griffe extension for the documentation site: Sphinx cross-reference roles read as code, examples as code.

The docstrings use Sphinx roles (``:func:`load```, ``:class:`~antitraffick_kg.errors.InputError```), which
mkdocstrings renders as Markdown, where a role would show as text. This turns each role into a code span of the
name (``~`` keeps the last part, as Sphinx does). A docstring's doctest example (``>>>`` lines and their output)
would be read as Markdown too, where ``[x]`` followed by ``[y]`` is a link; each one becomes a fenced code block.
Loaded by ``mkdocs.yml`` (mkdocstrings-python ``extensions``).
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


def fence_examples(text: str) -> str:
    r"""``text`` with each doctest example (from a ``>>>`` line to the next blank line) in a fenced code block.

    >>> fence_examples("Pairs:\n\n>>> pairs()\n['a:1']\n\nDone.").splitlines()
    ['Pairs:', '', '```pycon', '>>> pairs()', "['a:1']", '```', '', 'Done.']
    """
    lines, out, i = text.split("\n"), [], 0
    while i < len(lines):
        if not lines[i].lstrip().startswith(">>>"):
            out.append(lines[i])
            i += 1
            continue
        indent = lines[i][:len(lines[i]) - len(lines[i].lstrip())]
        out.append(f"{indent}```pycon")
        while i < len(lines) and lines[i].strip():
            out.append(lines[i])
            i += 1
        out.append(f"{indent}```")
    return "\n".join(out)


class SphinxRoles(griffe.Extension):
    def on_instance(self, *, node: object, obj: griffe.Object, agent: object) -> None:
        if obj.docstring is not None:
            obj.docstring.value = fence_examples(plain(obj.docstring.value))
