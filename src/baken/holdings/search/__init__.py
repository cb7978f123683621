"""Full-text search of holdings: a Tantivy index with the read rule in every query.

:class:`SearchIndex` is the whole interface: upsert and delete :class:`IndexDoc` items,
search with an :class:`~baken.core.policy_index.IndexPolicy` compiled for the principal
(:func:`baken.core.policy_index.index_policy`).
"""

from __future__ import annotations

from baken.holdings.search.index import (
    DEFAULT_FACETS,
    Hit,
    IndexBusy,
    SearchIndex,
    SearchResult,
)
from baken.holdings.search.schema import FACETS, IndexDoc

__all__ = [
    "DEFAULT_FACETS",
    "FACETS",
    "Hit",
    "IndexBusy",
    "IndexDoc",
    "SearchIndex",
    "SearchResult",
]
