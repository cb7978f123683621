"""Tables of protect (resilience)."""

from __future__ import annotations
