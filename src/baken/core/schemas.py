"""Shapes shared by every module: a marking as entered in a form or the API."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field, field_validator

from baken.core.markings import Level, Marking, Service, organisation_codes, valid_code


def _codes(value: object) -> frozenset[str]:
    if isinstance(value, str):
        value = [v for v in value.replace(";", ",").split(",")]
    if not isinstance(value, list | tuple | set | frozenset):
        raise ValueError("a list of codes")
    return frozenset(str(v).strip().upper() for v in value if str(v).strip())


class MarkingIn(BaseModel):
    """A marking as sent by a user; ``to_marking`` makes the value the kernel uses."""

    model_config = ConfigDict(extra="forbid")

    level: Level = Field(description="0 ongerubriceerd … 4 Stg. Zeer Geheim")
    owner: Service = Service.JOINT
    compartments: frozenset[str] = frozenset()
    originators: frozenset[str] = frozenset()
    releasable_to: frozenset[str] = frozenset()

    @field_validator("level", mode="before")
    @classmethod
    def _level(cls, value: object) -> object:
        if isinstance(value, str) and not value.isdigit():
            try:
                return Level[value.strip().upper()]
            except KeyError:
                raise ValueError(f"unknown level {value}") from None
        return value

    @field_validator("compartments", mode="before")
    @classmethod
    def _compartments(cls, value: object) -> frozenset[str]:
        return frozenset(valid_code(c) for c in _codes(value))

    @field_validator("originators", "releasable_to", mode="before")
    @classmethod
    def _organisations(cls, value: object) -> frozenset[str]:
        codes = _codes(value)
        unknown = codes - organisation_codes()
        if unknown:
            raise ValueError(f"unknown organisations: {', '.join(sorted(unknown))}")
        return codes

    @classmethod
    def of(cls, marking: Marking) -> MarkingIn:
        return cls(
            level=marking.level,
            owner=marking.owner,
            compartments=marking.compartments,
            originators=marking.originators,
            releasable_to=marking.releasable_to,
        )

    def to_marking(self) -> Marking:
        return Marking(
            level=self.level,
            owner=self.owner,
            compartments=self.compartments,
            originators=self.originators,
            releasable_to=self.releasable_to,
        )


class MarkingOut(BaseModel):
    model_config = ConfigDict(frozen=True)

    level: str
    owner: str
    compartments: list[str]
    originators: list[str]
    releasable_to: list[str]
    banner: str

    @classmethod
    def of(cls, marking: Marking, locale: str = "nl") -> MarkingOut:
        return cls(
            level=marking.level.name,
            owner=marking.owner.value,
            compartments=sorted(marking.compartments),
            originators=sorted(marking.originators),
            releasable_to=sorted(marking.releasable_to),
            banner=marking.banner(locale),
        )
