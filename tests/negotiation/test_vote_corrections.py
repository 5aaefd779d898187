"""Vote corrections: an editor records what a state later said it meant (audited, listed,
removable); analyses read the official record unless asked for the corrected one, and say
which. Pakistan on the 2018 death penalty moratorium (A/RES/73/175) on the real General
Assembly votes; the rules on a small synthetic roll call, on both stores."""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Callable
from typing import cast

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Table, select
from sqlalchemy.orm import Session

from rightsdesk.core.config import Settings
from rightsdesk.core.db import session_scope
from rightsdesk.core.errors import InputError, NotFoundError, UnknownStateError
from rightsdesk.core.security.models import AuditEntry
from rightsdesk.negotiation.votes.agreement import state_agreement
from rightsdesk.negotiation.votes.corrections import (
    find_roll_call,
    list_corrections,
    record_correction,
    record_key,
    remove_correction,
)
from rightsdesk.negotiation.votes.frames import vote_frame
from rightsdesk.negotiation.votes.models import Resolution, RollCall, StateVote
from tests.negotiation.conftest import RunCli

SOURCE = "A/73/PV.55: Pakistan said it had intended to vote against"
VOTES = {"PAK": "yes", "USA": "no", "GBR": "yes", "CHN": "no", "IND": "abstain", "BRA": "yes"}


def _roll_call(session: Session, symbol: str, day: dt.date, votes: dict[str, str]) -> int:
    res = Resolution(
        body="unga", source_key=symbol, symbol=symbol, title="Moratorium", adoption="recorded"
    )
    session.add(res)
    session.flush()
    rc = RollCall(
        resolution_id=res.id, source="test", source_id=symbol, body="unga", session=73, date=day
    )
    session.add(rc)
    session.flush()
    session.add_all(StateVote(roll_call_id=rc.id, iso3=k, vote=v) for k, v in votes.items())
    return rc.id


@pytest.fixture
def synthetic(settings: Settings) -> tuple[Settings, int, int]:
    """Two General Assembly roll calls of six states: (settings, first id, second id)."""
    with session_scope(settings.database_url) as s:
        first = _roll_call(s, "A/RES/73/175", dt.date(2018, 12, 17), VOTES)
        second = _roll_call(s, "A/RES/73/176", dt.date(2018, 12, 17), {**VOTES, "PAK": "no"})
    return settings, first, second


def _audit(s: Session) -> list[AuditEntry]:
    stmt = select(AuditEntry).where(AuditEntry.entity == "vote_correction")
    return list(s.scalars(stmt.order_by(AuditEntry.id)))


def test_record_list_replace_remove_audited(synthetic: tuple[Settings, int, int]) -> None:
    settings, rc, _ = synthetic
    with session_scope(settings.database_url) as s:
        key0 = record_key(s, "corrected")
        found = record_correction(s, "ed", rc, "Pakistan", "N", SOURCE, "2018-12-18")
        assert (found.iso3, found.recorded_vote, found.intended_vote) == ("PAK", "yes", "no")
    with session_scope(settings.database_url) as s:
        key1 = record_key(s, "corrected")
        assert key1 != key0 and record_key(s, "official") != ("official", key0[1])
        [row] = list_corrections(s)
        assert row["symbol"] == "A/RES/73/175" and row["state"] and row["source"] == SOURCE
        assert row["stated_on"] == dt.date(2018, 12, 18)
        # the same state again replaces its correction, audited as an update
        record_correction(s, "ed", rc, "PAK", "abstain", SOURCE, dt.date(2018, 12, 19), "oral")
    with session_scope(settings.database_url) as s:
        [row] = list_corrections(s, rc)
        assert row["intended_vote"] == "abstain" and row["note"] == "oral"
        remove_correction(s, "ed", row["id"])
    with session_scope(settings.database_url) as s:
        assert list_corrections(s) == []
        entries = _audit(s)
        assert [e.action for e in entries] == ["create", "update", "delete"]
        assert entries[0].after is not None and entries[1].before is not None
        assert entries[2].before is not None
        assert entries[0].actor == "ed" and entries[0].after["intended_vote"] == "no"
        assert entries[1].before["intended_vote"] == "no"
        assert entries[2].before["intended_vote"] == "abstain" and entries[2].after is None
        assert record_key(s, "corrected") not in (key0, key1)


def test_bad_corrections_are_refused(synthetic: tuple[Settings, int, int]) -> None:
    settings, rc, _ = synthetic
    with session_scope(settings.database_url) as s:
        with pytest.raises(InputError, match="unknown vote 'maybe'"):
            record_correction(s, "ed", rc, "PAK", "maybe", SOURCE, "2018-12-18")
        with pytest.raises(InputError, match="malformed date '18/12/2018'"):
            record_correction(s, "ed", rc, "PAK", "no", SOURCE, "18/12/2018")
        with pytest.raises(InputError, match="before the vote"):
            record_correction(s, "ed", rc, "PAK", "no", SOURCE, "2018-12-01")
        with pytest.raises(InputError, match="in the future"):
            record_correction(s, "ed", rc, "PAK", "no", SOURCE, dt.date.today() + dt.timedelta(9))
        with pytest.raises(InputError, match="already shows PAK voting yes"):
            record_correction(s, "ed", rc, "PAK", "yes", SOURCE, "2018-12-18")
        with pytest.raises(InputError, match="name the source"):
            record_correction(s, "ed", rc, "PAK", "no", "  ", "2018-12-18")
        with pytest.raises(UnknownStateError):
            record_correction(s, "ed", rc, "Atlantis", "no", SOURCE, "2018-12-18")
        with pytest.raises(NotFoundError):
            record_correction(s, "ed", 999999, "PAK", "no", SOURCE, "2018-12-18")
        assert find_roll_call(s, str(rc)).id == rc
        assert find_roll_call(s, "A/RES/73/175").id == rc
        with pytest.raises(NotFoundError):
            find_roll_call(s, "A/RES/99/999")
    with session_scope(settings.database_url) as s:
        assert list_corrections(s) == [] and _audit(s) == []


def test_corrected_frame_differs_exactly_on_the_corrected_votes(
    synthetic: tuple[Settings, int, int],
) -> None:
    settings, rc, other = synthetic
    with session_scope(settings.database_url) as s:
        record_correction(s, "ed", rc, "PAK", "no", SOURCE, "2018-12-18")
        record_correction(s, "ed", other, "IND", "absent", "statement", "2018-12-18")
        # a state with no recorded row (unvotes drops absences) that said it meant to vote
        s.execute(cast(Table, StateVote.__table__).delete().where(StateVote.iso3 == "BRA"))
        record_correction(s, "ed", rc, "BRA", "yes", "statement", "2018-12-18")
    with session_scope(settings.database_url) as s:
        official = vote_frame(s, body="unga")
        corrected = vote_frame(s, body="unga", record="corrected")
        assert official.attrs["record"] == "official" and corrected.attrs["record"] == "corrected"
        a = official.set_index(["roll_call_id", "iso3"])["vote"]
        b = corrected.set_index(["roll_call_id", "iso3"])["vote"]
        assert (b.index.difference(a.index)).tolist() == [(rc, "BRA")]  # added
        assert (a.index.difference(b.index)).tolist() == [(other, "IND")]  # dropped: absent
        both = a.index.intersection(b.index)
        changed = [k for k in both if a[k] != b[k]]
        assert changed == [(rc, "PAK")] and b[(rc, "PAK")] == "no"
        # absences kept: the IND correction reads as absent
        with_absent = vote_frame(s, body="unga", include_absent=True, record="corrected")
        assert with_absent.set_index(["roll_call_id", "iso3"])["vote"][(other, "IND")] == "absent"
        # limited to some states, the corrections follow
        few = vote_frame(s, body="unga", states=["PAK", "USA"], record="corrected")
        assert set(few["iso3"]) == {"PAK", "USA"} and len(few) == 4
        with pytest.raises(InputError, match="unknown record"):
            vote_frame(s, body="unga", record="revised")  # type: ignore[arg-type]
        # agreement with the United States: one opposite vote becomes the same
        off = state_agreement(s, "PAK", ["USA"], "unga", min_votes=1).iloc[0]
        cor = state_agreement(s, "PAK", ["USA"], "unga", min_votes=1, record="corrected").iloc[0]
        assert (off["same"], off["opposite"]) == (1, 1)
        assert (cor["same"], cor["opposite"]) == (2, 0)


def test_pakistan_on_the_2018_moratorium(ga_store: Settings, run_cli: RunCli) -> None:
    """The real vote: the record holds Pakistan's yes on A/RES/73/175; it said it meant no."""
    with session_scope(ga_store.database_url) as s:
        rc = find_roll_call(s, "A/RES/73/175")
        recorded = s.scalar(
            select(StateVote.vote).where(StateVote.roll_call_id == rc.id, StateVote.iso3 == "PAK")
        )
        assert recorded == "yes"
    args = ("votes", "agreement", "PAK", "--with", "USA", "--format", "json")
    code, before = run_cli(ga_store, *args)
    assert code == 0, before
    code, out = run_cli(
        ga_store, "votes", "correct", "A/RES/73/175", "PAK", "no",
        "--source", SOURCE, "--date", "2018-12-18",
    )  # fmt: skip
    assert code == 0, out
    assert f"PAK on roll call {rc.id} recorded yes, stated no" in out
    code, out = run_cli(ga_store, "votes", "corrections", "--format", "json")
    [row] = json.loads(out)
    assert (row["iso3"], row["recorded_vote"], row["intended_vote"]) == ("PAK", "yes", "no")
    assert row["stated_on"] == "2018-12-18" and row["created_by"].startswith("cli:")
    with session_scope(ga_store.database_url) as s:
        [entry] = _audit(s)
        assert entry.after is not None
        assert entry.action == "create" and entry.after["source"] == SOURCE
    code, official = run_cli(ga_store, *args)
    assert official == before  # the official record is the default, unchanged
    code, corrected = run_cli(ga_store, *args, "--record", "corrected")
    assert code == 0, corrected
    [off] = json.loads(official)
    [cor] = json.loads(corrected)
    assert (off["record"], cor["record"]) == ("official", "corrected")
    assert cor["same"] == off["same"] + 1 and cor["opposite"] == off["opposite"] - 1
    assert cor["votes"] == off["votes"] and cor["agreement"] > off["agreement"]
    code, table = run_cli(ga_store, "votes", "agreement", "PAK", "--record", "corrected")
    assert code == 0 and "corrected record" in " ".join(table.split())
    # usage errors
    code, out = run_cli(
        ga_store, "votes", "correct", str(rc.id), "PAK", "perhaps", "--source", "x",
        "--date", "2018-12-18",
    )  # fmt: skip
    assert code == 65 and "unknown vote 'perhaps'" in out
    code, out = run_cli(
        ga_store, "votes", "correct", str(rc.id), "PAK", "no", "--source", "x", "--date", "soon"
    )
    assert code == 65 and "malformed date 'soon'" in out
    code, out = run_cli(ga_store, "votes", "agreement", "PAK", "--record", "revised")
    assert code == 2
    code, out = run_cli(ga_store, "votes", "uncorrect", str(row["id"]))
    assert code == 0
    code, out = run_cli(ga_store, "votes", "corrections", "--format", "csv")
    assert out.strip() == (
        "id,roll_call_id,symbol,vote_date,iso3,recorded_vote,intended_vote,stated_on,source,created_by"
    )


Client = Callable[[str], TestClient]


def _csrf(client: TestClient, path: str) -> dict[str, str]:
    page = client.get(path)
    found = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    assert found is not None
    return {"X-CSRF-Token": found.group(1)}


def test_corrections_api_and_page(client_for: Client, sqlite_settings: Settings) -> None:
    with session_scope(sqlite_settings.database_url) as s:
        rc = _roll_call(s, "A/RES/73/175", dt.date(2018, 12, 17), VOTES)
    body = {"state": "Pakistan", "vote": "no", "source": SOURCE, "date": "2018-12-18"}
    url = f"/api/v1/votes/{rc}/corrections"
    for role in ("viewer", "analyst"):
        c = client_for(role)
        assert c.post(url, json=body, headers=_csrf(c, "/states")).status_code == 403
    editor = client_for("editor")
    assert editor.post(url, json=body).status_code == 403  # a cookie write without its token
    headers = _csrf(editor, f"/votes/{rc}")
    for bad, status in (
        ({"vote": "maybe"}, 422),
        ({"date": "18/12/2018"}, 422),
        ({"source": ""}, 422),
        ({"state": "Atlantis"}, 404),
        ({"date": "2018-01-01"}, 400),
    ):
        resp = editor.post(url, json={**body, **bad}, headers=headers)
        assert resp.status_code == status, (bad, resp.text)
    assert (
        editor.post("/api/v1/votes/999999/corrections", json=body, headers=headers).status_code
        == 404
    )
    made = editor.post(url, json=body, headers=headers)
    assert made.status_code == 201, made.text
    out = made.json()
    assert (out["iso3"], out["recorded_vote"], out["intended_vote"]) == ("PAK", "yes", "no")
    listed = client_for("viewer").get("/api/v1/votes/corrections").json()
    assert [c["id"] for c in listed] == [out["id"]]
    page = editor.get(f"/votes/{rc}")
    table = re.search(r'id="vote-corrections".*?</table>', page.text, re.S)
    assert table is not None and "Pakistan" in table.group(0) and SOURCE in table.group(0)
    assert 'id="correction-form"' in page.text
    # the agreement API: official by default, corrected on request, and says which
    analyst = client_for("analyst")
    q = {"with": "USA", "min_votes": 1}
    off = analyst.get("/api/v1/states/PAK/agreement", params=q).json()
    cor = analyst.get("/api/v1/states/PAK/agreement", params={**q, "record": "corrected"}).json()
    assert (off["record"], cor["record"]) == ("official", "corrected")
    assert (off["partners"][0]["opposite"], cor["partners"][0]["opposite"]) == (1, 0)
    bad = analyst.get("/api/v1/states/PAK/agreement", params={**q, "record": "x"})
    assert bad.status_code == 422
    # removal: an editor only, audited
    assert client_for("analyst").delete(f"/api/v1/votes/corrections/{out['id']}").status_code == 403
    gone = editor.delete(f"/api/v1/votes/corrections/{out['id']}", headers=headers)
    assert gone.status_code == 204
    assert (
        editor.delete(f"/api/v1/votes/corrections/{out['id']}", headers=headers).status_code == 404
    )
    # the page form (CSRF token in the form)
    token = headers["X-CSRF-Token"]
    form = {
        "csrf_token": token,
        "state": "PAK",
        "vote": "abstain",
        "source": "x",
        "date": "2018-12-20",
    }
    resp = editor.post(f"/votes/{rc}/corrections", data=form, follow_redirects=False)
    assert resp.status_code == 303
    assert (
        editor.post(f"/votes/{rc}/corrections", data={**form, "csrf_token": "no"}).status_code
        == 403
    )
    with session_scope(sqlite_settings.database_url) as s:
        assert [e.action for e in _audit(s)] == ["create", "delete", "create"]
        assert [e.actor for e in _audit(s)] == ["editor-2"] * 3
