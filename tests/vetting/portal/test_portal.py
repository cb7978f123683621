"""The portal's services: an employer requests and sees its own screenings, never
another employer's; bad requests store nothing and are on record; delay notices are
sent once per screening, due date and kind; only employers have a portal."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from baken.core.errors import DomainError
from baken.core.models import AuditEntry
from baken.core.policy import PolicyDenied
from baken.vetting.portal import service
from baken.vetting.portal.models import DelayNotice
from baken.vetting.positions import service as positions
from baken.vetting.screenings.models import Screening
from tests.vetting.portal.conftest import BSN_1, BSN_2, DAY, World


def _count(w: World, table: type[Screening] | type[DelayNotice]) -> int:
    return w.run(lambda s: s.scalar(select(func.count()).select_from(table)) or 0)


def test_employer_requests_and_sees_only_its_own(world: World) -> None:
    a_id = world.request(world.emp_a, position=world.pos_a, bsn=BSN_1, name="Anna Fictief")
    b_id = world.request(world.emp_b, position=world.pos_b, bsn=BSN_2, name="Bert Fictief")
    home_a = world.run(lambda s: service.home(s, principal=world.emp_a, today=DAY))
    home_b = world.run(lambda s: service.home(s, principal=world.emp_b, today=DAY))
    assert [x.id for x in home_a.screenings] == [a_id]
    assert home_a.total == 1
    assert [p.id for p in home_a.positions] == [world.pos_a]
    assert home_a.positions[0].location == "Luchthaven Test (fictief)"
    assert [x.id for x in home_b.screenings] == [b_id]
    assert [p.id for p in home_b.positions] == [world.pos_b]
    detail = world.run(
        lambda s: service.screening_status(
            s, principal=world.emp_a, screening_id=a_id, today=DAY + timedelta(days=10)
        )
    )
    assert detail.screening.person_name == "Anna Fictief"
    assert detail.screening.status == "requested"
    assert detail.screening.due_on == DAY + timedelta(weeks=8)
    assert detail.screening.days_left == 56 - 10
    assert detail.vgb is None
    # Another employer's case answers exactly like one that does not exist.
    for sid in (b_id, 999_999):
        with pytest.raises(LookupError):
            world.run(
                lambda s, sid=sid: service.screening_status(
                    s, principal=world.emp_a, screening_id=sid, today=DAY
                )
            )
    api = world.run(lambda s: service.employer_screenings(s, principal=world.emp_b, today=DAY))
    assert [x.ref for x in api] == [home_b.screenings[0].ref]


def test_the_portal_reads_are_audited(world: World) -> None:
    world.request()
    world.run(lambda s: service.home(s, principal=world.emp_a, today=DAY))
    actions = world.run(
        lambda s: list(
            s.scalars(select(AuditEntry.action).where(AuditEntry.actor == "werkgever.a"))
        )
    )
    assert "vetting.portal.home" in actions


def _refused(world: World, **kw: object) -> DomainError:
    before = _count(world, Screening)
    args: dict[str, object] = {
        "position_id": world.pos_a,
        "person_name": "Fictieve Persoon",
        "person_birth_date": date(1990, 5, 17),
        "person_bsn": BSN_2,
        "on": DAY,
    }
    args.update(kw)
    with pytest.raises(DomainError) as caught:
        service.attempt(
            world.factory,
            world.emp_a,
            "screening.request",
            lambda s: service.request(s, principal=world.emp_a, **args),  # type: ignore[arg-type]
        )
    assert _count(world, Screening) == before
    return caught.value


def test_bad_requests_store_nothing_and_are_on_record(world: World) -> None:
    world.request(bsn=BSN_1)
    # A duplicate request: the same person for the same position while one is open.
    dup = _refused(world, person_bsn=BSN_1)
    assert "already an open screening" in str(dup)
    # Malformed identity numbers: too short, letters, and nine digits that fail the
    # eleven-test.
    for bad in ("12345", "12345678a", "123456789"):
        err = _refused(world, person_bsn=bad)
        assert "eleven-test" in str(err)
    # A position that is not designated: another employer's, one that does not exist,
    # and one no longer active.
    for pid in (world.pos_b, 999_999):
        err = _refused(world, position_id=pid)
        assert "no such position of trust" in str(err)
    world.run(lambda s: positions.deactivate(s, world.uvo, world.pos_a))
    assert "not designated" in str(_refused(world, person_bsn=BSN_2))
    # Dates out of order: born after the day of the request.
    assert "future" in str(_refused(world, person_birth_date=DAY + timedelta(days=1)))
    refusals = world.run(
        lambda s: s.scalar(
            select(func.count())
            .select_from(AuditEntry)
            .where(AuditEntry.action == "screening.request", AuditEntry.outcome == "refused")
        )
    )
    assert refusals == 8


def test_a_birth_date_must_be_a_date() -> None:
    with pytest.raises(service.PortalError):
        service.parse_birth_date("17-05-1990")
    assert service.parse_birth_date(" 1990-05-17 ") == date(1990, 5, 17)


def test_delay_notices_are_sent_once_per_due_date(world: World) -> None:
    sid = world.request(on=DAY)  # due DAY + 56
    world.request(world.emp_b, position=world.pos_b, bsn=BSN_2, on=DAY + timedelta(days=40))

    def notify(day: date) -> int:
        return world.run(lambda s: service.notify_delays(s, principal=world.uvo, today=day))

    assert notify(DAY + timedelta(days=30)) == 0  # 26 days left: not at risk
    assert notify(DAY + timedelta(days=50)) == 1  # 6 days left: at risk
    assert notify(DAY + timedelta(days=51)) == 0  # not again
    assert notify(DAY + timedelta(days=60)) == 1  # past the term: overdue
    assert notify(DAY + timedelta(days=61)) == 0
    kinds = world.run(
        lambda s: [
            (n.kind, n.due_on, n.employer)
            for n in s.scalars(
                select(DelayNotice).where(DelayNotice.screening_id == sid).order_by(DelayNotice.id)
            )
        ]
    )
    due = DAY + timedelta(weeks=8)
    assert kinds == [("at_risk", due, "EMPLOYER-A"), ("overdue", due, "EMPLOYER-A")]
    # The employer sees its own notices; the other employer none of them.
    home_a = world.run(lambda s: service.home(s, principal=world.emp_a, today=DAY))
    home_b = world.run(lambda s: service.home(s, principal=world.emp_b, today=DAY))
    assert [n.kind for n in home_a.notices] == ["overdue", "at_risk"]
    assert home_b.notices == []
    sent = world.run(lambda s: service.list_notices(s, principal=world.uvo))
    assert len(sent) == 2


def test_the_employer_passes_a_notice_on(world: World) -> None:
    world.request(on=DAY)
    world.run(
        lambda s: service.notify_delays(s, principal=world.uvo, today=DAY + timedelta(days=60))
    )
    notice = world.run(lambda s: s.scalars(select(DelayNotice.id)).one())
    with pytest.raises(LookupError):  # not B's to pass on, and not even there for B
        world.run(
            lambda s: service.mark_passed_on(s, principal=world.emp_b, notice_id=notice, today=DAY)
        )
    world.run(
        lambda s: service.mark_passed_on(s, principal=world.emp_a, notice_id=notice, today=DAY)
    )
    row = world.run(lambda s: s.get(DelayNotice, notice))
    assert row is not None
    assert (row.read_on, row.read_by) == (DAY, world.emp_a.id)
    home = world.run(lambda s: service.home(s, principal=world.emp_a, today=DAY))
    assert home.notices == []  # passed on: no longer waiting on the home page


def test_only_employers_have_a_portal_and_only_officers_send_notices(world: World) -> None:
    for who in (world.uvo, world.analyst):
        with pytest.raises(PolicyDenied):
            world.run(lambda s, who=who: service.home(s, principal=who, today=DAY))
    for who in (world.emp_a, world.analyst):
        with pytest.raises(PolicyDenied):
            world.run(lambda s, who=who: service.notify_delays(s, principal=who, today=DAY))


def test_the_demo_sends_notices_for_overdue_screenings(world: World) -> None:
    from baken.vetting.portal import demo

    world.request(on=date.today() - timedelta(days=70))
    world.run(lambda s: demo.load(s, {"uvo": world.uvo.id}, world.settings))
    world.run(lambda s: demo.load(s, {"uvo": world.uvo.id}, world.settings))
    assert _count(world, DelayNotice) == 1


def test_the_employer_follows_suspension_and_decision_but_not_the_file(world: World) -> None:
    from baken.vetting.screenings import decisions
    from baken.vetting.screenings import service as screenings

    sid = world.request(on=DAY)
    world.run(lambda s: screenings.intake(s, world.uvo, screening_id=sid, on=DAY))
    world.run(
        lambda s: decisions.suspend(
            s, world.uvo, screening_id=sid, reason="Navraag buitenland GEHEIM-X", on=DAY
        )
    )
    late = DAY + timedelta(days=50)

    def status(day: date) -> service.ScreeningDetail:
        return world.run(
            lambda s: service.screening_status(
                s, principal=world.emp_a, screening_id=sid, today=day
            )
        )

    stopped = status(late)
    assert stopped.screening.suspended
    assert stopped.screening.days_left == 56  # the clock stands still
    # A stopped clock is neither overdue nor at risk: no notice.
    assert world.run(lambda s: service.notify_delays(s, principal=world.uvo, today=late)) == 0
    world.run(lambda s: decisions.resume(s, world.uvo, screening_id=sid, on=late))
    world.run(
        lambda s: decisions.decide(
            s,
            world.uvo,
            screening_id=sid,
            outcome="issued",
            reasons="Geen bezwaren; bevinding GEHEIM-Y",
            on=late,
        )
    )
    done = status(late + timedelta(days=30))
    assert done.screening.outcome == "issued"
    assert done.screening.decided_on == late
    assert done.screening.days_left is None
    assert done.vgb is not None
    assert done.vgb.scope == "location"  # the position is bound to the airport
    assert done.vgb.location == "Luchthaven Test (fictief)"
    # The findings and reasons stay in the file.
    text = repr(done)
    assert "GEHEIM-X" not in text
    assert "GEHEIM-Y" not in text
    # A decided case gets no notices, however late.
    far = late + timedelta(days=300)
    assert world.run(lambda s: service.notify_delays(s, principal=world.uvo, today=far)) == 0
