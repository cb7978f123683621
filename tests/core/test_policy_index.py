"""The read rule compiled for the search index agrees with the reference rule.

Three links of one chain: ``index_admits`` (the compiled clause, evaluated in Python)
equals ``can_read``; the Tantivy query built from the clause admits exactly what
``index_admits`` admits, on random indexes and on one index holding every marking of a
small vocabulary. (The SQL side is checked against ``can_read`` in
``test_policy_properties``.)
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from baken.core import policy
from baken.core.markings import Level, Marking, Service
from baken.core.policy_index import index_admits, index_policy
from baken.core.principals import Principal, role_names
from baken.holdings.search import IndexDoc, SearchIndex
from baken.plugins import registry
from tests.core.strategies import COMPARTMENTS, EXTERNAL_ORGS, ORGS, levels, principals, subsets

# A compartment no principal below holds: the index must still keep it from them.
UNHELD = "NACHTUIL"
KINDS = sorted(registry().kinds())

markings = st.builds(
    Marking,
    level=levels,
    owner=st.sampled_from(list(Service)),
    compartments=subsets([*COMPARTMENTS, UNHELD]),
    originators=subsets(["PARTNER-A"]),
    releasable_to=subsets(ORGS),
)

# Any mix of roles, also overseers with a service, on top of the shared strategies.
any_roles = st.frozensets(st.sampled_from(role_names()), min_size=1, max_size=3)
mixed = st.builds(
    Principal,
    id=st.just(3),
    username=st.just("m"),
    display_name=st.just("M"),
    clearance=levels,
    service=st.sampled_from([Service.AIVD, Service.MIVD, None]),
    organisation=st.sampled_from([*EXTERNAL_ORGS, None]),
    compartments=subsets(COMPARTMENTS),
    roles=any_roles,
)
everyone = st.one_of(principals, mixed)


@given(everyone, st.sampled_from(KINDS), markings)
def test_the_compiled_clause_is_the_rule(p: Principal, kind: str, m: Marking) -> None:
    assert index_admits(index_policy(p, KINDS), kind, m) == policy.can_read(p, kind, m)


@given(everyone)
def test_the_clause_keeps_only_readable_kinds(p: Principal) -> None:
    clause = index_policy(p, KINDS)
    assert clause.kinds == {k for k in KINDS if policy.role_may_read(p, k)}
    assert clause.service_rule is not p.is_overseer
    assert (clause.compartments is None) is p.is_overseer


def test_an_unknown_kind_fails_closed() -> None:
    p = Principal(1, "a", "A", Level.STG_GEHEIM, Service.AIVD, roles=frozenset({"analyst"}))
    with pytest.raises(KeyError):
        index_policy(p, ["no-such-kind"])


def test_an_external_principal_without_organisation_reads_nothing() -> None:
    p = Principal(1, "x", "X", Level.STG_GEHEIM, None, roles=frozenset({"tib"}))
    clause = index_policy(p, KINDS)
    assert clause.admits_nothing
    assert not index_admits(clause, "mededeling", Marking(releasable_to=frozenset({"TIB"})))


def _doc(i: int, kind: str, m: Marking) -> IndexDoc:
    return IndexDoc(f"d:{i}", kind, m, "c", "merk", "merk", "nl")


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.tuples(st.sampled_from(KINDS), markings), min_size=1, max_size=25),
    st.lists(everyone, min_size=1, max_size=5),
)
def test_the_index_query_admits_what_the_clause_admits(
    docs: list[tuple[str, Marking]], ps: list[Principal]
) -> None:
    index = SearchIndex(None, writer_threads=1)
    index.upsert(_doc(i, kind, m) for i, (kind, m) in enumerate(docs))
    for p in ps:
        clause = index_policy(p, KINDS)
        found = {h.doc_id for h in index.search(clause, "merk", limit=100, facets=()).hits}
        expected = {f"d:{i}" for i, (kind, m) in enumerate(docs) if index_admits(clause, kind, m)}
        assert found == expected
        assert expected == {f"d:{i}" for i, (k, m) in enumerate(docs) if policy.can_read(p, k, m)}


# Every marking over a small vocabulary (4 x 3 x 16 x 16 = 3,840), each in one document.
SMALL_ORGS = ["AIVD", "MIVD", "NCTV", "PARTNER-A"]


def _powerset(items: list[str]) -> Iterator[frozenset[str]]:
    for n in range(len(items) + 1):
        yield from map(frozenset, itertools.combinations(items, n))


EVERY_MARKING = [
    Marking(level, owner, comps, frozenset(), rel)
    for level in (
        Level.ONGERUBRICEERD,
        Level.STG_CONFIDENTIEEL,
        Level.STG_GEHEIM,
        Level.STG_ZEER_GEHEIM,
    )
    for owner in Service
    for comps in _powerset([*COMPARTMENTS, UNHELD])
    for rel in _powerset(SMALL_ORGS)
]


@pytest.fixture(scope="module")
def full_index() -> SearchIndex:
    index = SearchIndex(None)
    index.upsert(_doc(i, KINDS[i % len(KINDS)], m) for i, m in enumerate(EVERY_MARKING))
    return index


def _seats() -> Iterator[Principal]:
    seats = [
        (Service.AIVD, None, "analyst"),
        (Service.MIVD, None, "planner"),
        (None, "NCTV", "partner_recipient"),
        (None, "PARTNER-A", "partner_recipient"),
        (None, "CTIVD", "overseer"),
        (Service.AIVD, None, "admin"),
    ]
    for clearance in (Level.DEP_VERTROUWELIJK, Level.STG_GEHEIM, Level.STG_ZEER_GEHEIM):
        for service, org, role in seats:
            for comps in _powerset(COMPARTMENTS):
                yield Principal(
                    1,
                    "p",
                    "P",
                    clearance,
                    service,
                    org,
                    compartments=comps,
                    roles=frozenset({role}),
                )


def test_the_index_query_is_exact_over_every_marking(full_index: SearchIndex) -> None:
    assert full_index.count() == len(EVERY_MARKING)
    for p in _seats():
        admitted = full_index.marking_counts(index_policy(p, KINDS))
        # can_read, with the role looked up once per kind rather than per marking
        kinds = {k for k in KINDS if policy.role_may_read(p, k)}
        expected = {
            m.key()
            for i, m in enumerate(EVERY_MARKING)
            if KINDS[i % len(KINDS)] in kinds and policy.marking_readable(p, m)
        }
        assert set(admitted) == expected, p
        assert set(admitted.values()) <= {1}


@settings(max_examples=50, deadline=None)
@given(everyone)
def test_the_index_query_is_exact_for_random_principals(
    full_index: SearchIndex, p: Principal
) -> None:
    clause = index_policy(p, KINDS)
    expected = {
        m.key()
        for i, m in enumerate(EVERY_MARKING)
        if index_admits(clause, KINDS[i % len(KINDS)], m)
    }
    assert set(full_index.marking_counts(clause)) == expected
