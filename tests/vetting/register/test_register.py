"""Registering and deregistering: the VGB that covers the position, and the refusals."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from baken.core.db import transaction
from baken.core.models import AuditEntry
from baken.core.policy import PolicyDenied
from baken.vetting.positions.service import PositionsError
from baken.vetting.register import service
from baken.vetting.register.models import RegisterEntry
from baken.vetting.register.service import RegisterError
from baken.vetting.screenings import decisions
from baken.vetting.screenings.models import Vgb
from tests.vetting.register.conftest import CARLA, DAY, ISSUED, PIET, RWorld

ON = date(2026, 2, 10)


def entries(rw: RWorld) -> int:
    with transaction(rw.v.factory) as s:
        return int(s.scalar(select(func.count()).select_from(RegisterEntry)) or 0)


def vgb_status(rw: RWorld, vgb_id: int) -> tuple[str, date | None, str]:
    with transaction(rw.v.factory) as s:
        vgb = s.get(Vgb, vgb_id)
        assert vgb is not None
        return vgb.status, vgb.ended_on, vgb.end_reason


def reg(rw: RWorld, who: object, bsn: str, position: int, on: date = ON) -> int:
    return rw.v.run(
        lambda s: (
            service.register(
                s,
                who,  # type: ignore[arg-type]
                bsn=bsn,
                position_id=position,
                on=on,
                today=DAY,
            ).id
        )
    )


def test_the_employer_registers_its_staff_on_a_vgb(rw: RWorld) -> None:
    entry_id = reg(rw, rw.v.employer_a, PIET, rw.v.pos_a)
    with transaction(rw.v.factory) as s:
        entry = s.get(RegisterEntry, entry_id)
        assert entry is not None
        assert (entry.employer, entry.vgb_scope, entry.person_name) == (
            "EMPLOYER-A",
            "location",
            "Piet Poortwachter (fictief)",
        )
        assert entry.location_id == rw.v.airport


def test_a_bsn_with_spaces_is_normalised(rw: RWorld) -> None:
    entry_id = reg(rw, rw.v.employer_c, " 1234.56 782 ", rw.v.pos_c)
    with transaction(rw.v.factory) as s:
        entry = s.get(RegisterEntry, entry_id)
        assert entry is not None
        assert entry.person_bsn == CARLA


def test_a_screening_officer_registers_for_any_employer(rw: RWorld) -> None:
    assert reg(rw, rw.v.officer, CARLA, rw.v.pos_c) > 0


def test_a_location_bound_vgb_covers_another_employer_at_the_location(rw: RWorld) -> None:
    assert reg(rw, rw.v.employer_b, PIET, rw.v.pos_b) > 0


def test_a_location_bound_vgb_does_not_cover_a_deeper_level(rw: RWorld) -> None:
    deeper = rw.v.position("EMPLOYER-B", "A", location_id=rw.v.airport)
    with pytest.raises(RegisterError) as exc:
        reg(rw, rw.v.employer_b, PIET, deeper)
    assert exc.value.message == "no valid VGB for this person and position"
    assert entries(rw) == 0


def test_a_location_bound_vgb_covers_a_shallower_level(rw: RWorld) -> None:
    shallower = rw.v.position("EMPLOYER-B", "C", location_id=rw.v.airport)
    assert reg(rw, rw.v.employer_b, PIET, shallower) > 0


def test_a_function_bound_vgb_covers_only_its_own_position(rw: RWorld) -> None:
    other = rw.v.position("EMPLOYER-C", "A", minister="BZK", title="Andere functie")
    with pytest.raises(RegisterError) as exc:
        reg(rw, rw.v.employer_c, CARLA, other)
    assert exc.value.message == "no valid VGB for this person and position"


def test_no_vgb_is_refused_and_nothing_stored(rw: RWorld) -> None:
    with pytest.raises(RegisterError) as exc:
        reg(rw, rw.v.employer_a, "200000007", rw.v.pos_a)
    assert exc.value.message == "no valid VGB for this person and position"
    assert entries(rw) == 0


def test_a_malformed_bsn_is_refused(rw: RWorld) -> None:
    for bad in ("111222334", "12345", "abcdefghi", ""):
        with pytest.raises(RegisterError) as exc:
            reg(rw, rw.v.employer_a, bad, rw.v.pos_a)
        assert "eleven-test" in exc.value.message
    assert entries(rw) == 0


def test_a_date_in_the_future_is_refused(rw: RWorld) -> None:
    with pytest.raises(RegisterError) as exc:
        reg(rw, rw.v.employer_a, PIET, rw.v.pos_a, on=date(2026, 3, 3))
    assert "future" in exc.value.message


def test_a_date_before_the_vgb_was_issued_is_refused(rw: RWorld) -> None:
    with pytest.raises(RegisterError) as exc:
        reg(rw, rw.v.employer_a, PIET, rw.v.pos_a, on=date(2026, 2, 1))
    assert "before the VGB was issued" in exc.value.message
    assert exc.value.params["date"] == ISSUED.isoformat()


def test_a_second_active_registration_is_refused(rw: RWorld) -> None:
    reg(rw, rw.v.employer_a, PIET, rw.v.pos_a)
    with pytest.raises(RegisterError) as exc:
        reg(rw, rw.v.employer_a, PIET, rw.v.pos_a)
    assert exc.value.message == "this person is already registered at this position"
    assert entries(rw) == 1


def test_an_employer_cannot_register_at_another_employers_position(rw: RWorld) -> None:
    with pytest.raises(PositionsError):
        reg(rw, rw.v.employer_b, PIET, rw.v.pos_a)
    assert entries(rw) == 0


def test_the_kernel_refuses_an_analyst(rw: RWorld) -> None:
    with pytest.raises((PolicyDenied, PositionsError)):
        reg(rw, rw.v.analyst, PIET, rw.v.pos_a)


def test_a_refusal_is_on_record(rw: RWorld) -> None:
    from baken.core import refusals

    with pytest.raises(RegisterError):
        refusals.attempt(
            rw.v.factory,
            rw.v.employer_a,
            "register.create",
            service.KIND,
            lambda s: service.register(
                s, rw.v.employer_a, bsn="200000007", position_id=rw.v.pos_a, on=ON, today=DAY
            ),
        )
    with transaction(rw.v.factory) as s:
        outcome = s.scalar(
            select(AuditEntry.outcome)
            .where(AuditEntry.action == "register.create")
            .order_by(AuditEntry.seq.desc())
        )
    assert outcome == "refused"
    assert entries(rw) == 0


# --- deregistration --------------------------------------------------------------------------


def dereg(
    rw: RWorld, who: object, entry_id: int, on: date = date(2026, 2, 20), reason: str = "uit dienst"
) -> None:
    rw.v.run(
        lambda s: service.deregister(s, who, entry_id, on=on, reason=reason, today=DAY)  # type: ignore[arg-type]
    )


def test_a_function_bound_vgb_lapses_on_deregistration(rw: RWorld) -> None:
    entry = reg(rw, rw.v.employer_c, CARLA, rw.v.pos_c)
    dereg(rw, rw.v.employer_c, entry)
    assert vgb_status(rw, rw.carla_vgb) == (
        "lapsed",
        date(2026, 2, 20),
        "change of function or employer",
    )
    with pytest.raises(RegisterError):  # and it no longer carries a registration
        reg(rw, rw.v.employer_c, CARLA, rw.v.pos_c, on=date(2026, 2, 25))


def test_a_location_bound_vgb_stays_valid_on_deregistration(rw: RWorld) -> None:
    entry = reg(rw, rw.v.employer_a, PIET, rw.v.pos_a)
    dereg(rw, rw.v.employer_a, entry)
    assert vgb_status(rw, rw.piet_vgb)[0] == "valid"
    assert reg(rw, rw.v.employer_b, PIET, rw.v.pos_b, on=date(2026, 2, 21)) > 0


def test_deregistration_before_registration_is_refused(rw: RWorld) -> None:
    entry = reg(rw, rw.v.employer_c, CARLA, rw.v.pos_c)
    with pytest.raises(RegisterError) as exc:
        dereg(rw, rw.v.employer_c, entry, on=date(2026, 2, 9))
    assert "before the registration" in exc.value.message
    assert vgb_status(rw, rw.carla_vgb)[0] == "valid"


def test_deregistration_needs_a_reason(rw: RWorld) -> None:
    entry = reg(rw, rw.v.employer_c, CARLA, rw.v.pos_c)
    with pytest.raises(RegisterError) as exc:
        dereg(rw, rw.v.employer_c, entry, reason="  ")
    assert exc.value.message == "give a reason for the deregistration"


def test_deregistration_twice_is_refused(rw: RWorld) -> None:
    entry = reg(rw, rw.v.employer_a, PIET, rw.v.pos_a)
    dereg(rw, rw.v.employer_a, entry)
    with pytest.raises(RegisterError):
        dereg(rw, rw.v.employer_a, entry)


def test_another_employer_cannot_deregister(rw: RWorld) -> None:
    entry = reg(rw, rw.v.employer_a, PIET, rw.v.pos_a)
    with pytest.raises(RegisterError) as exc:
        dereg(rw, rw.v.employer_b, entry)
    assert exc.value.message == "no such register entry"


def test_the_officer_deregisters_for_an_employer(rw: RWorld) -> None:
    entry = reg(rw, rw.v.employer_a, PIET, rw.v.pos_a)
    dereg(rw, rw.v.officer, entry)
    with transaction(rw.v.factory) as s:
        row = s.get(RegisterEntry, entry)
        assert row is not None
        assert row.deregistered_by == rw.v.officer.id


def test_a_withdrawn_vgb_ends_its_entries_at_every_employer(rw: RWorld) -> None:
    """Art. 10 Wvo: a withdrawn VGB no longer carries a position of trust, at any employer
    of the location; the withdrawal ends the entries on its date, audited."""
    at_a = reg(rw, rw.v.employer_a, PIET, rw.v.pos_a)
    at_b = reg(rw, rw.v.employer_b, PIET, rw.v.pos_b)
    other = reg(rw, rw.v.employer_c, CARLA, rw.v.pos_c)
    withdrawn_on = date(2026, 2, 20)
    rw.v.run(
        lambda s: decisions.withdraw(
            s, rw.v.officer, vgb_id=rw.piet_vgb, reasons="Nieuwe feiten (fictief)", on=withdrawn_on
        )
    )
    with transaction(rw.v.factory) as s:
        ended = {e.id: e for e in s.scalars(select(RegisterEntry))}
        audited = s.scalar(
            select(func.count())
            .select_from(AuditEntry)
            .where(
                AuditEntry.action == "register.deregister",
                AuditEntry.object_id.in_([str(at_a), str(at_b)]),
            )
        )
    for entry_id in (at_a, at_b):
        assert ended[entry_id].deregistered_on == withdrawn_on
        assert ended[entry_id].deregister_reason == service.WITHDRAWAL_REASON
    assert ended[other].deregistered_on is None
    assert audited == 2
    assert vgb_status(rw, rw.piet_vgb)[0] == "withdrawn"
    with pytest.raises(RegisterError) as exc:
        reg(rw, rw.v.employer_a, PIET, rw.v.pos_a, on=date(2026, 2, 25))
    assert exc.value.message == "no valid VGB for this person and position"


def test_the_store_holds_one_active_entry_per_person_and_position(rw: RWorld) -> None:
    """Two registrations at the same moment both pass the service's check; the partial
    unique index refuses the second (an ended entry does not count)."""
    first = reg(rw, rw.v.employer_a, PIET, rw.v.pos_a)
    with transaction(rw.v.factory) as s:
        row = s.get(RegisterEntry, first)
        assert row is not None
        copy = {
            c.key: getattr(row, c.key) for c in RegisterEntry.__table__.columns if c.key != "id"
        }
    with transaction(rw.v.factory) as s:
        s.add(RegisterEntry(**copy))
        with pytest.raises(IntegrityError):
            s.flush()
        s.rollback()
    with transaction(rw.v.factory) as s:
        s.add(RegisterEntry(**{**copy, "deregistered_on": ON, "deregister_reason": "test"}))
    assert entries(rw) == 2
