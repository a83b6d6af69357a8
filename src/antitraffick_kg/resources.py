"""Where the ontology, data and queries are found.

An installed wheel carries them as package data under ``_resources/``; a
source checkout (editable install, or running from the tree) uses the
top-level ``ontology/``, ``data/`` and ``queries/`` folders.
"""

from __future__ import annotations

from pathlib import Path

__all__ = ["resource_root", "ontology_path", "shapes_path", "data_path", "queries_path"]

_PACKAGE = Path(__file__).resolve().parent


def resource_root() -> Path:
    """The folder that holds ``ontology/``, ``data/`` and ``queries/``."""
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
