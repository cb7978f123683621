"""The refusal of the exchange part."""

from __future__ import annotations

from baken.core.errors import DomainError


class ExchangeError(DomainError):
    """A file to import or a product to export that cannot be exchanged as asked."""
