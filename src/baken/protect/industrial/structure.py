"""Company structure and foreign ownership: the supplier's owners and directors, found
by walking the ownership graph in holdings upward from the supplier's FtM entity, each
screened against the holdings (sanctions lists, earlier findings) by resolve.

Everything read here goes through the read filter: the graph's neighbours
(:func:`baken.analysis.graph.service.neighbours`), the entities' properties
(:func:`baken.holdings.service.entities.get`) and resolve's screening under the
officer's own index policy. The snapshot stored is what the officer saw on that day; it
is marked with the high-water mark of the assignment and of every statement and hit it
shows, so a reader who may not read those statements does not see the snapshot.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import date
from typing import Any

from sqlalchemy.orm import Session

from baken.core import audit, policy
from baken.core.errors import DomainError
from baken.core.i18n import N_
from baken.core.marking_store import intern, load_one
from baken.core.markings import Marking, MarkingError
from baken.core.principals import Principal
from baken.protect.industrial.checklist import (
    active_assignment,
    check_on,
    item_row,
)
from baken.protect.industrial.models import Finding
from baken.protect.industrial.service import ASSIGNMENT, IndustrialError, supplier_row

DEPTH = 3  # levels of owners above the supplier
MAX_PARTIES = 60
HITS = 5
# Upward edges: (schema, the role of the edge's source towards its target).
UPWARD = {"Ownership": "owner", "Control": "controller", "Directorship": "director"}
COUNTRY_PROPS = ("jurisdiction", "country", "nationality", "citizenship", "mainCountry")
HOME = "nl"


@dataclass
class Party:
    entity_id: str
    name: str
    schema: str
    role: str  # owner | controller | director
    of_id: str
    of_name: str
    depth: int  # 1: directly above the supplier
    countries: list[str] = field(default_factory=list)
    foreign: bool | None = None  # None: no country known
    hits: list[dict[str, Any]] = field(default_factory=list)


@dataclass
class Walk:
    found: bool  # the supplier's entity is in the holdings the officer may read
    parties: list[Party]
    markings: list[Marking]


def walk(session: Session, principal: Principal, entity_id: str, depth: int = DEPTH) -> Walk:
    """Owners, controllers and directors above ``entity_id``, up to ``depth`` levels of
    ownership, as far as the principal may read them (each read audited)."""
    from baken.analysis.graph import service as graph
    from baken.holdings.service import entities

    markings: list[Marking] = []
    parties: list[Party] = []
    seen = {entity_id}
    level = [entity_id]
    names: dict[str, str] = {}
    for step in range(1, depth + 1):
        above: list[str] = []
        for node in level:
            try:
                around = graph.neighbours(session, principal=principal, entity_id=node)
            except LookupError:
                if node == entity_id:
                    return Walk(False, [], [])
                continue
            markings.append(around.marking)
            captions = {n.id: n.caption for n in around.nodes}
            names.update(captions)
            for edge in around.edges:
                role = UPWARD.get(edge.schema)
                if role is None or edge.target != node or edge.source in seen:
                    continue
                seen.add(edge.source)
                schema = next((n.schema for n in around.nodes if n.id == edge.source), "")
                parties.append(
                    Party(
                        entity_id=edge.source,
                        name=captions.get(edge.source, edge.source),
                        schema=schema,
                        role=role,
                        of_id=node,
                        of_name=names.get(node, node),
                        depth=step,
                    )
                )
                if role != "director":
                    above.append(edge.source)
                if len(parties) >= MAX_PARTIES:
                    break
        level = above
        if not level or len(parties) >= MAX_PARTIES:
            break
    for party in parties:
        try:
            view = entities.get(session, principal=principal, entity_id=party.entity_id)
        except LookupError:
            continue
        markings.append(view.marking)
        values = {
            v.value.lower()
            for prop in COUNTRY_PROPS
            for v in view.properties.get(prop, [])
            if v.value
        }
        party.countries = sorted(values)
        party.foreign = bool(values - {HOME}) if values else None
    return Walk(True, parties, markings)


def screen(principal: Principal, parties: list[Party], index: Any) -> list[Marking]:
    """Screen each party's name against the holdings (resolve, under the officer's own
    index policy); the party's own entity is not a hit. Returns the hits' markings."""
    from baken.core.policy_index import index_policy
    from baken.holdings.vocab import ENTITY
    from baken.resolve import screening

    rule = index_policy(principal, [ENTITY])
    markings: list[Marking] = []
    for party in parties:
        try:
            query = screening.parse_query([party.name])
        except DomainError:  # a name resolve cannot read is not screened
            continue
        schemata = screening.PERSONS if party.schema == "Person" else screening.ORGANISATIONS
        for match in screening.screen(index, rule, query, limit=HITS + 1, schemata=schemata):
            if match.entity_id == party.entity_id or len(party.hits) >= HITS:
                continue
            markings.append(match.marking)
            party.hits.append(
                {
                    "entity_id": match.entity_id,
                    "names": list(match.names[:2]),
                    "score": round(match.score, 2),
                    "countries": list(match.nationalities[:3]),
                }
            )
    return markings


def check(
    session: Session,
    principal: Principal,
    *,
    assignment_id: int,
    index: Any | None,
    on: date,
    today: date,
) -> Finding:
    """Walk the supplier's ownership graph, screen the owners and directors, and store
    what was seen as a dated snapshot; the structure item moves to "in progress" for the
    officer's assessment."""
    row = active_assignment(session, principal, assignment_id)
    check_on(row, on, today)
    company = supplier_row(session, principal, row.supplier_id)
    if company is None:
        raise IndustrialError(N_("no such supplier"))
    sources = [load_one(session, row.marking_id)]
    parties: list[Party] = []
    found = False
    if company.entity_id:
        walked = walk(session, principal, company.entity_id)
        found, parties = walked.found, walked.parties
        sources += walked.markings
        if index is not None:
            sources += screen(principal, parties, index)
    try:
        marking = policy.derived_marking(sources)
    except MarkingError as exc:
        raise IndustrialError(str(exc)) from None
    policy.require_write(principal, ASSIGNMENT, marking)
    snapshot = Finding(
        assignment_id=row.id,
        taken_on=on,
        entity_id=company.entity_id,
        data={
            "linked": company.entity_id is not None,
            "found": found,
            "screened": index is not None,
            "parties": [asdict(p) for p in parties],
        },
        foreign_count=sum(1 for p in parties if p.foreign),
        hit_count=sum(len(p.hits) for p in parties),
        marking_id=intern(session, marking),
        taken_by=principal.id,
    )
    session.add(snapshot)
    item = item_row(session, row, "structure")
    if item.state == "open":
        item.state, item.updated_by, item.updated_on = "in_progress", principal.id, on
    session.flush()
    # Marked as the snapshot: the counts come from the statements it was built from.
    audit.record(
        session,
        principal=principal,
        action="assignment.structure",
        kind=ASSIGNMENT,
        object_id=row.id,
        marking=marking,
        details={
            "ref": row.ref,
            "parties": len(parties),
            "foreign": snapshot.foreign_count,
            "hits": snapshot.hit_count,
        },
    )
    return snapshot
