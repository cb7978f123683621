"""The request: the contract the employer portal calls (service.request)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from baken.core.db import transaction
from baken.core.marking_store import load_one
from baken.core.policy import PolicyDenied
from baken.vetting import access
from baken.vetting.screenings import decisions, service
from baken.vetting.screenings.models import Screening
from baken.vetting.screenings.service import ScreeningsError
from tests.vetting.screenings.conftest import BSN, BSN2, DAY, SWorld


def test_an_employer_requests_for_its_own_position(sw: SWorld) -> None:
    sid = sw.request()
    with transaction(sw.factory) as session:
        s = session.get(Screening, sid)
        assert s is not None
        assert (s.status, s.level, s.employer, s.handled_by, s.kind) == (
            "requested", "B", "EMPLOYER-A", "UVO", "new",
        )  # fmt: skip
        assert s.received_on == DAY
        assert s.due_on == DAY + timedelta(weeks=8)
        assert s.ref == "VO-2026-000001"
        assert load_one(session, s.marking_id) == access.employer_marking("EMPLOYER-A")


def test_a_screening_officer_registers_for_any_employer(sw: SWorld) -> None:
    sid = sw.request(sw.uvo, position=sw.pos_a)
    assert sw.screening(sid).employer == "EMPLOYER-C"


def test_an_employer_cannot_request_for_another_employers_position(sw: SWorld) -> None:
    with pytest.raises((PolicyDenied, ScreeningsError)):
        sw.request(sw.werkgever, position=sw.pos_b_other)
    assert sw.count() == 0
    assert sw.refusals("screening.request") == 1


def test_others_cannot_request(sw: SWorld) -> None:
    for who in (sw.analyst, sw.kmar, sw.ctivd):
        with pytest.raises(PolicyDenied):
            sw.request(who)
    assert sw.count() == 0


@pytest.mark.parametrize("bad", ["123456789", "12345678a", "", "1234", "000000000"])
def test_a_malformed_bsn_is_refused(sw: SWorld, bad: str) -> None:
    with pytest.raises(ScreeningsError, match="eleven-test"):
        sw.request(bsn=bad)
    assert sw.count() == 0
    assert sw.refusals("screening.request") == 1


def test_a_bsn_as_people_type_it_is_normalised(sw: SWorld) -> None:
    sid = sw.request(bsn="1112.22.333")
    assert sw.screening(sid).person_bsn == BSN


@pytest.mark.parametrize(
    ("birth", "message"),
    [
        (DAY + timedelta(days=1), "future"),
        (date(1900, 1, 1), "plausible"),
        (date(2020, 1, 1), "plausible"),
    ],
)
def test_an_implausible_birth_date_is_refused(sw: SWorld, birth: date, message: str) -> None:
    with pytest.raises(ScreeningsError, match=message):
        sw.request(person_birth_date=birth)
    assert sw.count() == 0


def test_an_empty_name_is_refused(sw: SWorld) -> None:
    with pytest.raises(ScreeningsError, match="name"):
        sw.request(person_name="   ")
    assert sw.count() == 0


def test_a_position_not_designated_is_refused(sw: SWorld) -> None:
    with pytest.raises(ScreeningsError, match="designated"):
        sw.request(position=sw.pos_later)
    with pytest.raises(ScreeningsError, match="position"):
        sw.request(position=999999)
    assert sw.count() == 0
    assert sw.refusals("screening.request") == 2


def test_a_duplicate_request_is_refused_while_the_first_is_open(sw: SWorld) -> None:
    first = sw.request()
    with pytest.raises(ScreeningsError, match="already an open screening"):
        sw.request()
    assert sw.count() == 1
    # Another person, or the same person for another position, is not a duplicate.
    sw.request(bsn=BSN2)
    sw.request(position=sw.pos_c)
    assert sw.count() == 3
    assert sw.screening(first).status == "requested"


def test_a_renewal_needs_a_valid_vgb(sw: SWorld) -> None:
    with pytest.raises(ScreeningsError, match="valid VGB"):
        sw.request(kind="renewal")
    assert sw.count() == 0
    sid = sw.taken_in()
    sw.run(
        lambda s: decisions.decide(
            s, sw.uvo, screening_id=sid, outcome="issued", reasons="Geen bezwaren.", on=DAY
        )
    )
    renewal = sw.request(kind="renewal", on=DAY + timedelta(days=400))
    assert sw.screening(renewal).kind == "renewal"


def test_refs_never_collide(sw: SWorld) -> None:
    with transaction(sw.factory) as session:
        # A gap (a reference from elsewhere in the year): the next one goes past it.
        assert service.next_ref(session, "VO", Screening.ref, 2026) == "VO-2026-000001"
    first = sw.request()
    with transaction(sw.factory) as session:
        row = session.get(Screening, first)
        assert row is not None
        row.ref = "VO-2026-000041"
    second = sw.request(bsn=BSN2)
    assert sw.screening(second).ref == "VO-2026-000042"
    with transaction(sw.factory) as session:
        refs = session.scalars(select(Screening.ref)).all()
    assert len(set(refs)) == len(refs)
