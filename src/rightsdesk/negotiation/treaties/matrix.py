"""The ratification matrix: every state's standing towards every core instrument.

"Party" means consent to be bound given (ratification, accession, succession, or
acceptance/approval/formal confirmation, all shown as ratified); a signature alone is not
participation. One cell per state x instrument, status "none" where nothing is recorded; the
matrix comes long (a DataFrame), wide (a DataFrame) or as plain data for JSON and pages, and
every cell carries the Dataset id of its fact.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

import pandas as pd
from sqlalchemy import select
from sqlalchemy.orm import Session

from rightsdesk.core.cache import cached
from rightsdesk.core.periods import iso_date
from rightsdesk.core.states import State, group_members, resolve_group
from rightsdesk.negotiation.treaties.layers import check_layer, layer_values
from rightsdesk.negotiation.treaties.models import Instrument, Ratification

STATUSES: tuple[str, ...] = ("ratified", "acceded", "succeeded", "signed", "denounced", "none")
PARTY_STATUSES: frozenset[str] = frozenset({"ratified", "acceded", "succeeded"})
STATUS_LETTER: dict[str, str] = {
    "ratified": "R",
    "acceded": "A",
    "succeeded": "D",
    "signed": "s",
    "denounced": "x",
    "none": "·",
}

RECORD_COLUMNS = [
    "iso3",
    "state",
    "instrument",
    "status",
    "party",
    "consent_type",
    "signature_date",
    "consent_date",
    "dataset_id",
]


@dataclass(frozen=True)
class Cell:
    """One state's standing towards one instrument (status "none" when nothing is recorded)."""

    iso3: str
    instrument: str
    status: str
    signature_date: date | None = None
    consent_date: date | None = None
    consent_type: str | None = None
    dataset_id: int | None = None
    denunciation_effective: date | None = None
    party_until: date | None = None

    @property
    def is_party(self) -> bool:
        """Party today: consent given, not denounced, and the state still exists."""
        return self.status in PARTY_STATUSES and self.party_until is None

    def to_dict(self) -> dict[str, Any]:
        return {
            "instrument": self.instrument,
            "status": self.status,
            "party": self.is_party,
            "signature_date": iso_date(self.signature_date),
            "consent_date": iso_date(self.consent_date),
            "consent_type": self.consent_type,
            "dataset_id": self.dataset_id,
            "denunciation_effective": iso_date(self.denunciation_effective),
            "party_until": iso_date(self.party_until),
        }


def cell_of(iso3: str, short: str, row: Ratification | None) -> Cell:
    """The cell of a stored ratification row (or an empty one)."""
    if row is None:
        return Cell(iso3, short, "none")
    return Cell(
        iso3,
        short,
        row.status,
        row.signature_date,
        row.consent_date,
        row.consent_type,
        row.dataset_id,
        row.denunciation_effective,
        row.party_until,
    )


def list_instruments(session: Session) -> list[Instrument]:
    """The instruments in display order (treaties followed by their protocols)."""
    return list(session.scalars(select(Instrument).order_by(Instrument.position)))


def ratifications(session: Session, iso3s: Iterable[str] | None = None) -> list[Ratification]:
    """Stored ratification rows, of some states or of all."""
    stmt = select(Ratification)
    if iso3s is not None:
        stmt = stmt.where(Ratification.iso3.in_(list(iso3s)))
    return list(session.scalars(stmt))


def matrix_states(session: Session, group: str | None = None) -> list[State]:
    """Rows of the matrix: a group's current members, or every UN member plus any other state
    or organisation that has a treaty record (observers, Cook Islands, the EU, former states)."""
    if group:
        codes = group_members(session, resolve_group(session, group).code)
        stmt = select(State).where(State.iso3.in_(codes))
    else:
        recorded = select(Ratification.iso3).distinct()
        stmt = select(State).where((State.status == "member") | State.iso3.in_(recorded))
    return sorted(session.scalars(stmt), key=lambda s: s.name.casefold())


def ratification_records(session: Session, group: str | None = None) -> pd.DataFrame:
    """Long format: one row per state x instrument (``none`` where nothing is recorded).

    Columns: iso3, state, instrument, status, party, consent_type, signature_date,
    consent_date, dataset_id; ordered by state name then instrument position.
    """
    states = matrix_states(session, group)
    shorts = [i.short for i in list_instruments(session)]
    rows = {
        (r.iso3, r.instrument_short): r for r in ratifications(session, [s.iso3 for s in states])
    }
    records = []
    for state in states:
        for short in shorts:
            cell = cell_of(state.iso3, short, rows.get((state.iso3, short)))
            records.append(
                {
                    "iso3": state.iso3,
                    "state": state.name,
                    "instrument": short,
                    "status": cell.status,
                    "party": cell.is_party,
                    "consent_type": cell.consent_type,
                    "signature_date": cell.signature_date,
                    "consent_date": cell.consent_date,
                    "dataset_id": cell.dataset_id,
                }
            )
    frame = pd.DataFrame.from_records(records, columns=RECORD_COLUMNS)
    frame["dataset_id"] = frame["dataset_id"].astype("Int64")  # ints, not floats with NaN
    return frame


def ratification_matrix(session: Session, group: str | None = None) -> pd.DataFrame:
    """Wide format: index iso3, column ``state`` then one status column per instrument."""
    long = ratification_records(session, group)
    shorts = [i.short for i in list_instruments(session)]
    if long.empty:
        return pd.DataFrame(columns=["state", *shorts]).rename_axis("iso3")
    wide = long.pivot(index="iso3", columns="instrument", values="status")[shorts]
    names = long.drop_duplicates("iso3").set_index("iso3")["state"]
    wide.insert(0, "state", names)
    wide.columns.name = None
    order = long.drop_duplicates("iso3")["iso3"].tolist()
    return wide.loc[order]


def party_counts(session: Session, group: str | None = None) -> dict[str, int]:
    """States parties per instrument (former states such as Czechoslovakia are not counted)."""
    members = {s.iso3 for s in matrix_states(session, group)} if group else None
    historical = set(session.scalars(select(State.iso3).where(State.status == "historical")))
    counts = {i.short: 0 for i in list_instruments(session)}
    for row in ratifications(session, members):
        if row.status in PARTY_STATUSES and row.iso3 not in historical and not row.party_until:
            counts[row.instrument_short] = counts.get(row.instrument_short, 0) + 1
    return counts


def signatory_counts(session: Session) -> dict[str, int]:
    """States that signed but are not party, per instrument."""
    counts = {i.short: 0 for i in list_instruments(session)}
    for row in ratifications(session):
        if row.status == "signed":
            counts[row.instrument_short] += 1
    return counts


def plain_records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """Rows of a frame as dicts with None for missing values (pandas NA is not JSON)."""
    return [
        {str(k): (None if v is None or v is pd.NA or v != v else v) for k, v in rec.items()}
        for rec in frame.astype(object).to_dict("records")
    ]


def matrix_payload(
    session: Session, group: str | None = None, layer: str = "status"
) -> dict[str, Any]:
    """The matrix as plain data (JSON API, ``treaties matrix --format json``, the page).

    ``{"group", "layer", "instruments": [short...], "parties": {short: n}, "dataset_ids": [...],
    "states": [{"iso3", "state", "cells": {short: {status, party, signature_date,
    consent_date, consent_type, dataset_id, denunciation_effective, party_until, value}}}]}``,
    states sorted by name; ``value`` is the cell's text in the chosen layer (see ``layers``).
    """
    check_layer(layer)
    code = resolve_group(session, group).code if group else None
    records = ratification_records(session, code)
    extra = (
        layer_values(session, layer, records["iso3"].unique().tolist()) if layer != "status" else {}
    )
    ends = {
        (r.iso3, r.instrument_short): (r.denunciation_effective, r.party_until)
        for r in ratifications(session, records["iso3"].unique().tolist())
    }
    shorts = [i.short for i in list_instruments(session)]
    states: dict[str, dict[str, Any]] = {}
    dataset_ids: set[int] = set()
    for rec in plain_records(records):
        entry = states.setdefault(
            str(rec["iso3"]), {"iso3": rec["iso3"], "state": rec["state"], "cells": {}}
        )
        if rec["dataset_id"] is not None:
            dataset_ids.add(int(rec["dataset_id"]))
        key = (str(rec["iso3"]), str(rec["instrument"]))
        denounced, until = ends.get(key, (None, None))
        entry["cells"][rec["instrument"]] = {
            "status": rec["status"],
            "party": bool(rec["party"]) and until is None,
            "signature_date": iso_date(rec["signature_date"]),
            "consent_date": iso_date(rec["consent_date"]),
            "consent_type": rec["consent_type"],
            "dataset_id": None if rec["dataset_id"] is None else int(rec["dataset_id"]),
            "denunciation_effective": iso_date(denounced),
            "party_until": iso_date(until),
            "value": rec["status"] if layer == "status" else extra.get(key, ""),
        }
    return {
        "group": code,
        "layer": layer,
        "instruments": shorts,
        "parties": party_counts(session, code),
        "dataset_ids": sorted(dataset_ids),
        "states": list(states.values()),
    }


def matrix_data(
    session: Session, group: str | None = None, layer: str = "status"
) -> dict[str, Any]:
    """``matrix_payload`` computed once per data version (``core.cache``: in memory and on
    disk), for the page and the API.

    Building it reads every ratification and shapes 200 states x 18 instruments: seconds on
    a loaded store, the bulk of a first visit of ``/treaties``. The warm-up computes the
    default view after each import (``negotiation.warmup``), so a fresh worker reads it from
    disk. The result is shared: callers must not change it."""
    return cached(
        session,
        "treaty-matrix",
        (group or "", layer),
        lambda: matrix_payload(session, group, layer),
        edits=False,  # only imports change treaty facts (a login, audited too, must not)
    )
