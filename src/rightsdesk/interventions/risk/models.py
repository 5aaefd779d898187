"""Tables of the risk room: the rows of the eight risk sources, compactly.

Why one table: the sources (EWP base data, predictors and forecasts, PTS, CIRIGHTS, UCDP battle
deaths, armed conflicts, one-sided violence) are wide, differently shaped panels read whole by
the model and never queried cell by cell. One row per source, unit and year, with the values as
a JSON object, keeps each import a single bulk upsert and lets a new source column arrive
without a migration. The unit is what the source counts (a country for EWP, PTS and CIRIGHTS,
a conflict or dyad for UCDP); ``code`` and ``name`` are the source's own state code (COW or
Gleditsch-Ward, as written) and name; ``cow`` and ``iso3`` are the mapped keys, None where no
state stands for the row (Republic of Vietnam, PTS's "Gaza (Hamas)").
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import JSON, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from rightsdesk.core.db import Base
from rightsdesk.core.provenance import FromDataset

__all__ = ["RiskRecord"]


class RiskRecord(FromDataset, Base):
    """One row of a risk source: ``source`` is the import kind, ``key`` tells the units of one
    year apart (COW code, conflict or dyad id), ``values`` holds every other column."""

    __tablename__ = "int_risk_record"
    __table_args__ = (
        UniqueConstraint("source", "key", "year"),
        Index("ix_int_risk_record_source_iso3", "source", "iso3"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    source: Mapped[str] = mapped_column(String(40))
    key: Mapped[str] = mapped_column(String(60))
    # the year the values describe; the import's Dataset period runs over these years
    year: Mapped[int] = mapped_column(Integer, info={"period": "year"})
    code: Mapped[str] = mapped_column(String(40))
    name: Mapped[str] = mapped_column(String(200))
    cow: Mapped[int | None] = mapped_column(Integer)
    iso3: Mapped[str | None] = mapped_column(String(3))
    values: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
