"""Shapes of what the sanctions pages and the JSON API show: lists, programmes, entities,
designations and their history.

One set of models serves both: a page renders the same object the API returns, so what a
practitioner sees and what a script reads cannot drift apart.
"""

from __future__ import annotations

import datetime as dt

from pydantic import ConfigDict, Field

from rightsdesk.web.schemas import ApiModel as _Base


class ApiModel(_Base):
    """The API's base model; ``schema`` is a field name here (FtM's), held as ``schema_``."""

    model_config = ConfigDict(from_attributes=True, populate_by_name=True)


class ListOut(ApiModel):
    """A loaded source list and the version of it the store holds."""

    key: str = Field(description="List key, e.g. us_ofac_sdn, un_sc_sanctions.")
    title: str
    authority: str | None = None
    url: str | None = None
    version_date: dt.date | None = Field(None, description="Date of the last file imported.")
    entity_count: int = Field(0, description="Entities the last version held.")
    active_entities: int = Field(
        0, description="Entities with a designation of this list in force."
    )


class VersionChanges(ApiModel):
    """What one imported version of a list changed against the version before it."""

    list_key: str
    version_date: dt.date | None
    previous_version: dt.date | None = None
    added: int = 0
    removed: int = 0
    changed: int = 0


class Overview(ApiModel):
    """The landing page: loaded lists, how many programmes, the latest changes."""

    lists: list[ListOut]
    entities: int
    active_entities: int
    programmes: int
    human_rights_programmes: int
    recent_changes: list[VersionChanges]


class ProgrammeOut(ApiModel):
    """A programme of the registry with its designations counted."""

    key: str
    title: str
    issuer: str | None = None
    issuer_label: str | None = None
    url: str | None = None
    summary: str | None = None
    human_rights: bool = False
    aliases: list[str] = []
    measures: list[str] = []
    active_designations: int = 0
    designations: int = 0


class YearCount(ApiModel):
    """Designations listed in one year by one authority."""

    year: int
    authority: str
    count: int


class DesignationOut(ApiModel):
    """One listing of an entity by an authority under a programme."""

    entity_id: str | None = None
    caption: str | None = None
    schema_: str | None = Field(None, alias="schema")
    list_key: str
    authority: str
    program_code: str
    program_key: str | None = None
    program_title: str | None = None
    human_rights: bool = False
    measure: str | None = None
    listed_on: dt.date | None = None
    delisted_on: dt.date | None = None
    reason: str | None = None
    source_document: str | None = None
    source_ref: str = ""
    first_seen: dt.date | None = None
    last_seen: dt.date | None = None
    active: bool = True


class ProgrammeDetail(ApiModel):
    """A programme and its designations, newest first, with the count per year."""

    programme: ProgrammeOut
    per_year: list[YearCount]
    undated: int = Field(0, description="Designations without a listing date (not in per_year).")
    designations: list[DesignationOut]
    total: int
    page: int
    pages: int
    per_page: int


class FacetValue(ApiModel):
    """One value of a search filter, with the number of matching entities."""

    value: str
    label: str
    count: int
    selected: bool = False


class EntityRow(ApiModel):
    """An entity in a search result."""

    entity_id: str
    schema_: str = Field(alias="schema")
    schema_label: str = ""
    caption: str
    datasets: list[str]
    countries: list[str] = Field([], description="ISO 3166 alpha-3 codes of tied states.")
    programmes: list[str] = Field([], description="Programme keys (or codes) it is listed under.")
    active: bool
    last_change: dt.date | None = None


class EntitySearch(ApiModel):
    """A page of entities matching a search, with facet counts."""

    items: list[EntityRow]
    total: int
    page: int
    pages: int
    per_page: int
    filters: dict[str, list[str]]
    facets: dict[str, list[FacetValue]]


class NameOut(ApiModel):
    """A name of an entity, as written (any script)."""

    kind: str
    name: str
    script: str | None = None


class PropertyOut(ApiModel):
    """An FtM property of an entity, labelled in words, with its values shown for people
    (countries by name) and as stored (``raw``)."""

    name: str
    label: str
    values: list[str]
    raw: list[str]


class ChangeOut(ApiModel):
    """An entry of a list's history that concerns one entity."""

    list_key: str
    change: str
    version_date: dt.date | None = None
    previous_version: dt.date | None = None
    detail: str | None = None


class EntityDetail(ApiModel):
    """Everything stored about one entity. A superset of yente's entity (``id``, ``caption``,
    ``schema``, ``properties`` as FtM's dict, ``datasets``, ``referents``, ``target``), so a
    client of the OpenSanctions API that follows a match to ``entities/{id}`` reads it."""

    id: str = Field(description="The entity id (FtM); the same as entity_id.")
    entity_id: str
    schema_: str = Field(alias="schema")
    schema_label: str
    caption: str
    properties: dict[str, list[str]] = Field(description="The FtM properties as stored.")
    datasets: list[str]
    referents: list[str] = []
    target: bool = Field(description="Whether a designation is in force (yente's name).")
    active: bool
    first_seen: dt.date | None = None
    last_seen: dt.date | None = None
    last_change: dt.date | None = None
    names: list[NameOut]
    facts: list[PropertyOut] = Field(description="The properties labelled in words.")
    countries: list[tuple[str, str]] = Field(
        [], description="(ISO3, FtM property) pairs: how the entity is tied to a state."
    )
    designations: list[DesignationOut]
    history: list[ChangeOut]
