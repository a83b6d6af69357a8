"""The ``reason`` command: consistency and inferred facts with HermiT."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from .main import main
from .options import build_dir_option, corpus_for, no_output_file, plan_option, rebuild_option, store_option


@main.command("reason")
@plan_option()
@click.option("--data", "data", multiple=True, type=click.Path(dir_okay=False, path_type=Path),
              help="Reason over these RDF files (with the ontology) instead of the plan; repeatable.")
@build_dir_option(help="The build folder: the plan is read from its corpus store (store/, unless --store says "
                       "otherwise) and the inferred graph is written here.")
@no_output_file("--build-dir")
@store_option
@rebuild_option
@click.option("--no-locate", is_flag=True, help="On inconsistency, do not narrow down the individuals at fault.")
def reason_command(plan: str, data: tuple[Path, ...], build_dir: Path, store_dir: Path | None, rebuild: bool,
                   no_locate: bool) -> None:
    """Check consistency with HermiT and write the inferred facts as their own graph.

    The plan is read from the corpus store (build it first, or add --rebuild); the inferred graph goes to the
    build folder and into the store. Exit 0 consistent, 1 inconsistent, 2 unusable input or no Java runtime.
    """
    from ..check.reason import reason
    from ..steps import terminal_progress
    from ..store.export import check_writable

    out_dir = build_dir
    corpus = None
    if not data:
        check_writable(out_dir, folder=True)         # an output that cannot be written is the first error
        corpus = corpus_for(store_dir, build_dir=out_dir, plans=(plan,), rebuild=rebuild)
    result = reason(plan=plan, data=list(data) or None, locate=not no_locate, corpus=corpus,
                    out_dir=None if data else out_dir, store=store_dir, progress=terminal_progress())
    click.echo(result.text)
    if result.consistent and not data:
        click.echo(f"inferred graph: {out_dir / (plan + '.inferred.nq')}")
    if not result.consistent:
        sys.exit(1)
