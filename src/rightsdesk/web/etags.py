"""ETag and 304 for read-only pages and API answers, keyed by the data version.

A GET of a data page (states, treaties, votes, blocs, positions, recommendations, datasets and
their API twins) gets ``ETag: "…"`` computed from the store's data version (``core.cache``),
the caller (the server-side session's contents, or the API token), the URL, the ``Accept``
header and today's date, all before the route runs. A browser that sends it back in
``If-None-Match`` while nothing changed gets ``304 Not Modified`` at the cost of two small
queries, without the page being built again.

These answers carry ``Cache-Control: private, no-cache`` instead of the ``no-store`` of other
authenticated answers: a browser may keep them, but must ask before each use, and a shared
cache must not keep them. Any import or edit changes the version, so the next ask gets the
new page. Everything else (the home page, account and audit pages, writes) stays ``no-store``.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Awaitable, Callable

import anyio
from fastapi import Request
from fastapi.responses import Response

from rightsdesk.core.cache import data_version
from rightsdesk.core.db import session_factory

#: Paths whose GET answers depend only on stored data, the caller and the URL.
CACHEABLE = (
    "/states/",
    "/treaties",
    "/votes",
    "/blocs",
    "/positions",
    "/recommendations",
    "/api/v1/states",
    "/api/v1/treaties",
    "/api/v1/votes",
    "/api/v1/blocs",
    "/api/v1/positions",
    "/api/v1/recommendations",
    "/api/v1/datasets",
)
CACHE_CONTROL = "private, no-cache"


def cacheable(request: Request) -> bool:
    return request.method in ("GET", "HEAD") and request.url.path.startswith(CACHEABLE)


def _version(url: str) -> str:
    session = session_factory(url)()
    try:
        return data_version(session)
    finally:
        session.close()


async def etag_for(request: Request) -> str:
    """The ETag this request's answer gets while the data stay as they are."""
    version = await anyio.to_thread.run_sync(_version, request.app.state.settings.database_url)
    caller = json.dumps(request.scope.get("session") or {}, sort_keys=True, default=str)
    parts = [
        version,
        caller,
        request.headers.get("authorization", ""),
        request.url.path,
        request.url.query,
        request.headers.get("accept", ""),
        dt.date.today().isoformat(),
    ]
    digest = hashlib.sha256("\x1f".join(parts).encode()).hexdigest()[:32]
    return f'"{digest}"'


def _matches(header: str, etag: str) -> bool:
    tags = {t.strip().removeprefix("W/") for t in header.split(",")}
    return etag in tags or "*" in tags


async def etags(request: Request, call_next: Callable[[Request], Awaitable[Response]]) -> Response:
    """HTTP middleware: 304 for an unchanged answer, ETag on fresh 200 answers."""
    if not cacheable(request):
        return await call_next(request)
    etag = await etag_for(request)
    known = bool(request.scope.get("session")) or "authorization" in request.headers
    if known and _matches(request.headers.get("if-none-match", ""), etag):
        return Response(status_code=304, headers={"ETag": etag, "Cache-Control": CACHE_CONTROL})
    response = await call_next(request)
    if response.status_code == 200:
        response.headers["ETag"] = etag
        response.headers["Cache-Control"] = CACHE_CONTROL
    return response
