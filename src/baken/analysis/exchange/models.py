"""Tables of analysis (exchange)."""

from __future__ import annotations
