"""Each part of a corpus generation kept as N-Quads text beside the stores, so a reader wanting whole plans parses them.

A reader that needs a plan's graphs whole (validation copies batches of plans into memory; a plan's second
question copies its graphs once) would otherwise read every quad from the store on disk, where pyoxigraph looks
up each term's text: about 10 microseconds a quad, some 60 s for the 5.8 million quads of 3,000 county plans.
Parsing the same quads as N-Quads costs about a tenth of that.  So the writer of a generation also leaves, for
every part it writes, the part's N-Quads (as given, or serialised from its quads), grouped by predicate
(:func:`~antitraffick_kg.store.reads.by_predicate`, so that a reader wanting only some predicates joins their
groups without reading each line), compressed with gzip at level 1 (about 13 times smaller, 350 MB/s each way)
in ``parts/``; the quads loaded from the file are the quads the writer put into the store.  A new generation starts with hard links to the files of the one it copies, and a
part written again gets a new file (the old one is never written through its link).  The file's name carries
the part's kind, plan and digest; a reader asks for the digest its manifest entry records and falls back to the
store when there is no such file (a generation written before these files existed, or one copied without them).
"""

from __future__ import annotations

import gzip
import os
import zlib
from pathlib import Path
from urllib.parse import quote

from .reads import by_predicate

__all__ = ["PARTS", "part_file", "write_part", "link_parts", "read_part"]

PARTS = "parts"       # the folder of a generation holding its part files


def part_file(generation: Path, plan: str, kind: str, digest: str) -> Path:
    """Where ``generation`` keeps the N-Quads of the part (``plan``, ``kind``) built from inputs with ``digest``."""
    name = "~".join(quote(x, safe="-._").replace("~", "%7E") for x in (kind, plan, digest[:32]))
    return generation / PARTS / f"{name}.nq.gz"


def write_part(generation: Path, plan: str, kind: str, digest: str, nquads: bytes, *,
               replaces: str | None = None) -> None:
    """Keep ``nquads`` as the part's file in ``generation``: a new file, so a link to the generation before is
    replaced, not written through.  ``replaces``: the digest of the part's file this one replaces, which goes."""
    folder = generation / PARTS
    folder.mkdir(exist_ok=True)
    target = part_file(generation, plan, kind, digest)
    if replaces is not None and replaces != digest:
        part_file(generation, plan, kind, replaces).unlink(missing_ok=True)
    temporary = folder / f".{target.name}.{os.getpid()}"
    temporary.write_bytes(gzip.compress(by_predicate(nquads), compresslevel=1, mtime=0))
    os.replace(temporary, target)


def link_parts(previous: Path, new: Path) -> None:
    """Start ``new``'s part files as hard links to ``previous``'s (none when it has none)."""
    source = previous / PARTS
    if not source.is_dir():
        return
    (new / PARTS).mkdir(exist_ok=True)
    for file in source.iterdir():
        if file.name.endswith(".nq.gz") and not file.name.startswith("."):
            os.link(file, new / PARTS / file.name)


def read_part(generation: Path, plan: str, kind: str, digest: str) -> bytes | None:
    """The N-Quads of the part as its writer gave them; None when ``generation`` has no readable file for it."""
    try:
        return gzip.decompress(part_file(generation, plan, kind, digest).read_bytes())
    except (OSError, EOFError, zlib.error):      # missing or damaged: the store has the part
        return None

