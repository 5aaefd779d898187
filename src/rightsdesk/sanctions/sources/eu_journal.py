"""``rightsdesk import eu-journal-csv DIR/32020R1998.csv``: EU sanctions listings extracted
from the Official Journal, one file per legal act (CELEX number).

Each row is one listing in an annex of the act: ``celex, recordId, programKey, annex,
measure, startDate, reason, schema`` and then FollowTheMoney property columns (``name``,
``alias``, ``birthDate``, ``nationality``, ``passportNumber``, ``address``, ...). A file is one
version of the list ``eu_journal_<CELEX>``.

- **Entity ids** are ``eu-<CELEX>-<annex>-<recordId>``: the record number alone is not unique
  (each annex numbers its entries from 1, as the Journal does), and the pair is what stays
  stable when the act is amended. A row without a record number gets
  ``eu-<CELEX>-<annex>-n<hash of its first name>``. Two rows with the same id and the same
  name are one entity listed under two measures (two designations).
- **Several values in a cell** are separated by semicolons, often enumerated
  (``(a) 15.1.1973; (b) 15.1.1974``) as in the Journal (``eu_cells.split_values``); the
  ``reason`` and ``notes`` cells are prose and kept whole.
- **Countries**: ``nationality``, ``country``, ``jurisdiction`` and ``flag`` become FtM
  country codes (``Russian`` → ``ru``); a value that names no country is kept in ``notes``
  ("nationality: ...") rather than lost, and counted in the report.
- **Other values** go through FtM's cleaning of their type (phones in E.164, URLs with a
  scheme); one it rejects is kept in ``notes``.
- **Dates**: every date in ``birthDate`` and ``incorporationDate`` becomes an ISO prefix;
  ``startDate`` is the listing date of the designation (a malformed one is an error).
- **Version date**: the file states none, so the version date is the latest listing date
  it holds: an amended act (with newer listings) is a newer version.
- A file with the header only (the Journal's act lists nobody, or the extraction found
  no annex) imports nothing and says so.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from pathlib import Path

from followthemoney import model
from followthemoney.schema import Schema
from sqlalchemy import select

from rightsdesk.core.errors import InputError
from rightsdesk.core.importing import CsvRow, ImportContext, iter_csv, read_text, sniff_header
from rightsdesk.sanctions.models import SanctionList, SanctionProgram
from rightsdesk.sanctions.sources.eu_cells import (
    extract_dates,
    parse_date,
    split_values,
    to_countries,
)
from rightsdesk.sanctions.sources.ftm_clean import clean_value
from rightsdesk.sanctions.sources.name_variants import split_name
from rightsdesk.sanctions.sources.parsed import ParsedDesignation, ParsedEntity, ParsedList

KIND = "eu-journal-csv"
AUTHORITY = "Council of the European Union"
REQUIRED = ("celex", "recordId", "programKey", "annex", "measure", "startDate", "schema", "name")
#: Columns about the listing, not the entity.
LISTING = frozenset({"celex", "recordId", "programKey", "annex", "measure", "startDate", "reason"})
COUNTRY_PROPS = frozenset({"nationality", "country", "jurisdiction", "flag"})
DATE_PROPS = frozenset({"birthDate", "incorporationDate"})
WHOLE_PROPS = frozenset({"notes"})  # prose: never split
CELEX_PATTERN = re.compile(r"^3(\d{4})([A-Z])(\d{4})$")
GENDERS = {"male": "male", "female": "female", "m": "male", "f": "female"}


def celex_title(celex: str) -> str:
    """A readable name of the act: ``32020R1998`` → ``Regulation 2020/1998``."""
    match = CELEX_PATTERN.match(celex)
    if not match:
        return celex
    year, sort, number = match.groups()
    kind = {"R": "Regulation", "D": "Decision", "L": "Directive"}.get(sort, "Act")
    return f"{kind} {year}/{int(number)}"


def celex_url(celex: str) -> str:
    return f"https://eur-lex.europa.eu/legal-content/EN/TXT/?uri=CELEX:{celex}"


def _slug(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9]+", "-", text).strip("-")


def _entity_id(celex: str, row: CsvRow) -> str:
    annex = _slug(row.get("annex")) or "x"
    record = _slug(row.get("recordId"))
    if record:
        return f"eu-{celex}-{annex}-{record}"
    first = (split_values(row.get("name")) or [row.get("name")])[0]
    digest = hashlib.sha1(" ".join(first.lower().split()).encode()).hexdigest()[:10]
    return f"eu-{celex}-{annex}-n{digest}"


class EuJournalParser:
    """One file → one ParsedList (or None for a header-only file); notes for the report."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.notes: Counter[str] = Counter()

    def parse(self) -> ParsedList | None:
        celex = self._celex_from_name()
        entities: dict[str, ParsedEntity] = {}
        names: dict[str, str] = {}
        dates = []
        for row in iter_csv(self.path, REQUIRED, text=read_text(self.path)):
            if row.get("celex") != celex:
                raise InputError(
                    f"celex {row.get('celex')!r} differs from the file's {celex!r}",
                    self.path,
                    row.line,
                    "celex",
                )
            entity_id = _entity_id(celex, row)
            designation = self._designation(row)
            if designation.listed_on is not None:
                dates.append(designation.listed_on)
            first_name = (split_values(row.get("name")) or [""])[0]
            if entity_id in entities and names[entity_id] != first_name:
                entity_id = f"{entity_id}-{row.line}"  # a second entry under one number
                self.notes["record numbers used twice in one annex (id made from the line)"] += 1
            entity = entities.get(entity_id)
            if entity is None:
                entity = self._entity(entity_id, row)
                entities[entity_id] = entity
                names[entity_id] = first_name
            entity.designations.append(designation)
        if not entities:
            return None
        return ParsedList(
            list_key=f"eu_journal_{celex}",
            title=f"EU {celex_title(celex)} (Official Journal, CELEX {celex})",
            authority=AUTHORITY,
            version_date=max(dates) if dates else None,
            entities=list(entities.values()),
            url=celex_url(celex),
        )

    def _celex_from_name(self) -> str:
        celex = self.path.stem
        if not CELEX_PATTERN.match(celex):
            raise InputError(
                "the file name must be the act's CELEX number (e.g. 32020R1998.csv)", self.path
            )
        return celex

    def _designation(self, row: CsvRow) -> ParsedDesignation:
        start = row.get("startDate")
        listed_on = parse_date(start) if start else None
        if start and listed_on is None:
            raise InputError(
                f"malformed date {start!r} (expected e.g. 2.3.2021 or 2 March 2021)",
                self.path,
                row.line,
                "startDate",
            )
        key = row.get("programKey")
        if not key:
            raise InputError("empty programme key", self.path, row.line, "programKey")
        ref = " ".join(p for p in (row.get("annex"), row.get("recordId")) if p)
        return ParsedDesignation(
            authority=AUTHORITY,
            program_code=key,
            program_key=key,
            measure=row.get("measure") or None,
            listed_on=listed_on,
            reason=row.get("reason") or None,
            source_document=celex_url(row.get("celex")),
            source_ref=ref[:100],
        )

    def _entity(self, entity_id: str, row: CsvRow) -> ParsedEntity:
        schema_name = row.get("schema")
        schema = model.get(schema_name) if schema_name else None
        if schema is None or schema.abstract:
            raise InputError(
                f"unknown or abstract FollowTheMoney schema {schema_name!r}",
                self.path,
                row.line,
                "schema",
            )
        entity = ParsedEntity(entity_id=entity_id, schema=schema.name, line=row.line)
        for column, cell in row.values.items():
            if column in LISTING or column == "schema" or not (cell or "").strip():
                continue
            values = [cell.strip()] if column in WHOLE_PROPS else split_values(cell)
            if schema.get(column) is None:
                for value in values:
                    entity.add("notes", f"{column}: {value}")
                self.notes[f"{column} on a {schema.name} (kept in notes)"] += 1
                continue
            for value in values:
                self._add(entity, schema, column, value)
        if not entity.properties.get("name"):
            raise InputError("empty name", self.path, row.line, "name")
        return entity

    def _add(self, entity: ParsedEntity, schema: Schema, prop: str, value: str) -> None:
        if prop in COUNTRY_PROPS:
            codes = to_countries(value)
            if not codes:
                entity.add("notes", f"{prop}: {value}")
                self.notes[f"{prop} naming no country (kept in notes)"] += 1
            for code in codes:
                entity.add(prop, code)
        elif prop in DATE_PROPS:
            found = extract_dates(value)
            if not found:
                entity.add("notes", f"{prop}: {value}")
                self.notes[f"{prop} without a date (kept in notes)"] += 1
            for date in found:
                entity.add(prop, date)
        elif prop == "gender":
            gender = GENDERS.get(value.lower().strip(". "))
            if gender is None:
                self.notes["gender not male/female (dropped)"] += 1
            entity.add(prop, gender)
        elif prop in ("name", "alias") and "(" in value:
            # "Wajih (a.k.a. Wajeeh) MAHMUD": the name, and its spellings as aliases
            main, variants = split_name(value)
            self._add_clean(entity, schema, prop, main)
            for variant_prop, variant in variants:
                self._add_clean(entity, schema, variant_prop, variant)
            if variants:
                self.notes["names with aliases in parentheses (split)"] += 1
        else:
            self._add_clean(entity, schema, prop, value)

    def _add_clean(self, entity: ParsedEntity, schema: Schema, prop: str, value: str) -> None:
        """FtM's own cleaning (phones to E.164, URLs with a scheme, ...): what the store holds
        is what an FtM reader would hold; a value it rejects is kept in notes."""
        cleaned = clean_value(schema.name, prop, value)
        if not cleaned:
            entity.add("notes", f"{prop}: {value}")
            self.notes[f"{prop} FtM does not accept (kept in notes)"] += 1
        for item in cleaned:
            entity.add(prop, item)


def parse_eu_journal(path: Path) -> tuple[ParsedList | None, list[str]]:
    """The list version in ``path`` (None when the file holds no listing) and notes."""
    parser = EuJournalParser(path)
    parsed = parser.parse()
    notes = [f"{count} × {what}" for what, count in sorted(parser.notes.items())]
    return parsed, notes


class EuJournalImporter:
    """EU journal extraction CSV (one legal act per file)."""

    kind = KIND
    label = "EU sanctions listings extracted from the Official Journal (CSV per legal act)"
    source = "EU Official Journal, as extracted by OpenSanctions (repository opensanctions)"
    source_url: str | None = "https://github.com/opensanctions/opensanctions"
    licence: str | None = "EU Official Journal text; no licence granted by the repository"

    def sniff(self, path: Path) -> bool:
        return (
            path.suffix.lower() == ".csv"
            and CELEX_PATTERN.match(path.stem) is not None
            and sniff_header(path, REQUIRED)
        )

    def run(self, ctx: ImportContext) -> None:
        from rightsdesk.sanctions.sources.store_version import store_version

        parsed, notes = parse_eu_journal(ctx.path)
        for note in notes:
            ctx.warn(note)
        ctx.advance(ctx.path.stat().st_size)
        if parsed is None:
            ctx.warn("the file holds no listing (header only): nothing imported")
            return
        _name_after_programme(ctx, parsed)
        stored = ctx.session.scalars(
            select(SanctionList.version_date).where(SanctionList.key == parsed.list_key)
        ).first()
        if stored is not None and parsed.version_date is not None and parsed.version_date < stored:
            ctx.warn(
                f"this file's latest listing ({parsed.version_date}) is earlier than the stored "
                f"version ({stored}): the Journal files carry no version date, so it is read as "
                "an older version; if it is a newer extraction whose latest listings were "
                "removed, those removals are not recorded"
            )
        store_version(ctx, parsed)


def _name_after_programme(ctx: ImportContext, parsed: ParsedList) -> None:
    """An act implementing one programme is titled by it when the registry is loaded
    ("EU Restrictive measures against serious human rights violations and abuses
    (Regulation 2020/1998)"), which says more on a page than a CELEX number."""
    keys = {d.program_key for e in parsed.entities for d in e.designations if d.program_key}
    if len(keys) != 1:
        return
    title = ctx.session.scalars(
        select(SanctionProgram.title).where(SanctionProgram.key == keys.pop())
    ).first()
    if title:
        celex = parsed.list_key.removeprefix("eu_journal_")
        parsed.title = f"{title} ({celex_title(celex)}, CELEX {celex})"
