"""``align``: propose task alignments between two plans, as an SSSOM/TSV mapping set.

Exit codes: 0 done, 2 unusable input (an unknown plan, a bad threshold, an output file that cannot be written).
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from .main import main
from .options import data_dir_option, output_option


@main.command("align")
@click.argument("plan_a", metavar="PLAN-A")
@click.argument("plan_b", metavar="PLAN-B")
@output_option(help="The .sssom.tsv file to write (default: standard output).")
@click.option("--threshold", type=click.FloatRange(0, 1), default=0.3, show_default=True,
              help="Lowest score that makes a match; below it a row says sssom:NoTermFound.")
@click.option("--cardinality", type=click.Choice(["1:1", "n:1"]), default=None,
              help="1:1: each item at most once; n:1: each task takes its best measure "
                   "(default: n:1 towards a higher level, else 1:1).")
@data_dir_option
def align_command(plan_a: str, plan_b: str, output: Path | None, threshold: float, cardinality: str | None,
                  data_dir: Path | None) -> None:
    """Propose which task of PLAN-A matches which task or measure of PLAN-B, with a confidence per row.

    A plan is a plan folder (a built plan) or an upper-level reference extract (yunnan-2021-2030,
    national-2021-2030). Every task of PLAN-A gets one row: its match, or sssom:NoTermFound. Saved as
    <plan folder>/*.sssom.tsv, the rows become links of the plan's next build (status inferred).

    Example: antitraffick-kg align dehong-2022-2030 yunnan-2021-2030 -o dehong--yunnan.sssom.tsv
    """
    from ..link.alignplans import align_plans
    from ..link.mappings import write_sssom

    text = write_sssom(align_plans(plan_a, plan_b, threshold=threshold, cardinality=cardinality,
                                   data_dir=data_dir))
    if output is None:
        sys.stdout.write(text)
    else:
        from ..store.export import write_atomic

        write_atomic(output, text.encode("utf-8"))
