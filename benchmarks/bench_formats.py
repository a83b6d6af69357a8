"""The Dehong plan as it is published, read back: a Word file, its PDF, a 300 dpi scan of that PDF, a web page.

``tests/render_formats.py`` renders the Dehong text as a Word file (the annual table as Word tables with merged
cells), prints it to PDF with LibreOffice, rasterises the PDF at 300 dpi into an image-only PDF, and wraps the
text in a government site's page.  Each is read with the library's reader (``read_document``) and imported in a
plan folder with Dehong's plan.toml, units.csv and corrections (each correction moved to the line that holds its
``expect`` words).  Printed per format, with the load average (1 minute) beside each figure: the seconds to read
it, the pages and the seconds per page, and whether the tasks, assignments (task, role, part, unit) and deadlines
equal the text's.  For the scan: precision and recall of the assignments against the text's (target: recall at
least 0.95), then every assignment it misses, with the line of the scan's text that holds its statement (the
line most like the text's) and what the import says about that line (a unit name it could not take, a problem,
a reading the reader put right, a numbering finding, a low-confidence word), or NO FINDING; and how many misses
have none.  A correction whose ``expect`` words the scan does not read as they stand is left out (printed): the
reviewer of a scan records its corrections anew.

Nothing is downloaded.  Needs LibreOffice and Tesseract with its Chinese data.

Run: python benchmarks/bench_formats.py [--formats docx pdf html scan] [--keep DIR]
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEHONG = ROOT / "data" / "dehong-2022-2030"
sys.path.insert(0, str(ROOT / "tests"))

import render_formats as rf  # noqa: E402


def _load() -> float:
    with open("/proc/loadavg") as handle:
        return float(handle.read().split()[0])


def _import(document: Path, folder: Path):
    from antitraffick_kg.plan.documents import read_document, write_origins
    from antitraffick_kg.plan.importer import import_plan

    started = time.perf_counter()
    extraction = read_document(document, max_mib=200)
    seconds = time.perf_counter() - started
    folder.mkdir()
    (folder / "source.txt").write_text(extraction.text, encoding="utf-8")
    write_origins(extraction, folder)
    for name in ("plan.toml", "units.csv"):
        shutil.copyfile(DEHONG / name, folder / name)
    unplaced: list[str] = []
    (folder / "corrections.toml").write_text(
        rf.corrections_for((DEHONG / "corrections.toml").read_text(encoding="utf-8"), extraction.text,
                           unplaced=unplaced if extraction.kind == "scan" else None),
        encoding="utf-8")
    for expect in unplaced:
        print(f"  the correction of '{expect}' is left out: its words are not read as they stand in the text")
    plan = import_plan(folder / "source.txt", corrections=folder / "corrections.toml", strict=False)
    return extraction, plan, seconds


def _why(miss: tuple, text_plan, plan) -> tuple[int, str | None]:
    """The line of the scan's text that holds the missed assignment's statement (the line most like the
    text's line that states it), and what the import of the scan says about that line: a unit name it could
    not take, a unit clause or list it could not read, a problem, a reading it put right, a numbering finding, a
    low-confidence word (in that order)."""
    import difflib

    task, role, part, unit = miss
    stated = next(m for t in text_plan.tasks.values() if t.notation == task for m in t.mentions
                  if (m.role, m.part, m.unit.id) == (role, part, unit))
    wanted = text_plan.text.split("\n")[stated.line - 1]
    lines = plan.text.split("\n")
    scores = []
    for n, line in enumerate(lines, start=1):
        matcher = difflib.SequenceMatcher(None, wanted, line, autojunk=False)
        if matcher.real_quick_ratio() > 0.5 and matcher.quick_ratio() > 0.5:
            scores.append((matcher.ratio(), n))
    line = max(scores)[1] if scores else 0
    about_units = ("close to", "no unit clause", "list ending in")
    notes = [(0 if any(w in f.message for w in about_units) else 2 if f.kind == "ocr-repair" else
              3 if f.kind == "numbering" else 4,
              f"{f.kind} finding: {f.message}") for f in plan.findings if f.line == line]
    notes += [(1, f"problem: {p.message}") for p in plan.problems if p.line == line]
    return line, min(notes)[1] if notes else None


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--formats", nargs="+", default=["docx", "pdf", "html", "scan"],
                        choices=["docx", "pdf", "html", "scan"])
    parser.add_argument("--keep", type=Path, help="write the rendered files and plan folders here")
    args = parser.parse_args()
    from antitraffick_kg.plan.importer import import_plan

    work = args.keep or Path(tempfile.mkdtemp(prefix="bench-formats-"))
    work.mkdir(parents=True, exist_ok=True)
    text = (DEHONG / "source.txt").read_text(encoding="utf-8")
    text_plan = import_plan(DEHONG / "source.txt", corrections=DEHONG / "corrections.toml")
    reference = rf.reading(text_plan)
    print(f"the text: {len(reference['tasks'])} tasks, {len(reference['assignments'])} assignments, "
          f"{len(reference['deadlines'])} deadlines")
    started = time.perf_counter()
    files = {"docx": rf.render_docx(text, work / "plan.docx"), "html": rf.render_html(text, work / "plan.html")}
    if {"pdf", "scan"} & set(args.formats):
        files["pdf"] = rf.render_pdf(files["docx"], work / "plan.pdf")
    if "scan" in args.formats:
        files["scan"] = rf.render_scan(files["pdf"], work / "plan-scan.pdf")
    print(f"rendered {', '.join(files)} in {time.perf_counter() - started:.1f} s (load {_load():.2f})")
    for kind in args.formats:
        folder = work / f"from-{kind}"
        shutil.rmtree(folder, ignore_errors=True)
        extraction, plan, seconds = _import(files[kind], folder)
        got = rf.reading(plan)
        same = {part: got[part] == reference[part] for part in reference}
        print(f"{kind:5} read in {seconds:7.1f} s (load {_load():.2f}), {extraction.pages} page(s), "
              f"{seconds / extraction.pages:6.2f} s per page (load {_load():.2f}); "
              f"{len(got['tasks'])} tasks, {len(got['assignments'])} assignments, {len(got['deadlines'])} deadlines; "
              + ", ".join(f"{part} {'equal' if ok else 'DIFFER'}" for part, ok in same.items())
              + f"; {len(plan.problems)} problem line(s), {sum(1 for f in plan.findings if f.kind == 'ocr')} OCR "
                f"finding(s), {sum(1 for f in plan.findings if f.kind == 'ocr-repair')} repair(s)")
        if kind != "scan":
            continue
        found, wanted = got["assignments"], reference["assignments"]
        hits = len(found & wanted)
        precision, recall = hits / max(len(found), 1), hits / max(len(wanted), 1)
        print(f"scan  assignments: precision {precision:.3f}, recall {recall:.3f} (target >= 0.95: "
              f"{'met' if recall >= 0.95 else 'NOT met'}) (load {_load():.2f})")
        unexplained = 0
        for miss in sorted(wanted - found):
            line, why = _why(miss, text_plan, plan)
            unexplained += why is None
            print(f"  missed {' '.join(miss)}: line {line} of the scan's text: {why or 'NO FINDING'}")
        print(f"scan  {len(wanted - found)} missed assignment(s), {unexplained} without a finding on their line")
        for extra in sorted(found - wanted):
            print(f"  extra  {' '.join(extra)}")
    print(f"files in {work}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
