"""antitraffick-kg: Chinese anti-trafficking action plans as a checked, queryable knowledge graph.

The public API:

* :func:`import_plan` -- read and parse a plan's source text (with its corrections file);
* :func:`load` -- the plan as an rdflib ``Dataset`` (ontology and plan in named graphs);
* :func:`build_plan` -- write the plan's graph and dataset to a build folder;
* :func:`serialize` -- deterministic Turtle, N-Triples, TriG, N-Quads or JSON-LD;
* :func:`query` -- run a catalogue query and get rows (a :class:`QueryResult`), on a store :func:`open_store` opens;
* :func:`reason` -- consistency and inferred facts with HermiT (needs Java);
* :func:`validate` -- check a plan graph against the ontology and SHACL shapes (a :class:`ValidationResult`).

Every error raised for a user's mistake is an :class:`AntitraffickKGError`.
"""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("antitraffick-kg")
except PackageNotFoundError:  # running from a source tree without installing
    __version__ = "0.0.0+source"

from .errors import (AntitraffickKGError, EndpointError, ImportProblemsError, InputError, OutputError, QueryError,
                     ReasonerUnavailableError, ServiceRefusedError, UnknownQueryError, UnknownUnitError)
from .export import serialize
from .importer import DEFAULT_PLAN, import_plan
from .pipeline import BuildResult, build_plan, load, reason
from .query import QueryResult, query
from .stores import open_store
from .validate import ValidationResult, validate

__all__ = [
    "__version__",
    "DEFAULT_PLAN",
    "import_plan",
    "load",
    "build_plan",
    "reason",
    "BuildResult",
    "serialize",
    "query",
    "QueryResult",
    "open_store",
    "validate",
    "ValidationResult",
    "AntitraffickKGError",
    "InputError",
    "ImportProblemsError",
    "UnknownUnitError",
    "UnknownQueryError",
    "QueryError",
    "EndpointError",
    "ReasonerUnavailableError",
    "OutputError",
    "ServiceRefusedError",
]
