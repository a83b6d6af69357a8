"""The linking graphs of the plans in use, as N-Quads: one function, :func:`link_nquads`.

Named graphs (all under ``https://w3id.org/antitraffick-kg/id/graph/``):

- ``family``: every document of ``data/plan-family.csv`` and every plan in use (:mod:`.family`);
- ``<plan-id>`` for each reference extract in ``data/reference/`` (:mod:`.upper`);
- ``counterparts``: unit counterparts across levels and sibling plans (:mod:`.counterparts`);
- ``mappings``: task links from every ``*.sssom.tsv`` in ``data/mappings/`` and in the folders of the plans in
  use, one ``rdf:Statement`` per row with its status (a ``sssom:NoTermFound`` row is unknown; every other row is
  inferred with the row's confidence, since no mapping is verified end to end).

The build adds these graphs to each plan's dataset; :func:`link_inputs` lists the files they are made from, so
that a change to any of them makes a build stale.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pyoxigraph as ox

from .linkbase import ATK, Quads, graph_node, node

__all__ = ["link_nquads", "corpus_link_quads", "link_inputs", "plans_in_use", "MAPPINGS_GRAPH"]

MAPPINGS_GRAPH = "mappings"
_NO_TERM = "https://w3id.org/sssom/NoTermFound"


def plans_in_use(plan: str | None = None) -> list:
    """Every plan folder beside ``plan`` (a plan id or :class:`PlanRef`): the workspace it was found in, or the
    one ``$ANTITRAFFICK_KG_DATA_DIR`` names, and the bundled plans; as :class:`PlanRef`, ``plan`` among them."""
    from ..resources import data_path, find_plan, known_plans

    data_dir = None
    if plan is not None:
        plan = find_plan(plan)
        if plan.folder.parent.resolve() != data_path().resolve():
            data_dir = plan.folder.parent
    return [find_plan(p, data_dir=data_dir) for p in known_plans(data_dir=data_dir)]


def _mapping_files(plans: Sequence) -> list[Path]:
    from ..resources import data_path

    files = sorted(data_path("mappings").glob("*.sssom.tsv"))
    for plan in plans:
        files += sorted(Path(plan.folder).glob("*.sssom.tsv"))
    return files


def link_inputs(plans: Sequence) -> list[Path]:
    """Every file the linking graphs of ``plans`` (:class:`PlanRef`) are made from."""
    from ..resources import data_path

    files = [data_path("plan-family.csv"), data_path("unit-crosswalk.csv")]
    files += sorted(p for p in data_path("reference").rglob("*.csv"))
    for plan in plans:
        files += [Path(plan.folder) / "plan.toml", Path(plan.folder) / "units.csv"]
    return files + _mapping_files(plans)


def link_nquads(plans: Sequence, *, own: str | None = None) -> bytes:
    """The linking graphs for ``plans`` (each a :class:`~antitraffick_kg.resources.PlanRef`), as N-Quads; with
    ``own``, the counterparts of that plan's units only (the graphs a plan's build adds to its dataset).

    Raises :class:`~antitraffick_kg.errors.InputError` naming the file and line of a bad input.
    """
    quads = []
    for graph in link_graphs(plans, own=own):
        quads.extend(graph)
    return ox.serialize(quads, format=ox.RdfFormat.N_QUADS)


def corpus_link_quads(plans: Sequence, *, own: str) -> tuple[list[ox.Quad], list[ox.Quad]]:
    """The linking quads plan ``own`` puts into the corpus store, in two sets that do not overlap.

    The shared set is the same whichever plan is built: the family of ``data/plan-family.csv``, the reference
    extracts and the mappings of ``data/mappings/``, in the graphs :func:`link_nquads` names.  The plan's own set
    is what only it adds: its document's facts from ``plan.toml`` (its text is there), its units' counterparts
    and the mapping files of its folder, in graphs ``<plan graph>/<name>`` (``…/graph/<plan>/counterparts``), so
    that rebuilding one plan never drops another plan's links and no triple sits in two graphs.
    """
    from ..iris import graph_iri

    shared = [q for graph in link_graphs([], corpus=True) for q in graph]
    seen = set(shared)
    prefix = graph_iri(own) + "/"
    mine = []
    for graph in link_graphs(plans, own=own, corpus=True):
        for q in graph:
            if q not in seen:
                seen.add(q)
                name = q.graph_name.value.rsplit("/", 1)[-1]
                mine.append(ox.Quad(q.subject, q.predicate, q.object, ox.NamedNode(prefix + name)))
    return shared, mine


def link_graphs(plans: Sequence, *, own: str | None = None, corpus: bool = False) -> list[Quads]:
    from .counterparts import PlanUnits, counterpart_quads, read_crosswalk
    from .family import family_quads, read_family
    from ..plan.functions import load_functions
    from ..plan.planinfo import load_plan_info
    from ..plan.registry import UnitRegistry
    from ..resources import data_path
    from .upper import read_upper_plan, upper_quads

    functions = load_functions()
    infos = {str(p): load_plan_info(Path(p.folder) / "plan.toml") for p in plans}
    documents = read_family(data_path("plan-family.csv"))
    in_family = {k: v for k, v in infos.items() if not corpus or own is None or k == str(own)}
    family = family_quads(documents, plans_in_use=in_family, state_absent=not corpus)
    facts = {d.id: (d.level, d.jurisdiction, d.implements) for d in documents}
    for plan_id, info in infos.items():
        known = facts.get(plan_id, (None, None, ()))
        facts[plan_id] = (info.level, info.jurisdiction, tuple(dict.fromkeys((*known[2], *info.implements))))
    upper = {}
    for folder in sorted(f for f in data_path("reference").iterdir() if (f / "measures.csv").is_file()):
        level, jurisdiction, _ = facts.get(folder.name, (None, None, ()))
        if level is None or jurisdiction is None:
            from ..errors import InputError

            raise InputError(f"reference extract '{folder.name}' has no row with its level and jurisdiction in "
                             "data/plan-family.csv", path=str(folder))
        upper[folder.name] = read_upper_plan(folder, level=level, jurisdiction=jurisdiction, functions=functions)
    graphs = [family] + [upper_quads(u, functions=functions) for u in upper.values()]
    units = []
    for plan in (p for p in plans if own is None or str(p) == str(own)):
        info = infos[str(plan)]
        registry = UnitRegistry.from_csv(Path(plan.folder) / "units.csv", jurisdiction=info.jurisdiction)
        units.append(PlanUnits(str(plan), info.level, info.jurisdiction, tuple(registry),
                               _ancestors(str(plan), facts)))
    above = {**_imported_uppers(units, plans, infos), **upper}
    described = {u.node.value for plan in above.values() for u in plan.units.values()}
    graphs.append(counterpart_quads(units, upper=above, functions=functions,
                                    crosswalk=read_crosswalk(data_path("unit-crosswalk.csv")), described=described))
    graphs.append(_mapping_quads(_mapping_files([p for p in plans if not corpus or str(p) == str(own)])))
    return graphs


def _imported_uppers(units: Sequence, plans: Sequence, infos: dict) -> dict:
    """The plans in use that are above one of ``units``' plans, as upper plans whose units are their own registry's
    (a county's counterpart in its imported prefecture is that plan's unit, which its own graph describes)."""
    from .upper import UpperPlan, UpperUnit
    from ..plan.registry import UnitRegistry

    wanted = {a[0] for u in units for a in u.ancestors}
    found = {}
    for plan in plans:
        pid = str(plan)
        if pid not in wanted:
            continue
        info = infos[pid]
        registry = UnitRegistry.from_csv(Path(plan.folder) / "units.csv", jurisdiction=info.jurisdiction)
        found[pid] = UpperPlan(pid, info.level, info.jurisdiction, Path(plan.folder), {
            u.short_name: UpperUnit(u.short_name, u.full_name, u.name_en, u.function or None,
                                    node(f"unit/{info.jurisdiction}/{u.id}"), False, "", f"{pid}/units.csv")
            for u in registry})
    return found


def _ancestors(plan_id: str, facts: dict) -> tuple[tuple[str, str, str], ...]:
    """Every document above ``plan_id`` in the implements chain, nearest first, one per level (the nearest)."""
    from .linkbase import LEVEL_ORDER

    found: dict[str, tuple[str, str, str]] = {}
    frontier, seen = [plan_id], {plan_id}
    while frontier:
        nxt = []
        for pid in frontier:
            for up in facts.get(pid, (None, None, ()))[2]:
                if up in seen or up not in facts or facts[up][1] is None:
                    continue
                seen.add(up)
                level, juris, _ = facts[up]
                if LEVEL_ORDER.get(level, 9) < LEVEL_ORDER.get(facts[plan_id][0], 9):
                    found.setdefault(level, (up, level, juris))
                nxt.append(up)
        frontier = nxt
    return tuple(sorted(found.values(), key=lambda a: -LEVEL_ORDER[a[1]]))


def _mapping_quads(files: Sequence[Path]) -> Quads:
    from .mappings import read_sssom

    q = Quads(graph_node(MAPPINGS_GRAPH))
    for path in files:
        mapping_set = read_sssom(path)
        lines = mapping_set.row_lines or (None,) * len(mapping_set.rows)
        for row, line in zip(mapping_set.rows, lines):
            s, o = (ox.NamedNode(_expand(mapping_set, c)) for c in (row.subject_id, row.object_id))
            p = _expand(mapping_set, row.predicate_id)
            st = q.statement("mapping", s, p, o, path.name)
            q.add(st, ATK + "basis", _expand(mapping_set, row.mapping_justification))
            where = f"{path.name}" + (f" line {line}" if line else "")
            reason = f"{where}: {row.comment or row.mapping_justification}"
            if _NO_TERM in (s.value, o.value):
                q.status(st, "unknown", reason=reason)
            else:
                q.status(st, "inferred", confidence=row.confidence if row.confidence is not None else 0.5,
                         reason=reason if row.confidence is not None else reason + " (no confidence given: 0.5)")
    return q


def _expand(mapping_set, curie: str) -> str:
    from .mappings import expand

    return expand(curie, mapping_set.curie_map)
