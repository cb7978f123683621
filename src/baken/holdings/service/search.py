"""Search over documents and entity names, with the policy inside the index query.

A hit the principal may not read is never in the result: the index query itself carries
the read rule (:mod:`baken.core.policy_index`), so it changes no total, no facet count
and no snippet. Facet labels (collection names) come from the database through the
collection filter.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from urllib.parse import quote

from sqlalchemy import select
from sqlalchemy.orm import Session

from baken.core import audit
from baken.core.markings import Marking, summary
from baken.core.policy_index import index_policy
from baken.core.principals import Principal
from baken.holdings.models import Collection
from baken.holdings.search import Hit, SearchIndex, SearchResult
from baken.holdings.service import collections
from baken.holdings.vocab import DOCUMENT, ENTITY

FACETS = ("collection", "language", "country", "schema", "kind")
PAGE = 20
MAX_QUERY = 500


@dataclass(frozen=True)
class Found:
    result: SearchResult
    collection_names: dict[str, str]
    query: str
    filters: dict[str, list[str]]
    page: int


def search(
    session: Session,
    *,
    principal: Principal,
    index: SearchIndex,
    query: str,
    filters: Mapping[str, Sequence[str]] | None = None,
    page: int = 1,
) -> Found:
    query = " ".join(query.split())[:MAX_QUERY]
    clean = {k: [v for v in vs if v][:20] for k, vs in (filters or {}).items() if k in FACETS}
    clean = {k: v for k, v in clean.items() if v}
    policy = index_policy(principal, [DOCUMENT, ENTITY])
    page = max(1, min(page, 500))
    result = index.search(policy, query, filters=clean, limit=PAGE, offset=(page - 1) * PAGE)
    ids = {int(v) for v, _ in result.facets.get("collection", []) if v.isdigit()}
    ids |= {int(h.collection) for h in result.hits if h.collection.isdigit()}
    names = {
        str(i): n
        for i, n in session.execute(
            select(Collection.id, Collection.name).where(
                Collection.id.in_(ids), collections.visible(principal)
            )
        )
    }
    audit.record(
        session,
        principal=principal,
        action="holdings.search",
        kind=DOCUMENT,
        marking=summary(Marking.from_key(h.marking_key) for h in result.hits)
        if result.hits
        else None,
        details={
            "query": query,
            "filters": clean,
            "total": result.total,
            "hits": [h.doc_id for h in result.hits],
        },
    )
    return Found(result, names, query, clean, page)


def hit_marking(hit: Hit) -> Marking:
    return Marking.from_key(hit.marking_key)


def hit_url(hit: Hit) -> str:
    """Where a hit opens: the document, or the entity (``ent:<id>|<collection>|<marking>``)."""
    kind, _, rest = hit.doc_id.partition(":")
    if kind == "doc":
        return f"/documenten/{rest}"
    return f"/entiteiten/{quote(rest.split('|', 1)[0], safe='')}"
