"""What the screening tests share: the UN list's screening index, built once per test
process. Every module's ``sanctions_loaded`` store is a copy of the same template, so the
index of one copy is the index of all of them; building it once saves seconds per module."""

from __future__ import annotations

from rightsdesk.core.config import Settings
from rightsdesk.core.db import session_scope
from rightsdesk.sanctions.screening import ScreeningIndex, build_index

UN = "un_sc_sanctions"
_BUILT: dict[str, ScreeningIndex] = {}


def un_index_of(settings: Settings) -> ScreeningIndex:
    """The index of the UN list of a ``sanctions_loaded`` store (built on first use)."""
    if UN not in _BUILT:
        with session_scope(settings.database_url) as session:
            _BUILT[UN] = build_index(session, [UN])
    return _BUILT[UN]
