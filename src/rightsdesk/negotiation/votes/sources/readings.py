"""Writing the UN Digital Library's resolution records (``undl`` export, ``undata`` wide file)
into the one-roll-call-per-resolution model, keeping every source's reading.

A resolution already stored from another source (unvotes, or the other library file) is found
again by its symbol key (``symbols.symbol_key``); its roll call on the whole text receives the
new reading. Where a roll call is held by two sources, both readings go to ``vote_reading``
and ``roll_call_reading`` and ``state_vote`` holds the one of highest ``READING_PRIORITY``
(the UN Digital Library's own export). Writes are bulk statements over pandas diffs, as in
``unvotes.write_votes``: a whole UN_DATA import is about a million rows.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import pandas as pd
from sqlalchemy import delete, insert, select, tuple_, update
from sqlalchemy.orm import Session

from rightsdesk.core.importing import ImportContext
from rightsdesk.negotiation.votes.models import (
    READING_PRIORITY,
    Resolution,
    RollCall,
    RollCallReading,
    StateVote,
    VoteReading,
)
from rightsdesk.negotiation.votes.sources.unvotes import sessions_by_key, upsert_session
from rightsdesk.negotiation.votes.symbols import symbol_key

CHUNK = 20_000
IDS = 500  # roll call ids per IN (...) query


@dataclass
class LibraryRecord:
    """One resolution (or failed draft) and its recorded vote, as a library source gives it."""

    body: str  # unga | unsc
    symbol: str
    title: str
    date: date
    session: int  # GA regular session; for the Security Council the year
    source_id: str
    adoption: str = "recorded"  # or without-vote, not-adopted (a failed draft)
    url: str | None = None
    subject: str | None = None
    agenda_title: str | None = None
    totals: tuple[int | None, int | None, int | None, int | None] = (None, None, None, None)
    votes: dict[str, str] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)  # for the import summary


def ga_session(symbol: str, day: date) -> int:
    """The regular GA session of a resolution: from ``A/RES/68/262``, else from the date (a
    session opens in September; emergency and special sessions fall within one)."""
    parts = symbol.split("/")
    if len(parts) >= 4 and parts[2].isdigit():
        return int(parts[2])
    return max(1, day.year - 1945 if day.month >= 9 else day.year - 1946)


def _holder(rc: RollCall) -> str:
    return rc.reading or rc.source


def _read(
    session: Session, model: type[Any], ids: Sequence[int], source: str | None
) -> pd.DataFrame:
    """Stored (roll_call_id, iso3, vote) rows of ``model`` for roll calls ``ids``."""
    frames = []
    for start in range(0, len(ids), IDS):
        stmt = select(model.roll_call_id, model.iso3, model.vote).where(
            model.roll_call_id.in_(list(ids[start : start + IDS]))
        )
        if source is not None:
            stmt = stmt.where(model.source == source)
        frames.append(pd.read_sql(stmt, session.connection()))
    if not frames:
        return pd.DataFrame(columns=["roll_call_id", "iso3", "vote"])
    return pd.concat(frames, ignore_index=True)


def _sync(
    ctx: ImportContext,
    model: type[Any],
    frame: pd.DataFrame,
    source: str | None,
    drop_stale: bool,
) -> None:
    """Bring ``model``'s rows of ``frame``'s roll calls (for ``source`` in ``vote_reading``)
    to ``frame``: insert new, update changed; stale rows are deleted only where the roll call
    changed hands (``drop_stale``: the old reading is kept in ``vote_reading``)."""
    if frame.empty:
        return
    ids = [int(i) for i in frame["roll_call_id"].unique()]
    old = _read(ctx.session, model, ids, source)
    both = frame.merge(
        old, on=["roll_call_id", "iso3"], how="outer", suffixes=("", "_old"), indicator=True
    )
    new = both[both["_merge"] == "left_only"]
    changed = both[(both["_merge"] == "both") & (both["vote"] != both["vote_old"])]
    stale = both[both["_merge"] == "right_only"]
    extra = {"source": source} if source is not None else {}
    rows = [
        {"roll_call_id": int(rc), "iso3": iso3, "vote": vote, "dataset_id": ctx.dataset.id, **extra}
        for rc, iso3, vote in new[["roll_call_id", "iso3", "vote"]].itertuples(index=False)
    ]
    connection = ctx.session.connection()
    for start in range(0, len(rows), CHUNK):
        connection.execute(insert(model), rows[start : start + CHUNK])
    if len(changed):
        ctx.session.execute(
            update(model),
            [
                {"roll_call_id": int(rc), "iso3": iso3, "vote": vote, "dataset_id": ctx.dataset.id}
                | extra
                for rc, iso3, vote in changed[["roll_call_id", "iso3", "vote"]].itertuples(
                    index=False
                )
            ],
        )
    if drop_stale and len(stale):
        pairs = [
            (int(rc), str(iso3))
            for rc, iso3 in stale[["roll_call_id", "iso3"]].itertuples(index=False)
        ]
        for start in range(0, len(pairs), IDS):
            stmt = delete(model).where(
                tuple_(model.roll_call_id, model.iso3).in_(pairs[start : start + IDS])
            )
            if source is not None:
                stmt = stmt.where(model.source == source)
            ctx.session.execute(stmt)
    if model is StateVote:
        ctx.report.inserted += len(new)
        ctx.report.updated += len(changed)
        ctx.report.unchanged += len(both) - len(new) - len(changed) - len(stale)


def _whole_text(calls: list[RollCall]) -> RollCall | None:
    """The roll call on a resolution's whole text (not a paragraph or amendment), latest first."""
    whole = [c for c in calls if not c.is_paragraph and not c.is_amendment]
    pool = whole or []
    return max(pool, key=lambda c: (c.date, c.id)) if pool else None


def write_library(ctx: ImportContext, source: str, records: list[LibraryRecord]) -> dict[str, int]:
    """Resolutions, roll calls, totals and votes of ``records``; returns counts for the summary
    (``attached``: roll calls another source already held)."""
    session = ctx.session
    sessions = sessions_by_key(session)
    for body, number in sorted({(r.body, r.session) for r in records}):
        years = [r.date.year for r in records if r.body == body and r.session == number]
        upsert_session(ctx, sessions, body, str(number), number, False, min(years))
    session.flush()
    bodies = sorted({r.body for r in records})
    by_key: dict[tuple[str, str], Resolution] = {}
    for res in session.scalars(
        select(Resolution).where(Resolution.body.in_(bodies)).order_by(Resolution.id.desc())
    ):
        if res.symbol_key:
            by_key[(res.body, res.symbol_key)] = res  # descending ids: the first stored wins
    by_source_key = {(r.body, r.source_key): r for r in by_key.values()}
    resolutions: list[Resolution] = []
    for rec in records:
        key = symbol_key(rec.symbol) or rec.source_id
        existing = by_key.get((rec.body, key)) or by_source_key.get((rec.body, key[:60]))
        values: dict[str, Any] = {
            "symbol": rec.symbol,
            "symbol_key": key,
            "title": rec.title,
            "url": rec.url,
            "adoption": rec.adoption,
            "session_id": sessions[(rec.body, str(rec.session))].id,
        }
        if existing is None or existing.date is None:
            values["date"] = rec.date
        if rec.subject and (existing is None or not existing.subject):
            values["subject"] = rec.subject[:300]
        if rec.agenda_title and (existing is None or not existing.agenda_title):
            values["agenda_title"] = rec.agenda_title
        obj, _ = ctx.upsert(
            existing,
            Resolution,
            {"body": rec.body, "source_key": key[:60]} if existing is None else {},
            values,
        )
        by_key[(rec.body, key)] = obj
        resolutions.append(obj)
    session.flush()
    res_ids = [r.id for r in resolutions]
    calls_of: dict[int, list[RollCall]] = {}
    for start in range(0, len(res_ids), IDS):
        for call in session.scalars(
            select(RollCall).where(RollCall.resolution_id.in_(res_ids[start : start + IDS]))
        ):
            calls_of.setdefault(call.resolution_id, []).append(call)
    chosen: list[RollCall] = []
    for rec, res in zip(records, resolutions, strict=True):
        calls = calls_of.get(res.id, [])
        found = next(
            (c for c in calls if c.source == source and c.source_id == rec.source_id), None
        )
        found = found or _whole_text(calls)
        values = {"body": rec.body, "session": rec.session, "date": rec.date}
        if found is not None:
            chosen.append(found)
            continue
        obj, _ = ctx.upsert(
            None,
            RollCall,
            {"source": source, "source_id": rec.source_id[:40]},
            {
                "resolution_id": res.id,
                "is_amendment": False,
                "is_paragraph": False,
                "description": None,
                "reading": source,
                **values,
            },
        )
        calls_of.setdefault(res.id, []).append(obj)
        chosen.append(obj)
    session.flush()
    return _write_readings(ctx, source, records, chosen)


def _write_readings(
    ctx: ImportContext, source: str, records: list[LibraryRecord], chosen: list[RollCall]
) -> dict[str, int]:
    session = ctx.session
    rank = READING_PRIORITY.get(source, 0)
    rc_ids = [int(rc.id) for rc in chosen]  # once: ORM attribute reads are slow in bulk
    pairs = [
        (rc_id, iso3, vote)
        for rec, rc_id in zip(records, rc_ids, strict=True)
        for iso3, vote in rec.votes.items()
    ]
    frame = pd.DataFrame(pairs, columns=["roll_call_id", "iso3", "vote"])
    shared = {rc.id for rc in chosen if _holder(rc) != source}
    have_readings: set[int] = set()
    ids = [rc.id for rc in chosen]
    for start in range(0, len(ids), IDS):
        have_readings |= set(
            session.scalars(
                select(VoteReading.roll_call_id)
                .where(VoteReading.roll_call_id.in_(ids[start : start + IDS]))
                .distinct()
            )
        )
    # the holder's reading goes to vote_reading before another source joins it
    copy = {rc.id: rc for rc in chosen if rc.id in shared and rc.id not in have_readings}
    held = _read(session, StateVote, sorted(copy), None)
    rows = [
        {
            "roll_call_id": int(rc_id),
            "source": _holder(copy[int(rc_id)]),
            "iso3": iso3,
            "vote": vote,
            "dataset_id": copy[int(rc_id)].dataset_id,
        }
        for rc_id, iso3, vote in held[["roll_call_id", "iso3", "vote"]].itertuples(index=False)
    ]
    for start in range(0, len(rows), CHUNK):
        session.connection().execute(insert(VoteReading), rows[start : start + CHUNK])
    have_readings |= set(copy)
    multi = frame[frame["roll_call_id"].isin(shared | have_readings)]
    _sync(ctx, VoteReading, multi, source, drop_stale=False)
    winners = {
        rc.id
        for rc in chosen
        if rc.id not in shared or rank >= READING_PRIORITY.get(_holder(rc), 0)
    }
    takeover = {rc.id for rc in chosen if rc.id in shared and rc.id in winners}
    own = frame[frame["roll_call_id"].isin(winners - takeover)]
    _sync(ctx, StateVote, own, None, drop_stale=False)
    _sync(ctx, StateVote, frame[frame["roll_call_id"].isin(takeover)], None, drop_stale=True)
    totals_old = {
        (int(r.roll_call_id), r.source): r
        for r in session.scalars(select(RollCallReading).where(RollCallReading.source == source))
    }
    for rec, rc in zip(records, chosen, strict=True):
        yes, no, abstain, nonvoting = rec.totals
        ctx.upsert(
            totals_old.get((rc.id, source)),
            RollCallReading,
            {"roll_call_id": rc.id, "source": source},
            {"yes": yes, "no": no, "abstain": abstain, "nonvoting": nonvoting},
        )
        if rc.id in winners:
            if rc.id in takeover:
                rc.reading = source
            rc.yes_official, rc.no_official, rc.abstain_official = yes, no, abstain
            rc.nonvoting_official = nonvoting
    session.flush()
    return {"roll_calls": len(chosen), "attached": len(shared), "taken_over": len(takeover)}
