"""The one error hierarchy of antitraffick-kg.

Every error the library raises for a user's mistake derives from
:class:`AntitraffickKGError`; the command line turns each into one line on
standard error and a documented exit code (:data:`USER_ERROR`).  Anything else
is a bug, which the command line reports with :data:`BUG` and a request to
report it.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable

__all__ = [
    "closest",
    "AntitraffickKGError",
    "InputError",
    "ImportProblemsError",
    "UnknownUnitError",
    "UnknownQueryError",
    "UnknownPlanError",
    "QueryError",
    "EndpointError",
    "ReasonerUnavailableError",
    "OutputError",
    "ServiceRefusedError",
    "USER_ERROR",
    "BUG",
    "utf8_hint",
]

#: exit code for input that cannot be used, an output that cannot be written, a refused request
USER_ERROR = 2
#: exit code for an unexpected failure: a bug to report
BUG = 3


def closest(value: str, names: Iterable[str], *, n: int = 3, cutoff: float = 0.5) -> list[str]:
    """The names most like ``value``, for a "did you mean" hint: those at least ``cutoff`` alike, else the
    nearest that share something with it (a name is not answered with no hint when one is near).

    >>> closest("州不存在局", ["州公安局", "州妇联", "县民政局"])
    ['州公安局', '州妇联']
    >>> closest("xyz", ["州公安局"])
    []
    """
    names = sorted(set(names))
    for least in (cutoff, min(cutoff, 0.25)):
        found = difflib.get_close_matches(value, names, n=n, cutoff=least)
        if found:
            return found
    return []


class AntitraffickKGError(Exception):
    """Root of every error antitraffick-kg raises on purpose."""

    #: exit code the command line uses for this error
    exit_code: int = USER_ERROR


class InputError(AntitraffickKGError):
    """A file cannot be used: missing, unreadable, wrong encoding or syntax.

    ``path``, ``line`` and ``column`` (1-based) say where, when known.
    """

    def __init__(self, message: str, *, path: str | None = None,
                 line: int | None = None, column: int | None = None) -> None:
        self.path = path
        self.line = line
        self.column = column
        self.reason = message
        where = ""
        if path is not None:
            where = str(path)
            if line is not None:
                where += f":{line}"
                if column is not None:
                    where += f":{column}"
            where += ": "
        super().__init__(where + message)


class ImportProblemsError(AntitraffickKGError):
    """The import found places in the source it could not place.

    ``problems`` holds the :class:`~antitraffick_kg.plan.Problem` records.
    """

    def __init__(self, path: str, problems: list) -> None:
        self.path = path
        self.problems = list(problems)
        first = self.problems[0]
        more = f" (and {len(self.problems) - 1} more)" if len(self.problems) > 1 else ""
        super().__init__(f"{path}:{first.line}: {first.message}{more}")


class UnknownUnitError(AntitraffickKGError):
    """A unit name the registry does not know; ``suggestions`` are the closest names."""

    def __init__(self, name: str, *, suggestions: list[str], where: str | None = None) -> None:
        self.name = name
        self.suggestions = suggestions
        hint = f"; did you mean {', '.join(suggestions)}?" if suggestions else ""
        prefix = f"{where}: " if where else ""
        super().__init__(f"{prefix}unknown unit '{name}'{hint}")


class UnknownQueryError(AntitraffickKGError):
    """A query name that is not in the catalogue."""

    def __init__(self, name: str, *, available: list[str]) -> None:
        self.name = name
        self.available = available
        close = closest(name, available)
        hint = f"did you mean {', '.join(close)}? " if close else ""
        super().__init__(f"unknown query '{name}'; {hint}available: {', '.join(available)}")


class UnknownPlanError(InputError):
    """A plan id that a corpus store or a server does not hold; ``suggestions`` are the closest ids it holds.

    >>> print(UnknownPlanError("dehong-2022", where="build/store", known=["dehong-2022-2030", "other-prefecture"]))
    plan 'dehong-2022' is not in build/store; did you mean dehong-2022-2030? (it holds 2 plans)
    >>> print(UnknownPlanError("x", where="build/store", known=["dehong-2022-2030"]))
    plan 'x' is not in build/store; it holds dehong-2022-2030
    """

    def __init__(self, plan: str, *, where: str, known: Iterable[str]) -> None:
        known = sorted(known)
        self.plan = plan
        self.suggestions = closest(plan, known)
        if self.suggestions:
            held = "1 plan" if len(known) == 1 else f"{len(known):,} plans"
            message = f"did you mean {', '.join(self.suggestions)}? (it holds {held})"
        elif not known:
            message = "it holds no plan"
        else:
            message = "it holds " + ", ".join(known[:5]) + (f" and {len(known) - 5:,} more" if len(known) > 5 else "")
        super().__init__(f"plan '{plan}' is not in {where}; {message}")


class QueryError(AntitraffickKGError):
    """A query that cannot run: bad parameter, syntax error, or an update."""


class EndpointError(AntitraffickKGError):
    """A remote SPARQL endpoint that cannot be reached or answers with an error."""


class ReasonerUnavailableError(AntitraffickKGError):
    """The OWL reasoner cannot run (no Java runtime)."""


class OutputError(AntitraffickKGError):
    """An output file or folder that cannot be written (read-only folder, a file where a folder must be).

    Raised before the work starts where the output is known in advance.
    """

    def __init__(self, message: str, *, path: str) -> None:
        self.path = path
        super().__init__(f"{path}: {message}")


class ServiceRefusedError(QueryError):
    """A query that would make a request to another server (``SERVICE``, a ``FROM`` to load) not allowed.

    ``iri`` is the place the query names; allow it with ``allow_service`` (``--allow-service``).
    """

    def __init__(self, message: str, *, iri: str | None = None) -> None:
        self.iri = iri
        super().__init__(message)


def utf8_hint(raw: bytes) -> str:
    """The fix to suggest for bytes that are not UTF-8: convert from GBK/GB18030 when they read as that.

    >>> utf8_hint("人口".encode("gbk"))
    'convert it to UTF-8 first (this looks like GBK/GB18030: iconv -f GB18030 -t UTF-8)'
    """
    try:
        raw.decode("gb18030")
    except UnicodeDecodeError:
        return "convert it to UTF-8 first"
    return "convert it to UTF-8 first (this looks like GBK/GB18030: iconv -f GB18030 -t UTF-8)"
