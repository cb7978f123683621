"""The screening-queue simulation on its own (touches no database): deterministic with a
seed, more FTE never lowers the share, and the FTE search's answer meets the target where
one FTE less does not."""

from __future__ import annotations

from dataclasses import replace

import pytest

from baken.vetting.capacity.sim import Params, draw_year, find_fte, meets, simulate, workload_fte

# A small year: quick, and busy enough that the FTE matters.
BASE = Params(
    volume=3000,
    mix=(0.2, 0.5, 0.3),
    hours=(24.0, 5.0, 1.5),
    fte=10,
    seasonality=0.3,
    warmup_weeks=4,
    seed=7,
)


def test_the_same_seed_gives_the_same_year_and_the_same_answer() -> None:
    assert simulate(BASE) == simulate(BASE)
    other = simulate(replace(BASE, seed=8))
    assert other != simulate(BASE)


def test_arrivals_follow_the_volume_and_mix() -> None:
    year = draw_year(replace(BASE, volume=20000, seasonality=0.0, warmup_weeks=0))
    assert 19_500 < len(year.arrivals) < 20_500
    share_a = year.levels.count(0) / len(year.levels)
    assert 0.18 < share_a < 0.22
    assert year.arrivals == sorted(year.arrivals)


def test_every_request_of_the_year_is_decided_and_counted_once() -> None:
    params = replace(BASE, fte=12)
    year = draw_year(params)
    result = simulate(params, year=year)
    in_year = sum(1 for a in year.arrivals if a >= year.start)
    assert result.decisions == in_year
    assert 0 <= result.within_term <= result.decisions
    assert len(result.backlog) == 53
    # Suspension is not counted against the term.
    assert result.counted_days["p95"] <= result.throughput_days["p95"]


def test_more_fte_never_lowers_the_share() -> None:
    year = draw_year(BASE)
    shares = [simulate(replace(BASE, fte=f), year=year).share_within_term for f in range(6, 17, 2)]
    assert shares == sorted(shares)
    assert shares[0] < 0.9 <= shares[-1]  # the range spans the answer


def test_too_few_officers_leave_a_growing_backlog() -> None:
    result = simulate(replace(BASE, fte=5))
    assert result.utilisation > 1
    assert result.backlog[-1] > result.backlog[10] > 0
    assert not meets(result, 0.9)


def test_find_fte_meets_the_target_and_one_less_does_not() -> None:
    search = find_fte(BASE, target=0.9)
    assert search.fte is not None
    assert search.result is not None
    assert search.result.fte == search.fte
    assert meets(search.result, 0.9)
    less = simulate(replace(BASE, fte=search.fte - 1))
    assert not meets(less, 0.9)
    assert search.fte >= workload_fte(BASE)
    point = (search.fte, search.result.share_within_term, search.result.utilisation)
    assert point in search.curve
    assert any(f < search.fte for f, _, _ in search.curve)  # the curve shows less too
    assert find_fte(BASE, target=0.9) == search  # deterministic


def test_a_higher_target_needs_at_least_as_many_fte() -> None:
    low = find_fte(BASE, target=0.8)
    high = find_fte(BASE, target=0.99)
    assert low.fte is not None
    assert high.fte is not None
    assert high.fte >= low.fte


def test_an_unreachable_target_says_so() -> None:
    # One A screening alone takes longer than a one-week term.
    params = replace(BASE, term_weeks=1, hours=(400.0, 5.0, 1.5))
    search = find_fte(params, target=0.99, max_fte=40)
    assert search.fte is None
    assert search.result is None
    assert search.curve


@pytest.mark.parametrize("fte", [1, 3])
def test_progress_hears_every_week(fte: int) -> None:
    heard: list[tuple[int, int]] = []
    simulate(replace(BASE, fte=fte, volume=200), on_progress=lambda d, t: heard.append((d, t)))
    assert heard[-1] == (4 + 52, 4 + 52)
    assert [d for d, _ in heard] == list(range(1, 57))
