"""Tables of protect (industrial)."""

from __future__ import annotations
