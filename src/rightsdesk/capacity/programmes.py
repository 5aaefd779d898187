"""Finding programmes: filters, facet counts and pages (``search_programmes``), and the
programme page (``programme_detail``, in ``programmes_detail.py``).

Filters (each repeatable; values of one filter are alternatives, filters combine):
``donor`` (reporting organisation identifier), ``recipient`` (ISO3), ``sector`` (DAC code,
vocabulary 1 or 2), ``status`` (IATI ActivityStatus code), and a period ``start``/``end``
(``YYYY`` or ``YYYY-MM-DD``): a programme matches when its period (actual dates, else
planned) overlaps the one asked for; a programme with no date at all cannot be placed and is
left out of a period search. Facet counts are computed with every filter but the facet's own,
so a reader sees how many programmes choosing another value would give.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import ColumnElement, and_, func, or_, select
from sqlalchemy.orm import Session

from rightsdesk.capacity.codelists import code_label
from rightsdesk.capacity.models import Programme, Recipient, Sector
from rightsdesk.capacity.programmes_detail import programme_detail, region_label
from rightsdesk.capacity.programmes_schemas import FacetValue, ProgrammeItem, ProgrammeSearch
from rightsdesk.core.errors import InputError
from rightsdesk.core.labels import state_label

__all__ = ["FILTERS", "programme_detail", "search_programmes", "sector_label", "status_label"]

FILTERS = ("donor", "recipient", "sector", "status")
DAC_VOCABULARIES = ("1", "2")
_YEAR = re.compile(r"^\d{4}$")

START = func.coalesce(Programme.actual_start, Programme.planned_start)
END = func.coalesce(Programme.actual_end, Programme.planned_end)


def sector_label(session: Session, code: str) -> str:
    """A DAC sector in words (IATI Sector codelist), with the code as a last resort."""
    return code_label(session, "Sector", code) or f"DAC sector {code}"


def status_label(session: Session, code: str | None) -> str | None:
    """An IATI activity status in words."""
    if code is None:
        return None
    return code_label(session, "ActivityStatus", code) or f"status {code}"


def parse_day(text: str | None, field: str, end: bool = False) -> dt.date | None:
    """``YYYY`` (its first day, or last when ``end``) or ``YYYY-MM-DD``; None when empty."""
    value = (text or "").strip()
    if not value:
        return None
    if _YEAR.match(value):
        return dt.date(int(value), 12, 31) if end else dt.date(int(value), 1, 1)
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise InputError(f"malformed date {value!r} (YYYY or YYYY-MM-DD)", field=field) from None


def _conditions(
    filters: Mapping[str, Sequence[str]], start: dt.date | None, end: dt.date | None
) -> dict[str, ColumnElement[bool]]:
    conds: dict[str, ColumnElement[bool]] = {}
    if filters.get("donor"):
        conds["donor"] = Programme.reporting_org_ref.in_(list(filters["donor"]))
    if filters.get("recipient"):
        codes = [c.upper() for c in filters["recipient"]]
        conds["recipient"] = Programme.id.in_(
            select(Recipient.programme_id).where(Recipient.state_iso3.in_(codes))
        )
    if filters.get("sector"):
        conds["sector"] = Programme.id.in_(
            select(Sector.programme_id).where(
                Sector.code.in_(list(filters["sector"])),
                Sector.vocabulary.in_(DAC_VOCABULARIES),
            )
        )
    if filters.get("status"):
        conds["status"] = Programme.status_code.in_(list(filters["status"]))
    if start is not None:
        conds["start"] = or_(start <= END, and_(END.is_(None), START.is_not(None)))
    if end is not None:
        conds["end"] = or_(end >= START, and_(START.is_(None), END.is_not(None)))
    return conds


def _facets(
    session: Session,
    conds: dict[str, ColumnElement[bool]],
    filters: Mapping[str, Sequence[str]],
) -> dict[str, list[FacetValue]]:
    def ids(skip: str) -> Any:
        return select(Programme.id).where(*(c for k, c in conds.items() if k != skip))

    out: dict[str, list[FacetValue]] = {}
    donors = session.execute(
        select(
            Programme.reporting_org_ref,
            func.max(Programme.reporting_org_name),
            func.count(Programme.id),
        )
        .where(Programme.id.in_(ids("donor")), Programme.reporting_org_ref.is_not(None))
        .group_by(Programme.reporting_org_ref)
    ).all()
    out["donor"] = [FacetValue(value=str(r), label=str(n or r), count=c) for r, n, c in donors]
    recipients = session.execute(
        select(Recipient.state_iso3, func.count(func.distinct(Recipient.programme_id)))
        .where(Recipient.programme_id.in_(ids("recipient")), Recipient.state_iso3.is_not(None))
        .group_by(Recipient.state_iso3)
    ).all()
    out["recipient"] = [
        FacetValue(value=str(i), label=state_label(i), count=c) for i, c in recipients
    ]
    sectors = session.execute(
        select(Sector.code, func.count(func.distinct(Sector.programme_id)))
        .where(
            Sector.programme_id.in_(ids("sector")),
            Sector.code.is_not(None),
            Sector.vocabulary.in_(DAC_VOCABULARIES),
        )
        .group_by(Sector.code)
    ).all()
    out["sector"] = [
        FacetValue(value=str(s), label=f"{sector_label(session, str(s))} ({s})", count=c)
        for s, c in sectors
    ]
    statuses = session.execute(
        select(Programme.status_code, func.count(Programme.id))
        .where(Programme.id.in_(ids("status")), Programme.status_code.is_not(None))
        .group_by(Programme.status_code)
    ).all()
    out["status"] = [
        FacetValue(value=str(s), label=status_label(session, s) or str(s), count=c)
        for s, c in statuses
    ]
    for name, values in out.items():
        chosen = set(filters.get(name) or ())
        if name == "recipient":
            chosen = {c.upper() for c in chosen}
        for v in values:
            v.selected = v.value in chosen
        values.sort(key=lambda v: (not v.selected, -v.count, v.label))
    return out


def _recipient_names(session: Session, ids: list[int]) -> dict[int, list[str]]:
    out: dict[int, list[str]] = {}
    if not ids:
        return out
    rows = session.execute(
        select(Recipient.programme_id, Recipient.state_iso3, Recipient.name, Recipient.region_code)
        .where(Recipient.programme_id.in_(ids))
        .order_by(Recipient.id)
    ).all()
    for pid, iso3, name, region in rows:
        label = state_label(iso3) if iso3 else region_label(session, region, name)
        out.setdefault(pid, []).append(label)
    return out


def search_programmes(
    session: Session,
    donor: Sequence[str] = (),
    recipient: Sequence[str] = (),
    sector: Sequence[str] = (),
    status: Sequence[str] = (),
    start: str | None = None,
    end: str | None = None,
    page: int = 1,
    per_page: int = 50,
    everything: bool = False,
) -> ProgrammeSearch:
    """Programmes matching the filters (newest first), one page of them (all with
    ``everything``, for exports), and the facet counts."""
    filters = {
        k: [v.strip() for v in vals if v and v.strip()]
        for k, vals in (
            ("donor", donor),
            ("recipient", recipient),
            ("sector", sector),
            ("status", status),
        )
    }
    filters = {k: v for k, v in filters.items() if v}
    day_from = parse_day(start, "start")
    day_to = parse_day(end, "end", end=True)
    if day_from and day_to and day_from > day_to:
        raise InputError(f"the period starts ({day_from}) after it ends ({day_to})", field="start")
    conds = _conditions(filters, day_from, day_to)
    where = list(conds.values())
    total = session.scalar(select(func.count(Programme.id)).where(*where)) or 0
    per_page = max(1, min(per_page, 200))
    pages = math.ceil(total / per_page)
    page = max(1, page)
    stmt = (
        select(Programme)
        .where(*where)
        .order_by(START.is_(None), START.desc(), Programme.title, Programme.id)
    )
    if not everything:
        stmt = stmt.offset((page - 1) * per_page).limit(per_page)
    found = list(session.scalars(stmt))
    names = _recipient_names(session, [p.id for p in found])
    items = [
        ProgrammeItem(
            id=p.id,
            iati_identifier=p.natural_key,
            title=p.title,
            reporting_org=p.reporting_org_name or p.reporting_org_ref,
            reporting_org_ref=p.reporting_org_ref,
            status=status_label(session, p.status_code),
            start=p.actual_start or p.planned_start,
            end=p.actual_end or p.planned_end,
            recipients=names.get(p.id, []),
        )
        for p in found
    ]
    shown = dict(filters)
    if start:
        shown["start"] = [start]
    if end:
        shown["end"] = [end]
    return ProgrammeSearch(
        total=total,
        page=page,
        per_page=per_page,
        pages=pages,
        filters=shown,
        items=items,
        facets=_facets(session, conds, filters),
    )


def programme_rows(result: ProgrammeSearch) -> list[dict[str, object]]:
    """Flat rows of a search for CSV, JSON export and the CLI."""
    return [
        {
            "id": i.id,
            "iati_identifier": i.iati_identifier,
            "title": i.title,
            "reporting_org": i.reporting_org,
            "reporting_org_ref": i.reporting_org_ref,
            "status": i.status,
            "start": i.start,
            "end": i.end,
            "recipients": "; ".join(i.recipients),
        }
        for i in result.items
    ]


def overview(session: Session) -> dict[str, object]:
    """What the capacity form holds, for its landing page: counts and the latest datasets."""
    from rightsdesk.capacity.models import CrsAid, ProgrammeLink, Rate

    def count(stmt: Any) -> int:
        return int(session.scalar(stmt) or 0)

    years = sorted(session.scalars(select(CrsAid.year).distinct()))
    links = dict(
        session.execute(
            select(ProgrammeLink.status, func.count(ProgrammeLink.id)).group_by(
                ProgrammeLink.status
            )
        ).all()
    )
    return {
        "programmes": count(select(func.count(Programme.id))),
        "donors": count(select(func.count(func.distinct(Programme.reporting_org_ref)))),
        "recipients": count(select(func.count(func.distinct(Recipient.state_iso3)))),
        "crs_years": years,
        "crs_states": count(select(func.count(func.distinct(CrsAid.state_iso3)))),
        "rates": count(select(func.count(Rate.id))),
        "links": {str(k): int(v) for k, v in links.items()},
    }


def audited_programmes_export(
    session: Session, actor: str, fmt: str, result: ProgrammeSearch
) -> tuple[str, str, str]:
    """(body, media type, file name) of a search's programmes as CSV or JSON, recorded in the
    audit log with the filters that chose them; the caller's transaction is committed."""
    import csv
    import io
    import json

    from rightsdesk.core.security import audit

    rows = programme_rows(result)
    audit.record_export(session, actor, "capacity_programme", len(rows), result.filters, fmt)
    session.commit()
    if fmt == "json":
        body = json.dumps(rows, ensure_ascii=False, indent=2, default=str)
        return body, "application/json", "programmes.json"
    out = io.StringIO()
    columns = list(rows[0]) if rows else ["id", "iati_identifier", "title"]
    writer = csv.DictWriter(out, fieldnames=columns, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue(), "text/csv; charset=utf-8", "programmes.csv"
