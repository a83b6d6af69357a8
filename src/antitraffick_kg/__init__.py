"""antitraffick-kg: Chinese anti-trafficking action plans as a checked, queryable knowledge graph.

The public API:

* :func:`import_plan` -- read and parse a plan's source text (with its corrections file);
* :func:`find_plan` -- a plan folder in a workspace (``data_dir``) or among the bundled plans, for any ``plan=``;
* :func:`load` -- the plan as an rdflib ``Dataset`` (ontology and plan in named graphs);
* :func:`build_plan` -- write the plan's graph and dataset to a build folder;
* :func:`export` -- a plan of the corpus store in an RDF format (pyoxigraph, sorted);
* :func:`serialize` -- deterministic Turtle, N-Triples, TriG, N-Quads or JSON-LD;
* :func:`open_corpus` -- the corpus store ``build`` writes, opened read-only: a :class:`CorpusHandle` with the
  verbs on it (``corpus.plans``, ``corpus.query(name, **params)`` over every plan, ``corpus.plan(id)`` a
  :class:`PlanHandle` with ``query``, ``validate``, ``audit``, ``export`` and ``status``); every verb below also
  takes it as ``corpus=``;
* :func:`remote` -- the same handle (a :class:`RemoteHandle`) on a SPARQL server the plans were pushed to;
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
                     ReasonerUnavailableError, ServiceRefusedError, UnknownPlanError, UnknownQueryError,
                     UnknownUnitError)
from .resources import DEFAULT_PLAN, find_plan
#: where each public name lives; a module is imported the first time one of its names is used, so that
#: ``import antitraffick_kg`` costs almost nothing and a command pays only for what it uses
_LAZY = {
    "import_plan": "plan.importer",
    "align": "link.align", "AlignRecord": "link.align",
    "MappingRow": "link.mappings", "MappingSet": "link.mappings", "read_sssom": "link.mappings",
    "write_sssom": "link.mappings",
    "Corpus": "store.corpus",
    "export": "store.export", "serialize": "store.export",
    "BuildResult": "pipeline.build", "build_plan": "pipeline.build", "load": "pipeline.build",
    "open_corpus": "handles", "remote": "handles", "CorpusHandle": "handles", "RemoteHandle": "handles",
    "PlanHandle": "handles", "PlanId": "handles", "open_store": "pipeline.sources",
    "query": "ask.query", "QueryResult": "ask.query",
    "validate": "check.validate", "ValidationResult": "check.validate",
    "audit": "check.audit", "AuditResult": "check.audit",
    "reason": "check.reason",
}

if TYPE_CHECKING:  # pragma: no cover
    from .ask.query import QueryResult, query
    from .pipeline.build import BuildResult, build_plan, load
    from .handles import CorpusHandle, PlanHandle, PlanId, RemoteHandle, open_corpus, remote
    from .pipeline.sources import open_store
    from .check.audit import AuditResult, audit
    from .check.reason import reason
    from .check.validate import ValidationResult, validate
    from .link.align import AlignRecord, align
    from .link.mappings import MappingRow, MappingSet, read_sssom, write_sssom
    from .plan.importer import import_plan
    from .store.corpus import Corpus
    from .store.export import export, serialize


def __getattr__(name: str):
    if name == "__version__":
        from .version import package_version

        return package_version()
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'antitraffick_kg' has no attribute '{name}'")
    value = getattr(importlib.import_module(f".{module}", __name__), name)
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
    "remote",
    "CorpusHandle",
    "RemoteHandle",
    "PlanHandle",
    "PlanId",
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
    "UnknownPlanError",
    "QueryError",
    "EndpointError",
    "ReasonerUnavailableError",
    "OutputError",
    "ServiceRefusedError",
]
