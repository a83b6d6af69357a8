"""Small texts in the genre's style, and the plan reader run on them with Dehong's units, for the reader's tests
(``test_parse_reading.py``, ``test_parse_habits.py``): the notice header, the narrative scheme and the annual table.
"""

from __future__ import annotations

import functools
from pathlib import Path

from antitraffick_kg.plan.corrections import Correction, Reading
from antitraffick_kg.plan.model import ParsedPlan
from antitraffick_kg.plan.parse import parse_plan
from antitraffick_kg.plan.planinfo import PlanInfo
from antitraffick_kg.plan.registry import UnitRegistry

ROOT = Path(__file__).resolve().parent.parent
T = "\t"


@functools.cache
def registry() -> UnitRegistry:
    return UnitRegistry.from_csv(ROOT / "data" / "dehong-2022-2030" / "units.csv", jurisdiction="533100")


HEADER = [
    "德宏傣族景颇族自治州人民政府办公室文件",                                                     # 1
    "",                                                                                             # 2
    "德政办发〔2022〕3号",                                                                          # 3
    "德宏州人民政府办公室关于印发德宏州反对拐卖人口行动计划实施方案（2022—2030年）的通知",         # 4
    "为贯彻《云南省反对拐卖人口行动计划实施细则》（云政办发〔2021〕50号），制定本方案。",           # 5
    "德宏州反对拐卖人口行动计划实施方案",                                                           # 6
]
NARRATIVE = [
    "一、指导思想",                                                                                  # 7
    "坚持以人为本。",                                                                               # 8
    "二、组织体系",                                                                                  # 9
    "（一）州级联席会议成员单位",                                                                   # 10
    "州级联席会议由州公安局召集。州公安局、州民政局、州妇联为成员单位。",                           # 11
    "（二）联席会议办公室",                                                                          # 12
    "州级联席会议下设办公室在州公安局，负责日常工作。",                                             # 13
    "三、预防犯罪",                                                                                  # 14
    "（一）宣传教育",                                                                                # 15
    "1.重点人群。开展反拐宣传。（州妇联负责，州教育体育局、团州委配合）",                           # 16
    "2.边境地区。加强安全教育。（州公安局等负责）",                                                 # 17
    "（二）出租房屋管理。加强出租房屋管理：",                                                       # 18
    "（1）摸排登记；",                                                                              # 19
    "（2）核查身份。（州公安局负责，州民政局配合）",                                                # 20
    "四、打击犯罪",                                                                                  # 21
    "1.专案侦办。严格落实责任制。（州公安局负责）",                                                 # 22
    "2.网络清理。严厉打击网络犯罪。",                                                               # 23
]
TABLE = [
    "德宏州反对拐卖人口行动计划（2022—2030年）年度实施方案",                                        # 24
    T.join(["工作项目", "工作任务", "负责单位", "配合单位", "工作进度计划"]),                         # 25
    T.join(["", "", "", "", "2022年", "2023年"]),                                                    # 26
    T.join(["三、预防犯罪", "(一) 宣传教育", "1.重点人群。开展反拐宣传。", "州妇联", "州教育体育局、团州委",
            "全面部署", "", "长期坚持"]),                                                             # 27
    T.join(["", "", "2.边境地区。加强安全教育。", "州公安局", "", "", "年内完成"]),                   # 28
    T.join(["四、打击犯罪", "1.专案侦办。严格落实责任制。", "州公安局", "", "持续推进"]),            # 29
]


def read(lines: list[str], *, info: PlanInfo | None = None, corrections: list[Correction] = (),
         readings: list[Reading] = ()) -> ParsedPlan:
    text = "\n".join(lines) + "\n"
    plan = ParsedPlan(plan_id="p", source_path="p.txt", text=text, sha256="", converted_from=None, info=info)
    parse_plan(plan, registry(), list(corrections), list(readings))
    return plan


def roles(plan: ParsedPlan, notation: str) -> list[tuple[str, str, str, int, int, str]]:
    return [(m.part, m.role, m.unit.short_name, m.position, m.line, plan.quote(m.span))
            for m in plan.tasks[notation].mentions]


def plan_toml(**facts: str) -> str:
    """A plan.toml of ``facts`` (title, number, period, level, jurisdiction …), each a string."""
    return "".join(f'{key} = "{value}"\n' for key, value in facts.items())


def import_folder(folder: Path, lines: list[str], *, plan_toml: str, units: str, strict: bool = True,
                  named_only: bool = False) -> ParsedPlan:
    """``lines`` imported as a plan folder ``folder`` (made here) with its ``plan.toml`` and ``units`` (a
    units.csv); with ``named_only``, only the rows whose short name the text uses (an excerpt's units.csv lists
    the units the excerpt names)."""
    from antitraffick_kg.plan.importer import import_plan

    folder.mkdir()
    text = "\n".join(lines) + "\n"
    (folder / "source.txt").write_text(text, encoding="utf-8")
    (folder / "plan.toml").write_text(plan_toml, encoding="utf-8")
    (folder / "units.csv").write_text("".join(row for row in units.splitlines(keepends=True)
                                              if not named_only or row.startswith("id,") or row.split(",")[1] in text),
                                      encoding="utf-8")
    return import_plan(folder / "source.txt", strict=strict)
