"""Command-line options that several commands share, defined once: ``--plan`` with ``--data-dir``."""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Callable

import click

from .resources import DEFAULT_PLAN, ENV_DATA_DIR, find_plan

__all__ = ["plan_option", "data_dir_option"]

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
