from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field

from baken.core.markings import Marking
from baken.core.schemas import MarkingIn


class NoticeCreate(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    title: str = Field(min_length=1, max_length=200)
    body: str = Field(min_length=1, max_length=20_000)
    marking: MarkingIn


class NoticePublic(BaseModel):
    model_config = ConfigDict(frozen=True, arbitrary_types_allowed=True)

    id: int
    title: str
    body: str
    marking: Marking
    author: str
    created_at: datetime
    sanitised_from_id: int | None = Field(
        description="Set when this is a sanitised version; only shown if the source is "
        "readable too."
    )
