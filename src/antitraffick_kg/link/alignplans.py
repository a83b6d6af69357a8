"""Align two plans of the corpus: built plans (plan folders) or reference extracts of upper-level plans.

:func:`align_plans` reads each side as :class:`~antitraffick_kg.link.align.AlignRecord` s (a plan folder through the
importer, narrative part; a reference extract from ``data/reference/<id>/measures.csv``), gives each record the
unit functions of the units it names (so that counterpart units count across levels), runs
:func:`~antitraffick_kg.link.align.align` and returns an SSSOM mapping set whose CURIE prefixes expand to the graph's
task and measure IRIs.
"""

from __future__ import annotations

from dataclasses import replace

from .align import Cardinality, as_mapping_set
from ..errors import InputError
from .mappings import MappingSet, plan_prefix

__all__ = ["align_plans", "DEFAULT_THRESHOLD"]

DEFAULT_THRESHOLD = 0.3


def _side(plan_id: str, prefix: str, *, data_dir):
    """(records, curie base, level) of one side."""
    from .align import records_from_measures, records_from_plan
    from ..plan.functions import load_functions
    from .linkbase import LEVEL_ORDER
    from ..resources import data_path, find_plan

    functions = load_functions()
    extract = data_path("reference", plan_id, "measures.csv")
    if extract.is_file():
        from .family import read_family

        level = next((d.level for d in read_family(data_path("plan-family.csv")) if d.id == plan_id), None)
        if level is None:
            raise InputError(f"reference extract '{plan_id}' has no row in data/plan-family.csv")
        records = records_from_measures(extract, prefix=prefix)
        records = [replace(r, functions=frozenset(f.id for f in map(lambda u: functions.recognise(u, level),
                                                                         r.units) if f)) for r in records]
        return records, plan_prefix(plan_id, "measure"), LEVEL_ORDER[level]
    try:
        ref = find_plan(plan_id, data_dir=data_dir)
    except InputError:
        raise InputError(f"'{plan_id}' is neither a plan folder nor a reference extract in data/reference/") from None
    from ..plan.importer import import_plan, plan_files

    files = plan_files(ref)
    plan = import_plan(files.source, corrections=files.corrections, units=files.units, info=files.plan_toml,
                       plan_id=files.plan_id)
    by_id = {u.id: u.function for u in plan.registry}
    records = [replace(r, functions=frozenset(by_id[u] for u in r.units if by_id.get(u)))
               for r in records_from_plan(plan, prefix=prefix)]
    return records, plan_prefix(plan_id, "task"), LEVEL_ORDER[plan.info.level] if plan.info else 9


def align_plans(plan_a: str, plan_b: str, *, threshold: float = DEFAULT_THRESHOLD,
                cardinality: Cardinality | None = None, data_dir=None, mapping_date: str | None = None) -> MappingSet:
    """Propose task alignments from ``plan_a`` (subjects) to ``plan_b`` (objects), one row per subject.

    ``cardinality`` defaults to ``n:1`` when ``plan_b`` is at a higher level (several local tasks under one
    broader measure) and ``1:1`` otherwise. Raises :class:`InputError` for an unknown plan or a bad option.

    >>> rows = align_plans("dehong-2022-2030", "yunnan-2021-2030").rows
    >>> len(rows), rows[1].subject_id, rows[1].object_id
    (56, 'a:4.1.1', 'b:Y-8.1')
    """
    from .align import align

    if plan_a == plan_b:
        raise InputError(f"align needs two different plans; got {plan_a} twice")
    subjects, base_a, level_a = _side(plan_a, "a", data_dir=data_dir)
    objects, base_b, level_b = _side(plan_b, "b", data_dir=data_dir)
    if cardinality is None:
        cardinality = "n:1" if level_b < level_a else "1:1"
    rows = align(subjects, objects, threshold=threshold, cardinality=cardinality, mapping_date=mapping_date)
    return as_mapping_set(rows, mapping_set_id=f"https://w3id.org/antitraffick-kg/id/mappings/{plan_a}--{plan_b}",
                          curie_map={"a": base_a, "b": base_b},
                          title=f"Proposed alignment of {plan_a} to {plan_b} (antitraffick-kg align, threshold "
                                f"{threshold}, {cardinality})")
