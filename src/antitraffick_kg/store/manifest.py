"""The corpus store's manifest: what each part holds, as RDF in the manifest graph and as a summary file.

Each part of a plan (``plan``, ``inferred``, ``progress``; ``shared`` for the linking graphs every plan shares)
has an entry in the manifest graph (``…/id/graph/manifest``): its id, kind, the digest of the inputs it was
built from, its triple count and its graphs (VoID and Dublin Core terms).  A writer also leaves the entries in
``manifest.json`` in the generation, with whether the generation's ``data`` store holds nothing but the plans'
graphs, so a new reader need not scan the stores.  See :mod:`~antitraffick_kg.store.corpus` for the layout.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from ..iris import ATK_BASE, MANIFEST_GRAPH, ONTOLOGY_GRAPH, VOCABULARY_GRAPH, manifest_entry_iri

__all__ = ["CorpusEntry", "SHARED_PART", "PROGRESS", "DATA", "META", "SUMMARY", "ALWAYS", "DIGEST", "read_manifest",
           "union_exact", "read_summary", "write_summary", "entry_quads", "entry_node"]

_VOID = "http://rdfs.org/ns/void#"
_DCT = "http://purl.org/dc/terms/"
_RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
_IDENTIFIER = ox.NamedNode(_DCT + "identifier")
_HAS_PART = ox.NamedNode(_DCT + "hasPart")
_TRIPLES = ox.NamedNode(_VOID + "triples")
_DATASET = ox.NamedNode(_VOID + "Dataset")
DIGEST = ox.NamedNode(ATK_BASE + "sha256")
_KIND = ox.NamedNode(_DCT + "type")
SHARED_PART = "links"     # the manifest's name for the linking graphs every plan shares (kind "shared")
_ENTRY_FIELDS = {_IDENTIFIER: "plan", _KIND: "kind", DIGEST: "digest", _TRIPLES: "triples"}
DATA, META = "data", "meta"      # a generation's two stores: what every-plan questions see, and the rest
ALWAYS = (ONTOLOGY_GRAPH, VOCABULARY_GRAPH)   # graphs of every view: the ontology, the shared concept schemes
SUMMARY = "manifest.json"        # a generation's manifest and union check, as a writer found them
PROGRESS = "progress"            # the part of a plan holding the progress reports its units sent (kept across builds)


@dataclass(frozen=True)
class CorpusEntry:
    """What the manifest says about one part (``plan`` or ``inferred``) of a plan in the store."""

    plan: str
    kind: str
    digest: str
    triples: int
    graphs: tuple[str, ...]


def read_manifest(meta: ox.Store) -> dict[tuple[str, str], CorpusEntry]:
    """The manifest's entries, read with one scan of its graph (a SPARQL join cost more at thousands of plans)."""
    fields: dict[str, dict] = {}
    for q in meta.quads_for_pattern(None, None, None, ox.NamedNode(MANIFEST_GRAPH)):
        row = fields.setdefault(q.subject.value, {"graphs": set()})
        if q.predicate == _HAS_PART:
            row["graphs"].add(q.object.value)
        elif q.predicate in _ENTRY_FIELDS:
            row[_ENTRY_FIELDS[q.predicate]] = q.object.value
        elif q.predicate == _RDF_TYPE and q.object == _DATASET:
            row["dataset"] = True
    entries = {}
    for row in fields.values():
        if row.get("dataset") and row["graphs"] and all(k in row for k in _ENTRY_FIELDS.values()):
            entries[(row["plan"], row["kind"])] = CorpusEntry(row["plan"], row["kind"], row["digest"],
                                                              int(row["triples"]), tuple(sorted(row["graphs"])))
    return entries


def union_exact(data: ox.Store, entries: dict[tuple[str, str], CorpusEntry]) -> bool:
    """Whether ``data`` holds nothing in its default graph and no named graph but the ontology and the plan
    and shared graphs of ``entries``."""
    allowed = {*ALWAYS, *(g for (_, kind), e in entries.items() if kind != "inferred" for g in e.graphs)}
    return (next(data.quads_for_pattern(None, None, None, ox.DefaultGraph()), None) is None
            and all(g.value in allowed for g in data.named_graphs()))


def read_summary(file: Path) -> tuple[dict[tuple[str, str], CorpusEntry], bool] | None:
    """The entries and union check a writer left in ``file``; None when there is none (an older generation)
    or it cannot be read, so the store itself is read instead."""
    try:
        summary = json.loads(file.read_bytes())
        entries = {(p, k): CorpusEntry(p, k, d, int(t), tuple(g)) for p, k, d, t, g in summary["entries"]}
        return entries, bool(summary["union_exact"])
    except (OSError, ValueError, KeyError, TypeError):
        return None


def write_summary(generation: Path, data: ox.Store, meta: ox.Store) -> None:
    """Record the manifest and the union check in ``generation``, for readers that would otherwise scan both
    stores (0.35 s of a new process's first answer at 3,000 plans; reading the file takes a few ms)."""
    entries = read_manifest(meta)
    summary = {"entries": [[e.plan, e.kind, e.digest, e.triples, list(e.graphs)] for e in entries.values()],
               "union_exact": union_exact(data, entries)}
    temporary = generation / f".{SUMMARY}.tmp"
    temporary.write_text(json.dumps(summary, ensure_ascii=False, sort_keys=True), encoding="utf-8")
    os.replace(temporary, generation / SUMMARY)


def entry_quads(part, graphs: dict[str, int]) -> Iterable[ox.Quad]:
    """The manifest graph's quads saying what ``part`` (a plan part being written) holds: ``graphs`` with their
    triple counts."""
    node, graph = entry_node(part.plan, part.kind), ox.NamedNode(MANIFEST_GRAPH)
    yield ox.Quad(node, _RDF_TYPE, _DATASET, graph)
    yield ox.Quad(node, _IDENTIFIER, ox.Literal(part.plan), graph)
    yield ox.Quad(node, _KIND, ox.Literal(part.kind), graph)
    yield ox.Quad(node, DIGEST, ox.Literal(part.digest), graph)
    yield ox.Quad(node, _TRIPLES, ox.Literal(str(sum(graphs.values())),
                                             datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer")), graph)
    for name in sorted(graphs):
        yield ox.Quad(node, _HAS_PART, ox.NamedNode(name), graph)


def entry_node(plan: str, kind: str) -> ox.NamedNode:
    """The manifest graph's node for the part (``plan``, ``kind``)."""
    return ox.NamedNode(manifest_entry_iri(plan, kind))
