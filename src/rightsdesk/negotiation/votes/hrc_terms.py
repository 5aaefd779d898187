"""Human Rights Council membership over time, derived from its recorded votes.

No membership list ships with rightsdesk, but every recorded vote of the Council lists its 47
members (a vote, or ``.``/``-`` for a member that did not vote; a state that was not a member
has no row). So the grouping ``HRC`` is computed from the stored votes each time the
``hrc-votes`` importer runs (``store_hrc_terms``), and ``core.groups.members_at("HRC", day)``
answers for any day the votes cover, for the HRC forecast, vote integrity and ``/blocs``.

Terms: the first Council sat from 2006-06-19, and until 2011 terms ran from the Council's
anniversary in June (here 19 June; no vote falls between 18 and 21 June in those years).
General Assembly resolution 65/281 moved the cycle to calendar years: the members whose terms
ended in June 2012 stayed to 31 December 2012, and from 2013 terms run from 1 January. Within
each term a state is a member from the term's start (or, joining mid-term, its first recorded
vote: Iceland replacing the United States in 2018, Czechia replacing the Russian Federation
in 2022) to the term's end (or the day after its last recorded vote).

Recording errors in the source are recognised, not believed: a state recorded on a single day
of a term is left out (nine 2017 members listed on nine votes of 2016-09-27, Slovenia and
Eswatini for Slovakia and Switzerland on 2011-03-25, Algeria on one vote of 2022-07-07).
"""

from __future__ import annotations

import bisect
import datetime as dt

import pandas as pd
from sqlalchemy import select
from sqlalchemy.orm import Session

from rightsdesk.core.groups import Period, replace_periods
from rightsdesk.negotiation.votes.models import RollCall, StateVote

__all__ = ["CODE", "derive_terms", "store_hrc_terms", "term_starts"]

CODE = "HRC"
NAME = "Human Rights Council (terms from its recorded votes)"
KIND = "un-body"
FIRST_DAY = dt.date(2006, 6, 19)
#: the last June start: the 2011 terms ran to the switch to calendar years (A/RES/65/281)
CALENDAR_FROM = 2013
#: fewer distinct voting days than this in a term: a recording error, not a member
MIN_DAYS = 2


def term_starts(until: dt.date) -> list[dt.date]:
    """First days of the Council's membership terms up to the one after ``until``."""
    starts = [dt.date(year, 6, 19) for year in range(2006, 2012)]
    starts += [dt.date(year, 1, 1) for year in range(CALENDAR_FROM, until.year + 2)]
    return starts


def derive_terms(votes: pd.DataFrame) -> list[Period]:
    """Membership periods from votes (``iso3``, ``date``: one row per member per recorded vote).

    Consecutive terms of a state merge into one period, so a state re-elected without a break
    has one period; the periods of one state never overlap.
    """
    if votes.empty:
        return []
    days = pd.to_datetime(votes["date"]).dt.date
    frame = pd.DataFrame({"iso3": votes["iso3"].astype(str), "day": days})
    frame = frame[frame["day"] >= FIRST_DAY].drop_duplicates()
    if frame.empty:
        return []
    starts = term_starts(max(frame["day"]))
    frame["term"] = [bisect.bisect_right(starts, day) - 1 for day in frame["day"]]
    spans: list[tuple[str, dt.date, dt.date]] = []
    for t in sorted(set(frame["term"])):
        group = frame[frame["term"] == t]
        first, last = min(group["day"]), max(group["day"])
        for iso3, present in group.groupby("iso3")["day"]:
            if present.nunique() < MIN_DAYS:
                continue
            begin = starts[t] if min(present) == first else min(present)
            end = starts[t + 1] if max(present) == last else max(present) + dt.timedelta(days=1)
            spans.append((str(iso3), begin, end))
    merged: list[Period] = []
    for iso3, begin, end in sorted(spans):
        if merged and merged[-1][0] == iso3 and merged[-1][2] == begin:
            merged[-1] = (iso3, merged[-1][1], end)
        else:
            merged.append((iso3, begin, end))
    return _one_start_a_year(merged)


def _one_start_a_year(periods: list[Period]) -> list[Period]:
    """Join two periods of a state that start in the same year (the store keys periods by
    state and start year); never seen in the real votes, kept for safety."""
    out: list[Period] = []
    for iso3, begin, end in periods:
        if out and out[-1][0] == iso3 and out[-1][1].year == begin.year:
            out[-1] = (iso3, out[-1][1], end)
        else:
            out.append((iso3, begin, end))
    return out


def store_hrc_terms(session: Session) -> tuple[int, int, int, int]:
    """Recompute the ``HRC`` grouping from the stored Council votes: (periods, added, changed,
    removed). Idempotent; a store without Council votes gets no grouping."""
    stmt = (
        select(StateVote.iso3, RollCall.date)
        .join(RollCall, RollCall.id == StateVote.roll_call_id)
        .where(RollCall.body == "hrc", StateVote.vote != "non-member")
    )
    votes = pd.DataFrame([tuple(r) for r in session.execute(stmt)], columns=["iso3", "date"])
    periods = derive_terms(votes)
    if not periods:
        return 0, 0, 0, 0
    added, changed, removed = replace_periods(session, CODE, NAME, KIND, periods)
    return len(periods), added, changed, removed
