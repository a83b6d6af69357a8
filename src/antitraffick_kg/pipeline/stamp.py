"""The digest of everything a plan's build depends on: its input files, the shared data and the code.

Light on purpose: a reader compares it with the corpus manifest before
answering, without importing the parser.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from ..link.links import link_inputs, plans_in_use
from ..resources import data_path, ontology_path, plan_files
from ..version import package_version

__all__ = ["input_stamp", "BUILD_CODE"]

#: the modules whose code decides what a build writes
BUILD_CODE = ("plan/graph.py", "plan/corrections.py", "plan/functions.py", "plan/importer.py", "plan/model.py",
              "plan/parse.py", "plan/narrative.py", "plan/planinfo.py", "plan/registry.py", "plan/tags.py",
              "plan/timeline.py", "link/links.py", "link/linkbase.py", "link/family.py", "link/upper.py",
              "link/counterparts.py", "link/mappings.py", "store/export.py", "pipeline/build.py", "iris.py",
              "namespaces.py", "resources.py")


def input_stamp(plan_id: str) -> str:
    """A digest of every input of a plan's build, and of the code that writes it.

    Raises :class:`~antitraffick_kg.errors.InputError` for a plan found nowhere.
    """
    files = plan_files(plan_id)
    h = hashlib.sha256(package_version().encode())
    inputs = [*files.inputs, data_path("unit-functions.ttl"), data_path("concepts.ttl"),
              data_path("documents.csv"), ontology_path(), *link_inputs(plans_in_use(plan_id))]
    code = Path(__file__).parent.parent          # the package folder
    inputs += [code / name for name in BUILD_CODE]
    for path in inputs:
        h.update(path.name.encode())
        h.update(path.read_bytes())
    return h.hexdigest()
