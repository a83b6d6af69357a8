"""Generate a corpus of plans in the genre, with a known share of injected defects, for the scale benchmark.

Each generated plan goes through the same model and graph builder as a real build (``model.ParsedPlan`` ->
``build._Builder``), starting from the imported Dehong plan as a template: it gets its own jurisdiction code,
place name and units (the template's units renamed into that jurisdiction), a period shifted by a few years, a
sample of the template's tasks (every task for a prefecture, 1-3 for a county) whose units are shuffled within
the task, and an ``eli:implements`` link upward: prefectures implement ``yunnan-2021-2030``, counties the
prefecture generated just before them.  Plan 0 and every 30th plan is a prefecture (about Dehong's 21k
triples), the rest counties (3-5k triples with their own links), about 3k triples a plan on average.  Each plan
also carries the links only it adds (its document's facts, its units' counterparts), made by the project's link
code from a ``plan.toml`` and ``units.csv`` written for it.

A share of the plans (``--defects``, default 2 %) carries one defect, in turn: a task with no lead unit, a task
whose target year lies outside the plan period, an assignment with no unit.  Each :class:`Defect` lists the SHACL
results (severity, shape, focus node, value) it must produce; a clean plan produces none.

With ``--dehong-sized`` every plan is a prefecture of its own (its own code, place and period) with every task
of the template, about Dehong's 21k triples each: 1,000 such plans are some 21M triples.  Such a corpus is kept
apart from the usual one: its folders and files end in ``-dehong-sized`` and its ``settings.json`` says how it was
generated, which is checked before a cached plan is reused.

The same seed and index always give the same plan, so the first N plans of a larger corpus are the corpus of N.

Run: python benchmarks/gen_corpus.py 100 --out DIR   (writes DIR/plans/, one N-Quads file a plan, DIR/store, the
     corpus store, and DIR/defects.json)
     python benchmarks/gen_corpus.py 1000 --dehong-sized --out DIR   (DIR/plans-dehong-sized/,
     DIR/store-dehong-sized, DIR/defects-dehong-sized.json)
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path

TEMPLATE = "dehong-2022-2030"
PREFECTURE_EVERY = 30
#: ``prefecture_every`` of a Dehong-sized corpus: every plan a prefecture of its own with every task of the template
DEHONG_SIZED = 1
DEFECT_KINDS = ("no-lead", "year-outside-period", "assignment-without-unit")
_SHAPES = "https://w3id.org/antitraffick-kg/shapes#"
_SYLLABLES = [("安", "An"), ("宝", "Bao"), ("昌", "Chang"), ("德", "De"), ("峨", "E"), ("丰", "Feng"), ("广", "Guang"),
              ("和", "He"), ("华", "Hua"), ("江", "Jiang"), ("景", "Jing"), ("开", "Kai"), ("兰", "Lan"), ("临", "Lin"),
              ("龙", "Long"), ("茂", "Mao"), ("宁", "Ning"), ("平", "Ping"), ("普", "Pu"), ("青", "Qing"),
              ("瑞", "Rui"), ("盛", "Sheng"), ("石", "Shi"), ("泰", "Tai"), ("通", "Tong"), ("文", "Wen"),
              ("西", "Xi"), ("祥", "Xiang"), ("兴", "Xing"), ("永", "Yong"), ("元", "Yuan"), ("云", "Yun"),
              ("泽", "Ze"), ("长", "Chang"), ("中", "Zhong"), ("南", "Nan"), ("东", "Dong"), ("北", "Bei"),
              ("河", "He"), ("山", "Shan"), ("林", "Lin"), ("水", "Shui"), ("阳", "Yang"), ("清", "Qing"),
              ("明", "Ming"), ("新", "Xin"), ("福", "Fu"), ("康", "Kang"), ("乐", "Le"), ("丽", "Li"),
              ("金", "Jin"), ("玉", "Yu"), ("凤", "Feng"), ("怀", "Huai"), ("嘉", "Jia"), ("建", "Jian"),
              ("崇", "Chong"), ("顺", "Shun"), ("汉", "Han"), ("会", "Hui")]


@dataclass(frozen=True)
class Defect:
    kind: str
    plan: str
    node: str          # the task or assignment the defect is in
    #: the SHACL results it must produce: (severity, shape, focus node, value or None)
    results: tuple[tuple[str, str, str, str | None], ...]


@dataclass(frozen=True)
class GeneratedPlan:
    plan: str
    level: str
    nquads: bytes      # the plan's graph, in its named graph, and its own links, in theirs
    triples: int
    defects: tuple[Defect, ...]


def plan_meta(index: int, *, prefecture_every: int = PREFECTURE_EVERY) -> tuple[str, str, str, str | None, int]:
    """(plan id, level, jurisdiction code, id of the plan it implements or None, year shift) of plan ``index``, in
    a corpus where plan 0 and every ``prefecture_every``-th plan is a prefecture (1: every plan, each its own)."""
    prefecture = index // prefecture_every
    pref_code = f"{534000 + prefecture * 100}"
    shift = (prefecture % 4) - 1                           # periods 2021-2029 … 2024-2032
    pref_id = f"gen-{pref_code}-{2022 + shift}-{2030 + shift}"
    if index % prefecture_every == 0:
        return pref_id, "prefecture", pref_code, None, shift
    code = f"{int(pref_code) + index % prefecture_every}"
    county_shift = shift + (index % 3)
    return f"gen-{code}-{2022 + county_shift}-{2030 + county_shift}", "county", code, pref_id, county_shift


def _place(index: int, level: str) -> tuple[str, str]:
    a, b = divmod(index, len(_SYLLABLES))
    a %= len(_SYLLABLES)
    zh, en = _SYLLABLES[a][0] + _SYLLABLES[b][0], _SYLLABLES[a][1] + _SYLLABLES[b][1].lower()
    if index >= len(_SYLLABLES) ** 2:
        zh, en = f"{zh}{index // len(_SYLLABLES) ** 2}", f"{en}{index // len(_SYLLABLES) ** 2}"
    return (zh + "州", en + " Prefecture") if level == "prefecture" else (zh + "县", en + " County")


@lru_cache(maxsize=1)
def _template():
    """The imported template plan, without the tasks whose lead is missing in a part (a warning in Dehong)."""
    from antitraffick_kg.pipeline.build import _import

    parsed = _import(TEMPLATE)
    clean = {}
    for notation, task in parsed.tasks.items():
        if all(any(m.role == "lead" and m.part == part for m in task.mentions) for part in task.statements):
            clean[notation] = task
    return parsed, clean


@lru_cache(maxsize=1)
def _shared_triples():
    """The concept schemes every plan points at (parsed once, not once a plan), rdflib -> pyoxigraph; they go into
    the shared vocabulary graph, not into a plan's graph."""
    from rdflib import Graph

    from antitraffick_kg.resources import data_path

    g = Graph()
    g.parse(str(data_path("concepts.ttl")), format="turtle")
    g.parse(str(data_path("unit-functions.ttl")), format="turtle")
    return {t: tuple(_ox(x) for x in t) for t in g}


def _rename(unit, place: tuple[str, str], code: str, level: str):
    """``unit`` moved into jurisdiction ``code``.  A county's units are named after its place (so every name is
    one unit of the corpus); a prefecture's keep the template's names, the generic names (州妇联) that its
    counties' links give the units above them."""
    short = unit.short_name[1:] if unit.short_name.startswith("州") else unit.short_name
    short = unit.short_name if level == "prefecture" else place[0] + short
    return replace(unit, short_name=short, variants=(), full_name=place[0] + short.lstrip("州"),
                   name_en=(unit.name_en or unit.id).replace("Dehong Prefecture", place[1]).replace("Dehong", place[1]),
                   jurisdiction=code)


def parsed_plan(index: int, *, seed: int = 0, defect_share: float = 0.02, prefecture_every: int = PREFECTURE_EVERY):
    """The generated :class:`~antitraffick_kg.plan.model.ParsedPlan` of plan ``index`` and its defects (graph-level
    defects are applied by :func:`generate_plan`)."""
    from antitraffick_kg.plan.model import ParsedPlan, Task
    from antitraffick_kg.plan.planinfo import PlanInfo

    template, clean = _template()
    plan_id, level, code, upper, shift = plan_meta(index, prefecture_every=prefecture_every)
    rng = random.Random(f"{seed}:{index}")
    place = _place(index, level)
    notations = sorted(clean) if level == "prefecture" else sorted(rng.sample(sorted(clean), rng.randint(1, 3)))
    units = {u.id: _rename(u, place, code, level) for u in template.registry}
    pool = sorted(units)
    tasks = {}
    for n in notations:
        t = clean[n]
        mapping = dict(zip(pool, rng.sample(pool, len(pool)))) if rng.random() < 0.5 else {u: u for u in pool}
        mentions = [replace(m, unit=units[mapping[m.unit.id]]) for m in t.mentions]
        tasks[n] = Task(t.notation, t.title, t.area, t.narrative_number, t.table_number, dict(t.statements), mentions,
                        [replace(c, column_year=c.column_year + shift) for c in t.progress],
                        [replace(m, year=m.year + shift, until=None if m.until is None else m.until + shift)
                         for m in t.milestones],
                        list(t.concepts), None if t.target_year is None else t.target_year + shift)
    used = {m.unit.id for t in tasks.values() for m in t.mentions}
    kept = {u.id for u in template.registry if u.id in used or (
        level == "prefecture" and u.kind in ("joint-meeting", "joint-meeting-office", "collective-body"))}
    kept |= {template.issuer[0].id} if template.issuer else set()
    office = template.office if level == "prefecture" else None      # a county plan names no joint meeting here
    if office:
        kept |= {office[0].id, office[1].id}
    registry = [units[u] for u in sorted(kept)]
    areas = {}
    for t in tasks.values():
        a = template.areas[t.area]
        while a is not None and a.notation not in areas:
            areas[a.notation] = a
            a = template.areas.get(a.parent) if a.parent else None
    first, last = 2022 + shift, 2030 + shift
    info = PlanInfo(title=f"{place[0]}反对拐卖人口行动计划实施方案（{first}—{last}年）", period=(first, last),
                    level=level, jurisdiction=code, title_en=f"{place[1]} Anti-Human-Trafficking Action Plan "
                    f"({first}–{last})", number=f"{place[0][:-1]}政办发〔{first}〕{index % 97 + 1}号",
                    issuer=f"{place[0]}人民政府办公室", implements=(upper or "yunnan-2021-2030",))
    parsed = ParsedPlan(plan_id, f"data/{plan_id}/source.txt", template.text, template.sha256, None,
                        scheme_title=template.scheme_title, table_title=template.table_title,
                        implements=template.implements, period=(first, last, template.period[2] if template.period
                                                                else None),
                        areas=areas, tasks=tasks,
                        members=[replace(m, unit=units[m.unit.id]) for m in template.members if m.unit.id in kept and office],
                        office=(units[office[0].id], units[office[1].id], office[2]) if office else None,
                        findings=[f for f in template.findings if f.task in tasks],
                        registry=registry, info=info,
                        issuer=(units[template.issuer[0].id], None) if template.issuer else None)
    defects: list[Defect] = []
    every = round(1 / defect_share) if defect_share > 0 else 0
    if every and index % every == every // 2:
        defects.append(_inject(DEFECT_KINDS[(index // every) % len(DEFECT_KINDS)], parsed, rng))
    return parsed, tuple(defects)


def _inject(kind: str, parsed, rng: random.Random) -> Defect:
    """Break one task of ``parsed`` (an assignment's unit is dropped later, from the graph) and say what
    validation must report: the violation, and the warning the same fault also raises."""
    from antitraffick_kg.plan.graph import task_iri
    from antitraffick_kg.iris import plan_iri

    task = parsed.tasks[rng.choice(sorted(parsed.tasks))]
    node, plan = str(task_iri(parsed.plan_id, task.notation)), plan_iri(parsed.plan_id)
    if kind == "no-lead":
        task.mentions = [m for m in task.mentions if m.role != "lead"]
        results = [("violation", "Task-lead", node, None), ("warning", "Task-leadInEachPart", plan, node)]
    elif kind == "year-outside-period":
        task.target_year = parsed.period[1] + 3
        deadline = any(m.kind == "deadline" for m in task.milestones)
        results = [("violation", "Task-targetYearInPeriod", plan, node),
                   ("warning", "Task-targetYearIsLastDeadline" if deadline else "Task-targetYearIsPlanEnd", plan, node)]
    else:
        m = task.mentions[0]
        node = f"{node}/assignment/{m.part}/{m.role}/{m.unit.id}"
        results = [("violation", "Assignment-unit", node, None)]
    return Defect(kind, parsed.plan_id, node, tuple((sev, _SHAPES + shape, focus, value)
                                                    for sev, shape, focus, value in results))


@lru_cache(maxsize=1)
def _folders() -> Path:
    """A folder of this process for the generated plans' ``plan.toml`` and ``units.csv`` (their links read them)."""
    import atexit
    import shutil
    import tempfile

    root = Path(tempfile.mkdtemp(prefix="gen-corpus-"))
    atexit.register(shutil.rmtree, root, True)
    return root


def _plan_ref(parsed):
    """``parsed`` as a plan folder (``plan.toml``, ``units.csv``), the input a build reads its links from."""
    import csv
    import io

    from antitraffick_kg.plan.planinfo import plan_info_toml
    from antitraffick_kg.plan.registry import COLUMNS
    from antitraffick_kg.resources import PlanRef

    folder = _folders() / parsed.plan_id
    folder.mkdir(exist_ok=True)
    (folder / "plan.toml").write_text(plan_info_toml(parsed.info), encoding="utf-8")
    text = io.StringIO()
    writer = csv.writer(text, lineterminator="\n")
    writer.writerow(COLUMNS)
    for u in parsed.registry:
        writer.writerow([u.id, u.short_name, "|".join(u.variants), u.full_name, u.name_en, u.kind, u.function])
    (folder / "units.csv").write_text(text.getvalue(), encoding="utf-8")
    return PlanRef(parsed.plan_id, folder)


def own_links(parsed, upper) -> list:
    """The linking quads only this plan puts into the corpus store (its document's facts, its units'
    counterparts), as :func:`antitraffick_kg.link.links.corpus_link_quads` makes them from its folder; ``upper`` is
    the generated plan it implements, or None."""
    import pyoxigraph as ox

    from antitraffick_kg.iris import graph_iri
    from antitraffick_kg.link.links import link_graphs

    _ontology, shared = shared_quads()
    seen = set(shared)
    refs = [_plan_ref(parsed)] + ([_plan_ref(upper)] if upper is not None else [])
    prefix, mine = graph_iri(parsed.plan_id) + "/", []
    for graph in link_graphs(refs, own=parsed.plan_id, corpus=True):
        for q in graph:
            if q not in seen:
                seen.add(q)
                mine.append(ox.Quad(q.subject, q.predicate, q.object,
                                    ox.NamedNode(prefix + q.graph_name.value.rsplit("/", 1)[-1])))
    return mine


def _ox(term):
    import pyoxigraph as ox
    from rdflib import BNode, Literal

    if isinstance(term, Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        if term.datatype:
            return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
        return ox.Literal(str(term))
    if isinstance(term, BNode):
        return ox.BlankNode(str(term))
    return ox.NamedNode(str(term))


def generate_plan(index: int, *, seed: int = 0, defect_share: float = 0.02, prefecture_every: int = PREFECTURE_EVERY
                  ) -> GeneratedPlan:
    """Plan ``index`` of the generated corpus: its graph (as a build makes it, in the plan's named graph)."""
    import pyoxigraph as ox

    from antitraffick_kg.plan.graph import _Builder
    from antitraffick_kg.iris import ATK_BASE, graph_iri
    from antitraffick_kg.plan.planinfo import upper_documents

    parsed, defects = parsed_plan(index, seed=seed, defect_share=defect_share, prefecture_every=prefecture_every)
    b = _Builder(parsed, upper_documents())
    b.document()
    b.units()
    b.areas()
    b.tasks()
    b.findings()
    shared = _shared_triples()
    dropped = {d.node for d in defects if d.kind == "assignment-without-unit"}
    graph = ox.NamedNode(graph_iri(parsed.plan_id))
    unit = ATK_BASE + "unit"
    quads = [ox.Quad(_ox(s), _ox(p), _ox(o), graph) for s, p, o in b.g
             if (s, p, o) not in shared and not (str(p) == unit and str(s) in dropped)]
    upper_index = index - index % prefecture_every
    upper = (parsed_plan(upper_index, seed=seed, defect_share=0, prefecture_every=prefecture_every)[0]
             if upper_index != index else None)
    quads += own_links(parsed, upper)
    return GeneratedPlan(parsed.plan_id, parsed.info.level, ox.serialize(quads, format=ox.RdfFormat.N_QUADS),
                         len(quads), defects)


@lru_cache(maxsize=1)
def shared_quads() -> tuple[list, list]:
    """The graphs every plan shares in a corpus store: the ontology with the concept schemes, and the linking graphs
    of the bundled data."""
    import pyoxigraph as ox

    from antitraffick_kg.iris import ONTOLOGY_GRAPH, VOCABULARY_GRAPH
    from antitraffick_kg.link.links import corpus_link_quads, plans_in_use
    from antitraffick_kg.resources import ontology_path

    ontology = [ox.Quad(q.subject, q.predicate, q.object, ox.NamedNode(ONTOLOGY_GRAPH))
                for q in ox.parse(path=str(ontology_path()), format=ox.RdfFormat.TURTLE)]
    ontology += [ox.Quad(s, p, o, ox.NamedNode(VOCABULARY_GRAPH)) for s, p, o in _shared_triples().values()]
    links, _own = corpus_link_quads(plans_in_use(TEMPLATE), own=TEMPLATE)
    return ontology, links


def write_store(store: str | Path, plans: Iterable[tuple[str, bytes]]) -> None:
    """Write ``plans`` ((plan id, N-Quads of its graph)) into the corpus store ``store`` as a build does; they are
    read one by one as the store takes them, in batches."""
    import pyoxigraph as ox

    from antitraffick_kg.store.corpus import SHARED_PART, PlanPart, write_parts

    ontology, links = shared_quads()
    digest = hashlib.sha256(ox.serialize(sorted(links, key=str), format=ox.RdfFormat.N_QUADS)).hexdigest()

    def parts() -> Iterator[PlanPart]:
        yield PlanPart(SHARED_PART, "shared", digest, tuple(links))
        for plan, nquads in plans:
            yield PlanPart.from_nquads(nquads, plan=plan, kind="plan", digest=hashlib.sha256(nquads).hexdigest())

    write_parts(store, parts(), shared=ontology)


def generate(n: int, *, start: int = 0, seed: int = 0, defect_share: float = 0.02, workers: int = 1,
             prefecture_every: int = PREFECTURE_EVERY):
    """Generated plans ``start`` … ``start + n - 1``, in order (``workers`` processes build them)."""
    from functools import partial

    job = partial(generate_plan, seed=seed, defect_share=defect_share, prefecture_every=prefecture_every)
    if workers <= 1 or n < 4:
        yield from map(job, range(start, start + n))
        return
    import multiprocessing

    with multiprocessing.get_context("fork").Pool(workers) as pool:
        _template(), _shared_triples(), shared_quads()       # read once, before the workers fork
        yield from pool.imap(job, range(start, start + n), chunksize=8)


def suffix(prefecture_every: int = PREFECTURE_EVERY) -> str:
    """What the names of a corpus's folders and files end with: nothing for the usual mix of prefectures and
    counties, ``-dehong-sized`` when every plan is a prefecture, so the two corpora never share a folder."""
    if prefecture_every == PREFECTURE_EVERY:
        return ""
    return "-dehong-sized" if prefecture_every == DEHONG_SIZED else f"-prefecture-every-{prefecture_every}"


def ensure_generated(folder: Path, n: int, *, seed: int = 0, defect_share: float = 0.02, workers: int = 2,
                     prefecture_every: int = PREFECTURE_EVERY) -> list[dict]:
    """Plans 0..n-1 as files in ``folder`` (``<index>.nq`` and ``<index>.json``), generating the missing ones;
    returns their descriptions (plan, level, triples, defects, file).  ``folder/settings.json`` records the
    settings they were generated with; a folder holding plans of other settings is refused."""
    folder.mkdir(parents=True, exist_ok=True)
    key = folder / "settings.json"
    # "vocabulary": the concept schemes are in the shared vocabulary graph, no longer in each plan's graph
    wanted = {"seed": seed, "defects": defect_share, "vocabulary": "shared"}
    if prefecture_every != PREFECTURE_EVERY:      # a corpus of the usual mix keeps the settings it always had
        wanted["prefecture_every"] = prefecture_every
    settings = json.dumps(wanted)
    if key.exists() and key.read_text() != settings:
        raise SystemExit(f"{folder} holds plans generated with other settings ({key.read_text()})")
    key.write_text(settings)
    have = 0
    while have < n and (folder / f"{have:05d}.json").exists():
        have += 1
    if have < n:
        started = time.perf_counter()
        for i, g in enumerate(generate(n - have, start=have, seed=seed, defect_share=defect_share, workers=workers,
                                       prefecture_every=prefecture_every), start=have):
            (folder / f"{i:05d}.nq").write_bytes(g.nquads)
            (folder / f"{i:05d}.json").write_text(json.dumps(
                {"plan": g.plan, "level": g.level, "triples": g.triples, "defects": [d.__dict__ for d in g.defects]},
                ensure_ascii=False))
        print(f"generated plans {have}-{n - 1} in {time.perf_counter() - started:.1f} s")
    out = []
    for i in range(n):
        meta = json.loads((folder / f"{i:05d}.json").read_text())
        meta["file"] = folder / f"{i:05d}.nq"
        out.append(meta)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("plans", type=int)
    parser.add_argument("--out", type=Path, required=True, help="folder for the plans, the store and defects.json")
    parser.add_argument("--defects", type=float, default=0.02, help="share of plans with one injected defect")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--dehong-sized", action="store_true",
                        help="every plan a prefecture of its own with every task of the template, sized like Dehong's")
    args = parser.parse_args()
    every = DEHONG_SIZED if args.dehong_sized else PREFECTURE_EVERY
    end = suffix(every)
    plans = ensure_generated(args.out / f"plans{end}", args.plans, seed=args.seed, defect_share=args.defects,
                             workers=args.workers, prefecture_every=every)
    defects = [d for p in plans for d in p["defects"]]
    print(f"{len(plans)} plans, {sum(p['triples'] for p in plans):,} triples, {len(defects)} defects")
    started = time.perf_counter()
    write_store(args.out / f"store{end}", ((p["plan"], p["file"].read_bytes()) for p in plans))
    (args.out / f"defects{end}.json").write_text(json.dumps(defects, ensure_ascii=False, indent=1) + "\n")
    print(f"wrote the corpus store {args.out / f'store{end}'} in {time.perf_counter() - started:.1f} s")


if __name__ == "__main__":
    main()
