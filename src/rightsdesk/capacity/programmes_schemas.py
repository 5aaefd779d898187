"""Shapes of the programmes list and the programme page, for the JSON API and the templates
alike (``/api/v1/capacity/programmes``): codes always come with their words."""

from __future__ import annotations

import datetime as dt
from typing import Any

from pydantic import Field

from rightsdesk.capacity.money import MoneyOut
from rightsdesk.web.schemas import ApiModel


class FacetValue(ApiModel):
    value: str
    label: str
    count: int
    selected: bool = False


class ProgrammeItem(ApiModel):
    """One programme in a list."""

    id: int
    iati_identifier: str
    title: str
    reporting_org: str | None
    reporting_org_ref: str | None
    status: str | None = Field(description="Activity status in words.")
    start: dt.date | None = Field(description="Actual start, else planned.")
    end: dt.date | None = Field(description="Actual end, else planned.")
    recipients: list[str] = Field(description="Recipient states and regions, by name.")


class ProgrammeSearch(ApiModel):
    """A page of programmes matching the filters, with facet counts."""

    total: int
    page: int
    per_page: int
    pages: int
    filters: dict[str, list[str]]
    items: list[ProgrammeItem]
    facets: dict[str, list[FacetValue]] = Field(
        description="Per filter: values with the number of programmes matching the other filters."
    )


class ParticipantOut(ApiModel):
    role: str = Field(description="IATI OrganisationRole code as stored.")
    role_label: str = Field(description="funding, accountable, extending or implementing.")
    name: str | None
    org_ref: str | None
    org_type: str | None
    org_type_label: str | None


class RecipientOut(ApiModel):
    state_iso3: str | None
    region_code: str | None
    name: str
    percentage: float | None


class SectorOut(ApiModel):
    vocabulary: str
    code: str | None
    name: str
    percentage: float | None


class BudgetOut(ApiModel):
    kind: str
    status: str | None
    year: int | None
    period_start: dt.date | None
    period_end: dt.date | None
    amount: MoneyOut


class TransactionOut(ApiModel):
    type_code: str
    type_label: str
    date: dt.date | None
    year: int | None
    amount: MoneyOut
    provider: str | None
    receiver: str | None
    description: str | None


class YearTotal(ApiModel):
    """Budgets or transactions of one kind summed per year and currency (never across)."""

    year: int | None
    what: str
    currency: str | None
    total: float


class IndicatorOut(ApiModel):
    result_title: str | None
    title: str
    measure: str | None
    baseline_year: int | None
    baseline_value: str | None
    target_year: int | None
    target_value: str | None
    actual_value: str | None


class DocumentOut(ApiModel):
    url: str
    title: str | None
    format: str | None


class ActivityOut(ApiModel):
    id: int
    title: str
    description: str | None
    start_date: dt.date | None
    end_date: dt.date | None
    status: str | None


class DatasetRef(ApiModel):
    id: int
    kind: str
    file: str
    source: str
    imported: str


class ProgrammeDetail(ApiModel):
    """Everything stored about one programme."""

    id: int
    iati_identifier: str
    title: str
    description: str | None
    reporting_org: str | None
    reporting_org_ref: str | None
    reporting_org_type: str | None
    status_code: str | None
    status: str | None
    planned_start: dt.date | None
    actual_start: dt.date | None
    planned_end: dt.date | None
    actual_end: dt.date | None
    default_currency: str | None
    iati_version: str | None
    last_updated: dt.datetime | None
    created_by: str | None
    participants: list[ParticipantOut]
    recipients: list[RecipientOut]
    sectors: list[SectorOut]
    budgets: list[BudgetOut]
    transactions: list[TransactionOut]
    totals: list[YearTotal]
    indicators: list[IndicatorOut]
    documents: list[DocumentOut]
    activities: list[ActivityOut]
    links: list[dict[str, Any]] = Field(
        description="Recommendations this programme addresses (links made or suggested)."
    )
    dataset: DatasetRef | None = Field(description="The file the programme was imported from.")
