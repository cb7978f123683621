"""Hypothesis strategies for markings and principals."""

from __future__ import annotations

from hypothesis import strategies as st

from baken.core.markings import Level, Marking, Service
from baken.core.principals import Principal

COMPARTMENTS = ["KOBALT", "ZEPHYR", "SCHADUW"]
ORGS = ["AIVD", "MIVD", "NCTV", "OM", "PARTNER-A", "PARTNER-B", "CTIVD"]
EXTERNAL_ORGS = ["NCTV", "OM", "PARTNER-A", "PARTNER-B", "CTIVD"]

levels = st.sampled_from(list(Level))
subsets = lambda items: st.frozensets(st.sampled_from(items), max_size=len(items))  # noqa: E731

markings = st.builds(
    Marking,
    level=levels,
    owner=st.sampled_from(list(Service)),
    compartments=subsets(COMPARTMENTS),
    originators=subsets(["PARTNER-A", "PARTNER-B"]),
    releasable_to=subsets(ORGS),
)

internal = st.builds(
    Principal,
    id=st.just(1),
    username=st.just("p"),
    display_name=st.just("P"),
    clearance=levels,
    service=st.sampled_from([Service.AIVD, Service.MIVD]),
    compartments=subsets(COMPARTMENTS),
    roles=st.sampled_from(
        [
            frozenset({"analyst"}),
            frozenset({"planner"}),
            frozenset({"admin"}),
            frozenset({"employer_security_officer"}),
        ]
    ),
)

external = st.builds(
    Principal,
    id=st.just(2),
    username=st.just("x"),
    display_name=st.just("X"),
    clearance=levels,
    service=st.none(),
    organisation=st.sampled_from(EXTERNAL_ORGS),
    compartments=subsets(COMPARTMENTS),
    roles=st.sampled_from(
        [frozenset({"partner_recipient"}), frozenset({"overseer"}), frozenset({"civd_member"})]
    ),
)

principals = st.one_of(internal, external)
