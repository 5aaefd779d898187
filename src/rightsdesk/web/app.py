"""The FastAPI application factory: settings in, app out (no global state read at import)."""

from __future__ import annotations

from importlib import resources
from types import ModuleType

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from sqlalchemy.exc import DataError
from starlette.middleware.sessions import SessionMiddleware

from rightsdesk import __version__
from rightsdesk.core.config import Settings, load_settings
from rightsdesk.core.errors import NotFoundError, RightsdeskError
from rightsdesk.core.security.crypto import configure_encryption
from rightsdesk.web.deps import LoginRequired, csrf_token


def _wants_json(request: Request) -> bool:
    return request.url.path.startswith("/api/") or "application/json" in request.headers.get(
        "accept", ""
    )


def create_app(settings: Settings | None = None) -> FastAPI:
    """Build the workbench for one store."""
    settings = settings or load_settings()
    configure_encryption(settings.secret_key)
    app = FastAPI(
        title="rightsdesk API",
        version=__version__,
        description="JSON API of rightsdesk. Authenticate with `Authorization: Bearer TOKEN` "
        "(create one with `rightsdesk users token NAME`).",
        docs_url="/api/docs",
        openapi_url="/api/v1/openapi.json",
        redoc_url=None,
    )
    app.state.settings = settings
    web_root = resources.files("rightsdesk.web")
    templates = Jinja2Templates(directory=str(web_root / "templates"))
    templates.env.globals["version"] = __version__
    app.state.templates = templates
    app.add_middleware(
        SessionMiddleware,
        secret_key=settings.secret_key,
        session_cookie="rightsdesk_session",
        same_site="lax",
        https_only=settings.secure_cookies,
        max_age=8 * 3600,
    )

    @app.middleware("http")
    async def security_headers(request: Request, call_next):  # type: ignore[no-untyped-def]
        response: Response = await call_next(request)
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("X-Frame-Options", "DENY")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        response.headers.setdefault(
            "Content-Security-Policy",
            "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; "
            "script-src 'self' 'unsafe-eval'",
        )
        return response

    @app.exception_handler(LoginRequired)
    async def to_login(request: Request, exc: LoginRequired) -> Response:
        return RedirectResponse(f"/login?next={exc.next_url}", status_code=303)

    @app.exception_handler(RightsdeskError)
    async def user_error(request: Request, exc: RightsdeskError) -> Response:
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

    @app.exception_handler(RequestValidationError)
    async def bad_request(request: Request, exc: RequestValidationError) -> Response:
        fields = [".".join(str(p) for p in e["loc"]) + ": " + e["msg"] for e in exc.errors()]
        return JSONResponse({"error": "input-error", "message": "; ".join(fields)}, status_code=422)

    app.mount("/static", StaticFiles(directory=str(web_root / "static")), name="static")

    from rightsdesk.web import auth_routes, core_routes

    app.include_router(auth_routes.router)
    app.include_router(core_routes.router)
    for module in _form_route_modules():
        app.include_router(module.router)
    return app


def _form_route_modules() -> list[ModuleType]:
    """Each form's routes module (it registers its state-page panels on import)."""
    import importlib

    modules: list[ModuleType] = []
    for name in ("rightsdesk.negotiation.routes", "rightsdesk.monitoring.routes"):
        try:
            modules.append(importlib.import_module(name))
        except ModuleNotFoundError as exc:
            if exc.name != name:
                raise
    return modules
