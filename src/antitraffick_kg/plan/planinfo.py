"""A plan's ``plan.toml``: the document's facts, which the text's header (when present) must agree with.

::

    title = "德宏州反对拐卖人口行动计划实施方案（2022—2030年）及年度实施方案"
    title_en = "Dehong Prefecture Anti-Human-Trafficking Action Plan …"   # optional
    number = "德政办发〔2022〕3号"                                      # optional
    issuer = "德宏傣族景颇族自治州人民政府办公室"                         # optional
    issued = "2022-03-01"                                               # optional, YYYY-MM-DD
    period = "2022-2030"
    level = "prefecture"          # national, province, prefecture, city or county
    jurisdiction = "533100"       # GB/T 2260 code of the plan's jurisdiction
    implements = ["yunnan-2021-2030"]                                   # optional
    original = "original.pdf"     # optional: the file source.txt was read from, kept in the plan folder
    original_sha256 = "…"         # its SHA-256, written by ``new``

    [roles]                       # optional: the words that mark lead and support units
    lead = ["负责", "牵头"]
    support = ["配合"]
"""

from __future__ import annotations

import csv
import re
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Literal, get_args

from ..errors import InputError
from ..resources import check_plan_id, data_path

__all__ = ["PlanInfo", "Level", "LEVELS", "LEAD_WORDS", "SUPPORT_WORDS", "load_plan_info", "plan_info_toml",
           "parse_period", "plan_info_from", "upper_documents"]

Level = Literal["national", "province", "prefecture", "city", "county"]
LEVELS: tuple[str, ...] = get_args(Level)
#: default words that mark the lead units of a task: (X负责), (X牵头)…
LEAD_WORDS: tuple[str, ...] = ("牵头负责", "负责", "牵头", "会同")
#: default words that mark its support units: (…，Y配合)
SUPPORT_WORDS: tuple[str, ...] = ("配合", "参与", "协助", "协同")
_KEYS = {"title", "title_en", "number", "issuer", "issued", "period", "level", "jurisdiction", "implements", "roles",
         "original", "original_sha256"}
_CODE = re.compile(r"\d{6}")
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


@dataclass(frozen=True)
class PlanInfo:
    """The facts of one plan document."""

    title: str
    period: tuple[int, int]
    level: Level
    jurisdiction: str
    title_en: str | None = None
    number: str | None = None
    issuer: str | None = None
    issued: str | None = None
    implements: tuple[str, ...] = ()
    lead_words: tuple[str, ...] = LEAD_WORDS
    support_words: tuple[str, ...] = SUPPORT_WORDS
    original: str | None = None            # the file the text was read from (a Word file, a PDF, a scan…)
    original_sha256: str | None = None


def parse_period(text: str) -> tuple[int, int]:
    """``"2021-2030"`` as ``(2021, 2030)``; raises :class:`ValueError` otherwise.

    >>> parse_period("2021-2030"), parse_period("2022—2030")
    ((2021, 2030), (2022, 2030))
    """
    m = re.fullmatch(r"\s*(\d{4})\s*[-–—－]\s*(\d{4})\s*", text)
    if not m or int(m.group(1)) > int(m.group(2)):
        raise ValueError(f"period '{text}' is not FIRST-LAST, such as 2021-2030")
    return int(m.group(1)), int(m.group(2))


def _words(value, key: str, where: str) -> tuple[str, ...]:
    if not isinstance(value, list) or not value or not all(isinstance(w, str) and w.strip() for w in value):
        raise InputError(f"roles.{key} must be a list of words", path=where)
    # the longest first, so that 牵头负责 is read before 牵头
    return tuple(sorted({w.strip() for w in value}, key=lambda w: (-len(w), w)))


def load_plan_info(path: str | Path) -> PlanInfo:
    """Read ``plan.toml``; raises :class:`InputError` naming the file and the key at fault."""
    where = str(path)
    try:
        data = tomllib.loads(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise InputError("plan.toml not found", path=where) from None
    except UnicodeDecodeError as exc:
        raise InputError(f"not UTF-8 text ({exc.reason})", path=where) from None
    except tomllib.TOMLDecodeError as exc:
        raise InputError(f"not valid TOML: {exc}", path=where) from None
    return plan_info_from(data, where=where)


def plan_info_from(data: dict, *, where: str) -> PlanInfo:
    """A :class:`PlanInfo` from the keys of ``plan.toml``; raises :class:`InputError` prefixed with ``where``.

    >>> plan_info_from({"title": "某县方案", "period": "2022-2030", "level": "county",
    ...                 "jurisdiction": "532622"}, where="example").period
    (2022, 2030)
    """
    data = {k: v for k, v in data.items() if v is not None}
    unknown = set(data) - _KEYS
    if unknown:
        raise InputError(f"unknown key(s) {', '.join(sorted(unknown))}; known: {', '.join(sorted(_KEYS))}",
                         path=where)
    for key in ("title", "period", "level", "jurisdiction"):
        if not isinstance(data.get(key), str) or not data[key].strip():
            raise InputError(f"'{key}' is required (text)", path=where)
    for key in ("title_en", "number", "issuer", "issued", "original", "original_sha256"):
        if key in data and (not isinstance(data[key], str) or not data[key].strip()):
            raise InputError(f"'{key}' must be text; leave it out when unknown", path=where)
    try:
        period = parse_period(data["period"])
    except ValueError as exc:
        raise InputError(str(exc), path=where) from None
    if data["level"] not in LEVELS:
        raise InputError(f"level '{data['level']}' is not one of {', '.join(LEVELS)}", path=where)
    if not _CODE.fullmatch(data["jurisdiction"]):
        raise InputError(f"jurisdiction '{data['jurisdiction']}' is not a six-digit GB/T 2260 code", path=where)
    if "original_sha256" in data and not re.fullmatch(r"[0-9a-f]{64}", data["original_sha256"]):
        raise InputError("original_sha256 is not a SHA-256 (64 hexadecimal digits)", path=where)
    if "issued" in data and not _DATE.fullmatch(data["issued"]):
        raise InputError(f"issued '{data['issued']}' is not YYYY-MM-DD", path=where)
    implements = data.get("implements", [])
    if isinstance(implements, tuple):
        implements = list(implements)
    if not isinstance(implements, list) or not all(isinstance(i, str) for i in implements):
        raise InputError("'implements' must be a list of plan ids", path=where)
    try:
        implements = tuple(check_plan_id(i) for i in implements)
    except InputError as exc:
        raise InputError(f"implements: {exc}", path=where) from None
    roles = data.get("roles", {})
    if not isinstance(roles, dict) or set(roles) - {"lead", "support"}:
        raise InputError("[roles] takes 'lead' and 'support' lists only", path=where)
    lead = _words(roles["lead"], "lead", where) if "lead" in roles else LEAD_WORDS
    support = _words(roles["support"], "support", where) if "support" in roles else SUPPORT_WORDS
    if set(lead) & set(support):
        raise InputError(f"role word(s) {', '.join(sorted(set(lead) & set(support)))} both lead and support",
                         path=where)
    return PlanInfo(title=data["title"].strip(), period=period, level=data["level"],
                    jurisdiction=data["jurisdiction"], title_en=data.get("title_en"), number=data.get("number"),
                    issuer=data.get("issuer"), issued=data.get("issued"), implements=implements,
                    lead_words=lead, support_words=support, original=data.get("original"),
                    original_sha256=data.get("original_sha256"))


def _toml_string(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def plan_info_toml(info: PlanInfo) -> str:
    """``info`` as the text of a ``plan.toml`` that :func:`load_plan_info` reads back to ``info``."""
    lines = [f"title = {_toml_string(info.title)}"]
    for key in ("title_en", "number", "issuer", "issued"):
        if getattr(info, key):
            lines.append(f"{key} = {_toml_string(getattr(info, key))}")
    lines.append(f'period = "{info.period[0]}-{info.period[1]}"')
    lines.append(f"level = {_toml_string(info.level)}")
    lines.append(f"jurisdiction = {_toml_string(info.jurisdiction)}")
    if info.implements:
        lines.append("implements = [" + ", ".join(_toml_string(i) for i in info.implements) + "]")
    for key in ("original", "original_sha256"):
        if getattr(info, key):
            lines.append(f"{key} = {_toml_string(getattr(info, key))}")
    if (info.lead_words, info.support_words) != (LEAD_WORDS, SUPPORT_WORDS):
        lines += ["", "[roles]", "lead = [" + ", ".join(map(_toml_string, info.lead_words)) + "]",
                  "support = [" + ", ".join(map(_toml_string, info.support_words)) + "]"]
    return "\n".join(lines) + "\n"


def upper_documents() -> dict[str, str]:
    """Plan documents whose text is not a plan folder here (``data/documents.csv``): id -> document number."""
    with open(data_path("documents.csv"), encoding="utf-8", newline="") as fh:
        return {row["id"]: row["doc_number"] for row in csv.DictReader(fh)}
