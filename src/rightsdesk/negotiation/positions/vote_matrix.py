"""The votes positions and forecasts read, fast: a columnar read of the store, kept as a file
in the data folder per data version.

Why not ``votes.frames.vote_frame``: it is the general read path (any filter, a few states, with
absences or not) and joins the vote table with the roll calls row by row. Ideal points and the
forecaster read *every* vote of a body, 870,000 for the General Assembly, and most of the time
of a first call went there. Here the votes are fetched as three plain columns with the roll
calls chosen by a sub-query, the roll-call facts are attached by position, and the finished
frame is written to ``DATA/frames/`` under a name made of the store, body, issue and data
signature: the next process (a CLI call, another worker) reads it back in a fraction of a
second, and an import, which changes the signature, makes it stale.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any, cast

import numpy as np
import numpy.typing as npt
import pandas as pd
from sqlalchemy import Select, case, func, select
from sqlalchemy.orm import Session

from rightsdesk.core.cache import code_version
from rightsdesk.core.config import Settings
from rightsdesk.core.limits import safe_cache_name
from rightsdesk.core.states import lookup_state
from rightsdesk.negotiation.votes.frames import body_codes
from rightsdesk.negotiation.votes.models import Resolution, RollCall, RollCallIssue, StateVote

#: Columns of the frame (those of ``vote_frame``, plus the roll call's description and its
#: sponsors as ISO3 codes, which the forecaster reads).
COLUMNS = [
    "roll_call_id", "iso3", "vote", "session", "year", "date", "symbol", "title", "body",
    "is_amendment", "is_paragraph", "issues", "descr", "sponsors",
]  # fmt: skip

_PAREN = re.compile(r"\([^)]*\)")


def data_signature(session: Session, body: str) -> str:
    """Changes whenever votes of ``body`` are added, removed or re-imported."""
    stmt = (
        select(func.count(), func.max(RollCall.id), func.max(RollCall.dataset_id))
        .select_from(StateVote)
        .join(RollCall, RollCall.id == StateVote.roll_call_id)
        .where(RollCall.body.in_(body_codes(body)))
    )
    count, newest, dataset = session.execute(stmt).one()
    return f"{count}-{newest or 0}-{dataset or 0}"


def parse_sponsors(text: str | None) -> frozenset[str]:
    """ISO3 codes of "Germany, Iceland, the United Kingdom ... (on behalf of ...)"; names that
    do not resolve (a group speaking as such) are left out."""
    if not text:
        return frozenset()
    out = set()
    for part in _PAREN.sub("", text).replace(";", ",").split(","):
        name = part.strip()
        if name.lower().startswith("the "):
            name = name[4:]
        code = lookup_state(name) if name else None
        if code:
            out.add(code)
    return frozenset(out)


def _meta(session: Session, body: str, issue: str | None) -> pd.DataFrame:
    """One row per roll call of the body (ordered by date): its facts, issues and sponsors."""
    stmt = (
        select(
            RollCall.id.label("roll_call_id"),
            RollCall.session,
            RollCall.date,
            Resolution.symbol,
            Resolution.title,
            RollCall.body,
            RollCall.is_amendment,
            RollCall.is_paragraph,
            RollCall.description.label("descr"),
            Resolution.main_sponsors,
        )
        .join(Resolution, Resolution.id == RollCall.resolution_id)
        .where(RollCall.body.in_(body_codes(body)))
        .order_by(RollCall.date, RollCall.id)
    )
    if issue:
        tagged = select(RollCallIssue.roll_call_id).where(RollCallIssue.issue == issue.lower())
        stmt = stmt.where(RollCall.id.in_(tagged))
    meta = pd.DataFrame(
        session.execute(stmt).all(),
        columns=[
            "roll_call_id", "session", "date", "symbol", "title", "body", "is_amendment",
            "is_paragraph", "descr", "main_sponsors",
        ],
    )  # fmt: skip
    meta["roll_call_id"] = meta["roll_call_id"].astype("int64")
    meta["session"] = meta["session"].astype("int64")
    meta["date"] = pd.to_datetime(meta["date"])
    meta["year"] = meta["date"].dt.year.astype("int64")
    meta["is_amendment"] = meta["is_amendment"].astype(bool)
    meta["is_paragraph"] = meta["is_paragraph"].astype(bool)
    issues = pd.DataFrame(
        session.execute(select(RollCallIssue.roll_call_id, RollCallIssue.issue)).all(),
        columns=["roll_call_id", "issue"],
    )
    joined = (
        issues.sort_values("issue").groupby("roll_call_id")["issue"].agg(",".join)
        if len(issues)
        else pd.Series(dtype="object")
    )
    meta["issues"] = meta["roll_call_id"].map(joined).fillna("").astype("object")
    meta["descr"] = meta["descr"].fillna("").astype("object")
    cache: dict[str, frozenset[str]] = {}
    meta["sponsors"] = [  # type: ignore[assignment]
        cache.setdefault(t, parse_sponsors(t)) if t else frozenset() for t in meta["main_sponsors"]
    ]
    return meta.drop(columns="main_sponsors")


#: One letter per vote in the packed read (and back).
_LETTER = {"yes": "Y", "no": "N", "abstain": "A", "absent": "X"}
_VOTE = {v: k for k, v in _LETTER.items()}


def _packed_codes(
    session: Session, calls: Select[Any], wanted: tuple[str, ...]
) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64], list[str]]:
    """(roll call ids, codes, "ISO3 + vote letter" of each code) of every vote on ``calls``,
    read as one packed string per roll call ("USAY,CUBN,..."): the database concatenates in
    C and Python splits a few thousand strings, instead of building a row object per vote
    (several times faster for the 870,000 General Assembly votes, on SQLite and PostgreSQL
    alike)."""
    letter = case(*((StateVote.vote == v, _LETTER[v]) for v in wanted), else_="X")
    stmt = (
        select(StateVote.roll_call_id, func.aggregate_strings(StateVote.iso3 + letter, ","))
        .where(StateVote.roll_call_id.in_(calls), StateVote.vote.in_(wanted))
        .group_by(StateVote.roll_call_id)
    )
    counts: list[int] = []
    rcs: list[int] = []
    items: list[str] = []
    for rc, packed in session.execute(stmt):
        parts = str(packed).split(",")
        rcs.append(int(rc))
        counts.append(len(parts))
        items.extend(parts)
    ids = np.repeat(np.asarray(rcs, dtype=np.int64), counts)
    codes, uniques = pd.factorize(np.asarray(items, dtype=object))
    return ids, codes.astype(np.int64), [str(u) for u in uniques]


def _packed_votes(
    session: Session, calls: Select[Any], wanted: tuple[str, ...]
) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.object_], npt.NDArray[np.object_]]:
    """``_packed_codes`` as plain columns of ISO3 codes and vote words."""
    ids, codes, uniques = _packed_codes(session, calls, wanted)
    iso3 = np.asarray([u[:-1] for u in uniques], dtype=object)[codes]
    vote = np.asarray([_VOTE[u[-1]] for u in uniques], dtype=object)[codes]
    return ids, iso3, vote


def _packed_categories(
    session: Session, calls: Select[Any], wanted: tuple[str, ...]
) -> tuple[npt.NDArray[np.int64], pd.Categorical, pd.Categorical]:
    """``_packed_codes`` as categorical columns: the fit factorises them for free, where
    870,000 strings took a quarter of a second to hash."""
    ids, codes, uniques = _packed_codes(session, calls, wanted)
    state_codes, states = pd.factorize(pd.Index([u[:-1] for u in uniques]), sort=True)
    vote_codes, votes = pd.factorize(pd.Index([_VOTE[u[-1]] for u in uniques]), sort=True)
    iso3 = pd.Categorical.from_codes(cast(Any, state_codes[codes]), categories=states)
    vote = pd.Categorical.from_codes(cast(Any, vote_codes[codes]), categories=votes)
    return ids, iso3, vote


def read_votes(
    session: Session, body: str, issue: str | None = None, include_absent: bool = False
) -> pd.DataFrame:
    """Every recorded vote of ``body`` (``COLUMNS``), ordered by roll-call date; absences only
    with ``include_absent``. Straight from the store (see ``vote_data`` for the cached one)."""
    meta = _meta(session, body, issue)
    wanted = ("yes", "no", "abstain", "absent") if include_absent else ("yes", "no", "abstain")
    calls = select(RollCall.id).where(RollCall.body.in_(body_codes(body)))
    if issue:
        tagged = select(RollCallIssue.roll_call_id).where(RollCallIssue.issue == issue.lower())
        calls = calls.where(RollCall.id.in_(tagged))
    ids, iso3, vote = _packed_votes(session, calls, wanted)
    where = pd.Index(meta["roll_call_id"]).get_indexer(ids)
    order = np.argsort(where, kind="stable")
    where = where[order]
    ids, iso3, vote = ids[order], iso3[order], vote[order]
    frame = pd.DataFrame({"roll_call_id": ids, "iso3": iso3, "vote": vote})
    for col in COLUMNS[3:]:
        frame[col] = meta[col].to_numpy()[where]
    return frame


def read_position_votes(session: Session, body: str, issue: str | None = None) -> pd.DataFrame:
    """The five columns an ideal-point fit reads (roll_call_id, iso3, vote, session, year) of
    every yes/no/abstain vote of ``body``: ``read_votes`` without the texts, issues and
    sponsors, whose per-vote copies cost more than the votes themselves."""
    calls = select(RollCall.id, RollCall.session, RollCall.date).where(
        RollCall.body.in_(body_codes(body))
    )
    if issue:
        tagged = select(RollCallIssue.roll_call_id).where(RollCallIssue.issue == issue.lower())
        calls = calls.where(RollCall.id.in_(tagged))
    meta = pd.DataFrame(session.execute(calls).all(), columns=["roll_call_id", "session", "date"])
    ids, iso3, vote = _packed_categories(
        session, select(calls.subquery().c.id), ("yes", "no", "abstain")
    )
    where = pd.Index(meta["roll_call_id"].astype("int64")).get_indexer(pd.Index(ids))
    years = pd.to_datetime(meta["date"]).dt.year.to_numpy(dtype=np.int64)
    return pd.DataFrame(
        {
            "roll_call_id": ids,
            "iso3": iso3,
            "vote": vote,
            "session": meta["session"].to_numpy(dtype=np.int64)[where],
            "year": years[where],
        }
    )


def _frame_file(settings: Settings, body: str, issue: str | None, absent: bool, sig: str) -> Path:
    parts = (settings.database_url, body, issue or "all", absent, sig, code_version())
    name = safe_cache_name(*parts, prefix="votes", suffix=".pkl")
    return Path(settings.data_dir) / "frames" / name


def vote_data(
    session: Session,
    settings: Settings,
    body: str,
    issue: str | None = None,
    include_absent: bool = False,
    sig: str | None = None,
) -> pd.DataFrame:
    """``read_votes``, read from the data folder when this data version was read before."""
    sig = sig or data_signature(session, body)
    path = _frame_file(settings, body, issue, include_absent, sig)
    if path.is_file():
        try:
            frame: pd.DataFrame = pd.read_pickle(path)
            return frame
        except Exception:  # a damaged cache file is read again from the store
            path.unlink(missing_ok=True)
    frame = read_votes(session, body, issue, include_absent)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".tmp")
        frame.to_pickle(tmp)
        tmp.replace(path)
    except OSError:
        pass  # a read-only data folder only costs a read from the store next time
    return frame
