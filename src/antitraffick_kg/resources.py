"""Where the ontology, data, queries and plan folders are found.

An installed wheel carries the ontology, queries and bundled data as package
data under ``_resources/``; a source checkout (editable install, or running
from the tree) uses the top-level ``ontology/``, ``data/`` and ``queries/``
folders.

A plan is a folder ``<plan-id>/`` holding ``source.txt``, ``plan.toml``,
``units.csv`` and, where needed, ``corrections.toml``.  Plan folders are looked
up first in a workspace (the ``data_dir`` argument, else the folder named by
the environment variable :data:`ENV_DATA_DIR`), then among the bundled plans,
so the bundled Dehong plan stays available beside a workspace's plans.
"""

from __future__ import annotations

import functools
import os
import re
from dataclasses import dataclass
from pathlib import Path

from .errors import InputError, closest

__all__ = ["resource_root", "ontology_path", "shapes_path", "data_path", "queries_path", "DEFAULT_PLAN",
           "ENV_DATA_DIR", "MAX_SOURCE_MIB", "PlanRef", "PlanFiles", "plan_files", "check_plan_id", "find_plan", "known_plans",
           "workspace"]

_PACKAGE = Path(__file__).resolve().parent

#: the plan every command uses unless told otherwise
DEFAULT_PLAN = "dehong-2022-2030"
#: the largest plan text read unless the caller allows more: over a hundred times the Dehong plan's 66 KiB,
#: far beyond any real plan (a text this large is a wrong file, or a concatenation of many documents)
MAX_SOURCE_MIB = 8
#: environment variable naming a workspace: a folder of plan folders
ENV_DATA_DIR = "ANTITRAFFICK_KG_DATA_DIR"
_PLAN_ID = re.compile(r"[a-z0-9][a-z0-9-]*")


@functools.cache
def resource_root() -> Path:
    """The folder that holds ``ontology/``, ``data/`` and ``queries/`` (found once: an installed package does not
    move under a running process)."""
    bundled = _PACKAGE / "_resources"
    if (bundled / "ontology").is_dir():
        return bundled
    return _PACKAGE.parent.parent


def ontology_path() -> Path:
    return resource_root() / "ontology" / "antitraffick.ttl"


def shapes_path() -> Path:
    return resource_root() / "ontology" / "shapes.ttl"


def data_path(*parts: str) -> Path:
    return resource_root().joinpath("data", *parts)


def queries_path() -> Path:
    return resource_root() / "queries"


def check_plan_id(plan_id: str) -> str:
    """``plan_id`` when it is lower-case letters, digits and '-' (not first); raises :class:`InputError`.

    >>> check_plan_id("honghe-2021-2030")
    'honghe-2021-2030'
    >>> check_plan_id("Honghe")
    Traceback (most recent call last):
    ...
    antitraffick_kg.errors.InputError: plan id 'Honghe' must be lower-case letters, digits and '-', not starting with '-'
    """
    if not isinstance(plan_id, str) or not _PLAN_ID.fullmatch(plan_id):
        shown = plan_id if isinstance(plan_id, str) else repr(plan_id)
        raise InputError(f"plan id '{shown}' must be lower-case letters, digits and '-', not starting with '-'")
    return plan_id


class PlanRef(str):
    """A plan id that remembers the folder it was found in (see :func:`find_plan`).

    It is the id wherever a string is expected (IRIs, file names), so it can
    be passed as ``plan=`` to every verb.  ``shadows`` is the bundled plan
    folder of the same id that this workspace folder hides, if any (made with
    ``new --force``; the command line warns of it on every use).
    """

    folder: Path
    shadows: Path | None

    def __new__(cls, plan_id: str, folder: Path, *, shadows: Path | None = None) -> "PlanRef":
        ref = super().__new__(cls, check_plan_id(plan_id))
        ref.folder = Path(folder)
        ref.shadows = shadows
        return ref


def workspace(data_dir: str | Path | None = None) -> Path | None:
    """The workspace folder: ``data_dir``, else the one :data:`ENV_DATA_DIR` names, else None."""
    chosen = data_dir if data_dir is not None else os.environ.get(ENV_DATA_DIR) or None
    if chosen is None:
        return None
    folder = Path(chosen)
    if not folder.is_dir():
        where = "--data-dir" if data_dir is not None else ENV_DATA_DIR
        raise InputError(f"{where} {folder}: no such folder")
    return folder


def _search_path(data_dir: str | Path | None) -> list[Path]:
    ws = workspace(data_dir)
    return ([ws] if ws is not None else []) + [data_path()]


def known_plans(*, data_dir: str | Path | None = None) -> list[str]:
    """The ids of every plan folder in the workspace and among the bundled plans."""
    return sorted({p.parent.name for folder in _search_path(data_dir) for p in folder.glob("*/source.txt")
                   if _PLAN_ID.fullmatch(p.parent.name)})


def find_plan(plan_id: str, *, data_dir: str | Path | None = None) -> PlanRef:
    """The plan folder ``plan_id`` in the workspace, else among the bundled plans.

    Raises :class:`InputError` for an ill-formed id or a plan found nowhere.
    """
    if isinstance(plan_id, PlanRef) and data_dir is None:
        return plan_id
    check_plan_id(plan_id)
    for folder in _search_path(data_dir):
        if (folder / plan_id / "source.txt").is_file():
            bundled = data_path(plan_id)
            hidden = folder != data_path() and (bundled / "source.txt").is_file()
            return PlanRef(plan_id, folder / plan_id, shadows=bundled if hidden else None)
    places = " or ".join(str(f) for f in _search_path(data_dir)[:-1]) or f"a workspace (--data-dir or {ENV_DATA_DIR})"
    plans = known_plans(data_dir=data_dir)
    close = closest(plan_id, plans)
    hint = f"did you mean {', '.join(close)}? " if close else ""
    raise InputError(f"no plan '{plan_id}' in {places} or among the bundled plans; {hint}known plans: "
                     f"{', '.join(plans)}")


@dataclass(frozen=True)
class PlanFiles:
    """The files of one plan folder."""

    plan_id: str
    source: Path
    plan_toml: Path
    units: Path
    corrections: Path | None

    @property
    def inputs(self) -> tuple[Path, ...]:
        return tuple(p for p in (self.source, self.plan_toml, self.units, self.corrections) if p is not None)


def plan_files(plan: str) -> PlanFiles:
    """The files of plan folder ``plan`` (an id, or a :class:`~antitraffick_kg.resources.PlanRef`).

    Raises :class:`InputError` for an ill-formed id, a plan found nowhere, or a folder that lacks
    ``plan.toml`` or ``units.csv``.
    """
    folder = find_plan(plan).folder
    for name in ("plan.toml", "units.csv"):
        if not (folder / name).is_file():
            raise InputError(f"the plan folder has no {name}; 'antitraffick-kg new' writes one", path=str(folder))
    corrections = folder / "corrections.toml"
    return PlanFiles(str(plan), folder / "source.txt", folder / "plan.toml", folder / "units.csv",
                     corrections if corrections.is_file() else None)
