"""Writing parsed convention statuses and incentive periods: what every GSP+ importer's
parser returns, and the one writer they share.

A parser checks its whole file first and returns plain records; only then does the writer
touch the store, so a file with a bad row writes nothing (the import is one transaction,
and the error names the file, line and field). Rows are keyed by (state, convention,
source): a file updates its own source's rows and never another source's or an editor's.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import select

from rightsdesk.core.importing import ImportContext
from rightsdesk.sanctions.models import ConventionStatus, IncentiveStatus

__all__ = ["IncentiveRecord", "StatusRecord", "write_incentives", "write_statuses"]


@dataclass(frozen=True)
class StatusRecord:
    """One source's word on one state's status towards one GSP+ convention."""

    iso3: str
    convention: str  # registry key
    status: str  # one of models.CONVENTION_STATUSES
    date: dt.date | None
    as_of: dt.date | None
    source: str
    note: str | None = None
    line: int | None = None


@dataclass(frozen=True)
class IncentiveRecord:
    """A period of a state under a trade arrangement (gsp, gsp-plus, eba)."""

    iso3: str
    scheme: str
    start_date: dt.date | None
    end_date: dt.date | None
    source: str
    note: str | None = None
    line: int | None = None


def _period(ctx: ImportContext, days: Sequence[dt.date | None]) -> None:
    known = [d for d in days if d is not None]
    if known:
        ctx.dataset.period_start = min(known)
        ctx.dataset.period_end = max(known)


def write_statuses(ctx: ImportContext, records: Sequence[StatusRecord]) -> None:
    """Upsert ``records``; with ``--replace``, delete the stored rows of the same sources
    that the file no longer lists (an editor's rows are never touched)."""
    sources = {r.source for r in records}
    stored = {
        (row.iso3, row.convention, row.source): row
        for row in ctx.session.scalars(
            select(ConventionStatus).where(ConventionStatus.source.in_(sorted(sources)))
        )
    }
    seen: set[tuple[str, str, str]] = set()
    for r in records:
        key = (r.iso3, r.convention, r.source)
        seen.add(key)
        ctx.upsert(
            stored.get(key),
            ConventionStatus,
            {"iso3": r.iso3, "convention": r.convention, "source": r.source},
            # a file that restates an editor's row (same source) makes it the file's row
            {
                "status": r.status,
                "date": r.date,
                "as_of": r.as_of,
                "note": r.note,
                "entered_by": None,
            },
        )
    _period(ctx, [r.date or r.as_of for r in records])
    imported = [row for row in stored.values() if row.entered_by is None]
    omitted = [row for row in imported if (row.iso3, row.convention, row.source) not in seen]
    if ctx.may_delete("convention status", len(omitted), len(imported)):
        for row in omitted:
            ctx.session.delete(row)
            ctx.report.deleted += 1


def write_incentives(ctx: ImportContext, records: Sequence[IncentiveRecord]) -> None:
    """Upsert incentive periods by (state, scheme, start date); with ``--replace``, delete
    the stored periods of the file's schemes that it no longer lists."""
    schemes = {r.scheme for r in records}
    stored = {
        (row.iso3, row.scheme, row.start_date): row
        for row in ctx.session.scalars(
            select(IncentiveStatus).where(IncentiveStatus.scheme.in_(sorted(schemes)))
        )
    }
    seen: set[tuple[str, str, dt.date | None]] = set()
    for r in records:
        key = (r.iso3, r.scheme, r.start_date)
        seen.add(key)
        ctx.upsert(
            stored.get(key),
            IncentiveStatus,
            {"iso3": r.iso3, "scheme": r.scheme, "start_date": r.start_date},
            {"end_date": r.end_date, "source": r.source, "note": r.note},
        )
    _period(ctx, [r.start_date for r in records] + [r.end_date for r in records])
    omitted = [row for key, row in stored.items() if key not in seen]
    if ctx.may_delete("incentive period", len(omitted), len(stored)):
        for row in omitted:
            ctx.session.delete(row)
            ctx.report.deleted += 1
