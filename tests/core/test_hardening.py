"""Hardening (issue 9, items 8 and 9): a store deleted or replaced under the server answers
503 and nothing is created; the key path is absolute and a changed key is a clear error;
logs without SQL parameters; CSP and no-store; /api/docs behind login, from local assets."""

from __future__ import annotations

import logging
import os
import shutil
import sys
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError, OperationalError

from rightsdesk.core.config import check_store_key, key_fingerprint, load_settings
from rightsdesk.core.db import dispose_engine, get_engine, sqlite_path
from rightsdesk.core.errors import ConfigError
from rightsdesk.store import init_store
from rightsdesk.web.app import CSP, HideErrorDetails, create_app

SECRET = "s3cret-note-text-of-a-victim"
CODE = "K9-CODE"  # a value only the database error could repeat


@pytest.fixture
def clean_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    for var in ("RIGHTSDESK_SECRET_KEY", "RIGHTSDESK_DATA_DIR", "RIGHTSDESK_DATABASE_URL"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("RIGHTSDESK_CONFIG", str(tmp_path / "none.toml"))


# --- item 8: the store vanishes under the server -------------------------------------------


def _files(folder: Path) -> set[str]:
    return {p.name for p in folder.iterdir()}


def test_deleted_store_answers_503_and_creates_nothing(client_for, sqlite_settings) -> None:
    client = client_for("editor")
    assert client.get("/api/v1/states/NOR").status_code == 200
    db = sqlite_path(sqlite_settings.database_url)
    assert db is not None and db.is_file()
    db.unlink()  # the -wal and -shm files stay, as when someone removes "rightsdesk.db"

    api = client.get("/api/v1/states/NOR")
    assert api.status_code == 503
    assert api.json()["error"] == "store-unavailable" and "missing" in api.json()["message"]
    page = client.get("/states/NOR")
    assert page.status_code == 503 and "missing" in page.text and "<html" in page.text
    write = client.post("/login", data={"username": "x", "password": "y", "csrf_token": "z"})
    assert write.status_code == 503
    api_write = client.post("/api/v1/suggestions/1/accept", json={})
    assert api_write.status_code == 503
    assert not db.exists()  # nothing wrote into a new, empty store
    assert client.get("/static/style.css").status_code == 200  # the error page keeps its style


def test_replaced_store_answers_503(client_for, sqlite_settings, tmp_path: Path) -> None:
    client = client_for("viewer")
    assert client.get("/api/v1/states/FRA").status_code == 200
    db = sqlite_path(sqlite_settings.database_url)
    assert db is not None
    copy = tmp_path / "copy.db"
    shutil.copyfile(db, copy)
    os.replace(copy, db)  # same name, another file (inode)
    resp = client.get("/api/v1/states/FRA")
    assert resp.status_code == 503 and "replaced" in resp.json()["message"]


def test_the_engine_never_recreates_a_deleted_store(sqlite_settings) -> None:
    url = sqlite_settings.database_url
    db = sqlite_path(url)
    assert db is not None
    with get_engine(url).connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM state")).scalar()
    dispose_engine(url)
    get_engine(url)  # a fresh engine (a new server) opened after the file is gone
    db.unlink()
    with pytest.raises(OperationalError), get_engine(url).connect():
        pass
    assert not db.exists()


# --- item 9: the secret key ----------------------------------------------------------------


def test_data_dir_and_key_file_are_absolute_and_decided_once(
    clean_env: None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first, second = (tmp_path / "first").resolve(), (tmp_path / "second").resolve()
    first.mkdir()
    second.mkdir()
    monkeypatch.chdir(first)
    settings = load_settings(database_url=str(tmp_path / "k.db"), data_dir="state")
    assert settings.data_dir == first / "state" and settings.data_dir.is_absolute()
    assert settings.secret_key_file == first / "state" / "secret.key"
    assert settings.secret_key_file.read_text() == settings.secret_key
    assert oct(settings.secret_key_file.stat().st_mode & 0o777) == "0o600"
    monkeypatch.chdir(second)  # a later change of folder changes nothing
    assert settings.data_dir == first / "state"
    default = load_settings(database_url=str(tmp_path / "k.db"))
    assert default.data_dir == second / ".rightsdesk"


def test_another_key_under_a_store_is_a_config_error(
    clean_env: None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    url = f"sqlite:///{tmp_path / 'keyed.db'}"
    monkeypatch.chdir(tmp_path)
    original = load_settings(database_url=url, data_dir=tmp_path / "one")
    init_store(original)
    create_app(original)  # the first use records the key's fingerprint
    create_app(original)  # the same key again: fine
    other = load_settings(database_url=url, data_dir=tmp_path / "two")  # a second key file
    with pytest.raises(ConfigError) as caught:
        create_app(other)
    message = caught.value.message
    assert str(tmp_path / "two" / "secret.key") in message
    assert key_fingerprint(original.secret_key) in message and caught.value.exit_code == 78
    given = load_settings(database_url=url, secret_key="another key given in the environment")
    with pytest.raises(ConfigError, match="RIGHTSDESK_SECRET_KEY"):
        check_store_key(given)
    dispose_engine(url)


# --- item 9: logs without data --------------------------------------------------------------


def _integrity_error(url: str) -> IntegrityError:
    insert = text("INSERT INTO grouping (code, name, kind) VALUES (:code, :name, 'test')")
    engine = get_engine(url)
    with engine.begin() as conn:
        conn.execute(insert, {"code": CODE, "name": SECRET})
    try:
        with engine.begin() as conn:
            conn.execute(insert, {"code": CODE, "name": SECRET})
    except IntegrityError as exc:
        return exc
    raise AssertionError("no error")


def test_sql_errors_carry_no_parameters(settings) -> None:
    exc = _integrity_error(settings.database_url)
    assert SECRET not in str(exc)  # before: "[parameters: ('K9-CODE', 's3cret-...')]"


def test_server_log_tracebacks_hide_data(settings) -> None:
    try:
        try:
            raise _integrity_error(settings.database_url)
        except IntegrityError as exc:
            raise RuntimeError("the request failed") from exc
    except RuntimeError:
        info = sys.exc_info()
    record = logging.LogRecord(
        "uvicorn.error", logging.ERROR, __file__, 1, "Exception in ASGI application", (), info
    )
    logger = logging.getLogger("uvicorn.error")
    create_app(settings)
    assert any(isinstance(f, HideErrorDetails) for f in logger.filters)
    assert logger.filter(record)
    logged = logging.Formatter().format(record)
    assert "Traceback (most recent call last)" in logged and "test_hardening.py" in logged
    assert "IntegrityError" in logged and "INSERT INTO grouping" in logged
    assert "RuntimeError: the request failed" in logged
    assert SECRET not in logged and CODE not in logged  # PostgreSQL's DETAIL quotes values


# --- item 9: headers, the API docs ----------------------------------------------------------


def test_csp_and_no_store(client_for) -> None:
    client = client_for("viewer")
    for path in ("/", "/states/NOR", "/api/v1/states/NOR", "/api/docs"):
        resp = client.get(path)
        assert resp.status_code == 200, path
        # data pages may be kept by the browser but revalidated (ETag, see web.etags)
        data_page = path in ("/states/NOR", "/api/v1/states/NOR")
        expected = "private, no-cache" if data_page else "no-store"
        assert resp.headers["cache-control"] == expected, path
        csp = resp.headers["content-security-policy"]
        assert csp == CSP
    for part in (
        "frame-ancestors 'none'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "script-src 'self';",
    ):
        assert part in CSP
    assert "unsafe-eval" not in CSP and "unsafe-inline" not in CSP.split("script-src")[1]
    static = client.get("/static/style.css")
    assert "no-store" not in static.headers.get("cache-control", "")
    charts = client.get("/static/charts.js").text
    assert "ast: true" in charts  # Vega's interpreter: the CSP needs no eval


def test_api_docs_need_login_and_use_local_assets(client_for, sqlite_settings) -> None:
    anonymous = TestClient(create_app(sqlite_settings))
    resp = anonymous.get("/api/docs", follow_redirects=False)
    assert resp.status_code == 303 and resp.headers["location"].startswith("/login")
    client = client_for("viewer")
    page = client.get("/api/docs")
    assert page.status_code == 200
    for asset in (
        "/static/vendor/swagger-ui-bundle.js",
        "/static/vendor/swagger-ui.css",
        "/static/swagger-init.js",
    ):
        assert asset in page.text
        served = client.get(asset)
        assert served.status_code == 200 and len(served.content) > 500, asset
    assert "cdn" not in page.text.lower() and "<script>" not in page.text  # no inline script
    assert 'data-openapi-url="/api/v1/openapi.json"' in page.text
    assert client.get("/api/v1/openapi.json").json()["info"]["title"] == "rightsdesk API"
