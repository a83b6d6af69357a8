"""The comparison report: several plans side by side, each cell linking to the plan's own report.

:func:`write_comparison` writes, into a new folder that replaces ``out_dir``
only once everything is written, each plan's own report (``<plan>/``, as
:func:`~antitraffick_kg.report.write_report` writes it) and ``index.html`` /
``index.md`` comparing them:

* plans × upper-level measures: for each Yunnan and national measure
  (``measures``), the tasks of each plan linked to it (``measure-tasks``), with
  the strongest link's status, and the plan's tasks without an upper measure
  (``link-gaps``);
* unit functions × plans: which unit of each plan has the function of
  ``data/unit-functions.ttl`` (``unit-functions``) and how many tasks it leads
  and supports (``unit-workload``);
* deadlines side by side: each plan's deadlines by year (``milestones``);
* audit findings per plan, by kind (the audit each plan's report shows).

Every question is a catalogue query asked of one plan at a time.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import InputError
from ..rows import natural_key
from .site import md_table

if TYPE_CHECKING:  # pragma: no cover
    from . import ReportResult
    from ..store.corpus import Corpus

__all__ = ["write_comparison", "Comparison", "ComparisonResult", "compare"]

_STATUS_RANK = {"verified": 0, "inferred": 1, "unknown": 2}
_LEVELS = {"national": "国家 national", "province": "省 province", "prefecture": "州（市） prefecture",
           "city": "市 city", "county": "县 county"}


@dataclass(frozen=True)
class MeasureCell:
    """A plan's tasks under an upper measure: notations, the strongest link's status, match and confidence."""

    tasks: tuple[str, ...]
    status: str
    match: str
    confidence: str
    via: tuple[str, ...]


@dataclass(frozen=True)
class UnitCell:
    """A unit of a plan with a function: how many tasks it leads and supports, and its page in the plan's report."""

    unit: str
    leads: int
    supports: int
    tasks: int
    page: str                 # relative to the plan's report folder


@dataclass
class Comparison:
    """What the comparison shows, plan by plan (``plans`` in the order given)."""

    as_of: dt.date
    plans: list[dict[str, str]]
    measures: list[dict[str, str]]
    links: dict[tuple[str, str], MeasureCell] = field(default_factory=dict)      # (measure, plan)
    without_upper: dict[str, int] = field(default_factory=dict)                   # plan -> tasks
    functions: list[tuple[str, str]] = field(default_factory=list)                # (concept id, label)
    units: dict[tuple[str, str], list[UnitCell]] = field(default_factory=dict)    # (function, plan)
    deadlines: dict[tuple[int, str], list[str]] = field(default_factory=dict)     # (year, plan) -> tasks
    findings: dict[tuple[str, str], int] = field(default_factory=dict)            # (kind, plan)
    kinds: list[str] = field(default_factory=list)

    @property
    def ids(self) -> list[str]:
        return [p["plan"] for p in self.plans]

    @property
    def years(self) -> list[int]:
        return sorted({y for y, _ in self.deadlines})


@dataclass(frozen=True)
class ComparisonResult:
    """Where the comparison went: its folder, the plans compared, and the size of each table."""

    out_dir: Path
    plans: tuple[str, ...]
    reports: tuple["ReportResult", ...]       # each plan's own report, in out_dir/<plan>/
    measures: int
    functions: int
    years: int


def compare(*, plans: Sequence[str], corpus: "Corpus", as_of: dt.date,
            findings: Mapping[str, Sequence[tuple[str, int]]] | None = None) -> Comparison:
    """Ask each of ``plans`` in ``corpus`` the catalogue questions of the comparison; ``findings`` gives each
    plan's audit findings per kind (as its report counted them).  Raises :class:`InputError` for a plan the
    corpus lacks."""
    from ..ask.catalogue import get_query
    from ..ask.query import bind_parameters, query
    from ..pipeline.sources import open_store

    missing = [p for p in plans if p not in corpus.plans]
    if missing:
        raise InputError(f"plan {missing[0]!r} is not in the corpus store; it holds {', '.join(corpus.plans)}")
    result = Comparison(as_of, [], [])
    unit_query = get_query("tasks-by-unit")
    measures: dict[str, dict[str, str]] = {}
    functions: dict[str, str] = {}
    kinds: set[str] = set()
    for plan in plans:
        def ask(name: str, **params: str):
            return query(name, params=params, plan=plan, corpus=corpus)

        result.plans.append(next(r for r in ask("plans") if r["plan"] == plan))
        for m in ask("measures"):
            measures.setdefault(m["measure"], m)
        result.without_upper[plan] = len({r["item"] for r in ask("link-gaps")
                                          if r["direction"] == "task-without-upper" and r["plan"] == plan})
        view = open_store(plan=plan, corpus=corpus)
        workload = {r["unit"]: r for r in ask("unit-workload")}
        for r in ask("unit-functions"):
            w = workload.get(r["unit"])
            if not r["function"] or w is None or int(w["tasks"]) == 0:
                continue              # a unit of another plan, or one this plan never names in a task
            functions.setdefault(r["function"], r["label"] or "")
            iri = bind_parameters(unit_query, {"unit": r["unit"]}, store=lambda: view)["UNIT"].value
            result.units.setdefault((r["function"], plan), []).append(UnitCell(
                r["unit"], int(w["leads"]), int(w["supports"]), int(w["tasks"]),
                f"units/{iri.rstrip('/').rsplit('/', 1)[-1]}"))
        for m in ask("milestones"):
            if m["kind"] == "deadline":
                result.deadlines.setdefault((int(m["year"]), plan), []).append(m["task"])
        for kind, n in (findings or {}).get(plan, ()):
            kinds.add(kind)
            result.findings[(kind, plan)] = n
    result.measures = sorted(measures.values(), key=lambda m: (m["level"] != "national", m["plan"],
                                                               natural_key(m["measure"])))
    for plan in plans:
        for m in result.measures:
            rows = query("measure-tasks", params={"measure": m["measure"]}, plan=plan, corpus=corpus)
            rows = [r for r in rows if r["plan"] == plan]
            if not rows:
                continue
            best = min(rows, key=lambda r: (_STATUS_RANK.get(r["status"], 3), -float(r["confidence"] or 0)))
            result.links[(m["measure"], plan)] = MeasureCell(
                tuple(sorted({r["task"] for r in rows}, key=natural_key)), best["status"], best["match"],
                best["confidence"], tuple(sorted({r["via"] for r in rows if r["via"]}, key=natural_key)))
    result.functions = sorted(functions.items())
    for cells in result.units.values():
        cells.sort(key=lambda c: (-c.leads, -c.tasks, c.unit))
    for tasks in result.deadlines.values():
        tasks.sort(key=natural_key)
    result.kinds = sorted(kinds)
    return result


def write_comparison(out_dir: str | Path, *, plans: Sequence[str], corpus: "Corpus", as_of: dt.date | None = None,
                     reports: Sequence[str | Path] = ()) -> ComparisonResult:
    """Write each of ``plans``' report into ``out_dir/<plan>/`` and the comparison of them into
    ``out_dir/index.html`` and ``index.md``, as of ``as_of`` (default today).

    ``out_dir`` is replaced as a whole once everything is written; a folder that
    is not an earlier report is refused.  Raises :class:`InputError` (fewer than
    two plans, a plan the corpus lacks, a faulty report file, an unusable
    folder) and :class:`~antitraffick_kg.errors.AntitraffickKGError` (a missing extra or font).
    """
    from . import check_report_folder, replace_folder, staging_folder, write_report
    from ..version import package_version

    if len(plans) < 2 or len(set(plans)) != len(plans):
        raise InputError(f"a comparison needs two plans or more, each once; got {', '.join(plans) or 'none'}")
    out = Path(out_dir)
    check_report_folder(out)
    day = as_of or dt.date.today()
    missing = [p for p in plans if p not in corpus.plans]
    if missing:
        raise InputError(f"plan {missing[0]!r} is not in the corpus store; it holds {', '.join(corpus.plans)}")
    staging = staging_folder(out)
    written = []
    try:
        for plan in plans:
            one = write_report(staging / plan, plan=plan, as_of=day, reports=reports, corpus=corpus)
            written.append(dataclasses.replace(one, out_dir=out / plan))
        facts = compare(plans=plans, corpus=corpus, as_of=day, findings={r.out_dir.name: r.finding_counts
                                                                         for r in written})
        files = {"index.html": html_page(facts, version=package_version()),
                 "index.md": markdown_page(facts, version=package_version()),
                 "style.css": (Path(__file__).parent / "templates" / "style.css").read_text(encoding="utf-8"),
                 ".antitraffick-report": f"antitraffick-kg {package_version()} comparison of {', '.join(plans)} "
                                         f"as of {day.isoformat()}\n"}
        for name, text in files.items():
            (staging / name).write_text(text, encoding="utf-8")
    except BaseException:
        import shutil

        shutil.rmtree(staging, ignore_errors=True)
        raise
    replace_folder(staging, out)
    return ComparisonResult(out, tuple(plans), tuple(written), len(facts.measures), len(facts.functions),
                            len(facts.years))


def level_name(level: str) -> str:
    return _LEVELS.get(level, level)


def _totals(facts: Comparison) -> dict[str, int]:
    return {p: sum(n for (_, plan), n in facts.findings.items() if plan == p) for p in facts.ids}


def html_page(facts: Comparison, *, version: str) -> str:
    """The comparison as ``index.html``: every link is to a plan's own report in ``<plan>/``."""
    from jinja2 import Environment, FileSystemLoader, select_autoescape

    env = Environment(loader=FileSystemLoader(Path(__file__).parent / "templates"),
                      autoescape=select_autoescape(["html"]), keep_trailing_newline=True)
    return env.get_template("compare.html").render(
        ids=facts.ids, plans=facts.plans, as_of=facts.as_of.isoformat(), version=version, measures=facts.measures,
        links=facts.links, without_upper=facts.without_upper, level_name=level_name, functions=facts.functions,
        units=facts.units, years=facts.years, deadlines=facts.deadlines, kinds=facts.kinds, findings=facts.findings,
        totals=_totals(facts))


def markdown_page(facts: Comparison, *, version: str) -> str:
    """The same tables as ``index.md``, linking to each plan's Markdown report."""
    ids = facts.ids
    md = [f"# 计划比较 Plans compared\n", f"{len(ids)} plans, as of {facts.as_of.isoformat()}, "
          f"antitraffick-kg {version}.\n",
          md_table(["plan", "title", "number", "period"],
                   [[f"[{p['plan']}]({p['plan']}/index.md)", p["title"], p["number"] or "—",
                     f"{p['from']}–{p['until']}"] for p in facts.plans]),
          "## 上级措施 Upper-level measures × plans\n",
          "The tasks of each plan linked to each Yunnan and national measure, and the status of the strongest link.\n"]
    rows = []
    for m in facts.measures:
        cells = []
        for p in ids:
            c = facts.links.get((m["measure"], p))
            cells.append(f"[{', '.join(c.tasks)} · {c.status}]({p}/index.md)" if c else "—")
        rows.append([level_name(m["level"]), f"{m['measure']} {m['title']}", *cells])
    rows.append(["", "Tasks without an upper measure", *[f"[{facts.without_upper[p]}]({p}/index.md)" for p in ids]])
    md.append(md_table(["level", "measure", *ids], rows))
    md += ["## 单位职能 Unit functions × plans\n",
           "The unit of each plan with each function, with the tasks it leads (L) and supports (S).\n",
           md_table(["function", *ids], [[f"{label} ({f})", *[
               "; ".join(f"[{u.unit} L{u.leads} S{u.supports}]({p}/{u.page}.md)" for u in facts.units.get((f, p), []))
               or "—" for p in ids]] for f, label in facts.functions]),
           "## 截止期限 Deadlines by year\n",
           md_table(["year", *ids], [[str(y), *[
               f"[{len(ts)}: {', '.join(ts)}]({p}/index.md)" if (ts := facts.deadlines.get((y, p))) else "—"
               for p in ids]] for y in facts.years]),
           "## 审核发现 Audit findings per plan\n"]
    totals = _totals(facts)
    md.append(md_table(["kind", *ids], [[k, *[f"[{facts.findings.get((k, p), 0)}]({p}/index.md)" for p in ids]]
                                        for k in facts.kinds] + [["total", *[str(totals[p]) for p in ids]]]))
    return "\n".join(md)
