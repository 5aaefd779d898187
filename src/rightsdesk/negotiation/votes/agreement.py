"""Agreement between states and cohesion of groups, from recorded votes.

Pure functions over a vote frame (``roll_call_id, iso3, vote`` and for time series ``year``,
as ``votes_data.vote_frame`` returns), vectorised with numpy: votes become three 0/1 matrices
(states x roll calls: yes, no, abstain) and every pairwise count is one matrix product, so all
pairs of ~200 states over 6,000 roll calls take well under a second.

Measures:

- **coincidence** (US State Department, "Voting Practices in the United Nations"): identical
  votes / (identical + opposite), counting only roll calls where both voted yes or no;
  abstentions and absences are left out.
- **voeten** (Voeten's agreement index): over roll calls where both voted, yes-yes, no-no and
  abstain-abstain score 1, yes/no 0, an abstention against a yes or no 0.5 (half a
  disagreement). The State Department's published 2019 ``COINCIDENCE`` column follows this
  rule: (same + partial / 2) / (same + opposite + partial).
- **Hix-Noury-Roland agreement index** of a group on a roll call:
  AI = (max(Y,N,A) - (Y+N+A-max)/2) / (Y+N+A); 1 when all members vote alike, 0 when they
  split evenly three ways. A group's cohesion (column ``cohesion``) is the mean AI over roll
  calls.
- **defection**: a member's vote differs from its group's plurality on a roll call (roll calls
  where the plurality is tied have no group line and are skipped).

Groups change: given the membership periods (``periods``), a state's vote counts for a group
only on roll calls dated within its membership (the EC of 1985 had 10 members; Poland is no
EU defector in 1985; the United Kingdom counts until 2020-01-31).

Thin wrappers at the bottom read the store (``state_agreement``, ``group_cohesion``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np
import pandas as pd
from sqlalchemy.orm import Session

from rightsdesk.core.errors import InputError, NotFoundError
from rightsdesk.core.groups import in_membership, member_counts, membership_frame

Measure = Literal["coincidence", "voeten"]
MEASURES: tuple[str, ...] = ("coincidence", "voeten")
_CODES = {"yes": 0, "no": 1, "abstain": 2}


@dataclass(frozen=True)
class VoteMatrix:
    """Votes as three 0/1 matrices (states x roll calls); absent or not voting is all zero."""

    states: pd.Index
    roll_calls: pd.Index
    yes: np.ndarray
    no: np.ndarray
    abstain: np.ndarray

    @property
    def voted(self) -> np.ndarray:
        out: np.ndarray = self.yes + self.no + self.abstain
        return out


def vote_matrix(frame: pd.DataFrame) -> VoteMatrix:
    """Build the matrices from a frame of ``roll_call_id, iso3, vote`` (other votes ignored)."""
    _require(frame, ("roll_call_id", "iso3", "vote"))
    cast = frame[frame["vote"].isin(_CODES)]
    state_codes, states = pd.factorize(cast["iso3"], sort=True)
    call_codes, calls = pd.factorize(cast["roll_call_id"], sort=True)
    kinds = cast["vote"].map(_CODES).to_numpy(dtype="int64")
    mats = [np.zeros((len(states), len(calls)), dtype=np.float32) for _ in range(3)]
    for k in range(3):
        sel = kinds == k
        mats[k][state_codes[sel], call_codes[sel]] = 1.0
    return VoteMatrix(pd.Index(states), pd.Index(calls), mats[0], mats[1], mats[2])


def _require(frame: pd.DataFrame, columns: tuple[str, ...]) -> None:
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise InputError(f"the vote frame lacks column(s) {', '.join(missing)}", field=missing[0])


def parse_measure(measure: str) -> Measure:
    """The measure named by a request, or an InputError naming the choices."""
    if measure == "voeten":
        return "voeten"
    if measure == "coincidence":
        return "coincidence"
    raise InputError(
        f"unknown measure {measure!r}; choose {' or '.join(MEASURES)}", field="measure"
    )


def _check_measure(measure: str) -> None:
    parse_measure(measure)


def pair_counts(m: VoteMatrix) -> dict[str, np.ndarray]:
    """Pairwise counts (states x states): same (incl. abstain-abstain), opposite, partial, both.

    ``same_yn`` counts identical yes/no votes only (the coincidence numerator).
    """
    y, n, a = m.yes, m.no, m.abstain
    same_yn = y @ y.T + n @ n.T
    opposite = y @ n.T + n @ y.T
    both_aa = a @ a.T
    yn = y + n
    partial = a @ yn.T + yn @ a.T
    return {
        "same_yn": same_yn,
        "same": same_yn + both_aa,
        "opposite": opposite,
        "partial": partial,
        "both": same_yn + both_aa + opposite + partial,
    }


def agreement_matrix(
    frame: pd.DataFrame, measure: Measure = "coincidence", min_votes: int = 1
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Agreement of every pair of states, and the number of roll calls it rests on.

    Pairs with fewer than ``min_votes`` counted roll calls get NaN. Both frames are square,
    indexed by ISO3 on both axes.
    """
    _check_measure(measure)
    m = vote_matrix(frame)
    c = pair_counts(m)
    with np.errstate(invalid="ignore", divide="ignore"):
        if measure == "coincidence":
            base = c["same_yn"] + c["opposite"]
            score = c["same_yn"] / base
        else:
            base = c["both"]
            score = (c["same"] + 0.5 * c["partial"]) / base
    score = np.where(base >= max(1, min_votes), score, np.nan)
    index = m.states
    return (
        pd.DataFrame(score, index=index, columns=index),
        pd.DataFrame(base.astype("int64"), index=index, columns=index),
    )


def agreement_with(
    frame: pd.DataFrame,
    iso3: str,
    partners: list[str] | None = None,
    measure: Measure = "coincidence",
    min_votes: int = 1,
) -> pd.DataFrame:
    """One state's agreement with each partner (all others by default), highest first.

    Columns: partner, agreement, votes (roll calls the measure counts), same (identical
    votes, both abstaining included, as the State Department's SAME), opposite (yes against
    no), partial (one abstained, the other voted yes or no).
    """
    _check_measure(measure)
    m = vote_matrix(frame)
    if iso3 not in m.states:
        raise NotFoundError(f"{iso3} cast no vote in the selected roll calls")
    i = m.states.get_loc(iso3)
    y, n, a = m.yes[i], m.no[i], m.abstain[i]
    same_yn = m.yes @ y + m.no @ n
    same_aa = m.abstain @ a
    opposite = m.yes @ n + m.no @ y
    partial = m.abstain @ (y + n) + (m.yes + m.no) @ a
    if measure == "coincidence":
        base = same_yn + opposite
        num = same_yn
    else:
        base = same_yn + same_aa + opposite + partial
        num = same_yn + same_aa + 0.5 * partial
    with np.errstate(invalid="ignore", divide="ignore"):
        score = np.where(base >= max(1, min_votes), num / base, np.nan)
    out = pd.DataFrame(
        {
            "partner": m.states,
            "agreement": score,
            "votes": base.astype("int64"),
            "same": (same_yn + same_aa).astype("int64"),
            "opposite": opposite.astype("int64"),
            "partial": partial.astype("int64"),
        }
    )
    out = out[out["partner"] != iso3]
    if partners is not None:
        out = out[out["partner"].isin(partners)]
    out = out.dropna(subset=["agreement"])
    return out.sort_values(["agreement", "partner"], ascending=[False, True]).reset_index(drop=True)


def agreement_over_time(
    frame: pd.DataFrame,
    iso3: str,
    partners: list[str],
    measure: Measure = "coincidence",
    by: str = "year",
) -> pd.DataFrame:
    """Agreement of ``iso3`` with each partner per ``by`` period (long: by, partner, ...)."""
    _require(frame, (by,))
    parts: list[pd.DataFrame] = []
    for period, group in frame.groupby(by, sort=True):
        if iso3 not in set(group["iso3"]):
            continue
        part = agreement_with(group, iso3, partners, measure)
        part.insert(0, by, period)
        parts.append(part)
    if not parts:
        return pd.DataFrame(
            columns=[by, "partner", "agreement", "votes", "same", "opposite", "partial"]
        )
    return pd.concat(parts, ignore_index=True)


def hnr_by_roll_call(frame: pd.DataFrame, members: list[str]) -> pd.DataFrame:
    """Yes/no/abstain counts of the members and the HNR agreement index (``cohesion``) per
    roll call."""
    _require(frame, ("roll_call_id", "iso3", "vote"))
    own = frame[frame["iso3"].isin(members) & frame["vote"].isin(_CODES)]
    counts = pd.crosstab(own["roll_call_id"], own["vote"])
    for col in _CODES:
        if col not in counts.columns:
            counts[col] = 0
    counts = counts[list(_CODES)].astype("int64")
    total = counts.sum(axis=1)
    top = counts.max(axis=1)
    counts["voters"] = total
    counts["cohesion"] = (top - 0.5 * (total - top)) / total
    return counts.reset_index()


def at_membership(frame: pd.DataFrame, periods: pd.DataFrame) -> pd.DataFrame:
    """Only the votes a state cast while a member (``periods``: iso3, start, end, as
    ``core.groups.membership_frame`` returns), the rest of the frame dropped.

    The check uses each roll call's ``date``; where the frame has no date column, ``year``
    stands for 1 July of the year.
    """
    if "date" in frame.columns:
        dates = pd.to_datetime(frame["date"])
    else:
        _require(frame, ("year",))
        dates = pd.to_datetime(frame["year"].astype("int64").astype(str) + "-07-01")
    return frame[in_membership(frame["iso3"], dates, periods)]


def _roll_call_dates(frame: pd.DataFrame, calls: pd.Index) -> pd.Series:
    if "date" in frame.columns:
        dates = frame.drop_duplicates("roll_call_id").set_index("roll_call_id")["date"]
        return pd.to_datetime(dates.reindex(calls))
    years = frame.drop_duplicates("roll_call_id").set_index("roll_call_id")["year"]
    return pd.to_datetime(years.reindex(calls).astype("int64").astype(str) + "-07-01")


def cohesion(
    frame: pd.DataFrame,
    members: list[str],
    by: str | None = "year",
    periods: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Mean HNR index per period (or overall when ``by`` is None), with roll calls counted.

    Columns: [by], members, roll_calls, cohesion, voters (members voting, mean per roll call).
    With ``periods`` (membership over time) a vote counts only when cast during membership,
    and ``members`` is the number of states that were members at the dates of the period's
    roll calls (the largest count over them: a state that joined mid-year counts once it has
    joined); without, ``members`` is ``len(members)``.
    """
    if periods is not None:
        frame = at_membership(frame, periods)
        members = sorted(set(periods["iso3"]))
    per_call = hnr_by_roll_call(frame, members)
    if periods is not None:
        dates = _roll_call_dates(frame, pd.Index(per_call["roll_call_id"]))
        per_call["members"] = member_counts(dates, periods)
    else:
        per_call["members"] = len(set(members))
    if by is None:
        return pd.DataFrame(
            {
                "members": [int(per_call["members"].max()) if len(per_call) else 0],
                "roll_calls": [len(per_call)],
                "cohesion": [per_call["cohesion"].mean()],
                "voters": [per_call["voters"].mean()],
            }
        )
    periods_of = frame[["roll_call_id", by]].drop_duplicates("roll_call_id")
    per_call = per_call.merge(periods_of, on="roll_call_id")
    out = per_call.groupby(by).agg(
        members=("members", "max"),
        roll_calls=("cohesion", "size"),
        cohesion=("cohesion", "mean"),
        voters=("voters", "mean"),
    )
    out["members"] = out["members"].astype("int64")
    return out.reset_index()


def group_line(
    frame: pd.DataFrame, members: list[str], periods: pd.DataFrame | None = None
) -> pd.Series:
    """The group's plurality vote per roll call; roll calls with a tied plurality are left out.
    With ``periods``, only the votes of states that were members on the day count."""
    if periods is not None:
        frame = at_membership(frame, periods)
    per_call = hnr_by_roll_call(frame, members).set_index("roll_call_id")
    counts = per_call[list(_CODES)]
    top = counts.max(axis=1)
    ties = (counts.eq(top, axis=0)).sum(axis=1) > 1
    line = counts.idxmax(axis=1)
    return line[~ties & (top > 0)]


def defections(
    frame: pd.DataFrame, members: list[str], periods: pd.DataFrame | None = None
) -> pd.DataFrame:
    """How often each member voted against its group's plurality, most frequent first.

    Columns: iso3, votes (roll calls with a group line where it voted), defections, rate.
    With ``periods``, a state is only judged on the votes it cast while a member, so no
    state is a defector of a group before it joined.
    """
    if periods is not None:
        frame = at_membership(frame, periods)
        members = sorted(set(periods["iso3"]))
    line = group_line(frame, members)
    own = frame[frame["iso3"].isin(members) & frame["vote"].isin(_CODES)]
    own = own[own["roll_call_id"].isin(line.index)]
    expected = own["roll_call_id"].map(line)
    own = own.assign(defected=(own["vote"] != expected).astype("int64"))
    out = own.groupby("iso3").agg(votes=("defected", "size"), defections=("defected", "sum"))
    out["rate"] = out["defections"] / out["votes"]
    out = out.reset_index().sort_values(["rate", "iso3"], ascending=[False, True])
    return out.reset_index(drop=True)


# --- store wrappers ---------------------------------------------------------------------


def _years(frame: pd.DataFrame, years: tuple[int, int] | None) -> pd.DataFrame:
    if years is None:
        return frame
    return frame[(frame["year"] >= years[0]) & (frame["year"] <= years[1])]


def load_votes(
    session: Session,
    body: str = "unga",
    issue: str | None = None,
    years: tuple[int, int] | None = None,
    states: list[str] | None = None,
    record: str = "official",
) -> pd.DataFrame:
    """The votes an agreement question is about (``vote_frame`` then a year filter); ``record``
    "corrected" applies the states' vote corrections (``frames.vote_frame``)."""
    from rightsdesk.negotiation.votes.frames import parse_record, vote_frame

    if years is not None and years[0] > years[1]:
        raise InputError(f"the first year {years[0]} is after the last {years[1]}", field="years")
    frame = vote_frame(session, body=body, issue=issue, states=states, record=parse_record(record))
    return _years(frame, years)


def state_agreement(
    session: Session,
    iso3: str,
    partners: list[str] | None = None,
    body: str = "unga",
    issue: str | None = None,
    years: tuple[int, int] | None = None,
    measure: Measure = "coincidence",
    min_votes: int = 10,
    record: str = "official",
) -> pd.DataFrame:
    """``agreement_with`` on the store's votes (partners with fewer than ``min_votes`` out),
    on the official or the ``corrected`` record."""
    wanted = None if partners is None else [iso3, *partners]
    frame = load_votes(session, body, issue, years, wanted, record)
    return agreement_with(frame, iso3, partners, measure, min_votes=min_votes)


def group_cohesion(
    session: Session,
    code: str,
    body: str = "unga",
    issue: str | None = None,
    years: tuple[int, int] | None = None,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(cohesion per year, defectors) of a grouping on the store's votes, each vote counted
    only when its state was a member on the day (``core.groups.membership_frame``)."""
    periods = membership_frame(session, code)
    members = sorted(set(periods["iso3"]))
    return cohesion_and_defections(load_votes(session, body, issue, years, members), periods)


def cohesion_and_defections(
    frame: pd.DataFrame, periods: pd.DataFrame
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(cohesion per year, defectors) with membership over time, or NotFoundError when no
    member voted in ``frame`` while a member."""
    own = at_membership(frame, periods) if not frame.empty else frame
    if own.empty:
        raise NotFoundError("no recorded vote of this group in the selected roll calls")
    members = sorted(set(periods["iso3"]))
    return cohesion(own, members, "year", periods), defections(own, members)
