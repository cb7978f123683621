"""Personnel security: the standing of the VGBs of a supplier's key staff, asked of
vetting by reference and name (:mod:`baken.vetting.standing`: the NBIV may not read the
screenings, and learns only whether the VGB is valid, its level and scope)."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy.orm import Session

from baken.core.principals import Principal
from baken.vetting.standing import Standing, standing

__all__ = ["Standing", "normalise_ref", "vgbs"]


def normalise_ref(value: str) -> str:
    return "".join(value.split()).upper()


def vgbs(
    session: Session, principal: Principal, staff: Iterable[tuple[str, str]]
) -> dict[tuple[str, str], Standing]:
    """The standing of the VGBs of ``staff`` (reference, name) whose reference and name
    match, by the pair (the question is audited by vetting)."""
    return standing(session, principal, staff)
