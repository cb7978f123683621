"""What the industrial pages share: labels for the templates and the assignment page,
which the action routes re-render with a refusal at its form."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Annotated, Any

from fastapi import Form
from fastapi.responses import Response

from baken.core.marking_store import load
from baken.core.markings import Level, organisation_label
from baken.protect.industrial import checklist, service
from baken.protect.industrial.service import IndustrialError
from baken.protect.vocab import label
from baken.web.context import Ctx, NotFound
from baken.web.render import render

Str = Annotated[str, Form(max_length=4000)]
SUPPLIERS = "/leveranciers"
ASSIGNMENTS = "/bijzondere-opdrachten"


def plabel(group: str, code: str | None, locale: str = "nl") -> str:
    return label("industrial", group, code, locale)


def level_label(value: int, locale: str) -> str:
    return Level(value).label(locale)


def common(ctx: Ctx) -> dict[str, Any]:
    return {
        "label": plabel,
        "org": organisation_label,
        "level_label": level_label,
        "can_write": service.can_write(ctx.user()),
    }


def assignment_page(
    ctx: Ctx,
    assignment_id: int,
    *,
    status: int = 200,
    error: str | None = None,
    form: str | None = None,
    values: dict[str, str] | None = None,
) -> Response:
    principal = ctx.user()
    with ctx.db() as session:
        try:
            row = service.assignment(session, principal, assignment_id)
        except IndustrialError:
            raise NotFound from None
        company = service.supplier_row(session, principal, row.supplier_id)
        checks = checklist.checks(session, principal, row.id)
        people = checklist.staff(session, principal, row.id)
        places = checklist.hosting(session, principal, row.id)
        snapshots = checklist.findings(session, principal, row.id)
        declared = checklist.declaration(session, principal, row.id)
        events = checklist.events(session, principal, row.id)
        shown = {row.marking_id, *(f.marking_id for f in snapshots)}
        if company is not None:
            shown.add(company.marking_id)
        markings = load(session, shown)
    today = date.today()
    return render(
        ctx,
        "protect/industrial/assignment.html",
        title=f"{row.ref} {row.title}",
        status_code=status,
        markings=list(markings.values()),
        a=row,
        supplier=company,
        checks=checks,
        people=people,
        places=places,
        snapshots=snapshots,
        declared=declared,
        events=events,
        marking_of=markings,
        items=checklist.items(),
        states=checklist.states(),
        event_kinds=checklist.event_kinds(),
        error=error,
        form=form,
        values=values or {},
        today=today.isoformat(),
        valid_default=(today + timedelta(days=5 * 365)).isoformat(),
        **common(ctx),
    )
