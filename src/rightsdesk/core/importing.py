"""The import framework: streaming parse -> validation -> upsert, one transaction per import.

An importer is a small object naming its ``kind``, recognising its files (``sniff``) and
writing rows through an ``ImportContext``. The framework does the rest the same way for every
format: checksum and Dataset record, "already imported" detection, one transaction for all
files of a command (all or nothing), counts, progress, and an audit entry.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal, Protocol

from sqlalchemy import delete, event, insert, select
from sqlalchemy.orm import Session

from rightsdesk.core.db import sqlite_path, utcnow
from rightsdesk.core.errors import EncodingError, InputError, MissingColumnError, RightsdeskError
from rightsdesk.core.file_checks import check_structure
from rightsdesk.core.provenance import (
    DELETED_NOTE,
    IN_PROGRESS,
    Dataset,
    find_dataset,
    refresh_periods,
    sha256_file,
)
from rightsdesk.core.security import audit

Outcome = Literal["inserted", "updated", "unchanged", "rejected"]


@dataclass
class ImportReport:
    """What one file's import did; printed by the CLI and returned by the Python API."""

    kind: str
    path: str
    dataset_id: int | None = None
    rows_read: int = 0
    inserted: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: int = 0
    deleted: int = 0
    skipped_file: bool = False
    messages: list[str] = field(default_factory=list)

    def count(self, outcome: Outcome) -> None:
        setattr(self, outcome, getattr(self, outcome) + 1)

    @property
    def changed(self) -> bool:
        return bool(self.inserted or self.updated or self.deleted)


#: ``Session.info`` key of the in-progress Dataset ids a session's rollback must delete.
PENDING_KEY = "rightsdesk.pending_datasets"

#: Share of an affected table's rows that a ``--replace`` import may delete without ``--yes``.
REPLACE_LIMIT = 0.05


class ReplaceRefusedError(RightsdeskError):
    """A ``--replace`` import would delete more than the plausible share of the stored rows."""

    code = "replace-refused"
    exit_code = 65


class ImportContext:
    """Handed to an importer: the session, the Dataset being written, counters, progress."""

    def __init__(
        self,
        session: Session,
        dataset: Dataset,
        path: Path,
        report: ImportReport,
        progress: Callable[[int], None] | None = None,
        replace: bool = False,
        yes: bool = False,
    ) -> None:
        self.session = session
        self.dataset = dataset
        self.path = path
        self.report = report
        self._progress = progress
        self.replace = replace
        self.yes = yes

    def may_delete(self, what: str, count: int, total: int) -> bool:
        """Whether the importer may delete ``count`` of the ``total`` stored rows of ``what``
        that its file does not mention.

        Without ``--replace`` never: a partial file only adds and updates (the kept rows are
        noted in the report). With ``--replace`` a deletion of more than ``REPLACE_LIMIT`` of
        the stored rows is refused unless ``--yes``. The caller deletes and counts
        (``report.deleted``) when this returns True.
        """
        if count <= 0:
            return False
        if not self.replace:
            self.warn(
                f"kept {count} stored {what} row(s) this file does not list "
                "(import with --replace to delete them)"
            )
            return False
        if count > REPLACE_LIMIT * max(total, 1) and not self.yes:
            raise ReplaceRefusedError(
                f"{self.path}: --replace would delete {count} of {total} stored {what} rows "
                f"({count / max(total, 1):.1%}, more than {REPLACE_LIMIT:.0%}); is the file "
                "complete? Add --yes to delete them anyway"
            )
        self.warn(f"deleted {count} stored {what} row(s) {DELETED_NOTE}")
        return True

    def advance(self, amount: int) -> None:
        """Tell the progress bar that ``amount`` more bytes of the file were read."""
        if self._progress is not None:
            self._progress(amount)

    def warn(self, message: str) -> None:
        self.report.messages.append(message)

    def upsert(
        self, obj_or_none: Any, model: type[Any], key: Mapping[str, Any], values: Mapping[str, Any]
    ) -> tuple[Any, Outcome]:
        """Insert ``model(**key, **values)`` or update ``obj_or_none`` if any value differs.

        The caller looks the existing row up (usually from a dict it preloaded, which is much
        faster than one query per row). Unchanged rows keep their original Dataset link.
        """
        if obj_or_none is None:
            obj = model(**key, **values)
            if hasattr(obj, "dataset_id"):
                obj.dataset_id = self.dataset.id
            self.session.add(obj)
            self.report.count("inserted")
            return obj, "inserted"
        changed = False
        for name, value in values.items():
            if getattr(obj_or_none, name) != value:
                setattr(obj_or_none, name, value)
                changed = True
        if changed:
            if hasattr(obj_or_none, "dataset_id"):
                obj_or_none.dataset_id = self.dataset.id
            self.report.count("updated")
            return obj_or_none, "updated"
        self.report.count("unchanged")
        return obj_or_none, "unchanged"


class Importer(Protocol):
    """One external format."""

    kind: str
    label: str
    source: str
    source_url: str | None
    licence: str | None

    def sniff(self, path: Path) -> bool:
        """Whether ``path`` is a file of this format (cheap: name and first bytes)."""
        ...

    def run(self, ctx: ImportContext) -> None:
        """Parse, validate and upsert; raise InputError on the first bad row."""
        ...


def run_import(
    session: Session,
    importer: Importer,
    path: Path,
    actor: str = "system",
    progress: Callable[[int], None] | None = None,
    force: bool = False,
    replace: bool = False,
    yes: bool = False,
) -> ImportReport:
    """Import one file inside the caller's transaction; the caller commits or rolls back.

    The import only adds and updates; with ``replace`` it may also delete the stored rows
    its file does not list (see ``ImportContext.may_delete``), which also re-reads a file
    imported before.
    """
    if not path.is_file():
        raise InputError("no such file", file=path)
    check_structure(path, quoted=getattr(importer, "quoted", True))
    files = getattr(importer, "files_read", None)
    digest = combined_sha256(files(path) if files is not None else [path])
    force = force or replace
    report = ImportReport(kind=importer.kind, path=str(path))
    earlier = find_dataset(session, importer.kind, digest)
    if earlier is not None and not force:
        report.skipped_file = True
        report.dataset_id = earlier.id
        report.messages.append(
            f"already imported unchanged as dataset #{earlier.id} on "
            f"{earlier.imported_at:%Y-%m-%d %H:%M}; nothing to do"
        )
        if progress is not None:
            progress(path.stat().st_size)
        return report
    dataset = Dataset(
        kind=importer.kind,
        source=importer.source,
        source_url=importer.source_url,
        licence=importer.licence,
        file_name=path.name,
        sha256=digest,
        imported_by=actor,
    )
    dataset = _add_dataset(session, dataset)
    report.dataset_id = dataset.id
    # The ORM's pending changes reach the store at the end (or when an importer flushes to
    # get new keys), not at each query: on SQLite the write lock is held for the writing,
    # not for the reading and comparing that comes first.
    with session.no_autoflush:
        importer.run(ImportContext(session, dataset, path, report, progress, replace, yes))
    session.flush()
    dataset.rows_read = report.rows_read
    dataset.inserted = report.inserted
    dataset.updated = report.updated
    dataset.unchanged = report.unchanged
    dataset.rejected = report.rejected
    dataset.notes = "\n".join(report.messages[:50]) or None
    refresh_periods(session)  # the period this dataset covers (and older ones it took rows from)
    audit.record(
        session,
        actor,
        "import",
        "dataset",
        dataset.id,
        after={
            "kind": importer.kind,
            "file": path.name,
            "sha256": digest,
            "inserted": report.inserted,
            "updated": report.updated,
            "unchanged": report.unchanged,
            "rejected": report.rejected,
            "deleted": report.deleted,
        },
    )
    return report


def _add_dataset(session: Session, dataset: Dataset) -> Dataset:
    """``dataset`` with its row and id, as the session's object.

    On a SQLite file the row is written and committed at once in a short transaction of its
    own, marked ``IN_PROGRESS``, so the import's own transaction takes the store's single
    write lock only when it first writes a changed row (a re-import of unchanged data never
    does), and web writes do not queue behind the reading and comparing. If the import's
    transaction rolls back, the row goes too (``_forget_pending``); one left by a killed
    process is skipped by ``find_dataset``, the lists and the data version, and dropped by
    ``drop_interrupted``. Other stores lock rows, not the database: there the row is simply
    part of the import's transaction.
    """
    bind = session.get_bind()
    if (
        bind.dialect.name != "sqlite"
        or sqlite_path(str(bind.engine.url)) is None
        or _writing(session)  # this transaction holds the lock already (an earlier file)
    ):
        session.add(dataset)
        session.flush()
        return dataset
    columns = (c.key for c in Dataset.__table__.columns if c.key != "id")
    values = {key: getattr(dataset, key) for key in columns if getattr(dataset, key) is not None}
    values["notes"] = IN_PROGRESS  # the other unset columns take their defaults
    with bind.engine.begin() as connection:
        new_id = connection.execute(
            insert(Dataset).values(values).returning(Dataset.id)
        ).scalar_one()
    pending: set[int] = session.info.setdefault(PENDING_KEY, set())
    if not event.contains(session, "after_rollback", _forget_pending):
        event.listen(session, "after_rollback", _forget_pending)
    pending.add(int(new_id))
    stored = session.get(Dataset, new_id)
    if stored is None:  # pragma: no cover - the row was committed just above
        raise RightsdeskError("the import's dataset record vanished; try again")
    # the import's transaction replaces the mark with its notes at the end (run_import)
    return stored


def _writing(session: Session) -> bool:
    """Whether the session's SQLite connection has begun writing (holds the write lock)."""
    dbapi = session.connection().connection.dbapi_connection
    return bool(getattr(dbapi, "in_transaction", False))


def _forget_pending(session: Session) -> None:
    """After a rollback: delete the in-progress Dataset rows this session wrote."""
    pending: set[int] = session.info.pop(PENDING_KEY, set())
    if not pending:
        return
    engine = session.get_bind().engine
    with engine.begin() as connection:
        connection.execute(
            delete(Dataset).where(Dataset.id.in_(pending), Dataset.notes == IN_PROGRESS)
        )


def drop_interrupted(session: Session, older_than: dt.timedelta = dt.timedelta(hours=6)) -> int:
    """Delete Dataset rows of imports that never finished (a killed process), once they are
    older than any import could still be running; returns how many."""
    cutoff = utcnow() - older_than
    stale = list(
        session.scalars(
            select(Dataset.id).where(Dataset.notes == IN_PROGRESS, Dataset.imported_at < cutoff)
        )
    )
    if stale:
        session.execute(delete(Dataset).where(Dataset.id.in_(stale)))
    return len(stale)


def combined_sha256(paths: Sequence[Path]) -> str:
    """The sha256 of one file, or for several the sha256 of their names and hashes in sorted
    order, so a change to any file an import reads makes it a new dataset."""
    if len(paths) == 1:
        return sha256_file(paths[0])
    lines = sorted(f"{p.name} {sha256_file(p) if p.is_file() else '-'}\n" for p in paths)
    return hashlib.sha256("".join(lines).encode()).hexdigest()


# --- helpers for text formats -------------------------------------------------------------


def read_text(path: Path, encoding: str = "utf-8") -> str:
    """The whole file decoded, or an EncodingError naming the line of the first bad byte."""
    data = path.read_bytes()
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + data[: exc.start].count(b"\r") + 1
        raise EncodingError(
            f"not valid {encoding.upper()} text (byte {exc.start}); save it as {encoding.upper()} "
            "or name its encoding",
            file=path,
            line=line,
        ) from exc


@dataclass
class CsvRow:
    line: int
    values: dict[str, str]

    def get(self, name: str) -> str:
        return (self.values.get(name) or "").strip()


def iter_csv(
    path: Path,
    required: Sequence[str],
    encoding: str = "utf-8",
    progress: Callable[[int], None] | None = None,
    text: str | None = None,
) -> Iterator[CsvRow]:
    """Rows of a CSV file with a header, checking the required columns first.

    Line numbers are physical lines of the file (the header is line 1), so a user can find
    the row in an editor. Any newline convention works, including bare CR.
    """
    content = text if text is not None else read_text(path, encoding)
    content = content.lstrip("\ufeff")
    reader = csv.reader(io.StringIO(content, newline=""))
    try:
        header = next(reader)
    except StopIteration:
        raise InputError("the file is empty", file=path, line=1) from None
    except csv.Error as exc:
        raise InputError(f"not a readable CSV file ({exc})", file=path, line=1) from exc
    header = [h.strip() for h in header]
    missing = [c for c in required if c not in header]
    if missing:
        raise MissingColumnError(
            f"missing column(s) {', '.join(missing)}; found {', '.join(header)}",
            file=path,
            line=1,
            field=missing[0],
        )
    total = len(content)
    last_pos = 0

    def rows() -> Iterator[tuple[int, list[str]]]:
        try:
            for cells in reader:
                if any(c.strip().strip("\x1a") for c in cells):  # \x1a: DOS end of file
                    yield reader.line_num, cells
        except csv.Error as exc:
            raise InputError(f"malformed CSV ({exc})", file=path, line=reader.line_num) from exc

    source = rows()
    ahead = next(source, None)
    while ahead is not None:
        line, cells = ahead
        ahead = next(source, None)
        if len(cells) > len(header):
            raise InputError(
                f"{len(cells)} cells but the header has {len(header)}", file=path, line=line
            )
        if ahead is None and len(cells) < len(header):
            raise InputError(
                f"the last row has {len(cells)} cells but the header has {len(header)} "
                "(is the file cut?)",
                file=path,
                line=line,
            )
        values = dict(zip(header, cells, strict=False))
        yield CsvRow(line, values)
        if progress is not None and line % 500 == 0:
            pos = int(total * min(1.0, line / max(1, content.count("\n") or 1)))
            progress(max(0, pos - last_pos))
            last_pos = pos


def parse_iso_date(value: str, path: Path, line: int, field_name: str) -> Any:
    """A date in ISO form (YYYY-MM-DD), or an InputError naming the field."""
    from datetime import date

    try:
        return date.fromisoformat(value.strip())
    except ValueError as exc:
        raise InputError(
            f"malformed date {value!r} (expected YYYY-MM-DD)",
            file=path,
            line=line,
            field=field_name,
        ) from exc


def resolve_or_fail(query: str, path: Path, line: int, field_name: str) -> str:
    """ISO3 of a state, or an InputError naming the file, line and field and the candidates."""
    from rightsdesk.core.errors import UnknownStateError
    from rightsdesk.core.states import resolve_state

    try:
        return resolve_state(query)
    except UnknownStateError as exc:
        raise InputError(exc.message, file=path, line=line, field=field_name) from exc


def head_text(path: Path, size: int = 4096, encoding: str = "utf-8") -> str:
    """The first bytes of a file as text (BOM removed), or "" if it cannot be read: what
    ``sniff`` methods look at to recognise a format cheaply."""
    try:
        with path.open("rb") as handle:
            return handle.read(size).decode(encoding, errors="replace").lstrip("\ufeff")
    except OSError:
        return ""


def sniff_header(path: Path, columns: Iterable[str], encoding: str = "utf-8") -> bool:
    """Whether the first line of ``path`` contains all ``columns`` (for ``--kind auto``)."""
    first = head_text(path, encoding=encoding).replace("\r", "\n").split("\n", 1)[0]
    cells = {c.strip().strip('"') for c in first.split(",")}
    return all(c in cells for c in columns)
