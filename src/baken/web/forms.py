"""Form helpers: read a marking from form fields, turn validation errors into messages per
field in the user's language, read dates and numbers typed into forms, and run a form's
work so that a refusal changes nothing and is on record."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Annotated, Any, TypeVar

from fastapi import Depends, Form
from pydantic import ValidationError
from sqlalchemy.orm import Session

from baken.core import refusals
from baken.core.errors import DomainError
from baken.core.i18n import N_
from baken.core.schemas import MarkingIn
from baken.web.context import Ctx

T = TypeVar("T")


class FormError(DomainError):
    """A value typed into a form that cannot be read (a date, a number)."""


def form_date(value: str | None, *, default: date | None = None) -> date:
    """A date typed as YYYY-MM-DD; empty gives ``default`` when there is one."""
    text = (value or "").strip()
    if not text and default is not None:
        return default
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise FormError(N_("give a date as YYYY-MM-DD")) from None


def optional_date(value: str | None) -> date | None:
    """A date typed as YYYY-MM-DD, or None when the field is empty."""
    return form_date(value) if (value or "").strip() else None


def form_int(value: str | None) -> int | None:
    """A whole number from a form or query field; None when empty or not a number."""
    try:
        return int(value) if value not in (None, "") else None
    except ValueError:
        return None


def page_number(ctx: Ctx, name: str = "pagina") -> int:
    """The page asked for in the query string (1 when missing or not a number)."""
    return max(1, form_int(ctx.request.query_params.get(name)) or 1)


def attempt(
    ctx: Ctx, action: str, kind: str, work: Callable[[Session], T], object_id: object = None
) -> T:
    """Run a form's ``work`` in a unit of work of its own as the signed-in user; when it
    is refused (a domain reason or the policy) nothing it did stays and the refusal is
    audited, then the error is raised again for the page to show at the form."""
    return refusals.attempt(ctx.factory, ctx.user(), action, kind, work, object_id=object_id)


def marking_from_form(
    level: str,
    owner: str,
    compartments: str,
    originators: list[str] | None,
    releasable_to: list[str] | None,
) -> MarkingIn:
    return MarkingIn.model_validate(
        {
            "level": level,
            "owner": owner or "JOINT",
            "compartments": compartments,
            "originators": originators or [],
            "releasable_to": releasable_to or [],
        }
    )


def field_errors(ctx: Ctx, exc: ValidationError) -> dict[str, str]:
    """Map each invalid field (the last name in its location) to a readable message."""
    errors: dict[str, str] = {}
    for err in exc.errors():
        loc = [str(p) for p in err.get("loc", ()) if not str(p).isdigit()]
        name = loc[-1] if loc else "form"
        message = str(err.get("msg", "")).removeprefix("Value error, ")
        errors.setdefault(name, ctx._(message))
    return errors


@dataclass(frozen=True)
class MarkingFields:
    """The marking fields of a form (macros/marking.html), as sent."""

    level: str
    owner: str
    compartments: str
    originators: list[str]
    releasable_to: list[str]

    def values(self) -> dict[str, Any]:
        """For filling the form in again after an error."""
        return {
            "level": self.level,
            "owner": self.owner,
            "compartments": self.compartments,
            "originators": self.originators,
            "releasable_to": self.releasable_to,
        }

    def parse(self) -> MarkingIn:
        return marking_from_form(
            self.level, self.owner, self.compartments, self.originators, self.releasable_to
        )


def marking_fields(
    level: Annotated[str, Form(max_length=40)] = "",
    owner: Annotated[str, Form(max_length=8)] = "",
    compartments: Annotated[str, Form(max_length=500)] = "",
    originators: Annotated[list[str] | None, Form()] = None,
    releasable_to: Annotated[list[str] | None, Form()] = None,
) -> MarkingFields:
    return MarkingFields(level, owner, compartments, originators or [], releasable_to or [])


MarkingForm = Annotated[MarkingFields, Depends(marking_fields)]
