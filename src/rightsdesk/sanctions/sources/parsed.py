"""What every sanctions list parser produces, whatever the format: FollowTheMoney-shaped
entities with their designations, and the version date of the file. One writer
(``store_version``) turns a parsed version into rows and history, so the UN, OFAC, EU and FtM
importers keep designation history the same way."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field


@dataclass
class ParsedDesignation:
    """One listing of the entity in this file: authority, programme as the list writes it."""

    authority: str
    program_code: str = ""
    program_key: str | None = None  # registry key when the parser knows it (EU files do)
    measure: str | None = None
    listed_on: dt.date | None = None
    delisted_on: dt.date | None = None
    reason: str | None = None
    source_document: str | None = None
    source_ref: str = ""


@dataclass
class ParsedEntity:
    """An entity as the file states it. ``properties`` uses FtM property names; names of all
    kinds are in ``properties`` too (``name``, ``alias``, ``weakAlias``, ``previousName``)."""

    entity_id: str
    schema: str
    properties: dict[str, list[str]] = field(default_factory=dict)
    designations: list[ParsedDesignation] = field(default_factory=list)
    line: int | None = None  # where in the file, for error messages

    def add(self, prop: str, value: str | None) -> None:
        """Add a value once, ignoring blanks (lists repeat aliases and write '-0-' for none)."""
        if value is None:
            return
        value = " ".join(value.split())
        if not value:
            return
        values = self.properties.setdefault(prop, [])
        if value not in values:
            values.append(value)


@dataclass
class ParsedList:
    """One version of one list."""

    list_key: str  # e.g. us_ofac_sdn, un_sc_sanctions, eu_journal_32020R1998
    title: str
    authority: str
    version_date: dt.date | None
    entities: list[ParsedEntity]
    url: str | None = None
