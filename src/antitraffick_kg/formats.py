"""The formats and engines the package reads, writes and runs, each defined once as an enum.

The members are strings (``RdfFormat.TURTLE == "turtle"``), so the API takes either; the command line's choices
are :func:`choices` of the same enum, so the two cannot drift apart.

>>> RdfFormat.parse("trig").has_graphs, RowFormat.parse("csv") == "csv"
(True, True)
>>> choices(StoreKind)
['oxigraph', 'rdflib']
"""

from __future__ import annotations

from enum import StrEnum

from .errors import InputError

__all__ = ["RdfFormat", "RowFormat", "AnswerFormat", "ReportFormat", "StoreKind", "ShaclEngine", "choices"]


class _Choice(StrEnum):
    @classmethod
    def parse(cls, value: str) -> "_Choice":
        """The member named ``value``; :class:`InputError` naming the choices for any other value."""
        try:
            return cls(value)
        except ValueError:
            what = _WHAT.get(cls.__name__, "format")
            raise InputError(f"unknown {what} '{value}'; choose one of {', '.join(choices(cls))}") from None


class RdfFormat(_Choice):
    """An RDF serialisation read or written."""

    TURTLE = "turtle"
    NT = "nt"
    TRIG = "trig"
    NQUADS = "nquads"
    JSONLD = "jsonld"

    @property
    def has_graphs(self) -> bool:
        """Whether the format carries named graphs (a dataset), not one graph."""
        return self in (RdfFormat.TRIG, RdfFormat.NQUADS, RdfFormat.JSONLD)

    @property
    def oxigraph(self):
        """The ``pyoxigraph.RdfFormat`` that reads and writes it."""
        import pyoxigraph as ox

        return {"turtle": ox.RdfFormat.TURTLE, "nt": ox.RdfFormat.N_TRIPLES, "trig": ox.RdfFormat.TRIG,
                "nquads": ox.RdfFormat.N_QUADS, "jsonld": ox.RdfFormat.JSON_LD}[self.value]


class RowFormat(_Choice):
    """How query rows are printed."""

    TABLE = "table"
    CSV = "csv"
    TSV = "tsv"
    JSON = "json"


class AnswerFormat(_Choice):
    """How a query's answer is printed: rows as :class:`RowFormat`, an ASK as true/false, triples as Turtle
    (``table``, the default, writes triples as Turtle too) or N-Triples."""

    TABLE = "table"
    CSV = "csv"
    TSV = "tsv"
    JSON = "json"
    TURTLE = "turtle"
    NT = "nt"


class ReportFormat(_Choice):
    """How a validation, audit or listing is printed: words for a person, or JSON for a program."""

    TEXT = "text"
    JSON = "json"


class StoreKind(_Choice):
    """An embedded SPARQL engine."""

    OXIGRAPH = "oxigraph"
    RDFLIB = "rdflib"


class ShaclEngine(_Choice):
    """What checks SHACL shapes: pySHACL, or the shapes compiled to SPARQL on pyoxigraph."""

    PYSHACL = "pyshacl"
    OXIGRAPH = "oxigraph"


#: what an unknown value of each kind is called in the error (a format when not listed)
_WHAT = {"StoreKind": "store", "ShaclEngine": "engine"}


def choices(kind: type[StrEnum]) -> list[str]:
    """The values of ``kind``, in their order: the command line's choices."""
    return [member.value for member in kind]
