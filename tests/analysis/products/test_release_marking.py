"""The marking of a release, and the PDF layout, without a database."""

from __future__ import annotations

import io
from datetime import UTC, datetime

from pypdf import PdfReader

from baken.analysis.products.dissemination import release_marking
from baken.analysis.products.pdf import PdfInput, render_pdf
from baken.core import policy
from baken.core.markings import Level, Marking, Service
from baken.core.principals import Principal


def _recipient(org: str) -> Principal:
    return Principal(
        id=1,
        username=org.lower(),
        display_name=org,
        clearance=Level.STG_ZEER_GEHEIM,
        service=None,
        organisation=org,
        roles=frozenset({"partner_recipient"}),
    )


def test_a_release_is_readable_by_its_recipient_only() -> None:
    product = Marking.of(
        "STG_GEHEIM", Service.MIVD, originators={"PARTNER-A"}, releasable_to={"AIVD", "OM"}
    )
    released = release_marking(product, "NCTV")
    assert released.releasable_to == frozenset({"AIVD", "NCTV"})  # internal readers stay
    assert (released.level, released.owner, released.originators) == (
        product.level,
        product.owner,
        product.originators,
    )
    assert policy.marking_readable(_recipient("NCTV"), released)
    assert not policy.marking_readable(_recipient("OM"), released)
    assert not policy.marking_readable(_recipient("PARTNER-A"), released)
    assert released.reader_services() == product.reader_services()


def test_the_banner_is_in_the_header_and_footer_of_every_page() -> None:
    marking = Marking.of("STG_CONFIDENTIEEL", Service.AIVD, releasable_to={"NCTV"})
    body = "\n\n".join("Een lange alinea over de dreiging. " * 20 for _ in range(40))
    pdf = render_pdf(
        PdfInput(
            "Dreigingsanalyse",
            "Titel",
            "",
            body,
            "Auteur",
            marking,
            datetime(2026, 11, 1, 12, 0, 0, 123, tzinfo=UTC),
            ["Document: bron"],
            [],
        )
    )
    pages = [" ".join((p.extract_text() or "").split()) for p in PdfReader(io.BytesIO(pdf)).pages]
    assert len(pages) >= 3
    banner = marking.banner("nl")
    assert all(text.count(banner) == 2 for text in pages)
