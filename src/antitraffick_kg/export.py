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
from typing import Literal

from typing import TYPE_CHECKING

from .errors import InputError

if TYPE_CHECKING:  # rdflib is imported where it is used, so the command line starts fast
    from rdflib import Dataset, Graph

__all__ = ["Format", "FORMATS", "serialize", "write_atomic", "QUAD_FORMATS"]

Format = Literal["turtle", "nt", "trig", "nquads", "jsonld"]
FORMATS: tuple[str, ...] = ("turtle", "nt", "trig", "nquads", "jsonld")
QUAD_FORMATS = ("trig", "nquads", "jsonld")
_RDFLIB_NAME = {"turtle": "turtle", "nt": "nt", "trig": "trig", "nquads": "nquads", "jsonld": "json-ld"}


def _canonical(graph: "Graph") -> "Graph":
    """A copy with canonical blank-node labels, triples added in sorted order."""
    from rdflib import BNode, Graph
    from rdflib.compare import to_canonical_graph

    from .namespaces import PREFIXES

    if any(isinstance(t, BNode) for triple in graph for t in triple):
        graph = to_canonical_graph(graph)
    out = Graph()
    for prefix, ns in PREFIXES.items():
        out.bind(prefix, ns)
    for triple in sorted(graph):
        out.add(triple)
    return out


def serialize(data: "Graph | Dataset", fmt: Format) -> bytes:
    """Serialise a graph (triple formats) or a dataset (any format) deterministically."""
    from rdflib import Dataset, Graph

    from .namespaces import PREFIXES

    if fmt not in FORMATS:
        raise InputError(f"unknown format '{fmt}'; choose one of {', '.join(FORMATS)}")
    if isinstance(data, Dataset):
        graphs = sorted((g.identifier, _canonical(g)) for g in data.graphs() if len(g))
        if fmt not in QUAD_FORMATS:
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
        return ds.serialize(format=_RDFLIB_NAME[fmt], encoding="utf-8")
    graph = _canonical(data)
    if fmt in ("nt", "nquads"):
        return _sorted_lines(graph.serialize(format="nt", encoding="utf-8"))
    return graph.serialize(format=_RDFLIB_NAME[fmt], encoding="utf-8")


def _sorted_lines(data: bytes) -> bytes:
    lines = sorted(set(line for line in data.split(b"\n") if line.strip()))
    return b"\n".join(lines) + b"\n"


def write_atomic(path: str | Path, data: bytes) -> None:
    """Write ``data`` to ``path`` through a temporary file and a rename."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        mask = os.umask(0)
        os.umask(mask)
        os.chmod(tmp, 0o666 & ~mask)      # mkstemp makes the file private; give it the usual mode
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
