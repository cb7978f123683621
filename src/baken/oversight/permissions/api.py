"""The HTTP API of oversight (permissions): the same services and policy as the pages.
A refusal is answered 422 (problem details) after its audit entry is committed."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict
from datetime import date
from typing import Annotated, Any, TypeVar

from fastapi import APIRouter, Query
from pydantic import BaseModel, Field
from sqlalchemy.orm import Session

from baken.core.errors import DomainError
from baken.core.schemas import MarkingIn
from baken.core.timeutil import utcnow
from baken.oversight.lifecycle.destruction import Stores
from baken.oversight.permissions import complaints, dashboard, service
from baken.web.context import Ctx, CtxDep

api = APIRouter(prefix="/api/v1/oversight", tags=["oversight"])
T = TypeVar("T")


def attempt(ctx: Ctx, call: Callable[[Session], T]) -> tuple[T | None, DomainError | None]:
    """Run a write; a refusal comes back (its audit entry committed), anything else
    (not found, not allowed) propagates and rolls back."""
    with ctx.db() as session:
        try:
            return call(session), None
        except DomainError as exc:
            return None, exc


_attempt = attempt


def _today() -> date:
    return utcnow().date()


# --- API --------------------------------------------------------------------------------------


def _json(view: Any) -> Any:
    data = asdict(view)
    data["marking"] = view.marking.key()
    return data


def _raise(error: DomainError | None) -> None:
    if error is not None:
        raise error  # answered 422 by the web layer (problem details)


class DecisionIn(BaseModel):
    outcome: str = Field(max_length=32)
    note: str = Field(default="", max_length=service.MAX_TEXT)


class ComplaintIn(BaseModel):
    subject: str = Field(max_length=200)
    body: str = Field(max_length=service.MAX_TEXT)
    received_on: date
    marking: MarkingIn


@api.get("/permissions", summary="Permission requests the caller may read")
def api_list(ctx: CtxDep, status: Annotated[str | None, Query(max_length=16)] = None) -> list[Any]:
    with ctx.db() as session:
        return [
            _json(v) for v in service.list_permissions(session, principal=ctx.user(), status=status)
        ]


@api.post("/permissions", status_code=201, summary="Draft a permission request")
def api_create(ctx: CtxDep, body: service.PermissionCreate) -> dict[str, Any]:
    principal = ctx.user()
    new_id, error = _attempt(
        ctx, lambda s: service.create(s, principal=principal, data=body, on=_today())
    )
    _raise(error)
    return {"id": new_id}


@api.get("/permissions/{permission_id}", summary="A permission request with its history")
def api_get(ctx: CtxDep, permission_id: int) -> Any:
    with ctx.db() as session:
        return _json(service.get(session, principal=ctx.user(), permission_id=permission_id))


@api.get(
    "/permissions/{permission_id}/usable",
    summary="Whether data may be recorded under the permission on a day",
)
def api_usable(ctx: CtxDep, permission_id: int, on: date | None = None) -> Any:
    principal = ctx.user()
    view, error = _attempt(
        ctx,
        lambda s: service.usable(
            s, principal=principal, permission_id=permission_id, on=on or _today()
        ),
    )
    _raise(error)
    return _json(view)


@api.post("/permissions/{permission_id}/submit", summary="Submit a draft to the team lead")
def api_submit(ctx: CtxDep, permission_id: int) -> dict[str, Any]:
    principal = ctx.user()
    _, error = _attempt(
        ctx, lambda s: service.submit(s, principal=principal, permission_id=permission_id)
    )
    _raise(error)
    return {"id": permission_id}


@api.post("/permissions/{permission_id}/team-lead", summary="The team lead's step")
def api_team_lead(ctx: CtxDep, permission_id: int, body: DecisionIn) -> dict[str, Any]:
    principal = ctx.user()
    _, error = _attempt(
        ctx,
        lambda s: service.team_lead(
            s,
            principal=principal,
            permission_id=permission_id,
            outcome=body.outcome,
            note=body.note,
            on=_today(),
        ),
    )
    _raise(error)
    return {"id": permission_id}


@api.post(
    "/permissions/{permission_id}/decision",
    summary="A decision of the minister, the TIB or the CTIVD",
)
def api_decide(ctx: CtxDep, permission_id: int, body: DecisionIn) -> dict[str, Any]:
    principal = ctx.user()
    _, error = _attempt(
        ctx,
        lambda s: service.decide(
            s,
            principal=principal,
            permission_id=permission_id,
            outcome=body.outcome,
            note=body.note,
            on=_today(),
            stores=Stores.of(ctx.settings),
        ),
    )
    _raise(error)
    return {"id": permission_id}


@api.post("/permissions/{permission_id}/renew", status_code=201, summary="Request a renewal")
def api_renew(ctx: CtxDep, permission_id: int) -> dict[str, Any]:
    principal = ctx.user()
    new_id, error = _attempt(
        ctx,
        lambda s: service.renew(s, principal=principal, permission_id=permission_id, on=_today()),
    )
    _raise(error)
    return {"id": new_id}


@api.get("/complaints", summary="Complaints the caller may read")
def api_complaints(ctx: CtxDep) -> list[Any]:
    with ctx.db() as session:
        return [_json(c) for c in complaints.list_complaints(session, principal=ctx.user())]


@api.post("/complaints", status_code=201, summary="Register a complaint to the minister")
def api_complaint_create(ctx: CtxDep, body: ComplaintIn) -> dict[str, Any]:
    principal = ctx.user()
    data = complaints.ComplaintCreate(**body.model_dump())
    new_id, error = _attempt(
        ctx, lambda s: complaints.create_complaint(s, principal=principal, data=data)
    )
    _raise(error)
    return {"id": new_id}


@api.get("/complaints/{complaint_id}", summary="A complaint")
def api_complaint(ctx: CtxDep, complaint_id: int) -> Any:
    with ctx.db() as session:
        return _json(
            complaints.get_complaint(session, principal=ctx.user(), complaint_id=complaint_id)
        )


@api.post("/complaints/{complaint_id}/decision", summary="The minister's or the CTIVD's step")
def api_complaint_decide(ctx: CtxDep, complaint_id: int, body: DecisionIn) -> dict[str, Any]:
    principal = ctx.user()
    _, error = _attempt(
        ctx,
        lambda s: complaints.decide_complaint(
            s,
            principal=principal,
            complaint_id=complaint_id,
            outcome=body.outcome,
            note=body.note,
            on=_today(),
        ),
    )
    _raise(error)
    return {"id": complaint_id}


@api.get("/dashboard", summary="Expiring permissions, open complaints, unlawful shares")
def api_dashboard(ctx: CtxDep) -> dict[str, Any]:
    with ctx.db() as session:
        board = dashboard.build(session, principal=ctx.user(), on=_today())
    return {
        "on": board.on.isoformat(),
        "expiring": [{"id": p.id, "reference": p.reference} for p in board.expiring],
        "complaints_at_ctivd": [
            {"id": c.id, "reference": c.reference, "deadline": c.ctivd_deadline}
            for c in board.complaints
        ],
        "unlawful_shares": [asdict(s) | {"percent": s.percent} for s in board.shares],
        "lifecycle": board.lifecycle,
    }
