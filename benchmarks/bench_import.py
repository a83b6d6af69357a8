"""How the import's time grows with the text: plan texts of 1, 5 and 50 MiB, each read, parsed and tagged.

Two texts of each size are made from the Dehong plan (nothing is downloaded):

- ``repeated``: the Dehong text repeated, as a wrong file (many documents pasted into one) would be;
- ``tasks``: one plan with many tasks: Dehong's numbered task paragraphs, renumbered, under one heading, so that
  every paragraph is a task with its unit clause (this is the text that made the import quadratic: the line of
  every mention was counted from the start of the text).

Each text is imported with the library (``import_plan``, with Dehong's plan.toml beside it, and its units.csv
for the repeated text, whose units it names; the size limit lifted), once, in a fresh process per text so that
memory figures do not mix.  Printed per text: the seconds, the seconds per MiB, the peak resident memory and the
load average (1 minute) beside each figure, then the ratio of the seconds per MiB of the largest to the smallest
text of each kind: near 1 means linear growth.
The command line refuses a text over 8 MiB (``--max-size``); these sizes are far beyond any real plan.

Run: python benchmarks/bench_import.py [--sizes 1 5 50]
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEHONG = ROOT / "data" / "dehong-2022-2030"

_MEASURE = """
import json, resource, sys, time
from antitraffick_kg.plan.importer import import_plan
started = time.perf_counter()
plan = import_plan(sys.argv[1], strict=False, max_mib=1e6)
seconds = time.perf_counter() - started
with open("/proc/loadavg") as handle:
    load = float(handle.read().split()[0])
print(json.dumps({"seconds": seconds, "tasks": len(plan.tasks), "load": load,
                  "peak_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


def repeated(mib: float) -> str:
    text = (DEHONG / "source.txt").read_text(encoding="utf-8")
    return text * max(1, round(mib * 2**20 / len(text.encode("utf-8"))))


def many_tasks(mib: float) -> str:
    """Dehong's header, then one section of its numbered task paragraphs, renumbered until the text is ``mib``."""
    lines = (DEHONG / "source.txt").read_text(encoding="utf-8").splitlines()
    first = next(i for i, line in enumerate(lines) if re.match(r"^[一二三四五六七八九十]+、", line.strip()))
    items = [re.sub(r"^\d+[.．]", "", line.strip()) for line in lines
             if re.match(r"^\d+[.．].*（[^（）]*(负责|牵头)[^（）]*）。?$", line.strip())]
    out, size, n = lines[:first] + ["一、主要任务"], 0, 0
    target = mib * 2**20
    while size < target:
        n += 1
        line = f"{n}.{items[n % len(items)]}"
        out.append(line)
        size += len(line.encode("utf-8")) + 1
    return "\n".join(out) + "\n"


def measure(text: str, folder: Path, *, units: bool) -> dict:
    folder.mkdir()
    for name in ("plan.toml", "units.csv") if units else ("plan.toml",):
        shutil.copy(DEHONG / name, folder / name)
    source = folder / "source.txt"
    source.write_text(text, encoding="utf-8")
    done = subprocess.run([sys.executable, "-c", _MEASURE, str(source)], capture_output=True, text=True,
                          check=True)
    result = json.loads(done.stdout)
    result["mib"] = source.stat().st_size / 2**20
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=float, nargs="+", default=[1, 5, 50], help="text sizes in MiB")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-import-") as tmp:
        for kind, make in (("repeated", repeated), ("tasks", many_tasks)):
            rates = []
            for mib in args.sizes:
                r = measure(make(mib), Path(tmp) / f"{kind}-{mib:g}", units=kind == "repeated")
                rates.append(r["seconds"] / r["mib"])
                print(f"{kind:<9} {r['mib']:7.1f} MiB  {r['tasks']:7,} tasks  {r['seconds']:8.2f} s  "
                      f"{rates[-1]:6.2f} s/MiB  peak {r['peak_mib']:7.0f} MiB  (load average {r['load']:.2f})",
                      flush=True)
            print(f"{kind:<9} s/MiB at {args.sizes[-1]:g} MiB / at {args.sizes[0]:g} MiB: "
                  f"{rates[-1] / rates[0]:.2f} (1 = linear)  (load average {os.getloadavg()[0]:.2f})", flush=True)


if __name__ == "__main__":
    main()
