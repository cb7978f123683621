"""Electronic security investigations (EVO): secure rooms, sweeps and their findings.

A secure room is registered with the highest classification discussed there, its owner,
service and risk; its sweep interval follows from level and risk (``vocab.yaml``). Sweeps
are planned (by the interval: :func:`plan_next`, or ad hoc for a risk), recorded as
performed with their findings, and each finding stays open until its remediation is
recorded. Recording a sweep moves the room's ``last_swept_on`` and ``next_due_on``, so
that meeting planners, who read rooms but not sweep records, see whether a room is
overdue (:mod:`baken.protect.sweeps.meetings` flags their meetings).

The date a room was last swept is part of the room's record, at the room's marking; what
a sweep found may be more secret than the room's existence, so a sweep is marked at least
at the room's marking and the officer may raise it (its findings carry the sweep's
marking).

Every service takes the principal, reads through :func:`baken.core.policy.read_filter` in
the query and audits. Refusals raise :class:`SweepsError`; a room, sweep or finding the
principal may not read is refused exactly like one that does not exist.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy.orm import Session

from baken.core.i18n import N_
from baken.core.principals import Principal
from baken.protect.sweeps.service.common import (
    DEFAULT_MARKING_LEVEL,
    DUE_SOON_DAYS,
    PAGE,
    ROOM,
    SWEEP,
    SweepsError,
    can_write,
    finding_kinds,
    interval_days,
    overdue_sql,
    plan_next,
    reasons,
    risks,
    room_levels,
    severities,
    state,
)
from baken.protect.sweeps.service.records import (
    SweepFile,
    SweepRow,
    add_finding,
    cancel_sweep,
    close_finding,
    plan_sweep,
    record_performed,
    sweep,
    sweep_marking,
    sweeps_of,
)
from baken.protect.sweeps.service.rooms import (
    create_room,
    deactivate_room,
    reassess_room,
    room,
    room_choices,
    rooms,
)

# --- the overview --------------------------------------------------------------------------


def figures(session: Session, *, principal: Principal) -> list[tuple[str, int, str, bool]]:
    """The part's most important figures for the protect overview, each counted through
    the read filter: (label msgid, count, href, asks for action). The overview audits the
    view with the figures shown; the dashboard page audits its own."""
    from baken.protect.sweeps.dashboard import counts

    found = counts(session, principal, today=date.today())
    return [
        (N_("Secure rooms overdue for a sweep"), found.overdue, "/veegonderzoeken", True),
        (N_("Open sweep findings"), found.open_findings, "/veegonderzoeken#bevindingen", True),
        (
            N_("Meetings in an overdue room"),
            found.flagged_meetings,
            "/vergaderingen?gemarkeerd=1",
            True,
        ),
    ]


__all__ = [
    "DEFAULT_MARKING_LEVEL",
    "DUE_SOON_DAYS",
    "PAGE",
    "ROOM",
    "SWEEP",
    "SweepFile",
    "SweepRow",
    "SweepsError",
    "add_finding",
    "can_write",
    "cancel_sweep",
    "close_finding",
    "create_room",
    "deactivate_room",
    "figures",
    "finding_kinds",
    "interval_days",
    "overdue_sql",
    "plan_next",
    "plan_sweep",
    "reasons",
    "reassess_room",
    "record_performed",
    "risks",
    "room",
    "room_choices",
    "room_levels",
    "rooms",
    "severities",
    "state",
    "sweep",
    "sweep_marking",
    "sweeps_of",
]
