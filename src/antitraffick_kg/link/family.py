"""The plan family as documents: every row of ``data/plan-family.csv``, and every plan in use, as a legal resource.

Each document is an ``eli:LegalResource`` with ``eli:id_local`` (its number), ``eli:date_document``,
``eli:passed_by`` (its issuer), ``eli:jurisdiction`` (GB/T 2260 code), its level, whether its text is imported
(``atk:textAvailable``) and its upward links ``eli:implements``. A fact the sources do not give is stated as
``atk:unknownFact`` naming the ELI property; each upward link is also an ``rdf:Statement`` with its status and the
place it was read. A plan folder (``plan.toml``) that the CSV does not list joins the family from its own
``plan.toml``, so a new plan needs no new row to be placed in the chain.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from ..errors import InputError
from .linkbase import ATK, ELI, LEVEL_ORDER, RDF, SKOS, XSD, Quads, graph_node, node, plan_node, read_table

__all__ = ["FamilyDocument", "read_family", "family_quads", "FAMILY_GRAPH", "FAMILY_COLUMNS"]

FAMILY_GRAPH = "family"
FAMILY_COLUMNS = ("id", "title_zh", "doc_number", "issuer_zh", "issued", "level", "jurisdiction", "implements",
                  "status", "seen_at")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_CODE = re.compile(r"^\d{6}$")


@dataclass(frozen=True)
class FamilyDocument:
    """One document of the family, as a row of ``plan-family.csv`` or a plan folder's ``plan.toml`` gives it."""

    id: str
    title: str
    number: str | None
    issuer: str | None
    issued: str | None
    level: str
    jurisdiction: str | None
    implements: tuple[str, ...]
    status: str
    seen_at: str
    where: str                    # file and line, for messages and readFrom


def read_family(path: str | Path) -> list[FamilyDocument]:
    """The rows of a plan-family CSV; raises :class:`InputError` naming the file, line and column at fault."""
    path = Path(path)
    header, rows = read_table(path, what="plan-family file")
    if tuple(header) != FAMILY_COLUMNS:
        raise InputError(f"expected columns {','.join(FAMILY_COLUMNS)}", path=str(path), line=1)
    docs = []
    for line, row in rows:
        if not re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", row["id"]):
            raise InputError(f"id '{row['id']}' is not a plan id", path=str(path), line=line)
        if row["level"] not in LEVEL_ORDER:
            raise InputError(f"level '{row['level']}' is not one of {', '.join(LEVEL_ORDER)}", path=str(path),
                             line=line)
        if row["issued"] and not _DATE.match(row["issued"]):
            raise InputError(f"issued '{row['issued']}' is not a date YYYY-MM-DD", path=str(path), line=line)
        if row["jurisdiction"] and not _CODE.match(row["jurisdiction"]):
            raise InputError(f"jurisdiction '{row['jurisdiction']}' is not a six-digit code", path=str(path),
                             line=line)
        if not row["status"].startswith("verified"):
            raise InputError(f"status '{row['status']}': a document fact is either read (verified …) or left "
                             "empty", path=str(path), line=line)
        docs.append(FamilyDocument(row["id"], row["title_zh"], row["doc_number"] or None, row["issuer_zh"] or None,
                                   row["issued"] or None, row["level"], row["jurisdiction"] or None,
                                   tuple(i for i in row["implements"].split(";") if i), row["status"],
                                   row["seen_at"], f"{path.name}:{line}"))
    ids = [d.id for d in docs]
    for doc in docs:
        if ids.count(doc.id) > 1:
            raise InputError(f"document '{doc.id}' listed twice", path=str(path))
    return docs


def _from_plan(plan_id: str, info, where: str) -> FamilyDocument:
    return FamilyDocument(plan_id, info.title, info.number, info.issuer, info.issued, info.level,
                          info.jurisdiction, tuple(info.implements), "verified", "the plan's own folder", where)


def family_quads(documents: list[FamilyDocument], *, plans_in_use: Mapping[str, object],
                 state_absent: bool = True) -> Quads:
    """The family graph: ``documents`` (rows of plan-family.csv) and the plans in use, by id -> ``PlanInfo``.

    A plan in use that the CSV lists keeps the CSV's facts and adds the upward links its ``plan.toml`` states.
    Without ``state_absent``, ``atk:textAvailable false`` is left out (the corpus store states only the texts
    it holds, each plan its own).
    """
    q = Quads(graph_node(FAMILY_GRAPH))
    by_id = {d.id: d for d in documents}
    extra_links: dict[str, tuple[str, ...]] = {}
    for plan_id, info in sorted(plans_in_use.items()):
        if plan_id in by_id:
            extra_links[plan_id] = tuple(i for i in info.implements if i not in by_id[plan_id].implements)
        else:
            by_id[plan_id] = _from_plan(plan_id, info, f"{plan_id}/plan.toml")
    for doc in by_id.values():
        _document(q, doc, text=doc.id in plans_in_use, state_absent=state_absent)
        for upper in doc.implements:
            _link(q, doc, upper, read_from=f"stated in the document's preamble, as seen at {doc.seen_at} "
                                           f"({doc.where})")
        for upper in extra_links.get(doc.id, ()):
            _link(q, doc, upper, read_from=f"{doc.id}/plan.toml implements, from the plan's own text")
    return q


def _document(q: Quads, doc: FamilyDocument, *, text: bool, state_absent: bool = True) -> None:
    s = plan_node(doc.id)
    q.add(s, RDF + "type", ELI + "LegalResource")
    q.text(s, ELI + "title", doc.title, lang="zh")
    q.text(s, ELI + "id_local", doc.number)
    if doc.issued:
        q.add(s, ELI + "date_document", ox.Literal(doc.issued, datatype=ox.NamedNode(XSD + "date")))
    if doc.issuer:
        agent = node(f"agent/{doc.jurisdiction or doc.id}/{doc.issuer}")
        q.add(s, ELI + "passed_by", agent)
        q.add(agent, RDF + "type", ELI + "Agent")
        q.text(agent, SKOS + "prefLabel", doc.issuer, lang="zh")
    if doc.jurisdiction:
        place = node(f"jurisdiction/{doc.jurisdiction}")
        q.add(s, ELI + "jurisdiction", place)
        q.text(place, SKOS + "notation", doc.jurisdiction)
        q.text(s, ATK + "jurisdiction", doc.jurisdiction)
    q.text(s, ATK + "level", doc.level)
    if text or state_absent:
        q.add(s, ATK + "textAvailable", ox.Literal("true" if text else "false",
                                                   datatype=ox.NamedNode(XSD + "boolean")))
    q.status(s, "verified", read_from=f"{doc.seen_at} ({doc.where}: {doc.status})")
    unknown = [p for p, value in (("id_local", doc.number), ("date_document", doc.issued),
                                  ("passed_by", doc.issuer), ("jurisdiction", doc.jurisdiction)) if not value]
    if not doc.implements and doc.level != "national":
        unknown.append("implements")
    for prop in unknown:
        q.add(s, ATK + "unknownFact", ELI + prop)


def _link(q: Quads, doc: FamilyDocument, upper: str, *, read_from: str) -> None:
    lower, up = plan_node(doc.id), plan_node(upper)
    q.add(lower, ELI + "implements", up)
    st = q.statement("implements", lower, ELI + "implements", up)
    q.status(st, "verified", read_from=read_from)
