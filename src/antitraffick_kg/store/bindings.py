"""Parameter values placed in a query's text as a ``VALUES`` block, never pasted as text.

:func:`with_values` binds each parameter at the start of the query's WHERE
clause.  It also repeats the binding at the start of each ``UNION`` branch
that surely binds the variable itself, because pyoxigraph evaluates a
``UNION`` of multi-pattern branches on its own and joins it afterwards: with
the binding only at the top, a branch reads every match in the corpus (10 s
for one unit's tasks among 3,000 plans; 0.1 s with the binding in the branch).

Repeating the binding does not change the answer.  A join distributes over a
union, and a variable that a branch's own triple patterns mention is bound
in every solution of that branch, so joining the branch with the one-row
``VALUES`` table first or last keeps the same rows.  A branch is only given the
binding when that holds: the variable appears in the branch itself outside
parentheses (so in a triple pattern, not only in a FILTER or BIND), the
branch does not bind it with ``AS``, and every group around the branch is a
plain group or a union branch (never OPTIONAL, MINUS, EXISTS, GRAPH, SERVICE,
LATERAL or a sub-SELECT, where a binding could change which rows survive).
An OPTIONAL, MINUS, BIND or LATERAL of the branch's own sees only what the
patterns before it bind, so the variable must be named by a triple pattern
before the first of them: a binding at the start would otherwise reach them
first.  A query
written for many graphs at once may also have it at the start of its plain
``GRAPH ?var`` blocks (``in_graph``): the same reasoning holds there.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache

import pyoxigraph as ox

from ..errors import QueryError

__all__ = ["with_values", "with_rows", "values_block", "checked_term", "where_start"]

Term = ox.NamedNode | ox.Literal

_IRIREF = re.compile(r"<[^<>\"{}|^`\\\x00-\x20]*>")
_VAR = re.compile(r"[?$]([A-Za-z_0-9]+)")
_WORD = re.compile(r"(?:[A-Za-z_][\w\-]*)?:(?:[\w\-.]*[\w\-])?|[A-Za-z_][\w\-]*")
_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_GRAPH_NAME = re.compile(r"\bGRAPH\s+[?$]([A-Za-z_0-9]+)", re.IGNORECASE)
#: keywords whose group may not receive a binding: the rows that survive would change
_GUARDED = {"OPTIONAL", "MINUS", "EXISTS", "GRAPH", "GRAPH_NAME", "SERVICE", "SILENT", "LATERAL"}
#: keywords of a group's own elements that see only what the patterns written before them bind: a variable that
#: no triple pattern of the group names before the first of them is not given to the group
_IN_ORDER = frozenset({"OPTIONAL", "MINUS", "BIND", "LATERAL"})


def _skip_string(text: str, i: int) -> int:
    """Index after the string literal starting at ``i``."""
    quote = text[i] * 3 if text.startswith(text[i] * 3, i) else text[i]
    i += len(quote)
    while i < len(text):
        if text[i] == "\\":
            i += 2
        elif text.startswith(quote, i):
            return i + len(quote)
        else:
            i += 1
    return i


def _tokens(text: str, i: int = 0) -> Iterator[tuple[str, str, int]]:
    """``(kind, value, end)`` for each token from ``i``: kind is ``var``, ``word`` or the character itself.

    Comments, strings and IRIs are skipped.
    """
    n = len(text)
    while i < n:
        ch = text[i]
        if ch.isspace():
            i += 1
        elif ch == "#":
            end = text.find("\n", i)
            i = n if end < 0 else end
        elif ch in "'\"":
            i = _skip_string(text, i)
        elif ch == "<" and (m := _IRIREF.match(text, i)):
            i = m.end()
        elif ch in "?$" and (m := _VAR.match(text, i)):
            i = m.end()
            yield "var", m.group(1), i
        elif m := _WORD.match(text, i):
            i = m.end()
            yield "word", m.group(0).upper(), i
        else:
            i += 1
            yield ch, ch, i


def where_start(text: str) -> int:
    """Index just after the ``{`` that opens the query's WHERE clause.

    Comments, strings and IRIs are skipped; a ``{`` inside the parentheses of
    a SELECT expression does not count.
    """
    depth = 0
    for kind, _, end in _tokens(text):
        if kind == "(":
            depth += 1
        elif kind == ")":
            depth -= 1
        elif kind == "{" and depth == 0:
            return end
    raise QueryError("the query has no WHERE clause to bind parameters in")


@dataclass
class _Group:
    start: int                      # index just after its "{"
    open_to_bindings: bool          # it and every group around it are plain groups or union branches
    values_data: bool = False       # the data block of a VALUES clause, not a group
    parens: int = 0
    names: set[str] = field(default_factory=set)      # variables in its own triple patterns
    assigned: set[str] = field(default_factory=set)   # variables it binds with AS
    branch: bool = False            # an operand of UNION
    graph: str | None = None        # the variable naming the graph, for the group of a GRAPH ?var block
    before: set[str] | None = None  # ``names`` as they stood at its first element of _IN_ORDER, if it has one

    def given(self) -> frozenset[str]:
        """The variables a binding at its start may be given for: those its own triple patterns name (before any
        element that sees only what comes before it), not bound with AS, never its own graph's name."""
        return frozenset((self.names if self.before is None else self.before) - self.assigned - {self.graph})


def _union_branches(text: str, start: int, guarded: frozenset[str] = frozenset(_GUARDED),
                    blocks: bool = False) -> list[_Group]:
    """The UNION branches of the WHERE group opening at ``start`` that may receive a binding (none inside a group
    opened after a keyword of ``guarded``); with ``blocks``, the ``GRAPH ?var`` blocks that may too."""
    stack = [_Group(start, True)]
    found: list[_Group] = []
    closed: _Group | None = None    # the group the last token ended: a first branch if UNION follows
    previous, header = "", False    # the token before (GRAPH_NAME after GRAPH or SERVICE); in a VALUES header
    graph: str | None = None        # the variable after GRAPH, until its group opens
    for kind, value, end in _tokens(text, start):
        top, just_closed, closed = stack[-1], closed, None
        if kind == "{":
            if header or top.values_data:
                stack.append(_Group(end, False, values_data=True))
                header = False
            else:
                plain = previous not in guarded and not _is_subselect(text, end)
                stack.append(_Group(end, top.open_to_bindings and plain, branch=previous == "UNION",
                                    graph=graph if previous == "GRAPH_NAME" else None))
            graph = None
        elif kind == "}":
            closed = stack.pop()
            if not stack:
                break
            if closed.open_to_bindings and (closed.branch or (blocks and closed.graph is not None)):
                found.append(closed)
        elif top.values_data:
            pass
        elif kind == "word" and value == "UNION":
            if just_closed is not None and not just_closed.branch and just_closed.open_to_bindings:
                just_closed.branch = True
                found.append(just_closed)
        elif kind == "(":
            top.parens += 1
        elif kind == ")":
            top.parens -= 1
        elif kind == "word" and value == "VALUES":
            header = True
        elif kind == "word" and value in _IN_ORDER and top.parens == 0 and top.before is None:
            top.before = set(top.names)
        elif kind == "var":
            if previous == "AS":
                top.assigned.add(value)
            elif top.parens == 0 and not header:
                top.names.add(value)
        if previous in ("GRAPH", "SERVICE", "SILENT") and value != "SILENT" and kind in ("var", "word"):
            graph = value if previous == "GRAPH" and kind == "var" else None
            previous = "GRAPH_NAME"
        else:
            previous = "?" + value if kind == "var" else value
    return found


#: the keywords guarding a group from a binding of variables other than a GRAPH block's own name
_GUARDED_BUT_GRAPH = frozenset(_GUARDED - {"GRAPH", "GRAPH_NAME"})


@lru_cache(maxsize=256)
def _places(text: str, in_graph: bool = False,
            blocks: bool = False) -> tuple[int, tuple[tuple[int, frozenset[str]], ...]]:
    """Where ``text``'s WHERE clause opens, and each UNION branch that may receive a binding with the variables it
    may receive (read once per text: a catalogue question is asked again and again); with ``in_graph``, branches
    inside a GRAPH block too, and with ``blocks`` as well, each ``GRAPH ?var`` block (never its own ``?var``)."""
    at = where_start(text)
    guarded = _GUARDED_BUT_GRAPH if in_graph else frozenset(_GUARDED)
    return at, tuple((b.start, b.given()) for b in _union_branches(text, at, guarded, blocks=in_graph and blocks))


def _is_subselect(text: str, at: int) -> bool:
    for kind, value, _ in _tokens(text, at):
        return kind == "word" and value == "SELECT"
    return False


def checked_term(term: Term) -> Term:
    """``term`` if it is an IRI or a literal, the only values a parameter may take."""
    if not isinstance(term, (ox.NamedNode, ox.Literal)):
        raise QueryError(f"a parameter value must be an IRI or a literal, not {type(term).__name__}")
    return term


def _block(bindings: Mapping[str, Term]) -> str:
    return _table(list(bindings), [list(bindings.values())])


def values_block(bindings: Mapping[str, Term]) -> str:
    """A one-row ``VALUES`` block of ``bindings``, for a query that places it itself (inside a GRAPH block,
    where pyoxigraph reads a binding given outside only after reading the block in every graph).

    >>> values_block({"key": ox.Literal("4.3")})
    ' VALUES (?key) { ("4.3") }\\n'
    """
    for name in bindings:
        if not _NAME.fullmatch(name):
            raise QueryError(f"'{name}' is not a SPARQL variable name")
    return _block(bindings)


def with_values(text: str, bindings: Mapping[str, Term], *, in_graph: bool = False) -> str:
    """``text`` with ``bindings`` in a ``VALUES`` block at the start of its WHERE clause and of the
    UNION branches that bind those variables themselves (see the module's note).  With ``in_graph``, also at
    the start of each ``GRAPH ?var`` block whose own triple patterns name them, and of the UNION branches inside
    one (a query written for many graphs, where pyoxigraph joins a binding given outside a GRAPH block only after
    reading the block in every graph: 47 ms against 4 ms for an upper measure's tasks across 3,000 plans).
    This is sound for the reason the note gives for a branch: the block is a plain part of the query, and a
    variable its own triple patterns name is bound in each of its solutions; a block's own ``?var`` is never
    given (the graph name is bound as the block is read).

    Each value is an RDF term serialised by pyoxigraph, so no value can end
    the block or add to the query.

    >>> with_values("SELECT ?x WHERE { ?x ?p ?V }", {"V": ox.Literal('a" } DROP ALL')})
    'SELECT ?x WHERE { VALUES (?V) { ("a\\\\" } DROP ALL") }\\n ?x ?p ?V }'
    >>> print(with_values("SELECT ?x WHERE { { ?x <p> ?V } UNION { ?x <q> ?y } }", {"V": ox.Literal("a")}))
    SELECT ?x WHERE { VALUES (?V) { ("a") }
     { VALUES (?V) { ("a") }
     ?x <p> ?V } UNION { ?x <q> ?y } }
    """
    if not bindings:
        return text
    for name in bindings:
        if not _NAME.fullmatch(name):
            raise QueryError(f"'{name}' is not a SPARQL variable name")
    at, branches = _places(text, in_graph, in_graph)
    inserts = [(at, _block(bindings))]
    for start, names in branches:
        own = {n: t for n, t in bindings.items() if n in names}
        if own:
            inserts.append((start, _block(own)))
    for position, block in sorted(inserts, reverse=True):
        text = text[:position] + block + text[position:]
    return text


def with_rows(text: str, variables: Sequence[str], rows: Sequence[Sequence[Term]], *,
              into_subselects: Collection[str] | None = None) -> str:
    """``text`` with a ``VALUES`` table of ``rows`` (one term for each of ``variables``) at the start of its WHERE
    clause, and at the start of each UNION branch, inside a GRAPH block too, the distinct rows of the variables
    that branch's own triple patterns name (never a variable naming a graph); and at the start of the WHERE clause
    of each sub-SELECT (inside the GRAPH block it opens with, if it does), the distinct rows of the variables it
    gives by name.

    The note above holds for the branches: a join distributes over a union, and over a GRAPH block whose graph is
    not one of the variables (a branch is given only variables its triple patterns name, never the name of a graph
    around it).  A sub-SELECT's rows meet the table's through the variables it gives: a row of another value
    survives no join with them.  This holds when the variable is bound wherever the sub-SELECT is joined (an
    OPTIONAL sub-SELECT whose left side may leave the variable unbound would keep rows it should not): a query
    written for this function gives a variable of the table from a sub-SELECT only there; ``into_subselects``
    (None: every variable) names those a sub-SELECT may be given, so that a column added to the table for a
    value given once, which a query need not keep out of such a sub-SELECT, stays at the start of the WHERE
    clause and of the branches.  Each value is an RDF term serialised by pyoxigraph.

    >>> print(with_rows("SELECT * WHERE { GRAPH ?g { { ?t <p> ?U } UNION { ?t <q> ?x } } }", ["g", "U"],
    ...                 [[ox.NamedNode("http://ex/g1"), ox.NamedNode("http://ex/u")]]))
    SELECT * WHERE { VALUES (?g ?U) { (<http://ex/g1> <http://ex/u>) }
     GRAPH ?g { { VALUES (?U) { (<http://ex/u>) }
     ?t <p> ?U } UNION { ?t <q> ?x } } }
    >>> print(with_rows("SELECT * WHERE { ?t <p> ?U OPTIONAL { SELECT ?U ?n WHERE { ?U <n> ?n } } }", ["U"],
    ...                 [[ox.NamedNode("http://ex/u")]]))
    SELECT * WHERE { VALUES (?U) { (<http://ex/u>) }
     ?t <p> ?U OPTIONAL { SELECT ?U ?n WHERE { VALUES (?U) { (<http://ex/u>) }
     ?U <n> ?n } } }
    >>> print(with_rows("SELECT * WHERE { ?t <p> ?U OPTIONAL { SELECT ?U ?R WHERE { ?U <n> ?R } } }", ["U", "R"],
    ...                 [[ox.NamedNode("http://ex/u"), ox.NamedNode("http://ex/r")]], into_subselects=["U"]))
    SELECT * WHERE { VALUES (?U ?R) { (<http://ex/u> <http://ex/r>) }
     ?t <p> ?U OPTIONAL { SELECT ?U ?R WHERE { VALUES (?U) { (<http://ex/u>) }
     ?U <n> ?R } } }
    """
    for name in variables:
        if not _NAME.fullmatch(name):
            raise QueryError(f"'{name}' is not a SPARQL variable name")
    at, branches = _places(text, in_graph=True)
    graphs = _graph_names(text)
    inserts = [(at, _table(list(variables), [list(r) for r in rows]))]
    into = set(variables) if into_subselects is None else set(into_subselects)
    for start, names in (*branches, *((start, names & into) for start, names in _subselects(text, at))):
        kept = [i for i, v in enumerate(variables) if v in names and v not in graphs]
        if kept:
            own = list(dict.fromkeys(tuple(r[i] for i in kept) for r in rows))
            inserts.append((start, _table([variables[i] for i in kept], own)))
    for position, block in sorted(inserts, reverse=True):
        text = text[:position] + block + text[position:]
    return text


@lru_cache(maxsize=256)
def _graph_names(text: str) -> frozenset[str]:
    """The variables naming a graph in ``text`` (``GRAPH ?g``)."""
    return frozenset(_GRAPH_NAME.findall(text))


@lru_cache(maxsize=256)
def _subselects(text: str, at: int) -> tuple[tuple[int, frozenset[str]], ...]:
    """Each sub-SELECT of the WHERE clause opening at ``at`` that stands in no other sub-SELECT: where its own WHERE
    clause opens, and the variables its projection gives by name (not those an expression binds with ``AS``; none
    for ``SELECT *``).  A sub-SELECT inside it is passed over: the one around it may not give the variable."""
    found = []
    tokens = _tokens(text, at)
    for kind, value, _ in tokens:
        if kind != "word" or value != "SELECT":
            continue
        names: set[str] = set()
        depth, every = 0, False
        for kind, value, end in tokens:
            if kind == "(":
                depth += 1
            elif kind == ")":
                depth -= 1
            elif kind == "*" and depth == 0:
                every = True
            elif kind == "var" and depth == 0:
                names.add(value)
            elif kind == "{" and depth == 0:        # (a "{" of an expression, EXISTS { … } AS ?e, is not it)
                found.append((_inside_graph(text, end), frozenset() if every else frozenset(names)))
                _past_group(tokens)
                break
    return tuple(found)


def _past_group(tokens: Iterator[tuple[str, str, int]]) -> None:
    """Consume ``tokens`` up to the "}" that closes the group just opened."""
    depth = 1
    for kind, _, _ in tokens:
        depth += kind == "{"
        depth -= kind == "}"
        if depth == 0:
            return


def _inside_graph(text: str, at: int) -> int:
    """``at``, or when the group opening there starts with a GRAPH block, the start of that block (pyoxigraph
    joins a binding given outside a GRAPH block only after reading the block in every graph)."""
    tokens = _tokens(text, at)
    first = next(tokens, None)
    if first is None or first[:2] != ("word", "GRAPH"):
        return at
    name = next(tokens, None)                   # (an IRI is no token: the block's "{" comes next)
    opening = name if name is not None and name[0] == "{" else next(tokens, None)
    return opening[2] if opening is not None and opening[0] == "{" else at


def _table(variables: list[str], rows: Sequence[Sequence[Term]]) -> str:
    return (" VALUES (" + " ".join(f"?{n}" for n in variables) + ") { "
            + " ".join("(" + " ".join(str(checked_term(t)) for t in row) + ")" for row in rows) + " }\n")
