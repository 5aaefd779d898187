"""ETag, 304 and a page cache for read-only pages and API answers, keyed by the data version.

A GET of a data page (states, treaties, votes, blocs, positions, recommendations, datasets,
the interventions ranking, register, events and escalation, and their API twins) is answered
in three ways, cheapest first, all decided before the route runs:

1. ``304 Not Modified`` when the browser sends back (``If-None-Match``) the ETag it got, and
   nothing it depends on changed;
2. the page as this worker built it before for the same user, URL, ``Accept`` header, day
   and data version (an in-process cache of rendered answers, ``PAGES``), with the session's
   CSRF token put back in;
3. otherwise the route builds it, and it is kept for the next ask.

The ETag and the cache key are made of the data version *of what the page shows*
(``version_for``: vote pages ignore recommendation imports and all edits but vote
corrections; treaty pages read only
treaty imports; everything else, every import and edit), the user (id and role, checked
against the store on every request, so a logged-out or revoked session is never served from
the cache), the URL, ``Accept`` and today's date. Pages hold the session's CSRF token in their
forms: the cache keeps a placeholder in its place.

These answers carry ``Cache-Control: private, no-cache`` instead of the ``no-store`` of other
authenticated answers: a browser may keep them, but must ask before each use, and a shared
cache must not keep them. Everything else (the home page, account and audit pages, writes)
stays ``no-store`` and uncached.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import threading
from collections import OrderedDict
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import timedelta
from functools import cache
from typing import Any

import anyio
from fastapi import Request
from fastapi.responses import Response

from rightsdesk.core import cache as results
from rightsdesk.core import warmup
from rightsdesk.core.cache import NOT_VOTES, data_version
from rightsdesk.core.db import session_factory
from rightsdesk.core.security.sessions import session_user
from rightsdesk.core.security.users import user_for_token

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
#: Interventions pages and answers kept too: the ranking, evaluation, register, events and
#: escalation (whose violations figure is a count for the reader, kept per user). Not the state
#: risk page or the framework pages: they show violation events whose reading is audited each
#: time, which a kept copy would skip; nor the editors' forms.
INTERVENTION_PAGES = re.compile(
    r"^(/api/v1)?/interventions"
    r"(/(risk|evaluation|backtest|register|events|escalation)(/(?!new$)[^/]+)?)?$"
)
CACHE_CONTROL = "private, no-cache"

#: Pages built from UN votes only: neither edits nor recommendation imports change them.
VOTE_PAGES = re.compile(
    r"^(/api/v1)?/(votes|blocs|positions)(/|$)|^(/api/v1)?/states/[^/]+/(votes|agreement)$"
)
#: The edits vote pages show (a state's later statement of how it meant to vote).
VOTE_EDITS = ("vote_correction",)
#: Pages built from treaty imports only.
TREATY_PAGES = re.compile(r"^(/api/v1)?/treaties(/|$)")

#: Answers larger than this are not kept; all kept answers together stay under ``MAX_BYTES``.
MAX_BODY = 2 << 20
MAX_BYTES = 96 << 20
CSRF_MARK = b"\x1frightsdesk-csrf\x1f"


@dataclass(frozen=True)
class Kept:
    """One rendered answer: its body (CSRF token replaced by ``CSRF_MARK``) and headers."""

    body: bytes
    headers: tuple[tuple[str, str], ...]


class PageCache:
    """A byte-bounded LRU of rendered answers, shared by the threads of one worker."""

    def __init__(self, max_bytes: int = MAX_BYTES) -> None:
        self.max_bytes = max_bytes
        self._items: OrderedDict[str, Kept] = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()
        self.hits = 0
        self.misses = 0

    def get(self, key: str) -> Kept | None:
        with self._lock:
            kept = self._items.get(key)
            if kept is None:
                self.misses += 1
                return None
            self._items.move_to_end(key)
            self.hits += 1
            return kept

    def put(self, key: str, kept: Kept) -> None:
        with self._lock:
            old = self._items.pop(key, None)
            if old is not None:
                self._bytes -= len(old.body)
            self._items[key] = kept
            self._bytes += len(kept.body)
            while self._bytes > self.max_bytes and self._items:
                _, dropped = self._items.popitem(last=False)
                self._bytes -= len(dropped.body)

    def clear(self) -> None:
        with self._lock:
            self._items.clear()
            self._bytes = 0
            self.hits = self.misses = 0


PAGES = PageCache()


def cacheable(request: Request) -> bool:
    if request.method not in ("GET", "HEAD"):
        return False
    path = request.url.path
    return path.startswith(CACHEABLE) or INTERVENTION_PAGES.match(path) is not None


@cache
def _treaty_kinds() -> tuple[str, ...]:
    """Dataset kinds of the treaty importers (what treaty pages are built from)."""
    from rightsdesk.forms import all_importers

    return tuple(
        i.kind
        for i in all_importers()
        if type(i).__module__.startswith("rightsdesk.negotiation.treaties")
    )


def version_for(session: Any, path: str) -> str:
    """The data version of what the page at ``path`` shows (see the module docstring)."""
    if VOTE_PAGES.match(path):
        return "v" + data_version(session, edits=False, ignore=NOT_VOTES, entities=VOTE_EDITS)
    if TREATY_PAGES.match(path):
        return "t" + data_version(session, edits=False, only=_treaty_kinds())
    return data_version(session)


@dataclass(frozen=True)
class Caller:
    """Who asks: enough to key answers that depend on the user (role, and the user's own
    records), nothing that would let one user's answer reach another."""

    user_id: int
    role: str


def _look_up(request: Request) -> tuple[str, Caller | None]:
    """(data version, caller) in one short store session; None when not logged in (then the
    route answers as it would: a redirect to the login page or a 401)."""
    settings = request.app.state.settings
    session = session_factory(settings.database_url)()
    try:
        version = version_for(session, request.url.path)
        if warmup.banner(settings) is not None:
            # pages built while the warm-up runs show its banner: neither kept nor 304'd later
            version += ".warming"
        auth = request.headers.get("authorization", "")
        user = None
        if auth.lower().startswith("bearer "):
            user = user_for_token(session, auth[7:].strip())
        else:
            sid = (request.scope.get("session") or {}).get("sid")
            if isinstance(sid, str) and sid:
                idle = timedelta(minutes=max(1, settings.session_idle_minutes))
                user = session_user(session, sid, idle)
        session.commit()
        return version, (Caller(user.id, user.role) if user is not None else None)
    finally:
        session.close()


def etag_for(version: str, caller: Caller, request: Request) -> str:
    """The ETag (and cache key) of this request's answer while the data stay as they are."""
    parts = [
        # the store: two apps in one process (tests, a notebook) share ``PAGES``, and two
        # stores copied from one template have the same data version
        str(request.app.state.settings.database_url),
        version,
        f"{caller.user_id}:{caller.role}",
        request.method,
        request.url.path,
        request.url.query,
        request.headers.get("accept", ""),
        dt.date.today().isoformat(),
    ]
    digest = hashlib.sha256("\x1f".join(parts).encode()).hexdigest()[:32]
    return f'"{digest}"'


def etag_warming(request: Request) -> bool:
    """Whether a warm-up is running (its banner is on the page being built)."""
    return warmup.banner(request.app.state.settings) is not None


def _matches(header: str, etag: str) -> bool:
    tags = {t.strip().removeprefix("W/") for t in header.split(",")}
    return etag in tags or "*" in tags


def _csrf(request: Request) -> bytes | None:
    """The session's CSRF token that pages embed (None for token callers: no session)."""
    from rightsdesk.web.deps import csrf_token

    sid = (request.scope.get("session") or {}).get("sid")
    return csrf_token(request).encode() if isinstance(sid, str) and sid else None


async def etags(request: Request, call_next: Callable[[Request], Awaitable[Response]]) -> Response:
    """HTTP middleware: 304 for an unchanged answer, a kept answer when this worker built it
    before, ETag on fresh 200 answers. Every request, cacheable or not, first points the
    results cache at this app's data folder: a worker whose first pages are the risk ranking
    must read what the warm-up kept on disk, not fit the model again."""
    results.configure(request.app.state.settings.data_dir)
    if not cacheable(request):
        return await call_next(request)
    version, caller = await anyio.to_thread.run_sync(_look_up, request)
    if caller is None:
        return await call_next(request)
    etag = etag_for(version, caller, request)
    fresh = {"ETag": etag, "Cache-Control": CACHE_CONTROL}
    if _matches(request.headers.get("if-none-match", ""), etag):
        return Response(status_code=304, headers=fresh)
    token = _csrf(request)
    if request.method != "GET":
        return _fresh(await call_next(request), fresh)
    # one build per key at a time: simultaneous first asks wait for it, then share it
    flight = _FLIGHTS.setdefault(etag, anyio.Lock())
    try:
        async with flight:
            return await _answer(request, call_next, etag, token, fresh)
    finally:
        if not flight.locked():
            _FLIGHTS.pop(etag, None)


def _fresh(response: Response, fresh: dict[str, str]) -> Response:
    if response.status_code == 200:
        response.headers.update(fresh)
    return response


#: The page builds in progress in this worker, by key.
_FLIGHTS: dict[str, anyio.Lock] = {}


async def _answer(
    request: Request,
    call_next: Callable[[Request], Awaitable[Response]],
    etag: str,
    token: bytes | None,
    fresh: dict[str, str],
) -> Response:
    """The kept answer, or the route's, kept for the next ask."""
    kept = PAGES.get(etag)
    if kept is not None:
        body = kept.body
        if CSRF_MARK in body:
            body = body.replace(CSRF_MARK, token or b"")
        return Response(content=body, status_code=200, headers={**dict(kept.headers), **fresh})
    response = await call_next(request)
    if response.status_code != 200:
        return response
    chunks = [chunk async for chunk in response.body_iterator]  # type: ignore[attr-defined]
    body = b"".join(c if isinstance(c, bytes) else c.encode() for c in chunks)
    headers = {
        k: v
        for k, v in response.headers.items()
        if k.lower() not in ("content-length", "set-cookie", "etag", "cache-control")
    }
    if len(body) <= MAX_BODY and not etag_warming(request):
        marked = body.replace(token, CSRF_MARK) if token else body
        PAGES.put(etag, Kept(marked, tuple(headers.items())))
    return Response(content=body, status_code=200, headers={**headers, **fresh})
