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
from .options import (build_dir_option, chosen_plans, corpus_for, engine_option, format_option, max_size_option,
                      output_option, plans_option, rebuild_option, several, store_option)

_FILES = click.argument("files", nargs=-1, type=click.Path(path_type=Path))
_PLANS = plans_option(all_plans_help="Every plan in the corpus store (instead of --plan).")
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
@_PLANS
@engine_option(choices(ShaclEngine), reference="pyshacl", fast="the shapes compiled to SPARQL",
               slow="far slower")
@_READING
@click.pass_context
def validate_command(ctx: click.Context, files: tuple[Path, ...], plans: tuple[str, ...], all_plans: bool,
                     data_dir: Path | None, engine: str, fmt: str, output: Path | None, input_format: str | None,
                     store_dir: Path | None, rebuild: bool, build_dir: Path, max_size: int) -> None:
    """Check the built plan, or RDF FILEs (Turtle, N-Triples, TriG, N-Quads, JSON-LD), against the ontology
    and the SHACL shapes.

    Several --plan, or --all-plans, are validated together in batches (one report naming the plans).
    Exit 0 when the graph conforms (warnings allowed), 1 when there are violations, 2 when an input cannot be
    used (missing file, syntax error reported as file:line:column, unknown format).
    """
    from ..check.validate import validate

    _check_output(output)
    _files_or_plans(ctx, files)
    corpus, plan = None, plans[0] if plans else None
    if not files:
        corpus = corpus_for(store_dir, build_dir=build_dir, plans=plans, rebuild=rebuild, all_plans=all_plans,
                            data_dir=data_dir)
        chosen = chosen_plans(corpus, plans, all_plans=all_plans)
        if len(chosen) > 1:                 # every plan of the narrowed corpus, in batches
            corpus, plan = several(corpus, chosen), None
        else:
            plan = chosen[0]
    result = validate(files, plan=plan, engine=engine, input_format=input_format, max_bytes=max_size * 2**20,
                      corpus=corpus)
    _emit(result.to_json() if fmt == "json" else result.text, output)
    ctx.exit(0 if result.conforms else 1)


@main.command("audit")
@_FILES
@_PLANS
@_READING
@click.option("--strict", is_flag=True, help="Exit 1 when there is any finding.")
@click.pass_context
def audit_command(ctx: click.Context, files: tuple[Path, ...], plans: tuple[str, ...], all_plans: bool,
                  data_dir: Path | None, fmt: str, output: Path | None, input_format: str | None,
                  store_dir: Path | None, rebuild: bool, build_dir: Path, max_size: int, strict: bool) -> None:
    """List, as warnings quoting both places, where the narrative scheme and the annual table disagree (lists,
    units in one part only, role changes), units listed twice, spelling variants and numbering anomalies.

    The checks are the SPARQL queries under queries/checks/; several --plan, or --all-plans, are audited one
    plan after the other (a JSON array of the reports with -f json). Exit 0 (1 with --strict when there are
    findings), 2 when an input cannot be used.
    """
    import json

    from ..check.audit import audit

    _check_output(output)
    _files_or_plans(ctx, files)
    if files:
        results = [audit(files, input_format=input_format, max_bytes=max_size * 2**20)]
    else:
        corpus = corpus_for(store_dir, build_dir=build_dir, plans=plans, rebuild=rebuild, all_plans=all_plans,
                            data_dir=data_dir)
        results = [audit(plan=plan, corpus=corpus) for plan in chosen_plans(corpus, plans, all_plans=all_plans)]
    if fmt == "json":
        text = results[0].to_json() if len(results) == 1 else json.dumps(
            [json.loads(r.to_json()) for r in results], ensure_ascii=False, indent=2) + "\n"
    else:
        text = "\n".join(r.text for r in results)
    _emit(text, output)
    ctx.exit(1 if strict and any(r.findings for r in results) else 0)


def _files_or_plans(ctx: click.Context, files: tuple[Path, ...]) -> None:
    """FILEs are checked on their own: a --plan or --all-plans given with them would be ignored, so it is an error."""
    given = [f"--{p.replace('_', '-')}" for p in ("plans", "all_plans")
             if ctx.get_parameter_source(p) is click.core.ParameterSource.COMMANDLINE]
    if files and given:
        raise click.UsageError(f"FILEs are checked on their own: {' and '.join(given).replace('--plans', '--plan')} "
                               "would be ignored; give one or the other", ctx=ctx)
