"""Opening the store for a command or the web app: settings, encryption key, schema, seeds."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from rightsdesk.core.config import Settings
from rightsdesk.core.db import session_scope
from rightsdesk.core.errors import ConfigError
from rightsdesk.core.migrate import pending, upgrade
from rightsdesk.core.provenance import Dataset
from rightsdesk.core.security import audit
from rightsdesk.core.security.crypto import configure_encryption
from rightsdesk.core.states import seed_states

REFERENCE_KIND = "reference-states"


def init_store(settings: Settings, actor: str = "system") -> tuple[int, int]:
    """Create or migrate the schema and seed the states; safe to repeat. Returns counts."""
    configure_encryption(settings.secret_key)
    upgrade(settings.database_url)
    with session_scope(settings.database_url) as session:
        states, links = seed_states(session)
        if session.scalars(select(Dataset).where(Dataset.kind == REFERENCE_KIND)).first() is None:
            ds = Dataset(
                kind=REFERENCE_KIND,
                source="country-converter and pycountry, with rightsdesk's own tables of "
                "historical states, UN-style names and group memberships",
                source_url=None,
                licence="GPL-3.0 (country-converter), LGPL-2.1 (pycountry)",
                file_name="(built-in)",
                sha256="-",
                imported_by=actor,
                rows_read=states,
                inserted=states,
            )
            session.add(ds)
            session.flush()
            audit.record(session, actor, "init", "store", None, after={"states": states})
    return states, links


def check_ready(settings: Settings) -> None:
    """Refuse to work on a store that was never initialised or is behind the code."""
    configure_encryption(settings.secret_key)
    try:
        behind = pending(settings.database_url)
    except Exception as exc:
        raise ConfigError(f"cannot open the store {settings.database_url}: {exc}") from exc
    if behind:
        raise ConfigError(
            f"the store {settings.database_url} is not initialised or is out of date; "
            "run `rightsdesk init`"
        )


def open_session(settings: Settings) -> Session:
    from rightsdesk.core.db import session_factory

    return session_factory(settings.database_url)()
