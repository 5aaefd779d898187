"""What the implementation API takes and returns (``/api/v1/implementation/...``)."""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, Field

from rightsdesk.monitoring.tracking.models import IMPLEMENTATION_STATUSES
from rightsdesk.web.schemas import ApiModel

# --- request bodies -------------------------------------------------------------------------


class StatusIn(BaseModel):
    status: str = Field(description=", ".join(IMPLEMENTATION_STATUSES))
    responsible_institutions: str | None = None
    notes: str | None = None


class ClusterStatusIn(StatusIn):
    state_iso3: str


class ActionIn(BaseModel):
    description: str
    due_date: dt.date | None = None


class ActionUpdate(BaseModel):
    done: bool | None = None
    description: str | None = None
    due_date: dt.date | None = None


class IndicatorIn(BaseModel):
    name: str
    target: str | None = None
    value: str | None = None


class IndicatorUpdate(BaseModel):
    target: str | None = None
    value: str | None = None


class ReportIn(BaseModel):
    text: str
    date: dt.date | None = None
    evidence_links: list[str] = Field(default_factory=list)


# --- responses ------------------------------------------------------------------------------


class StateRef(ApiModel):
    """A state by its ISO 3166-1 alpha-3 code, with its name when the store knows it."""

    iso3: str
    name: str | None


class ActionOut(ApiModel):
    id: int
    description: str
    due_date: dt.date | None
    done: bool
    overdue: bool = Field(description="Not done and past its due date.")


class IndicatorOut(ApiModel):
    id: int
    name: str
    target: str | None
    value: str | None


class ReportOut(ApiModel):
    id: int
    date: dt.date
    text: str
    evidence_links: list[str]
    author: str


class RecordOut(ApiModel):
    """An implementation record with its planned actions, indicators and progress reports."""

    id: int
    state_iso3: str
    recommendation_id: int | None = Field(description="Set when the record follows one text.")
    cluster_id: int | None = Field(description="Set when the record follows a cluster.")
    status: str = Field(description=", ".join(IMPLEMENTATION_STATUSES))
    responsible_institutions: str | None
    notes: str | None
    updated_by: str
    updated_at: str = Field(description="ISO 8601 date and time of the last change.")
    actions: list[ActionOut]
    indicators: list[IndicatorOut]
    reports: list[ReportOut]


class OverdueOut(ApiModel):
    id: int
    record_id: int
    description: str
    due_date: dt.date | None


class TimelineOut(ApiModel):
    date: dt.date
    kind: str = Field(description="status, report, due or done")
    text: str
    record_id: int
    overdue: bool


class DashboardOut(ApiModel):
    """A state's implementation picture."""

    state: StateRef
    received: int = Field(description="Recommendations the state received.")
    status_counts: dict[str, int]
    untracked: int = Field(description="Received recommendations that no record follows.")
    overdue: list[OverdueOut]
    records: list[RecordOut]
    timeline: list[TimelineOut]
