"""Pages and API of vetting (portal)."""

from __future__ import annotations

from fastapi import APIRouter

pages = APIRouter(tags=["pages"], include_in_schema=False)
api = APIRouter(prefix="/api/v1/vetting", tags=["vetting"])
