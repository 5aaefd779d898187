"""Treaties and ratifications: the questions a delegation asks, as pure functions over the session.

Who is party to what (the ratification matrix), what a state has not joined yet (its gaps, the
usual material of UPR recommendations and bilateral demarches), how fast an instrument gathered
parties, and which reservations a state made. "Party" means consent to be bound given
(ratification, accession, succession, or acceptance/approval/formal confirmation, all shown as
ratified); a signature alone is not participation, so a signed-only instrument is a gap.

Every answer carries the Dataset id of each fact, so pages and the API can name the source.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import pandas as pd
from sqlalchemy import select
from sqlalchemy.orm import Session

from rightsdesk.core.errors import NotFoundError
from rightsdesk.core.provenance import Dataset
from rightsdesk.core.states import Grouping, State, get_state, group_members
from rightsdesk.negotiation.instruments import OPEN_TO_ORGANISATIONS, instrument_ref
from rightsdesk.negotiation.models.treaties import Instrument, Ratification, Reservation

STATUSES: tuple[str, ...] = ("ratified", "acceded", "succeeded", "signed", "none")
PARTY_STATUSES: frozenset[str] = frozenset({"ratified", "acceded", "succeeded"})
STATUS_LETTER: dict[str, str] = {
    "ratified": "R",
    "acceded": "A",
    "succeeded": "D",
    "signed": "s",
    "none": "·",
}


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

    @property
    def is_party(self) -> bool:
        return self.status in PARTY_STATUSES

    def to_dict(self) -> dict[str, Any]:
        return {
            "instrument": self.instrument,
            "status": self.status,
            "party": self.is_party,
            "signature_date": _iso(self.signature_date),
            "consent_date": _iso(self.consent_date),
            "consent_type": self.consent_type,
            "dataset_id": self.dataset_id,
        }


@dataclass(frozen=True)
class Gap:
    """An instrument a state is not party to; ``signed`` says it signed without ratifying."""

    instrument: str
    name: str
    signed: bool
    signature_date: date | None

    @property
    def note(self) -> str:
        if self.signed:
            return f"signed {_iso(self.signature_date)}, not ratified (signature is not consent)"
        return "neither signed nor ratified"

    def to_dict(self) -> dict[str, Any]:
        return {
            "instrument": self.instrument,
            "name": self.name,
            "signed": self.signed,
            "signature_date": _iso(self.signature_date),
            "note": self.note,
        }


@dataclass
class StateTreaties:
    """Everything the state page and ``treaties gaps`` show about one state."""

    iso3: str
    name: str
    cells: list[Cell]
    gaps: list[Gap]
    reservations: list[Reservation] = field(default_factory=list)

    @property
    def dataset_ids(self) -> list[int]:
        ids = {c.dataset_id for c in self.cells if c.dataset_id is not None}
        ids |= {r.dataset_id for r in self.reservations if r.dataset_id is not None}
        return sorted(ids)


def _iso(value: date | None) -> str | None:
    return value.isoformat() if value else None


def list_instruments(session: Session) -> list[Instrument]:
    """The instruments in display order (treaties followed by their protocols)."""
    return list(session.scalars(select(Instrument).order_by(Instrument.position)))


def get_instrument(session: Session, query: str) -> Instrument:
    """An instrument by short name, UNTC id or MTDSG number; NotFoundError lists the choices."""
    ref = instrument_ref(query)
    found = session.get(Instrument, ref.short)
    if found is None:
        raise NotFoundError(f"instrument {ref.short} is not in the store; run `rightsdesk init`")
    return found


def check_group(session: Session, code: str) -> str:
    """The grouping code as stored (any case), or NotFoundError listing the known groupings."""
    groups = {g.code.casefold(): g.code for g in session.scalars(select(Grouping))}
    found = groups.get(code.strip().casefold())
    if found is None:
        raise NotFoundError(f"unknown group {code!r}; known: {', '.join(sorted(groups.values()))}")
    return found


def _ratifications(session: Session, iso3s: Iterable[str] | None = None) -> list[Ratification]:
    stmt = select(Ratification)
    if iso3s is not None:
        stmt = stmt.where(Ratification.iso3.in_(list(iso3s)))
    return list(session.scalars(stmt))


def matrix_states(session: Session, group: str | None = None) -> list[State]:
    """Rows of the matrix: a group's current members, or every UN member plus any other state
    or organisation that has a treaty record (observers, Cook Islands, the EU, former states)."""
    if group:
        codes = group_members(session, check_group(session, group))
        stmt = select(State).where(State.iso3.in_(codes))
    else:
        recorded = select(Ratification.iso3).distinct()
        stmt = select(State).where((State.status == "member") | State.iso3.in_(recorded))
    return sorted(session.scalars(stmt), key=lambda s: s.name.casefold())


def _cell(iso3: str, short: str, row: Ratification | None) -> Cell:
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
    )


def ratification_records(session: Session, group: str | None = None) -> pd.DataFrame:
    """Long format: one row per state x instrument (``none`` where nothing is recorded).

    Columns: iso3, state, instrument, status, party, consent_type, signature_date,
    consent_date, dataset_id; ordered by state name then instrument position.
    """
    states = matrix_states(session, group)
    shorts = [i.short for i in list_instruments(session)]
    rows = {
        (r.iso3, r.instrument_short): r for r in _ratifications(session, [s.iso3 for s in states])
    }
    records = []
    for state in states:
        for short in shorts:
            cell = _cell(state.iso3, short, rows.get((state.iso3, short)))
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
    columns = [
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
    frame = pd.DataFrame.from_records(records, columns=columns)
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
    for row in _ratifications(session, members):
        if row.status in PARTY_STATUSES and row.iso3 not in historical:
            counts[row.instrument_short] = counts.get(row.instrument_short, 0) + 1
    return counts


def signatory_counts(session: Session) -> dict[str, int]:
    """States that signed but are not party, per instrument."""
    counts = {i.short: 0 for i in list_instruments(session)}
    for row in _ratifications(session):
        if row.status == "signed":
            counts[row.instrument_short] += 1
    return counts


def state_treaties(session: Session, query: str) -> StateTreaties:
    """A state's standing towards all 18 instruments, its gaps and its reservations."""
    state = get_state(session, query)
    instruments = list_instruments(session)
    rows = {r.instrument_short: r for r in _ratifications(session, [state.iso3])}
    cells = [_cell(state.iso3, i.short, rows.get(i.short)) for i in instruments]
    open_to = {i.short for i in instruments}
    if state.status == "organisation":
        open_to = set(OPEN_TO_ORGANISATIONS)
    gaps = [
        Gap(i.short, i.name, cell.status == "signed", cell.signature_date)
        for i, cell in zip(instruments, cells, strict=True)
        if not cell.is_party and i.short in open_to
    ]
    return StateTreaties(
        state.iso3, state.name, cells, gaps, list_reservations(session, state.iso3)
    )


def state_gaps(session: Session, query: str) -> list[Gap]:
    """The instruments a state is not party to (signed-only ones included, flagged as signed)."""
    return state_treaties(session, query).gaps


def list_reservations(
    session: Session, iso3: str | None = None, instrument: str | None = None
) -> list[Reservation]:
    """Reservations and declarations, filtered by state (ISO3) and/or instrument short name."""
    stmt = select(Reservation).join(Instrument)
    if iso3 is not None:
        stmt = stmt.where(Reservation.iso3 == iso3)
    if instrument is not None:
        stmt = stmt.where(Reservation.instrument_short == get_instrument(session, instrument).short)
    stmt = stmt.order_by(Reservation.iso3, Instrument.position, Reservation.ordinal)
    return list(session.scalars(stmt))


@dataclass(frozen=True)
class Party:
    """A state party to an instrument, with its dates."""

    iso3: str
    name: str
    status: str
    consent_type: str | None
    signature_date: date | None
    consent_date: date | None
    dataset_id: int | None

    def to_dict(self) -> dict[str, Any]:
        return {
            "iso3": self.iso3,
            "state": self.name,
            "status": self.status,
            "consent_type": self.consent_type,
            "signature_date": _iso(self.signature_date),
            "consent_date": _iso(self.consent_date),
            "dataset_id": self.dataset_id,
        }


def instrument_parties(
    session: Session, short: str, include_signatories: bool = False
) -> list[Party]:
    """States parties (and, if asked, signatories) to an instrument, by date of consent."""
    inst = get_instrument(session, short)
    wanted = set(PARTY_STATUSES) | ({"signed"} if include_signatories else set())
    stmt = (
        select(Ratification, State)
        .join(State, State.iso3 == Ratification.iso3)
        .where(Ratification.instrument_short == inst.short, Ratification.status.in_(wanted))
    )
    parties = [
        Party(
            r.iso3,
            s.name,
            r.status,
            r.consent_type,
            r.signature_date,
            r.consent_date,
            r.dataset_id,
        )
        for r, s in session.execute(stmt)
    ]
    return sorted(parties, key=lambda p: (p.consent_date or date.max, p.name))


def parties_over_time(session: Session, short: str) -> pd.DataFrame:
    """Columns year, new, cumulative: states becoming party each year since adoption.

    Former states are counted in the year they joined (the curve is the history of consents,
    not today's list), so the last cumulative figure can exceed ``party_counts`` by them.
    """
    inst = get_instrument(session, short)
    years = [p.consent_date.year for p in instrument_parties(session, inst.short) if p.consent_date]
    if not years:
        return pd.DataFrame({"year": [], "new": [], "cumulative": []}, dtype="int64")
    start = min(inst.adopted.year, min(years))
    span = range(start, max(years) + 1)
    new = pd.Series(years).value_counts().reindex(span, fill_value=0).sort_index()
    return pd.DataFrame(
        {"year": list(span), "new": new.to_list(), "cumulative": new.cumsum().to_list()}
    )


def plain_records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """Rows of a frame as dicts with None for missing values (pandas NA is not JSON)."""
    return [
        {str(k): (None if v is None or v is pd.NA or v != v else v) for k, v in rec.items()}
        for rec in frame.astype(object).to_dict("records")
    ]


def matrix_payload(session: Session, group: str | None = None) -> dict[str, Any]:
    """The matrix as plain data (JSON API, ``treaties matrix --format json``, the page).

    ``{"group", "instruments": [short...], "parties": {short: n}, "dataset_ids": [...],
    "states": [{"iso3", "state", "cells": {short: {status, party, signature_date,
    consent_date, consent_type, dataset_id}}}]}``, states sorted by name.
    """
    code = check_group(session, group) if group else None
    records = ratification_records(session, code)
    shorts = [i.short for i in list_instruments(session)]
    states: dict[str, dict[str, Any]] = {}
    dataset_ids: set[int] = set()
    for rec in plain_records(records):
        entry = states.setdefault(
            str(rec["iso3"]), {"iso3": rec["iso3"], "state": rec["state"], "cells": {}}
        )
        if rec["dataset_id"] is not None:
            dataset_ids.add(int(rec["dataset_id"]))
        entry["cells"][rec["instrument"]] = {
            "status": rec["status"],
            "party": bool(rec["party"]),
            "signature_date": _iso(rec["signature_date"]),
            "consent_date": _iso(rec["consent_date"]),
            "consent_type": rec["consent_type"],
            "dataset_id": None if rec["dataset_id"] is None else int(rec["dataset_id"]),
        }
    return {
        "group": code,
        "instruments": shorts,
        "parties": party_counts(session, code),
        "dataset_ids": sorted(dataset_ids),
        "states": list(states.values()),
    }


def datasets_by_id(session: Session, ids: Iterable[int]) -> list[Dataset]:
    """The Dataset records behind a set of facts, for "source" footers."""
    wanted = sorted(set(ids))
    if not wanted:
        return []
    return list(session.scalars(select(Dataset).where(Dataset.id.in_(wanted)).order_by(Dataset.id)))
