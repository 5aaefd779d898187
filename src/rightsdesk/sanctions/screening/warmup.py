"""The screening index as a warm-up task (``core.warmup``): built right after an import, so
the first screening request or ``rightsdesk sanctions screen`` after it reads the saved index
from the data folder instead of preparing every listed name (seconds on ~25,000 entities).

Declared in the form (``Form.warmups``); a store without sanctions data builds an empty
index in milliseconds.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from rightsdesk.core.config import Settings
from rightsdesk.core.warmup import WarmTask
from rightsdesk.sanctions.screening.index import load_index


def _index(session: Session, settings: Settings) -> None:
    """The index every screening command and page uses (all lists)."""
    load_index(session)


TASKS = [WarmTask("sanctions-index", "sanctions screening index", _index)]
