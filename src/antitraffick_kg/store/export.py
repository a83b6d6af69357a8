"""Deterministic serialisation and atomic writes.

Two runs over the same input give identical bytes: blank nodes get canonical
labels, line-based formats are sorted, and triples reach the serialisers in
sorted order.  Files are written to a temporary file beside the target and
renamed into place, so a failed run leaves nothing half-written.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from typing import TYPE_CHECKING

from ..errors import InputError, OutputError
from ..formats import RdfFormat

if TYPE_CHECKING:  # rdflib is imported where it is used, so the command line starts fast
    from rdflib import Dataset, Graph

    from collections.abc import Iterable

    import pyoxigraph

    from .corpus import Corpus

__all__ = ["export", "serialize", "serialize_corpus", "serialize_quads", "write_atomic", "check_writable"]

_RDFLIB_NAME = {"turtle": "turtle", "nt": "nt", "trig": "trig", "nquads": "nquads", "jsonld": "json-ld"}


def _canonical(graph: "Graph") -> "Graph":
    """A copy with canonical blank-node labels, triples added in sorted order."""
    from rdflib import BNode, Graph
    from rdflib.compare import to_canonical_graph

    from ..namespaces import PREFIXES

    if any(isinstance(t, BNode) for triple in graph for t in triple):
        graph = to_canonical_graph(graph)
    out = Graph()
    for prefix, ns in PREFIXES.items():
        out.bind(prefix, ns)
    for triple in sorted(graph):
        out.add(triple)
    return out


#: namespaces the linking graphs use beyond the project's prefixes, bound so that no writer invents a name
_MORE_PREFIXES = {"sssom": "https://w3id.org/sssom/", "semapv": "https://w3id.org/semapv/vocab/"}


def _trig(graphs: list) -> bytes:
    """TriG with the named graphs in IRI order (rdflib's writer orders them by hash, which varies between runs)."""
    from rdflib import Dataset

    from ..namespaces import PREFIXES

    prefixes: dict[str, None] = {}
    blocks = []
    for name, g in graphs:
        one = Dataset()
        for prefix, ns in {**PREFIXES, **_MORE_PREFIXES}.items():
            one.bind(prefix, ns)
        target = one.graph(name)
        for t in sorted(g):
            target.add(t)
        text = one.serialize(format="trig", encoding="utf-8").decode("utf-8")
        head, _, body = text.partition("\n\n")
        prefixes.update(dict.fromkeys(line for line in head.splitlines() if line.startswith("@prefix")))
        blocks.append(body.strip("\n"))
    return ("\n".join(sorted(prefixes)) + "\n\n" + "\n\n".join(blocks) + "\n\n").encode("utf-8")


def serialize(data: "Graph | Dataset", fmt: RdfFormat | str) -> bytes:
    """Serialise a graph (triple formats) or a dataset (any format) deterministically."""
    from rdflib import Dataset, Graph

    from ..namespaces import PREFIXES

    fmt = RdfFormat.parse(fmt)
    if isinstance(data, Dataset):
        graphs = sorted((g.identifier, _canonical(g)) for g in data.graphs() if len(g))
        if not fmt.has_graphs:
            merged = Graph()
            for _, g in graphs:
                for t in g:
                    merged.add(t)
            return serialize(merged, fmt)
        ds = Dataset()
        for prefix, ns in PREFIXES.items():
            ds.bind(prefix, ns)
        for name, g in graphs:
            target = ds.graph(name)
            for t in sorted(g):
                target.add(t)
        if fmt == "nquads":
            return _sorted_lines(ds.serialize(format="nquads", encoding="utf-8"))
        if fmt == "trig":
            return _trig(graphs)
        return ds.serialize(format=_RDFLIB_NAME[fmt], encoding="utf-8")
    graph = _canonical(data)
    if fmt in ("nt", "nquads"):
        return _sorted_lines(graph.serialize(format="nt", encoding="utf-8"))
    return graph.serialize(format=_RDFLIB_NAME[fmt], encoding="utf-8")


def _sorted_lines(data: bytes) -> bytes:
    lines = sorted(set(line for line in data.split(b"\n") if line.strip()))
    return b"\n".join(lines) + b"\n"


def check_writable(path: str | Path, *, folder: bool = False) -> None:
    """Raise :class:`OutputError` now if ``path`` could not be written later; change nothing.

    ``path`` is a file, or with ``folder`` a folder to write files into.  A
    folder that does not exist yet is fine when it could be created.  Called
    before long work starts, so that a command fails in a second rather than
    after minutes of work.

    >>> check_writable(__file__ + "/x.ttl")
    Traceback (most recent call last):
    ...
    antitraffick_kg.errors.OutputError: .../x.ttl: cannot write under ...export.py: it is a file, not a folder
    """
    path = Path(path)
    if folder and path.exists() and not path.is_dir():
        raise OutputError("is a file, not a folder to write into", path=str(path))
    if not folder and path.is_dir():
        raise OutputError("is a folder; give a file name", path=str(path))
    target = path if folder else path.parent
    existing = target
    while not existing.exists() and existing != existing.parent:
        existing = existing.parent
    if not existing.is_dir():
        raise OutputError(f"cannot write under {existing}: it is a file, not a folder", path=str(path))
    if existing == target:
        try:
            fd, probe = tempfile.mkstemp(prefix=".write-check.", dir=target)
        except OSError as exc:
            raise OutputError(f"cannot write into {target}: {exc.strerror or exc}", path=str(path)) from None
        os.close(fd)
        os.unlink(probe)
    else:   # create the first missing folder and remove it again: the only test that works for root too
        first = target
        while first.parent != existing:
            first = first.parent
        try:
            first.mkdir()
        except OSError as exc:
            raise OutputError(f"cannot create folders in {existing}: {exc.strerror or exc}", path=str(path)) from None
        first.rmdir()


def write_atomic(path: str | Path, data: bytes) -> None:
    """Write ``data`` to ``path`` through a temporary file and a rename.

    Raises :class:`OutputError` when the file cannot be written; the target is
    then unchanged and no temporary file is left.
    """
    path = Path(path)
    tmp: str | None = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        mask = os.umask(0)
        os.umask(mask)
        os.chmod(tmp, 0o666 & ~mask)      # mkstemp makes the file private; give it the usual mode
        os.replace(tmp, path)
        tmp = None
    except OSError as exc:
        raise OutputError(f"cannot write: {exc.strerror or exc}", path=str(path)) from None
    finally:
        if tmp is not None:
            Path(tmp).unlink(missing_ok=True)


def export(*, corpus: "Corpus", plan: str, fmt: RdfFormat | str = "turtle") -> bytes:
    """``plan`` from ``corpus`` in format ``fmt``, as :func:`serialize_corpus` writes it."""
    return serialize_corpus(corpus, fmt, plan=plan)


def serialize_corpus(corpus: "Corpus", fmt: RdfFormat | str, *, plan: str | None) -> bytes:
    """``plan`` from the corpus store, serialised by pyoxigraph in sorted order (same store, same bytes).

    Triple formats (turtle, nt) hold the plan graph; quad formats the
    ontology and plan graphs (of every plan of ``corpus`` when ``plan`` is
    None).  Raises :class:`InputError` for an unknown format, a plan the
    store lacks, or a triple format with ``plan`` None (several plans' graphs
    are no one graph).
    """
    import pyoxigraph as ox

    from ..iris import graph_iri

    fmt = RdfFormat.parse(fmt)
    if plan is None and not fmt.has_graphs:
        raise InputError(f"{fmt} holds one graph; several plans need a dataset format (trig, nquads, jsonld)")
    graphs = corpus.graphs(plan) if fmt.has_graphs else [ox.NamedNode(graph_iri(plan))]
    if plan is not None:
        corpus.entry(plan)
    return serialize_quads([q for g in graphs for q in corpus.store.quads_for_pattern(None, None, None, g)], fmt)


def serialize_quads(quads: "Iterable[pyoxigraph.Quad]", fmt: RdfFormat | str) -> bytes:
    """``quads`` serialised by pyoxigraph in sorted order, with our prefixes; triple formats drop the graphs.

    >>> import pyoxigraph as ox
    >>> g = ox.NamedNode("https://w3id.org/antitraffick-kg/id/graph/x")
    >>> serialize_quads([ox.Quad(ox.NamedNode("https://w3id.org/antitraffick-kg/id/b"),
    ...                          ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label"), ox.Literal("b"), g),
    ...                  ox.Quad(ox.NamedNode("https://w3id.org/antitraffick-kg/id/a"),
    ...                          ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label"), ox.Literal("a"), g)],
    ...                 "nt").decode().splitlines()[0]
    '<https://w3id.org/antitraffick-kg/id/a> <http://www.w3.org/2000/01/rdf-schema#label> "a" .'
    """
    import pyoxigraph as ox

    from ..namespaces import PREFIXES

    fmt = RdfFormat.parse(fmt)
    ordered = sorted(quads, key=str)
    items = ordered if fmt.has_graphs else [q.triple for q in ordered]
    target = fmt.oxigraph
    prefixes = {prefix: str(ns) for prefix, ns in sorted(PREFIXES.items())} if fmt in ("turtle", "trig") else None
    return ox.serialize(items, format=target, prefixes=prefixes)
