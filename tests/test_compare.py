"""The comparison report: Dehong and a second prefecture made with ``new`` in a workspace, side by side in
DIR/index.html (and index.md), every cell linking into the plan's own report in DIR/<plan>/; what Chromium shows.

The second plan is the sibling prefecture of tests/test_linking.py (``tests/data/linking/sibling-prefecture.txt``),
aligned to the Yunnan plan by ``align``: its tasks 1.1.1, 1.1.2, 1.2.1 and 2.1 stand under Y-8.1, Y-8.2, Y-10.2
and Y-13.2.
"""

from __future__ import annotations

import functools
import re
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote

import pytest
from click.testing import CliRunner

from conftest import no_network, require

from antitraffick_kg.ask.query import query
from antitraffick_kg.cli.main import main
from antitraffick_kg.errors import InputError
from antitraffick_kg.report.compare import write_comparison
from antitraffick_kg.store.corpus import Corpus

DEHONG, SIB = "dehong-2022-2030", "sibling-2023-2030"
PLANS = (DEHONG, SIB)
SIBLING = Path(__file__).parent / "data" / "linking" / "sibling-prefecture.txt"
AS_OF = "2024-06-30"
CHROMIUM = shutil.which("chromium")
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def cli(*args: str | Path):
    return CliRunner().invoke(main, [str(a) for a in args])


@pytest.fixture(scope="module")
def site(build_dir, tmp_path_factory):
    """Dehong (the tests' build, copied) and the sibling plan in one store, and the report over both, written
    with every network connection refused."""
    root = tmp_path_factory.mktemp("compare")
    ws = root / "plans"
    ws.mkdir()
    shutil.copy(SIBLING, ws / "sibling.txt")
    steps = [("new", SIB, "--source", ws / "sibling.txt", "--title", "某某州反对拐卖人口行动计划实施方案（2023—2030年）",
              "--level", "prefecture", "--jurisdiction", "999907", "--period", "2023-2030",
              "--implements", "yunnan-2021-2030", "--data-dir", ws),
             ("align", SIB, "yunnan-2021-2030", "--data-dir", ws, "-o", ws / SIB / "sibling--yunnan.sssom.tsv")]
    for step in steps:
        done = cli(*step)
        assert done.exit_code == 0, done.output
    build = root / "build"
    shutil.copytree(build_dir, build, symlinks=True, ignore=shutil.ignore_patterns("build.lock"))
    done = cli("build", "--plan", SIB, "--data-dir", ws, "--build-dir", build)
    assert done.exit_code == 0, done.output
    out = root / "site"
    with no_network() as attempts:
        done = cli("report", "--plan", DEHONG, "--plan", SIB, "--data-dir", ws, "--build-dir", build,
                   "--as-of", AS_OF, "--output-dir", out)
    assert attempts == []
    assert done.exit_code == 0, done.output
    return out, done.stdout, Corpus.open(build / "store")


class _Dom(HTMLParser):
    """Elements with their attributes, their text and the attributes of the element they stand in."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self.elements: list[tuple[str, dict[str, str], list[str], dict[str, str]]] = []
        self._open: list[tuple[list[str], dict[str, str]]] = []
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        texts: list[str] = []
        parent = self._open[-1][1] if self._open else {}
        attributes = {k: v or "" for k, v in attrs}
        self.elements.append((tag, attributes, texts, parent))
        if tag not in ("img", "link", "meta", "br"):
            self._open.append((texts, attributes))

    def handle_endtag(self, tag):
        if self._open and tag not in ("img", "link", "meta", "br"):
            self._open.pop()

    def handle_data(self, data):
        for texts, _ in self._open:
            texts.append(data)

    def rows(self, attr: str) -> dict[str, dict[str, dict[str, str]]]:
        """For each row with ``attr``: its cells by plan, each with the cell's attributes and text."""
        found: dict[str, dict[str, dict[str, str]]] = {}
        current = None
        for tag, a, texts, _ in self.elements:
            if tag == "tr":
                current = found.setdefault(a[attr], {}) if attr in a else None
            elif tag == "td" and current is not None and "data-plan" in a:
                current[a["data-plan"]] = {**a, "text": "".join(texts).strip()}
        return found


def _page(out: Path) -> _Dom:
    return _Dom((out / "index.html").read_text(encoding="utf-8"))


def test_the_site_holds_each_plans_report_and_the_comparison(site):
    out, stdout, _ = site
    assert [line.split(" (")[0] for line in stdout.splitlines()] == [
        f"wrote {out / DEHONG}/index.html", f"wrote {out / SIB}/index.html", f"wrote {out}/index.html"]
    assert sorted(p.name for p in out.iterdir()) == sorted([".antitraffick-report", "index.html", "index.md",
                                                           "style.css", DEHONG, SIB])
    assert all((out / plan / "index.html").is_file() and (out / plan / "index.md").is_file() for plan in PLANS)


def test_the_measures_rows_are_the_catalogues_link_answers(site):
    out, _, corpus = site
    rows = _page(out).rows("data-measure")
    measures = [r["measure"] for r in query("measures", plan=DEHONG, corpus=corpus)]
    assert set(rows) == set(measures) | {"none"} and len(measures) == 58
    for plan in PLANS:
        for measure in measures:
            linked = query("measure-tasks", params={"measure": measure}, plan=plan, corpus=corpus)
            cell = rows[measure][plan]
            assert cell["data-status"] == (min((r["status"] for r in linked), default="none",
                                               key=["verified", "inferred", "unknown"].index)
                                           if linked else "none"), (measure, plan)
            assert cell["text"].split(" · ")[0] == (", ".join(sorted({r["task"] for r in linked},
                                                                     key=lambda t: [int(n) for n in t.split(".")]))
                                                    if linked else "—")
    assert rows["Y-8.1"][DEHONG]["text"] == "4.1.1 · inferred"       # Dehong 四(一)1 人力资源领域
    assert rows["Y-8.1"][SIB]["text"] == "1.1.1 · inferred"          # the sibling's alignment
    assert rows["Y-4"][DEHONG]["text"] == "3.1 · inferred" and rows["Y-4"][SIB]["data-status"] == "none"
    gaps = {p: {r["item"] for r in query("link-gaps", plan=p, corpus=corpus)
                if r["direction"] == "task-without-upper" and r["plan"] == p} for p in PLANS}
    assert {p: rows["none"][p]["text"] for p in PLANS} == {p: str(len(gaps[p])) for p in PLANS}


def test_who_leads_what_where_by_unit_function(site):
    out, _, corpus = site
    dom = _page(out)
    units = {}
    for tag, a, _, _ in dom.elements:
        if tag == "a" and "data-unit" in a:
            units.setdefault(a["href"].split("/")[0], {})[a["data-unit"]] = (int(a["data-leads"]),
                                                                             int(a["data-supports"]), a["href"])
    for plan in PLANS:
        workload = {r["unit"]: (int(r["leads"]), int(r["supports"]))
                    for r in query("unit-workload", plan=plan, corpus=corpus)}
        assert {u: v[:2] for u, v in units[plan].items()} == {u: workload[u] for u in units[plan]}
    rows = dom.rows("data-function")
    assert "州司法局 L10 S2" in rows["justice"][DEHONG]["text"] and rows["justice"][SIB]["text"] == "—"
    assert rows["civil-affairs"][DEHONG]["text"] == "州民政局 L18 S10"          # led in Dehong ...
    assert rows["civil-affairs"][SIB]["text"] == "州民政局 L0 S1"               # ... supported only in the sibling
    assert units[DEHONG]["州妇联"][2] == f"{DEHONG}/units/womens-federation.html"


def test_deadlines_side_by_side_are_each_plans_milestones(site):
    out, _, corpus = site
    rows = _page(out).rows("data-year")
    for plan in PLANS:
        due: dict[str, list[str]] = {}
        for r in query("milestones", plan=plan, corpus=corpus):
            if r["kind"] == "deadline":
                due.setdefault(r["year"], []).append(r["task"])
        assert {y: int(cells[plan]["data-count"]) for y, cells in rows.items() if cells[plan]["data-count"] != "0"} \
            == {y: len(tasks) for y, tasks in due.items()}
    assert rows["2022"][DEHONG]["data-count"] == "15" and rows["2022"][SIB]["data-count"] == "0"


def test_audit_findings_per_plan_are_those_each_plans_report_lists(site):
    out, stdout, _ = site
    rows = _page(out).rows("data-kind")
    for plan in PLANS:
        listed: dict[str, int] = {}
        for tag, a, _, _ in _Dom((out / plan / "index.html").read_text(encoding="utf-8")).elements:
            if tag == "div" and "data-kind" in a:
                listed[a["data-kind"]] = listed.get(a["data-kind"], 0) + 1
        shown = {k: int(cells[plan]["data-count"]) for k, cells in rows.items() if k != "total"}
        assert {k: n for k, n in shown.items() if n} == listed
        assert int(rows["total"][plan]["data-count"]) == sum(listed.values())
    assert {"list-differs", "spelling-variant", "unit-one-part"} <= set(rows)     # every kind checked, zeros too
    assert rows["total"][DEHONG]["data-count"] == "43" and "43 audit findings" in stdout.splitlines()[0]
    assert rows["total"][SIB]["data-count"] == "0"


def _target(base: Path, href: str) -> tuple[Path, str]:
    path, _, anchor = href.partition("#")
    return (base.parent / unquote(path)).resolve() if path else base.resolve(), anchor


@functools.lru_cache(maxsize=None)
def _ids(page: Path) -> set[str]:
    return {a["id"] for _, a, _, _ in _Dom(page.read_text(encoding="utf-8")).elements if "id" in a}


def test_every_link_of_the_comparison_opens_a_page_of_the_site_and_the_markdown_says_the_same(site):
    out, _, _ = site
    index = out / "index.html"
    links = [a["href"] for tag, a, _, _ in _page(out).elements if tag == "a" and "href" in a]
    assert len(links) > 58 * 2
    for href in links:
        page, anchor = _target(index, href)
        assert page.is_file() and page.is_relative_to(out.resolve()), href
        assert not anchor or anchor in _ids(page), href
    md = (out / "index.md").read_text(encoding="utf-8")
    assert (f"| 省 province | Y-8.1 人力资源领域 | [4.1.1 · inferred]({DEHONG}/index.md) | "
            f"[1.1.1 · inferred]({SIB}/index.md) |") in md.splitlines()
    for target in re.findall(r"\]\(([^)]+)\)", md):
        assert (out / target).is_file(), target


def test_chromium_shows_the_comparison_with_its_cells_and_links(site, tmp_path):
    require(CHROMIUM is not None, "Debian's chromium package (apt-get install chromium)")
    out, _, _ = site
    done = subprocess.run([CHROMIUM, *CHROMIUM_FLAGS, f"--user-data-dir={tmp_path / 'profile'}", "--dump-dom",
                           (out / "index.html").as_uri()], capture_output=True, text=True, timeout=120, check=True)
    dom = _Dom(done.stdout)
    assert {a["id"] for tag, a, _, _ in dom.elements if tag == "section"} == {"plans", "measures", "functions",
                                                                              "deadlines", "findings"}
    assert all(set(cells) == set(PLANS) for cells in dom.rows("data-measure").values())
    hrefs = [a["href"] for tag, a, _, _ in dom.elements if tag == "a" and "href" in a]
    assert hrefs == [a["href"] for tag, a, _, _ in _page(out).elements if tag == "a" and "href" in a]
    for href in hrefs:
        page, _ = _target(out / "index.html", href)
        assert page.is_file(), href


def test_a_comparison_needs_two_plans_and_a_folder_that_is_a_report(site, tmp_path):
    out, _, corpus = site
    with pytest.raises(InputError, match="two plans or more"):
        write_comparison(tmp_path / "one", plans=[DEHONG], corpus=corpus)
    taken = tmp_path / "taken"
    taken.mkdir()
    (taken / "notes.txt").write_text("mine")
    done = cli("report", "--plan", DEHONG, "--plan", SIB, "--build-dir", out.parent / "build", "--data-dir",
               out.parent / "plans", "--output-dir", taken)
    assert done.exit_code == 2 and done.stderr.startswith("Error: ") and done.stderr.count("\n") == 1, done.output
    assert "not an earlier report" in done.stderr
    assert [p.name for p in taken.iterdir()] == ["notes.txt"] and not list(tmp_path.glob(".taken*"))
