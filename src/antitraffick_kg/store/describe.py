"""What an IRI of the served store is: its description, and the names and media types it is served under.

The **description** of an IRI is every triple, in any graph of the store, whose subject is the IRI, and, for
each blank node among their objects, every triple whose subject is that blank node, and so on (a concise
bounded description without reifications).  A triple held in two graphs is given once.
"""

from __future__ import annotations

import pyoxigraph as ox

from ..iris import BASE

__all__ = ["describe", "MEDIA_TYPES", "SUFFIXES", "HTML", "ONTOLOGY", "STYLE_PATH"]

#: media type -> pyoxigraph format of the RDF representations
MEDIA_TYPES = {"text/turtle": ox.RdfFormat.TURTLE, "application/ld+json": ox.RdfFormat.JSON_LD,
               "application/n-triples": ox.RdfFormat.N_TRIPLES}
#: path suffix -> media type
SUFFIXES = {".ttl": "text/turtle", ".jsonld": "application/ld+json", ".nt": "application/n-triples"}
HTML = "text/html"
ONTOLOGY = BASE + "ontology"
#: where the pages' stylesheet is served, under the base
STYLE_PATH = "_static/style.css"


def describe(stores: "list[ox.Store] | ox.Store", subject: ox.NamedNode) -> list[ox.Triple]:
    """The description of ``subject`` (see the module's text) in ``stores``, sorted, each triple once.

    >>> store = ox.Store()
    >>> a, b, p = ox.NamedNode("http://example.org/a"), ox.BlankNode(), ox.NamedNode("http://example.org/p")
    >>> g1, g2 = ox.NamedNode("http://example.org/g1"), ox.NamedNode("http://example.org/g2")
    >>> store.extend([ox.Quad(a, p, b, g1), ox.Quad(a, p, b, g2), ox.Quad(b, p, ox.Literal("x"), g1),
    ...               ox.Quad(ox.NamedNode("http://example.org/c"), p, a, g1)])
    >>> [str(t.object) for t in describe(store, a) if t.subject == a], len(describe(store, a))
    (['_:...'], 2)
    """
    stores = stores if isinstance(stores, list) else [stores]
    seen: set[ox.Triple] = set()
    todo: list[ox.NamedNode | ox.BlankNode] = [subject]
    done: set = set()
    while todo:
        node = todo.pop()
        if node in done:
            continue
        done.add(node)
        for store in stores:
            for quad in store.quads_for_pattern(node, None, None, None):
                triple = quad.triple
                if triple not in seen:
                    seen.add(triple)
                    if isinstance(triple.object, ox.BlankNode):
                        todo.append(triple.object)
    return sorted(seen, key=str)
