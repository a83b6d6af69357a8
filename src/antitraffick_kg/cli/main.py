"""The ``antitraffick-kg`` command: a thin layer over the library.

Each library error becomes one ``Error: …`` line on standard error and the
error's exit code (2 for unusable input); a usage mistake (unknown option,
bad choice) is one line with exit 2 too; anything unexpected is a bug: one
line asking for a report, exit 3.  ``--debug`` shows the traceback.
Commands live in ``commands_*.py`` modules and register themselves on
:data:`main`.
"""

from __future__ import annotations

import importlib
import os
import sys
import traceback

import click

from ..errors import BUG, USER_ERROR, AntitraffickKGError

__all__ = ["main", "run"]

#: modules that add commands to the group, in the order of ``--help``
COMMAND_MODULES = ("commands_plan", "commands_corpus", "commands_query", "commands_validate", "commands_serve",
                   "commands_reason", "commands_push", "commands_analysis", "commands_progress", "commands_align")


#: exit code when the user interrupts a command (Ctrl-C), as shells report SIGINT
INTERRUPTED = 130
#: exit code when the reader of standard output went away (``… | head``), as shells report SIGPIPE
CLOSED_PIPE = 141


def _one_line(text: str) -> str:
    return " ".join(str(text).split())


def _debug(ctx: click.Context) -> bool:
    return bool(ctx.obj and ctx.obj.get("debug"))


class _Group(click.Group):
    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except AntitraffickKGError as exc:
            if _debug(ctx):
                raise
            click.echo(f"Error: {_one_line(exc)}", err=True)
            ctx.exit(exc.exit_code)
        except (click.exceptions.Exit, click.exceptions.Abort, click.ClickException):
            raise
        except BrokenPipeError:          # the reader went away (``… | head``): end quietly
            _quiet_stdout()
            ctx.exit(CLOSED_PIPE)
        except KeyboardInterrupt:
            if _debug(ctx):
                raise
            click.echo("Error: interrupted; outputs written so far are complete, nothing is half-written", err=True)
            ctx.exit(INTERRUPTED)
        except Exception as exc:  # a bug: say so once, ask for a report
            if _debug(ctx):
                raise
            click.echo(f"Error: unexpected {type(exc).__name__}: {_one_line(exc)[:200]} -- this is a bug; "
                       "please report it with the output of the same command run with --debug", err=True)
            ctx.exit(BUG)


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--debug", is_flag=True, help="Show tracebacks instead of one-line errors.")
@click.version_option(package_name="antitraffick-kg")
@click.pass_context
def main(ctx: click.Context, debug: bool) -> None:
    """Turn anti-trafficking action plans into a knowledge graph you can check and question."""
    ctx.ensure_object(dict)
    ctx.obj["debug"] = debug


for _name in COMMAND_MODULES:             # a missing module fails here, loudly (tests/test_cli.py checks the list)
    importlib.import_module(f"{__package__}.{_name}")


def run() -> None:
    """The console entry point: like :data:`main`, with a usage mistake on one line.

    click prints a usage error as the usage, a hint and the message on three
    lines; here it is one ``Error: …`` line naming the help to read, exit 2.
    With no arguments at all it prints the help, exit 0 (as git and pip do).
    When the reader of standard output goes away (``… | head``) the command
    ends quietly, as ``git log | head`` does: nothing on standard error, exit
    141 (what shells report for SIGPIPE).
    """
    try:
        code = main.main(standalone_mode=False)
    except click.exceptions.NoArgsIsHelpError as exc:    # no command named: the help, as asked for
        click.echo(exc.ctx.get_help())
        sys.exit(0)
    except BrokenPipeError:
        _quiet_stdout()
        sys.exit(CLOSED_PIPE)
    except AntitraffickKGError as exc:     # only with --debug: the traceback, and still the documented code
        traceback.print_exc()
        sys.exit(exc.exit_code)
    except KeyboardInterrupt:
        traceback.print_exc()
        sys.exit(INTERRUPTED)
    except click.exceptions.Abort:
        click.echo("Error: interrupted", err=True)
        sys.exit(INTERRUPTED)
    except click.ClickException as exc:
        ctx = getattr(exc, "ctx", None)
        where = f"; see '{ctx.command_path} --help'" if ctx is not None else ""
        click.echo(f"Error: {_one_line(exc.format_message()).rstrip('.')}{where}", err=True)
        sys.exit(USER_ERROR if isinstance(exc, click.UsageError) else exc.exit_code)
    except Exception:                      # only with --debug: a bug, with its traceback
        traceback.print_exc()
        sys.exit(BUG)
    try:
        sys.stdout.flush()              # the last buffered output may meet the closed pipe only now
    except BrokenPipeError:
        _quiet_stdout()
        sys.exit(CLOSED_PIPE)
    sys.exit(code if isinstance(code, int) else 0)


def _quiet_stdout() -> None:
    """Point standard output at the null device, so that Python's flush at exit does not meet the closed pipe."""
    null = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(null, sys.stdout.fileno())
    except (OSError, ValueError):       # no real file behind sys.stdout: nothing to flush there
        pass
    finally:
        os.close(null)
