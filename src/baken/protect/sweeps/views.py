"""What the sweeps pages share: the form field type, the refusals shown at a form, the
label helpers of the templates, and running a form's work (an unknown or unreadable
object answers 404, exactly as one that does not exist)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any, TypeVar

from fastapi import Form
from sqlalchemy.orm import Session

from baken.core.i18n import N_
from baken.core.markings import Level, organisation_label
from baken.protect.sweeps.service import SweepsError
from baken.protect.vocab import label
from baken.web.context import Ctx, NotFound
from baken.web.forms import FormError, attempt

T = TypeVar("T")
Str = Annotated[str, Form(max_length=4000)]
REFUSED = (SweepsError, FormError)
MARKING_DENIED = N_("you may not record at this marking")
UNKNOWN = frozenset({"no such secure room", "no such sweep", "no such finding", "no such meeting"})


def _label(group: str, code: str | None, locale: str) -> str:
    return label("sweeps", group, code, locale)


def _level(name: str | None, locale: str) -> str:
    if name is None or name not in Level.__members__:
        return name or ""
    return Level[name].label(locale)


def helpers(ctx: Ctx) -> dict[str, Any]:
    return {"label": _label, "level_label": _level, "org": organisation_label}


def run(
    ctx: Ctx, action: str, kind: str, work: Callable[[Session], T], object_id: object = None
) -> T:
    """The form's work in its own unit of work; an unknown or unreadable object is 404."""
    try:
        return attempt(ctx, action, kind, work, object_id)
    except SweepsError as exc:
        if exc.message in UNKNOWN:
            raise NotFound from None
        raise
