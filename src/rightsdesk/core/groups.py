"""Groupings of states and their membership over time (UN regional groups, EU, AU, OIC, the UN).

A group's members change: the European Communities had 10 members in 1985 and the United
Kingdom left the EU on 2020-01-31. Every bloc figure must therefore ask "who was a member on the
day of this vote", not "who is a member now". Memberships are periods with exact dates
(``start_date`` inclusive, ``end_date`` exclusive, None = open), read from the hand-written
``data/groupings.csv`` (its header cites the sources).

Two ways to ask: ``members_at`` for one date, and ``membership_frame`` + ``in_membership`` /
``member_counts`` to check hundreds of thousands of votes at once (one merge, no Python loop).
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from sqlalchemy import (
    ColumnElement,
    Date,
    ForeignKey,
    Integer,
    String,
    UniqueConstraint,
    or_,
    select,
)
from sqlalchemy.orm import Mapped, Session, mapped_column, relationship

from rightsdesk.core.db import Base
from rightsdesk.core.errors import NotFoundError
from rightsdesk.core.refdata import read_data_csv as read_data_csv  # re-exported for callers

if TYPE_CHECKING:
    import numpy as np
    import pandas as pd

    from rightsdesk.core.states import State

#: The five UN regional groups (each UN member belongs to exactly one).
UN_REGIONAL_GROUPS: tuple[str, ...] = ("UN-AFRICA", "UN-APG", "UN-EEG", "UN-GRULAC", "UN-WEOG")
PERIOD_COLUMNS = ["iso3", "start", "end"]


class Grouping(Base):
    """A group of states that acts or is counted together (UN regional group, EU, AU, OIC...)."""

    __tablename__ = "grouping"

    code: Mapped[str] = mapped_column(String(30), primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    kind: Mapped[str] = mapped_column(String(40))

    members: Mapped[list[GroupMembership]] = relationship(back_populates="grouping")


class GroupMembership(Base):
    """One period of a state's membership in a grouping.

    ``start_date`` is the first day, ``end_date`` the first day it was no longer a member
    (exclusive; None = still a member). The year columns are kept for the readers that only
    need "current or not" (``end_year IS NULL``): they are the years of the two dates.
    """

    __tablename__ = "group_membership"
    __table_args__ = (UniqueConstraint("grouping_code", "iso3", "start_year"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    grouping_code: Mapped[str] = mapped_column(ForeignKey("grouping.code", ondelete="CASCADE"))
    iso3: Mapped[str] = mapped_column(ForeignKey("state.iso3"))
    start_year: Mapped[int | None] = mapped_column(Integer)
    end_year: Mapped[int | None] = mapped_column(Integer)
    start_date: Mapped[date | None] = mapped_column(Date)
    end_date: Mapped[date | None] = mapped_column(Date)

    grouping: Mapped[Grouping] = relationship(back_populates="members")
    state: Mapped[State] = relationship(back_populates="memberships")


def _date(value: str) -> date | None:
    return date.fromisoformat(value) if value else None


def seed_groupings(session: Session) -> int:
    """Make the stored groupings and periods those of ``groupings.csv``; returns rows added.

    The table is the package's own reference data, so for every grouping it lists, stored
    periods it does not list are removed (a store seeded before the periods existed held one
    open row per current member) and the others get their dates. Groupings the file does not
    name are left alone.
    """
    groups = {g.code: g for g in session.scalars(select(Grouping))}
    wanted: dict[tuple[str, str, int | None], tuple[date | None, date | None]] = {}
    for row in read_data_csv("groupings.csv"):
        code = row["grouping"]
        group = groups.get(code)
        if group is None:
            group = groups[code] = Grouping(code=code, name=row["name"], kind=row["kind"])
            session.add(group)
        group.name, group.kind = row["name"], row["kind"]
        start, end = _date(row["start_date"]), _date(row["end_date"])
        wanted[(code, row["iso3"], start.year if start else None)] = (start, end)
    session.flush()
    seen: set[tuple[str, str, int | None]] = set()
    for link in session.scalars(
        select(GroupMembership).where(GroupMembership.grouping_code.in_({k[0] for k in wanted}))
    ):
        key = (link.grouping_code, link.iso3, link.start_year)
        if key not in wanted:
            session.delete(link)
            continue
        seen.add(key)
        link.start_date, link.end_date = wanted[key]
        link.end_year = link.end_date.year if link.end_date else None
    session.flush()
    added = 0
    for key, (start, end) in wanted.items():
        if key not in seen:
            session.add(
                GroupMembership(
                    grouping_code=key[0],
                    iso3=key[1],
                    start_year=key[2],
                    end_year=end.year if end else None,
                    start_date=start,
                    end_date=end,
                )
            )
            added += 1
    session.flush()
    return added


#: One derived membership period: (iso3, first day, first day no longer a member or None).
Period = tuple[str, date, date | None]


def replace_periods(
    session: Session, code: str, name: str, kind: str, periods: list[Period]
) -> tuple[int, int, int]:
    """Make a *derived* grouping's stored periods exactly ``periods``: (added, changed, removed).

    For groupings computed from other stored facts (Human Rights Council terms from its
    recorded votes), not for the hand-written table: recomputing from everything stored is
    the whole truth, so periods it no longer yields are removed. Keyed like the table
    (grouping, state, start year), so running it twice changes nothing.
    """
    group = session.get(Grouping, code)
    if group is None:
        group = Grouping(code=code, name=name, kind=kind)
        session.add(group)
    group.name, group.kind = name, kind
    session.flush()
    wanted = {(iso3, start.year): (start, end) for iso3, start, end in periods}
    if len(wanted) != len(periods):
        raise ValueError(f"{code}: two periods of one state start in the same year")
    added = changed = removed = 0
    stored = session.scalars(select(GroupMembership).where(GroupMembership.grouping_code == code))
    seen: set[tuple[str, int]] = set()
    for link in stored:
        key = (link.iso3, link.start_year or 0)
        if key not in wanted or key in seen:
            session.delete(link)
            removed += 1
            continue
        seen.add(key)
        start, end = wanted[key]
        if (link.start_date, link.end_date) != (start, end):
            link.start_date, link.end_date = start, end
            link.end_year = end.year if end else None
            changed += 1
    session.flush()
    for (iso3, year), (start, end) in wanted.items():
        if (iso3, year) not in seen:
            session.add(
                GroupMembership(
                    grouping_code=code,
                    iso3=iso3,
                    start_year=year,
                    end_year=end.year if end else None,
                    start_date=start,
                    end_date=end,
                )
            )
            added += 1
    session.flush()
    return added, changed, removed


def _active_on(when: date) -> list[ColumnElement[bool]]:
    """Conditions for a period that includes the day ``when``."""
    return [
        or_(GroupMembership.start_date.is_(None), GroupMembership.start_date <= when),
        or_(GroupMembership.end_date.is_(None), GroupMembership.end_date > when),
    ]


def members_at(session: Session, code: str, when: date) -> list[str]:
    """ISO3 codes of a grouping's members on the day ``when`` (sorted)."""
    stmt = select(GroupMembership.iso3).where(
        GroupMembership.grouping_code == code, *_active_on(when)
    )
    return sorted(set(session.scalars(stmt)))


def group_members(session: Session, code: str) -> list[str]:
    """ISO3 codes of a grouping's members today."""
    return members_at(session, code, date.today())


def membership_frame(session: Session, code: str) -> pd.DataFrame:
    """Every period of a grouping: ``iso3, start, end`` (datetime64; NaT = open)."""
    import pandas as pd  # here, not at module level: a name lookup must not load pandas

    rows = session.execute(
        select(GroupMembership.iso3, GroupMembership.start_date, GroupMembership.end_date).where(
            GroupMembership.grouping_code == code
        )
    ).all()
    frame = pd.DataFrame([tuple(r) for r in rows], columns=PERIOD_COLUMNS)
    frame["start"] = pd.to_datetime(frame["start"])
    frame["end"] = pd.to_datetime(frame["end"])
    return frame


def in_membership(iso3: pd.Series, dates: pd.Series, periods: pd.DataFrame) -> np.ndarray:
    """For each (state, date) pair, whether the state was a member on that date.

    A pair with no date (NaT) counts when the state was ever a member: without a date the
    question cannot be asked, and dropping the vote would be the worse guess.
    """
    import numpy as np
    import pandas as pd

    codes = pd.Series(iso3.to_numpy(), dtype=object)
    days = pd.to_datetime(dates).to_numpy(dtype="datetime64[ns]")
    periods = periods[PERIOD_COLUMNS]
    per_state = periods["iso3"].value_counts()
    # most states have one period: look their bounds up once per distinct code (no merge)
    single = periods[periods["iso3"].isin(per_state[per_state == 1].index)].set_index("iso3")
    index, distinct = pd.factorize(codes)
    names = pd.Series(distinct, dtype=object)
    start = names.map(single["start"]).to_numpy(dtype="datetime64[ns]")[index]
    end = names.map(single["end"]).to_numpy(dtype="datetime64[ns]")[index]
    known = names.isin(single.index).to_numpy()[index] & (index >= 0)  # -1: a missing code
    in_period = (np.isnat(start) | (start <= days)) & (np.isnat(end) | (days < end))
    mask: np.ndarray = known & (np.isnat(days) | in_period)
    several = names.isin(per_state[per_state > 1].index).to_numpy()[index] & (index >= 0)
    if several.any():  # states that left and came back: one merge on their votes only
        rows = np.flatnonzero(several)
        left = pd.DataFrame({"iso3": codes[several].to_numpy(), "date": days[several], "row": rows})
        both = left.merge(periods, on="iso3", how="inner")
        day = both["date"]
        ok = day.isna() | (
            (both["start"].isna() | (both["start"] <= day))
            & (both["end"].isna() | (day < both["end"]))
        )
        mask[both.loc[ok, "row"].to_numpy()] = True
    return mask


def member_counts(dates: pd.Series, periods: pd.DataFrame) -> np.ndarray:
    """How many states were members on each date (periods of one state never overlap)."""
    import numpy as np
    import pandas as pd

    days = pd.to_datetime(dates).to_numpy(dtype="datetime64[ns]")[:, None]
    start = periods["start"].to_numpy(dtype="datetime64[ns]")[None, :]
    end = periods["end"].to_numpy(dtype="datetime64[ns]")[None, :]
    started = np.isnat(start) | (start <= days)
    not_ended = np.isnat(end) | (days < end)
    out: np.ndarray = (started & not_ended).sum(axis=1)
    return out


def state_groupings(session: Session, iso3: str) -> list[Grouping]:
    """The groupings a state belongs to now."""
    stmt = (
        select(Grouping)
        .join(GroupMembership)
        .where(GroupMembership.iso3 == iso3, *_active_on(date.today()))
        .order_by(Grouping.kind, Grouping.name)
    )
    return list(session.scalars(stmt).unique())


def resolve_group(session: Session, code: str) -> Grouping:
    """A grouping by code, in any case (``un-weog``), or NotFoundError listing the known codes."""
    groups = {g.code.casefold(): g for g in session.scalars(select(Grouping))}
    found = groups.get(code.strip().casefold())
    if found is None:
        known = ", ".join(sorted(g.code for g in groups.values()))
        raise NotFoundError(f"unknown group {code!r}; known groups: {known}")
    return found


def regional_group_map(session: Session) -> dict[str, str]:
    """ISO3 -> code of the state's UN regional group now (states in none are left out)."""
    out: dict[str, str] = {}
    for code in UN_REGIONAL_GROUPS:
        for iso3 in group_members(session, code):
            out.setdefault(iso3, code)
    return out


def list_groupings(session: Session) -> list[Grouping]:
    """Every grouping, by kind then code (the choices of a group filter)."""
    return list(session.scalars(select(Grouping).order_by(Grouping.kind, Grouping.code)))
