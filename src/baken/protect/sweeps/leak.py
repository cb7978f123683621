"""Leak-matrix fixtures and cases for protect (sweeps)."""

from __future__ import annotations

from baken.testing.leakmatrix import LeakCase, LeakFixture

FIXTURES: list[LeakFixture] = []
CASES: list[LeakCase] = []
