"""Each part of a corpus generation kept as N-Quads text beside the stores, so a reader wanting whole plans parses them.

A reader that needs a plan's graphs whole (validation copies batches of plans into memory; a plan's second
question copies its graphs once) would otherwise read every quad from the store on disk, where pyoxigraph looks
up each term's text: about 10 microseconds a quad, some 60 s for the 5.8 million quads of 3,000 county plans.
Parsing the same quads as N-Quads costs about a tenth of that.  So the writer of a generation also leaves, for
every part it writes, the part's N-Quads (as given, or serialised from its quads), grouped by predicate
(:func:`~antitraffick_kg.store.reads.by_predicate`), compressed with gzip at level 1 (about 13 times smaller,
350 MB/s each way) in ``parts/``; the quads loaded from the file are the quads the writer put into the store.
Each group is a gzip member of its own, after a first member holding the line that says where each group is,
in the text and in the file: the file is read whole as any gzip file, or only the groups a question can match
(:func:`read_part` with ``reads``), which are then all that is decompressed.  A new generation starts with hard
links to the files of the one it copies, and a part written again gets a new file (the old one is never written
through its link).  The file's name carries
the part's kind, plan and digest; a reader asks for the digest its manifest entry records and falls back to the
store when there is no such file (a generation written before these files existed, or one copied without them).
"""

from __future__ import annotations

import gzip
import json
import os
import zlib
from pathlib import Path
from urllib.parse import quote

from .reads import GROUPS, Reads, by_predicate, grouped, only_read

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
    temporary.write_bytes(_members(by_predicate(nquads)))
    os.replace(temporary, target)


def _members(text: bytes) -> bytes:
    """``text`` compressed with gzip: grouped N-Quads as one member per group after the groups line, whose JSON
    also gives each group's member (``members``: offsets in the file after the first member, in the order of the
    groups); other text as one member."""
    found = grouped(text)
    if found is None:
        return gzip.compress(text, compresslevel=1, mtime=0)
    body, head = found
    members, at = [], 0
    packed = []
    for start, stop in head["groups"].values():
        packed.append(gzip.compress(body[start:stop], compresslevel=1, mtime=0))
        members.append([at, at + len(packed[-1])])
        at += len(packed[-1])
    head["members"] = members
    first = GROUPS + json.dumps(head).encode("ascii") + b"\n"
    return gzip.compress(first, compresslevel=1, mtime=0) + b"".join(packed)


def link_parts(previous: Path, new: Path) -> None:
    """Start ``new``'s part files as hard links to ``previous``'s (none when it has none)."""
    source = previous / PARTS
    if not source.is_dir():
        return
    (new / PARTS).mkdir(exist_ok=True)
    for file in source.iterdir():
        if file.name.endswith(".nq.gz") and not file.name.startswith("."):
            os.link(file, new / PARTS / file.name)


def read_part(generation: Path, plan: str, kind: str, digest: str, *, reads: Reads | None = None) -> bytes | None:
    """The N-Quads of the part as its writer gave them (grouped by predicate); None when ``generation`` has no
    readable file for it.  With ``reads``, only the lines those can match
    (:func:`~antitraffick_kg.store.reads.only_read`), of which only the groups read are decompressed."""
    try:
        data = part_file(generation, plan, kind, digest).read_bytes()
        first = zlib.decompressobj(wbits=31)     # the first member: the groups line, or the whole text
        line = first.decompress(data)
        if not first.eof:
            return None
        rest = first.unused_data
        if reads is not None and line.startswith(GROUPS) and line.endswith(b"\n"):
            head = json.loads(line[len(GROUPS):])
            if "members" in head:
                return b"".join(zlib.decompress(rest[start:stop], wbits=31)
                                for key, (start, stop) in zip(head["groups"], head["members"]) if reads.wants(key))
        text = line + gzip.decompress(rest) if rest else line
        return text if reads is None else only_read(text, reads)
    except (OSError, EOFError, zlib.error, ValueError, TypeError):      # missing or damaged: the store has it
        return None

