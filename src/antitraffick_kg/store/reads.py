"""What a query can read: the predicates of its patterns, and a plan's N-Quads cut down to the lines it can match.

A question asked of many plans in turn copies each plan's graphs into a store in memory
(:class:`~antitraffick_kg.store.graphsets.OnePlanAtATime`); parsing and indexing those quads is most of the cost.
Every triple pattern and property path of a query has a predicate, and a quad whose predicate is none of the
query's can match none of its patterns, so the query answers exactly the same over the quads it can match.
:func:`query_reads` gives those predicates (and, for ``?x a <Class>`` patterns, the classes), read from the query
as rdflib's SPARQL parser understands it; :func:`only_read` keeps the lines of N-Quads that the reads can match.

A query whose reads cannot be known is read whole (None): a pattern with a variable predicate (``?s ?p ?o``; but
one that a ``VALUES`` block of the same group gives only IRIs is one of those), a negated property set (``!p``), a
``DESCRIBE`` (which gives every triple of what it names), a ``SERVICE`` (what another server reads is its own),
``GRAPH ?g {}`` (every graph, whatever it holds), or a text rdflib cannot parse.

A plan's part file is written grouped by predicate (:func:`by_predicate`): its lines sorted so that each
predicate's lines (each class's, for ``rdf:type``) are together, after a comment line giving where each group
starts and ends.  :func:`only_read` then joins the groups a reading can match without looking at a line; N-Quads
without that line are read line by line.
"""

from __future__ import annotations

import json
import zlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache

__all__ = ["Reads", "query_reads", "only_read", "by_predicate", "grouped", "GROUPS"]

RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
_RDF_TYPE = b"<" + RDF_TYPE.encode() + b">"
#: how N-Quads grouped by predicate begin: this, then as JSON the CRC-32 of the text after the line and the groups
#: (``{"<p>": [start, end], "<rdf:type> <C>": …}``, offsets into that text), then a line end
GROUPS = b"# groups by predicate: "


@dataclass(frozen=True)
class Reads:
    """The predicates a query's patterns name, and the classes of its ``rdf:type`` patterns with a class named.

    ``rdf:type`` is among ``predicates`` only when a pattern reads types of any class (``?x a ?class``, or a
    property path through ``rdf:type``); otherwise a type statement is read when its class is in ``classes``.
    """

    predicates: frozenset[str]
    classes: frozenset[str] = frozenset()
    #: :meth:`wants`'s answers so far, by group
    _wanted: dict[str, bool] = field(default_factory=dict, compare=False, hash=False, repr=False)

    def __or__(self, other: "Reads") -> "Reads":
        return Reads(self.predicates | other.predicates, self.classes | other.classes)

    def wants(self, group: str) -> bool:
        """Whether the lines of a group of N-Quads grouped by predicate (:func:`by_predicate`: ``"<p>"``, or
        ``"<rdf:type> <C>"``) can match a pattern of the query."""
        known = self._wanted.get(group)
        if known is None:
            predicate, _, obj = group.partition(" ")
            known = self._wanted[group] = predicate[1:-1] in self.predicates or (
                predicate[1:-1] == RDF_TYPE and obj[1:-1] in self.classes)
        return known

    def matches(self, predicate: str, obj: str | None) -> bool:
        """Whether a quad with ``predicate`` (and object IRI ``obj``) can match a pattern of the query."""
        if predicate in self.predicates:
            return True
        return predicate == RDF_TYPE and obj in self.classes


def query_reads(texts: Iterable[str]) -> Reads | None:
    """What the queries ``texts`` read, together; None when any of them may read any predicate.

    >>> r = query_reads(["PREFIX s: <http://ex/> SELECT * WHERE { ?t a s:Task ; s:title ?x . ?x s:in+ ?y }"])
    >>> sorted(r.predicates), sorted(r.classes)
    (['http://ex/in', 'http://ex/title'], ['http://ex/Task'])
    >>> query_reads(["SELECT * WHERE { ?s ?p ?o }"]) is None
    True
    """
    found = Reads(frozenset())
    for text in texts:
        one = _reads(text)
        if one is None:
            return None
        found |= one
    return found


@lru_cache(maxsize=256)
def _reads(text: str) -> Reads | None:
    # the parse tree, not rdflib's algebra: its translation drops a FILTER inside some (NOT) EXISTS patterns
    from pyparsing import ParseResults
    from rdflib import URIRef, Variable
    from rdflib.plugins.sparql.algebra import translatePrologue
    from rdflib.plugins.sparql.parser import parseQuery
    from rdflib.plugins.sparql.parserutils import CompValue

    try:
        tree = parseQuery(text)
        prologue = translatePrologue(tree[0], None)
    except Exception:  # noqa: BLE001 -- a text rdflib cannot read is read whole, never guessed at
        return None
    predicates: set[str] = set()
    classes: set[str] = set()
    unknown: list[object] = []

    def iri(term) -> str | None:
        if isinstance(term, CompValue) and term.name == "pname" or isinstance(term, URIRef):
            return str(prologue.absolutize(term))
        return None

    def simple(path) -> str | None:
        """The IRI a path of one plain step is (``a``, ``atk:unit``), else None."""
        while isinstance(path, CompValue) and path.name in ("PathAlternative", "PathSequence") \
                and len(path["part"]) == 1:
            path = path["part"][0]
        if isinstance(path, CompValue) and path.name == "PathElt" and dict.get(path, "mod") is None:
            return iri(path["part"])
        return iri(path)

    def steps(path) -> None:
        """Every IRI a path steps through; a negated property set or a variable reads any predicate."""
        if isinstance(path, CompValue) and path.name == "PathNegatedPropertySet" or isinstance(path, Variable):
            unknown.append(path)
        elif iri(path) is not None:
            predicates.add(iri(path))
        elif isinstance(path, CompValue):
            for key, value in path.items():
                if key == "part":
                    steps(value)
        elif isinstance(path, (list, tuple, ParseResults)):
            for value in path:
                steps(value)
        else:
            unknown.append(path)

    def given(group) -> dict[str, set[str]]:
        """The variables a VALUES block of ``group`` (a group's parse) gives IRIs only (no UNDEF), with them."""
        found: dict[str, set[str]] = {}
        for part in group["part"]:
            if not (isinstance(part, CompValue) and part.name == "InlineData"):
                continue
            names = [str(v) for v in part["var"]]
            rows = part["value"] if len(names) > 1 else [[v] for v in part["value"]]
            for i, name in enumerate(names):
                iris = [iri(row[i]) for row in rows]
                if all(iris):
                    found.setdefault(name, set()).update(iris)  # type: ignore[arg-type]
        return found

    def walk(node, values: dict[str, set[str]] | None = None) -> None:
        if isinstance(node, CompValue):
            if node.name in ("ServiceGraphPattern", "DescribeQuery") or (
                    node.name == "GraphGraphPattern" and not _has_triples(node)):
                unknown.append(node)        # another server's reading, every triple of a resource, any graph
            if node.name == "GroupGraphPatternSub":
                # a predicate variable that a VALUES block of the same group gives IRIs only can only be one of
                # them (the group joins the two); a pattern in a group nested in it is its own
                mine = given(node)
                for part in node["part"]:
                    walk(part, mine)
                return
            if node.name == "TriplesBlock":
                for block in node["triples"]:
                    if len(block) % 3:
                        unknown.append(block)
                        continue
                    for x in range(0, len(block), 3):
                        one, obj = simple(block[x + 1]), block[x + 2]
                        if one == RDF_TYPE and iri(obj) is not None:
                            classes.add(iri(obj))
                        elif one is not None:
                            predicates.add(one)
                        elif isinstance(block[x + 1], Variable) and str(block[x + 1]) in (values or {}):
                            predicates.update((values or {})[str(block[x + 1])])
                        else:
                            steps(block[x + 1])
                    for x in range(0, len(block), 3):       # a subquery or pattern in a term: none expected
                        walk([block[x], block[x + 2]])
                return
            for value in node.values():
                walk(value)
        elif isinstance(node, (list, tuple, ParseResults)):
            for value in node:
                walk(value)

    try:
        walk(tree[1])
    except Exception:  # noqa: BLE001 -- a pattern not read as expected: read whole, never guessed at
        return None
    if unknown:
        return None
    return Reads(frozenset(predicates), frozenset(classes))


def _has_triples(node) -> bool:
    """Whether some basic graph pattern under ``node`` (of a parse tree) has a triple."""
    from pyparsing import ParseResults
    from rdflib.plugins.sparql.parserutils import CompValue

    if isinstance(node, CompValue):
        if node.name == "TriplesBlock":
            return any(len(block) for block in node["triples"])
        return any(_has_triples(v) for v in node.values())
    if isinstance(node, (list, tuple, ParseResults)):
        return any(_has_triples(v) for v in node)
    return False


def only_read(data: bytes, reads: Reads) -> bytes:
    """The lines of N-Quads ``data`` whose quad ``reads`` can match, with every line this reading cannot place
    (one that is not a subject, an IRI predicate and the rest, each after one space, as pyoxigraph writes them)
    kept.

    >>> r = Reads(frozenset({"http://ex/p"}), frozenset({"http://ex/C"}))
    >>> only_read(b'<http://ex/a> <http://ex/p> "1" <http://ex/g> .\\n'
    ...           b'<http://ex/a> <http://ex/q> "2" <http://ex/g> .\\n'
    ...           b'_:b <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <http://ex/C> <http://ex/g> .\\n'
    ...           b'_:b <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <http://ex/D> <http://ex/g> .\\n', r)
    b'<http://ex/a> <http://ex/p> "1" <http://ex/g> .\\n_:b <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <http://ex/C> <http://ex/g> .\\n'
    """
    found = grouped(data)
    if found is not None:                       # grouped by predicate: the groups read, joined
        body, head = found
        return b"".join(body[start:stop] for key, (start, stop) in head["groups"].items() if reads.wants(key))
    wanted = {f"<{p}>".encode() for p in reads.predicates}
    classes = {f"<{c}>".encode() for c in reads.classes}
    kept = []
    for line in data.splitlines(keepends=True):
        key = _key(line)
        if key is None:                         # not a line placed here (a quoted triple, other spacing): kept
            if line.strip() and not line.startswith(b"#"):      # (a comment holds no quad)
                kept.append(line)
        elif key[0] in wanted or (key[0] == _RDF_TYPE and key[1] in classes):
            kept.append(line)
    return b"".join(kept)


def grouped(data: bytes) -> tuple[memoryview, dict] | None:
    """The text after the groups line of ``data`` and that line's JSON (``crc32``, ``groups``); None when
    ``data`` is not grouped, or its text is not the one the line describes (changed since: its CRC-32 differs)."""
    if not data.startswith(GROUPS):
        return None
    end = data.find(b"\n")
    try:
        head = json.loads(data[len(GROUPS):end])
        body = memoryview(data)[end + 1:]
        return (body, head) if end > 0 and zlib.crc32(body) == head["crc32"] and "groups" in head else None
    except (ValueError, KeyError, TypeError):
        return None


def _key(line: bytes) -> tuple[bytes, bytes] | None:
    """The predicate of an N-Quads line and, for ``rdf:type``, its object; None for a line not written as
    pyoxigraph writes one (subject, IRI predicate and the rest, each after one space)."""
    parts = line.split(b" ", 3)
    if len(parts) < 4 or not _placed(parts[0], parts[1]):
        return None
    return parts[1], (parts[2] if parts[1] == _RDF_TYPE else b"")


def _placed(subject: bytes, predicate: bytes) -> bool:
    """Whether an N-Quads line's first two tokens, split at single spaces, are its subject and predicate: an IRI
    (no white space inside) or a blank node, then an IRI; not a quoted triple, not tokens apart by a tab."""
    return (predicate[:1] == b"<" and predicate[-1:] == b">" and b"\t" not in predicate and b"\t" not in subject
            and ((subject[:1] == b"<" and subject[-1:] == b">" and subject[:2] != b"<<") or subject[:2] == b"_:"))


def by_predicate(data: bytes) -> bytes:
    """N-Quads ``data`` grouped by predicate (:data:`GROUPS`): the same lines, each predicate's together (each
    class's, for ``rdf:type``), after a comment line saying where each group is.  ``data`` as it is when a line
    is not one :func:`only_read` can place; as it is too when it is grouped already, but regrouped when its text
    was changed after its groups line was written.

    >>> text = (b'<http://e/a> <http://e/q> "1" <http://e/g> .\\n'
    ...         b'<http://e/a> <http://e/p> "2" <http://e/g> .\\n'
    ...         b'<http://e/b> <http://e/q> "3" <http://e/g> .\\n')
    >>> grouped = by_predicate(text)
    >>> print(grouped.decode())
    # groups by predicate: {"crc32": 3879975271, "groups": {"<http://e/p>": [0, 45], "<http://e/q>": [45, 135]}}
    <http://e/a> <http://e/p> "2" <http://e/g> .
    <http://e/a> <http://e/q> "1" <http://e/g> .
    <http://e/b> <http://e/q> "3" <http://e/g> .
    <BLANKLINE>
    >>> only_read(grouped, Reads(frozenset({"http://e/q"}))) == only_read(text, Reads(frozenset({"http://e/q"})))
    True
    """
    if data.startswith(GROUPS):
        if grouped(data) is not None:
            return data
        data = data[data.find(b"\n") + 1:] if b"\n" in data else b""
    groups: dict[bytes, list[bytes]] = {}      # "<p>", or "<rdf:type> <C>": its lines
    for line in data.splitlines(keepends=True):
        placed = _key(line)
        if placed is None or line[-1:] != b"\n":
            if not line.strip():
                continue
            return data
        key = placed[0] + b" " + placed[1] if placed[1] else placed[0]
        found = groups.get(key)
        if found is None:
            groups[key] = [line]
        else:
            found.append(line)
    index, at = {}, 0
    for key in sorted(groups):
        size = sum(map(len, groups[key]))
        index[key.decode("utf-8", "surrogateescape")] = [at, at + size]
        at += size
    body = b"".join(line for key in sorted(groups) for line in groups[key])
    head = {"crc32": zlib.crc32(body), "groups": index}
    return GROUPS + json.dumps(head).encode("ascii") + b"\n" + body
