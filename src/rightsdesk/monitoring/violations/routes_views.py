"""The timeline (``/violations/timeline``) and the map (``/violations/map``) of documented
events, under the list's filters and the reader's access.

Both aggregate the ids ``search.event_select`` gives (the list's filters *and*
``access.visible``), so a bar or a country's count never includes an event the reader could
not open. The map places an event with a flagged location at its state only: points come from
the clear coordinates of unflagged events, and the encrypted exact location is never read
here. Each chart has a table beside it for readers without JavaScript.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from rightsdesk.core.states import State
from rightsdesk.monitoring.violations.access import Principal
from rightsdesk.monitoring.violations.charts import (
    MAX_POINTS,
    MapPoint,
    TimelineRow,
    events_map_spec,
    timeline_spec,
)
from rightsdesk.monitoring.violations.models import Act, Event
from rightsdesk.monitoring.violations.pages_filters import parse_query
from rightsdesk.monitoring.violations.routes_pages import page_context, visible_ids
from rightsdesk.monitoring.violations.vocab import act_type_labels, date_text
from rightsdesk.reports.charts import script_json
from rightsdesk.web.deps import DbSession, Viewer, render

router = APIRouter()
NO_ACT = "no act recorded"


def timeline_rows(db: Session, ids: Any) -> tuple[list[TimelineRow], int, int]:
    """Events per (month, violation type), and how many events are dated only to the year or
    not at all (left out of a monthly chart rather than put in January)."""
    labels = act_type_labels(db)
    found = db.execute(
        select(Event.id, Event.start_date, Event.start_precision, Act.act_type)
        .outerjoin(Act, Act.event_id == Event.id)
        .where(Event.id.in_(ids))
        .distinct()
    )
    counts: Counter[tuple[str, str]] = Counter()
    year_only: set[int] = set()
    undated: set[int] = set()
    for event_id, start, precision, act_type in found:
        if start is None or precision == "unknown":
            undated.add(event_id)
        elif precision == "year":
            year_only.add(event_id)
        else:
            label = labels.get(act_type, act_type) if act_type else NO_ACT
            counts[(start.strftime("%Y-%m"), label)] += 1
    rows = [
        TimelineRow(month=month, act_type=label, events=n)
        for (month, label), n in sorted(counts.items())
    ]
    return rows, len(year_only), len(undated)


def map_data(db: Session, ids: Any) -> tuple[dict[str, int], dict[str, str], list[MapPoint]]:
    """Events per state, the states' names, and the points of unflagged events that have
    coordinates (at most ``MAX_POINTS`` + 1, so the page can say some were left out)."""
    per_state = {
        str(iso3): int(n)
        for iso3, n in db.execute(
            select(Event.state_iso3, func.count(Event.id))
            .where(Event.id.in_(ids), Event.state_iso3.is_not(None))
            .group_by(Event.state_iso3)
        )
    }
    names = {
        iso3: name
        for iso3, name in db.execute(
            select(State.iso3, State.name).where(State.iso3.in_(list(per_state)))
        )
    }
    found = db.execute(
        select(
            Event.id,
            Event.title,
            Event.place,
            Event.area,
            Event.start_date,
            Event.start_precision,
            Event.latitude,
            Event.longitude,
        )
        .where(
            Event.id.in_(ids),
            Event.location_sensitive.is_(False),
            Event.latitude.is_not(None),
            Event.longitude.is_not(None),
        )
        .order_by(Event.start_date.desc(), Event.id.desc())
        .limit(MAX_POINTS + 1)
    )
    points = [
        MapPoint(
            id=event_id,
            title=title,
            place=place or area or "",
            when=date_text(start, precision),
            latitude=float(lat or 0.0),  # the query keeps only rows with both
            longitude=float(lon or 0.0),
        )
        for event_id, title, place, area, start, precision, lat, lon in found
    ]
    return per_state, names, points


@router.get("/violations/timeline", include_in_schema=False)
def timeline_page(request: Request, db: DbSession, user: Viewer) -> Response:
    """Events by month and violation type, under the list's filters."""
    who = Principal.of(user)
    query = parse_query(request.query_params)
    rows, year_only, undated = timeline_rows(db, visible_ids(db, who, query))
    spec = timeline_spec(rows, "Events by month and violation type")
    return render(
        request,
        "violations/timeline.html",
        user,
        rows=rows,
        year_only=year_only,
        undated=undated,
        spec_json=script_json(spec),
        **page_context(db, who, query, "/violations/timeline"),
    )


@router.get("/violations/map", include_in_schema=False)
def map_page(request: Request, db: DbSession, user: Viewer) -> Response:
    """Events per state on a world map, with a point for each event whose location may be
    shown, under the list's filters."""
    who = Principal.of(user)
    query = parse_query(request.query_params)
    per_state, names, points = map_data(db, visible_ids(db, who, query))
    spec = events_map_spec(per_state, points, "Documented events per state", names)
    return render(
        request,
        "violations/map.html",
        user,
        per_state=sorted(per_state.items(), key=lambda kv: (-kv[1], names.get(kv[0], kv[0]))),
        names=names,
        points=len(points),
        too_many=len(points) > MAX_POINTS,
        max_points=MAX_POINTS,
        spec_json=script_json(spec),
        **page_context(db, who, query, "/violations/map"),
    )
