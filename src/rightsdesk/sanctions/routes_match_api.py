"""OpenSanctions' matching API on rightsdesk: ``POST /api/v1/sanctions/match/{dataset}``
with yente's request, query parameters, response and error shapes (``yente_schemas``), so
that a tool written for the OpenSanctions API works against rightsdesk once its base URL is
``http://HOST/api/v1/sanctions`` (where it had ``https://api.opensanctions.org``).

``dataset``: ``default`` (or ``sanctions``) screens every loaded list; a list key
(``us_ofac_sdn``, ``un_sc_sanctions``, ...) only that list. Unknown: 404 "No such dataset."

Authentication: an API token (``rightsdesk users token NAME``), sent as OpenSanctions
clients send their key, ``Authorization: ApiKey TOKEN``, or as ``Authorization: Bearer
TOKEN``; any role from ``Viewer`` up. A browser session works as for every API write (with
the page's CSRF token in ``X-CSRF-Token``). Errors come as yente's ``{"detail": ...}``.
Every request is written to the audit log (who asked, which query entities).

Why under ``/api/`` and not at yente's bare ``/match``: outside ``/api/`` every POST must
carry a form's CSRF token (``tests/core/test_route_security.py``), which a script cannot;
under it, token calls need none and cookie calls are checked for cross-site forgery.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Coroutine
from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from fastapi.routing import APIRoute
from sqlalchemy import select

from rightsdesk.core.errors import RightsdeskError
from rightsdesk.sanctions.matching import SCREENING_THRESHOLD
from rightsdesk.sanctions.models import SanctionList
from rightsdesk.sanctions.screen_service import audit_screening
from rightsdesk.sanctions.yente_match import (
    ALGORITHMS,
    QueryError,
    scored_entities,
    to_query,
    topics_of,
)
from rightsdesk.sanctions.yente_schemas import (
    EntityExample,
    EntityMatches,
    EntityMatchQuery,
    EntityMatchResponse,
    ErrorResponse,
    TotalSpec,
)
from rightsdesk.web.deps import DbSession, LoginRequired, Viewer

MATCH_PAGE = 5  # yente's default number of results per query
MAX_MATCHES = 500
MAX_BATCH = 100
ALL_LISTS = ("default", "sanctions")
TS_PATTERN = r"^\d{4}-\d{2}-\d{2}(T\d{2}(:\d{2}(:\d{2})?)?)?$"


def apikey_as_bearer(request: Request) -> None:
    """Read ``Authorization: ApiKey TOKEN`` (how OpenSanctions clients send their key) as
    ``Bearer TOKEN``, before any dependency reads the header."""
    headers = []
    for name, value in request.scope["headers"]:
        if name == b"authorization" and value[:7].lower() == b"apikey ":
            value = b"Bearer " + value[7:].strip()
        headers.append((name, value))
    request.scope["headers"] = headers


class ApiKeyRoute(APIRoute):
    """A route that accepts OpenSanctions' ``ApiKey`` authorisation scheme as well."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def route(request: Request) -> Response:
            apikey_as_bearer(request)
            return await handler(request)

        return route


class YenteRoute(APIRoute):
    """A route that answers as yente does: ``Authorization: ApiKey`` accepted as a bearer
    token, and every refusal (no token, wrong role, bad body) as ``{"detail": ...}``."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def route(request: Request) -> Response:
            apikey_as_bearer(request)
            try:
                return await handler(request)
            except HTTPException as exc:
                return _detail(exc.status_code, str(exc.detail))
            except RightsdeskError as exc:
                return _detail(exc.http_status, exc.message)
            except LoginRequired:
                return _detail(401, "send an API token: Authorization: ApiKey TOKEN")
            except RequestValidationError as exc:
                # FastAPI's shape, without the "input" member: a query's names stay out of it
                keep = ("type", "loc", "msg")
                errors = [{k: v for k, v in e.items() if k in keep} for e in exc.errors()]
                return JSONResponse({"detail": errors}, status_code=422)

        return route


def _detail(status: int, message: str) -> JSONResponse:
    return JSONResponse({"detail": message}, status_code=status)


router = APIRouter(route_class=YenteRoute)


def _dataset_lists(db: DbSession, dataset: str) -> list[str] | None:
    """The lists a dataset name stands for (None: all); 404 for an unknown name."""
    if dataset in ALL_LISTS:
        return None
    if db.scalar(select(SanctionList.id).where(SanctionList.key == dataset)) is None:
        raise HTTPException(404, detail="No such dataset.")
    return [dataset]


@router.post(
    "/api/v1/sanctions/match/{dataset}",
    summary="Query by example matcher (OpenSanctions yente compatible)",
    tags=["Matching"],
    response_model=EntityMatchResponse,
    response_model_by_alias=True,
    responses={
        400: {"model": ErrorResponse, "description": "Invalid query"},
        401: {"model": ErrorResponse, "description": "No or invalid API token"},
        404: {"model": ErrorResponse, "description": "No such dataset"},
    },
)
def match(
    response: Response,
    db: DbSession,
    user: Viewer,
    match: EntityMatchQuery,
    dataset: str,
    limit: Annotated[int, Query(ge=1, le=MAX_MATCHES)] = MATCH_PAGE,
    threshold: Annotated[float, Query(ge=0.0, le=1.0)] = SCREENING_THRESHOLD,
    cutoff: Annotated[float | None, Query(ge=0.0, le=1.0, deprecated=True)] = None,
    algorithm: Annotated[str, Query(max_length=40)] = "best",
    include_dataset: Annotated[list[str], Query()] = [],  # noqa: B006 (FastAPI copies it)
    exclude_schema: Annotated[list[str], Query()] = [],  # noqa: B006
    exclude_dataset: Annotated[list[str], Query()] = [],  # noqa: B006
    topics: Annotated[list[str], Query()] = [],  # noqa: B006
    changed_since: Annotated[str | None, Query(pattern=TS_PATTERN)] = None,
    exclude_entity_ids: Annotated[list[str], Query(max_length=50)] = [],  # noqa: B006
) -> EntityMatchResponse:
    """Match entities (a person's name, birth date and nationality; a company's name and
    registration number; ...) as OpenSanctions' ``/match`` does; see yente's documentation.
    Scores come from rightsdesk's explained matcher whatever ``algorithm`` names (the
    default threshold is the matcher's own); ``explanations`` say how names aligned and
    which evidence counted. Results are listed entities (``target`` true) scoring at or above
    ``cutoff`` (default: ``threshold``); ``match`` marks those at or above ``threshold``;
    ``total`` counts the matches."""
    from rightsdesk.sanctions.screening import load_index, screen

    if algorithm not in ALGORITHMS:
        raise HTTPException(400, detail=f"Invalid algorithm: {algorithm[:40]}")
    for key in match.config:
        raise HTTPException(
            400, detail=f"Invalid configuration parameter: {key[:40]} for algorithm {algorithm}"
        )
    if len(match.queries) > MAX_BATCH:
        raise HTTPException(400, detail=f"Too many queries in one batch (limit: {MAX_BATCH})")
    if not match.queries:
        raise HTTPException(400, detail="No queries provided.")
    lists = _dataset_lists(db, dataset)
    since = dt.date.fromisoformat(changed_since[:10]) if changed_since else None
    floor = min(cutoff if cutoff is not None else threshold, threshold)
    index = load_index(db, lists)
    responses: dict[str, EntityMatches] = {}
    audited: list[dict[str, Any]] = []
    found = 0
    for name, example in match.queries.items():
        try:
            query, kept = to_query(example.schema_, example.properties)
        except QueryError as exc:
            raise HTTPException(400, detail=f"Cannot parse example entity: {exc}") from None
        audited.append({"query": name[:100], "schema": query.schema, "properties": kept})
        want = min(MAX_MATCHES, max(20, limit * 4))
        hits = screen(index, query, floor, want)
        results = []
        for scored, entity in scored_entities(db, hits, threshold):
            if (
                scored.schema_ in exclude_schema
                or scored.id in exclude_entity_ids
                or (include_dataset and not set(scored.datasets) & set(include_dataset))
                or set(scored.datasets) & set(exclude_dataset)
                or (topics and not topics_of(entity) & set(topics))
                or (since is not None and (entity.last_change or dt.date.min) < since)
            ):
                continue
            results.append(scored)
        matches = sum(1 for r in results if r.match)
        found += matches
        responses[name] = EntityMatches(
            status=200,
            results=results[:limit],
            total=TotalSpec(value=matches, relation="eq"),
            query=EntityExample(id=example.id, schema=query.schema, properties=dict(kept)),
        )
    audit_screening(db, user.name, "match-api", audited, found)
    db.commit()
    response.headers["x-batch-size"] = str(len(responses))
    return EntityMatchResponse(responses=responses, limit=limit)
