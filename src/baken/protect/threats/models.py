"""Tables of protect (threats)."""

from __future__ import annotations
