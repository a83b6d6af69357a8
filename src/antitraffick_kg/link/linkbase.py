"""Shared pieces of the linking graphs: IRIs, the three statuses, and a quad collector.

Every statement of the linking graphs (the plan family, the upper-level plans, unit counterparts, task links)
carries a status as data: ``verified`` with the source it was read from, ``inferred`` with a confidence and a
reason, or ``unknown`` with a reason. :meth:`Quads.status` refuses any other combination, so a statement can
never be written with its status blurred; the shapes of ``ontology/link-shapes.ttl`` check the same on the
graphs.
"""

from __future__ import annotations

import csv
import hashlib
from pathlib import Path
from typing import Literal
from urllib.parse import quote

import pyoxigraph as ox

__all__ = ["Status", "Quads", "ID", "ATK", "RDF", "RDFS", "SKOS", "ELI", "DCTERMS", "XSD", "node", "plan_node",
           "graph_node", "statement_node", "upper_unit_node", "LEVEL_ORDER", "read_table"]

Status = Literal["verified", "inferred", "unknown"]
ID = "https://w3id.org/antitraffick-kg/id/"
ATK = "https://w3id.org/antitraffick-kg/ontology#"
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
SKOS = "http://www.w3.org/2004/02/skos/core#"
ELI = "http://data.europa.eu/eli/ontology#"
DCTERMS = "http://purl.org/dc/terms/"
XSD = "http://www.w3.org/2001/XMLSchema#"
#: levels of government, from the top
LEVEL_ORDER: dict[str, int] = {"national": 0, "province": 1, "prefecture": 2, "city": 2, "county": 3}


def read_table(path: str | Path, *, what: str) -> tuple[list[str], list[tuple[int, dict[str, str]]]]:
    """(header, rows with their 1-based line) of a UTF-8 CSV file; cells stripped.

    Raises :class:`InputError` naming the file (``what`` it is) or the line with the wrong number of columns.
    """
    from ..errors import InputError

    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise InputError(f"{what} not found", path=str(path)) from None
    except UnicodeDecodeError as exc:
        raise InputError(f"not UTF-8 text ({exc.reason})", path=str(path)) from None
    reader = csv.reader(text.splitlines())
    header = [h.strip() for h in next(reader, [])]
    rows = []
    for line, cells in enumerate(reader, start=2):
        if len(cells) != len(header):
            raise InputError(f"wrong number of columns ({len(cells)}, the header has {len(header)})",
                             path=str(path), line=line)
        rows.append((line, {h: c.strip() for h, c in zip(header, cells)}))
    return header, rows


def node(local: str) -> ox.NamedNode:
    """An IRI of the project's id space; ``local`` is percent-encoded where an IRI needs it."""
    return ox.NamedNode(ID + quote(local, safe="/-._~:"))


def plan_node(plan_id: str) -> ox.NamedNode:
    """The plan document's IRI, the same the graph builder gives it."""
    return node(f"plan/{plan_id}")


def graph_node(name: str) -> ox.NamedNode:
    return node(f"graph/{name}")


def statement_node(kind: str, *parts: str) -> ox.NamedNode:
    """A stable IRI for a statement about ``parts`` (the same inputs give the same IRI in every build)."""
    digest = hashlib.sha256("\x1f".join(parts).encode()).hexdigest()[:16]
    return node(f"link/{kind}/{digest}")


def upper_unit_node(jurisdiction: str, *, function: str | None, name: str) -> ox.NamedNode:
    """A unit of a level whose plan is not imported: named by its function where it has one, else by its name."""
    return node(f"unit/{jurisdiction}/{function}" if function else f"unit/{jurisdiction}/name/{name}")


class Quads:
    """Quads of one named graph, collected in order without repeats."""

    def __init__(self, graph: ox.NamedNode) -> None:
        self.graph = graph
        self._seen: dict[ox.Quad, None] = {}

    def add(self, s: ox.NamedNode, p: str, o: ox.NamedNode | ox.Literal | str) -> None:
        obj = ox.NamedNode(o) if isinstance(o, str) else o
        self._seen.setdefault(ox.Quad(s, ox.NamedNode(p), obj, self.graph), None)

    def text(self, s: ox.NamedNode, p: str, value: str | None, *, lang: str | None = None) -> None:
        if value:
            self.add(s, p, ox.Literal(value, language=lang) if lang else ox.Literal(value))

    def status(self, s: ox.NamedNode, status: Status, *, read_from: str | None = None,
               confidence: float | None = None, reason: str | None = None) -> None:
        """State how ``s`` is known; raises ``ValueError`` for a combination the shapes forbid."""
        if status == "verified" and not read_from:
            raise ValueError(f"a verified statement needs the source it was read from: {s}")
        if status == "inferred" and (confidence is None or not reason or not 0 <= confidence <= 1):
            raise ValueError(f"an inferred statement needs a confidence in [0, 1] and a reason: {s}")
        if status == "unknown" and not reason:
            raise ValueError(f"an unknown statement needs a reason: {s}")
        self.add(s, ATK + "status", ATK + status)
        self.text(s, ATK + "readFrom", read_from)
        if confidence is not None:
            lexical = f"{confidence:.3f}".rstrip("0")          # the canonical form: 0.8, 0.48, 1.0
            lexical += "0" if lexical.endswith(".") else ""
            self.add(s, ATK + "confidence", ox.Literal(lexical, datatype=ox.NamedNode(XSD + "decimal")))
        self.text(s, ATK + "reason", reason)

    def statement(self, kind: str, subject: ox.NamedNode, predicate: str, obj: ox.NamedNode,
                  *key: str) -> ox.NamedNode:
        """An ``rdf:Statement`` node for (subject, predicate, obj); ``key`` tells apart statements of one triple."""
        st = statement_node(kind, subject.value, predicate, obj.value, *key)
        self.add(st, RDF + "type", RDF + "Statement")
        self.add(st, RDF + "subject", subject)
        self.add(st, RDF + "predicate", predicate)
        self.add(st, RDF + "object", obj)
        return st

    def __iter__(self):
        return iter(self._seen)

    def __len__(self) -> int:
        return len(self._seen)
