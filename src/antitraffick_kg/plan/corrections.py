"""The reviewed corrections file: how to read places no parser should guess.

A corrections file is TOML with one ``[[correction]]`` table per entry::

    [[correction]]
    line = 268                      # where the words stood when the entry was written: a hint only
    expect = "1.严惩手段残忍"         # words that stand on the row meant, and on no other
    action = "no-support-cell"      # or "task"
    task = "5.3.4"                  # with action = "task": the task the row belongs to
    reason = "one line saying why"

An entry finds its place by its ``expect`` words: the one row of the annual
table they stand on, whatever its line number (the same plan extracted from
another file shifts every line).  Words that stand on no row, or on more than
one, are an :class:`~antitraffick_kg.errors.InputError` naming the entry;
``line`` may be left out, and is quoted in that error when given.

``no-support-cell``: the table row has no support cell; the cell after the
lead cell is the first progress cell.  ``task``: the table row belongs to the
given task although its heading matches no narrative item.  Every entry must
fix a problem the import reports; one that fixes nothing is itself reported.

Garbled words change no parsing; a ``[[reading]]`` entry records how they read,
as a finding, while the source and every quote stay as they are.  It finds its
place the same way, on any line of the text::

    [[reading]]
    line = 253
    expect = "犯非前科人员"          # the garbled words, as they stand on the line
    reading = "犯罪前科人员"         # what they say
    reason = "one line saying why"
"""

from __future__ import annotations

import tomllib
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Literal, TypeVar

from ..errors import InputError

__all__ = ["Correction", "Reading", "load_corrections", "load_readings", "place", "ACTIONS"]

ACTIONS = ("no-support-cell", "task")


@dataclass(frozen=True)
class Correction:
    line: int | None        # the hint as written; once placed (:func:`place`), the line the words stand on
    expect: str
    action: Literal["no-support-cell", "task"]
    reason: str
    task: str | None = None
    index: int = 0          # 1-based position in the file
    file: str = ""          # the corrections file
    hint: int | None = None  # the line the file gave, once placed


@dataclass(frozen=True)
class Reading:
    line: int | None
    expect: str
    reading: str
    reason: str
    index: int = 0
    file: str = ""
    hint: int | None = None


_Entry = TypeVar("_Entry", Correction, Reading)


def place(entries: Sequence[_Entry], lines: Sequence[str], *, within: tuple[int, int] | None,
          source: str, what: str) -> list[_Entry]:
    """Each entry at the one line of ``lines`` (1-based ``within``, inclusive; None: no line) its words stand on.

    The entry's own line is only a hint, kept as ``hint``.  Raises
    :class:`InputError`, naming the corrections file and the entry, when the
    words stand on no line there or on more than one, or when two entries
    land on one line.

    >>> c = Correction(9, "2.边境", "no-support-cell", "r", index=1, file="corrections.toml")
    >>> place([c], ["一、x", "1.学校", "2.边境管控"], within=(2, 3), source="s.txt", what="row of the table")[0].line
    3
    """
    out: list[_Entry] = []
    taken: dict[int, _Entry] = {}
    first, last = within if within else (1, 0)
    for entry in entries:
        found = [n for n in range(first, last + 1) if entry.expect in lines[n - 1]]
        name = f"{'correction' if isinstance(entry, Correction) else 'reading'} #{entry.index}"
        hint = f" (its line {entry.line} is only a hint)" if entry.line is not None else ""
        if not found:
            raise InputError(f"{name}: its expect words '{entry.expect}' stand on no {what} of {source}{hint}; "
                             "quote words as they stand there", path=entry.file or None)
        if len(found) > 1:
            raise InputError(f"{name}: its expect words '{entry.expect}' stand on lines "
                             f"{', '.join(map(str, found))} of {source}; quote more of the one meant",
                             path=entry.file or None)
        if found[0] in taken:
            other = f"{'correction' if isinstance(entry, Correction) else 'reading'} #{taken[found[0]].index}"
            raise InputError(f"{name} and {other} both stand on line {found[0]} of {source}; one entry per line",
                             path=entry.file or None)
        taken[found[0]] = entry
        out.append(replace(entry, line=found[0], hint=entry.line))
    return out


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
        if not isinstance(entry, dict) or not {"expect", "reading", "reason"} <= set(entry) <= \
                {"line", "expect", "reading", "reason"}:
            raise InputError(f"{where} needs expect, reading and reason, and may give line", path=str(path))
        line = entry.get("line")
        if line is not None and (not isinstance(line, int) or line < 1) or not all(
                isinstance(entry[k], str) and entry[k].strip() for k in ("expect", "reading", "reason")):
            raise InputError(f"{where}: line must be a positive whole number and the rest text", path=str(path))
        out.append(Reading(line, entry["expect"], entry["reading"], entry["reason"].strip(), index, str(path)))
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
        if line is not None and (not isinstance(line, int) or line < 1):
            raise InputError(f"{where}: 'line' must be a positive whole number", path=str(path))
        if not isinstance(expect, str) or not expect.strip():
            raise InputError(f"{where}: 'expect' must quote words of the row it corrects", path=str(path))
        if action not in ACTIONS:
            raise InputError(f"{where}: 'action' must be one of {', '.join(ACTIONS)}", path=str(path))
        if not isinstance(reason, str) or not reason.strip() or "\n" in reason.strip():
            raise InputError(f"{where}: 'reason' must be one line of text", path=str(path))
        task = entry.get("task")
        if action == "task" and not isinstance(task, str):
            raise InputError(f"{where}: action 'task' needs 'task' (a notation such as 5.3.4)",
                             path=str(path))
        out.append(Correction(line=line, expect=expect, action=action, reason=reason.strip(),
                              task=task, index=index, file=str(path)))
    return out
