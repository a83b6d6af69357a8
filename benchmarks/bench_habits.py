"""The genre's habits, end to end on the real Dehong plan (issue 21): what `new` and the import read from the Dehong
text as it might be published, against the bundled plan (its hand-made units.csv and reviewed corrections).

Five readings, each made from data/dehong-2022-2030/ (nothing is downloaded) in a temporary workspace:

- ``new``: `new` on the Dehong text, its corrections.toml copied into the new folder, then imported: the
  assignments (task, role, part, unit) it reads against the bundled plan's;
- ``shifted``: the same with a web page's three header lines above the text, so every line moves: the corrections
  must find their rows by their words;
- ``city``: the text with every 州 of a unit name written 市, as a prefecture-level city names its bodies, through
  `new --level prefecture`: how many proposed units have a function, against the text as it is;
- ``excerpt``: the narrative from 五、 to the end of the narrative, alone: its tasks must keep the document's
  numbers (5.x.y onward) and units;
- ``cut``: the text cut off inside the unit clause of the first item of section 五 that names support units,
  after its lead list: the items before the cut, and the cut item's lead units, must be read, with one
  cut-clause finding;
- ``parts``: ``--cuts`` parts of the text (200 by default), each from a random place (the start, one time in
  three) to a random later one (the end, one time in five; ``--seed``), read with the whole plan's units.csv and
  plan.toml (and the entries of its corrections.toml whose row the part holds; the one that names a narrative
  task where the part holds that item too): how many read with no cut found, how many say where they stop, how
  many hold no task (a part before the first one), how many stop on a problem, the assignments read that the
  bundled plan does not make in the same words (the item a part is cut in aside), and how the items read whole
  are numbered: as the document numbers them, or otherwise (where a finding says the part does not tell their
  section or subsection, or with none).

Printed per reading: what was compared, the seconds it took and the load average (1 minute) beside the figure.

Run: python benchmarks/bench_habits.py
"""

from __future__ import annotations

import re
import shutil
import tempfile
import time
from pathlib import Path

from antitraffick_kg import import_plan
from antitraffick_kg.plan.newplan import new_plan
from antitraffick_kg.plan.planinfo import PlanInfo, load_plan_info

ROOT = Path(__file__).resolve().parent.parent
DEHONG = ROOT / "data" / "dehong-2022-2030"
HEADER = "首页 > 政务公开 > 规划计划\n\n来源：德宏州人民政府网\n"


def load() -> float:
    with open("/proc/loadavg") as handle:
        return float(handle.read().split()[0])


def said(plan) -> set[tuple[str, str, str, str]]:
    return {(t.notation, m.role, m.part, m.unit.short_name) for t in plan.tasks.values() for m in t.mentions}


def report(name: str, started: float, text: str) -> None:
    print(f"{name:<9} {text}; {time.perf_counter() - started:.2f} s (load {load():.2f})")


def through_new(ws: Path, plan_id: str, text: str, info: PlanInfo, *, corrections: bool):
    source = ws / f"{plan_id}.txt"
    source.write_text(text, encoding="utf-8")
    made = new_plan(plan_id, source=source, info=info, data_dir=ws)
    if corrections:
        shutil.copy(DEHONG / "corrections.toml", made.folder / "corrections.toml")
        return made, import_plan(made.folder / "source.txt", corrections=made.folder / "corrections.toml",
                                 strict=False)
    return made, made.plan


def plan_folder(folder: Path, text: str) -> Path:
    """A plan folder of ``text`` with Dehong's plan.toml and the rows of its units.csv that the text names."""
    folder.mkdir()
    shutil.copy(DEHONG / "plan.toml", folder / "plan.toml")
    rows = (DEHONG / "units.csv").read_text(encoding="utf-8").splitlines(keepends=True)
    named = [row for row in rows[1:] if any(n and n in text for n in [row.split(",")[1], *row.split(",")[2].split("|")])]
    (folder / "units.csv").write_text(rows[0] + "".join(named), encoding="utf-8")
    (folder / "source.txt").write_text(text, encoding="utf-8")
    return folder / "source.txt"


def main() -> None:
    import argparse

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--cuts", type=int, default=200, help="how many parts of the text to read (default 200)")
    parser.add_argument("--seed", type=int, default=1, help="the seed of the random places (default 1)")
    args = parser.parse_args()
    text = (DEHONG / "source.txt").read_text(encoding="utf-8")
    bundled = import_plan(DEHONG / "source.txt", corrections=DEHONG / "corrections.toml", units=DEHONG / "units.csv",
                          info=DEHONG / "plan.toml")
    reference = said(bundled)
    info = load_plan_info(DEHONG / "plan.toml")
    with tempfile.TemporaryDirectory() as tmp:
        ws = Path(tmp)
        for name, body in (("new", text), ("shifted", HEADER + text)):
            started = time.perf_counter()
            made, plan = through_new(ws, f"dh-{name}", body, info, corrections=True)
            got = said(plan)
            proposals = sum(len(u.proposed) for u in made.units)
            report(name, started, f"{len(got & reference)} of {len(reference)} assignments as the bundled plan reads "
                                  f"them, {len(got - reference)} others, {len(plan.problems)} problem(s), "
                                  f"{proposals} spelling(s) proposed for review")

        started = time.perf_counter()
        city_text = re.sub(r"州(?=[\u4e00-\u9fff]{1,12}(局|委|办|部|联|会|院))", "市", text)
        made_city, _ = through_new(ws, "dh-city", city_text, info, corrections=False)
        made_same, _ = through_new(ws, "dh-same", text, info, corrections=False)
        with_function = lambda made: sum(1 for u in made.units if u.function)
        report("city", started, f"{with_function(made_city)} of {len(made_city.units)} proposed units with a function "
                                f"when the bodies are named 市…, {with_function(made_same)} of "
                                f"{len(made_same.units)} as 州…")

        started = time.perf_counter()
        lines = text.splitlines(keepends=True)
        first = next(i for i, line in enumerate(lines) if line.startswith("五、"))
        last = next(i for i, line in enumerate(lines) if line.strip().endswith("年度实施方案") and i > first)
        excerpt = import_plan(plan_folder(ws / "excerpt", "".join(lines[first:last])), plan_id="dehong-2022-2030",
                              strict=False)
        narrative = {r for r in reference if int(r[0].split(".")[0]) >= 5 and r[2] == "narrative"}
        numbering = lambda plan: sorted(f.message for f in plan.findings if f.kind == "numbering"
                                        and f.line >= first + 1 and f.line <= last)
        excerpt_numbering = sorted(f.message for f in excerpt.findings if f.kind == "numbering")
        report("excerpt", started, f"{len(excerpt.tasks)} tasks numbered {min(excerpt.tasks)}–{max(excerpt.tasks)}; "
                                   f"{len(said(excerpt) & narrative)} of the bundled plan's {len(narrative)} "
                                   f"narrative assignments of sections 五 onward, {len(said(excerpt) - narrative)} "
                                   f"others; {len(excerpt_numbering)} numbering finding(s), the bundled plan's "
                                   f"narrative has {len(numbering(bundled))} there (same: "
                                   f"{excerpt_numbering == numbering(bundled)})")

        started = time.perf_counter()
        item = next(i for i, line in enumerate(lines) if i > first and re.match(r"\d+[.．]", line)
                    and "负责，" in line[line.rfind("（"):])
        clause = lines[item].rindex("（")
        cut_at = lines[item].index("，", clause) + 1
        cut = import_plan(plan_folder(ws / "cut", "".join(lines[:item]) + lines[item][:cut_at]),
                          plan_id="dehong-2022-2030", strict=False)
        before = {r for r in reference if r[2] == "narrative" and
                  [int(x) for x in r[0].split(".")] < [int(x) for x in cut.incomplete[0].task.split(".")]}
        kept = said(cut)
        leads = sorted(m.unit.short_name for m in cut.tasks[cut.incomplete[0].task].mentions)
        report("cut", started, f"cut in {cut.incomplete[0].task} after '{lines[item][clause:cut_at]}': "
                               f"{len(kept & before)} of the {len(before)} narrative assignments before it read, "
                               f"the cut item with {leads}, {len(cut.incomplete)} cut-clause finding(s), "
                               f"{len(cut.problems)} problem(s)")

        started = time.perf_counter()
        report("parts", started, parts(ws / "parts", text, bundled, cuts=args.cuts, seed=args.seed))


def worded(plan) -> set[tuple[str, str, str, str]]:
    """Each assignment as (part, role, unit, the words of the statement it is read from): the same whatever the
    task's number (a part of the text, or its table read alone, may number it otherwise)."""
    return {(m.part, m.role, m.unit.id, plan.text[s.span.start:s.span.end]) for t in plan.tasks.values()
            for m in t.mentions for s in [t.statements[m.part]]}


def parts(folder: Path, text: str, bundled, *, cuts: int, seed: int) -> str:
    """Read ``cuts`` random parts of ``text`` with the whole plan's files (see the module's ``parts``)."""
    import random

    from antitraffick_kg import AntitraffickKGError

    rng = random.Random(seed)
    entries = (DEHONG / "corrections.toml").read_text(encoding="utf-8").split("[[correction]]")[1:]
    corrected = [(text.index(c.split('expect = "')[1].split('"')[0]), c) for c in entries]
    reference, counts, others = worded(bundled), {"read": 0, "cut": 0, "no task": 0, "problem": 0}, 0
    # each bundled task by the words of its narrative statement: the number a part should give it
    numbers = {plan_words(bundled, t): t.notation for t in bundled.tasks.values() if "narrative" in t.statements}
    numbered = {"as the document": 0, "otherwise, said": 0, "otherwise, unsaid": 0}
    folder.mkdir()
    for i in range(cuts):
        start = 0 if rng.random() < 1 / 3 else rng.randrange(len(text) // 2)
        end = len(text) if rng.random() < 0.2 else rng.randrange(start + 200, len(text))
        source = folder / f"part-{i}" / "source.txt"
        source.parent.mkdir()
        source.write_text(text[start:end], encoding="utf-8")
        for name in ("units.csv", "plan.toml"):
            shutil.copy(DEHONG / name, source.parent / name)
        # the reviewed entries whose row the part holds whole (one naming a narrative task, 5.3.4: its item too)
        kept = [c for at, c in corrected if start <= at < end - 60 and
                ("action = \"task\"" not in c or start <= text.index("4. 严惩涉拐“黑灰”产业"))]
        fixes = source.parent / "corrections.toml" if kept else None
        if kept:
            fixes.write_text("".join("[[correction]]" + c for c in kept), encoding="utf-8")
        try:
            plan = import_plan(source, corrections=fixes)
        except AntitraffickKGError as exc:
            counts["no task" if "no task found" in str(exc) else "problem"] += 1
            continue
        counts["cut" if plan.incomplete else "read"] += 1
        # a part whose section no heading tells, or a table read alone, says its numbers are not the document's
        said_so = any(f.kind == "excerpt" and any(words in f.message for words in (
            "no heading of the text tells the section", "is not in the text", "annual table alone"))
            for f in plan.findings)
        for t in plan.tasks.values():
            if "narrative" in t.statements and plan_words(plan, t) in numbers:
                numbered["as the document" if numbers[plan_words(plan, t)] == t.notation else
                         "otherwise, said" if said_so else "otherwise, unsaid"] += 1
        cut_in = {f.task for f in plan.incomplete}
        others += len({w for w in worded(plan) - reference
                       if not any(t.notation in cut_in and plan.text[s.span.start:s.span.end] == w[3]
                                  for t in plan.tasks.values() for s in t.statements.values())})
    return (f"{cuts} parts (seed {seed}): {counts['read']} read with no cut found, {counts['cut']} read to where "
            f"they stop (a finding says where), {counts['no task']} with no task, {counts['problem']} stopped on a "
            f"problem; "
            f"{others} assignment(s) read that the bundled plan does not make in the same words; of the items read "
            f"whole, {numbered['as the document']} numbered as the document numbers them, "
            f"{numbered['otherwise, said']} otherwise where a finding says the part does not tell their place, "
            f"{numbered['otherwise, unsaid']} otherwise with no such finding")


def plan_words(plan, task) -> str:
    """The words of a task's narrative statement."""
    span = task.statements["narrative"].span
    return plan.text[span.start:span.end]


if __name__ == "__main__":
    main()
