"""The store's description of itself (DCAT and VoID) and its dumps.

``…/id/dataset`` is a ``dcat:Dataset`` and ``void:Dataset``: the store's graphs, with a subset for each plan
(its title, its plan document, the graphs it fills and their triple counts), the licence (MIT), the build
date, the SPARQL endpoint (a ``dcat:DataService`` and a distribution through it) and, when there are dumps,
one ``dcat:Distribution`` for each compressed dump with its download address, size and SHA-256 sum.  The
fields promised are held by ``ontology/dataset-shapes.ttl``.

``export --all-plans`` writes the dumps (:func:`write_dumps`): one N-Quads file per plan with its graphs and
one of the whole store, each gzip-compressed byte for byte the same for the same store, a ``SHA256SUMS``
file in the format of ``sha256sum``, and ``dataset.ttl``, the description naming them.  ``serve
--dumps-dir`` checks the sums before it offers the dumps and names them in its description.
"""

from __future__ import annotations

import gzip
import hashlib
import io
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

import pyoxigraph as ox

from ..errors import InputError
from ..iris import ATK_BASE, BASE, ID_BASE, MANIFEST_GRAPH, graph_iri, plan_iri
from .export import serialize_quads, write_atomic

__all__ = ["DATASET", "Dump", "describe_dataset", "write_dumps", "read_dumps", "SUMS", "DESCRIPTION"]

DATASET = ID_BASE + "dataset"
SUMS = "SHA256SUMS"
DESCRIPTION = "dataset.ttl"
ALL = "antitraffick-kg"         # the dump of the whole store: antitraffick-kg.nq.gz
LICENSE = "https://opensource.org/licenses/MIT"
_DCAT = "http://www.w3.org/ns/dcat#"
_DCT = "http://purl.org/dc/terms/"
_VOID = "http://rdfs.org/ns/void#"
_SPDX = "http://spdx.org/rdf/terms#"
_XSD = "http://www.w3.org/2001/XMLSchema#"
_RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
_MEDIA = "https://www.iana.org/assignments/media-types/"
_PLAN_DOCUMENT = ox.NamedNode(ATK_BASE + "PlanDocument")
_TITLE = ox.NamedNode(_DCT + "title")


@dataclass(frozen=True)
class Dump:
    """One compressed dump: its file name, size in bytes and SHA-256 sum (hex)."""

    name: str
    size: int
    sha256: str


def _n(iri: str) -> ox.NamedNode:
    return ox.NamedNode(iri)


def _lit(value: object, datatype: str | None = None, lang: str | None = None) -> ox.Literal:
    if lang:
        return ox.Literal(str(value), language=lang)
    return ox.Literal(str(value), datatype=_n(_XSD + datatype)) if datatype else ox.Literal(str(value))


def _plans(store: ox.Store) -> dict[str, str]:
    """plan id -> title, for every plan document in a plan's own graph of ``store``."""
    found: dict[str, str] = {}
    for q in store.quads_for_pattern(None, _n(_RDF_TYPE), _PLAN_DOCUMENT, None):
        plan = q.subject.value.rsplit("/", 1)[-1]
        if q.subject.value == plan_iri(plan) and isinstance(q.graph_name, ox.NamedNode) \
                and q.graph_name.value == graph_iri(plan):
            titles = sorted((t.object for t in store.quads_for_pattern(q.subject, _TITLE, None, q.graph_name)),
                            key=lambda lit: (lit.language != "zh", lit.value))
            found[plan] = titles[0].value if titles else plan
    return dict(sorted(found.items()))


def _graph_sizes(store: ox.Store) -> dict[str, int]:
    sizes: dict[str, int] = {}
    for q in store.quads_for_pattern(None, None, None, None):
        if isinstance(q.graph_name, ox.NamedNode) and q.graph_name.value != MANIFEST_GRAPH:
            sizes[q.graph_name.value] = sizes.get(q.graph_name.value, 0) + 1
    return dict(sorted(sizes.items()))


def describe_dataset(store: ox.Store, *, endpoint: str | None, dumps: Sequence[Dump] = (), dumps_url: str = "",
                     modified: datetime | None = None) -> list[ox.Triple]:
    """The DCAT and VoID description of ``store`` (see the module's text) as triples.

    ``endpoint`` is the SPARQL endpoint's address (None: no endpoint named); each dump is named at
    ``dumps_url`` + its file name; ``modified`` is the build date (default: now).
    """
    d = _n(DATASET)
    t: list[ox.Triple] = []

    def add(s, p: str, o) -> None:
        t.append(ox.Triple(s, _n(p), o))

    sizes = _graph_sizes(store)
    plans = _plans(store)
    when = (modified or datetime.now(timezone.utc)).astimezone(timezone.utc).replace(microsecond=0)
    for kind in (_DCAT + "Dataset", _VOID + "Dataset"):
        add(d, _RDF_TYPE, _n(kind))
    add(d, _DCT + "title", _lit("反对拐卖人口行动计划知识图谱", lang="zh"))
    add(d, _DCT + "title", _lit("Anti-trafficking action plans knowledge graph", lang="en"))
    add(d, _DCT + "description", _lit(f"{len(plans)} plan(s) as RDF: their tasks, the units responsible and "
                                       "the words of the plan each fact rests on", lang="en"))
    add(d, _DCT + "license", _n(LICENSE))
    add(d, _DCT + "modified", _lit(when.isoformat().replace("+00:00", "Z"), "dateTime"))
    add(d, _VOID + "triples", _lit(sum(sizes.values()), "integer"))
    add(d, _VOID + "uriSpace", _lit(ID_BASE))
    add(d, _VOID + "vocabulary", _n(BASE + "ontology"))
    for graph, n in sizes.items():
        g = _n(f"{DATASET}/graph/{graph[len(ID_BASE + 'graph/'):]}" if graph.startswith(ID_BASE) else graph)
        add(d, _VOID + "subset", g)
        add(g, _RDF_TYPE, _n(_VOID + "Dataset"))
        add(g, _VOID + "triples", _lit(n, "integer"))
        add(g, "http://www.w3.org/ns/sparql-service-description#name", _n(graph))
    for plan, title in plans.items():
        p = _n(f"{DATASET}/plan/{plan}")
        add(d, _DCT + "hasPart", p)
        add(p, _RDF_TYPE, _n(_DCAT + "Dataset"))
        add(p, _DCT + "identifier", _lit(plan))
        add(p, _DCT + "title", _lit(title, lang="zh"))
        add(p, _DCT + "source", _n(plan_iri(plan)))            # the plan document the graph is read from
        add(p, _DCT + "license", _n(LICENSE))
        add(p, _VOID + "triples", _lit(sizes.get(graph_iri(plan), 0), "integer"))
    if endpoint:
        service, dist = _n(DATASET + "/service"), _n(DATASET + "/distribution/sparql")
        add(service, _RDF_TYPE, _n(_DCAT + "DataService"))
        add(service, _DCT + "title", _lit("SPARQL 1.1 endpoint", lang="en"))
        add(service, _DCAT + "endpointURL", _n(endpoint))
        add(service, _DCT + "conformsTo", _n("https://www.w3.org/TR/sparql11-protocol/"))
        add(service, _DCAT + "servesDataset", d)
        add(d, _VOID + "sparqlEndpoint", _n(endpoint))
        add(d, _DCAT + "distribution", dist)
        add(dist, _RDF_TYPE, _n(_DCAT + "Distribution"))
        add(dist, _DCAT + "accessURL", _n(endpoint))
        add(dist, _DCAT + "accessService", service)
        add(dist, _DCT + "license", _n(LICENSE))
    for dump in dumps:
        dist, url = _n(f"{DATASET}/distribution/{dump.name}"), _n(dumps_url + dump.name)
        add(d, _DCAT + "distribution", dist)
        add(d, _VOID + "dataDump", url)
        add(dist, _RDF_TYPE, _n(_DCAT + "Distribution"))
        add(dist, _DCT + "title", _lit(dump.name))
        add(dist, _DCAT + "downloadURL", url)
        add(dist, _DCAT + "accessURL", url)
        add(dist, _DCAT + "mediaType", _n(_MEDIA + "application/n-quads"))
        add(dist, _DCAT + "compressFormat", _n(_MEDIA + "application/gzip"))
        add(dist, _DCAT + "byteSize", _lit(dump.size, "nonNegativeInteger"))
        add(dist, _DCT + "license", _n(LICENSE))
        checksum = ox.BlankNode()
        add(dist, _SPDX + "checksum", checksum)
        add(checksum, _RDF_TYPE, _n(_SPDX + "Checksum"))
        add(checksum, _SPDX + "algorithm", _n(_SPDX + "checksumAlgorithm_sha256"))
        add(checksum, _SPDX + "checksumValue", _lit(dump.sha256, "hexBinary"))
    return t


def _gzip(data: bytes) -> bytes:
    """gzip with no time or name in the header: the same data gives the same bytes."""
    out = io.BytesIO()
    with gzip.GzipFile(fileobj=out, mode="wb", mtime=0, filename="") as fh:
        fh.write(data)
    return out.getvalue()


def write_dumps(store: ox.Store, folder: str | Path, *, plan_graphs: dict[str, list[ox.NamedNode]],
                dumps_url: str, endpoint: str | None, modified: datetime | None = None) -> list[Path]:
    """Write the dumps of ``store`` into ``folder``: ``<plan>.nq.gz`` for each plan of ``plan_graphs``
    (plan id -> its graphs), ``antitraffick-kg.nq.gz`` with every graph, ``SHA256SUMS`` and ``dataset.ttl``.

    Each file goes through a temporary file and a rename; the paths written are returned.
    """
    from ..namespaces import PREFIXES

    folder = Path(folder)
    written: list[Path] = []
    dumps: list[Dump] = []
    parts = {plan: [q for g in graphs for q in store.quads_for_pattern(None, None, None, g)]
             for plan, graphs in sorted(plan_graphs.items())}
    parts[ALL] = [q for q in store.quads_for_pattern(None, None, None, None)
                  if isinstance(q.graph_name, ox.NamedNode) and q.graph_name.value != MANIFEST_GRAPH]
    for name, quads in parts.items():
        data = _gzip(serialize_quads(quads, "nquads"))
        path = folder / f"{name}.nq.gz"
        write_atomic(path, data)
        written.append(path)
        dumps.append(Dump(path.name, len(data), hashlib.sha256(data).hexdigest()))
    sums = "".join(f"{d.sha256}  {d.name}\n" for d in dumps).encode("ascii")
    write_atomic(folder / SUMS, sums)
    written.append(folder / SUMS)
    triples = describe_dataset(store, endpoint=endpoint, dumps=dumps, dumps_url=dumps_url, modified=modified)
    text = ox.serialize(sorted(triples, key=str), format=ox.RdfFormat.TURTLE,
                        prefixes={**dict(sorted(PREFIXES.items())), "dcat": _DCAT, "void": _VOID, "spdx": _SPDX})
    write_atomic(folder / DESCRIPTION, text)
    written.append(folder / DESCRIPTION)
    return written


def read_dumps(folder: str | Path) -> list[Dump]:
    """The dumps ``folder``'s ``SHA256SUMS`` names, each checked against its file.

    Raises :class:`InputError` naming the file when the sums file is missing or malformed, a dump is missing,
    or a dump's SHA-256 differs from the sum recorded.
    """
    folder = Path(folder)
    sums = folder / SUMS
    if not sums.is_file():
        raise InputError(f"no {SUMS} here; write the dumps with 'antitraffick-kg export --all-plans "
                         "--output-dir DIR'", path=str(folder))
    dumps = []
    for number, line in enumerate(sums.read_text(encoding="utf-8", errors="replace").splitlines(), start=1):
        digest, _, name = line.partition("  ")
        if not line.strip():
            continue
        if len(digest) != 64 or not name or "/" in name or name.startswith("."):
            raise InputError("not a line of sha256sum: '<sha256>, two spaces, <file name>'",
                             path=str(sums), line=number)
        path = folder / name
        if not path.is_file():
            raise InputError(f"names {name}, which is not there", path=str(sums), line=number)
        h = hashlib.sha256()
        with open(path, "rb") as fh:
            for block in iter(lambda: fh.read(1 << 20), b""):
                h.update(block)
        if h.hexdigest() != digest:
            raise InputError(f"SHA-256 differs from the one {SUMS} records (line {number})", path=str(path))
        dumps.append(Dump(name, path.stat().st_size, digest))
    return dumps
