"""Values typed into forms: dates as YYYY-MM-DD (a clear refusal otherwise), whole
numbers (None when not one). Touches no database."""

from __future__ import annotations

from datetime import date

import pytest

from baken.web.forms import FormError, form_date, form_int, optional_date


def test_a_date_is_read_as_yyyy_mm_dd() -> None:
    assert form_date(" 2026-03-02 ") == date(2026, 3, 2)
    assert form_date("", default=date(2026, 1, 1)) == date(2026, 1, 1)
    assert optional_date("  ") is None
    assert optional_date("2026-12-31") == date(2026, 12, 31)


@pytest.mark.parametrize("bad", ["", "02-03-2026", "2026-02-30", "morgen", None])
def test_anything_else_is_refused_with_the_form_it_should_have(bad: str | None) -> None:
    with pytest.raises(FormError) as exc:
        form_date(bad)
    assert exc.value.message == "give a date as YYYY-MM-DD"


def test_a_number_or_none() -> None:
    assert form_int("12") == 12
    assert form_int("") is None
    assert form_int(None) is None
    assert form_int("12a") is None
