"""FastAPI dependencies, as ``Annotated`` aliases so routes read as plain signatures.

Every route declares who may call it through ``Viewer``, ``Analyst``, ``Editor`` or ``Admin``
(or ``require(Permission.X)``): there is no route without a role check.

A browser is known by its server-side session (``core.security.sessions``): the signed cookie
holds only the session id, and its CSRF token is derived from that id. A JSON API call that
changes something with a session cookie must carry that token in ``X-CSRF-Token`` and come from
this site's origin (``current_user`` checks it, so every API write does); calls with an API
token (``Authorization: Bearer``) are not exposed to cross-site forgery and need neither.
"""

from __future__ import annotations

import ipaddress
import secrets
from collections.abc import Callable, Iterator
from datetime import timedelta
from functools import cache
from typing import Annotated, Any
from urllib.parse import urlsplit

from fastapi import Depends, Form, Request
from fastapi.responses import Response
from sqlalchemy.orm import Session

from rightsdesk.core.config import Settings
from rightsdesk.core.db import session_factory
from rightsdesk.core.errors import AuthenticationError, ConfigError, PermissionDenied
from rightsdesk.core.security.models import User
from rightsdesk.core.security.roles import Permission, allows
from rightsdesk.core.security.sessions import csrf_for, session_user
from rightsdesk.core.security.users import user_for_token

UNSAFE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
CSRF_HEADER = "X-CSRF-Token"


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


Network = ipaddress.IPv4Network | ipaddress.IPv6Network


@cache
def _networks(setting: str) -> tuple[Network, ...]:
    out = []
    for part in setting.replace(";", ",").replace(" ", ",").split(","):
        if part.strip():
            try:
                out.append(ipaddress.ip_network(part.strip(), strict=False))
            except ValueError as exc:
                raise ConfigError(
                    f"RIGHTSDESK_TRUSTED_PROXIES: {part.strip()!r} is not an address or network"
                ) from exc
    return tuple(out)


def _ip(value: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        return ipaddress.ip_address(value.strip())
    except ValueError:
        return None


def _trusted(address: str, networks: tuple[Network, ...]) -> bool:
    ip = _ip(address)
    return ip is not None and any(ip in net for net in networks)


def client_address(request: Request) -> str:
    """The client's address: the peer of the connection, or, when that peer is one of the
    trusted proxies (``RIGHTSDESK_TRUSTED_PROXIES``), the nearest address in
    ``X-Forwarded-For`` that is not itself a trusted proxy. Headers from anyone else are
    ignored: a client cannot choose the address it is counted under."""
    peer = request.client.host if request.client else "unknown"
    settings: Settings = request.app.state.settings
    networks = _networks(settings.trusted_proxies)
    if not networks or not _trusted(peer, networks):
        return peer
    hops = [
        hop.strip()
        for header in request.headers.getlist("x-forwarded-for")
        for hop in header.split(",")
        if hop.strip()
    ]
    for hop in reversed(hops):
        if not _trusted(hop, networks):
            return hop if _ip(hop) is not None else peer
    return hops[0] if hops else peer


def _same_origin(origin: str, request: Request) -> bool:
    parts = urlsplit(origin)
    host = request.headers.get("host", "")
    return parts.scheme in ("http", "https") and bool(host) and parts.netloc.lower() == host.lower()


def _check_api_write(request: Request, sid: str) -> None:
    """A cookie-authenticated API write must come from this site and carry the CSRF token."""
    origin = request.headers.get("origin")
    if origin is not None and not _same_origin(origin, request):
        raise PermissionDenied(f"cross-site request refused (Origin {origin[:100]})")
    settings: Settings = request.app.state.settings
    sent = request.headers.get(CSRF_HEADER, "")
    if not secrets.compare_digest(sent.encode(), csrf_for(sid, settings.secret_key).encode()):
        raise PermissionDenied(
            f"an API call that changes data with a session cookie needs the {CSRF_HEADER} "
            "header (the page's CSRF token); scripts use an API token instead"
        )


def current_user(request: Request, db: DbSession) -> User:
    """The user of a browser session or of an ``Authorization: Bearer`` API token.

    A session cookie on an unsafe API call (POST, PUT, PATCH, DELETE under ``/api/``) must come
    with the session's CSRF token in ``X-CSRF-Token`` and no foreign ``Origin``.
    """
    auth = request.headers.get("authorization", "")
    if auth.lower().startswith("bearer "):
        user = user_for_token(db, auth[7:].strip())
        if user is None:
            raise AuthenticationError("invalid, expired or revoked API token")
        return user
    sid = request.session.get("sid")
    if isinstance(sid, str) and sid:
        settings: Settings = request.app.state.settings
        idle = timedelta(minutes=max(1, settings.session_idle_minutes))
        found = session_user(db, sid, idle)
        if found is not None:
            if request.method in UNSAFE_METHODS and request.url.path.startswith("/api/"):
                _check_api_write(request, sid)
            return found
        request.session.pop("sid", None)  # ended (logout, timeout, revoked): forget it
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
    """The session's CSRF token; every form embeds it. Logged in: derived from the session id
    (the cookie carries nothing else); before login: random, kept in the cookie."""
    sid = request.session.get("sid")
    if isinstance(sid, str) and sid:
        settings: Settings = request.app.state.settings
        return csrf_for(sid, settings.secret_key)
    token = request.session.get("csrf")
    if not token:
        token = secrets.token_urlsafe(32)
        request.session["csrf"] = token
    return str(token)


def _expected_csrf(request: Request) -> str | None:
    sid = request.session.get("sid")
    if isinstance(sid, str) and sid:
        settings: Settings = request.app.state.settings
        return csrf_for(sid, settings.secret_key)
    token = request.session.get("csrf")
    return str(token) if token else None


def check_csrf(request: Request, csrf_token: Annotated[str, Form()] = "") -> None:
    """Refuse a form post whose token does not match the session's (cross-site forgery)."""
    expected = _expected_csrf(request)
    if not expected or not secrets.compare_digest(expected.encode(), csrf_token.encode()):
        raise PermissionDenied("the form has expired or did not come from this site; reload it")


CsrfChecked = Annotated[None, Depends(check_csrf)]


def safe_next(target: str | None, default: str = "/") -> str:
    """Only same-site relative paths after a login or a form: never an open redirect."""
    if not target or not target.startswith("/") or target.startswith(("//", "/\\")):
        return default
    return target


def render(request: Request, template: str, user: User | None = None, **context: Any) -> Response:
    """A server-rendered page with the shared layout context."""
    templates = request.app.state.templates
    response: Response = templates.TemplateResponse(
        request, template, {"user": user, "csrf": csrf_token(request), **context}
    )
    return response
