"""What the vote-integrity and vote-correction API takes and returns.

Dates are ISO 8601 (``YYYY-MM-DD``); counts are yes/no/abstain.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from rightsdesk.web.schemas import ApiModel, UtcDateTime


class Counts(ApiModel):
    yes: int
    no: int
    abstain: int


class FindingOut(ApiModel):
    """A roll call whose totals do not hold together, with its likely causes."""

    roll_call_id: int
    body: str
    symbol: str | None
    date: dt.date
    kinds: list[str] = Field(description="mismatch and/or impossible (more than the members)")
    official: Counts | None = Field(description="As published; null where the source has none.")
    nonvoting_official: int | None
    recorded: Counts = Field(description="The per-state votes recorded, counted.")
    recorded_absent: int
    difference: Counts | None = Field(description="Recorded minus official.")
    members: int | None = Field(description="Members of the body at the date, if known.")
    causes: list[str] = Field(description="Likely causes, most certain first.")
    cause: str = Field(description="The causes in one line.")


class IntegrityOut(ApiModel):
    """Every roll call of a body whose official totals and recorded votes disagree, or exceed
    the body's membership."""

    body: str
    mismatches: int
    impossible: int
    findings: list[FindingOut]


class CorrectionIn(BaseModel):
    """A vote a state later said it meant differently."""

    model_config = ConfigDict(extra="forbid")

    state: str = Field(min_length=1, max_length=120, description="State name or ISO3 code.")
    vote: Literal["yes", "no", "abstain", "absent"] = Field(description="The vote it meant.")
    source: str = Field(
        min_length=1, max_length=1000, description="Where it said so: symbol, URL or citation."
    )
    date: dt.date = Field(description="Date of the statement.")
    note: str | None = Field(None, max_length=2000)


class CorrectionOut(ApiModel):
    """A recorded correction beside the official vote (which stands)."""

    id: int
    roll_call_id: int
    body: str
    symbol: str | None
    title: str
    vote_date: dt.date
    iso3: str
    state: str
    recorded_vote: str = Field(description="The vote in the official record.")
    intended_vote: str = Field(description="The vote the state said it meant.")
    source: str
    stated_on: dt.date
    note: str | None
    created_by: str
    created_at: UtcDateTime
