"""The shapes of the API's requests and answers (docs/FORMATS.md, "API v1").

The answers' field names are the columns of ``progress.csv`` and ``status.csv``: the API says
what the files say, numbers as JSON numbers and an empty cell as ``null``.
"""

from datetime import datetime

from django.conf import settings
from django.utils import timezone
from ninja import Field, Schema
from pydantic import ConfigDict, field_validator

# Numbers keep their kind: a whole target is 80, not 80.0; a percentage 96.2.
Number = int | float


class ErrorOut(Schema):
    """Every error: the message in Vietnamese (``detail``) and in English."""

    model_config = ConfigDict(extra="allow")

    detail: str
    detail_en: str


class RowErrorOut(Schema):
    index: int | None = Field(
        description="Position of the result in the list sent, from 0; null: the whole request."
    )
    field: str | None = Field(description="The key the message is about; null: the whole row.")
    message: str
    message_en: str


class RowErrorsOut(ErrorOut):
    errors: list[RowErrorOut]


class ConflictOut(Schema):
    index: int
    agency_code: str
    indicator_code: str
    message: str
    message_en: str
    current: "ResultOut | None"


class ConflictsOut(ErrorOut):
    conflicts: list[ConflictOut]


class ProvinceOut(Schema):
    code: str
    name: str


class PlanOut(Schema):
    year: int
    status: str = Field(description="draft, open or closed.")
    title: str


class TargetProgressOut(Schema):
    """One row of progress.csv."""

    province_code: str
    year: int
    indicator_code: str
    tiers: str
    comparator: str
    target: Number
    unit: str
    achieved: Number | None
    numerator: int | None
    denominator: int | None
    agencies_reporting: int
    agencies_in_scope: int
    status: str


class ProgressOut(Schema):
    province_code: str
    year: int
    status: str = Field(description="The plan's status: draft, open or closed.")
    figures_as_of: datetime | None = Field(
        description="When a figure of the plan last changed (Vietnam time); null: never."
    )
    targets: list[TargetProgressOut]


class AgencyStatusOut(Schema):
    """One row of status.csv; a column added to the file later comes through as well."""

    model_config = ConfigDict(extra="allow")

    agency_code: str
    agency_name: str
    tier: str
    state: str
    submitted_at: datetime | None
    approved_at: datetime | None
    late: bool
    changed_since_approval: bool


class StatusOut(Schema):
    province_code: str
    year: int
    agencies: list[AgencyStatusOut]


class ResultOut(Schema):
    agency_code: str
    indicator_code: str
    year: int
    value: int | None
    numerator: int | None
    denominator: int | None
    note: str
    version: int = Field(description="Send it back as ``version`` to update only this state.")
    updated_at: datetime | None
    updated_by: str | None = Field(description="The name of the person (or token owner).")

    @staticmethod
    def resolve_agency_code(result) -> str:
        return result.agency.code

    @staticmethod
    def resolve_indicator_code(result) -> str:
        return result.indicator.code

    @staticmethod
    def resolve_updated_at(result):
        return result.updated_at and timezone.localtime(result.updated_at)

    @staticmethod
    def resolve_updated_by(result) -> str | None:
        user = result.updated_by
        return user and (user.get_full_name() or user.get_username())


ConflictOut.model_rebuild()


class IndicatorOut(Schema):
    code: str
    name_vi: str
    name_en: str
    group: str
    kind: str
    numerator_label: str
    denominator_label: str
    concept_vi: str
    concept_en: str
    numerator_definition_vi: str
    numerator_definition_en: str
    denominator_definition_vi: str
    denominator_definition_en: str
    formula_vi: str
    formula_en: str
    legal_basis_vi: str
    legal_basis_en: str
    source_vi: str
    source_en: str


def _no_nul(text: str | None) -> str | None:
    # PostgreSQL refuses NUL in text; no honest client sends one.
    if text is not None and "\x00" in text:
        raise ValueError("NUL")
    return text


class ResultIn(Schema):
    """One result, as a row of results.csv without its year (the address gives it)."""

    model_config = ConfigDict(extra="forbid")

    agency_code: str
    indicator_code: str
    value: int | bool | str | None = Field(
        default=None,
        description="yes_no: true/false, 1/0 or a yes/no word; count: a whole number; "
        "ratio: null.",
    )
    numerator: int | None = None
    denominator: int | None = None
    note: str | None = None
    version: int | None = Field(
        default=None, ge=0,
        description="The version read (0: no result then). Given, a result changed since is "
        "refused with 409.",
    )

    @field_validator("agency_code", "indicator_code", "note")
    @classmethod
    def no_nul(cls, text):
        return _no_nul(text)

    @field_validator("value")
    @classmethod
    def value_no_nul(cls, value):
        return _no_nul(value) if isinstance(value, str) else value


class ResultsIn(Schema):
    model_config = ConfigDict(extra="forbid")

    results: list[ResultIn] = Field(max_length=settings.API_MAX_RESULTS)
    dry_run: bool = False


class ResultsWrittenOut(Schema):
    created: int
    updated: int
    unchanged: int
    skipped_blank: int
    dry_run: bool
