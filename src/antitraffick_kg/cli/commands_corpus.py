"""Commands about what the corpus store holds: ``plans`` (every plan and its state) and ``remove`` (plans out).

Exit codes: 0 done, 2 unusable input (a workspace that is no folder, a plan the store does not hold, progress
reports that ``remove`` would lose without ``--with-progress``).
"""

from __future__ import annotations

import json
from pathlib import Path

import click

from .main import main
from ..errors import InputError
from .options import build_dir_option, data_dir_option, default_build_dir, format_option, store_option


def _store(store_dir: Path | None, build_dir: Path | None, data_dir: Path | None) -> Path:
    """The corpus store the options name: --store, else store/ in --build-dir, else in the workspace's build folder."""
    if store_dir is not None:
        return store_dir
    return (build_dir if build_dir is not None else default_build_dir(data_dir)) / "store"


@main.command("plans")
@data_dir_option
@build_dir_option
@store_option
@format_option(("table", "json"), default="table", help="table, or json (one object per plan).")
def plans_command(data_dir: Path | None, build_dir: Path | None, store_dir: Path | None, fmt: str) -> None:
    """List every plan of the workspace, the bundled plans and the corpus store, each with its state.

    fresh: in the store, built from its current inputs; stale: built from other inputs (build it again);
    missing: not in the store (build it); orphaned: in the store, its folder gone ('antitraffick-kg remove'
    takes it out).
    """
    from ..pipeline.sources import plan_states
    from ..ask.query import format_rows

    store = _store(store_dir, build_dir, data_dir)
    states = plan_states(store, data_dir=data_dir)
    rows = [{"plan": s.plan, "state": s.state, "folder": s.where or "(gone)",
             "in store": ", ".join(s.parts) or "-", "triples": str(s.triples)} for s in states]
    if fmt == "json":
        click.echo(json.dumps({"store": str(store), "plans": [
            {"plan": s.plan, "state": s.state, "where": s.where, "folder": None if s.folder is None else str(s.folder),
             "parts": list(s.parts), "triples": s.triples} for s in states]}, ensure_ascii=False, indent=2))
        return
    click.echo(f"corpus store: {store}")
    click.echo(format_rows(("plan", "state", "folder", "in store", "triples"), rows, "table"), nl=False)


@main.command("remove")
@click.argument("plans", nargs=-1, required=True, metavar="PLAN...")
@data_dir_option
@build_dir_option
@store_option
@click.option("--with-progress", is_flag=True,
              help="Remove the plan even when the store keeps progress reports of it ('progress add'); they go too.")
def remove_command(plans: tuple[str, ...], data_dir: Path | None, build_dir: Path | None, store_dir: Path | None,
                   with_progress: bool) -> None:
    """Take PLAN (several may be named) out of the corpus store: its graphs, its inferred graph and its progress
    reports, in one switch to a new generation (readers see the store before or after, never between).

    The plan's folder and the files in the build folder are left as they are.  A plan whose units sent
    progress reports is kept unless --with-progress is given: the reports exist nowhere else.

    Example: antitraffick-kg remove old-plan-2015-2020 --data-dir plans
    """
    from ..store.corpus import PROGRESS, Corpus, remove_plans

    store = _store(store_dir, build_dir, data_dir)
    corpus = Corpus.open(store)
    wanted = tuple(dict.fromkeys(plans))
    for plan in wanted:
        if plan not in corpus.plans:
            raise InputError(f"plan '{plan}' is not in the corpus store {store}; it holds "
                             f"{', '.join(corpus.plans) or 'no plan'}")
        if (plan, PROGRESS) in corpus.entries and not with_progress:
            raise InputError(f"the corpus store {store} keeps {corpus.entries[(plan, PROGRESS)].triples} triples of "
                             f"progress reports of plan '{plan}'; add --with-progress to remove them with it")
    held = {p: sum(e.triples for (q, _), e in corpus.entries.items() if q == p) for p in wanted}
    del corpus
    remove_plans(store, wanted)
    for plan in wanted:
        click.echo(f"removed {plan} from {store} ({held[plan]} triples)")
