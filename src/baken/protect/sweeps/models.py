"""Tables of protect (sweeps)."""

from __future__ import annotations
