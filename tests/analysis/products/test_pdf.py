"""The product PDF: the marking banner on every page (header and footer), the sources
listed; a release's PDF carries the release's marking. Text extracted with pypdf."""

from __future__ import annotations

import io

from pypdf import PdfReader

from baken.analysis.products import dissemination, pdf, service
from baken.core.db import transaction
from tests.analysis.products.conftest import CONF_JOINT, SECRET_AIVD, Desk

LONG = "\n\n".join(
    f"Alinea {n}: de haven van Rotterdam blijft een doelwit van statelijke actoren." * 6
    for n in range(60)
)


def _pages(pdf: bytes) -> list[str]:
    return [
        " ".join((page.extract_text() or "").split()) for page in PdfReader(io.BytesIO(pdf)).pages
    ]


def test_the_marking_is_on_every_page_and_the_sources_are_listed(desk: Desk) -> None:
    src = desk.source(SECRET_AIVD, "Haveninformant")
    with transaction(desk.factory) as s:
        pid = service.create(
            s, principal=desk.author, type="dreigingsanalyse", title="Havenanalyse", body=LONG
        )
        service.cite(
            s,
            principal=desk.author,
            product_id=pid,
            kind="document",
            target_id=str(src["document_id"]),
        )
    with transaction(desk.factory) as s:
        data, view = pdf.product_pdf(s, principal=desk.author, product_id=pid)
    banner = view.marking.banner("nl")
    assert banner == "STG. GEHEIM // AIVD"
    pages = _pages(data)
    assert len(pages) >= 3
    for text in pages:
        # header and footer: the banner twice on each page
        assert text.count(banner) >= 2, text[:200]
    assert "Verslag Haveninformant" in pages[-1]
    assert "Havenanalyse" in pages[0]


def test_a_release_pdf_carries_the_release_marking(desk: Desk) -> None:
    src = desk.source(CONF_JOINT, "Loods")
    with transaction(desk.factory) as s:
        pid = service.create(
            s, principal=desk.author, type="dreigingsinschatting", title="Loods", body=LONG
        )
        service.cite(
            s,
            principal=desk.author,
            product_id=pid,
            kind="document",
            target_id=str(src["document_id"]),
        )
        service.submit(s, principal=desk.author, product_id=pid)
    with transaction(desk.factory) as s:
        service.approve(s, principal=desk.lead, product_id=pid, recipients=["NCTV"])
        rid = dissemination.release(s, principal=desk.lead, product_id=pid, recipient="NCTV")
    with transaction(desk.factory) as s:
        data, view = pdf.release_pdf(s, principal=desk.nctv, release_id=rid)
    banner = view.marking.banner("nl")
    assert "VRIJGEGEVEN AAN NCTV" in banner
    pages = _pages(data)
    assert len(pages) >= 2
    assert all(text.count(banner) >= 2 for text in pages)
