"""Command-line options that several commands share, defined once.

``--plan`` with ``--data-dir``; ``--store`` and ``--rebuild`` for the corpus
store; ``--build-dir``; ``-o/--output``, which always names where the
command's output goes (a file, or for ``build``, ``reason`` and ``report`` a
folder).
"""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Callable

import click

from ..resources import DEFAULT_PLAN, ENV_DATA_DIR, find_plan

__all__ = ["plan_option", "data_dir_option", "store_option", "rebuild_option", "build_dir_option", "output_option",
           "corpus_for"]

data_dir_option = click.option(
    "--data-dir", type=click.Path(file_okay=False, path_type=Path), default=None,
    help=f"A workspace: a folder of plan folders, searched before the bundled plans (default: ${ENV_DATA_DIR}).")


def plan_option(*, multiple: bool = False) -> Callable:
    """``--plan ID`` (repeatable when ``multiple``) and ``--data-dir DIR``.

    The command receives ``plan`` (or ``plans``) already found: a
    :class:`~antitraffick_kg.resources.PlanRef`, or a tuple of them.  An
    ill-formed id or a plan found nowhere is a one-line error (exit 2).
    """
    name = "plans" if multiple else "plan"

    def decorate(command: Callable) -> Callable:
        @functools.wraps(command)
        def wrapper(*args, **options):
            data_dir = options.pop("data_dir")
            value = options[name]
            options[name] = (tuple(find_plan(v, data_dir=data_dir) for v in value) if multiple
                             else find_plan(value, data_dir=data_dir))
            return command(*args, **options)

        help_text = "Plan id: a plan folder in --data-dir or among the bundled plans"
        help_text += "; repeat for several." if multiple else "."
        option = click.option("--plan", name, multiple=multiple, default=(DEFAULT_PLAN,) if multiple else DEFAULT_PLAN,
                              show_default=True, help=help_text)
        return option(data_dir_option(wrapper))

    return decorate


store_option = click.option(
    "--store", "store_dir", type=click.Path(file_okay=False, path_type=Path), default=None,
    help="The corpus store (default: store/ in the build folder, i.e. build/store).")
rebuild_option = click.option(
    "--rebuild", is_flag=True,
    help="Build plans missing from the corpus store, or built from other inputs, before answering.")
build_dir_option = click.option(
    "--build-dir", type=click.Path(file_okay=False, path_type=Path), default=Path("build"), show_default=True,
    help="The build folder: the corpus store is its store/ unless --store says otherwise.")


def output_option(*, folder: bool = False, required: bool = False, help: str | None = None) -> Callable:
    """``-o/--output``: the file (or, with ``folder``, the folder) the command writes; standard output when absent."""
    kind = click.Path(file_okay=False, path_type=Path) if folder else click.Path(dir_okay=False, path_type=Path)
    return click.option("-o", "--output", "output", type=kind, required=required,
                        help=help or "File to write (default: standard output).")


def corpus_for(store_dir: Path | None, *, build_dir: Path, plans: tuple[str, ...] = (), rebuild: bool = False,
               inferred: bool = False):
    """The corpus store the options name, opened read-only with ``plans`` checked (see ``open_corpus``)."""
    from ..pipeline.sources import open_corpus

    return open_corpus(store_dir if store_dir is not None else build_dir / "store", plans=plans, rebuild=rebuild,
                       inferred=inferred)
