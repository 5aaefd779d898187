"""What the review-queue API returns (``/api/v1/suggestions``)."""

from __future__ import annotations

from pydantic import Field

from rightsdesk.web.schemas import ApiModel

__all__ = ["SuggestionList", "SuggestionOut"]


class SuggestionOut(ApiModel):
    """A label the model proposes for a recommendation, with the text it was made for."""

    id: int
    recommendation_id: int
    text: str
    state_iso3: str
    session: int | None
    kind: str = Field(description="theme or action")
    label: str = Field(description="A UPR Info theme, or the action category '1'..'5'.")
    confidence: float = Field(ge=0, le=1)
    status: str = Field(description="pending, accepted or rejected")
    model_version: str
    created_at: str = Field(description="ISO 8601 date and time.")
    reviewed_by: str | None
    reviewed_at: str | None = Field(description="ISO 8601 date and time.")


class SuggestionList(ApiModel):
    """A page of the queue, most confident first."""

    total: int
    offset: int
    items: list[SuggestionOut]
