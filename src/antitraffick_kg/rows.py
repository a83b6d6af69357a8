"""Rows of query answers in one natural order, the same on every store (a leaf: imports nothing of ours)."""

from __future__ import annotations

import re
from functools import lru_cache

__all__ = ["Rows", "natural_key", "order_rows", "sort_rows"]

Rows = list[dict[str, str | None]]


_DIGITS = re.compile(r"(\d+)")


@lru_cache(maxsize=1 << 16)          # answers repeat the same notations and names: sorting is most of a small query
def natural_key(value: str | None) -> tuple:
    """Sort key that orders digits by number: 4.1.10 after 4.1.9; ``None`` first.

    >>> sorted(["4.10", "4.9", None], key=natural_key)
    [None, '4.9', '4.10']
    """
    if value is None:
        return ((0, ""),)
    return tuple((1, int(p)) if p.isdigit() else (2, p) for p in _DIGITS.split(value) if p)


def sort_rows(columns: list[str], rows: Rows, *, order: tuple[str, ...] = ()) -> Rows:
    """Rows sorted on ``order`` first (``-column`` descending), then on every column, all naturally.

    >>> sort_rows(["u", "n"], [{"u": "b", "n": "2"}, {"u": "a", "n": "10"}, {"u": "c", "n": "2"}], order=("-n",))
    [{'u': 'a', 'n': '10'}, {'u': 'b', 'n': '2'}, {'u': 'c', 'n': '2'}]
    """
    return order_rows(sorted(rows, key=lambda r: tuple(natural_key(r.get(c)) for c in columns)), order)


def order_rows(rows: Rows, order: tuple[str, ...]) -> Rows:
    """Rows already in :func:`sort_rows` order on every column, sorted on ``order`` first (a stable sort keeps
    that order among rows equal on ``order``): the same as ``sort_rows`` with ``order``, without sorting again on
    every column.

    >>> order_rows([{"u": "a", "n": "2"}, {"u": "b", "n": "10"}], ("-n",))
    [{'u': 'b', 'n': '10'}, {'u': 'a', 'n': '2'}]
    """
    out = list(rows)
    for key in reversed(order):
        column = key.lstrip("-")
        out.sort(key=lambda r: natural_key(r.get(column)), reverse=key.startswith("-"))
    return out
