"""Words for IATI codes: sector 15160 is "Human rights", organisation type 21 "International
NGO", activity status 2 "Implementation".

The codelists are reference data imported from IATI's files (``rightsdesk import
iati-codelist``). Pages show many codes at once, so a codelist is read once per data version
and process (``core.cache.cached``) and looked up in memory; a store without the codelist
gives None, and the page shows the bare code.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from rightsdesk.capacity.models import CodelistItem
from rightsdesk.core.cache import cached

__all__ = ["code_label", "code_labels"]


def code_labels(session: Session, codelist: str) -> dict[str, str]:
    """Every code of ``codelist`` ("Sector", "OrganisationType", "ActivityStatus", ...) with
    its name. Shared between callers: do not change the dict."""

    def load() -> dict[str, str]:
        stmt = select(CodelistItem.code, CodelistItem.name).where(CodelistItem.codelist == codelist)
        return {str(code): str(name) for code, name in session.execute(stmt)}

    return cached(session, "iati-codelist", codelist, load, edits=False)


def code_label(session: Session, codelist: str, code: str | None) -> str | None:
    """The name of ``code`` in ``codelist``, or None when the code (or list) is unknown."""
    if code is None:
        return None
    return code_labels(session, codelist).get(code.strip())
