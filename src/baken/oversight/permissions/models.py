"""Tables of oversight (permissions)."""

from __future__ import annotations
