"""The industrial API: suppliers, special assignments and one assignment with its
checklist, findings, declaration and monitoring (read only; same services and policy as
the pages)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from baken.core.markings import Level
from baken.protect.industrial import checklist, service
from baken.protect.industrial.models import Assignment, Supplier
from baken.protect.industrial.service import IndustrialError
from baken.web.context import CtxDep, NotFound

api = APIRouter(prefix="/api/v1/protect", tags=["protect"])


def supplier_json(s: Supplier) -> dict[str, Any]:
    return {
        "id": s.id,
        "name": s.name,
        "kvk": s.kvk,
        "branch": s.branch,
        "country": s.country,
        "entity_id": s.entity_id,
    }


def assignment_json(a: Assignment) -> dict[str, Any]:
    return {
        "id": a.id,
        "ref": a.ref,
        "supplier_id": a.supplier_id,
        "client": a.client,
        "title": a.title,
        "tbb": a.tbb,
        "classification": Level(a.classification).name,
        "regime": a.regime,
        "moved_on": a.moved_on.isoformat() if a.moved_on else None,
        "abro_applies": a.abro_applies,
        "assessed_on": a.assessed_on.isoformat(),
        "status": a.status,
        "status_on": a.status_on.isoformat(),
    }


@api.get("/suppliers", summary="Suppliers the caller may read (paginated)")
def api_suppliers(ctx: CtxDep, q: str = "", page: int = 1) -> dict[str, Any]:
    principal = ctx.user()
    with ctx.db() as session:
        found = service.suppliers(session, principal, query=q[:200], page=page)
    return {
        "page": found.page,
        "more": found.more,
        "suppliers": [supplier_json(s) for s in found.rows],
    }


@api.get("/assignments", summary="Special assignments the caller may read (paginated)")
def api_assignments(
    ctx: CtxDep,
    status: str | None = None,
    tbb: str | None = None,
    client: str | None = None,
    page: int = 1,
) -> dict[str, Any]:
    principal = ctx.user()
    with ctx.db() as session:
        found = service.search(session, principal, status=status, tbb=tbb, client=client, page=page)
    return {
        "page": found.page,
        "more": found.more,
        "assignments": [assignment_json(a) for a in found.rows],
    }


@api.get("/assignments/{assignment_id}", summary="A special assignment with its checklist")
def api_assignment(ctx: CtxDep, assignment_id: int) -> dict[str, Any]:
    principal = ctx.user()
    with ctx.db() as session:
        try:
            row = service.assignment(session, principal, assignment_id)
        except IndustrialError:
            raise NotFound from None
        checks = checklist.checks(session, principal, row.id)
        declared = checklist.declaration(session, principal, row.id)
        events = checklist.events(session, principal, row.id)
        snapshots = checklist.findings(session, principal, row.id)
    return {
        **assignment_json(row),
        "checklist": [
            {
                "item": c.item,
                "state": c.state,
                "note": c.note,
                "updated_on": c.updated_on.isoformat() if c.updated_on else None,
            }
            for c in checks
        ],
        "findings": [
            {
                "taken_on": f.taken_on.isoformat(),
                "foreign": f.foreign_count,
                "hits": f.hit_count,
                "parties": f.data.get("parties", []),
            }
            for f in snapshots
        ],
        "declaration": None
        if declared is None
        else {
            "regime": declared.regime,
            "declared_on": declared.declared_on.isoformat(),
            "valid_until": declared.valid_until.isoformat(),
            "conditions": declared.conditions,
        },
        "events": [{"kind": e.kind, "on": e.on.isoformat(), "note": e.note} for e in events],
    }
