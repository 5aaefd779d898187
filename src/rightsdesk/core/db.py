"""The store: SQLAlchemy 2.0 engine and sessions over SQLite (default) or PostgreSQL.

SQLite runs in WAL mode with foreign keys on, so the web workbench can read while an import
writes. Schema changes go through Alembic (``rightsdesk init``), never ``create_all`` in
production code, so a store made by one version can be migrated by the next.

Engines never put SQL parameters (which hold user data) into error messages, and a SQLite
engine that has once opened its file never creates it again: a store deleted under a running
process is reported (``StoreWatch``, ``StoreUnavailableError``), never silently replaced by an
empty file.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import quote

from sqlalchemy import DateTime, Engine, MetaData, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.orm import DeclarativeBase, Session, sessionmaker

from rightsdesk.core.errors import RightsdeskError

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    """Declarative base of every table of every form."""

    metadata = MetaData(naming_convention=NAMING)
    type_annotation_map = {datetime: DateTime(timezone=True)}


def utcnow() -> datetime:
    return datetime.now(UTC)


#: How long a SQLite writer waits for the write lock before failing (``busy_timeout``). An
#: import holds the lock only for its writing phase (``core.importing.run_import``), so a short
#: web write waits seconds at most; the web app turns a wait that still runs out into a 503
#: with ``Retry-After`` (``BusyError``), never a 500.
BUSY_TIMEOUT_MS = 30_000

#: Connections per engine: ``POOL_SIZE`` kept open plus ``POOL_OVERFLOW`` opened on demand.
#: Together they cover anyio's default worker-thread limit (40), so every thread a uvicorn worker
#: runs sync routes on can hold a connection at once: no 500 from pool exhaustion.
#: ``RIGHTSDESK_POOL_SIZE`` / ``RIGHTSDESK_POOL_OVERFLOW`` change them (PostgreSQL: mind
#: ``max_connections`` against workers x (size + overflow)).
POOL_SIZE = 20
POOL_OVERFLOW = 20


def pool_limits() -> tuple[int, int]:
    """(pool size, overflow) from the environment or the defaults."""

    def number(name: str, default: int) -> int:
        value = os.environ.get(name, "").strip()
        return int(value) if value.isdigit() else default

    return number("RIGHTSDESK_POOL_SIZE", POOL_SIZE), number(
        "RIGHTSDESK_POOL_OVERFLOW", POOL_OVERFLOW
    )


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
    cursor.close()


class StoreUnavailableError(RightsdeskError):
    """The store's database file is missing or was replaced while the server ran."""

    code = "store-unavailable"
    http_status = 503
    exit_code = 75  # EX_TEMPFAIL


def sqlite_path(url: str) -> Path | None:
    """The absolute file of a SQLite URL; None for other databases and in-memory SQLite."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite":
        return None
    database = parsed.database or ""
    if database in ("", ":memory:") or database.startswith("file:"):
        return None
    return Path(database).expanduser().absolute()


def _never_recreate(path: Path) -> Any:
    """A ``do_connect`` hook: once the file exists, open it read-write only (``mode=rw``), so
    a file deleted later makes connecting fail instead of creating an empty store."""
    seen = {"file": path.exists()}  # a store that exists now is never created again

    def connect(_dialect: Any, _record: Any, cargs: list[Any], cparams: dict[str, Any]) -> Any:
        if seen["file"] or path.exists():
            seen["file"] = True
            return sqlite3.connect(f"file:{quote(str(path))}?mode=rw", uri=True, **cparams)
        connection = sqlite3.connect(*cargs, **cparams)  # the first use creates the store
        seen["file"] = True
        return connection

    return connect


_ENGINES: dict[str, Engine] = {}


def get_engine(url: str) -> Engine:
    """One engine per URL per process (engines hold the connection pool)."""
    engine = _ENGINES.get(url)
    if engine is None:
        # SQL parameters are user data (note texts, names): never in messages or logs
        kwargs: dict[str, Any] = {"future": True, "hide_parameters": True}
        parsed = make_url(url)
        memory = parsed.database in (None, "", ":memory:")
        if parsed.get_backend_name() == "sqlite":
            # the driver's own timeout is the busy handler too: keep both the same
            kwargs["connect_args"] = {
                "check_same_thread": False,
                "timeout": BUSY_TIMEOUT_MS / 1000,
            }
        else:
            kwargs["pool_pre_ping"] = True
        if not (parsed.get_backend_name() == "sqlite" and memory):
            size, overflow = pool_limits()
            kwargs.update(pool_size=size, max_overflow=overflow, pool_timeout=30)
        engine = create_engine(url, **kwargs)
        if engine.dialect.name == "sqlite":
            event.listen(engine, "connect", _sqlite_pragmas)
            path = sqlite_path(url)
            if path is not None and engine.dialect.driver == "pysqlite":
                event.listen(engine, "do_connect", _never_recreate(path))
        _ENGINES[url] = engine
    return engine


@dataclass
class StoreWatch:
    """Notices a SQLite store file that disappeared or was replaced under a running server.

    ``problem()`` costs one ``os.stat``; the web app calls it on every request and answers 503
    instead of letting a write go into a deleted file (or into a new empty one).
    """

    path: Path
    identity: tuple[int, int] | None = field(default=None)

    @classmethod
    def for_url(cls, url: str) -> StoreWatch | None:
        path = sqlite_path(url)
        if path is None:
            return None
        watch = cls(path)
        watch.identity = watch._identity()
        return watch

    def _identity(self) -> tuple[int, int] | None:
        try:
            st = os.stat(self.path)
        except OSError:
            return None
        return (st.st_dev, st.st_ino)

    def problem(self) -> StoreUnavailableError | None:
        """Why the store cannot be used now, or None."""
        now = self._identity()
        if now is None:
            return StoreUnavailableError(
                f"the database file {self.path.name} is missing (deleted or moved while the "
                "server ran); nothing was written. Restore it (`rightsdesk restore BACKUP --yes`) "
                "and restart the server."
            )
        if self.identity is None or now != self.identity:
            return StoreUnavailableError(
                f"the database file {self.path.name} was replaced while the server ran; nothing "
                "was written. Restart the server to open the new file."
            )
        return None


def dispose_engine(url: str) -> None:
    engine = _ENGINES.pop(url, None)
    if engine is not None:
        engine.dispose()


def session_factory(url: str) -> sessionmaker[Session]:
    return sessionmaker(bind=get_engine(url), expire_on_commit=False)


@contextmanager
def session_scope(url: str) -> Iterator[Session]:
    """A unit of work: commit on success, roll back everything on any error."""
    session = session_factory(url)()
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()
