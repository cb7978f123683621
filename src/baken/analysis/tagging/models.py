"""Tables of analysis (tagging)."""

from __future__ import annotations
