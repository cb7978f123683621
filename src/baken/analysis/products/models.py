"""Tables of analysis (products)."""

from __future__ import annotations
