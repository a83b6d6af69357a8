"""The Dehong plan as it is published, read back: a Word file, its PDF, a 300 dpi scan of that PDF, a web page.

``tests/render_formats.py`` renders the Dehong text as a Word file (the annual table as Word tables with merged
cells), prints it to PDF with LibreOffice, rasterises the PDF at 300 dpi into an image-only PDF, and wraps the
text in a government site's page.  Each is read with the library's reader (``read_document``) and imported in a
plan folder with Dehong's plan.toml, units.csv and corrections (each correction moved to the line that holds its
``expect`` words).  Printed per format, with the load average (1 minute) beside each figure: the seconds to read
it, the pages and the seconds per page, and whether the tasks, assignments (task, role, part, unit) and deadlines
equal the text's.  For the scan: precision and recall of the assignments against the text's (target: recall at
least 0.95), then every assignment it misses, with the finding about its line, if any.

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
    (folder / "corrections.toml").write_text(
        rf.corrections_for((DEHONG / "corrections.toml").read_text(encoding="utf-8"), extraction.text),
        encoding="utf-8")
    plan = import_plan(folder / "source.txt", corrections=folder / "corrections.toml", strict=False)
    return extraction, plan, seconds


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
    reference = rf.reading(import_plan(DEHONG / "source.txt", corrections=DEHONG / "corrections.toml"))
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
                "finding(s)")
        if kind != "scan":
            continue
        found, wanted = got["assignments"], reference["assignments"]
        hits = len(found & wanted)
        precision, recall = hits / max(len(found), 1), hits / max(len(wanted), 1)
        print(f"scan  assignments: precision {precision:.3f}, recall {recall:.3f} (target >= 0.95: "
              f"{'met' if recall >= 0.95 else 'NOT met'}) (load {_load():.2f})")
        by_task: dict[str, list[str]] = {}
        for f in plan.findings:
            if f.kind == "ocr" and f.task:
                by_task.setdefault(f.task, []).append(f.message)
        lines_of = {}
        for t in plan.tasks.values():
            for m in t.mentions:
                lines_of[(t.notation, m.role, m.part)] = m.line
        for miss in sorted(wanted - found):
            task, role, part, unit = miss
            line = lines_of.get((task, role, part))
            said = [f.message for f in plan.findings if f.kind == "ocr" and line is not None and f.line == line
                    and "unit" in f.message]
            problems = [p.message for p in plan.problems if line is not None and p.line == line]
            why = said[0] if said else problems[0] if problems else (
                "task not read" if task not in got["tasks"] else "no finding on its line")
            print(f"  missed {task} {role} ({part}) {unit}: {why}")
        for extra in sorted(found - wanted):
            print(f"  extra  {' '.join(extra)}")
    print(f"files in {work}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
