"""The report's pages: HTML from the templates beside this file, and the same content as Markdown."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from .facts import Facts, TaskFacts

__all__ = ["html_pages", "markdown_pages", "md_table", "PART_NAMES"]

PART_NAMES = {"narrative": "实施方案 narrative scheme", "table": "年度实施方案 annual table"}
_MARK = {"lead": "L", "support": "S"}


def _cell(task: TaskFacts, unit: str) -> dict | None:
    """How the matrix shows a unit in a task: mark, class, the roles by part and the source line."""
    parts = task.cell(unit)
    if not parts:
        return None
    roles = {part: s.role for part, s in parts.items()}
    first = parts.get("narrative") or parts["table"]
    title = "; ".join(f"{PART_NAMES[p]}: {r} — line {parts[p].line}: {parts[p].quote}"
                      for p, r in sorted(roles.items()))
    roles_text = " ".join(f"{p}:{r}" for p, r in sorted(roles.items()))
    if len(set(roles.values())) > 1:
        return {"mark": f"{_MARK[roles['narrative']]}/{_MARK[roles['table']]}", "cls": "differs", "title": title,
                "line": first.line, "roles": roles_text}
    role = next(iter(roles.values()))
    if len(roles) == 1:
        return {"mark": _MARK[role] + "¹", "cls": f"{role} one-part", "title": title, "line": first.line,
                "roles": roles_text}
    return {"mark": _MARK[role], "cls": role, "title": title, "line": first.line, "roles": roles_text}


def _recurring(facts: Facts) -> list[dict]:
    seen: dict[tuple, dict] = {}
    for u in facts.units:
        for o in u.obligations:
            if o.kind != "recurring":
                continue
            key = (o.task, o.unit, o.line, o.quote, o.due.strftime("%m-%d"))
            entry = seen.setdefault(key, {"task": o.task, "title": o.title, "unit": o.unit, "first": o.year,
                                          "until": o.year, "due": o.due.strftime("%m-%d"), "line": o.line,
                                          "quote": o.quote})
            entry["first"], entry["until"] = min(entry["first"], o.year), max(entry["until"], o.year)
    return sorted(seen.values(), key=lambda d: (d["task"], d["first"], d["unit"]))


def _context(facts: Facts, *, root: str, version: str) -> dict:
    c = facts.status.counts()
    return {"plan": facts.plan, "as_of": facts.as_of.isoformat(), "as_of_year": facts.as_of.year, "root": root,
            "version": version, "part_names": PART_NAMES,
            "reports": f"{facts.status.reports} 项已报告 task-unit-years reported" if facts.status.reports
            else "无进度报告 no progress reports", "counts": c}


def _unit_rows(facts: Facts, name: str):
    u = facts.unit(name)
    roles: dict[str, list] = {"lead": [], "support": []}
    for t in facts.tasks:
        parts = t.cell(name)
        for role in roles:
            stated = [s for s in parts.values() if s.role == role]
            if stated:
                roles[role].append((t, sorted(stated, key=lambda s: s.part)))
    status = {(r.task, r.year, r.kind, r.due, r.line): r for r in facts.status.rows if r.unit == name}
    due = [(o, status.get((o.task, o.year, o.kind, o.due.isoformat(), o.line))) for o in u.obligations]
    return u, roles, due, [r for r in facts.status.rows if r.unit == name]


def html_pages(facts: Facts, *, version: str, sha256: str, origins: dict | None = None,
               original: str | None = None) -> dict[str, str]:
    """Relative path -> HTML text of every page.

    ``origins`` (line -> :class:`~antitraffick_kg.plan.documents_model.Origin`) and ``original`` (the original's
    file name in the report): for a plan read from a Word file, PDF, scan or web page, each line of the source
    page links to its place in the original (its page, for a PDF or a scan).
    """
    from jinja2 import Environment, FileSystemLoader, select_autoescape

    env = Environment(loader=FileSystemLoader(Path(__file__).parent / "templates"),
                      autoescape=select_autoescape(["html"]), keep_trailing_newline=True)
    pages = {"index.html": env.get_template("index.html").render(
        **_context(facts, root="", version=version), tasks=facts.tasks, units=facts.units, cell=_cell,
        recurring=_recurring(facts), edges=facts.edges, findings=facts.findings,
        obligations=len(facts.status.rows), late_per_unit=facts.status.late_by_unit())}
    pages["source.html"] = env.get_template("source.html").render(
        **_context(facts, root="", version=version), lines=facts.source_lines, sha256=sha256,
        origins=origins or {}, original=original)
    unit_page = env.get_template("unit.html")
    for u in facts.units:
        _, roles, due, status_rows = _unit_rows(facts, u.name)
        pages[f"units/{u.slug}.html"] = unit_page.render(**_context(facts, root="../", version=version), u=u,
                                                         roles=roles, due=due, status_rows=status_rows)
    pages["style.css"] = (Path(__file__).parent / "templates" / "style.css").read_text(encoding="utf-8")
    return pages


def md_table(header: list[str], rows: list[list[str]]) -> str:
    """A Markdown table; ``|`` and line breaks in a value are escaped."""

    def esc(v: object) -> str:
        return str(v).replace("|", "\\|").replace("\n", " ")

    out = ["| " + " | ".join(map(esc, header)) + " |", "|" + "---|" * len(header)]
    out += ["| " + " | ".join(map(esc, r)) + " |" for r in rows]
    return "\n".join(out) + "\n"


def markdown_pages(facts: Facts, *, version: str) -> dict[str, str]:
    """The same content as Markdown: ``index.md`` and one page per unit."""
    ctx = _context(facts, root="", version=version)
    c = ctx["counts"]
    link: Callable[[int | None], str] = lambda line: f"[line {line}](source.html#L{line})" if line else ""
    md = [f"# {facts.plan['title']}\n", f"{facts.plan['title_en']}\n",
          f"{facts.plan['number']} · {facts.plan['from']}–{facts.plan['until']} · as of {ctx['as_of']} · "
          f"{ctx['reports']}\n",
          f"{len(facts.tasks)} tasks, {len(facts.units)} units named, {len(facts.findings)} audit findings; "
          f"obligations due by the end of {facts.as_of.year}: {c['late']} late, {c['due']} due, {c['done']} done, "
          f"{c['not-applicable']} not applicable, {c['unreported']} unreported.\n",
          "## 责任矩阵 Responsibility matrix\n",
          "L lead, S support, X/Y narrative/table differ, ¹ one part only.\n"]
    rows = []
    for u in facts.units:
        marks = [(t.notation, _cell(t, u.name)) for t in facts.tasks]
        rows.append([f"[{u.name}](units/{u.slug}.md)", u.leads, u.supports, u.tasks,
                     ", ".join(f"{n} {m['mark']}" for n, m in marks if m)])
    md.append(md_table(["unit", "leads", "supports", "tasks", "tasks and roles"], rows))
    md += ["## 时间进度 Timeline\n", "![timeline](charts/timeline.svg)\n", "### Recurring duties\n",
           md_table(["task", "unit", "years", "due each year", "words"],
                     [[f"{d['task']} {d['title']}", d["unit"], f"{d['first']}–{d['until']}", d["due"],
                       f"{link(d['line'])}: “{d['quote']}”"] for d in _recurring(facts)]),
           "## 落实情况 Progress\n", "![completion by unit](charts/completion-units.svg)\n",
           "![completion by policy area](charts/completion-areas.svg)\n", "### 各单位逾期 Late per unit\n",
           md_table(["unit", "late", "obligations due"], [list(x) for x in facts.status.late_by_unit()]),
           "## 协作网络 Collaboration network\n", "![network](charts/network.svg)\n",
           "![workload](charts/workload.svg)\n",
           md_table(["unit", "unit", "shared tasks"], [[a, b, n] for a, b, n in facts.edges[:20]]),
           "## 审核发现 Audit findings\n"]
    for f in facts.findings:
        md.append(f"- **{f.kind}** {f.task or ''} {f.title or ''}: {f.message_zh} / {f.message}")
        md += [f"  - {PART_NAMES.get(p.part, p.part)} {link(p.line)}: “{(p.quote or '')[:160]}”" for p in f.places]
    md += ["", "## 单位 Units\n"] + [f"- [{u.name}](units/{u.slug}.md) {u.name_en}" for u in facts.units]
    pages = {"index.md": "\n".join(md) + "\n"}
    for u in facts.units:
        _, roles, due, status_rows = _unit_rows(facts, u.name)
        lines = [f"# {u.name}\n", f"{u.name_en} · {u.full_name} · {u.kind}\n",
                 f"{u.leads} leads, {u.supports} supports, {u.tasks} tasks; {len(status_rows)} obligations due by "
                 f"the end of {facts.as_of.year} (as of {ctx['as_of']}).\n"]
        for role, heading in (("lead", "负责 Leads"), ("support", "配合 Supports")):
            lines.append(f"## {heading}\n")
            lines += [f"- {t.notation} {t.title}: " + "; ".join(
                f"{PART_NAMES[s.part]} [line {s.line}](../source.html#L{s.line})" for s in parts)
                for t, parts in roles[role]] or ["- none"]
            lines.append("")
        lines += ["## 何时到期 What is due when\n", md_table(
            ["due", "task", "kind", "role", "reported", "state", "words"],
            [[o.due.isoformat(), f"{o.task} {o.title}", o.kind, o.role, s.reported if s else "",
              s.status if s else "", f"[line {o.line}](../source.html#L{o.line})"] for o, s in due])]
        lines += ["## 合作单位 Partners\n"] + [f"- {name}: {n}" for name, n in u.partners]
        pages[f"units/{u.slug}.md"] = "\n".join(lines) + "\n"
    return pages
