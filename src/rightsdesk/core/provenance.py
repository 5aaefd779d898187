"""Provenance: every import creates a Dataset, and every imported row points back to it.

That link is what lets a page or an API answer say where a fact came from (source, file,
checksum, licence, when it was imported), the first question a diplomat is asked about a figure.
"""

from __future__ import annotations

import hashlib
from datetime import datetime
from pathlib import Path

from sqlalchemy import ForeignKey, Integer, String, Text, select
from sqlalchemy.orm import Mapped, Session, declared_attr, mapped_column

from rightsdesk.core.db import Base, utcnow


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
    stmt = select(Dataset).where(Dataset.kind == kind, Dataset.sha256 == sha256).limit(1)
    return session.scalars(stmt).first()


def list_datasets(session: Session) -> list[Dataset]:
    return list(session.scalars(select(Dataset).order_by(Dataset.imported_at.desc())))
