"""Where two sources read the same roll call differently: state votes and official totals.

Both readings are kept (``vote_reading``, ``roll_call_reading``; see ``sources.readings``);
this module lists the disagreements for ``rightsdesk negotiation votes conflicts`` and the
import summary. A state missing from one reading counts as not voting there (unvotes drops
absences), so "absent" against "missing" is no conflict.
"""

from __future__ import annotations

from typing import Any

import pandas as pd
from sqlalchemy import select
from sqlalchemy.orm import Session

from rightsdesk.core.periods import iso_date
from rightsdesk.negotiation.votes.models import (
    Resolution,
    RollCall,
    RollCallReading,
    VoteReading,
)

__all__ = ["conflict_summary", "total_conflicts", "vote_conflicts"]


def _labels(session: Session, ids: list[int]) -> dict[int, tuple[str, str | None, str]]:
    """roll call id -> (symbol, date, body)."""
    out: dict[int, tuple[str, str | None, str]] = {}
    for start in range(0, len(ids), 500):
        stmt = (
            select(RollCall.id, Resolution.symbol, RollCall.date, RollCall.body)
            .join(Resolution, Resolution.id == RollCall.resolution_id)
            .where(RollCall.id.in_(ids[start : start + 500]))
        )
        for rc, symbol, day, body in session.execute(stmt):
            out[int(rc)] = (symbol or "", iso_date(day), str(body))
    return out


def vote_conflicts(session: Session) -> list[dict[str, Any]]:
    """One row per (roll call, state) whose readings differ: symbol, date, body, iso3 and
    ``readings`` ("undata: yes; unvotes: no"), ordered by date and symbol."""
    df = pd.read_sql(
        select(VoteReading.roll_call_id, VoteReading.source, VoteReading.iso3, VoteReading.vote),
        session.connection(),
    )
    if df.empty:
        return []
    pairs = df[["roll_call_id", "source"]].drop_duplicates()
    sources = sorted(pairs["source"].unique())
    found = []
    for i, first in enumerate(sources):
        for second in sources[i + 1 :]:
            a_rcs = set(pairs.loc[pairs["source"] == first, "roll_call_id"])
            both = a_rcs & set(pairs.loc[pairs["source"] == second, "roll_call_id"])
            left = df[(df["source"] == first) & df["roll_call_id"].isin(both)]
            right = df[(df["source"] == second) & df["roll_call_id"].isin(both)]
            merged = left[["roll_call_id", "iso3", "vote"]].merge(
                right[["roll_call_id", "iso3", "vote"]],
                on=["roll_call_id", "iso3"],
                how="outer",
                suffixes=("_a", "_b"),
            )
            merged = merged.fillna({"vote_a": "absent", "vote_b": "absent"})
            merged = merged[merged["vote_a"] != merged["vote_b"]]
            merged["readings"] = (
                f"{first}: " + merged["vote_a"] + f"; {second}: " + merged["vote_b"]
            )
            found.append(merged[["roll_call_id", "iso3", "readings"]])
    bad = pd.concat(found, ignore_index=True) if found else pd.DataFrame()
    if bad.empty:
        return []
    labels = _labels(session, sorted({int(i) for i in bad["roll_call_id"]}))
    rows = []
    for rc, iso3, readings in bad.itertuples(index=False):
        symbol, day, body = labels.get(int(rc), ("", None, ""))
        rows.append(
            {
                "roll_call_id": int(rc),
                "symbol": symbol,
                "date": day,
                "body": body,
                "iso3": str(iso3),
                "readings": readings,
            }
        )
    rows.sort(key=lambda r: (r["date"] or "", r["symbol"], r["iso3"]))
    return rows


def total_conflicts(session: Session) -> list[dict[str, Any]]:
    """Roll calls whose official totals two sources give differently (yes/no/abstain)."""
    by_rc: dict[int, list[RollCallReading]] = {}
    for r in session.scalars(select(RollCallReading)):
        by_rc.setdefault(int(r.roll_call_id), []).append(r)
    differing = {
        rc: readings
        for rc, readings in by_rc.items()
        if len({(r.yes, r.no, r.abstain) for r in readings}) > 1
    }
    labels = _labels(session, sorted(differing))
    rows = []
    for rc, readings in differing.items():
        symbol, day, body = labels.get(rc, ("", None, ""))
        rows.append(
            {
                "roll_call_id": rc,
                "symbol": symbol,
                "date": day,
                "body": body,
                "readings": "; ".join(
                    f"{r.source}: {r.yes}-{r.no}-{r.abstain}"
                    for r in sorted(readings, key=lambda r: r.source)
                ),
            }
        )
    rows.sort(key=lambda r: (r["date"] or "", r["symbol"]))
    return rows


def conflict_summary(session: Session) -> str:
    """One line for the import report."""
    votes = vote_conflicts(session)
    totals = total_conflicts(session)
    calls = len({r["roll_call_id"] for r in votes})
    return (
        f"conflicts between sources: {len(votes)} state vote(s) on {calls} roll call(s), "
        f"{len(totals)} roll call(s) with differing totals "
        "(rightsdesk negotiation votes conflicts lists them)"
    )
