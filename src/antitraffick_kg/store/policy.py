"""The outbound-request policy: no query reaches another server unless the user named that server.

SPARQL lets a query ask other servers for data: ``SERVICE <url> { … }`` sends
a sub-query there, and rdflib also downloads every graph named in ``FROM`` /
``FROM NAMED``.  Neither embedded engine can be told not to (pyoxigraph 0.5
has no option for it, rdflib only a module-wide switch), nor can the
``oxigraph`` server.  So every query is checked before it runs: the places it
names are read from the query as a SPARQL parser sees it (prefixes resolved),
and a query naming a place not on the user's allow-list is refused.  A
``SERVICE`` whose endpoint is a variable is always refused: it cannot be
checked.  The check is the same for the embedded stores and for the filtering
front of ``serve``; a query sent to ``--endpoint`` goes there as written (what
that server does with it is its business).
"""

from __future__ import annotations

import re
import signal
import threading
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Literal, TypeVar

from ..errors import EndpointError, QueryError, ServiceRefusedError

__all__ = ["Target", "outbound_targets", "check_outbound", "with_deadline"]

T = TypeVar("T")

#: a query can only name another server with one of these keywords, as a token (not a variable such as ?from, a
#: prefixed name's local part such as atk:fromYear, or part of a word); the text is parsed in full only when
#: one of them appears in it outside whole-line comments (the catalogue's headers)
_MAYBE_OUTBOUND = re.compile(r"(?<![?$:\w])(?:service|from)(?!\w)", re.IGNORECASE)
_COMMENT_LINE = re.compile(r"(?m)^[ \t]*#[^\r\n]*")    # SPARQL ends a comment at CR as well as LF


def _may_name_a_server(text: str) -> bool:
    """False only when ``text`` cannot hold a SERVICE or FROM keyword: the cheap test before a full parse.

    A codepoint escape (decoded before parsing) or a long string (in which a
    line may start with ``#`` and yet not be a comment) always means a full parse.

    >>> _may_name_a_server("SELECT ?from WHERE { ?p atk:fromYear ?from }")
    False
    >>> [_may_name_a_server(t) for t in ("SELECT * FROM <g> {}", "SELECT * {SERVICE<http://e/s>{}}", "x from:a")]
    [True, True, True]
    """
    # a catalogue question's text is checked each time it is asked: its answer is kept (texts with rows of
    # values written in, which differ each time, are not)
    return _scan(text) if len(text) > _KEPT_TEXT else _scan_kept(text)


#: the longest query text whose check is kept
_KEPT_TEXT = 16_384


def _scan(text: str) -> bool:
    if "\\u" in text or "\\U" in text or '"""' in text or "'''" in text:
        return True
    return bool(_MAYBE_OUTBOUND.search(_COMMENT_LINE.sub("", text)))


_scan_kept = lru_cache(maxsize=256)(_scan)


@dataclass(frozen=True)
class Target:
    """A place a query names: ``kind`` is ``service`` or ``from``; ``iri`` is None for ``SERVICE ?var``,
    whose variable name is ``variable``."""

    kind: Literal["service", "from"]
    iri: str | None
    variable: str | None = field(default=None, repr=False)


def outbound_targets(text: str) -> tuple[Target, ...]:
    """The servers and graphs query ``text`` names in ``SERVICE`` and ``FROM`` / ``FROM NAMED`` clauses.

    Raises :class:`QueryError` when the text may name one but cannot be read.

    >>> outbound_targets("PREFIX e: <http://example.org/> SELECT * WHERE { SERVICE e:sparql { ?s ?p ?o } }")
    (Target(kind='service', iri='http://example.org/sparql'),)
    >>> outbound_targets("SELECT ?service WHERE { ?service ?p ?o }")
    ()
    """
    if not _may_name_a_server(text):
        return ()
    return _parsed_targets(text)


@lru_cache(maxsize=256)
def _parsed_targets(text: str) -> tuple[Target, ...]:
    from pyparsing import ParseException
    from rdflib import URIRef
    from rdflib.plugins.sparql.algebra import translateQuery
    from rdflib.plugins.sparql.parser import parseQuery
    from rdflib.plugins.sparql.parserutils import CompValue

    try:
        algebra = translateQuery(parseQuery(text)).algebra
    except ParseException as exc:
        raise QueryError(f"SPARQL syntax error at line {exc.lineno}, column {exc.col}") from None
    except Exception as exc:  # rdflib cannot translate it: then it cannot be checked, so it does not run
        raise QueryError(f"the query cannot be checked for requests to other servers ({exc})") from None
    found: list[Target] = []
    # CompValue.get answers a missing key with the key itself: read them as plain dicts
    for clause in dict.get(algebra, "datasetClause") or ():
        iri = dict.get(clause, "default") or dict.get(clause, "named")
        if iri is not None:
            found.append(Target("from", str(iri)))

    def walk(node) -> None:
        if isinstance(node, CompValue):
            if node.name == "ServiceGraphPattern":
                term = dict.get(node, "term")
                found.append(Target("service", str(term) if isinstance(term, URIRef) else None,
                                    None if isinstance(term, URIRef) else str(term)))
            for value in node.values():
                walk(value)
        elif isinstance(node, (list, tuple)):
            for value in node:
                walk(value)

    walk(algebra)
    return tuple(dict.fromkeys(found))


def check_outbound(text: str, *, allow: Collection[str] = (), source: str = "query",
                   downloads_from: bool = False, bound: Mapping[str, str] | None = None) -> tuple[str, ...]:
    """Refuse query ``text`` if it names a ``SERVICE`` not in ``allow``; return the allowed ones it names.

    ``bound``: IRIs bound to variables of the query (catalogue parameters, checked before they are bound).
    ``SERVICE ?var`` passes only when ``?var`` is bound to an IRI in ``allow``; an unbound one is refused.

    ``downloads_from``: the engine downloads graphs named in ``FROM`` (rdflib
    does), so a ``FROM`` is refused too.  Raises :class:`ServiceRefusedError`.

    >>> check_outbound("SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }")
    Traceback (most recent call last):
    ...
    antitraffick_kg.errors.ServiceRefusedError: query: SERVICE <http://example.org/sparql> is not allowed: \
queries reach no other server unless it is named with --allow-service
    """
    allowed = []
    try:
        targets = outbound_targets(text)
    except QueryError as exc:
        raise QueryError(f"{source}: {exc}") from None
    for target in targets:
        if target.kind == "from":
            if downloads_from:
                raise ServiceRefusedError(
                    f"{source}: FROM <{target.iri}> would make this store download that graph; "
                    "ask with the oxigraph store, which reads FROM as a graph it holds", iri=target.iri)
            continue
        if target.iri is None and target.variable in (bound or {}):
            iri = (bound or {})[target.variable]
            if iri not in allow:
                raise ServiceRefusedError(f"{source}: SERVICE ?{target.variable} = <{iri}> is not allowed: queries "
                                          "reach no other server unless it is named with --allow-service", iri=iri)
            allowed.append(iri)
            continue
        if target.iri is None:
            raise ServiceRefusedError(f"{source}: SERVICE with a variable endpoint is refused: "
                                      "it could reach any server")
        if target.iri not in allow:
            raise ServiceRefusedError(f"{source}: SERVICE <{target.iri}> is not allowed: queries reach no "
                                      "other server unless it is named with --allow-service", iri=target.iri)
        allowed.append(target.iri)
    return tuple(allowed)


def with_deadline(work: Callable[[], T], *, seconds: float, what: str) -> T:
    """``work()``, or :class:`EndpointError` when it takes longer than ``seconds``.

    The work runs in a daemon thread, which is left to finish on its own
    when it overruns (neither engine can cancel a request it has sent).
    """
    box: dict[str, object] = {}

    def run() -> None:
        if hasattr(signal, "pthread_sigmask"):   # Ctrl-C must wake the waiting caller, not this thread
            signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT, signal.SIGTERM})
        try:
            box["value"] = work()
        except BaseException as exc:  # handed to the caller below
            # without its traceback: the frames hold engine objects that must be dropped in this thread
            exc.__traceback__ = None
            exc.__context__ = None
            box["error"] = exc

    thread = threading.Thread(target=run, name="antitraffick-kg-deadline", daemon=True)
    thread.start()
    thread.join(seconds)
    if thread.is_alive():
        raise EndpointError(f"{what} did not answer within {seconds:g} s")
    if "error" in box:
        raise box["error"]  # type: ignore[misc]
    return box["value"]  # type: ignore[return-value]
