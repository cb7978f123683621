"""The API of protect (sweeps): rooms with where they stand, a sweep with its findings,
meetings with their flags; the same services and read filter as the pages."""

from __future__ import annotations

from datetime import date
from typing import Any

from fastapi import APIRouter

from baken.protect.sweeps import meetings, service
from baken.protect.sweeps.meetings import MeetingRow
from baken.protect.sweeps.models import Finding, Room, Sweep
from baken.protect.sweeps.service import SweepsError
from baken.web.context import CtxDep, NotFound

api = APIRouter(prefix="/api/v1/protect", tags=["protect"])

# --- API -----------------------------------------------------------------------------------


def room_json(r: Room, today: date) -> dict[str, Any]:
    return {
        "id": r.id,
        "ref": r.ref,
        "name": r.name,
        "location": r.location,
        "level": r.level,
        "owner": r.owner,
        "service": r.service,
        "risk": r.risk,
        "interval_days": r.interval_days,
        "active": r.active,
        "last_swept_on": r.last_swept_on.isoformat() if r.last_swept_on else None,
        "next_due_on": r.next_due_on.isoformat() if r.next_due_on else None,
        "state": service.state(r, today),
    }


def finding_json(f: Finding) -> dict[str, Any]:
    return {
        "id": f.id,
        "description": f.description,
        "severity": f.severity,
        "kind": f.kind,
        "status": f.status,
        "remediation": f.remediation,
        "remediated_on": f.remediated_on.isoformat() if f.remediated_on else None,
    }


def sweep_json(s: Sweep) -> dict[str, Any]:
    return {
        "id": s.id,
        "ref": s.ref,
        "room_id": s.room_id,
        "reason": s.reason,
        "planned_on": s.planned_on.isoformat(),
        "performed_on": s.performed_on.isoformat() if s.performed_on else None,
        "status": s.status,
        "team": s.team,
        "notes": s.notes,
    }


def meeting_json(m: MeetingRow) -> dict[str, Any]:
    return {
        "id": m.meeting.id,
        "title": m.meeting.title,
        "room_id": m.meeting.room_id,
        "room_ref": m.room_ref,
        "level": m.meeting.level,
        "planned_on": m.meeting.planned_on.isoformat(),
        "starts_at": m.meeting.starts_at or None,
        "organiser": m.meeting.organiser,
        "flagged": m.flagged,
    }


@api.get("/rooms", summary="Secure rooms the caller may read, overdue first (paginated)")
def api_rooms(ctx: CtxDep, page: int = 1) -> dict[str, Any]:
    principal = ctx.user()
    today = date.today()
    with ctx.db() as session:
        rows, more = service.rooms(session, principal, page=page)
        return {"page": max(page, 1), "more": more, "rooms": [room_json(r, today) for r in rows]}


@api.get("/rooms/{room_id}", summary="A secure room with its upcoming meetings and flags")
def api_room(ctx: CtxDep, room_id: int) -> dict[str, Any]:
    principal = ctx.user()
    today = date.today()
    with ctx.db() as session:
        try:
            place = service.room(session, principal, room_id)
        except SweepsError:
            raise NotFound from None
        planned, _ = meetings.meetings(session, principal, today=today, room_id=room_id)
        return {**room_json(place, today), "meetings": [meeting_json(m) for m in planned]}


@api.get("/sweeps/{sweep_id}", summary="A sweep record with its findings")
def api_sweep(ctx: CtxDep, sweep_id: int) -> dict[str, Any]:
    principal = ctx.user()
    with ctx.db() as session:
        try:
            found = service.sweep(session, principal, sweep_id)
        except SweepsError:
            raise NotFound from None
        return {
            **sweep_json(found.sweep),
            "open_findings": found.open_findings,
            "findings": [finding_json(f) for f in found.findings],
        }


@api.get("/meetings", summary="Upcoming meetings the caller may read, with their flags")
def api_meetings(ctx: CtxDep, flagged: bool = False, page: int = 1) -> dict[str, Any]:
    principal = ctx.user()
    with ctx.db() as session:
        rows, more = meetings.meetings(
            session, principal, today=date.today(), flagged_only=flagged, page=page
        )
        return {"page": max(page, 1), "more": more, "meetings": [meeting_json(m) for m in rows]}
