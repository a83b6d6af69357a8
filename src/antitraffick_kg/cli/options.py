"""Command-line options that several commands share, each defined once, each name with one meaning.

``--data-dir``; ``--store`` and ``--rebuild`` for the corpus
store; ``--build-dir DIR``, the folder where built graphs and the corpus store
live (on every command that builds or reads them); ``-o/--output FILE``, which
always names a file (standard output when absent); ``--output-dir DIR`` for a
command that writes a folder of files; ``-f/--format``; ``--as-of``;
``--max-size``; ``--timeout``; ``--plan ID`` (repeatable on a command that
reads several plans) with ``--all-plans`` (every plan in the corpus store; for
``build``, every plan folder); ``--engine``, the engine that computes the answer
(the default, oxigraph, is the fast one; the other is the reference the tests
hold it to: rdflib for ``query``, pySHACL for ``validate``).  Without
``--build-dir``, a command given a workspace (``--data-dir``, or
``$ANTITRAFFICK_KG_DATA_DIR``) uses the workspace's own build folder,
``<workspace>/build`` (its corpus store ``<workspace>/build/store``), so that
two workspaces never share a store.  ``tests/test_cli_options.py`` walks the
command tree and holds every option name to one meaning.
"""

from __future__ import annotations

import datetime as dt
import functools
from pathlib import Path
from collections.abc import Sequence
from typing import Callable

import click

from ..errors import InputError
from ..resources import DEFAULT_PLAN, ENV_DATA_DIR, check_plan_id, find_plan, workspace

__all__ = ["plan_option", "plans_option", "default_build_dir", "data_dir_option", "store_option", "rebuild_option",
           "build_dir_option", "output_option", "output_dir_option", "no_output_file", "as_of_option",
           "max_size_option", "timeout_option", "format_option", "inferred_option", "allow_service_option",
           "engine_option", "FAST_ENGINE", "day", "corpus_for", "chosen_plans", "several", "warn_shadowed"]

data_dir_option = click.option(
    "--data-dir", type=click.Path(file_okay=False, path_type=Path), default=None,
    help=f"A workspace: a folder of plan folders, searched before the bundled plans (default: ${ENV_DATA_DIR}).")


def warn_shadowed(ref) -> None:
    """One warning line when plan ``ref`` is a workspace folder that hides a bundled plan of the same id."""
    if getattr(ref, "shadows", None) is not None:
        click.echo(f"Warning: plan {ref} is the workspace's folder {ref.folder}, not the bundled plan of that id "
                   "(made with 'new --force')", err=True)


def plan_option() -> Callable:
    """``--plan ID`` and ``--data-dir DIR`` on a command that reads one plan.

    The command receives ``plan`` already found: a
    :class:`~antitraffick_kg.resources.PlanRef`.  An ill-formed id or a plan
    found nowhere is a one-line error (exit 2); so is ``--plan`` given twice
    (never silently the last one).  A command with ``--build-dir`` gets the
    workspace's build folder when it is not given (:func:`default_build_dir`).
    """
    def decorate(command: Callable) -> Callable:
        @functools.wraps(command)
        def wrapper(*args, **options):
            data_dir = options.pop("data_dir")
            values = tuple(dict.fromkeys(options.pop("plans"))) or (DEFAULT_PLAN,)
            if len(values) > 1:
                raise click.UsageError(f"--plan given {len(values)} times ({', '.join(values)}); this command "
                                       "reads one plan")
            _workspace_build_dir(options, data_dir)
            options["plan"] = _found(values, data_dir)[0]
            return command(*args, **options)

        return _plan_options(wrapper, several=False)

    return decorate


def plans_option(*, all_plans_help: str = "Every plan in the corpus store (instead of --plan).",
                 served_by: str | None = None) -> Callable:
    """``--plan ID`` (repeatable), ``--all-plans`` and ``--data-dir DIR``, on a command that reads several plans.

    The command receives ``plans``, a tuple of :class:`~antitraffick_kg.resources.PlanRef` found (the default
    plan when neither option is given; empty with ``--all-plans``, whose plans the command takes from where it
    reads: the corpus store, or for ``build`` the plan folders), and ``all_plans``.  ``--plan`` with
    ``--all-plans`` is a one-line error (exit 2).  When the command's option ``served_by`` (``endpoint``) is
    given, the plans are a server's: their ids are checked for form only, and the server says which it holds.
    """
    def decorate(command: Callable) -> Callable:
        @functools.wraps(command)
        def wrapper(*args, **options):
            data_dir = options.pop("data_dir")
            values = tuple(dict.fromkeys(options.pop("plans")))
            if options["all_plans"] and values:
                raise click.UsageError(f"--all-plans and --plan {values[0]}: give one or the other")
            _workspace_build_dir(options, data_dir)
            options["data_dir"] = data_dir
            if served_by is not None and options.get(served_by) is not None and not options["all_plans"]:
                options["plans"] = tuple(check_plan_id(v) for v in values or (DEFAULT_PLAN,))
            else:
                options["plans"] = () if options["all_plans"] else _found(values or (DEFAULT_PLAN,), data_dir)
            return command(*args, **options)

        wrapper = click.option("--all-plans", "all_plans", is_flag=True, help=all_plans_help)(wrapper)
        return _plan_options(wrapper, several=True)

    return decorate


def _plan_options(command: Callable, *, several: bool) -> Callable:
    help_text = f"Plan id: a plan folder in --data-dir or among the bundled plans (default: {DEFAULT_PLAN})"
    help_text += "; repeat for several." if several else "."
    option = click.option("--plan", "plans", multiple=True, metavar="ID", help=help_text)
    return option(data_dir_option(command))


def _found(values: Sequence[str], data_dir: Path | None) -> tuple:
    found = tuple(find_plan(v, data_dir=data_dir) for v in values)
    for ref in found:
        warn_shadowed(ref)
    return found


def _workspace_build_dir(options: dict, data_dir: Path | None) -> None:
    """The command's ``build_dir`` when not given: the workspace's build folder, or build/ without one."""
    if "build_dir" in options and options["build_dir"] is None:
        options["build_dir"] = default_build_dir(data_dir)


def default_build_dir(data_dir: Path | None) -> Path:
    """The build folder when ``--build-dir`` is not given: ``build/`` in the workspace (``--data-dir``, else
    ``$ANTITRAFFICK_KG_DATA_DIR``), so that two workspaces never share a store; ``build/`` in the current
    folder without a workspace.  Raises :class:`InputError` for a workspace that is no folder."""
    ws = workspace(data_dir)
    return ws / "build" if ws is not None else Path("build")


store_option = click.option(
    "--store", "store_dir", type=click.Path(file_okay=False, path_type=Path), default=None,
    help="The corpus store (default: store/ in the build folder).")
rebuild_option = click.option(
    "--rebuild", is_flag=True,
    help="Build plans missing from the corpus store, or built from other inputs, before answering.")


_BUILD_DIR_DEFAULT = " (default: build/ in the workspace given by --data-dir, else build/ here)"


def build_dir_option(command: Callable | None = None, *, help: str | None = None) -> Callable:
    """``--build-dir DIR``: the folder of the built graphs, whose store/ is the corpus store (default: build/ in
    the workspace, else build/ here; see :func:`default_build_dir`)."""
    option = click.option(
        "--build-dir", type=click.Path(file_okay=False, path_type=Path), default=None, metavar="DIR",
        help=(help or "The build folder: the corpus store is its store/ unless --store says otherwise.")
        + _BUILD_DIR_DEFAULT)
    return option(command) if command is not None else option


def output_option(*, required: bool = False, help: str | None = None) -> Callable:
    """``-o/--output FILE``: the file the command writes; standard output when absent."""
    return click.option("-o", "--output", "output", type=click.Path(dir_okay=False, path_type=Path),
                        required=required, metavar="FILE",
                        help=help or "File to write (default: standard output).")


def output_dir_option(*, required: bool = False, help: str | None = None) -> Callable:
    """``--output-dir DIR``: the folder a command writes its files to (a command that writes several)."""
    return click.option("--output-dir", "output_dir", type=click.Path(file_okay=False, path_type=Path),
                        required=required, metavar="DIR", help=help or "Folder to write the files to.")


def no_output_file(instead: str) -> Callable:
    """A hidden ``-o/--output`` on a command that writes a folder: a one-line error naming ``instead``."""
    def refuse(ctx: click.Context, param: click.Parameter, value: str | None) -> None:
        if value is not None:
            raise click.UsageError(f"-o/--output names a file; this command writes a folder: give it with "
                                   f"{instead} {value}", ctx=ctx)

    return click.option("-o", "--output", "refused_output", hidden=True, expose_value=False, callback=refuse,
                        metavar="FILE", is_eager=True)


def day(value: str, *, option: str = "--as-of") -> dt.date:
    """``value`` as a date: YYYY-MM-DD, or today."""
    if value.lower() == "today":
        return dt.date.today()
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise InputError(f"{option} '{value}' is not a date; give YYYY-MM-DD, or today") from None


def as_of_option(*, help: str) -> Callable:
    """``--as-of YYYY-MM-DD|today`` (default today); the command says the date it used."""
    return click.option("--as-of", "as_of", default="today", show_default=True, metavar="YYYY-MM-DD", help=help)


def max_size_option(*, default: int, what: str) -> Callable:
    """``--max-size MIB``: refuse an input file larger than this."""
    return click.option("--max-size", "max_size", type=click.IntRange(min=1), default=default, show_default=True,
                        metavar="MIB", help=f"Refuse {what} larger than this many MiB.")


def timeout_option(*, default: float, minimum: float = 0.1, help: str) -> Callable:
    """``--timeout SECONDS``: how long the command waits for a query or a server."""
    return click.option("--timeout", type=click.FloatRange(min=minimum), default=default, show_default=True,
                        metavar="SECONDS", help=help)


def format_option(formats: Sequence[str], *, default: str, help: str | None = None) -> Callable:
    """``-f/--format NAME``: how the command writes its output, one of ``formats``."""
    return click.option("-f", "--format", "fmt", type=click.Choice(list(formats)), default=default, show_default=True,
                        help=help)


#: the engine every ``--engine`` takes by default: the fast one
FAST_ENGINE = "oxigraph"


def engine_option(choices: Sequence[str], *, reference: str, fast: str, slow: str) -> Callable:
    """``--engine NAME``, one meaning on every command: the engine that computes the answer.  The default,
    :data:`FAST_ENGINE`, is the fast one; the other, ``reference``, is the reference implementation the
    tests hold the fast one to (the same answer, slower).  ``fast`` and ``slow`` say how each works here."""
    if sorted(choices) != sorted((FAST_ENGINE, reference)):
        raise ValueError(f"--engine is the fast engine and one reference, not {list(choices)}")
    return click.option("--engine", type=click.Choice([FAST_ENGINE, reference]), default=FAST_ENGINE,
                        show_default=True, help=f"The engine that computes the answer: {FAST_ENGINE}, the fast one "
                                                f"({fast}); {reference}, the reference ({slow}; the same answer).")


def inferred_option(*, help: str) -> Callable:
    """``--inferred``: with the graph ``antitraffick-kg reason`` inferred."""
    return click.option("--inferred", is_flag=True, help=help)


def allow_service_option(*, help: str) -> Callable:
    """``--allow-service URL``, repeatable: a server a query's ``SERVICE`` may reach (nothing else is)."""
    return click.option("--allow-service", "allow_service", multiple=True, metavar="URL", help=help)


def corpus_for(store_dir: Path | None, *, build_dir: Path, plans: Sequence[str] = (), rebuild: bool = False,
               inferred: bool = False, all_plans: bool = False, data_dir: Path | None = None):
    """The corpus store the options name, opened read-only with ``plans`` checked (see ``open_corpus``).

    With ``all_plans`` and ``rebuild``, every plan of the workspace and the bundled ones is checked (and built
    when missing or stale) first.
    """
    from ..pipeline.sources import open_corpus
    from ..resources import known_plans

    if all_plans and rebuild:
        plans = tuple(find_plan(p, data_dir=data_dir) for p in known_plans(data_dir=data_dir))
    return open_corpus(store_dir if store_dir is not None else build_dir / "store", plans=plans, rebuild=rebuild,
                       inferred=inferred)


def chosen_plans(corpus, plans: Sequence[str], *, all_plans: bool) -> tuple[str, ...]:
    """The plans a reading command answers for: ``plans``, or with ``all_plans`` every plan of ``corpus`` (an
    :class:`InputError` when it holds none)."""
    if not all_plans:
        return tuple(plans)
    if not corpus.plans:
        raise InputError(f"the corpus store {corpus.path} holds no plan; build one with 'antitraffick-kg build'")
    return corpus.plans


def several(corpus, plans: Sequence[str]):
    """``corpus`` narrowed to ``plans`` when they are some of its plans, so that a question to every plan of the
    handle asks those (see ``Corpus.only``)."""
    return corpus if set(plans) == set(corpus.plans) else corpus.only(plans)
