"""Commands that import, build and export a plan."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from .main import main
from ..formats import RdfFormat, choices
from ..resources import find_plan
from .options import (build_dir_option, chosen_plans, corpus_for, data_dir_option, format_option, max_size_option,
                      no_output_file, output_dir_option, output_option, plans_option, rebuild_option, several,
                      store_option)
from ..resources import MAX_SOURCE_MIB
from ..plan.planinfo import LEVELS


_MAX_SIZE = max_size_option(default=MAX_SOURCE_MIB, what="a plan text")


@main.command("import")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--corrections", type=click.Path(dir_okay=False, path_type=Path),
              help="Corrections file (default: corrections.toml beside FILE, if there is one).")
@click.option("--units", type=click.Path(dir_okay=False, path_type=Path),
              help="The units the plan names (default: units.csv beside FILE).")
@_MAX_SIZE
def import_command(file: Path, corrections: Path | None, units: Path | None, max_size: int) -> None:
    """Parse a plan FILE and print what it read and every line it could not place.

    FILE is a text, a Word file (.docx, .doc, .wps), a PDF, a page image or a
    saved web page.  plan.toml and units.csv are read from beside FILE.  Exit 0
    when every line was placed, 1 when some were not or the text is cut off
    (inside a clause, an item's words or a table row: what stands before
    the cut is read), 2 when the file cannot be used (too
    large, or no task found in it).
    """
    from ..plan.importer import import_plan
    from ..steps import terminal_progress

    if corrections is None and (file.parent / "corrections.toml").is_file():
        corrections = file.parent / "corrections.toml"
    plan = import_plan(file, corrections=corrections, units=units, strict=False, max_mib=max_size,
                       progress=terminal_progress())
    _report(plan, file)


def _report(plan, file: Path) -> None:
    """What the import read, then its problems on standard error; exit 1 when lines were not placed."""
    out = click.echo
    out(f"{file}: {plan.doc_number[0] if plan.doc_number else '(no document number in the text)'}")
    if plan.period:
        out(f"plan period: {plan.period[0]}–{plan.period[1]}")
    if plan.origins:
        pages = max((o.page or 1 for o in plan.origins.values()), default=1)
        out(f"read from the original: {len(plan.origins):,} lines, {pages:,} page(s); each line's place in it is "
            "in the evidence")
    elif plan.converted_from:
        out("script: Traditional, converted to Simplified (offsets refer to the converted text)")
    table = (f"table lines {plan.table_lines[0]}–{plan.table_lines[1]} ({plan.table_rows} rows)"
             if plan.table_title or plan.table_rows else "no annual table")
    narrative = ("no narrative (the annual table read alone)" if plan.narrative_lines == (0, 0) else
                 f"narrative lines {plan.narrative_lines[0]}–{plan.narrative_lines[1]}")
    out(f"{narrative}, {table}")
    out(f"policy areas: {len(plan.areas)}   tasks: {len(plan.tasks)}   joint-meeting members: {len(plan.members)}")
    units_seen = {m.unit.short_name for t in plan.tasks.values() for m in t.mentions}
    roles = {(m.role, m.part) for t in plan.tasks.values() for m in t.mentions}
    n = {r: sum(1 for t in plan.tasks.values() for m in t.mentions if (m.role, m.part) == r) for r in roles}
    out(f"units named in task lists: {len(units_seen)}   "
        + "   ".join(f"{role} ({part}): {n[(role, part)]}" for role, part in sorted(n)))
    years = sorted({ms.year for t in plan.tasks.values() for ms in t.milestones if ms.kind == "deadline"})
    out(f"deadline years: {', '.join(map(str, years)) or 'none'}")
    for t in sorted(plan.tasks.values(), key=lambda t: [int(x) for x in t.notation.split('.')]):
        leads = "、".join(dict.fromkeys(m.unit.short_name for m in t.mentions if m.role == "lead"))
        out(f"  {t.notation:<7} {t.title}  [负责 {leads or '—'}]  target {t.target_year}")
    for f in plan.findings:
        out(f"  finding line {f.line}: {f.message}")
    if plan.problems:
        for p in plan.problems:
            click.echo(f"{file}:{p.line}: {p.message}", err=True)
    _incomplete(plan.incomplete, file)
    if plan.problems:
        click.echo(f"{len({p.line for p in plan.problems})} line(s) could not be placed", err=True)
    if plan.problems or plan.incomplete:
        sys.exit(1)
    out("every line placed")


def _incomplete(findings, file) -> None:
    """The places where the text is cut off, on standard error: what was read stands, what followed is lost."""
    for f in findings:
        click.echo(f"{file}:{f.line}: {f.message}", err=True)
    if findings:
        click.echo(f"the text is incomplete: cut off at {len(findings)} place(s), each read as far as the cut",
                   err=True)


@main.command("new")
@click.argument("plan_id", metavar="PLAN-ID")
@click.option("--source", type=click.Path(dir_okay=False, path_type=Path), required=True,
              help="The plan as published: a text (UTF-8; Traditional script is converted when read), a Word file "
                   "(.docx, .doc, .wps), a PDF (with a text layer, or scanned), a page image (.png, .jpg, .tif) or "
                   "a saved web page (.html).")
@click.option("--title", required=True, help="The document's title.")
@click.option("--level", type=click.Choice(LEVELS), required=True, help="The issuer's administrative level.")
@click.option("--jurisdiction", metavar="CODE", required=True, help="GB/T 2260 code of the jurisdiction, e.g. 532500.")
@click.option("--period", metavar="FIRST-LAST", required=True, help="The plan period, e.g. 2021-2030.")
@click.option("--number", help="The document number, e.g. 红政办发〔2022〕27号 (default: from the text's header).")
@click.option("--implements", "implements", multiple=True, metavar="ID",
              help="The id of a plan this one implements (a plan of the family or of the workspace); repeatable.")
@click.option("--force", is_flag=True,
              help="Create the folder even when PLAN-ID is a bundled plan's id, hiding that plan in this workspace "
                   "(every later command there warns of it).")
@_MAX_SIZE
@data_dir_option
def new_command(plan_id: str, source: Path, title: str, level: str, jurisdiction: str, period: str,
                number: str | None, implements: tuple[str, ...], force: bool, max_size: int,
                data_dir: Path | None) -> None:
    """Create the plan folder PLAN-ID in the workspace from a text and the document's facts.

    Copies the source (or, from a Word file, PDF, scan or web page, writes
    the text read from it, keeps the original and a map of where each line
    came from), writes plan.toml, proposes units.csv from the unit names
    the text uses, imports the plan and prints what it read and what a person
    must still fill in.  Exit 0 when every line was placed, 1 when some were
    not or the text is cut off (a clause, an item or a table row; the folder is written either
    way), 2 for unusable input (nothing is
    written): a text with no task, one larger than --max-size, an unknown
    --implements, a bundled plan's id without --force.
    """
    from ..plan.newplan import new_plan
    from ..plan.planinfo import plan_info_from
    from ..steps import terminal_progress

    info = plan_info_from({"title": title, "level": level, "jurisdiction": jurisdiction, "period": period,
                           "number": number, "implements": list(implements)}, where="new")
    result = new_plan(plan_id, source=source, info=info, data_dir=data_dir, force=force, max_mib=max_size,
                      progress=terminal_progress())
    if force and (getattr(find_plan(plan_id, data_dir=data_dir), "shadows", None)) is not None:
        click.echo(f"Warning: {result.folder} hides the bundled plan {plan_id} in this workspace", err=True)
    kept = f", {result.plan.info.original} (the original), source.map.tsv (where each line came from)" \
        if result.plan.info is not None and result.plan.info.original else ""
    click.echo(f"created {result.folder}: source.txt, plan.toml, units.csv{kept}")
    click.echo(f"units proposed ({len(result.units)}):")
    for u in result.units:
        also = f" (also {'、'.join(u.variants)})" if u.variants else ""
        click.echo(f"  {u.id:<34} {u.short_name}{also}  function {u.function or '—'}  kind {u.kind}")
    click.echo("to fill in:")
    for line in result.to_fill:
        click.echo(f"  {line}")
    click.echo(f"next: antitraffick-kg build --plan {plan_id} --data-dir {result.folder.parent}")
    _report(result.plan, result.folder / "source.txt")


@main.command("build")
@plans_option(all_plans_help="Build every plan of the workspace (--data-dir) and the bundled plans.")
@build_dir_option(help="The build folder: the graphs and datasets are written here, the corpus store is its store/ "
                       "unless --store says otherwise.")
@no_output_file("--build-dir")
@store_option
@click.option("--jobs", type=click.IntRange(min=1), default=None, metavar="N",
              help="Build several plans in N processes at once (default: one per core, at most one per plan).")
def build_command(plans: tuple[str, ...], all_plans: bool, data_dir: Path | None, build_dir: Path,
                  store_dir: Path | None, jobs: int | None) -> None:
    """Build the plan's graph (Turtle) and dataset (TriG, N-Quads) into the build folder, and the plan into the
    corpus store (replacing only this plan's graphs there).

    Several --plan, or --all-plans, are built in parallel processes and go into the corpus store together, in
    one switch: readers see all of them or none.  A plan that cannot be built stops the build and leaves the
    store as it was.  Exit 0 when built from the whole text, 1 when built but a text is cut off (inside a clause,
    an item's words or a table row; each place is listed: the graph has what stands before the cut, marked as
    cut), 2 when a plan cannot be built (nothing written into the store).
    """
    from ..pipeline.build import build_plan, build_plans
    from ..resources import known_plans
    from ..steps import terminal_progress

    if all_plans:
        plans = tuple(find_plan(p, data_dir=data_dir) for p in known_plans(data_dir=data_dir))
    if len(plans) == 1:
        result = build_plan(plan=plans[0], out_dir=build_dir, store=store_dir, progress=terminal_progress())
        for path in result.files:
            click.echo(str(path))
        click.echo(f"{result.store} (corpus store)")
        click.echo(f"{result.tasks} tasks, {result.triples} triples")
        results = [result]
    else:
        results = build_plans(plans, out_dir=build_dir, store=store_dir, workers=jobs,
                              progress=terminal_progress())
        for result in results:
            click.echo(f"{result.plan_id}: {result.tasks} tasks, {result.triples} triples "
                       f"({build_dir / result.plan_id}.ttl, .trig, .nq)")
        click.echo(f"{results[0].store} (corpus store): {len(results)} plans, "
                   f"{sum(r.tasks for r in results)} tasks, {sum(r.triples for r in results)} triples")
    for result in results:
        _incomplete(result.incomplete, result.source)
    if any(result.incomplete for result in results):
        sys.exit(1)


@main.command("export")
@plans_option(all_plans_help="Every plan in the corpus store: into --output-dir, the dumps (each plan's graphs and "
                             "every graph, as gzip-compressed N-Quads, with SHA256SUMS and dataset.ttl, the DCAT "
                             "and VoID description naming them); else one dataset (-f trig, nquads or jsonld).")
@format_option(choices(RdfFormat), default="turtle",
               help="turtle/nt: the plan graph; trig/nquads/jsonld: ontology and plan as named graphs.")
@output_option()
@output_dir_option(help="Folder to write the dumps of --all-plans into.")
@click.option("--base", metavar="URL", default=None,
              help="With --output-dir: the address the dumps and the endpoint are published under "
                   "(dumps at URL/dumps/NAME, the endpoint at URL/query; default https://w3id.org/antitraffick-kg/).")
@store_option
@rebuild_option
@build_dir_option
def export_command(plans: tuple[str, ...], all_plans: bool, data_dir: Path | None, fmt: str, output: Path | None,
                   output_dir: Path | None, base: str | None, store_dir: Path | None, rebuild: bool,
                   build_dir: Path) -> None:
    """Write the plan, from the corpus store, in an RDF format to standard output or a file; several --plan, or
    --all-plans, as one dataset (each plan in its named graphs), or with --output-dir as the compressed dumps."""
    from ..store.export import check_writable, serialize_corpus, write_atomic

    if output_dir is not None:
        if output is not None:
            raise click.UsageError("--output-dir writes the dumps into a folder: give it or -o FILE, not both")
        if not all_plans:
            raise click.UsageError("--output-dir writes the dumps of the whole store: add --all-plans")
        return _export_all(output_dir, base=base, store_dir=store_dir, build_dir=build_dir, rebuild=rebuild,
                           data_dir=data_dir)
    if base is not None:
        raise click.UsageError("--base goes with --output-dir (the dumps)")
    if output is not None:
        check_writable(output)
    corpus = corpus_for(store_dir, build_dir=build_dir, plans=plans, rebuild=rebuild, all_plans=all_plans,
                        data_dir=data_dir)
    chosen = chosen_plans(corpus, plans, all_plans=all_plans)
    if len(chosen) > 1 and not RdfFormat.parse(fmt).has_graphs:
        raise click.UsageError(f"-f {fmt} holds one graph; {len(chosen)} plans go into a dataset, each in its named "
                               "graphs: give -f trig, nquads or jsonld")
    if len(chosen) > 1:
        data = serialize_corpus(several(corpus, chosen), fmt, plan=None)  # type: ignore[arg-type]
    else:
        data = serialize_corpus(corpus, fmt, plan=chosen[0])  # type: ignore[arg-type]
    if output is None:
        sys.stdout.buffer.write(data)
    else:
        write_atomic(output, data)


def _export_all(folder: Path, *, base: str | None, store_dir: Path | None, build_dir: Path, rebuild: bool,
                data_dir: Path | None) -> None:
    from ..iris import BASE
    from ..store.dataset import write_dumps
    from ..store.export import check_writable

    base = (base or BASE).rstrip("/") + "/"
    if not base.startswith(("http://", "https://")):
        raise click.BadParameter(f"'{base}' is not an http(s) address", param_hint="--base")
    check_writable(folder, folder=True)
    corpus = corpus_for(store_dir, build_dir=build_dir, rebuild=rebuild, all_plans=True, data_dir=data_dir)
    graphs = {plan: corpus.graphs(plan) for plan in chosen_plans(corpus, (), all_plans=True)}
    for path in write_dumps(corpus.store, folder, plan_graphs=graphs, dumps_url=base + "dumps/",
                            endpoint=base + "query", modified=_built(corpus.location)):
        click.echo(str(path))


def _built(location: Path):
    from datetime import datetime, timezone

    return datetime.fromtimestamp(Path(location).stat().st_mtime, timezone.utc)
