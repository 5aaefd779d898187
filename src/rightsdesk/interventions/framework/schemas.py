"""What the framework API takes and returns (``/api/v1/interventions/framework/...``)."""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, Field

from rightsdesk.web.schemas import ApiModel, UtcDateTime


class IndicatorRef(ApiModel):
    code: str = Field(description='The number the framework gives it, e.g. "7.14".')
    text: str
    check: bool = Field(description="Wording to check against the published PDF.")


class FactorRef(ApiModel):
    number: int
    group: str = Field(description="common (1-8) or specific (9-14).")
    crime: str | None = Field(description="The crime a specific factor relates to.")
    title: str
    description: str
    indicators: list[IndicatorRef]


class FactorsOut(ApiModel):
    """The UN Framework of Analysis for Atrocity Crimes (2014): 14 risk factors."""

    citation: str
    short: str
    url: str
    wording_checked_against_pdf: bool
    factors: list[FactorRef]


class EvidenceOut(ApiModel):
    kind: str
    kind_label: str
    ref: str | None = Field(description="None: a record the caller may not read.")
    label: str
    url: str | None
    note: str | None
    visible: bool
    checked: bool = Field(description="Found through the owning form's service.")


class IndicatorOut(ApiModel):
    code: str
    text: str
    rating: str
    rating_label: str
    note: str | None
    evidence: list[EvidenceOut]
    updated_by: str | None


class FactorOut(ApiModel):
    number: int
    title: str
    group: str
    crime: str | None
    counts: dict[str, int] = Field(description="Indicators per rating.")
    rated: int
    strongest: str | None = Field(description="The strongest indicator rating.")
    strongest_label: str
    indicators: list[IndicatorOut]


class ChangeOut(ApiModel):
    indicator: str
    before: str | None
    after: str | None
    note_changed: bool
    added: list[EvidenceOut]
    removed: list[EvidenceOut]


class AssessmentOut(ApiModel):
    iso3: str
    state: str
    version: int
    status: str = Field(description="draft or final.")
    assessed_on: dt.date
    period_start: dt.date | None
    period_end: dt.date | None
    author: str
    summary: str | None
    finalised_at: UtcDateTime | None
    finalised_by: str | None
    factors_rated: int
    indicators_rated: int
    high_factors: list[str]
    factors: list[FactorOut]
    changes: list[ChangeOut] = Field(description="What changed since previous_version.")
    previous_version: int | None


class VersionOut(ApiModel):
    version: int
    status: str
    assessed_on: dt.date
    author: str
    finalised_by: str | None
    indicators_rated: int


class StateAssessmentOut(ApiModel):
    """A state's assessment as the caller may see it (viewers: final versions only)."""

    iso3: str
    state: str
    assessment: AssessmentOut | None
    history: list[VersionOut]
    source: str


class EvidenceIn(BaseModel):
    kind: str = Field(max_length=20, description="violation-event, recommendation, vote, ...")
    ref: str = Field(max_length=300)
    note: str | None = Field(default=None, max_length=2000)


class RatingIn(BaseModel):
    """One indicator's rating on the state's draft (a new version when the latest is final).
    ``evidence`` replaces the rating's evidence when given; ``note`` None keeps the note."""

    indicator: str = Field(max_length=8, examples=["7.14"])
    rating: str = Field(max_length=20, examples=["high"])
    note: str | None = Field(default=None, max_length=5000)
    evidence: list[EvidenceIn] | None = Field(default=None, max_length=50)


class RatingOut(ApiModel):
    iso3: str
    version: int
    indicator: str
    rating: str
    note: str | None
    evidence: int = Field(description="Evidence links on the rating.")
