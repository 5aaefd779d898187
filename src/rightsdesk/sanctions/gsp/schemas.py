"""Response models of the GSP+ JSON API (``/api/v1/sanctions/gsp...``)."""

from __future__ import annotations

from pydantic import Field

from rightsdesk.web.schemas import ApiModel


class EvidenceOut(ApiModel):
    status: str
    date: str | None
    as_of: str | None = Field(description="The date the source speaks for.")
    source: str
    origin: str = Field(description="treaties, recorded or depositary-absence.")
    note: str | None
    entered_by: str | None = Field(description="The editor who recorded it; null for imports.")


class CellOut(ApiModel):
    convention: str
    status: str = Field(description="ratified, signed, not-ratified, denounced or unknown.")
    date: str | None
    as_of: str | None
    source: str | None
    origin: str | None
    note: str | None
    disagree: bool = Field(description="Other sources give a different status.")
    other_sources: list[EvidenceOut]


class StateConformityOut(ApiModel):
    iso3: str
    name: str
    ratified: int
    unknown: int = Field(description="Conventions no source records (never 'not ratified').")
    missing: int = Field(description="Signed only, not ratified or denounced, per a source.")
    could_qualify: bool = Field(description="All 27 ratified per the recorded data.")
    cells: list[CellOut]


class ConventionOut(ApiModel):
    item: int = Field(description="The convention's number in Annex VIII (1-27).")
    key: str
    short: str
    title: str
    part: str
    group: str
    adopted: int
    known_from: str = Field(description="treaties (the negotiation form's data) or recorded.")
    importers: list[str]


class GspTableOut(ApiModel):
    regulation: str
    conventions: list[ConventionOut]
    states: list[StateConformityOut]


class StatusIn(ApiModel):
    """One source's status of a state towards a convention, as an API client sends it."""

    convention: str = Field(description="Key or alias: C029, C138, KYOTO, UNCAC, ...")
    status: str = Field(description="ratified, signed, not-ratified, denounced, or unknown.")
    source: str = Field(description="Who says so (required, at most 200 characters).")
    date: str | None = Field(default=None, description="Date of the act, YYYY-MM-DD.")
    as_of: str | None = Field(default=None, description="Date the source speaks for.")
    note: str | None = None
