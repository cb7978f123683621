"""The oversight dashboard: permissions expiring soon, the lifecycle's overdue
assessments and due destructions (through its service, when it offers them), open
complaints at the CTIVD, and the share of requests found unlawful per service and period.

Every figure is computed from rows the reader may read (policy in the query), so a
figure never reveals a hidden request.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from baken.core import audit, charts, policy
from baken.core.principals import Principal
from baken.oversight.permissions import complaints, service
from baken.oversight.permissions.models import Permission, PermissionStep
from baken.oversight.permissions.rules import KLACHT, TOESTEMMING


@dataclass(frozen=True, slots=True)
class Share:
    service: str
    period: str
    reviewed: int
    unlawful: int

    @property
    def percent(self) -> float:
        return 100.0 * self.unlawful / self.reviewed if self.reviewed else 0.0


@dataclass
class Dashboard:
    on: date
    expiring: list[service.PermissionView] = field(default_factory=list)
    complaints: list[complaints.ComplaintView] = field(default_factory=list)
    shares: list[Share] = field(default_factory=list)
    lifecycle: dict[str, int | None] = field(default_factory=dict)


def period_of(day: date) -> str:
    return f"{day.year}-H{1 if day.month <= 6 else 2}"


def unlawful_shares(session: Session, *, principal: Principal) -> list[Share]:
    """Per owning service and half year (of the review): requests reviewed by the TIB or
    the CTIVD, and how many of them were found unlawful (or stopped)."""
    s, p = PermissionStep, Permission
    rows = session.execute(
        select(p.id, p.service, s.outcome, s.decided_at)
        .join(s, s.permission_id == p.id)
        .where(
            service.readable(principal),
            policy.read_filter(principal, TOESTEMMING, s.marking_id),
            s.step.in_(("tib", "ctivd")),
            s.outcome.in_(("lawful", "unlawful", "stop")),
        )
        .order_by(s.id)
    ).all()
    last: dict[int, tuple[str, str, bool]] = {}
    for pid, svc, outcome, at in rows:
        # A request counts once, in the period of its first review, unlawful if any was.
        before = last.get(pid)
        period = before[1] if before else period_of(at.date())
        last[pid] = (svc, period, (before[2] if before else False) or outcome != "lawful")
    counts: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0])
    for svc, period, bad in last.values():
        counts[(svc, period)][0] += 1
        counts[(svc, period)][1] += int(bad)
    return [Share(svc, period, n, bad) for (svc, period), (n, bad) in sorted(counts.items())]


def shares_chart(shares: list[Share], *, title: str, lang: charts.Lang) -> str:
    return charts.bar_chart(
        [(f"{s.service} {s.period} ({s.unlawful}/{s.reviewed})", s.percent) for s in shares],
        title=title,
        unit="%",
        max_value=100.0,
        lang=lang,
    )


def _lifecycle(session: Session, principal: Principal, on: date) -> dict[str, int | None]:
    """Counts from the lifecycle part: bulk datasets with relevance assessments overdue,
    and those with something to destroy (items assessed not relevant, or the term over)."""
    # Imported here: the lifecycle part builds on the permissions part.
    from baken.oversight.lifecycle.service import list_datasets

    found: dict[str, int | None] = {"overdue_assessments": None, "destruction_due": None}
    datasets = [
        d for d in list_datasets(session, principal=principal, today=on) if d.state != "destroyed"
    ]
    found["overdue_assessments"] = sum(1 for d in datasets if d.overdue)
    found["destruction_due"] = sum(1 for d in datasets if d.not_relevant > 0 or on > d.term_until)
    return found


def build(session: Session, *, principal: Principal, on: date) -> Dashboard:
    board = Dashboard(on=on)
    if policy.role_may_read(principal, TOESTEMMING):
        board.expiring = service.expiring(session, principal=principal, on=on)
        board.shares = unlawful_shares(session, principal=principal)
    if policy.role_may_read(principal, KLACHT):
        board.complaints = complaints.list_complaints(session, principal=principal, status="ctivd")
    board.lifecycle = _lifecycle(session, principal, on)
    audit.record(
        session,
        principal=principal,
        action="oversight.dashboard",
        kind=TOESTEMMING,
        details={"on": on.isoformat(), "shares": len(board.shares)},
    )
    return board
