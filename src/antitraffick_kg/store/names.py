"""The names of a generation's units, in a table a name is looked up in for every plan at once.

A question over several plans looks a unit's name up once for all of them
(:class:`~antitraffick_kg.ask.across.Lookup`): the subjects bearing that short name, spelling or registry id,
each with the graphs that say so, then, for each, the graphs that type it a unit.  In the store's indexes that is
one lookup per unit found, which grows with the plans that share the name (1,000 Dehong-sized plans each with a
州妇联: some 45 ms).  So a writer leaves beside each generation's stores a SQLite file, ``names.sqlite``, made
from the generation's ``data`` store as it is switched to.  Table ``units`` holds every quad of ``data``'s named
graphs typing something ``atk:Unit``; table ``named`` every quad of those graphs whose predicate is one a name is
looked up by (:data:`NAME_PREDICATES`) and whose subject ``units`` holds, once for each graph typing it a unit
(column ``unit_graph``); objects in N-Triples.  A lookup is then one range of one index, whatever the number of
plans.

The tables say what the store says, no more: a row is there exactly when its quads are in ``data``'s named graphs.
A generation without the file (written by an earlier version), or with one that cannot be read, is looked up
in the store as before.  The file is written under a temporary name and renamed, so a new generation never
shares it with the one before (whose files it otherwise links).
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterator, Sequence
from pathlib import Path

import pyoxigraph as ox

from ..iris import ATK_BASE

__all__ = ["NAMES", "NAME_PREDICATES", "NameIndex", "write_names"]

NAMES = "names.sqlite"
RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
UNIT = ox.NamedNode(ATK_BASE + "Unit")
#: the predicates a unit's name is looked up by: its short name, its other spellings, its registry id
NAME_PREDICATES = (ox.NamedNode(ATK_BASE + "shortName"),
                   ox.NamedNode("http://www.w3.org/2004/02/skos/core#altLabel"),
                   ox.NamedNode("http://www.w3.org/ns/org#identifier"))
_SCHEMA = ("CREATE TEMP TABLE quads (predicate TEXT NOT NULL, object TEXT NOT NULL, subject TEXT NOT NULL, "
           "graph TEXT NOT NULL)",
           "CREATE TABLE units (subject TEXT NOT NULL, graph TEXT NOT NULL)")
#: the name quads of subjects typed a unit, each with a graph typing it (one row per such graph), so that a lookup
#: is one range of one covering index, with no table read and no join (a join at lookup took 3.9-5.2 ms for the
#: 1,000 units of one name in bench_scale.py's Dehong-sized run; 1.0-1.6 ms without)
_NAMED = ("CREATE TABLE named AS SELECT q.predicate, q.object, q.subject, q.graph, u.graph AS unit_graph "
          "FROM quads AS q JOIN units AS u ON u.subject = q.subject")
_INDEXES = ("CREATE INDEX named_by_object ON named (object, predicate, subject, graph, unit_graph)",
            "CREATE INDEX units_by_subject ON units (subject, graph)")


def _named(data: ox.Store) -> Iterator[tuple[str, str, str, str]]:
    for predicate in NAME_PREDICATES:
        for q in data.quads_for_pattern(None, predicate, None, None):
            if isinstance(q.graph_name, ox.NamedNode) and isinstance(q.subject, ox.NamedNode):
                yield predicate.value, str(q.object), q.subject.value, q.graph_name.value


def _units(data: ox.Store) -> Iterator[tuple[str, str]]:
    for q in data.quads_for_pattern(None, RDF_TYPE, UNIT, None):
        if isinstance(q.graph_name, ox.NamedNode) and isinstance(q.subject, ox.NamedNode):
            yield q.subject.value, q.graph_name.value


def write_names(generation: Path, data: ox.Store) -> None:
    """Write ``generation``'s table of names from its ``data`` store (under a temporary name, then renamed)."""
    temporary = generation / f".{NAMES}.tmp"
    temporary.unlink(missing_ok=True)
    connection = sqlite3.connect(temporary)
    try:
        with connection:
            for statement in _SCHEMA:
                connection.execute(statement)
            connection.executemany("INSERT INTO quads VALUES (?, ?, ?, ?)", _named(data))
            connection.executemany("INSERT INTO units VALUES (?, ?)", _units(data))
            connection.execute("CREATE INDEX quads_by_subject ON quads (subject)")
            connection.execute(_NAMED)
            for statement in _INDEXES:
                connection.execute(statement)
    finally:
        connection.close()
    os.replace(temporary, generation / NAMES)


class NameIndex:
    """A generation's table of names, opened read-only.  :meth:`open` gives None when there is none to read."""

    #: how many answers of :meth:`units_named` a table keeps (its generation never changes)
    KEPT = 256

    def __init__(self, connection: sqlite3.Connection) -> None:
        self._connection = connection
        self._kept: dict[tuple, dict[str, tuple[set[str], set[str]]]] = {}

    @classmethod
    def open(cls, generation: Path | None) -> "NameIndex | None":
        """The table of ``generation``; None when it has none, or one SQLite cannot read."""
        if generation is None or not (generation / NAMES).is_file():
            return None
        try:
            connection = sqlite3.connect(f"{(generation / NAMES).as_uri()}?mode=ro&immutable=1", uri=True,
                                         check_same_thread=False)
            connection.execute("SELECT 1 FROM named, units LIMIT 1").fetchall()
        except sqlite3.Error:
            return None
        return cls(connection)

    def units_named(self, asked: Sequence[tuple[ox.NamedNode, ox.Literal]]) -> dict[str, tuple[set[str], set[str]]]:
        """The units some quad ``?s predicate value`` names, for any ``(predicate, value)`` of ``asked`` (each
        predicate one of :data:`NAME_PREDICATES`): ``{unit: (graphs naming it, graphs typing it a unit)}``, for
        subjects typed ``atk:Unit`` in some named graph.  The same answer is given again for the same ``asked``
        (the table never changes): the caller reads it, never changes it."""
        if not asked:
            return {}
        key = tuple((predicate.value, str(value)) for predicate, value in asked)
        kept = self._kept.get(key)
        if kept is not None:
            return kept
        for predicate, _ in asked:
            if predicate not in NAME_PREDICATES:
                raise ValueError(f"{predicate} is not a predicate names are looked up by")
        tests = " OR ".join(["(object = ? AND predicate = ?)"] * len(asked))
        rows = self._connection.execute(f"SELECT subject, graph, unit_graph FROM named WHERE {tests}",
                                        [term for predicate, value in asked for term in (str(value), predicate.value)])
        found: dict[str, tuple[set[str], set[str]]] = {}
        for subject, named, typed in rows:
            graphs = found.get(subject)
            if graphs is None:
                found[subject] = ({named}, {typed})
            else:
                graphs[0].add(named)
                graphs[1].add(typed)
        if len(self._kept) >= self.KEPT:
            self._kept.clear()
        self._kept[key] = found
        return found

    def unit_graphs(self, unit: str) -> set[str]:
        """The named graphs typing ``unit`` (an IRI) ``atk:Unit``."""
        return {g for (g,) in self._connection.execute("SELECT graph FROM units WHERE subject = ?", (unit,))}
