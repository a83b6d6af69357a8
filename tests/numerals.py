"""Chinese numerals 1–99 as the genre writes headings (十, 十一, 二十, 九十九), written out for the tests
independently of the reader in ``plan/narrative.py``."""

from __future__ import annotations

_DIGITS = "一二三四五六七八九"


def numeral(n: int) -> str:
    """>>> [numeral(n) for n in (1, 10, 11, 20, 21, 99)]
    ['一', '十', '十一', '二十', '二十一', '九十九']
    """
    if not 1 <= n <= 99:
        raise ValueError(f"{n} is not between 1 and 99")
    tens, units = divmod(n, 10)
    return (("" if tens == 1 else _DIGITS[tens - 1]) + "十" if tens else "") + (_DIGITS[units - 1] if units else "")
