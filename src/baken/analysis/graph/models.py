"""Tables of analysis (graph)."""

from __future__ import annotations
