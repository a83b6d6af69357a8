"""The part files a corpus writer leaves beside its stores: the quads the store holds, read in their place."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pyoxigraph as ox
import pytest

import antitraffick_kg as atk
from antitraffick_kg.check.validate import validate
from antitraffick_kg.pipeline.build import store_plans
from antitraffick_kg.store.corpus import Corpus
from antitraffick_kg.store.partfiles import PARTS, part_file
from antitraffick_kg.store.reads import GROUPS

PLAN, OTHER = "dehong-2022-2030", "other-prefecture"


@pytest.fixture(scope="module")
def two_plans(tmp_path_factory) -> tuple[Path, Path]:
    """A corpus store with Dehong and the other prefecture, written by this version (the session build's store
    may come from pytest's cache), and the other prefecture's workspace."""
    root = tmp_path_factory.mktemp("parts")
    ws = root / "ws"
    shutil.copytree(Path(__file__).parent / "data" / OTHER, ws / OTHER)
    store = root / "store"
    store_plans([atk.find_plan(PLAN), atk.find_plan(OTHER, data_dir=ws)], store=store)
    return store, ws


def _stored(corpus: Corpus, plan: str, kind: str) -> set:
    return {q for g in corpus.entry(plan, kind=kind).graphs
            for q in corpus.store.quads_for_pattern(None, None, None, ox.NamedNode(g))}


def _loaded(text: bytes) -> set:
    copy = ox.Store()
    copy.load(text, format=ox.RdfFormat.N_QUADS)
    return set(copy)


def test_every_part_has_a_file_holding_what_the_store_holds_for_it(two_plans):
    corpus = Corpus.open(two_plans[0])
    assert {kind for _, kind in corpus.entries} >= {"plan", "shared"}
    files = sorted(p.name for p in (corpus.generation / PARTS).iterdir())
    assert files == sorted(part_file(corpus.generation, p, k, e.digest).name for (p, k), e in corpus.entries.items())
    for plan, kind in corpus.entries:
        text = corpus.part_nquads(plan, kind=kind)
        assert text is not None and _loaded(text) == _stored(corpus, plan, kind), (plan, kind)
        assert text.startswith(GROUPS), (plan, kind)     # grouped by predicate, for a reader cutting it down


class _Recording:
    """The store of a corpus, recording which graphs are read from it quad by quad."""

    def __init__(self, store: ox.Store) -> None:
        self.store, self.read = store, []

    def quads_for_pattern(self, s, p, o, g=None):
        self.read.append(g.value if isinstance(g, ox.NamedNode) else g)
        return self.store.quads_for_pattern(s, p, o, g)

    def __getattr__(self, name):
        return getattr(self.store, name)


def _keys(result) -> list:
    return [r.key() for r in result.results]


def test_validation_and_plan_copies_read_the_files_and_fall_back_to_the_store(two_plans, tmp_path):
    store, _ws = two_plans
    corpus = Corpus.open(store)
    recording = _Recording(corpus.store)
    corpus.store = recording
    with_files = validate(engine="oxigraph", corpus=corpus, batch=1, workers=1)
    copy = corpus.memory(OTHER)
    plan_graphs = {g for p in corpus.plans for g in corpus.entry(p).graphs}
    assert recording.read and not plan_graphs & set(recording.read)    # the shared graphs only
    # without the files (a copy of the store), and with a damaged one, the store gives the same
    bare, damaged = tmp_path / "bare", tmp_path / "damaged"
    for folder in (bare, damaged):
        shutil.copytree(store, folder, symlinks=True)
    shutil.rmtree(bare / "current" / PARTS)
    entry = corpus.entry(OTHER)
    part_file((damaged / "current").resolve(), OTHER, "plan", entry.digest).write_bytes(b"not gzip")
    for folder in (bare, damaged):
        other = Corpus.open(folder)
        assert other.part_nquads(OTHER) is None
        recording = _Recording(other.store)
        other.store = recording
        assert _keys(validate(engine="oxigraph", corpus=other, batch=1, workers=1)) == _keys(with_files)
        assert set(other.memory(OTHER)) == set(copy)
        assert set(entry.graphs) <= set(recording.read)
    assert with_files.results                                      # the other prefecture has findings to compare


def test_a_rebuild_links_the_other_plans_files_and_writes_new_ones_for_its_own(two_plans, tmp_path):
    store, ws = two_plans
    copy = tmp_path / "store"
    shutil.copytree(store, copy, symlinks=True)
    old = Corpus.open(copy)
    kept = part_file(old.generation, PLAN, "plan", old.entry(PLAN).digest)
    rebuilt = part_file(old.generation, OTHER, "plan", old.entry(OTHER).digest)
    before = rebuilt.read_bytes()
    store_plans([atk.find_plan(OTHER, data_dir=ws)], store=copy)
    new = Corpus.open(copy)
    assert new.generation != old.generation
    linked = part_file(new.generation, PLAN, "plan", new.entry(PLAN).digest)
    assert linked.stat().st_ino == kept.stat().st_ino                 # the same file, not a copy
    written = part_file(new.generation, OTHER, "plan", new.entry(OTHER).digest)
    assert written.stat().st_ino != rebuilt.stat().st_ino
    assert rebuilt.read_bytes() == before                             # the generation before is untouched
    assert _loaded(new.part_nquads(OTHER)) == _stored(new, OTHER, "plan")
    assert len(list((new.generation / PARTS).iterdir())) == len(new.entries)


def test_a_part_written_again_replaces_only_its_own_file(tmp_path):
    from antitraffick_kg.store.partfiles import read_part, write_part

    for plan in ("a", "a~b", "a*"):
        write_part(tmp_path, plan, "plan", "d1", f"<{plan}> .".encode())
    write_part(tmp_path, "a", "plan", "d2", b"again", replaces="d1")
    assert read_part(tmp_path, "a", "plan", "d2") == b"again" and read_part(tmp_path, "a", "plan", "d1") is None
    assert read_part(tmp_path, "a~b", "plan", "d1") == b"<a~b> ." and read_part(tmp_path, "a*", "plan", "d1")
    assert len(list((tmp_path / PARTS).iterdir())) == 3
    part_file(tmp_path, "a", "plan", "d2").write_bytes(b"\x1f\x8b broken")
    assert read_part(tmp_path, "a", "plan", "d2") is None


def test_a_part_written_from_other_inputs_leaves_one_file_in_the_new_generation(two_plans, tmp_path):
    from antitraffick_kg.store.corpus import PlanPart, write_parts

    copy = tmp_path / "store"
    shutil.copytree(two_plans[0], copy, symlinks=True)
    old = Corpus.open(copy)
    text = old.part_nquads(OTHER)
    write_parts(copy, [PlanPart.from_nquads(text, plan=OTHER, kind="plan", digest="0" * 64)])
    new = Corpus.open(copy)
    assert new.entry(OTHER).digest == "0" * 64 and new.part_nquads(OTHER) == text
    assert len(list((new.generation / PARTS).iterdir())) == len(new.entries)
    assert not part_file(new.generation, OTHER, "plan", old.entry(OTHER).digest).exists()
    assert old.part_nquads(OTHER) == text                      # the generation before keeps its file


def _members(data: bytes) -> int:
    """The number of gzip members of ``data``."""
    import zlib

    count = 0
    while data:
        member = zlib.decompressobj(wbits=31)
        member.decompress(data)
        assert member.eof
        data, count = member.unused_data, count + 1
    return count


def test_a_question_reads_only_the_groups_of_a_part_it_can_match(two_plans, tmp_path):
    from antitraffick_kg.ask.catalogue import catalogue
    from antitraffick_kg.ask.params import STORE_LOOKUPS
    from antitraffick_kg.store.partfiles import read_part, write_part
    from antitraffick_kg.store.reads import only_read, query_reads

    corpus = Corpus.open(two_plans[0])
    entry = corpus.entry(PLAN)
    file = part_file(corpus.generation, PLAN, "plan", entry.digest)
    whole = corpus.part_nquads(PLAN)
    groups = len(json.loads(whole[len(GROUPS):whole.index(b"\n")])["groups"])
    assert _members(file.read_bytes()) == 1 + groups                  # the groups line, then a member a group
    # text that is not grouped (a line not written as pyoxigraph writes one) is one member, read line by line
    write_part(tmp_path, "x", "plan", "d", b"<http://e/a>\t<http://e/p> <http://e/b> <http://e/g> .\n" + whole)
    assert _members(part_file(tmp_path, "x", "plan", "d").read_bytes()) == 1
    asked = 0
    for q in catalogue():
        reads = query_reads([q.text, *STORE_LOOKUPS])
        if reads is None:
            continue
        cut = corpus.part_nquads(PLAN, reads=reads)
        assert sorted(cut.splitlines()) == sorted(only_read(whole, reads).splitlines()), q.name
        assert len(cut) < len(whole)
        assert sorted(read_part(tmp_path, "x", "plan", "d", reads=reads).splitlines()) == sorted(
            [b"<http://e/a>\t<http://e/p> <http://e/b> <http://e/g> ."] + cut.splitlines()), q.name
        asked += 1
    assert asked >= 30
