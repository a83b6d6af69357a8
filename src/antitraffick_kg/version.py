"""The package version, read once from the installed distribution's metadata (a leaf: imports nothing of ours)."""

from __future__ import annotations

from functools import lru_cache

__all__ = ["package_version"]


@lru_cache(maxsize=1)
def package_version() -> str:
    """The installed version of antitraffick-kg, or ``0.0.0+source`` when running from a source tree."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("antitraffick-kg")
    except PackageNotFoundError:
        return "0.0.0+source"
