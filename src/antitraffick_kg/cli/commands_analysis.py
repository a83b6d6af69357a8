"""Commands for analysts: ``status`` (obligations as of a day) and ``report`` (a static site).

Exit codes: 0 done, 2 unusable input (an unknown plan, unit or date, a faulty progress report, an output folder
that cannot be written).
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from .main import main
from ..errors import InputError
from .options import (as_of_option, build_dir_option, chosen_plans, corpus_for, day, format_option, no_output_file,
                      output_dir_option, output_option, plans_option, rebuild_option, store_option)

_REPORTS = click.option("--reports", "reports", multiple=True, type=click.Path(path_type=Path), metavar="FILE",
                        help="A progress report CSV (plan,task,unit,year,status,note,report_date,reporter) not "
                             "kept in the store; repeat for several. The reports kept with 'progress add' always "
                             "count.")


@main.command("status")
@plans_option()
@as_of_option(help="The day to look from (or today); the output says the day used.")
@click.option("--unit", help="Only this unit (any name the registry knows).")
@_REPORTS
@format_option(("table", "json", "xlsx"), default="table",
               help="table, json, or xlsx (a workbook; needs -o, and is taken for an -o ending in .xlsx).")
@output_option()
@store_option
@rebuild_option
@build_dir_option
def status_command(plans: tuple[str, ...], all_plans: bool, data_dir: Path | None, as_of: str, unit: str | None,
                   reports: tuple[Path, ...], fmt: str, output: Path | None, store_dir: Path | None, rebuild: bool,
                   build_dir: Path) -> None:
    """Per task and unit: what falls due by the end of the year of --as-of, and whether it is done, late or unreported.

    The reports kept in the store (progress add) count, with those of --reports files.  Several --plan, or
    --all-plans, give each plan's status in turn (a JSON array with -f json; a workbook holds one plan).

    Example: antitraffick-kg status --as-of 2024-06-30 --unit 州妇联 --reports progress.csv
    """
    from ..report.progress import status

    if fmt == "table" and output is not None and output.suffix.lower() == ".xlsx":
        fmt = "xlsx"
    if fmt == "xlsx" and output is None:
        raise InputError("-f xlsx writes a workbook: name it with -o FILE.xlsx")
    when = day(as_of)
    corpus = corpus_for(store_dir, build_dir=build_dir, plans=plans, rebuild=rebuild, all_plans=all_plans,
                        data_dir=data_dir)
    chosen = chosen_plans(corpus, plans, all_plans=all_plans)
    if fmt == "xlsx" and len(chosen) > 1:
        raise click.UsageError(f"-f xlsx writes one plan's workbook; {len(chosen)} plans were asked for: give one "
                               "--plan, or -f json or table")
    results = [status(as_of=when, plan=plan, unit=unit, reports=reports, corpus=corpus) for plan in chosen]
    if fmt == "xlsx":
        from ..report.forms import status_xlsx

        data = status_xlsx(results[0])
    elif fmt == "json":
        import json

        data = (results[0].to_json() if len(results) == 1 else json.dumps(
            [json.loads(r.to_json()) for r in results], ensure_ascii=False, indent=2) + "\n").encode("utf-8")
    else:
        data = "\n".join(r.to_text() for r in results).encode("utf-8")
    if output is None:
        sys.stdout.write(data.decode("utf-8"))
    else:
        from ..store.export import write_atomic

        write_atomic(output, data)


@main.command("report")
@plans_option()
@as_of_option(help="The day the states are given for (or today); the output says the day used.")
@_REPORTS
@output_dir_option(required=True,
                   help="Folder to write the site to (new, empty, or an earlier report, which is replaced).")
@no_output_file("--output-dir")
@store_option
@rebuild_option
@build_dir_option
def report_command(plans: tuple[str, ...], all_plans: bool, data_dir: Path | None, as_of: str,
                   reports: tuple[Path, ...], output_dir: Path, store_dir: Path | None, rebuild: bool,
                   build_dir: Path) -> None:
    """Write a static site (HTML and Markdown): matrix, timeline, progress, network, audit findings, a page per
    unit, the source text and the ontology's documentation.  Several --plan, or --all-plans, write each plan's
    site into its own folder, DIR/<plan>/, and DIR/index.html (and index.md) comparing them: the Yunnan and
    national measures each plan implements, who has each unit function, deadlines by year, audit findings.

    Example: antitraffick-kg report --as-of 2024-06-30 --reports progress.csv --output-dir site
    """
    from ..report import write_report

    when = day(as_of)
    corpus = corpus_for(store_dir, build_dir=build_dir, plans=plans, rebuild=rebuild, all_plans=all_plans,
                        data_dir=data_dir)
    chosen = chosen_plans(corpus, plans, all_plans=all_plans)
    if all_plans:                   # each report quotes its plan's text: the folder, in the workspace or bundled
        from ..resources import find_plan

        chosen = tuple(find_plan(p, data_dir=data_dir) for p in chosen)
    if len(chosen) == 1:
        written = [write_report(output_dir, plan=chosen[0], as_of=when, reports=reports, corpus=corpus)]
    else:
        from ..report.compare import write_comparison

        compared = write_comparison(output_dir, plans=chosen, as_of=when, reports=reports, corpus=corpus)
        written = list(compared.reports)
    for result in written:
        click.echo(f"wrote {result.out_dir}/index.html (and index.md) as of {when.isoformat()}: "
                   f"{len(result.pages)} pages, {len(result.charts)} charts, {result.units} units, "
                   f"{result.findings} audit findings")
    if len(chosen) > 1:
        click.echo(f"wrote {compared.out_dir}/index.html (and index.md): {len(chosen)} plans compared by "
                   f"{compared.measures} upper measures, {compared.functions} unit functions, deadlines in "
                   f"{compared.years} years and the audit findings")
