"""Commands that ask questions of the plan: ``query`` and ``queries``."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from .main import main
from ..errors import QueryError
from .options import (allow_service_option, build_dir_option, corpus_for, engine_option, format_option,
                      inferred_option, output_option, plans_option, rebuild_option, several, store_option,
                      timeout_option)
from ..formats import AnswerFormat, ReportFormat, StoreKind, choices
from ..store.stores import ENV_PASSWORD, ENV_USER


def _params(pairs: tuple[str, ...]) -> dict[str, str]:
    params: dict[str, str] = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        if not sep or not name.strip():
            raise QueryError(f"--param takes NAME=VALUE, not '{pair}'")
        if name.strip() in params:
            raise QueryError(f"--param {name.strip()} given twice")
        params[name.strip()] = value
    return params


@main.command("query")
@click.argument("name")
@click.option("-p", "--param", "pairs", multiple=True, metavar="NAME=VALUE",
              help="A parameter value; repeat for several (see 'antitraffick-kg queries').")
@format_option(choices(AnswerFormat), default="table",
               help="Rows of a SELECT: table, csv, tsv or json; an ASK prints true or false; the triples of a "
                    "CONSTRUCT or DESCRIBE: turtle (also for table) or nt.")
@output_option()
@engine_option(choices(StoreKind), reference="rdflib", fast="straight from the corpus store",
               slow="the plan's graphs copied into rdflib")
@click.option("--endpoint", metavar="URL",
              help=f"Ask this SPARQL endpoint instead (credentials from {ENV_USER} and {ENV_PASSWORD}).")
@timeout_option(default=30.0, help="Seconds the query may take, on the embedded store or at --endpoint, SERVICE "
                                   "calls included; a query still running then is stopped with one line, exit 2.")
@allow_service_option(
    help="Let a SERVICE clause query this server (exact URL); repeatable. "
         "Without it, a query that names another server is refused.")
@plans_option(all_plans_help="Ask every plan in the corpus store (at --endpoint: every plan the server holds) "
                             "instead of --plan.", served_by="endpoint")
@store_option
@rebuild_option
@build_dir_option
@inferred_option(help="Add the facts 'antitraffick-kg reason' inferred.")
@click.pass_context
def query_command(ctx: click.Context, name: str, pairs: tuple[str, ...], fmt: str, output: Path | None, engine: str,
                  endpoint: str | None, timeout: float, allow_service: tuple[str, ...], plans: tuple[str, ...],
                  all_plans: bool, data_dir: Path | None, store_dir: Path | None, rebuild: bool, build_dir: Path,
                  inferred: bool) -> None:
    """Run catalogue query NAME (or a .rq FILE) and print the answer: the rows of a SELECT, true or false for
    an ASK, the triples of a CONSTRUCT or DESCRIBE (Turtle, or N-Triples with -f nt).

    With several --plan, or --all-plans, the question is asked of those plans together.

    Example: antitraffick-kg query tasks-by-unit -p unit=州妇联 -p role=support -p place=边境地区
    """
    from ..store.export import check_writable, write_atomic
    from ..ask.query import format_answer, query

    if endpoint is not None:        # the endpoint answers: an engine or a store asked for as well would be ignored
        given = [name for p, name in (("engine", "--engine"), ("store_dir", "--store"), ("rebuild", "--rebuild"))
                 if ctx.get_parameter_source(p) is click.core.ParameterSource.COMMANDLINE]
        if given:
            raise click.UsageError(f"--endpoint answers the query itself: {', '.join(given)} would be ignored; "
                                   "give one or the other", ctx=ctx)
        if len(plans) > 1:
            raise click.UsageError(f"--endpoint answers over the graphs its server holds: {len(plans)} --plan "
                                   "would not be honoured there; ask one plan, or --all-plans", ctx=ctx)
    if output is not None:
        check_writable(output)
    params = _params(pairs)

    def corpus():            # opened when a question needs it: mistakes in the query or its parameters come first
        opened = corpus_for(store_dir, build_dir=build_dir, plans=plans, rebuild=rebuild, inferred=inferred,
                            all_plans=all_plans, data_dir=data_dir)
        return several(opened, plans) if len(plans) > 1 else opened

    # one plan: its own question; several, or --all-plans: each plan's question, its rows led by plan and
    # jurisdiction; on an endpoint, a plan not named is the server's only plan (or the default one)
    named = ctx.get_parameter_source("plans") is click.core.ParameterSource.COMMANDLINE
    if all_plans:
        one, many = None, "all"
    elif len(plans) > 1:
        one, many = None, [str(p) for p in plans]
    else:
        one, many = (None if endpoint and not named else plans[0]), None
    result = query(name, params=params, store=engine, endpoint=endpoint,  # type: ignore[arg-type]
                   plan=one, plans=many, inferred=inferred, timeout=timeout,
                   allow_service=allow_service, corpus=None if endpoint else corpus)
    text = format_answer(result, fmt)
    if output is None:
        sys.stdout.write(text)
    else:
        write_atomic(output, text.encode("utf-8"))
    sys.stdout.flush()                  # the notes after the answer, in a terminal as in a captured output
    for note in result.notes:           # what the answer over every plan could not hold (an extract without units)
        click.echo(f"Note: {note}", err=True)


@main.command("queries")
@format_option(choices(ReportFormat), default="text")
def queries_command(fmt: str) -> None:
    """List the query catalogue: titles, descriptions, parameters, columns and an example each."""
    import json

    from ..ask.catalogue import catalogue

    entries = catalogue()
    if fmt == "json":
        click.echo(json.dumps([{
            "name": q.name, "title": q.title, "description": q.description,
            "parameters": [{"name": p.name, "type": p.type, "required": p.required, "default": p.default,
                            "description": p.description} for p in q.parameters],
            "columns": [{"name": c.name, "meaning": c.meaning} for c in q.columns],
            "example": q.example_params()} for q in entries], ensure_ascii=False, indent=2))
        return
    for q in entries:
        click.echo(f"{q.name}: {q.title}")
        click.echo(f"    {q.description}")
        for p in q.parameters:
            click.echo(f"    --param {p.describe()}: {p.description}")
        click.echo(f"    columns: {', '.join(c.name for c in q.columns)}")
        example = " ".join(f"-p {k}={v}" for k, v in q.example_params().items())
        click.echo(f"    example: antitraffick-kg query {q.name}{' ' + example if example else ''}")
