"""Moves within a location, and the audited look-ups an employer may and may not make."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from baken.core.db import transaction
from baken.core.models import AuditEntry
from baken.vetting.positions.service import PositionsError
from baken.vetting.register import service
from baken.vetting.register.models import RegisterEntry
from baken.vetting.register.service import RegisterError
from baken.vetting.screenings.models import Vgb
from tests.vetting.register.conftest import CARLA, DAY, PIET, RWorld, issue_vgb

ON = date(2026, 2, 10)
MOVE = date(2026, 2, 20)


def reg(rw: RWorld, who: object, bsn: str, position: int) -> int:
    return rw.v.run(
        lambda s: service.register(s, who, bsn=bsn, position_id=position, on=ON, today=DAY).id  # type: ignore[arg-type]
    )


def entry(rw: RWorld, entry_id: int) -> RegisterEntry:
    with transaction(rw.v.factory) as s:
        row = s.get(RegisterEntry, entry_id)
        assert row is not None
        s.expunge(row)
        return row


def vgb_ref(rw: RWorld, vgb_id: int) -> str:
    with transaction(rw.v.factory) as s:
        vgb = s.get(Vgb, vgb_id)
        assert vgb is not None
        return vgb.ref


def test_the_officer_moves_a_person_to_another_employer_at_the_airport(rw: RWorld) -> None:
    old = reg(rw, rw.v.employer_a, PIET, rw.v.pos_a)
    new = rw.v.run(
        lambda s: (
            service.change(s, rw.v.officer, old, new_position_id=rw.v.pos_b, on=MOVE, today=DAY).id
        )
    )
    before, after = entry(rw, old), entry(rw, new)
    assert before.deregistered_on == MOVE
    assert after.registered_on == MOVE
    assert (after.employer, after.previous_id, after.vgb_id) == ("EMPLOYER-B", old, rw.piet_vgb)
    with transaction(rw.v.factory) as s:
        vgb = s.get(Vgb, rw.piet_vgb)
        assert vgb is not None
        assert vgb.status == "valid"


def test_the_new_employer_moves_a_person_in_naming_the_vgb(rw: RWorld) -> None:
    old = reg(rw, rw.v.employer_a, PIET, rw.v.pos_a)
    ref = vgb_ref(rw, rw.piet_vgb)
    new = rw.v.run(
        lambda s: (
            service.move_in(
                s,
                rw.v.employer_b,
                bsn=PIET,
                vgb_ref=ref,
                new_position_id=rw.v.pos_b,
                on=MOVE,
                today=DAY,
            ).id
        )
    )
    assert entry(rw, old).deregistered_on == MOVE
    assert entry(rw, new).employer == "EMPLOYER-B"


def test_a_move_with_a_wrong_vgb_ref_is_refused(rw: RWorld) -> None:
    old = reg(rw, rw.v.employer_a, PIET, rw.v.pos_a)
    with pytest.raises(RegisterError):
        rw.v.run(
            lambda s: service.move_in(
                s,
                rw.v.employer_b,
                bsn=PIET,
                vgb_ref="VGB-0000-NOPE",
                new_position_id=rw.v.pos_b,
                on=MOVE,
                today=DAY,
            )
        )
    assert entry(rw, old).deregistered_on is None


def test_a_function_bound_vgb_cannot_move_and_nothing_changes(rw: RWorld) -> None:
    old = reg(rw, rw.v.employer_c, CARLA, rw.v.pos_c)
    other = rw.v.position("EMPLOYER-C", "C", minister="BZK", title="Bode")
    with pytest.raises(RegisterError) as exc:
        rw.v.run(
            lambda s: service.change(
                s, rw.v.officer, old, new_position_id=other, on=MOVE, today=DAY
            )
        )
    assert "location-bound" in exc.value.message
    assert entry(rw, old).deregistered_on is None
    with transaction(rw.v.factory) as s:
        vgb = s.get(Vgb, rw.carla_vgb)
        assert vgb is not None
        assert vgb.status == "valid"


def test_a_move_to_a_deeper_level_is_refused_and_nothing_changes(rw: RWorld) -> None:
    old = reg(rw, rw.v.employer_a, PIET, rw.v.pos_a)
    deeper = rw.v.position("EMPLOYER-B", "A", location_id=rw.v.airport)
    with pytest.raises(RegisterError):
        rw.v.run(
            lambda s: service.change(
                s, rw.v.officer, old, new_position_id=deeper, on=MOVE, today=DAY
            )
        )
    assert entry(rw, old).deregistered_on is None


def test_the_old_employer_cannot_move_staff_into_another_employers_position(
    rw: RWorld,
) -> None:
    old = reg(rw, rw.v.employer_a, PIET, rw.v.pos_a)
    with pytest.raises(PositionsError):
        rw.v.run(
            lambda s: service.change(
                s, rw.v.employer_a, old, new_position_id=rw.v.pos_b, on=MOVE, today=DAY
            )
        )
    assert entry(rw, old).deregistered_on is None


def test_a_move_before_the_registration_is_refused(rw: RWorld) -> None:
    old = reg(rw, rw.v.employer_a, PIET, rw.v.pos_a)
    with pytest.raises(RegisterError):
        rw.v.run(
            lambda s: service.change(
                s, rw.v.officer, old, new_position_id=rw.v.pos_b, on=date(2026, 2, 5), today=DAY
            )
        )
    assert entry(rw, old).deregistered_on is None


# --- look-ups --------------------------------------------------------------------------------


def lookups(rw: RWorld) -> list[AuditEntry]:
    with transaction(rw.v.factory) as s:
        rows = list(
            s.scalars(
                select(AuditEntry)
                .where(AuditEntry.action == "register.lookup")
                .order_by(AuditEntry.seq)
            )
        )
        for r in rows:
            s.expunge(r)
        return rows


def test_an_employer_sees_only_its_own_staff_by_person(rw: RWorld) -> None:
    reg(rw, rw.v.employer_a, PIET, rw.v.pos_a)
    reg(rw, rw.v.employer_b, PIET, rw.v.pos_b)
    mine = rw.v.run(
        lambda s: [e.employer for e in service.by_person(s, rw.v.employer_b, PIET).rows]
    )
    assert mine == ["EMPLOYER-B"]
    both = rw.v.run(lambda s: len(service.by_person(s, rw.v.officer, PIET).rows))
    assert both == 2


def test_an_employer_asking_about_someone_elses_staff_gets_nothing(rw: RWorld) -> None:
    reg(rw, rw.v.employer_c, CARLA, rw.v.pos_c)
    found = rw.v.run(lambda s: service.by_person(s, rw.v.employer_a, CARLA).rows)
    assert found == []
    at = rw.v.run(lambda s: service.by_location(s, rw.v.employer_a, rw.v.ministry).rows)
    assert at == []
    with pytest.raises(RegisterError) as exc:
        rw.v.run(lambda s: service.by_employer(s, rw.v.employer_a, "EMPLOYER-C"))
    assert exc.value.message == "you can only look up the staff of your own organisation"
    audited = lookups(rw)
    assert [(a.details["by"], a.details["query"], a.outcome) for a in audited] == [
        ("person", CARLA, "ok"),
        ("location", str(rw.v.ministry), "ok"),
        ("employer", "EMPLOYER-C", "refused"),
    ]
    assert audited[0].details["count"] == 0


def test_a_malformed_bsn_look_up_is_refused_and_audited(rw: RWorld) -> None:
    with pytest.raises(RegisterError):
        rw.v.run(lambda s: service.by_person(s, rw.v.officer, "12345678"))
    assert lookups(rw)[-1].outcome == "refused"


def test_active_and_past_look_ups_by_location(rw: RWorld) -> None:
    first = reg(rw, rw.v.employer_a, PIET, rw.v.pos_a)
    rw.v.run(
        lambda s: service.change(
            s, rw.v.officer, first, new_position_id=rw.v.pos_b, on=MOVE, today=DAY
        )
    )
    active = rw.v.run(
        lambda s: [e.employer for e in service.by_location(s, rw.v.officer, rw.v.airport).rows]
    )
    past = rw.v.run(
        lambda s: [
            e.id for e in service.by_location(s, rw.v.officer, rw.v.airport, active=False).rows
        ]
    )
    assert active == ["EMPLOYER-B"]
    assert past == [first]
    count = rw.v.run(lambda s: service.count_active_at(s, rw.v.officer, rw.v.airport))
    assert count == 1


def test_look_ups_are_paginated(rw: RWorld) -> None:
    numbers = [f"{i:09d}" for i in range(300000000, 300002000) if _valid(f"{i:09d}")][:52]
    for n in numbers:
        issue_vgb(
            rw.v.factory,
            rw.v.officer.id,
            bsn=n,
            name=f"Persoon {n} (fictief)",
            position_id=rw.v.pos_a,
            scope="location",
        )
        reg(rw, rw.v.officer, n, rw.v.pos_a)
    first = rw.v.run(lambda s: service.by_employer(s, rw.v.employer_a, "EMPLOYER-A"))
    second = rw.v.run(lambda s: service.by_employer(s, rw.v.employer_a, "EMPLOYER-A", page=2))
    assert len(first.rows) == service.PAGE
    assert first.more
    assert len(second.rows) == 2
    assert not second.more
    assert not {e.id for e in first.rows} & {e.id for e in second.rows}


def _valid(n: str) -> bool:
    from baken.vetting.bsn import valid

    return valid(n)


def test_criteria_combine(rw: RWorld) -> None:
    reg(rw, rw.v.employer_a, PIET, rw.v.pos_a)
    reg(rw, rw.v.employer_c, CARLA, rw.v.pos_c)
    both = rw.v.run(
        lambda s: [
            e.person_bsn
            for e in service.lookup(
                s, rw.v.officer, employer="EMPLOYER-A", location_id=rw.v.airport
            ).rows
        ]
    )
    assert both == [PIET]
    none = rw.v.run(
        lambda s: service.lookup(s, rw.v.officer, bsn=CARLA, location_id=rw.v.airport).rows
    )
    assert none == []
    assert lookups(rw)[-1].details["by"] == "person+location"
