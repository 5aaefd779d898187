"""What the votes API returns (``/api/v1/votes``, agreement, bloc cohesion).

Shares are numbers from 0 to 1 given to ten decimals; dates are ISO 8601 (``YYYY-MM-DD``).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from pydantic import Field

from rightsdesk.web.schemas import ApiModel, ProvenanceOut


class OfficialTotals(ApiModel):
    """The totals as published by the body (a show of hands has them too)."""

    yes: int | None
    no: int | None
    abstain: int | None


class RecordedTotals(ApiModel):
    """The per-state votes recorded in the store, counted."""

    yes: int
    no: int
    abstain: int
    absent: int


class RollCallRow(ApiModel):
    """A resolution or decision, and its roll call where there was one (else the roll call's
    fields are null)."""

    roll_call_id: int | None
    resolution_id: int
    body: str = Field(description="unga, unga-c3, hrc or chr")
    session: int | None
    date: dt.date | None
    symbol: str | None
    title: str
    adoption: str = Field(description="recorded, without-vote, non-recorded, withdrawn, ...")
    is_amendment: bool | None
    is_paragraph: bool | None
    issues: list[str] = Field(description="Issue codes, e.g. hr (human rights).")
    official: OfficialTotals | None
    recorded: RecordedTotals | None
    dataset_id: int | None


class VotePage(ApiModel):
    """One page of resolutions and roll calls, newest first."""

    total: int = Field(description="Matches over all pages.")
    page: int
    page_size: int
    items: list[RollCallRow]


class StateVoteOut(ApiModel):
    iso3: str
    state: str
    vote: str = Field(description="yes, no, abstain, absent or non-member")
    group: str = Field(description="UN regional group now, or other.")


class GroupCounts(ApiModel):
    """How the members of one UN regional group voted."""

    group: str
    yes: int
    no: int
    abstain: int
    absent: int
    non_member: int = Field(alias="non-member")


class RollCallDetail(RollCallRow):
    """One roll call: its resolution, official and recorded totals, every state's vote."""

    description: str | None
    source: str = Field(description="unvotes or hrc")
    source_id: str = Field(description="The source's own id (unvotes rcid, OHCHR record).")
    agenda_item: str | None
    agenda_title: str | None
    main_sponsors: str | None
    subject: str | None = Field(None, description="Subject descriptors (UNBIS), not the title.")
    url: str | None
    votes: list[StateVoteOut]
    by_group: list[GroupCounts]


class AgreementRow(ApiModel):
    partner: str
    agreement: float
    votes: int = Field(description="Roll calls the measure counts.")
    same: int = Field(description="Identical votes, both abstaining included.")
    opposite: int = Field(description="Yes against no.")
    partial: int = Field(description="One abstained, the other voted yes or no.")


class AgreementOut(ApiModel):
    """A state's agreement with its partners, highest first."""

    iso3: str
    record: str = Field(
        "official", description="official, or corrected: the vote record the figures read"
    )
    measure: str = Field(description="coincidence or voeten")
    body: str
    issue: str | None
    partners: list[AgreementRow]
    provenance: ProvenanceOut | None = None


class CohesionYear(ApiModel):
    year: int
    members: int = Field(
        description="States that were members at the dates of the year's roll calls (max)."
    )
    cohesion: float = Field(description="Hix-Noury-Roland agreement index, mean over roll calls.")
    roll_calls: int
    voters: float = Field(description="Members voting, mean over roll calls.")


class Defector(ApiModel):
    iso3: str
    votes: int = Field(description="Roll calls with a group line on which the member voted.")
    defections: int
    rate: float


class CohesionOut(ApiModel):
    """A group's cohesion per year and its members' defection rates."""

    group: str
    members: list[str]
    cohesion: list[CohesionYear]
    defectors: list[Defector]
    provenance: ProvenanceOut | None = None


class ShowTotals(ApiModel):
    yes: int
    no: int
    abstain: int
    absent: int = Field(description="Members at the date that did not vote (absent / non-voting).")


class ShowVote(ApiModel):
    iso3: str
    vote: str = Field(description="yes, no, abstain or absent")


class ResolutionOut(ApiModel):
    """One resolution as ``rightsdesk negotiation votes show`` prints it."""

    symbol: str | None
    title: str
    date: dt.date | None
    body: str
    session: int | None
    totals: ShowTotals
    votes: list[ShowVote]
    provenance: dict[str, Any] = Field(description="datasets used and the latest date they hold")


class Veto(ApiModel):
    roll_call_id: int | None = Field(description="the roll call, where a vote export has it")
    symbol: str | None
    title: str
    date: dt.date | None
    vetoed_by: list[str] = Field(description="ISO3 of the permanent members voting no")
    meeting: str | None = Field(None, description="meeting record (S/PV...)")
    topic: str | None = Field(None, description="crisis topic (vetoes dataset)")
    region: str | None = None


class CouncilOut(ApiModel):
    """Security Council vetoes (failed drafts with a permanent member's no), per member."""

    per_member: dict[str, int]
    vetoes: list[Veto]
