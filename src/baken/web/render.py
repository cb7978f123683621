"""Render pages: one Jinja2 environment, the marking banner, the common headers."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from functools import cache
from typing import Any
from zoneinfo import ZoneInfo

from babel.dates import format_datetime
from fastapi.responses import HTMLResponse
from jinja2 import ChoiceLoader, Environment, PackageLoader, select_autoescape

from baken.core import i18n, policy, sanitise
from baken.core.markings import Marking, summary
from baken.core.principals import Principal, role_label
from baken.plugins import NavItem
from baken.web.context import CSRF_FIELD, PRELOGIN_COOKIE, Ctx

TZ = ZoneInfo("Europe/Amsterdam")

# Template packages: the web shell's own, then each module's ``templates/`` folder.
TEMPLATE_PACKAGES = (
    "baken.web",
    "baken.notices",
    "baken.steering",
    "baken.holdings",
    "baken.resolve",
    "baken.analysis",
    "baken.oversight",
    "baken.vetting",
    "baken.protect",
)


@cache
def environment(locale: str) -> Environment:
    """One environment per language, so concurrent requests never share a translation."""
    env = Environment(
        loader=ChoiceLoader([PackageLoader(p, "templates") for p in TEMPLATE_PACKAGES]),
        autoescape=select_autoescape(default=True, default_for_string=True),
        extensions=["jinja2.ext.i18n"],
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["dt"] = lambda value: _format_dt(value, locale)
    # Where an object of a sanitisable kind is shown (each module registers its own).
    env.globals["link"] = sanitise.link
    env.install_gettext_translations(i18n.translations(locale), newstyle=True)  # type: ignore[attr-defined]
    return env


def _format_dt(value: datetime | None, locale: str = "nl") -> str:
    if value is None:
        return "–"
    return format_datetime(value.astimezone(TZ), "d MMM yyyy HH:mm", locale=locale)


def _may_see(principal: Principal | None, item: NavItem) -> bool:
    if principal is None:
        return False
    if item.kind is not None:
        return policy.role_may_read(principal, item.kind)
    return not item.roles or bool(principal.roles & item.roles)


def render(
    ctx: Ctx,
    template: str,
    *,
    markings: Iterable[Marking] = (),
    status_code: int = 200,
    title: str = "",
    **values: Any,
) -> HTMLResponse:
    env = environment(ctx.locale)
    principal = ctx.principal
    nav = [item for item in ctx.registry.navigation() if _may_see(principal, item)]
    banner = summary(markings)
    html = env.get_template(template).render(
        ctx=ctx,
        principal=principal,
        locale=ctx.locale,
        nav=nav,
        banner=banner,
        title=title,
        csrf_field=CSRF_FIELD,
        csrf_token=ctx.csrf_token or "",
        role_label=role_label,
        path=ctx.request.url.path,
        **values,
    )
    response = HTMLResponse(html, status_code=status_code)
    response.headers["Content-Language"] = ctx.locale
    if ctx.new_prelogin and ctx.csrf_token:
        response.set_cookie(
            PRELOGIN_COOKIE,
            ctx.csrf_token,
            httponly=True,
            samesite="strict",
            secure=ctx.settings.secure_cookies,
            path="/",
        )
    return response
