"""The FastAPI application factory: settings in, app out (no global state read at import)."""

from __future__ import annotations

import logging
import traceback
from importlib import resources
from urllib.parse import parse_qsl

from fastapi import FastAPI, Request
from fastapi.exception_handlers import http_exception_handler
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from sqlalchemy.exc import DataError, IntegrityError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeoutError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.middleware.sessions import SessionMiddleware
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from rightsdesk import __version__
from rightsdesk.core import cache, labels, warmup
from rightsdesk.core.config import Settings, check_store_key, load_settings
from rightsdesk.core.coverage import sessions_list, upr_years
from rightsdesk.core.db import StoreWatch
from rightsdesk.core.errors import (
    AuthenticationError,
    BusyError,
    ConflictError,
    NotFoundError,
    RightsdeskError,
)
from rightsdesk.core.limits import (
    MAX_BODY,
    MAX_PARAM,
    MAX_QUERY,
    MAX_UPLOAD,
    BodyTooLargeError,
    InputBoundsError,
    preview,
)
from rightsdesk.core.security.crypto import configure_encryption
from rightsdesk.web.deps import LoginRequired, Viewer, csrf_token, render
from rightsdesk.web.etags import etags

#: The Content-Security-Policy of every answer. No inline script and no ``eval``: the charts
#: run Vega with its expression interpreter (``static/charts.js`` asks vega-embed for ``ast``).
CSP = (
    "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; "
    "script-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; "
    "frame-ancestors 'none'"
)


def add_label_filters(templates: Jinja2Templates) -> None:
    """Words for codes in every template (``{{ r.body | body }}``), from ``core.labels``: the
    same words as the CLI tables and the exports."""
    templates.env.filters.update(
        body=labels.body_label,
        vote_type=labels.vote_type_label,
        vote_value=labels.vote_value_label,
        group=labels.group_label,
        state=labels.state_label,
        axis=labels.axis_title,
        table_name=labels.table_label,
        period=labels.period_label,
        dataset=labels.dataset_name,
        upr_years=upr_years,
        sessions_list=sessions_list,
    )


def _wants_json(request: Request) -> bool:
    return request.url.path.startswith("/api/") or "application/json" in request.headers.get(
        "accept", ""
    )


def create_app(settings: Settings | None = None) -> FastAPI:
    """Build the workbench for one store."""
    settings = settings or load_settings()
    configure_encryption(settings.secret_key, settings.data_dir)
    check_store_key(settings)
    cache.configure(settings.data_dir)  # what the warm-up and other workers kept on disk
    app = FastAPI(
        title="rightsdesk API",
        version=__version__,
        description="JSON API of rightsdesk. Authenticate with `Authorization: Bearer TOKEN` "
        "(create one with `rightsdesk users token NAME`).",
        docs_url=None,  # served below, behind login and from local assets
        openapi_url="/api/v1/openapi.json",
        redoc_url=None,
    )
    app.state.settings = settings
    web_root = resources.files("rightsdesk.web")
    templates = Jinja2Templates(directory=str(web_root / "templates"))
    templates.env.globals["version"] = __version__
    templates.env.globals["warmup_banner"] = lambda: warmup.banner(settings)
    add_label_filters(templates)
    app.state.templates = templates
    app.middleware("http")(etags)  # inside the session middleware: it reads the session
    app.add_middleware(
        SessionMiddleware,
        secret_key=settings.secret_key,
        session_cookie="rightsdesk_session",
        same_site="lax",
        https_only=settings.secure_cookies,
        max_age=8 * 3600,
    )
    watch = StoreWatch.for_url(settings.database_url)
    app.add_middleware(RequestGuard, templates=templates, watch=watch)  # outside the session
    hide_error_details(logging.getLogger("uvicorn.error"))

    @app.middleware("http")
    async def security_headers(request: Request, call_next):  # type: ignore[no-untyped-def]
        response: Response = await call_next(request)
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("X-Frame-Options", "DENY")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        response.headers.setdefault("Content-Security-Policy", CSP)
        if not request.url.path.startswith("/static/"):
            # pages and API answers hold data a shared computer must not keep
            response.headers.setdefault("Cache-Control", "no-store")
        return response

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        """The framework's own errors (no such route, method not allowed) in the API's error
        shape, like every other API error; pages keep FastAPI's default answer."""
        if request.url.path.startswith("/api/"):
            code = {404: "not-found", 405: "method-not-allowed"}.get(exc.status_code, "http-error")
            return JSONResponse(
                {"error": code, "message": str(exc.detail)},
                status_code=exc.status_code,
                headers=getattr(exc, "headers", None),
            )
        return await http_exception_handler(request, exc)

    @app.exception_handler(LoginRequired)
    async def to_login(request: Request, exc: LoginRequired) -> Response:
        return RedirectResponse(f"/login?next={exc.next_url}", status_code=303)

    @app.exception_handler(RightsdeskError)
    async def user_error(request: Request, exc: RightsdeskError) -> Response:
        if isinstance(exc, AuthenticationError) and request.url.path == "/api/docs":
            return RedirectResponse("/login?next=/api/docs", status_code=303)  # a page
        if _wants_json(request):
            return JSONResponse(exc.to_dict(), status_code=exc.http_status)
        response = templates.TemplateResponse(
            request,
            "error.html",
            {"error": exc, "user": None, "csrf": csrf_token(request)},
            status_code=exc.http_status,
        )
        return response

    @app.exception_handler(OverflowError)
    @app.exception_handler(DataError)
    async def out_of_range(request: Request, exc: Exception) -> Response:
        """A number in the URL or body that the store cannot hold (e.g. an id of 20 digits)."""
        return await user_error(
            request, NotFoundError("no such record (a number in the request is out of range)")
        )

    @app.exception_handler(OperationalError)
    @app.exception_handler(PoolTimeoutError)
    async def store_busy(request: Request, exc: Exception) -> Response:
        """A lock wait that ran out (SQLite "database is locked", PostgreSQL lock timeout,
        deadlock or serialisation failure) or no free connection: 503 + Retry-After."""
        if isinstance(exc, OperationalError) and not is_busy(exc):
            raise exc
        busy = BusyError(
            "the store is busy with another writer (an import or a long edit); nothing was "
            f"changed by this request. Retry in {BusyError.retry_after} seconds."
        )
        response = await user_error(request, busy)
        response.headers["Retry-After"] = str(BusyError.retry_after)
        return response

    @app.exception_handler(IntegrityError)
    async def conflict(request: Request, exc: IntegrityError) -> Response:
        """Two simultaneous first writes of one record: the loser gets a 409, not a 500."""
        return await user_error(
            request,
            ConflictError(
                "a simultaneous change to the same record won; nothing was changed by this "
                "request. Reload and try again."
            ),
        )

    @app.exception_handler(RequestValidationError)
    async def bad_request(request: Request, exc: RequestValidationError) -> Response:
        fields = [".".join(str(p) for p in e["loc"]) + ": " + e["msg"] for e in exc.errors()]
        return JSONResponse({"error": "input-error", "message": "; ".join(fields)}, status_code=422)

    app.mount("/static", StaticFiles(directory=str(web_root / "static")), name="static")

    @app.get("/api/docs", include_in_schema=False)
    def api_docs(request: Request, user: Viewer) -> Response:
        """Swagger UI for the JSON API, from the vendored assets (no CDN), for logged-in users."""
        return render(request, "api_docs.html", user, openapi_url=app.openapi_url)

    from rightsdesk.forms import routers
    from rightsdesk.web import auth_routes, core_routes

    app.include_router(auth_routes.router)
    app.include_router(core_routes.router)
    for router in routers():
        app.include_router(router)
    return app


#: SQLSTATEs of PostgreSQL that mean "another transaction was in the way": lock_not_available,
#: deadlock_detected, serialization_failure, query_canceled (statement/lock timeout).
BUSY_SQLSTATES = frozenset({"55P03", "40P01", "40001", "57014"})


def is_busy(exc: OperationalError) -> bool:
    """Whether a database error means "locked, try again" rather than a broken store."""
    orig = exc.orig
    if getattr(orig, "sqlstate", None) in BUSY_SQLSTATES:
        return True
    name = getattr(orig, "sqlite_errorname", "") or ""
    return name.startswith(("SQLITE_BUSY", "SQLITE_LOCKED")) or "database is locked" in str(orig)


def app_from_env() -> FastAPI:
    """The app of one uvicorn worker process (``rightsdesk serve --workers N``): settings from
    the environment and TOML, the store from ``RIGHTSDESK_DATABASE_URL`` (set by ``serve``)."""
    return create_app(load_settings())


# --- request bounds and the store watch ----------------------------------------------------


class _Overflow(Exception):
    """The body grew past the limit while the app read it."""


def _param_problem(scope: Scope) -> InputBoundsError | None:
    """A query or path value that is too long or holds a NUL byte, before any route runs."""
    raw: bytes = scope.get("query_string", b"")
    if len(raw) > MAX_QUERY:
        return InputBoundsError(f"query string refused: longer than {MAX_QUERY:,} bytes")
    pairs = parse_qsl(raw.decode("latin-1"), keep_blank_values=True, errors="replace")
    for name, value in pairs:
        for text in (name, value):
            if len(text) > MAX_PARAM:
                return InputBoundsError(
                    f"query value refused: longer than {MAX_PARAM:,} characters ({preview(text)})",
                    field=name[:40],
                )
            if "\x00" in text:
                return InputBoundsError("query value refused: contains a NUL byte", field=name[:40])
    path: str = scope.get("path", "")
    if len(path) > MAX_QUERY or any(len(part) > MAX_PARAM for part in path.split("/")):
        return InputBoundsError(
            f"path refused: a part over {MAX_PARAM:,} characters or over {MAX_QUERY:,} in all "
            f"({preview(path)})"
        )
    if "\x00" in path:
        return InputBoundsError("path refused: contains a NUL byte")
    return None


class RequestGuard:
    """ASGI middleware that bounds every request before the application sees it.

    - each query value and path segment at most ``MAX_PARAM`` characters, the query string
      at most ``MAX_QUERY`` bytes, no NUL bytes: else 422;
    - the body at most ``MAX_BODY`` bytes (``MAX_UPLOAD`` for ``multipart/form-data``): else
      413, from ``Content-Length`` before reading, or as soon as a streamed body passes it;
    - a SQLite store whose file disappeared or was replaced since start: 503 (``StoreWatch``).

    Errors are the app's usual ones: JSON under ``/api`` (``{"error": ..., "message": ...}``),
    the error page elsewhere.
    """

    def __init__(self, app: ASGIApp, templates: Jinja2Templates, watch: StoreWatch | None) -> None:
        self.app = app
        self.templates = templates
        self.watch = watch

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        problem: RightsdeskError | None = _param_problem(scope)
        headers = {k.lower(): v for k, v in scope.get("headers", [])}
        upload = headers.get(b"content-type", b"").lower().startswith(b"multipart/form-data")
        limit = MAX_UPLOAD if upload else MAX_BODY
        too_large = BodyTooLargeError(f"request body refused: larger than {limit:,} bytes")
        if problem is None:
            length = headers.get(b"content-length", b"")
            if length.isdigit() and (len(length) > 12 or int(length) > limit):
                problem = too_large
        if problem is None and self.watch is not None and not scope["path"].startswith("/static/"):
            problem = self.watch.problem()
        if problem is not None:
            await self._error(scope, problem)(scope, receive, send)
            return

        received = 0
        state = {"overflow": False, "replaced": False}

        async def bounded_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    state["overflow"] = True
                    raise _Overflow
            return message

        async def guarded_send(message: Message) -> None:
            if state["overflow"]:  # whatever the app answers, the client gets the 413
                if message["type"] == "http.response.start" and not state["replaced"]:
                    state["replaced"] = True
                    await self._error(scope, too_large)(scope, receive, send)
                return
            await send(message)

        try:
            await self.app(scope, bounded_receive, guarded_send)
        except _Overflow:
            if not state["replaced"]:
                state["replaced"] = True
                await self._error(scope, too_large)(scope, receive, send)

    def _error(self, scope: Scope, exc: RightsdeskError) -> Response:
        request = Request(scope)
        if _wants_json(request):
            return JSONResponse(exc.to_dict(), status_code=exc.http_status)
        return self.templates.TemplateResponse(
            request,
            "error.html",
            {"error": exc, "user": None, "csrf": ""},
            status_code=exc.http_status,
        )


# --- tracebacks without data ---------------------------------------------------------------


def _safe_message(exc: BaseException) -> str:
    """The message of ``exc``, unless it comes from the database, whose messages can quote
    stored values (PostgreSQL: ``Key (name)=(...) already exists``)."""
    from sqlalchemy.exc import DBAPIError, StatementError

    if isinstance(exc, DBAPIError):
        orig = exc.orig
        code = getattr(orig, "sqlstate", None) or getattr(orig, "sqlite_errorname", None)
        return (
            f"{type(orig).__name__} [{code or '?'}] (database message hidden: it may quote "
            f"stored data) [SQL: {exc.statement}]"
        )
    if isinstance(exc, StatementError):
        return f"(message hidden) [SQL: {exc.statement}]"
    if type(exc).__module__.split(".")[0] in ("psycopg", "psycopg2", "sqlite3"):
        return "(database message hidden: it may quote stored data)"
    return str(exc)


def safe_traceback(exc: BaseException) -> str:
    """A traceback as Python prints it (causes first), with database messages hidden."""
    chain: list[BaseException] = []
    current: BaseException | None = exc
    while current is not None and all(current is not seen for seen in chain):
        chain.append(current)
        current = current.__cause__ or (
            None if current.__suppress_context__ else current.__context__
        )
    parts: list[str] = []
    for i, item in enumerate(reversed(chain)):
        if i:
            parts.append("\nThe above exception led to the following one:\n\n")
        parts.append("Traceback (most recent call last):\n")
        parts.extend(traceback.format_tb(item.__traceback__))
        kind = type(item)
        parts.append(f"{kind.__module__}.{kind.__qualname__}: {_safe_message(item)}\n")
    return "".join(parts).rstrip("\n")


class HideErrorDetails(logging.Filter):
    """Logs tracebacks without SQL parameters or database messages (which hold user data)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.exc_info and record.exc_info[1] is not None:
            record.exc_text = safe_traceback(record.exc_info[1])
        return True


def hide_error_details(logger: logging.Logger) -> None:
    """Install ``HideErrorDetails`` on ``logger`` once (uvicorn logs app errors to
    ``uvicorn.error``; its logging setup keeps a logger's filters)."""
    if not any(isinstance(f, HideErrorDetails) for f in logger.filters):
        logger.addFilter(HideErrorDetails())
