"""IATI activity files, standards 1.0x and 2.0x: ``rightsdesk import iati-activities FILE.xml``.

Each ``<iati-activity>`` becomes one ``Programme`` keyed by its ``iati-identifier``; parsing
(both standards, code mappings) is in ``iati_parse_activity``. Importing rules:

- the same identifier imported again updates the programme, never duplicates it; its parts
  (participants, recipients, sectors, budgets and planned disbursements, transactions, result
  indicators, documents) are replaced whole, because IATI publishers restate an activity
  completely in every file. Activities and links entered in rightsdesk are kept. A programme
  whose values and parts are all as stored counts as ``unchanged`` and keeps its Dataset link.
- a programme the file does not list is kept (a file may hold part of a publisher's
  portfolio); with ``--replace`` the stored programmes of the file's reporting organisations
  that it no longer lists are deleted, within the usual ``--replace`` limit.
- the same identifier twice in one file is an error naming both lines: IATI requires
  identifiers to be unique, and which of two differing versions is right cannot be guessed.
- any error (bad XML, a bad date, a non-numeric value, a missing identifier) stops the import
  with the file, line and field, and nothing of the file is written.

Activities are parsed in a stream and written in batches of ``BATCH`` (one query loads a
batch's stored programmes with their parts), so memory stays small for large files.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from sqlalchemy import delete, func, insert, select, update
from sqlalchemy.orm import selectinload

from rightsdesk.capacity.models import (
    Budget,
    Document,
    Participant,
    Programme,
    Recipient,
    ResultIndicator,
    Sector,
    Transaction,
)
from rightsdesk.capacity.sources.iati_parse import XmlStream, local, root_name
from rightsdesk.capacity.sources.iati_parse_activity import (
    PART_NAMES,
    ParsedActivity,
    parse_activity,
)
from rightsdesk.core.errors import InputError
from rightsdesk.core.importing import ImportContext
from rightsdesk.core.resolver import get_resolver
from rightsdesk.core.states import State

__all__ = ["BATCH", "IatiImporter", "write_activities"]

BATCH = 200
PART_MODELS: dict[str, type[Any]] = {
    "participants": Participant,
    "recipients": Recipient,
    "sectors": Sector,
    "budgets": Budget,
    "transactions": Transaction,
    "indicators": ResultIndicator,
    "documents": Document,
}


class IatiImporter:
    """IATI activity files (``<iati-activities>``), standard 1.0x or 2.0x."""

    kind = "iati-activities"
    label = "IATI activity file (XML, standard 1.0x or 2.0x)"
    source = "IATI activity file (the reporting organisations' publication)"
    source_url: str | None = "https://iatistandard.org/"
    licence: str | None = "each publisher's licence (see the IATI Registry)"

    def sniff(self, path: Path) -> bool:
        return root_name(path) == "iati-activities"

    def run(self, ctx: ImportContext) -> None:
        path = ctx.path
        stored = set(ctx.session.scalars(select(State.iso3)))
        iso2 = get_resolver().iso2

        def state_of(code: str) -> str | None:
            iso3 = iso2.get(code)
            return iso3 if iso3 in stored else None

        stream = XmlStream(path, ctx.advance)
        seen: dict[str, int] = {}
        reporters: set[str] = set()
        notes: dict[str, list[str]] = {}  # what happened -> the lines where
        batch: list[ParsedActivity] = []
        for element in stream:
            if stream.root is not None and local(stream.root) != "iati-activities":
                raise InputError("not an IATI activity file (root is not <iati-activities>)", path)
            if local(element) != "iati-activity":
                continue
            version = stream.root.get("version") if stream.root is not None else None
            parsed = parse_activity(element, path, version, state_of)
            ctx.report.rows_read += 1
            if parsed.key in seen:
                raise InputError(
                    f"iati-identifier {parsed.key!r} appears twice in the file (first on line "
                    f"{seen[parsed.key]}); an identifier must be unique",
                    file=path,
                    line=parsed.line,
                    field="iati-identifier",
                )
            seen[parsed.key] = parsed.line
            if parsed.values["reporting_org_ref"]:
                reporters.add(parsed.values["reporting_org_ref"])
            for note in parsed.notes:
                where, _, what = (
                    note.partition(": ") if note.startswith("line ") else ("", "", note)
                )
                notes.setdefault(what, []).append(where.removeprefix("line "))
            batch.append(parsed)
            if len(batch) >= BATCH:
                write_activities(ctx, batch)
                batch = []
        write_activities(ctx, batch)
        if not seen:
            ctx.warn("the file holds no iati-activity")
        for what, wheres in notes.items():
            lines = [w for w in wheres if w]
            more = " ..." if len(lines) > 10 else ""
            ctx.warn(f"{what} (lines {', '.join(lines[:10])}{more})" if lines else what)
        _absent(ctx, set(seen), reporters)


def write_activities(ctx: ImportContext, batch: list[ParsedActivity]) -> None:
    """Insert or update the programmes of ``batch`` (see the module docstring); public so an
    export's round trip can write parsed activities the same way.

    Rows are written with bulk statements (one INSERT per table and batch), not one ORM object
    per part: a d-portal file has some 25 parts per activity. Programmes of the session that
    were updated are expired, so the session reads their new parts."""
    if not batch:
        return
    session = ctx.session
    stmt = (
        select(Programme)
        .where(Programme.natural_key.in_([p.key for p in batch]))
        .options(*(selectinload(getattr(Programme, name)) for name in PART_NAMES))
    )
    existing = {p.natural_key: p for p in session.scalars(stmt)}
    fresh: list[ParsedActivity] = []
    changed: list[tuple[Programme, ParsedActivity]] = []
    for parsed in batch:
        programme = existing.get(parsed.key)
        if programme is None:
            fresh.append(parsed)
            ctx.report.count("inserted")
        elif _same(programme, parsed):
            ctx.report.count("unchanged")
        else:
            changed.append((programme, parsed))
            ctx.report.count("updated")
    ids: dict[str, int] = {}
    if fresh:
        rows = [{"natural_key": p.key, "dataset_id": ctx.dataset.id, **p.values} for p in fresh]
        result = session.execute(
            insert(Programme).returning(
                Programme.id, Programme.natural_key, sort_by_parameter_order=True
            ),
            rows,
        )
        ids = {str(key): int(pid) for pid, key in result}
    if changed:
        old = [programme.id for programme, _ in changed]
        for name in PART_NAMES:
            session.execute(
                delete(PART_MODELS[name]).where(PART_MODELS[name].programme_id.in_(old))
            )
        for programme, parsed in changed:
            session.execute(
                update(Programme)
                .where(Programme.id == programme.id)
                .values(dataset_id=ctx.dataset.id, **parsed.values)
            )
            ids[parsed.key] = programme.id
    for name in PART_NAMES:
        parts = [
            {"programme_id": ids[p.key], **values}
            for p in (*fresh, *(c[1] for c in changed))
            for values in p.parts[name]
        ]
        if parts:
            session.execute(insert(PART_MODELS[name]), parts)
    for programme, _ in changed:
        session.expire(programme)


def _comparable(value: Any) -> Any:
    """Datetimes as naive UTC: SQLite gives back a naive time for an aware one stored."""
    if isinstance(value, dt.datetime) and value.tzinfo is not None:
        return value.astimezone(dt.UTC).replace(tzinfo=None)
    return value


def _same(programme: Programme, parsed: ParsedActivity) -> bool:
    """Whether the stored programme already says exactly what the file says."""
    for name, value in parsed.values.items():
        if _comparable(getattr(programme, name)) != _comparable(value):
            return False
    for name in PART_NAMES:
        rows = getattr(programme, name)
        wanted = parsed.parts[name]
        if len(rows) != len(wanted):
            return False
        for row, values in zip(rows, wanted, strict=True):
            if any(getattr(row, column) != value for column, value in values.items()):
                return False
    return True


def _absent(ctx: ImportContext, listed: set[str], reporters: set[str]) -> None:
    """Keep (or with ``--replace`` delete) stored programmes of the file's reporting
    organisations that the file no longer lists."""
    if not reporters:
        return
    scope = (
        Programme.reporting_org_ref.in_(sorted(reporters)),
        Programme.iati_version.is_not(None),
    )
    rows = ctx.session.execute(select(Programme.natural_key, Programme.id).where(*scope))
    stored = {str(key): int(pid) for key, pid in rows}
    gone = [pid for key, pid in stored.items() if key not in listed]
    total = int(ctx.session.scalar(select(func.count()).select_from(Programme)) or 0)
    if ctx.may_delete("capacity programme", len(gone), total):
        ctx.session.execute(delete(Programme).where(Programme.id.in_(gone)))
        ctx.report.deleted += len(gone)
