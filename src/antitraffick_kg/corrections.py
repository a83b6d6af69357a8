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
fix a problem the import reports; one that fixes nothing is an error.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from .errors import InputError

__all__ = ["Correction", "load_corrections", "ACTIONS"]

ACTIONS = ("no-support-cell", "task")


@dataclass(frozen=True)
class Correction:
    line: int
    expect: str
    action: Literal["no-support-cell", "task"]
    reason: str
    task: str | None = None
    index: int = 0          # 1-based position in the file


def load_corrections(path: str | Path | None) -> list[Correction]:
    """Read a corrections file; ``None`` means no corrections."""
    if path is None:
        return []
    path = Path(path)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise InputError("corrections file not found", path=str(path)) from None
    except UnicodeDecodeError as exc:
        raise InputError(f"not UTF-8 text ({exc.reason})", path=str(path)) from None
    except tomllib.TOMLDecodeError as exc:
        raise InputError(f"not valid TOML: {exc}", path=str(path)) from None
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
