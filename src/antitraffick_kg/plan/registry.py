"""The unit registry: canonical short names, spelling variants and kinds.

A plan's registry is its ``units.csv``: the units *that plan* names, with the
columns ``id, short_name, variants, full_name, name_en, kind, function``;
``variants`` holds the other spellings the text uses, separated by ``|``;
``function`` is the id of a concept of ``data/unit-functions.ttl`` (what the
unit is across levels of government), empty when unknown.  Units belong to the
plan's jurisdiction: the IRI is built from its GB/T 2260 code and the unit's
id.  Every spelling resolves to one unit of the plan; a name the registry does
not know raises :class:`~antitraffick_kg.errors.UnknownUnitError` with the
closest names.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import InputError, UnknownUnitError, closest

__all__ = ["Unit", "UnitRegistry", "KINDS", "COLUMNS", "normalise_name"]

#: registry ``kind`` value -> ontology class local name
KINDS: dict[str, str] = {
    "party-organ": "PartyOrgan",
    "legislative-body": "LegislativeBody",
    "peoples-government": "PeoplesGovernment",
    "government-department": "GovernmentDepartment",
    "court": "Court",
    "procuratorate": "Procuratorate",
    "mass-organisation": "MassOrganisation",
    "border-port-body": "BorderPortBody",
    "public-enterprise": "PublicEnterprise",
    "coordination-body": "CoordinationBody",
    "joint-meeting": "JointMeeting",
    "joint-meeting-office": "JointMeetingOffice",
    "collective-body": "CollectiveBody",
}

COLUMNS = ("id", "short_name", "variants", "full_name", "name_en", "kind", "function")
_SPACE = re.compile(r"\s+")
_ID = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


def normalise_name(text: str) -> str:
    """A unit name without the white space that line wrapping leaves inside it.

    >>> normalise_name("州委政法 委")
    '州委政法委'
    """
    return _SPACE.sub("", text)


@dataclass(frozen=True)
class Unit:
    """One registry row."""

    id: str
    short_name: str
    variants: tuple[str, ...]
    full_name: str
    name_en: str
    kind: str
    jurisdiction: str     # GB/T 2260 code of the plan's jurisdiction
    function: str = ""    # a concept id of data/unit-functions.ttl, "" when unknown

    @property
    def names(self) -> tuple[str, ...]:
        return (self.short_name, *self.variants)


@dataclass
class UnitRegistry:
    """Units by id and by every spelling."""

    path: str
    units: dict[str, Unit] = field(default_factory=dict)
    _by_name: dict[str, Unit] = field(default_factory=dict)
    _dropped: set[str] = field(default_factory=set)
    #: whether the registry takes every name it is asked for (the names ``new`` finds), rather than listing units
    takes_any = False

    @classmethod
    def from_csv(cls, path: str | Path, *, jurisdiction: str) -> "UnitRegistry":
        """Read a plan's ``units.csv``; raises :class:`InputError` naming the line at fault.

        ``jurisdiction``: the GB/T 2260 code of the plan, which every unit belongs to.
        """
        path = Path(path)
        registry = cls(path=str(path))
        try:
            text = path.read_text(encoding="utf-8")
        except FileNotFoundError:
            raise InputError("unit registry not found", path=str(path)) from None
        except UnicodeDecodeError as exc:
            raise InputError(f"not UTF-8 text ({exc.reason})", path=str(path)) from None
        reader = csv.DictReader(text.splitlines())
        if tuple(reader.fieldnames or ()) != COLUMNS:
            raise InputError(f"expected columns {','.join(COLUMNS)}", path=str(path), line=1)
        for line, row in enumerate(reader, start=2):
            if None in row or any(v is None for v in row.values()):
                raise InputError("wrong number of columns", path=str(path), line=line)
            unit = Unit(
                id=row["id"].strip(),
                short_name=row["short_name"].strip(),
                variants=tuple(v.strip() for v in row["variants"].split("|") if v.strip()),
                full_name=row["full_name"].strip(),
                name_en=row["name_en"].strip(),
                kind=row["kind"].strip(),
                jurisdiction=jurisdiction,
                function=row["function"].strip(),
            )
            if not _ID.match(unit.id):
                raise InputError(f"unit id '{unit.id}' is not lower-case words joined by '-'",
                                 path=str(path), line=line)
            if unit.function and not _ID.match(unit.function):
                raise InputError(f"function '{unit.function}' of {unit.short_name} is not a concept id "
                                 "of data/unit-functions.ttl", path=str(path), line=line)
            if unit.kind not in KINDS:
                raise InputError(f"unknown kind '{unit.kind}' for {unit.short_name}; "
                                 f"known: {', '.join(KINDS)}", path=str(path), line=line)
            if unit.id in registry.units:
                raise InputError(f"duplicate unit id '{unit.id}'", path=str(path), line=line)
            registry.units[unit.id] = unit
            for name in unit.names:
                key = normalise_name(name)
                if key in registry._by_name:
                    raise InputError(f"name '{name}' given to two units", path=str(path), line=line)
                registry._by_name[key] = unit
        return registry

    def get(self, name: str) -> Unit | None:
        """The unit a spelling names, or None."""
        return self._by_name.get(normalise_name(name))

    def knows(self, name: str) -> bool:
        """Whether ``name`` names a unit, asked without taking it (see ``takes_any``): a reader trying the ways
        to part a list asks so, and takes only the names of the way it keeps."""
        return self.get(name) is not None

    def resolve(self, name: str, *, where: str | None = None) -> Unit:
        """The unit a spelling or id names; raises :class:`UnknownUnitError`."""
        unit = self.get(name) or self.units.get(name.strip())
        if unit is None:
            raise UnknownUnitError(name, suggestions=self.closest(name), where=where)
        return unit

    def closest(self, name: str, *, n: int = 3) -> list[str]:
        """The registry spellings closest to ``name``."""
        return closest(normalise_name(name), self._by_name, n=n)

    def begins(self, start: str) -> bool:
        """Whether a unit's spelling begins with ``start`` and is longer (州公 begins 州公安局), a unit taken out
        included (a part of a text may stop inside the one name it would have given)."""
        start = normalise_name(start)
        return bool(start) and any(name.startswith(start) and name != start
                                   for name in (*self._by_name, *self._dropped))

    def drop(self, unit_id: str) -> None:
        """Take the unit ``unit_id`` and its spellings out (a unit the text does not name)."""
        unit = self.units.pop(unit_id)
        for name in unit.names:
            self._by_name.pop(normalise_name(name), None)
            self._dropped.add(normalise_name(name))

    def __iter__(self):
        return iter(self.units.values())

    def __len__(self) -> int:
        return len(self.units)
