"""Provenance: every import creates a Dataset, and every imported row points back to it.

That link is what lets a page or an API answer say where a fact came from (source, file,
checksum, licence, when it was imported), the first question a diplomat is asked about a figure.
Each dataset also knows the period its facts cover (``period_start``/``period_end``, filled by
``refresh_periods`` when an import ends), so every analytic result can say how recent it is:
``provenance_for`` gives the datasets a figure used and the date of the latest fact it saw
("UN votes to 2021-12-30").
"""

from __future__ import annotations

import hashlib
import threading
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Date,
    ForeignKey,
    Integer,
    String,
    Table,
    Text,
    func,
    or_,
    select,
    update,
)
from sqlalchemy.orm import Mapped, Session, declared_attr, mapped_column

from rightsdesk.core.db import Base, utcnow

#: Words the notes of an import that deleted rows (``--replace``) contain.
DELETED_NOTE = "this file no longer lists (--replace)"

#: ``Dataset.notes`` of an import still running (or killed): such a row is not yet data.
IN_PROGRESS = "import in progress"


class Dataset(Base):
    """One imported file (or the built-in reference data), with its checksum and counts."""

    __tablename__ = "dataset"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(60), index=True)
    source: Mapped[str] = mapped_column(String(300))
    source_url: Mapped[str | None] = mapped_column(String(500))
    licence: Mapped[str | None] = mapped_column(String(200))
    file_name: Mapped[str] = mapped_column(String(300))
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    imported_at: Mapped[datetime] = mapped_column(default=utcnow)
    imported_by: Mapped[str | None] = mapped_column(String(100))
    rows_read: Mapped[int] = mapped_column(Integer, default=0)
    inserted: Mapped[int] = mapped_column(Integer, default=0)
    updated: Mapped[int] = mapped_column(Integer, default=0)
    unchanged: Mapped[int] = mapped_column(Integer, default=0)
    rejected: Mapped[int] = mapped_column(Integer, default=0)
    notes: Mapped[str | None] = mapped_column(Text)
    # earliest and latest dated fact among the rows linked to this dataset (refresh_periods)
    period_start: Mapped[date | None] = mapped_column(Date)
    period_end: Mapped[date | None] = mapped_column(Date)

    def describe(self) -> str:
        """One line naming the source, for footers and API answers."""
        return f"{self.source} ({self.file_name}, imported {self.imported_at:%Y-%m-%d})"


class FromDataset:
    """Mixin for imported rows: the Dataset that last inserted or changed the row."""

    @declared_attr
    def dataset_id(cls) -> Mapped[int | None]:
        return mapped_column(ForeignKey("dataset.id"), index=True)


def sha256_file(path: Path) -> str:
    """Checksum in 1 MiB blocks, so large files need no memory."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def find_dataset(session: Session, kind: str, sha256: str) -> Dataset | None:
    """The earlier import of the same content by the same importer, if any."""
    stmt = (
        select(Dataset).where(Dataset.kind == kind, Dataset.sha256 == sha256, finished()).limit(1)
    )
    return session.scalars(stmt).first()


def finished() -> ColumnElement[bool]:
    """The condition "this Dataset's import finished" (see ``IN_PROGRESS``)."""
    return or_(Dataset.notes.is_(None), Dataset.notes != IN_PROGRESS)


def list_datasets(session: Session) -> list[Dataset]:
    stmt = select(Dataset).where(finished()).order_by(Dataset.imported_at.desc())
    return list(session.scalars(stmt))


# --- periods and provenance of results --------------------------------------------------------


def dated_tables() -> list[tuple[Table, list[str]]]:
    """Tables of imported rows (a ``dataset_id`` column) with their Date columns, discovered
    from the models' metadata, so a new importer's table needs no registration here. An
    integer column marked ``info={"period": "year"}`` counts too (aggregates by year, such as
    the OECD CRS, cover 1 January to 31 December of that year)."""
    out = []
    for table in Base.metadata.sorted_tables:
        if "dataset_id" not in table.c or table.name == "dataset":
            continue
        dates = [
            c.name for c in table.c if isinstance(c.type, Date) or c.info.get("period") == "year"
        ]
        if dates:
            out.append((table, dates))
    return out


def refresh_periods(session: Session) -> int:
    """Set every dataset's period from the dates of the rows linked to it; returns how many
    datasets changed. One grouped query per dated table: cheap next to any import. All
    datasets, not only the newest: an import that updates a row takes it over from the older
    dataset, whose period may shrink."""
    spans: dict[int, tuple[date, date]] = {}
    for table, columns in dated_tables():
        for name in columns:
            col = table.c[name]
            stmt = (
                select(table.c.dataset_id, func.min(col), func.max(col))
                .where(table.c.dataset_id.is_not(None), col.is_not(None))
                .group_by(table.c.dataset_id)
            )
            yearly = col.info.get("period") == "year"
            for ds_id, low, high in session.execute(stmt):
                if yearly:
                    low, high = date(int(low), 1, 1), date(int(high), 12, 31)
                low, high = _as_date(low), _as_date(high)
                if low is None or high is None:
                    continue
                old = spans.get(int(ds_id))
                spans[int(ds_id)] = (min(old[0], low), max(old[1], high)) if old else (low, high)
    changed = 0
    rows = session.execute(select(Dataset.id, Dataset.period_start, Dataset.period_end)).all()
    for ds_id, start, end in rows:
        new = spans.get(int(ds_id), (None, None))
        if (start, end) != new:
            session.execute(
                update(Dataset)
                .where(Dataset.id == ds_id)
                .values(period_start=new[0], period_end=new[1])
            )
            changed += 1
    return changed


def _as_date(value: Any) -> date | None:
    """A date from what the driver returns (SQLite gives text for an aggregate)."""
    if value is None or isinstance(value, date) and not isinstance(value, datetime):
        return value
    if isinstance(value, datetime):
        return value.date()
    try:
        return date.fromisoformat(str(value)[:10])
    except ValueError:
        return None


@dataclass(frozen=True)
class DatasetUse:
    """One dataset a result was computed from, with the period it covers."""

    id: int
    kind: str
    file: str
    source: str
    imported: str
    period_start: str | None
    period_end: str | None


@dataclass(frozen=True)
class Provenance:
    """The datasets a result used and the date of the latest fact it saw."""

    datasets: tuple[DatasetUse, ...]
    latest: str | None
    label: str

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Provenance:
        """The object ``as_dict`` made (a service answer read back by the CLI)."""
        return cls(
            datasets=tuple(DatasetUse(**d) for d in data.get("datasets", [])),
            latest=data.get("latest"),
            label=str(data.get("label", "")),
        )

    def as_dict(self) -> dict[str, Any]:
        """Plain JSON values: the ``provenance`` object of API answers and ``--format json``."""
        return {
            "datasets": [vars(d) for d in self.datasets],
            "latest": self.latest,
            "label": self.label,
        }


#: Dataset kinds (prefixes) whose rows UN vote analyses read: agreement, cohesion, positions.
VOTE_KINDS = ("unvotes", "hrc-", "undl", "undata", "un-votes", "unsc")
#: Dataset kinds (prefixes) of treaty status data: the matrix and party counts.
TREATY_KINDS = ("untc", "untreaties", "ohchr-dashboard", "treat")


_LOCK = threading.Lock()
_MEMO: dict[tuple[str, tuple[str, ...], str, tuple[Any, ...]], Provenance] = {}


def provenance_for(session: Session, kinds: tuple[str, ...], what: str = "data") -> Provenance:
    """The datasets whose kind starts with one of ``kinds``, and the newest period end among
    them. Computed once per data version (the newest dataset and its counts, as
    ``core.cache.data_version`` reads them; not imported from there, which imports this)."""
    newest = session.execute(
        select(Dataset.id, Dataset.rows_read, Dataset.inserted, Dataset.updated)
        .order_by(Dataset.id.desc())
        .limit(1)
    ).first()
    url = session.get_bind().engine.url.render_as_string()
    periods = session.execute(select(func.count(Dataset.period_end), func.max(Dataset.period_end)))
    key = (url, kinds, what, (*(newest or ()), *periods.one()))
    with _LOCK:
        found = _MEMO.get(key)
    if found is not None:
        return found
    made = _provenance(session, kinds, what)
    with _LOCK:
        if len(_MEMO) > 256:
            _MEMO.clear()
        _MEMO[key] = made
    return made


def _provenance(session: Session, kinds: tuple[str, ...], what: str) -> Provenance:
    found = [
        ds
        for ds in session.scalars(select(Dataset).where(finished()).order_by(Dataset.id))
        if any(ds.kind.startswith(k) for k in kinds)
    ]
    uses = tuple(
        DatasetUse(
            id=ds.id,
            kind=ds.kind,
            file=ds.file_name,
            source=ds.source,
            imported=f"{ds.imported_at:%Y-%m-%d}",
            period_start=ds.period_start.isoformat() if ds.period_start else None,
            period_end=ds.period_end.isoformat() if ds.period_end else None,
        )
        for ds in found
    )
    ends = [u.period_end for u in uses if u.period_end]
    latest = max(ends) if ends else None
    if not uses:
        label = f"no {what} imported"
    elif latest is None:
        label = f"{what} of {len(uses)} dataset(s), undated"
    else:
        label = f"{what} to {latest}"
    return Provenance(datasets=uses, latest=latest, label=label)


def vote_provenance(session: Session) -> dict[str, Any]:
    """``provenance_for`` the UN vote datasets, as the ``provenance`` object of API answers."""
    return provenance_for(session, VOTE_KINDS, "UN votes").as_dict()
