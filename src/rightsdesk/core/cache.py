"""Results computed once per data version.

``data_version(session)`` names the state of the store: the newest dataset (every import that
changes something adds one, and it is updated with its counts when the import ends) and the
newest audit entry (every edit is audited). Anything derived only from stored data is the same
while the version is the same, so heavy analytic pages (``/states/X/votes``, ``/blocs``,
``/positions``) keep their results in a small in-process LRU keyed by (function, arguments,
version): the first request after an import or an edit computes, the others reuse. Each worker
process has its own cache; all of them see the same version, read from the store.

The same version, with the user's role, is the ETag of read-only pages and API answers
(``web.app``), so a browser that asks again gets a 304 without a body.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any, TypeVar

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from rightsdesk.core.provenance import DELETED_NOTE, Dataset, finished
from rightsdesk.core.security.models import AuditEntry

T = TypeVar("T")

#: Results kept per process; the oldest used is dropped first.
MAX_ENTRIES = 256

_LOCK = threading.Lock()
_RESULTS: OrderedDict[Hashable, Any] = OrderedDict()
#: One lock per result being computed: later askers wait for it instead of computing again.
_FLIGHTS: dict[Hashable, threading.Lock] = {}
stats = {"hits": 0, "misses": 0}


#: Dataset kinds that analytic results of UN votes and positions never read (recommendations):
#: their imports do not change a vote figure.
NOT_VOTES = ("upr-", "ohchr-")


def data_version(
    session: Session,
    edits: bool = True,
    ignore: tuple[str, ...] = (),
    only: tuple[str, ...] | None = None,
    entities: tuple[str, ...] = (),
) -> str:
    """A short text that changes whenever an import or an edit changes the store.

    ``edits=False`` leaves out the audit log (for results that no edit can change, such as
    vote analytics: edits touch implementation records, themes and accounts); ``ignore`` leaves
    out datasets whose kind starts with one of the prefixes; ``only`` keeps just the datasets
    of these kinds (treaty pages read treaty imports only); with ``edits=False``, ``entities``
    still counts the edits of these audited entities (vote pages show vote corrections)."""
    stmt = select(
        Dataset.id,
        Dataset.rows_read,
        Dataset.inserted,
        Dataset.updated,
        Dataset.unchanged,
        Dataset.rejected,
    )
    # an import that changed nothing (a forced re-read) leaves every figure as it was
    changed = or_(
        Dataset.inserted > 0,
        Dataset.updated > 0,
        Dataset.rejected > 0,
        Dataset.notes.contains(DELETED_NOTE),
    )
    stmt = stmt.where(finished(), changed)
    if only is not None:
        stmt = stmt.where(Dataset.kind.in_(only))
    for prefix in ignore:
        stmt = stmt.where(Dataset.kind.not_like(f"{prefix}%"))
    newest = session.execute(stmt.order_by(Dataset.id.desc()).limit(1)).first()
    dataset = "-".join(str(v) for v in newest) if newest is not None else "0"
    if not edits:
        if not entities:
            return f"d{dataset}"
        stmt_edit = select(func.max(AuditEntry.id)).where(AuditEntry.entity.in_(entities))
        return f"d{dataset}.e{session.scalar(stmt_edit) or 0}"
    audit = session.scalar(select(func.max(AuditEntry.id))) or 0
    return f"d{dataset}.a{audit}"


def cached(
    session: Session,
    name: str,
    args: Hashable,
    compute: Callable[[], T],
    *,
    edits: bool = True,
    ignore: tuple[str, ...] = (),
) -> T:
    """``compute()``'s result for this data version, computed at most once per version and
    process: simultaneous first requests wait for the one that computes (fifty clients
    opening the same heavy page after an import start one computation, not fifty). ``edits``
    and ``ignore`` narrow the version (``data_version``) for results that depend on less.

    The result is shared between requests: callers must not change it."""
    version = data_version(session, edits, ignore)
    key = (name, args, session.get_bind().engine.url.render_as_string(), version)
    with _LOCK:
        if key in _RESULTS:
            _RESULTS.move_to_end(key)
            stats["hits"] += 1
            return _RESULTS[key]  # type: ignore[no-any-return]
        flight = _FLIGHTS.setdefault(key, threading.Lock())
    with flight:
        with _LOCK:
            if key in _RESULTS:  # computed by the request this one waited for
                stats["hits"] += 1
                return _RESULTS[key]  # type: ignore[no-any-return]
        try:
            value = compute()
        finally:
            with _LOCK:
                _FLIGHTS.pop(key, None)
        with _LOCK:
            stats["misses"] += 1
            _RESULTS[key] = value
            while len(_RESULTS) > MAX_ENTRIES:
                _RESULTS.popitem(last=False)
    return value


def clear() -> None:
    """Forget every result (tests)."""
    with _LOCK:
        _RESULTS.clear()
        stats.update(hits=0, misses=0)
