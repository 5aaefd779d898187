"""Votes as DataFrames: the one read path every vote analysis uses.

Agreement, cohesion, ideal points and forecasts all start from "one row per state per roll call";
reading that through the ORM would build a million objects, so these functions send one
parameterised query per table and let pandas join the small roll-call table onto the large vote
table (about a second for all 870,000 General Assembly votes on SQLite).

``read_unvotes`` reads Voeten's R data files directly; the importer and the benchmarks use it.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal, TypeVar

import numpy as np
import pandas as pd
from sqlalchemy import Select, and_, func, select
from sqlalchemy.orm import Session

from rightsdesk.core.errors import InputError, MissingColumnError
from rightsdesk.negotiation.votes.models import (
    Resolution,
    RollCall,
    RollCallIssue,
    StateVote,
    VoteCorrection,
)

__all__ = [
    "BODY_CHOICES",
    "RECORDS",
    "Mismatch",
    "Record",
    "apply_corrections",
    "body_codes",
    "frame_records",
    "parse_record",
    "read_unvotes",
    "roll_call_frame",
    "vote_frame",
    "vote_mismatches",
]

_S = TypeVar("_S", bound="Select[*tuple[Any, ...]]")

#: What the ``body`` argument accepts, and the stored body codes each stands for.
BODY_CHOICES: dict[str, tuple[str, ...]] = {
    "unga": ("unga",),
    "unga-c3": ("unga-c3",),
    "hrc": ("hrc",),
    "chr": ("chr",),
    "hrc+chr": ("hrc", "chr"),
    "unsc": ("unsc",),
    "all": ("unga", "unga-c3", "hrc", "chr", "unsc"),
}

#: Which vote record an analysis reads: the ``official`` one as the body recorded it (the
#: default), or the ``corrected`` one, where each state's later stated intention
#: (``VoteCorrection``) replaces its recorded vote.
Record = Literal["official", "corrected"]
RECORDS: tuple[str, ...] = ("official", "corrected")

UNVOTES_FILES = {
    "votes": ("un_votes.rda", ("rcid", "country", "country_code", "vote")),
    "roll_calls": (
        "un_roll_calls.rda",
        ("rcid", "session", "importantvote", "date", "unres", "amend", "para", "short", "descr"),
    ),
    "issues": ("un_roll_call_issues.rda", ("rcid", "short_name", "issue")),
}

VOTE_COLUMNS = [
    "roll_call_id",
    "iso3",
    "vote",
    "session",
    "year",
    "date",
    "symbol",
    "title",
    "body",
    "is_amendment",
    "is_paragraph",
    "issues",
]
ROLL_CALL_COLUMNS = [
    "roll_call_id",
    "session",
    "year",
    "date",
    "symbol",
    "title",
    "body",
    "issues",
    "is_amendment",
    "is_paragraph",
    "yes",
    "no",
    "abstain",
]


def body_codes(body: str) -> tuple[str, ...]:
    """The stored body codes for a ``body`` argument, or an InputError listing the choices."""
    try:
        # "hrc+chr" arrives as "hrc chr" when a form or URL encodes the plus as a space
        return BODY_CHOICES["+".join(body.strip().lower().split())]
    except KeyError:
        raise InputError(
            f"unknown body {body!r}; choose one of {', '.join(BODY_CHOICES)}", field="body"
        ) from None


def parse_record(record: str) -> Record:
    """The record named by a request, or an InputError naming the choices."""
    if record == "official":
        return "official"
    if record == "corrected":
        return "corrected"
    raise InputError(f"unknown record {record!r}; choose official or corrected", field="record")


def frame_records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """Rows of a frame as plain JSON values (NaN as None, numbers to ten decimals, ISO dates):
    what the JSON API and ``--format json`` print."""
    out: list[dict[str, Any]] = json.loads(frame.to_json(orient="records", date_format="iso"))
    return out


def _read_rda(path: Path, columns: tuple[str, ...]) -> pd.DataFrame:
    import pyreadr

    if not path.is_file():
        raise InputError("missing file of the unvotes data set", file=path)
    try:
        result = pyreadr.read_r(str(path))
    except Exception as exc:  # pyreadr raises its own and library errors on a bad file
        raise InputError(f"not a readable R data file ({exc})", file=path) from exc
    if not result:
        raise InputError("the R data file holds no data frame", file=path)
    frame: pd.DataFrame = next(iter(result.values()))
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise MissingColumnError(
            f"missing column(s) {', '.join(missing)}; found {', '.join(map(str, frame.columns))}",
            file=path,
            field=missing[0],
        )
    return frame


def _text(series: pd.Series) -> pd.Series:
    """Strings with missing values as None (R factors and NA come back as category/NaN)."""
    out: pd.Series = series.astype("object")
    out[out.isna()] = None
    return out


def read_unvotes(folder: Path) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """The three tables of the R package unvotes: (votes, roll calls, issues).

    Columns as the package names them; ``rcid`` and ``session`` become integers, ``date`` a
    datetime64 and factors plain strings. Row and value checks are the importer's job.
    """
    votes = _read_rda(folder / UNVOTES_FILES["votes"][0], UNVOTES_FILES["votes"][1])
    calls = _read_rda(folder / UNVOTES_FILES["roll_calls"][0], UNVOTES_FILES["roll_calls"][1])
    issues = _read_rda(folder / UNVOTES_FILES["issues"][0], UNVOTES_FILES["issues"][1])
    votes = votes.assign(
        rcid=votes["rcid"].astype("float64"),
        country=_text(votes["country"]),
        country_code=_text(votes["country_code"]),
        vote=_text(votes["vote"]),
    )
    calls = calls.assign(
        date=pd.to_datetime(calls["date"], errors="coerce", format="%Y-%m-%d"),
        importantvote=_text(calls["importantvote"]),
        amend=_text(calls["amend"]),
        para=_text(calls["para"]),
        unres=_text(calls["unres"]),
        short=_text(calls["short"]),
        descr=_text(calls["descr"]),
    )
    issues = issues.assign(short_name=_text(issues["short_name"]), issue=_text(issues["issue"]))
    return votes, calls, issues


def _roll_call_filter(
    stmt: _S,
    body: str,
    issue: str | None,
    sessions: tuple[int, int] | None,
    day: dt.date | None = None,
) -> _S:
    stmt = stmt.where(RollCall.body.in_(body_codes(body)))
    if day is not None:
        stmt = stmt.where(RollCall.date == day)
    if sessions is not None:
        stmt = stmt.where(RollCall.session.between(int(sessions[0]), int(sessions[1])))
    if issue:
        tagged = select(RollCallIssue.roll_call_id).where(RollCallIssue.issue == issue.lower())
        stmt = stmt.where(RollCall.id.in_(tagged))
    return stmt


def _issues_by_roll_call(session: Session, ids: pd.Series) -> pd.Series:
    """Comma-separated sorted issue codes per roll call id ("" when none)."""
    stmt = select(RollCallIssue.roll_call_id, RollCallIssue.issue)
    rows = pd.read_sql(stmt, session.connection())
    joined = (
        rows.sort_values("issue").groupby("roll_call_id")["issue"].agg(",".join)
        if len(rows)
        else pd.Series(dtype="object")
    )
    return ids.map(joined).fillna("").astype("object")


def _roll_call_meta(
    session: Session,
    body: str,
    issue: str | None,
    sessions: tuple[int, int] | None,
    day: dt.date | None = None,
) -> pd.DataFrame:
    stmt = select(
        RollCall.id.label("roll_call_id"),
        RollCall.session,
        RollCall.date,
        Resolution.symbol,
        Resolution.title,
        RollCall.body,
        RollCall.is_amendment,
        RollCall.is_paragraph,
        RollCall.yes_official,
        RollCall.no_official,
        RollCall.abstain_official,
        RollCall.nonvoting_official,
    ).join(Resolution, Resolution.id == RollCall.resolution_id)
    stmt = _roll_call_filter(stmt, body, issue, sessions, day).order_by(RollCall.date, RollCall.id)
    meta = pd.read_sql(stmt, session.connection())
    meta["roll_call_id"] = meta["roll_call_id"].astype("int64")
    meta["session"] = meta["session"].astype("int64")
    meta["date"] = pd.to_datetime(meta["date"])
    meta["year"] = meta["date"].dt.year.astype("int64")
    meta["is_amendment"] = meta["is_amendment"].astype(bool)
    meta["is_paragraph"] = meta["is_paragraph"].astype(bool)
    meta["symbol"] = _text(meta["symbol"])
    meta["issues"] = _issues_by_roll_call(session, meta["roll_call_id"])
    return meta


def vote_frame(
    session: Session,
    body: str = "unga",
    issue: str | None = None,
    sessions: tuple[int, int] | None = None,
    include_absent: bool = False,
    states: list[str] | None = None,
    record: Record = "official",
) -> pd.DataFrame:
    """One row per recorded state vote, with the roll call's facts alongside.

    Columns: roll_call_id, iso3, vote ('yes'|'no'|'abstain'|'absent'), session, year, date,
    symbol, title, body, is_amendment, is_paragraph, issues (e.g. "hr,me"; "" if none).
    ``sessions`` is an inclusive (first, last) range. Non-members of a body never appear;
    absences only with ``include_absent`` (the unvotes data holds none: it drops them).
    ``states`` limits the rows to those states' votes (a profile page needs a few, not all).
    ``record="corrected"`` applies the states' corrections (``apply_corrections``); the frame's
    ``attrs["record"]`` says which record it holds.
    """
    record = parse_record(record)
    meta = _roll_call_meta(session, body, issue, sessions)
    wanted = ["yes", "no", "abstain", "absent"] if include_absent else ["yes", "no", "abstain"]
    stmt = select(StateVote.roll_call_id, StateVote.iso3, StateVote.vote).join(
        RollCall, RollCall.id == StateVote.roll_call_id
    )
    stmt = _roll_call_filter(stmt, body, issue, sessions).where(StateVote.vote.in_(wanted))
    if states is not None:
        stmt = stmt.where(StateVote.iso3.in_(sorted(set(states))))
    votes = pd.read_sql(stmt, session.connection())
    if record == "corrected":
        fixes = _corrections(session, body, issue, sessions, states)
        votes = apply_corrections(votes, fixes, wanted)
    ids = votes["roll_call_id"].to_numpy(dtype="int64")
    # positions of each vote's roll call in ``meta`` (ordered by date): a take per column is
    # several times faster than a merge on 870k rows, and sorting positions orders by date
    where = pd.Index(meta["roll_call_id"]).get_indexer(ids)
    order = np.argsort(where, kind="stable")
    where = where[order]
    frame = pd.DataFrame(
        {
            "roll_call_id": ids[order],
            "iso3": votes["iso3"].to_numpy(dtype="object")[order],
            "vote": votes["vote"].to_numpy(dtype="object")[order],
        }
    )
    for col in VOTE_COLUMNS[3:]:
        frame[col] = meta[col].to_numpy()[where]
    frame.attrs["record"] = record
    return frame


def _corrections(
    session: Session,
    body: str,
    issue: str | None,
    sessions: tuple[int, int] | None,
    states: list[str] | None,
) -> pd.DataFrame:
    """The corrections on the roll calls a vote frame reads: roll_call_id, iso3, vote."""
    stmt = select(
        VoteCorrection.roll_call_id, VoteCorrection.iso3, VoteCorrection.intended_vote
    ).join(RollCall, RollCall.id == VoteCorrection.roll_call_id)
    stmt = _roll_call_filter(stmt, body, issue, sessions)
    if states is not None:
        stmt = stmt.where(VoteCorrection.iso3.in_(sorted(set(states))))
    fixes = pd.read_sql(stmt, session.connection())
    return fixes.rename(columns={"intended_vote": "vote"})


def apply_corrections(
    votes: pd.DataFrame, fixes: pd.DataFrame, wanted: list[str] | None = None
) -> pd.DataFrame:
    """Votes (roll_call_id, iso3, vote) with each correction's vote in place of the recorded one.

    A correction to a vote left out (``wanted``: e.g. "absent" when absences are not read)
    drops the row; one for a state with no row (unvotes drops absences) adds it.
    """
    if fixes.empty:
        return votes
    keys = ["roll_call_id", "iso3"]
    fixes = fixes[keys + ["vote"]].astype({"roll_call_id": "int64"})
    votes = votes.astype({"roll_call_id": "int64"})
    # only the few roll calls with a correction go through the merge
    touched = votes["roll_call_id"].isin(fixes["roll_call_id"]).to_numpy()
    merged = votes[touched].merge(fixes, on=keys, how="outer", suffixes=("", "_fixed"))
    fixed = merged["vote_fixed"].notna()
    merged.loc[fixed, "vote"] = merged.loc[fixed, "vote_fixed"]
    if wanted is not None:
        merged = merged[merged["vote"].isin(wanted)]
    out = pd.concat([votes[~touched][[*keys, "vote"]], merged[[*keys, "vote"]]])
    return out.reset_index(drop=True)


def _counted(
    session: Session, body: str, issue: str | None, day: dt.date | None = None
) -> pd.DataFrame:
    stmt = select(StateVote.roll_call_id, StateVote.vote, func.count().label("n")).join(
        RollCall, RollCall.id == StateVote.roll_call_id
    )
    stmt = _roll_call_filter(stmt, body, issue, None, day).group_by(
        StateVote.roll_call_id, StateVote.vote
    )
    counts = pd.read_sql(stmt, session.connection())
    if counts.empty:
        return pd.DataFrame(columns=["yes", "no", "abstain", "absent"], dtype="int64")
    table = counts.pivot_table(
        index="roll_call_id", columns="vote", values="n", aggfunc="sum", fill_value=0
    )
    for col in ("yes", "no", "abstain", "absent"):
        if col not in table.columns:
            table[col] = 0
    return table[["yes", "no", "abstain", "absent"]].astype("int64")


def roll_call_frame(
    session: Session, body: str = "unga", issue: str | None = None, day: dt.date | None = None
) -> pd.DataFrame:
    """One row per roll call (of one ``day`` if given): its facts and yes/no/abstain totals.

    Totals are the official ones where the source publishes them (HRC, CHR) and otherwise
    counted from the recorded votes; ``counted_yes`` etc. always hold the counts, so callers
    can compare the two (see ``vote_mismatches``).
    """
    meta = _roll_call_meta(session, body, issue, None, day)
    counted = _counted(session, body, issue, day).add_prefix("counted_")
    frame = meta.merge(counted, left_on="roll_call_id", right_index=True, how="left")
    for col in ("yes", "no", "abstain", "absent"):
        frame[f"counted_{col}"] = frame[f"counted_{col}"].fillna(0).astype("int64")
        if col != "absent":
            official = frame[f"{col}_official"]
            frame[col] = np.where(official.notna(), official, frame[f"counted_{col}"]).astype(
                "int64"
            )
    frame["official"] = frame["yes_official"].notna()
    extra = [
        "official",
        "nonvoting_official",
        "counted_yes",
        "counted_no",
        "counted_abstain",
        "counted_absent",
    ]
    return frame[[*ROLL_CALL_COLUMNS, *extra]].reset_index(drop=True)


@dataclass(frozen=True)
class Mismatch:
    """A roll call whose recorded state votes do not add up to the official totals."""

    roll_call_id: int
    body: str
    symbol: str | None
    date: str
    official: tuple[int, int, int]
    counted: tuple[int, int, int]

    @property
    def differences(self) -> tuple[int, int, int]:
        return (
            self.counted[0] - self.official[0],
            self.counted[1] - self.official[1],
            self.counted[2] - self.official[2],
        )


def vote_mismatches(session: Session, body: str = "hrc+chr") -> list[Mismatch]:
    """Roll calls whose per-state votes differ from the published yes/no/abstain totals.

    The sources disagree with themselves now and then (a delegation that later said it meant
    to vote otherwise, a transcription slip); we keep both numbers and say where they differ
    rather than silently trusting one.
    """
    frame = roll_call_frame(session, body)
    frame = frame[frame["official"]]
    bad = frame[
        (frame["yes"] != frame["counted_yes"])
        | (frame["no"] != frame["counted_no"])
        | (frame["abstain"] != frame["counted_abstain"])
    ]
    records: list[dict[Any, Any]] = bad.to_dict("records")
    return [
        Mismatch(
            roll_call_id=int(r["roll_call_id"]),
            body=str(r["body"]),
            symbol=None if r["symbol"] is None else str(r["symbol"]),
            date=pd.Timestamp(r["date"]).date().isoformat(),
            official=(int(r["yes"]), int(r["no"]), int(r["abstain"])),
            counted=(int(r["counted_yes"]), int(r["counted_no"]), int(r["counted_abstain"])),
        )
        for r in records
    ]


def counted_mismatch_summary(session: Session, body: str = "hrc+chr") -> tuple[int, int]:
    """(roll calls with official totals, of which mismatched): for import reports and pages."""
    stmt = select(func.count()).select_from(RollCall)
    stmt = stmt.where(and_(RollCall.body.in_(body_codes(body)), RollCall.yes_official.isnot(None)))
    total = int(session.scalar(stmt) or 0)
    return total, len(vote_mismatches(session, body))
