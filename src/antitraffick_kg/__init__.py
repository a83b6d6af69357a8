"""antitraffick-kg: Chinese anti-trafficking action plans as a checked, queryable knowledge graph.

The public API:

* :func:`import_plan` -- read and parse a plan's source text (with its corrections file);
* :func:`find_plan` -- a plan folder in a workspace (``data_dir``) or among the bundled plans, for any ``plan=``;
* :func:`load` -- the plan as an rdflib ``Dataset`` (ontology and plan in named graphs);
* :func:`build_plan` -- write the plan's graph and dataset to a build folder;
* :func:`serialize` -- deterministic Turtle, N-Triples, TriG, N-Quads or JSON-LD;
* :func:`query` -- run a catalogue query and get rows (a :class:`QueryResult`), on a store :func:`open_store` opens;
* :func:`reason` -- consistency and inferred facts with HermiT (needs Java);
* :func:`validate` -- check a plan graph against the ontology and SHACL shapes (a :class:`ValidationResult`);
* :func:`align` -- propose task alignments between two plans' :class:`AlignRecord` lists, as SSSOM
  :class:`MappingRow` rows; :func:`read_sssom` and :func:`write_sssom` read and write a :class:`MappingSet`.

Every error raised for a user's mistake is an :class:`AntitraffickKGError`.
"""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("antitraffick-kg")
except PackageNotFoundError:  # running from a source tree without installing
    __version__ = "0.0.0+source"

from .align import AlignRecord, align
from .errors import (AntitraffickKGError, EndpointError, ImportProblemsError, InputError, OutputError, QueryError,
                     ReasonerUnavailableError, ServiceRefusedError, UnknownQueryError, UnknownUnitError)
from .export import serialize
from .importer import DEFAULT_PLAN, import_plan
from .mappings import MappingRow, MappingSet, read_sssom, write_sssom
from .pipeline import BuildResult, build_plan, load, reason
from .query import QueryResult, query
from .resources import find_plan
from .stores import open_store
from .validate import ValidationResult, validate

__all__ = [
    "__version__",
    "DEFAULT_PLAN",
    "import_plan",
    "find_plan",
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
    "align",
    "AlignRecord",
    "MappingRow",
    "MappingSet",
    "read_sssom",
    "write_sssom",
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
