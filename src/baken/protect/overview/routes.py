"""The protect dashboard: the main figures of each protect part the reader may see.

Each part's ``service.figures(session, principal=...)`` counts through the read filter, so
a reader sees figures only of what they may read; a part whose main kind the reader's roles
may not read is left out. The page is audited once (``protect.overview``), with the parts
shown.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from fastapi import APIRouter
from fastapi.responses import Response
from sqlalchemy.orm import Session

from baken.core import audit, policy
from baken.core.principals import Principal
from baken.web.context import Ctx, CtxDep
from baken.web.render import render

pages = APIRouter(tags=["pages"], include_in_schema=False)
api = APIRouter(prefix="/api/v1/protect", tags=["protect"])

# (label msgid, count, href, alert): an alert is a figure that asks for action (overdue
# rooms, decisions awaited); it stands out when it is not zero.
Figures = Callable[..., list[tuple[str, int, str, bool]]]


@dataclass(frozen=True)
class Section:
    part: str
    kind: str  # the reader must be able to read this kind to see the part
    href: str
    title_nl: str
    title_en: str

    def title(self, locale: str) -> str:
        return self.title_en if locale == "en" else self.title_nl


SECTIONS = (
    Section(
        "sweeps",
        "veegonderzoek",
        "/veegonderzoeken",
        "Elektronische veiligheidsonderzoeken",
        "Electronic security investigations",
    ),
    Section(
        "industrial",
        "bijzondere_opdracht",
        "/industriele-veiligheid",
        "Industriële veiligheid (ABRO, NBIV)",
        "Industrial security (ABRO, NBIV)",
    ),
    Section("resilience", "weerbaarheidsproduct", "/weerbaarheid", "Weerbaarheid", "Resilience"),
    Section(
        "threats",
        "dreigingsproduct",
        "/bewaken-beveiligen",
        "Stelsel Bewaken en Beveiligen",
        "Surveillance and Protection system",
    ),
)


@dataclass(frozen=True)
class Figure:
    label: str  # a message id
    count: int
    href: str
    alert: bool


def _figures(part: str) -> Figures:
    service = importlib.import_module(f"baken.protect.{part}.service")
    found: Figures = service.figures
    return found


def sections(session: Session, principal: Principal) -> list[tuple[Section, list[Figure]]]:
    shown = []
    for section in SECTIONS:
        if not policy.role_may_read(principal, section.kind):
            continue
        figures = [
            Figure(label, count, href, alert and count > 0)
            for label, count, href, alert in _figures(section.part)(session, principal=principal)
        ]
        shown.append((section, figures))
    audit.record(
        session,
        principal=principal,
        action="protect.overview",
        # What the reader was shown: the parts and their counts (the parts do not audit).
        details={"figures": {s.part: [f.count for f in figs] for s, figs in shown}},
    )
    return shown


@pages.get("/beveiliging")
def index(ctx: CtxDep) -> Response:
    with ctx.db() as session:
        shown = sections(session, ctx.user())
    return render(
        ctx, "protect/overview/index.html", title=ctx._("Protective security"), sections=shown
    )


def _json(ctx: Ctx, shown: list[tuple[Section, list[Figure]]]) -> list[dict[str, Any]]:
    return [
        {
            "part": s.part,
            "title": s.title(ctx.locale),
            "href": s.href,
            "figures": [
                {"label": ctx._(f.label), "count": f.count, "href": f.href} for f in figures
            ],
        }
        for s, figures in shown
    ]


@api.get("/overview", summary="The main figures of each protect part the caller may see")
def api_overview(ctx: CtxDep) -> list[dict[str, Any]]:
    with ctx.db() as session:
        shown = sections(session, ctx.user())
    return _json(ctx, shown)
