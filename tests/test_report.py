"""The report: files, numbers equal to the catalogue's answers, offline pages, and what a browser shows."""

from __future__ import annotations

import datetime as dt
import re
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import no_network, require

from antitraffick_kg.cli.main import main
from antitraffick_kg.report.progress import open_plan_store
from antitraffick_kg.ask.query import query
from antitraffick_kg.report import write_report

PLAN = "dehong-2022-2030"
EXAMPLE = Path(__file__).parent / "data" / "progress" / "example.csv"
AS_OF = dt.date(2024, 6, 30)
SECTIONS = ("overview", "matrix", "timeline", "progress", "network", "findings", "units")
CHARTS = ("charts/completion-areas.svg", "charts/completion-units.svg", "charts/network.svg", "charts/timeline.svg",
          "charts/workload.svg")
DOCUMENT_FINDINGS = 43
CHROMIUM = shutil.which("chromium")
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync"]


@pytest.fixture(scope="module")
def site(build_dir, tmp_path_factory):
    """The report on the plan with the example progress report, written with every network connection refused."""
    out = tmp_path_factory.mktemp("report") / "site"
    with no_network() as attempts:
        result = write_report(out, plan=PLAN, as_of=AS_OF, reports=[EXAMPLE], build_dir=build_dir)
    assert attempts == []
    return out, result


@pytest.fixture(scope="module")
def store(build_dir):
    return open_plan_store(plan=PLAN, build_dir=build_dir, reports=[EXAMPLE])


class _Dom(HTMLParser):
    """The elements of a page with their attributes and text, enough to read numbers and links back."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self.elements: list[tuple[str, dict[str, str], list[str]]] = []
        self._open: list[list[str]] = []
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        texts: list[str] = []
        self.elements.append((tag, {k: v or "" for k, v in attrs}, texts))
        if tag not in ("img", "link", "meta", "br"):
            self._open.append(texts)

    def handle_endtag(self, tag):
        if self._open and tag not in ("img", "link", "meta", "br"):
            self._open.pop()

    def handle_data(self, data):
        for texts in self._open:
            texts.append(data)

    def find(self, tag: str | None = None, **attrs: str):
        return [(t, a, "".join(x).strip()) for t, a, x in self.elements
                if (tag is None or t == tag) and all(a.get(k.replace("_", "-")) == v for k, v in attrs.items())]

    def with_attr(self, name: str):
        return [(t, a, "".join(x).strip()) for t, a, x in self.elements if name in a]


def _matrix_numbers(dom: _Dom) -> dict[str, dict[str, str]]:
    """unit -> {leads, supports, tasks} read from the matrix rows (each row: a data-unit row, then its cells)."""
    numbers: dict[str, dict[str, str]] = {}
    current = None
    for tag, attrs, text in [(t, a, "".join(x).strip()) for t, a, x in dom.elements]:
        if tag == "tr" and "data-unit" in attrs:
            current = numbers.setdefault(attrs["data-unit"], {})
        elif tag == "td" and "data-col" in attrs and current is not None:
            current[attrs["data-col"]] = text
    return numbers


def _workload(store) -> dict[str, dict[str, str]]:
    return {r["unit"]: {"leads": r["leads"], "supports": r["supports"], "tasks": r["tasks"]}
            for r in query("unit-workload", store=store) if r["tasks"] != "0"}


# -- files and numbers ------------------------------------------------------------------------
def _findings(store) -> int:
    """The audit's findings on the plan and, as of the day, on the example's reports."""
    from antitraffick_kg.check.audit import progress_findings

    on_reports = len(progress_findings(store.store, as_of=AS_OF))
    assert on_reports > 0
    return DOCUMENT_FINDINGS + on_reports


def test_the_site_has_every_page_and_chart(site, store):
    out, result = site
    assert (out / "index.html").is_file() and (out / "index.md").is_file() and (out / "source.html").is_file()
    assert result.charts == CHARTS
    assert (out / "units" / "womens-federation.html").is_file() and (out / "units" / "womens-federation.md").is_file()
    assert (out / "ontology" / "index.html").is_file()
    assert result.units == len(list((out / "units").glob("*.html"))) == 39
    assert result.findings == _findings(store)


def test_the_matrix_totals_are_the_catalogues_answers(site, store):
    dom = _Dom((site[0] / "index.html").read_text(encoding="utf-8"))
    assert _matrix_numbers(dom) == _workload(store)


def test_the_matrix_shows_where_the_parts_disagree(site):
    dom = _Dom((site[0] / "index.html").read_text(encoding="utf-8"))
    row = False
    cells = {}
    for tag, attrs, text in [(t, a, "".join(x).strip()) for t, a, x in dom.elements]:
        if tag == "tr" and "data-unit" in attrs:
            row = attrs["data-unit"] == "州妇联"
        elif row and tag == "a" and "data-task" in attrs:
            cells[attrs["data-task"]] = (text, attrs["class"], attrs["data-roles"], attrs["href"])
    # 四(四)4: support in the narrative (line 89), lead in the table (line 250)
    assert cells["4.4.4"] == ("S/L", "cell differs", "narrative:support table:lead", "source.html#L89")
    assert cells["7.6"][:3] == ("S", "cell support", "narrative:support table:support")


def test_every_unit_page_lists_what_the_catalogue_answers(site, store):
    out, _ = site
    workload = _workload(store)
    for page in sorted((out / "units").glob("*.html")):
        dom = _Dom(page.read_text(encoding="utf-8"))
        name = dom.find("h1")[0][2]
        counts = {a["data-count"]: text for _, a, text in dom.with_attr("data-count")}
        assert {k: counts[k] for k in ("leads", "supports", "tasks")} == workload[name], name
        for role in ("lead", "support"):
            listed = [a["data-task"] for _, a, _ in dom.find("li", data_role=role)]
            expected = sorted({r["task"] for r in query("tasks-by-unit", params={"unit": name, "role": role},
                                                        store=store)}, key=lambda t: [int(p) for p in t.split(".")])
            assert listed == expected, (name, role)
        partners = {a["data-partner"]: text.rsplit(":", 1)[-1].strip() for _, a, text in dom.with_attr("data-partner")}
        assert partners == {r["partner"]: r["tasks"] for r in query("unit-partners", params={"unit": name},
                                                                      store=store)}, name


def test_a_unit_page_gives_the_state_as_of_the_day(site):
    html = (site[0] / "units" / "womens-federation.html").read_text(encoding="utf-8")
    assert "德宏州妇女联合会 · 群团组织 mass organisation" in html     # the kind, labelled by the ontology
    # example rows 2, 3 and 9: 4.4.4 done for 2022 and 2023, 4.2.1 not applicable for 2022
    assert re.search(r'<tr class="done"><td>2023-12-31</td><td>4\.4\.4 留守妇女儿童</td>', html)
    assert re.search(r'<tr class="not-applicable"><td>2022-12-31</td><td>4\.2\.1 娱乐场所</td>', html)
    assert re.search(r'<tr class="due"><td>2024-12-31</td><td>7\.1 公益宣传</td><td>recurring</td>', html)
    assert re.search(r'<tr class="future"><td>2030-12-31</td>', html)


def test_every_fact_links_to_a_line_of_the_source(site):
    out, _ = site
    source = _Dom((out / "source.html").read_text(encoding="utf-8"))
    anchors = {a["id"] for _, a, _ in source.find("li") if "id" in a}
    lines = (Path(__file__).parent.parent / "data" / PLAN / "source.txt").read_text(encoding="utf-8").splitlines()
    assert len(anchors) == len(lines)
    for page in [out / "index.html", *sorted((out / "units").glob("*.html"))]:
        for _, attrs, _ in _Dom(page.read_text(encoding="utf-8")).find("a"):
            target = attrs.get("href", "")
            if "source.html#" in target:
                assert target.split("#", 1)[1] in anchors, (page.name, target)


def test_the_pages_need_nothing_from_the_network(site):
    out, _ = site
    for page in out.rglob("*"):
        if page.suffix not in (".html", ".css", ".svg"):
            continue
        text = page.read_text(encoding="utf-8")
        loads = re.findall(r'<(?:script|img|link|iframe)\b[^>]*(?:src|href)="([^"]*)"', text)
        loads += re.findall(r"url\(\s*['\"]?([^)'\"]+)", text) + re.findall(r"@import\s+['\"]([^'\"]+)", text)
        remote = [u for u in loads if re.match(r"(https?:)?//", u) and "w3.org/2000/svg" not in u]
        assert remote == [], (page, remote)


def test_charts_draw_chinese_as_outlines(site):
    out, _ = site
    for chart in (out / "charts").glob("*.svg"):
        svg = chart.read_text(encoding="utf-8")
        assert "<text" not in svg, chart.name       # every glyph is a path: no font needed to show it
        assert svg.count("<path") > 50
    assert "2022" in (out / "index.md").read_text(encoding="utf-8")


def test_the_markdown_says_the_same(site, store):
    out, _ = site
    md = (out / "index.md").read_text(encoding="utf-8")
    for heading in ("责任矩阵 Responsibility matrix", "时间进度 Timeline", "协作网络 Collaboration network",
                    "审核发现 Audit findings", "单位 Units"):
        assert f"## {heading}" in md
    for unit, n in _workload(store).items():
        assert re.search(rf"\| \[{re.escape(unit)}\]\(units/[a-z0-9-]+\.md\) \| {n['leads']} \| {n['supports']} "
                         rf"\| {n['tasks']} \|", md), unit
    assert "每年2月15日前向本级联席会议办公室报告上一年度工作情况" in md


def test_the_ontology_documentation_has_both_languages(site):
    docs = (site[0] / "ontology" / "index.html").read_text(encoding="utf-8")
    assert "atk:ProgressReport" in docs and "atk:Task" in docs
    assert "进度报告" in docs and "progress report" in docs


# -- the command ---------------------------------------------------------------------------
def test_report_command_writes_and_replaces_only_a_report(tmp_path, build_dir):
    runner = CliRunner()
    out = tmp_path / "site"
    ok = runner.invoke(main, ["report", "--output-dir", str(out), "--build-dir", str(build_dir), "--as-of", "2023-01-01"])
    assert ok.exit_code == 0, ok.output
    assert ok.output.startswith(f"wrote {out}/index.html") and f"{len(CHARTS)} charts" in ok.output
    again = runner.invoke(main, ["report", "--output-dir", str(out), "--build-dir", str(build_dir)])
    assert again.exit_code == 0
    assert "as of " + dt.date.today().isoformat() in (out / ".antitraffick-report").read_text()
    other = tmp_path / "mine"
    other.mkdir()
    (other / "notes.txt").write_text("keep")
    refused = runner.invoke(main, ["report", "--output-dir", str(other), "--build-dir", str(build_dir)])
    assert refused.exit_code == 2 and refused.stderr.startswith(f"Error: {other}: exists and is not an earlier")
    assert [p.name for p in other.iterdir()] == ["notes.txt"]


def test_a_faulty_progress_report_writes_nothing(tmp_path, build_dir):
    bad = tmp_path / "bad.csv"
    bad.write_text(EXAMPLE.read_text(encoding="utf-8").replace("2023-10-01", "2023-10-41"), encoding="utf-8")
    out = tmp_path / "site"
    result = CliRunner().invoke(main, ["report", "--output-dir", str(out), "--reports", str(bad), "--build-dir", str(build_dir)])
    assert result.exit_code == 2
    assert result.stderr == f"Error: {bad}:8: report_date '2023-10-41' is not a date YYYY-MM-DD\n"
    assert not out.exists() and [p.name for p in tmp_path.iterdir()] == ["bad.csv"]


# -- as a person sees it ---------------------------------------------------------------------------
def _chromium(tmp_path: Path, url: str, *args: str) -> subprocess.CompletedProcess:
    require(CHROMIUM is not None, "Debian's chromium package (apt-get install chromium)")
    profile = tmp_path / f"profile-{len(list(tmp_path.glob('profile-*')))}"
    return subprocess.run([CHROMIUM, *CHROMIUM_FLAGS, f"--user-data-dir={profile}", *args, url],
                          capture_output=True, text=True, timeout=120, check=True)


def test_chromium_shows_the_sections_charts_and_the_catalogues_numbers(site, store, tmp_path):
    out, _ = site
    index = (out / "index.html").as_uri()
    shot = tmp_path / "index.png"
    _chromium(tmp_path, index, "--window-size=1400,2000", f"--screenshot={shot}")
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and shot.stat().st_size > 50_000
    dom = _Dom(_chromium(tmp_path, index, "--dump-dom").stdout)
    assert {a["id"] for _, a, _ in dom.find("section") if "id" in a} == set(SECTIONS)
    assert len(dom.find("img", **{"class": "chart"})) == len(CHARTS)
    assert _matrix_numbers(dom) == _workload(store)
    counts = {a["data-count"]: text for _, a, text in dom.with_attr("data-count")}
    assert counts["tasks"] == "56" and counts["findings"] == str(_findings(store))

    page = _Dom(_chromium(tmp_path, (out / "units" / "womens-federation.html").as_uri(), "--dump-dom").stdout)
    counts = {a["data-count"]: text for _, a, text in page.with_attr("data-count")}
    assert {k: counts[k] for k in ("leads", "supports", "tasks")} == _workload(store)["州妇联"]
    leads = [a["data-task"] for _, a, _ in page.find("li", data_role="lead")]
    assert leads == sorted({r["task"] for r in query("tasks-by-unit", params={"unit": "州妇联", "role": "lead"},
                                                     store=store)})


def test_without_a_chinese_font_the_report_says_what_to_install(tmp_path, build_dir, monkeypatch):
    from antitraffick_kg.errors import AntitraffickKGError
    from antitraffick_kg.report import charts

    monkeypatch.setattr(charts, "CJK_FONTS", ("No Such Font",))
    with pytest.raises(AntitraffickKGError, match="fonts-noto-cjk"):
        write_report(tmp_path / "site", plan=PLAN, as_of=AS_OF, build_dir=build_dir)
    assert not (tmp_path / "site").exists()


def test_the_ontology_pages_are_made_once_per_process_and_again_when_their_folder_is_gone(tmp_path):
    import filecmp

    import antitraffick_kg.report as report
    from antitraffick_kg.report import write_ontology_docs

    write_ontology_docs(tmp_path / "first")
    made = set(report._ONTOLOGY_PAGES.values())
    write_ontology_docs(tmp_path / "second")
    assert set(report._ONTOLOGY_PAGES.values()) == made and len(made) == 1
    same = filecmp.dircmp(tmp_path / "first", tmp_path / "second")
    assert (tmp_path / "second" / "index.html").stat().st_size > 10_000 and not same.diff_files
    assert "atk:Task" in (tmp_path / "second" / "index.html").read_text(encoding="utf-8")
    shutil.rmtree(next(iter(made)))              # a temporary folder cleaned away while the process runs
    write_ontology_docs(tmp_path / "third")
    again = set(report._ONTOLOGY_PAGES.values())
    assert (tmp_path / "third" / "index.html").is_file() and again != made and all(p.is_dir() for p in again)
