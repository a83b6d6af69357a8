"""Commands of the yearly reporting round: ``forms`` (a form per unit) and ``progress add`` (the replies kept).

Exit codes: 0 done, 2 unusable input (an unknown plan, unit or year, a faulty form: nothing is stored), or a
folder or store that cannot be written.
"""

from __future__ import annotations

from pathlib import Path

import click

from .main import main
from .options import (build_dir_option, corpus_for, no_output_file, output_dir_option, plan_option, rebuild_option,
                      store_option)


@main.command("forms")
@plan_option()
@click.option("--year", type=int, required=True, help="The plan year the forms ask about.")
@click.option("--unit", help="Only this unit's form (any name the registry knows).")
@output_dir_option(required=True,
                   help="Folder to write the forms to (created when missing; forms of the same year are replaced).")
@no_output_file("--output-dir")
@store_option
@rebuild_option
@build_dir_option
def forms_command(plan: str, year: int, unit: str | None, output_dir: Path, store_dir: Path | None, rebuild: bool,
                  build_dir: Path) -> None:
    """Write a progress form for each unit with something due in --year: XLSX and CSV, one row per task.

    Example: antitraffick-kg forms --year 2024 --output-dir forms-2024
    """
    from ..report.forms import write_forms

    corpus = corpus_for(store_dir, build_dir=build_dir, plans=(plan,), rebuild=rebuild)
    result = write_forms(output_dir, year=year, plan=plan, unit=unit, corpus=corpus)
    click.echo(result.summary())


@main.group("progress")
def progress_group() -> None:
    """The progress reports the units sent back, kept in the corpus store."""


@progress_group.command("add")
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@plan_option()
@click.option("--unit", help="Refuse a form that is not this unit's.")
@click.option("--year", type=int, help="Refuse a form that is not for this year.")
@store_option
@build_dir_option
def progress_add_command(files: tuple[Path, ...], plan: str, unit: str | None, year: int | None,
                         store_dir: Path | None, build_dir: Path) -> None:
    """Check filled forms (XLSX, or CSV in UTF-8 or GBK) and keep their reports in the corpus store.

    Example: antitraffick-kg progress add forms-2024/2024-womens-federation.xlsx
    """
    from ..report.progressstore import add_progress

    corpus_for(store_dir, build_dir=build_dir, plans=(plan,))          # the plan is there and fresh
    result = add_progress(files, store_dir=store_dir if store_dir is not None else build_dir / "store", plan=plan,
                          unit=unit, year=year)
    click.echo(result.summary())
