"""The Federal Republic of Yugoslavia (admitted 2000-11-01) is Serbia and Montenegro (SCG), not
the Socialist Federal Republic (YUG): the unvotes importer stores its votes as SCG, and the
migration 0013_fry_votes moves the votes an older importer stored as YUG (both stores)."""

from __future__ import annotations

import datetime as dt
import importlib
from pathlib import Path

from alembic.migration import MigrationContext
from alembic.operations import Operations
from sqlalchemy import select
from sqlalchemy.orm import Session

from rightsdesk.core.config import Settings
from rightsdesk.core.db import get_engine, session_scope
from rightsdesk.core.importing import run_import
from rightsdesk.forms import get_importer
from rightsdesk.negotiation.votes.frames import vote_frame
from rightsdesk.negotiation.votes.models import Resolution, RollCall, StateVote, VoteReading
from tests.negotiation.conftest import _unvotes_sessions

MIGRATION = importlib.import_module("rightsdesk.negotiation.migrations.0013_fry_votes")


def test_a_2001_ga_vote_is_serbia_and_montenegro(
    sqlite_settings: Settings, shared_data: Path, tmp_path: Path
) -> None:
    path = _unvotes_sessions(shared_data, tmp_path / "unvotes", (45, 46, 56, 61))
    with session_scope(sqlite_settings.database_url) as s:
        run_import(s, get_importer("unvotes"), path, actor="test")
    with session_scope(sqlite_settings.database_url) as s:
        frame = vote_frame(s)
    by_session = frame.groupby("session")["iso3"].agg(set)
    # 1990-91: unified Yemen, which unvotes lists as "Yemen Arab Republic" without a code
    assert "YEM" in by_session[45] and "YAR" not in by_session[45]
    assert "YUG" in by_session[46]  # 1991: the SFRY
    assert "SCG" in by_session[56] and "YUG" not in by_session[56]  # 2001: the FRY
    assert "SRB" in by_session[61] and "SCG" not in by_session[61]  # 2006-07: Serbia
    fry = frame[frame["iso3"] == "SCG"]
    assert fry["date"].min() >= dt.datetime(2000, 11, 1)


def _call(s: Session, res: Resolution, day: dt.date, key: str) -> int:
    rc = RollCall(resolution_id=res.id, source="test", source_id=key, body="unga", session=1,
                  date=day)  # fmt: skip
    s.add(rc)
    s.flush()
    return int(rc.id)


def _upgrade(settings: Settings) -> None:
    with (
        get_engine(settings.database_url).begin() as conn,
        Operations.context(MigrationContext.configure(conn)),
    ):
        MIGRATION.upgrade()


def test_migration_moves_stored_fry_votes(settings: Settings) -> None:
    with session_scope(settings.database_url) as s:
        res = Resolution(body="unga", source_key="fry-test", title="A text", adoption="recorded")
        s.add(res)
        s.flush()
        fry = _call(s, res, dt.date(2001, 12, 19), "fry")
        sfry = _call(s, res, dt.date(1985, 12, 1), "sfry")
        both = _call(s, res, dt.date(2002, 11, 1), "both")
        yemen = _call(s, res, dt.date(1990, 12, 6), "yemen")
        s.add_all(
            [
                StateVote(roll_call_id=fry, iso3="YUG", vote="yes"),
                StateVote(roll_call_id=fry, iso3="HRV", vote="no"),
                StateVote(roll_call_id=sfry, iso3="YUG", vote="abstain"),
                StateVote(roll_call_id=both, iso3="YUG", vote="yes"),
                StateVote(roll_call_id=both, iso3="SCG", vote="yes"),
                StateVote(roll_call_id=yemen, iso3="YAR", vote="no"),
                StateVote(roll_call_id=sfry, iso3="TAN", vote="yes"),
                VoteReading(roll_call_id=fry, source="undata", iso3="YUG", vote="yes"),
            ]
        )
    for _ in range(2):  # a second run changes nothing
        _upgrade(settings)
        with session_scope(settings.database_url) as s:
            votes = {
                (rc, iso3): vote
                for rc, iso3, vote in s.execute(
                    select(StateVote.roll_call_id, StateVote.iso3, StateVote.vote)
                )
            }
            assert votes == {
                (fry, "SCG"): "yes",
                (fry, "HRV"): "no",
                (sfry, "YUG"): "abstain",  # the SFRY's own votes stay
                (both, "SCG"): "yes",  # the YUG duplicate dropped, no key collision
                (yemen, "YEM"): "no",  # unified Yemen, not the Yemen Arab Republic
                (sfry, "TZA"): "yes",  # Tanganyika's seat is Tanzania's
            }
            readings = s.execute(select(VoteReading.roll_call_id, VoteReading.iso3)).all()
            assert [tuple(r) for r in readings] == [(fry, "SCG")]
