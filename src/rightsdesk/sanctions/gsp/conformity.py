"""Where each state stands on the 27 GSP+ conventions: one cell per state x convention, each
naming its source and the date that source speaks for.

Rules, in the order they apply to a cell:

1. a UN human rights convention the treaties module covers (``known_from == "treaties"``):
   the depositary's recorded standing, read through the negotiation form's service;
2. otherwise a recorded ``ConventionStatus`` (an import or an editor); with several sources
   the one speaking for the latest date wins and the cell says when sources disagree;
3. a UN member or observer absent from a *loaded* depositary table took no action:
   "not-ratified", citing that table (the treaties pages say the same);
4. otherwise **unknown**. Missing data is never shown as "not ratified": a state whose
   status nobody recorded is not a state that refused.

"Could qualify" means only that all 27 are ratified per the recorded data; GSP+ also requires
being a GSP beneficiary, being "vulnerable" and making binding undertakings (Article 9 of
Regulation (EU) No 978/2012), which rightsdesk does not assess.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from rightsdesk.core.periods import iso_date
from rightsdesk.core.states import State
from rightsdesk.forms import service
from rightsdesk.sanctions.gsp.conventions import CONVENTIONS, Convention
from rightsdesk.sanctions.models import ConventionStatus

if TYPE_CHECKING:
    from rightsdesk.negotiation.public_treaties import InstrumentCoverage, TreatyStanding

__all__ = [
    "CELL_STATUSES",
    "Cell",
    "Evidence",
    "StateConformity",
    "conformity",
    "state_conformity",
]

#: what a cell can say; "unknown" is never stored
CELL_STATUSES = ("ratified", "signed", "not-ratified", "denounced", "unknown")
#: states whose absence from a depositary table means "no action" (others are unknown)
_DEPOSITARY_STATES = frozenset({"member", "observer"})
_TREATY_WORDS = {"ratified": "ratified", "acceded": "ratified", "succeeded": "ratified"}


@dataclass(frozen=True)
class Evidence:
    """One source's word on a state's status towards a convention."""

    status: str
    date: dt.date | None
    as_of: dt.date | None
    source: str
    origin: str  # "treaties", "recorded" or "depositary-absence"
    note: str | None = None
    entered_by: str | None = None
    label: str | None = None  # a short name of the source for narrow tables

    @property
    def short_source(self) -> str:
        return self.label or self.source

    def to_dict(self) -> dict[str, Any]:
        return {
            "status": self.status,
            "date": iso_date(self.date),
            "as_of": iso_date(self.as_of),
            "source": self.source,
            "origin": self.origin,
            "note": self.note,
            "entered_by": self.entered_by,
        }


@dataclass(frozen=True)
class Cell:
    """A state's status towards one convention: the evidence shown, and the other sources."""

    convention: str
    shown: Evidence | None  # None: unknown
    others: tuple[Evidence, ...] = ()

    @property
    def status(self) -> str:
        return "unknown" if self.shown is None else self.shown.status

    @property
    def disagree(self) -> bool:
        """Sources give different statuses (the shown one is the most recent)."""
        return any(o.status != self.status for o in self.others)

    @property
    def title(self) -> str:
        """One line for a tooltip: status, date, source, as-of."""
        if self.shown is None:
            return f"{self.convention}: unknown (no source records this state's status)"
        e = self.shown
        parts = [f"{self.convention}: {e.status}"]
        if e.date:
            parts.append(f"on {e.date.isoformat()}")
        parts.append(f"per {e.source}")
        if e.as_of:
            parts.append(f"as of {e.as_of.isoformat()}")
        if e.note:
            parts.append(f"({e.note})")
        if self.disagree:
            parts.append("; other sources disagree")
        return " ".join(parts)

    def to_dict(self) -> dict[str, Any]:
        shown = self.shown.to_dict() if self.shown else None
        return {
            "convention": self.convention,
            "status": self.status,
            "date": shown["date"] if shown else None,
            "as_of": shown["as_of"] if shown else None,
            "source": shown["source"] if shown else None,
            "origin": shown["origin"] if shown else None,
            "note": shown["note"] if shown else None,
            "disagree": self.disagree,
            "other_sources": [o.to_dict() for o in self.others],
        }


@dataclass(frozen=True)
class StateConformity:
    """One row of the table: a state and its 27 cells, in the registry's order."""

    iso3: str
    name: str
    cells: tuple[Cell, ...]
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def ratified(self) -> int:
        return self.counts.get("ratified", 0)

    @property
    def unknown(self) -> int:
        return self.counts.get("unknown", 0)

    @property
    def missing(self) -> int:
        """Conventions some source says the state is not party to (signed only, never
        ratified, or denounced): what stands between it and the conventions condition."""
        return len(self.cells) - self.ratified - self.unknown

    @property
    def could_qualify(self) -> bool:
        """All 27 ratified per the recorded data (the conventions condition only)."""
        return self.ratified == len(CONVENTIONS)

    def cell(self, key: str) -> Cell:
        for c in self.cells:
            if c.convention == key:
                return c
        raise KeyError(key)

    def to_dict(self) -> dict[str, Any]:
        return {
            "iso3": self.iso3,
            "name": self.name,
            "ratified": self.ratified,
            "unknown": self.unknown,
            "missing": self.missing,
            "could_qualify": self.could_qualify,
            "cells": [c.to_dict() for c in self.cells],
        }


def _treaty_evidence(standing: TreatyStanding) -> Evidence:
    """A depositary standing (negotiation's TreatyStanding) as GSP evidence."""
    source = standing.source or f"treaties data ({standing.source_kind})"
    status, day, note = "not-ratified", standing.party_until, None
    if standing.status in _TREATY_WORDS and standing.party_until is None:
        status, day, note = "ratified", standing.consent_date, standing.consent_type
    elif standing.status == "denounced":
        day = standing.denunciation_effective or standing.denounced_on
        status, note = "denounced", "denunciation"
    elif standing.status == "signed":
        status, day = "signed", standing.signature_date
        note = "signature only (not consent to be bound)"
    else:
        note = f"party until {iso_date(standing.party_until)} (the state ceased to exist)"
    label = standing.source_kind
    return Evidence(status, day, standing.as_of, source, "treaties", note, None, label)


def _recorded_evidence(row: ConventionStatus) -> Evidence:
    return Evidence(
        row.status, row.date, row.as_of, row.source, "recorded", row.note, row.entered_by
    )


def _latest_first(items: Iterable[tuple[int, Evidence]]) -> list[Evidence]:
    """Most recent first: the date the source speaks for, then the event date, then the
    newest record."""

    def key(item: tuple[int, Evidence]) -> tuple[dt.date, dt.date, int]:
        row_id, e = item
        return (e.as_of or e.date or dt.date.min, e.date or dt.date.min, row_id)

    return [e for _, e in sorted(items, key=key, reverse=True)]


@dataclass
class _Sources:
    """Everything the cells are made of, read once per table."""

    treaties: dict[tuple[str, str], Evidence]
    coverage: dict[str, InstrumentCoverage]
    recorded: dict[tuple[str, str], list[Evidence]]


def _load(session: Session, iso3: str | None) -> _Sources:
    shorts = [c.treaty_short for c in CONVENTIONS if c.treaty_short]
    standings: list[TreatyStanding] = service("negotiation", "treaty_standings")(
        session, shorts, iso3
    )
    coverage: dict[str, InstrumentCoverage] = service("negotiation", "instrument_coverage")(
        session, shorts
    )
    by_short = {c.treaty_short: c.key for c in CONVENTIONS if c.treaty_short}
    treaties = {(s.iso3, by_short[s.instrument]): _treaty_evidence(s) for s in standings}
    stmt = select(ConventionStatus)
    if iso3 is not None:
        stmt = stmt.where(ConventionStatus.iso3 == iso3)
    rows: dict[tuple[str, str], list[tuple[int, Evidence]]] = {}
    for row in session.scalars(stmt):
        rows.setdefault((row.iso3, row.convention), []).append((row.id, _recorded_evidence(row)))
    recorded = {k: _latest_first(v) for k, v in rows.items()}
    return _Sources(treaties, coverage, recorded)


def _cell(conv: Convention, iso3: str, state_status: str | None, src: _Sources) -> Cell:
    recorded = src.recorded.get((iso3, conv.key), [])
    treaty = src.treaties.get((iso3, conv.key))
    if treaty is not None:
        return Cell(conv.key, treaty, tuple(recorded))
    if recorded:
        return Cell(conv.key, recorded[0], tuple(recorded[1:]))
    cover = src.coverage.get(conv.treaty_short or "")
    if cover is not None and state_status in _DEPOSITARY_STATES:
        source = "; ".join(cover.sources) or "treaties data"
        note = "no signature or consent recorded by the depositary"
        absent = Evidence(
            "not-ratified",
            None,
            cover.as_of,
            source,
            "depositary-absence",
            note,
            None,
            "treaties: no action recorded",
        )
        return Cell(conv.key, absent)
    return Cell(conv.key, None)


def _row(iso3: str, name: str, state_status: str | None, src: _Sources) -> StateConformity:
    cells = tuple(_cell(c, iso3, state_status, src) for c in CONVENTIONS)
    counts: dict[str, int] = {}
    for c in cells:
        counts[c.status] = counts.get(c.status, 0) + 1
    return StateConformity(iso3, name, cells, counts)


def conformity(session: Session, iso3: str | None = None) -> list[StateConformity]:
    """The table: every current state (UN members, observers, others; not historical
    states), or only ``iso3``, by name. A state with recorded rows but no ``state`` row is
    listed under its code."""
    src = _load(session, iso3)
    stmt = select(State.iso3, State.name, State.status).where(
        State.status.in_(("member", "observer", "other"))
    )
    if iso3 is not None:
        stmt = select(State.iso3, State.name, State.status).where(State.iso3 == iso3)
    states: dict[str, tuple[str, str | None]] = {
        code: (name, status) for code, name, status in session.execute(stmt)
    }
    for code, _ in src.recorded:
        states.setdefault(code, (code, None))
    rows = [_row(code, name, status, src) for code, (name, status) in states.items()]
    return sorted(rows, key=lambda r: r.name)


def state_conformity(session: Session, iso3: str) -> StateConformity:
    """One state's row (every cell unknown when nothing is recorded for it)."""
    rows = conformity(session, iso3)
    if rows:
        return rows[0]
    return _row(iso3, iso3, None, _load(session, iso3))
