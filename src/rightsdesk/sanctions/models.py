"""Tables of sanctions and rewards: sanctions lists, their entities and designations, the
programme registry, the history of what each list added and removed, and the conventions a
trade benefit (EU GSP+) is conditional on.

The entity model is FollowTheMoney's (the data model of OpenSanctions): an entity has an id,
a schema (Person, Organization, Company, LegalEntity, Vessel, Airplane, ...) and multi-valued
properties named as in FtM (``name``, ``alias``, ``weakAlias``, ``previousName``,
``firstName``, ``lastName``, ``birthDate``, ``birthPlace``, ``nationality``, ``citizenship``,
``country``, ``gender``, ``idNumber``, ``passportNumber``, ``address``, ``imoNumber``, ...).
``SanctionEntity.properties`` holds that dict whole, so an export is the entity as stored and
a property FtM knows but no page shows is never lost. Names and countries are also kept in
child tables because the screening index and the state page query them.

A designation is one listing of an entity by one authority under one programme. Lists are
re-imported as new versions appear; a designation the newer file no longer holds is *ended*
(``delisted_on``), never deleted, and every added, removed or changed entity is written to
``SanctionChange`` with the version date of the file that showed it, so the history of a list
can be read back ("who did OFAC add under GLOMAG between 2021 and 2024").
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from rightsdesk.core.db import Base, utcnow
from rightsdesk.core.provenance import FromDataset

__all__ = [
    "CHANGE_KINDS",
    "CONVENTION_STATUSES",
    "NAME_KINDS",
    "ConventionStatus",
    "Designation",
    "IncentiveStatus",
    "SanctionChange",
    "SanctionCountry",
    "SanctionEntity",
    "SanctionList",
    "SanctionName",
    "SanctionProgram",
]

# which FtM name property a stored name came from (weak aliases are shown, never matched alone)
NAME_KINDS = ("name", "alias", "weakAlias", "previousName")
CHANGE_KINDS = ("added", "removed", "changed")
# recorded status of a state towards a convention; "unknown" is the absence of a record and
# is never stored as "not-ratified"
CONVENTION_STATUSES = ("ratified", "signed", "not-ratified", "denounced")


class SanctionProgram(FromDataset, Base):
    """A sanctions programme (regime): OpenSanctions' registry key (``US-GLOMAG``, ``EU-HR``),
    issuer, legal basis and measures; ``human_rights`` marks the regimes aimed at human rights
    violators, whatever their issuer calls them."""

    __tablename__ = "sanctions_program"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(60), unique=True)
    title: Mapped[str] = mapped_column(Text)
    issuer: Mapped[str | None] = mapped_column(String(100), index=True)  # e.g. us_ofac
    dataset: Mapped[str | None] = mapped_column(String(100))  # OpenSanctions dataset name
    url: Mapped[str | None] = mapped_column(Text)
    summary: Mapped[str | None] = mapped_column(Text)
    # codes the lists themselves use for this programme (OFAC "GLOMAG", EU "HR", ...)
    aliases: Mapped[list[str]] = mapped_column(JSON, default=list)
    measures: Mapped[list[str]] = mapped_column(JSON, default=list)
    target_territories: Mapped[list[str]] = mapped_column(JSON, default=list)
    human_rights: Mapped[bool] = mapped_column(Boolean, default=False, index=True)


class SanctionList(Base):
    """One source list (OFAC SDN, UN consolidated, an EU legal act, an FtM dataset) and the
    version of it last imported: pages say up to when each list runs."""

    __tablename__ = "sanctions_list"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(100), unique=True)  # e.g. us_ofac_sdn, un_sc_sanctions
    title: Mapped[str] = mapped_column(Text)
    authority: Mapped[str | None] = mapped_column(String(200))
    url: Mapped[str | None] = mapped_column(Text)
    version_date: Mapped[dt.date | None] = mapped_column(Date)  # date of the last file imported
    last_dataset_id: Mapped[int | None] = mapped_column(ForeignKey("dataset.id"))
    entity_count: Mapped[int] = mapped_column(default=0)


class SanctionEntity(FromDataset, Base):
    """A sanctioned (or once sanctioned) person, organisation, vessel, ... as a FollowTheMoney
    entity. ``entity_id`` is stable across versions of its list (``ofac-36``,
    ``unsc-6907993``, ...), so a re-import updates, and history can follow it."""

    __tablename__ = "sanctions_entity"
    __table_args__ = (Index("ix_sanctions_entity_schema_caption", "schema", "caption"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    entity_id: Mapped[str] = mapped_column(String(200), unique=True)
    schema: Mapped[str] = mapped_column(String(40))
    caption: Mapped[str] = mapped_column(Text)  # the name shown
    properties: Mapped[dict[str, list[str]]] = mapped_column(JSON, default=dict)
    datasets: Mapped[list[str]] = mapped_column(JSON, default=list)  # list keys it appears in
    first_seen: Mapped[dt.date | None] = mapped_column(Date)  # version date it first appeared
    last_seen: Mapped[dt.date | None] = mapped_column(Date)  # version date it last appeared
    last_change: Mapped[dt.date | None] = mapped_column(Date)
    # True while at least one designation is in force (kept in step by the importers)
    active: Mapped[bool] = mapped_column(Boolean, default=True, index=True)

    names: Mapped[list[SanctionName]] = relationship(
        back_populates="entity", cascade="all, delete-orphan", order_by="SanctionName.id"
    )
    countries: Mapped[list[SanctionCountry]] = relationship(
        back_populates="entity", cascade="all, delete-orphan", order_by="SanctionCountry.id"
    )
    designations: Mapped[list[Designation]] = relationship(
        back_populates="entity", cascade="all, delete-orphan", order_by="Designation.id"
    )

    def to_ftm(self) -> dict[str, Any]:
        """The entity as a FollowTheMoney JSON object (id, schema, properties, datasets)."""
        return {
            "id": self.entity_id,
            "schema": self.schema,
            "properties": {k: list(v) for k, v in sorted(self.properties.items()) if v},
            "datasets": list(self.datasets),
            "caption": self.caption,
            "first_seen": self.first_seen.isoformat() if self.first_seen else None,
            "last_seen": self.last_seen.isoformat() if self.last_seen else None,
        }


class SanctionName(Base):
    """One name of an entity, as written (any script): what screening matches against."""

    __tablename__ = "sanctions_name"
    __table_args__ = (
        UniqueConstraint("entity_pk", "kind", "name"),
        CheckConstraint(
            "kind IN ('name', 'alias', 'weakAlias', 'previousName')", name="ck_sanctions_name_kind"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    entity_pk: Mapped[int] = mapped_column(
        ForeignKey("sanctions_entity.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[str] = mapped_column(String(20))
    name: Mapped[str] = mapped_column(Text)
    script: Mapped[str | None] = mapped_column(String(20))  # Latin, Arabic, Cyrillic, Han, ...

    entity: Mapped[SanctionEntity] = relationship(back_populates="names")


class SanctionCountry(Base):
    """A state an entity is tied to (ISO 3166 alpha-3) and how: nationality, citizenship,
    country (residence/operations), jurisdiction, birth country. The state page reads this."""

    __tablename__ = "sanctions_country"
    __table_args__ = (UniqueConstraint("entity_pk", "prop", "iso3"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    entity_pk: Mapped[int] = mapped_column(
        ForeignKey("sanctions_entity.id", ondelete="CASCADE"), index=True
    )
    prop: Mapped[str] = mapped_column(String(30))  # FtM property the country came from
    iso3: Mapped[str] = mapped_column(String(3), index=True)

    entity: Mapped[SanctionEntity] = relationship(back_populates="countries")


class Designation(FromDataset, Base):
    """One listing of an entity by an authority under a programme, from listing to delisting.

    ``source_ref`` is the list's own reference (UN ``CDi.001``, OFAC uid, EU record id);
    ``program_code`` is the code as the list wrote it, ``program_key`` the registry key it maps
    to (None when the registry has no entry). ``delisted_on`` is set when a newer version of
    the list no longer holds the designation (the version date of that file) or when the list
    says so; the row stays.
    """

    __tablename__ = "sanctions_designation"
    __table_args__ = (
        UniqueConstraint("entity_pk", "list_key", "program_code", "source_ref"),
        Index("ix_sanctions_designation_program", "program_key", "listed_on"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    entity_pk: Mapped[int] = mapped_column(
        ForeignKey("sanctions_entity.id", ondelete="CASCADE"), index=True
    )
    list_key: Mapped[str] = mapped_column(String(100), index=True)
    authority: Mapped[str] = mapped_column(String(200))
    program_code: Mapped[str] = mapped_column(String(100), default="")
    program_key: Mapped[str | None] = mapped_column(String(60), index=True)
    measure: Mapped[str | None] = mapped_column(Text)
    listed_on: Mapped[dt.date | None] = mapped_column(Date)
    delisted_on: Mapped[dt.date | None] = mapped_column(Date)
    reason: Mapped[str | None] = mapped_column(Text)
    source_document: Mapped[str | None] = mapped_column(Text)  # URL, CELEX, UN press release
    source_ref: Mapped[str] = mapped_column(String(100), default="")
    first_seen: Mapped[dt.date | None] = mapped_column(Date)  # version date first seen
    last_seen: Mapped[dt.date | None] = mapped_column(Date)  # version date last seen

    entity: Mapped[SanctionEntity] = relationship(back_populates="designations")

    @property
    def active(self) -> bool:
        return self.delisted_on is None


class SanctionChange(Base):
    """What one import of a list version changed: an entity added, removed or changed, dated
    by the version of the file (not by the day it was imported)."""

    __tablename__ = "sanctions_change"
    __table_args__ = (
        CheckConstraint("change IN ('added', 'removed', 'changed')", name="ck_sanctions_change"),
        Index("ix_sanctions_change_list_date", "list_key", "version_date"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    list_key: Mapped[str] = mapped_column(String(100))
    entity_id: Mapped[str] = mapped_column(String(200), index=True)
    caption: Mapped[str] = mapped_column(Text)
    change: Mapped[str] = mapped_column(String(10))
    version_date: Mapped[dt.date | None] = mapped_column(Date)
    previous_version: Mapped[dt.date | None] = mapped_column(Date)
    detail: Mapped[str | None] = mapped_column(Text)  # e.g. "programmes: +GLOMAG; names"
    dataset_id: Mapped[int | None] = mapped_column(ForeignKey("dataset.id"), index=True)
    recorded_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class ConventionStatus(FromDataset, Base):
    """A recorded status of a state towards one convention a trade incentive is conditional on
    (EU GSP+ Annex VIII), with its source and the date the source speaks for. The UN human
    rights conventions are read from the treaties module instead; a state with no record for
    a convention is *unknown*, which pages say."""

    __tablename__ = "gsp_convention_status"
    __table_args__ = (
        UniqueConstraint("iso3", "convention", "source"),
        CheckConstraint(
            "status IN ('ratified', 'signed', 'not-ratified', 'denounced')",
            name="ck_gsp_convention_status",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    iso3: Mapped[str] = mapped_column(String(3), index=True)
    convention: Mapped[str] = mapped_column(String(40), index=True)  # key in gsp.CONVENTIONS
    status: Mapped[str] = mapped_column(String(20))
    date: Mapped[dt.date | None] = mapped_column(Date)  # of ratification, accession, ...
    as_of: Mapped[dt.date | None] = mapped_column(Date)  # the date the source speaks for
    source: Mapped[str] = mapped_column(String(200))
    note: Mapped[str | None] = mapped_column(Text)
    entered_by: Mapped[str | None] = mapped_column(String(100))  # an editor, not an import


class IncentiveStatus(FromDataset, Base):
    """Which trade arrangement a state benefits from (EU GSP, GSP+, EBA), since when, per
    which act: the state page shows it beside the conventions the arrangement requires."""

    __tablename__ = "gsp_incentive_status"
    __table_args__ = (UniqueConstraint("iso3", "scheme", "start_date"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    iso3: Mapped[str] = mapped_column(String(3), index=True)
    scheme: Mapped[str] = mapped_column(String(20))  # gsp, gsp-plus, eba
    start_date: Mapped[dt.date | None] = mapped_column(Date)
    end_date: Mapped[dt.date | None] = mapped_column(Date)
    source: Mapped[str] = mapped_column(Text)
    note: Mapped[str | None] = mapped_column(Text)
