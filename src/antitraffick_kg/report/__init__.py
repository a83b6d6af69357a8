"""The analysts' report: a static site (HTML and the same content as Markdown) about one plan as of a day.

:func:`write_report` writes, into a new folder that replaces ``out_dir`` only
once everything is written:

* ``index.html`` / ``index.md``: the responsibility matrix (units × tasks, lead
  and support, where the two parts disagree), the timeline, the collaboration
  network, each unit's workload and the audit findings;
* ``units/<unit>.html`` / ``.md``: what the unit leads and supports, what falls
  due when and its state as of the day, its partners;
* ``source.html``: the source text with a numbered anchor per line, which every
  fact links to;
* ``charts/*.svg``: the charts (matplotlib): timeline, network, workload, and completion by unit and by
  policy area over the years (the share of each year's obligations reported done or not applicable);
* ``ontology/index.html``: the ontology's documentation, generated from
  ``ontology/antitraffick.ttl`` by Ontospy.

Over several plans, :func:`antitraffick_kg.report.compare.write_comparison` writes each plan's report into a
folder of its own and a comparison of them beside.

Needs the ``report`` extra (``pip install 'antitraffick-kg[report]'``) and a
font with Chinese glyphs (Debian: ``fonts-noto-cjk``).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import shutil
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import AntitraffickKGError, InputError
from ..resources import DEFAULT_PLAN

if TYPE_CHECKING:  # pragma: no cover
    from ..store.corpus import Corpus

__all__ = ["write_report", "write_ontology_docs", "ReportResult", "REPORT_EXTRA"]

REPORT_EXTRA = "pip install 'antitraffick-kg[report]'"


@dataclass(frozen=True)
class ReportResult:
    """Where the report went and what it holds."""

    out_dir: Path
    pages: tuple[str, ...]
    charts: tuple[str, ...]
    units: int
    findings: int
    finding_counts: tuple[tuple[str, int], ...] = ()     # the audit's findings per kind, every kind checked


def _need(module: str) -> None:
    import importlib.util

    if importlib.util.find_spec(module) is None:
        raise AntitraffickKGError(f"the report needs {module}; install it with {REPORT_EXTRA}")


def write_report(out_dir: str | Path, *, plan: str = DEFAULT_PLAN, as_of: dt.date | None = None,
                 reports: Sequence[str | Path] = (), build_dir: str | Path = "build",
                 corpus: "Corpus | None" = None) -> ReportResult:
    """Write the report on ``plan`` as of ``as_of`` (default today), with the progress reports kept in the store
    and those of the files ``reports``, to ``out_dir``.

    The plan comes from ``corpus`` when given, else through ``build_dir``.
    ``out_dir`` is replaced as a whole once the new report is complete; a
    folder that is not an earlier report is refused.  Raises
    :class:`InputError` (a faulty report file, an unusable folder) and
    :class:`AntitraffickKGError` (a missing extra or font).
    """
    for module in ("matplotlib", "jinja2", "ontospy"):
        _need(module)
    from ..version import package_version
    from .progress import open_plan_store
    from ..resources import find_plan
    from . import charts
    from .facts import gather
    from .site import html_pages, markdown_pages

    out = Path(out_dir)
    check_report_folder(out)
    charts.cjk_font()                                   # fail before any work when no font can draw Chinese
    day = as_of or dt.date.today()
    store = open_plan_store(plan=plan, build_dir=build_dir, reports=reports, corpus=corpus)
    folder = find_plan(plan).folder
    source = (folder / "source.txt").read_bytes()   # the workspace's plan, or the bundled one
    facts = gather(store, plan=plan, as_of=day, source_text=source.decode("utf-8"))
    origins, original = _original(folder)

    files: dict[str, str] = {}
    files.update(html_pages(facts, version=package_version(), sha256=hashlib.sha256(source).hexdigest(),
                            origins=origins, original=original.name if original else None))
    files.update(markdown_pages(facts, version=package_version()))
    states = facts.year_states()
    rows = []
    for t in facts.tasks:
        ms = [m for m in facts.milestones if m["task"] == t.notation]
        rows.append(charts.TimelineRow(
            f"{t.notation} {t.title}",
            tuple((int(m["year"]), int(m["until"])) for m in ms if m["kind"] == "ongoing"),
            tuple(int(m["year"]) for m in ms if m["kind"] == "deadline"),
            tuple(sorted({y for m in ms if m["kind"] == "recurring"
                          for y in range(int(m["year"]), int(m["until"]) + 1)})),
            {y: s for (task, y), s in states.items() if task == t.notation}))
    files["charts/timeline.svg"] = charts.timeline_svg(rows, first=facts.first, last=facts.last, as_of_year=day.year)
    files["charts/network.svg"] = charts.network_svg([(u.name, u.tasks) for u in facts.units], facts.edges)
    files["charts/workload.svg"] = charts.workload_svg([(u.name, u.leads, u.supports) for u in facts.units])
    years = list(range(facts.first, min(day.year, facts.last) + 1))
    by_unit = facts.status.completion()
    files["charts/completion-units.svg"] = charts.completion_svg(
        sorted(by_unit.items()), years=years, title="各单位落实情况 Completion by unit (done or n/a / due)")
    areas = {t.notation: t.area for t in facts.tasks}
    by_area = facts.status.completion(key=lambda r: areas.get(r.task) or "—")
    files["charts/completion-areas.svg"] = charts.completion_svg(
        sorted(by_area.items()), years=years, title="各领域落实情况 Completion by policy area (done or n/a / due)")
    files[".antitraffick-report"] = f"antitraffick-kg {package_version()} report on {plan} as of {day.isoformat()}\n"

    staging = staging_folder(out)
    try:
        for name, text in files.items():
            path = staging / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
        write_ontology_docs(staging / "ontology")
        if original is not None:      # the Word file, PDF, scan or web page the text was read from
            shutil.copyfile(original, staging / original.name)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    replace_folder(staging, out)
    pages = tuple(sorted(n for n in files if n.endswith((".html", ".md")))) + ("ontology/index.html",)
    return ReportResult(out, pages, tuple(sorted(n for n in files if n.startswith("charts/"))), len(facts.units),
                        len(facts.findings), facts.finding_counts)


def check_report_folder(out: Path) -> None:
    """Raise :class:`InputError` unless ``out`` is missing, empty, or an earlier report (it has the marker file)."""
    if out.exists() and (not out.is_dir() or (any(out.iterdir()) and not (out / ".antitraffick-report").is_file())):
        raise InputError("exists and is not an earlier report; give a new or empty folder", path=str(out))


def staging_folder(out: Path) -> Path:
    """A new hidden folder beside ``out`` to write a report into before :func:`replace_folder`."""
    out.parent.mkdir(parents=True, exist_ok=True)
    return Path(tempfile.mkdtemp(prefix=f".{out.name}.", dir=out.parent))


def replace_folder(staging: Path, out: Path) -> None:
    """Put the complete ``staging`` in the place of ``out`` (replacing an earlier report); on failure remove it."""
    try:
        staging.chmod(0o755)
        if out.exists():
            old = out.with_name(f".{out.name}.old")
            shutil.rmtree(old, ignore_errors=True)
            out.rename(old)
            staging.rename(out)
            shutil.rmtree(old, ignore_errors=True)
        else:
            staging.rename(out)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise


def _original(folder: Path) -> tuple[dict, Path | None]:
    """The line map of a plan read from a Word file, PDF, scan or web page, and that original (none for a
    plan kept as text)."""
    from ..plan.documents import origins_beside
    from ..plan.planinfo import load_plan_info

    origins, _ = origins_beside(folder / "source.txt")
    if not origins or not (folder / "plan.toml").is_file():
        return {}, None
    name = load_plan_info(folder / "plan.toml").original
    return origins, (folder / name if name and (folder / name).is_file() else None)


def write_ontology_docs(folder: str | Path) -> None:
    """Write the ontology's documentation into ``folder`` (``index.html``), by Ontospy's single-page generator.

    The page is offline (styles inline); the report and the documentation site both use it.
    Needs the ``report`` extra; raises :class:`AntitraffickKGError` naming it when Ontospy is missing.
    """
    _need("ontospy")
    from ..resources import ontology_path

    source = ontology_path()
    digest = hashlib.sha256(source.read_bytes()).hexdigest()
    made = _ONTOLOGY_PAGES.get(digest)
    if made is None or not made.is_dir():
        made = _ontology_pages(source, digest)
    shutil.copytree(made, Path(folder), dirs_exist_ok=True)


#: the ontology's pages, made once per process for each version of the ontology (a site for each of several
#: plans copies them: Ontospy took 1.2-2.4 s a site), in a temporary folder removed when the process ends
_ONTOLOGY_PAGES: dict[str, Path] = {}


def _ontology_pages(source: Path, digest: str) -> Path:
    import atexit
    import contextlib
    import io

    from ontospy import Ontospy
    from ontospy.gendocs.viz.viz_html_single import HTMLVisualizer

    made = Path(tempfile.mkdtemp(prefix="antitraffick-kg-ontology-"))
    atexit.register(shutil.rmtree, made, ignore_errors=True)
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
        model = Ontospy(str(source), verbose=False)
        HTMLVisualizer(model, title="antitraffick-kg ontology").build(str(made))
    _ONTOLOGY_PAGES[digest] = made
    return made
