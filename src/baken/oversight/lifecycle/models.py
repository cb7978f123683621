"""Tables of oversight (lifecycle)."""

from __future__ import annotations
