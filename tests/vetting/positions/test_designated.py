"""``designated``: the contract the screenings part uses to accept a request."""

from __future__ import annotations

from datetime import date

import pytest

from baken.vetting.positions import service
from baken.vetting.positions.service import PositionsError
from tests.vetting.positions.conftest import VWorld


def test_a_designated_position_is_returned(vw: VWorld) -> None:
    ref = vw.run(lambda s: service.designated(s, vw.officer, vw.pos_a, date(2026, 2, 1)).ref)
    assert ref.startswith("VF-")


def test_the_employer_reads_its_own_position(vw: VWorld) -> None:
    found = vw.run(lambda s: service.designated(s, vw.employer_a, vw.pos_a, date(2026, 2, 1)).id)
    assert found == vw.pos_a


def test_another_employers_position_is_no_such_position(vw: VWorld) -> None:
    with pytest.raises(PositionsError) as exc:
        vw.run(lambda s: service.designated(s, vw.employer_b, vw.pos_a, date(2026, 2, 1)))
    assert exc.value.message == "no such position of trust"


def test_a_missing_position_is_no_such_position(vw: VWorld) -> None:
    with pytest.raises(PositionsError) as exc:
        vw.run(lambda s: service.designated(s, vw.officer, 99999, date(2026, 2, 1)))
    assert exc.value.message == "no such position of trust"


def test_before_its_designation_it_is_not_designated(vw: VWorld) -> None:
    with pytest.raises(PositionsError) as exc:
        vw.run(lambda s: service.designated(s, vw.officer, vw.pos_a, date(2026, 1, 4)))
    assert "is not designated" in exc.value.message
    assert exc.value.params["date"] == "2026-01-04"


def test_a_deactivated_position_is_not_designated(vw: VWorld) -> None:
    vw.run(lambda s: service.deactivate(s, vw.officer, vw.pos_c))
    with pytest.raises(PositionsError) as exc:
        vw.run(lambda s: service.designated(s, vw.officer, vw.pos_c, date(2026, 2, 1)))
    assert "is not designated" in exc.value.message
