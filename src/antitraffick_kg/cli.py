"""The ``antitraffick-kg`` command: a thin layer over the library.

Each library error becomes one ``Error: …`` line on standard error and the
error's exit code (2 for unusable input); ``--debug`` shows the traceback.
Commands live in ``commands_*.py`` modules and register themselves on
:data:`main`.
"""

from __future__ import annotations

import importlib
import sys

import click

from .errors import AntitraffickKGError

__all__ = ["main", "run"]

#: modules that add commands to the group, in the order of ``--help``
COMMAND_MODULES = ("commands_plan", "commands_query", "commands_validate", "commands_serve", "commands_reason",
                   "commands_push", "commands_analysis")


class _Group(click.Group):
    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except AntitraffickKGError as exc:
            if ctx.obj and ctx.obj.get("debug"):
                raise
            click.echo(f"Error: {exc}", err=True)
            ctx.exit(exc.exit_code)


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--debug", is_flag=True, help="Show tracebacks instead of one-line errors.")
@click.version_option(package_name="antitraffick-kg")
@click.pass_context
def main(ctx: click.Context, debug: bool) -> None:
    """Turn anti-trafficking action plans into a knowledge graph you can check and question."""
    ctx.ensure_object(dict)
    ctx.obj["debug"] = debug


for _name in COMMAND_MODULES:
    try:
        importlib.import_module(f"{__package__}.{_name}")
    except ModuleNotFoundError as exc:  # a command module not written yet
        if exc.name != f"{__package__}.{_name}":
            raise


def run() -> None:  # pragma: no cover - console entry point
    sys.exit(main())
