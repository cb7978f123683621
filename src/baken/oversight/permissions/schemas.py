"""Shapes of the permissions part: what comes in (``PermissionCreate``), what goes out
(``PermissionView`` with its history), the refusal it raises (``PermissionsError``) and
``refusable``, which makes every refusal change nothing and be audited."""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Concatenate, ParamSpec, TypeVar

from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy.orm import Session

from baken.core import refusals
from baken.core.errors import DomainError
from baken.core.markings import Marking
from baken.core.principals import Principal
from baken.core.schemas import MarkingIn
from baken.oversight.permissions import rules
from baken.oversight.permissions.rules import TOESTEMMING

P = ParamSpec("P")
T = TypeVar("T")
MAX_TEXT = 10_000


class PermissionsError(DomainError):
    """A request the permissions part refuses, with the reason."""


# --- shapes ------------------------------------------------------------------------------


class PermissionCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    power: str = Field(max_length=32)
    title: str = Field(max_length=200)
    targets: list[str] = Field(default_factory=list)
    country: str | None = Field(default=None, max_length=8)
    assignment_id: int
    necessity: str = Field(default="", max_length=MAX_TEXT)
    proportionality: str = Field(default="", max_length=MAX_TEXT)
    subsidiarity: str = Field(default="", max_length=MAX_TEXT)
    targeting: str = Field(default="", max_length=MAX_TEXT)
    term_months: int
    urgent: bool = False
    marking: MarkingIn


@dataclass(frozen=True, slots=True)
class StepView:
    step: str
    outcome: str
    note: str
    decided_by: str
    decided_at: datetime


@dataclass(frozen=True, slots=True)
class PermissionView:
    id: int
    reference: str
    power: str
    status: str
    regime: str
    urgent: bool
    reviewed: bool
    service: str
    title: str
    targets: tuple[str, ...]
    country: str | None
    assignment_id: int
    assignment_code: str
    assignment_title: str
    necessity: str
    proportionality: str
    subsidiarity: str
    targeting: str
    term_months: int
    valid_from: date | None
    valid_until: date | None
    renews_id: int | None
    renewal_count: int
    destruction_ordered: bool
    destruction_reason: str | None
    marking: Marking
    created_by: str
    created_by_id: int
    created_at: datetime
    decided_at: datetime | None
    steps: tuple[StepView, ...] = ()
    decider: str | None = None  # the role that decides next

    def expiring(self, on: date) -> bool:
        if self.status != "in_use" or self.valid_until is None:
            return False
        days = rules.powers()[self.power].reminder_days if self.power in rules.powers() else 0
        return 0 <= (self.valid_until - on).days <= days


# --- refusals ----------------------------------------------------------------------------


def refusable(
    action: str, key: str = "permission_id", kind: str = TOESTEMMING
) -> Callable[[Callable[Concatenate[Session, P], T]], Callable[Concatenate[Session, P], T]]:
    """Run the work in a savepoint; on a refusal undo it, audit the refusal and raise
    again (:func:`baken.core.refusals.savepoint`). The caller decides whether to commit."""

    def wrap(fn: Callable[Concatenate[Session, P], T]) -> Callable[Concatenate[Session, P], T]:
        @functools.wraps(fn)
        def inner(session: Session, /, *args: P.args, **kwargs: P.kwargs) -> T:
            principal = kwargs.get("principal")
            with refusals.savepoint(
                session,
                principal=principal if isinstance(principal, Principal) else None,
                action=action,
                kind=kind,
                object_id=kwargs.get(key),
            ):
                return fn(session, *args, **kwargs)

        return inner

    return wrap
