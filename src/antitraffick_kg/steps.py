"""Progress of long commands: a line per step on a terminal, nothing in a pipe, a file or CI.

Library functions that take long (``build_plan``, ``reason``) accept a
``progress`` callable and call it with a short description of each step; the
command line passes :func:`terminal_progress`, which prints the steps with the
time elapsed on standard error only when that is a terminal and ``CI`` is not
set, so that scripts and logs see only results and errors.
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable
from typing import TextIO

__all__ = ["Progress", "terminal_progress", "quiet"]

#: called with the description of each step as it starts
Progress = Callable[[str], None]


def quiet(step: str) -> None:
    """The progress of a caller that wants none."""


def terminal_progress(stream: TextIO | None = None) -> Progress:
    """Steps with the seconds elapsed, on ``stream`` (standard error) when it is a terminal and not in CI.

    >>> import io
    >>> terminal_progress(io.StringIO()) is quiet      # not a terminal
    True
    """
    out = stream if stream is not None else sys.stderr
    if os.environ.get("CI") or not out.isatty():
        return quiet
    started = time.monotonic()

    def report(step: str) -> None:
        out.write(f"[{time.monotonic() - started:5.1f} s] {step}\n")
        out.flush()

    return report
