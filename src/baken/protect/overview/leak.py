"""Leak-matrix cases for protect (overview): the dashboard counts what each part's
fixtures made, so the non-interference pass checks that hidden objects change no figure."""

from __future__ import annotations

from baken.testing.leakmatrix import LeakCase, LeakFixture

FIXTURES: list[LeakFixture] = []
CASES: list[LeakCase] = [
    LeakCase("GET", "/beveiliging"),
    LeakCase("GET", "/api/v1/protect/overview"),
]
