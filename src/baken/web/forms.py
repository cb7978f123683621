"""Form helpers: read a marking from form fields, and turn validation errors into
messages per field in the user's language."""

from __future__ import annotations

from pydantic import ValidationError

from baken.core.schemas import MarkingIn
from baken.web.context import Ctx


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
