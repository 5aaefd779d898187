"""Throwaway PostgreSQL databases for tests, benchmarks and trial imports.

One implementation, so that every caller drops what it created even when an autovacuum worker
still holds the database for a moment.
"""

from __future__ import annotations

import time
import uuid
import warnings
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import Engine, create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError
from sqlalchemy.pool import NullPool

from rightsdesk.core.db import dispose_engine


@contextmanager
def scratch_database(base_url: str, prefix: str = "rdscratch") -> Iterator[str]:
    """Create a database on the server of ``base_url``; yield its URL; drop it afterwards.

    The role in ``base_url`` needs the CREATEDB privilege.
    """
    url = make_url(base_url)
    name = f"{prefix}_{uuid.uuid4().hex[:12]}"
    # no pooled connection stays open on the server's own database meanwhile: another
    # process may copy that database (CREATE DATABASE ... TEMPLATE), which needs it idle
    admin = create_engine(url, isolation_level="AUTOCOMMIT", poolclass=NullPool)
    try:
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
        target = url.set(database=name).render_as_string(hide_password=False)
        try:
            yield target
        finally:
            dispose_engine(target)
            drop_database(admin, name)
    finally:
        admin.dispose()


def drop_database(admin: Engine, name: str) -> None:
    """Drop database ``name`` through the AUTOCOMMIT engine ``admin``, retrying for a few
    seconds: an autovacuum worker on a freshly written database cannot be terminated by a
    role without pg_signal_backend, but it finishes soon. A warning, never an error, when
    the server still refuses (a leftover database is not worth failing a run for)."""
    for attempt in range(10):
        try:
            with admin.connect() as conn:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            return
        except DBAPIError:
            time.sleep(0.5 * (attempt + 1))
    warnings.warn(f"could not drop scratch database {name}", stacklevel=3)
