"""Leak-matrix fixtures and cases for analysis (products).

* ``product`` — a draft at the fixture's marking, titled with the secret, citing a
  document at that marking (the holdings fixture) and listing one observable.
* ``afgifte`` — an approved product titled with the secret, released to the one external
  organisation the fixture's marking is releasable to (so the release is marked exactly
  as the fixture); for a marking releasable to no one outside, the approved product
  alone (``release_id`` 0 then names nothing).
* ``instemming`` — a product citing a partner's material (the fixture's marking plus
  originator PARTNER-B, which admits the same readers) with a consent whose reference
  is the secret.

The fixtures set state and marking directly where the service would need a second
person (the four-eyes approval) or a source at exactly the fixture's marking.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from sqlalchemy.orm import Session

from baken.analysis.products import dissemination, service
from baken.analysis.products.models import Product
from baken.analysis.products.schemas import AFGIFTE, INSTEMMING, PRODUCT, recipient_codes
from baken.core.marking_store import intern
from baken.core.markings import Marking
from baken.core.principals import Principal
from baken.holdings.leak import make_document
from baken.testing.leakmatrix import LeakCase, LeakFixture


def _product(
    session: Session, author: Principal, marking: Marking, title: str, name: str
) -> dict[str, Any]:
    product_id = service.create(
        session, principal=author, type="weerbaarheidsadvies", title=title, body="Tekst."
    )
    row = session.get(Product, product_id)
    assert row is not None
    row.marking_id = intern(session, marking)
    source = make_document(session, author, marking, name)
    citation_id = service.cite(
        session,
        principal=author,
        product_id=product_id,
        kind="document",
        target_id=str(source["document_id"]),
    )
    observable_id = service.add_observable(
        session, principal=author, product_id=product_id, type="ipv4-addr", value="192.0.2.10"
    )
    return {"product_id": product_id, "citation_id": citation_id, "observable_id": observable_id}


def make_product(
    session: Session, author: Principal, marking: Marking, secret: str
) -> dict[str, Any]:
    return _product(session, author, marking, f"Advies {secret}", secret)


def make_release(
    session: Session, author: Principal, marking: Marking, secret: str
) -> dict[str, Any]:
    params = _product(session, author, marking, f"Verstrekt {secret}", secret)
    product_id = params["product_id"]
    service._force_status(session, product_id, "approved", approver=author.id)
    # Products go to partners, never to employers: a marking released to one has no
    # recipient here.
    outside = sorted(set(marking.external_readers()) & set(recipient_codes()))
    service._set_recipients(session, product_id, outside)
    release_id = 0
    if len(outside) == 1 and not marking.compartments:
        release_id = dissemination.release(
            session, principal=author, product_id=product_id, recipient=outside[0]
        )
    return {**params, "release_id": release_id}


def make_consent(
    session: Session, author: Principal, marking: Marking, secret: str
) -> dict[str, Any]:
    shared = replace(marking, originators=marking.originators | {"PARTNER-B"})
    params = _product(session, author, shared, "Product met partnermateriaal", f"Bron{secret}")
    service._force_status(session, params["product_id"], "approved", approver=author.id)
    service._set_recipients(session, params["product_id"], ["NCTV"])
    dissemination.record_consent(
        session,
        principal=author,
        product_id=params["product_id"],
        partner="PARTNER-B",
        recipient="NCTV",
        reference=secret,
    )
    return params


FIXTURES = [
    LeakFixture("product", PRODUCT, make_product),
    LeakFixture("afgifte", AFGIFTE, make_release),
    LeakFixture("instemming", INSTEMMING, make_consent),
]

_P = "/producten/{product_id}"

CASES = [
    LeakCase("GET", "/producten"),
    LeakCase("GET", "/producten/nieuw"),
    LeakCase("POST", "/producten/nieuw", form=lambda p: {"type": "?", "title": ""}),
    LeakCase("GET", _P, fixture="product"),
    LeakCase("GET", _P, fixture="instemming"),
    LeakCase("POST", _P, fixture="product", form=lambda p: {"title": "", "level": "9"}),
    LeakCase("POST", _P + "/bronnen", fixture="product", form=lambda p: {"kind": "document"}),
    LeakCase(
        "POST",
        _P + "/bronnen/{citation_id}/verwijderen",
        fixture="product",
        form=lambda p: {},
        order=2,
    ),
    LeakCase("POST", _P + "/observabelen", fixture="product", form=lambda p: {"type": "?"}),
    LeakCase(
        "POST",
        _P + "/observabelen/{observable_id}/verwijderen",
        fixture="product",
        form=lambda p: {},
        order=2,
    ),
    LeakCase("POST", _P + "/indienen", fixture="product", form=lambda p: {}, order=1),
    LeakCase("POST", _P + "/goedkeuren", fixture="product", form=lambda p: {"recipients": "?"}),
    LeakCase("POST", _P + "/terugsturen", fixture="product", form=lambda p: {"note": ""}),
    LeakCase(
        "POST", _P + "/instemming", fixture="instemming", form=lambda p: {"partner": "PARTNER-B"}
    ),
    LeakCase("POST", _P + "/verstrekken", fixture="afgifte", form=lambda p: {"recipient": "?"}),
    LeakCase("GET", _P + "/pdf", fixture="product", differential=False),
    LeakCase("GET", "/portaal"),
    LeakCase("GET", "/portaal/{release_id}", fixture="afgifte"),
    LeakCase("GET", "/portaal/{release_id}/pdf", fixture="afgifte", differential=False),
    LeakCase("GET", "/api/v1/analysis/products"),
    LeakCase("GET", "/api/v1/analysis/products/{product_id}", fixture="product"),
    LeakCase("GET", "/api/v1/analysis/products/{product_id}", fixture="afgifte"),
    LeakCase("GET", "/api/v1/analysis/releases"),
]
