"""Response and request models of the dossier and sanctions-link API (OpenAPI documents
them; the JSON is ``Dossier.to_dict()`` and ``LinkView`` read through these models)."""

from __future__ import annotations

import dataclasses
import datetime as dt

from pydantic import Field

from rightsdesk.monitoring.violations.dossier import Dossier, jsonable
from rightsdesk.monitoring.violations.sanctions_links import LinkView
from rightsdesk.web.schemas import ApiModel

__all__ = [
    "DecisionIn",
    "DossierOut",
    "LinkOut",
    "LinksOut",
    "SuggestIn",
    "dossier_out",
    "links_out",
]


class RegimeOut(ApiModel):
    key: str
    title: str
    authority: str
    instrument: str
    url: str
    program_key: str
    note: str


class PersonRefOut(ApiModel):
    id: int
    name: str
    kind: str
    position: str | None


class IdentityOut(ApiModel):
    """Who the dossier is about (no sensitive field exists on a perpetrator)."""

    id: int
    natural_key: str
    kind: str
    name: str
    aliases: list[str]
    position: str | None
    state_iso3: str | None
    state_name: str | None
    nationality: str | None
    birth_date: str | None
    confidentiality: str
    commanders: list[PersonRefOut]
    subordinates: list[PersonRefOut]


class ActOut(ApiModel):
    """A documented act; ``victim`` is a description, never a name."""

    act_id: int
    event_id: int
    event_title: str
    date: dt.date | None
    date_precision: str
    state_iso3: str | None
    area: str | None
    act_type: str
    act_label: str
    description: str | None
    victim: str | None
    perpetrator_id: int
    perpetrator_name: str
    relation: str = Field(description="self, subordinate or superior")
    role: str
    established: bool
    abuse_key: str | None
    abuse_citation: str | None
    needs_pattern: bool
    source_numbers: list[int]
    confidentiality: str


class SourceOut(ApiModel):
    """A cited source (footnote ``number``): its type and organisation, never its reporter."""

    number: int
    source_id: int
    event_id: int
    source_type: str
    organisation: str | None
    reported_on: dt.date | None
    method: str | None
    reliability: str
    credibility: str
    rating: str
    strong: bool
    summary: str | None
    citation: str | None
    url: str | None
    confidentiality: str


class CriterionOut(ApiModel):
    key: str
    citation: str
    title: str
    text: str
    gap: bool
    acts: list[ActOut]
    sources: list[int]
    note: str | None


class AbuseOut(ApiModel):
    key: str
    citation: str
    text: str
    acts: int
    needs_pattern: bool


class StrengthOut(ApiModel):
    acts: int
    acts_established: int
    acts_alleged: int
    events: int
    sources: int
    reliable_sources: int
    credible_sources: int
    strong_sources: int
    criteria_met: int
    criteria_total: int
    out_of_scope_acts: int


class DesignationOut(ApiModel):
    entity_id: str
    caption: str
    list_key: str
    authority: str
    program: str
    program_key: str | None
    listed_on: dt.date | None
    delisted_on: dt.date | None
    active: bool
    under_this_regime: bool


class DossierOut(ApiModel):
    """A designation proposal: criteria with supporting acts and sources, gaps, strength,
    and where the perpetrator is already designated."""

    regime: RegimeOut
    identity: IdentityOut
    criteria: list[CriterionOut]
    abuses: list[AbuseOut]
    acts: list[ActOut]
    out_of_scope: list[ActOut]
    evidence: list[ActOut]
    sources: list[SourceOut]
    strength: StrengthOut
    designations: list[DesignationOut]
    already_designated: bool
    prepared_at: dt.datetime
    prepared_by: str
    levels: list[str]


class LinkOut(ApiModel):
    """A perpetrator's link to a sanctions-list entity; ``designations`` for confirmed ones."""

    id: int
    entity_id: str
    caption: str | None
    score: float | None
    explanation: str | None
    status: str
    decided_by: str | None
    decided_at: dt.datetime | None
    created_at: dt.datetime
    designations: list[DesignationOut]


class LinksOut(ApiModel):
    perpetrator_id: int
    links: list[LinkOut]


class SuggestIn(ApiModel):
    """Screen the perpetrator's names against the loaded sanctions lists."""

    threshold: float | None = Field(None, ge=0.0, le=1.0, description="Default: the matcher's.")
    limit: int = Field(10, ge=1, le=100, description="Hits kept per name screened.")


class DecisionIn(ApiModel):
    """The listed entity to confirm or reject (``unsc-...``, ``ofac-...``)."""

    entity_id: str = Field(min_length=1, max_length=200)


def dossier_out(dossier: Dossier) -> DossierOut:
    return DossierOut.model_validate(dossier.to_dict())


def links_out(perpetrator_id: int, views: list[LinkView]) -> LinksOut:
    return LinksOut(
        perpetrator_id=perpetrator_id,
        links=[LinkOut.model_validate(jsonable(dataclasses.asdict(v))) for v in views],
    )
