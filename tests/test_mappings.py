"""The curated SSSOM mapping sets and the reader/writer of SSSOM/TSV."""

from __future__ import annotations

import csv
import re
import sys
from pathlib import Path

import pytest

from antitraffick_kg.errors import InputError
from antitraffick_kg.link.mappings import (NO_TERM_FOUND, MappingRow, MappingSet, expand, plan_prefix, read_sssom,
                                      validate_sssom, write_sssom)

ROOT = Path(__file__).resolve().parent.parent
MAPPINGS = sorted((ROOT / "data" / "mappings").glob("*.sssom.tsv"))
REFERENCE = ROOT / "data" / "reference"
CURATED_PREDICATES = {"skos:exactMatch", "skos:narrowMatch", "skos:broadMatch", "skos:relatedMatch"}


def reference_ids(plan_id: str) -> set[str]:
    with open(REFERENCE / plan_id / "measures.csv", encoding="utf-8", newline="") as f:
        return {row["id"] for row in csv.DictReader(f)}


def sssom_py_validate(path: Path):
    """Validate with sssom-py (JSON schema, prefix map, strict CURIEs) and return its parse of the file."""
    from sssom.parsers import parse_sssom_table

    validate_sssom(path)
    return parse_sssom_table(path)


DEHONG_YUNNAN = ROOT / "data" / "mappings" / "dehong-2022-2030--yunnan-2021-2030.sssom.tsv"


def test_the_three_curated_sets_are_there():
    """More files may come (another plan, a fuller upper level); these three must stay."""
    assert {p.name for p in MAPPINGS} >= {
        "dehong-2022-2030--national-2021-2030.sssom.tsv",
        "dehong-2022-2030--yunnan-2021-2030.sssom.tsv",
        "yunnan-2021-2030--national-2021-2030.sssom.tsv",
    }


@pytest.mark.parametrize("path", MAPPINGS, ids=lambda p: p.name)
def test_sssom_py_accepts_every_file_and_keeps_every_row_and_column(path):
    msdf = sssom_py_validate(path)
    ours = read_sssom(path)
    theirs = sorted(zip(msdf.df["subject_id"], msdf.df["predicate_id"], msdf.df["object_id"],
                        (float(c) for c in msdf.df["confidence"]), msdf.df["comment"]))
    assert theirs == sorted((r.subject_id, r.predicate_id, r.object_id, r.confidence, r.comment) for r in ours.rows)


def test_sssom_py_rejects_what_our_reader_lets_through(tmp_path):
    """The validation the battery relies on does fail: sssom-py knows the SSSOM slots, our reader does not."""
    text = DEHONG_YUNNAN.read_text(encoding="utf-8").replace("# license:", "# mapping_set_confidence: high\n# license:")
    broken = tmp_path / "broken.sssom.tsv"
    broken.write_text(text, encoding="utf-8")
    read_sssom(broken)
    with pytest.raises(InputError, match=r"broken.sssom.tsv: not valid SSSOM: .*high"):
        validate_sssom(broken)


@pytest.mark.parametrize("path", MAPPINGS, ids=lambda p: p.name)
def test_every_row_is_complete_curated_and_explained(path):
    mapping_set = read_sssom(path)
    assert mapping_set.license and mapping_set.mapping_set_id.startswith("https://w3id.org/antitraffick-kg/id/")
    for row in mapping_set.rows:
        assert row.predicate_id in CURATED_PREDICATES, row
        assert row.mapping_justification == "semapv:ManualMappingCuration", row
        assert row.confidence is not None and 0 < row.confidence <= 1, row
        assert row.author_id and row.mapping_date and row.subject_label, row
        status = row.comment.split(":")[0]
        assert status in {"inferred", "judged", "verified headings, judged scope", "unknown",
                          "unknown (reverse row"}, row.comment
        if row.object_id == NO_TERM_FOUND:
            assert row.comment.startswith("unknown"), row
        else:
            assert row.object_label, row


@pytest.mark.parametrize("path", MAPPINGS, ids=lambda p: p.name)
def test_every_id_exists_in_the_plan_or_the_reference_data(path, plan):
    known = {
        plan_prefix("dehong-2022-2030", "task"): set(plan.tasks),
        plan_prefix("yunnan-2021-2030", "measure"): reference_ids("yunnan-2021-2030"),
        plan_prefix("national-2021-2030", "measure"): reference_ids("national-2021-2030"),
    }
    mapping_set = read_sssom(path)
    for row in mapping_set.rows:
        for curie in (row.subject_id, row.object_id):
            if curie == NO_TERM_FOUND:
                continue
            iri = mapping_set.expand(curie)
            base = next((b for b in known if iri.startswith(b)), None)
            if base is None:   # a plan this test does not know yet: the IRI must still follow the pattern
                assert re.match(r"^https://w3id.org/antitraffick-kg/id/plan/[a-z0-9-]+/(task|measure)/\S+$", iri)
                continue
            assert iri[len(base):] in known[base], f"{path.name}: {curie} is in no plan or reference file"


def test_each_lower_item_is_mapped_once_per_file(plan):
    """A file from Dehong (or Yunnan) has one row for each of its tasks (measures), "no match" included."""
    lower = {"dehong-2022-2030": {f"dehong:{t}" for t in plan.tasks},
             "yunnan-2021-2030": {f"yunnan:{y}" for y in reference_ids("yunnan-2021-2030")}}
    checked = 0
    for path in MAPPINGS:
        subject_plan = path.name.split("--")[0]
        if subject_plan in lower:
            side = next(iter(lower[subject_plan])).split(":")[0]
            subjects = [r.subject_id for r in read_sssom(path).rows if r.subject_id.startswith(side + ":")]
            assert sorted(subjects) == sorted(lower[subject_plan]), path.name
            checked += 1
    assert checked >= 3


def test_dehong_to_yunnan_follows_the_skeleton_notes(plan):
    """Each inferred Yunnan row names its Dehong analogue; the curated row must point at that task."""
    rows = {r.object_id: r for r in read_sssom(DEHONG_YUNNAN).rows}
    numbers = {t.narrative_number: t.notation for t in plan.tasks.values()}
    with open(REFERENCE / "yunnan-2021-2030" / "measures.csv", encoding="utf-8", newline="") as f:
        for y in csv.DictReader(f):
            analogue = y["notes"].split("Dehong analogue ")[1].split(" ")[0].split(";")[0].replace("[sic]", "")
            row = rows[f"yunnan:{y['id']}"]
            assert row.subject_id == f"dehong:{numbers[analogue]}", y["id"]
            assert ("unsure" in y["notes"]) == (row.confidence <= 0.7), y["id"]


def test_the_curie_map_gives_the_graph_task_iri():
    from antitraffick_kg.plan.graph import task_iri

    mapping_set = read_sssom(DEHONG_YUNNAN)
    assert mapping_set.expand("dehong:4.1.1") == str(task_iri("dehong-2022-2030", "4.1.1"))


# ------------------------------------------------------------------------------ reader and writer

def small_set(**changes) -> MappingSet:
    row = MappingRow(subject_id="a:1", predicate_id="skos:exactMatch", object_id="b:x",
                     mapping_justification="semapv:LexicalMatching", subject_label="甲: 一",
                     confidence=0.25, comment="note")
    values = dict(mapping_set_id="https://example.org/set", license="https://spdx.org/licenses/MIT.html",
                  curie_map={"a": "https://example.org/a/", "b": "https://example.org/b/"}, rows=(row,),
                  mapping_set_description="a description: with a colon", creator_id=("a:me",))
    values.update(changes)
    return MappingSet(**values)


def test_write_then_read_gives_the_same_set(tmp_path):
    original = small_set()
    path = tmp_path / "s.sssom.tsv"
    path.write_text(write_sssom(original), encoding="utf-8")
    again = read_sssom(path)
    assert again == original
    assert again.row_lines == (len(path.read_text().splitlines()),)
    sssom_py_validate(path)


def test_writer_refuses_an_undeclared_prefix_and_a_tab():
    with pytest.raises(InputError, match="unknown prefix 'c'"):
        write_sssom(small_set(rows=(MappingRow("c:1", "skos:exactMatch", "b:x", "semapv:LexicalMatching"),)))
    with pytest.raises(InputError, match="tab or line break"):
        write_sssom(small_set(rows=(MappingRow("a:1", "skos:exactMatch", "b:x", "semapv:LexicalMatching",
                                               comment="one\ttwo"),)))


def last(lines):
    return len(lines)


@pytest.mark.parametrize("change, message, where", [
    (lambda t: t.replace("a:1\t", "c:1\t"), "subject_id: unknown prefix 'c'", last),
    (lambda t: t.replace("0.25", "1.5"), "confidence 1.5 is outside", last),
    (lambda t: t.replace("0.25", "high"), "confidence 'high' is not a number", last),
    (lambda t: t.replace("semapv:LexicalMatching", "skos:LexicalMatching"), "not a semapv term", last),
    (lambda t: t.replace("\tnote", ""), "cells where the header has", last),
    (lambda t: t.replace("subject_id\t", "subject\t"), "missing column(s) subject_id", lambda ls: len(ls) - 1),
    (lambda t: t.replace("# license:", "# License:"), "metadata lines must read",
     lambda ls: next(i for i, line in enumerate(ls, 1) if line.startswith("# License"))),
    (lambda t: t.replace("# license: https://spdx.org/licenses/MIT.html\n", ""), "no license", lambda ls: 1),
])
def test_reader_names_file_and_line_of_a_bad_entry(tmp_path, change, message, where):
    path = tmp_path / "bad.sssom.tsv"
    text = change(write_sssom(small_set()))
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InputError) as caught:
        read_sssom(path)
    assert message in str(caught.value)
    assert caught.value.path == str(path) and caught.value.line == where(text.splitlines())


def test_reader_rejects_missing_and_non_text_files(tmp_path):
    with pytest.raises(InputError, match="file not found"):
        read_sssom(tmp_path / "none.sssom.tsv")
    (tmp_path / "gbk.sssom.tsv").write_bytes("州公安局".encode("gb18030"))
    with pytest.raises(InputError, match="not UTF-8"):
        read_sssom(tmp_path / "gbk.sssom.tsv")


def test_expand_explains_an_unknown_prefix():
    assert expand("skos:exactMatch", {}) == "http://www.w3.org/2004/02/skos/core#exactMatch"
    with pytest.raises(InputError, match="unknown prefix 'zz'.*add it to the curie_map"):
        expand("zz:1", {})
    with pytest.raises(InputError, match="not a CURIE"):
        expand("no colon", {})


def test_validation_without_the_link_extra_names_it(monkeypatch):
    from antitraffick_kg.errors import AntitraffickKGError

    monkeypatch.setitem(sys.modules, "sssom.parsers", None)
    with pytest.raises(AntitraffickKGError, match=r"pip install 'antitraffick-kg\[link\]'"):
        validate_sssom(DEHONG_YUNNAN)
