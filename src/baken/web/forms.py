"""Form helpers: read a marking from form fields, and turn validation errors into
messages per field in the user's language."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import Depends, Form
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
