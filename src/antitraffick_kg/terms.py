"""Term conversion between pyoxigraph and rdflib, in one place.

>>> import pyoxigraph as ox
>>> to_rdflib(ox.Literal("x"))
rdflib.term.Literal('x', datatype=rdflib.term.URIRef('http://www.w3.org/2001/XMLSchema#string'))
>>> to_rdflib(ox.Literal("x"), plain_strings=True)
rdflib.term.Literal('x')
"""

from __future__ import annotations

__all__ = ["to_rdflib"]


def to_rdflib(term, *, plain_strings: bool = False):
    """The rdflib term for a pyoxigraph ``NamedNode``, ``BlankNode`` or ``Literal``.

    A literal typed ``xsd:string`` keeps its datatype unless ``plain_strings``:
    rdflib matches a plain literal read from N-Quads only with a plain literal.
    Raises :class:`TypeError` for anything else.
    """
    import pyoxigraph as ox
    from rdflib import BNode, Literal, URIRef

    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if not isinstance(term, ox.Literal):
        raise TypeError(f"cannot convert {type(term).__name__} to an rdflib term")
    if term.language:
        return Literal(term.value, lang=term.language)
    datatype = term.datatype.value
    if plain_strings and datatype.endswith("#string"):
        return Literal(term.value)
    return Literal(term.value, datatype=URIRef(datatype))
