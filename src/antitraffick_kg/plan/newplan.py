"""A new plan folder from a text and the document's facts: ``antitraffick-kg new``.

:func:`new_plan` copies the source as supplied, writes ``plan.toml``, proposes
``units.csv`` from the unit names the text uses (the function recognised from
the name and the plan's level: 州公安局 at a prefecture is public security;
names of the same function at that level become spellings of one unit), and
imports the plan with them.  A name of no known function that is a near miss
of a function's name (州委宣传委 for 州委宣传部: the same name with another
body word at its end) or a shortened form of one other name the text uses
(各成员单位 for 州级联席会议各成员单位) is proposed as a spelling of that unit,
and listed for a person to confirm: the text itself is never rewritten.  The
folder is written whole or not at all.  What a person must still fill in
(English and full names, functions that were not recognised, kinds guessed
from the name, the spellings proposed) is listed in the result.
"""

from __future__ import annotations

import csv
import io
import os
import re
import shutil
import tempfile
from dataclasses import dataclass, replace
from pathlib import Path

from ..errors import InputError, closest
from .documents import is_document, read_document, write_origins
from .functions import FunctionScheme, UnitFunction, load_functions
from .importer import MAX_SOURCE_MIB, check_some_task, import_plan, read_source
from .model import ParsedPlan
from .parse import parse_plan
from .planinfo import PlanInfo, plan_info_toml
from .registry import COLUMNS, Unit, UnitRegistry, normalise_name
from ..resources import check_plan_id, data_path, known_plans, workspace
from ..steps import Progress, quiet

__all__ = ["ProposedUnit", "NewPlan", "new_plan", "propose_units", "known_documents"]

#: words a unit name ends with; a list entry ending otherwise is not taken for a unit
_UNIT_ENDINGS = ("局", "委", "办", "院", "会", "会议", "部", "厅", "队", "站", "室", "联", "所", "府", "中心", "机场",
                 "公司", "单位", "组", "处", "科", "署", "团", "社", "馆", "台", "部门")
#: a name's other name in parentheses at its end (州委宣传部（州网信办）): the ending is the name's before it
_ALIAS = re.compile(r"[（(][^（）()]{1,12}[)）]$")
_UTF8_MARK = b"\xef\xbb\xbf"            # the byte-order mark some editors put before UTF-8 text
_NOT_A_NAME = re.compile(r"[。；;：:！？\d]")
#: (ending, kind) for names whose function is not known, in order
_KIND_BY_ENDING = (("法院", "court"), ("检察院", "procuratorate"), ("人民政府", "peoples-government"),
                   ("政府", "peoples-government"), ("成员单位", "collective-body"), ("有关部门", "collective-body"),
                   ("相关部门", "collective-body"), ("联合会", "mass-organisation"), ("总工会", "mass-organisation"),
                   ("机场", "public-enterprise"), ("公司", "public-enterprise"), ("电视台", "public-enterprise"),
                   ("中心", "public-enterprise"))


@dataclass(frozen=True)
class ProposedUnit:
    """A row ``new`` proposes for ``units.csv``."""

    id: str
    short_name: str
    variants: tuple[str, ...]
    kind: str
    function: str           # "" when not recognised
    kind_guessed: bool      # the kind comes from the name's ending, not from a known function
    #: (name, why) for each name taken as a near miss or a shortened form, for a person to confirm
    proposed: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class NewPlan:
    """What :func:`new_plan` wrote and read."""

    folder: Path
    units: tuple[ProposedUnit, ...]
    plan: ParsedPlan
    to_fill: tuple[str, ...]       # one line per thing a person must still fill in


class _OpenRegistry(UnitRegistry):
    """A registry that takes every name that looks like a unit's, recording the order it saw them in."""

    takes_any = True

    def knows(self, name: str) -> bool:
        key = normalise_name(name)
        return bool(key) and len(key) <= 30 and not _NOT_A_NAME.search(key) and \
            _ALIAS.sub("", key).endswith(_UNIT_ENDINGS)

    def get(self, name: str) -> Unit | None:
        key = normalise_name(name)
        if not self.knows(key):
            return None
        if key not in self._by_name:
            self._by_name[key] = Unit(key, key, (), "", "", "government-department", "")
        return self._by_name[key]


def _guess_kind(name: str) -> str:
    if re.fullmatch(r"团.委|.*妇联|.*残联|.*关工委", name):
        return "mass-organisation"
    return next((kind for ending, kind in _KIND_BY_ENDING if name.endswith(ending)), "government-department")


def _discover(text: str, info: PlanInfo) -> tuple[_OpenRegistry, ParsedPlan]:
    seen = _OpenRegistry(path="(names found in the text)")
    plan = ParsedPlan(plan_id="proposal", source_path="", text=text, sha256="", converted_from=None, info=info)
    parse_plan(plan, seen, [])
    return seen, plan


def propose_units(text: str, info: PlanInfo, *, scheme: FunctionScheme | None = None) -> list[ProposedUnit]:
    """The units ``text`` names (in unit clauses, table cells, the member list, the header), one row per unit."""
    scheme = scheme or load_functions()
    seen, _ = _discover(text, info)
    # names of one function at the plan's level are spellings of one unit; bodies named after a place
    # (瑞丽出入境边防检查站, 畹町出入境边防检查站) are units of their own, and so is every name of no known function
    groups: dict[tuple[str, str], list[str]] = {}      # (function id or "", name or "") -> names
    why: dict[str, str] = {}                           # a name proposed as a spelling of another -> why
    unplaced = []
    for name in seen._by_name:
        function = scheme.recognise(name, info.level) or scheme.recognise(_ALIAS.sub("", name), info.level)
        if function is None and (miss := _near_miss(name, scheme, info.level)) is not None:
            function, known = miss
            why[name] = (f"a near miss of {known}, the {info.level} name of function {function.id} "
                         "(another body word at the end)")
        by_level = function is not None and any(name[:-1].endswith(n[:-1]) if name in why else name.endswith(n)
                                                for n in function.names_at(info.level))
        key = (function.id, "" if by_level else name) if function else ("", name)
        groups.setdefault(key, []).append(name)
        if not function:
            unplaced.append(name)
    for name in unplaced:          # a shortened form of exactly one other name: 各成员单位 of 州级联席会议各成员单位
        longer = [other for other in seen._by_name if other != name and other.endswith(name)]
        if len(longer) == 1 and len(groups[("", name)]) == 1:
            home = next(k for k, names in groups.items() if longer[0] in names)
            del groups[("", name)]
            groups[home].append(name)
            why[name] = f"a shortened form of {longer[0]}, the only name of the text that ends with it"
    _misread(text, groups, why)
    out, used = [], set()
    for (function_id, _), names in groups.items():
        # the first spelling the text uses (the member list comes early) that is not itself a proposal
        short = next((n for n in names if n not in why), names[0])
        kind = scheme.functions[function_id].kind if function_id else ""
        stem = function_id or ("joint-meeting-members" if short.endswith("各成员单位") else "unit")
        tries = (f"{stem}-{n}" for n in range(1, 1000)) if stem == "unit" else \
            (stem, *(f"{stem}-{n}" for n in range(2, 1000)))
        unit_id = next(i for i in tries if i not in used)
        used.add(unit_id)
        variants = tuple(n for n in names if n != short)
        out.append(ProposedUnit(unit_id, short, variants, kind or _guess_kind(short), function_id, not kind,
                                tuple((n, why[n]) for n in (short, *variants) if n in why)))
    return out


def _misread(text: str, groups: dict[tuple[str, str], list[str]], why: dict[str, str]) -> None:
    """A body named after a place whose name is one character off another body's of the same function, named
    once where the other is named more often (闯市边境管理大队 beside 芒市边境管理大队, a scan's misreading): proposed as
    a spelling of that body, for a person to confirm."""
    named = {key: text.count(key[1]) for key in groups if key[0] and key[1]}
    for key, times in sorted(named.items(), key=lambda kv: kv[1]):
        if times != 1 or key not in groups:
            continue
        other = next((k for k in groups if k != key and k[0] == key[0] and k[1] and len(k[1]) == len(key[1])
                      and sum(a != b for a, b in zip(k[1], key[1])) == 1 and named.get(k, 0) > 1), None)
        if other is not None:
            groups[other].extend(groups.pop(key))
            why[key[1]] = (f"one character off {other[1]} (function {key[0]}), which the text names "
                           f"{named[other]} times where it names this once: a misreading?")


#: the words a body's short name ends with that say what kind of body it is (局, 委, 部 …)
_BODY_WORDS = "局委部办厅会院"


def _near_miss(name: str, scheme: FunctionScheme, level: str) -> tuple[UnitFunction, str] | None:
    """The one function, and its name, whose name at ``level`` is ``name`` with another body word at its end
    (州委宣传委 for 州委宣传部), possibly after a place name; else None."""
    if len(name) < 4 or name[-1] not in _BODY_WORDS:
        return None
    found = {f.id: n for f in scheme.functions.values() for n in f.names_at(level)
             if len(n) >= 4 and n[-1] in _BODY_WORDS and n[-1] != name[-1] and name[:-1].endswith(n[:-1])
             and (len(name) == len(n) or name[-len(n) - 1] not in "各及和、")}
    return (scheme.functions[next(iter(found))], next(iter(found.values()))) if len(found) == 1 else None


def _units_csv(units: list[ProposedUnit]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(COLUMNS)
    for u in units:
        writer.writerow([u.id, u.short_name, "|".join(u.variants), "", "", u.kind, u.function])
    return buffer.getvalue()


def known_documents(*, data_dir: str | Path | None = None) -> list[str]:
    """The ids a plan may implement: the documents of the plan family (``plan-family.csv``) and every plan
    folder in the workspace and among the bundled plans."""
    with data_path("plan-family.csv").open(encoding="utf-8", newline="") as f:
        family = [row["id"] for row in csv.DictReader(f) if row.get("id")]
    return sorted({*family, *known_plans(data_dir=data_dir)})


def _check_implements(info: PlanInfo, *, data_dir: str | Path | None) -> None:
    known = known_documents(data_dir=data_dir)
    for upper in info.implements:
        if upper not in known:
            close = closest(upper, known)
            hint = f"did you mean {', '.join(close)}? " if close else ""
            raise InputError(f"--implements {upper}: no such plan; {hint}known plans: {', '.join(known)} "
                             "(a plan folder of the workspace, or a row of the plan family)")


def new_plan(plan_id: str, *, source: str | Path, info: PlanInfo, data_dir: str | Path | None = None,
             force: bool = False, max_mib: float = MAX_SOURCE_MIB, progress: Progress = quiet) -> NewPlan:
    """Create the plan folder ``<data_dir>/<plan_id>/`` and import the plan from it.

    ``data_dir``: the workspace (default: the folder the environment variable
    ``ANTITRAFFICK_KG_DATA_DIR`` names).  The document number, when ``info``
    has none, is taken from the text's header.  Every plan ``info`` implements
    must be known (:func:`known_documents`).  A bundled plan of the same id
    would be hidden by the new folder in this workspace: that needs ``force``
    (and every later use of the id there warns of it).  Raises
    :class:`InputError` for an ill-formed id, no workspace, a folder that
    exists already, a bundled plan's id without ``force``, an unknown upper
    plan, an unusable source (larger than ``max_mib`` MiB, or a text with no
    task) -- all before anything is written; the import's problems are in
    ``result.plan.problems``.  ``progress`` is told each step.
    """
    check_plan_id(plan_id)
    root = workspace(data_dir)
    if root is None:
        raise InputError("say where to create the plan: --data-dir DIR or ANTITRAFFICK_KG_DATA_DIR")
    folder = root / plan_id
    if folder.exists():
        raise InputError("a plan folder of that name exists already; edit it, or choose another id",
                         path=str(folder))
    if (data_path(plan_id) / "source.txt").is_file() and not force:
        raise InputError(f"'{plan_id}' is a bundled plan: a folder of that name in {root} would replace it for "
                         "every command given this workspace; choose another id, or give --force")
    _check_implements(info, data_dir=root)
    source = Path(source)
    progress(f"reading {source}")
    extraction = read_document(source, max_mib=max_mib) if is_document(source) else None
    if extraction is not None:   # the original is kept beside the text read from it
        text = extraction.text
        info = replace(info, original=f"original{source.suffix.lower()}", original_sha256=extraction.sha256)
    else:
        text, _, _ = read_source(source, max_mib=max_mib, drop_mark=True)
    progress(f"finding the units named in {len(text):,} characters")
    _, header = _discover(text, info)
    check_some_task(header, where=str(source))
    if info.number is None and header.doc_number:
        info = replace(info, number=header.doc_number[0])
    if info.issuer is None and header.issuer:
        info = replace(info, issuer=header.issuer[0].short_name)
    units = propose_units(text, info)
    progress(f"writing {folder}")
    staging = Path(tempfile.mkdtemp(prefix=f".{plan_id}-", dir=root))
    try:
        if extraction is None and source.read_bytes()[:3] == _UTF8_MARK:
            (staging / "source.txt").write_bytes(source.read_bytes()[3:])     # (the import refuses the mark)
        elif extraction is None:
            shutil.copyfile(source, staging / "source.txt")
        else:
            (staging / "source.txt").write_text(extraction.text, encoding="utf-8")
            shutil.copyfile(source, staging / info.original)
            write_origins(extraction, staging)
        (staging / "plan.toml").write_text(plan_info_toml(info), encoding="utf-8")
        (staging / "units.csv").write_text(_units_csv(units), encoding="utf-8")
        os.replace(staging, folder)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    plan = import_plan(folder / "source.txt", plan_id=plan_id, strict=False, max_mib=max_mib, progress=progress)
    return NewPlan(folder, tuple(units), plan, tuple(_to_fill(info, units)))


def _to_fill(info: PlanInfo, units: list[ProposedUnit]) -> list[str]:
    todo = [f"plan.toml: {key} (not given and not in the text's header)" for key in ("number",)
            if getattr(info, key) is None]
    todo += [f"plan.toml: {key}, if known" for key in ("title_en", "issuer", "issued") if getattr(info, key) is None]
    todo.append(f"units.csv: full_name and name_en of each of the {len(units)} units")
    todo += [f"units.csv: function of {u.short_name} (not recognised; leave empty if it has none)"
             for u in units if not u.function]
    todo += [f"units.csv: kind of {u.short_name} ('{u.kind}' was guessed from its name)"
             for u in units if u.kind_guessed]
    same = [(u, [v for v in u.variants if v not in dict(u.proposed)]) for u in units]
    todo += [f"units.csv: check that {', '.join(names)} and {u.short_name} are one unit (same function)"
             for u, names in same if names]
    todo += [f"units.csv: {name} is proposed as a spelling of {u.short_name}: {why}; keep it there if the "
             "text means that unit, else give it a row of its own" if name != u.short_name else
             f"units.csv: {name} is given function {u.function}: {why}; check that it is that body"
             for u in units for name, why in u.proposed]
    return todo
