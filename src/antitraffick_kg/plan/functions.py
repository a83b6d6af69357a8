"""Unit functions: the SKOS scheme ``data/unit-functions.ttl`` of what a unit is across levels of government.

Each concept gives the short names the genre uses for the body of that
function at each level (公安部 / 省公安厅 / 州公安局 / 市公安局 / 县公安局) and the
kind of unit it usually is.  A plan's ``units.csv`` points every unit at its
function; units of different plans and levels are matched through it.

The scheme writes a level's names with the level's usual mark (州 for a
prefecture, 县 for a county); bodies of the same level elsewhere use another
prefix (:data:`LEVEL_PREFIXES`): a prefecture-level city's bureau is 市公安局,
an Inner Mongolian league's 盟公安局, a district's 区公安局, a banner's
团旗委.  A name is recognised at its level whichever of these it uses.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from .registry import KINDS, normalise_name
from ..resources import data_path

__all__ = ["UnitFunction", "FunctionScheme", "load_functions", "FUNCTION_BASE", "LEVEL_PREFIXES"]

FUNCTION_BASE = "https://w3id.org/antitraffick-kg/id/unit-function/"
_ATK = "https://w3id.org/antitraffick-kg/ontology#"
_SKOS = "http://www.w3.org/2004/02/skos/core#"
_LEVEL_PROPERTY = {f"{_ATK}{level}Name": level for level in ("national", "province", "prefecture", "city", "county")}
_KIND_OF_CLASS = {cls: kind for kind, cls in KINDS.items()}
#: the character that marks a level in the scheme's names (州公安局, 团县委)
_LEVEL_MARK = {"province": "省", "prefecture": "州", "city": "市", "county": "县"}
#: the prefixes bodies of a level use in place of that mark: autonomous prefectures (州), prefecture-level
#: cities (市) and leagues (盟); counties (县), county-level cities (市), districts (区) and banners (旗)
LEVEL_PREFIXES: dict[str, tuple[str, ...]] = {"national": (), "province": ("省",), "prefecture": ("州", "市", "盟"),
                                              "city": ("市",), "county": ("县", "市", "区", "旗")}


@dataclass
class UnitFunction:
    id: str
    label_zh: str = ""
    label_en: str = ""
    kind: str = ""                                             # a registry kind, e.g. government-department
    names: dict[str, list[str]] = field(default_factory=dict)  # level -> short names
    endings: list[str] = field(default_factory=list)

    @property
    def iri(self) -> str:
        return FUNCTION_BASE + self.id

    def names_at(self, level: str) -> tuple[str, ...]:
        """The short names of this function at ``level``, with each prefix the level uses.

        >>> f = load_functions().functions["youth-league"]
        >>> f.names_at("prefecture")
        ('团州委', '团市委', '团盟委')
        >>> f.names_at("county")
        ('团县委', '团市委', '团区委', '团旗委')
        """
        mark = _LEVEL_MARK.get(level)
        out: dict[str, None] = {}
        for name in self.names.get(level, ()):
            out[name] = None
            if mark and mark in name:
                out.update((name.replace(mark, prefix, 1), None) for prefix in LEVEL_PREFIXES[level])
        return tuple(out)


@dataclass(frozen=True)
class FunctionScheme:
    path: Path
    functions: dict[str, UnitFunction]

    def recognise(self, name: str, level: str) -> UnitFunction | None:
        """The function a unit name has at ``level``, or None.

        A name matches a level's short name (:meth:`UnitFunction.names_at`:
        with any prefix the level uses) exactly, or ends with it after a place
        name (德宏州公安局 ends with 州公安局, 丽江市妇联 with 市妇联), or ends with a
        function's name ending (瑞丽出入境边防检查站).

        >>> scheme = load_functions()
        >>> scheme.recognise("州公安局", "prefecture").id, scheme.recognise("团县委", "county").id
        ('public-security', 'youth-league')
        >>> scheme.recognise("市妇联", "prefecture").id, scheme.recognise("旗民政局", "county").id
        ('womens-federation', 'civil-affairs')
        >>> scheme.recognise("州公安局", "county") is None
        True
        """
        name = normalise_name(name)
        exact = [f for f in self.functions.values() if name in f.names_at(level)]
        if len(exact) == 1:
            return exact[0]
        tails = sorted(((len(n), f.id) for f in self.functions.values() for n in f.names_at(level)
                        if name.endswith(n) and len(name) > len(n) and not name[-len(n) - 1] in "各及和、"),
                       reverse=True)
        if tails and (len(tails) == 1 or tails[0][0] > tails[1][0]):
            return self.functions[tails[0][1]]
        endings = {f.id for f in self.functions.values() for e in f.endings if name.endswith(e)}
        return self.functions[endings.pop()] if len(endings) == 1 else None


@lru_cache(maxsize=4)
def load_functions(path: str | Path | None = None) -> FunctionScheme:
    """The unit-function scheme (``data/unit-functions.ttl`` by default)."""
    import pyoxigraph as ox

    path = Path(path) if path is not None else data_path("unit-functions.ttl")
    found: dict[str, UnitFunction] = {}
    for quad in ox.parse(path=path, format=ox.RdfFormat.TURTLE):
        s = quad.subject.value
        if not s.startswith(FUNCTION_BASE):
            continue
        f = found.setdefault(s, UnitFunction(s[len(FUNCTION_BASE):]))
        p, o = quad.predicate.value, quad.object
        if p == _SKOS + "prefLabel":
            if o.language == "zh":
                f.label_zh = o.value
            elif o.language == "en":
                f.label_en = o.value
        elif p in _LEVEL_PROPERTY:
            f.names.setdefault(_LEVEL_PROPERTY[p], []).append(o.value)
        elif p == _ATK + "typicalKind":
            f.kind = _KIND_OF_CLASS.get(o.value[len(_ATK):], "")
        elif p == _ATK + "nameEnding":
            f.endings.append(o.value)
    return FunctionScheme(path, dict(sorted((f.id, f) for f in found.values())))
