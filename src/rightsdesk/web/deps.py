"""FastAPI dependencies, as ``Annotated`` aliases so routes read as plain signatures.

Every route declares who may call it through ``Viewer``, ``Analyst``, ``Editor`` or ``Admin``
(or ``require(Permission.X)``): there is no route without a role check.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable, Iterator
from typing import Annotated, Any

from fastapi import Depends, Form, Request
from fastapi.responses import Response
from sqlalchemy.orm import Session

from rightsdesk.core.config import Settings
from rightsdesk.core.db import session_factory
from rightsdesk.core.errors import AuthenticationError, PermissionDenied
from rightsdesk.core.security.models import User
from rightsdesk.core.security.roles import Permission, allows
from rightsdesk.core.security.users import user_for_token


class LoginRequired(Exception):
    """A page was asked for without a session: the app redirects to the login page."""

    def __init__(self, next_url: str) -> None:
        self.next_url = next_url


def get_settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


SettingsDep = Annotated[Settings, Depends(get_settings)]


def get_db(settings: SettingsDep) -> Iterator[Session]:
    """One session per request; committed by the route when it writes, else rolled back."""
    session = session_factory(settings.database_url)()
    try:
        yield session
    finally:
        session.close()


DbSession = Annotated[Session, Depends(get_db)]


def current_user(request: Request, db: DbSession) -> User:
    """The user of a browser session or of an ``Authorization: Bearer`` API token."""
    auth = request.headers.get("authorization", "")
    if auth.lower().startswith("bearer "):
        user = user_for_token(db, auth[7:].strip())
        if user is None:
            raise AuthenticationError("invalid or revoked API token")
        return user
    user_id = request.session.get("user_id")
    if user_id is not None:
        user = db.get(User, int(user_id))
        if user is not None and user.active:
            return user
    if request.url.path.startswith("/api/"):
        raise AuthenticationError("log in or send an API token (Authorization: Bearer TOKEN)")
    raise LoginRequired(str(request.url.path))


CurrentUser = Annotated[User, Depends(current_user)]


def require(permission: Permission) -> Callable[..., User]:
    """A dependency that lets through only users whose role holds ``permission``."""

    def check(user: CurrentUser) -> User:
        if not allows(user.role, permission):
            raise PermissionDenied(
                f"your role ({user.role}) does not allow this ({permission.value})"
            )
        return user

    return check


Viewer = Annotated[User, Depends(require(Permission.READ))]
Analyst = Annotated[User, Depends(require(Permission.ANALYSE))]
Editor = Annotated[User, Depends(require(Permission.EDIT))]
Admin = Annotated[User, Depends(require(Permission.ADMIN))]


def csrf_token(request: Request) -> str:
    """The session's CSRF token, created on first use; every form embeds it."""
    token = request.session.get("csrf")
    if not token:
        token = secrets.token_urlsafe(32)
        request.session["csrf"] = token
    return str(token)


def check_csrf(request: Request, csrf_token: Annotated[str, Form()] = "") -> None:
    """Refuse a form post whose token does not match the session's (cross-site forgery)."""
    expected = request.session.get("csrf")
    if not expected or not secrets.compare_digest(str(expected), csrf_token):
        raise PermissionDenied("the form has expired or did not come from this site; reload it")


CsrfChecked = Annotated[None, Depends(check_csrf)]


def render(request: Request, template: str, user: User | None = None, **context: Any) -> Response:
    """A server-rendered page with the shared layout context."""
    templates = request.app.state.templates
    response: Response = templates.TemplateResponse(
        request, template, {"user": user, "csrf": csrf_token(request), **context}
    )
    return response
