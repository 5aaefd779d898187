"""The JSON API's shapes for violations documentation (``/api/v1/violations``).

Request bodies take values as a person would type them (text dates with their precision, a
state's name or code) and are checked by ``event_input``, so the API and the page form give the
same message for the same mistake. Responses are built from ``views`` dataclasses, which have
already replaced what the caller may not see by ``[withheld]``: nothing here decides access.
"""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, ConfigDict, Field

from rightsdesk.web.schemas import ApiModel, UtcDateTime

__all__ = [
    "ActIn",
    "ActOut",
    "ActTypeOut",
    "EventIn",
    "EventOut",
    "EventPageOut",
    "EventRowOut",
    "FacetOut",
    "InvolvementOut",
    "PerpetratorActOut",
    "PerpetratorOut",
    "PerpetratorRefIn",
    "PerpetratorSummaryOut",
    "ResponseIn",
    "ResponseOut",
    "SourceIn",
    "SourceOut",
    "SubordinateOut",
    "VictimIn",
    "VictimOut",
]

Text = str | None
Number = float | str | None
MAX_BLOCKS = 200
WITHHELD_NOTE = 'sensitive: "[withheld]" unless the caller may read sensitive fields'


class _In(BaseModel):
    model_config = ConfigDict(extra="forbid")


class VictimIn(_In):
    id: int | None = Field(default=None, description="A stored victim being edited (PUT).")
    kind: Text = Field(default="person", description="person or group.")
    name: Text = Field(default=None, description="Sensitive: stored encrypted.")
    identity: Text = Field(default=None, description="Sensitive: further identity details.")
    contact: Text = Field(default=None, description="Sensitive: how to reach the victim.")
    sex: Text = Field(default=None, description="female, male, other or unknown.")
    age_group: Text = Field(default=None, description="child, adult, older or unknown.")
    occupation: Text = None
    group_membership: Text = None
    group_size: int | str | None = Field(default=None, description="For a group victim.")
    confidentiality: Text = Field(default=None, description="Empty: the event's level.")


class PerpetratorRefIn(_In):
    perpetrator: str = Field(description="A perpetrator's natural key or exact name.")
    role: Text = Field(default="direct", description="direct, ordered, commanded, aided...")


class ActIn(_In):
    id: int | None = None
    act_type: Text = Field(default=None, description="A code of GET act-types (torture).")
    victim_index: int | None = Field(default=None, description="0-based index in victims.")
    date: Text = Field(default=None, description="YYYY, YYYY-MM or YYYY-MM-DD.")
    description: Text = None
    perpetrators: list[PerpetratorRefIn] = Field(default=[], max_length=MAX_BLOCKS)


class SourceIn(_In):
    id: int | None = None
    source_type: Text = Field(default=None, description="witness, victim, media, ngo, un...")
    reporter_name: Text = Field(default=None, description="Sensitive: stored encrypted.")
    reporter_contact: Text = Field(default=None, description="Sensitive: stored encrypted.")
    organisation: Text = None
    reported_on: Text = None
    method: Text = None
    reliability: Text = Field(default=None, description="Admiralty code A-F (F: not judged).")
    credibility: Text = Field(default=None, description="Admiralty code 1-6 (6: not judged).")
    summary: Text = None
    citation: Text = None
    url: Text = None
    confidentiality: Text = None


class EventIn(_In):
    """An event as entered (POST) or restated (PUT): PUT replaces what the caller can see and
    keeps children they cannot; ``[withheld]`` in a sensitive field keeps the stored value."""

    title: str = Field(description="Required; at most 500 characters.")
    description: Text = None
    start_date: Text = Field(default=None, description="YYYY, YYYY-MM or YYYY-MM-DD.")
    end_date: Text = None
    state_iso3: Text = Field(default=None, description="ISO3, ISO2 or a state's name.")
    area: Text = Field(default=None, description="Coarse place shown to every reader.")
    place: Text = Field(default=None, description="Exact place (encrypted when sensitive).")
    latitude: Number = None
    longitude: Number = None
    location_sensitive: bool = False
    status: Text = Field(default=None, description="reported, under_review, verified, closed.")
    confidentiality: Text = Field(
        default=None,
        description="public, restricted, confidential (default), strictly_confidential.",
    )
    victims: list[VictimIn] = Field(default=[], max_length=MAX_BLOCKS)
    acts: list[ActIn] = Field(default=[], max_length=MAX_BLOCKS)
    sources: list[SourceIn] = Field(default=[], max_length=MAX_BLOCKS)


class ResponseIn(_In):
    kind: str = Field(description="statement, urgent_appeal, demarche, trial_monitoring...")
    actor: str = Field(description="Who acted: a mission, a rapporteur, an NGO.")
    date: Text = None
    description: Text = None
    outcome: Text = None


class VictimOut(ApiModel):
    id: int
    kind: str
    name: str | None = Field(description=WITHHELD_NOTE)
    identity: str | None = Field(description=WITHHELD_NOTE)
    contact: str | None = Field(description=WITHHELD_NOTE)
    sex: str | None
    age_group: str | None
    occupation: str | None
    group_membership: str | None
    group_size: int | None
    confidentiality: str
    level_label: str
    act_types: list[str]
    event_id: int
    event_title: str


class InvolvementOut(ApiModel):
    perpetrator_id: int
    perpetrator_name: str
    role: str
    established: bool


class ActOut(ApiModel):
    id: int
    act_type: str
    act_label: str
    victim_id: int | None
    victim_hidden: bool
    date: dt.date | None
    description: str | None
    involvements: list[InvolvementOut]
    hidden_perpetrators: int


class SourceOut(ApiModel):
    id: int
    source_type: str
    reporter_name: str | None = Field(description=WITHHELD_NOTE)
    reporter_contact: str | None = Field(description=WITHHELD_NOTE)
    organisation: str | None
    reported_on: dt.date | None
    method: str | None
    reliability: str
    credibility: str
    reliability_label: str
    credibility_label: str
    summary: str | None
    citation: str | None
    url: str | None
    confidentiality: str
    level_label: str


class ResponseOut(ApiModel):
    id: int
    kind: str
    kind_label: str
    actor: str
    date: dt.date | None
    description: str | None
    outcome: str | None


class EventOut(ApiModel):
    id: int
    natural_key: str
    title: str
    description: str | None
    start_date: dt.date | None
    start_precision: str
    end_date: dt.date | None
    end_precision: str
    when: str = Field(description="The dates in words, as precisely as known.")
    state_iso3: str | None
    state_name: str | None
    area: str | None
    place: str | None = Field(description="Exact place; [withheld] when flagged and not readable.")
    latitude: float | None
    longitude: float | None
    location_sensitive: bool
    status: str
    status_label: str
    confidentiality: str
    level_label: str
    created_by: str | None
    created_at: UtcDateTime
    updated_at: UtcDateTime
    may_edit: bool
    may_delete: bool
    may_read_sensitive: bool
    victims: list[VictimOut]
    acts: list[ActOut]
    sources: list[SourceOut]
    responses: list[ResponseOut]
    hidden_victims: int = Field(description="Victims of this event the caller may not read.")
    hidden_sources: int


class EventRowOut(ApiModel):
    id: int
    title: str
    start_date: dt.date | None
    start_precision: str
    when: str
    state_iso3: str | None
    state_name: str | None
    area: str | None
    act_types: list[str]
    act_labels: list[str]
    victims: int
    status: str
    confidentiality: str


class FacetOut(BaseModel):
    value: str
    label: str
    count: int


class EventPageOut(BaseModel):
    rows: list[EventRowOut]
    total: int
    page: int
    per_page: int
    pages: int
    facets: dict[str, list[FacetOut]] = Field(
        description="state, act_type, status, confidentiality, year: (value, label, count), "
        "counted among the events the caller may read, under every other filter."
    )


class ActTypeOut(ApiModel):
    code: str
    label: str
    explanation: str | None
    added_by: str | None


class PerpetratorActOut(ApiModel):
    event_id: int
    event_title: str
    event_when: str
    state_iso3: str | None
    act_id: int
    act_type: str
    act_label: str
    role: str
    established: bool


class SubordinateOut(BaseModel):
    id: int
    name: str


class PerpetratorOut(ApiModel):
    id: int
    natural_key: str
    kind: str
    name: str
    aliases: list[str]
    position: str | None
    state_iso3: str | None
    nationality: str | None
    birth_date: str | None
    commander_id: int | None
    commander_name: str | None
    subordinates: list[SubordinateOut]
    notes: str | None
    confidentiality: str
    level_label: str
    may_edit: bool
    acts: list[PerpetratorActOut]
    hidden_acts: int = Field(description="Acts in events the caller may not read.")


class PerpetratorSummaryOut(ApiModel):
    id: int
    natural_key: str
    kind: str
    name: str
    position: str | None
    state_iso3: str | None
    confidentiality: str
