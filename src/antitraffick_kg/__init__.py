"""antitraffick-kg: Chinese anti-trafficking action plans as a checked, queryable knowledge graph.

The public API:

* :func:`import_plan` -- read and parse a plan's source text (with its corrections file);
* :func:`find_plan` -- a plan folder in a workspace (``data_dir``) or among the bundled plans, for any ``plan=``;
* :func:`load` -- the plan as an rdflib ``Dataset`` (ontology and plan in named graphs);
* :func:`build_plan` -- write the plan's graph and dataset to a build folder;
* :func:`export` -- a plan of the corpus store in an RDF format (pyoxigraph, sorted);
* :func:`serialize` -- deterministic Turtle, N-Triples, TriG, N-Quads or JSON-LD;
* :func:`open_corpus` -- the corpus store ``build`` writes, opened read-only (a :class:`Corpus`): the handle
  that :func:`query`, :func:`validate` and the other verbs take as ``corpus=``;
* :func:`query` -- run a catalogue query and get rows (a :class:`QueryResult`), on a store :func:`open_store` opens;
* :func:`reason` -- consistency and inferred facts with HermiT (needs Java);
* :func:`audit` -- where the plan's text disagrees with itself (an :class:`AuditResult`);
* :func:`validate` -- check a plan graph against the ontology and SHACL shapes (a :class:`ValidationResult`);
* :func:`align` -- propose task alignments between two plans' :class:`AlignRecord` lists, as SSSOM
  :class:`MappingRow` rows; :func:`read_sssom` and :func:`write_sssom` read and write a :class:`MappingSet`.

Every error raised for a user's mistake is an :class:`AntitraffickKGError`.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

from .errors import (AntitraffickKGError, EndpointError, ImportProblemsError, InputError, OutputError, QueryError,
                     ReasonerUnavailableError, ServiceRefusedError, UnknownQueryError, UnknownUnitError)
from .resources import DEFAULT_PLAN, find_plan
# the verbs named like their modules are imported at once: importing the module ``antitraffick_kg.query``
# would otherwise set the package's ``query`` to the module
from .align import AlignRecord, align
from .audit import AuditResult, audit
from .export import export
from .query import QueryResult, query
from .validate import ValidationResult, validate

#: where each public name lives; a module is imported the first time one of its names is used, so that
#: ``import antitraffick_kg`` costs almost nothing and a command pays only for what it uses
_LAZY = {
    "serialize": "export",
    "import_plan": "importer",
    "MappingRow": "mappings", "MappingSet": "mappings", "read_sssom": "mappings", "write_sssom": "mappings",
    "BuildResult": "pipeline", "build_plan": "pipeline", "load": "pipeline", "reason": "pipeline",
    "Corpus": "corpus",
    "open_corpus": "sources", "open_store": "sources",
}

if TYPE_CHECKING:  # pragma: no cover
    from .corpus import Corpus
    from .export import serialize
    from .importer import import_plan
    from .mappings import MappingRow, MappingSet, read_sssom, write_sssom
    from .pipeline import BuildResult, build_plan, load, reason
    from .sources import open_corpus, open_store


def __getattr__(name: str):
    if name == "__version__":
        from .version import package_version

        return package_version()
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'antitraffick_kg' has no attribute '{name}'")
    value = getattr(importlib.import_module(f".{module}", __name__), name)
    if name != "reason":                 # importing the module antitraffick_kg.reason sets the package's reason
        globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))


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
    "export",
    "query",
    "QueryResult",
    "open_store",
    "open_corpus",
    "Corpus",
    "validate",
    "ValidationResult",
    "audit",
    "AuditResult",
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
