"""The query catalogue: ``queries/*.rq`` files with a machine-readable header.

The header is the run of comment lines at the top of each file::

    # title: 中文标题 | English title
    # description: one line saying what the question is and how it is answered
    # param: unit (unit; required): the unit, by any name the registry knows or by IRI
    # param: role (role; default any): lead, support or any
    # param: place (place; optional): a place concept; narrower places match too
    # columns: task (notation), title (task heading), unit (short name)
    # example: unit=州妇联 role=support place=边境地区
    # order: -tasks, unit

A ``needs`` line (``# needs: unit, function``) names optional parameters of which at least one must be given.
A ``reads: every plan`` line says that the query reads the other plans of the store too, each from its own graphs
as named graphs (``GRAPH ?g``), while its own plan's graphs stay its default graph: the ``counterparts`` query
finds a unit's siblings so.  Every store it is asked on then offers the other plans as named graphs: on disk and
on a server every plan's graphs, in memory every plan's units and plan document (all such a query may read of
another plan).
A parameter ``name`` is bound to the upper-case SPARQL variable ``?NAME``; it
never appears in the query text itself (see :mod:`antitraffick_kg.ask.query`).
``required`` parameters must be given, ``optional`` ones may be left unbound
(the query then does not restrict on them) and ``default X`` ones take ``X``
when not given.  ``columns`` lists the SELECT variables in order, each with
its meaning; ``example`` gives parameter values that answer a real question.
Rows are sorted on the columns, left to right, in natural order (4.1.9
before 4.1.10); ``order`` (optional) names the columns to sort on first, a
leading ``-`` for descending.
"""

from __future__ import annotations

import os
import re
from functools import lru_cache
from dataclasses import dataclass
from pathlib import Path
from stat import S_ISREG

from ..errors import QueryError, UnknownQueryError
from ..resources import queries_path

__all__ = ["CatalogueQuery", "Parameter", "Column", "PARAMETER_TYPES", "catalogue", "get_query", "read_query",
           "upper_query", "across_query", "ACROSS_COLUMN"]

#: parameter type -> what a value of it is
PARAMETER_TYPES: dict[str, str] = {
    "unit": "a unit: short name, any spelling variant, registry id or IRI",
    "function": "a unit function of data/unit-functions.ttl: id (womens-federation), label (妇联) or IRI; every unit "
                "of that function, at any level",
    "role": "lead, support or any (负责, 配合)",
    "place": "a place concept (重点地区): label, id or IRI; narrower places match too",
    "target-group": "a target-group concept (重点人群): label, id or IRI; narrower groups match too",
    "sector": "a sector or setting concept (重点领域, 重点场所): label, id or IRI; narrower ones match too",
    "area": "a policy area: notation (4.1), title (重点领域预防犯罪工作) or number as written (四(一))",
    "task": "a task notation, such as 7.6",
    "year": "a year, such as 2023",
    "date": "a date YYYY-MM-DD, or today",
    "text": "any text, matched literally",
    "plan": "a plan document of the family, by id (dehong-2022-2030) or document number (德政办发〔2022〕3号)",
    "measure": "a measure of an upper-level plan, by id (Y-8.1, N-2.1.2) or IRI",
    "endpoint": "the SPARQL query URL of another server, exactly as given to --allow-service",
}

_FIELD = re.compile(r"^#\s*(title|description|param|columns|example|order|needs|reads)\s*:\s*(.*?)\s*$")
#: what a ``reads`` header line may say
READS_EVERY_PLAN = "every plan"
_PARAM = re.compile(r"^(?P<name>[a-z][a-z0-9_]*)\s*\(\s*(?P<type>[a-z-]+)\s*;\s*"
                    r"(?P<mode>required|optional|default\s+(?P<default>[^)]+?))\s*\)\s*:\s*(?P<description>.+)$")
_COLUMN = re.compile(r"^(?P<name>[A-Za-z_][A-Za-z0-9_]*)\s*(?:\((?P<meaning>.*)\))?$")


@dataclass(frozen=True)
class Parameter:
    """One declared parameter of a catalogue query."""

    name: str
    type: str
    required: bool
    default: str | None
    description: str

    @property
    def variable(self) -> str:
        """The SPARQL variable the value is bound to (without ``?``)."""
        return self.name.upper()

    def describe(self) -> str:
        """``name (type; required)``, as in the header."""
        mode = "required" if self.required else f"default {self.default}" if self.default else "optional"
        return f"{self.name} ({self.type}; {mode})"


@dataclass(frozen=True)
class Column:
    name: str
    meaning: str


@dataclass(frozen=True)
class CatalogueQuery:
    """A query file and its header."""

    name: str
    path: Path
    title: str
    description: str
    parameters: tuple[Parameter, ...]
    columns: tuple[Column, ...]
    example: str
    order: tuple[str, ...]
    text: str
    #: optional parameters of which at least one must be given
    needs: tuple[str, ...] = ()
    #: the ``reads`` header line: empty, or ``every plan`` (the other plans' graphs are named graphs of its dataset)
    reads: str = ""

    @property
    def reads_every_plan(self) -> bool:
        """Whether the query reads the other plans of the store as named graphs (``# reads: every plan``)."""
        return self.reads == READS_EVERY_PLAN

    @property
    def title_zh(self) -> str:
        return self.title.split("|")[0].strip()

    @property
    def title_en(self) -> str:
        return self.title.split("|", 1)[-1].strip()

    def parameter(self, name: str) -> Parameter:
        """The parameter called ``name``; raises :class:`QueryError` naming the ones there are."""
        for p in self.parameters:
            if p.name == name:
                return p
        known = ", ".join(p.name for p in self.parameters) or "none"
        raise QueryError(f"query '{self.name}' has no parameter '{name}'; its parameters: {known}")

    def example_params(self) -> dict[str, str]:
        """The ``example`` header line as a mapping."""
        return dict(item.split("=", 1) for item in self.example.split() if "=" in item)

    def header_problems(self) -> list[str]:
        """What the header lacks or gets wrong; empty when it is complete."""
        problems = []
        if "|" not in self.title or not self.title_zh or not self.title_en:
            problems.append("title must be '中文 | English'")
        if not self.description:
            problems.append("no description")
        if not self.columns:
            problems.append("no columns")
        for p in self.parameters:
            if p.type not in PARAMETER_TYPES:
                problems.append(f"parameter {p.name}: unknown type '{p.type}'")
        examples = self.example_params()
        if any(p.required for p in self.parameters) and not examples:
            problems.append("parameters are required but there is no example")
        for name in examples:
            if name not in {p.name for p in self.parameters}:
                problems.append(f"example names unknown parameter '{name}'")
        for key in self.order:
            if key.lstrip("-") not in {c.name for c in self.columns}:
                problems.append(f"order names unknown column '{key}'")
        for name in self.needs:
            if name not in {p.name for p in self.parameters}:
                problems.append(f"needs names unknown parameter '{name}'")
        if self.reads and not self.reads_every_plan:
            problems.append(f"reads says '{self.reads}'; write 'reads: {READS_EVERY_PLAN}' or leave the line out")
        return problems


def _parse_header(path: Path, text: str) -> dict:
    fields: dict = {"title": "", "description": "", "param": [], "columns": "", "example": "", "order": "",
                    "needs": "", "reads": ""}
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.startswith("#"):
            break
        m = _FIELD.match(line)
        if m is None:
            continue
        key, value = m.groups()
        if key == "param":
            p = _PARAM.match(value)
            if p is None:
                raise QueryError(f"{path}:{number}: cannot read parameter '{value}'; "
                                 "write: name (type; required|optional|default X): meaning")
            fields["param"].append(Parameter(p["name"], p["type"], p["mode"] == "required",
                                             p["default"], p["description"].strip()))
        else:
            fields[key] = value
    return fields


def _columns(path: Path, text: str) -> tuple[Column, ...]:
    columns = []
    for item in re.split(r",\s*(?![^()]*\))", text) if text else []:
        m = _COLUMN.match(item.strip())
        if m is None:
            raise QueryError(f"{path}: cannot read column '{item.strip()}'; write: name (meaning)")
        columns.append(Column(m["name"], (m["meaning"] or "").strip()))
    return tuple(columns)


def read_query(path: str | Path) -> CatalogueQuery:
    """Read one ``.rq`` file and its header; raises :class:`QueryError` if it cannot be read.

    A file read before and unchanged since (same size and modification time) is not read again."""
    path = Path(path)
    try:
        stat = path.stat()
    except OSError:
        raise QueryError(f"{path}: query file not found") from None
    return _read_query(path, stat.st_mtime_ns, stat.st_size)


@lru_cache(maxsize=256)
def _read_query(path: Path, _mtime_ns: int, _size: int) -> CatalogueQuery:
    try:
        text = path.read_text(encoding="utf-8")
    except (FileNotFoundError, IsADirectoryError):
        raise QueryError(f"{path}: query file not found") from None
    except UnicodeDecodeError:
        raise QueryError(f"{path}: not UTF-8 text") from None
    fields = _parse_header(path, text)
    return CatalogueQuery(path.stem, path, fields["title"], fields["description"], tuple(fields["param"]),
                          _columns(path, fields["columns"]), fields["example"],
                          tuple(k.strip() for k in fields["order"].split(",") if k.strip()), text,
                          tuple(k.strip() for k in fields["needs"].split(",") if k.strip()), fields["reads"])


def catalogue() -> list[CatalogueQuery]:
    """Every catalogue query, by name.

    >>> "tasks-by-unit" in [q.name for q in catalogue()]
    True
    """
    return [read_query(p) for p in sorted(queries_path().glob("*.rq"))]


#: the folder of ``queries/`` holding, for a catalogue question, its form for an upper-level plan held as a
#: reference extract (measures and the bodies assigned to them, not tasks): ``upper/<name>.rq``
UPPER_FOLDER = "upper"


def upper_query(name: str) -> CatalogueQuery | None:
    """The form of catalogue question ``name`` for an upper-level plan's reference extract, or None when the
    question has none (it is then not asked of those plans).

    >>> [c.name for c in upper_query("tasks-by-unit").columns]
    ['task', 'title', 'unit', 'role', 'source']
    >>> upper_query("units") is None
    True
    """
    return _form(UPPER_FOLDER, name)


def _form(folder: str, name: str) -> CatalogueQuery | None:
    """Question ``name``'s form in ``queries/<folder>/``, or None when it has none there."""
    path = _catalogue_file(folder, name)
    if path is None:
        return None
    try:
        found = os.stat(path)
    except OSError:
        return None
    return _read_query(path, found.st_mtime_ns, found.st_size) if S_ISREG(found.st_mode) else None


#: a catalogue question's name: what a file of ``queries/`` may be called (before ``.rq``)
_QUERY_NAME = re.compile(r"[a-z0-9][a-z0-9-]*")


@lru_cache(maxsize=1024)
def _catalogue_file(folder: str, name: str) -> Path | None:
    """The path question ``name`` has in ``queries/<folder>/`` (``folder`` empty: ``queries/``), whether or not
    the file is there (each caller looks: a file may come or go while a process runs); None for a name no
    question can have.  Made once per name, so a question asked again costs one ``stat``."""
    if not _QUERY_NAME.fullmatch(name):
        return None
    return queries_path() / folder / f"{name}.rq" if folder else queries_path() / f"{name}.rq"


#: the folder of ``queries/`` holding, for a catalogue question, its form for many plans of the corpus store at once:
#: ``across/<name>.rq``, the question with each pattern that reads a plan's own graph inside ``GRAPH ?plan_graph``
ACROSS_FOLDER = "across"
#: the column an across form gives first: the graph of the plan a row is for (unbound: a row for every plan)
ACROSS_COLUMN = "plan_graph"


def across_query(name: str) -> CatalogueQuery | None:
    """The form of catalogue question ``name`` that asks many plans of the corpus store in one query, or None when
    it has none (each plan is then asked in turn).  Its columns are :data:`ACROSS_COLUMN` and the question's own;
    it takes the question's parameters (see :mod:`antitraffick_kg.ask.tagged`).

    >>> [c.name for c in across_query("measures").columns]
    ['plan_graph', 'level', 'plan', 'measure', 'title']
    >>> across_query("counterparts") is None
    True
    """
    return _form(ACROSS_FOLDER, name)


def get_query(name_or_path: str | Path) -> CatalogueQuery:
    """A catalogue query by name, or any ``.rq`` file by path.

    Raises :class:`UnknownQueryError` (with the names there are) for an unknown name.

    >>> get_query("tasks-by-unit").parameter("role").default
    'any'
    """
    if str(name_or_path).endswith(".rq"):
        return read_query(name_or_path)
    found = _form("", str(name_or_path))
    if found is None:
        raise UnknownQueryError(str(name_or_path), available=[q.name for q in catalogue()])
    return found
