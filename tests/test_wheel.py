"""A built wheel carries the ontology, the data and the queries."""

from __future__ import annotations

import shutil
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
                 "data/concepts.ttl", "queries/assignments.rq", "queries/upper/tasks-by-unit.rq",
                 "queries/across/measures.rq"):
        assert f"antitraffick_kg/_resources/{name}" in names
    assert "antitraffick_kg/cli/main.py" in names
    assert "antitraffick_kg/store/templates/linked-plans.html" in names      # serve's page of the plans


def test_an_installed_wheel_works_on_a_workspace_beside_the_bundled_plan(tmp_path):
    """README's recipe after a plain `pip install .`: a plan folder outside the package builds, and so does Dehong."""
    import os

    subprocess.run([sys.executable, "-m", "pip", "wheel", str(ROOT), "--no-deps", "--no-build-isolation",
                    "-q", "-w", str(tmp_path / "dist")], check=True)
    wheel = next((tmp_path / "dist").glob("antitraffick_kg-*.whl"))
    site = tmp_path / "site"
    subprocess.run([sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--target", str(site), str(wheel)],
                   check=True)
    env = {k: v for k, v in os.environ.items() if k != "ANTITRAFFICK_KG_DATA_DIR"}
    work = tmp_path / "work"
    (work / "plans").mkdir(parents=True)
    shutil.copyfile(ROOT / "tests" / "data" / "genre" / "county-narrative.txt", work / "county.txt")

    def cli(*args: str) -> subprocess.CompletedProcess:
        code = (f"import sys; sys.path.insert(0, {str(site)!r}); import antitraffick_kg.resources as r; "
                f"assert r.resource_root() == r._PACKAGE / '_resources', r.resource_root(); "
                "from antitraffick_kg.cli.main import main; sys.argv[0] = 'antitraffick-kg'; main()")
        return subprocess.run([sys.executable, "-c", code, *args], cwd=work, env=env, capture_output=True,
                              text=True)

    made = cli("new", "county", "--source", "county.txt", "--title", "某某县反对拐卖人口行动计划实施方案（2023—2030年）",
               "--level", "county", "--jurisdiction", "999901", "--period", "2023-2030", "--data-dir", "plans")
    assert made.returncode == 0, made.stderr
    assert (work / "plans" / "county" / "units.csv").is_file()
    for plan in ("county", "dehong-2022-2030"):
        built = cli("build", "--plan", plan, "--data-dir", "plans")
        assert built.returncode == 0, built.stderr
        assert (work / "plans" / "build" / f"{plan}.nq").is_file()      # the workspace's own build folder
    missing = cli("build", "--plan", "county")          # without the workspace it is not found
    assert missing.returncode == 2 and missing.stderr.startswith("Error: no plan 'county'")
