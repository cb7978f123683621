"""Holdings shapes: what comes in (…Create) and what goes out (…Public, with marking)."""

from __future__ import annotations

import re
from datetime import date, datetime

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from baken.core.markings import Marking, organisation_codes
from baken.core.schemas import MarkingIn
from baken.holdings import vocab

NAME = re.compile(r"^[a-z0-9][a-z0-9_-]{1,62}$")
PERMISSION_REF = re.compile(r"^[A-Z0-9][A-Z0-9/._-]{2,63}$")


class Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, arbitrary_types_allowed=True)


class CollectionCreate(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    name: str = Field(description="Short name, e.g. osint-2026 (a-z, 0-9, - and _)")
    title: str = Field(min_length=3, max_length=200)
    description: str = Field(default="", max_length=4000)
    kind: str = "documents"
    legal_basis: str
    originator: str | None = Field(default=None, description="The partner, for partner data")
    permission_ref: str | None = Field(
        default=None, description="Reference of the permission for a special power"
    )
    acquired_on: date
    retention_until: date | None = None
    marking: MarkingIn

    @field_validator("name")
    @classmethod
    def _name(cls, value: str) -> str:
        value = value.lower()
        if not NAME.fullmatch(value):
            raise ValueError("use 2-63 characters: a-z, 0-9, - and _")
        return value

    @field_validator("kind")
    @classmethod
    def _kind(cls, value: str) -> str:
        if value not in vocab.codes("collection_kinds"):
            raise ValueError("unknown collection kind")
        return value

    @field_validator("legal_basis")
    @classmethod
    def _basis(cls, value: str) -> str:
        if value not in vocab.codes("legal_bases"):
            raise ValueError("unknown legal basis")
        return value

    @field_validator("originator", "permission_ref", mode="before")
    @classmethod
    def _blank(cls, value: object) -> object:
        return None if isinstance(value, str) and not value.strip() else value

    @model_validator(mode="after")
    def _basis_fields(self) -> CollectionCreate:
        if self.legal_basis == "partner":
            if not self.originator:
                raise ValueError("partner data needs its originator (third-party rule)")
            self.originator = self.originator.upper()
            if self.originator not in organisation_codes():
                raise ValueError("unknown originator")
        elif self.originator:
            raise ValueError("only partner data has an originator")
        if self.legal_basis == "special_power":
            if not self.permission_ref or not PERMISSION_REF.fullmatch(self.permission_ref):
                raise ValueError("a special power needs the reference of its permission")
        elif self.permission_ref:
            raise ValueError("only data from a special power has a permission reference")
        if self.acquired_on > date.today():
            raise ValueError("the acquisition date lies in the future")
        if self.retention_until is not None and self.retention_until < self.acquired_on:
            raise ValueError("retention ends before the acquisition date")
        return self


class CollectionPublic(Frozen):
    id: int
    name: str
    title: str
    description: str
    kind: str
    service: str
    unit: str | None
    legal_basis: str
    originator: str | None
    permission_ref: str | None
    acquired_on: date
    retention_until: date | None
    marking: Marking
    created_at: datetime
    counts: dict[str, int] = Field(default_factory=dict)  # documents by state
    statements: int = 0


class DocumentSummary(Frozen):
    id: int
    collection_id: int
    parent_id: int | None
    name: str
    mime: str | None
    size: int
    title: str | None
    language: str | None
    state: str
    quarantine_reason: str | None
    quarantine_detail: str | None
    error: str | None
    marking: Marking
    created_at: datetime


class DocumentPublic(DocumentSummary):
    sha256: str | None
    pages: int | None
    ocr: bool
    countries: list[str]
    text: str | None
    extracted_at: datetime | None
    language_at: datetime | None
    ner_at: datetime | None
    ner_engine: str | None
    children: list[DocumentSummary] = Field(default_factory=list)
    mentions: list[MentionLink] = Field(default_factory=list)


class MentionLink(Frozen):
    entity_id: str
    schema_name: str
    name: str
    marking: Marking


class ValueView(Frozen):
    value: str
    marking: Marking
    collection: str
    collection_id: int
    document_id: int | None
    origin: str
    first_seen: datetime
    last_seen: datetime


class EntityView(Frozen):
    id: str
    schema_name: str
    caption: str
    marking: Marking  # high-water of the statements shown
    properties: dict[str, list[ValueView]]
    documents: list[DocumentSummary] = Field(default_factory=list)


class JobPublic(Frozen):
    id: int
    kind: str
    collection_id: int | None
    state: str
    done: int
    total: int
    error: str | None
    marking: Marking
    created_at: datetime
    finished_at: datetime | None


DocumentPublic.model_rebuild()
