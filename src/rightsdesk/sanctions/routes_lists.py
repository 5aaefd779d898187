"""Pages and JSON API of the loaded sanctions lists: the overview (/sanctions), the programme
registry, entity search and one entity with its designations and history, and the entity as
FollowTheMoney JSON.

Reading needs ``Viewer``: the lists are public documents. Taking a whole search away as
FollowTheMoney JSON needs ``Analyst`` (the role that may export in bulk, as elsewhere) and is
written to the audit log.
"""

from __future__ import annotations

import io

from fastapi import APIRouter, Request
from fastapi.responses import Response
from sqlalchemy import select

from rightsdesk.core.errors import InputError, NotFoundError
from rightsdesk.core.limits import preview
from rightsdesk.core.security.audit import record_export
from rightsdesk.sanctions import browse, browse_entities
from rightsdesk.sanctions.browse_schemas import (
    EntityDetail,
    EntitySearch,
    Overview,
    ProgrammeDetail,
    ProgrammeOut,
)
from rightsdesk.sanctions.models import SanctionEntity
from rightsdesk.sanctions.routes_match_api import ApiKeyRoute
from rightsdesk.web.deps import Analyst, DbSession, Viewer, render
from rightsdesk.web.schemas import error_responses
from rightsdesk.web.urls import search_url_builder

router = APIRouter()
TAG = "sanctions"
FACET_NAMES = {
    "schema": "Kind of entity",
    "list": "List",
    "programme": "Programme",
    "country": "State",
}
#: how many entities one FollowTheMoney export may hold (the largest list has ~20,000)
EXPORT_LIMIT = 100_000
#: FollowTheMoney JSON lines: one JSON object a line, as OpenSanctions publishes them
FTM_MEDIA = "application/x-ndjson; charset=utf-8"


def _int(value: str | None, default: int) -> int:
    return int(value) if value and value.isdecimal() and 0 < int(value) < 10**6 else default


def _search(request: Request, db: DbSession, per_page: int | None = None) -> EntitySearch:
    params = request.query_params
    return browse_entities.search_entities(
        db,
        q=params.get("q", ""),
        filters={name: params.getlist(name) for name in browse_entities.ENTITY_FILTERS},
        page=_int(params.get("page"), 1),
        per_page=per_page or _int(params.get("per_page"), 50),
    )


def _human_rights(value: str | None) -> bool | None:
    if value in (None, "", "all"):
        return None
    if value in ("yes", "no"):
        return value == "yes"
    raise InputError("hr must be yes, no or all", field="hr")


# --- pages ------------------------------------------------------------------------------------


@router.get("/sanctions", include_in_schema=False)
def overview_page(request: Request, db: DbSession, user: Viewer) -> Response:
    """Loaded lists with their version dates, the latest changes, where to go next."""
    return render(request, "sanctions/overview.html", user, o=browse.overview(db))


@router.get("/sanctions/programmes", include_in_schema=False)
def programmes_page(request: Request, db: DbSession, user: Viewer) -> Response:
    hr = request.query_params.get("hr", "")
    issuer = request.query_params.get("issuer", "")
    rows = browse.programmes(db, _human_rights(hr), issuer or None)
    return render(
        request,
        "sanctions/programmes.html",
        user,
        rows=rows,
        hr=hr,
        issuer=issuer,
        issuers=browse.programme_issuers(db),
    )


@router.get("/sanctions/programmes/{key}", include_in_schema=False)
def programme_page(request: Request, db: DbSession, user: Viewer, key: str) -> Response:
    from rightsdesk.reports.charts import script_json
    from rightsdesk.reports.sanctions_charts import designations_per_year_chart

    detail = browse.programme_detail(db, key, page=_int(request.query_params.get("page"), 1))
    spec = designations_per_year_chart(
        [y.model_dump() for y in detail.per_year], f"Designations under {detail.programme.key}"
    )
    return render(
        request,
        "sanctions/programme.html",
        user,
        d=detail,
        spec_json=script_json(spec),
        url=search_url_builder(request, f"/sanctions/programmes/{key}"),
    )


@router.get("/sanctions/entities", include_in_schema=False)
def entities_page(request: Request, db: DbSession, user: Viewer) -> Response:
    result = _search(request, db)
    return render(
        request,
        "sanctions/entities.html",
        user,
        result=result,
        q=request.query_params.get("q", ""),
        facet_names=FACET_NAMES,
        url=search_url_builder(request, "/sanctions/entities"),
        can_export=user.role in ("analyst", "editor", "admin"),
    )


@router.get("/sanctions/entities/{entity_id}", include_in_schema=False)
def entity_page(request: Request, db: DbSession, user: Viewer, entity_id: str) -> Response:
    return render(
        request, "sanctions/entity.html", user, e=browse_entities.entity_detail(db, entity_id)
    )


def _ftm_lines(db: DbSession, pks: list[int]) -> str:
    """Entities as FollowTheMoney JSON lines, each followed by its designations as
    ``Sanction`` entities (H2's exporter: every line built through the FtM model)."""
    from rightsdesk.sanctions.ftm_export import write_ftm

    out = io.StringIO()
    write_ftm(db, pks, out)
    return out.getvalue()


@router.get(
    "/api/v1/sanctions/entities/{entity_id}/ftm.json",
    tags=[TAG],
    response_class=Response,
    responses=error_responses(NotFoundError),
)
def entity_ftm(db: DbSession, user: Viewer, entity_id: str) -> Response:
    """One entity as a FollowTheMoney JSON object (id, schema, properties, datasets)."""
    pk = db.scalar(select(SanctionEntity.id).where(SanctionEntity.entity_id == entity_id))
    if pk is None:
        raise NotFoundError(f"no sanctioned entity {preview(entity_id)!r} in this store")
    name = "".join(c if c.isalnum() or c in "-_" else "_" for c in entity_id)[:80]
    return Response(
        _ftm_lines(db, [pk]),
        media_type=FTM_MEDIA,
        headers={"Content-Disposition": f'attachment; filename="{name}.ftm.json"'},
    )


@router.get(
    "/api/v1/sanctions/entities.ftm.json",
    tags=[TAG],
    response_class=Response,
    responses=error_responses(InputError),
)
def entities_ftm(request: Request, db: DbSession, user: Analyst) -> Response:
    """Every entity matching the search (same parameters as /sanctions/entities) as
    FollowTheMoney JSON lines, one entity a line: the format OpenSanctions publishes."""
    params = request.query_params
    filters = {name: params.getlist(name) for name in browse_entities.ENTITY_FILTERS}
    pks = browse_entities.entities_matching(db, params.get("q", ""), filters, EXPORT_LIMIT + 1)
    if len(pks) > EXPORT_LIMIT:
        raise InputError(f"more than {EXPORT_LIMIT:,} entities: narrow the search")
    criteria = {"q": params.get("q", ""), **browse_entities.clean_filters(filters)}
    body = _ftm_lines(db, pks)
    record_export(db, user.name, "sanctions_entity", len(pks), criteria, "ftm-json")
    db.commit()
    return Response(
        body,
        media_type=FTM_MEDIA,
        headers={"Content-Disposition": 'attachment; filename="sanctions-entities.ftm.json"'},
    )


# --- JSON API ---------------------------------------------------------------------------------


@router.get("/api/v1/sanctions/lists", tags=[TAG], response_model=Overview)
def api_lists(db: DbSession, user: Viewer) -> Overview:
    """The loaded lists (version date of the last file imported, entities, entities in
    force), counts of entities and programmes, and what the latest versions added, removed
    and changed."""
    return browse.overview(db)


@router.get(
    "/api/v1/sanctions/programmes",
    tags=[TAG],
    response_model=list[ProgrammeOut],
    responses=error_responses(InputError),
)
def api_programmes(request: Request, db: DbSession, user: Viewer) -> list[ProgrammeOut]:
    """The programme registry with designations counted. ``hr=yes`` keeps the human-rights
    regimes (US-GLOMAG, EU-HR, GB-HR, ...), ``hr=no`` the others; ``issuer`` one issuer."""
    params = request.query_params
    return browse.programmes(db, _human_rights(params.get("hr")), params.get("issuer") or None)


@router.get(
    "/api/v1/sanctions/programmes/{key}",
    tags=[TAG],
    response_model=ProgrammeDetail,
    responses=error_responses(NotFoundError),
)
def api_programme(request: Request, db: DbSession, user: Viewer, key: str) -> ProgrammeDetail:
    """One programme: designations per year and authority, and a page of its designations
    (newest listing first; ``page``, ``per_page`` up to 200)."""
    params = request.query_params
    return browse.programme_detail(
        db, key, _int(params.get("page"), 1), _int(params.get("per_page"), 50)
    )


@router.get(
    "/api/v1/sanctions/entities",
    tags=[TAG],
    response_model=EntitySearch,
    responses=error_responses(InputError),
)
def api_entities(request: Request, db: DbSession, user: Viewer) -> EntitySearch:
    """Entities whose names contain ``q`` (any script, case-insensitive; or whose id is
    ``q``), with facet counts. Filters (repeatable): ``schema`` (FtM schema), ``list`` (list
    key), ``programme`` (registry key or the list's code), ``country`` (ISO3), ``status``
    (active, delisted), ``hr=yes`` (designated under a human rights regime); ``page``,
    ``per_page`` (max 200)."""
    return _search(request, db)


#: the entity as yente's clients follow a match to it (``entities/{id}``, ``ApiKey`` scheme)
entity_router = APIRouter(route_class=ApiKeyRoute)


@entity_router.get(
    "/api/v1/sanctions/entities/{entity_id}",
    tags=[TAG],
    response_model=EntityDetail,
    responses=error_responses(NotFoundError),
)
def api_entity(db: DbSession, user: Viewer, entity_id: str) -> EntityDetail:
    """One entity: names in every script, FtM properties, ties to states, designations
    (authority, programme, measure, listed/delisted, reason, source) and history. Also
    readable as a yente entity (``id``, ``schema``, ``properties``, ``datasets``, ``target``)
    and with ``Authorization: ApiKey TOKEN``, so OpenSanctions clients follow a match here."""
    return browse_entities.entity_detail(db, entity_id)


router.include_router(entity_router)
