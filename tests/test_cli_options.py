"""One concept, one option name; one option name, one meaning: held over the whole command tree.

The test walks click's own command objects (every command of every group), so a command added later is held to
the same names without being listed here.
"""

from __future__ import annotations

from collections import defaultdict

import click
import pytest

from antitraffick_kg.cli.main import main
from antitraffick_kg.cli.options import FAST_ENGINE, engine_option

#: the decided names: option -> what it must be on every command that has it
DECIDED = {
    "--output": "file",          # -o/--output always names a FILE (standard output when absent)
    "--output-dir": "folder",    # a command that writes a folder of files
    "--build-dir": "folder",     # where built graphs and the corpus store live
    "--store": "folder",
    "--data-dir": "folder",
}
#: concepts that once had other names, and must not again
RETIRED = {"--out-dir", "--outdir", "--output-folder", "--build", "--asof", "--as_of"}


def _commands(group: click.Group, path: str = "antitraffick-kg"):
    ctx = click.Context(group)
    for name in group.list_commands(ctx):
        command = group.get_command(ctx, name)
        if isinstance(command, click.Group):
            yield from _commands(command, f"{path} {name}")
        else:
            yield f"{path} {name}", command


def _kind(option: click.Option) -> str:
    """What an option's value is: a file, a folder, a path of either kind, a flag, or its type's name."""
    if option.is_flag:
        return "flag"
    kind = option.type
    if isinstance(kind, click.Path):
        return "file" if not kind.dir_okay else "folder" if not kind.file_okay else "path"
    return type(kind).__name__


def _meaning(option: click.Option) -> tuple:
    """What must agree wherever the option's name appears: every name it has, the parameter it fills, its kind,
    whether it repeats, and its metavar."""
    return (tuple(sorted(option.opts + option.secondary_opts)), option.name, _kind(option), option.multiple,
            option.metavar)


def _options():
    for path, command in _commands(main):
        for param in command.params:
            if isinstance(param, click.Option):
                yield path, param


def test_the_walk_sees_every_command():
    paths = {path for path, _ in _commands(main)}
    assert {"antitraffick-kg build", "antitraffick-kg query", "antitraffick-kg report",
            "antitraffick-kg reason"} <= paths
    assert len(paths) >= 14


def test_one_option_name_has_one_meaning_on_every_command():
    seen: dict[str, dict[tuple, list[str]]] = defaultdict(lambda: defaultdict(list))
    for path, option in _options():
        if option.hidden:
            continue
        for name in option.opts + option.secondary_opts:
            seen[name][_meaning(option)].append(path)
    clashes = {name: {str(m): where for m, where in meanings.items()} for name, meanings in seen.items()
               if len(meanings) > 1}
    assert clashes == {}


def test_one_concept_has_one_option_name():
    names_of: dict[str, set[tuple[str, ...]]] = defaultdict(set)
    for path, option in _options():
        if option.hidden:
            continue
        names_of[option.name].add(tuple(sorted(o for o in option.opts if o.startswith("--"))))
    assert {concept: names for concept, names in names_of.items() if len(names) > 1} == {}


def test_the_decided_names_mean_what_was_decided():
    for path, option in _options():
        if option.hidden:
            continue
        for name in option.opts:
            assert name not in RETIRED, (path, name)
            if name in DECIDED:
                assert _kind(option) == DECIDED[name], (path, name, _kind(option))
            if name == "-o":
                assert "--output" in option.opts, (path, option.opts)


def test_a_hidden_option_is_only_the_refusal_of_o_on_a_folder_command():
    hidden = [(path, option.opts) for path, option in _options() if option.hidden]
    assert all(opts == ["-o", "--output"] for _, opts in hidden), hidden
    # a command that writes only a folder refuses -o; one that writes a file or, when told, a folder (export
    # --all-plans) keeps -o for the file and --output-dir for the folder, each name in its one meaning
    visible = [(path, option.name) for path, option in _options() if not option.hidden]
    file_commands = {path for path, name in visible if name == "output"}
    folder_commands = ({path for path, name in visible if name == "output_dir"} - file_commands) | {
        "antitraffick-kg build", "antitraffick-kg reason"}
    assert {path for path, _ in hidden} == folder_commands


def test_engine_is_the_engine_that_computes_the_answer_fast_by_default_with_a_reference():
    """--engine has one meaning: the default is the fast engine, the one other choice the reference."""
    engines = {path: option for path, option in _options() if option.name == "engine"}
    assert {"antitraffick-kg query", "antitraffick-kg validate"} <= set(engines)
    for path, option in engines.items():
        assert option.default == FAST_ENGINE and option.opts == ["--engine"], path
        assert len(option.type.choices) == 2 and FAST_ENGINE in option.type.choices, path
        assert "computes the answer" in option.help and "the reference" in option.help, path
    with pytest.raises(ValueError):
        engine_option(["oxigraph", "rdflib", "pyshacl"], reference="pyshacl", fast="f", slow="s")


READING = ("query", "validate", "audit", "export", "status", "report", "push", "serve", "build")


def test_every_reading_command_takes_several_plans_and_all_plans():
    ctx = click.Context(main)
    for name in READING:
        params = {p.name: p for p in main.get_command(ctx, name).params}
        assert params["plans"].multiple and params["plans"].opts == ["--plan"], name
        assert params["all_plans"].is_flag and params["all_plans"].opts == ["--all-plans"], name
    # a command that reads one plan takes --plan (refusing a second one) and no --all-plans
    for name in ("reason", "forms"):
        params = {p.name for p in main.get_command(ctx, name).params}
        assert "plans" in params and "all_plans" not in params, name


@pytest.mark.parametrize("command", ["status", "report"])
def test_as_of_means_the_same_on_status_and_report(command):
    option = next(p for p in main.get_command(click.Context(main), command).params if p.name == "as_of")
    assert option.default == "today" and not option.required


def test_the_test_fails_when_a_name_gets_a_second_meaning():
    """The walk is not vacuous: an -o that names a folder on one command is caught."""
    @main.command("x-test-folder-output", hidden=True)
    @click.option("-o", "--output", type=click.Path(file_okay=False))
    def _probe(output):
        """A probe."""

    try:
        with pytest.raises(AssertionError):
            test_one_option_name_has_one_meaning_on_every_command()
        with pytest.raises(AssertionError):
            test_the_decided_names_mean_what_was_decided()
    finally:
        main.commands.pop("x-test-folder-output")
