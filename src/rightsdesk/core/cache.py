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

Results are also kept on disk (``configure(data_dir)``: ``DATA/results/``), so what one
process computed serves the others: ``rightsdesk import`` warms the heavy results
(``core.warmup``) and the web workers read them on their first request instead of computing.
Only plain values go to disk (pickled, by this program into its own data folder): a store
object becomes a ``StoredRow`` of its columns, or keeps the result in memory if it holds more.
A file on disk is also keyed on the program's own code (``code_version``): after an upgrade
that changes how a figure is computed, the figure is computed again, never read from before.
"""

from __future__ import annotations

import functools
import hashlib
import os
import pickle
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from pathlib import Path
from typing import IO, Any, TypeVar

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from rightsdesk.core.limits import safe_cache_name
from rightsdesk.core.provenance import DELETED_NOTE, Dataset, finished
from rightsdesk.core.security.models import AuditEntry

T = TypeVar("T")

#: Results kept per process; the oldest used is dropped first.
MAX_ENTRIES = 256

_LOCK = threading.Lock()
_RESULTS: OrderedDict[Hashable, Any] = OrderedDict()
#: One lock per result being computed: later askers wait for it instead of computing again.
_FLIGHTS: dict[Hashable, threading.Lock] = {}
stats = {"hits": 0, "misses": 0, "disk_hits": 0, "disk_writes": 0}
#: Result files kept on disk; the oldest written are removed first.
MAX_FILES = 512
#: ... and at most this many bytes in all (a screening index is ~45 MB per data version).
MAX_BYTES = 1 << 30
#: Where results are kept on disk (None: memory only); set by ``configure``.
_DISK: dict[str, Path | None] = {"dir": None}


def configure(data_dir: Path | None) -> None:
    """Keep results on disk under ``data_dir/results`` too (None: in memory only). Called by
    the CLI, the web app and the warm-up with the store's data folder; cheap to repeat."""
    _DISK["dir"] = None if data_dir is None else Path(data_dir) / "results"


class StoredRow:
    """A store object as the disk keeps it: its column values as attributes (what pages read
    of the groupings, states and datasets a result lists), without a session behind it."""

    def __init__(self, kind: str, values: dict[str, Any]) -> None:
        self._kind = kind
        self.__dict__.update(values)

    def __repr__(self) -> str:
        return f"<{self._kind} {self.__dict__}>"


class _PlainPickler(pickle.Pickler):
    """Keeps a store object as a ``StoredRow`` of its loaded columns. One with a loaded
    relationship or an unloaded column is refused (the result then stays in memory): read
    back without a session, it would fail on first use."""

    def reducer_override(self, obj: Any) -> Any:
        state = getattr(obj, "_sa_instance_state", None)
        if state is None or isinstance(obj, type):
            return NotImplemented
        mapper, loaded = state.mapper, state.dict
        if any(rel.key in loaded for rel in mapper.relationships):
            raise pickle.PicklingError("a store object with loaded relations stays in memory")
        columns = [attr.key for attr in mapper.column_attrs]
        if any(key not in loaded for key in columns):
            raise pickle.PicklingError("a store object with unloaded columns stays in memory")
        return StoredRow, (type(obj).__name__, {key: loaded[key] for key in columns})


#: The package files whose content can change a computed result (templates and assets cannot).
_CODE_SUFFIXES = frozenset({".py", ".csv", ".json", ".yaml", ".yml", ".txt", ".tsv"})


@functools.lru_cache(maxsize=1)
def code_version() -> str:
    """A digest of this program's code and package data, read once per process (~4 MB).

    Why: results on disk outlive the process that computed them, and the data version alone
    does not change when the program does; a result computed by an older release (a fixed bug,
    a retuned model) must not be served by a newer one."""
    root = Path(__file__).resolve().parents[1]
    digest = hashlib.blake2b(digest_size=8)
    for path in sorted(p for p in root.rglob("*") if p.suffix in _CODE_SUFFIXES):
        if "__pycache__" in path.parts or not path.is_file():
            continue
        digest.update(path.relative_to(root).as_posix().encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def _disk_path(key: Hashable) -> Path | None:
    folder = _DISK["dir"]
    if folder is None:
        return None
    name = repr((key, code_version()))
    return folder / safe_cache_name(name, prefix="result", suffix=".pickle")


def _read_disk(key: Hashable) -> tuple[bool, Any]:
    path = _disk_path(key)
    if path is None or not path.is_file():
        return False, None
    try:
        with path.open("rb") as handle:
            return True, pickle.load(handle)
    except Exception:  # a damaged or outdated file: compute again
        return False, None


def _dump(value: Any, handle: IO[bytes]) -> None:
    _PlainPickler(handle, protocol=pickle.HIGHEST_PROTOCOL).dump(value)


def _write_disk(key: Hashable, value: Any) -> None:
    path = _disk_path(key)
    if path is None:
        return
    tmp = path.with_name(f"{path.name}.{os.getpid()}.{threading.get_ident()}.tmp")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with tmp.open("wb") as handle:
            _dump(value, handle)
        os.replace(tmp, path)  # readers see the whole file or none
        stats["disk_writes"] += 1
        _prune(path.parent)
    except Exception:  # not plain data, or a read-only folder: memory only
        tmp.unlink(missing_ok=True)


def _prune(folder: Path) -> None:
    """Drop the oldest result files beyond ``MAX_FILES`` or ``MAX_BYTES`` (newest kept)."""
    sized = []
    for path in folder.glob("result-*.pickle"):
        try:
            info = path.stat()
        except OSError:  # removed by another process meanwhile
            continue
        sized.append((info.st_mtime, info.st_size, path))
    sized.sort(reverse=True)
    total = 0
    for rank, (_mtime, size, path) in enumerate(sized):
        total += size
        if rank >= MAX_FILES or (rank > 0 and total > MAX_BYTES):
            path.unlink(missing_ok=True)


#: Dataset kinds that analytic results of UN votes and positions never read (recommendations):
#: their imports do not change a vote figure.
NOT_VOTES = ("upr-", "ohchr-")
#: audited actions that change no stored data, so no cached result
READ_ACTIONS = (
    "login",
    "logout",
    "login-failed",
    "export",
    "issue-token",
    "revoke-token",
    "read",
    "screen",  # a sanctions screening query: audited, changes nothing
)


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
    # reads are audited too (logins, exports, tokens): they change no figure, so they must
    # not throw away every cached result (a busy morning of logins would recompute all)
    stmt_audit = select(func.max(AuditEntry.id)).where(AuditEntry.action.not_in(READ_ACTIONS))
    audit = session.scalar(stmt_audit) or 0
    return f"d{dataset}.a{audit}"


def cached(
    session: Session,
    name: str,
    args: Hashable,
    compute: Callable[[], T],
    *,
    edits: bool = True,
    ignore: tuple[str, ...] = (),
    only: tuple[str, ...] | None = None,
) -> T:
    """``compute()``'s result for this data version, computed at most once per version and
    process: simultaneous first requests wait for the one that computes (fifty clients
    opening the same heavy page after an import start one computation, not fifty). ``edits``,
    ``ignore`` and ``only`` narrow the version (``data_version``) for results that depend on
    less (the atrocity risk model reads its own eight kinds: a UPR import must not refit it).

    The result is shared between requests: callers must not change it."""
    version = data_version(session, edits, ignore, only)
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
            found, kept = _read_disk(key)
            if found:
                stats["disk_hits"] += 1
                value: T = kept
            else:
                value = compute()
                _write_disk(key, value)
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
    """Forget every result kept in memory and stop using the disk (tests)."""
    with _LOCK:
        _RESULTS.clear()
        _DISK["dir"] = None
        stats.update(hits=0, misses=0, disk_hits=0, disk_writes=0)
