"""The trade arrangements a state benefits from (EU GSP, GSP+, EBA) and the one it could
qualify for on the conventions condition: what the state page's sanctions panel shows.

Nothing here is seeded: which states benefit, since when and per which act is imported
(``gsp-incentives-csv``) from the Commission's published lists, each row naming its source,
so the panel never states an arrangement nobody can check.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from rightsdesk.core.periods import iso_date
from rightsdesk.sanctions.gsp.conformity import state_conformity
from rightsdesk.sanctions.gsp.conventions import CONVENTIONS
from rightsdesk.sanctions.models import IncentiveStatus

__all__ = ["SCHEMES", "IncentiveRef", "StateIncentives", "incentives_of", "state_incentives"]

#: scheme key -> label
SCHEMES: dict[str, str] = {
    "gsp": "Standard GSP",
    "gsp-plus": "GSP+ (special incentive arrangement for sustainable development and good "
    "governance)",
    "eba": "Everything But Arms",
}


@dataclass(frozen=True)
class IncentiveRef:
    """One recorded period of a state under a scheme."""

    scheme: str
    start_date: dt.date | None
    end_date: dt.date | None
    source: str
    note: str | None

    @property
    def label(self) -> str:
        return SCHEMES.get(self.scheme, self.scheme)

    def current(self, today: dt.date) -> bool:
        return (self.start_date is None or self.start_date <= today) and (
            self.end_date is None or self.end_date > today
        )

    def to_dict(self, today: dt.date) -> dict[str, Any]:
        return {
            "scheme": self.scheme,
            "label": self.label,
            "start_date": iso_date(self.start_date),
            "end_date": iso_date(self.end_date),
            "current": self.current(today),
            "source": self.source,
            "note": self.note,
        }


@dataclass(frozen=True)
class StateIncentives:
    """What the partial ``sanctions/_gsp_state.html`` shows for a state."""

    iso3: str
    today: dt.date
    incentives: tuple[IncentiveRef, ...]
    ratified: int
    unknown: int
    missing: int
    total: int

    @property
    def current(self) -> list[IncentiveRef]:
        return [i for i in self.incentives if i.current(self.today)]

    @property
    def past(self) -> list[IncentiveRef]:
        return [i for i in self.incentives if not i.current(self.today)]

    @property
    def could_qualify(self) -> bool:
        """All the GSP+ conventions ratified per the recorded data (that condition only)."""
        return self.ratified == self.total

    @property
    def has_gsp_plus(self) -> bool:
        return any(i.scheme == "gsp-plus" for i in self.current)

    def to_dict(self) -> dict[str, Any]:
        return {
            "iso3": self.iso3,
            "incentives": [i.to_dict(self.today) for i in self.incentives],
            "conventions": {
                "total": self.total,
                "ratified": self.ratified,
                "unknown": self.unknown,
                "missing": self.missing,
                "could_qualify": self.could_qualify,
            },
        }


def incentives_of(session: Session, iso3: str) -> list[IncentiveRef]:
    """The state's recorded periods under each scheme, newest first."""
    rows = session.scalars(
        select(IncentiveStatus).where(IncentiveStatus.iso3 == iso3.upper())
    ).all()
    refs = [IncentiveRef(r.scheme, r.start_date, r.end_date, r.source, r.note) for r in rows]
    return sorted(refs, key=lambda r: r.start_date or dt.date.min, reverse=True)


def state_incentives(session: Session, iso3: str, today: dt.date | None = None) -> StateIncentives:
    """The incentives a state benefits from (recorded) and where it stands on the 27
    conventions: the state page includes this through ``sanctions/_gsp_state.html``."""
    code = iso3.upper()
    row = state_conformity(session, code)
    return StateIncentives(
        iso3=code,
        today=today or dt.date.today(),
        incentives=tuple(incentives_of(session, code)),
        ratified=row.ratified,
        unknown=row.unknown,
        missing=row.missing,
        total=len(CONVENTIONS),
    )
