"""Commands for analysts: ``status`` (obligations as of a day) and ``report`` (a static site).

Exit codes: 0 done, 2 unusable input (an unknown plan, unit or date, a faulty progress report, an output folder
that cannot be written).
"""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import click

from .main import main
from ..errors import InputError
from .options import build_dir_option, corpus_for, output_option, plan_option, rebuild_option, store_option

_REPORTS = click.option("--reports", "reports", multiple=True, type=click.Path(path_type=Path), metavar="FILE",
                        help="A progress report CSV (plan,task,unit,year,status,note,report_date,reporter) not "
                             "kept in the store; repeat for several. The reports kept with 'progress add' always "
                             "count.")


def _day(value: str) -> dt.date:
    if value.lower() == "today":
        return dt.date.today()
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise InputError(f"--as-of '{value}' is not a date; give YYYY-MM-DD, or today") from None


@main.command("status")
@plan_option()
@click.option("--as-of", "as_of", required=True, metavar="YYYY-MM-DD", help="The day to look from (or today).")
@click.option("--unit", help="Only this unit (any name the registry knows).")
@_REPORTS
@click.option("-f", "--format", "fmt", type=click.Choice(["table", "json", "xlsx"]), default=None,
              help="table (the default), json, or xlsx (a workbook; needs -o, and is the default for an -o ending "
                   "in .xlsx).")
@output_option()
@store_option
@rebuild_option
@build_dir_option
def status_command(plan: str, as_of: str, unit: str | None, reports: tuple[Path, ...], fmt: str,
                   output: Path | None, store_dir: Path | None, rebuild: bool, build_dir: Path) -> None:
    """Per task and unit: what falls due by the end of the year of --as-of, and whether it is done, late or unreported.

    The reports kept in the store (progress add) count, with those of --reports files.

    Example: antitraffick-kg status --as-of 2024-06-30 --unit 州妇联 --reports progress.csv
    """
    from ..report.progress import status

    if fmt is None:
        fmt = "xlsx" if output is not None and output.suffix.lower() == ".xlsx" else "table"
    if fmt == "xlsx" and output is None:
        raise InputError("-f xlsx writes a workbook: name it with -o FILE.xlsx")
    day = _day(as_of)
    corpus = corpus_for(store_dir, build_dir=build_dir, plans=(plan,), rebuild=rebuild)
    result = status(as_of=day, plan=plan, unit=unit, reports=reports, corpus=corpus)
    if fmt == "xlsx":
        from ..report.forms import status_xlsx

        data = status_xlsx(result)
    else:
        data = (result.to_json() if fmt == "json" else result.to_text()).encode("utf-8")
    if output is None:
        sys.stdout.write(data.decode("utf-8"))
    else:
        from ..store.export import write_atomic

        write_atomic(output, data)


@main.command("report")
@plan_option()
@click.option("--as-of", "as_of", default="today", show_default=True, metavar="YYYY-MM-DD",
              help="The day the states are given for (or today).")
@_REPORTS
@output_option(folder=True, required=True,
               help="Folder to write the site to (new, empty, or an earlier report, which is replaced).")
@store_option
@rebuild_option
@build_dir_option
def report_command(plan: str, as_of: str, reports: tuple[Path, ...], output: Path, store_dir: Path | None,
                   rebuild: bool, build_dir: Path) -> None:
    """Write a static site (HTML and Markdown): matrix, timeline, progress, network, audit findings, a page per
    unit, the source text and the ontology's documentation.

    Example: antitraffick-kg report --as-of 2024-06-30 --reports progress.csv -o site
    """
    from ..report import write_report

    day = _day(as_of)
    corpus = corpus_for(store_dir, build_dir=build_dir, plans=(plan,), rebuild=rebuild)
    result = write_report(output, plan=plan, as_of=day, reports=reports, corpus=corpus)
    click.echo(f"wrote {result.out_dir}/index.html (and index.md): {len(result.pages)} pages, "
               f"{len(result.charts)} charts, {result.units} units, {result.findings} audit findings")
