"""Commands that check a plan: ``validate`` (SHACL shapes) and ``audit`` (the document against itself).

Exit codes of ``validate``: 0 conforms (warnings allowed), 1 violations, 2 unusable input.
Exit codes of ``audit``: 0 done (findings are warnings; 1 with ``--strict`` when there are findings),
2 unusable input.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from ..formats import RdfFormat, ReportFormat, ShaclEngine, choices
from .main import main
from .options import (build_dir_option, corpus_for, format_option, max_size_option, output_option, plan_option,
                      rebuild_option, store_option)

_FILES = click.argument("files", nargs=-1, type=click.Path(path_type=Path))
_PLAN = plan_option()
_FORMAT = format_option(choices(ReportFormat), default="text",
                        help="text: readable, grouped by task; json: stable machine-readable.")
_OUTPUT = output_option(help="File to write the report to (default: standard output).")
_INPUT_FORMAT = click.option("--input-format", type=click.Choice(choices(RdfFormat)),
                             help="RDF format of the FILEs (default: from the file extension).")
_MAX_SIZE = max_size_option(default=512, what="a FILE")


def _check_output(output: Path | None) -> None:
    if output is not None:
        from ..store.export import check_writable

        check_writable(output)


def _emit(text: str, output: Path | None) -> None:
    if output is None:
        sys.stdout.write(text)
    else:
        from ..store.export import write_atomic

        write_atomic(output, text.encode("utf-8"))


def _READING(command):
    """The options validate and audit share after their own: output, the input and where the plan is read."""
    for option in reversed((_FORMAT, _OUTPUT, _INPUT_FORMAT, store_option, rebuild_option, build_dir_option,
                            _MAX_SIZE)):
        command = option(command)
    return command


@main.command("validate")
@_FILES
@_PLAN
@click.option("--engine", type=click.Choice(choices(ShaclEngine)), default="oxigraph", show_default=True,
              help="oxigraph: the fast path (shapes compiled to SPARQL); pyshacl: the reference (same results, "
                   "far slower).")
@_READING
@click.pass_context
def validate_command(ctx: click.Context, files: tuple[Path, ...], plan: str, engine: str, fmt: str,
                     output: Path | None, input_format: str | None, store_dir: Path | None, rebuild: bool,
                     build_dir: Path, max_size: int) -> None:
    """Check the built plan, or RDF FILEs (Turtle, N-Triples, TriG, N-Quads, JSON-LD), against the ontology
    and the SHACL shapes.

    Exit 0 when the graph conforms (warnings allowed), 1 when there are violations, 2 when an input cannot be
    used (missing file, syntax error reported as file:line:column, unknown format).
    """
    from ..check.validate import validate

    _check_output(output)
    corpus = None if files else corpus_for(store_dir, build_dir=build_dir, plans=(plan,), rebuild=rebuild)
    result = validate(files, plan=plan, engine=engine, input_format=input_format, max_bytes=max_size * 2**20,
                      corpus=corpus)
    _emit(result.to_json() if fmt == "json" else result.text, output)
    ctx.exit(0 if result.conforms else 1)


@main.command("audit")
@_FILES
@_PLAN
@_READING
@click.option("--strict", is_flag=True, help="Exit 1 when there is any finding.")
@click.pass_context
def audit_command(ctx: click.Context, files: tuple[Path, ...], plan: str, fmt: str, output: Path | None,
                  input_format: str | None, store_dir: Path | None, rebuild: bool, build_dir: Path, max_size: int,
                  strict: bool) -> None:
    """List, as warnings quoting both places, where the narrative scheme and the annual table disagree (lists,
    units in one part only, role changes), units listed twice, spelling variants and numbering anomalies.

    The checks are the SPARQL queries under queries/checks/. Exit 0 (1 with --strict when there are findings),
    2 when an input cannot be used.
    """
    from ..check.audit import audit

    _check_output(output)
    corpus = None if files else corpus_for(store_dir, build_dir=build_dir, plans=(plan,), rebuild=rebuild)
    result = audit(files, plan=plan, input_format=input_format, max_bytes=max_size * 2**20, corpus=corpus)
    _emit(result.to_json() if fmt == "json" else result.text, output)
    ctx.exit(1 if strict and result.findings else 0)
