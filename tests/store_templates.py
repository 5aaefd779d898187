"""Template stores: build a store once per test process, give each test its own copy.

Initialising a store (every migration, the states seeded) takes a second on SQLite and several
on PostgreSQL, and importing real data into it takes many more; hundreds of tests start from
the same initialised store, and several modules from the same imported data. A template is
built the first time a test asks for it, by the same code the test would have run (``init_store``,
``run_import``), and every test then gets a copy of its own (a file copy or SQLite's backup API;
``CREATE DATABASE ... TEMPLATE`` on PostgreSQL), so what each test reads and writes is its own,
exactly as if it had built the store itself.

Templates live for the test process (one per xdist worker) and are dropped at its end.
"""

from __future__ import annotations

import shutil
import sqlite3
import time
import uuid
import warnings
from collections.abc import Callable
from pathlib import Path

from sqlalchemy import Engine, create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError

from rightsdesk.core.config import Settings, check_store_key, load_settings
from rightsdesk.core.db import dispose_engine, sqlite_path
from rightsdesk.core.security.crypto import configure_encryption
from rightsdesk.store import init_store

Build = Callable[[Settings], None]
INIT = "init"


def _admin(url: str) -> Engine:
    return create_engine(make_url(url).set(database="postgres"), isolation_level="AUTOCOMMIT")


def _pg_name(url: str) -> str:
    return str(make_url(url).database)


def pg_execute(url: str, sql: str) -> None:
    """Run ``sql`` on the server of ``url`` (outside any database's transaction), retrying
    while an autovacuum worker or a closing connection still holds the database."""
    admin = _admin(url)
    try:
        for attempt in range(10):
            try:
                with admin.connect() as conn:
                    conn.execute(text(sql))
                return
            except DBAPIError:
                if attempt == 9:
                    raise
                time.sleep(0.2 * (attempt + 1))
    finally:
        admin.dispose()


def pg_create(base_url: str, name: str, template: str | None = None) -> str:
    """Create database ``name`` (a copy of ``template`` when given); its URL."""
    clause = f' TEMPLATE "{template}"' if template else ""
    pg_execute(base_url, f'CREATE DATABASE "{name}"{clause}')
    return make_url(base_url).set(database=name).render_as_string(hide_password=False)


def pg_drop(url: str) -> None:
    """Drop the database of ``url``; a warning, not an error, when the server will not."""
    dispose_engine(url)
    try:
        pg_execute(url, f'DROP DATABASE IF EXISTS "{_pg_name(url)}" WITH (FORCE)')
    except DBAPIError as exc:
        warnings.warn(f"could not drop test database {_pg_name(url)}: {exc}", stacklevel=2)


def ready(settings: Settings) -> None:
    """What ``init_store`` does in the process besides writing the store: the field and audit
    keys set, the store's key checked. A copy of an initialised template needs only this."""
    configure_encryption(settings.secret_key)
    check_store_key(settings)


class StoreTemplates:
    """The templates of one test process, by backend and name."""

    def __init__(self, folder: Path, secret_key: str) -> None:
        self.folder = folder
        self.secret_key = secret_key
        self._made: dict[tuple[str, str], str] = {}  # (backend, name) -> template URL

    def _settings(self, url: str, name: str) -> Settings:
        data = self.folder / f"data-{name}-{uuid.uuid4().hex[:8]}"
        return load_settings(database_url=url, data_dir=data, secret_key=self.secret_key)

    def template(self, url: str, name: str = INIT, build: Build | None = None) -> str:
        """The URL of template ``name`` on the backend of ``url``, built on first use: the
        initialised empty store, or that store after ``build`` (which must depend on nothing
        but its name: the same name always means the same content)."""
        backend = make_url(url).get_backend_name()
        key = (backend, name)
        if key in self._made:
            return self._made[key]
        if name != INIT and build is None:
            raise ValueError(f"template {name!r} needs a build function")
        tag = f"{name}-{uuid.uuid4().hex[:8]}"
        if backend == "sqlite":
            target = self.folder / f"{tag}.db"
            made = f"sqlite:///{target}"
            if name != INIT:
                shutil.copyfile(sqlite_path(self.template(url)) or "", target)
        else:
            safe = "".join(c if c.isalnum() else "_" for c in name)[:20]
            origin = None if name == INIT else _pg_name(self.template(url))
            made = pg_create(url, f"rdtpl_{safe}_{uuid.uuid4().hex[:8]}", origin)
        settings = self._settings(made, name)
        if name == INIT:
            init_store(settings)
        else:
            assert build is not None
            ready(settings)
            build(settings)
        dispose_engine(made)
        if backend == "sqlite":
            conn = sqlite3.connect(sqlite_path(made) or "")
            try:
                conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            finally:
                conn.close()
        self._made[key] = made
        return made

    def create(self, url: str, name: str = INIT, build: Build | None = None) -> None:
        """Create the store ``url`` (not there yet) as a copy of template ``name``."""
        source = self.template(url, name, build)
        if make_url(url).get_backend_name() == "sqlite":
            shutil.copyfile(sqlite_path(source) or "", sqlite_path(url) or "")
        else:
            pg_create(url, _pg_name(url), _pg_name(source))

    def replace(self, url: str, name: str, build: Build) -> None:
        """Make the existing store ``url`` a copy of template ``name``, in place (the SQLite
        file keeps its identity, so an app already opened on it goes on working)."""
        source = self.template(url, name, build)
        if make_url(url).get_backend_name() == "sqlite":
            src = sqlite3.connect(sqlite_path(source) or "")
            dst = sqlite3.connect(sqlite_path(url) or "", timeout=30)
            try:
                src.backup(dst)
            finally:
                dst.close()
                src.close()
            dispose_engine(url)
            return
        dispose_engine(url)
        pg_execute(url, f'DROP DATABASE IF EXISTS "{_pg_name(url)}" WITH (FORCE)')
        pg_create(url, _pg_name(url), _pg_name(source))

    def close(self) -> None:
        for url in self._made.values():
            dispose_engine(url)
            if make_url(url).get_backend_name() != "sqlite":
                pg_drop(url)
        self._made.clear()
