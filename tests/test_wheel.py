"""A built wheel carries the ontology, the data and the queries."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_wheel_contains_the_resources(tmp_path):
    subprocess.run([sys.executable, "-m", "pip", "wheel", str(ROOT), "--no-deps", "--no-build-isolation",
                    "-q", "-w", str(tmp_path)], check=True)
    wheel = next(tmp_path.glob("antitraffick_kg-*.whl"))
    names = set(zipfile.ZipFile(wheel).namelist())
    for name in ("ontology/antitraffick.ttl", "data/dehong-2022-2030/source.txt", "data/dehong-2022-2030/units.csv",
                 "data/dehong-2022-2030/plan.toml", "data/unit-functions.ttl",
                 "data/concepts.ttl", "queries/assignments.rq"):
        assert f"antitraffick_kg/_resources/{name}" in names
    assert "antitraffick_kg/cli.py" in names
