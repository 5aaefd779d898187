"""A fingerprint of what the store holds, to show that a refused request wrote nothing."""

from __future__ import annotations

import hashlib

from sqlalchemy import inspect, text

from rightsdesk.core.db import get_engine

#: tables a refused request may rightly touch: the audit log (a refusal may be logged), login
#: attempts, and browser sessions (their last-seen time)
VOLATILE = frozenset({"audit_entry", "login_attempt", "user_session"})


def fingerprint(url: str) -> dict[str, str]:
    """Table name -> digest of its rows (sorted), for every table but ``VOLATILE``."""
    engine = get_engine(url)
    out: dict[str, str] = {}
    with engine.connect() as conn:
        for name in sorted(inspect(conn).get_table_names()):
            if name in VOLATILE:
                continue
            rows = sorted(repr(tuple(r)) for r in conn.execute(text(f'SELECT * FROM "{name}"')))
            out[name] = hashlib.sha256("\n".join(rows).encode()).hexdigest()[:16]
    return out


def changed(before: dict[str, str], after: dict[str, str]) -> list[str]:
    """The tables whose content differs."""
    return sorted(
        name for name in before.keys() | after.keys() if before.get(name) != after.get(name)
    )
