"""What other rooms and the state risk page read from the events room.

``monthly_pressure`` and ``state_section`` follow the interventions form's shared contract;
``coverage`` and ``top_states`` serve the events pages. All read the stored monthly figures
(never the Parquet files), so they answer fast on SQLite and PostgreSQL.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from rightsdesk.core.labels import state_label
from rightsdesk.interventions.events.models import EventExport, EventMonthly, EventVolume
from rightsdesk.interventions.events.schema import PERSPECTIVES, ROOTS

if TYPE_CHECKING:
    from rightsdesk.core.security.models import User

SOURCE = "GDELT 2.0 Event Database (root events, deduplicated)"


def _check_perspective(perspective: str) -> None:
    from rightsdesk.core.errors import InputError

    if perspective not in PERSPECTIVES:
        raise InputError(
            f"unknown perspective {perspective!r} (expected {', '.join(PERSPECTIVES)})",
            field="perspective",
        )


def monthly_pressure(
    session: Session, iso3: str, months: int = 24, perspective: str = "action"
) -> list[dict[str, Any]]:
    """The state's last ``months`` months with events, one row per month and root:
    ``{"month": "YYYY-MM", "root": "17", "label": "coerce", "events": int, "share": float,
    "goldstein": float | None, "total": int}``. A root without events that month has
    ``events`` 0, ``share`` 0.0 and ``goldstein`` None (no average of nothing)."""
    _check_perspective(perspective)
    iso3 = iso3.upper()
    volume = session.execute(
        select(EventVolume.month, EventVolume.total)
        .where(EventVolume.perspective == perspective, EventVolume.iso3 == iso3)
        .order_by(EventVolume.month.desc())
        .limit(max(1, months))
    ).all()
    if not volume:
        return []
    totals = {m: int(t) for m, t in volume}
    found = {
        (r.month, r.root): r
        for r in session.scalars(
            select(EventMonthly).where(
                EventMonthly.perspective == perspective,
                EventMonthly.iso3 == iso3,
                EventMonthly.month.in_(list(totals)),
            )
        )
    }
    rows: list[dict[str, Any]] = []
    for month in sorted(totals):
        for root, label in ROOTS.items():
            hit = found.get((month, root))
            rows.append(
                {
                    "month": month,
                    "root": root,
                    "label": label,
                    "events": hit.events if hit else 0,
                    "share": hit.share if hit else 0.0,
                    "goldstein": hit.goldstein if hit else None,
                    "total": totals[month],
                }
            )
    return rows


def coverage(session: Session) -> dict[str, Any]:
    """What is ingested: exports, events, event dates, up to when GDELT added them, and how
    many exports the monthly figures do not count yet (``pending``)."""
    row = session.execute(
        select(
            func.count(EventExport.id),
            func.coalesce(func.sum(EventExport.rows), 0),
            func.coalesce(func.sum(EventExport.rejected), 0),
            func.min(EventExport.first_date),
            func.max(EventExport.last_date),
            func.max(EventExport.added_up_to),
        )
    ).one()
    added = row[5]
    pending = session.scalar(
        select(func.count(EventExport.id)).where(EventExport.aggregated.is_(False))
    )
    return {
        "exports": int(row[0]),
        "events": int(row[1]),
        "rejected": int(row[2]),
        "first_date": row[3],
        "last_date": row[4],
        "added_up_to": _added(added),
        "source": SOURCE,
        #: exports recorded with ``--no-aggregate``: not yet in the monthly figures
        "pending": int(pending or 0),
    }


def _added(value: int | None) -> dt.datetime | None:
    """A DATEADDED number (YYYYMMDDHHMMSS, UTC) as a datetime."""
    if value is None:
        return None
    try:
        return dt.datetime.strptime(str(value), "%Y%m%d%H%M%S").replace(tzinfo=dt.UTC)
    except ValueError:
        return None


def latest_month(session: Session, perspective: str = "action") -> str | None:
    """The newest month with any stored figure."""
    return session.scalar(
        select(func.max(EventVolume.month)).where(EventVolume.perspective == perspective)
    )


def top_states(
    session: Session,
    month: str | None = None,
    roots: tuple[str, ...] = ("17", "18"),
    min_events: int = 10,
    limit: int = 15,
    perspective: str = "action",
) -> list[dict[str, Any]]:
    """States by the combined share of ``roots`` (coerce and assault by default) in
    ``month`` (the latest), among states with at least ``min_events`` events that month:
    a handful of events makes any share meaningless."""
    _check_perspective(perspective)
    month = month or latest_month(session, perspective)
    if month is None:
        return []
    totals = dict(
        session.execute(
            select(EventVolume.iso3, EventVolume.total).where(
                EventVolume.perspective == perspective,
                EventVolume.month == month,
                EventVolume.total >= min_events,
            )
        ).all()
    )
    counts: dict[str, dict[str, int]] = {}
    for r in session.scalars(
        select(EventMonthly).where(
            EventMonthly.perspective == perspective,
            EventMonthly.month == month,
            EventMonthly.root.in_(roots),
            EventMonthly.iso3.in_(list(totals)),
        )
    ):
        counts.setdefault(r.iso3, {})[r.root] = r.events
    ranked: list[dict[str, Any]] = [
        {
            "iso3": iso3,
            "name": state_label(iso3),
            "month": month,
            "total": int(total),
            **{f"events_{root}": by.get(root, 0) for root in roots},
            "share": round(sum(by.values()) / total, 6),
        }
        for iso3, total in totals.items()
        if (by := counts.get(iso3))
    ]
    ranked.sort(key=lambda r: (-r["share"], -r["total"], r["iso3"]))
    return ranked[:limit]


def state_section(session: Session, iso3: str, reader: User | None) -> dict[str, Any] | None:
    """Context of ``interventions/_events_state.html`` (as ``sec``): the chart of the shares
    per root over the last 24 months, the latest month's figures and the coverage; None when
    no event of the state is stored. Event data is public: ``reader`` changes nothing."""
    from rightsdesk.interventions.events.charts import pressure_chart_spec
    from rightsdesk.reports.charts import script_json

    rows = monthly_pressure(session, iso3, 24)
    if not rows:
        return None
    iso3 = iso3.upper()
    name = state_label(iso3)
    last = rows[-1]["month"]
    return {
        "iso3": iso3,
        "name": name,
        "rows": rows,
        "latest_month": last,
        "latest": [r for r in rows if r["month"] == last],
        "months": len({r["month"] for r in rows}),
        "spec_json": script_json(
            pressure_chart_spec(rows, f"{name}: kinds of events as a share of all events")
        ),
        "coverage": coverage(session),
    }
