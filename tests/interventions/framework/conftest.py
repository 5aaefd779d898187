"""Fixtures of the framework tests: a confidential violation event to cite."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy.orm import Session

from rightsdesk.core.config import Settings
from rightsdesk.core.db import session_factory

SECRET_TITLE = "Night raid on the Zeta camp"


def add_event(session: Session, level: str, title: str = SECRET_TITLE) -> int:
    """A documented violation event in South Sudan at ``level``; its id."""
    from rightsdesk.monitoring.violations.models import Event

    event = Event(natural_key=f"ev-{level}-{title[:8]}", title=title, state_iso3="SSD")
    event.confidentiality = level
    session.add(event)
    session.flush()
    return event.id


@pytest.fixture
def sqlite_session(sqlite_settings: Settings) -> Iterator[Session]:
    """A session on a fresh SQLite store, for checks that need not run on both backends."""
    s = session_factory(sqlite_settings.database_url)()
    try:
        yield s
    finally:
        s.close()
