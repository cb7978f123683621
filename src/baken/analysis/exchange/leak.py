"""Leak-matrix cases for analysis (exchange).

Exchange stores nothing of its own, so it has no fixture: the product exports use the
products part's ``product`` fixture (a cyber-capable product titled with the secret,
with one observable) and the FtM export the graph part's ``netwerk`` fixture (a
collection whose entities are named after the secret).
"""

from __future__ import annotations

from baken.testing.leakmatrix import LeakCase, LeakFixture

FIXTURES: list[LeakFixture] = []

CASES = [
    LeakCase("GET", "/uitwisseling"),
    LeakCase(
        "POST",
        "/uitwisseling",
        fixture="netwerk",
        form=lambda p: {"collection": str(p["collection_id"])},
    ),
    LeakCase("GET", "/uitwisseling/collecties/{collection_id}/ftm", fixture="netwerk"),
    LeakCase("GET", "/producten/{product_id}/stix", fixture="product"),
    LeakCase("GET", "/producten/{product_id}/misp", fixture="product"),
    LeakCase("GET", "/api/v1/analysis/products/{product_id}/stix", fixture="product"),
    LeakCase("GET", "/api/v1/analysis/products/{product_id}/misp", fixture="product"),
    LeakCase("GET", "/api/v1/analysis/exchange/collections/{collection_id}/ftm", fixture="netwerk"),
]
