"""Pseudonymised export over the web: ``GET /api/v1/violations/export?format=csv|json`` and the
download link pages use, ``GET /violations/export.csv`` (the event list's URL parameters).

Any reader may export what they may read; the export itself decides what that is
(``pseudonymise.build_export`` goes through ``access``), writes the audit entries and is
committed before the answer goes out, so a download is never unaudited.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from rightsdesk.core.errors import InputError, UnknownStateError
from rightsdesk.monitoring.violations.access import Principal
from rightsdesk.monitoring.violations.pages_filters import parse_query
from rightsdesk.monitoring.violations.pseudonymise import build_export, to_csv, to_json
from rightsdesk.monitoring.violations.search import EventFilters
from rightsdesk.web.deps import DbSession, SettingsDep, Viewer
from rightsdesk.web.schemas import error_responses

router = APIRouter()

State = Annotated[str | None, Query(max_length=200, description="ISO3 or name.")]
From = Annotated[dt.date | None, Query(alias="from")]
To = Annotated[dt.date | None, Query(alias="to")]
ActType = Annotated[str | None, Query(max_length=60)]
Status = Annotated[str | None, Query(max_length=20)]
Level = Annotated[str | None, Query(max_length=30, description="Confidentiality.")]
ERRORS = error_responses(InputError, UnknownStateError)
CSV_TYPE = "text/csv; charset=utf-8"


def _download(body: str, media_type: str, suffix: str) -> Response:
    name = f"violations-pseudonymised-{dt.date.today():%Y%m%d}.{suffix}"
    return Response(
        body,
        media_type=media_type,
        headers={
            "Content-Disposition": f'attachment; filename="{name}"',
            "X-Content-Type-Options": "nosniff",
            "Cache-Control": "no-store",
        },
    )


def _export(
    db: DbSession,
    settings: SettingsDep,
    user: Viewer,
    fmt: str,
    filters: EventFilters,
) -> Response:
    export = build_export(db, Principal.of(user), filters, settings.secret_key, fmt)
    db.commit()  # the audit entries, before anything leaves
    if fmt == "json":
        return _download(to_json(export), "application/json", "json")
    return _download(to_csv(export, bom=True), CSV_TYPE, "csv")


@router.get(
    "/api/v1/violations/export",
    responses={
        **ERRORS,
        200: {"content": {"text/csv": {}, "application/json": {}}},
    },
    tags=["violations"],
)
def api_export(
    db: DbSession,
    settings: SettingsDep,
    user: Viewer,
    format: Annotated[Literal["csv", "json"], Query()] = "json",
    state: State = None,
    date_from: From = None,
    date_to: To = None,
    act_type: ActType = None,
    status: Status = None,
    level: Level = None,
    perpetrator: Annotated[int | None, Query(ge=1, le=2**53)] = None,
    q: Annotated[
        str | None, Query(max_length=200, description="In title, description and area.")
    ] = None,
) -> Response:
    """The events the caller may read, pseudonymised (stable V-/S-/P-/E- pseudonyms; names,
    contacts, witness summaries and exact places removed), as CSV or JSON. Audited."""
    filters = EventFilters(
        state=state,
        date_from=date_from,
        date_to=date_to,
        act_type=act_type,
        status=status,
        confidentiality=level,
        perpetrator=perpetrator,
        q=q,
    )
    return _export(db, settings, user, format, filters)


@router.get("/violations/export.csv", include_in_schema=False, responses=ERRORS)
def page_export(request: Request, db: DbSession, settings: SettingsDep, user: Viewer) -> Response:
    """The download link of the event list: the same export as CSV for a spreadsheet, with the
    list's own filters (its URL parameters, read as the list reads them)."""
    query = parse_query(request.query_params)
    if query.problems:
        name, problem = next(iter(query.problems.items()))
        raise InputError(problem, field=name)
    return _export(db, settings, user, "csv", query.filters)
