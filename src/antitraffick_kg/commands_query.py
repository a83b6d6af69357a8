"""Commands that ask questions of the plan."""

from __future__ import annotations

from pathlib import Path

import click

from .cli import main
from .importer import DEFAULT_PLAN
from .query import OUTPUT_FORMATS


@main.command("query")
@click.argument("name")
@click.option("--plan", default=DEFAULT_PLAN, show_default=True, help="Plan id under data/.")
@click.option("-f", "--format", "fmt", type=click.Choice(OUTPUT_FORMATS), default="table", show_default=True)
@click.option("--build-dir", type=click.Path(file_okay=False, path_type=Path), default=Path("build"),
              show_default=True, help="Where 'build' wrote the plan (used when fresh).")
def query_command(name: str, plan: str, fmt: str, build_dir: Path) -> None:
    """Run catalogue query NAME (or a .rq FILE) and print the rows."""
    from .query import format_rows, query

    columns, rows = query(name, plan=plan, build_dir=build_dir)
    click.echo(format_rows(columns, rows, fmt), nl=False)


@main.command("queries")
def queries_command() -> None:
    """List the query catalogue with descriptions and parameters."""
    from .catalogue import catalogue

    for q in catalogue():
        click.echo(f"{q.name}: {q.title}")
        click.echo(f"    {q.description}")
        click.echo(f"    parameters: {q.parameters or 'none'}")
        click.echo(f"    columns: {q.columns}")
