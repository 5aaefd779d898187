"""Login and logout pages (CSRF-protected; limits, lockout and audit in the users service).

A login starts a server-side session (``core.security.sessions``) whose id is all the signed
cookie carries; logout revokes it, so a copy of the cookie is worthless afterwards.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response

from rightsdesk.core.errors import AuthenticationError
from rightsdesk.core.security import audit
from rightsdesk.core.security.sessions import end_session, start_session
from rightsdesk.core.security.users import authenticate
from rightsdesk.web.deps import (
    CsrfChecked,
    DbSession,
    SettingsDep,
    client_address,
    render,
    safe_next,
)

router = APIRouter()


@router.get("/login", include_in_schema=False)
def login_page(request: Request, next: str = "/") -> Response:
    return render(request, "login.html", next=safe_next(next), error=None)


@router.post("/login", include_in_schema=False)
def login(
    request: Request,
    db: DbSession,
    settings: SettingsDep,
    _csrf: CsrfChecked,
    username: Annotated[str, Form(max_length=1000)],
    password: Annotated[str, Form(max_length=1000)],
    next: Annotated[str, Form(max_length=2000)] = "/",
) -> Response:
    address = client_address(request)
    try:
        user = authenticate(db, username, password, address, settings.login_rate_limit)
    except AuthenticationError as exc:
        db.commit()  # keep the audit entry of the failure
        response = render(request, "login.html", next=safe_next(next), error=exc.message)
        response.status_code = 401
        return response
    sid = start_session(db, user, address)
    audit.record(db, user.name, "login", "user", user.name, after={"address": address})
    db.commit()
    request.session.clear()
    request.session["sid"] = sid
    return RedirectResponse(safe_next(next), status_code=303)


@router.post("/logout", include_in_schema=False)
def logout(request: Request, db: DbSession, _csrf: CsrfChecked) -> Response:
    sid = request.session.get("sid")
    if isinstance(sid, str) and sid:
        user = end_session(db, sid)
        if user is not None:
            audit.record(db, user.name, "logout", "user", user.name)
        db.commit()
    request.session.clear()
    return RedirectResponse("/login", status_code=303)
