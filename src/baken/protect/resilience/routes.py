"""Pages and API of protect (resilience)."""

from __future__ import annotations

from fastapi import APIRouter

pages = APIRouter(tags=["pages"], include_in_schema=False)
api = APIRouter(prefix="/api/v1/protect", tags=["protect"])
