"""The input checks of industrial security, without a database: KvK and branch numbers,
countries, and the vocabulary (TBB levels, clients, the checklist)."""

from __future__ import annotations

import pytest

from baken.core.markings import organisation_codes
from baken.protect.industrial import checklist, service
from baken.protect.industrial.service import IndustrialError


@pytest.mark.parametrize(
    ("typed", "stored"), [("12345678", "12345678"), (" 1234 5678 ", "12345678")]
)
def test_a_kvk_number_is_eight_digits_spaces_ignored(typed: str, stored: str) -> None:
    assert service.check_kvk(typed) == stored


@pytest.mark.parametrize("typed", ["", "   ", "1234567", "123456789", "1234567A", "12.345.678"])
def test_anything_else_is_not_a_kvk_number(typed: str) -> None:
    with pytest.raises(IndustrialError):
        service.check_kvk(typed)


def test_branch_numbers_and_countries() -> None:
    assert service.check_branch("") is None
    assert service.check_branch("0000 1234 5678") == "000012345678"
    with pytest.raises(IndustrialError):
        service.check_branch("12345678")
    assert service.check_country("Cyprus") == "cy"
    assert service.check_country("NL") == "nl"
    with pytest.raises(IndustrialError):
        service.check_country("Atlantis")


def test_the_vocabulary() -> None:
    assert service.tbb_levels() == ["TBB1", "TBB2", "TBB3", "TBB4"]
    # Clients are ministries and the police known to the markings vocabulary.
    assert set(service.clients()) <= organisation_codes()
    assert "DEF" in service.clients()
    assert checklist.items() == ["structure", "personnel", "digital"]
    assert "no_objections" in checklist.states()
