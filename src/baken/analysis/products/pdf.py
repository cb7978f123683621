"""A product (or a release of one) as a PDF through Typst, with the marking banner in
the header and footer of every page. Offline: no packages, only Typst's own fonts."""

from __future__ import annotations

import json
import tempfile
from dataclasses import dataclass
from datetime import datetime
from importlib import resources
from pathlib import Path

import typst
from sqlalchemy.orm import Session

from baken.analysis.products import dissemination, service
from baken.analysis.products.schemas import ProductView, ReleaseView, vlabel
from baken.core import i18n
from baken.core.markings import Marking
from baken.core.principals import Principal
from baken.core.timeutil import aware

_TEMPLATES = "baken.analysis.products.typst"


@dataclass(frozen=True, slots=True)
class PdfInput:
    type_label: str
    title: str
    summary: str
    body: str
    author: str
    marking: Marking
    when: datetime
    citations: list[str]
    observables: list[tuple[str, str, str]]
    status: str = ""


def _paragraphs(text: str) -> list[str]:
    return [" ".join(p.split()) for p in text.replace("\r\n", "\n").split("\n\n") if p.strip()]


def render_pdf(item: PdfInput, locale: str = "nl") -> bytes:
    def _(message: str) -> str:
        return i18n.gettext(locale, message)

    meta = f"{item.author} · {item.when.date().isoformat()}"
    if item.status:
        meta += f" · {item.status}"
    data = {
        "lang": "en" if locale == "en" else "nl",
        "banner": item.marking.banner(locale),
        "type_label": item.type_label,
        "title": item.title,
        "author": item.author,
        "meta": meta,
        "summary": item.summary,
        "summary_paragraphs": _paragraphs(item.summary),
        "body_paragraphs": _paragraphs(item.body),
        "citations": item.citations,
        "observables": [{"type": t, "value": v, "description": d} for t, v, d in item.observables],
        "summary_label": _("Summary"),
        "body_label": _("Text"),
        "citations_label": _("Sources"),
        "observables_label": _("Observables"),
        "none_label": _("none"),
        "page_label": _("Page"),
    }
    with tempfile.TemporaryDirectory(prefix="baken-typst-") as tmp:
        root = Path(tmp)
        (root / "product.typ").write_bytes(
            resources.files(_TEMPLATES).joinpath("product.typ").read_bytes()
        )
        no_packages = root / "geen-pakketten"
        no_packages.mkdir()
        pdf: bytes = typst.compile(
            str(root / "product.typ"),
            root=str(root),
            format="pdf",
            ignore_system_fonts=True,
            sys_inputs={"document": json.dumps(data, ensure_ascii=False)},
            timestamp=aware(item.when).replace(microsecond=0),
            package_path=str(no_packages),
            package_cache_path=str(no_packages),
        )
    return pdf


# --- products and releases ------------------------------------------------------------------


def product_pdf(
    session: Session, *, principal: Principal, product_id: int, locale: str = "nl"
) -> tuple[bytes, ProductView]:
    """The product as a PDF, its marking on every page (read through :func:`get`)."""
    view = service.get(session, principal=principal, product_id=product_id)
    data = PdfInput(
        type_label=vlabel("product_types", view.type, locale),
        title=view.title,
        summary=view.summary,
        body=view.body,
        author=view.author,
        marking=view.marking,
        when=view.updated_at or view.created_at,
        citations=[
            f"{vlabel('citation_kinds', c.kind, locale)}: {c.caption}" for c in view.citations
        ],
        observables=[(o.type, o.value, o.description) for o in view.observables],
        status=vlabel("statuses", view.status, locale),
    )
    return render_pdf(data, locale), view


def release_pdf(
    session: Session, *, principal: Principal, release_id: int, locale: str = "nl"
) -> tuple[bytes, ReleaseView]:
    """A release as its recipient received it, with the release's marking on every page."""
    view = dissemination.get_release(session, principal=principal, release_id=release_id)
    c = view.content
    data = PdfInput(
        type_label=vlabel("product_types", str(c.get("type")), locale),
        title=str(c.get("title", "")),
        summary=str(c.get("summary", "")),
        body=str(c.get("body", "")),
        author=str(c.get("author", "")),
        marking=view.marking,
        when=view.released_at,
        citations=[
            f"{vlabel('citation_kinds', str(x.get('kind')), locale)}: {x.get('caption', '')}"
            for x in c.get("citations", [])
        ],
        observables=[
            (str(o["type"]), str(o["value"]), str(o.get("description", "")))
            for o in c.get("observables", [])
        ],
    )
    return render_pdf(data, locale), view
