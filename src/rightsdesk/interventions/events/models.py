"""Tables of the events room: the ingested exports and the monthly aggregates pages read.

The events themselves live in Parquet files under the data folder (``ingest.py``); the store
keeps what pages need fast on SQLite and PostgreSQL alike: one row per ingested export (so a
page says up to when the events run) and the monthly figures per state and CAMEO root.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import BigInteger, Boolean, Date, DateTime, Float, Integer, String, true
from sqlalchemy.orm import Mapped, mapped_column

from rightsdesk.core.db import Base, utcnow
from rightsdesk.core.provenance import FromDataset

__all__ = ["EventExport", "EventMonthly", "EventVolume"]


class EventExport(FromDataset, Base):
    """One GDELT export converted to Parquet (``narrow/<name>.parquet``, ``full/...``)."""

    __tablename__ = "int_events_export"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    #: the export's name without suffixes, e.g. ``20150218230000.export``
    name: Mapped[str] = mapped_column(String(200), unique=True)
    source_file: Mapped[str] = mapped_column(String(300))
    #: sha256 of the CSV content (of the zip's member for a zipped export)
    sha256: Mapped[str] = mapped_column(String(64))
    rows: Mapped[int] = mapped_column(Integer)
    rejected: Mapped[int] = mapped_column(Integer, default=0)
    first_date: Mapped[dt.date | None] = mapped_column(Date)
    last_date: Mapped[dt.date | None] = mapped_column(Date)
    #: DATEADDED of the newest event (YYYYMMDDHHMMSS, UTC): when GDELT coded it
    added_up_to: Mapped[int | None] = mapped_column(BigInteger)
    ingested_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    #: whether the stored monthly figures count this export: False after ``ingest
    #: --no-aggregate`` until ``rightsdesk interventions events aggregate`` (pages say so)
    aggregated: Mapped[bool] = mapped_column(Boolean, default=True, server_default=true())


class EventMonthly(Base):
    """Deduplicated root events of one CAMEO root in one state-month, from one perspective
    (``action``: where it happened; ``actor1``/``actor2``: the country of either side)."""

    __tablename__ = "int_events_monthly"

    perspective: Mapped[str] = mapped_column(String(8), primary_key=True)
    iso3: Mapped[str] = mapped_column(String(3), primary_key=True)
    month: Mapped[str] = mapped_column(String(7), primary_key=True)  # YYYY-MM
    root: Mapped[str] = mapped_column(String(3), primary_key=True)  # "02" ... "20", "163"
    events: Mapped[int] = mapped_column(Integer)
    #: events / all deduplicated root events of the state-month (``EventVolume.total``)
    share: Mapped[float] = mapped_column(Float)
    #: average Goldstein scale (-10 conflict .. +10 cooperation) of these events
    goldstein: Mapped[float] = mapped_column(Float)


class EventVolume(Base):
    """All deduplicated root events of a state-month: the denominator of every share."""

    __tablename__ = "int_events_volume"

    perspective: Mapped[str] = mapped_column(String(8), primary_key=True)
    iso3: Mapped[str] = mapped_column(String(3), primary_key=True)
    month: Mapped[str] = mapped_column(String(7), primary_key=True)
    total: Mapped[int] = mapped_column(Integer)
