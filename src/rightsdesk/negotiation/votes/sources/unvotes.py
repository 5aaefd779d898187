"""Importer of Voeten's UN General Assembly roll-call votes (the R package unvotes).

The data set is three R data files in one folder: ``un_votes.rda`` (869,937 state votes),
``un_roll_calls.rda`` and ``un_roll_call_issues.rda``. They only make sense together, so the
importer claims ``un_votes.rda`` and reads its two siblings (their checksums go into the
Dataset notes); ``rightsdesk import unvotes`` also accepts either sibling's path.

Speed matters (the whole GA history is re-read whenever the file changes): states resolve once
per distinct (name, code) pair, existing votes are compared in one pandas merge, and new or
changed votes are written with bulk ``INSERT``/``UPDATE`` statements in chunks rather than as
ORM objects. ``write_votes`` is shared with the HRC importer.

A resolution voted on in several roll calls (paragraphs, amendments, the whole text) takes its
title from its final whole vote (latest date, then highest rcid; the last vote of all when
every vote was on a part), so the order of the rows of ``un_roll_calls.rda`` does not matter.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from sqlalchemy import insert, select, update
from sqlalchemy.orm import Session

from rightsdesk.core.errors import InputError
from rightsdesk.core.importing import ImportContext, Importer
from rightsdesk.core.provenance import sha256_file
from rightsdesk.core.states import lookup_state
from rightsdesk.negotiation.votes.frames import UNVOTES_FILES, read_unvotes
from rightsdesk.negotiation.votes.models import (
    Resolution,
    RollCall,
    RollCallIssue,
    StateVote,
    VoteReading,
    VoteSession,
)
from rightsdesk.negotiation.votes.symbols import symbol_key, unvotes_symbol, unvotes_title

KIND = "unvotes"
SOURCE = "unvotes"  # RollCall.source
CHUNK = 20_000

# ISO alpha-2 codes that the unvotes data uses for historical states (CS is Czechoslovakia
# there, not Serbia and Montenegro as in ISO 3166-3).
HISTORICAL_CODES = {"CS": "CSK", "DD": "DDR", "YD": "YMD"}
# Codes whose state changed while the code stayed: (code, first day of the successor, before,
# from then on). The USSR's seat passed to the Russian Federation on 24 December 1991. "YU" is
# the Socialist Federal Republic of Yugoslavia (YUG) until the Federal Republic of Yugoslavia
# was admitted on 1 November 2000: from then on Serbia and Montenegro (SCG, the FRY's name
# from 4 February 2003; the FRY was not the SFRY's continuation, A/RES/47/1, so its votes of
# 2000-03 are not YUG's), and Serbia (SRB) from 3 June 2006.
DATED_CODES: list[tuple[str, date, str, str]] = [
    ("RU", date(1991, 12, 24), "SUN", "RUS"),
    ("YU", date(2000, 11, 1), "YUG", "SCG"),
    ("YU", date(2006, 6, 3), "SCG", "SRB"),
    ("YE", date(1990, 5, 22), "YAR", "YEM"),
]
VOTE_CODES = {"yes", "no", "abstain"}


def _state_of(country: str | None, code: str | None) -> str | None:
    """ISO3 for one (name, ISO2) pair of the file, before the date rules apply."""
    if code:
        code = code.strip().upper()
        if code in HISTORICAL_CODES:
            return HISTORICAL_CODES[code]
        found = lookup_state(code) if len(code) == 2 else None
        if found is not None:
            return found
    return lookup_state(country) if country else None


def resolve_countries(votes: pd.DataFrame, dates: pd.Series, path: Path) -> pd.Series:
    """ISO3 of every vote row; an InputError lists every name that does not resolve."""
    names = votes["country"].fillna("").astype(str)
    codes = votes["country_code"].fillna("").astype(str).str.strip().str.upper()
    keys = names + "|" + codes
    mapping: dict[str, str] = {}
    unresolved: list[tuple[str, int]] = []
    for key in pd.unique(keys):
        country, code = str(key).split("|", 1)
        found = _state_of(country or None, code or None)
        if found is None:
            unresolved.append((f"{country} ({code or 'no code'})", _first(keys == key) or 0))
        else:
            mapping[str(key)] = found
    if unresolved:
        raise InputError(
            f"{len(unresolved)} state name(s) do not resolve: "
            + ", ".join(sorted(name for name, _ in unresolved)),
            file=path,
            line=unresolved[0][1] + 2,
            field="country",
        )
    iso3 = keys.map(mapping).astype("object")
    for code, switch, before, after in DATED_CODES:
        early = (dates < pd.Timestamp(switch)).to_numpy()
        # a predecessor after its end is its successor, whatever name or code the row has:
        # session 45 (1990) lists unified Yemen as "Yemen Arab Republic", without a code
        iso3[~early & (iso3 == before).to_numpy()] = after
        iso3[(codes == code).to_numpy() & early & (iso3 == after).to_numpy()] = before
    return iso3


def _flag(value: Any, path: Path, row: int, field: str) -> bool:
    if value is None or value != value or str(value).strip() in ("", "0", "0.0"):
        return False
    if str(value).strip() in ("1", "1.0"):
        return True
    raise InputError(f"expected 0 or 1, got {value!r}", file=path, line=row + 2, field=field)


def _first(mask: pd.Series) -> int | None:
    """Position of the first True row of ``mask`` (the row an error names), or None."""
    hits = np.flatnonzero(mask.to_numpy())
    return int(hits[0]) if len(hits) else None


def _check_roll_calls(calls: pd.DataFrame, path: Path) -> None:
    """Reject the first bad roll call: duplicate rcid, missing session or date."""
    if (row := _first(calls["rcid"].duplicated())) is not None:
        raise InputError(
            f"duplicate rcid {calls['rcid'].iloc[row]}", file=path, line=row + 2, field="rcid"
        )
    for field in ("session", "date"):
        if (row := _first(calls[field].isna())) is not None:
            raise InputError(f"missing or malformed {field}", file=path, line=row + 2, field=field)


def _check_votes(votes: pd.DataFrame, known_rcids: set[int], path: Path) -> None:
    if (row := _first(votes["rcid"].isna() | (votes["rcid"] % 1 != 0))) is not None:
        raise InputError("malformed rcid", file=path, line=row + 2, field="rcid")
    if (row := _first(~votes["rcid"].astype("int64").isin(known_rcids))) is not None:
        raise InputError(
            f"rcid {int(votes['rcid'].iloc[row])} is not in {UNVOTES_FILES['roll_calls'][0]}",
            file=path,
            line=row + 2,
            field="rcid",
        )
    if (row := _first(~votes["vote"].isin(VOTE_CODES))) is not None:
        raise InputError(
            f"unknown vote {votes['vote'].iloc[row]!r} (expected yes, no or abstain)",
            file=path,
            line=row + 2,
            field="vote",
        )


def upsert_session(
    ctx: ImportContext,
    existing: dict[tuple[str, str], VoteSession],
    body: str,
    label: str,
    number: int,
    special: bool,
    year: int | None,
) -> VoteSession:
    """Find or write one session (natural key: body + label)."""
    obj, _ = ctx.upsert(
        existing.get((body, label)),
        VoteSession,
        {"body": body, "label": label},
        {"number": number, "special": special, "year": year},
    )
    existing[(body, label)] = obj
    vote_session: VoteSession = obj
    return vote_session


def sessions_by_key(session: Session) -> dict[tuple[str, str], VoteSession]:
    return {(s.body, s.label): s for s in session.scalars(select(VoteSession))}


def write_issues(
    ctx: ImportContext, wanted: Iterable[tuple[int, str]], roll_calls: set[int]
) -> None:
    """Make the issue tags of ``roll_calls`` exactly ``wanted`` (insert new, delete stale)."""
    want = set(wanted)
    rows = ctx.session.execute(select(RollCallIssue.roll_call_id, RollCallIssue.issue)).all()
    have = {(int(r[0]), str(r[1])) for r in rows if int(r[0]) in roll_calls}
    new = sorted(want - have)
    for start in range(0, len(new), CHUNK):
        ctx.session.execute(
            insert(RollCallIssue),
            [{"roll_call_id": rc, "issue": issue} for rc, issue in new[start : start + CHUNK]],
        )
    stale = sorted(have - want)
    if ctx.may_delete("roll-call issue", len(stale), len(rows)):
        for rc, issue in stale:
            obj = ctx.session.get(RollCallIssue, (rc, issue))
            if obj is not None:
                ctx.session.delete(obj)
        ctx.report.deleted += len(stale)
    ctx.report.inserted += len(new)
    ctx.report.unchanged += len(want & have)


def write_votes(ctx: ImportContext, frame: pd.DataFrame, source: str) -> tuple[int, int, int]:
    """Bring the store's votes of ``frame``'s roll calls to ``frame`` (roll_call_id, iso3, vote).

    Returns (inserted, updated, unchanged) and adds them to the report. Votes of those roll
    calls that the frame does not list are kept (a partial file only adds and updates), or
    deleted under ``--replace`` (see ``ImportContext.may_delete``; counted as deleted).
    """
    session = ctx.session
    ids = frame["roll_call_id"].unique()
    stmt = (
        select(StateVote.roll_call_id, StateVote.iso3, StateVote.vote)
        .join(RollCall, RollCall.id == StateVote.roll_call_id)
        .where(RollCall.source == source)
    )
    old = pd.read_sql(stmt, session.connection())
    stored = len(old)
    old = old[old["roll_call_id"].isin(ids)]
    both = frame.merge(
        old, on=["roll_call_id", "iso3"], how="outer", suffixes=("", "_old"), indicator=True
    )
    new = both[both["_merge"] == "left_only"]
    changed = both[(both["_merge"] == "both") & (both["vote"] != both["vote_old"])]
    stale = both[both["_merge"] == "right_only"]
    unchanged = int(((both["_merge"] == "both") & (both["vote"] == both["vote_old"])).sum())
    dataset_id = ctx.dataset.id
    records = [
        {"roll_call_id": int(rc), "iso3": iso3, "vote": vote, "dataset_id": dataset_id}
        for rc, iso3, vote in zip(
            new["roll_call_id"].to_numpy(),
            new["iso3"].to_numpy(),
            new["vote"].to_numpy(),
            strict=True,
        )
    ]
    # Core executemany on the table: the ORM bulk path adds ~40% for nothing here
    connection = session.connection()
    for start in range(0, len(records), CHUNK):
        connection.execute(insert(StateVote), records[start : start + CHUNK])
    if len(changed):
        session.execute(
            update(StateVote),
            [
                {"roll_call_id": int(rc), "iso3": iso3, "vote": vote, "dataset_id": dataset_id}
                for rc, iso3, vote in changed[["roll_call_id", "iso3", "vote"]].itertuples(
                    index=False
                )
            ],
        )
    if ctx.may_delete(f"{source} vote", len(stale), stored):
        for rc, iso3 in stale[["roll_call_id", "iso3"]].itertuples(index=False):
            obj = session.get(StateVote, (int(rc), str(iso3)))
            if obj is not None:
                session.delete(obj)
        ctx.report.deleted += len(stale)
    session.flush()
    ctx.report.inserted += len(new)
    ctx.report.updated += len(changed)
    ctx.report.unchanged += unchanged
    return len(new), len(changed), unchanged


def read_elsewhere(session: Session) -> set[int]:
    """Ids of unvotes roll calls whose ``state_vote`` rows hold another source's reading."""
    stmt = select(RollCall.id).where(
        RollCall.source == SOURCE, RollCall.reading.isnot(None), RollCall.reading != SOURCE
    )
    return {int(i) for i in session.scalars(stmt)}


def keep_reading(ctx: ImportContext, frame: pd.DataFrame, source: str) -> None:
    """Store ``frame`` as ``source``'s reading in ``vote_reading`` (roll calls whose winning
    reading comes from a UN Digital Library source): insert new, update changed."""
    if frame.empty:
        return
    old = pd.read_sql(
        select(VoteReading.roll_call_id, VoteReading.iso3, VoteReading.vote).where(
            VoteReading.source == source
        ),
        ctx.session.connection(),
    )
    both = frame.merge(old, on=["roll_call_id", "iso3"], how="left", suffixes=("", "_old"))
    new = both[both["vote_old"].isna()]
    changed = both[both["vote_old"].notna() & (both["vote"] != both["vote_old"])]
    rows = [
        {
            "roll_call_id": int(rc),
            "source": source,
            "iso3": i,
            "vote": v,
            "dataset_id": ctx.dataset.id,
        }
        for rc, i, v in new[["roll_call_id", "iso3", "vote"]].itertuples(index=False)
    ]
    for start in range(0, len(rows), CHUNK):
        ctx.session.connection().execute(insert(VoteReading), rows[start : start + CHUNK])
    if len(changed):
        ctx.session.execute(
            update(VoteReading),
            [
                {"roll_call_id": int(rc), "source": source, "iso3": i, "vote": v}
                for rc, i, v in changed[["roll_call_id", "iso3", "vote"]].itertuples(index=False)
            ],
        )


class UnvotesImporter:
    """``rightsdesk import unvotes .../un_votes.rda`` (reads the two sibling files too)."""

    kind = KIND
    label = "UN General Assembly roll-call votes 1946-2019 (R package unvotes)"
    source = (
        "Erik Voeten, Anton Strezhnev and Michael Bailey, United Nations General Assembly "
        "Voting Data (Harvard Dataverse), as packaged by the R package unvotes 0.3.0"
    )
    source_url: str | None = "https://github.com/dgrtwo/unvotes"
    licence: str | None = "CC0 (data), MIT (package)"

    def sniff(self, path: Path) -> bool:
        return path.name == UNVOTES_FILES["votes"][0]

    def files_read(self, path: Path) -> list[Path]:
        """The three files of the data set: the recorded checksum covers them all."""
        return [path.parent / spec[0] for spec in UNVOTES_FILES.values()]

    def run(self, ctx: ImportContext) -> None:
        names = {spec[0] for spec in UNVOTES_FILES.values()}
        if ctx.path.name not in names:
            raise InputError(
                f"expected one of {', '.join(sorted(names))} (the unvotes data set)",
                file=ctx.path,
            )
        folder = ctx.path.parent
        checksums = [
            f"{name} sha256 {sha256_file(folder / name) if (folder / name).is_file() else '-'}"
            for name, _cols in UNVOTES_FILES.values()
        ]
        votes, calls, issues = read_unvotes(folder)
        votes_path = folder / UNVOTES_FILES["votes"][0]
        calls_path = folder / UNVOTES_FILES["roll_calls"][0]
        issues_path = folder / UNVOTES_FILES["issues"][0]
        claimed = ctx.path.stat().st_size
        ctx.advance(claimed // 5)  # reading is about a fifth of the work
        _check_roll_calls(calls, calls_path)
        calls = calls.reset_index(drop=True)
        known = set(calls["rcid"].astype("int64"))
        _check_votes(votes, known, votes_path)
        bad_issue = ~issues["rcid"].astype("int64").isin(known) | issues["short_name"].isna()
        if (row := _first(bad_issue)) is not None:
            raise InputError(
                "unknown rcid or missing issue code", file=issues_path, line=row + 2, field="rcid"
            )
        ctx.report.rows_read = len(votes) + len(calls) + len(issues)

        rc_ids = self._write_roll_calls(ctx, calls, calls_path)
        issue_pairs = [
            (rc_ids[int(r)], str(code).strip().lower())
            for r, code in issues[["rcid", "short_name"]].itertuples(index=False)
        ]
        write_issues(ctx, issue_pairs, set(rc_ids.values()))

        rcid = votes["rcid"].astype("int64")
        dates = rcid.map(dict(zip(calls["rcid"].astype("int64"), calls["date"], strict=True)))
        iso3 = resolve_countries(votes, dates, votes_path)
        frame = pd.DataFrame(
            {"roll_call_id": rcid.map(rc_ids).astype("int64"), "iso3": iso3, "vote": votes["vote"]}
        )
        if (row := _first(frame.duplicated(["roll_call_id", "iso3"]))) is not None:
            raise InputError(
                f"a second vote of {iso3.iloc[row]} on rcid {int(rcid.iloc[row])}",
                file=votes_path,
                line=row + 2,
                field="country",
            )
        elsewhere = read_elsewhere(session=ctx.session)
        shared = frame["roll_call_id"].isin(elsewhere)
        keep_reading(ctx, frame[shared], SOURCE)
        inserted, updated, unchanged = write_votes(ctx, frame[~shared], SOURCE)
        ctx.dataset.period_start = calls["date"].min().date()
        ctx.dataset.period_end = calls["date"].max().date()
        ctx.advance(claimed - claimed // 5)
        ctx.warn(
            f"{len(frame)} votes on {len(calls)} roll calls: {inserted} new, {updated} changed, "
            f"{unchanged} unchanged (absences are not in this data set)"
        )
        for line in checksums:
            ctx.warn(line)

    def _write_roll_calls(
        self, ctx: ImportContext, calls: pd.DataFrame, path: Path
    ) -> dict[int, int]:
        """Sessions, resolutions and roll calls; returns rcid -> roll_call.id."""
        session = ctx.session
        sessions = sessions_by_key(session)
        calls = calls.assign(year=calls["date"].dt.year.astype("int64"))
        for number, group in calls.groupby(calls["session"].astype("int64")):
            upsert_session(
                ctx, sessions, "unga", str(number), int(number), False, int(group["year"].min())
            )
        session.flush()
        resolutions = {
            r.source_key: r
            for r in session.scalars(select(Resolution).where(Resolution.body == "unga"))
        }
        keys = calls["unres"].where(calls["unres"].notna(), "rcid " + calls["rcid"].astype(str))
        calls = calls.assign(key=keys)
        for key, unordered in calls.groupby("key", sort=False):
            # the file's row order must not matter: the title is the final whole vote's
            # (latest date, then highest rcid), whatever order un_roll_calls.rda lists them in
            group = unordered.sort_values(["date", "rcid"], kind="stable")
            first = group.iloc[0]
            part = group["para"].isin(["1", "1.0"]) | group["amend"].isin(["1", "1.0"])
            whole = group[~part]
            pick = whole.iloc[-1] if len(whole) else first
            title, subject = unvotes_title(pick["short"], pick["descr"])
            symbol = unvotes_symbol(first["unres"])
            existing = resolutions.get(str(key))
            values: dict[str, Any] = {
                "session_id": sessions[("unga", str(int(first["session"])))].id,
                "symbol": symbol,
                "symbol_key": symbol_key(symbol),
                "title": title[:2000],
                "date": group["date"].max().date(),
                "subject": subject,
                "adoption": "recorded",
            }
            if existing is not None and existing.url:
                # a UN Digital Library source knows this resolution: its title wins
                for name in ("symbol", "symbol_key", "title", "subject", "date"):
                    values.pop(name)
            obj, _ = ctx.upsert(
                existing, Resolution, {"body": "unga", "source_key": str(key)}, values
            )
            resolutions[str(key)] = obj
        session.flush()
        existing_calls = {
            r.source_id: r
            for r in session.scalars(select(RollCall).where(RollCall.source == SOURCE))
        }
        out: dict[int, int] = {}
        pending: list[tuple[int, RollCall]] = []
        records: list[dict[Any, Any]] = calls.to_dict("records")
        for row_no, row in enumerate(records):
            values = {
                "resolution_id": resolutions[str(row["key"])].id,
                "body": "unga",
                "session": int(row["session"]),
                "date": row["date"].date(),
                "is_amendment": _flag(row["amend"], path, row_no, "amend"),
                "is_paragraph": _flag(row["para"], path, row_no, "para"),
                "important": None
                if row["importantvote"] is None
                else _flag(row["importantvote"], path, row_no, "importantvote"),
                "description": row["descr"],
            }
            rcid = int(row["rcid"])
            obj, _ = ctx.upsert(
                existing_calls.get(str(rcid)),
                RollCall,
                {"source": SOURCE, "source_id": str(rcid)},
                values,
            )
            pending.append((rcid, obj))
        session.flush()
        for rcid, obj in pending:
            out[rcid] = int(obj.id)
        return out


IMPORTERS: list[Importer] = [UnvotesImporter()]
