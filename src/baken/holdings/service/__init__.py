"""Holdings services: the only way in. Each takes the principal and goes through policy."""

from __future__ import annotations

from baken.core.errors import DomainError


class HoldingsError(DomainError):
    """A holdings action refused for a domain reason (the message says why)."""
