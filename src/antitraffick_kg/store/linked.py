"""Linked data: every IRI of the served store answers, with a page for people and RDF for programs.

The graphs name everything under ``https://w3id.org/antitraffick-kg/``; ``serve`` answers at each of those
names under the base it is told (``--base``): the IRI ``https://w3id.org/antitraffick-kg/REST`` is served at
``BASE/REST``.  The server itself answers ``REST`` at its root; the base is where the world reaches that root
(itself by default, or a proxy or redirect that maps the base to it), and the pages' links use it.  What is
answered:

* ``…/id/…``: the **description** of the IRI, defined as every triple, in any graph of the served store, whose
  subject is the IRI, and, for each blank node among their objects, every triple whose subject is that blank
  node, and so on (a concise bounded description without reifications).  A triple held in two graphs is given
  once.  The page for people shows the same triples with labels, the quoted words and their line for each
  piece of evidence, the nodes the IRI owns (its statements, assignments, milestones) folded in, and the
  triples that point at the IRI (links up and across), each linked thing a link.
* ``…/ontology``: the ontology graph; its page documents each term under an anchor named as the term's
  fragment, so ``…/ontology#Task`` lands on the term.
* ``…/id/dataset``: the DCAT and VoID description of the store (:mod:`~antitraffick_kg.store.dataset`).
* ``plans`` (at the server's root, not a name of the graphs): a page listing every plan served, with its id,
  title, jurisdiction, level, its own graphs and the ``--plan`` line that asks it at this endpoint, and the
  graphs every plan's question reads besides its own.

The representation is chosen by the ``Accept`` header (``text/html``, ``text/turtle``,
``application/ld+json``, ``application/n-triples``; HTML when nothing better is asked) or by a ``.ttl``,
``.jsonld`` or ``.nt`` suffix on the path.  An IRI the store does not hold, as subject or object, is ``404``
with a page that says so.
"""

from __future__ import annotations

import urllib.parse
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

from ..iris import BASE, ONTOLOGY_GRAPH
from .describe import HTML, MEDIA_TYPES, ONTOLOGY, STYLE_PATH, SUFFIXES, describe
from .pages import PLANS_PATH, Pages

__all__ = ["Answer", "LinkedData", "negotiate", "serialize_triples", "DUMPS_PATH"]

#: where the dumps of ``serve --dumps-dir`` are served, under the base
DUMPS_PATH = "dumps/"


@dataclass(frozen=True)
class Answer:
    """An HTTP answer: status, media type, body and extra headers."""

    status: int
    media_type: str
    body: bytes
    headers: dict[str, str] = field(default_factory=dict)


def negotiate(accept: str | None) -> str:
    """The media type to answer for an ``Accept`` header: the supported type with the highest weight.

    >>> negotiate("text/turtle;q=0.9, application/ld+json")
    'application/ld+json'
    >>> negotiate("*/*"), negotiate(None), negotiate("text/*;q=0.5, application/n-triples;q=0.4")
    ('text/html', 'text/html', 'text/html')
    """
    offered = [HTML, *MEDIA_TYPES]
    best, best_q = HTML, -1.0
    for position, item in enumerate((accept or "*/*").split(",")):
        kind, *params = [p.strip() for p in item.split(";")]
        q = 1.0
        for p in params:
            name, _, value = p.partition("=")
            if name.strip().lower() == "q":
                try:
                    q = float(value)
                except ValueError:
                    q = 0.0
        kind = kind.lower()
        for candidate in offered:
            major = candidate.split("/")[0]
            exact = kind == candidate
            if exact or kind == "*/*" or kind == f"{major}/*":
                # an exact match outranks a wildcard of the same weight; an earlier type wins a tie
                score = q + (0.001 if exact else 0.0) - position * 1e-6 - offered.index(candidate) * 1e-7
                if q > 0 and score > best_q:
                    best, best_q = candidate, score
    return best


def serialize_triples(triples: list[ox.Triple], media_type: str) -> bytes:
    """``triples`` in the RDF representation ``media_type``, with the project's prefixes in Turtle."""
    from ..namespaces import PREFIXES

    fmt = MEDIA_TYPES[media_type]
    more = {"dcat": "http://www.w3.org/ns/dcat#", "void": "http://rdfs.org/ns/void#",
            "spdx": "http://spdx.org/rdf/terms#"}
    # no prefix for the project's own names: 'id:plan\/x\/task\/1' is worse to read than the IRI
    prefixes = {p: str(ns) for p, ns in sorted({**PREFIXES, **more}.items()) if p != "id"} \
        if fmt == ox.RdfFormat.TURTLE else None
    return ox.serialize(triples, format=fmt, prefixes=prefixes) if triples else b""


class LinkedData:
    """Answers for the paths under ``base``: ``store`` is what is served, ``extra`` an in-memory store of
    triples made when serving starts (the dataset description)."""

    def __init__(self, store: ox.Store, *, base: str, extra: ox.Store | None = None,
                 dumps: "dict[str, Path] | None" = None) -> None:
        if not base.endswith("/"):
            base += "/"
        self.store = store
        self.extra = extra if extra is not None else ox.Store()
        self.dumps = dict(dumps or {})
        self.base = base
        self.prefix = "/"     # requests arrive at the server's root: a proxy or redirect maps the base there
        self._pages = None

    @property
    def stores(self) -> list[ox.Store]:
        return [self.store, self.extra]

    def served(self, iri: str) -> str:
        """Where ``iri`` is served: under the base when it is one of the project's names, else itself."""
        if iri.startswith(BASE):
            return self.base + urllib.parse.quote(iri[len(BASE):], safe="/#:@!$&'()*+,;=-._~")
        return iri

    def answer(self, path: str, accept: str | None) -> Answer | None:
        """The answer for the request path ``path`` (query string included), or None when it is not a name
        of the graphs (the SPARQL endpoint and its query page answer those)."""
        parts = urllib.parse.urlsplit(path)
        if not parts.path.startswith(self.prefix):
            return None
        rest = urllib.parse.unquote(parts.path[len(self.prefix):])
        if rest == STYLE_PATH:
            return Answer(200, "text/css", self.pages.stylesheet())
        if rest.startswith(DUMPS_PATH):
            dump = self.dumps.get(rest[len(DUMPS_PATH):])
            if dump is None:
                return Answer(404, HTML, self.pages.missing(self.base + rest))
            return Answer(200, "application/gzip", dump.read_bytes(),
                          {"Content-Disposition": f'attachment; filename="{dump.name}"'})
        if rest == PLANS_PATH:
            return Answer(200, HTML, self.pages.plans(endpoint=self.base + "query"))
        if not (rest.startswith("id/") or rest.split(".")[0] == "ontology"):
            return None
        iri, media_type, suffixed = BASE + rest, negotiate(accept), ""
        if not self._known(iri):
            stem, dot, suffix = rest.rpartition(".")
            if dot and "." + suffix in SUFFIXES and self._known(BASE + stem):
                iri, media_type, suffixed = BASE + stem, SUFFIXES["." + suffix], "." + suffix
        if not self._known(iri):
            return Answer(404, HTML, self.pages.missing(iri), {"Vary": "Accept"})
        headers = {"Vary": "Accept", "Link": ", ".join(
            f'<{self.served(iri)}{s}>; rel="alternate"; type="{t}"' for s, t in SUFFIXES.items())}
        if suffixed:
            headers["Content-Location"] = self.served(iri) + suffixed
        if media_type == HTML:
            body = self.pages.ontology() if iri == ONTOLOGY else self.pages.resource(iri)
            return Answer(200, HTML, body, headers)
        triples = self.ontology_triples() if iri == ONTOLOGY else describe(self.stores, ox.NamedNode(iri))
        return Answer(200, media_type, serialize_triples(triples, media_type), headers)

    def ontology_triples(self) -> list[ox.Triple]:
        """The description of the ontology's IRI: the ontology graph."""
        graph = ox.NamedNode(ONTOLOGY_GRAPH)
        return sorted({q.triple for q in self.store.quads_for_pattern(None, None, None, graph)}, key=str)

    def _known(self, iri: str) -> bool:
        if iri == ONTOLOGY:
            return True
        try:
            node = ox.NamedNode(iri)
        except ValueError:
            return False
        return any(next(iter(s.quads_for_pattern(node, None, None, None)), None) is not None
                   or next(iter(s.quads_for_pattern(None, None, node, None)), None) is not None
                   for s in self.stores)

    @property
    def pages(self) -> Pages:
        if self._pages is None:
            self._pages = Pages(self.stores, base=self.base, served=self.served)
        return self._pages

