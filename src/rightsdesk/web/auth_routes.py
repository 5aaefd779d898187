"""Login and logout pages (CSRF-protected, rate-limited through the users service)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response

from rightsdesk.core.errors import AuthenticationError
from rightsdesk.core.security.users import authenticate
from rightsdesk.web.deps import CsrfChecked, DbSession, SettingsDep, render

router = APIRouter()


def _safe_next(target: str) -> str:
    """Only same-site relative paths: never an open redirect."""
    return target if target.startswith("/") and not target.startswith("//") else "/"


@router.get("/login", include_in_schema=False)
def login_page(request: Request, next: str = "/") -> Response:
    return render(request, "login.html", next=_safe_next(next), error=None)


@router.post("/login", include_in_schema=False)
def login(
    request: Request,
    db: DbSession,
    settings: SettingsDep,
    _csrf: CsrfChecked,
    username: Annotated[str, Form()],
    password: Annotated[str, Form()],
    next: Annotated[str, Form()] = "/",
) -> Response:
    address = request.client.host if request.client else "?"
    try:
        user = authenticate(db, username, password, address, settings.login_rate_limit)
    except AuthenticationError as exc:
        db.commit()  # keep the failed attempt for rate limiting
        response = render(request, "login.html", next=_safe_next(next), error=exc.message)
        response.status_code = 401
        return response
    db.commit()
    request.session.clear()
    request.session["user_id"] = user.id
    return RedirectResponse(_safe_next(next), status_code=303)


@router.post("/logout", include_in_schema=False)
def logout(request: Request, _csrf: CsrfChecked) -> Response:
    request.session.clear()
    return RedirectResponse("/login", status_code=303)
