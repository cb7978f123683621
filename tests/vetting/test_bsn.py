"""The eleven-test on BSNs (no database)."""

from __future__ import annotations

import pytest

from baken.vetting.bsn import normalise, valid


@pytest.mark.parametrize("bsn", ["111222333", "123456782", "999999990"])
def test_numbers_that_pass_the_eleven_test(bsn: str) -> None:
    assert valid(bsn)


@pytest.mark.parametrize(
    "bsn", ["123456789", "111222334", "12345678", "1234567890", "12345678a", "", "000000000"]
)
def test_malformed_numbers_fail(bsn: str) -> None:
    assert not valid(bsn)


def test_spaces_and_dots_are_ignored_and_a_leading_zero_restored() -> None:
    assert normalise(" 1234.56.782 ") == "123456782"
    assert normalise("12345674") == "012345674"
