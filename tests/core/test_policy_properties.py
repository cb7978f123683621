"""Property tests of the security kernel's rules (hypothesis)."""

from __future__ import annotations

from dataclasses import replace

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from baken.core import policy
from baken.core.db import transaction
from baken.core.marking_store import intern
from baken.core.markings import Level, Marking, MarkingError, high_water
from baken.core.models import MarkingRow
from baken.core.principals import Principal
from tests.core.strategies import markings, principals

KIND = "mededeling"


@given(principals, markings)
def test_no_read_up(p: Principal, m: Marking) -> None:
    if m.level > p.clearance:
        assert not policy.can_read(p, KIND, m)


@given(principals, markings)
def test_compartments_respected(p: Principal, m: Marking) -> None:
    if not m.compartments <= p.compartments and not p.is_overseer:
        assert not policy.can_read(p, KIND, m)


@given(principals, markings)
def test_external_reads_only_what_is_released_to_them(p: Principal, m: Marking) -> None:
    if p.is_external and not p.is_overseer and p.organisation not in m.releasable_to:
        assert not policy.can_read(p, KIND, m)


@given(principals, markings)
def test_role_gates_the_kind(p: Principal, m: Marking) -> None:
    # Audit entries are for administrators and the CTIVD only.
    if not p.roles & {"admin", "overseer"}:
        assert not policy.can_read(p, "audit", m)


@given(principals, markings)
def test_write_implies_read_back(p: Principal, m: Marking) -> None:
    if policy.can_write(p, KIND, m):
        assert policy.can_read(p, KIND, m)
        assert not p.is_external


@given(st.lists(markings, min_size=1, max_size=5), principals)
def test_high_water_dominates_and_never_widens(sources: list[Marking], p: Principal) -> None:
    try:
        derived = high_water(sources)
    except MarkingError:
        # Only when no service may read all sources.
        assert not any(
            all(s.reader_services() & {svc} for s in sources) for svc in Marking().reader_services()
        )
        return
    for source in sources:
        assert derived.dominates(source)
    if policy.marking_readable(p, derived):
        assert all(policy.marking_readable(p, s) for s in sources)


@given(st.lists(markings, min_size=1, max_size=4), markings)
def test_high_water_is_monotone(sources: list[Marking], extra: Marking) -> None:
    try:
        before, after = high_water(sources), high_water([*sources, extra])
    except MarkingError:
        return
    assert after.dominates(before)
    assert after.level >= before.level


@given(markings, markings)
def test_in_place_remarking_only_goes_up(old: Marking, new: Marking) -> None:
    if new.dominates(old):
        policy.check_remark(old, new)
    else:
        with pytest.raises(MarkingError):
            policy.check_remark(old, new)


@given(markings)
def test_key_round_trips(m: Marking) -> None:
    assert Marking.from_key(m.key()) == m


def test_lowering_a_level_is_refused() -> None:
    old = Marking.of("STG_GEHEIM", "AIVD")
    with pytest.raises(MarkingError):
        policy.check_remark(old, replace(old, level=Level.STG_CONFIDENTIEEL))
    with pytest.raises(MarkingError):
        policy.check_remark(old, replace(old, releasable_to=frozenset({"NCTV"})))


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.lists(markings, min_size=1, max_size=12), st.lists(principals, min_size=1, max_size=6))
def test_sql_filter_agrees_with_the_reference(
    factory: sessionmaker[Session], ms: list[Marking], ps: list[Principal]
) -> None:
    """The rule compiled to SQL admits exactly what ``can_read`` admits, on this backend."""
    with transaction(factory) as session:
        ids = {intern(session, m): m for m in ms}
        for p in ps:
            sub = policy.readable_markings(p).subquery()
            admitted = set(session.scalars(select(sub.c.id).where(sub.c.id.in_(ids))))
            assert admitted == {i for i, m in ids.items() if policy.marking_readable(p, m)}
            # And through read_filter, with the role check, as a route would use it.
            via_filter = set(
                session.scalars(
                    select(MarkingRow.id).where(
                        MarkingRow.id.in_(ids), policy.read_filter(p, KIND, MarkingRow.id)
                    )
                )
            )
            assert via_filter == {i for i, m in ids.items() if policy.can_read(p, KIND, m)}
        session.rollback()
