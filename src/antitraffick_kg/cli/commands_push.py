"""``antitraffick-kg push``: load plan graphs into a shared SPARQL server."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click

from .main import main
from .options import (build_dir_option, chosen_plans, corpus_for, inferred_option, plans_option, rebuild_option,
                      store_option, timeout_option)
from ..store.stores import ENV_PASSWORD, ENV_USER


@main.command("push")
@click.option("--endpoint", required=True, metavar="URL",
              help="The server's SPARQL query address (used to verify the triple counts).")
@click.option("--graph-store", metavar="URL",
              help="The server's Graph Store Protocol address (default: /store beside an oxigraph /query, "
                   "/sparql-graph-crud[-auth] beside a Virtuoso /sparql).")
@plans_option(all_plans_help="Push every plan in the corpus store (instead of --plan).")
@store_option
@rebuild_option
@build_dir_option
@click.option("--journal", type=click.Path(dir_okay=False, path_type=Path),
              help="File recording acknowledged batches, so a failed push resumes (default: push-journal.json "
                   "in --build-dir).")
@inferred_option(help="Push the graph 'antitraffick-kg reason' inferred too.")
@click.option("--batch-size", type=click.IntRange(min=1), default=5000, show_default=True,
              help="Triples per request.")
@timeout_option(default=60.0, help="Seconds to wait for each request.")
def push_command(endpoint: str, graph_store: str | None, plans: tuple[str, ...], all_plans: bool,
                 data_dir: Path | None, store_dir: Path | None, rebuild: bool, build_dir: Path, journal: Path | None,
                 inferred: bool, batch_size: int, timeout: float) -> None:
    """Load the plans' named graphs into a SPARQL 1.1 server through the Graph Store HTTP Protocol.

    One named graph per plan (and the ontology's), sent in batches, resumable
    after a failure (rerun the same command), and verified by counting each
    graph's triples on the server.  Credentials come from
    ANTITRAFFICK_KG_ENDPOINT_USER and ANTITRAFFICK_KG_ENDPOINT_PASSWORD.
    """
    from ..store.push import PushProgress, push

    terminal = sys.stderr.isatty()

    def show(step: PushProgress) -> None:
        if terminal:
            end = "\n" if step.batch == step.batches else ""
            click.echo(f"\r{step.graph}: batch {step.batch}/{step.batches}", err=True, nl=False)
            click.echo(end, err=True, nl=False)

    corpus = corpus_for(store_dir, build_dir=build_dir, plans=plans, rebuild=rebuild, inferred=inferred,
                        all_plans=all_plans, data_dir=data_dir)
    data = b"".join(corpus.nquads(plan, inferred=inferred) for plan in chosen_plans(corpus, plans,
                                                                                     all_plans=all_plans))
    result = push(data, endpoint=endpoint, graph_store=graph_store, journal=journal or build_dir / "push-journal.json",
                  batch_size=batch_size, user=os.environ.get(ENV_USER), password=os.environ.get(ENV_PASSWORD),
                  timeout=timeout, progress=show)
    for g in result.graphs:
        how = ("already there" if g.sent == 0 else
               f"resumed at batch {g.resumed_at + 1} of {g.batches}" if g.resumed_at else f"{g.batches} batch(es)")
        click.echo(f"{g.graph}: {g.triples} triples, verified ({how})")
    click.echo(f"{result.triples} triples in {len(result.graphs)} graphs on {result.graph_store}")
