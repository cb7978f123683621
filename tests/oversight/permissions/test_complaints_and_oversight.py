"""Complaints (minister, then the CTIVD within two weeks), the CTIVD's audited reads,
the dashboard's figures, the CLI's reminders and expiry, and the demo world."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from baken.core.db import transaction
from baken.core.markings import Marking, Service
from baken.core.models import AuditEntry
from baken.core.policy import PolicyDenied
from baken.core.principals import Principal
from baken.core.schemas import MarkingIn
from baken.oversight.permissions import complaints, dashboard, service
from baken.oversight.permissions.service import PermissionsError
from tests.oversight.permissions.conftest import DAY, PWorld, committed

LOW = Marking.of("DEP_VERTROUWELIJK", Service.AIVD)


def _complaint(pw: PWorld, marking: Marking = LOW) -> int:
    data = complaints.ComplaintCreate(
        subject="Klacht", body="Tekst", received_on=DAY, marking=MarkingIn.of(marking)
    )
    return committed(pw, lambda s: complaints.create_complaint(s, principal=pw.lead, data=data))


def _step(pw: PWorld, who: object, cid: int, outcome: str, note: str = "", on: date = DAY) -> None:
    committed(
        pw,
        lambda s: complaints.decide_complaint(
            s,
            principal=who,
            complaint_id=cid,
            outcome=outcome,
            note=note,
            on=on,  # type: ignore[arg-type]
        ),
    )


def _view(pw: PWorld, cid: int) -> complaints.ComplaintView:
    with transaction(pw.factory) as session:
        return complaints.get_complaint(session, principal=pw.ctivd, complaint_id=cid)


def test_a_complaint_goes_to_the_minister_then_the_ctivd_within_two_weeks(pw: PWorld) -> None:
    cid = _complaint(pw)
    with pytest.raises(PermissionsError, match="at step minister"):
        _step(pw, pw.ctivd, cid, "received")  # the minister first
    with pytest.raises(PermissionsError, match="answer"):
        _step(pw, pw.minister, cid, "answered")  # an answer needs its text
    _step(pw, pw.minister, cid, "answered", "Ongegrond.")
    _step(pw, pw.ctivd, cid, "received", on=DAY)
    view = _view(pw, cid)
    assert (view.status, view.ctivd_deadline) == ("ctivd", DAY + timedelta(days=14))
    assert view.days_left(DAY + timedelta(days=10)) == 4
    assert not view.overdue(DAY + timedelta(days=14))
    assert view.overdue(DAY + timedelta(days=15))
    with pytest.raises(PermissionsError, match="reasons"):
        _step(pw, pw.ctivd, cid, "not_taken")
    _step(pw, pw.ctivd, cid, "not_taken", "Kennelijk ongegrond.")
    assert _view(pw, cid).status == "not_taken"


def test_complaint_decisions_follow_the_one_rule(pw: PWorld) -> None:
    cid = _complaint(pw)
    with pytest.raises(LookupError):  # Defence's minister cannot read an AIVD complaint
        _step(pw, pw.defence, cid, "answered", "x")
    with pytest.raises(PolicyDenied):  # a team lead registers, but does not decide
        _step(pw, pw.lead, cid, "answered", "x")
    data = complaints.ComplaintCreate(
        subject="x", body="y", received_on=DAY, marking=MarkingIn.of(LOW)
    )
    with pytest.raises(PolicyDenied):  # the CTIVD may read but not register complaints
        committed(pw, lambda s: complaints.create_complaint(s, principal=pw.ctivd, data=data))
    with transaction(pw.factory) as session:
        assert complaints.list_complaints(session, principal=pw.analyst) == []  # no role


def test_the_ctivds_reads_are_audited(pw: PWorld) -> None:
    pid = pw.request()
    with transaction(pw.factory) as session:
        service.get(session, principal=pw.ctivd, permission_id=pid)
        service.list_permissions(session, principal=pw.ctivd)
        service.reviews(session, principal=pw.ctivd)
    with transaction(pw.factory) as session:
        actions = set(session.scalars(select(AuditEntry.action).where(AuditEntry.actor == "ctivd")))
    assert {"permission.read", "permission.list", "permission.reviews"} <= actions


def _lawful(pw: PWorld, outcome: str, author: Principal | None = None, **changes: object) -> int:
    pid = pw.request(author, **changes)
    for fn, who, kw in (
        ("submit", author or pw.analyst, {}),
        ("team_lead", author or pw.lead, {"outcome": "forwarded"}),
        ("decide", pw.minister, {"outcome": "permitted"}),
        ("decide", pw.tib, {"outcome": outcome, "note": "r", "on": DAY}),
    ):
        committed(
            pw,
            lambda s, fn=fn, who=who, kw=kw: getattr(service, fn)(  # type: ignore[misc]
                s, principal=who, permission_id=pid, **kw
            ),
        )
    return pid


def test_unlawful_shares_count_only_what_the_reader_may_read(pw: PWorld) -> None:
    _lawful(pw, "lawful")
    _lawful(pw, "unlawful")
    _lawful(
        pw, "unlawful", pw.senior, marking=MarkingIn.of(Marking.of("STG_ZEER_GEHEIM", Service.AIVD))
    )
    with transaction(pw.factory) as session:
        seen_by_analyst = dashboard.unlawful_shares(session, principal=pw.analyst)
        seen_by_ctivd = dashboard.unlawful_shares(session, principal=pw.ctivd)
        seen_by_mivd = dashboard.unlawful_shares(session, principal=pw.mivd)
    period = dashboard.period_of(date.today())
    assert [(s.service, s.period, s.reviewed, s.unlawful) for s in seen_by_analyst] == [
        ("AIVD", period, 2, 1)
    ]  # the Stg. Zeer Geheim request is beyond the analyst's clearance
    assert [(s.reviewed, s.unlawful) for s in seen_by_ctivd] == [(3, 2)]
    assert seen_by_mivd == []
    assert seen_by_analyst[0].percent == 50.0


def test_cli_reminds_and_expires(pw: PWorld) -> None:
    from typer.testing import CliRunner

    from baken.cli import application

    pid = _lawful(pw, "lawful")
    env = {
        "BAKEN_DATA_DIR": str(pw.settings.data_dir),
        "BAKEN_DATABASE_URL": pw.settings.database_url,
        "BAKEN_FROG": "false",
    }
    runner, cli = CliRunner(), application()
    reminded = runner.invoke(
        cli, ["permissions", "remind", "-u", "analist", "--on", "2026-05-20"], env=env
    )
    assert reminded.exit_code == 0, reminded.output
    assert "TV-2026-0001" in reminded.output
    assert "2026-06-01" in reminded.output
    quiet = runner.invoke(
        cli, ["permissions", "remind", "-u", "analist", "--on", "2026-04-01"], env=env
    )
    assert "No permissions expiring soon" in quiet.output
    expired = runner.invoke(
        cli, ["permissions", "expire", "-u", "teamleider", "--on", "2026-06-02"], env=env
    )
    assert expired.exit_code == 0, expired.output
    assert "1 permission(s) expired: TV-2026-0001" in expired.output
    with transaction(pw.factory) as session:
        assert service.get(session, principal=pw.analyst, permission_id=pid).status == "expired"
    bad = runner.invoke(cli, ["permissions", "expire", "-u", "teamleider", "--on", "juni"], env=env)
    assert bad.exit_code == 2
