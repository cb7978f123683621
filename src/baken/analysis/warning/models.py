"""Tables of analysis (warning)."""

from __future__ import annotations
