"""Accounts (issue 9, item 5): normalised names, login limits per account and per address on the
real client address, atomic counting, equal cost for unknown names, lockout and unlock, and the
account commands of the CLI."""

from __future__ import annotations

import statistics
import threading
import time
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from alembic import command
from fastapi.testclient import TestClient
from sqlalchemy import select, text
from starlette.requests import Request
from typer.testing import CliRunner

from rightsdesk.cli import app as cli_app
from rightsdesk.core.db import get_engine, session_scope
from rightsdesk.core.errors import AuthenticationError, ConflictError, InputError
from rightsdesk.core.security import passwords, users
from rightsdesk.core.security.crypto import configure_encryption
from rightsdesk.core.security.models import AuditEntry, LoginAttempt, User
from rightsdesk.core.security.passwords import hash_password
from rightsdesk.core.security.users import authenticate, create_user, normalise_name, unlock
from rightsdesk.store import alembic_config, upgrade
from rightsdesk.web.app import create_app
from rightsdesk.web.deps import client_address
from tests.conftest import PASSWORD, add_user, make_settings

runner = CliRunner()


def _login(url: str, name: str, password: str, address: str, limit: int = 5) -> User:
    with session_scope(url) as s:
        try:
            return authenticate(s, name, password, address, limit)
        except AuthenticationError:
            s.commit()  # as the login route does: keep the failure's audit entry
            raise


def _fails(url: str, name: str, address: str, times: int) -> None:
    for _ in range(times):
        with pytest.raises(AuthenticationError):
            _login(url, name, "wrong password!", address)


# --- names ---------------------------------------------------------------------------------


def test_names_are_normalised_and_unique(settings: Any) -> None:
    with session_scope(settings.database_url) as s:
        user = create_user(s, "  Amina ", "editor", PASSWORD, actor="test")
        assert user.name == "amina"
    for twin in ("amina", "AMINA", "amina ", "\uff21mina"):  # fullwidth A: NFKC makes it "A"
        with (
            pytest.raises(ConflictError, match="already exists"),
            session_scope(settings.database_url) as s,
        ):
            create_user(s, twin, "viewer", PASSWORD, actor="test")
    assert normalise_name("Jean-Luc.Picard@UN") == "jean-luc.picard@un"
    assert normalise_name("José_2") == "josé_2"
    assert normalise_name("Straße") == "strasse"  # case folding, not just lower()
    for bad, why in [
        ("", "empty"),
        ("   ", "empty"),
        ("x" * 65, "at most 64"),
        ("x" * 5000, "at most 64"),
        ("<b>amina</b>", "only letters"),
        ("ana maria", "only letters"),
        ("a'; drop", "only letters"),
    ]:
        with pytest.raises(InputError, match=why):
            normalise_name(bad)
    # logins compare the same way
    assert _login(settings.database_url, " AMINA ", PASSWORD, "10.0.0.1").name == "amina"


def test_existing_names_are_normalised_by_the_migration(store_url: str, tmp_path: Path) -> None:
    """Accounts made before normalisation still log in with the name they used; two names that
    become one keep apart (the newer one becomes NAME#ID)."""
    cfg = alembic_config(store_url)
    with get_engine(store_url).begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "0006_audit_chain")
        for name in ("Ana Maria", "bob", "BOB", "Carla "):
            conn.execute(
                text(
                    "INSERT INTO user_account (name, role, password_hash, active, created_at) "
                    "VALUES (:n, 'viewer', :h, :a, CURRENT_TIMESTAMP)"
                ),
                {"n": name, "h": hash_password(PASSWORD), "a": True},
            )
        upper_id = conn.execute(text("SELECT id FROM user_account WHERE name = 'BOB'")).scalar()
    upgrade(store_url)
    configure_encryption(make_settings(store_url, tmp_path).secret_key)
    with session_scope(store_url) as s:
        names = set(s.scalars(select(User.name)))
    assert names == {"ana maria", "bob", f"bob#{upper_id}", "carla"}
    for typed in ("Ana Maria", "ana maria", "bob", "Carla", f"BOB#{upper_id}"):
        assert _login(store_url, typed, PASSWORD, "10.0.0.1") is not None


def test_cli_refuses_bad_names_with_exit_65(cli_db: str) -> None:
    def add(name: str) -> Any:
        return runner.invoke(
            cli_app, ["--database", cli_db, "users", "add", name], input=PASSWORD + "\n"
        )

    assert add("admin").exit_code == 0
    for twin in ("admin ", "ADMIN", "Admin"):
        result = add(twin)
        assert result.exit_code == 1 and "already exists" in result.output, twin
    for bad in ("", "x" * 5000, "<script>alert(1)</script>", "a b"):
        result = add(bad)
        assert result.exit_code == 65, (bad[:20], result.output)
        assert "user name" in result.output and "Traceback" not in result.output


# --- limits --------------------------------------------------------------------------------


def test_lockout_holds_from_a_new_address_until_unlocked(settings: Any) -> None:
    add_user(settings, "dana", "viewer")
    url = settings.database_url
    _fails(url, "dana", "10.0.0.1", 5)
    # the right password from another address does not get past the account's lockout
    with pytest.raises(AuthenticationError, match="locked"):
        _login(url, "dana", PASSWORD, "10.0.0.2")
    with pytest.raises(AuthenticationError, match="locked"):
        _login(url, "DANA ", PASSWORD, "192.168.7.7")
    with session_scope(url) as s:
        assert unlock(s, "dana", actor="test") == 5
    assert _login(url, "dana", PASSWORD, "10.0.0.2").name == "dana"
    with session_scope(url) as s:
        actions = [e.action for e in s.scalars(select(AuditEntry).order_by(AuditEntry.id))]
    assert actions.count("login-failed") == 5 and "unlock" in actions


def test_password_spraying_is_limited_per_address(settings: Any) -> None:
    """One address trying one password over many names is stopped after 4 x limit failures,
    while the same names from other addresses are not locked."""
    add_user(settings, "erin", "viewer")
    url = settings.database_url
    for n in range(20):
        with pytest.raises(AuthenticationError, match="wrong user name"):
            _login(url, f"user{n}", "Winter2026!", "203.0.113.9")
    with pytest.raises(AuthenticationError, match="from your address"):
        _login(url, "user20", "Winter2026!", "203.0.113.9")
    with pytest.raises(AuthenticationError, match="from your address"):
        _login(url, "erin", PASSWORD, "203.0.113.9")
    assert _login(url, "erin", PASSWORD, "198.51.100.1").name == "erin"


def test_parallel_bad_logins_are_counted_atomically(
    settings: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """25 simultaneous wrong passwords against a limit of 5: at most 5 are checked."""
    add_user(settings, "fay", "viewer")
    checked: list[int] = []
    real = passwords.verify_password

    def counting(stored: str, password: str) -> bool:
        checked.append(1)
        time.sleep(0.05)  # widen the window a racy count would fall into
        return real(stored, password)

    monkeypatch.setattr(users, "verify_password", counting, raising=True)
    start = threading.Barrier(25)
    outcomes: list[str] = []

    def attempt(n: int) -> None:
        start.wait(timeout=30)
        try:
            _login(settings.database_url, "fay", f"guess number {n}", f"10.1.0.{n}")
            outcomes.append("in")
        except AuthenticationError as exc:
            outcomes.append(exc.message)
        except Exception as exc:  # a database error would be a bug here
            outcomes.append(f"error: {exc!r}")

    threads = [threading.Thread(target=attempt, args=(n,)) for n in range(25)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert len(outcomes) == 25 and not [o for o in outcomes if o.startswith("error")], outcomes
    assert len(checked) <= 5
    assert sum("locked" in o for o in outcomes) >= 20
    with session_scope(settings.database_url) as s:
        attempts = s.scalars(select(LoginAttempt).where(LoginAttempt.name == "fay")).all()
    assert len(attempts) == len(checked)


def test_unknown_names_cost_a_password_check(
    sqlite_settings: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    add_user(sqlite_settings, "gus", "viewer")
    calls: list[str] = []
    real = passwords.verify_password

    def spy(stored: str, password: str) -> bool:
        calls.append(stored)
        return real(stored, password)

    monkeypatch.setattr(users, "verify_password", spy)
    url = sqlite_settings.database_url
    for name in ("nobody", "gus"):
        with pytest.raises(AuthenticationError, match="wrong user name or password"):
            _login(url, name, "not the password", "10.0.0.3")
    assert len(calls) == 2 and all(c.startswith("$argon2id$") for c in calls)


def test_login_time_does_not_tell_which_names_exist(sqlite_settings: Any) -> None:
    add_user(sqlite_settings, "hal", "viewer")
    url = sqlite_settings.database_url

    def timed(name: str, n: int) -> float:
        with pytest.raises(AuthenticationError):
            started = time.perf_counter()
            try:
                _login(url, name, "not the password", f"10.2.0.{n}", limit=100)
            finally:
                elapsed = time.perf_counter() - started
        return elapsed

    timed("warm-up", 0)  # the dummy hash is made once per process
    known = [timed("hal", n) for n in range(1, 4)]
    unknown = [timed(f"ghost{n}", n) for n in range(4, 7)]
    ratio = statistics.median(known) / statistics.median(unknown)
    print(
        f"login: known {statistics.median(known) * 1000:.1f} ms, "
        f"unknown {statistics.median(unknown) * 1000:.1f} ms, ratio {ratio:.2f}"
    )
    assert 1 / 3 < ratio < 3


def test_failed_logins_are_audited_without_the_password(settings: Any) -> None:
    add_user(settings, "ivy", "viewer")
    secret = "my-secret-guess-123"
    _fails_with = [("ivy", "10.0.0.4"), ("nobody-here", "10.0.0.5")]
    for name, address in _fails_with:
        with pytest.raises(AuthenticationError):
            _login(settings.database_url, name, secret, address)
    with session_scope(settings.database_url) as s:
        failed = s.scalars(select(AuditEntry).where(AuditEntry.action == "login-failed")).all()
        everything = " ".join(
            f"{e.actor} {e.entity_id} {e.before} {e.after} {e.note}"
            for e in s.scalars(select(AuditEntry))
        )
    assert [(e.entity_id, (e.after or {})["address"]) for e in failed] == _fails_with
    assert [(e.after or {})["account"] for e in failed] == ["active", "unknown"]
    assert secret not in everything and PASSWORD not in everything


# --- the real client address ---------------------------------------------------------------


def _request(settings: Any, peer: str, forwarded: list[str]) -> Request:
    app = SimpleNamespace(state=SimpleNamespace(settings=settings))
    headers = [(b"x-forwarded-for", value.encode()) for value in forwarded]
    scope = {"type": "http", "client": (peer, 5000), "headers": headers, "app": app}
    return Request(scope)


def test_forwarded_for_only_from_trusted_proxies(sqlite_settings: Any) -> None:
    from dataclasses import replace

    plain = sqlite_settings
    assert client_address(_request(plain, "198.51.100.7", ["1.2.3.4"])) == "198.51.100.7"
    proxied = replace(plain, trusted_proxies="10.0.0.0/8, 192.0.2.1")
    cases = [
        ("10.0.0.5", ["1.2.3.4"], "1.2.3.4"),
        ("10.0.0.5", ["6.6.6.6, 1.2.3.4"], "1.2.3.4"),  # the client's own claim is not believed
        ("10.0.0.5", ["6.6.6.6, 1.2.3.4, 10.0.0.9"], "1.2.3.4"),  # a chain of trusted proxies
        ("10.0.0.5", ["6.6.6.6", "1.2.3.4"], "1.2.3.4"),  # repeated headers read as one list
        ("198.51.100.7", ["1.2.3.4"], "198.51.100.7"),  # not a trusted proxy: header ignored
        ("10.0.0.5", ["not-an-address"], "10.0.0.5"),
        ("10.0.0.5", [], "10.0.0.5"),
    ]
    for peer, forwarded, expected in cases:
        assert client_address(_request(proxied, peer, forwarded)) == expected, (peer, forwarded)


def test_rotating_forwarded_for_does_not_reset_the_limit(sqlite_settings: Any) -> None:
    add_user(sqlite_settings, "jo", "viewer")
    client = TestClient(create_app(sqlite_settings))
    page = client.get("/login").text
    token = page.split('name="csrf_token" value="')[1].split('"')[0]
    for n in range(8):
        client.post(
            "/login",
            data={"csrf_token": token, "username": "jo", "password": "guess"},
            headers={"X-Forwarded-For": f"203.0.113.{n}"},
        )
    right = client.post(
        "/login",
        data={"csrf_token": token, "username": "jo", "password": PASSWORD},
        headers={"X-Forwarded-For": "198.51.100.99"},
        follow_redirects=False,
    )
    assert right.status_code == 401 and "locked" in right.text


def test_serve_leaves_forwarded_headers_to_the_app(
    cli_db: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """uvicorn's own proxy-header handling trusts any local client by default; ``serve`` turns
    it off so only RIGHTSDESK_TRUSTED_PROXIES decides."""
    import uvicorn

    seen: dict[str, Any] = {}
    monkeypatch.setattr(uvicorn, "run", lambda app, **kwargs: seen.update(kwargs))
    result = runner.invoke(cli_app, ["--database", cli_db, "serve"])
    assert result.exit_code == 0, result.output
    assert seen.get("proxy_headers") is False


# --- account commands ----------------------------------------------------------------------


@pytest.fixture
def cli_db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setenv("RIGHTSDESK_DATA_DIR", str(tmp_path / "data"))
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    result = runner.invoke(cli_app, ["--database", url, "init"])
    assert result.exit_code == 0, result.output
    return url


def _cli(url: str, *args: str, stdin: str | None = None) -> Any:
    return runner.invoke(cli_app, ["--database", url, *args], input=stdin)


def test_account_commands(cli_db: str) -> None:
    assert _cli(cli_db, "users", "add", "Kim", "--role", "analyst", stdin=PASSWORD + "\n")
    new_password = "another long password"
    result = _cli(cli_db, "users", "passwd", "KIM", stdin=new_password + "\n")
    assert result.exit_code == 0 and "password of kim changed" in result.output
    assert _cli(cli_db, "users", "passwd", "kim", stdin="short\n").exit_code == 65
    assert _cli(cli_db, "users", "passwd", "nobody", stdin=new_password + "\n").exit_code == 66
    assert _login(cli_db, "kim", new_password, "10.0.0.6").name == "kim"
    with pytest.raises(AuthenticationError):
        _login(cli_db, "kim", PASSWORD, "10.0.0.6")

    assert _cli(cli_db, "users", "role", "kim", "editor").exit_code == 0
    assert _cli(cli_db, "users", "role", "kim", "emperor").exit_code == 65
    assert _cli(cli_db, "users", "deactivate", "kim").exit_code == 0
    with pytest.raises(AuthenticationError):
        _login(cli_db, "kim", new_password, "10.0.0.7")
    assert _cli(cli_db, "users", "activate", "kim").exit_code == 0

    _fails(cli_db, "kim", "10.0.0.8", 5)
    listing = _cli(cli_db, "users", "list", "--format", "csv")
    assert listing.exit_code == 0
    assert "kim,editor,True,5,True," in listing.output
    with pytest.raises(AuthenticationError, match="locked"):
        _login(cli_db, "kim", new_password, "10.0.0.9")
    assert _cli(cli_db, "users", "unlock", "kim").exit_code == 0
    assert _cli(cli_db, "users", "unlock", "nobody").exit_code == 66
    assert _login(cli_db, "kim", new_password, "10.0.0.9").name == "kim"

    with session_scope(cli_db) as s:
        entries = s.scalars(select(AuditEntry).where(AuditEntry.entity_id == "kim")).all()
        trail = [(e.action, e.before, e.after) for e in entries]
    actions = [a for a, _b, _c in trail]
    for expected in (
        "create",
        "change-password",
        "change-role",
        "deactivate",
        "activate",
        "unlock",
        "login-failed",
    ):
        assert expected in actions, expected
    assert ("change-role", {"role": "analyst"}, {"role": "editor"}) in trail
