"""Steering shapes: what comes in (…Create) and what goes out (…Public, with marking)."""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from baken.core.markings import Marking
from baken.core.schemas import MarkingIn
from baken.steering import vocab

REF = re.compile(r"^[A-Z]{1,4}-[0-9]{1,5}$")
STAATSCOURANT = re.compile(r"^Stcrt\. [0-9]{4}, [0-9]{1,6}$")


class Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, arbitrary_types_allowed=True)


class RequirementCreate(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    ref: str = Field(description="Stable code across GA versions, e.g. BH-0042")
    question: str = Field(min_length=5, max_length=4000)
    theme: str
    ministry: str
    priority: int = Field(ge=1, le=5, description="1 highest, 5 lowest")
    service: str
    task: str
    marking: MarkingIn

    @field_validator("ref")
    @classmethod
    def _ref(cls, value: str) -> str:
        if not REF.fullmatch(value):
            raise ValueError("use a code like BH-0042")
        return value

    @field_validator("theme")
    @classmethod
    def _theme(cls, value: str) -> str:
        if value not in vocab.codes("themes"):
            raise ValueError("unknown theme")
        return value

    @field_validator("ministry")
    @classmethod
    def _ministry(cls, value: str) -> str:
        if value not in vocab.codes("ministries"):
            raise ValueError("unknown ministry")
        return value

    @model_validator(mode="after")
    def _task_of_service(self) -> RequirementCreate:
        if self.service not in ("AIVD", "MIVD", "JOINT"):
            raise ValueError("service must be AIVD, MIVD or JOINT")
        allowed = set(vocab.tasks("AIVD")) | set(vocab.tasks("MIVD"))
        if self.service != "JOINT":
            allowed = set(vocab.tasks(self.service))
        if self.task not in allowed:
            raise ValueError("this task is not one of the service's tasks")
        return self


class RequirementPublic(Frozen):
    id: int
    ref: str
    question: str
    theme: str
    ministry: str
    priority: int
    service: str
    task: str
    marking: Marking


class GaVersionPublic(Frozen):
    id: int
    label: str
    period_start: int
    period_end: int
    update_year: int
    status: str
    staatscourant_ref: str | None
    based_on_id: int | None
    marking: Marking
    created_at: datetime
    requirement_count: int


class GaDiff(Frozen):
    added: list[RequirementPublic]
    removed: list[RequirementPublic]
    changed: list[tuple[RequirementPublic, RequirementPublic, list[str]]]


class GaUpdateCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    update_year: int = Field(ge=2000, le=2100)


class Establish(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    staatscourant_ref: str

    @field_validator("staatscourant_ref")
    @classmethod
    def _ref(cls, value: str) -> str:
        if not STAATSCOURANT.fullmatch(value):
            raise ValueError("use the form 'Stcrt. 2026, 12345'")
        return value


class AssignmentPublic(Frozen):
    id: int
    code: str
    title: str
    description: str
    theme: str
    min_fte: float
    max_fte: float
    skill_mix: dict[str, float]
    cost_meur_per_fte: float
    mandatory: bool
    joint_with: str | None
    joint_share: float
    covers: dict[str, float]
    marking: Marking


class CapacityPublic(Frozen):
    unit: str
    skill: str
    fte: float


class BudgetLinePublic(Frozen):
    label: str
    amount_meur: float


class JaarplanPublic(Frozen):
    id: int
    service: str
    year: int
    ga_version_id: int
    title: str
    budget_meur: float
    marking: Marking
    assignments: list[AssignmentPublic]
    capacity: list[CapacityPublic]
    budget_lines: list[BudgetLinePublic]
    targets: dict[str, int]


class JaarplanSummary(Frozen):
    id: int
    service: str
    year: int
    title: str
    marking: Marking


class PlanVersionPublic(Frozen):
    id: int
    jaarplan_id: int
    number: int
    created_at: datetime
    created_by: str
    note: str
    pins: list[str]
    excludes: list[str]
    status: str
    objective: float | None
    result: dict[str, Any]
    marking: Marking


class SolveRequest(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    pins: list[str] = Field(default_factory=list, max_length=1000)
    excludes: list[str] = Field(default_factory=list, max_length=1000)
    note: str = Field(default="", max_length=2000)
    extra_fte: dict[str, float] = Field(default_factory=dict)
    extra_budget_meur: float = Field(default=0.0, ge=-100_000, le=100_000)


class ProgressEntryCreate(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    assignment_id: int
    status: str
    narrative: str = Field(min_length=1, max_length=8000)
    indicators: dict[str, float] = Field(default_factory=dict, max_length=20)

    @field_validator("status")
    @classmethod
    def _status(cls, value: str) -> str:
        if value not in vocab.codes("progress_status"):
            raise ValueError("unknown status")
        return value

    @field_validator("indicators")
    @classmethod
    def _indicators(cls, value: dict[str, float]) -> dict[str, float]:
        for name, number in value.items():
            if not 1 <= len(name) <= 60:
                raise ValueError("indicator names are 1-60 characters")
            if not -1e9 <= number <= 1e9:
                raise ValueError("indicator value out of range")
        return value


class ProgressEntryPublic(Frozen):
    assignment_id: int
    assignment_code: str
    assignment_title: str
    theme: str
    status: str
    narrative: str
    indicators: dict[str, float]
    marking: Marking


class ProgressReportPublic(Frozen):
    id: int
    jaarplan_id: int
    period: int
    status: str
    marking: Marking
    entries: list[ProgressEntryPublic]


class PlanTextCreate(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    section: str
    heading: str = Field(min_length=1, max_length=200)
    body: str = Field(min_length=1, max_length=40_000)
    marking: MarkingIn

    @field_validator("section")
    @classmethod
    def _section(cls, value: str) -> str:
        known = set(vocab.codes("letter_sections"))
        theme = value.removeprefix("prioriteiten:")
        if value not in known and not (
            value.startswith("prioriteiten:") and theme in vocab.codes("themes")
        ):
            raise ValueError("unknown section")
        return value


class PlanTextPublic(Frozen):
    id: int
    jaarplan_id: int
    section: str
    heading: str
    body: str
    marking: Marking
    sanitised_from_id: int | None
    public: bool


class GaVersionCreate(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    label: str = Field(min_length=3, max_length=200)
    period_start: int = Field(ge=2000, le=2100)
    period_end: int = Field(ge=2000, le=2100)
    marking: MarkingIn

    @model_validator(mode="after")
    def _period(self) -> GaVersionCreate:
        if self.period_end < self.period_start or self.period_end - self.period_start > 5:
            raise ValueError("the period runs forward and lasts at most five years")
        return self


class CapacityIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    unit: str = Field(min_length=1, max_length=32)
    skill: str = Field(pattern=r"^[a-z][a-z0-9-]{1,31}$")
    fte: float = Field(ge=0, le=100_000)


class BudgetLineIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    label: str = Field(min_length=1, max_length=200)
    amount_meur: float = Field(ge=-100_000, le=100_000)


class JaarplanCreate(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    service: str = Field(pattern="^(AIVD|MIVD)$")
    year: int = Field(ge=2000, le=2100)
    ga_version_id: int
    title: str = Field(min_length=3, max_length=200)
    budget_meur: float = Field(ge=0, le=100_000, description="Budget for the assignments")
    marking: MarkingIn
    capacity: list[CapacityIn] = Field(default_factory=list, max_length=1000)
    budget_lines: list[BudgetLineIn] = Field(default_factory=list, max_length=200)
    targets: dict[str, int] = Field(default_factory=dict)

    @field_validator("targets")
    @classmethod
    def _targets(cls, value: dict[str, int]) -> dict[str, int]:
        unknown = set(value) - set(vocab.codes("targets"))
        if unknown:
            raise ValueError("unknown target")
        if any(v < 0 for v in value.values()):
            raise ValueError("a target cannot be negative")
        return value


class AssignmentCreate(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    code: str = Field(pattern=r"^[A-Z0-9][A-Z0-9-]{1,31}$")
    title: str = Field(min_length=3, max_length=200)
    description: str = Field(default="", max_length=8000)
    theme: str
    min_fte: float = Field(ge=0, le=10_000)
    max_fte: float = Field(gt=0, le=10_000)
    skill_mix: dict[str, float]
    cost_meur_per_fte: float = Field(ge=0, le=100)
    mandatory: bool = False
    joint_with: str | None = None
    joint_share: float = Field(default=0.0, ge=0, le=10)
    covers: dict[str, float] = Field(default_factory=dict)
    marking: MarkingIn

    @field_validator("theme")
    @classmethod
    def _theme(cls, value: str) -> str:
        if value not in vocab.codes("themes"):
            raise ValueError("unknown theme")
        return value

    @model_validator(mode="after")
    def _numbers(self) -> AssignmentCreate:
        if self.min_fte > self.max_fte:
            raise ValueError("the minimum effort exceeds the maximum")
        if not self.skill_mix or abs(sum(self.skill_mix.values()) - 1) > 1e-6:
            raise ValueError("the skill mix must add up to 1")
        if any(v < 0 for v in self.skill_mix.values()):
            raise ValueError("a skill share cannot be negative")
        if any(not 0 <= v <= 1 for v in self.covers.values()):
            raise ValueError("coverage is a fraction between 0 and 1")
        if self.joint_with == self.code:
            raise ValueError("an assignment cannot be joint with itself")
        return self
