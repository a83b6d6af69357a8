"""The reviewed corrections file: how to read places no parser should guess.

A corrections file is TOML with one ``[[correction]]`` table per entry::

    [[correction]]
    line = 268                      # 1-based line of the source text
    expect = "1.严惩手段残忍"         # words that must stand on that line
    action = "no-support-cell"      # or "task"
    task = "5.3.4"                  # with action = "task": the task the row belongs to
    reason = "one line saying why"

``no-support-cell``: the table row has no support cell; the cell after the
lead cell is the first progress cell.  ``task``: the table row belongs to the
given task although its heading matches no narrative item.  Every entry must
fix a problem the import reports; one that fixes nothing is itself reported.

Garbled words change no parsing; a ``[[reading]]`` entry records how they read,
as a finding, while the source and every quote stay as they are::

    [[reading]]
    line = 253
    expect = "犯非前科人员"          # the garbled words, as they stand on the line
    reading = "犯罪前科人员"         # what they say
    reason = "one line saying why"
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from ..errors import InputError

__all__ = ["Correction", "Reading", "load_corrections", "load_readings", "ACTIONS"]

ACTIONS = ("no-support-cell", "task")


@dataclass(frozen=True)
class Correction:
    line: int
    expect: str
    action: Literal["no-support-cell", "task"]
    reason: str
    task: str | None = None
    index: int = 0          # 1-based position in the file


@dataclass(frozen=True)
class Reading:
    line: int
    expect: str
    reading: str
    reason: str


def _load(path: Path) -> dict:
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise InputError("corrections file not found", path=str(path)) from None
    except UnicodeDecodeError as exc:
        raise InputError(f"not UTF-8 text ({exc.reason})", path=str(path)) from None
    except tomllib.TOMLDecodeError as exc:
        raise InputError(f"not valid TOML: {exc}", path=str(path)) from None


def load_readings(path: str | Path | None) -> list[Reading]:
    """The ``[[reading]]`` entries of a corrections file; ``None`` means none."""
    if path is None:
        return []
    path = Path(path)
    out = []
    for index, entry in enumerate(_load(path).get("reading", []), start=1):
        where = f"reading #{index}"
        if not isinstance(entry, dict) or set(entry) != {"line", "expect", "reading", "reason"}:
            raise InputError(f"{where} needs exactly line, expect, reading and reason", path=str(path))
        if not isinstance(entry["line"], int) or entry["line"] < 1 or not all(
                isinstance(entry[k], str) and entry[k].strip() for k in ("expect", "reading", "reason")):
            raise InputError(f"{where}: line must be a positive whole number and the rest text", path=str(path))
        out.append(Reading(entry["line"], entry["expect"], entry["reading"], entry["reason"].strip()))
    return out


def load_corrections(path: str | Path | None) -> list[Correction]:
    """Read a corrections file; ``None`` means no corrections."""
    if path is None:
        return []
    path = Path(path)
    data = _load(path)
    unknown_tables = set(data) - {"correction", "reading"}
    if unknown_tables:
        raise InputError(f"unknown table(s) {', '.join(sorted(unknown_tables))}; expected [[correction]] "
                         "or [[reading]]", path=str(path))
    out: list[Correction] = []
    for index, entry in enumerate(data.get("correction", []), start=1):
        where = f"correction #{index}"
        if not isinstance(entry, dict):
            raise InputError(f"{where} is not a table", path=str(path))
        unknown = set(entry) - {"line", "expect", "action", "reason", "task"}
        if unknown:
            raise InputError(f"{where}: unknown key(s) {', '.join(sorted(unknown))}", path=str(path))
        line, expect = entry.get("line"), entry.get("expect")
        action, reason = entry.get("action"), entry.get("reason")
        if not isinstance(line, int) or line < 1:
            raise InputError(f"{where}: 'line' must be a positive whole number", path=str(path))
        if not isinstance(expect, str) or not expect:
            raise InputError(f"{where}: 'expect' must quote words of line {line}", path=str(path))
        if action not in ACTIONS:
            raise InputError(f"{where}: 'action' must be one of {', '.join(ACTIONS)}", path=str(path))
        if not isinstance(reason, str) or not reason.strip() or "\n" in reason.strip():
            raise InputError(f"{where}: 'reason' must be one line of text", path=str(path))
        task = entry.get("task")
        if action == "task" and not isinstance(task, str):
            raise InputError(f"{where}: action 'task' needs 'task' (a notation such as 5.3.4)",
                             path=str(path))
        out.append(Correction(line=line, expect=expect, action=action, reason=reason.strip(),
                              task=task, index=index))
    return out
